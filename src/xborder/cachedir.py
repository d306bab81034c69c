"""Where xborder keeps what it may reuse between runs: never inside the scanned tree."""

from __future__ import annotations

import marshal
import os
import sys
import time
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


KEEP = 4  # files kept of each kind derived from an install (policy data, class code, each snapshot kind)
STALE_TMP_NS = 3600 * 10**9  # a temporary file this old is left over from a process that was killed mid-write


def write_derived(path: str, data: bytes, prefix: str, kind: str, keep: int = KEEP) -> bool:
    """`write_atomic`, then at most `keep` files of the same kind in the directory (`prune_kind`).

    Files derived from an install (its policy data, compiled class code, snapshots) are named per install or
    interpreter: each upgrade or new environment (pre-commit's hook, a venv) adds one, and the old ones
    stay unused. Writing a new one is when another is added, so that is when the oldest go.
    """
    if not write_atomic(path, data, prefix):
        return False
    prune_kind(os.path.dirname(path), kind, keep, spare=os.path.basename(path), tmp_prefix=prefix)
    return True


def prune_kind(directory: str, kind: str, keep: int, spare: str = "", tmp_prefix: str = "") -> None:
    """Remove all but the `keep` most recently written `<kind>*.marshal` files of `directory` (never `spare`),
    and that kind's temporary files (`tmp_prefix`) left for an hour.

    Safe beside other processes: a reader has either opened a file (reading it goes on: POSIX keeps an
    unlinked file's data until it is closed; Windows refuses to remove an open file) or finds it missing and
    builds it again, as with a damaged file; a writer replaces a file in one step, so a name is either a
    whole file or absent. Two processes pruning at once only find some files already gone.
    """
    try:
        with os.scandir(directory) as listing:
            found = []
            now = time.time_ns()
            for entry in listing:
                name = entry.name
                if name.startswith(kind) and name.endswith(".marshal"):
                    if name != spare:
                        try:
                            found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
                        except OSError:
                            continue
                elif tmp_prefix and name.startswith(tmp_prefix) and not name.endswith(".marshal"):
                    try:
                        if now - entry.stat(follow_symlinks=False).st_mtime_ns > STALE_TMP_NS:
                            os.unlink(entry.path)
                    except OSError:
                        continue
    except OSError:
        return
    found.sort(reverse=True)
    for _mtime, path in found[max(0, keep - (1 if spare else 0)):]:
        try:
            os.unlink(path)
        except OSError:  # already removed by another process, or open (Windows)
            continue


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
