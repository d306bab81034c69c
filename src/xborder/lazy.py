"""Modules imported on first use: a pre-commit run that names one `.tf` file should not pay for YAML or
CloudFormation machinery it never touches (`import yaml` alone costs ~30 ms)."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType
from collections.abc import Callable
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

    def __init__(self, pattern: str | bytes, flags: int, engine: Callable[[Any, int], Any] = re.compile) -> None:
        self._source = (pattern, flags)
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        compiled = self._engine(*self._source)
        for method in self._METHODS:
            if hasattr(compiled, method):  # RE2's objects have no `scanner`
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def regex(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """`re.compile(pattern, flags)`, done when the pattern is first used: a module's patterns cost nothing
    in a run that never uses them (compiling one takes ~0.1-0.3 ms; xborder has ~200 at module level).
    Only for patterns used through their methods (`P.search(...)`), never passed to `re.*` functions."""
    return cast("re.Pattern[AnyStr]", _Pattern(pattern, flags))


def _re2(pattern: str, flags: int) -> Any:
    import re2  # google-re2: imported with the first such pattern used

    return re2.compile(pattern)


def linear_regex(pattern: str) -> Any:
    """An RE2 pattern (google-re2, Go's engine: linear time), compiled on first use: for texts from the scanned
    repository where Python's backtracking can be quadratic (runs of `\\s*` or of overlapping classes)."""
    return _Pattern(pattern, 0, _re2)
