"""Every read of a scanned file goes through here: confined, regular files only, bounded.

xborder reads untrusted pull-request content. A committed symlink may point at `../secrets.env`, at
`/dev/zero` or at a FIFO; a module source or an `include` may name `../../..`. One rule for all of them:

* the resolved path must stay inside the scan's boundary (the repository holding the scan root, or the
  scan root itself when there is no repository): `confined(path)`;
* only regular files are read, checked on the open file descriptor (a FIFO is opened non-blocking and
  refused, `/dev/zero` is refused as a device), and the size is checked by reading at most `limit + 1`
  bytes, not by trusting `st_size` (which is 0 for devices and may change between stat and read);
* the whole scan reads at most `SCAN_BUDGET` bytes, so a tree of many large files stays bounded too;
  with `--jobs`, the count lives in shared memory (`Scope.share`, set up before the workers are forked)
  and every read claims its bytes under a lock, so the bound holds across processes.

A scan reads each file once: several phases need the same file (root detection, the text pre-checks,
parsing, unused-directive search), so the bytes of every file read whole within `read_bytes`' checks are
kept for the rest of the scan (`Scope.store`, bounded by `STORE_BYTES`) under the path as given and the
resolved path. A later read of the same path returns them without touching the file system again; what
was refused is never stored, so a refusal is checked (and reported) afresh each time. `Scope.plain` records
which files held no `xborder` word (no suppression directive): forked workers send it back to the parent
(`parallel`), so the search for unused directives need not read those files again.

A refusal is a `ReadRefused` (an `OSError`, so existing `except OSError` paths report it) whose message
names the reason and never the target's content or absolute location.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xborder import gcpause
from xborder.model import ScanError

MAX_BYTES = 10 * 1024 * 1024  # one input file
SCAN_BUDGET = 256 * 1024 * 1024  # every byte read in one scan
STORE_BYTES = 64 * 1024 * 1024  # bytes kept for later reads of the same file, per process
DIRECTIVE_WORD = b"xborder"  # a file without it holds no suppression directive (`suppress`)


class ReadRefused(OSError):
    """A read xborder will not do; `strerror` says why in words a user understands."""

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(errno.EPERM, reason)
        self.size = size  # for "too large": the file's size as the open file reports it

    def __str__(self) -> str:
        return str(self.strerror)


@dataclass
class Scope:
    """Where one scan may read, and how much it has read so far."""

    boundary: Path | None = None  # resolved; None: no confinement (unit tests calling a parser directly)
    budget: int = SCAN_BUDGET
    used: int = 0
    shared: Any = None  # a multiprocessing.Value holding `used` while forked workers read
    # directories resolved during this scan (path as given -> real path); a scan reads each directory's
    # files several times (root detection, parsing, suppressions), and resolving every component of every
    # path again was a tenth of a cold scan
    real_dirs: dict[str, str] = field(default_factory=dict, repr=False)
    # directory listings of this scan (inputs.terraform.modules); None outside a scan
    listings: dict[str, Any] | None = field(default=None, repr=False)
    # os.listdir of directories in this scan (`list_names`); None outside a scan
    names: dict[str, list[str]] | None = field(default=None, repr=False)
    # os.path.realpath of paths (not strict) in this scan (`real_path`); None outside a scan
    real_paths: dict[str, str] | None = field(default=None, repr=False)
    # bytes of the files read whole in this scan, by path as given and by resolved path; None outside a scan
    store: dict[str, bytes] | None = field(default=None, repr=False)
    stored: int = 0  # bytes in `store`
    # paths as given of files read whole that hold no DIRECTIVE_WORD; None outside a scan
    plain: dict[str, None] | None = field(default=None, repr=False)  # in the order found

    def claim(self, want: int) -> tuple[int, int]:
        """(bytes granted, room before): at most room + 1 of `want`, counted at once (atomically when
        shared), so concurrent readers cannot all pass the same last megabyte."""
        if self.shared is None:
            room = self.budget - self.used
            granted = want if want <= room else room + 1 if room >= 0 else 0  # max(0, min(want, room + 1))
            self.used += granted
            gcpause.read(self.used)  # the collector stays paused while a scan's input is small
            return granted, room
        with self.shared.get_lock():
            room = self.budget - self.shared.value
            granted = max(0, min(want, room + 1))
            self.shared.value += granted
            return granted, room

    def release(self, unused: int) -> None:
        """Give back what a claim did not read (the file was shorter)."""
        if unused <= 0:
            return
        if self.shared is None:
            self.used -= unused
            return
        with self.shared.get_lock():
            self.shared.value -= unused

    @contextlib.contextmanager
    def share(self) -> Iterator[None]:
        """Within the block the count is in shared memory: processes forked inside it read within the
        same budget. Call before forking; the count is copied back at the end."""
        import multiprocessing  # noqa: PLC0415 - only parallel scans need it

        self.shared = multiprocessing.get_context("fork").Value("q", self.used)
        try:
            yield
        finally:
            self.used, self.shared = self.shared.value, None


_SCOPE: contextvars.ContextVar[Scope] = contextvars.ContextVar("xborder_read_scope", default=Scope())


def repository_of(root: Path) -> Path:
    """The repository holding `root` (the nearest directory with `.git`), else `root` itself."""
    root = root.resolve()
    for directory in (root, *root.parents):
        if (directory / ".git").exists():
            return directory
    return root


@contextlib.contextmanager
def scan_scope(root: Path, budget: int = SCAN_BUDGET) -> Iterator[Scope]:
    """Confine every read made inside the block to the repository of `root` (or `root`)."""
    scope = Scope(boundary=repository_of(root), budget=budget, listings={}, names={}, real_paths={}, store={}, plain={})
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current_scope() -> Scope:
    return _SCOPE.get()


def confined(path: Path) -> Path:
    """The resolved path, or ReadRefused when it leaves the boundary (or cannot be resolved)."""
    return Path(_confined(path))


def _confined(path: Path | str) -> str:
    """`confined` as a string (the checks build no `Path`: they run for every file a scan reads)."""
    scope = _SCOPE.get()
    if scope.boundary is not None and os.sep == "/":
        real = _confined_plain(os.fspath(path), scope)
        if real is not None:
            return real
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise ReadRefused("the path is too long") from None
        if exc.errno in (errno.ELOOP, None):
            raise ReadRefused("a symbolic link loop; not read") from None
        raise
    except (RuntimeError, ValueError):  # a loop on some Pythons; a NUL byte in the name
        raise ReadRefused("cannot be resolved (symbolic link loop or invalid name); not read") from None
    boundary = _SCOPE.get().boundary
    if boundary is not None and Path(real) != boundary and boundary not in Path(real).parents:
        raise ReadRefused("leads outside the repository (symbolic link or path); not read")
    return real


def _confined_plain(s: str, scope: Scope) -> str | None:
    """The common case, fast: an absolute path without `.`/`..` whose last component is no symbolic link,
    in a directory resolved earlier in this scan. None: take the full resolution (which also reports)."""
    if not s.startswith("/") or "/./" in s or "/../" in s or "//" in s:
        return None
    parent, _, name = s.rpartition("/")
    if name in ("", ".", ".."):
        return None
    real_parent = scope.real_dirs.get(parent)
    if real_parent is None:
        try:
            real_parent = os.path.realpath(parent or "/", strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if len(scope.real_dirs) < 100_000:
            scope.real_dirs[parent] = real_parent
    real = real_parent.rstrip("/") + "/" + name
    try:
        if stat.S_ISLNK(os.lstat(real).st_mode):
            return None
    except (OSError, ValueError):
        return None
    boundary = str(scope.boundary)
    if real == boundary or boundary == "/" or real.startswith(boundary + "/"):
        return real
    return None


def list_names(directory: Path | str) -> list[str]:
    """`os.listdir(directory)` (OSError as it raises), listed once per scan: module directories are
    listed by root detection, the quick check, loading and every module call to them."""
    return list(_memoised(_SCOPE.get().names, os.fspath(directory), os.listdir))


def seed_names(listings: dict[str, list[str]]) -> None:
    """Listings the scan's walk made (absolute directory -> names, as `os.listdir` gives them), taken as `list_names`
    would make them: root detection and loading list every Terraform directory again otherwise (~1,450 `listdir`
    calls on a corpus of 5,898 files). A directory already listed keeps its listing; within the memo's bound."""
    memo = _SCOPE.get().names
    if memo is None:
        return
    for key, names in listings.items():
        if len(memo) >= 100_000:
            return
        memo.setdefault(key, names)


