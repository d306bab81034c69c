"""strongSwan `swanctl.conf`: `connections { NAME { local_addrs = ..., remote_addrs = ... } }`.

A section may reference others (`hk : connections.base, defaults {`, strongSwan 5.7+): what it does not set
itself comes from them, in order (a connection's addresses and pools are looked up that way).

The settings syntax: `name { ... }` sections (nested, merged when repeated), `key = value` up to the end
of the line or a `}`, `"quoted values"`, `#` comments and `include PATTERN` (relative to the including
file) anywhere. `remote_addrs` defaults to `%any` (a responder).
"""

from __future__ import annotations

import re
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

FORMAT = "swanctl"
RESOURCE_TYPE = "swanctl connection"
_NAME = r"[^\s{}=#\"]+"
# `name {` or, with strongSwan's section references (5.7+), `name : a.b, c {` (inherits what it does not set)
_OPEN = re.compile(rf"({_NAME})\s*(?::\s*([^{{}}=#\"]*?))?\s*\{{")
MAX_REF_DEPTH = 32
_ASSIGN = re.compile(rf"({_NAME})\s*=\s*")
_INCLUDE = re.compile(r"include\s+(?!=)(\S.*)$")


@dataclass
class Value:
    """One `key = value` of a swanctl.conf section, with where it was read."""

    value: str
    line: int
    path: str


@dataclass
class Node:
    """One swanctl.conf section: its values and its subsections."""

    name: str
    path: str
    start: int
    end: int = 0
    values: dict[str, Value] = field(default_factory=dict)
    children: dict[str, Node] = field(default_factory=dict)
    refs: list[tuple[str, int, str]] = field(default_factory=list)  # (section name, line, path) it inherits from


class _Parser:
    def __init__(self, root: Path | None, col: Collector) -> None:
        self.root = root
        self.col = col
        self.tree = Node("", col.relpath, 1)
        self.lines: dict[str, list[str]] = {}
        self.seen: set[str] = set()
        self.reported: set[tuple[str, int]] = set()  # section references already reported as errors

    def parse(self, text: str, path: str, stack: list[Node], depth: int = 0) -> None:
        self.seen.add(path)
        lines = split_lines(text)
        self.lines[path] = lines
        base = len(stack)
        for n, raw in enumerate(lines, 1):
            body, _ = strip_hash_comment(raw)
            i = 0
            while True:
                while i < len(body) and body[i].isspace():
                    i += 1
                if i >= len(body):
                    break
                if body[i] == "}":
                    if len(stack) <= base:
                        self.col.error(n, "swanctl: '}' without a matching '{'", path)
                    else:
                        node = stack.pop()
                        node.end = n
                    i += 1
                    continue
                m = _INCLUDE.match(body, i)
                if m and i == len(body) - len(body.lstrip()):
                    self.include(m.group(1).strip(), path, n, stack, depth)
                    break
                m = _OPEN.match(body, i)
                if m:
                    parent = stack[-1]
                    existing = parent.children.get(m.group(1))
                    if existing is None:
                        node = Node(m.group(1), path, n)
                        parent.children[m.group(1)] = node
                    else:
                        node = existing
                    if m.group(2):
                        node.refs.extend((r.strip(), n, path) for r in m.group(2).split(",") if r.strip())
                    stack.append(node)
                    i = m.end()
                    continue
                m = _ASSIGN.match(body, i)
                if m:
                    j = m.end()
                    if body[j : j + 1] == '"':
                        k = body.find('"', j + 1)
                        k = len(body) if k < 0 else k
                        value = body[j + 1 : k]
                        i = k + 1
                    else:
                        k = body.find("}", j)
                        k = len(body) if k < 0 else k
                        value = body[j:k].strip()
                        i = k
                    stack[-1].values[m.group(1)] = Value(value, n, path)
                    continue
                self.col.error(n, f"swanctl: not understood: '{body[i:].strip()}' (expected 'name {{', 'key = value' or '}}')", path)
                break
        if len(stack) > base:
            for node in stack[base:]:
                self.col.error(node.start, f"swanctl: section '{node.name}' is not closed (missing '}}')", path)
                node.end = len(lines)
            del stack[base:]

    def include(self, pattern: str, path: str, line: int, stack: list[Node], depth: int) -> None:
        for target, text in included_texts(self.col, self.root, self.seen, pattern, path, line, depth):
            self.parse(text, target, list(stack), depth + 1)


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    p = _Parser(root, col)
    p.parse(text, relpath, [p.tree])
    connections = p.tree.children.get("connections")
    if connections is None:
        col.note(f"{relpath}: no connections section")
        return col.result
    for name, conn in connections.children.items():
        _connection(name, conn, p, col)
    return col.result


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)


