"""Junos, `set` and curly-brace forms: `security ike gateway NAME address A` (several addresses: backup
peers), `external-interface IF.UNIT` -> that interface's `family inet[6] address`, `local-address`,
`dynamic` gateways (responders: an unknown end, or the `dynamic hostname` IKE id, which a site's `hosts` can
place; with `aaa`/`xauth`/`remote-access` a remote-access service), `security ipsec vpn NAME ike gateway GW`. `inactive:`/`deactivate`
disable a gateway. Comments: `#` and `/* */`.
"""

from __future__ import annotations

import fnmatch

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xborder.inputs.netconf.common import (
    Collector,
    local_value,
    parse_ip,
    read_text,
    remote_access_link,
    span,
    split_lines,
    vpn_link,
)
from xborder.model import LoadResult, part_not_read

FORMAT = "junos"
RESOURCE_TYPE = "junos ike gateway"
_SET_LINE = re.compile(r"^\s*(set|deactivate|delete|activate)\s+(.*)$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{};\[\]]|[^\s{};\[\]"]+')


@dataclass
class Stmt:
    """One statement as its path of words (set form), with its line and whether it is inactive."""

    words: tuple[str, ...]
    line: int
    inactive: bool = False


@dataclass
class Parsed:
    """Every statement of a file, where each block starts and ends, and the inactive paths."""

    stmts: list[Stmt] = field(default_factory=list)
    blocks: dict[tuple[str, ...], tuple[int, int]] = field(default_factory=dict)  # path -> (start, end)
    inactive: set[tuple[str, ...]] = field(default_factory=set)


