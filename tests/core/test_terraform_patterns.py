"""Common Terraform idioms, end to end: the findings a user expects from them."""

from __future__ import annotations

from pathlib import Path

from xborder.scan import ScanRequest, run_scan


def scan(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    (tmp_path / "main.tf").write_text(text)
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False))
    assert result.errors == []
    return sorted((f.rule_id, f.resource) for f in result.findings)


PEERS = """
provider "aws" {
  region = "cn-northwest-1"
}
variable "offices" {
  default = { hk = "203.186.1.1", sha = "58.247.0.10", tpe = "168.95.1.1" }
}
resource "aws_customer_gateway" "office" {
  for_each   = var.offices
  ip_address = each.value
  bgp_asn    = 65000
  type       = "ipsec.1"
}
"""


def test_for_each_over_another_resource(tmp_path: Path) -> None:
    got = scan(tmp_path, PEERS + """
resource "aws_vpn_connection" "office" {
  for_each            = aws_customer_gateway.office
  customer_gateway_id = each.value.id
  type                = "ipsec.1"
}
""")
    assert got == [("XB101", 'aws_vpn_connection.office["hk"]'), ("XB101", 'aws_vpn_connection.office["tpe"]')]


def test_for_each_over_a_variable_with_an_index_into_the_gateways(tmp_path: Path) -> None:
    got = scan(tmp_path, PEERS + """
resource "aws_vpn_connection" "office" {
  for_each            = var.offices
  customer_gateway_id = aws_customer_gateway.office[each.key].id
  type                = "ipsec.1"
}
""")
    assert got == [("XB101", 'aws_vpn_connection.office["hk"]'), ("XB101", 'aws_vpn_connection.office["tpe"]')]


def test_unknown_count_is_analysed_once_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(PEERS + """
variable "enabled" {}
resource "aws_vpn_connection" "maybe" {
  count               = var.enabled ? 1 : 0
  customer_gateway_id = aws_customer_gateway.office["hk"].id
  type                = "ipsec.1"
}
""")
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False))
    [f] = result.findings
    assert f.rule_id == "XB101"
    assert any("count is unknown" in e and "analysed once" in e for e in f.evidence)


def test_for_each_over_a_list_is_rejected_as_terraform_does_and_still_reported(tmp_path: Path) -> None:
    """Terraform rejects `for_each` over a tuple or list (only maps and sets of strings): the instances are not
    known, so the VPN is analysed once and its mainland end still gives a visible item (never silence)."""
    (tmp_path / "main.tf").write_text(PEERS + """
resource "aws_vpn_connection" "office" {
  for_each            = ["hk", "tpe"]
  customer_gateway_id = aws_customer_gateway.office[each.key].id
  type                = "ipsec.1"
}
resource "aws_vpn_connection" "numbers" {
  for_each            = toset([1, 2])
  customer_gateway_id = aws_customer_gateway.office["hk"].id
  type                = "ipsec.1"
}
""")
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False))
    got = {f.resource: f for f in result.findings}
    assert sorted(got) == ["aws_vpn_connection.numbers", "aws_vpn_connection.office"]
    assert got["aws_vpn_connection.office"].rule_id == "XB102"  # mainland end, the other not determinable
    assert got["aws_vpn_connection.numbers"].rule_id == "XB101"  # the gateway does not depend on each
    for f in got.values():
        assert any("for_each must be a map or a set of strings: Terraform rejects this configuration" in e
                   and "analysed once" in e for e in f.evidence)
