"""netplan YAML: `network.tunnels.NAME` of mode `wireguard` (each peer's `endpoint`) and of the other
modes (`gre`, `ipip`, `sit`, `vxlan`, `ip6gre`, `vti`...: `remote`, `local`). A tunnel with no remote
only answers: no link. A WireGuard peer with no endpoint is read as in a wg-quick file: a site (its
`allowed-ips` route a network) is an unknown end (XB102); clients (host routes only) make the tunnel a
remote-access service.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from xborder import yaml_budget
from xborder.inputs.netconf.common import Collector, local_value, read_text, remote_access_link, split_lines, vpn_link
from xborder.inputs.netconf.wireguard import endpoint_problem, routed_networks, parse_endpoint
from xborder.model import Link, LoadResult, Location

FORMAT = "netplan"
RESOURCE_TYPE = "netplan tunnel"


def comments(text: str) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(split_lines(text), 1):
        in_quote = ""
        for i, ch in enumerate(line):
            if in_quote:
                if ch == in_quote:
                    in_quote = ""
            elif ch in "\"'":
                in_quote = ch
            elif ch == "#" and (i == 0 or line[i - 1].isspace()):
                out.append((n, line[i:]))
                break
    return out


def _all(node: yaml.Node, key: str) -> list[tuple[yaml.Node, yaml.Node]]:
    """Every (key, value) pair of `node` with this key, in order: netplan applies each (libyaml keeps
    repeated keys), so a repeated mapping adds to the first and a repeated scalar replaces it."""
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]


def _get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The pair netplan keeps for a scalar key: the last one written."""
    pairs = _all(node, key)
    return pairs[-1] if pairs else None


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value)
    return None


def _last(node: yaml.Node) -> yaml.Node:
    """The node that ends `node`'s text (block collections' own end marks sit at the next token)."""
    while not getattr(node, "flow_style", False):
        if isinstance(node, yaml.MappingNode) and node.value:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value:
            node = node.value[-1]
        else:
            break
    return node


def _loc(path: str, start: yaml.Node, end: yaml.Node) -> Location:
    e = _last(end).end_mark
    return Location(path, start.start_mark.line + 1, start.start_mark.column + 1, e.line + 1, e.column + 1)


@dataclass
class _Def:
    """One definition of a tunnel: `network.tunnels.NAME` in one file (netplan may merge several)."""

    path: str
    name: str
    key: yaml.Node
    body: yaml.MappingNode


@dataclass
class _Tunnel:
    """A tunnel as netplan builds it from its definitions in reading order: a scalar key set by a later
    definition overrides an earlier one, sequences (`peers`) are concatenated (netplan-generate(8))."""

    defs: list[_Def]

    def last(self, key: str) -> tuple[_Def, yaml.Node] | None:
        """The definition that sets `key` last and its value node."""
        for d in reversed(self.defs):
            found = _get(d.body, key)
            if found is not None:
                return d, found[1]
        return None

    def peers(self) -> list[tuple[_Def, yaml.Node]] | None:
        """Every definition's `peers` entries in order; None when no definition has `peers`."""
        lists = [(d, node) for d in self.defs for _, node in _all(d.body, "peers")]
        if not lists:
            return None
        return [(d, peer) for d, node in lists if isinstance(node, yaml.SequenceNode) for peer in node.value]


def _definitions(text: str, relpath: str, col: Collector) -> list[_Def]:
    """The tunnel definitions of one file, in order; syntax and shape errors go to `col`."""
    try:
        doc = yaml_budget.compose(text)  # alias fan-out and deep nesting are errors, not work
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        col.error(mark.line + 1 if mark else 1, f"netplan: YAML syntax error: {exc.problem or exc}", relpath)
        return []
    except yaml.YAMLError as exc:
        col.error(1, f"netplan: YAML error: {exc}", relpath)
        return []
    out = []
    merge: yaml.Node | None = None  # the first `<<` key netplan meets where tunnels are defined
    for _, net in _all(doc, "network") if doc is not None else []:
        merge = merge or _merge_key(net, deep=False)
        for _, tunnels in _all(net, "tunnels"):
            if not isinstance(tunnels, yaml.MappingNode):
                col.error(tunnels.start_mark.line + 1, "netplan: network.tunnels must be a mapping of tunnel names", relpath)
                continue
            merge = merge or _merge_key(tunnels, deep=False)
            for key, body in tunnels.value:
                merge = merge or _merge_key(body, deep=True)
                name = _scalar(key) or "?"
                if not isinstance(body, yaml.MappingNode):
                    col.error(key.start_mark.line + 1, f"netplan: tunnel {name} must be a mapping", relpath)
                    continue
                out.append(_Def(relpath, name, key, body))
    if merge is not None:
        # netplan reads YAML with libyaml's document loader, which keeps `<<` as an ordinary key (YAML merge keys
        # are a 1.1 type libyaml does not apply), and its parser (parse.c process_mapping) refuses a key it has
        # no handler for: the whole file is refused, so no tunnel of it is set up as read here
        col.error(merge.start_mark.line + 1, "netplan: unknown key '<<': netplan does not apply YAML merge keys "
                                             "(`<<: *anchor`) and refuses this file; write the keys out in each definition", relpath)
    return out


