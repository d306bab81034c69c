"""Who calls a named module directory: the pre-commit case, where one changed file of a shared module is
judged with its callers' inputs and providers.

Every Terraform file under the scan root is read once, as raw bytes, and each directory is told apart
without parsing it:

- it cannot call any module: no `module` word and no `\\u`/`\\U` escape in any of its files;
- it may call only the local directories its plain `source` strings name: every word `source` in its
  files is a `source = "..."` (or JSON `"source": "..."`) whose value is a plain ASCII string (no escape,
  no `${`/`%{`, nothing after it on the line but a comment or `}`); a string naming a `./`/`../` path
  gives a possible target, resolved like the module loader resolves it;
- anything else is "not sure" (an escape, a computed source such as `"./v${"pn"}"` or
  `base64decode(...)`, a comment between `source` and `=`, non-ASCII text, which HCL normalises).

Directories that are not sure, or whose possible targets include a directory being looked for, are then
confirmed by parsing their module calls (`plugin._local_module_targets`), so only that parse decides.
A "cannot" must be certain; every doubt costs a parse, never a missed caller.
"""

from __future__ import annotations

import marshal
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from xborder import lazy
from xborder.context import SKIP_DIRS
from xborder.digest import sha256
from xborder.inputs import reading
from xborder.inputs.terraform.paths import is_local_source
from xborder.inputs.terraform.precheck import may_declare_module  # here, not in sources_of: an import statement
# run for each file costs the import machinery (and, for a module, a formatted AttributeError for its `__path__`)

if TYPE_CHECKING:
    from xborder.context import ScanContext

# `source = "value"` as a whole HCL argument (a comment or `}` may follow), or a JSON `"source": "value"`
_HCL_SOURCE = lazy.regex(rb'source[ \t]*=[ \t]*"([^"\\$%\n]*)"[ \t]*(?=\r?\n|#|//|\}|\Z)')
_JSON_SOURCE = lazy.regex(rb'"source"[ \t\r\n]*:[ \t\r\n]*"([^"\\$%\n]*)"')
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOT_AN_ARGUMENT_BEFORE = frozenset(b"-.:")
# A line that starts as a comment is a comment (or heredoc or `/* */` text); one that starts as another
# argument (`description = "... source ..."`) holds no second one: HCL puts one argument on a line.
_NO_ARGUMENT_LINE = lazy.regex(rb"[ \t]*(?:#|//|(?!source\b)[A-Za-z_][\w-]*[ \t]*=(?!=))")


@dataclass(frozen=True)
class DirSources:
    """What a directory's text says about the local modules it may call."""

    unsure: bool  # only a parse can tell
    literals: tuple[str, ...]  # the plain source strings naming a local path (when not unsure)


_UNSURE = DirSources(True, ())
_CONFIG_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")  # syntax.CONFIG_SUFFIXES (a test keeps them equal)


