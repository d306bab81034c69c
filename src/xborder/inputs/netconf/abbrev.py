"""Cisco IOS/ASA keywords typed abbreviated (`cry map`, `int Tu0`, `tun dest 8.8.8.8`), written out in full.

`show running-config` always prints keywords in full, but configs typed at the CLI, pasted from notes or
written by hand abbreviate them: IOS accepts any prefix that no other keyword of the same place shares. The
reader (`cisco.py`) and the detector (`detect.py`) compare full words, so such a line would be skipped
unread: a tunnel never judged. This module rewrites the keywords of the statements a link can come from
(`_PATHS`: every command `cisco.py` reads, plus the lines that enter configuration modes) before they are read.

A line is rewritten when its first words are prefixes (2 characters at least, case-blind) of the keywords of
exactly one path (or of several giving the same text): `tun dest 1.2.3.4` fits `tunnel destination` and not
`tunnel-group NAME type|...`. A word spelt in full is never rewritten to another keyword (`crypto key` stays).
This is a subset of IOS's vocabulary: a prefix IOS would refuse as ambiguous (with a command xborder does not
know) may be read here; that errs towards judging a link the device would not build, never towards hiding one.
Interface names take their type's full name (`Tu0` -> `Tunnel0`), so a tunnel interface is known as one.
"""

from __future__ import annotations

import re

from xborder import lazy

MIN_PREFIX = 2

# A path: words separated by spaces; `a|b` either keyword, `*` any word (an argument, kept as written),
# `#` a number, `@` an interface name (its type written in full). Global commands, then sub-commands (which a
# config typed without indentation also has at the margin, `cisco._apply_modes`).
_PATHS = (
    # global
    "crypto map * # ipsec-isakmp|ipsec-manual|gdoi|set|match",
    "crypto map * # set peer",
    "crypto map * # match address",
    "crypto map * interface|local-address|redundancy",
    "crypto map * #",
    "crypto dynamic-map * #",
    "crypto isakmp|ikev1 key * address|hostname",
    "crypto isakmp|ikev1 key",
    "crypto isakmp|ikev1|ikev2 policy",
    "crypto isakmp|ikev1|ikev2 enable",
    "crypto isakmp profile|client|identity|keepalive|nat|aggressive-mode|fragmentation|invalid-spi-recovery",
    "crypto ikev2 keyring|profile|proposal|authorization|dpd|nat|limit|cookie-challenge|fragmentation|redirect|window",
    "crypto ipsec transform-set|profile|security-association|df-bit|fragmentation|nat-transparency|client|ikev1|ikev2",
    "crypto keyring",
    "crypto key|pki|ca|engine|logging|mib|call|gdoi|vpn|ctcp|checkpoint|identity|ssl|isakmp|ikev1|ikev2|ipsec|map|dynamic-map|keyring",
    "interface @",
    "tunnel-group * type|ipsec-attributes|general-attributes|webvpn-attributes|ppp-attributes",
    "ip host",
    # sub-commands
    "tunnel source|destination|mode|key|protection|vrf|path-mtu-discovery|bandwidth|route-via|checksum",
    "ip address|unnumbered|mtu|nhrp|tcp|ospf|vrf|helper-address",
    "ip nhrp nhs|map|network-id|authentication|holdtime|redirect|shortcut|nhs|registration",
    "ipv6 address|enable|nhrp|mtu",
    "ipv6 nhrp map|nhs|network-id",
    "set peer|transform-set|pfs|security-association|ikev2-profile|isakmp-profile",
    "match address|identity",
    "match identity remote|local",
    "match identity remote address",
    "pre-shared-key address|hostname",
    "nameif",
    "shutdown",
)
_IFACE_TYPES = (
    "Tunnel", "GigabitEthernet", "FastEthernet", "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet",
    "HundredGigE", "Ethernet", "Loopback", "Dialer", "Vlan", "Port-channel", "Serial", "Virtual-Template",
    "Virtual-Access", "Cellular", "BVI", "Multilink", "Management", "ATM",
)
_IFACE = lazy.regex(r"^([A-Za-z][A-Za-z-]*?)([0-9].*)$")
_SPLIT = lazy.regex(r"(\s+)")


