"""A content-addressed cache of per-unit results in the user's cache directory, so unchanged code is not re-read.

An entry is found by the scan-wide key (xborder's own code and version, the versions of the libraries
whose data or parsing shape a result, policy data, plugins, options, site inventory, scan root) and the
unit's name; it holds the digests of everything the unit read (its directories' Terraform files, called
module directories even when missing, variable files) and is used only when all of them still match. Entries are pickles written atomically (temporary file + `os.replace`), so two
scans at once never see half an entry; a damaged entry is a miss. The directory is pruned to
`MAX_BYTES`, oldest first, after a run that wrote entries (a run that wrote little: at most every ten
minutes). The cache never lives in the scanned tree.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Any

try:  # the C pickler alone (the same bytes): importing `pickle`, its Python layer, costs ~4 M instructions more
    import _pickle as pickle
except ImportError:  # another interpreter
    import pickle  # type: ignore[no-redef]

from xborder import cachedir as _cachedir, changed_since_import
from xborder.digest import sha256, sha256_texts
from xborder.inputs import reading

default_dir = _cachedir.default_dir  # re-exported: cache.default_dir()

MAX_BYTES = 256 * 1024 * 1024
#: A run that wrote at most this many entries and bytes itself skips the prune when the last one is younger
#: than PRUNE_INTERVAL_NS: listing thousands of entries cost a pre-commit run (one entry) up to half its work.
SMALL_RUN = (16, 4 * 1024 * 1024)
PRUNE_INTERVAL_NS = 600 * 10**9
# bump when the entry layout changes. 2: what releases before the loaded-code checks (xborder.changed_since_import,
# code_unchanged) wrote is never read: one of them still running while its install was replaced kept its old
# code's results under the new code's key (the whole-scan entries and the callers index are keyed by it too)
FORMAT = "2"
TF_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars", ".tfvars.json")


class Digests:
    """Content digests of files and directories, computed once per scan."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}
        self._dirs: dict[str, str] = {}

    def file(self, path: str) -> str:
        if path not in self._files:
            data = reading.stored(path)  # the bytes this scan read and used, when it read the file whole
            try:
                # regular files of at most 10 MB (inputs.reading): a committed link to /dev/zero or a FIFO is
                # "unreadable", never read; not confined, since --var-file files may live anywhere
                if data is None:
                    data = reading.read_bytes(Path(path), confine=False)
                self._files[path] = sha256(data)
            except FileNotFoundError:
                self._files[path] = "missing"
            except OSError as e:
                self._files[path] = f"unreadable:{e.errno}"
        return self._files[path]

    def directory(self, path: str) -> str:
        """The names and contents of a directory's Terraform files (a new or removed file changes it)."""
        if path not in self._dirs:
            try:
                names = sorted(n for n in reading.list_names(path) if n.endswith(TF_SUFFIXES))
            except FileNotFoundError:
                self._dirs[path] = "missing"
                return "missing"
            except OSError as e:
                self._dirs[path] = f"unreadable:{e.errno}"
                return self._dirs[path]
            self._dirs[path] = sha256_texts(f"{n}\0{self.file(os.path.join(path, n))}" for n in names)
        return self._dirs[path]

    def of(self, dep: str) -> str:
        """`dir:PATH` or `file:PATH`."""
        kind, _, path = dep.partition(":")
        return self.directory(path) if kind == "dir" else self.file(path)