def _merge_key(node: yaml.Node, deep: bool) -> yaml.Node | None:
    """The first `<<` key of `node` (and, when `deep`, of the mappings and sequences below it) in the order
    netplan meets it (each key, then what is below it), or None. `networkmanager` passthrough settings take
    any key, so they are not searched."""
    stack, seen = [iter(_children(node))], {id(node)}
    while stack:
        pair = next(stack[-1], None)
        if pair is None:
            stack.pop()
            continue
        k, v = pair
        if isinstance(k, yaml.ScalarNode) and k.value == "<<":
            return k
        if deep and id(v) not in seen and not (isinstance(k, yaml.ScalarNode) and k.value == "networkmanager"):
            seen.add(id(v))
            stack.append(iter(_children(v)))
    return None


def _children(node: yaml.Node) -> list[tuple[yaml.Node | None, yaml.Node]]:
    """(key, value) pairs of a mapping, (None, item) of a sequence, nothing for a scalar."""
    if isinstance(node, yaml.MappingNode):
        return list(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [(None, item) for item in node.value]
    return []


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    """The file read on its own: each tunnel definition as written in it."""
    col = Collector(relpath)
    for d in _definitions(text, relpath, col):
        _tunnel_links(col, _Tunnel([d]))
    return col.result


def _tunnel_links(col: Collector, tunnel: _Tunnel, merged: str = "") -> list[Link]:
    """The links of one tunnel (notes and errors to `col`). `merged` names the files netplan merges it from:
    the addresses then say so, and each end's origin names the file its value comes from."""
    last = tunnel.defs[-1]
    name, relpath = last.name, last.path
    where = f"{relpath}:{last.key.start_mark.line + 1}"
    suffix = f" (as netplan merges {merged})" if merged else ""
    mode_set = tunnel.last("mode")
    mode = _scalar(mode_set[1]) if mode_set else None
    mode = mode or ""
    local_set = tunnel.last("local")
    local_raw = _scalar(local_set[1]) if local_set else None
    local = local_value(local_raw)
    local_label = f"local end (local: {local_raw})" if local_raw else f"local end (tunnel {name})"
    local_origin = f"local in {local_set[0].path} line {local_set[1].start_mark.line + 1}" if local_set else ""
    device = local_set[0].path if local_set else relpath  # the file whose site (`paths`) is the device's
    out: list[Link] = []
    peers = tunnel.peers()
    if mode.lower() == "wireguard" or peers is not None:
        clients: list[tuple[_Def, yaml.Node]] = []
        for idx, (d, peer) in enumerate(peers or []):
            ep = _get(peer, "endpoint")
            ep_raw = _scalar(ep[1]) if ep else None
            if not ep_raw:
                routed = routed_networks(_allowed_ips(peer))
                if not routed:  # a client with host routes: the tunnel is a remote-access service
                    clients.append((d, peer))
                    continue
                # a peer routing networks is another site that connects from wherever it is: an unknown end
                # (XB102), as in a wg-quick file, never only a note
                out.append(vpn_link(
                    RESOURCE_TYPE,
                    f"{d.path}: tunnels.{name} peer {idx + 1}{suffix}",
                    _loc(d.path, peer, peer),
                    local,
                    local_label,
                    device,
                    "%any",
                    f"peer (peer {idx + 1} without endpoint, allowed-ips {', '.join(routed)})",
                    local_origin=local_origin,
                    notes=[f"peer {idx + 1} of tunnel {name} has no endpoint: it connects from wherever it is, and "
                           f"routes {', '.join(routed)}, so it is a site rather than a client"],
                ))
                continue
            assert ep is not None
            line = ep[1].start_mark.line + 1
            hp = parse_endpoint(ep_raw, blanks=False)  # netplan splits as wg(8) does (parse.c handle_wireguard_endpoint)
            if hp is None:
                col.error(line, f"netplan: tunnel {name}: endpoint '{ep_raw}' is not host:port or [IPv6]:port: "
                                f"{endpoint_problem(ep_raw, blanks=False)}", d.path)
                continue
            value = col.peer(hp[0], line, f"{d.path}:{line}: tunnel {name}: endpoint {ep_raw}: ",
                             f"netplan: tunnel {name}: endpoint {ep_raw}: ", d.path)
            if value is None:
                continue
            out.append(vpn_link(
                RESOURCE_TYPE,
                f"{d.path}: tunnels.{name} peer {ep_raw}{suffix}",
                _loc(d.path, peer, peer),
                local,
                local_label,
                device,
                value,
                f"peer (endpoint: {ep_raw})",
                local_origin=local_origin,
                peer_origin=f"endpoint in {d.path} line {line}",
            ))
        if clients:
            d, first = clients[0]
            out.append(remote_access_link(
                RESOURCE_TYPE, f"{d.path}: tunnels.{name}{suffix}", _loc(d.path, first, first), local,
                f"WireGuard service (tunnel {name}, {len(clients)} client peer{'s' if len(clients) != 1 else ''} "
                f"without endpoint)", device, local_origin=local_origin))
        return _kept(col, out)
    remote_set = tunnel.last("remote")
    remote_raw = _scalar(remote_set[1]) if remote_set else None
    if not remote_raw:
        col.note(f"{where}: tunnel {name} ({mode or 'no mode'}) has no remote: a responder or multicast, no peer endpoint")
        return out
    assert remote_set is not None
    r_path, line = remote_set[0].path, remote_set[1].start_mark.line + 1
    value = col.peer(remote_raw, line, f"{where}: tunnel {name}: remote {remote_raw}: ",
                     f"netplan: tunnel {name}: remote {remote_raw}: ", r_path)
    if value is None:
        return out
    out.append(vpn_link(
        RESOURCE_TYPE,
        f"{relpath}: tunnels.{name}{suffix}",
        _loc(relpath, last.key, last.body),
        local,
        local_label,
        device,
        value,
        f"peer (remote: {remote_raw}, mode {mode or 'not set'})",
        local_origin=local_origin,
        peer_origin=f"remote in {r_path} line {line}",
    ))
    return _kept(col, out)


def _allowed_ips(peer: yaml.Node) -> str:
    """A peer's `allowed-ips` (a sequence, or one scalar) as wg-quick's comma-separated list."""
    found = _get(peer, "allowed-ips")
    if found is None:
        return ""
    node = found[1]
    if isinstance(node, yaml.SequenceNode):
        return ",".join(v for v in (_scalar(item) for item in node.value) if v)
    return _scalar(node) or ""


def _kept(col: Collector, links: list[Link]) -> list[Link]:
    for link in links:
        col.link(link)
    return links


# the directories netplan reads, by rank: a file shadows a file of the same name in a lower-ranked one
SYSTEM_DIRS = ("lib", "etc", "run")


def group_of(relpath: str) -> tuple[str, int, str] | None:
    """(group, rank, file name) of a file netplan reads together with others, or None (netplan reads only
    `*.yaml`). One directory is one group; `P/lib/netplan`, `P/etc/netplan` and `P/run/netplan` (a copy of a
    root file system) are one group, as on the device."""
    parent, _, name = relpath.rpartition("/")
    if not name.endswith(".yaml"):
        return None
    head, _, last = parent.rpartition("/")
    if last == "netplan" and parent != "netplan":
        base, _, system = head.rpartition("/")
        if system in SYSTEM_DIRS:
            if system == "lib" and (base == "usr" or base.endswith("/usr")):
                base = base[:-3].rstrip("/")  # /usr/lib/netplan is /lib/netplan on merged-/usr systems
            return f"{base}/*/netplan", SYSTEM_DIRS.index(system), name
    return parent, 0, name


def reading_order(paths: list[str]) -> tuple[list[list[str]], dict[str, str]]:
    """The groups of files netplan merges, each in netplan's order (file names in byte order, whatever
    their directory), and the files another one shadows (same name in a higher-ranked directory) -> that one."""
    groups: dict[str, dict[str, tuple[int, str]]] = {}
    shadowed: dict[str, str] = {}
    for rel in sorted(paths):
        key = group_of(rel)
        if key is None:
            continue
        group, rank, name = key
        held = groups.setdefault(group, {})
        other = held.get(name)
        if other is not None:
            low, high = (other[1], rel) if other[0] <= rank else (rel, other[1])
            shadowed[low] = high
            if other[0] > rank:
                continue
        held[name] = (rank, rel)
    order = [[held[n][1] for n in sorted(held, key=lambda n: n.encode("utf-8", "surrogateescape"))]
             for _, held in sorted(groups.items())]
    return order, shadowed


def load(path: Path, relpath: str, root: Path, group: tuple[tuple[str, bool], ...] | None = None) -> LoadResult:
    """The file read on its own, then the tunnels netplan merges from several definitions: in this file
    (`group` None), across `group` (every file netplan reads with it, in its order, each marked whether it is
    a unit of this scan, which reports its own problems), or none (`()`: another unit merges its group)."""
    members = ((relpath, True),) if group is None else group or ((relpath, True),)
    col = Collector(relpath)
    defs: dict[str, list[_Def]] = {}
    for member, is_unit in members:
        if member == relpath:
            defs[member] = _definitions(read_text(path), relpath, col)
            continue
        other = Collector(member)
        try:
            defs[member] = _definitions(read_text(root / member), member, other)
        except OSError as exc:
            other.error(1, f"netplan: cannot read {member}, which netplan merges with {relpath}: {exc.strerror or exc}", member)
        if not is_unit:  # read only for the merge: its problems are said here
            col.result.errors.extend(other.result.errors)
    for d in defs.get(relpath, []):
        _tunnel_links(col, _Tunnel([d]))
    if group != ():
        _merged(col, members, defs)
    return col.result


def _merged(col: Collector, members: tuple[tuple[str, bool], ...], defs: dict[str, list[_Def]]) -> None:
    """Links of tunnels defined more than once (in one file or several), as netplan merges them, where
    they differ from every definition read alone: a later file that changes only `local` (or adds a
    peer) makes a link none of the files shows by itself. Each definition alone stays reported too."""
    units = {m for m, is_unit in members if is_unit}
    by_name: dict[str, list[_Def]] = {}
    for member, _ in members:
        for d in defs.get(member, []):
            by_name.setdefault(d.name, []).append(d)
    for name, parts in by_name.items():
        if len(parts) < 2 or not any(d.path in units for d in parts):
            continue
        files = list(dict.fromkeys(d.path for d in parts))
        where = ", ".join(f"{d.path} line {d.key.start_mark.line + 1}" for d in parts)
        alone = Collector(col.relpath)
        seen = {_same_link(link) for d in parts for link in _tunnel_links(alone, _Tunnel([d]))}
        merged = Collector(col.relpath)
        for link in _tunnel_links(merged, _Tunnel(parts), " + ".join(files)):
            if _same_link(link) in seen:
                continue
            link.unit = link.location.path  # the same in every scan form (whichever unit merged it)
            link.related = [Location(d.path, d.key.start_mark.line + 1, d.key.start_mark.column + 1,
                                     d.key.end_mark.line + 1, d.key.end_mark.column + 1, f"definition of tunnel {name}")
                            for d in parts]
            link.notes.append(f"netplan reads these definitions of tunnel {name} in this order and merges them (a later "
                              f"value replaces an earlier one, peers are added): {where}")
            col.link(link)
        col.result.errors.extend(e for e in merged.result.errors if e.path not in units and e not in col.result.errors)
        last = parts[-1]
        col.note(f"{last.path}:{last.key.start_mark.line + 1}: netplan merges tunnel {name} from {where}: "
                 "judged as merged where that differs from each definition alone")


def _same_link(link: Link) -> tuple[str, str, str, Location | None]:
    """What makes two readings of a tunnel the same link: both ends' values, the device's file, and for a
    WireGuard peer the peer written."""
    peer = link.location if link.b.label.startswith("peer (endpoint") else None
    return link.a.fact.value, link.a.fact.namespace, link.b.fact.value, peer
