"""The built-in report formats: name -> (module, class). A table apart from the plugin module, so a run
answered by its whole-scan cache entry finds its reporter without importing pluggy and the plugins."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Callable

BUILTIN = {
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


def builtin_reporters() -> dict[str, Callable[[Path], Any]]:
    """Each format's reporter factory; a format's module is imported only when it is chosen."""
    return {name: _factory(mod, cls) for name, (mod, cls) in BUILTIN.items()}
