"""Coverage gaps of issue 8: Tencent GAAP area names, and Terraform's own -var-file spelling with JSON files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


GAAP = """\
provider "tencentcloud" {{
  region = "ap-guangzhou"
}}

resource "tencentcloud_gaap_proxy" "acc" {{
  name              = "office-acceleration"
  bandwidth         = 10
  concurrent        = 2
  access_region     = "{access}"
  realserver_region = "{origin}"
}}
"""


@pytest.mark.parametrize(
    ("access", "origin", "rules"),
    [
        ("SouthChina", "NorthChina", []),  # both areas in mainland China: not a crossing
        ("Hongkong", "NorthChina", ["XB202"]),  # Hong Kong is offshore
        ("EastChina", "SouthwestChina", []),
        ("SouthChina", "Virginia", ["XB202"]),
    ],
)
def test_gaap_area_names_are_placed(tmp_path: Path, access: str, origin: str, rules: list[str]) -> None:
    (tmp_path / "main.tf").write_text(GAAP.format(access=access, origin=origin), encoding="utf-8")
    doc = json.loads(xborder(tmp_path, "scan", ".", "--no-config", "-f", "json").stdout)
    assert [f["rule_id"] for f in doc["findings"]] == rules, doc["findings"]


VPN = """\
provider "aws" {
  region = "cn-north-1"
}

variable "office_ip" {
  type = string
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = var.office_ip
  type       = "ipsec.1"
}

resource "aws_vpn_gateway" "main" {}

resource "aws_vpn_connection" "office" {
  customer_gateway_id = aws_customer_gateway.office.id
  vpn_gateway_id      = aws_vpn_gateway.main.id
  type                = "ipsec.1"
}
"""


@pytest.mark.parametrize("flag", ["-var-file", "--var-file"])
def test_var_file_named_json_is_read_as_json_with_terraforms_spelling(tmp_path: Path, flag: str) -> None:
    (tmp_path / "main.tf").write_text(VPN, encoding="utf-8")
    (tmp_path / "prod.json").write_text(json.dumps({"office_ip": "203.186.1.1"}), encoding="utf-8")
    proc = xborder(tmp_path, "scan", ".", "--no-config", f"{flag}=prod.json", "-f", "json")
    doc = json.loads(proc.stdout)
    assert doc["errors"] == [] and [f["rule_id"] for f in doc["findings"]] == ["XB101"]
    assert any("203.186.1.1" in e for e in doc["findings"][0]["evidence"])
