"""Cisco IOS / IOS-XE / ASA running configs.

Tunnels come from:
- `crypto map NAME SEQ ipsec-isakmp` + `set peer` (IOS, block form) and `crypto map NAME SEQ set peer A [B..]`
  (ASA, one-line form); the local address is the interface the map is applied to (`crypto map NAME` under
  the interface, ASA `crypto map NAME interface NAMEIF`, IOS `crypto map NAME local-address IFACE`);
- `interface TunnelN` with `tunnel destination` (and `tunnel source` IP or interface), DMVPN NHRP
  `ip nhrp nhs ... nbma X` / `ip nhrp map IP NBMA`;
- peers with keys or identities and no tunnel of their own: `crypto isakmp key ... address`, `crypto keyring`
  `pre-shared-key address`, `crypto ikev2 keyring` peers, `crypto ikev2 profile` `match identity remote
  address`, ASA `tunnel-group IP type ipsec-l2l`;
- ASA `tunnel-group NAME type remote-access`: a remote-access service.
`!` lines are comments; `banner` text is skipped; `name`/`ip host` aliases are followed.

Blocks come from indentation (the `show running-config` form) and, for configs written without it (typed at
the CLI, pasted from documentation), from configuration modes, as the CLI reads them: a line that enters a
mode (`_MODES`: `interface`, `crypto map NAME SEQ`, `crypto isakmp|ikev1|ikev2 policy`, `crypto keyring`,
`crypto ikev2 keyring|profile|proposal` and a keyring's `peer`, `crypto isakmp profile`, `crypto ipsec
transform-set|profile`, `crypto dynamic-map`, ASA `tunnel-group NAME ipsec-attributes|general-attributes|...`,
`group-policy NAME attributes`, `webvpn`, `router` and its `address-family`, `line`) opens it; a following
top-level line that is one of that mode's sub-commands (its table row; a leading `no` is ignored) becomes its
child, as if indented, and a sub-command that itself enters a mode (an IKEv2 keyring `peer`) opens the nested
mode. A line the innermost mode does not know is tried against the enclosing modes, then read as a top-level
command, which closes them all; a `!` line at the margin, a banner or `end` closes every mode, `exit` (and
`exit-address-family`, `quit`) the innermost one. A sub-command missing from the table therefore ends the mode
early; it never swallows a global command. Indented lines keep their place in the indentation tree, and a
top-level line is never a sub-command of a mode in `show running-config` output, so indented configs read
exactly as they do without the table.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path

from xborder.inputs.netconf.abbrev import CANDIDATE, expand
from xborder.inputs.netconf.common import (
    Collector,
    parse_ip,
    read_text,
    remote_access_link,
    span,
    split_lines,
    vpn_link,
)
from xborder.model import LoadResult, part_not_read

FORMAT = "cisco"
CRYPTO_MAP = "cisco crypto map"
TUNNEL_IF = "cisco tunnel interface"
ASA_TUNNEL_GROUP = "asa tunnel-group"
_CLIENT_VPN = re.compile(r"^[ \t]*(crypto[ \t]+isakmp[ \t]+client[ \t]+configuration|ip[ \t]+local[ \t]+pool|"
                         r"crypto[ \t]+ikev2[ \t]+authorization[ \t]+policy|webvpn\b)", re.M)
_BANNER = re.compile(r"^banner\s+\S+\s+(\S)(\S?)")
# an EEM applet configures the device when its event fires: a VPN statement among its `cli command`s is read
# by nobody here (xborder runs no applet), so it is a part not read, never silence
_APPLET = re.compile(r"^[ \t]*event[ \t]+manager[ \t]+applet[ \t]+(\S+)", re.I)
_POLICY = re.compile(r"^[ \t]*event[ \t]+manager[ \t]+policy[ \t]+(\S+)(?:.*?[ \t]type[ \t]+(\S+))?", re.I)  # a Tcl EEM policy
_APPLET_CLI = re.compile(r"^[ \t]*action[ \t]+(\S+)[ \t]+cli[ \t]+command[ \t]+\"?(.*?)\"?[ \t]*$", re.I)
_VPN_COMMAND = re.compile(r"^(tunnel[ \t]+destination|set[ \t]+peer|crypto[ \t]+(map|isakmp[ \t]+key|ikev1[ \t]+key|keyring|"
                          r"ikev2[ \t]+(keyring|profile))|tunnel-group|ip[ \t]+nhrp[ \t]+(nhs|map)|pre-shared-key|address|"
                          r"match[ \t]+identity)(?=[ \t]|$)", re.I)


@dataclass
class Stmt:
    """One configuration line and the lines indented below it (the block it opens)."""

    text: str
    line: int
    indent: int
    children: list[Stmt] = field(default_factory=list)
    end: int = 0

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class Interface:
    """An interface's addresses and the crypto maps and tunnel source that tie it to a link."""

    name: str
    stmt: Stmt
    v4: list[str] = field(default_factory=list)
    v6: list[str] = field(default_factory=list)
    nameif: str = ""
    crypto_maps: list[str] = field(default_factory=list)
    tunnel_source: tuple[str, int] | None = None
    tunnel_destination: tuple[str, int] | None = None
    tunnel_mode: str = ""
    nhrp_peers: list[tuple[str, int]] = field(default_factory=list)
    shutdown: bool = False
    dhcp: bool = False


def comments(text: str) -> list[tuple[int, str]]:
    out = []
    for n, line in enumerate(split_lines(text), 1):
        s = line.lstrip()
        if s.startswith("!"):
            out.append((n, s))
    return out


def _tree(lines: list[str], col: Collector | None = None) -> list[Stmt]:
    roots, breaks = _indent_tree(lines, col)
    return _apply_modes(roots, breaks)


