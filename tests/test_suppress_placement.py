"""Where an `xborder:ignore` counts: only real comments, on the block (or module call) it is attached to, one link each."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from xborder import cli
from tree_support import write  # noqa: E402

pytestmark = pytest.mark.usefixtures("fixed_today")

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n\n'
CGW = 'resource "aws_customer_gateway" "hk" {\n  ip_address = "203.186.1.1"\n  type       = "ipsec.1"\n  bgp_asn    = 65000\n}\n\n'


def vpn(name: str, inside: str = "", head: str = "") -> str:
    return (
        f'resource "aws_vpn_connection" "{name}" {{\n'
        + (f"  {head}\n" if head else "")
        + (f"  {inside}\n" if inside else "")
        + "  customer_gateway_id = aws_customer_gateway.hk.id\n"
        '  vpn_gateway_id      = "vgw-1"\n'
        '  type                = "ipsec.1"\n'
        "}\n"
    )


def scan(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = cli.main(["scan", str(root), "--root", str(root), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


def state(doc: dict, rule: str = "XB101") -> dict[str, bool]:
    return {f["resource"]: f["suppressed"] for f in doc["findings"] if f["rule_id"] == rule}


def meta(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["rule_id"] == "XB001"]


MODULE = textwrap.dedent(
    """\
    variable "ip" {}
    resource "aws_customer_gateway" "cg" {
      ip_address = var.ip
      type       = "ipsec.1"
      bgp_asn    = 65000
    }
    # xborder:ignore XB101 reason="Approved IPLC CU-3"EXTRA
    resource "aws_vpn_connection" "this" {
      customer_gateway_id = aws_customer_gateway.cg.id
      vpn_gateway_id      = "vgw-1"
      type                = "ipsec.1"
    }
    """
)
CALL = 'module "{name}" {{\n  source = "../modules/vpn"\n  ip     = "{ip}"\n}}\n'


def test_directive_in_a_module_used_once_applies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "modules/vpn/main.tf", MODULE.replace("EXTRA", ""))
    write(tmp_path, "live/main.tf", PROVIDER + CALL.format(name="hk_a", ip="203.186.1.1"))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {"module.hk_a.aws_vpn_connection.this": True}
    assert meta(doc) == []


def test_directive_in_a_shared_module_is_ambiguous_and_suppresses_no_instance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second caller added later must not inherit the approval written for the first."""
    write(tmp_path, "modules/vpn/main.tf", MODULE.replace("EXTRA", ""))
    write(tmp_path, "live/main.tf", PROVIDER + CALL.format(name="hk_a", ip="203.186.1.1") + CALL.format(name="hk_b", ip="203.186.1.2"))
    code, doc = scan(tmp_path, capsys)
    assert state(doc) == {"module.hk_a.aws_vpn_connection.this": False, "module.hk_b.aws_vpn_connection.this": False}
    [m] = meta(doc)
    assert "ambiguous: it covers 2 instances" in m["message"] and "module.hk_b.aws_vpn_connection.this" in m["message"]
    assert m["path"] == "modules/vpn/main.tf" and m["start_line"] == 7
    assert code == 1


def test_address_names_the_instance_a_module_directive_is_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "modules/vpn/main.tf", MODULE.replace("EXTRA", " address=module.hk_a.aws_vpn_connection.this"))
    write(tmp_path, "live/main.tf", PROVIDER + CALL.format(name="hk_a", ip="203.186.1.1") + CALL.format(name="hk_b", ip="203.186.1.2"))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {"module.hk_a.aws_vpn_connection.this": True, "module.hk_b.aws_vpn_connection.this": False}
    assert meta(doc) == []


def test_for_each_directive_without_address_is_ambiguous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = PROVIDER + CGW + "# xborder:ignore XB101 reason=\"CU-5\"\n" + vpn("v", head='for_each = toset(["a", "b"])')
    write(tmp_path, "main.tf", body)
    _, doc = scan(tmp_path, capsys)
    assert set(state(doc).values()) == {False} and len(state(doc)) == 2
    [m] = meta(doc)
    assert "ambiguous" in m["message"]
    write(tmp_path, "main.tf", body.replace('reason="CU-5"', 'reason="CU-5" address=\'aws_vpn_connection.v["a"]\''))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {'aws_vpn_connection.v["a"]': True, 'aws_vpn_connection.v["b"]': False}
    assert meta(doc) == []


