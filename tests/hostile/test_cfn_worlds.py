"""CloudFormation parameters are judged with every value their AllowedValues list, not with the Default only.

Before: `CgwIp` Default 223.5.5.5 (mainland), AllowedValues [223.5.5.5, 203.186.1.1 (Hong Kong)], a VPN from
cn-north-1 to `!Ref CgwIp`: 0 findings and exit 0, although the template is written to deploy the Hong Kong VPN
(parameter values are given at deploy time; the Default only pre-fills the console). Each other allowed value is
now its own world; a world's link is reported only where its verdict differs from the defaults', saying so.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .conftest import all_formats, scan_json, xborder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sarif_support import assert_valid_sarif  # noqa: E402

CONFIG = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'

VPN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
{params}
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
{cgw_condition}    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: {ip}
  # the tunnel
  Vpn:
    Type: AWS::EC2::VPNConnection
{vpn_condition}    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
  Box:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: {instance}
{extra}"""

CGW_IP = "  CgwIp:\n    Type: String\n{default}    AllowedValues: [{allowed}]\n"
SIZE = "  Size:\n    Type: String\n    Default: t3.micro\n    AllowedValues: [t3.micro, t3.large, m5.xlarge]\n"


def _tree(tmp_path: Path, text: str, name: str = "vpn.yaml") -> Path:
    (tmp_path / "stack").mkdir(exist_ok=True)
    (tmp_path / "stack" / name).write_text(text)
    (tmp_path / ".xborder.yaml").write_text(CONFIG)
    return tmp_path


def _vpn(default: str | None = "223.5.5.5", allowed: str = "223.5.5.5, 203.186.1.1", ip: str = "!Ref CgwIp",
         cgw_condition: str = "", vpn_condition: str = "", extra: str = "", more_params: str = "") -> str:
    params = CGW_IP.format(default=f"    Default: {default}\n" if default is not None else "", allowed=allowed)
    return VPN.format(params=params + SIZE + more_params, ip=ip, cgw_condition=cgw_condition,
                      vpn_condition=vpn_condition, instance="!Ref Size", extra=extra)


def _scan(tmp_path: Path, text: str, *args: str, name: str = "vpn.yaml"):  # noqa: ANN202
    _tree(tmp_path, text, name)
    run = scan_json("stack", "--no-cache", *args, cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def _found(run) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f["rule_id"], f["resource"]) for f in run.doc["findings"]]


# ------------------------------------------------------------------------------------------ positive


def test_a_hong_kong_allowed_value_is_a_cross_border_vpn_in_its_world(tmp_path: Path) -> None:
    run = _scan(tmp_path, _vpn())
    assert run.rc == 1
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"], f["start_line"]) == ("XB101", "Vpn", 23)
    assert f["message"].endswith("(with parameter CgwIp = 203.186.1.1, one of its AllowedValues; "
                                 "with its Default 223.5.5.5 the ends are mainland, mainland)"), f["message"]
    assert any("IP 203.186.1.1 registered in HK" in e for e in f["evidence"]), f["evidence"]


def test_every_report_says_the_world(tmp_path: Path) -> None:
    """Text, JSON, SARIF (schema-valid) and GitHub annotations all carry the parameter value."""
    _tree(tmp_path, _vpn())
    out = all_formats("stack", "--no-cache", cwd=tmp_path)
    assert out.count("with parameter CgwIp = 203.186.1.1, one of its AllowedValues") >= 4, out
    sarif = xborder("scan", "stack", "--no-cache", "--format", "sarif", "--fail-on", "never", cwd=tmp_path)
    doc = json.loads(sarif.out)
    assert_valid_sarif(doc)
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "XB101" and "CgwIp = 203.186.1.1" in result["message"]["text"]
    world = {"kind": "parameter", "name": "CgwIp", "values": ["203.186.1.1"], "default": "223.5.5.5"}
    assert result["properties"]["xborder/world"] == world
    assert scan_json("stack", "--no-cache", cwd=tmp_path).doc["findings"][0]["world"] == world
    github = xborder("scan", "stack", "--no-cache", "--format", "github", "--fail-on", "never", cwd=tmp_path)
    assert any(line.startswith("::error") and "CgwIp = 203.186.1.1" in line for line in github.out.splitlines()), github.out


def test_json_template(tmp_path: Path) -> None:
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"CgwIp": {"Type": "String", "Default": "223.5.5.5", "AllowedValues": ["223.5.5.5", "202.175.3.3"]}},
        "Resources": {
            "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
            "Cgw": {"Type": "AWS::EC2::CustomerGateway",
                    "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": {"Ref": "CgwIp"}}},
            "Vpn": {"Type": "AWS::EC2::VPNConnection",
                    "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
        },
    }
    run = _scan(tmp_path, json.dumps(template, indent=2), name="vpn.json")
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101" and "with parameter CgwIp = 202.175.3.3" in f["message"], f  # Macau is offshore


