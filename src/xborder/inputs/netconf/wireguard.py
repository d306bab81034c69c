"""WireGuard (`wg-quick` / `wg setconf` style): `[Interface]` and each `[Peer]`'s `Endpoint`.

A peer without `Endpoint` only answers (a responder). When its `AllowedIPs` route a network (a prefix wider
than one host) it is another site: a site-to-site link whose far end is unknown (XB102), never dropped. When
every peer without an endpoint has host routes only (/32, /128), they are clients: the file is a
remote-access service (XB103). The `[Interface]` `Address` is the inner tunnel address, not where the
device is, so the local end is left to the site inventory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import ipaddress

from xborder.inputs.netconf.common import Collector, is_placeholder, read_text, remote_access_link, span, split_lines, vpn_link
from xborder.model import LoadResult, part_not_read

FORMAT = "wireguard"
RESOURCE_TYPE = "wireguard peer"
_SECTION = re.compile(r"^\s*\[\s*([A-Za-z]+)\s*\]\s*$")
_KV = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*?)\s*$")
# wg-quick runs these as shell commands; `wg set IFACE peer ...`, `wg addconf|setconf|syncconf` add peers there
_HOOKS = ("preup", "postup", "predown", "postdown")
_HOOK_WG = re.compile(r"\bwg(?:\.exe)?\s+(addconf|setconf|syncconf)\b|\bwg(?:\.exe)?\s+(set)\b[^;|&]*\bpeer\b")
_NAME_COMMENT = re.compile(r"^#+\s*(?:(?:friendly[_ ]?)?name|peer|client|site)\s*[=:]\s*(.+)$", re.IGNORECASE)


@dataclass
class Section:
    """One `[Interface]` or `[Peer]` section, its keys (value, line) and the comments that name it."""

    kind: str
    start: int
    end: int
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)
    comment_before: str = ""
    name_comment: str = ""


def comments(text: str) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(split_lines(text), 1):
        i = line.find("#")
        if i >= 0:
            out.append((n, line[i:]))
    return out


def parse_endpoint(raw: str, blanks: bool = True) -> tuple[str, str] | None:
    """(host, port) of `1.2.3.4:51820`, `[2001:db8::1]:51820`, `2001:db8::1:51820` or `host.example.com:51820`,
    split as wg(8) splits it (wireguard-tools `parse_endpoint`); None if wg refuses it (see `endpoint_problem`)."""
    split = _split_endpoint(raw, blanks)
    return split if isinstance(split, tuple) else None


def endpoint_problem(raw: str, blanks: bool = True) -> str:
    """Why wg(8) refuses `raw` as an endpoint ("" when it does not), for the error message."""
    split = _split_endpoint(raw, blanks)
    return "" if isinstance(split, tuple) else split


def _split_endpoint(raw: str, blanks: bool = True) -> tuple[str, str] | str:
    """wg(8)'s reading: `[host]:port` splits at the first `]`; anything else at the *last* colon, so an IPv6
    address without brackets is read with its last group as the port (`2001:db8::1:51820` is 2001:db8::1
    port 51820, as wg connects to it). wg passes the host to getaddrinfo, which refuses a name with a colon:
    an unbracketed host that holds one must be an IPv6 address. A reason string when wg refuses it.
    `blanks`: drop every blank first, as wg does with the whole line (netplan keeps them: a blank is refused)."""
    v = "".join(raw.split()) if blanks else raw.strip()
    if not blanks and any(c.isspace() for c in v):
        return "it holds a blank"
    if not v:
        return "it is empty"
    if v.startswith("["):
        close = v.find("]")
        if close < 0:
            return "the [ has no matching ]"
        host, rest = v[1:close], v[close + 1:]
        if not rest.startswith(":") or not rest[1:]:
            return "it has no :port after the ]"
        port = rest[1:]
    else:
        colon = v.rfind(":")
        if colon < 0 or colon == len(v) - 1:
            return "it has no :port"
        host, port = v[:colon], v[colon + 1:]
        if ":" in host and not _is_ipv6(host):
            return (f"wg(8) splits an address without brackets at its last colon, which leaves host '{host}' (not an "
                    f"address) and port '{port}'; write [IPv6]:port")
    if not host or any(c in host for c in "[]"):
        return f"host '{host}' is not an address or a host name"
    if not re.fullmatch(r"\d{1,5}", port):
        return f"port '{port}' is not a number"
    return host, port


def _is_ipv6(host: str) -> bool:
    """An IPv6 address (with or without a %zone), as getaddrinfo accepts it without brackets."""
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    lines = split_lines(text)
    sections: list[Section] = []
    current: Section | None = None
    pending_comment = ""
    hooks: list[tuple[str, str, int]] = []  # (key as written, wg verb, line) of hook commands that add peers
    for n, raw in enumerate(lines, 1):
        hash_at = raw.find("#")
        body = raw if hash_at < 0 else raw[:hash_at]
        comment = "" if hash_at < 0 else raw[hash_at:].strip()
        if not body.strip():
            if comment:
                m = _NAME_COMMENT.match(comment)
                if current is not None and current.kind == "peer" and m and not current.name_comment:
                    current.name_comment = m.group(1).strip()
                pending_comment = comment.lstrip("#").strip()
            else:
                pending_comment = ""
            continue
        m = _SECTION.match(body)
        if m:
            current = Section(m.group(1).lower(), n, n, comment_before=pending_comment)
            pending_comment = ""
            if current.kind not in ("interface", "peer"):
                col.error(n, f"wireguard: unknown section [{m.group(1)}] (expected [Interface] or [Peer])")
            sections.append(current)
            continue
        pending_comment = ""
        m = _KV.match(body)
        if not m:
            col.error(n, f"wireguard: expected 'Key = Value': '{body.strip()}'")
            continue
        if current is None:
            col.error(n, f"wireguard: '{m.group(1)}' before any [Interface] or [Peer] section")
            continue
        key, value = m.group(1).lower(), m.group(2)
        if key in _HOOKS and current.kind == "interface":
            hook = _HOOK_WG.search(value)
            if hook:
                hooks.append((m.group(1), hook.group(1) or hook.group(2), n))
        if key == "allowedips" and key in current.keys and value:
            # wg(8) adds each AllowedIPs line to the peer's list; a later one does not replace the earlier ones
            first, at = current.keys[key]
            value = f"{first}, {value}" if first else value
            n_at = at
        else:
            n_at = n
        current.keys[key] = (value, n_at)
        current.end = n
    iface = PurePosixPath(relpath).stem
    clients: list[str] = []
    for index, sec in enumerate((s for s in sections if s.kind == "peer"), 1):
        pubkey = sec.keys.get("publickey", ("", 0))[0]
        name = sec.name_comment or (sec.comment_before[:60] if sec.comment_before else "")
        if not name:
            name = f"PublicKey {pubkey[:8]}..." if pubkey else f"#{index}"
        where = f"{relpath}:{sec.start}"
        endpoint = sec.keys.get("endpoint")
        if endpoint is None or not endpoint[0]:
            routed = routed_networks(sec.keys.get("allowedips", ("", 0))[0])
            if not routed:
                clients.append(name)  # a client with a host route: the service is remote access
                continue
            col.link(
                vpn_link(
                    RESOURCE_TYPE,
                    f"{relpath}: [Peer] {name}",
                    span(relpath, lines, sec.start, sec.end),
                    "",
                    f"local end ([Interface] {iface})",
                    relpath,
                    "%any",
                    f"peer ([Peer] {name} without Endpoint, AllowedIPs {', '.join(routed)})",
                    notes=[f"[Peer] {name} has no Endpoint: it connects from wherever it is, and routes "
                           f"{', '.join(routed)}, so it is a site rather than a client"],
                )
            )
            continue
        hp = (endpoint[0], "") if is_placeholder(endpoint[0]) else parse_endpoint(endpoint[0])
        if hp is None:
            col.error(endpoint[1], f"wireguard: Endpoint '{endpoint[0]}' is not host:port or [IPv6]:port: "
                                   f"{endpoint_problem(endpoint[0])}")
            continue
        value = col.peer(hp[0], endpoint[1], f"{where}: [Peer] {name}: Endpoint {endpoint[0]}: ", f"wireguard: Endpoint '{endpoint[0]}': ")
        if value is None:
            continue
        col.link(
            vpn_link(
                RESOURCE_TYPE,
                f"{relpath}: [Peer] {name}",
                span(relpath, lines, sec.start, sec.end),
                "",
                f"local end ([Interface] {iface})",
                relpath,
                value,
                f"peer (Endpoint = {endpoint[0]})",
                peer_origin=f"Endpoint in {relpath} line {endpoint[1]}",
            )
        )
    seen_hooks: dict[str, int] = {}
    for key, verb, n in hooks:
        address = f"{relpath}: {key} wg {verb}"
        seen_hooks[address] = seen_hooks.get(address, 0) + 1
        if seen_hooks[address] > 1:
            address += f" #{seen_hooks[address]}"
        col.link(part_not_read(
            span(relpath, lines, n), address, f"{key} `wg {verb}` in [Interface] {iface}",
            f"wg-quick runs this command, and `wg {verb}` adds or changes peers when the interface comes up; "
            "xborder does not run commands, so those peers and their endpoints are not judged",
            "declare the peers in [Peer] sections of this file (for `wg addconf|setconf|syncconf`, keep the file it "
            "reads in the scanned tree as a configuration of its own)",
            f"an approval for rule XB002 in .xborder.yaml with this file's path and `resource: \"{address}\"`, or "
            "`# xborder:ignore XB002 reason=\"...\"` on the line above it", "netconf"))
    if clients:
        first = next(s for s in sections if s.kind == "peer")
        col.link(remote_access_link(
            RESOURCE_TYPE, f"{relpath}: [Interface] {iface}", span(relpath, lines, first.start, first.end),
            "", f"WireGuard service ([Interface] {iface}, {len(clients)} client peer{'s' if len(clients) != 1 else ''} "
                f"without Endpoint)", relpath))
    return col.result


def routed_networks(allowed: str) -> list[str]:
    """The prefixes wider than one host in an AllowedIPs list (what makes a peer a site, not a client)."""
    out = []
    for part in allowed.split(","):
        try:
            net = ipaddress.ip_network(part.strip(), strict=False)
        except ValueError:
            continue
        if net.num_addresses > 1:
            out.append(str(net))
    return out


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)
