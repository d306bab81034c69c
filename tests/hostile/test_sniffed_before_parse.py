"""Visible whatever the spelling: every test decides from text BEFORE a real parse (a head, a cheap
substring test, a per-format regex) and must not skip a file its real tool reads.

Each positive case gave 0 findings before its fix: a plan with sorted keys (`jq -S`), UTF-16 exports
(Windows PowerShell 5.1 `>`), a device config whose first known statement comes after 256 KB of
statements the device accepts, Cisco keywords in capitals (the IOS CLI ignores case), and
CloudFormation types spelt with JSON/YAML escapes. Each has a negative twin that stays quiet.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CONN, scan_json

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "fixtures" / "plan" / "tfplan.json"

CISCO = (
    "hostname sha-rtr\n"
    "crypto isakmp key secret address 8.8.8.8\n"
    "crypto map CM 10 ipsec-isakmp\n set peer 8.8.8.8\n match address 100\n"
    "interface GigabitEthernet0/0\n ip address 58.247.0.10 255.255.255.0\n crypto map CM\n"
)
JUNOS_SET = (
    "set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
    "set security ike gateway gw1 address 8.8.8.8\n"
    "set security ike gateway gw1 external-interface ge-0/0/0\n"
)
TEMPLATE = {
    "Resources": {
        "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
        "Cgw": {"Type": "AWS::EC2::CustomerGateway", "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": "8.8.8.8"}},
        "Vpn": {"Type": "AWS::EC2::VPNConnection",
                "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
    },
    "Outputs": {"Arn": {"Value": "arn:aws-cn:ec2:cn-north-1:123456789012:vpn"}},
}


def _rules_of(tmp_path: Path, name: str, data: bytes) -> list[str]:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_bytes(data)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run.rules


def _plan_rules() -> list[str]:
    run = scan_json(str(PLAN), "--no-config", "--no-cache", "--root", str(PLAN.parent), cwd=PLAN.parent)
    assert run.rules, run.doc  # the fixture plan crosses the border
    return run.rules


def test_plan_with_sorted_keys_is_read(tmp_path: Path) -> None:
    """`terraform show -json plan | jq -S .`: `format_version` comes after `configuration`, past the 4 KB head."""
    doc = json.loads(PLAN.read_text())
    text = json.dumps(doc, sort_keys=True, indent=2)
    assert text.index('"format_version"') > 4096
    assert _rules_of(tmp_path, "plan.json", text.encode()) == _plan_rules()


def test_json_holding_a_plan_below_its_top_is_not_a_plan(tmp_path: Path) -> None:
    """Negative case: a test-input document that nests a plan (OPA `input`) past the head is left alone."""
    doc = {"comment": "x" * 5000, "input": json.loads(PLAN.read_text())}
    assert _rules_of(tmp_path, "opa-input.json", json.dumps(doc, indent=2).encode()) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize(
    "name,text",
    [("plan.json", None), ("ipsec.conf", CONN), ("running-config.cfg", CISCO), ("srx.set", JUNOS_SET)],
    ids=["plan", "strongswan", "cisco", "junos"],
)
def test_utf16_and_utf32_exports_are_read(tmp_path: Path, encoding: str, name: str, text: str | None) -> None:
    """Windows PowerShell 5.1 writes `terraform show -json p > plan.json` and `ssh r "show run" > r.cfg`
    as UTF-16 with a byte-order mark: NUL bytes, but text (was: skipped as a binary file)."""
    body = PLAN.read_text() if text is None else text
    data = body.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    expected = _plan_rules() if text is None else ["XB101"]
    assert _rules_of(tmp_path, name, data) == expected


def test_nul_bytes_without_a_byte_order_mark_stay_binary(tmp_path: Path) -> None:
    """Negative case: UTF-16 without a mark (or any file with NULs) is still not read as a config."""
    assert _rules_of(tmp_path, "ipsec.conf", CONN.encode("utf-16-le")) == []


def test_strongswan_conn_after_256kb_of_ca_sections(tmp_path: Path) -> None:
    """strongSwan accepts any number of `ca` sections before the first `conn`; detection looked at 256 KB only."""
    cas = "".join(f"ca c{i}\n\tcacert=/etc/ipsec.d/cacerts/ca{i}.pem\n\tauto=add\n" for i in range(6000))
    assert len(cas) > 256 * 1024
    assert _rules_of(tmp_path, "ipsec.conf", (cas + CONN).encode()) == ["XB101"]


def test_cisco_crypto_map_after_256kb_of_acl_entries(tmp_path: Path) -> None:
    acl = "ip access-list extended BIG\n" + "".join(f" permit ip host 10.{i // 250}.{i % 250}.1 any\n" for i in range(12000))
    assert len(acl) > 256 * 1024
    assert _rules_of(tmp_path, "edge.cfg", (acl + CISCO).encode()) == ["XB101"]


@pytest.mark.parametrize("spell", [str.upper, str.title], ids=["upper", "title"])
def test_cisco_keywords_in_any_case(tmp_path: Path, spell) -> None:  # noqa: ANN001
    """The IOS parser ignores the case of keywords (`CRYPTO MAP`, `Crypto Isakmp`); detection did not."""
    assert _rules_of(tmp_path, "edge.cfg", spell(CISCO).encode()) == ["XB101"]


def _yaml(type_of) -> str:  # noqa: ANN001
    out = ["Resources:"]
    for name, res in TEMPLATE["Resources"].items():
        out += [f"  {name}:", f"    Type: {type_of(res['Type'])}", f"    Properties: {json.dumps(res['Properties'])}"]
    return "\n".join([*out, "Outputs:", "  Arn:", "    Value: arn:aws-cn:ec2:cn-north-1:123456789012:vpn", ""])


@pytest.mark.parametrize(
    "name,text",
    [
        ("vpn.json", json.dumps(TEMPLATE, indent=1).replace("::", "\\u003a\\u003a")),
        ("vpn.json", json.dumps(TEMPLATE).replace("::", "\\u003A\\u003A")),
        ("vpn.yaml", _yaml(lambda t: '"' + t.replace("::", "\\x3a\\x3a") + '"')),
        ("vpn.yaml", _yaml(lambda t: '"' + t.replace("::", "\\U0000003a:") + '"')),
        ("vpn.yaml", _yaml(lambda t: '"' + t.replace("::", ":\\\n      :") + '"')),
    ],
    ids=["json-u003a", "json-minified-u003A", "yaml-x3a", "yaml-U0000003a", "yaml-escaped-line-break"],
)
def test_cloudformation_types_spelt_with_escapes(tmp_path: Path, name: str, text: str) -> None:
    """`"AWS\\u003a\\u003aEC2..."` is `AWS::EC2...` to every JSON/YAML parser CloudFormation uses; the cheap
    "no `::`, no AWSTemplateFormatVersion" test skipped the file unparsed."""
    assert "::" not in text
    assert _rules_of(tmp_path, name, text.encode()) == ["XB101"]


def test_escapes_in_other_json_and_yaml_stay_quiet(tmp_path: Path) -> None:
    """Negative case: escapes in files that are not templates are parsed and left alone, without an error."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "i18n.json").write_text('{"greeting": "caf\\u00e9", "path": "C:\\\\x3a"}')
    (tmp_path / "t" / "values.yaml").write_text('msg: "line one \\\n  continued \\x41"\n')
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["findings"] == [] and run.doc["errors"] == [] and run.rc == 0