def sources_of(files: list[tuple[str, bytes]]) -> DirSources | None:
    """The local sources a directory's files (name, bytes) may call (None: certainly no module call).

    Only a file that may hold a `module` block with a `source` can hold a module call's source (an
    override file too: it overrides a module block with one of its own), so the other files are not
    looked at (a call without a source calls nothing)."""
    literals: set[str] = set()
    calls = False
    # `find`, not `in`: `bytes in bytes` first tries its operand as an integer and formats a TypeError each time
    # (about 1,800 instructions; this runs for every Terraform file under the root)
    for name, data in files:
        if data.find(b"\\") >= 0 and (data.find(b"\\u") >= 0 or data.find(b"\\U") >= 0):  # one byte first: a memchr
            return _UNSURE
        if (data.find(b"source") < 0 or data.find(b"module") < 0
                or not may_declare_module(data, json=name.endswith(".json"))):
            continue
        calls = True
        skip_to = 0  # the end of the last explained argument: a `source` inside its string is no argument
        n = len(data)
        i = data.find(b"source")
        while i >= 0:
            end = i + 6
            before = data[i - 1] if i else 0x20
            after = data[end] if end < n else 0x20
            if before in _WORD or after in _WORD or i < skip_to:
                pass  # part of a longer word, or inside an explained argument's string
            elif before in _NOT_AN_ARGUMENT_BEFORE or after == 0x2D:
                pass  # `data-source`, `x.source`, `a ? b :source`, `source-x`: never an argument `source`
            elif _NO_ARGUMENT_LINE.match(data, data.rfind(b"\n", 0, i) + 1, i):
                pass  # on a line that starts as a comment or as another argument: never an argument
            else:
                m = _JSON_SOURCE.match(data, i - 1) if before == 0x22 else None
                if m is None:
                    m = _HCL_SOURCE.match(data, i)
                if m is None:
                    return _UNSURE
                raw = m.group(1)
                if not raw.isascii():
                    return _UNSURE  # HCL normalises non-ASCII strings (NFC): let the parser say
                value = raw.decode("ascii")
                if is_local_source(value):
                    literals.add(value)
                skip_to = m.end()
            i = data.find(b"source", end)
    return DirSources(False, tuple(sorted(literals))) if calls else None


def dir_sources(root: Path, index: CallerIndex | None = None) -> dict[str, DirSources]:
    """`sources_of` for every directory below `root` holding .tf/.tf.json files that may call a module
    (relative POSIX path, "" for the root). Directories are walked without following links, in the
    order `os.walk` takes; files are read confined, like every read of a scan. With an `index` (cache
    on), a directory's listing and a file's verdict are taken from it while their metadata is unchanged."""
    from xborder.inputs.terraform.syntax import MAX_FILE_SIZE

    out: dict[str, DirSources] = {}
    top = os.fspath(root)
    try:
        real_top = os.fspath(reading.confined(root))
    except OSError:
        return out
    stack = [""]
    while stack:
        rel = stack.pop()
        path = top if not rel else f"{top}/{rel}"
        real = real_top if not rel else f"{real_top}/{rel}"
        if index is None:
            listed = _list(path)
        else:
            st = index.stat(real)  # before listing: a change during or after it moves the signature
            listed = index.listing(real, st)
            if listed is None:
                listed = _list(path)
                if listed is not None:
                    index.keep_listing(real, st, listed)
        if listed is None:
            continue
        names, subdirs = listed
        unsure = calls = False
        literals: set[str] = set()
        for name, is_link in names:
            if is_link:
                found = _verdict(name, lambda: reading.read_bytes(Path(path) / name, MAX_FILE_SIZE))
            elif index is not None:
                found = index.verdict(f"{real}/{name}", name, lambda: reading.read_listed(real, name, MAX_FILE_SIZE, False))
            else:
                found = _verdict(name, lambda: reading.read_listed(real, name, MAX_FILE_SIZE, False))
            if found is _UNREAD or found is None:
                continue  # unread: the unit's own load reports it
            if found.unsure:
                unsure = True
                break
            calls = True
            literals.update(found.literals)
        if unsure:
            out[rel] = _UNSURE
        elif calls:
            out[rel] = DirSources(False, tuple(sorted(literals)))
        stack.extend(f"{rel}/{n}" if rel else n for n in reversed(subdirs))
    if index is not None:
        index.save()
    return out


_UNREAD = DirSources(True, ("<unread>",))  # a file that could not be read (never kept)


def _verdict(name: str, read: Callable[[], bytes]) -> DirSources | None:
    """`sources_of` of one file (`_UNREAD` when it cannot be read). A directory's answer is its files'
    answers together: unsure when one is, else the union of their literals (`sources_of` reads them so)."""
    try:
        data = read()
    except OSError:
        return _UNREAD
    return sources_of([(name, data)])


