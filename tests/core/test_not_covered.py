"""XB004: a connectivity resource whose ends xborder cannot place is reported, never passed silently; the types
are listed as not covered by `xborder resources`, with the reason (policies/links/not-covered.yaml)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAG = """\
provider "alicloud" {
  region = "cn-shanghai"
}

variable "sag_id" {
  type    = string
  default = "sag-3rje1ecf25bk5ab6qj"
}

resource "alicloud_cloud_connect_network" "office" {
  name        = "office-ccn"
  cidr_block  = "192.168.0.0/24"
  is_default  = true
}

resource "alicloud_cloud_connect_network_attachment" "branch" {
  ccn_id = alicloud_cloud_connect_network.office.id
  sag_id = var.sag_id
}

resource "alicloud_cloud_connect_network_grant" "to_group" {
  ccn_id  = alicloud_cloud_connect_network.office.id
  cen_id  = "cen-9ffnbf2d2mbu3xd2qj"
  cen_uid = 123456789
}

resource "alicloud_sag_acl" "branch" {
  name = "branch-acl"
}
"""


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "main.tf").write_text(SAG, encoding="utf-8")
    return tmp_path


def test_uncovered_connectivity_is_a_finding_in_every_format(tree: Path) -> None:
    proc = xborder(tree, "scan", ".", "--no-config", "-f", "json")
    assert proc.returncode == 1, proc.stderr  # fails the default gate, like any finding
    findings = json.loads(proc.stdout)["findings"]
    # the attachment and the grant make links; the CCN itself and the device's ACL do not
    assert sorted((f["rule_id"], f["resource"]) for f in findings) == [
        ("XB004", "alicloud_cloud_connect_network_attachment.branch"),
        ("XB004", "alicloud_cloud_connect_network_grant.to_group"),
    ], findings
    grant = next(f for f in findings if f["resource"].endswith("to_group"))
    evidence = "\n".join(grant["evidence"])
    assert "another account" in evidence and "xborder:ignore XB004" in evidence
    assert grant["severity"] == "low" and grant["start_line"] == 21

    text = xborder(tree, "scan", ".", "--no-config").stdout
    assert "main.tf:16:1: XB004" in text and "Connectivity not covered" in text
    sarif = json.loads(xborder(tree, "scan", ".", "--no-config", "-f", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["XB004", "XB004"]
    assert any(rule["id"] == "XB004" for rule in sarif["runs"][0]["tool"]["driver"]["rules"])
    github = xborder(tree, "scan", ".", "--no-config", "-f", "github").stdout
    assert github.count("XB004") >= 2 and "file=main.tf,line=16" in github


def test_an_uncovered_resource_can_be_accepted_deliberately(tree: Path) -> None:
    text = SAG.replace('resource "alicloud_cloud_connect_network_grant"',
                       '# xborder:ignore XB004 reason="group CEN reviewed: mainland regions only, ticket NET-118"\n'
                       'resource "alicloud_cloud_connect_network_grant"')
    text = text.replace('resource "alicloud_cloud_connect_network_attachment"',
                        '# xborder:ignore XB004 reason="branch device in Suzhou, reviewed NET-119"\n'
                        'resource "alicloud_cloud_connect_network_attachment"')
    (tree / "main.tf").write_text(text, encoding="utf-8")
    proc = xborder(tree, "scan", ".", "--no-config", "-f", "json")
    assert proc.returncode == 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert [f for f in doc["findings"] if not f["suppressed"]] == []


def test_a_plain_cloud_connect_network_is_not_reported(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(SAG.split('resource "alicloud_cloud_connect_network_attachment"')[0], encoding="utf-8")
    proc = xborder(tmp_path, "scan", ".", "--no-config", "-f", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


def test_resources_lists_not_covered_types_with_the_reason(tmp_path: Path) -> None:
    rows = {r["type"]: r for r in json.loads(xborder(tmp_path, "resources", "--format", "json").stdout)["resource_types"]}
    grant = rows["alicloud_cloud_connect_network_grant"]
    assert grant["kinds"] == ["not-covered"] and grant["rules"] == ["XB004"] and "cen_uid" in grant["reason"]
    acl = rows["alicloud_sag_acl"]
    assert acl["kinds"] == ["not-covered"] and acl["rules"] == [] and "alicloud_cloud_connect_network_attachment" in acl["reason"]
    assert "reason" not in rows["tencentcloud_dcx"]  # covered types carry no reason
    text = xborder(tmp_path, "resources").stdout
    assert "not covered (" in text and "  alicloud_sag_client_user: " in text
    assert text.rstrip().splitlines()[-1].endswith("providers")
    explain = xborder(tmp_path, "explain", "XB004").stdout
    assert "alicloud_cloud_connect_network_attachment" in explain
