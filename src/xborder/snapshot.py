"""Built policy objects (region tables, providers, rules, link declarations) kept between runs.

Building them from the parsed YAML of `policies/` (about 1,450 region entries, 180 checked link
declarations) was a sixth of a pre-commit run that names one small file. So the built objects are also
pickled in one file per kind in the user's cache directory, beside the exact texts they were built from
and the exact source text of the code that builds and defines them (plus the Python release and the
installed PyYAML). A run uses them only when every one of those texts is equal to what it reads now
(compared, not hashed): an edited policy file or changed code builds again, so the kept form is never
stale. Unpickling accepts only classes of the modules that define the kept objects. A missing, damaged
or unwritable file only costs the build. Like the parsed policy data (`yamlfast`), this is derived from
xborder itself, not from a scan, so `--no-cache` uses it too. The code's source text is the loaded code's: a
process whose code files changed after it imported xborder (an install replaced while it runs) neither uses nor
keeps a snapshot, so an object built by old code is never kept under the new code's key. A region table keeps its codes as an inner
pickle (`nested`), unpickled by the same rules when a run first looks in it (`policy.RegionTable`); damaged
codes are built again from the policy files.
"""

from __future__ import annotations

import copyreg
import io
import marshal
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from xborder import changed_since_import

try:  # the C pickler alone: importing `pickle` (its Python layer) costs ~6 M instructions more
    import _pickle as pickle
except ImportError:  # another interpreter
    import pickle  # type: ignore[no-redef]

T = TypeVar("T")

# 2: what releases before the loaded-code check of `_key` kept is never used (one still running while its install
# was replaced kept objects its old code built under the new code's key)
FORMAT = "2"

#: Per kind, the modules whose code builds or defines the kept objects (all imported by the caller): their
#: source text is part of the key, and only their classes may be unpickled.
CODE_MODULES = {
    "policies": ("xborder.snapshot", "xborder.yamlfast", "xborder.policy", "xborder.rules.base"),
    "declarations": ("xborder.snapshot", "xborder.yamlfast", "xborder.links.declarations", "xborder.model"),
}


def load(kind: str, texts: list[tuple[str, str]], build: Callable[[], T]) -> T:
    """`build()`, or the object an earlier run built from exactly these `(name, text)` inputs and this code.

    `build` must read nothing but `texts` (the caller passes the texts it builds from), so the key and
    the kept object always agree.
    """
    modules = CODE_MODULES[kind]
    key = _key(modules, texts)
    path = _path(kind, modules, key[1] if key is not None else "")
    if key is not None:
        kept = _read(path, key, modules)
        if kept is not None:
            return kept  # type: ignore[no-any-return]
    value = build()
    if key is not None:
        try:
            blob = _dumps(value)
        except Exception:  # noqa: BLE001 - something that cannot be pickled is built every time
            return value
        from xborder.cachedir import write_derived

        write_derived(path, marshal.dumps((FORMAT, key, blob)), prefix=".tmp-snapshot-", kind=f"snapshot-{kind}-")
    return value


def nested(value: Any) -> bytes:
    """`value` pickled on its own: a kept object holds a part it may not need (a region table's codes) this way
    and unpickles it (`unnested`) when a run first uses it."""
    return _dumps(value)


def unnested(blob: bytes, kind: str) -> Any:
    """A part `nested` kept, unpickled as the kept object of `kind` is (only the classes of its modules)."""
    return _Unpickler(io.BytesIO(blob), CODE_MODULES[kind]).load()


def _dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=-1).dump(value)
    return buffer.getvalue()


_PLAIN_DEFAULTS = (str, int, bool, float, tuple, frozenset, type(None))
_NO_DEFAULT = object()


class _Pickler(pickle.Pickler):
    """Dataclass objects without the fields that hold their class's plain default (`""`, `None`, `()`...).

    `dataclass` leaves such a default on the class, so the unpickled object reads it from there: equal, and
    a third fewer items to unpickle (the link declarations: 8.9 M -> 5.4 M instructions). Objects that say
    how they pickle (`__getstate__`, `__reduce__`), have no `__dict__` or hold other attributes pickle as always.
    """

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        fields = getattr(cls, "__dataclass_fields__", None)
        if (fields is None or isinstance(obj, type) or getattr(cls, "__getstate__", None) is not getattr(object, "__getstate__", None)
                or cls.__reduce__ is not object.__reduce__ or cls.__reduce_ex__ is not object.__reduce_ex__):
            return NotImplemented
        state = getattr(obj, "__dict__", None)
        if not isinstance(state, dict) or not state.keys() <= fields.keys():
            return NotImplemented
        kept = {}
        for name, value in state.items():
            default = cls.__dict__.get(name, _NO_DEFAULT)  # the class's own default (a field of a base: kept as is)
            if not (type(default) is type(value) and isinstance(value, _PLAIN_DEFAULTS) and default == value):
                kept[name] = value
        return copyreg.__newobj__, (cls,), kept


def _key(modules: tuple[str, ...], texts: list[tuple[str, str]]) -> tuple[Any, ...] | None:
    """Everything the kept object depends on, as plain marshal data; None when the code cannot be read, or when a
    code file changed after this process imported xborder (an install replaced while it runs): the text on disk is
    then not known to be the code in memory, which must neither use an object the new code kept nor keep its own
    under the new code's key. A file unchanged since before the import is what the process loaded, so the key is
    the loaded code's, at the cost of one `fstat` per module."""
    code = []
    for name in modules:
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if not file:
            return None
        try:
            with open(file, "rb") as fh:
                st = os.fstat(fh.fileno())
                if changed_since_import(max(st.st_mtime_ns, st.st_ctime_ns)):
                    return None  # changed since this process imported its code: its text may not be the code running
                code.append((name, fh.read()))
        except OSError:
            return None
    from xborder.yamlfast import _loader_identity

    return (sys.version, _loader_identity(), tuple(code), tuple(texts))


def _path(kind: str, modules: tuple[str, ...], loader: str) -> str:
    """One file per install (where its code and PyYAML are): two installs sharing the cache directory (pre-commit's
    environment and a project's own) would otherwise replace each other's file at every run, each building again."""
    from xborder.cachedir import default_dir
    from xborder.digest import sha256

    where = "\0".join([loader, *(str(getattr(sys.modules.get(name), "__file__", "")) for name in modules)])
    install = sha256(where.encode("utf-8", "surrogateescape"))[:16]
    return os.path.join(default_dir(), f"snapshot-{kind}-{sys.implementation.cache_tag}-{install}.marshal")


def _read(path: str, key: tuple[Any, ...], modules: tuple[str, ...]) -> Any:
    from xborder.cachedir import read_marshal

    data = read_marshal(path)
    if not (isinstance(data, tuple) and len(data) == 3 and data[0] == FORMAT and data[1] == key and isinstance(data[2], bytes)):
        return None
    try:
        return _Unpickler(io.BytesIO(data[2]), modules).load()
    except Exception:  # noqa: BLE001 - a damaged or foreign file: build again
        return None


class _Unpickler(pickle.Unpickler):
    """Only classes defined in the kind's modules (builtin containers and strings need no lookup)."""

    def __init__(self, file: io.BytesIO, modules: tuple[str, ...]) -> None:
        super().__init__(file)
        self.modules = modules

    def find_class(self, module: str, name: str) -> Any:
        if module in self.modules and "." not in name:
            found = getattr(sys.modules.get(module), name, None)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a kept policy class")