def _indent_tree(lines: list[str], col: Collector | None = None) -> tuple[list[Stmt], list[int]]:
    """Statements nested by indentation, and the lines that close every configuration mode (a `!` at the
    margin, a banner). A banner whose delimiter never comes again is an error with `col`: the device reads the
    rest of the file as its text, so no statement after it is analysed, and that must not pass unseen."""
    roots: list[Stmt] = []
    stack: list[Stmt] = []
    breaks: list[int] = []
    banner_end: str | None = None
    banner_line = 0
    for n, raw in enumerate(lines, 1):
        if banner_end is not None:
            if banner_end in raw:
                banner_end = None
            continue
        line = raw.rstrip()
        s = line.lstrip()
        if s.startswith("!") and s == line:
            breaks.append(n)
        if not s or s.startswith("!") or s.startswith(":"):  # ASA ': Saved' header lines
            continue
        m = _BANNER.match(s)
        if m:
            breaks.append(n)
            delim = m.group(1) + m.group(2) if m.group(1) == "^" else m.group(1)
            rest = s[m.end() :]
            if delim not in rest:
                banner_end, banner_line = delim, n
            continue
        indent = len(line) - len(s)
        if CANDIDATE.match(s):
            s = expand(s)  # `cry map`, `int Tu0`, `tun dest`: keywords typed abbreviated, written out (`abbrev`)
        stmt = Stmt(s, n, indent, end=n)
        while stack and stack[-1].indent >= indent:
            stack.pop()
        if stack:
            stack[-1].children.append(stmt)
            for parent in stack:
                parent.end = n
        else:
            roots.append(stmt)
        stack.append(stmt)
    if banner_end is not None and col is not None:
        rest = sum(1 for ln in lines[banner_line:] if ln.strip())
        if rest:
            col.error(banner_line, f"cisco: banner is not closed (no second '{banner_end}'): the {rest} non-empty "
                                   f"line{'s' if rest != 1 else ''} after it are its text, so no statement in them is analysed")
    return roots, breaks


@dataclass(frozen=True)
class _Mode:
    """A configuration mode: the lines that enter it (`headers`, under the mode `parent`, None at top level) and
    the sub-commands it accepts (`subs`, minus `unless`). Patterns are word prefixes, compared case-blind: `*`
    is any word, `#` a number, `a|b` either word, a final `$` means no more words."""

    name: str
    parent: str | None
    headers: tuple[str, ...]
    subs: tuple[str, ...]
    unless: tuple[str, ...] = ()


