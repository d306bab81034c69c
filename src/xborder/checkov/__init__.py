"""xborder's Checkov checks folder, and the `xborder checkov` wrapper.

Pass this directory to `checkov --external-checks-dir`. Checkov executes every `*.py` of the folder
except `__init__.py` as a top-level module, so the folder holds exactly one check module, with a name
that cannot shadow anything (`xborder_checkov_checks.py`), and this `__init__.py` (which Checkov skips)
holds the wrapper. Nothing here imports Checkov: the standalone CLI never does.

    checkov -d . --external-checks-dir "$(xborder checkov-dir)"
    xborder checkov -d .                         # the same, for places without a shell
    xborder checkov --check 'CKV_XB_*' -- a.tf   # files after `--`: one `-d` at their repository root

Checkov runs in the environment it is installed in, and that environment must also have xborder
(`pip install 'xborder[checkov]'`). `XBORDER_CHECKOV` may name the checkov executable to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CHECKS_DIR = Path(__file__).resolve().parent
TF_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json", ".hcl")
_TARGET_FLAGS = ("-d", "--directory", "-f", "--file", "--repo-root-for-plan-enrichment")


def checks_dir() -> Path:
    return CHECKS_DIR


def find_checkov() -> str | None:
    """The checkov executable: $XBORDER_CHECKOV, then next to this Python, then on PATH."""
    configured = os.environ.get("XBORDER_CHECKOV", "").strip()
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    here = Path(sys.executable).parent
    for name in ("checkov", "checkov.cmd", "checkov.exe"):
        candidate = here / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("checkov")


def build_command(executable: str, args: list[str], cwd: Path | None = None) -> list[str]:
    """checkov's command line: the user's arguments, xborder's checks folder, and one target.

    Files after `--` (what pre-commit passes) become a single `-d` at the repository root (the nearest
    directory upwards with `.git`, else `.xborder.yaml`; else the common directory of the files) when
    any of them is a Terraform file: xborder evaluates a module directory as a whole, with the root
    modules that call it, and one Checkov root means one report with repository-relative paths (several
    `-d` make Checkov print a block per root and name module files outside a root `/../../modules/...`).
    Without any target, `-d .` is used. `--skip-download` is added (no Prisma Cloud calls) unless
    XBORDER_CHECKOV_DOWNLOAD=1.
    """
    files: list[str] = []
    if "--" in args:
        cut = args.index("--")
        args, files = args[:cut], args[cut + 1 :]
    cmd = [executable, *args]
    if not any(a == "--external-checks-dir" or a.startswith("--external-checks-dir=") for a in args):
        cmd += ["--external-checks-dir", str(CHECKS_DIR)]
    if "--skip-download" not in args and os.environ.get("XBORDER_CHECKOV_DOWNLOAD") != "1":
        cmd.append("--skip-download")
    has_target = any(a in _TARGET_FLAGS or a.startswith(tuple(f + "=" for f in _TARGET_FLAGS if f.startswith("--"))) for a in args)
    tf_files = [f for f in files if f.endswith(TF_SUFFIXES)]
    if tf_files:
        cmd += ["-d", _one_root(tf_files, cwd or Path.cwd())]
    if files and not tf_files and not has_target:
        return []  # only non-Terraform files were given: nothing for Checkov to do
    if not files and not has_target:
        cmd += ["-d", "."]
    return cmd


def _one_root(files: list[str], cwd: Path) -> str:
    from xborder.scan import repository_root  # noqa: PLC0415 - only the wrapper needs it

    here = cwd.resolve()
    dirs = [(here / f).resolve().parent for f in files]
    common = Path(os.path.commonpath([str(d) for d in dirs]))
    root = repository_root(common, here) or common
    try:
        rel = os.path.relpath(root, here)
    except ValueError:  # another drive on Windows
        return str(root)
    return "." if rel == "." else rel


def _xborder_missing(executable: str) -> str:
    """Checkov in another environment would load no xborder check and pass everything: refuse that."""
    exe = Path(executable).resolve()
    if exe.parent == Path(sys.executable).resolve().parent:
        return ""
    try:
        with open(exe, "rb") as fh:
            first = fh.readline(512)
    except OSError:
        return ""
    if not first.startswith(b"#!"):
        return ""
    interpreter = first[2:].decode(errors="replace").strip().split()
    if not interpreter or not os.path.isfile(interpreter[0]):
        return ""
    probe = subprocess.run([*interpreter, "-c", "import xborder.scan"], check=False, capture_output=True, text=True)
    if probe.returncode != 0:
        return (
            f"the environment of {executable} cannot import xborder, so Checkov would run none of its checks; "
            "install xborder there too (pip install xborder, or pip install 'xborder[checkov]' in one environment)"
        )
    return ""


def run_checkov(args: list[str]) -> int:
    executable = find_checkov()
    if executable is None:
        hint = (
            f"XBORDER_CHECKOV={os.environ['XBORDER_CHECKOV']!r} is not an executable file"
            if os.environ.get("XBORDER_CHECKOV", "").strip()
            else "checkov is not installed here"
        )
        print(
            f"error: {hint}. Install both in one environment: pip install 'xborder[checkov]' "
            "(or set XBORDER_CHECKOV to a checkov executable whose environment also has xborder). "
            "Without Checkov, run `xborder scan`.",
            file=sys.stderr,
        )
        return 2
    problem = _xborder_missing(executable)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    cmd = build_command(executable, args)
    if not cmd:
        return 0
    try:
        return subprocess.call(cmd)
    except OSError as exc:
        print(f"error: cannot run {executable}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