@pytest.mark.parametrize("ip, where", [("202.175.3.3", "MO"), ("168.95.1.1", "TW"), ("8.8.8.8", "US")])
def test_macau_and_taiwan_are_offshore(tmp_path: Path, ip: str, where: str) -> None:
    run = _scan(tmp_path, _vpn(allowed=f"223.5.5.5, {ip}"))
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101" and f"CgwIp = {ip}" in f["message"]
    assert any(f"registered in {where}" in e for e in f["evidence"]), f["evidence"]


def test_a_link_that_exists_only_when_a_condition_holds(tmp_path: Path) -> None:
    """`Env` Default dev; the VPN exists only when `Env` is prod: judged in that world."""
    env = "  Env:\n    Type: String\n    Default: dev\n    AllowedValues: [dev, prod]\n"
    text = _vpn(default="203.186.1.1", allowed="203.186.1.1", cgw_condition="    Condition: IsProd\n",
                vpn_condition="    Condition: IsProd\n", more_params=env,
                extra="Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n")
    run = _scan(tmp_path, text)
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB101", "Vpn")
    assert "(with parameter Env = prod, one of its AllowedValues; with its Default dev this link is not created)" in f["message"]
    # negative: the condition's other value is dev only: nothing is deployed, nothing reported
    run = _scan(tmp_path, text.replace("AllowedValues: [dev, prod]", "AllowedValues: [dev]"))
    assert run.doc["findings"] == [] and run.rc == 0


PEERING = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  PeerRegion:
    Type: String
    Default: cn-northwest-1
    AllowedValues: [{regions}]