def comments(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    in_block = False
    for n, line in enumerate(split_lines(text), 1):
        i = 0
        start = 0 if in_block else None
        in_quote = False
        while i < len(line):
            if in_block:
                j = line.find("*/", i)
                if j < 0:
                    break
                in_block = False
                i = j + 2
                continue
            ch = line[i]
            if ch == '"':
                in_quote = not in_quote
            elif not in_quote and line.startswith("/*", i):
                in_block = True
                start = i if start is None else start
                i += 2
                continue
            elif not in_quote and ch == "#" and (i == 0 or line[i - 1].isspace()):
                start = i if start is None else start
                break
            i += 1
        if start is not None:
            out.append((n, line[start:]))
    return out


def _strip(text: str) -> list[str]:
    """Lines with comments blanked out (line numbers kept)."""
    lines = split_lines(text)
    out = []
    in_block = False
    for line in lines:
        buf = []
        i = 0
        in_quote = False
        while i < len(line):
            if in_block:
                j = line.find("*/", i)
                if j < 0:
                    i = len(line)
                    break
                in_block = False
                i = j + 2
                buf.append(" ")
                continue
            ch = line[i]
            if ch == '"':
                in_quote = not in_quote
            elif not in_quote and line.startswith("/*", i):
                in_block = True
                i += 2
                continue
            elif not in_quote and ch == "#" and (i == 0 or line[i - 1].isspace()):
                break
            buf.append(ch)
            i += 1
        out.append("".join(buf))
    return out


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word


def is_set_form(text: str) -> bool:
    set_lines = sum(1 for line in _strip(text) if _SET_LINE.match(line))
    braces = sum(line.count("{") for line in _strip(text))
    return set_lines > 0 and set_lines >= braces


MAX_DEPTH = 64  # nesting of curly-form blocks; real configurations stay far below


class _Trie:
    """Statements by their words, so `delete PREFIX` removes a whole subtree in time proportional to it."""

    __slots__ = ("ids", "kids")

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.kids: dict[str, _Trie] = {}

    def add(self, words: tuple[str, ...], i: int) -> None:
        node = self
        for w in words:
            node = node.kids.setdefault(w, _Trie())
        node.ids.append(i)

    def pop_prefix(self, words: tuple[str, ...]) -> list[int]:
        """Remove and return the ids of every statement starting with `words`."""
        if not words:
            return []
        node = self
        for w in words[:-1]:
            node = node.kids.get(w)  # type: ignore[assignment]
            if node is None:
                return []
        sub = node.kids.pop(words[-1], None)
        out: list[int] = []
        stack = [sub] if sub is not None else []
        while stack:
            t = stack.pop()
            out.extend(t.ids)
            stack.extend(t.kids.values())
        return out


def _parse_set(lines: list[str], col: Collector) -> Parsed:
    p = Parsed()
    trie = _Trie()
    alive: dict[int, Stmt] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        m = _SET_LINE.match(line)
        if not m:
            col.error(n, f"junos: line not understood in a set-form file: '{line.strip()}'")
            continue
        try:
            words = tuple(shlex.split(m.group(2)))
        except ValueError:
            words = tuple(m.group(2).split())
        words = tuple(w for w in words if w not in ("[", "]"))
        if m.group(1) == "set":
            i = n  # one statement per line: the line number is a unique, ordered id
            alive[i] = Stmt(words, n)
            trie.add(words, i)
        elif m.group(1) == "deactivate":
            p.inactive.add(words)
        elif m.group(1) == "activate":
            p.inactive.discard(words)
        elif m.group(1) == "delete":
            if not words:
                for i in list(alive):
                    del alive[i]
                trie = _Trie()
                continue
            for i in trie.pop_prefix(words):
                alive.pop(i, None)
    p.stmts = [alive[i] for i in sorted(alive)]
    return p


def _parse_curly(lines: list[str], col: Collector) -> Parsed:
    p = Parsed()
    stack: list[tuple[tuple[str, ...], int, bool]] = []  # (path, start line, inactive)
    words: list[str] = []
    word_line = 0
    in_list = False
    list_items: list[str] = []
    too_deep = 0  # blocks opened beyond MAX_DEPTH, skipped with everything in them
    for n, line in enumerate(lines, 1):
        for m in _TOKEN.finditer(line):
            tok = m.group(0)
            if too_deep:
                too_deep += tok == "{"
                too_deep -= tok == "}"
                continue
            if tok == "{" and len(stack) >= MAX_DEPTH:
                col.error(n, f"junos: blocks nested more than {MAX_DEPTH} levels deep; this block is not read")
                too_deep, words, word_line = 1, [], 0
                continue
            path = stack[-1][0] if stack else ()
            parent_inactive = stack[-1][2] if stack else False
            if tok == "[":
                in_list, list_items = True, []
            elif tok == "]":
                in_list = False
            elif in_list:
                list_items.append(_unquote(tok))
            elif tok == "{":
                inactive = parent_inactive
                ws = list(words)
                while ws and ws[0].endswith(":") and ws[0][:-1] in ("inactive", "replace", "protect", "active"):
                    inactive = inactive or ws[0] == "inactive:"
                    ws = ws[1:]
                new = path + tuple(ws)
                if inactive:
                    p.inactive.add(new)
                stack.append((new, word_line or n, inactive))
                words, word_line = [], 0
            elif tok == ";":
                ws = list(words)
                inactive = parent_inactive
                while ws and ws[0].endswith(":") and ws[0][:-1] in ("inactive", "replace", "protect", "active"):
                    inactive = inactive or ws[0] == "inactive:"
                    ws = ws[1:]
                if list_items:
                    for item in list_items:
                        p.stmts.append(Stmt(path + tuple(ws) + (item,), word_line or n, inactive))
                elif ws:
                    p.stmts.append(Stmt(path + tuple(ws), word_line or n, inactive))
                words, word_line, list_items = [], 0, []
            elif tok == "}":
                if words:
                    col.error(word_line, f"junos: statement '{' '.join(words)}' is missing its ';'")
                    words, word_line = [], 0
                if not stack:
                    col.error(n, "junos: '}' without a matching '{'")
                else:
                    closed, start, _ = stack.pop()
                    p.blocks[closed] = (start, n)
            else:
                if not words:
                    word_line = n
                words.append(_unquote(tok))
    for path, start, _ in stack:
        col.error(start, f"junos: '{' '.join(path[-2:])} {{' is not closed (missing '}}')")
        p.blocks[path] = (start, len(lines))
    return p


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    raw_lines = split_lines(text)
    stripped = _strip(text)
    set_form = is_set_form(text)
    p = _parse_set(stripped, col) if set_form else _parse_curly(stripped, col)

    def inactive(path: tuple[str, ...], stmt: Stmt | None = None) -> bool:
        if stmt is not None and stmt.inactive:
            return True
        return any(path[: len(x)] == x for x in p.inactive)

    applies = _applications(p)
    for scope, stmts in _scopes(p, col, relpath).items():
        _read_scope(scope, stmts, p, col, relpath, raw_lines, inactive, applies)
    _event_changes(p, col, relpath, raw_lines, inactive)
    _scripts(p, col, relpath, raw_lines, inactive, applies)
    return col.result


def _scripts(p: Parsed, col: Collector, relpath: str, raw_lines: list[str], inactive,  # noqa: ANN001
             applies: dict[tuple[str, ...], list[tuple[str, list[str]]]] | None = None) -> None:
    """XB002 for the scripts that change the configuration when they run, which xborder does not run: each
    active commit script (`system scripts commit file NAME`: it runs at every commit and may change any statement;
    with `allow-transients` its changes never show in `show configuration`), and each event policy that runs an
    event script (`then event-script NAME`) or an op script (`then execute-commands commands "op NAME"`). Op
    scripts an operator runs by hand are like commands typed by hand: no finding. A statement in a group counts
    where `apply-groups` applies the group at its level (as Junos inherits it)."""

    def effective(st: Stmt) -> tuple[str, ...] | None:
        w = st.words
        if inactive(w, st):
            return None
        if w[:1] == ("groups",) and len(w) > 2:
            return w[2:] if w[1] in _groups_at(applies or {}, w[2:]) else None
        return w

    transients = any((effective(st) or ())[:4] == ("system", "scripts", "commit", "allow-transients") for st in p.stmts)
    seen: set[str] = set()

    def report(st: Stmt, address: str, label: str, why: str) -> None:
        if address in seen:
            return
        seen.add(address)
        col.link(part_not_read(
            span(relpath, raw_lines, st.line), address, label, why,
            "review the script and write any tunnel it sets up into the configuration itself",
            f"after reviewing the script, an approval for rule XB002 in .xborder.yaml with this file's path and "
            f"`resource: \"{address}\"` and the reason, or `# xborder:ignore XB002 reason=\"...\"` on the line above it",
            "netconf"))

    for st in p.stmts:
        found = effective(st)
        if found is None:
            continue
        w = found
        if w[:4] == ("system", "scripts", "commit", "file") and len(w) >= 5:
            report(st, f"{relpath}: system scripts commit file {w[4]}", f"system scripts commit file {w[4]}",
                   f"the commit script {w[4]} runs at every commit and may change any statement, IKE and IPsec included; "
                   "its changes are not in this file" + (" (and with `allow-transients` set, its transient changes "
                   "never show in `show configuration` either)" if transients else "") +
                   "; xborder runs no script, so what it configures is not judged")
            continue
        if w[:1] != ("event-options",) or "then" not in w:
            continue
        policy = w[w.index("policy") + 1] if "policy" in w[:-1] else "?"
        then = w[w.index("then") + 1:]
        if then[:1] == ("event-script",) and len(then) >= 2:
            report(st, f"{relpath}: event-options policy {policy} event-script {then[1]}",
                   f"event-options policy {policy} event-script {then[1]}",
                   f"the policy runs the event script {then[1]} when its event fires; an event script may change any "
                   "statement, IKE and IPsec included, and xborder runs no script, so what it configures is not judged")
        elif then[:2] == ("execute-commands", "commands"):
            for command in then[2:]:
                parts = command.split()
                if parts[:1] == ["op"] and len(parts) >= 2:
                    report(st, f"{relpath}: event-options policy {policy} execute-commands op {parts[1]}",
                           f"event-options policy {policy} execute-commands op {parts[1]}",
                           f"the policy runs the op script {parts[1]} when its event fires; an op script may change any "
                           "statement, IKE and IPsec included, and xborder runs no script, so what it configures is not judged")


# a configuration command an event policy runs that changes IKE or IPsec: `set security ike gateway hk address ...`
_VPN_CHANGE = re.compile(r"^\s*(set|delete|activate|deactivate|rename|copy|insert|replace)\s+(\S+\s+)*?security\s+(ike|ipsec)\b")


def _event_changes(p: Parsed, col: Collector, relpath: str, raw_lines: list[str], inactive) -> None:  # noqa: ANN001
    """XB002 for each event policy whose `change-configuration commands` change IKE or IPsec: Junos applies
    them when the event fires, after any scan of the file (xborder runs no policy, so that tunnel is not judged)."""
    seen: set[str] = set()
    for st in p.stmts:
        w = st.words
        if "change-configuration" not in w or "commands" not in w or inactive(w, st):
            continue
        i = w.index("commands")
        if not any(_VPN_CHANGE.match(c) for c in w[i + 1:]):
            continue
        policy = w[w.index("policy") + 1] if "policy" in w[:-1] else "?"
        address = f"{relpath}: event-options policy {policy} change-configuration"
        if address in seen:
            continue
        seen.add(address)
        col.link(part_not_read(
            span(relpath, raw_lines, st.line), address, f"event-options policy {policy} change-configuration",
            "the policy changes IKE or IPsec statements when its event fires; xborder does not run event policies, "
            "so the tunnel it configures is not judged",
            "write the tunnel into the configuration itself (or scan the configuration the policy produces)",
            f"an approval for rule XB002 in .xborder.yaml with this file's path and `resource: \"{address}\"`, or "
            "`# xborder:ignore XB002 reason=\"...\"` on the line above it", "netconf"))


def _read_scope(
    scope: tuple[str, ...],
    stmts: list[tuple[Stmt, tuple[str, ...], str]],
    p: Parsed,
    col: Collector,
    relpath: str,
    raw_lines: list[str],
    inactive,  # noqa: ANN001 - parse()'s test of a statement path
    applies: dict[tuple[str, ...], list[tuple[str, list[str]]]] | None = None,
) -> None:
    """The gateways of one system (the device, or one logical system / tenant), from statements whose
    words start below that system's prefix; `from_group` (the group's name) statements are inherited through
    apply-groups, in Junos's order of priority (`_groups_at`)."""
    # interfaces: (ifname, unit) -> (v4 addresses, v6 addresses, line)
    addrs: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    gateways: dict[str, dict] = {}
    group_gateways: dict[tuple[str, str], dict] = {}  # (group, gateway name or <wildcard>) -> its statements
    vpns: dict[str, list[str]] = {}
    for st, prefix, from_group in stmts:
        w = st.words
        if w[:1] == ("interfaces",) and len(w) >= 7 and w[2] == "unit" and w[4] == "family" and w[6] == "address" and len(w) >= 8:
            v4, v6 = addrs.setdefault((w[1], w[3]), ([], []))
            ip = w[7].split("/")[0]
            a = parse_ip(ip)
            if a is not None:
                (v6 if a.version == 6 else v4).append(ip)
        elif w[:3] == ("security", "ike", "gateway") and len(w) >= 5:
            into: dict[Any, dict] = group_gateways if from_group else gateways
            gw = into.setdefault((from_group, w[3]) if from_group else w[3], {"address": [], "external": None, "local": None, "dynamic": None, "first": st.line,
                                        "inactive": False, "client": False, "prefix": prefix})
            if inactive(prefix + w[:4]):
                gw["inactive"] = True
            if st.inactive or inactive(prefix + w):
                # this statement alone is deactivated (`inactive: dead-peer-detection;`): it sets nothing, and
                # the gateway stays active (before, any inactive statement below it disabled the whole gateway)
                continue
            key = w[4]
            if key == "address" and len(w) >= 6:
                for peer in w[5:]:
                    gw["address"].append((peer, st.line))
            elif key == "external-interface" and len(w) >= 6:
                gw["external"] = (w[5], st.line)
            elif key == "local-address" and len(w) >= 6:
                gw["local"] = (w[5], st.line)
            elif key == "dynamic":
                gw["dynamic"] = gw["dynamic"] or st.line
                if w[5:6] == ("hostname",) and len(w) >= 7:  # the peer's IKE id: a site's `hosts` can place it
                    gw["dynamic_host"] = (w[6], st.line)
            elif key in ("aaa", "xauth", "remote-access"):  # clients authenticate: a remote-access gateway
                gw["client"] = True
        elif w[:3] == ("security", "ipsec", "vpn") and len(w) >= 7 and w[4:6] == ("ike", "gateway"):
            vpns.setdefault(w[6], []).append(w[3])

    # inherited (apply-groups): what the gateway itself sets wins, then each group that applies at the gateway's
    # level in Junos's priority (`_groups_at`: a group applied at a nested level, `apply-groups-except`); one
    # merged view of every group let a low-priority group's external-interface (say in Hong Kong) replace the
    # one Junos uses (in Shanghai), hiding the link. A wildcard name (`ike gateway <gw-*>`) is no gateway:
    # Junos applies its statements to every gateway whose name matches (after the group's exact names), and
    # creates none.
    names = list(gateways) + [n for (_g, n) in group_gateways if not _wildcard(n) and n not in gateways]
    wildcards: dict[str, list[tuple[str, dict]]] = {}  # group -> (name pattern, statements), in file order
    for (g, n), wgw in group_gateways.items():
        if _wildcard(n):
            wildcards.setdefault(g, []).append((n[1:-1], wgw))
    for name in dict.fromkeys(names):
        order = _groups_at(applies or {}, scope + ("security", "ike", "gateway", name))
        gw = gateways.get(name)
        for group in order:
            ggw = group_gateways.get((group, name))
            if ggw is not None:
                if gw is None:
                    gw = gateways[name] = ggw
                else:
                    _inherit(gw, ggw)
            for pattern, wgw in wildcards.get(group, ()):
                if gw is not None and fnmatch.fnmatchcase(name, pattern):
                    _inherit(gw, wgw)
        if gw is None:
            groups = sorted(g for (g, n) in group_gateways if n == name)
            first = min(group_gateways[(g, name)]["first"] for g in groups)
            col.note(f"{relpath}:{first}: ike gateway {name} of group {', '.join(groups)} is not inherited: no "
                     "apply-groups above it names the group (or apply-groups-except removes it); not read")

    def interface_address(name: str, family: int) -> tuple[str, str]:
        ifname, _, unit = name.partition(".")
        unit = unit or "0"
        if (ifname, unit) not in addrs:
            return "", f"interface {name} has no address in this file"
        v4, v6 = addrs[(ifname, unit)]
        first = (v6 or v4) if family == 6 else (v4 or v6)
        if not first:
            return "", f"interface {name} has no address in this file"
        return first[0], f"family inet address of {name} in {relpath}"

    for name, gw in gateways.items():
        where = f"{relpath}:{gw['first']}"
        label_name = f"{' '.join(scope)} ike gateway {name}" if scope else f"ike gateway {name}"
        if gw["inactive"]:
            col.note(f"{where}: {label_name} is inactive; skipped")
            continue
        block = p.blocks.get(gw["prefix"] + ("security", "ike", "gateway", name))

        def local_end(family: int) -> tuple[str, str, str]:
            if gw["local"] is not None:
                return (local_value(gw["local"][0]), f"local-address in {relpath} line {gw['local'][1]}",
                        f"local end (local-address {gw['local'][0]})")
            if gw["external"] is not None:
                return (*interface_address(gw["external"][0], family), f"local end (external-interface {gw['external'][0]})")
            return "", "external-interface not set", "local end (external-interface not set)"

        if gw["dynamic"] and not gw["address"] and gw["client"]:
            local, how, label = local_end(4)
            col.link(remote_access_link(
                RESOURCE_TYPE, f"{relpath}: {label_name} (dynamic, clients authenticate)",
                span(relpath, raw_lines, *block) if block else span(relpath, raw_lines, gw["dynamic"]),
                local, f"remote-access gateway (ike gateway {name}, {label})", relpath, local_origin=how,
                notes=[] if local else [how]))
            continue
        if gw["dynamic"] and not gw["address"]:
            # A site-to-site responder whose peers are whoever connects: an unknown end (XB102), never a note only.
            gw["address"] = [gw.get("dynamic_host") or ("dynamic", gw["dynamic"])]
        if not gw["address"]:
            col.note(f"{where}: {label_name} has no address")
            continue
        peers = []
        for raw, line in gw["address"]:
            value = col.peer(raw, line, f"{relpath}:{line}: ike gateway {name} address {raw}: a responder; ", f"ike gateway {name} address {raw}: ")
            if value is not None:
                peers.append((raw, value, line))
        vpn_names = vpns.get(name, [])
        for raw, value, line in peers:
            family = 6 if (a := parse_ip(value)) is not None and a.version == 6 else 4
            local, how, label = local_end(family)
            loc = span(relpath, raw_lines, *block) if block else span(relpath, raw_lines, line)
            suffix = f" (peer {value})" if len(peers) > 1 else ""
            notes = [] if local else [how]
            if not vpn_names:
                notes.append(f"ike gateway {name} is not used by any security ipsec vpn")
            col.link(
                vpn_link(
                    RESOURCE_TYPE,
                    f"{relpath}: {label_name}{suffix}" + (f" (ipsec vpn {', '.join(vpn_names)})" if vpn_names else ""),
                    loc,
                    local,
                    label,
                    relpath,
                    value,
                    ("peer (dynamic: whoever connects)" if raw == "dynamic" else
                     f"peer (dynamic hostname {raw})" if gw.get("dynamic_host") else f"peer (address {raw})"),
                    local_origin=how,
                    peer_origin=(f"dynamic hostname (IKE id) in {relpath} line {line}" if gw.get("dynamic_host")
                                 else f"address in {relpath} line {line}"),
                    notes=notes,
                )
            )


_SYSTEMS = ("logical-systems", "tenants")
# `apply-groups "${node}"` (chassis cluster): each member applies the group named after it, node0 or node1
_NODE_GROUPS = ("node0", "node1")


def _applications(p: Parsed) -> dict[tuple[str, ...], list[tuple[str, list[str]]]]:
    """Hierarchy level (words from the top) -> its `apply-groups` / `apply-groups-except` statements in file
    order, as ("apply" | "except", group names); `${node}` stands for both cluster members' groups."""
    out: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}
    for st in p.stmts:
        if st.words[:1] == ("groups",):
            continue
        for i, word in enumerate(st.words):
            if word in ("apply-groups", "apply-groups-except"):
                named = []
                for n in st.words[i + 1 :]:
                    n = n.strip('"')
                    named.extend(_NODE_GROUPS if n == "${node}" else (n,))
                out.setdefault(st.words[:i], []).append(("apply" if word == "apply-groups" else "except", named))
                break
    return out


