"""netplan YAML: `network.tunnels.NAME` of mode `wireguard` (each peer's `endpoint`) and of the other
modes (`gre`, `ipip`, `sit`, `vxlan`, `ip6gre`, `vti`...: `remote`, `local`). A tunnel with no remote
(or a WireGuard peer with no endpoint) only answers: no link.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from xborder import yaml_budget
from xborder.inputs.netconf.common import Collector, local_value, read_text, split_lines, vpn_link
from xborder.inputs.netconf.wireguard import parse_endpoint
from xborder.model import LoadResult, Location

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


def _get(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


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


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    try:
        doc = yaml_budget.compose(text)  # alias fan-out and deep nesting are errors, not work
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        col.error(mark.line + 1 if mark else 1, f"netplan: YAML syntax error: {exc.problem or exc}")
        return col.result
    except yaml.YAMLError as exc:
        col.error(1, f"netplan: YAML error: {exc}")
        return col.result
    net = _get(doc, "network") if doc is not None else None
    tunnels = _get(net[1], "tunnels") if net else None
    if tunnels is None:
        return col.result
    if not isinstance(tunnels[1], yaml.MappingNode):
        col.error(tunnels[1].start_mark.line + 1, "netplan: network.tunnels must be a mapping of tunnel names")
        return col.result

    for key, body in tunnels[1].value:
        name = _scalar(key) or "?"
        where = f"{relpath}:{key.start_mark.line + 1}"
        if not isinstance(body, yaml.MappingNode):
            col.error(key.start_mark.line + 1, f"netplan: tunnel {name} must be a mapping")
            continue
        mode = _scalar((_get(body, "mode") or (None, None))[1]) or ""
        local_node = _get(body, "local")
        local_raw = _scalar(local_node[1]) if local_node else None
        local = local_value(local_raw)
        local_label = f"local end (local: {local_raw})" if local_raw else f"local end (tunnel {name})"
        local_origin = f"local in {relpath} line {local_node[1].start_mark.line + 1}" if local_node else ""
        peers = _get(body, "peers")
        if mode.lower() == "wireguard" or peers is not None:
            items = peers[1].value if peers and isinstance(peers[1], yaml.SequenceNode) else []
            for idx, peer in enumerate(items):
                ep = _get(peer, "endpoint")
                ep_raw = _scalar(ep[1]) if ep else None
                if not ep_raw:
                    col.note(f"{relpath}:{peer.start_mark.line + 1}: tunnel {name} peer {idx + 1} has no endpoint: a responder")
                    continue
                assert ep is not None
                line = ep[1].start_mark.line + 1
                hp = parse_endpoint(ep_raw)
                if hp is None:
                    col.error(line, f"netplan: tunnel {name}: endpoint '{ep_raw}' is not host:port or [IPv6]:port")
                    continue
                value = col.peer(hp[0], line, f"{relpath}:{line}: tunnel {name}: endpoint {ep_raw}: ", f"netplan: tunnel {name}: endpoint {ep_raw}: ")
                if value is None:
                    continue
                col.link(
                    vpn_link(
                        RESOURCE_TYPE,
                        f"{relpath}: tunnels.{name} peer {ep_raw}",
                        _loc(relpath, peer, peer),
                        local,
                        local_label,
                        relpath,
                        value,
                        f"peer (endpoint: {ep_raw})",
                        local_origin=local_origin,
                        peer_origin=f"endpoint in {relpath} line {line}",
                    )
                )
            continue
        remote = _get(body, "remote")
        remote_raw = _scalar(remote[1]) if remote else None
        if not remote_raw:
            col.note(f"{where}: tunnel {name} ({mode or 'no mode'}) has no remote: a responder or multicast, no peer endpoint")
            continue
        assert remote is not None
        line = remote[1].start_mark.line + 1
        value = col.peer(remote_raw, line, f"{where}: tunnel {name}: remote {remote_raw}: ", f"netplan: tunnel {name}: remote {remote_raw}: ")
        if value is None:
            continue
        col.link(
            vpn_link(
                RESOURCE_TYPE,
                f"{relpath}: tunnels.{name}",
                _loc(relpath, key, body),
                local,
                local_label,
                relpath,
                value,
                f"peer (remote: {remote_raw}, mode {mode or 'not set'})",
                local_origin=local_origin,
                peer_origin=f"remote in {relpath} line {line}",
            )
        )
    return col.result


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)