_IFACE_SUBS = (
    "ip address", "ip unnumbered", "ip nhrp", "ip mtu", "ip tcp", "ip ospf", "ip access-group", "ip nat inside $",
    "ip nat outside $", "ip nat enable", "ip vrf forwarding", "ip helper-address", "ip redirects", "ip unreachables",
    "ip proxy-arp", "ip virtual-reassembly", "ip policy", "ip flow", "ip pim", "ip igmp", "ip verify",
    "ip directed-broadcast", "ip route-cache", "ip dhcp client", "ip dhcp relay", "ip mask-reply", "ip inspect",
    "ip summary-address", "ip authentication", "ip hello-interval", "ip hold-time", "ip split-horizon",
    "ipv6 address", "ipv6 enable", "ipv6 nhrp", "ipv6 mtu", "ipv6 nd", "ipv6 ospf", "ipv6 traffic-filter",
    "ipv6 tcp", "ipv6 unreachables", "ipv6 redirects", "ipv6 dhcp client", "ipv6 dhcp server", "ipv6 dhcp relay",
    "ipv6 virtual-reassembly", "ipv6 policy",
    "crypto map * $", "crypto map * redundancy", "crypto ipsec df-bit", "crypto ipsec fragmentation", "crypto engine",
    "tunnel", "description", "shutdown", "nameif", "security-level", "management-only", "vrf forwarding",
    "vrf member", "encapsulation", "bandwidth", "delay", "mtu # $", "duplex", "speed", "negotiation", "keepalive",
    "load-interval", "media-type", "standby", "vrrp", "switchport", "spanning-tree portfast",
    "spanning-tree bpduguard", "spanning-tree guard", "channel-group", "service-policy input|output",
    "zone-member", "cdp enable", "lldp transmit", "lldp receive", "pppoe", "pppoe-client", "dialer", "ppp",
    "mpls", "hold-queue", "carrier-delay", "clock rate", "fair-queue", "snmp trap", "logging event", "dot1x",
)
_TUNNEL_GROUP_SUBS = (
    "ikev1", "ikev2", "pre-shared-key", "peer-id-validate", "isakmp", "chain", "trust-point", "authentication",
    "address-pool", "ipv6-address-pool", "authentication-server-group", "authorization-server-group",
    "accounting-server-group", "default-group-policy", "dhcp-server", "password-management", "strip-realm",
    "strip-group", "authorization-required", "username-from-certificate", "group-alias", "group-url",
)
_MODES: tuple[_Mode, ...] = (
    _Mode("interface", None, ("interface *",), _IFACE_SUBS),
    _Mode(
        "crypto map", None,
        ("crypto map * # $", "crypto map * # ipsec-isakmp|ipsec-manual|gdoi", "crypto dynamic-map * #"),
        ("set", "match", "description", "reverse-route", "qos"),
    ),
    _Mode(
        "ike policy", None, ("crypto isakmp|ikev1|ikev2 policy *",),
        ("encr", "encryption", "hash", "authentication", "group", "lifetime", "integrity", "prf", "proposal", "match"),
    ),
    _Mode("keyring", None, ("crypto keyring *",), ("pre-shared-key", "local-address", "rsa-pubkey", "description")),
    _Mode("ikev2 keyring", None, ("crypto ikev2 keyring *",), ("peer", "description")),
    _Mode("ikev2 keyring peer", "ikev2 keyring", ("peer *",), ("address", "hostname", "identity", "pre-shared-key", "description")),
    _Mode(
        "ikev2 profile", None, ("crypto ikev2 profile *",),
        ("match", "identity", "authentication", "keyring", "lifetime", "dpd", "description", "ivrf",
         "virtual-template", "nat", "config-exchange", "aaa", "pki"),
    ),
    _Mode("ikev2 proposal", None, ("crypto ikev2 proposal *",), ("encryption", "integrity", "group", "prf")),
    _Mode(
        "isakmp profile", None, ("crypto isakmp profile *",),
        ("match", "keyring", "self-identity", "local-address", "vrf", "description", "isakmp", "client",
         "virtual-template", "initiate", "ca", "keepalive"),
    ),
    _Mode("transform-set", None, ("crypto ipsec transform-set *",), ("mode",)),
    _Mode("ipsec profile", None, ("crypto ipsec profile *",), ("set", "description", "responder-only")),
    _Mode("ipsec-proposal", None, ("crypto ipsec ikev2 ipsec-proposal *",), ("protocol",)),
    _Mode(
        "tunnel-group", None,
        ("tunnel-group * ipsec-attributes|general-attributes|webvpn-attributes|ppp-attributes",), _TUNNEL_GROUP_SUBS,
    ),
    _Mode(
        "group-policy", None, ("group-policy * attributes",),
        ("vpn-tunnel-protocol", "dns-server", "default-domain", "split-tunnel-policy", "split-tunnel-network-list",
         "address-pools", "vpn-filter", "vpn-idle-timeout", "vpn-session-timeout", "wins-server", "vpn-simultaneous-logins"),
    ),
    _Mode(
        "webvpn", None, ("webvpn $",),
        ("enable", "anyconnect", "anyconnect-essentials", "tunnel-group-list", "tunnel-group-preference", "port", "cache"),
        unless=("enable password", "enable secret"),
    ),
    _Mode(
        "router", None, ("router *",),
        ("network", "neighbor", "redistribute", "passive-interface", "router-id", "address-family", "bgp",
         "default-information", "area", "eigrp", "maximum-paths", "distance", "auto-summary", "timers",
         "log-adjacency-changes"),
    ),
    _Mode("address-family", "router", ("address-family",), ("network", "neighbor", "redistribute", "maximum-paths", "default-information")),
    _Mode(
        "line", None, ("line *",),
        ("password", "login", "transport", "exec-timeout", "logging", "privilege", "access-class", "stopbits",
         "session-timeout", "length", "width"),
    ),
)
_EXIT = ("exit", "exit-address-family", "quit")
# sub-commands IOS and ASA refuse at the top level: met there after a line the mode table does not know (which
# ended the mode early, say `qos pre-classify` under a tunnel interface), they still belong to that mode
_ORPHANS = ("tunnel", "ip nhrp", "ipv6 nhrp", "set", "crypto map * $")
# global commands (a leading `no` is ignored): one of them ends a mode as the CLI does, and an orphan after it
# stays refused; any other line that ended the mode is taken for a sub-command the table does not know
_GLOBALS = (
    "hostname", "ip route", "ip host", "ip domain", "ip domain-name", "ip domain-lookup", "ip name-server",
    "ip access-list", "ip prefix-list", "ip nat", "ip sla", "ip dhcp", "ip http", "ip ssh", "ip scp", "ip cef",
    "ip routing", "ip vrf", "ip local", "ip forward-protocol", "ip multicast-routing", "ip community-list",
    "ip as-path", "ip default-gateway", "ip classless", "ip subnet-zero", "ip ftp", "ip tftp", "ip flow-export",
    "ip tcp", "ip bgp-community", "ip source-route", "ip finger", "ip bootp", "ip options", "ip icmp",
    "ipv6 route", "ipv6 unicast-routing", "ipv6 access-list", "ipv6 prefix-list", "ipv6 local", "ipv6 cef",
    "ipv6 host", "ipv6 dhcp pool", "access-list", "username", "aaa", "service", "enable", "ntp", "logging",
    "snmp-server", "snmp", "clock", "name", "names", "object", "object-group", "route", "nat", "boot", "license",
    "vtp", "vlan", "spanning-tree", "control-plane", "crypto", "tunnel-group", "group-policy", "version",
    "archive", "line", "banner", "mpls", "dial-peer", "voice", "key", "track", "event", "kron", "policy-map",
    "class-map", "route-map", "redundancy", "http", "ssh", "telnet", "dns", "domain-name", "same-security-traffic",
    "sysopt", "threat-detection", "dhcpd", "vpdn", "call-home", "multilink", "errdisable", "system", "cdp", "lldp",
    "power", "platform", "memory", "file", "privilege", "secure", "parser", "login", "alias", "scheduler",
    "interface", "router", "webvpn", "mtu", "icmp", "arp", "failover", "monitor-interface", "access-group",
    "timeout", "user-identity", "dynamic-access-policy-record", "pager", "firewall", "terminal", "hardware",
    "diagnostic", "udld", "port-channel", "username", "tacacs-server", "radius-server", "radius", "tacacs",
)


def _fits(pattern: str, words: list[str]) -> bool:
    toks = pattern.split()
    exact = toks[-1] == "$"
    if exact:
        toks = toks[:-1]
    if len(words) < len(toks) or (exact and len(words) != len(toks)):
        return False
    for t, w in zip(toks, words):
        if t == "#":
            if not w.isdigit():
                return False
        elif t != "*" and w not in t.split("|"):
            return False
    return True


