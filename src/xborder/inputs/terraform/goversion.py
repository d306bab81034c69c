"""Terraform's module version constraints, as hashicorp/go-version (which Terraform uses) reads and checks them.

A `module` call's `version` ("~> 5.1", ">= 1.2, < 2.0.0", "!= 3.0.1") is checked against the version recorded in
`.terraform/modules/modules.json`: Terraform refuses to plan when the recorded version no longer meets it ("Module
version requirements have changed"). No Python library checks constraints the way go-version does (any number of
segments, `1.2` equal to `1.2.0`, a pre-release matching only constraints with a pre-release of the same segments,
`~>` bounded by the constraint's own segment count), so this is a port of its rules, tested on its own cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from xborder import lazy

# go-version's VersionRegexpRaw; Go's `\s` is ASCII whitespace without \v, `$` the end of the text
_VERSION = (r"v?([0-9]+(\.[0-9]+)*?)"
            r"(-([0-9]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)|(-?([A-Za-z\-~]+[0-9A-Za-z\-~]*(\.[0-9A-Za-z\-~]+)*)))?"
            r"(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))??")
# RE2, as Go's regexp: linear time. Python's backtracking took 33 s on a 16,000-character pre-release (a letter
# run is split every way between two repeated classes before failing); both texts come from the scanned
# repository (a call's `version`, modules.json)
_VERSION_RE = lazy.linear_regex(_VERSION)
_CONSTRAINT_RE = lazy.linear_regex(r"[\t\n\f\r ]*(!=|>=|<=|~>|=|>|<|)[\t\n\f\r ]*(" + _VERSION + r")[\t\n\f\r ]*")
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Version:
    """A version as Terraform's go-version reads it: numeric segments, pre-release and metadata."""

    segments: tuple[int, ...]  # at least three (padded with zeros)
    si: int  # how many segments were written
    pre: str
    metadata: str

    def text(self) -> str:
        out = ".".join(str(s) for s in self.segments)
        return out + (f"-{self.pre}" if self.pre else "") + (f"+{self.metadata}" if self.metadata else "")


def parse_version(text: str) -> Version | None:
    """go-version's NewVersion; None where it returns an error."""
    m = _VERSION_RE.fullmatch(text)
    return _version(m, 0) if m else None


def _version(m: Any, base: int) -> Version | None:
    segments = [int(s) for s in m.group(base + 1).split(".")]
    if any(s > _INT64_MAX for s in segments):
        return None  # strconv.ParseInt(..., 64) fails
    si = len(segments)
    segments += [0] * (3 - si)
    pre = m.group(base + 7) or m.group(base + 4) or ""
    return Version(tuple(segments), si, pre, m.group(base + 10) or "")


def compare(v: Version, o: Version) -> int:
    """go-version's Version.Compare: -1, 0 or 1 (metadata ignored; segments of unequal count padded with zeros,
    in which case the pre-release is not compared)."""
    if v.text() == o.text():
        return 0
    if v.segments == o.segments:
        if not v.pre and not o.pre:
            return 0
        if not v.pre:
            return 1
        if not o.pre:
            return -1
        return _compare_prereleases(v.pre, o.pre)
    n = max(len(v.segments), len(o.segments))
    a = v.segments + (0,) * (n - len(v.segments))
    b = o.segments + (0,) * (n - len(o.segments))
    return (a > b) - (a < b)


def _parse_int(s: str) -> tuple[int, bool]:
    """Go's strconv.ParseInt(s, 10, 64): (value, ok); out of range gives the nearest bound, not ok."""
    if re.fullmatch(r"[+-]?[0-9]+", s, re.ASCII) is None:
        return 0, False
    n = int(s)
    if n > _INT64_MAX or n < -_INT64_MAX - 1:
        return (_INT64_MAX if n > 0 else -_INT64_MAX - 1), False
    return n, True


def _compare_part(a: str, b: str) -> int:
    """go-version's comparePart, quirks included (two non-numeric parts: by text only when greater)."""
    if a == b:
        return 0
    ai, a_num = _parse_int(a)
    bi, b_num = _parse_int(b)
    if a == "":
        return -1 if b_num else 1
    if b == "":
        return 1 if a_num else -1
    if a_num and not b_num:
        return -1
    if not a_num and b_num:
        return 1
    if not a_num and not b_num and a > b:
        return 1
    if ai > bi:
        return 1
    return -1


def _compare_prereleases(a: str, b: str) -> int:
    if a == b:
        return 0
    pa, pb = a.split("."), b.split(".")
    for i in range(max(len(pa), len(pb))):
        c = _compare_part(pa[i] if i < len(pa) else "", pb[i] if i < len(pb) else "")
        if c:
            return c
    return 0


def _prerelease_ok(v: Version, c: Version) -> bool:
    if c.pre and v.pre:
        return v.segments == c.segments  # a pre-release constraint matches pre-releases of the same segments
    return not (v.pre and not c.pre)  # a constraint without one matches no pre-release


def _pessimistic(v: Version, c: Version) -> bool:
    if not _prerelease_ok(v, c) or (c.pre and not v.pre):
        return False
    if compare(v, c) < 0:
        return False
    cs = len(c.segments)
    if cs > len(v.segments):
        return False
    if any(v.segments[i] != c.segments[i] for i in range(c.si - 1)):
        return False
    return c.segments[cs - 1] <= v.segments[cs - 1]


_CHECKS = {
    "": lambda v, c: compare(v, c) == 0,
    "=": lambda v, c: compare(v, c) == 0,
    "!=": lambda v, c: compare(v, c) != 0,
    ">": lambda v, c: _prerelease_ok(v, c) and compare(v, c) == 1,
    "<": lambda v, c: _prerelease_ok(v, c) and compare(v, c) == -1,
    ">=": lambda v, c: _prerelease_ok(v, c) and compare(v, c) >= 0,
    "<=": lambda v, c: _prerelease_ok(v, c) and compare(v, c) <= 0,
    "~>": _pessimistic,
}

Constraints = tuple[tuple[str, Version], ...]


def parse_constraints(text: str) -> Constraints | None:
    """go-version's NewConstraint (a comma-separated list, all of which must hold); None where it errs."""
    out = []
    for single in text.split(","):
        m = _CONSTRAINT_RE.fullmatch(single)
        if m is None:
            return None
        v = _version(m, 2)  # the version's groups follow the operator's and the whole version's
        if v is None:
            return None
        out.append((m.group(1), v))
    return tuple(out)


def allows(constraints: Constraints, v: Version) -> bool:
    """go-version's Constraints.Check."""
    return all(_CHECKS[op](v, c) for op, c in constraints)
