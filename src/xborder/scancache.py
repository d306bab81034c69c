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

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

FORMAT = "1"
RACY_NS = 2_000_000_000  # 2 s: the coarsest common timestamp granularity (FAT mtime) with room to spare
DURING_NS = 100_000_000  # file timestamps lag the clock by up to a timer tick: treat 100 ms before the start as "during"


def signature(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _newest(st: os.stat_result) -> int:
    return max(st.st_mtime_ns, st.st_ctime_ns)


class ScanEntry:
    """Lookup and store of one whole-scan result."""

    def __init__(self, directory: Path, key_parts: list[str], started_ns: int, walked: dict[str, os.stat_result],
                 listings: dict[str, list[str]] | None = None) -> None:
        h = hashlib.sha256()
        for part in (FORMAT, *key_parts):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        self.path = directory / "scan" / f"{h.hexdigest()}.pickle"
        self.started_ns = started_ns
        self.walked = walked  # absolute path -> lstat/stat of the walk, taken before anything was read
        self.listings = listings or {}  # absolute directory -> its names, listed by the same walk

    # -- lookup -------------------------------------------------------------------------------------
    def lookup(self, digests: Any) -> Any | None:
        """The stored payload when every dependency is unchanged, else None."""
        try:
            with open(self.path, "rb") as fh:
                fmt, deps, payload = pickle.load(fh)  # noqa: S301 - our own entry in the user's cache directory
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: a miss
            return None
        if fmt != FORMAT or not isinstance(deps, list):
            return None
        for dep, sig, digest in deps:
            if not self._unchanged(dep, sig, digest, digests):
                return None
        return payload

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
        return digests.file(path) == digest

    # -- store --------------------------------------------------------------------------------------
    def store(self, deps: set[str], digests: Any, payload: Any) -> bool:
        """Write the entry; False (nothing written) when a dependency may have changed during the scan."""
        files: set[str] = set(self.walked)
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
        out: list[tuple[str, Any, str]] = [(f"names:{d}", None, _names(d)) for d in sorted(names)]
        for path in sorted(files):
            digest = digests.file(path)
            try:
                st = os.stat(path)
            except OSError:
                out.append((f"file:{path}", None, digest))
                continue
            newest = _newest(st)
            if newest >= self.started_ns - DURING_NS:
                return False  # written while the scan ran (or just before): its result may not match
            before = self.walked.get(path)
            if before is not None and signature(before) != signature(st):
                return False
            trusted = newest < self.started_ns - RACY_NS
            out.append((f"file:{path}", signature(st) if trusted else None, digest))
        try:
            data = pickle.dumps((FORMAT, out, payload), protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            return False
        return True


_TF_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")


def _names(directory: str, listing: list[str] | None = None) -> str:
    """The Terraform file names of a directory (a file added or removed changes it), as the result cache lists them.

    `listing`: the directory's names as the scan's walk found them (no second `listdir`)."""
    try:
        names = sorted(n for n in (os.listdir(directory) if listing is None else listing) if n.endswith(_TF_SUFFIXES))
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        return f"unreadable:{e.errno}"
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def now_ns() -> int:
    return time.time_ns()


class StatIndex:
    """Content digests of files remembered by metadata signature, so unchanged files are not read again.

    The same rule as the whole-scan entry: a signature is remembered only for a file that had not changed
    for `RACY_NS`; a younger file is hashed every time. One small marshal file in the cache directory;
    a damaged one is an empty index.
    """

    def __init__(self, path: Path) -> None:
        import marshal

        self.path = path
        self.changed = False
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
            known = self.entries.get(path)
            sig = signature(st)
            if known is not None and tuple(known[0]) == sig:
                return known[1]
        digest = hashlib.sha256(read(path)).hexdigest()
        if st is not None and _newest(st) < time.time_ns() - RACY_NS:
            self.entries[path] = (signature(st), digest)
            self.changed = True
        return digest

    def save(self) -> None:
        if not self.changed:
            return
        import marshal

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    marshal.dump(self.entries, fh)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # noqa: BLE001
            return
        self.changed = False