_BY_FIRST: dict[tuple[str, ...], tuple[dict[str, tuple[str, ...]], tuple[str, ...]]] = {}


def _any_fits(patterns: tuple[str, ...], words: list[str]) -> bool:
    """Whether one of `patterns` fits `words`: only the patterns whose first word can be `words[0]` are tried
    (each pattern table is indexed once by its first word; a config of 100,000 lines asks ~10 per line)."""
    index = _BY_FIRST.get(patterns)
    if index is None:
        by_word: dict[str, list[str]] = {}
        wild: list[str] = []
        for p in patterns:
            first = p.split()[0]
            if first in ("*", "#", "$"):
                wild.append(p)
            else:
                for w in first.split("|"):
                    by_word.setdefault(w, []).append(p)
        index = _BY_FIRST[patterns] = ({k: tuple(v) for k, v in by_word.items()}, tuple(wild))
    if not words:
        return any(_fits(p, words) for p in index[1])
    return any(_fits(p, words) for p in index[0].get(words[0], ())) or any(_fits(p, words) for p in index[1])


_HEADERS: dict[str | None, dict[str, tuple[_Mode, ...]]] = {}


def _mode_of(low: list[str], parent: str | None) -> _Mode | None:
    """The mode a line enters under `parent` (first in `_MODES` order), trying only the modes with a header
    starting with the line's first word."""
    by_word = _HEADERS.get(parent)
    if by_word is None:
        lists: dict[str, list[_Mode]] = {}
        for m in _MODES:
            if m.parent == parent:
                for h in m.headers:
                    for w in h.split()[0].split("|"):
                        if m not in lists.setdefault(w, []):
                            lists[w].append(m)
        by_word = _HEADERS[parent] = {k: tuple(v) for k, v in lists.items()}
    for mode in by_word.get(low[0], ()) if low else ():
        if _any_fits(mode.headers, low):
            return mode
    return None


def _is_sub(mode: _Mode, low: list[str]) -> bool:
    if low[:1] == ["no"] and len(low) > 1:
        low = low[1:]
        if not _any_fits(mode.subs, low) and CANDIDATE.match(" ".join(low)):
            low = expand(" ".join(low)).lower().split()  # `no shut`: the keywords after `no` may be abbreviated too
    return _any_fits(mode.subs, low) and not _any_fits(mode.unless, low)


def _apply_modes(roots: list[Stmt], breaks: list[int]) -> list[Stmt]:
    """Top-level statements that are sub-commands of the mode a previous line entered become its children."""
    out: list[Stmt] = []
    ctx: list[tuple[Stmt, _Mode]] = []
    ended: list[tuple[Stmt, _Mode]] = []  # the modes a line they did not know ended: `_ORPHANS` may return to them
    bi = 0
    for st in roots:
        while bi < len(breaks) and breaks[bi] < st.line:
            ctx.clear()
            ended.clear()
            bi += 1
        low = [x.lower() for x in st.words]
        if low[0] in _EXIT and len(low) == 1:
            if ctx:
                ctx.pop()
            ended.clear()
            continue
        if low == ["end"]:
            ctx.clear()
            ended.clear()
            continue
        closing = bool(ctx) and not _is_sub(ctx[-1][1], low)
        orphan = (closing or bool(ended and not ctx)) and _mode_of(low, None) is None and _any_fits(_ORPHANS, low)
        if (closing or (ended and not ctx)) and not orphan:
            bare = low[1:] if low[:1] == ["no"] and len(low) > 1 else low
            if _mode_of(low, None) is not None or _any_fits(_GLOBALS, bare):
                ended = []  # the CLI is back at the top level
            elif closing:
                ended = list(ctx)
        while ctx and not _is_sub(ctx[-1][1], low):
            ctx.pop()
        if not ctx and ended and orphan:
            back = [i for i, (_s, m) in enumerate(ended) if _is_sub(m, low)]
            if back:  # a sub-command refused at the top level: its mode was still open
                ctx = ended[: back[-1] + 1]
        parent_mode: str | None = None
        if ctx:
            parent, pmode = ctx[-1]
            parent_mode = pmode.name
            mode = _mode_of(low, parent_mode)
            parent.children.append(st)
            if mode is None and st.children:  # an indented line under a plain sub-command belongs to the mode
                parent.children.extend(st.children)
                st.children = []
            for p, _ in ctx:
                p.end = max(p.end, st.end)
        else:
            out.append(st)
            mode = _mode_of(low, None)
        # an indented block leaves the CLI in its innermost mode
        while mode is not None:
            ctx.append((st, mode))
            if not st.children:
                break
            st = st.children[-1]
            mode = _mode_of([x.lower() for x in st.words], mode.name)
    return out


def _same_interface(a: str, b: str) -> bool:
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    ma, mb = re.match(r"([a-z-]+)(.*)", a), re.match(r"([a-z-]+)(.*)", b)
    if not ma or not mb or ma.group(2) != mb.group(2) or not ma.group(2):
        return False
    return ma.group(1).startswith(mb.group(1)) or mb.group(1).startswith(ma.group(1))


