"""The inventory's "covered by" names only what covers the link in the scan: the directives and approvals `apply`
honours for its finding.

Before: `suppress.covers` (the inventory's list) looked for inline directives above any related location (the
customer gateway a VPN references) and ignored a directive's `address=`, where the scan looks only on the finding's
block and its module call and takes `address=` as the instances it names. A directive above a gateway (an XB001 that
matches no finding, the VPN reported unapproved) was listed as an active cover of the VPN, and a directive naming one
instance of a `for_each` VPN as a cover of every instance: a compliance record of approvals nobody made.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import xborder

GATEWAY = """\
provider "aws" {{
  region = "cn-north-1"
}}

{above_gateway}resource "aws_customer_gateway" "c" {{
  for_each   = {{ a = "203.186.1.1", b = "168.95.1.1" }}
  ip_address = each.value
  bgp_asn    = 65000
  type       = "ipsec.1"
}}

resource "aws_vpn_gateway" "v" {{}}

{above_vpn}resource "aws_vpn_connection" "vpn" {{
  for_each            = aws_customer_gateway.c
  customer_gateway_id = each.value.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}}
"""


def _rows(tmp_path: Path, above_gateway: str = "", above_vpn: str = "") -> dict[str, dict]:
    (tmp_path / "main.tf").write_text(GATEWAY.format(above_gateway=above_gateway, above_vpn=above_vpn))
    run = xborder("inventory", ".", "--no-cache", "--format", "json", cwd=tmp_path)
    return {row["address"]: row for row in json.loads(run.out)["links"]}


def test_a_directive_above_the_gateway_covers_no_vpn_in_the_inventory(tmp_path: Path) -> None:
    rows = _rows(tmp_path, above_gateway='# xborder:ignore XB101 reason="gateway approved, CT-1"\n')
    for address in ('aws_vpn_connection.vpn["a"]', 'aws_vpn_connection.vpn["b"]'):
        assert rows[address]["class"] == "unapproved crossing", rows[address]
        assert rows[address]["covers"] == [], rows[address]["covers"]


def test_a_directive_naming_one_instance_covers_that_instance_only_in_the_inventory(tmp_path: Path) -> None:
    rows = _rows(tmp_path, above_vpn="# xborder:ignore XB101 reason=\"HK office, CT-1\" address='aws_vpn_connection.vpn[\"a\"]'\n")
    hk, tw = rows['aws_vpn_connection.vpn["a"]'], rows['aws_vpn_connection.vpn["b"]']
    assert hk["class"] == "approved crossing" and [c["reason"] for c in hk["covers"]] == ["HK office, CT-1"], hk
    assert tw["class"] == "unapproved crossing" and tw["covers"] == [], tw