def test_an_unquoted_instance_address_says_to_quote_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`address=aws_vpn_connection.v["a"]` unquoted: a bare value ends at the first quote, so it named
    `aws_vpn_connection.v[` and the XB001 said only that it matches no finding. Now it says to quote it; it still
    suppresses nothing."""
    body = PROVIDER + CGW + "# xborder:ignore XB101 reason=\"CU-5\"\n" + vpn("v", head='for_each = toset(["a", "b"])')
    write(tmp_path, "main.tf", body.replace('reason="CU-5"', 'reason="CU-5" address=aws_vpn_connection.v["a"]'))
    _, doc = scan(tmp_path, capsys)
    assert set(state(doc).values()) == {False}
    [m] = meta(doc)
    assert "holds a quote: write it in single quotes (address='aws_vpn_connection.v[\"KEY\"]')" in m["message"], m


def test_directive_above_a_shared_customer_gateway_suppresses_no_vpn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "gateways.tf", PROVIDER + '# xborder:ignore XB101 reason="owned by team B"\n' + CGW)
    write(tmp_path, "vpns.tf", vpn("a") + "\n" + vpn("b"))
    code, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.a": False, "aws_vpn_connection.b": False}
    [m] = meta(doc)
    assert m["path"] == "gateways.tf" and "matches no finding" in m["message"]
    assert code == 1


def test_path_approval_of_a_gateway_file_covers_the_one_vpn_using_it_and_is_ambiguous_with_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unlike a directive, an approval's `path:` matches a related block's file (README: Suppressions); the one-link
    rule keeps a second VPN through the same gateway from inheriting it."""
    write(tmp_path, ".xborder.yaml", "approvals:\n  - path: gateways.tf\n    rule: XB101\n    reason: IPLC CU-1\n")
    write(tmp_path, "gateways.tf", PROVIDER + CGW)
    write(tmp_path, "vpns.tf", vpn("a"))
    code, doc = scan(tmp_path, capsys, "--config", str(tmp_path / ".xborder.yaml"))
    assert state(doc) == {"aws_vpn_connection.a": True} and not meta(doc) and code == 0
    write(tmp_path, "vpns.tf", vpn("a") + "\n" + vpn("b"))
    code, doc = scan(tmp_path, capsys, "--config", str(tmp_path / ".xborder.yaml"))
    assert state(doc) == {"aws_vpn_connection.a": False, "aws_vpn_connection.b": False}
    [m] = meta(doc)
    assert m["path"] == ".xborder.yaml" and "ambiguous" in m["message"] and "covers 2 links" in m["message"] and code == 1


@pytest.mark.parametrize(
    "inside",
    [
        'tags = { Name = "hq-link #xborder:ignore XB101 reason=\'ok\'" }',
        'tags = { Name = "hq // xborder:ignore XB101 reason=ok" }',
        'tags = { Name = "${"x"} # xborder:ignore XB101 reason=ok" }',
    ],
)
def test_directive_inside_a_terraform_string_is_data_not_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str], inside: str) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside=inside))
    code, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.a": False}
    assert code == 1


def test_directive_inside_a_heredoc_is_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inside = 'tags = { Note = <<EOT\n# xborder:ignore XB101 reason="in a heredoc"\nEOT\n  }'
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside=inside))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.a": False}


IPSEC = """\
config setup

conn hq
    left=%defaultroute
    leftid="@gw;xborder:ignore XB102 reason=ok"
    right=vpn.example.invalid
    auto=start
"""


def test_semicolon_inside_an_ipsec_conf_value_is_not_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "ipsec.conf", IPSEC)
    _, doc = scan(tmp_path, capsys)
    found = [f for f in doc["findings"] if f["rule_id"] != "XB001"]
    assert found and not any(f["suppressed"] for f in found)
    write(tmp_path, "ipsec.conf", IPSEC.replace('    leftid="@gw;xborder:ignore XB102 reason=ok"\n', '    # xborder:ignore XB102 reason="NET-42"\n'))
    _, doc = scan(tmp_path, capsys)
    assert all(f["suppressed"] for f in doc["findings"] if f["rule_id"] == "XB102")