class _Config:
    def __init__(self, relpath: str, lines: list[str], col: Collector) -> None:
        self.relpath = relpath
        self.lines = lines
        self.col = col
        self.names: dict[str, str] = {}
        self.interfaces: list[Interface] = []
        # (map, seq) -> {"stmt": Stmt, "peers": [(value, line)], "dynamic": bool}
        self.maps: dict[tuple[str, str], dict] = {}
        self.map_interfaces: dict[str, list[tuple[str, int]]] = {}  # map -> [(interface or nameif, line)]
        self.map_local: dict[str, tuple[str, int]] = {}
        self.aux: list[tuple[str, str, Stmt, int, str]] = []  # (resource type, raw peer, stmt, line, what)
        self.remote_access: list[tuple[str, Stmt]] = []
        self.ike_enabled: list[str] = []
        self.webvpn_enabled: list[str] = []

    # ------------------------------------------------------------------ reading
    def read(self, roots: list[Stmt]) -> None:
        for st in roots:
            w = st.words
            low = [x.lower() for x in w]
            if low[:1] == ["name"] and len(w) >= 3:
                self.names[w[2].lower()] = w[1]
            elif low[:2] == ["ip", "host"] and len(w) >= 4:
                self.names[w[2].lower()] = w[3]
            elif low[:1] == ["interface"] and len(w) >= 2:
                self.interface(st)
            elif low[:2] == ["crypto", "map"] and len(w) >= 3:
                self.crypto_map(st, w, low)
            elif low[:3] == ["crypto", "isakmp", "key"] or low[:3] == ["crypto", "ikev1", "key"]:
                self.isakmp_key(st, w, low)
            elif low[:2] == ["crypto", "keyring"]:
                for ch in st.children:
                    cw = ch.words
                    cl = [x.lower() for x in cw]
                    if cl[:2] == ["pre-shared-key", "address"] and len(cw) >= 3:
                        self.aux_peer("cisco keyring peer", self._addr_with_mask(cw[2:]), st, ch.line, f"crypto keyring {w[2] if len(w) > 2 else ''}")
                    elif cl[:2] == ["pre-shared-key", "hostname"] and len(cw) >= 3:
                        self.aux_peer("cisco keyring peer", cw[2], st, ch.line, f"crypto keyring {w[2] if len(w) > 2 else ''}")
            elif low[:3] == ["crypto", "ikev2", "keyring"]:
                for peer in st.children:
                    if peer.words[:1] != ["peer"]:
                        continue
                    for ch in peer.children:
                        cw = ch.words
                        cl = [x.lower() for x in cw]
                        what = f"crypto ikev2 keyring {w[3] if len(w) > 3 else ''} peer {peer.words[1] if len(peer.words) > 1 else ''}"
                        if cl[:1] == ["address"] and len(cw) >= 2:
                            self.aux_peer("cisco ikev2 keyring peer", self._addr_with_mask(cw[1:]), peer, ch.line, what)
                        elif cl[:1] == ["hostname"] and len(cw) >= 2:
                            self.aux_peer("cisco ikev2 keyring peer", cw[1], peer, ch.line, what)
            elif low[:3] == ["crypto", "ikev2", "profile"]:
                for ch in st.children:
                    cw = ch.words
                    cl = [x.lower() for x in cw]
                    what = f"crypto ikev2 profile {w[3] if len(w) > 3 else ''}"
                    if cl[:4] == ["match", "identity", "remote", "address"] and len(cw) >= 5:
                        self.aux_peer("cisco ikev2 profile", self._addr_with_mask(cw[4:]), st, ch.line, what)
            elif low[:1] == ["tunnel-group"] and len(w) >= 4 and low[2] == "type":
                if low[3] == "ipsec-l2l":
                    self.aux_peer(ASA_TUNNEL_GROUP, w[1], st, st.line, f"tunnel-group {w[1]}")
                elif low[3] == "remote-access":
                    self.remote_access.append((w[1], st))
            elif low[:2] in (["crypto", "ikev1"], ["crypto", "ikev2"]) and len(w) >= 4 and low[2] == "enable":
                self.ike_enabled.append(w[3])
            elif low[:1] == ["webvpn"]:
                for ch in st.children:
                    if ch.words[:1] == ["enable"] and len(ch.words) >= 2:
                        self.webvpn_enabled.append(ch.words[1])

    def _addr_with_mask(self, words: list[str]) -> str:
        """`A [MASK]`, `ipv6 A/len` or `A/len` as one value; a non-host mask becomes a range."""
        ws = [x for x in words if x.lower() not in ("no-xauth", "key", "ipv6")]
        if not ws:
            return ""
        if words and words[0].lower() == "ipv6":
            ws = [x for x in words[1:]]
        addr = ws[0]
        if len(ws) >= 2 and parse_ip(ws[1]) is not None and "." in ws[1]:
            try:
                net = ipaddress.ip_network(f"{addr}/{ws[1]}", strict=False)
                return str(net.network_address) if net.num_addresses == 1 else str(net)
            except ValueError:
                return addr
        return addr

    def interface(self, st: Stmt) -> None:
        iface = Interface(st.words[1], st)
        for ch in st.children:
            w = ch.words
            low = [x.lower() for x in w]
            if low[:2] == ["ip", "address"] and len(w) >= 3:
                if low[2] in ("dhcp", "negotiated"):
                    iface.dhcp = True
                elif "secondary" not in low and parse_ip(w[2]) is not None:
                    iface.v4.append(w[2])
            elif low[:2] == ["ipv6", "address"] and len(w) >= 3:
                v = w[2].split("/")[0]
                if parse_ip(v) is not None and not low[2].startswith("fe80"):
                    iface.v6.append(v)
            elif low[:1] == ["nameif"] and len(w) >= 2:
                iface.nameif = w[1]
            elif low[:2] == ["crypto", "map"] and len(w) >= 3:
                iface.crypto_maps.append(w[2])
                self.map_interfaces.setdefault(w[2], []).append((iface.name, ch.line))
            elif low[:2] == ["tunnel", "source"] and len(w) >= 3:
                iface.tunnel_source = (w[2], ch.line)
            elif low[:2] == ["tunnel", "destination"] and len(w) >= 3:
                iface.tunnel_destination = (w[2], ch.line)
            elif low[:2] == ["tunnel", "mode"]:
                iface.tunnel_mode = " ".join(low[2:])
            elif low[:3] == ["ip", "nhrp", "nhs"] and "nbma" in low:
                i = low.index("nbma")
                if i + 1 < len(w):
                    iface.nhrp_peers.append((w[i + 1], ch.line))
            elif low[:3] in (["ip", "nhrp", "map"], ["ipv6", "nhrp", "map"]) and len(w) >= 5 and low[3] != "multicast":
                iface.nhrp_peers.append((w[4], ch.line))
            elif low == ["shutdown"]:
                iface.shutdown = True
            elif low[:1] == ["no"] and expand(" ".join(low[1:])).lower() == "shutdown":
                iface.shutdown = False  # the CLI applies lines in order: `no shutdown` after `shutdown` brings it up
        self.interfaces.append(iface)

    def crypto_map(self, st: Stmt, w: list[str], low: list[str]) -> None:
        name = w[2]
        if len(w) >= 5 and low[3] == "interface":  # ASA
            self.map_interfaces.setdefault(name, []).append((w[4], st.line))
            return
        if len(w) >= 5 and low[3] == "local-address":
            self.map_local[name] = (w[4], st.line)
            return
        if len(w) < 4 or not w[3].isdigit():
            return
        seq = w[3]
        entry = self.maps.setdefault((name, seq), {"stmt": st, "peers": [], "dynamic": False, "anchor": None})
        rest = low[4:]
        if not rest or rest[:1] in (["ipsec-isakmp"], ["ipsec-manual"], ["ipsec-isakmp-dynamic"]):  # IOS default: ipsec-isakmp
            entry["stmt"] = st
            if "dynamic" in rest or rest[:1] == ["ipsec-isakmp-dynamic"]:
                entry["dynamic"] = True
            for ch in st.children:
                cw = ch.words
                cl = [x.lower() for x in cw]
                if cl[:2] == ["set", "peer"] and len(cw) >= 3:
                    if "dynamic" in cl[3:]:
                        pass  # a host name resolved at each negotiation: still a peer
                    entry["peers"].append((cw[2], ch.line))
        elif rest[:2] == ["set", "peer"]:  # ASA one-line form
            if entry["anchor"] is None:
                entry["anchor"] = st
            for raw in w[6:]:
                entry["peers"].append((raw, st.line))

    def isakmp_key(self, st: Stmt, w: list[str], low: list[str]) -> None:
        if "address" in low:
            i = low.index("address")
            self.aux_peer("cisco isakmp key", self._addr_with_mask(w[i + 1 :]), st, st.line, "crypto isakmp key")
        elif "hostname" in low:
            i = low.index("hostname")
            if i + 1 < len(w):
                self.aux_peer("cisco isakmp key", w[i + 1], st, st.line, "crypto isakmp key")

    def aux_peer(self, rtype: str, raw: str, st: Stmt, line: int, what: str) -> None:
        if raw:
            self.aux.append((rtype, raw, st, line, what))

    # ------------------------------------------------------------------ resolving
    def resolve_name(self, raw: str) -> str:
        return self.names.get(raw.lower(), raw)

    def find_interface(self, name: str) -> Interface | None:
        for iface in self.interfaces:
            if iface.name.lower() == name.lower() or (iface.nameif and iface.nameif.lower() == name.lower()):
                return iface
        for iface in self.interfaces:
            if _same_interface(iface.name, name):
                return iface
        return None

    def interface_address(self, name: str, family: int) -> tuple[str, str]:
        """(address, how) of an interface; address "" when unknown."""
        iface = self.find_interface(name)
        if iface is None:
            return "", f"interface {name} is not in this file"
        first, second = (iface.v6, iface.v4) if family == 6 else (iface.v4, iface.v6)
        addrs = first or second
        if addrs:
            return addrs[0], f"ip address of interface {iface.name} ({self.relpath} line {iface.stmt.line})"
        if iface.dhcp:
            return "", f"interface {iface.name} takes its address from DHCP"
        return "", f"interface {iface.name} has no ip address"

    def family(self, value: str) -> int:
        addr = parse_ip(value)
        return addr.version if addr is not None else 4

    def map_local_address(self, name: str, family: int) -> tuple[str, str, str]:
        """(address, interface label, origin) for the interface where crypto map `name` is applied."""
        if name in self.map_local:
            iface, line = self.map_local[name]
            addr, how = self.interface_address(iface, family)
            return addr, iface, how
        applied = self.map_interfaces.get(name, [])
        if not applied:
            return "", "", f"crypto map {name} is not applied to an interface"
        iface, _ = applied[0]
        addr, how = self.interface_address(iface, family)
        return addr, iface, how


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    lines = split_lines(text)
    cfg = _Config(relpath, lines, col)
    cfg.read(_tree(lines, col))
    claimed: set[str] = set()
    # remote-access clients (ASA tunnel-group type remote-access, IOS Easy VPN client groups, address pools):
    # a dynamic crypto map then serves them, not unknown sites
    client_vpn = bool(cfg.remote_access) or bool(_CLIENT_VPN.search(text))

    def peer_of(raw: str, line: int, what: str, responder_link: bool = True) -> str | None:
        return col.peer(cfg.resolve_name(raw), line, f"{relpath}:{line}: {what}: {raw}: a responder; ", f"{what}: ",
                        responder_link=responder_link)

    # crypto map entries
    for (name, seq), entry in sorted(cfg.maps.items(), key=lambda kv: kv[1]["stmt"].line):
        st: Stmt = entry["stmt"]
        if entry["dynamic"] and not entry["peers"]:
            if client_vpn and cfg.remote_access:  # ASA: the remote-access tunnel-groups below are the service
                col.note(f"{relpath}:{st.line}: crypto map {name} {seq} is dynamic: a responder for the remote-access "
                         "tunnel-groups configured in this file, no peer endpoint")
                continue
            if client_vpn:  # IOS Easy VPN / FlexVPN server: the dynamic map is the remote-access service (XB103)
                local, map_iface, how = cfg.map_local_address(name, 4)
                col.link(remote_access_link(
                    CRYPTO_MAP, f"{relpath}: crypto map {name} {seq} (dynamic, client configuration)",
                    span(relpath, lines, st.line, st.end), local,
                    f"remote-access VPN (crypto map {name}{' on ' + map_iface if map_iface else ', not applied'})",
                    relpath, local_origin=how, notes=[] if local else [how]))
                continue
            # a site-to-site responder: its peers are whoever connects, an unknown end (XB102), never a note only
            entry = {**entry, "peers": [("dynamic", st.line)]}
        if not entry["peers"]:
            col.note(f"{relpath}:{st.line}: crypto map {name} {seq} has no set peer")
            continue
        peers = [(v, line) for raw, line in entry["peers"] if (v := peer_of(raw, line, f"crypto map {name} {seq} set peer")) is not None]
        for value, line in peers:
            claimed.add(value)
            local, map_iface, how = cfg.map_local_address(name, cfg.family(value))
            anchor: Stmt = entry["anchor"] or st
            if entry["anchor"] is not None:
                loc = span(relpath, lines, line)
            else:
                loc = span(relpath, lines, anchor.line, anchor.end)
            suffix = f" (peer {value})" if len(peers) > 1 else ""
            col.link(
                vpn_link(
                    CRYPTO_MAP,
                    f"{relpath}: crypto map {name} {seq}{suffix}",
                    loc,
                    local,
                    f"local end (crypto map {name} on {map_iface})" if map_iface else f"local end (crypto map {name}, not applied)",
                    relpath,
                    value,
                    "peer (dynamic crypto map: whoever connects)" if entry["dynamic"] and value == "dynamic" else
                    f"peer (set peer {expand(cfg.lines[line - 1].strip()).split('peer', 1)[-1].strip()})",
                    local_origin=how,
                    peer_origin=f"set peer in {relpath} line {line}",
                    notes=[] if local else [how],
                )
            )

    # tunnel interfaces
    for iface in cfg.interfaces:
        dests: list[tuple[str, int, str]] = []
        if iface.tunnel_destination is not None:
            dests.append((iface.tunnel_destination[0], iface.tunnel_destination[1], "tunnel destination"))
        for raw, line in iface.nhrp_peers:
            dests.append((raw, line, "ip nhrp nbma"))
        if not dests and iface.name.lower().startswith("tunnel") and "multipoint" in iface.tunnel_mode:
            # a DMVPN hub: its spokes are whoever registers, an unknown end (XB102), never a note only
            dests.append(("dynamic", iface.stmt.line, "multipoint tunnel"))
        if not dests:
            continue
        if iface.shutdown:
            col.note(f"{relpath}:{iface.stmt.line}: interface {iface.name} is shut down; skipped")
            continue
        seen: set[str] = set()
        values = []
        for raw, line, what in dests:
            peer = peer_of(raw, line, f"interface {iface.name} {what}")
            if peer is not None and peer not in seen:
                seen.add(peer)
                values.append((peer, line, raw, what))
        for value, line, raw, what in values:
            claimed.add(value)
            local, how, src_label = "", "", "tunnel source not set"
            if iface.tunnel_source is not None:
                src, src_line = iface.tunnel_source
                src_label = f"tunnel source {src}"
                src_r = cfg.resolve_name(src)
                if parse_ip(src_r) is not None:
                    local, how = str(parse_ip(src_r)), f"tunnel source in {relpath} line {src_line}"
                else:
                    local, how = cfg.interface_address(src_r, cfg.family(value))
            suffix = f" (peer {value})" if len(values) > 1 else ""
            col.link(
                vpn_link(
                    TUNNEL_IF,
                    f"{relpath}: interface {iface.name}{suffix}",
                    span(relpath, lines, iface.stmt.line, iface.stmt.end),
                    local,
                    f"local end ({src_label})",
                    relpath,
                    value,
                    "peer (multipoint tunnel: spokes that register)" if what == "multipoint tunnel" else
                    "peer (tunnel destination dynamic: whoever connects)" if raw.lower() == "dynamic" else
                    f"peer ({what} {raw})",
                    local_origin=how,
                    peer_origin=f"{what} in {relpath} line {line}",
                    notes=[how] if how and not local else [],
                )
            )

    # peers named only by keys, keyrings, IKEv2 profiles and ASA tunnel-groups
    crypto_ifaces = [i for names in cfg.map_interfaces.values() for i, _ in names] + cfg.ike_enabled
    for rtype, raw, st, line, what in cfg.aux:
        peer = peer_of(raw, line, what, responder_link=False)  # a wildcard key is no tunnel of its own
        if peer is None or peer in claimed:
            continue
        claimed.add(peer)
        local, how, iface_name = "", "no interface with a crypto map or IKE enabled", ""
        if crypto_ifaces:
            iface_name = crypto_ifaces[0]
            local, how = cfg.interface_address(iface_name, cfg.family(peer))
        loc = span(relpath, lines, st.line, st.end) if rtype == ASA_TUNNEL_GROUP or st.line == line else span(relpath, lines, line)
        col.link(
            vpn_link(
                rtype,
                f"{relpath}: {what} {peer}" if rtype != ASA_TUNNEL_GROUP else f"{relpath}: tunnel-group {raw}",
                loc,
                local,
                f"local end ({iface_name})" if iface_name else "local end (interface not known)",
                relpath,
                peer,
                f"peer ({what}: {raw})",  # never the line itself: it may hold a pre-shared key
                local_origin=how,
                peer_origin=f"{what} in {relpath} line {line}",
                notes=[] if local else [how],
            )
        )

    for name, st in cfg.remote_access:
        ifaces = cfg.webvpn_enabled + crypto_ifaces
        local, how = cfg.interface_address(ifaces[0], 4) if ifaces else ("", "no interface with webvpn or IKE enabled")
        col.link(
            remote_access_link(
                ASA_TUNNEL_GROUP,
                f"{relpath}: tunnel-group {name}",
                span(relpath, lines, st.line, st.end),
                local,
                f"ASA remote-access VPN (tunnel-group {name}{' on ' + ifaces[0] if ifaces else ''})",
                relpath,
                local_origin=how,
            )
        )
    _applets(relpath, lines, col)
    return col.result