def test_openvpn_options_with_their_command_line_dashes(tmp_path: Path) -> None:
    """openvpn(8): the `--` of an option "can be removed" in a config file, so it may also stay."""
    text = "--client\n--dev tun\n--proto udp\n--remote 8.8.8.8 1194\n"
    plain = text.replace("--", "")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "client.conf").write_text(plain)
    expected = scan_json("a", "--no-config", "--no-cache", cwd=tmp_path).rules
    assert expected == ["XB102"]  # the client's own location is unknown; the peer is offshore
    assert _rules_of(tmp_path, "client.conf", text.encode()) == expected


WG_COMMENTED = (
    "[Interface] # sha-gw\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.0.0.1/24\n\n"
    "[Peer] # hk office\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nEndpoint = 8.8.8.8:51820\nAllowedIPs = 10.0.0.2/32\n"
)


@pytest.mark.parametrize(
    "name,text,expected",
    [
        # wg(8) and wg-quick drop everything after `#`, so `[Peer] # hk office` is a section header
        ("wg0.conf", WG_COMMENTED, "XB102"),
        # netplan files are YAML: flow style and quoted keys are the same document
        ("01-tun.yaml", "network: {version: 2, tunnels: {t0: {mode: gre, local: 58.247.0.10, remote: 8.8.8.8}}}\n", "XB101"),
        ("02-tun.yaml", '"network":\n  "version": 2\n  "tunnels":\n    t0: {mode: gre, local: 58.247.0.10, remote: 8.8.8.8}\n', "XB101"),
        # a whole document in flow form, or JSON (which netplan reads as YAML): was "nothing read"
        ("03-tun.yaml", "{network: {version: 2, tunnels: {t0: {mode: gre, local: 58.247.0.10, remote: 8.8.8.8}}}}\n", "XB101"),
        ("04-tun.yaml", '{\n  "network": {\n    "version": 2,\n    "tunnels": {"t0": {"mode": "gre", "local": "58.247.0.10",'
                        ' "remote": "8.8.8.8"}}\n  }\n}\n', "XB101"),
        ("05-tun.yaml", '---\n{"network": {"version": 2, "tunnels": {"t0": {"mode": "gre", "local": "58.247.0.10",'
                        ' "remote": "8.8.8.8"}}}}\n', "XB101"),
        # an IOS snippet of tunnel interfaces only (pushed with `copy file running-config`): one weak keyword
        ("tunnels.cfg", "interface Tunnel0\n ip address 10.0.0.1 255.255.255.252\n tunnel source 58.247.0.10\n"
                        " tunnel destination 8.8.8.8\n", "XB101"),
    ],
    ids=["wireguard-commented-sections", "netplan-flow", "netplan-quoted-keys", "netplan-flow-document", "netplan-json",
         "netplan-json-after-marker", "cisco-tunnel-interfaces-only"],
)
def test_configs_the_parsers_read_are_detected(tmp_path: Path, name: str, text: str, expected: str) -> None:
    assert _rules_of(tmp_path, name, text.encode()) == [expected]


