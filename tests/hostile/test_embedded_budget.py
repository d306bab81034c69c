"""The CloudFormation walk of template strings for embedded VPN configurations stops after `MAX_EMBEDDED_NODES`
values (YAML aliases can make a small template a huge tree): when it stops with values left, a scan error says
which resource's strings and those after it were not all looked at. Before, the walk stopped silently: an
embedded configuration past the budget scanned clean.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xborder.context import Options
from xborder.inputs.cloudformation import loader
from xborder.plugins import make_plugin_manager
from xborder.reports.base import ReportSettings
from xborder.reports.json_report import JsonReporter
from xborder.reports.sarif import SarifReporter
from xborder.reports.text import TextReporter
from xborder.scan import ScanRequest, run_scan

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  First:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      Tags:
        - {Key: a, Value: b}
        - {Key: c, Value: d}
  VpnHost:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123
      UserData: !Base64 |
        #!/bin/bash
        echo "Endpoint = 8.8.8.8:51820" > /tmp/x
        [Peer]
"""


def _reports(root: Path) -> tuple[dict, str, str]:
    pm = make_plugin_manager(load_entry_points=False)
    result = run_scan(ScanRequest(paths=[root], root=root, options=Options(jobs=1), use_config=False), pm)
    settings = ReportSettings()
    return (json.loads(JsonReporter(root).render(result, settings)), SarifReporter(root).render(result, settings),
            TextReporter(root).render(result, settings))


@pytest.mark.parametrize("budget", [3, 9])
def test_a_walk_out_of_budget_is_a_scan_error_in_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               budget: int) -> None:
    (tmp_path / "vpn.yaml").write_text(TEMPLATE)
    monkeypatch.setattr(loader, "MAX_EMBEDDED_NODES", budget)
    doc, sarif, text = _reports(tmp_path)
    [err] = [e for e in doc["errors"] if "VPN configurations" in e["message"]]
    assert err["path"] == "vpn.yaml" and "were not all looked at" in err["message"], err
    first = "First" if budget == 3 else "VpnHost"  # 3 values: First's Properties are cut; 9: VpnHost's
    assert err["message"].startswith(f"resource {first}:"), err
    assert "were not all looked at" in sarif and "were not all looked at" in text


def test_within_the_budget_no_error_and_the_configuration_is_found(tmp_path: Path) -> None:
    (tmp_path / "vpn.yaml").write_text(TEMPLATE)
    doc, _, _ = _reports(tmp_path)
    assert not [e for e in doc["errors"] if "VPN configurations" in e["message"]], doc["errors"]
    assert [f["rule_id"] for f in doc["findings"]] == ["XB003"], doc["findings"]
