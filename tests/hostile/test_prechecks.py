"""Visible: the textual pre-checks that skip parsing (`inputs/terraform/precheck.py`) cannot hide a link.

Each pre-check decides from raw text whether a directory is read in full (names a resource type of
interest), calls a module (root detection, quick directories) or calls a named module (pre-commit:
`callers_of`). Valid HCL that spells these differently (a comment between keyword and label, an escape
in a quoted label or a JSON key, a `..` source) must give the same finding as the plain spelling.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xborder.inputs.terraform.precheck import may_declare_module, names_any

from .conftest import scan_json

PROVIDER = 'provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
GATEWAY = 'resource "alicloud_vpn_customer_gateway" "hk" {\n  ip_address = "1.2.3.4"\n}\n'


def _connection(header: str = 'resource "alicloud_vpn_connection" "c"') -> str:
    return header + ' {\n  customer_gateway_id = alicloud_vpn_customer_gateway.hk.id\n  vpn_gateway_id = "vpn-1"\n}\n'


@pytest.mark.parametrize(
    "header",
    [
        'resource "alicloud_vpn_connection" "c"',  # the plain spelling, for comparison
        'resource /* x */ "alicloud_vpn_connection" "c"',
        'resource "alicloud_vpn\\u005fconnection" "c"',
        'resource "alicloud_vpn_connecti\\U0000006fn" "c"',
        "resource alicloud_vpn_connection c",
    ],
)
def test_resource_header_spellings_are_read(tmp_path: Path, header: str) -> None:
    """The VPN is the only resource of interest in its file (the gateway sits in another one)."""
    (tmp_path / "main.tf").write_text(PROVIDER)
    (tmp_path / "gw.tf").write_text(GATEWAY)
    (tmp_path / "vpn.tf").write_text(_connection(header))
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


def test_offshore_gateway_gives_no_finding(tmp_path: Path) -> None:
    """Negative case: the same escaped spelling with a mainland peer is not cross-border."""
    (tmp_path / "main.tf").write_text(PROVIDER)
    (tmp_path / "gw.tf").write_text(GATEWAY.replace("1.2.3.4", "58.247.0.10"))
    (tmp_path / "vpn.tf").write_text(_connection('resource "alicloud_vpn\\u005fconnection" "c"'))
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    assert "XB101" not in run.rules, run.doc


MODULE_VPN = 'variable "peer" {}\n' + GATEWAY.replace('"1.2.3.4"', "var.peer") + _connection()


@pytest.mark.parametrize(
    "call",
    [
        'module "vpn" {\n  source = "./vpn"\n  peer = "1.2.3.4"\n}\n',  # plain, for comparison
        'module /* y */ "vpn" {\n  source = "./vpn"\n  peer = "1.2.3.4"\n}\n',
        'module "vpn" /* y */ {\n  source = "./vpn"\n  peer = "1.2.3.4"\n}\n',
        'module vpn {\n  source = "./vpn"\n  peer = "1.2.3.4"\n}\n',
        'module "v\\u0070n" {\n  source = "./vpn"\n  peer = "1.2.3.4"\n}\n',
    ],
)
def test_module_call_spellings_are_followed(tmp_path: Path, call: str) -> None:
    """The root names no resource type: only its module call brings the VPN (root detection + quick check).

    Read standalone, the module has no provider region and no peer address: no XB101. Through its caller,
    the Shanghai provider and the Hong Kong peer make it cross-border.
    """
    (tmp_path / "main.tf").write_text(PROVIDER + call)
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc
    assert all(f["path"] == "vpn/main.tf" for f in run.doc["findings"])
    assert any("module.vpn" in json.dumps(f) for f in run.doc["findings"]), run.doc


@pytest.mark.parametrize("key", ["module", "modul\\u0065"])
def test_json_module_key_spellings_are_followed(tmp_path: Path, key: str) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER)
    (tmp_path / "calls.tf.json").write_text('{"%s": {"vpn": {"source": "./vpn", "peer": "1.2.3.4"}}}' % key)
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


@pytest.mark.parametrize("source", ["./vpn", "./v\\u0070n", "../vpn"])
def test_named_module_file_is_judged_through_its_caller(tmp_path: Path, source: str) -> None:
    """Pre-commit names the changed module file: `callers_of` must find the caller however the source is written."""
    caller = tmp_path / ("live" if source.startswith("..") else ".")
    caller.mkdir(exist_ok=True)
    (caller / "main.tf").write_text(PROVIDER + 'module "m" {\n  source = "%s"\n  peer = "1.2.3.4"\n}\n' % source)
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


def test_module_calling_its_parent_is_found_for_a_named_file(tmp_path: Path) -> None:
    """`source = ".."` does not write the called directory's name: the caller is still found."""
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    (tmp_path / "vpn" / "live").mkdir()
    (tmp_path / "vpn" / "live" / "main.tf").write_text(PROVIDER + 'module "m" {\n  source = ".."\n  peer = "1.2.3.4"\n}\n')
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


# ---- the pre-check functions themselves: a "no" only when certain