def real_path(path: Path | str) -> str:
    """`os.path.realpath(path)` (not strict), memoised for the scan: reported paths are made relative to the
    resolved scan root for every module directory and file, many times over."""
    return _memoised(_SCOPE.get().real_paths, os.fspath(path), os.path.realpath)


def _memoised(memo: dict[str, Any] | None, key: str, compute: Callable[[str], Any]) -> Any:
    """`compute(key)`, kept in `memo` (a table of the current scan; None outside a scan) up to 100,000 keys."""
    if memo is None:
        return compute(key)
    hit = memo.get(key)
    if hit is None:
        hit = compute(key)
        if len(memo) < 100_000:
            memo[key] = hit
    return hit


def inside(path: Path) -> bool:
    """Does `path` resolve to something inside the boundary?"""
    try:
        _confined(path)
        return True
    except OSError:
        return False


def is_regular_file(path: Path) -> bool:
    """A regular file inside the boundary (following symlinks only within it)."""
    try:
        return stat.S_ISREG(os.stat(_confined(path)).st_mode)
    except OSError:
        return False


def is_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(_confined(path)).st_mode)
    except OSError:
        return False


def read_bytes(path: Path, limit: int = MAX_BYTES, *, head: bool = False, confine: bool = True) -> bytes:
    """The bytes of a regular file inside the boundary, at most `limit` of them.

    `head=True` returns the first `limit` bytes of a larger file (for sniffing) instead of refusing it.
    `confine=False` is for files the user named on the command line (`--var-file`, `--config`).
    """
    if not confine:
        return _read_open(_open(path, _FLAGS), limit, head)
    store = _SCOPE.get().store
    given = os.fspath(path)
    hit = _stored(store, given, limit, head)
    if hit is not None:
        return hit
    real = _confined(path)
    hit = _stored(store, real, limit, head)
    if hit is not None:
        _keep(given, real, hit)
        return hit
    # the path is already resolved when confined: a swapped-in link is refused
    data = _read_open(_open(real, _FLAGS | _NOFOLLOW), limit, head)
    if store is not None and not head:
        _keep(given, real, data)
    return data


