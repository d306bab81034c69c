"""Folders the walk never enters (`node_modules`, `.venv`, `.tox`, `__pycache__`): the files there that xborder would
read are counted, so that a clean scan says what it did not look at (one warning per scan) instead of nothing.

Counted by name, without reading: Terraform and OpenTofu files (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`) and
device configs by their conventional names (`ipsec.conf`, `swanctl.conf`, `wg*.conf`, `*.ovpn`, `*-confg`). CloudFormation templates, plans and netplan files are
recognised by content, which would mean reading every `.json`/`.yaml` of a `node_modules`: they are not counted.
VCS folders (`.git`, `.hg`, `.svn`) hold no configuration, and `.terraform`'s modules are read through
`modules.json`: neither is counted.

A `node_modules` may hold tens of thousands of files: with a cache directory, what each directory held is kept
by its status (a directory's mtime changes when an entry is added, removed or renamed in it), so a second scan
costs one `stat` per directory and no listing.
"""

from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

from xborder.digest import sha256

COUNTED = frozenset({"node_modules", ".venv", ".tox", "__pycache__"})
_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json", ".ovpn", "-confg")
_NAMES = frozenset({"ipsec.conf", "swanctl.conf"})
FORMAT = 2  # 2: WireGuard's wg*.conf counted too (counts cached by an earlier rule are recomputed)
KEEP_ROOTS = 32  # scan roots whose counts are kept (`skipped-<root digest>.marshal`), the most recently changed
_SEP = os.sep


def would_read(name: str) -> bool:
    """Whether a file of this name is one xborder reads wherever it is (by name; content is not looked at)."""
    low = name.lower()
    return low.endswith(_SUFFIXES) or low in _NAMES or (low.startswith("wg") and low.endswith(".conf"))


def warning(counts: list[tuple[str, int]]) -> str:
    """The one scan-level warning for `counts` [(folder name, files)], or ""."""
    total = sum(n for _, n in counts)
    if not total:
        return ""
    shown = ", ".join(f"{name} ({n})" for name, n in counts)
    return (f"{total} file{'s' if total != 1 else ''} xborder would read (Terraform, device configs by name) "
            f"{'were' if total != 1 else 'was'} skipped in folders it never scans: {shown}; "
            "to scan one, name it on the command line (xborder scan node_modules/x)")


def count(dirs: list[tuple[str, str]], cache_dir: Path | None, root: str) -> list[tuple[str, int]]:
    """[(folder name, files xborder would read below it)] for the skipped folders `dirs` [(path, name)], sorted
    by name, zero counts left out."""
    if not dirs:
        return []
    from xborder.scancache import RACY_NS  # a directory changed this recently may change again unseen

    path = _cache_path(cache_dir, root) if cache_dir is not None else None
    old = _load(path) if path is not None else {}
    new: dict[str, tuple[tuple[int, int, int], list[str], int]] = {}
    limit = time.time_ns() - RACY_NS
    totals: dict[str, int] = {}
    for top, name in dirs:
        totals[name] = totals.get(name, 0) + _count_tree(top, old, new, limit)
    if path is not None and new != old:
        from xborder.cachedir import write_derived

        write_derived(path, marshal.dumps((FORMAT, new)), "skipped-", kind="skipped-", keep=KEEP_ROOTS)
    return sorted((name, n) for name, n in totals.items() if n)


def _count_tree(top: str, old: dict, new: dict, limit: int) -> int:
    total = 0
    pending = [top]
    while pending:
        d = pending.pop()
        try:
            st = os.lstat(d)
        except OSError:
            continue
        sig = (st.st_mtime_ns, st.st_ino, st.st_dev)
        kept = old.get(d)
        if kept is not None and kept[0] == sig:
            subdirs, n = kept[1], kept[2]
        else:
            subdirs, n = [], 0
            try:
                with os.scandir(d) as listing:
                    for entry in listing:
                        try:
                            is_dir = entry.is_dir(follow_symlinks=False)
                        except OSError:
                            continue
                        if is_dir:
                            subdirs.append(entry.name)
                        elif would_read(entry.name):
                            n += 1
            except OSError:
                continue
            subdirs.sort()
        if st.st_mtime_ns < limit and st.st_ctime_ns < limit:
            new[d] = (sig, subdirs, n)
        total += n
        pending.extend([f"{d}{_SEP}{s}" for s in subdirs])
    return total


def _cache_path(cache_dir: Path, root: str) -> str:
    return os.path.join(cache_dir, f"skipped-{sha256(root.encode('utf-8', 'surrogatepass'))[:16]}.marshal")


def _load(path: str) -> dict:
    from xborder.cachedir import read_marshal

    data = read_marshal(path)
    if isinstance(data, tuple) and len(data) == 2 and data[0] == FORMAT and isinstance(data[1], dict):
        return data[1]
    return {}
