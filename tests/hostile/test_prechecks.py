"""Visible: the textual pre-checks that skip parsing (`inputs/terraform/precheck.py`) cannot hide a link.

Each pre-check decides from raw text whether a directory is read in full (names a resource type of
interest), calls a module (root detection, quick directories) or calls a named module (pre-commit:
`callers_of`). Valid HCL that spells these differently (a comment between keyword and label, an escape
in a quoted label or a JSON key, a `..` source) must give the same finding as the plain spelling.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

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