TYPES = frozenset({"alicloud_vpn_connection", "aws_vpn_connection"})


@pytest.mark.parametrize(
    "text,expected",
    [
        (b'resource "alicloud_vpn_connection" "c" {}', True),
        (b"# alicloud_vpn_connection in a comment", True),  # costs time, never a result
        (b'resource "alicloud_vpn_connection_route" "r" {}', False),
        (b'resource "alicloud_vpn\\u005fconnection" "c" {}', True),
        (b'resource "aws_vpn_connectio\\U0000006e" "c" {}', True),
        (b'resource "aws_vpc" "v" {}', False),
        (b'resource "aws_vpn_connection-x" "c" {}', False),
        (b'resource "aws_vpn_connection\xc3\xa9" "c" {}', True),  # not sure: a non-ASCII name character
    ],
)
def test_names_any(text: bytes, expected: bool) -> None:
    assert names_any(text, TYPES) is expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (b'module "m" {', True),
        (b'module /* y */ "m" {', True),
        (b'module "m" /* y */ {', True),
        (b'module "m" # y\n{', True),
        (b"module m {", True),
        (b'module "a\\"b" {', True),
        (b'module\xc2\xa0"m" {', True),  # a Unicode space: not sure
        (b"path.module", False),
        (b"# this module creates a VPC", False),
        (b'description = "the module name"\n', False),
        (b"module = 1", False),
        (b"my_module \"m\" {", False),
        (b'module /* unclosed "m" {', False),
    ],
)
def test_may_declare_module(text: bytes, expected: bool) -> None:
    assert may_declare_module(text) is expected


