"""One internal error costs one resource, expression, extractor or rule check, reported at file:line; never a module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from xborder.hookspecs import hookimpl
from xborder.plugins import make_plugin_manager
from xborder.scan import ScanRequest, run_scan

VPNS = """\
provider "aws" {
  region = "cn-north-1"
}

resource "aws_customer_gateway" "hk_office" {
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
}

resource "aws_vpn_gateway" "main" {}

resource "aws_vpn_connection" "to_hk" {
  customer_gateway_id = aws_customer_gateway.hk_office.id
  vpn_gateway_id      = aws_vpn_gateway.main.id
  type                = "ipsec.1"
  tunnel1_log_options = "off"
  tunnel1_log_options {
    cloudwatch_log_options {
      log_enabled = false
    }
  }
}

resource "aws_vpn_connection" "backup" {
  customer_gateway_id = aws_customer_gateway.hk_office.id
  vpn_gateway_id      = aws_vpn_gateway.main.id
  type                = "ipsec.1"
}
"""


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_argument_and_block_of_the_same_name_is_an_error_at_its_line_and_the_module_is_judged(tmp_path: Path) -> None:
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(VPNS, encoding="utf-8")
    proc = xborder(tmp_path, "scan", "vpn", "--no-cache", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2
    (err,) = doc["errors"]
    assert (err["path"], err["line"]) == ("vpn/main.tf", 18)
    assert '"tunnel1_log_options" is set both as an argument (line 17) and as a nested block' in err["message"]
    # both VPNs of the module are still judged, the one with the bad block included
    assert {(f["rule_id"], f["resource"]) for f in doc["findings"]} == {
        ("XB101", "aws_vpn_connection.to_hk"), ("XB101", "aws_vpn_connection.backup")}
    assert "Traceback" not in proc.stderr


class BrokenExtractor:
    """A third-party extractor with a bug: it fails on every unit it sees."""

    @hookimpl
    def xborder_extract_links(self, resources, ctx):  # noqa: ANN001, ANN201
        raise KeyError("peer_region")


class BrokenRule:
    """A third-party rule with a bug that only shows on one link."""

    def __init__(self, info) -> None:  # noqa: ANN001
        self.info = info

    def check(self, links, ctx):  # noqa: ANN001, ANN201
        for link in links:
            if link.address.endswith(".backup"):
                raise ValueError("cannot judge this one")
        return []


class BrokenRules:
    @hookimpl
    def xborder_rules(self):  # noqa: ANN201
        from xborder.policy import load_policies

        return [BrokenRule(load_policies().rules["XB102"])]


def test_a_failing_plugin_costs_only_what_it_failed_on(tmp_path: Path) -> None:
    text = VPNS.replace('  tunnel1_log_options = "off"\n', "")
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    backup_line = text.splitlines().index('resource "aws_vpn_connection" "backup" {') + 1
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(BrokenExtractor(), name="broken-extractor")
    pm.register(BrokenRules(), name="broken-rules")
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False), pm)
    assert {(f.rule_id, f.resource) for f in result.findings} == {
        ("XB101", "aws_vpn_connection.to_hk"), ("XB101", "aws_vpn_connection.backup")}
    messages = {(e.path, e.line): e.message for e in result.errors}
    assert "internal error in link extractor broken-extractor (KeyError" in messages[("main.tf", 5)]
    assert messages[("main.tf", backup_line)].startswith("internal error in rule XB102 on aws_vpn_connection.backup (ValueError")
