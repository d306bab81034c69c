"""Built-in report formats. Each is imported only when chosen, so start-up stays fast."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

from xborder.hookspecs import hookimpl

_BUILTIN = {
    "text": ("xborder.reports.text", "TextReporter"),
    "json": ("xborder.reports.json_report", "JsonReporter"),
    "sarif": ("xborder.reports.sarif", "SarifReporter"),
    "github": ("xborder.reports.github", "GithubReporter"),
    "junit": ("xborder.reports.junit", "JunitReporter"),
    "gitlab": ("xborder.reports.gitlab", "GitlabReporter"),
}


def _factory(module: str, cls: str) -> Callable[[Path], Any]:
    def make(root: Path) -> Any:
        return getattr(importlib.import_module(module), cls)(root)

    return make


@hookimpl
def xborder_reporters() -> dict[str, Callable[[Path], Any]]:
    return {name: _factory(mod, cls) for name, (mod, cls) in _BUILTIN.items()}
