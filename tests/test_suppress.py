"""Inline `xborder:ignore` suppressions, CloudFormation Metadata, `.xborder.yaml` approvals and XB001."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from xborder import cli
from xborder.suppress import _glob
from tree_support import VPN_MODULE, write  # noqa: E402

pytestmark = pytest.mark.usefixtures("fixed_today")

pytest.importorskip("xborder.inputs.terraform.plugin", reason="the Terraform input is not there yet")

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n\n'
CGW = textwrap.dedent(
    """\
    resource "aws_customer_gateway" "hk" {
      ip_address = "203.186.1.1"
      type       = "ipsec.1"
      bgp_asn    = 65000
    }

    """
)


def vpn(name: str, inside: str = "") -> str:
    return (
        f'resource "aws_vpn_connection" "{name}" {{\n'
        + (f"  {inside}\n" if inside else "")
        + "  customer_gateway_id = aws_customer_gateway.hk.id\n"
        '  vpn_gateway_id      = "vgw-1"\n'
        '  type                = "ipsec.1"\n'
        "}\n"
    )


def scan(root: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    args = ["scan", str(root), "--root", str(root), "--format", "json"]
    if "--config" not in extra:
        args.append("--no-config")
    code = cli.main([*args, *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def by_resource(doc: dict, rule: str = "XB101") -> dict[str, dict]:
    return {f["resource"]: f for f in doc["findings"] if f["rule_id"] == rule}


def meta(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["rule_id"] == "XB001"]


def test_comment_above_block_suppresses_with_reason_and_until(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directive = '# xborder:ignore XB101 reason="Approved IPLC, China Unicom contract CU-2025-118" until=2027-06-30\n'
    write(tmp_path, "main.tf", PROVIDER + CGW + directive + vpn("a") + "\n" + vpn("b"))
    code, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    assert found["aws_vpn_connection.a"]["suppressed"] is True
    assert found["aws_vpn_connection.a"]["justification"] == "Approved IPLC, China Unicom contract CU-2025-118 (until 2027-06-30)"
    assert found["aws_vpn_connection.b"]["suppressed"] is False
    assert meta(doc) == []
    assert code == 1 and doc["summary"]["suppressed"] == 1


@pytest.mark.parametrize(
    "comment",
    [
        '# xborder:ignore XB101 reason="ok, CU-1"',
        '// xborder:ignore XB101 reason="ok, CU-1"',
        '/* xborder:ignore XB101 reason="ok, CU-1" */',
        "# xborder:ignore=XB101 reason='ok, CU-1' exp=2027-01-01",
        '# xborder:ignore XB101 ,XB101 reason="ok, CU-1"',
    ],
)
def test_comment_syntaxes_inside_the_block(tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside=comment))
    code, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is True
    assert by_resource(doc)["aws_vpn_connection.a"]["justification"].startswith("ok, CU-1")
    assert code == 0, doc


def test_multi_line_block_comment_above(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = '/*\n * Hong Kong office link.\n * xborder:ignore XB101 reason="Approved IPLC CU-2"\n */\n'
    write(tmp_path, "main.tf", PROVIDER + CGW + block + vpn("a"))
    code, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is True and code == 0


def test_blank_line_breaks_placement_and_the_directive_is_reported_unused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + '# xborder:ignore XB101 reason="x"\n\n' + vpn("a"))
    code, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is False
    [m] = meta(doc)
    assert "matches no finding" in m["message"] and m["severity"] == "low"
    assert m["start_line"] == CGW.count("\n") + PROVIDER.count("\n") + 1
    assert code == 1


def test_real_but_wrong_rule_is_reported_as_unused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """XB201 above a VPN that only has XB101: a real rule, but not the block's; it suppresses nothing and says so."""
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB201 reason="wrong rule"'))
    _, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is False
    [m] = meta(doc)
    assert "matches no finding of XB201" in m["message"]


def test_one_unused_rule_of_several_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101,XB201 reason="CU-1"'))
    _, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is True
    [m] = meta(doc)
    assert "XB201: no finding of this rule on the block" in m["message"]


def test_directive_on_a_block_without_any_finding_is_unused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW.replace("203.186.1.1", "202.96.128.86") + vpn("a", inside='# xborder:ignore XB101 reason="stale"'))
    _, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc) == {}
    [m] = meta(doc)
    assert "matches no finding" in m["message"]