def _groups_at(applies: dict[tuple[str, ...], list[tuple[str, list[str]]]], path: tuple[str, ...]) -> list[str]:
    """The groups a statement at `path` inherits from, highest priority first: walking down from the top, each
    level's `apply-groups-except` removes groups, and its `apply-groups` puts its groups (in their listed
    order: the first listed wins) before those of the levels above (a nested level's groups win)."""
    order: list[str] = []
    for depth in range(len(path) + 1):
        for kind, named in applies.get(path[:depth], ()):
            if kind == "except":
                order = [g for g in order if g not in named]
            else:
                order = list(dict.fromkeys(named)) + [g for g in order if g not in named]
    return order


def _wildcard(name: str) -> bool:
    return len(name) > 2 and name.startswith("<") and name.endswith(">")


def _inherit(gw: dict, ggw: dict) -> None:
    """Fill what gateway `gw` leaves unset from a group's statements for it."""
    for key in ("address", "external", "local", "dynamic", "client"):
        if not gw[key] and ggw[key]:
            gw[key] = list(ggw[key]) if isinstance(ggw[key], list) else ggw[key]
    gw["inactive"] = gw["inactive"] or ggw["inactive"]


def _scopes(p: Parsed, col: Collector, relpath: str) -> dict[tuple[str, ...], list[tuple[Stmt, tuple[str, ...], str]]]:
    """Statements by the system they configure, with the words of that system's prefix removed.

    `groups G ...` statements count as written at the top when G is applied (`apply-groups G` at any
    level; Junos inherits them there), and a logical system or tenant (`logical-systems LS ...`) is a
    system of its own with its own interfaces and gateways: a gateway written either way used to be
    read as nothing at all. A group no `apply-groups` names is not configuration; its gateways are a note.
    """
    applied: set[str] = set()
    for st in p.stmts:
        for i, word in enumerate(st.words):
            if word in ("apply-groups", "apply-groups-except"):
                if word == "apply-groups":
                    named = [n.strip('"') for n in st.words[i + 1 :]]
                    applied.update(named)
                    if "${node}" in named:  # each cluster member applies its own: both hold configuration
                        applied.update(_NODE_GROUPS)
                break
    out: dict[tuple[str, ...], list[tuple[Stmt, tuple[str, ...], str]]] = {(): []}
    unapplied: dict[str, int] = {}
    for st in p.stmts:
        w, prefix, from_group = st.words, (), ""
        if w[:1] == ("groups",) and len(w) >= 2:
            if w[1] not in applied:
                if w[2:5] == ("security", "ike", "gateway") or (w[2:3] in (("logical-systems",), ("tenants",)) and "ike" in w):
                    unapplied.setdefault(w[1], st.line)
                continue
            w, prefix, from_group = w[2:], w[:2], w[1]
        scope: tuple[str, ...] = ()
        if w[:1] in (("logical-systems",), ("tenants",)) and len(w) >= 2:
            scope, prefix, w = w[:2], prefix + w[:2], w[2:]
        moved = st if not prefix else Stmt(w, st.line, st.inactive)
        out.setdefault(scope, []).append((moved, prefix, from_group))
    for group, line in sorted(unapplied.items(), key=lambda x: x[1]):
        col.note(f"{relpath}:{line}: group {group} holds ike gateways but no apply-groups names it; not configuration, not read")
    return out


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)
