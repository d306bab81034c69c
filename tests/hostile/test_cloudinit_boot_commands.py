"""cloud-init boot commands that write or change a VPN configuration are parts not read (XB002).

Before: `runcmd: - echo "Endpoint = 8.8.8.8:51820" >> /etc/wireguard/wg0.conf` (or `wg set wg0 peer K endpoint
...`, `curl -o /etc/openvpn/client.conf URL`) set up a tunnel at boot and the file scanned clean. Decided with
the lead (inputs.answer, C1-C2); which commands count is data (policies/boot_commands.yaml). Reading a VPN file,
starting a tunnel from a file, and copying a VPN file elsewhere stay quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "user-data.yaml").write_text(text)
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize("entry", [
    '- echo "Endpoint = 8.8.8.8:51820" >> /etc/wireguard/wg0.conf',
    '- printf "%s" "$CONF" | tee -a /etc/ipsec.conf',
    '- [sh, -c, "wg set wg0 peer abc= endpoint 8.8.8.8:51820"]',
    '- [curl, -sSo, /tmp/x, -o, /etc/openvpn/client.conf, "https://example.com/c.conf"]',
    "- wget -O /etc/swanctl/conf.d/hk.conf https://example.com/hk.conf",
    "- cp /tmp/hk.conf /etc/ipsec.d/hk.conf",
    "- sed -i s/1.1.1.1/8.8.8.8/ /etc/wireguard/wg0.conf",
    "- wg addconf wg0 /tmp/peers.conf",
    "- nmcli connection import type wireguard file /tmp/wg1.conf",
])
def test_boot_command_setting_up_a_tunnel_is_a_part_not_read(tmp_path: Path, entry: str) -> None:
    run = _scan(tmp_path, f"#cloud-config\nruncmd:\n  - systemctl restart ssh\n  {entry}\n")
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", 4, "user-data.yaml: runcmd 2"), f


@pytest.mark.parametrize("entry", [
    "- cat /etc/wireguard/wg0.conf",
    "- systemctl enable --now wg-quick@wg0",
    "- wg-quick up wg0",
    "- cp /etc/ipsec.conf /tmp/backup.conf",
    "- wg show",
    "# - echo x > /etc/wireguard/wg0.conf",
])
def test_quiet_boot_commands(tmp_path: Path, entry: str) -> None:
    run = _scan(tmp_path, f"#cloud-config\nruncmd:\n  - systemctl restart ssh\n  {entry}\n")
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]


def test_not_a_cloud_config_stays_quiet(tmp_path: Path) -> None:
    run = _scan(tmp_path, "runcmd:\n  - echo x >> /etc/wireguard/wg0.conf\n")  # no #cloud-config header
    assert run.doc["findings"] == [], run.doc["findings"]


def test_write_files_config_is_still_xb003_beside_boot_commands(tmp_path: Path) -> None:
    text = ("#cloud-config\nwrite_files:\n  - path: /etc/wireguard/wg0.conf\n    content: |\n      [Interface]\n"
            "      PrivateKey = x\n      [Peer]\n      Endpoint = 8.8.8.8:51820\nruncmd:\n  - wg setconf wg0 /etc/wireguard/wg0.conf\n")
    run = _scan(tmp_path, text)
    assert sorted((f["rule_id"], f["start_line"]) for f in run.doc["findings"]) == [("XB002", 10), ("XB003", 7)], run.doc["findings"]


TF_USER_DATA = '''\
resource "aws_instance" "vpn" {
  ami       = "ami-1"
  user_data = <<-EOF
    #cloud-config
    runcmd:
      - echo "[Interface]" > /etc/wireguard/wg0.conf
      - wg set wg0 peer abc= endpoint 8.8.8.8:51820
  EOF
}

resource "aws_instance" "web" {
  ami       = "ami-1"
  user_data = <<-EOF
    #cloud-config
    runcmd:
      - systemctl enable nginx
  EOF
}
'''

CFN_USER_DATA = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpn:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData: !Base64 |
        #cloud-config
        runcmd:
          - curl -o /etc/openvpn/client.conf https://example.com/c.conf
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      UserData: !Base64 |
        #cloud-config
        runcmd:
          - cat /etc/openvpn/client.conf
"""


@pytest.mark.parametrize(("name", "text", "line", "resource"), [
    ("main.tf", TF_USER_DATA, 3, "aws_instance.vpn.user_data (cloud-init boot commands in a Terraform string)"),
    ("vpn.yaml", CFN_USER_DATA, 7, "Vpn.Properties.UserData (cloud-init boot commands in a template string)"),
])
def test_cloud_config_user_data_in_templates(tmp_path: Path, name: str, text: str, line: int, resource: str) -> None:
    (tmp_path / name).write_text(text)
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    assert [(f["rule_id"], f["start_line"], f["resource"]) for f in run.doc["findings"]] == [("XB002", line, resource)]