def _applets(relpath: str, lines: list[str], col: Collector) -> None:
    """XB002 for each EEM applet action that types a VPN statement (`action 4.0 cli command "tunnel destination
    8.8.8.8"`), loads another configuration into the running one (`copy tftp://h/c running-config`, `configure
    replace URL`), and for each Tcl EEM policy (`event manager policy NAME`): they change the device when their
    event fires, after any scan of the file, and xborder runs none of them."""
    applet = ""
    for n, raw in enumerate(lines, 1):
        m = _POLICY.match(raw)
        if m:
            _tcl_policy(relpath, lines, n, m.group(1), (m.group(2) or "").lower(), col)
            continue
        m = _APPLET.match(raw)
        if m:
            applet = m.group(1)
            continue
        m = _APPLET_CLI.match(raw) if applet else None
        if m is None:
            continue
        command = expand(m.group(2).strip()).strip()
        vpn = _VPN_COMMAND.match(command)
        if vpn is not None:
            # the keywords only: the rest may be a key
            what = (f"types `{' '.join(vpn.group(0).split())} ...` when its event fires, changing the device's VPN "
                    "configuration; xborder does not run applets, so the tunnel it configures is not judged")
        else:
            loaded = _loads_configuration(_quoted_command(raw) or command)
            if loaded is None:
                continue
            what = (f"loads {loaded} into the running configuration when its event fires (`{' '.join(command.split()[:2])} "
                    "...`); xborder does not see that configuration, so the tunnels it holds are not judged")
        address = f"{relpath}: event manager applet {applet} action {m.group(1)}"
        col.link(part_not_read(
            span(relpath, lines, n), address, f"event manager applet {applet} action {m.group(1)}",
            f"the applet {what}",
            "write the tunnel into the configuration itself (or scan the configuration the applet produces)",
            f"an approval for rule XB002 in .xborder.yaml with this file's path and `resource: \"{address}\"`, or "
            "`! xborder:ignore XB002 reason=\"...\"` on the line above the action", "netconf"))


