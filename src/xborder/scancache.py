"""The whole result of a scan in which nothing changed, found by file metadata, not by reading the tree again.

A warm full scan used to re-read and hash every file, re-collect units and re-apply suppressions (3-5 s on a
6,000-file tree). This entry holds the final findings, errors, notes and links of one scan, under a key of
everything scan-wide (the result cache's key, the list of files walked, the paths asked for, today's date
for expiring suppressions), with every file the result depends on: the files walked, and every
dependency the units reported (their module directories' listings and Terraform files, called modules
even when missing, the module manifest, variable files).

Each dependency is stored with its content digest and, when safe, its metadata signature (size,
modification and change times in ns, inode, device). On the next run a dependency whose signature is
unchanged is taken as unchanged without reading it; otherwise its content is hashed and compared.
Like git's racily-clean index entries, a signature is only trusted when the file had not changed for
`RACY_NS` before the scan began (any later write moves its change time); a file changed within that
window is stored with its digest alone and re-hashed on every lookup, and a file that changed while the
scan ran (or just before it, within `DURING_NS`) means the scan is not stored at all.
What can still fool a signature: a clock set backwards, or a file system that updates neither the
modification nor the change time on a write (some network and FUSE file systems); on Windows the
"change time" is the creation time, so a rewrite to the same size that also restores the old
modification time is not seen. `--no-cache` bypasses this entry as it bypasses the rest of the cache.

Only used for a scan of directories (files named one by one pull in their callers from anywhere under
the root), with xborder's own plugins only (a third-party plugin may read anything), and stored only
when every unit's dependencies are known (Terraform units; units that read nothing).
"""

from __future__ import annotations

import marshal
import os
import time
from operator import attrgetter
from pathlib import Path
from typing import Any

import xborder
from xborder.digest import sha256, sha256_texts

try:  # the C pickler alone (the same bytes): importing `pickle`, its Python layer, costs ~4 M instructions more
    import _pickle as pickle
except ImportError:  # another interpreter
    import pickle  # type: ignore[no-redef]

FORMAT = "2"  # 2: dependencies as marshal data, payload pickled apart
RACY_NS = 2_000_000_000  # 2 s: the coarsest common timestamp granularity (FAT mtime) with room to spare
DURING_NS = xborder.DURING_NS  # file times lag the clock by up to a timer tick: 100 ms before the start is "during"


#: (size, modification and change times in ns, inode, device) of a stat result, as one C call (a lookup takes
#: one per file of the tree)
signature: Any = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")


def _newest(st: os.stat_result) -> int:
    return max(st.st_mtime_ns, st.st_ctime_ns)


class _NotStored(Exception):
    """A dependency changed while the scan ran (or just before it): the entry would not match its result."""