class ResultCache:
    """Per-unit results under one scan-wide key."""

    def __init__(self, directory: Path, scan_key: str) -> None:
        self.dir = directory
        self.scan_key = scan_key
        self.digests = Digests()
        self.writes = 0  # entries written by this scan (worker processes' added by the scan)
        self.own_writes = self.own_bytes = 0  # entries and bytes this process wrote
        self.seen: dict[str, list[str]] = {}  # unit id -> dependencies of the entry served or written (this process)

    def _path(self, unit_id: str) -> Path:
        h = sha256(f"{FORMAT}\0{self.scan_key}\0{unit_id}".encode())
        return self.dir / h[:2] / f"{h}.pickle"

    def get(self, unit_id: str) -> Any | None:
        try:
            with open(self._path(unit_id), "rb") as fh:
                deps, value = pickle.load(fh)  # noqa: S301 - our own entries in the user's cache directory
        except Exception:  # noqa: BLE001 - a missing, damaged or foreign entry is a miss
            return None
        if not isinstance(deps, dict) or any(self.digests.of(d) != h for d, h in deps.items()):
            return None
        self.seen[unit_id] = list(deps)
        return value

    def deps_of(self, unit_id: str) -> list[str] | None:
        """The dependencies of a unit's entry (one a worker process wrote), or None when there is none."""
        if unit_id in self.seen:
            return self.seen[unit_id]
        try:
            with open(self._path(unit_id), "rb") as fh:
                deps, _value = pickle.load(fh)  # noqa: S301 - our own entries in the user's cache directory
        except Exception:  # noqa: BLE001
            return None
        return list(deps) if isinstance(deps, dict) else None

    def digested(self, deps: list[str]) -> dict[str, str]:
        """Each dependency's digest now, for an entry written later (`put(..., digested=...)`)."""
        return {d: self.digests.of(d) for d in sorted(set(deps))}

    def put(self, unit_id: str, deps: list[str], value: Any, digested: dict[str, str] | None = None) -> None:
        """Write an entry; `digested`: the dependencies' digests taken when the value was computed (by `digested`,
        maybe in another process), else they are taken now."""
        path = self._path(unit_id)
        digests = self.digested(deps) if digested is None else digested
        self.seen[unit_id] = list(digests)
        if not code_unchanged():
            return  # computed by code the key does not describe
        try:
            data = pickle.dumps((digests, value), protocol=-1)
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            return
        from xborder.cachedir import write_atomic  # not tempfile: it imports shutil, random...: ~15 M instructions

        if write_atomic(str(path), data, prefix=".tmp-"):
            self.writes += 1
            self.own_writes += 1
            self.own_bytes += len(data)

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Remove the oldest entries until the directory holds at most `max_bytes`."""
        if not self.writes:
            return
        stamp = os.path.join(self.dir, "last-prune")
        if self.writes == self.own_writes <= SMALL_RUN[0] and self.own_bytes <= SMALL_RUN[1]:
            try:
                if 0 <= time.time_ns() - os.stat(stamp).st_mtime_ns < PRUNE_INTERVAL_NS:
                    return
            except OSError:
                pass
        try:
            entries = _entries(str(self.dir))
        except OSError:
            return
        from xborder.cachedir import write_atomic

        write_atomic(stamp, b"", prefix=".tmp-")
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: (e[0], e[2])):
            if total <= max_bytes:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size


def _entries(top: str) -> list[tuple[float, int, str]]:
    """(modification time, size, path) of every `*/*.pickle` below `top`, as `Path.glob` finds them (names with
    a leading dot too; links to directories followed), listed with `os.scandir`: a pre-commit run writes one
    entry and prunes, and globbing 4,000 entries through `pathlib` cost half as much again as the rest of it."""
    out = []
    with os.scandir(top) as listing:
        subdirs = [entry.path for entry in listing if entry.is_dir()]
    for sub in subdirs:
        try:
            listing = os.scandir(sub)
        except PermissionError:  # skipped, as glob skips it
            continue
        with listing:
            for entry in listing:
                if entry.name.endswith(".pickle"):
                    st = entry.stat()
                    out.append((st.st_mtime, st.st_size, entry.path))
    return out


def scan_key(parts: list[str]) -> str:
    """One digest of everything scan-wide that a unit's result depends on."""
    return sha256_texts(parts)


