"""`abbrev.expand` answers from memos (the paths a first word can start, each word's keyword, the rewrite
of lines whose first two words decide it): a 260,000-line IOS config expanded every `ip address` line
against all 36 paths (about 11 s CPU for the file, now about 3). The memos must give exactly what the
plain algorithm gives, for every line, in any order (a line first seen with one continuation must not
decide a line starting alike with another)."""

from __future__ import annotations

import itertools
import random

from xborder.inputs.netconf import abbrev


def _plain(line: str) -> str:
    """The algorithm without memos (as before): every path of `_PATHS` tried on the words."""
    stripped = line.lstrip()
    if not stripped or stripped[0] in "!#:":
        return line
    parts = abbrev._SPLIT.split(stripped)
    words = parts[0::2]
    if words and words[-1] == "":
        words = words[:-1]
    best, best_len, results = None, -1, set()
    for path in abbrev._parsed():
        got = abbrev._fit(words, path)
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


FIRST = ["cr", "cry", "crypto", "CRY", "int", "interface", "in", "tun", "tunnel", "tu", "ip", "ipv6", "se", "set",
         "ma", "match", "pre", "pre-shared-key", "na", "nameif", "sh", "shutdown", "service", "name", "no"]
SECOND = ["map", "ma", "isa", "isakmp", "ikev2", "ike", "key", "dyn", "dynamic-map", "Tu0", "Gi0/0", "add", "address",
          "nhrp", "nh", "dest", "destination", "sou", "source", "pe", "peer", "ident", "identity", "host", "h", "mode",
          "enable", "CM", "10", "timestamps", "ipsec", "keyring", "pr", "profile", "tra", "transform-set"]
REST = ["", " 10", " CM 10 set peer 8.8.8.8", " CM 10 se pe 8.8.8.8", " CM 10 ipsec-isakmp", " CM 10", " 10 ipsec-isakmp",
        " s3cret add 8.8.8.8", " 8.8.8.8", " 10.0.0.1 255.255.255.0", " nhs 10.0.0.1 nbma 8.8.8.8", " map 10.0.0.1 8.8.8.8",
        " remote address 8.8.8.8", " address 8.8.8.8", " debug datetime", " CM interface outside", "  x  ", "\t7"]


def test_memoised_expand_equals_the_plain_algorithm_in_any_order() -> None:
    lines = [f"{a} {b}{c}" for a, b, c in itertools.product(FIRST, SECOND, REST)]
    lines += [" " + line for line in lines[::7]] + ["", "!", "  ", "x"]
    expected = {line: _plain(line) for line in lines}
    for seed in range(3):
        abbrev._BY_FIRST.clear()
        abbrev._KW_MEMO.clear()
        abbrev._PREFIX_MEMO.clear()
        order = list(lines)
        random.Random(seed).shuffle(order)
        for line in order:
            assert abbrev.expand(line) == expected[line], line
    assert sum(expected[line] != line for line in lines) > 1000  # the cases do rewrite lines