def included_files(text: str, relpath: str, root: Path) -> list[str]:
    out: list[str] = []
    for raw in split_lines(text):
        body, _ = strip_hash_comment(raw)
        m = _INCLUDE.match(body.strip())
        if m:
            targets, _ = resolve_include(root, relpath, m.group(1).strip())
            out.extend(targets)
    return out


def _lookup(node: Node, key: str, p: _Parser, col: Collector, reported: set[tuple[str, int]]) -> Value | None:
    """`key` of `node`, else of the sections it references (`name : a.b, c {`), depth first in order, as strongSwan
    resolves it; a reference to no section, a loop or a chain deeper than MAX_REF_DEPTH is an error at its line."""
    stack: list[tuple[Node, tuple[int, ...], int]] = [(node, (id(node),), 0)]
    visited: set[int] = set()  # a section reached twice gives nothing new: diamonds stay linear
    while stack:
        here, trail, depth = stack.pop()
        if id(here) in visited:
            continue
        visited.add(id(here))
        if key in here.values:
            return here.values[key]
        nxt = []
        for ref, line, path in here.refs:
            target: Node | None = p.tree
            for part in ref.split("."):
                target = target.children.get(part) if target is not None else None
            problem = ("there is no section of that name" if target is None else
                       "it makes a loop" if id(target) in trail else
                       f"references nested more than {MAX_REF_DEPTH} deep" if depth >= MAX_REF_DEPTH else "")
            if problem:
                if (path, line) not in reported:
                    reported.add((path, line))
                    col.error(line, f"swanctl: section reference '{ref}': {problem}; what it would give is not read", path)
                continue
            assert target is not None
            nxt.append((target, (*trail, id(target)), depth + 1))
        stack.extend(reversed(nxt))
    return None


def _connection(name: str, conn: Node, p: _Parser, col: Collector) -> None:
    where = f"{conn.path}:{conn.start}"
    reported = p.reported
    remote = _lookup(conn, "remote_addrs", p, col, reported)
    local = _lookup(conn, "local_addrs", p, col, reported)
    loc = span(conn.path, p.lines[conn.path], conn.start, conn.end or conn.start)
    pools = _lookup(conn, "pools", p, col, reported)
    local_label = f"local end (local_addrs = {local.value})" if local else "local end (local_addrs not set)"
    local_origin = f"local_addrs in {local.path} line {local.line}" if local else ""
    if pools is not None and (remote is None or all(classify_peer(r)[0] == "responder" for r in remote.value.split(","))):
        # virtual IPs from a pool for peers that are whoever connects: a remote-access service (XB103)
        col.link(remote_access_link(RESOURCE_TYPE, f"{conn.path}: connection {name}", loc,
                                    local_value(local.value if local else None),
                                    f"remote-access VPN (pools = {pools.value}, {local_label})", col.relpath,
                                    local_origin=local_origin))
        return
    notes = []
    if remote is None:  # swanctl's default: remote_addrs = %any
        notes.append(f"connection {name} has no remote_addrs, which means %any")
        remote = Value("%any", conn.start, conn.path)
    addresses = []
    for raw in (r.strip() for r in remote.value.split(",")):
        if not raw:
            continue
        value = col.peer(raw, remote.line, f"{where}: connection {name}: remote_addrs {raw}: a responder; ", f"connection {name}: remote_addrs = {remote.value}: ", remote.path)
        if value is not None:
            addresses.append(value)
    loc = span(conn.path, p.lines[conn.path], conn.start, conn.end or conn.start)
    for value in addresses:
        suffix = f" (peer {value})" if len(addresses) > 1 else ""
        col.link(
            vpn_link(
                RESOURCE_TYPE,
                f"{conn.path}: connection {name}{suffix}",
                loc,
                local_value(local.value if local else None),
                f"local end (local_addrs = {local.value})" if local else "local end (local_addrs not set)",
                col.relpath,
                value,
                f"peer (remote_addrs = {remote.value})",
                local_origin=f"local_addrs in {local.path} line {local.line}" if local else "",
                peer_origin=f"remote_addrs in {remote.path} line {remote.line}",
                notes=notes,
            )
        )


comments = hash_comments  # this format's comments, for suppressions
