"""CloudFormation input: YAML (short-form tags) and JSON templates -> Resources, region, errors, links."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from xborder.context import Options, ScanContext
from xborder.inputs.cloudformation import plugin as cfn_plugin
from xborder.inputs.cloudformation.syntax import TemplateSyntaxError, load_template
from xborder.inputs.cloudformation.loader import NO_REGION, load_cloudformation, path_matches
from xborder.links.declarations import parse_declarations
from xborder.links.engine import LinkBuilder
from xborder.model import LinkKind, Ref, Unknown
from xborder.policy import load_policies

DATA = Path(__file__).parent / "data" / "cloudformation"
DECLARATIONS = Path(__file__).parent.parent / "policies" / "links" / "cloudformation.yaml"


def make_ctx(root: Path, cloudformation: list | None = None, explicit: set[str] | None = None) -> ScanContext:
    config = SimpleNamespace(cloudformation=cloudformation or [])
    return ScanContext(
        root=root.resolve(),
        options=Options(explicit_files=explicit or set()),
        policies=load_policies(),
        config=config,  # type: ignore[arg-type]
        pm=None,  # type: ignore[arg-type]
    )


def load(rel: str, cloudformation: list | None = None):
    ctx = make_ctx(DATA, cloudformation)
    result = load_cloudformation((DATA / rel).read_text(encoding="utf-8"), rel, ctx)
    return result, {r.address: r for r in result.resources}


REGIONAL = [SimpleNamespace(paths=["regional/**"], region="ap-east-1")]


# ------------------------------------------------------------------------------------------ YAML


def test_yaml_template_resources_and_types() -> None:
    result, res = load("cn-vpn.yaml")
    assert result.errors == []
    assert list(res) == ["Vpc", "VpnGateway", "HeadOfficeGateway", "HeadOfficeVpn", "BackupGateway", "BackupVpn", "FlowLogRole"]
    vpn = res["HeadOfficeVpn"]
    assert vpn.source == "cloudformation"
    assert vpn.type == "AWS::EC2::VPNConnection"
    assert vpn.name == vpn.address == "HeadOfficeVpn"
    # the span of the resource: from its logical id to its last property (comment lines excluded)
    assert (vpn.location.path, vpn.location.start_line, vpn.location.end_line) == ("cn-vpn.yaml", 67, 76)
    assert vpn.attr_locations["CustomerGatewayId"].start_line == 72
    assert vpn.attr_locations["VpnTunnelOptionsSpecifications"].end_line == 76


def test_yaml_intrinsics_are_evaluated() -> None:
    _, res = load("cn-vpn.yaml")
    cgw = res["HeadOfficeGateway"].attrs
    assert cgw["IpAddress"] == "195.50.140.10"  # !FindInMap with !Ref to a parameter default
    assert cgw["BgpAsn"] == 65010
    assert cgw["Tags"] == [{"Key": "Name", "Value": "prod-fra-cgw"}]  # !Join
    vpn = res["HeadOfficeVpn"].attrs
    assert vpn["CustomerGatewayId"] == Ref("HeadOfficeGateway", "Ref")
    assert vpn["VpnGatewayId"] == Ref("VpnGateway", "VPNGatewayId")  # !GetAtt X.Y
    assert vpn["StaticRoutesOnly"] is True
    assert vpn["VpnTunnelOptionsSpecifications"] == [
        {"TunnelInsideCidr": "169.254.10.0/30"},  # !Select + !Cidr
        {"TunnelInsideCidr": "169.254.10.4/30"},
    ]
    assert res["Vpc"].attrs["CidrBlock"] == "10.20.0.0/16"
    role = res["FlowLogRole"].attrs
    assert role["UserData"] == "IyEvYmluL3NoCmVjaG8gaGVsbG8K"  # !Base64 of a block scalar
    statement = role["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceVpc": Ref("Vpc", "Ref")}}  # a property named Condition
    assert isinstance(statement["Resource"], Unknown)
    assert "AWS::AccountId is known only at deploy time" in statement["Resource"].reason


def test_parameters_without_default_and_conditions() -> None:
    result, res = load("cn-vpn.yaml")
    assert res["BackupGateway"].attrs["IpAddress"] == Unknown("parameter BackupOfficeIp has no default")
    backup = res["BackupVpn"]
    assert backup.attrs["CustomerGatewayId"] == Ref("BackupGateway", "Ref")  # !Sub "${BackupGateway}"
    assert backup.attrs["StaticRoutesOnly"] is True  # !If on a known condition
    assert any("condition ProdAndBackup" in n and "BackupOfficeIp has no default" in n for n in backup.notes)
    assert "StagingVpn" not in res  # condition IsStaging is false for the default Environment
    assert any("StagingVpn is not created" in n for n in result.notes)


def test_region_from_aws_cn_arn() -> None:
    _, res = load("cn-vpn.yaml")
    provider = res["HeadOfficeVpn"].provider
    assert provider is not None and provider.type == "aws"
    assert provider.attrs["partition"] == "aws-cn"
    assert isinstance(provider.attrs["region"], Unknown)
    assert "arn:aws-cn: ARN at line 111" in provider.origin
    assert provider.location is not None and provider.location.start_line == 111
    # Sub with AWS::Region: the partition is known, the region is not
    tags = res["Vpc"].attrs["Tags"][0]["Value"]
    assert isinstance(tags, Unknown) and "cn-north-1 or cn-northwest-1" in tags.reason


def test_region_from_config_and_arn_region_override() -> None:
    cfg = [SimpleNamespace(paths=["*.yaml"], region="cn-northwest-1")]
    _, res = load("cn-vpn.yaml", cfg)
    provider = res["Vpc"].provider
    assert provider.attrs == {"region": "cn-northwest-1"}
    assert res["Vpc"].attrs["Tags"][0]["Value"] == "prod-cn-northwest-1-vpc"
    assert '.xborder.yaml cloudformation paths "*.yaml"' in provider.origin


def test_region_unknown_with_reason() -> None:
    result, res = load("client-vpn.template")
    assert result.errors == []
    endpoint = res["Endpoint"]
    assert endpoint.type == "AWS::EC2::ClientVpnEndpoint"
    assert endpoint.provider.attrs["region"] == Unknown(NO_REGION)
    assert "set it in .xborder.yaml (cloudformation: [{paths: [...], region: ...}])" in NO_REGION
    assert endpoint.attrs["ServerCertificateArn"] == Unknown("Fn::ImportValue shared-acm-cert: the value is exported by another stack")
    assert endpoint.attrs["AuthenticationOptions"][0]["ActiveDirectory"]["DirectoryId"] == Ref("Directory", "Ref")
    assert endpoint.location.start_line == 4


# ------------------------------------------------------------------------------------------ JSON


def test_json_template_with_config_region() -> None:
    result, res = load("regional/peering.json", REGIONAL)
    assert result.errors == []
    peering = res["PeerToBeijing"]
    assert peering.type == "AWS::EC2::VPCPeeringConnection"
    assert peering.attrs["PeerRegion"] == "cn-north-1"
    assert peering.attrs["VpcId"] == Ref("HubVpc", "Ref")
    assert peering.attrs["PeerVpcId"] == Unknown("parameter PeerVpcId has no default")
    assert (peering.location.start_line, peering.location.end_line) == (16, 23)
    assert peering.attr_locations["PeerRegion"].start_line == 21
    assert peering.provider.attrs == {"region": "ap-east-1"}
    assert res["TgwPeering"].attrs["PeerRegion"] == "ap-northeast-1"  # Fn::Join
    assert res["TgwPeering"].attrs["PeerAccountId"] == Unknown("pseudo parameter AWS::AccountId is known only at deploy time")
    dx = res["HkgDx"].attrs
    assert dx == {"ConnectionName": "hkg-dx", "Bandwidth": "1Gbps", "Location": "EqHK1", "ProviderName": "Equinix"}
    bastion = res["Bastion"].attrs
    assert "read from SSM parameter" in bastion["ImageId"].reason
    assert res["ClientVpn"].attrs["DnsServers"] == ["10.30.0.2", "1.1.1.1"]  # Fn::Split
    # AWS::Partition follows from the configured region
    assert isinstance(res["ClientVpn"].attrs["ServerCertificateArn"], Unknown)


def test_json_and_yaml_give_the_same_structure() -> None:
    yaml_doc = load_template("A:\n  B: !GetAtt X.Y.Z\n  C: !Sub ['${a}', {a: 1}]\n")
    json_doc = load_template('{"A": {"B": {"Fn::GetAtt": ["X", "Y.Z"]}, "C": {"Fn::Sub": ["${a}", {"a": 1}]}}}')
    assert yaml_doc == json_doc


@pytest.mark.parametrize("tag", ["Ref", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "FindInMap", "GetAZs",
                                 "ImportValue", "Base64", "Cidr", "And", "Or", "Not", "Condition", "Transform"])
def test_every_short_form_tag_loads(tag: str) -> None:
    value = "{Name: AWS::Include, Parameters: {Location: s3://b/k}}" if tag == "Transform" else "[a, b]"
    doc = load_template(f"X: !{tag} {value}\n")
    key = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"
    assert list(doc["X"]) == [key]


# ------------------------------------------------------------------------------------------ bad input


def test_syntax_error_is_a_scan_error_with_line() -> None:
    result, _ = load("broken.yaml")
    assert [(e.path, e.line) for e in result.errors] == [("broken.yaml", 8)]
    assert "invalid YAML" in result.errors[0].message


def test_unknown_tag_is_a_scan_error() -> None:
    result, _ = load("unknown-tag.yaml")
    assert len(result.errors) == 1 and result.errors[0].line == 6
    assert "!Lookup" in result.errors[0].message


def test_resource_without_type_is_reported_and_the_rest_goes_on() -> None:
    result, res = load("bad-resources.yaml")
    assert [(e.line, e.message) for e in result.errors] == [(3, "resource NoType has no Type")]
    assert res["Gateway"].attrs["IpAddress"] == "203.0.113.7"


def test_invalid_json_template() -> None:
    result = load_cloudformation('{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {\n  "A": {"Type": "AWS::EC2::VPC",}\n}}', "t.json", None)
    assert len(result.errors) == 1 and result.errors[0].line == 3


def test_alias_bomb_is_contained() -> None:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Mappings:", "  M:", "    a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for i in range(1, 9):
        lines.append(f"    l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
        prev = f"l{i}"
    lines += ["Resources:", "  Big:", "    Type: AWS::EC2::VPC", f"    Properties: {{Tags: *{prev}}}", "  Small:", "    Type: AWS::EC2::VPC"]
    result = load_cloudformation("\n".join(lines) + "\n", "bomb.yaml", None)
    # the YAML loader refuses alias fan-out before any evaluation (xborder.yaml_budget): a visible error
    assert result.resources == []
    assert "alias" in result.errors[0].message and result.errors[0].line > 1


def test_not_a_template_yields_nothing() -> None:
    result, res = load("not-a-template.yaml")
    assert result.errors == [] and res == {}
    with pytest.raises(TemplateSyntaxError):
        load_template("a: [")


# ------------------------------------------------------------------------------------------ plugin


def test_collect_claims_templates_by_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(DATA, root)
    (root / "values.json").write_text('{"Resources": {"cpu": "1"}}')
    (root / "tfplan.json").write_text('{"format_version": "1.2", "planned_values": {"x": "AWSTemplateFormatVersion: 1"}}')
    (root / ".xborder.yaml").write_text("cloudformation: []\n")
    big = root / "big.template"
    big.write_text("AWSTemplateFormatVersion: '2010-09-09'\n" + "#" * 80 + "\n")
    with big.open("a") as fh:
        fh.write(("# padding\n" * 1024) * 1100)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    ctx = make_ctx(root)
    units = cfn_plugin.xborder_collect(files=files, ctx=ctx)
    names = sorted(u.name for u in units)
    assert names == [
        "bad-resources.yaml",
        "big.template",
        "broken.yaml",
        "client-vpn.template",
        "cn-vpn.yaml",
        "regional/peering.json",
        "unknown-tag.yaml",
    ]
    big_unit = next(u for u in units if u.name == "big.template")
    errors = big_unit.load(ctx).errors
    assert len(errors) == 1 and "larger than 10 MB" in errors[0].message
    peering = next(u for u in units if u.name == "regional/peering.json").load(make_ctx(root, REGIONAL))
    assert {r.address for r in peering.resources} >= {"PeerToBeijing", "HkgDx"}


def test_path_globs() -> None:
    assert path_matches("regional/**", "regional/peering.json")
    assert path_matches("**/*.json", "regional/peering.json")
    assert path_matches("regional", "regional/a/b.yaml")
    assert path_matches("./cfn/*.yaml", "cfn/a.yaml")
    assert not path_matches("cfn/*.yaml", "cfn/sub/a.yaml")
    assert not path_matches("regional/**", "other/peering.json")


def test_plugin_is_registered() -> None:
    from xborder.plugins import BUILTIN_PLUGINS

    assert "xborder.inputs.cloudformation.plugin" in BUILTIN_PLUGINS


# ------------------------------------------------------------------------------------------ links


def _links(rel: str, cloudformation: list | None = None):
    _, res = load(rel, cloudformation)
    decls = parse_declarations(DECLARATIONS.read_text(encoding="utf-8"), "cloudformation.yaml")
    return {(link.address, link.kind): link for link in LinkBuilder(decls, load_policies()).build(list(res.values()))}


def test_declarations_yield_links() -> None:
    links = _links("cn-vpn.yaml")
    vpn = links[("HeadOfficeVpn", LinkKind.VPN)]
    assert vpn.a.fact.kind == "side" and vpn.a.fact.value == "mainland"  # partition aws-cn
    assert vpn.b is not None and (vpn.b.fact.kind, vpn.b.fact.value) == ("address", "195.50.140.10")
    assert vpn.b.location is not None and vpn.b.location.start_line == 55  # the customer gateway
    assert ("StagingVpn", LinkKind.VPN) not in links

    regional = _links("regional/peering.json", REGIONAL)
    peer = regional[("PeerToBeijing", LinkKind.BACKBONE)]
    assert (peer.a.fact.kind, peer.a.fact.value) == ("region", "ap-east-1")
    assert (peer.b.fact.kind, peer.b.fact.value, peer.b.fact.namespace) == ("region", "cn-north-1", "aws")
    local = regional[("LocalPeering", LinkKind.BACKBONE)]
    assert local.b.fact.value == "ap-east-1"  # PeerRegion absent: same region
    tgw = regional[("TgwPeering", LinkKind.BACKBONE)]
    assert tgw.b.fact.value == "ap-northeast-1"
    dx = regional[("HkgDx", LinkKind.CIRCUIT)]
    assert (dx.b.fact.kind, dx.b.fact.value, dx.b.fact.namespace) == ("code", "EqHK1", "aws_dx_location")
    assert dx.operator == "Equinix"
    assert ("ClientVpn", LinkKind.REMOTE_ACCESS) in regional

    unknown = _links("client-vpn.template")
    end = unknown[("Endpoint", LinkKind.REMOTE_ACCESS)].a.fact
    assert end.kind == "unknown" and "do not name their region" in end.value