def test_module_directive_in_a_partial_scan_is_not_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pre-commit passes only the module's file: the module is judged without its caller."""
    write(
        tmp_path,
        "modules/vpn/main.tf",
        'variable "ip" {}\nresource "aws_customer_gateway" "cg" {\n  ip_address = var.ip\n  type = "ipsec.1"\n  bgp_asn = 65000\n}\n'
        + '# xborder:ignore XB101 reason="approved CU-9"\n'
        + vpn("m").replace("aws_customer_gateway.hk", "aws_customer_gateway.cg"),
    )
    code = cli.main(["scan", str(tmp_path / "modules/vpn/main.tf"), "--root", str(tmp_path), "--no-config", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert meta(doc) == [], doc
    assert code in (0, 1)


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("# xborder:ignore XB101", "no reason"),
        ('# xborder:ignore XB101 reason=""', "no reason"),
        ('# xborder:ignore XB999 reason="x"', "unknown rule id XB999"),
        ('# xborder:ignore XB101,XB998 reason="x"', "unknown rule id XB998"),
        ('# xborder:ignore XB101 reason="x" until=2027-13-01', "bad date"),
        ('# xborder:ignore XB101 reason="x" until=next-year', "bad date"),
        ('# xborder:ignore reason="x"', "no rule id"),
    ],
)
def test_invalid_directives_suppress_nothing_and_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str, problem: str
) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside=comment))
    code, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is False
    [m] = meta(doc)
    assert problem in m["message"], m["message"]
    assert m["path"] == "main.tf" and m["fingerprint"]
    assert code == 1 and doc["errors"] == []


def test_expired_suppression_brings_the_finding_back_with_evidence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="CU-2024-9" until=2025-01-01'))
    code, doc = scan(tmp_path, capsys=capsys)
    f = by_resource(doc)["aws_vpn_connection.a"]
    assert f["suppressed"] is False
    assert any(e.startswith("expired suppression (until 2025-01-01): CU-2024-9") for e in f["evidence"])
    assert meta(doc) == [] and code == 1


