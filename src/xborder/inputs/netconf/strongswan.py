"""strongSwan / Libreswan `ipsec.conf`: `conn` sections, `conn %default`, `also=`, `left`/`right`, `include`.

`left` and `right` are symmetric: strongSwan takes as local the end whose address is on the host. Here
`left` is the local end and `right` the peer (the ipsec.conf convention) unless `right` is local and `left`
is not, in which case the two are swapped. `right` is local when it is `%defaultroute`, or when the caller
passes `is_local` (the netconf plugin does, from the site inventory: an address or host name of the site
whose `paths` match the config file) and it says so of one of `right`'s addresses; the link's notes then say
why. `auto=ignore` disables a conn. A conn that other conns pull in with `also=` and that has no `auto=` of
its own is a template, not a tunnel.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xborder.inputs.netconf.common import (
    hash_comments,
    strip_hash_comment,
    included_texts,
    Collector,
    classify_peer,
    local_value,
    read_text,
    remote_access_link,
    resolve_include,
    span,
    split_lines,
    vpn_link,
)
from xborder.model import LoadResult

FORMAT = "strongswan"
RESOURCE_TYPE = "strongswan conn"
MAX_ALSO_DEPTH = 64  # levels of also= below a conn (real configs use two or three)
MAX_ALSO_STEPS = 100_000  # template expansions per file
_PARAM = re.compile(r"^([A-Za-z0-9_.\-]+)\s*=\s*(.*)$")

# Given an address or host name from left=/right=, why it is one of this host's own (e.g. "an address of
# site shanghai-dc (this device's site)"), or None when it is not known to be.
IsLocal = Callable[[str], "str | None"]


@dataclass
class Param:
    """One `key = value` of an ipsec.conf section, with where it was read."""

    value: str
    line: int
    path: str


@dataclass
class Section:
    """One `conn`, `config` or `ca` section, its parameters and the sections it takes in with `also=`."""

    kind: str  # "conn", "config", "ca"
    name: str
    path: str
    start: int
    end: int
    params: dict[str, Param] = field(default_factory=dict)
    also: list[Param] = field(default_factory=list)


def _unquote(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


class _Reader:
    def __init__(self, root: Path | None, col: Collector) -> None:
        self.root = root
        self.col = col
        self.sections: list[Section] = []
        self.lines: dict[str, list[str]] = {}
        self.seen: set[str] = set()

    def read(self, text: str, path: str, depth: int = 0) -> None:
        self.seen.add(path)
        lines = split_lines(text)
        self.lines[path] = lines
        current: Section | None = None
        for n, raw in enumerate(lines, 1):
            body, _ = strip_hash_comment(raw)
            if not body.strip():
                continue
            if not body[0].isspace():
                words = body.split()
                head = words[0]
                current = None
                if head == "conn" and len(words) == 2:
                    current = Section("conn", words[1], path, n, n)
                    self.sections.append(current)
                elif head == "config" and len(words) == 2:
                    current = Section("config", words[1], path, n, n)
                elif head == "ca" and len(words) == 2:
                    current = Section("ca", words[1], path, n, n)
                elif head == "include" and len(words) >= 2:
                    self.include(" ".join(words[1:]), path, n, depth)
                elif head == "version":
                    pass
                else:
                    self.col.error(n, f"ipsec.conf: line not understood: '{body.strip()}' (a section starts with 'conn NAME', 'config setup' or 'ca NAME'; parameters are indented)", path)
                continue
            if current is None:
                self.col.error(n, f"ipsec.conf: parameter outside a section: '{body.strip()}'", path)
                continue
            m = _PARAM.match(body.strip())
            if not m:
                self.col.error(n, f"ipsec.conf: expected 'name=value' in conn {current.name}: '{body.strip()}'", path)
                continue
            key, value = m.group(1).lower(), _unquote(m.group(2))
            current.end = n
            if key == "also":
                for name in value.split():
                    current.also.append(Param(name, n, path))
            else:
                current.params[key] = Param(value, n, path)

    def include(self, pattern: str, path: str, line: int, depth: int) -> None:
        for target, text in included_texts(self.col, self.root, self.seen, pattern, path, line, depth):
            self.read(text, target, depth + 1)


def parse(text: str, relpath: str, root: Path | None = None, is_local: IsLocal | None = None) -> LoadResult:
    """Links for the conns of one ipsec.conf. `is_local` orients conns the way strongSwan does at run time
    (see the module docstring); without it `left` is local unless `right` is `%defaultroute`."""
    col = Collector(relpath)
    reader = _Reader(root, col)
    reader.read(text, relpath)
    _analyse(reader, col, is_local)
    return col.result


def load(path: Path, relpath: str, root: Path, is_local: IsLocal | None = None) -> LoadResult:
    return parse(read_text(path), relpath, root, is_local)


def included_files(text: str, relpath: str, root: Path) -> list[str]:
    """Files this file includes (directly), for the collector to skip as stand-alone units."""
    out: list[str] = []
    for raw in split_lines(text):
        body, _ = strip_hash_comment(raw)
        words = body.split()
        if len(words) >= 2 and words[0] == "include" and not body[:1].isspace():
            targets, _ = resolve_include(root, relpath, " ".join(words[1:]))
            out.extend(targets)
    return out


def _local_end(param: Param | None, is_local: IsLocal | None) -> tuple[str, str] | None:
    """(address, why) when the end `param` gives is this host's own: `%defaultroute`, or an address or host
    name `is_local` knows; else None."""
    if param is None:
        return None
    if param.value.strip().lower().startswith("%defaultroute"):
        return "", "%defaultroute"
    if is_local is None:
        return None
    for raw in param.value.split(","):
        kind, value = classify_peer(raw)
        if kind == "address":
            why = is_local(value)
            if why:
                return value, f"{value} is {why}"
    return None


def _analyse(reader: _Reader, col: Collector, is_local: IsLocal | None = None) -> None:
    conns: dict[str, Section] = {}
    defaults: dict[str, Param] = {}
    default_also: list[Param] = []
    for sec in reader.sections:
        if sec.name == "%default":
            defaults.update(sec.params)
            default_also.extend(sec.also)
            continue
        if sec.name in conns:
            col.error(sec.start, f"conn {sec.name} is defined twice (first at {conns[sec.name].path} line {conns[sec.name].start})", sec.path)
            continue
        conns[sec.name] = sec
    referenced = {a.value for sec in conns.values() for a in sec.also}
    for ref in default_also:
        # strongSwan 5.2+ (starter's conf_parser: %default is resolved first, with no parents) and Libreswan
        # (confread.c loads conn %default without also= processing) ignore it: said, so it is not read as applied
        col.note(f"{ref.path}:{ref.line}: also={ref.value} in conn %default is ignored: strongSwan (5.2 and later) and "
                 f"Libreswan do not apply also= in conn %default, so conn {ref.value}'s parameters are not added to the "
                 "other conns (strongSwan before 5.2 added them); write also= in each conn that needs them")

    memo: dict[str, dict[str, Param]] = {}  # templates whose parameters do not depend on the path to them
    budget = [MAX_ALSO_STEPS]

    def effective(sec: Section) -> dict[str, Param]:
        """`sec`'s parameters with its `also=` templates merged depth-first, later ones and its own winning.

        Iterative (an explicit stack of frames, not recursion): a chain of thousands of `also=` costs no
        Python stack. Bounded: at most MAX_ALSO_DEPTH levels below the conn, MAX_ALSO_STEPS template
        expansions per file, and a template's result is reused wherever it is pulled in (a diamond of
        `also=` doubling at every level stays linear). What a bound cuts off is an error at its line."""
        # frame: [section, names on the path, next also= index, merged parameters, path-independent?]
        frames: list[list] = [[sec, (sec.name,), 0, {}, True]]
        finished: tuple[dict[str, Param], bool] | None = None
        while True:
            frame = frames[-1]
            here, stack, index, merged = frame[0], frame[1], frame[2], frame[3]
            if finished is not None:
                merged.update(finished[0])
                frame[4] = frame[4] and finished[1]
                finished = None
            if index < len(here.also):
                frame[2] += 1
                ref = here.also[index]
                if ref.value in stack:
                    col.error(ref.line, f"also={ref.value} in conn {here.name} makes a loop ({' -> '.join((*stack, ref.value))})", ref.path)
                    frame[4] = False
                    continue
                target = conns.get(ref.value)
                if target is None:
                    col.error(ref.line, f"also={ref.value} in conn {here.name}: there is no conn section named {ref.value}", ref.path)
                    continue
                if ref.value in memo:
                    merged.update(memo[ref.value])
                    continue
                if len(stack) > MAX_ALSO_DEPTH:
                    col.error(ref.line, f"also={ref.value} in conn {here.name}: more than {MAX_ALSO_DEPTH} levels of also= below "
                                        f"conn {stack[0]}; the rest of the chain is not read", ref.path)
                    frame[4] = False
                    continue
                budget[0] -= 1
                if budget[0] < 0:
                    if budget[0] == -1:
                        col.error(ref.line, f"also={ref.value} in conn {here.name}: more than {MAX_ALSO_STEPS} also= expansions "
                                            "in this file; the remaining ones are not read", ref.path)
                    frame[4] = False
                    continue
                frames.append([target, (*stack, ref.value), 0, {}, True])
                continue
            merged.update(here.params)
            frames.pop()
            if frame[4]:
                memo[here.name] = merged
            if not frames:
                return merged
            finished = (merged, frame[4])

    # conns that take an `auto=` in through their also= chain (one walk of the reversed also= edges, linear)
    pulled_by: dict[str, list[str]] = {}
    for sec in conns.values():
        for a in sec.also:
            pulled_by.setdefault(a.value, []).append(sec.name)
    with_auto = [n for n, sec in conns.items() if "auto" in sec.params]
    auto_through_also = set(with_auto)
    while with_auto:
        for src in pulled_by.get(with_auto.pop(), ()):
            if src not in auto_through_also:
                auto_through_also.add(src)
                with_auto.append(src)

    for name, sec in conns.items():
        where = f"{sec.path}:{sec.start}"
        if name in referenced and name not in auto_through_also and "auto" not in defaults:
            # an `auto=` it takes in with also= or from `conn %default` makes it a conn strongSwan loads
            col.note(f"{where}: conn {name} is a template pulled in with also=; not analysed on its own")
            continue
        params = dict(defaults)
        params.update(effective(sec))
        auto = params.get("auto")
        if auto is not None and auto.value.lower() == "ignore":
            col.note(f"{where}: conn {name} has auto=ignore (disabled); skipped")
            continue
        ctype = params.get("type")
        if ctype is not None and ctype.value.lower() in ("passthrough", "pass", "drop", "reject"):
            col.note(f"{where}: conn {name} is type={ctype.value} (no tunnel); skipped")
            continue
        left, right, lname, rname = params.get("left"), params.get("right"), "left", "right"
        link_notes: list[str] = []
        swapped_local: str | None = None  # the local address when the inventory turned the conn round
        right_local = _local_end(right, is_local)
        if right_local is not None and _local_end(left, is_local) is None:
            if right_local[1] != "%defaultroute":  # %defaultroute explains itself in the label
                swapped_local = right_local[0]
                link_notes.append(f"right= {right_local[1]}, so right is the local end")
            left, right, lname, rname = right, left, "right", "left"
        local = swapped_local or local_value(left.value if left else None)
        local_label = f"local end ({lname}={left.value})" if left else f"local end ({lname}= not set)"
        local_origin = f"{lname}= in {left.path} line {left.line}" if left else ""
        lines = reader.lines[sec.path]
        loc = span(sec.path, lines, sec.start, sec.end)
        pool = params.get(f"{rname}sourceip")
        if pool is not None and (right is None or all(classify_peer(p)[0] == "responder" for p in right.value.split(","))):
            # a client address pool for peers that are whoever connects: a remote-access service (XB103)
            col.link(remote_access_link(RESOURCE_TYPE, f"{sec.path}: conn {name}", loc, local,
                                        f"remote-access VPN ({rname}sourceip={pool.value}, {local_label})",
                                        col.relpath, local_origin=local_origin, notes=link_notes))
            continue
        if right is None:  # strongSwan's default for the far end is %any
            right = Param("%any", sec.start, sec.path)
            link_notes.append(f"conn {name} has no {rname}=, which means {rname}=%any")
        peers = [p.strip() for p in right.value.split(",") if p.strip()] or [""]
        addresses = []
        for raw in peers:
            value = col.peer(raw, right.line, f"{where}: conn {name}: {rname}={raw}: a responder; ", f"conn {name}: {rname}={right.value}: ", right.path)
            if value is not None:
                addresses.append((raw, value))
        for _raw, value in addresses:
            suffix = f" (peer {value})" if len(addresses) > 1 else ""
            col.link(
                vpn_link(
                    RESOURCE_TYPE,
                    f"{sec.path}: conn {name}{suffix}",
                    loc,
                    local,
                    local_label,
                    col.relpath,
                    value,
                    f"peer ({rname}={right.value})",
                    local_origin=local_origin,
                    peer_origin=f"{rname}= in {right.path} line {right.line}",
                    notes=link_notes,
                )
            )


comments = hash_comments  # this format's comments, for suppressions
