"""A typo or an unlisted region is unknown (XB102/XB203), never a verdict; `.xborder.yaml` values are checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xborder.jurisdiction.regions import resolve_code
from xborder.model import Fact, Side
from xborder.policy import load_policies
from tree_support import write_tree  # noqa: E402


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    ("table", "code", "suggestion"),
    [
        ("aws", "cn-nrth-1", "cn-north-1"),
        ("aws", "ap-est-1", "ap-east-1"),
        ("azurerm", "China Nort 2", "chinanorth2"),
        ("google", "asia-eats2", "asia-east2"),
        ("oci", "ap-tokio-1", "ap-tokyo-1"),
        ("alicloud", "cn-shangai", "cn-shanghai"),
        ("tencentcloud", "ap-shangai", "ap-shanghai"),
    ],
)
def test_typo_is_unknown_with_did_you_mean(table: str, code: str, suggestion: str) -> None:
    j = resolve_code(Fact("region", code, table), load_policies())
    assert j.side is Side.UNKNOWN, j.evidence
    assert f"unlisted region {code} for provider {table}" in j.evidence
    assert f"did you mean {suggestion}" in j.evidence


@pytest.mark.parametrize(
    ("table", "code", "side"),
    [
        ("aws", "mx-central-1", Side.OFFSHORE),
        ("aws", "eusc-de-east-1", Side.OFFSHORE),
        ("azurerm", "West US 3", Side.OFFSHORE),
        ("azurerm", "chinanorth3", Side.MAINLAND),
        ("google", "northamerica-south1", Side.OFFSHORE),
        ("google", "asia-east2", Side.OFFSHORE),  # Hong Kong: offshore
        ("oci", "ap-chuncheon-1", Side.OFFSHORE),
    ],
)
def test_listed_regions_of_global_clouds_still_decide(table: str, code: str, side: Side) -> None:
    assert resolve_code(Fact("region", code, table), load_policies()).side is side


AWS_VPN = """\
provider "aws" {{
  region = "{region}"
}}

resource "aws_customer_gateway" "hk_office" {{
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
}}

resource "aws_vpn_gateway" "main" {{}}

resource "aws_vpn_connection" "to_hk" {{
  customer_gateway_id = aws_customer_gateway.hk_office.id
  vpn_gateway_id      = aws_vpn_gateway.main.id
  type                = "ipsec.1"
}}
"""


def test_typo_in_aws_provider_region_is_xb102_not_a_pass(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": AWS_VPN.format(region="cn-nrth-1")})
    proc = xborder(tmp_path, "scan", ".", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1
    (f,) = doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB102", "aws_vpn_connection.to_hk")
    assert any("unlisted region cn-nrth-1 for provider aws" in e and "did you mean cn-north-1" in e for e in f["evidence"])
    # the same configuration with the right name is a cross-border VPN
    write_tree(tmp_path, {"main.tf": AWS_VPN.format(region="cn-north-1")})
    doc = json.loads(xborder(tmp_path, "scan", ".", "-f", "json").stdout)
    assert [f["rule_id"] for f in doc["findings"]] == ["XB101"]


CFN_VPN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  OfficeGateway:
    Type: AWS::EC2::CustomerGateway
    Properties:
      BgpAsn: 65000
      IpAddress: 203.186.1.1
      Type: ipsec.1
  VpnGateway:
    Type: AWS::EC2::VPNGateway
    Properties:
      Type: ipsec.1
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      CustomerGatewayId: !Ref OfficeGateway
      VpnGatewayId: !Ref VpnGateway
      Type: ipsec.1
"""


def test_xborder_yaml_region_and_country_typos_are_reported_with_suggestions(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "cfn/vpn.yaml": CFN_VPN,
        ".xborder.yaml": """\
            cloudformation:
              - paths: ["cfn/*.yaml"]
                region: cn-nrth-1
            sites:
              - name: hong-kong
                country: HKG
                cidrs: ["119.28.0.0/16"]
            """,
    })
    proc = xborder(tmp_path, "scan", ".", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2
    messages = {(e["path"], e["line"]): e["message"] for e in doc["errors"]}
    assert "did you mean cn-north-1" in messages[(".xborder.yaml", 3)]
    assert "did you mean 'HK'" in messages[(".xborder.yaml", 6)]
    # the template is still judged: its region is unknown, not offshore
    (f,) = doc["findings"]
    assert f["rule_id"] == "XB102" and any("unlisted region cn-nrth-1 for provider aws" in e for e in f["evidence"])