def _list(path: str) -> tuple[tuple[tuple[str, bool], ...], tuple[str, ...]] | None:
    """(the Terraform files as (name, is a symbolic link), the subdirectories to walk), both by name; None
    when the directory cannot be listed. One pass, C calls only for the common entry (no sort of every
    entry: a large non-Terraform tree, say a checked-in virtualenv, is most of a walk)."""
    names: list[tuple[str, bool]] = []
    subdirs: list[str] = []
    try:
        with os.scandir(path) as it:
            for e in it:
                name = e.name
                if name.endswith(_CONFIG_SUFFIXES):
                    try:
                        is_dir = e.is_dir()  # a link to a directory is a directory: not read, not walked
                    except OSError:
                        is_dir = False
                    try:
                        is_link = e.is_symlink()
                    except OSError:
                        continue  # cannot be told apart: the unit's own load reports the file
                    if not is_dir:
                        names.append((name, is_link))
                        continue
                    if is_link:
                        continue
                else:
                    try:
                        if not e.is_dir(follow_symlinks=False):
                            continue  # a file, or a link (to a directory too: links are not walked)
                    except OSError:
                        continue
                if name not in SKIP_DIRS:
                    subdirs.append(name)
    except OSError:
        return None
    return tuple(sorted(names)), tuple(sorted(subdirs))


class CallerIndex:
    """What the caller search saw under one scan root, remembered by metadata signature (cache on only).

    A pre-commit run names one changed file, and the search for its callers read every Terraform file
    under the root (13.6 MB on a 6,000-file tree) and listed every directory. Here each directory's
    listing (its Terraform files and subdirectories) is kept under the directory's signature, and each
    file's verdict (`sources_of` of that file alone) under the file's: while they are unchanged, the next
    run takes a `stat` instead of a listing or a read. The rule is the whole-scan cache's (`scancache`):
    only a signature older than `RACY_NS` is kept, taken before the listing or read, so a change during
    or after it is seen. The index is keyed by the result cache's scan key (xborder's code, policy data,
    options) and kept in one marshal file per root; at most `KEEP` roots' files are kept.
    """

    KEEP = 32
    FORMAT = "1"

    def __init__(self, cache_dir: Path, scan_key: str, root: str) -> None:
        from xborder.cachedir import read_marshal
        from xborder.scancache import now_ns

        self.folder = os.path.join(os.fspath(cache_dir), "callers")
        self.path = os.path.join(self.folder, sha256(root.encode("utf-8", "surrogateescape"))[:32] + ".marshal")
        self.key = (self.FORMAT, scan_key, root)
        data = read_marshal(self.path)
        ok = isinstance(data, tuple) and len(data) == 3 and data[0] == self.key
        self.old_dirs: dict[str, Any] = data[1] if ok and isinstance(data[1], dict) else {}
        self.old_files: dict[str, Any] = data[2] if ok and isinstance(data[2], dict) else {}
        self.dirs: dict[str, Any] = {}
        self.files: dict[str, Any] = {}
        self.trusted_before = now_ns() - _racy_ns()

    @staticmethod
    def stat(path: str) -> os.stat_result | None:
        try:
            return os.lstat(path)
        except OSError:
            return None

    def _sig(self, st: os.stat_result | None) -> tuple[int, ...] | None:
        """The signature to keep, None when the entry changed too recently to be trusted later."""
        if st is None or max(st.st_mtime_ns, st.st_ctime_ns) >= self.trusted_before:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, st.st_mode)

    def listing(self, real: str, st: os.stat_result | None) -> Any:
        """The kept listing of directory `real` when its signature (`st`) is the kept one, else None."""
        kept = self.old_dirs.get(real)
        if kept is None:
            return None
        sig = self._sig(st)
        if sig is None or kept[0] != sig:
            return None
        self.dirs[real] = kept
        return kept[1], kept[2]

    def keep_listing(self, real: str, st: os.stat_result | None, listed: tuple[Any, Any]) -> None:
        sig = self._sig(st)
        if sig is not None and stat_is_dir(st):
            self.dirs[real] = (sig, *listed)

    def verdict(self, real: str, name: str, read: Callable[[], bytes]) -> DirSources | None:
        st = self.stat(real)  # before the read: a write after it moves the signature
        sig = self._sig(st)
        kept = self.old_files.get(real)
        if sig is not None and kept is not None and kept[0] == sig:
            self.files[real] = kept
            return None if kept[1] is None else DirSources(kept[1], tuple(kept[2]))
        found = _verdict(name, read)
        if found is _UNREAD:
            return found
        if sig is not None:
            self.files[real] = (sig, None, ()) if found is None else (sig, found.unsure, found.literals)
        return found

    def save(self) -> None:
        if self.dirs == self.old_dirs and self.files == self.old_files:
            return
        from xborder.cache import code_unchanged
        from xborder.cachedir import write_atomic

        if not code_unchanged():
            return  # verdicts of code the key does not describe (a module file replaced since the key was made)

        try:
            data = marshal.dumps((self.key, self.dirs, self.files))
        except ValueError:  # a name marshal cannot hold: nothing kept
            return
        if write_atomic(self.path, data, prefix=".tmp-callers-"):
            self._bound()

    def _bound(self) -> None:
        """At most `KEEP` roots' files: the oldest others are removed."""
        try:
            with os.scandir(self.folder) as it:
                kept = [(e.stat().st_mtime_ns, e.path) for e in it if e.name.endswith(".marshal")]
        except OSError:
            return
        for _mtime, path in sorted(kept, reverse=True)[self.KEEP :]:
            try:
                os.unlink(path)
            except OSError:
                pass


