"""The one path-glob matcher of xborder: linear time, never raises on a strange pattern.

`.xborder.yaml` path globs, CloudFormation region globs and `include` patterns of device configs are
written by whoever writes the scanned repository. Translating them to Python regexes (which backtrack)
let `**a**a**a**b` against a long file name run for minutes, and `[z-a]` raise. Here a pattern becomes
a small automaton that is simulated over the path (a set of states, Thompson style): the work is at
most `len(path) * len(pattern)` steps whatever the pattern, and every pattern compiles.

Syntax: `*` and `?` stay within one path segment, `**` spans segments (`**/` also matches no segment),
`[abc]`, `[a-z]`, `[!a-z]` (or `[^a-z]`) are classes of one character other than `/` (an inverted
range such as `[z-a]` matches nothing), an unclosed `[` is a literal. With `prefix=True` a pattern that
names a directory also matches everything below it (`net` matches `net/ipsec.conf`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# token kinds
_LIT, _ONE, _CLASS, _STAR, _GLOBSTAR, _SEGMENTS = range(6)


@dataclass(frozen=True)
class _Token:
    """One piece of a compiled glob: a literal character, a wildcard or a character class."""

    kind: int
    char: str = ""
    negate: bool = False
    singles: frozenset[str] = frozenset()
    ranges: tuple[tuple[str, str], ...] = ()

    def accepts(self, c: str) -> bool:
        """For the one-character kinds: does `c` match?"""
        if self.kind == _LIT:
            return c == self.char
        if c == "/":
            return False
        if self.kind == _ONE:
            return True
        hit = c in self.singles or any(lo <= c <= hi for lo, hi in self.ranges)
        return hit != self.negate


def _parse(pattern: str) -> tuple[_Token, ...]:
    out: list[_Token] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            if j - i >= 2:
                if j < n and pattern[j] == "/":
                    out.append(_Token(_SEGMENTS))
                    j += 1
                else:
                    out.append(_Token(_GLOBSTAR))
            elif not out or out[-1].kind != _STAR:
                out.append(_Token(_STAR))
            i = j
            continue
        if c == "?":
            out.append(_Token(_ONE))
        elif c == "[":
            start = i + 2 if pattern[i + 1 : i + 2] in ("!", "^", "]") else i + 1
            j = pattern.find("]", start)
            if j < 0:
                out.append(_Token(_LIT, "["))
            else:
                out.append(_class(pattern[i + 1 : j]))
                i = j
        else:
            out.append(_Token(_LIT, c))
        i += 1
    return tuple(out)


def _class(body: str) -> _Token:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    singles: set[str] = set()
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            lo, hi = body[k], body[k + 2]
            if lo <= hi:  # an inverted range matches nothing (a regex would raise)
                ranges.append((lo, hi))
            k += 3
        else:
            singles.add(body[k])
            k += 1
    singles.discard("/")
    return _Token(_CLASS, negate=negate, singles=frozenset(singles), ranges=tuple(ranges))


class Glob:
    """A compiled pattern; `match(path)` is linear in `len(path) * len(pattern)`."""

    def __init__(self, pattern: str, prefix: bool = True) -> None:
        self.pattern = pattern
        self.prefix = prefix
        body = pattern.rstrip("/") if prefix else pattern
        self.tokens = _parse(body)
        self._n = len(self.tokens)

    def _close(self, states: set[int]) -> set[int]:
        """Add the states reachable without consuming a character."""
        stack = list(states)
        while stack:
            i = stack.pop()
            if i < self._n and self.tokens[i].kind in (_STAR, _GLOBSTAR, _SEGMENTS) and i + 1 not in states:
                states.add(i + 1)
                stack.append(i + 1)
        return states

    def match(self, path: str) -> bool:
        n = self._n
        below = n + 1  # "in a directory the pattern named": anything goes (prefix mode only)
        states = self._close({0})
        for c in path:
            nxt: set[int] = set()
            for i in states:
                if i == below:
                    nxt.add(below)
                    continue
                if i == n:
                    if self.prefix and c == "/":
                        nxt.add(below)
                    continue
                t = self.tokens[i]
                k = t.kind
                if k == _STAR:
                    if c != "/":
                        nxt.add(i)
                elif k == _GLOBSTAR:
                    nxt.add(i)
                elif k == _SEGMENTS:
                    nxt.add(i)
                    if c == "/":
                        nxt.add(i + 1)
                elif t.accepts(c):
                    nxt.add(i + 1)
            if not nxt:
                return False
            states = self._close(nxt)
        return n in states or below in states

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, prefix: bool = True) -> Glob:
    return Glob(pattern, prefix)


def glob_match(pattern: str, path: str, prefix: bool = True) -> bool:
    """Does the glob match the relative POSIX path (or, with `prefix`, a directory holding it)?"""
    return compile_glob(pattern, prefix).match(path)


def has_magic(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")
