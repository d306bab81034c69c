"""YAML for the data xborder reads at every start (policies/): parsed once, then kept in a compiled form.

Parsing `policies/` took about 0.15 s with the pure-Python loader and still about 0.05 s with libyaml's C
parser (the safe constructor is Python), most of a pre-commit run that names one small file. So the
parsed values are also kept in one `marshal` file in the user's cache directory (`cachedir.policy_data_file`),
keyed by the SHA-256 of each file's exact text and by the identity of the installed PyYAML: an edited
policy file has another key and is parsed again, so the compiled form is never stale. A value marshal
cannot hold (a YAML timestamp) is simply not kept. A missing, damaged or unwritable compiled file only
costs the parse. `CSafeLoader` builds the same Python values as the pure-Python safe loader (a test
compares both loaders, and the compiled form, on every policy file).
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
from typing import Any

from xborder.digest import sha256

_memo: dict[str, bytes] | None = None  # text digest -> marshalled value, as read from the compiled file
_used: dict[str, bytes] = {}  # what this process loaded: written back when something new was parsed
_dirty = False


def __getattr__(name: str) -> Any:
    if name == "LOADER":  # imported only when something is parsed: `import yaml` costs ~30 ms
        import yaml

        return getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raise AttributeError(name)


def parse(text: str) -> Any:
    """`yaml.safe_load`, through the C loader when available (never the compiled form)."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def safe_load(text: str) -> Any:
    """The parsed value of `text`: from the compiled form when this exact text was parsed before."""
    global _dirty
    key = sha256(text.encode("utf-8", "surrogatepass"))
    blob = _compiled().get(key)
    if blob is not None:
        try:
            value = marshal.loads(blob)
            _used[key] = blob
            return value
        except (ValueError, EOFError, TypeError):
            pass
    value = parse(text)
    try:
        blob = marshal.dumps(value)
    except ValueError:  # a type marshal cannot hold (a YAML timestamp): parsed every time
        return value
    _used[key] = blob
    if not _dirty:
        _dirty = True
        atexit.register(flush)
    return value


def _compiled() -> dict[str, bytes]:
    global _memo
    if _memo is None:
        from xborder.cachedir import read_marshal_map

        _memo = read_marshal_map(_path())
    return _memo


def _path() -> str:
    from xborder.cachedir import default_dir

    return os.path.join(default_dir(), f"policy-data-{_loader_identity()}.marshal")


_identity: str | None = None  # `_loader_identity` of this process


def _loader_identity() -> str:
    """Python's marshal format and the installed PyYAML (a reinstall replaces its files: new inode and times).

    Found once per process: the policy data and each kind of snapshot ask for it (three searches of the path,
    a listing and stats), and the PyYAML a process runs is the one it found first."""
    global _identity
    if _identity is None:
        _identity = _find_loader_identity()
    return _identity


def _find_loader_identity() -> str:
    from importlib.machinery import PathFinder

    parts = [sys.version, str(marshal.version)]
    try:
        spec = PathFinder.find_spec("yaml")  # not importlib.util.find_spec: that would import a lazy `yaml`
        origin = spec.origin if spec is not None else None
        for path in (origin, *(os.path.join(os.path.dirname(origin), n) for n in sorted(os.listdir(os.path.dirname(origin)))
                               if n.startswith("_yaml"))) if origin else ():
            st = os.stat(path)
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
    except (OSError, ImportError, ValueError):
        parts.append("unknown")
    return sha256("\0".join(parts).encode("utf-8", "surrogateescape"))[:16]


def flush() -> None:
    """Write what this process parsed (and the compiled values it used) as the new compiled form, atomically."""
    global _dirty
    if not _dirty:
        return
    _dirty = False
    from xborder.cachedir import write_derived

    try:
        write_derived(_path(), marshal.dumps(dict(sorted(_used.items()))), prefix=".tmp-policy-", kind="policy-data-")
    except Exception:  # noqa: BLE001 - a compiled form that cannot be written only costs the next parse
        return