def test_until_is_the_last_valid_day(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="r" until=2026-06-01'))
    assert by_resource(scan(tmp_path, capsys=capsys)[1])["aws_vpn_connection.a"]["suppressed"] is True
    monkeypatch.setenv("XBORDER_TODAY", "2026-06-02")
    assert by_resource(scan(tmp_path, capsys=capsys)[1])["aws_vpn_connection.a"]["suppressed"] is False


def test_no_inline_suppressions_ignores_comments_entirely(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="r"') + '# xborder:ignore XB999\n')
    code, doc = scan(tmp_path, "--no-inline-suppressions", capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is False
    assert meta(doc) == [] and code == 1


def test_module_call_site_suppresses_one_instance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "modules/vpn/main.tf", VPN_MODULE)
    write(
        tmp_path,
        "live/main.tf",
        PROVIDER
        + '# xborder:ignore XB101 reason="Approved, CU-3"\nmodule "hk_a" {\n  source = "../modules/vpn"\n  ip     = "203.186.1.1"\n}\n\n'
        + 'module "hk_b" {\n  source = "../modules/vpn"\n  ip     = "203.186.1.2"\n}\n',
    )
    _, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    assert found["module.hk_a.aws_vpn_connection.this"]["suppressed"] is True
    assert found["module.hk_b.aws_vpn_connection.this"]["suppressed"] is False
    assert meta(doc) == []


def test_module_call_directive_covering_two_links_is_ambiguous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A directive written when the module held one link must not approve a second link added to the module."""
    module = VPN_MODULE
    second = 'resource "aws_vpn_connection" "second" {\n  customer_gateway_id = aws_customer_gateway.cg.id\n  vpn_gateway_id = "vgw-2"\n  type = "ipsec.1"\n}\n'
    call = '# xborder:ignore XB101 reason="Approved, CU-3"{address}\nmodule "hk" {{\n  source = "../modules/vpn"\n  ip     = "203.186.1.1"\n}}\n'
    write(tmp_path, "modules/vpn/main.tf", module)
    write(tmp_path, "live/main.tf", PROVIDER + call.format(address=""))
    _, doc = scan(tmp_path, capsys=capsys)
    assert by_resource(doc)["module.hk.aws_vpn_connection.this"]["suppressed"] is True and meta(doc) == []
    write(tmp_path, "modules/vpn/main.tf", module + second)
    code, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    assert found["module.hk.aws_vpn_connection.this"]["suppressed"] is False
    assert found["module.hk.aws_vpn_connection.second"]["suppressed"] is False
    [m] = meta(doc)
    assert "ambiguous: it covers 2 links through the module call" in m["message"] and code == 1
    write(tmp_path, "live/main.tf", PROVIDER + call.format(address=" address=module.hk.aws_vpn_connection.this"))
    _, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    assert found["module.hk.aws_vpn_connection.this"]["suppressed"] is True
    assert found["module.hk.aws_vpn_connection.second"]["suppressed"] is False and meta(doc) == []


def test_text_output_shows_suppressed_only_on_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="CU-4"'))
    assert cli.main(["scan", str(tmp_path), "--root", str(tmp_path), "--no-config"]) == 0
    plain = capsys.readouterr().out
    assert "aws_vpn_connection.a" not in plain and "1 suppressed" in plain
    cli.main(["scan", str(tmp_path), "--root", str(tmp_path), "--no-config", "--show-suppressed"])
    shown = capsys.readouterr().out
    assert "(suppressed)" in shown and "suppressed: CU-4" in shown


def test_sarif_leaves_suppressed_out_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="CU-5"') + "\n" + vpn("b"))
    base = ["scan", str(tmp_path), "--root", str(tmp_path), "--no-config", "--format", "sarif"]
    cli.main(base)
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert len([r for r in results if r["ruleId"] == "XB101"]) == 1
    cli.main([*base, "--sarif-include-suppressed"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    sup = [r for r in results if r.get("suppressions")]
    assert len(sup) == 1 and sup[0]["suppressions"][0]["justification"].startswith("CU-5")


# ------------------------------------------------------------------------------------------ formats


STRONGSWAN = """\
config setup
    charondebug="ike 1"

{above}conn hq
    left=%defaultroute
    right=203.186.1.1
    auto=start

conn other
    left=%defaultroute
    right=203.186.1.2
    auto=start
"""

CISCO = """\
hostname r1
!
crypto isakmp policy 10
 encr aes 256
!
crypto map VPN 10 ipsec-isakmp
{inside} set peer 203.186.1.1
 set transform-set TS
 match address 101
!
interface GigabitEthernet0/0
 crypto map VPN
!
end
"""


def test_network_config_comment_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "ipsec.conf", STRONGSWAN.format(above='# xborder:ignore XB102 reason="lab tunnel, NET-42"\n'))
    write(tmp_path, "r1-confg", CISCO.format(inside=' ! xborder:ignore XB102 reason="CU-7"\n'))
    write(tmp_path, "r2-confg", CISCO.format(inside=' ; xborder:ignore XB102 reason="CU-8"\n').replace("r1", "r2"))
    _, doc = scan(tmp_path, capsys=capsys)
    state = {f["resource"]: f["suppressed"] for f in doc["findings"] if f["rule_id"] == "XB102"}
    assert state["ipsec.conf: conn hq"] is True
    assert state["ipsec.conf: conn other"] is False
    assert state["r1-confg: crypto map VPN 10"] is True
    assert state["r2-confg: crypto map VPN 10"] is True
    assert meta(doc) == []


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {{Type: ipsec.1, BgpAsn: 65000, IpAddress: 203.186.1.1}}
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
{above}  Vpn:
    Type: AWS::EC2::VPNConnection
{metadata}    Properties: {{Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}}
  Vpn2:
    Type: AWS::EC2::VPNConnection
    Properties: {{Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !GetAtt Vgw.VPNGatewayId}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws-cn:iam::aws:policy/ReadOnlyAccess]
"""

METADATA = """\
    Metadata:
      xborder:
        ignore:
          - id: XB101
            reason: Approved IPLC, China Unicom contract CU-2025-118
            until: {until}
"""


@pytest.mark.parametrize("form", ["metadata", "comment"])
def test_cloudformation(tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str) -> None:
    if form == "metadata":
        text = CFN.format(above="", metadata=METADATA.format(until="2027-06-30"))
    else:
        text = CFN.format(above='  # xborder:ignore XB101 reason="Approved IPLC, China Unicom contract CU-2025-118"\n', metadata="")
    write(tmp_path, "stack.yaml", text)
    _, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    if not found:
        pytest.skip("the CloudFormation input does not report this template (yet)")
    assert found["Vpn"]["suppressed"] is True
    assert found["Vpn"]["justification"].startswith("Approved IPLC, China Unicom contract CU-2025-118")
    assert found["Vpn2"]["suppressed"] is False
    assert meta(doc) == []


def test_cloudformation_metadata_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = "    Metadata:\n      xborder:\n        ignore:\n          - id: XB101\n          - {id: XB101, reason: r, until: 2025-01-01}\n"
    write(tmp_path, "stack.yaml", CFN.format(above="", metadata=bad))
    _, doc = scan(tmp_path, capsys=capsys)
    found = by_resource(doc)
    if not found:
        pytest.skip("the CloudFormation input does not report this template (yet)")
    assert found["Vpn"]["suppressed"] is False
    assert any("expired suppression (until 2025-01-01): r" in e for e in found["Vpn"]["evidence"])
    [m] = meta(doc)
    assert "no reason" in m["message"]


# ------------------------------------------------------------------------------------------ approvals


def config(root: Path, body: str) -> Path:
    return write(root, ".xborder.yaml", textwrap.dedent(body))


@pytest.mark.parametrize(
    "match",
    [
        "rule: XB101\n    resource: aws_vpn_connection.a",
        "resource: aws_vpn_connection.*",
        "path: envs/**",
        "path: envs/prod/main.tf\n    rule: XB101",
    ],
)
def test_approvals_match_by_rule_resource_and_path(tmp_path: Path, capsys: pytest.CaptureFixture[str], match: str) -> None:
    write(tmp_path, "envs/prod/main.tf", PROVIDER + CGW + vpn("a"))
    cfg = config(tmp_path, f"approvals:\n  - {match}\n    reason: IPLC for office use\n    reference: CU-2025-118\n    expires: 2027-06-30\n")
    code, doc = scan(tmp_path, "--config", str(cfg), capsys=capsys)
    assert doc["errors"] == []
    f = by_resource(doc)["aws_vpn_connection.a"]
    assert f["suppressed"] is True
    assert f["justification"] == "approval CU-2025-118: IPLC for office use (expires 2027-06-30)"
    assert code == 0


def test_approval_that_does_not_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "envs/prod/main.tf", PROVIDER + CGW + vpn("a"))
    cfg = config(tmp_path, "approvals:\n  - rule: XB201\n    reason: r\n  - path: envs/dev/**\n    reason: r\n")
    _, doc = scan(tmp_path, "--config", str(cfg), capsys=capsys)
    assert by_resource(doc)["aws_vpn_connection.a"]["suppressed"] is False


def test_expired_approval_and_no_inline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a") + "\n" + vpn("b"))
    cfg = config(
        tmp_path,
        """\
        approvals:
          - resource: aws_vpn_connection.a
            reason: old contract
            reference: CU-2019-1
            expires: 2025-12-31
          - resource: aws_vpn_connection.b
            reason: current contract
            reference: CU-2026-2
        """,
    )
    _, doc = scan(tmp_path, "--config", str(cfg), "--no-inline-suppressions", capsys=capsys)
    found = by_resource(doc)
    assert found["aws_vpn_connection.a"]["suppressed"] is False
    assert "expired approval CU-2019-1 (expires 2025-12-31): old contract" in found["aws_vpn_connection.a"]["evidence"]
    assert found["aws_vpn_connection.b"]["suppressed"] is True
    assert found["aws_vpn_connection.b"]["justification"] == "approval CU-2026-2: current contract"


def test_glob() -> None:
    assert _glob("envs/**", "envs/a/b/main.tf", paths=True)
    assert _glob("**/main.tf", "main.tf", paths=True)
    assert _glob("envs/*/main.tf", "envs/prod/main.tf", paths=True)
    assert not _glob("envs/*.tf", "envs/prod/main.tf", paths=True)
    assert _glob("envs", "envs/prod/main.tf", paths=True)
    assert _glob('module.x["a"].aws_vpn_connection.*', 'module.x["a"].aws_vpn_connection.this', paths=False)
    assert not _glob("aws_vpn_connection.a", "aws_vpn_connection.ab", paths=False)


def test_output_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore XB101 reason="r"') + "# xborder:ignore XB999\n")
    first = scan(tmp_path, capsys=capsys)[1]
    assert scan(tmp_path, capsys=capsys)[1] == first
