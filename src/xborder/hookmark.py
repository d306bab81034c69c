"""The mark of xborder's own hook functions, which needs no pluggy.

The built-in plugin modules are marked with `hookimpl` from here, not from `hookspecs`: a scan whose
plugins are xborder's own and nothing else calls them directly (`plugins.BuiltinHooks`), without
importing pluggy (and `inspect`, which pluggy imports). When a real plugin manager is made (an installed
plugin, `make_plugin_manager`), it gives each marked function pluggy's own mark as it registers it.
Third-party plugins keep using `xborder.hookspecs.hookimpl` (pluggy's marker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

MARK = "xborder_builtin_hook"  # attribute holding the options (tryfirst, trylast) of a built-in hook function


def hookimpl(function: F | None = None, *, tryfirst: bool = False, trylast: bool = False) -> Any:
    """`@hookimpl` or `@hookimpl(tryfirst=True)`: the options pluggy's marker takes that xborder uses."""

    def mark(fn: F) -> F:
        setattr(fn, MARK, {"tryfirst": tryfirst, "trylast": trylast})
        return fn

    return mark(function) if function is not None else mark