def _parsed() -> list[list[str]]:
    return [p.split() for p in _PATHS]


_PATH_TOKENS: list[list[str]] | None = None
# full keywords: never read as abbreviations of others (`name 1.2.3.4 hk` is ASA's alias command, not `nameif`)
_KEYWORDS = frozenset(k for p in _PATHS for tok in p.split() for k in tok.split("|") if k not in "*#@") | {
    "name", "names", "nat", "service", "security-level", "server", "show", "mac", "map-class", "priority",
    "interface-range", "network", "networks", "ipsec",
}


def _keyword(word: str, alternatives: str) -> str | None:
    """The keyword of `alternatives` that `word` spells (in full, else as the only prefix), or None. A word
    that is another keyword in full (`tunnel`, not an abbreviation of `tunnel-group`) is that keyword."""
    low = word.lower()
    options = alternatives.split("|")
    if low in options:
        return low
    if len(low) < MIN_PREFIX or low in _KEYWORDS:
        return None
    hits = [o for o in options if o.startswith(low)]
    return hits[0] if len(hits) == 1 else None


def _interface(word: str) -> str:
    m = _IFACE.match(word)
    if not m:
        return word
    low = m.group(1).lower()
    if any(t.lower() == low for t in _IFACE_TYPES):
        return word
    hits = [t for t in _IFACE_TYPES if t.lower().startswith(low)] if len(low) >= MIN_PREFIX else []
    return hits[0] + m.group(2) if len(hits) == 1 else word


def _fit(words: list[str], path: list[str]) -> list[str] | None:
    """`words` with the keywords of `path` written in full, or None when the path does not fit."""
    if len(words) < len(path):
        return None
    out = list(words)
    for i, tok in enumerate(path):
        w = words[i]
        if tok == "*":
            continue
        if tok == "#":
            if not w.isdigit():
                return None
            continue
        if tok == "@":
            out[i] = _interface(w)
            continue
        k = _keyword(w, tok)
        if k is None:
            return None
        if k != w.lower():
            out[i] = k
    return out


def expand(line: str) -> str:
    """The line with its abbreviated keywords written in full (indentation and spacing kept), or unchanged."""
    global _PATH_TOKENS  # noqa: PLW0603 - built on first use
    stripped = line.lstrip()
    if not stripped or stripped[0] in "!#:":
        return line
    parts = _SPLIT.split(stripped)
    words = parts[0::2]
    if words and words[-1] == "":
        words = words[:-1]
    if _PATH_TOKENS is None:
        _PATH_TOKENS = _parsed()
    best: list[str] | None = None
    best_len = -1
    results: set[tuple[str, ...]] = set()
    for path in _PATH_TOKENS:
        got = _fit(words, path)
        if got is None:
            continue
        if len(path) > best_len:
            best, best_len, results = got, len(path), {tuple(got)}
        elif len(path) == best_len:
            results.add(tuple(got))
    if best is None or len(results) != 1 or best == words:
        return line
    parts[0::2] = best + parts[0::2][len(best):]
    return line[: len(line) - len(stripped)] + "".join(parts)


# the lines `expand` may change: their first word may abbreviate a first keyword of `_PATHS`
CANDIDATE = lazy.regex(r"^[ \t]*(?:cr[a-z]*|in[a-z]*|tu[a-z-]*|ipv?6?|se[a-z]*|ma[a-z]*|pr[a-z-]*|na[a-z]*|sh[a-z]*)(?:[ \t]|$)",
                       re.M | re.I)


def expand_text(text: str) -> str:
    """`expand` of every line that may hold an abbreviated statement (detection: `detect.py`)."""
    if not CANDIDATE.search(text):
        return text
    return "\n".join(expand(line) if CANDIDATE.match(line) else line for line in text.split("\n"))
