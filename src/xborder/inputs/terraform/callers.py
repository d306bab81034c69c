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

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from xborder.context import SKIP_DIRS
from xborder.inputs import reading

if TYPE_CHECKING:
    from xborder.context import ScanContext

# `source = "value"` as a whole HCL argument (a comment or `}` may follow), or a JSON `"source": "value"`
_HCL_SOURCE = re.compile(rb'source[ \t]*=[ \t]*"([^"\\$%\n]*)"[ \t]*(?=\r?\n|#|//|\}|\Z)')
_JSON_SOURCE = re.compile(rb'"source"[ \t\r\n]*:[ \t\r\n]*"([^"\\$%\n]*)"')
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NOT_AN_ARGUMENT_BEFORE = frozenset(b"-.:")
# A line that starts as a comment is a comment (or heredoc or `/* */` text); one that starts as another
# argument (`description = "... source ..."`) holds no second one: HCL puts one argument on a line.
_NO_ARGUMENT_LINE = re.compile(rb"[ \t]*(?:#|//|(?!source\b)[A-Za-z_][\w-]*[ \t]*=(?!=))")


@dataclass(frozen=True)
class DirSources:
    """What a directory's text says about the local modules it may call."""

    unsure: bool  # only a parse can tell
    literals: tuple[str, ...]  # the plain source strings naming a local path (when not unsure)


_UNSURE = DirSources(True, ())


def sources_of(files: list[tuple[str, bytes]]) -> DirSources | None:
    """The local sources a directory's files (name, bytes) may call (None: certainly no module call).

    Only a file that may hold a `module` block with a `source` can hold a module call's source (an
    override file too: it overrides a module block with one of its own), so the other files are not
    looked at (a call without a source calls nothing)."""
    from xborder.inputs.terraform.precheck import may_declare_module

    literals: set[str] = set()
    calls = False
    for name, data in files:
        if b"\\" in data and (b"\\u" in data or b"\\U" in data):  # one byte first: `in` is a memchr then
            return _UNSURE
        if b"source" not in data or b"module" not in data or not may_declare_module(data, json=name.endswith(".json")):
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
                if value.startswith(("./", "../")) or value in (".", ".."):
                    literals.add(value)
                skip_to = m.end()
            i = data.find(b"source", end)
    return DirSources(False, tuple(sorted(literals))) if calls else None


def dir_sources(root: Path) -> dict[str, DirSources]:
    """`sources_of` for every directory below `root` holding .tf/.tf.json files that may call a module
    (relative POSIX path, "" for the root). Directories are walked without following links, in the
    order `os.walk` takes; files are read confined, like every read of a scan."""
    from xborder.inputs.terraform.syntax import CONFIG_SUFFIXES, MAX_FILE_SIZE

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
        names: list[tuple[str, bool]] = []  # Terraform files: (name, is a symbolic link)
        subdirs: list[str] = []
        try:
            with os.scandir(path) as it:
                for e in it:  # one pass, C calls only for the common entry (no sort of every entry: a
                    name = e.name  # large non-Terraform tree, say a checked-in virtualenv, is most of a walk)
                    if name.endswith(CONFIG_SUFFIXES):
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
            continue
        names.sort()
        subdirs.sort()
        files: list[tuple[str, bytes]] = []
        for name, is_link in names:
            try:
                if is_link:
                    files.append((name, reading.read_bytes(Path(path) / name, MAX_FILE_SIZE)))
                else:
                    files.append((name, reading.read_listed(real, name, MAX_FILE_SIZE)))
            except OSError:
                continue  # the unit's own load reports it
        if files:
            found = sources_of(files)
            if found is not None:
                out[rel] = found
        stack.extend(f"{rel}/{n}" if rel else n for n in reversed(subdirs))
    return out


def callers_of(targets: set[str], ctx: ScanContext, calls_of: Callable[[str], set[str]]) -> set[str]:
    """Directories under the scan root that call any of `targets` as a local module, transitively.

    `calls_of(d)`: the directories `d` calls with a local source, from its parsed module blocks (the
    judge); the text only chooses which directories are worth asking.
    """
    root = Path(ctx.root)
    sources = dir_sources(root)
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
