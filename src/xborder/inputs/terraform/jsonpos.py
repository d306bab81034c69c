"""A small JSON reader that keeps line/column positions.

Python's `json` module forgets where values were; `.tf.json` resources need block and attribute
locations, and duplicate keys must survive (Terraform allows repeated block types), so objects are
kept as ordered lists of (key, node) pairs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable

from xborder import lazy

MAX_DEPTH = 200
# levels of containers left unread from `parse_json(lazy=N)`'s depth N on: each one is scanned by `json` when met
# and read again when used, so unbounded levels would scan a deep document once per level (a 1.1 MB value nested
# 90 deep, read whole: 7.7 s instead of 1.1 s); below them, a used container's members are read at once
LAZY_LEVELS = 2

_NUMBER = lazy.regex(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_WS = lazy.regex(r"[ \t\n\r]*")
json = lazy.module("json")  # its error class, when a string is invalid: a `.tf` run never imports it
# The string scanner `json` itself uses, its C accelerator taken without importing `json` (which compiles five
# patterns); typeshed does not declare either.
_scanstring: Callable[[str, int, bool], tuple[str, int]]
try:
    from _json import scanstring as _scanstring  # type: ignore[no-redef]
except ImportError:  # an interpreter without it: json's pure-Python scanner
    _scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


class JsonSyntaxError(ValueError):
    """Invalid JSON, with the 1-based line where it was noticed."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(eq=False)
class JNode:
    """One JSON value: kind is object/array/string/number/bool/null."""

    kind: str
    # object: list[(key, JNode)]; array: list[JNode]; scalars: Python value; "plain": Python data (`parse_json`)
    value: Any
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0
    key_line: int = 0  # line of the key when this node is an object member
    key_col: int = 0

    def get(self, key: str) -> JNode | None:
        """The last member named `key` of an object node."""
        if self.kind != "object":
            return None
        for k, v in reversed(self.value):
            if k == key:
                return v
        return None

    def plain(self) -> Any:
        """The value as ordinary Python data (last duplicate key wins)."""
        if self.kind == "object":
            return {k: v.plain() for k, v in self.value}
        if self.kind == "array":
            return [v.plain() for v in self.value]
        return self.value


class _LazyNode(JNode):
    """An object or array whose members are read on first use (`parse_json(lazy=...)`): its span is known (found by
    `json`'s C scanner, which also checked that this reader reads it without error), its members are read node by
    node only when asked for, and `plain()` before that reads it in one C call. So a `.tf.json` of 50,000 resources
    whose attribute values nobody evaluates is not built node by node inside them."""

    def __init__(self, kind: str, reader: _Reader, start: int, depth: int, line: int, col: int) -> None:
        self.kind, self.line, self.col = kind, line, col
        self.end_line = self.end_col = self.key_line = self.key_col = 0
        self._from: tuple[_Reader, int, int] | None = (reader, start, depth)
        self._members: Any = None

    @property  # type: ignore[override]
    def value(self) -> Any:
        if self._from is not None:
            reader, start, depth = self._from
            self._members = reader.at(start, self.line, self.col).value(depth, now=True).value
            self._from = None
        return self._members

    @value.setter
    def value(self, members: Any) -> None:
        self._members, self._from = members, None

    def plain(self) -> Any:
        if self._from is None:
            return super().plain()
        reader, start, _ = self._from
        return _scan_once()(reader.s, start)[0]

    def __reduce__(self) -> Any:
        """Pickled (a cache entry, a worker's result) as the node it stands for."""
        return (JNode, (self.kind, self.value, self.line, self.col, self.end_line, self.end_col, self.key_line, self.key_col))


class _NotPlain(Exception):
    """A member meant to be read plain that `json` does not read as `_Reader` would: the whole text is read again
    by `_Reader` alone, which gives the tree or the exact error."""


def _number(text: str, whole: bool) -> Any:
    """A JSON number as `_Reader` gives it: an integral float below 2**53 as an int, an integer too long for
    Python's conversion (4300 digits) as a float."""
    try:
        num: Any = int(text) if whole else float(text)
    except ValueError:
        num = float(text)
    if isinstance(num, float) and num.is_integer() and abs(num) < 2**53:
        num = int(num)
    return -0.0 if num == 0 and text.startswith("-") else num  # -0 keeps its sign, as cty's big.Float does