def _quoted_command(raw: str) -> str:
    """The CLI string of `action N cli command "..." [pattern "..."]` when it is quoted (without the pattern)."""
    at = raw.lower().find("command")
    start = raw.find('"', at) if at >= 0 else -1
    end = raw.find('"', start + 1) if start >= 0 else -1
    return raw[start + 1:end].strip() if end > start >= 0 else ""


def _prefix_of(word: str, keyword: str, least: int) -> bool:
    """`word` spells `keyword` or a prefix of it at least `least` characters long (IOS abbreviations)."""
    w = word.lower()
    return len(w) >= min(least, len(keyword)) and keyword.startswith(w)


def _running_config(word: str) -> bool:
    """`running-config`, `system:running-config` or an abbreviation of it (`run`)."""
    w = word.lower()
    for prefix in ("system:/", "system:"):
        if w.startswith(prefix):
            w = w[len(prefix):]
            break
    return _prefix_of(w, "running-config", 2)


def _loads_configuration(command: str) -> str | None:
    """What an applet's CLI command loads into the running configuration, or None: `copy SRC running-config`
    (SRC not the running configuration itself) and `configure replace URL`. `copy running-config tftp:...`
    (a backup) and `copy running-config startup-config` (a save) change nothing that runs."""
    words = [w for w in command.split() if not w.startswith("/")]  # `copy /noverify ...`: options
    if len(words) >= 3 and _prefix_of(words[0], "copy", 3) and _running_config(words[-1]) and not _running_config(words[1]):
        return _USERINFO.sub("//...@", words[1])
    if len(words) >= 3 and _prefix_of(words[0], "configure", 4) and _prefix_of(words[1], "replace", 3):
        return _USERINFO.sub("//...@", words[2])
    return None


_USERINFO = re.compile(r"//[^/@\s]*@")  # `scp://user:password@host/...`: never printed


def _tcl_policy(relpath: str, lines: list[str], n: int, name: str, kind: str, col: Collector) -> None:
    """XB002 for a registered Tcl EEM policy: its script (on the device's flash) can type any command."""
    address = f"{relpath}: event manager policy {name}"
    col.link(part_not_read(
        span(relpath, lines, n), address, f"event manager policy {name}" + (f" (type {kind})" if kind else ""),
        f"the Tcl policy {name} runs when its event fires and can type any command, a VPN statement included; its "
        "script is on the device, not in this configuration, and xborder runs no policy, so what it configures is "
        "not judged",
        "review the policy's script and write any tunnel it sets up into the configuration itself",
        f"after reviewing the script, an approval for rule XB002 in .xborder.yaml with this file's path and "
        f"`resource: \"{address}\"` and the reason, or `! xborder:ignore XB002 reason=\"...\"` on the line above it",
        "netconf"))


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)
