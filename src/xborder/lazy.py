"""Modules imported on first use: a pre-commit run that names one `.tf` file should not pay for YAML or
CloudFormation machinery it never touches (`import yaml` alone costs ~30 ms)."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType
from typing import Any, AnyStr, cast


def module(name: str) -> ModuleType:
    """`name`, imported when one of its attributes is first used (the standard library's `LazyLoader`)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    loader.exec_module(mod)
    return mod


class _Pattern:
    """A regular expression compiled on first use; its methods then become plain attributes (no per-call cost)."""

    _METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
                "pattern", "flags", "groups", "groupindex")

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(*self._source)
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def regex(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done when the pattern is first used: a module's patterns cost nothing
    in a run that never uses them (compiling one takes ~0.1-0.3 ms; xborder has ~200 at module level).
    Only for patterns used through their methods (`P.search(...)`), never passed to `re.*` functions."""
    return cast("re.Pattern[AnyStr]", _Pattern(pattern, flags))
