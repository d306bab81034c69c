"""CloudFormation `Fn::ForEach` (AWS::LanguageExtensions) is expanded, so VPNs written in a loop are judged.

Before: every `Fn::ForEach::*` entry of Resources was a note ("not expanded"), and notes reach neither SARIF
nor GitHub annotations: a template whose VPNs sit in a loop scanned clean there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Offices:
    Type: CommaDelimitedList
{default}
Mappings:
  Peers:
    Fra: {{Ip: 8.8.8.8}}
    Sha: {{Ip: 180.76.76.76}}
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Fn::ForEach::Offices:
    - Office
    - {collection}
    - Cgw{key}:
        Type: AWS::EC2::CustomerGateway
        Properties:
          Type: ipsec.1
          BgpAsn: 65000
          IpAddress: !FindInMap [Peers, !Ref Office, Ip]
      Vpn{key}:
        Type: AWS::EC2::VPNConnection
        Properties:
          Type: ipsec.1
          VpnGatewayId: !Ref Vgw
          CustomerGatewayId: {cgw}
Outputs:
  Arn:
    Value: arn:aws-cn:ec2:cn-north-1:123456789012:vpn
"""


def _scan(tmp_path: Path, **parts: str):  # noqa: ANN202
    values = {"default": '    Default: "Fra,Sha"', "collection": "!Ref Offices", "key": "${Office}",
              "cgw": "!Ref\n            Fn::Sub: Cgw${Office}"}
    values.update(parts)
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "vpns.yaml").write_text(HEAD.format(**values))
    run = scan_json("stack", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize(
    "parts",
    [
        {},
        {"collection": "[Fra, Sha]", "key": "&{Office}"},
        {"collection": "[Fra, Sha]"},
    ],
    ids=["parameter-default-and-ref-sub", "literal-list-and-ampersand", "literal-list"],
)
def test_vpns_in_a_loop_are_judged_one_by_one(tmp_path: Path, parts: dict[str, str]) -> None:
    run = _scan(tmp_path, **parts)
    assert [(f["rule_id"], f["resource"]) for f in run.doc["findings"]] == [("XB101", "VpnFra")], run.doc


def test_a_loop_whose_collection_is_not_known_is_xb002_at_the_loop(tmp_path: Path) -> None:
    """Without a default the values are chosen at deploy time: nothing is invented, and the loop is a visible
    XB002 finding at its key (a note only reached text and JSON), never a clean pass."""
    run = _scan(tmp_path, default="")
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"], f["path"], f["start_line"]) == ("XB002", "Fn::ForEach::Offices", "stack/vpns.yaml", 15)
    assert any("its collection is not known statically (parameter Offices has no default)" in e for e in f["evidence"])
    assert not any("is not expanded" in n for n in run.doc["notes"]), run.doc["notes"]


def test_a_loop_of_mainland_peers_is_clean(tmp_path: Path) -> None:
    """Negative case: both offices in Beijing: two VPNs read, no finding."""
    run = _scan(tmp_path, default='    Default: "Sha"')
    assert run.doc["findings"] == [] and run.doc["notes"] == [], run.doc