class ScanEntry:
    """Lookup and store of one whole-scan result.

    The file is a pickle of (FORMAT, dependencies, payload), the last two as bytes: the dependencies as
    `marshal` data (plain strings, tuples and ints: it loads several times faster than a pickle of them), the
    payload pickled on its own, so a miss never unpickles it. The files walked, nearly every dependency, are
    kept as one sorted list with their signatures and digests side by side, so a lookup compares them in one
    step; the other dependencies (directory listings, files outside the walk) one by one.
    """

    def __init__(self, directory: Path, key_parts: list[str], started_ns: int, walked: dict[str, os.stat_result],
                 listings: dict[str, list[str]] | None = None) -> None:
        key = sha256_texts((FORMAT, *key_parts))
        self.path = directory / "scan" / f"{key}.pickle"
        self.started_ns = started_ns
        self.walked = walked  # absolute path -> lstat/stat of the walk, taken before anything was read
        self.listings = listings or {}  # absolute directory -> its names, listed by the same walk

    # -- lookup -------------------------------------------------------------------------------------
    def lookup(self, digests: Any) -> Any | None:
        """The stored payload when every dependency is unchanged, else None."""
        stored = _read(self.path)
        if stored is None:
            return None
        (joined, sigs, hashes, others), payload_blob = stored
        order = sorted(self.walked)
        if "\0".join(order) != joined:
            return None
        now = list(map(signature, map(self.walked.__getitem__, order)))
        refreshed = False
        if now != sigs:
            for i, (path, sig, old) in enumerate(zip(order, now, sigs)):
                if sig == old:
                    continue
                if digests.file(path) != hashes[i]:
                    return None
                if self._trusted(path, self.walked[path]):
                    sigs[i] = sig  # same content, now outside the racy window (or touched): known by signature again
                    refreshed = True
        for dep, sig, digest in others:
            if not self._unchanged(dep, sig, digest, digests):
                return None
        try:
            payload = pickle.loads(payload_blob)  # noqa: S301 - our own entry in the user's cache directory
        except Exception:  # noqa: BLE001 - damaged: a miss
            return None
        if refreshed:
            self._write((joined, sigs, hashes, others), payload_blob)
        return payload

    def _trusted(self, path: str, walked: os.stat_result) -> bool:
        """May this file be known by its signature from now on? Only if it had not changed for RACY_NS before
        the scan began and still has the signature the walk saw."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        return signature(st) == signature(walked) and _newest(st) < self.started_ns - RACY_NS

    def _unchanged(self, dep: str, sig: Any, digest: str, digests: Any) -> bool:
        kind, _, path = dep.partition(":")
        if kind == "names":
            return _names(path, self.listings.get(path)) == digest
        if sig is not None:
            st = self.walked.get(path)
            if st is None:
                try:
                    st = os.stat(path)
                except OSError:
                    st = None
            if st is not None and signature(st) == tuple(sig):
                return True
        if digest == "missing":  # a called module or manifest that did not exist: still absent?
            try:
                os.stat(path)
            except FileNotFoundError:
                return True
            except OSError:
                pass
        return digests.file(path) == digest

    # -- store --------------------------------------------------------------------------------------
    def store(self, deps: set[str], digests: Any, payload: Any) -> bool:
        """Write the entry; False (nothing written) when a dependency may have changed during the scan, or the code
        that computed it since the key was made (`cache.code_unchanged`)."""
        from xborder.cache import code_unchanged

        if not code_unchanged():
            return False
        order = sorted(self.walked)
        files: set[str] = set()
        names: set[str] = set()
        for dep in deps:
            kind, _, path = dep.partition(":")
            if kind == "dir":
                names.add(path)
                try:
                    listing = os.listdir(path)
                except OSError:
                    continue
                files.update(os.path.join(path, n) for n in listing if n.endswith(_TF_SUFFIXES))
            else:
                files.add(path)
        files.difference_update(order)
        try:
            walked = [self._recorded(path, digests) for path in order]
            others: list[tuple[str, Any, str]] = [(f"names:{d}", None, _names(d)) for d in sorted(names)]
            others.extend((f"file:{path}", *self._recorded(path, digests)) for path in sorted(files))
        except _NotStored:
            return False
        try:
            payload_blob = pickle.dumps(payload, protocol=-1)
        except Exception:  # noqa: BLE001 - a payload that cannot be kept only costs time
            return False
        deps_data = ("\0".join(order), [sig for sig, _ in walked], [digest for _, digest in walked], others)
        return self._write(deps_data, payload_blob)

    def _recorded(self, path: str, digests: Any) -> tuple[tuple[int, ...] | None, str]:
        """(signature, or None while it may still be racy; content digest) of a dependency at store time."""
        digest = digests.file(path)
        try:
            st = os.stat(path)
        except OSError:
            return None, digest
        newest = _newest(st)
        if newest >= self.started_ns - DURING_NS:
            raise _NotStored  # written while the scan ran (or just before): its result may not match
        before = self.walked.get(path)
        if before is not None and signature(before) != signature(st):
            raise _NotStored
        return (signature(st) if newest < self.started_ns - RACY_NS else None), digest

    def _write(self, deps_data: Any, payload_blob: bytes) -> bool:
        try:
            data = pickle.dumps((FORMAT, marshal.dumps(deps_data), payload_blob), protocol=-1)
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            return False
        from xborder.cachedir import write_atomic  # not tempfile: it imports shutil, random...: ~15 M instructions

        return write_atomic(str(self.path), data, prefix=".tmp-")


def _read(path: Path) -> tuple[Any, bytes] | None:
    """(dependencies, payload bytes) of an entry file; None when missing, damaged or of another format."""
    try:
        with open(path, "rb") as fh:
            fmt, deps_blob, payload_blob = pickle.loads(fh.read())  # noqa: S301 - our own entry in the user's cache directory
        if fmt != FORMAT or not isinstance(payload_blob, bytes):
            return None
        deps = marshal.loads(deps_blob)
        joined, sigs, hashes, others = deps
        if not (isinstance(joined, str) and isinstance(sigs, list) and isinstance(hashes, list) and isinstance(others, list)
                and len(sigs) == len(hashes) == (joined.count("\0") + 1 if joined else 0)):
            return None
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: a miss
        return None
    return deps, payload_blob


def stored_dependencies(path: Path) -> list[tuple[str, Any, str]] | None:
    """Every dependency of an entry file as (`file:PATH` or `names:DIR`, signature or None, digest): for tests."""
    stored = _read(path)
    if stored is None:
        return None
    (joined, sigs, hashes, others), _payload = stored
    walked = [(f"file:{p}", sig, digest) for p, sig, digest in zip(joined.split("\0") if joined else [], sigs, hashes)]
    return walked + list(others)


_TF_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json")


def _names(directory: str, listing: list[str] | None = None) -> str:
    """The Terraform file names of a directory (a file added or removed changes it), as the result cache lists them:
    "=" and the names, or why they cannot be listed. `listing`: the names as the scan's walk found them."""
    try:
        names = sorted(n for n in (os.listdir(directory) if listing is None else listing) if n.endswith(_TF_SUFFIXES))
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        return f"unreadable:{e.errno}"
    return "=" + "\0".join(names)