def policy_digest(index_dir: Path | None = None) -> str:
    """The policy data shipped with xborder (`policies/`): file names and content digests, the digests from a
    stat-keyed index in `index_dir` when given (as `code_digest`), so a warm run does not re-read every file."""
    from xborder import policydir

    parts = []
    top = policydir.policy_folder()
    if isinstance(top, Path):  # an installed folder (not a zip): listed without a Path per entry, files have a stat
        index = None
        if index_dir is not None:
            from xborder.scancache import StatIndex

            index = StatIndex(index_dir / "policy-index.marshal")
        for path, name in _folder_files(str(top), (".yaml", ".yml", ".json")):
            hexdigest = index.digest(path, _read) if index is not None else sha256(_read(path))
            parts.append(f"{name}\0{hexdigest}")
        if index is not None:
            index.save()
        return sha256_texts(parts)
    stack = [top]
    items = []
    while stack:
        node = stack.pop()
        for item in node.iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith((".yaml", ".yml", ".json")):
                items.append(item)
    for item in sorted(items, key=lambda t: str(t)):
        parts.append(f"{item.name}\0{sha256(item.read_bytes())}")
    return sha256_texts(parts)


def _folder_files(top: str, endings: tuple[str, ...]) -> list[tuple[str, str]]:
    """(path, name) of the files below `top` whose names end with `endings`, sorted by path, as `Path.iterdir`
    walked with `is_dir` finds them (links to directories followed), listed with `os.scandir`: a Path per entry
    made the policy digest a third of what a pre-commit run spends on its cache."""
    found = []
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    stack.append(entry.path)
                elif entry.name.endswith(endings):
                    found.append((entry.path, entry.name))
    found.sort()
    return found


#: Libraries whose parsing or data can change a result (iptocc ships the IP registration data).
RESULT_LIBRARIES = ("iptocc", "tree-sitter", "tree-sitter-hcl", "PyYAML", "google-re2", "regex")


#: The modules loaded when `code_digest` found xborder's code files unchanged since the import, and those found so
#: since (`code_unchanged`); None: no digest of this process's own code yet.
_LOADED: set[str] | None = None
_SEEN: tuple[int, str] = (0, "")  # sys.modules' size and last name when `_LOADED` last took in every module
_CHANGED = False
_LAZY = getattr(importlib.util, "_LazyModule", None)  # the stand-in LazyLoader puts in sys.modules until first use


def _modules_now() -> tuple[int, str]:
    """sys.modules' size and last name (modules are added at the end): equal, nothing was imported since."""
    return len(sys.modules), next(reversed(sys.modules), "")


def code_unchanged() -> bool:
    """Whether the xborder modules this process imported since `code_digest` (lazily, during the scan) were loaded
    from files unchanged since it imported xborder. One whose file changed after the digest (an install replaced
    while it runs) runs code the key does not describe: a result must not be kept under that key. Checked before
    each store: a look at sys.modules' size and last name when nothing was imported since, else one `stat` per
    xborder module imported since; a change is remembered."""
    global _CHANGED, _SEEN
    if _LOADED is None or _CHANGED:
        return not _CHANGED
    now = _modules_now()
    if now == _SEEN:
        return True
    pending = False
    for name in [n for n in list(sys.modules) if n not in _LOADED]:
        if name == "xborder" or name.startswith("xborder."):
            module = sys.modules.get(name)
            if type(module) is _LAZY:
                # imported on first use (`xborder.lazy.module`) and not used yet: none of its code ran. Reading an
                # attribute would load it (a pre-commit run then imported the Terraform functions and OpenSSL);
                # it is looked at again at each store until it has loaded, and then checked as any other
                pending = True
                continue
            file = getattr(module, "__file__", None)
            if file:
                try:
                    st = os.stat(file)
                    newest = max(st.st_mtime_ns, st.st_ctime_ns)
                except OSError:  # removed since: not the code on disk
                    newest = time.time_ns()
                if changed_since_import(newest):
                    _CHANGED = True
                    return False
        _LOADED.add(name)
    if not pending:  # a module still waiting to load changes neither the size nor the last name of sys.modules
        _SEEN = now
    return True