Resources:
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties: {{VpcId: vpc-1, PeerVpcId: vpc-2, PeerRegion: !Ref PeerRegion}}
"""


def test_a_region_chosen_through_a_parameter(tmp_path: Path) -> None:
    run = _scan(tmp_path, PEERING.format(regions="cn-northwest-1, cn-north-1, ap-east-1, ap-southeast-1"))
    assert _found(run) == [("XB202", "Peering")], run.doc  # Hong Kong and Singapore: the same verdict, reported once
    (f,) = run.doc["findings"]
    assert "with parameter PeerRegion = ap-east-1 or ap-southeast-1, one of its AllowedValues" in f["message"], f["message"]
    run = _scan(tmp_path, PEERING.format(regions="cn-northwest-1, cn-north-1"))
    assert run.doc["findings"] == [] and run.rc == 0


# ------------------------------------------------------------------------------------------ negative


def test_all_allowed_values_mainland_is_clean(tmp_path: Path) -> None:
    run = _scan(tmp_path, _vpn(allowed="223.5.5.5, 180.76.76.76, 114.114.114.114"))
    assert run.doc["findings"] == [] and run.rc == 0, run.doc


def test_allowed_values_no_link_depends_on_make_no_world(tmp_path: Path) -> None:
    """Instance sizes: no extra evaluation, no finding, no inventory row; the same output as without the list."""
    from types import SimpleNamespace

    from xborder.context import Interest
    from xborder.inputs.cloudformation.loader import load_cloudformation

    text = _vpn(allowed="223.5.5.5")
    ctx = SimpleNamespace(config=None, root=tmp_path, cache={},
                          interest=Interest(types=frozenset({"AWS::EC2::VPNConnection", "AWS::EC2::CustomerGateway"})))
    assert load_cloudformation(text, "stack/vpn.yaml", ctx).worlds == []
    run = _scan(tmp_path, text)
    plain = _scan(tmp_path, text.replace("    AllowedValues: [t3.micro, t3.large, m5.xlarge]\n", ""))
    assert run.out == plain.out and run.doc["findings"] == []
    inventory = xborder("inventory", "stack", "--no-cache", "--format", "json", cwd=tmp_path)
    assert len(json.loads(inventory.out)["links"]) == 1, inventory.out


def test_the_hong_kong_region_name_of_another_cloud_is_not_an_aws_region(tmp_path: Path) -> None:
    """`cn-hongkong` (Alibaba Cloud's Hong Kong) is no AWS region: never read as mainland because of `cn-`; its
    world is "cannot be determined", not a clean pass."""
    run = _scan(tmp_path, PEERING.format(regions="cn-northwest-1, cn-hongkong"))
    assert _found(run) == [("XB203", "Peering")], run.doc
    assert "(with parameter PeerRegion = cn-hongkong, one of its AllowedValues" in run.doc["findings"][0]["message"]


# ------------------------------------------------------------------------------------------ no Default


def test_no_default_every_allowed_value_is_judged(tmp_path: Path) -> None:
    """Without a Default the value must be one of the AllowedValues: judging each is exact, where Unknown was
    XB102 "cannot be determined" for a template that cannot deploy anything else than a mainland VPN."""
    run = _scan(tmp_path, _vpn(default=None, allowed="223.5.5.5, 180.76.76.76"))
    assert run.doc["findings"] == [] and run.rc == 0, run.doc
    run = _scan(tmp_path, _vpn(default=None, allowed="223.5.5.5, 203.186.1.1"))
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101"
    assert f["message"].endswith("(with parameter CgwIp = 203.186.1.1, one of its AllowedValues; the parameter has no Default)")


def test_the_bound_on_worlds_is_an_xb002_finding(tmp_path: Path) -> None:
    """More allowed values than judged: the rest is XB002 at the parameter, and without a Default the unknown end
    stays XB102 (the worlds judged do not cover every deployment)."""
    values = ", ".join(f"180.76.76.{i}" for i in range(1, 41)) + ", 203.186.1.1"
    run = _scan(tmp_path, _vpn(default=None, allowed=values))
    assert sorted(_found(run)) == [("XB002", "Parameters.CgwIp"), ("XB102", "Vpn")], run.doc
    xb002 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB002")
    assert (xb002["path"], xb002["start_line"]) == ("stack/vpn.yaml", 3)
    assert "203.186.1.1" in " ".join(xb002["evidence"])


def test_thousands_of_allowed_values_stay_a_short_visible_message(tmp_path: Path) -> None:
    """A list of 20,000 values: the values not judged are counted, not all listed, and the Hong Kong one among them
    still leaves the VPN undeterminable (XB102), never clean. (Before, the list was compared with itself value by
    value, quadratic in its length, and every value was written into the message.)"""
    values = ", ".join(f"180.76.{i // 250}.{i % 250 + 1}" for i in range(20_000)) + ", 203.186.1.1"
    run = _scan(tmp_path, _vpn(default=None, allowed=values))
    assert sorted(_found(run)) == [("XB002", "Parameters.CgwIp"), ("XB102", "Vpn")], run.doc
    xb002 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB002")
    text = " ".join([xb002["message"], *xb002["evidence"]])
    assert "and 19959 more are not judged" in text, text
    assert len(text) < 3000, len(text)


def test_an_fn_sub_of_many_unclosed_placeholders_is_read_in_linear_time(tmp_path: Path) -> None:
    """100,000 `${` with no `}` in an `Fn::Sub` of the link's resources: the placeholder pattern searched to the
    end of the text again from each `${` (quadratic: 21 s for 40,000), in the evaluation and in the search for
    the parameters a link reads. Now one pass; the world's finding is unchanged."""
    hostile = "${" * 100_000
    extra = ("  Vpn2:\n    Type: AWS::EC2::VPNConnection\n    Metadata:\n      Note: !Sub \"" + hostile + "\"\n"
             "    Properties:\n      Type: ipsec.1\n      CustomerGatewayId: !Ref Cgw\n      VpnGatewayId: !Ref Vgw\n"
             "      Tags:\n        - Key: note\n          Value: !Sub \"" + hostile + "\"\n")
    run = _scan(tmp_path, _vpn(extra=extra))
    assert sorted(_found(run)) == [("XB101", "Vpn"), ("XB101", "Vpn2")], run.doc


# ------------------------------------------------------------------------------------------ identity


def _fingerprints(run) -> list[str]:  # noqa: ANN001
    return [f["fingerprint"] for f in run.doc["findings"]]


def test_fingerprint_of_a_world_finding_is_that_of_the_same_link_deployed_by_default(tmp_path: Path) -> None:
    """A world finding's identity is its link's (rule, unit, address, ends), not the world: a baseline or an approval
    pinned to it still holds when the Default is changed to that value, and a default finding keeps its identity."""
    world = _scan(tmp_path, _vpn())
    default = _scan(tmp_path, _vpn(default="203.186.1.1"))
    plain = _scan(tmp_path, _vpn(default="203.186.1.1").replace("    AllowedValues: [223.5.5.5, 203.186.1.1]\n", ""))
    assert _fingerprints(world) == _fingerprints(default) == _fingerprints(plain), (world.doc, default.doc)
    assert "with parameter" not in default.doc["findings"][0]["message"] and "world" not in default.doc["findings"][0]


def test_suppression_and_baseline_cover_a_world_finding(tmp_path: Path) -> None:
    _tree(tmp_path, _vpn())
    base = xborder("baseline", "stack", "-o", "base.json", cwd=tmp_path)
    assert base.rc == 0, base.err
    run = scan_json("stack", "--no-cache", "--baseline", "base.json", cwd=tmp_path)
    assert run.rc == 0, run.doc
    run = _scan(tmp_path, _vpn().replace("  # the tunnel\n", '  # xborder:ignore XB101 reason="approved IPLC"\n'))
    assert run.rc == 0 and [f["suppressed"] for f in run.doc["findings"]] == [True], run.doc


def test_output_is_deterministic(tmp_path: Path) -> None:
    text = _vpn(allowed="223.5.5.5, 203.186.1.1, 8.8.8.8, 168.95.1.1")
    first = _scan(tmp_path, text)
    second = _scan(tmp_path, text)
    assert first.out == second.out
    (f,) = first.doc["findings"]
    assert "CgwIp = 203.186.1.1 or 8.8.8.8 or 168.95.1.1" in f["message"], f["message"]
