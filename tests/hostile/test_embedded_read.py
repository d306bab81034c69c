"""A VPN configuration written whole and literally in a resource's string is read with its family's reader, the
resource being the local end of its tunnels (placed by its provider's region), never only "not read".

Before: an EC2 instance in cn-north-1 whose user_data writes a WireGuard configuration with an Endpoint in
Frankfurt gave XB003 ("configuration not read"), and the user had to read it by hand. Now the string itself (a
heredoc or quoted string whose first statement is a configuration's), a `#cloud-config` `write_files` entry with a
literal `content: |` at a family's path (policies/boot_commands.yaml `files`), or a boot script's
`cat > FILE <<'EOF'` of such a path is read: XB101 when the ends are on two sides, XB102 when one cannot be placed,
nothing on one side; at the real line of the file, evidence naming the resource and the argument. What cannot be
read this way (a template, not in a resource, inside another function, a reader's error) stays XB003 with its
reason, or is a scan error at its line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import scan_json, xborder

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n\n'

WG = PROVIDER + '''\
resource "aws_instance" "vpn" {
  ami       = "ami-1"
  user_data = <<-EOF
    [Interface]
    PrivateKey = x

    [Peer]
    # name: frankfurt
    PublicKey = abc
    Endpoint = 3.120.0.1:51820
    AllowedIPs = 10.1.0.0/16

    [Peer]
    # name: beijing
    Endpoint = 36.110.0.1:51820
    AllowedIPs = 10.2.0.0/16

    [Peer]
    # name: byname
    Endpoint = vpn.example.com:51820
    AllowedIPs = 10.3.0.0/16
  EOF
}
'''

CLOUD = PROVIDER + '''\
resource "aws_launch_template" "ci" {
  user_data = base64encode(<<-EOF
    #cloud-config
    write_files:
      - path: /etc/ipsec.conf
        content: |
          conn hk
            right=3.120.0.1
            auto=start
    runcmd:
      - [systemctl, restart, strongswan]
  EOF
  )
}

resource "aws_instance" "sh" {
  ami       = "ami-1"
  user_data = <<-EOF
    #!/bin/bash
    cat > /etc/openvpn/client.conf <<'CONF'
    client
    dev tun
    remote 3.120.0.2 1194 udp
    CONF
    systemctl start openvpn@client
  EOF
}
'''


def _scan(tmp_path: Path, *args: str):  # noqa: ANN202
    return scan_json(".", "--no-cache", "--no-config", *args, cwd=tmp_path)


def _line(text: str, needle: str, nth: int = 1) -> int:
    return [i for i, ln in enumerate(text.splitlines(), 1) if needle in ln][nth - 1]


def test_an_instance_in_china_running_a_wireguard_heredoc_is_judged_per_peer(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WG)
    run = _scan(tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    found = sorted((f["rule_id"], f["start_line"], f["resource"]) for f in run.doc["findings"])
    assert found == [("XB101", _line(WG, "[Peer]", 1), "aws_instance.vpn: [Peer] frankfurt"),
                     ("XB102", _line(WG, "[Peer]", 3), "aws_instance.vpn: [Peer] byname")], found  # beijing: quiet
    xb101 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB101")
    local, peer = xb101["evidence"][:2]
    assert local.startswith("aws_instance.vpn (runs this WireGuard configuration: user_data): mainland, region cn-north-1")
    assert f"the configuration starts at main.tf line {_line(WG, '[Interface]')}" in local, local
    assert peer.startswith("peer (Endpoint = 3.120.0.1:51820): offshore") and peer.endswith(
        f"Endpoint in main.tf line {_line(WG, '3.120.0.1')}"), peer


def test_write_files_and_a_boot_scripts_heredoc_are_read_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(CLOUD)
    run = _scan(tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    found = sorted((f["rule_id"], f["start_line"], f["resource"]) for f in run.doc["findings"])
    assert found == [("XB101", _line(CLOUD, "conn hk"), "aws_launch_template.ci /etc/ipsec.conf: conn hk"),
                     ("XB101", _line(CLOUD, "remote 3.120"), "aws_instance.sh /etc/openvpn/client.conf: remote 3.120.0.2 1194")], found
    ev = " ".join(e for f in run.doc["findings"] for e in f["evidence"])
    assert f"right= in main.tf line {_line(CLOUD, 'right=')}" in ev and "write_files /etc/ipsec.conf" in ev, ev


def test_a_module_instance_is_placed_by_its_own_provider(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(WG.replace(PROVIDER, ""))
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "cn-north-1"\n}\nprovider "aws" {\n  alias = "eu"\n  region = "eu-central-1"\n}\n'
        'module "cn" {\n  source = "./mod"\n}\nmodule "eu" {\n  source = "./mod"\n  providers = { aws = aws.eu }\n}\n')
    found = sorted((f["rule_id"], f["resource"]) for f in _scan(tmp_path).doc["findings"])
    assert found == [("XB101", "module.cn.aws_instance.vpn: [Peer] frankfurt"),
                     ("XB101", "module.eu.aws_instance.vpn: [Peer] beijing"),
                     ("XB102", "module.cn.aws_instance.vpn: [Peer] byname"),
                     ("XB102", "module.eu.aws_instance.vpn: [Peer] byname")], found


@pytest.mark.parametrize(("value", "why"), [
    ('<<-EOF\n    [Interface]\n    [Peer]\n    Endpoint = ${var.peer}:51820\n  EOF', "the string is a template"),
    ('join("\\n", ["[Interface]\\n[Peer]\\nEndpoint = 3.120.0.1:51820"])', "the string is an argument of join(...)"),
    ('"#!/bin/bash\\necho \\"[Peer]\\nEndpoint = 3.120.0.1:51820\\" >> /etc/wireguard/wg0.conf\\n"',
     "the boot script holds it elsewhere than in a heredoc"),
    ('"#!/bin/bash\\ncat >> /etc/wireguard/wg0.conf <<EOF\\n[Peer]\\nEndpoint = 3.120.0.1:51820\\nEOF\\n"',
     "line 7: a heredoc xborder does not read as a whole file"),
    ('<<-EOF\n    #cloud-config\n    write_files:\n      - path: /etc/wireguard/wg0.conf\n        append: true\n'
     '        content: |\n          [Peer]\n          Endpoint = 3.120.0.1:51820\n  EOF',
     "write_files /etc/wireguard/wg0.conf: appended to the file"),
    ('"[Interface]\\n[Peer]\\nEndpoint = 3.120.0.1:51820\\n" == "" ? "" : "x"', "the string is part of a larger expression"),
])
def test_what_cannot_be_read_stays_xb003_with_its_reason(tmp_path: Path, value: str, why: str) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + f'resource "aws_instance" "vpn" {{\n  ami = "ami-1"\n  user_data = {value}\n}}\n'
                                      'variable "peer" {\n  type = string\n}\n')  # no value: unknown
    [f] = _scan(tmp_path).doc["findings"]
    assert (f["rule_id"], f["resource"].split(" (")[0]) == ("XB003", "aws_instance.vpn.user_data"), f
    assert any(e.startswith(f"why it is not read: {why}") for e in f["evidence"]), f["evidence"]


def test_a_configuration_outside_a_resource_stays_xb003(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + 'locals {\n  wg = "[Interface]\\n[Peer]\\nEndpoint = 3.120.0.1:51820\\n"\n}\n')
    [f] = _scan(tmp_path).doc["findings"]
    assert f["rule_id"] == "XB003" and "no machine is known to run it" in " ".join(f["evidence"]), f


def test_a_readers_error_is_a_scan_error_at_its_line(tmp_path: Path) -> None:
    text = WG.replace("Endpoint = vpn.example.com:51820", "Endpoint = nope")
    (tmp_path / "main.tf").write_text(text)
    run = _scan(tmp_path)
    assert run.rc == 2
    [err] = run.doc["errors"]
    assert (err["path"], err["line"]) == ("main.tf", _line(text, "Endpoint = nope")), err
    assert err["message"].startswith("aws_instance.vpn (user_data): wireguard: Endpoint 'nope'"), err


def test_fingerprints_are_stable_across_line_moves_and_distinct_per_peer(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WG)
    before = {f["resource"]: f["fingerprint"] for f in _scan(tmp_path).doc["findings"]}
    (tmp_path / "main.tf").write_text("\n\n# moved\n" + WG.replace("    PrivateKey = x\n", "    PrivateKey = x\n\n\n"))
    after = {f["resource"]: f["fingerprint"] for f in _scan(tmp_path).doc["findings"]}
    assert before == after and len(set(before.values())) == 2, (before, after)


def test_an_inline_directive_on_the_holding_block_and_an_approval_cover_a_tunnel(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WG.replace(
        'resource "aws_instance" "vpn" {',
        '# xborder:ignore XB101 reason="IPLC CU-1" address="aws_instance.vpn: [Peer] frankfurt"\nresource "aws_instance" "vpn" {'))
    run = _scan(tmp_path)
    xb101 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB101")
    assert xb101["suppressed"] and xb101["justification"] == "IPLC CU-1", xb101
    assert not [f for f in run.doc["findings"] if f["rule_id"] == "XB001"], run.doc["findings"]
    (tmp_path / "main.tf").write_text(WG)
    (tmp_path / ".xborder.yaml").write_text(
        'approvals:\n  - rule: XB101\n    resource: "aws_instance.vpn: [Peer] frankfurt"\n    path: main.tf\n'
        '    reason: IPLC\n    reference: CU-2\n    expires: 2027-06-30\n')
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    xb101 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB101")
    assert xb101["suppressed"] and xb101["justification"].startswith("approval CU-2: IPLC"), xb101


def test_sarif_points_at_the_peers_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WG)
    run = xborder("scan", ".", "--no-cache", "--no-config", "--format", "sarif", cwd=tmp_path)
    results = json.loads(run.out)["runs"][0]["results"]
    lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results)
    assert lines == [_line(WG, "[Peer]", 1), _line(WG, "[Peer]", 3)], lines


# ------------------------------------------------------------------------------------------ .tf.json strings
# Before: JSON attribute values (parsed lazily) were never looked at, so both resources below scanned clean.

TF_JSON = {
    "provider": {"aws": {"region": "cn-north-1"}},
    "resource": {"aws_instance": {
        "vpn": {"ami": "ami-1", "user_data": "[Interface]\nPrivateKey = x\n[Peer]\nEndpoint = 3.120.0.1:51820\n"
                                             "AllowedIPs = 10.1.0.0/16\n"},
        "tmpl": {"ami": "ami-1", "user_data": "client\ndev tun\nremote vpn.example.com 1194 udp\n${var.name}\n"},
        "quiet": {"ami": "ami-1", "user_data": "#!/bin/bash\necho remote access is off\n"},
    }},
    "variable": {"name": {"type": "string"}},  # no value: the template's is not known
}


def test_tf_json_strings_are_read_or_reported_as_tf_strings_are(tmp_path: Path) -> None:
    text = json.dumps(TF_JSON, indent=2)
    (tmp_path / "main.tf.json").write_text(text)
    run = _scan(tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    found = sorted((f["rule_id"], f["start_line"], f["resource"].split(" (")[0]) for f in run.doc["findings"])
    assert found == [("XB003", _line(text, "${var.name}"), "aws_instance.tmpl.user_data"),
                     ("XB101", _line(text, "3.120.0.1:51820"), "aws_instance.vpn: [Peer] #1")], found


# ------------------------------------------------------------------------------------------ CloudFormation strings
# Before: each was XB003 at the property ("not read"); now the instance, placed as the template's resources are
# (its configured region), is the local end.

CFN_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  VpnHost:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-123
      UserData: !Base64 |
        #cloud-config
        write_files:
          - path: /etc/wireguard/wg0.conf
            content: |
              [Interface]
              PrivateKey = x
              [Peer]
              Endpoint = 3.120.0.1:51820
              AllowedIPs = 10.1.0.0/16
  Init:
    Type: AWS::EC2::Instance
    Metadata:
      AWS::CloudFormation::Init:
        config:
          files:
            /etc/openvpn/client.conf:
              content: |
                client
                dev tun
                remote 3.120.0.2 1194 udp
    Properties:
      ImageId: ami-123
"""