def stat_is_dir(st: os.stat_result | None) -> bool:
    import stat as stat_mod

    return st is not None and stat_mod.S_ISDIR(st.st_mode)


def _racy_ns() -> int:
    from xborder.scancache import RACY_NS

    return RACY_NS


def callers_of(targets: set[str], ctx: ScanContext, calls_of: Callable[[str], set[str]]) -> set[str]:
    """Directories under the scan root that call any of `targets` as a local module, transitively.

    `calls_of(d)`: the directories `d` calls with a local source, from its parsed module blocks (the
    judge); the text only chooses which directories are worth asking.
    """
    root = Path(ctx.root)
    index = None
    cache = ctx.cache.get("xborder:result-cache")
    if cache is not None:
        try:
            index = CallerIndex(cache.dir, cache.scan_key, os.fspath(reading.confined(root)))
        except OSError:
            index = None
    sources = dir_sources(root, index)
    top = os.path.normpath(root)
    ids: dict[str, tuple[int, int] | None] = {}

    def identity(path: str) -> tuple[int, int] | None:
        if path not in ids:
            try:
                st = os.stat(path)
                ids[path] = (st.st_dev, st.st_ino)
            except (OSError, ValueError):
                ids[path] = None
        return ids[path]

    asked: dict[str, set[str]] = {}
    found: set[str] = set()
    frontier = set(targets)
    while frontier:
        wanted = {identity(os.path.join(top, t) if t else top) for t in frontier} - {None}
        new = set()
        for d, info in sources.items():
            if d in found or d in targets:
                continue
            if not info.unsure and not _may_reach(top, d, info.literals, frontier, wanted, identity):
                continue
            if d not in asked:
                asked[d] = calls_of(d)
            if asked[d] & frontier:
                new.add(d)
        found |= new
        frontier = new
    return found


def _may_reach(top: str, d: str, literals: tuple[str, ...], frontier: set[str], wanted: set[tuple[int, int] | None],
               identity: Callable[[str], tuple[int, int] | None]) -> bool:
    """Whether one of `d`'s local sources may name a frontier directory: by its text, or (through a
    symbolic link, which the loader resolves) by being the same directory on disk."""
    base = os.path.join(top, d) if d else top
    for value in literals:
        target = os.path.normpath(os.path.join(base, value))
        if target == top:
            rel = ""
        elif target.startswith(top + os.sep):
            rel = target[len(top) + 1 :].replace(os.sep, "/")
        else:
            rel = None
        if rel is not None and rel != d and rel in frontier:
            return True
        if wanted and identity(target) in wanted:
            return True
    return False
