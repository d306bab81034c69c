"""VPN configurations inside CloudFormation strings are XB003 ("VPN configuration embedded, not read") at the
property that holds them, never silence.

Before: a JSON template's UserData (`Fn::Base64` of `Fn::Join` parts writing /etc/ipsec.conf) scanned clean,
and a YAML template's `UserData: !Base64 |` block was reported by the YAML signatures as a file at the line
of its first VPN statement, not at the property. Now the template reader looks at every string of a
resource's Properties and Metadata (a `Fn::Join` joined, its deploy-time parts as a word), with the embedded
signatures of policies/unread_configs.yaml (`only_in: strings`). Decided with the lead.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import scan_json

YAML_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VpnHost:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123
      UserData: !Base64
        Fn::Sub: |
          #cloud-config
          write_files:
            - path: /etc/wireguard/wg0.conf
              content: |
                [Interface]
                PrivateKey = x
                [Peer]
                Endpoint = ${PeerIp}:51820
  Quiet:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123
      UserData: !Base64 "#!/bin/bash\\necho hello\\n"
"""

JSON_TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Parameters": {"Peer": {"Type": "String"}},
    "Resources": {
        "Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "UserData": {"Fn::Base64": {"Fn::Join": ["", [
            "#!/bin/bash\n", "cat > /etc/ipsec.conf <<EOF\n", "conn hk\n  right=", {"Ref": "Peer"}, "\n  auto=start\nEOF\n"]]}}}},
        "Init": {"Type": "AWS::EC2::Instance",
                 "Metadata": {"AWS::CloudFormation::Init": {"config": {"files": {"/etc/openvpn/client.conf": {
                     "content": "client\ndev tun\nremote vpn.example.com 1194 udp\n"}}}}},
                 "Properties": {"ImageId": "ami-1"}},
    },
}


def _scan(tmp_path: Path):  # noqa: ANN202
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def test_yaml_user_data_is_reported_at_the_property(tmp_path: Path) -> None:
    (tmp_path / "vpn.yaml").write_text(YAML_TEMPLATE)
    [f] = _scan(tmp_path).doc["findings"]  # one finding: the YAML file is not reported a second time
    assert (f["rule_id"], f["start_line"]) == ("XB003", 7), f
    assert f["resource"].startswith("VpnHost.Properties.UserData (WireGuard configuration embedded"), f


def test_json_join_and_cfn_init_contents_are_reported(tmp_path: Path) -> None:
    text = json.dumps(JSON_TEMPLATE, indent=1)
    (tmp_path / "vpn.json").write_text(text)
    found = sorted((f["rule_id"], f["start_line"], f["resource"].split(" (")[0]) for f in _scan(tmp_path).doc["findings"])
    lines = text.splitlines()
    user_data = next(i for i, ln in enumerate(lines, 1) if '"UserData"' in ln)
    content = next(i for i, ln in enumerate(lines, 1) if '"content"' in ln)
    # (a literal cfn-init file is read, the instance its local end: test_embedded_read; its host cannot be placed)
    assert found == [("XB003", user_data, "Host.Properties.UserData"),
                     ("XB102", content, "Init /etc/openvpn/client.conf: remote vpn.example.com 1194")], found


def test_template_without_embedded_vpn_stays_quiet(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(YAML_TEMPLATE.split("  VpnHost:")[0] + YAML_TEMPLATE.split("\n  Quiet:\n")[0][:0]
                                       + "  Quiet:\n" + YAML_TEMPLATE.split("\n  Quiet:\n")[1])
    run = _scan(tmp_path)
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]
