"""Tencent dedicated tunnels (tencentcloud_dcx) are placed by their connection's access point (dc_id ->
tencentcloud_dc_instance.access_point_id, policies/regions/tencentcloud_access_point.yaml), not by the
provider block the tunnel happens to be written under. Unlisted access points are unknown, never a verdict."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROVIDERS = """\
provider "tencentcloud" {
  region = "ap-guangzhou"
}

provider "tencentcloud" {
  alias  = "hk"
  region = "ap-hongkong"
}
"""

DC = """
resource "tencentcloud_dc_instance" "line" {{
  {provider}
  direct_connect_name = "idc-line"
  access_point_id     = "{ap}"
  line_operator       = "{operator}"
  port_type           = "10GBase-LR"
  location            = "{location}"
}}
"""

DCX = """
resource "tencentcloud_dcx" "tunnel" {{
  dc_id          = {dc_id}
  name           = "to-vpc"
  dcg_id         = "dcg-6d4uaubp"
  network_type   = "CCN"
  network_region = "{network_region}"
  route_type     = "BGP"
  bgp_asn        = 64511
  vlan           = 60
}}
"""


def scan(tmp_path: Path, text: str) -> list[dict]:
    (tmp_path / "main.tf").write_text(PROVIDERS + text, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--no-config", "-f", "json"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["findings"]


def rules(findings: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in findings:
        out.setdefault(f["resource"], []).append(f["rule_id"])
    return out


def dc(ap: str, location: str, hk: bool, operator: str = "InternationalOperator") -> str:
    return DC.format(provider="provider = tencentcloud.hk" if hk else "", ap=ap, location=location, operator=operator)


REF = "tencentcloud_dc_instance.line.id"


@pytest.mark.parametrize(
    ("ap", "location", "hk", "network_region", "expected"),
    [
        # a Hong Kong connection whose tunnel reaches a Guangzhou network: crossing (silent before: the
        # tunnel sits under the Guangzhou provider and was judged Guangzhou to Guangzhou)
        ("ap-hongkong-a-kc", "Hong Kong", True, "ap-guangzhou", {"tencentcloud_dcx.tunnel": ["XB201"]}),
        # trap: the same connection reaching a Hong Kong network crosses nothing (was a false XB201)
        ("ap-hongkong-b-jja", "Hong Kong", True, "ap-hongkong", {}),
        # Shenzhen access point to a Guangzhou network: both mainland
        ("ap-shenzhen-b-ft", "Shenzhen", False, "ap-guangzhou", {}),
        # Shenzhen access point to a Hong Kong network: crossing
        ("ap-shenzhen-b-ft", "Shenzhen", False, "ap-hongkong", {"tencentcloud_dcx.tunnel": ["XB201"]}),
        # the access point list spells one id with a capital letter; ids are matched without case
        ("ap-beijing-I-dhm", "Guangzhou", False, "ap-singapore", {"tencentcloud_dcx.tunnel": ["XB201"]}),
    ],
)
def test_tunnel_is_placed_by_its_connections_access_point(tmp_path: Path, ap: str, location: str, hk: bool, network_region: str, expected: dict) -> None:
    operator = "ChinaTelecom" if not hk else "InternationalOperator"
    findings = scan(tmp_path, dc(ap, location, hk, operator) + DCX.format(dc_id=REF, network_region=network_region))
    assert rules(findings) == expected, findings
    for f in findings:
        assert ap.lower() in json.dumps(f).lower()  # the evidence names the access point


def test_connection_line_is_judged_by_its_access_point(tmp_path: Path) -> None:
    # a connection on a Shanghai access point whose customer IDC is in Hong Kong, written under the Hong
    # Kong provider: the access point decides (mainland), not the provider region
    findings = scan(tmp_path, DC.format(provider="provider = tencentcloud.hk", ap="ap-shanghai-b-tz", location="Hong Kong", operator="InternationalOperator"))
    assert rules(findings) == {"tencentcloud_dc_instance.line": ["XB201"]}, findings
    assert "Shanghai" in json.dumps(findings[0])


@pytest.mark.parametrize("ap", ["ap-atlantis-a-xx", "ap-hongkon-a-kc"])
def test_unlisted_access_point_is_unknown_never_a_verdict(tmp_path: Path, ap: str) -> None:
    findings = scan(tmp_path, dc(ap, "Hong Kong", True) + DCX.format(dc_id=REF, network_region="ap-guangzhou"))
    assert rules(findings) == {"tencentcloud_dc_instance.line": ["XB203"], "tencentcloud_dcx.tunnel": ["XB203"]}, findings
    for f in findings:
        assert "tencentcloud_access_point.yaml" in json.dumps(f)


def test_connection_applied_offline_is_in_the_tunnels_region(tmp_path: Path) -> None:
    findings = scan(tmp_path, DCX.format(dc_id='"dc-ink7y3qf"', network_region="ap-hongkong"))
    assert rules(findings) == {"tencentcloud_dcx.tunnel": ["XB201"]}, findings
    text = json.dumps(findings[0])
    assert "dc-ink7y3qf" in text and "same region as tencentcloud_dcx.tunnel" in text and "assumed" in text
    assert scan(tmp_path, DCX.format(dc_id='"dc-ink7y3qf"', network_region="ap-shanghai")) == []