def _stored(store: dict[str, bytes] | None, path: str, limit: int, head: bool) -> bytes | None:
    """What `read_bytes(path, limit, head=head)` gives, when this scan already read the file whole; else None
    (also when it is larger than `limit` and not a head read: the read refuses it again, with its size)."""
    hit = store.get(path) if store is not None else None
    if hit is None or not (head or len(hit) <= limit):
        return None
    return hit[:limit] if head else hit


def stored(path: str) -> bytes | None:
    """The bytes of `path` (as given or resolved) when this scan read the file whole within `read_bytes`' checks,
    else None: the result cache's digests then describe the bytes the scan used, without reading them again."""
    return _stored(_SCOPE.get().store, path, MAX_BYTES, False)


def _keep(given: str, real: str, data: bytes, look: bool = True) -> None:
    """Remember a file read whole (and checked) for later reads of the same path in this scan; with `look`, whether
    it holds DIRECTIVE_WORD too (else `holds_no_directive` looks when asked)."""
    scope = _SCOPE.get()
    store, plain = scope.store, scope.plain
    if store is None or plain is None:
        return
    if given not in store and real not in store:
        if scope.stored + len(data) > STORE_BYTES:
            return
        scope.stored += len(data)
    store[given] = store[real] = data
    if look and data.find(DIRECTIVE_WORD) < 0:  # not `in`: see callers.sources_of
        plain[given] = None


def adopt(read: list[tuple[str, bytes]]) -> None:
    """Keep what a forked worker kept (`parallel`: (path, bytes) of files it read whole within the checks, by
    path as given and resolved, in the order kept), within this process's `STORE_BYTES`; what this process
    holds for a path already stays."""
    scope = _SCOPE.get()
    store = scope.store
    if store is None:
        return
    counted: set[int] = set()  # one file's bytes come under two paths: counted once
    for path, data in read:
        if path in store:
            continue
        if id(data) not in counted:
            if scope.stored + len(data) > STORE_BYTES:
                continue
            scope.stored += len(data)
            counted.add(id(data))
        store[path] = data


