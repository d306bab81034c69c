"""SARIF of findings that hold only with another allowed parameter value (CloudFormation AllowedValues), as
GitHub sees it: Microsoft's SARIF multitool with its GitHub rules reports nothing, and the OASIS schema holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from integrations.conftest import REPO_ROOT, require_tool  # type: ignore[import-not-found]

sys.path.insert(0, str(REPO_ROOT / "tests"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "tools"))
from sarif_support import assert_valid_sarif  # noqa: E402

NO_INFORMATION_URI = "SARIF2005/Warning_ProvideToolnformationUri"  # the one waiver, as for the fixtures

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
    Default: 223.5.5.5
    AllowedValues: [223.5.5.5, 203.186.1.1]
  Env:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {Type: ipsec.1}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: !Ref CgwIp}
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties: {Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Condition: IsProd
    Properties: {VpcId: vpc-1, PeerVpcId: vpc-2, PeerRegion: ap-east-1}
"""


def test_world_findings_pass_the_multitool(tmp_path: Path) -> None:
    import sarif_multitool  # type: ignore[import-not-found]

    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "vpn.yaml").write_text(TEMPLATE)
    (tmp_path / ".xborder.yaml").write_text('cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n')
    target = tmp_path / "out.sarif"
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", "stack", "--no-cache", "--format", "sarif",
                           "--output", str(target), "--fail-on", "never"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(target.read_text())
    assert_valid_sarif(doc)
    worlds = sorted(r["properties"]["xborder/world"]["name"] for r in doc["runs"][0]["results"])
    assert worlds == ["CgwIp", "Env"], doc["runs"][0]["results"]
    exe = sarif_multitool.find_multitool()
    require_tool("SARIF multitool (npm @microsoft/sarif-multitool)", exe, "run `npm ci` at the repository root")
    assert sarif_multitool.validate([target], exe, allow=[NO_INFORMATION_URI]) == []
