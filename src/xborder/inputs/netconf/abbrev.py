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


_KW_MEMO: dict[tuple[str, str], str | None] = {}  # (word, alternatives) -> `_keyword`'s answer
_KW_MEMO_MAX = 16384  # answers remembered (a hostile file may have any number of distinct words)


def _keyword(word: str, alternatives: str) -> str | None:
    """The keyword of `alternatives` that `word` spells (in full, else as the only prefix), or None. A word
    that is another keyword in full (`tunnel`, not an abbreviation of `tunnel-group`) is that keyword."""
    key = (word, alternatives)
    try:
        return _KW_MEMO[key]
    except KeyError:
        pass
    got = _keyword_of(word, alternatives)
    if len(_KW_MEMO) < _KW_MEMO_MAX:
        _KW_MEMO[key] = got
    return got


def _keyword_of(word: str, alternatives: str) -> str | None:
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
    """`words` with the keywords of `path` written in full (`words` itself when nothing changes), or None
    when the path does not fit."""
    if len(words) < len(path):
        return None
    out: list[str] | None = None
    for i, tok in enumerate(path):
        w = words[i]
        if tok == "*":
            continue
        if tok == "#":
            if not w.isdigit():
                return None
            continue
        if tok == "@":
            full = _interface(w)
        else:
            k = _keyword(w, tok)
            if k is None:
                return None
            full = w if k == w.lower() else k
        if full != w:
            if out is None:
                out = list(words)
            out[i] = full
    return words if out is None else out


_BY_FIRST: dict[str, tuple[list[str], ...]] = {}  # a first word (lower case) -> the paths whose first keyword it fits
_BY_FIRST_MAX = 4096  # distinct first words remembered (a hostile file may have any number of them)


def _paths_for(first: str) -> tuple[list[str], ...]:
    """The paths of `_PATHS` whose first keyword `first` fits, in `_PATHS` order (the others cannot fit the
    line, so `expand` does not try them: a config's every `ip address` tried 36 paths before)."""
    global _PATH_TOKENS  # noqa: PLW0603 - built on first use
    low = first.lower()
    hit = _BY_FIRST.get(low)
    if hit is not None:
        return hit
    if _PATH_TOKENS is None:
        _PATH_TOKENS = _parsed()
    hit = tuple(p for p in _PATH_TOKENS if _fit([first], p[:1]) is not None)
    if len(_BY_FIRST) < _BY_FIRST_MAX:
        _BY_FIRST[low] = hit
    return hit


_PREFIX_MEMO: dict[tuple[str, ...], tuple[str, ...] | None] = {}  # first two words -> their rewrite, None: unchanged
_PREFIX_MEMO_MAX = 16384
_MISS = ("",)


def expand(line: str) -> str:
    """The line with its abbreviated keywords written in full (indentation and spacing kept), or unchanged."""
    stripped = line.lstrip()
    if not stripped or stripped[0] in "!#:":
        return line
    words = stripped.split()  # the same blanks as `_SPLIT` (both are str.isspace)
    key = tuple(words[:2])
    hit = _PREFIX_MEMO.get(key, _MISS)
    if hit is None:
        return line
    if hit is not _MISS:
        full = [*hit, *words[2:]]
    else:
        got = _expand_words(words)
        if got is None:
            return line
        full, decided = got
        if decided and len(_PREFIX_MEMO) < _PREFIX_MEMO_MAX:
            _PREFIX_MEMO[key] = None if full == words else tuple(full[:2])
        if full == words:
            return line
    parts = _SPLIT.split(stripped)
    parts[0::2] = full + parts[0::2][len(full):]
    return line[: len(line) - len(stripped)] + "".join(parts)


def _expand_words(words: list[str]) -> tuple[list[str], bool] | None:
    """The words with the keywords of the one fitting path written in full (the longest path wins; several
    giving different text, or none: None), and whether the first two words alone decided it (every path
    longer than two words failed on them), so that `expand` may reuse the answer for lines starting alike."""
    best: list[str] | None = None
    best_len = -1
    results: set[tuple[str, ...]] = set()
    paths = _paths_for(words[0])
    for path in paths:
        got = _fit(words, path)
        if got is None:
            continue
        if len(path) > best_len:
            best, best_len, results = got, len(path), {tuple(got)}
        elif len(path) == best_len:
            results.add(tuple(got))
    decided = all(len(p) <= 2 or _fit(words[:2], p[:2]) is None for p in paths)
    if best is None or len(results) != 1:
        return (words, decided) if decided else None
    return best, decided


# the lines `expand` may change: their first word may abbreviate a first keyword of `_PATHS`
CANDIDATE = lazy.regex(r"^[ \t]*(?:cr[a-z]*|in[a-z]*|tu[a-z-]*|ipv?6?|se[a-z]*|ma[a-z]*|pr[a-z-]*|na[a-z]*|sh[a-z]*)(?:[ \t]|$)",
                       re.M | re.I)


def expand_text(text: str) -> str:
    """`expand` of every line that may hold an abbreviated statement (detection: `detect.py`)."""
    if not CANDIDATE.search(text):
        return text
    return "\n".join(expand(line) if CANDIDATE.match(line) else line for line in text.split("\n"))
