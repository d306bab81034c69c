"""A small JSON reader that keeps line/column positions.

Python's `json` module forgets where values were; `.tf.json` resources need block and attribute
locations, and duplicate keys must survive (Terraform allows repeated block types), so objects are
kept as ordered lists of (key, node) pairs.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

from xborder import lazy

MAX_DEPTH = 200

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
    return num


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
    def __init__(self, text: str, plain: frozenset[str] = frozenset()) -> None:
        self.s = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.plain = plain

    def _advance_to(self, j: int) -> None:
        s = self.s
        n = s.count("\n", self.i, j)
        if n:
            self.line += n
            self.line_start = s.rindex("\n", self.i, j) + 1
        self.i = j

    def _ws(self) -> None:
        m = _WS.match(self.s, self.i)
        assert m is not None  # the pattern matches the empty string
        self._advance_to(m.end())

    def _err(self, msg: str) -> JsonSyntaxError:
        return JsonSyntaxError(f"invalid JSON: {msg}", self.line)

    def value(self, depth: int = 0) -> JNode:
        if depth > MAX_DEPTH:
            raise self._err(f"nested deeper than {MAX_DEPTH} levels")
        self._ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise self._err("unexpected end of input")
        line, col = self.line, i - self.line_start + 1
        c = s[i]
        if c == "{":
            node = JNode("object", [], line, col)
            self._advance_to(i + 1)
            self._ws()
            if self.s[self.i : self.i + 1] == "}":
                self._advance_to(self.i + 1)
            else:
                while True:
                    self._ws()
                    if self.s[self.i : self.i + 1] != '"':
                        raise self._err("expected a string key")
                    kl, kc = self.line, self.i - self.line_start + 1
                    key = self._string()
                    self._ws()
                    if self.s[self.i : self.i + 1] != ":":
                        raise self._err("expected ':' after key")
                    self._advance_to(self.i + 1)
                    v = self._plain(depth + 1) if depth == 0 and key in self.plain else self.value(depth + 1)
                    v.key_line, v.key_col = kl, kc
                    node.value.append((key, v))
                    self._ws()
                    c2 = self.s[self.i : self.i + 1]
                    self._advance_to(self.i + 1)
                    if c2 == "}":
                        break
                    if c2 != ",":
                        raise self._err("expected ',' or '}' in object")
        elif c == "[":
            node = JNode("array", [], line, col)
            self._advance_to(i + 1)
            self._ws()
            if self.s[self.i : self.i + 1] == "]":
                self._advance_to(self.i + 1)
            else:
                while True:
                    node.value.append(self.value(depth + 1))
                    self._ws()
                    c2 = self.s[self.i : self.i + 1]
                    self._advance_to(self.i + 1)
                    if c2 == "]":
                        break
                    if c2 != ",":
                        raise self._err("expected ',' or ']' in array")
        elif c == '"':
            node = JNode("string", self._string(), line, col)
        elif s.startswith("true", i):
            node = JNode("bool", True, line, col)
            self._advance_to(i + 4)
        elif s.startswith("false", i):
            node = JNode("bool", False, line, col)
            self._advance_to(i + 5)
        elif s.startswith("null", i):
            node = JNode("null", None, line, col)
            self._advance_to(i + 4)
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
            node = JNode("number", num, line, col)
            self._advance_to(m.end())
        node.end_line, node.end_col = self.line, self.i - self.line_start + 1
        return node

    def _plain(self, depth: int) -> JNode:
        """A value read by `json` in one call, as plain Python data (dicts keep the last of a key given twice, as
        `JNode.plain` does) in a node of kind "plain" with the value's own span and no positions inside."""
        self._ws()
        line, col = self.line, self.i - self.line_start + 1
        try:
            value, end = _scan_once()(self.s, self.i)
        except (StopIteration, ValueError, RecursionError, _NotPlain):
            raise _NotPlain from None
        if not _within_depth(value, depth):
            raise _NotPlain
        self._advance_to(end)
        return JNode("plain", value, line, col, self.line, self.i - self.line_start + 1)

    def _string(self) -> str:
        try:
            val, end = _scanstring(self.s, self.i + 1, True)
        except json.JSONDecodeError as e:
            raise self._err(e.msg) from None
        self._advance_to(end)
        return val


def parse_json(text: str, plain: frozenset[str] = frozenset()) -> JNode:
    """Parse one JSON document; raises JsonSyntaxError with a line number.

    `plain`: members of the top-level object whose positions no caller reads (a CloudFormation template's Rules):
    their values are read by `json`'s C scanner into plain Python data, tens of times faster than this reader
    builds nodes (a 2.4 MB template of 30,000 rule assertions took seconds). A value `json` would read otherwise
    than this reader (NaN, nesting past MAX_DEPTH, an invalid document) makes the whole text be read node by node,
    so the tree or the error is the same."""
    if plain:
        try:
            return _parse(text, plain)
        except _NotPlain:
            pass
    return _parse(text, frozenset())


def _parse(text: str, plain: frozenset[str]) -> JNode:
    r = _Reader(text, plain)
    node = r.value()
    r._ws()
    if r.i != len(r.s):
        raise r._err("extra data after the JSON value")
    return node
