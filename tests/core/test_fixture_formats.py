"""Every input format of the bundled fixtures, end to end: the right rules on the right lines, and the traps silent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def findings() -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", "fixtures", "--format", "json"], cwd=REPO, capture_output=True, text=True)
    doc = json.loads(proc.stdout)
    assert doc["errors"] == []
    return doc["findings"]


def test_device_configs_cloudformation_and_plans() -> None:
    got = sorted(
        (f["rule_id"], f["path"], f["start_line"], f["resource"].split(": ", 1)[-1])
        for f in findings()
        if not f["path"].startswith("fixtures/terraform/")
    )
    assert got == [
        ("XB101", "fixtures/cloudformation/ningxia-vpn.yaml", 33, "SingaporeVpn"),
        ("XB101", "fixtures/network/bj-gw2/swanctl.conf", 5, "connection hk-hub (peer 123.255.90.1)"),
        ("XB101", "fixtures/network/bj-gw2/swanctl.conf", 5, "connection hk-hub (peer 203.186.1.1)"),
        ("XB101", "fixtures/network/bj-srx/srx.conf", 14, "ike gateway gw-singapore (ipsec vpn vpn-singapore)"),
        ("XB101", "fixtures/network/hk-edge/wg0.conf", 15, "[Peer] hangzhou-lab"),
        ("XB101", "fixtures/network/sha-edge2/60-tunnels.yaml", 10, "tunnels.gre-hk"),
        ("XB101", "fixtures/network/sha-gw1/ipsec.conf", 15, "conn hq-frankfurt"),
        ("XB101", "fixtures/network/sha-gw1/ipsec.conf", 21, "conn hk-office"),
        ("XB101", "fixtures/network/sha-rtr1/running-config.cfg", 15, "crypto map CMAP 10"),
        ("XB101", "fixtures/plan/tfplan.json", 61, "aws_vpn_connection.hq"),
        ("XB102", "fixtures/network/sha-gw1/ipsec.conf", 33, "conn partner"),
        ("XB102", "fixtures/plan/tfplan.json", 140, "module.branch.aws_vpn_connection.this[0]"),
        # client address pools for whoever connects: remote-access services in mainland China
        ("XB103", "fixtures/network/bj-gw2/swanctl.conf", 34, "connection roadwarrior"),
        ("XB103", "fixtures/network/bj-ovpn/server.conf", 9, "server 10.8.0.0 255.255.255.0"),
        ("XB103", "fixtures/network/sha-gw1/ipsec.conf", 38, "conn roadwarriors"),
    ]


def test_site_inventory_decides_and_is_named() -> None:
    by_resource = {f["resource"]: f for f in findings()}
    hk_office = by_resource["fixtures/network/sha-gw1/ipsec.conf: conn hk-office"]
    evidence = "\n".join(hk_office["evidence"])
    assert "site inventory: hong-kong-office (HK" in evidence  # a host name placed by the inventory
    assert "site inventory: shanghai-dc (CN" in evidence
    srx = by_resource["fixtures/network/bj-srx/srx.conf: ike gateway gw-singapore (ipsec vpn vpn-singapore)"]
    assert "beijing-office" in "\n".join(srx["evidence"])


def test_cloudformation_region_comes_from_the_inventory() -> None:
    [f] = [f for f in findings() if f["resource"] == "SingaporeVpn"]
    assert "cn-northwest-1" in "\n".join(f["evidence"])
    assert "ShenzhenVpn" not in {g["resource"] for g in findings()}


def test_plan_values_win_over_the_plans_own_source() -> None:
    resources = {(f["resource"], f["path"]) for f in findings()}
    assert ("aws_vpn_connection.hq", "fixtures/plan/tfplan.json") in resources
    assert not any(path.startswith("fixtures/plan/") and path.endswith(".tf") for _, path in resources)