def test_other_text_with_look_alike_words_stays_quiet(tmp_path: Path) -> None:
    """Negative cases: prose and other YAML mentioning the same words are not device configs."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "notes.txt").write_text("The tunnel destination is the far end.\nSee [Peer] sections # later\n")
    (tmp_path / "t" / "values.yaml").write_text("network: {enabled: true}\nservice: {port: 80}\n")
    (tmp_path / "t" / "compose.yaml").write_text('{"services": {"web": {"network": {"version": 2}}}}\n')  # not at the top
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["findings"] == [] and run.doc["errors"] == [] and run.doc["summary"]["inputs_read"] == 0, run.doc


def test_a_template_named_like_the_configuration_file_is_read(tmp_path: Path) -> None:
    """`stacks/.xborder.yaml` holding a CloudFormation template is deployable under that name; only the file a
    scan loads as its configuration is not a template (was: every file of that name skipped unread)."""
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / ".xborder.yaml").write_text(_yaml(lambda t: t))
    (tmp_path / ".xborder.yaml").write_text("sites: []\n")
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"] and run.doc["findings"][0]["path"] == "stacks/.xborder.yaml", run.doc


@pytest.mark.parametrize("name", ["ipsec.conf.template", "wg0.conf.template"])
def test_device_config_template_named_dot_template(tmp_path: Path, name: str) -> None:
    """`ipsec.conf.template` (rendered with envsubst at deploy time) was skipped: `.template` belongs to
    CloudFormation, which found no template in it. Read like `*.j2`: `${VAR}` is an unknown value."""
    text = CONN if name.startswith("ipsec") else WG_COMMENTED.replace("[Peer] # hk office", "[Peer]")
    expected = ["XB101"] if name.startswith("ipsec") else ["XB102"]
    assert _rules_of(tmp_path, name, text.encode()) == expected
    rendered_later = CONN.replace("8.8.8.8", "${PEER_IP}")
    (tmp_path / "t" / "b").mkdir()
    (tmp_path / "t" / "b" / "ipsec.conf.template").write_text(rendered_later)
    run = scan_json("t/b", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB102"], run.doc  # the peer is filled in at deploy time: unknown, never clean


def test_cloudformation_template_in_utf16_is_an_error_not_a_skip(tmp_path: Path) -> None:
    """A template saved as UTF-16 was skipped silently. CloudFormation reads UTF-8, so it is not judged either:
    an error naming the encoding (exit 2), never a verdict. A UTF-16 file that is no template stays quiet."""
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "vpn.json").write_bytes(json.dumps(TEMPLATE, indent=1).encode("utf-16"))
    (tmp_path / "t" / "strings.json").write_bytes(json.dumps({"greeting": "hello"}).encode("utf-16"))
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rc == 2 and run.doc["findings"] == []
    assert [e["path"] for e in run.doc["errors"]] == ["t/vpn.json"]
    assert "UTF-16" in run.doc["errors"][0]["message"], run.doc["errors"]
