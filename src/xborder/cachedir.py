"""Where xborder keeps what it may reuse between runs: never inside the scanned tree."""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any


def default_dir() -> Path:
    """`$XBORDER_CACHE_DIR`, else the platform's user cache directory (XDG_CACHE_HOME on Linux)."""
    env = os.environ.get("XBORDER_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "xborder" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "xborder"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xborder"


def write_atomic(path: str, data: bytes, prefix: str) -> bool:
    """`data` as the file `path`, replaced in one step (a reader sees the old or the new file, never a part).

    False when it cannot be written: what is kept here is only ever an optimisation.
    """
    try:
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        tmp = os.path.join(directory, f"{prefix}{os.getpid()}-{os.urandom(6).hex()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        return False
    return True


def read_marshal(path: str) -> Any:
    """What `write_atomic(path, marshal.dumps(...))` kept; None when missing or damaged (callers check its shape).

    Read whole, then loaded: `marshal.load(fh)` reads in small pieces.
    """
    try:
        with open(path, "rb") as fh:
            return marshal.loads(fh.read())
    except Exception:  # noqa: BLE001 - what is kept here is only ever an optimisation
        return None


def read_marshal_map(path: str) -> dict[str, bytes]:
    """A `{str: bytes}` kept by `write_atomic(path, marshal.dumps(...))`; empty when missing, damaged or foreign."""
    data = read_marshal(path)
    if isinstance(data, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in data.items()):
        return data
    return {}