def now_ns() -> int:
    return time.time_ns()


class StatIndex:
    """Content digests of files remembered by metadata signature, so unchanged files are not read again.

    The same rule as the whole-scan entry: a signature is remembered only for a file that had not changed
    for `RACY_NS`; a younger file is hashed every time. One small marshal file in the cache directory;
    a damaged one is an empty index. Each install adds its files' paths (xborder's code and policies), so a
    saved index keeps the paths this process looked up and, up to `MAX_ENTRIES` in all, earlier ones.
    """

    MAX_ENTRIES = 4000

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        self.used: set[str] = set()
        self.newest = 0  # the latest modification or change time (ns) of the files looked up
        try:
            with open(path, "rb") as fh:
                data = marshal.loads(fh.read())  # loads(read()): load(fh) reads in small pieces
            self.entries: dict[str, tuple[tuple[int, ...], str]] = data if isinstance(data, dict) else {}
        except Exception:  # noqa: BLE001
            self.entries = {}

    def digest(self, path: str, read: Any) -> str:
        """sha256 of the file's bytes (`read(path)`), from the index when its signature is unchanged."""
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None:
            self.used.add(path)
            self.newest = max(self.newest, _newest(st))
            known = self.entries.get(path)
            sig = signature(st)
            if known is not None and tuple(known[0]) == sig:
                return known[1]
        hexdigest = sha256(read(path))
        if st is not None and _newest(st) < time.time_ns() - RACY_NS:
            self.entries[path] = (signature(st), hexdigest)
            self.changed = True
        return hexdigest

    def save(self) -> None:
        if not self.changed:
            return
        if len(self.entries) > self.MAX_ENTRIES:  # other installs' paths: the latest added, as many as fit
            others = [k for k in reversed(self.entries) if k not in self.used][:max(0, self.MAX_ENTRIES - len(self.used))]
            keep = self.used.union(others)
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
        try:
            data = marshal.dumps(self.entries)
        except Exception:  # noqa: BLE001
            return
        from xborder.cachedir import write_atomic  # not tempfile: it imports shutil, random...: ~15 M instructions

        if write_atomic(str(self.path), data, prefix=".tmp-"):
            self.changed = False