def test_yaml_block_scalar_is_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tpl = textwrap.dedent(
        """\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Cgw:
            Type: AWS::EC2::CustomerGateway
            Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: 203.186.1.1}
          Vgw:
            Type: AWS::EC2::VPNGateway
            Properties: {Type: ipsec.1}
          Vpn:
            Type: AWS::EC2::VPNConnection
            Metadata:
              Note: |
                # xborder:ignore XB101 reason="inside a block scalar"
            Properties: {Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}
        """
    )
    write(tmp_path, "stack.yaml", tpl)
    write(tmp_path, ".xborder.yaml", "cloudformation:\n  - paths: [stack.yaml]\n    region: cn-north-1\n")
    _, doc = scan(tmp_path, capsys, "--config", str(tmp_path / ".xborder.yaml"))
    found = state(doc)
    if not found:
        pytest.skip("the CloudFormation input does not report this template")
    assert found == {"Vpn": False}


def test_form_feeds_do_not_shift_directive_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lines are counted on \\n like the parser: a directive above another block stays there."""
    other = 'resource "aws_customer_gateway" "other" {\n  ip_address = "8.8.4.4"\n  type = "ipsec.1"\n  bgp_asn = 65000\n}\n'
    text = PROVIDER + "# harmless comment" + "\f" * 6 + "\n" + CGW + '# xborder:ignore XB101 reason="above the other gateway"\n' + other + vpn("vpn")
    write(tmp_path, "main.tf", text)
    code, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.vpn": False}
    [m] = meta(doc)
    assert m["start_line"] == text.split("\n").index('# xborder:ignore XB101 reason="above the other gateway"') + 1
    assert code == 1


TFJSON = {
    "provider": {"aws": {"region": "cn-north-1"}},
    "resource": {
        "aws_customer_gateway": {"hk": {"ip_address": "203.186.1.1", "type": "ipsec.1", "bgp_asn": 65000}},
        "aws_vpn_connection": {
            "a": {
                "//": 'xborder:ignore XB101 reason="Approved IPLC CU-7"',
                "customer_gateway_id": "${aws_customer_gateway.hk.id}",
                "vpn_gateway_id": "vgw-1",
                "type": "ipsec.1",
            },
            "b": {"customer_gateway_id": "${aws_customer_gateway.hk.id}", "vpn_gateway_id": "vgw-1", "type": "ipsec.1"},
        },
    },
}


def test_tf_json_comment_key_suppresses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf.json", json.dumps(TFJSON, indent=2))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.a": True, "aws_vpn_connection.b": False}
    assert meta(doc) == []
    f = next(f for f in doc["findings"] if f["resource"] == "aws_vpn_connection.a")
    assert f["justification"] == "Approved IPLC CU-7"


def test_tf_json_string_value_is_not_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc_in = json.loads(json.dumps(TFJSON))
    vpn_a = doc_in["resource"]["aws_vpn_connection"]["a"]
    vpn_a["tags"] = {"Name": vpn_a.pop("//")}
    write(tmp_path, "main.tf.json", json.dumps(doc_in, indent=2))
    _, doc = scan(tmp_path, capsys)
    assert state(doc) == {"aws_vpn_connection.a": False, "aws_vpn_connection.b": False}


@pytest.mark.parametrize(
    ("directive", "config", "suppressed", "problem"),
    [
        ('reason="r" until=9999-12-31', "", False, "more than 731 days ahead"),
        ('reason="r" until=2028-05-01', "", True, ""),
        ('reason="r" until=2027-01-01', "max_approval_days: 90\n", False, "more than 90 days ahead"),
        ('reason="r" until=2026-08-01', "max_approval_days: 90\n", True, ""),
    ],
)
def test_until_horizon(tmp_path: Path, capsys: pytest.CaptureFixture[str], directive: str, config: str, suppressed: bool, problem: str) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside=f"# xborder:ignore XB101 {directive}"))
    args = ["--no-config"]
    if config:
        args = ["--config", str(write(tmp_path, ".xborder.yaml", config))]
    _, doc = scan(tmp_path, capsys, *args)
    assert state(doc) == {"aws_vpn_connection.a": suppressed}
    assert [problem in m["message"] for m in meta(doc)] == ([True] if problem else [])


def test_wildcard_rule_is_not_a_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "main.tf", PROVIDER + CGW + vpn("a", inside='# xborder:ignore * reason="everything"'))
    _, doc = scan(tmp_path, capsys, "--no-config")
    assert state(doc) == {"aws_vpn_connection.a": False}
    [m] = meta(doc)
    assert "wildcard is not a rule id" in m["message"]