def _refuse(name: str) -> Any:
    raise _NotPlain(name)  # NaN, Infinity: not JSON


@functools.lru_cache(maxsize=1)
def _scan_once() -> Callable[[str, int], tuple[Any, int]]:
    """The C scanner of `json` (the pure-Python one without it), converting numbers as `_Reader` does."""
    decoder = json.JSONDecoder(parse_float=lambda t: _number(t, False), parse_int=lambda t: _number(t, True),
                               parse_constant=_refuse, strict=True)
    return decoder.scan_once  # type: ignore[no-any-return]


def _within_depth(value: Any, depth: int) -> bool:
    """Whether no value inside `value` (itself at `depth`) is nested deeper than MAX_DEPTH, as `_Reader` requires."""
    todo: list[tuple[Any, int]] = [(value, depth)]
    while todo:
        node, d = todo.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children:
            if d + 1 > MAX_DEPTH:
                return False
            todo.extend((c, d + 1) for c in children if isinstance(c, (dict, list)))
    return True


class _Reader:
    """Reads values by offset; a node's line and column are counted from the last position asked for (`_where`),
    once per node rather than at every step, and a `_LazyNode`'s members from the node's own position."""

    def __init__(self, text: str, plain: frozenset[str] = frozenset(), lazy: int = 0) -> None:
        self.s = text
        self.i = 0
        self.plain = plain
        self.lazy = lazy  # containers at depths lazy .. lazy + LAZY_LEVELS - 1 are `_LazyNode`s where `_readable` (0: none)
        self.last = (0, 1, 0)  # the last offset asked for, its line, and where that line starts

    def at(self, start: int, line: int, col: int) -> _Reader:
        """A reader of the same text from offset `start`, at `line` and `col` (a `_LazyNode`'s members)."""
        other = _Reader(self.s, lazy=self.lazy)
        other.i, other.last = start, (start, line, start - col + 1)
        return other

    def _where(self, i: int) -> tuple[int, int]:
        """1-based line and column of offset `i` (at or after the last one asked for: the reader moves forward)."""
        at, line, start = self.last if i >= self.last[0] else (0, 1, 0)
        s = self.s
        n = s.count("\n", at, i)
        if n:
            line += n
            start = s.rindex("\n", at, i) + 1
        self.last = (i, line, start)
        return line, i - start + 1

    def _ws(self) -> None:
        s, i = self.s, self.i
        if i < len(s) and s[i] in " \t\n\r":
            m = _WS.match(s, i)
            assert m is not None  # the pattern matches the empty string
            self.i = m.end()

    def _err(self, msg: str) -> JsonSyntaxError:
        return JsonSyntaxError(f"invalid JSON: {msg}", self._where(self.i)[0])

    def value(self, depth: int = 0, now: bool = False) -> JNode:
        """The value at the offset; `now`: read its members now even where they could be read later."""
        if depth > MAX_DEPTH:
            raise self._err(f"nested deeper than {MAX_DEPTH} levels")
        self._ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise self._err("unexpected end of input")
        line, col = self._where(i)
        c = s[i]
        end = (self._readable(i, depth)
               if self.lazy and self.lazy <= depth < self.lazy + LAZY_LEVELS and not now and c in "{[" else 0)
        if end:
            node = _LazyNode("object" if c == "{" else "array", self, i, depth, line, col)
            self.i = end
        elif c == "{":
            node = JNode("object", [], line, col)
            self.i = i + 1
            self._ws()
            if s[self.i : self.i + 1] == "}":
                self.i += 1
            else:
                members = node.value
                while True:
                    self._ws()
                    if s[self.i : self.i + 1] != '"':
                        raise self._err("expected a string key")
                    kl, kc = self._where(self.i)
                    key = self._string()
                    self._ws()
                    if s[self.i : self.i + 1] != ":":
                        raise self._err("expected ':' after key")
                    self.i += 1
                    v = self._plain(depth + 1) if depth == 0 and key in self.plain else self.value(depth + 1)
                    v.key_line, v.key_col = kl, kc
                    members.append((key, v))
                    self._ws()
                    c2 = s[self.i : self.i + 1]
                    self.i += 1
                    if c2 == "}":
                        break
                    if c2 != ",":
                        raise self._err("expected ',' or '}' in object")
        elif c == "[":
            node = JNode("array", [], line, col)
            self.i = i + 1
            self._ws()
            if s[self.i : self.i + 1] == "]":
                self.i += 1
            else:
                items = node.value
                while True:
                    items.append(self.value(depth + 1))
                    self._ws()
                    c2 = s[self.i : self.i + 1]
                    self.i += 1
                    if c2 == "]":
                        break
                    if c2 != ",":
                        raise self._err("expected ',' or ']' in array")
        elif c == '"':
            node = JNode("string", self._string(), line, col)
        elif s.startswith("true", i):
            node = JNode("bool", True, line, col)
            self.i = i + 4
        elif s.startswith("false", i):
            node = JNode("bool", False, line, col)
            self.i = i + 5
        elif s.startswith("null", i):
            node = JNode("null", None, line, col)
            self.i = i + 4
        else:
            m = _NUMBER.match(s, i)
            if not m or m.end() == i:
                raise self._err(f"unexpected character {c!r}")
            txt = m.group(0)
            try:
                num: Any = float(txt) if (m.group(1) or m.group(2)) else int(txt)
            except ValueError:  # more digits than Python converts (4300): keep the magnitude
                num = float(txt)
            if isinstance(num, float) and num.is_integer() and abs(num) < 2**53:
                num = int(num)
            if num == 0 and txt.startswith("-"):
                num = -0.0  # (-0 keeps its sign, as cty's big.Float does)
            node = JNode("number", num, line, col)
            self.i = m.end()
        node.end_line, node.end_col = self._where(self.i)
        return node

    def _readable(self, i: int, depth: int) -> int:
        """The end of the value at `i` when `json` reads it as this reader would (no error, NaN or nesting past
        MAX_DEPTH), so its members can be read later; else 0 (read now: the error, if any, is this reader's)."""
        try:
            value, end = _scan_once()(self.s, i)
        except (StopIteration, ValueError, RecursionError, _NotPlain):
            return 0
        return end if _within_depth(value, depth) else 0

    def _plain(self, depth: int) -> JNode:
        """A value read by `json` in one call, as plain Python data (dicts keep the last of a key given twice, as
        `JNode.plain` does) in a node of kind "plain" with the value's own span and no positions inside."""
        self._ws()
        line, col = self._where(self.i)
        try:
            value, end = _scan_once()(self.s, self.i)
        except (StopIteration, ValueError, RecursionError, _NotPlain):
            raise _NotPlain from None
        if not _within_depth(value, depth):
            raise _NotPlain
        self.i = end
        return JNode("plain", value, line, col, *self._where(end))

    def _string(self) -> str:
        try:
            val, end = _scanstring(self.s, self.i + 1, True)
        except json.JSONDecodeError as e:
            raise self._err(e.msg) from None
        self.i = end
        return val


def parse_json(text: str, plain: frozenset[str] = frozenset(), lazy: int = 0) -> JNode:
    """Parse one JSON document; raises JsonSyntaxError with a line number.

    `plain`: members of the top-level object whose positions no caller reads (a CloudFormation template's Rules):
    their values are read by `json`'s C scanner into plain Python data, tens of times faster than this reader
    builds nodes (a 2.4 MB template of 30,000 rule assertions took seconds). A value `json` would read otherwise
    than this reader (NaN, nesting past MAX_DEPTH, an invalid document) makes the whole text be read node by node,
    so the tree or the error is the same.

    `lazy`: objects and arrays nested this deep, and `LAZY_LEVELS - 1` levels below, are read on first use
    (`_LazyNode`), with the same nodes and positions, when `json` reads them as this reader would (else they are read now, which gives the exact
    error and its line)."""
    if plain or lazy:
        try:
            return _parse(text, plain, lazy)
        except _NotPlain:
            pass
    return _parse(text, frozenset())


def _parse(text: str, plain: frozenset[str], lazy: int = 0) -> JNode:
    r = _Reader(text, plain, lazy)
    node = r.value()
    r._ws()
    if r.i != len(r.s):
        raise r._err("extra data after the JSON value")
    return node