CFN_JSON = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-1", "UserData": {
        "Fn::Base64": "[Interface]\nPrivateKey = x\n[Peer]\nEndpoint = 3.120.0.1:51820\nAllowedIPs = 10.1.0.0/16\n"}}}},
}


def test_cloudformation_instances_run_the_configurations_their_strings_hold(tmp_path: Path) -> None:
    (tmp_path / "vpn.yaml").write_text(CFN_YAML)
    json_text = json.dumps(CFN_JSON, indent=1)
    (tmp_path / "vpn.json").write_text(json_text)
    (tmp_path / ".xborder.yaml").write_text("cloudformation:\n  - paths: ['**']\n    region: cn-north-1\n")
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    found = sorted((f["rule_id"], f["path"], f["start_line"], f["resource"]) for f in run.doc["findings"])
    assert found == [
        ("XB101", "vpn.json", _line(json_text, "Fn::Base64"), "Host: [Peer] #1"),
        ("XB101", "vpn.yaml", _line(CFN_YAML, "[Peer]"), "VpnHost /etc/wireguard/wg0.conf: [Peer] #1"),
        ("XB101", "vpn.yaml", _line(CFN_YAML, "remote 3.120"), "Init /etc/openvpn/client.conf: remote 3.120.0.2 1194"),
    ], found
    local = next(f for f in run.doc["findings"] if f["resource"].startswith("VpnHost"))["evidence"][0]
    assert local.startswith("VpnHost (runs this WireGuard configuration: Properties.UserData, write_files "
                            "/etc/wireguard/wg0.conf): mainland, region cn-north-1"), local