def test_no_unicode_normalisation_makes_a_type_name() -> None:
    """Labels are NFC-normalised: no non-ASCII character may turn into a lowercase letter, digit or `_`
    (else a type name could be written without its ASCII spelling and `names_any` would miss it)."""
    bad = []
    for cp in range(0x80, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        n = unicodedata.normalize("NFC", chr(cp))
        if any(c.isascii() and (c.islower() or c.isdigit() or c in "_-") for c in n):
            bad.append(hex(cp))
    assert bad == []


# ---- the one-pattern search (RE2) a large run switches to gives the answers of the search by prefix

PREFIXED = frozenset({"aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_vpn_connection", "alicloud_vpn_connection",
                      "google_compute_vpn_tunnel", "azurerm", "x-y_z"})


def _both(names: frozenset[str]) -> tuple[object, object]:
    """A search by prefix, and one past `LINEAR_AFTER` (its answers from the one RE2 pattern)."""
    from xborder.inputs.terraform.precheck import LINEAR_AFTER, TypeNames

    by_prefix, linear = TypeNames(names), TypeNames(names)
    assert linear.search(b" " * (LINEAR_AFTER + 1)) is False
    assert linear._linear is not None and by_prefix._linear is None  # noqa: SLF001 - which engine answers
    return by_prefix, linear


@pytest.mark.parametrize(
    "text,expected",
    [
        (b"aws_vpn_gateway", True),  # at the end of the text
        (b"aws_vpn_gateway\n", True),
        (b"aws_vpn_gateway.", True),
        (b"aws_vpn_gateway\xff", True),  # a byte that is no name character (not UTF-8)
        (b"\xffaws_vpn_gateway\xc3", True),
        (b"xaws_vpn_gateway ", True),  # nothing is required before a name
        (b"aws_vpn_gateway_", False),
        (b"aws_vpn_gateway-", False),
        (b"aws_vpn_gateway9", False),
        (b"aws_vpn_gateway_attachment", True),  # a name that extends another
        (b"aws_vpn_gateway_attachmentx aws_vpn_gateway-", False),
        (b"aws_vpn_gateway_attachmentx aws_vpn_gateway ", True),
        (b"AWS_VPN_GATEWAY", False),
        (b"azurerm", True),
        (b"azurerm_x", False),
        (b"x-y_z", True),
        (b"x-y_zz", False),
        (b"", False),
    ],
)
def test_one_pattern_search_answers_as_the_search_by_prefix(text: bytes, expected: bool) -> None:
    by_prefix, linear = _both(PREFIXED)
    assert by_prefix.search(text) is expected  # type: ignore[attr-defined]
    assert linear.search(text) is expected  # type: ignore[attr-defined]


def test_one_pattern_search_agrees_on_random_texts() -> None:
    import random

    rng = random.Random(23)
    pieces = [b"aws_", b"vpn_", b"gateway", b"_attachment", b"connection", b"alicloud_", b"azurerm", b"x-y_z", b"-",
              b"_", b" ", b"\n", b".", b"\xff", b"\xc3\xa9", b"a", b"9", b'"', b"google_compute_vpn_tunnel"]
    by_prefix, linear = _both(PREFIXED)
    seen = set()
    for _ in range(3000):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        expected = by_prefix.search(text)  # type: ignore[attr-defined]
        assert linear.search(text) is expected, text  # type: ignore[attr-defined]
        seen.add(expected)
    assert seen == {True, False}


def test_no_names_match_nothing_past_the_switch() -> None:
    from xborder.inputs.terraform.precheck import LINEAR_AFTER, TypeNames

    empty = TypeNames(frozenset())
    assert empty.search(b" " * (LINEAR_AFTER + 1)) is False
    assert empty.search(b"aws_vpn_gateway ") is False


def test_a_long_quoted_string_is_checked_in_one_step() -> None:
    """`lexical_doubt` takes a run of plain string characters whole: an 8 MB string took ~2 s one character at a
    time (a loop turn and a backtracking point each), ~0.05 s now."""
    import time

    from xborder.inputs.terraform.precheck import lexical_doubt

    started = time.process_time()
    assert lexical_doubt(b'x = "' + b"a" * 8_000_000 + b'"\n') is False
    assert time.process_time() - started < 0.5
    assert lexical_doubt(b'x = "' + b"a" * 8_000_000 + b"\n") is True  # unclosed


# the quoted-string token one character at a time, as it was: `_SKIP` must consume exactly the same spans
_ONE_AT_A_TIME = rb"""
  \#[^\n]* | //[^\n]* | /\*.*?\*/
| "(?:[^"\\\n$%]|\\[nrt"\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\$\$\{|%%\{|[$%](?!\{)|[$%]\{[^{}"\n]*\})*"
| <<-?([A-Za-z_][\w-]*)[ \t]*\r?\n(?:.*?\n)??[ \t]*\1[ \t]*\r?(?=\n|\Z)
"""


def test_string_runs_taken_whole_give_the_same_spans() -> None:
    import random
    import re

    from xborder.inputs.terraform.precheck import _SKIP

    slow = re.compile(_ONE_AT_A_TIME, re.X | re.S)
    tricky = [b'"abc"', b'"ab\\"c"', b'"a$b%c"', b'"a${x}b"', b'"a${"x"}b"', b'"a$${x}"', b'"a%%{x}"', b'"a\\q"',
              b'"abc\ndef"', b'"abc', b'"\\u00e9\\U0001F600"', b'"\\u00e"', b"<<EOT\nabc\nEOT\n", b"<<-X\n  a\"b\n  X",
              b"# c\n", b"/* c */", b"// c", b'"a\xffb"', b'""', b'"$"', b'"%"', b'"${"', b'"%{ if x }"']
    rng = random.Random(10)
    pieces = [b'"', b"a", b"bc", b"\\", b"\\n", b"$", b"%", b"{", b"}", b"\n", b"#", b"/", b"*", b"<<", b"EOT", b" ", b"\xff"]
    texts = tricky + [b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(4000)]
    for text in texts:
        assert [m.span() for m in _SKIP.finditer(text)] == [m.span() for m in slow.finditer(text)], text


# ---- the search by prefix looks names up where their rest is a run of name characters: the regex's answers


def _by_regex(names: frozenset[str], data: bytes) -> bool:
    """The search by prefix as one regex per prefix answers it (`prefix(?:rest|...)(?![\\w-])`, longest first)."""
    groups: dict[bytes, list[bytes]] = {}
    for name in sorted(names):
        prefix, sep, rest = name.encode("utf-8").partition(b"_")
        groups.setdefault(prefix + sep, []).append(rest)
    return any(re.search(re.escape(prefix) + rb"(?:" + b"|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
                         + rb")(?![\w-])", data) is not None for prefix, rests in groups.items())


_PIECES = ["aws", "vpn", "x", "9", "_", "-", ":", ".", "é", "AWS::EC2::X"]
_NAMES = st.frozensets(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=5).map("".join), max_size=6)
_TEXT = st.lists(st.sampled_from([p.encode() for p in _PIECES] + [b" ", b"\n", b'"', b"\xff", b"\xc3", b"aws_vpn"]),
                 max_size=14).map(b"".join)


@settings(max_examples=600, deadline=None, derandomize=True, database=None)
@given(_NAMES, _TEXT)
def test_search_by_prefix_answers_as_the_regex(names: frozenset[str], text: bytes) -> None:
    from xborder.inputs.terraform.precheck import TypeNames

    search = TypeNames(names)
    assert search.search(text) is _by_regex(names, text)
    assert search._linear is None  # noqa: SLF001 - the search by prefix answered, not the one RE2 pattern


def test_a_text_full_of_a_prefix_is_searched_by_its_regex_past_the_lookups() -> None:
    """Past `LOOKUPS` occurrences of a prefix in one text, the prefix's regex searches the rest (same answers)."""
    from xborder.inputs.terraform.precheck import LOOKUPS, TypeNames

    many = b"aws_vpnx aws_vpn_ aws_vpn-1 " * LOOKUPS
    for text, expected in [(many, False), (many + b"aws_vpn\n", True), (b"aws_vpn " + many, True),
                           (many[:-1] + b"aws_vpn", True)]:
        search = TypeNames(frozenset({"aws_vpn", "azurerm_x"}))
        assert search.search(text) is expected is _by_regex(frozenset({"aws_vpn", "azurerm_x"}), text)
        assert set(search._compiled) == (set() if text.startswith(b"aws_vpn ") else {b"aws_"})  # noqa: SLF001
