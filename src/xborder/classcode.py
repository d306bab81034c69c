"""Dataclasses without compiling their methods at every start.

`@dataclass` writes each generated method (`__init__`, `__repr__`, `__eq__`, ordering, frozen
`__setattr__`...) as source text and compiles it with `exec`. xborder defines about 70 dataclasses;
compiling their ~280 methods was the largest single cost of a pre-commit run that names one small
file (about a third of its time). While `cached()` is active, the `dataclasses` module compiles
through `_exec` below, which keeps the compiled code of each exact source text in one `marshal` file
in the user's cache directory (`class-code-<interpreter>.marshal`). The classes are the same real
dataclasses (`fields()`, `replace()`, `asdict()` work): the only difference is where the code object
comes from. The key is the whole source text and the file is per interpreter version and optimisation
level, so a changed class is compiled again and the cache cannot be stale. A missing, damaged or
unwritable file only costs the compile.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
from collections.abc import Iterator
from types import CodeType, ModuleType
from typing import Any

_BOUND = 4000  # entries kept from earlier runs beside this run's own (code of many versions side by side)

_memo: dict[str, bytes] | None = None  # source text -> marshalled code, as read from the file
_used: dict[str, bytes] = {}  # what this process compiled or took from the file
_dirty = False


def _exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
    """`exec` as `dataclasses` calls it, with the code of a source text compiled once per interpreter."""
    if isinstance(source, str):
        source = code_of(source)
    exec(source, globals_, locals_)  # noqa: S102 - the standard library's own generated method source


def code_of(source: str) -> CodeType:
    """What `exec(source)` would compile from inside `dataclasses` (no `__future__` flags inherited)."""
    global _dirty
    blob = _compiled().get(source)
    if blob is not None:
        try:
            code = marshal.loads(blob)
            if isinstance(code, CodeType):
                _used[source] = blob
                return code
        except (ValueError, EOFError, TypeError):
            pass
    code = compile(source, "<string>", "exec", dont_inherit=True)
    _used[source] = marshal.dumps(code)
    if not _dirty:
        _dirty = True
        atexit.register(flush)
    return code


@contextlib.contextmanager
def cached() -> Iterator[None]:
    """Dataclasses defined meanwhile (in any module) compile their methods through the cache.

    The `dataclasses` module looks `exec` up as a global name; a module global of that name is seen
    before the builtin, so setting one routes its compiles here. Removed again on exit.

    When `dataclasses` is first imported here, it is imported without `inspect` (`_import_dataclasses`).
    """
    if "dataclasses" not in sys.modules:
        _import_dataclasses()
    import dataclasses

    if "exec" in vars(dataclasses):  # already active (nested), or something else set it: leave it alone
        yield
        return
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    pattern = vars(dataclasses).get("_MODULE_IDENTIFIER_RE")
    if pattern is not None:
        dataclasses._MODULE_IDENTIFIER_RE = _MatchMemo(pattern)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if vars(dataclasses).get("exec") is _exec:
            del dataclasses.exec  # type: ignore[attr-defined]
        if pattern is not None and isinstance(vars(dataclasses).get("_MODULE_IDENTIFIER_RE"), _MatchMemo):
            dataclasses._MODULE_IDENTIFIER_RE = pattern  # type: ignore[attr-defined]


class _MatchMemo:
    """`dataclasses`' pattern for a string annotation's leading name (`_MODULE_IDENTIFIER_RE`), with its match
    kept per annotation text.

    For every field of a class whose annotations are strings (`from __future__ import annotations`),
    `dataclasses` matches the annotation three times (is it a ClassVar, an InitVar, KW_ONLY?); xborder's ~75
    classes at start-up repeat a few dozen annotation texts (`str`, `tuple[str, ...]`) about 1,250 times. A
    match depends on the text alone and a match object is immutable, so a kept one answers exactly as a new one.
    """

    def __init__(self, pattern: Any) -> None:
        self._pattern = pattern
        self._memo: dict[str, Any] = {}

    def match(self, text: Any, *args: Any) -> Any:
        if args or type(text) is not str:
            return self._pattern.match(text, *args)
        found = self._memo.get(text, self)
        if found is self:
            found = self._memo[text] = self._pattern.match(text)
        return found

    def __getattr__(self, name: str) -> Any:  # anything else the pattern has
        return getattr(self._pattern, name)


class _InspectOnFirstUse(ModuleType):
    """What `dataclasses` binds as `inspect` when imported by `_import_dataclasses`: the real module, imported
    when one of its attributes is first read."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get("inspect") is self:
            del sys.modules["inspect"]
        import inspect

        return getattr(inspect, name)


def _import_dataclasses() -> None:
    """Import `dataclasses` without importing `inspect` (with `ast`, `dis` and `tokenize`, about a tenth of a
    run that names one file). `dataclasses` reads it only for a class without a docstring (`inspect.signature`
    makes one; xborder's classes have theirs, a test checks). The standard library's `LazyLoader` cannot stand
    in: the `import` statement reads the module's `__spec__`, which loads it. The stand-in is in `sys.modules`
    only while `dataclasses` is imported: any later `import inspect` is the real one."""
    stand_in = _InspectOnFirstUse("inspect")
    had = sys.modules.setdefault("inspect", stand_in)
    try:
        __import__("dataclasses")  # for its effect only: what the import statement runs, with no name bound
    finally:
        if had is stand_in and sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]


def _compiled() -> dict[str, bytes]:
    global _memo
    if _memo is None:
        from xborder.cachedir import read_marshal_map

        _memo = read_marshal_map(_path())
    return _memo


def _path() -> str:
    from xborder.cachedir import default_dir

    # the exact interpreter release (bytecode may change between releases), marshal format, -O level
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-m{marshal.version}-o{sys.flags.optimize}"
    return os.path.join(default_dir(), f"class-code-{tag}.marshal")


def flush() -> None:
    """Write this run's code (and, up to a bound, earlier runs') as the new file, atomically."""
    global _dirty
    if not _dirty:
        return
    _dirty = False
    data = dict(_used)
    for source, blob in (_memo or {}).items():
        if len(data) >= _BOUND:
            break
        data.setdefault(source, blob)
    from xborder.cachedir import write_derived

    try:
        write_derived(_path(), marshal.dumps(dict(sorted(data.items()))), prefix=".tmp-class-code-", kind="class-code-")
    except Exception:  # noqa: BLE001 - a file that cannot be written only costs the next compile
        return