def holds_no_directive(path: Path | str) -> bool:
    """Whether this scan has read `path` (as given) whole, within the checks, and found no DIRECTIVE_WORD: from what
    the read found, or looked for now in the bytes kept (a file read without the look, or by a worker)."""
    scope = _SCOPE.get()
    plain, store = scope.plain, scope.store
    if plain is None:
        return False
    key = os.fspath(path)
    if key in plain:
        return True
    data = store.get(key) if store is not None else None
    if data is None or data.find(DIRECTIVE_WORD) >= 0:
        return False
    plain[key] = None
    return True


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_listed(real_dir: str, name: str, limit: int = MAX_BYTES, look: bool = True) -> bytes:
    """`read_bytes` of a file a walk listed, without resolving its path again.

    Only for an entry `os.scandir` reported as no symbolic link, in a directory the caller reached from
    a resolved directory inside the boundary without following links (`real_dir`: its resolved path).
    The open refuses a link swapped in since the listing; the open file must be a regular file, as always.
    `look=False`: the directive word is looked for only if a suppression asks (`holds_no_directive`): the caller
    search reads every Terraform file under the root and suppressions ask about the scanned files only (that
    look was 34 M instructions of a one-file run on the perf corpus, 3.5%).
    """
    if os.sep != "/" or not _NOFOLLOW:
        return read_bytes(Path(real_dir) / name, limit)
    real = f"{real_dir}/{name}"
    store = _SCOPE.get().store
    hit = store.get(real) if store is not None else None  # `_stored(store, real, limit, False)`, inline
    if hit is not None and len(hit) <= limit:
        return hit
    data = _read_open(_open(real, _FLAGS | _NOFOLLOW), limit, False)
    _keep(real, real, data, look)
    return data


def _open(real: str | Path, flags: int) -> int:
    try:
        return os.open(real, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadRefused("a symbolic link appeared while reading; not read") from None
        if exc.errno == errno.ENAMETOOLONG:
            raise ReadRefused("the path is too long") from None
        raise


_S_ISREG, _S_ISDIR = stat.S_ISREG, stat.S_ISDIR
_CHUNK = 1 << 20


def _read_open(fd: int, limit: int, head: bool) -> bytes:
    """The checked, budgeted read of an open file (closed here)."""
    try:
        st = os.fstat(fd)
        if not _S_ISREG(st.st_mode):
            if _S_ISDIR(st.st_mode):
                raise ReadRefused("is a directory")
            raise ReadRefused("not a regular file (a device, FIFO or socket); not read")
        scope = _SCOPE.get()
        # Claim what this file can need, not the whole limit: with workers sharing the budget, a claim of
        # the limit held by one reader made the others' reads fail although room was left. One byte more
        # than the file's size notices a file that grows while it is read. (No `min()` calls here: this runs
        # for every file a scan reads, and the caller search reads every Terraform file under the root.)
        cap = limit if head else limit + 1
        if st.st_size < cap:
            cap = st.st_size + 1
        want, room = scope.claim(cap)
        if room <= 0:
            scope.release(want)
            raise ReadRefused(f"the scan's input budget ({scope.budget // (1024 * 1024)} MB) is used up; not read")
        chunks: list[bytes] = []
        got = 0
        try:
            while got < want:
                chunk = os.read(fd, want - got if want - got < _CHUNK else _CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        finally:
            if got < want:
                scope.release(want - got)
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)
    if not head and len(data) == cap <= limit:  # more than its size: the file grew while it was read
        raise ReadRefused("the file changed while it was read; not read")
    if len(data) > room:  # the file goes on past what the budget allows: refused, never returned cut short
        raise ReadRefused(f"the scan's input budget ({scope.budget // (1024 * 1024)} MB) is used up; not read")
    if len(data) > limit:
        if head:
            return data[:limit]
        raise ReadRefused(f"larger than the {_mb(limit)} limit; skipped", size=max(st.st_size, len(data)))
    return data


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n} bytes"


# Byte-order marks, UTF-32 first (its little-endian mark starts with UTF-16's). Windows PowerShell 5.1 writes
# `terraform show -json plan > plan.json` and `ssh router "show run" > r.cfg` as UTF-16 with a mark: such a
# file is text, never "binary" and never skipped.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_encoding(data: bytes) -> str | None:
    """The UTF-16/32 encoding a byte-order mark at the start of `data` names (it decodes the mark away), or None
    (UTF-8, with or without its mark, is each caller's own default)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_text(data: bytes, *, head: bool = False) -> str:
    """UTF-8 text (a UTF-8 mark stays, as U+FEFF), or UTF-16/32 when a byte-order mark says so; else
    UnicodeDecodeError. `head`: `data` is the start of a longer file, so a cut character is replaced."""
    encoding = wide_encoding(data) or "utf-8"
    return data.decode(encoding, errors="replace" if head else "strict")


def read_unit_text(ctx: Any, name: str, what: str, limit: int = MAX_BYTES) -> str | ScanError:
    """The text of `name` (relative to the scan root), or a ScanError saying why it cannot be read."""
    try:
        return decode_text(read_bytes(ctx.abs(name), limit))
    except UnicodeDecodeError as e:
        return ScanError(name, 1, f"{what} is not UTF-8 text: {e.reason}")
    except OSError as e:
        return ScanError(name, 1, f"cannot read the file: {e.strerror or e}")
