"""A line break HCL's parser refuses (tree-sitter-hcl reads on) gives no value: Terraform rejects the file.

In HCL a line break ends an argument's value and, inside an object constructor, an item; parentheses, brackets,
`for` expressions and template interpolations let a value go on over lines, and a quoted string never holds one.
The values of such expressions against `terraform console` are in tests/fidelity (COMPOSITION_CASES); these
tests read them as a scan does (locals entry by entry, a VPN's peer address)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from xborder.model import Unknown
from xborder.scan import ScanRequest, run_scan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fidelity"))

from fidelity_oracle import xborder_module_value  # noqa: E402

REJECTED = [
    ('{ip = "58.247.0.10"\n  , asn = 65000}', "inside an object item", 4),
    ('{ip = <<EOT\n58.247.0.10\nEOT\n  , asn = 65000}', "inside an object item", 6),
    ('true ? "58.247.0.10"\n  : "203.186.1.1"', "inside the value", 4),
    ('"58.247.0.10\n"', "quoted string split over lines", 3),
    ('merge({asn = 1}, {ip = "x"\n, b = 2})', "inside an object item", 4),
]
ACCEPTED = [
    ('{\n  ip = "58.247.0.10",\n  asn = 65000\n}', {"ip": "58.247.0.10", "asn": 65000}),
    ('(true ? "58.247.0.10"\n  : "203.186.1.1")', "58.247.0.10"),
    ('merge(\n  {ip = "x"},\n  {asn = 1}\n)', {"ip": "x", "asn": 1}),
    ('{ip = <<EOT\nx\nEOT\n}', {"ip": "x\n"}),
    ('{ip = "x" # the peer\n  asn = 1 /* a\n  number */, b = [\n1]\n}', {"ip": "x", "asn": 1, "b": [1]}),
    ('"${upper(\n"x")}"', "X"),
    ('{for k, v in {a = 1} : k => v\n}', {"a": 1}),
]


@pytest.mark.parametrize(("expr", "what", "line"), REJECTED)
def test_a_value_terraform_rejects_is_unknown_with_the_place(expr: str, what: str, line: int) -> None:
    v = xborder_module_value(expr, "")
    assert isinstance(v, Unknown), v
    assert f"HCL syntax error in main.tf at line {line}," in v.reason and what in v.reason
    assert v.reason.endswith("Terraform rejects this file")


@pytest.mark.parametrize(("expr", "value"), ACCEPTED)
def test_line_breaks_hcl_allows_keep_their_value(expr: str, value: object) -> None:
    assert xborder_module_value(expr, "") == value


def test_a_peer_address_read_from_a_rejected_object_is_not_determinable(tmp_path: Path) -> None:
    """Before, the entry `ip` of the object was read as 58.247.0.10 (Shanghai): a mainland peer of a mainland
    region, no finding. Terraform rejects the file, so the peer is not known: the VPN is XB102, with the reason."""
    (tmp_path / "main.tf").write_text('''
provider "aws" {
  region = "cn-northwest-1"
}
locals {
  peer = {ip = "58.247.0.10"
    , asn = 65000}
}
resource "aws_customer_gateway" "office" {
  ip_address = local.peer.ip
  bgp_asn    = 65000
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "office" {
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
}
''')
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False))
    [f] = result.findings
    assert f.rule_id == "XB102", f
    assert any("HCL syntax error in main.tf at line 7, column 5" in e and "Terraform rejects this file" in e
               for e in f.evidence), f.evidence