# ------------------------------------------------------------------------------------------ templates
# Before: any `${...}` in the string gave XB003. Now each instance's evaluated value is read when it renders the
# template line for line (the file's lines stay exact); the XB003 goes when every instance rendered it whole.

TEMPLATED = PROVIDER + '''\
variable "peers" {
  default = ["3.120.0.1", "36.110.0.1"]
}

resource "aws_instance" "vpn" {
  count     = 2
  ami       = "ami-1"
  user_data = base64encode(<<-EOF
    [Interface]
    PrivateKey = x
    [Peer]
    Endpoint = ${var.peers[count.index]}:51820
    AllowedIPs = 10.${count.index}.0.0/16
  EOF
  )
}
'''


def test_a_template_is_read_per_instance_from_its_evaluated_value(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(TEMPLATED)
    run = _scan(tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    found = sorted((f["rule_id"], f["start_line"], f["resource"]) for f in run.doc["findings"])
    assert found == [("XB101", _line(TEMPLATED, "[Peer]"), "aws_instance.vpn[0]: [Peer] #1")], found  # [1]: Beijing
    local, peer = run.doc["findings"][0]["evidence"][:2]
    assert local.startswith("aws_instance.vpn[0] (runs this WireGuard configuration: user_data as evaluated): mainland")
    assert peer.startswith("peer (Endpoint = 3.120.0.1:51820): offshore") and peer.endswith(
        f"Endpoint in main.tf line {_line(TEMPLATED, 'Endpoint')}"), peer


@pytest.mark.parametrize("change", [
    ("    AllowedIPs = 10.${count.index}.0.0/16\n", "    %{ if count.index == 0 }AllowedIPs = 10.0.0.0/16%{ endif }\n"),
    ('  default = ["3.120.0.1", "36.110.0.1"]\n', '  type = list(string)\n'),  # no value: unknown
])
def test_a_template_not_rendered_line_for_line_stays_xb003(tmp_path: Path, change: tuple[str, str]) -> None:
    (tmp_path / "main.tf").write_text(TEMPLATED.replace(*change))
    found = [(f["rule_id"], f["resource"].split(" (")[0]) for f in _scan(tmp_path).doc["findings"]]
    assert found == [("XB003", "aws_instance.vpn.user_data")], found


def test_a_cached_run_and_two_processes_give_the_same_report(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.tf").write_text(WG)
    (tmp_path / "b" / "main.tf").write_text(TEMPLATED)
    cold = scan_json(".", "--no-config", "--no-cache", "-j", "1", cwd=tmp_path).out
    assert '"aws_instance.vpn[0]: [Peer] #1"' in cold and '"aws_instance.vpn: [Peer] frankfurt"' in cold
    assert scan_json(".", "--no-config", cwd=tmp_path).out == cold  # stores
    assert scan_json(".", "--no-config", cwd=tmp_path).out == cold  # reads the stored results
    assert scan_json(".", "--no-config", "--no-cache", "-j", "2", cwd=tmp_path).out == cold


def test_an_override_file_replaces_the_configuration_with_the_argument(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(WG)
    (tmp_path / "override.tf").write_text(
        'resource "aws_instance" "vpn" {\n  user_data = "[Interface]\\n[Peer]\\nEndpoint = 3.120.0.9:51820\\n'
        'AllowedIPs = 10.9.0.0/16\\n"\n}\n')
    found = [(f["rule_id"], f["path"], f["evidence"][1].split(":")[0]) for f in _scan(tmp_path).doc["findings"]]
    assert found == [("XB101", "override.tf", "peer (Endpoint = 3.120.0.9")], found
