"""xborder's Checkov checks folder: pass this directory to `checkov --external-checks-dir`.

Checkov executes every `*.py` in this folder (except `__init__.py`) as a top-level module, so the
folder holds exactly one module with a name that cannot shadow anything: `xborder_checkov_checks.py`.
Nothing here imports Checkov unless Checkov itself loads the folder; the standalone CLI never does.

    checkov -d . --external-checks-dir "$(xborder checkov-dir)"
    xborder checkov -d .            # the same, for places without a shell (pre-commit's entry)
"""

from __future__ import annotations

from pathlib import Path

CHECKS_DIR = Path(__file__).resolve().parent


def checks_dir() -> Path:
    return CHECKS_DIR