class CodeChanged(Exception):
    """xborder's code files changed after this process imported it (an install replaced while it runs): the files
    are not known to be the code running, so its results are neither looked up nor kept under their digest."""


def code_digest(package: Path | None = None, index_dir: Path | None = None) -> str:
    """xborder's own Python sources and the versions of `RESULT_LIBRARIES`.

    The version number alone is not enough: installs from a commit (pip install git+...@SHA) all say
    0.1.0, and a cached result from older code must never be served by newer code. The sources' digests
    come from a stat-keyed index in `index_dir` when given (`scancache.StatIndex`), so a warm run does
    not re-read them; library versions from their `*.dist-info` directory names (importing
    `importlib.metadata` for them cost more than the rest of a warm run's start). Raises `CodeChanged` when this
    process's own code files (no `package` given, an index) changed after it imported xborder.
    """
    parts = []
    own = package is None
    package = package or Path(__file__).resolve().parent
    index = None
    if index_dir is not None:
        from xborder.scancache import StatIndex

        index = StatIndex(index_dir / "code-index.marshal")
    for rel, full in _code_files(str(package)):
        hexdigest = index.digest(full, _read) if index is not None else sha256(_read(full))
        parts.append(f"{rel}\0{hexdigest}")
    if index is not None:
        index.save()
        if own:
            if changed_since_import(index.newest):
                raise CodeChanged
            global _LOADED, _SEEN
            _LOADED = set(sys.modules)  # loaded from files unchanged since the import: the code the digest describes
            _SEEN = _modules_now()
    for name, version in library_versions(RESULT_LIBRARIES).items():
        parts.append(f"{name}={version}")
    return sha256_texts(parts)


def _code_files(top: str) -> list[tuple[str, str]]:
    """(path relative to `top`, POSIX; full path) of every `.py` file below it, sorted, as `os.walk` finds them (links
    to directories not walked; `__pycache__` folders, which hold no source, passed over), listed with `os.scandir`:
    `os.walk` and `relpath` per folder were half of what a pre-commit run spends on its cache."""
    found = []
    stack = [("", top)]
    while stack:
        rel, path = stack.pop()
        try:
            listing = os.scandir(path)
        except OSError:  # as os.walk: a folder that cannot be listed is passed over
            continue
        with listing:
            for entry in listing:
                name = entry.name
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if name != "__pycache__" and not entry.is_symlink():
                        stack.append((f"{rel}{name}/", entry.path))
                elif name.endswith(".py"):
                    found.append((rel + name, entry.path))
    found.sort()
    return found


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Installed version of each distribution as `importlib.metadata.version` finds it (the first one on
    `sys.path`), read from the `NAME-VERSION.dist-info` / `.egg-info` directory name; "absent" when none."""
    want = {_norm(n): n for n in names}
    out: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = sorted(item for item in os.listdir(entry or ".") if item.lower().endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for item in listing:
            stem = item.rsplit(".", 1)[0]
            dist, _, rest = stem.partition("-")
            name = want.get(_norm(dist))
            if name is not None and name not in out and rest:
                out[name] = rest.split("-", 1)[0]
    if len(out) < len(names):  # an unusual layout (zip, egg): ask importlib.metadata
        import importlib.metadata

        for name in names:
            if name not in out:
                try:
                    out[name] = importlib.metadata.version(name)
                except importlib.metadata.PackageNotFoundError:
                    out[name] = "absent"
    return {name: out[name] for name in names}


_SEPARATORS = str.maketrans("-.", "__")


def _norm(name: str) -> str:
    """`re.sub(r"[-_.]+", "_", name).lower()` (PEP 503's normalisation), without compiling a pattern each run."""
    name = name.translate(_SEPARATORS)
    while "__" in name:
        name = name.replace("__", "_")
    return name.lower()
