"""No silent pass: every input kind, given an end that cannot be placed or a part that cannot be read, yields a
visible result in text, JSON and SARIF (a finding, or an error with file and line), never a clean exit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sarif_support import assert_valid_sarif  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

SITES = """\
sites:
  - name: beijing-office
    country: CN
    paths: ["net/**"]
    cidrs: ["1.2.4.0/24"]
"""

CASES: dict[str, tuple[dict[str, str], str, str]] = {
    # input kind: (files, expected rule, a phrase of the evidence that says why)
    "terraform-unset-variable": ({"tf/main.tf": """\
        provider "alicloud" {
          region = "cn-beijing"
        }

        variable "office_ip" {
          type = string
        }

        resource "alicloud_vpn_customer_gateway" "office" {
          ip_address = var.office_ip
        }

        resource "alicloud_vpn_gateway" "gw" {
          vpc_id    = "vpc-2ze0example"
          bandwidth = 10
        }

        resource "alicloud_vpn_connection" "to_office" {
          vpn_gateway_id      = alicloud_vpn_gateway.gw.id
          customer_gateway_id = alicloud_vpn_customer_gateway.office.id
          local_subnet        = ["172.16.0.0/16"]
          remote_subnet       = ["10.0.0.0/16"]
        }
        """}, "XB102", 'variable "office_ip"'),
    "terraform-module-not-on-disk": ({"tf/main.tf": """\
        module "vpn_gateway" {
          source  = "terraform-aws-modules/vpn-gateway/aws"
          version = "~> 3.0"
        }
        """}, "XB002", "terraform init -backend=false"),
    "terraform-unlisted-region": ({"tf/main.tf": """\
        provider "google" {
          region = "asia-eats2"
        }

        resource "google_compute_vpn_gateway" "gw" {
          name    = "gw"
          network = "default"
        }

        resource "google_compute_vpn_tunnel" "to_beijing" {
          name               = "to-beijing"
          peer_ip            = "1.2.4.8"
          shared_secret      = "example"
          target_vpn_gateway = google_compute_vpn_gateway.gw.id
        }
        """}, "XB102", "unlisted region asia-eats2 for provider google"),
    "cloudformation-no-region": ({"cfn/vpn.yaml": """\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          OfficeGateway:
            Type: AWS::EC2::CustomerGateway
            Properties:
              BgpAsn: 65000
              IpAddress: 1.2.4.8
              Type: ipsec.1
          VpnGateway:
            Type: AWS::EC2::VPNGateway
            Properties:
              Type: ipsec.1
          Vpn:
            Type: AWS::EC2::VPNConnection
            Properties:
              CustomerGatewayId: !Ref OfficeGateway
              VpnGatewayId: !Ref VpnGateway
              Type: ipsec.1
        """}, "XB102", "CloudFormation templates do not name their region"),
    "strongswan-any": ({"net/gw1/ipsec.conf": """\
        conn partners
            left=1.2.4.8
            right=%any
            rightsubnet=10.50.0.0/16
            auto=add
        """}, "XB102", "accepts connections from any peer"),
    "swanctl-host": ({"net/gw2/swanctl.conf": """\
        connections {
            partner {
                local_addrs = 1.2.4.9
                remote_addrs = vpn.partner.example
            }
        }
        """}, "XB102", "host names are not resolved"),
    "wireguard-site-without-endpoint": ({"net/gw3/wg0.conf": """\
        [Interface]
        Address = 10.30.0.1/24
        ListenPort = 51820
        PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=

        [Peer]
        PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
        AllowedIPs = 192.168.40.0/24
        """}, "XB102", "accepts connections from any peer"),
    "openvpn-template": ({"net/gw4/site.conf.j2": """\
        dev tun
        proto udp
        remote {{ partner_host }} 1194
        secret /etc/openvpn/static.key
        ifconfig 10.8.0.1 10.8.0.2
        """}, "XB102", "template placeholder"),
    "cisco-private-peer": ({"net/gw5/running-config.cfg": """\
        hostname gw5
        interface GigabitEthernet0/0
         ip address 1.2.4.10 255.255.255.0
         crypto map CMAP
        crypto map CMAP 10 ipsec-isakmp
         set peer 10.20.30.40
         set transform-set TS
         match address 101
        """}, "XB102", "10.20.30.40"),
    "junos-host": ({"net/gw6/srx.conf": """\
        security {
            ike {
                gateway gw-partner {
                    ike-policy ike-pol;
                    address 10.66.0.1;
                    external-interface ge-0/0/0.0;
                }
            }
            ipsec {
                vpn vpn-partner {
                    ike {
                        gateway gw-partner;
                        ipsec-policy ipsec-pol;
                    }
                }
            }
        }
        """}, "XB102", "10.66.0.1"),
    "netplan-private-remote": ({"net/gw7/60-tunnels.yaml": """\
        network:
          version: 2
          tunnels:
            gre-partner:
              mode: gre
              local: 1.2.4.11
              remote: 10.77.0.1
              addresses: [172.16.9.1/30]
        """}, "XB102", "10.77.0.1"),
    "device-config-unread-format": ({"net/gw9/fgt.conf": """\
        config system global
            set hostname "fgt-bj"
        end
        config vpn ipsec phase1-interface
            edit "to-partner"
                set remote-gw 203.186.1.1
            next
        end
        """}, "XB003", "FortiOS"),
    "terraform-connectivity-not-covered": ({"tf/ccn.tf": """\
        provider "alicloud" {
          region = "cn-shanghai"
        }

        resource "alicloud_cloud_connect_network_grant" "to_group" {
          ccn_id  = "ccn-9example"
          cen_id  = "cen-7example"
          cen_uid = "1234567890123456"
        }
        """}, "XB004", "another account"),
    "device-config-unparsable-part": ({"net/gw8/ipsec.conf": """\
        conn partner
            left=1.2.4.12
            right=203.186.1.1
            also=missing-template
            auto=start
        """}, "error", "also=missing-template"),
}


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_input_kind_is_visible_in_text_json_and_sarif(tmp_path: Path, case: str) -> None:
    files, rule, why = CASES[case]
    for rel, text in {".xborder.yaml": SITES, **files}.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    (path,) = files

    text = xborder(tmp_path, "scan", ".")
    assert text.returncode != 0, text.stdout
    doc = json.loads(xborder(tmp_path, "scan", ".", "-f", "json").stdout)
    sarif = json.loads(xborder(tmp_path, "scan", ".", "-f", "sarif").stdout)
    assert_valid_sarif(sarif)
    run = sarif["runs"][0]
    if rule == "error":
        assert f"{path}:" in text.stdout and "error:" in text.stdout and why in text.stdout
        assert any(e["path"] == path and e["line"] >= 1 and why in e["message"] for e in doc["errors"])
        notes = run["invocations"][0]["toolExecutionNotifications"]
        assert any(why in n["message"]["text"] for n in notes)
        return
    line = next(l for l in text.stdout.splitlines() if f" {rule} " in l)
    assert line.startswith(f"{path}:") and why in text.stdout
    assert any(f["rule_id"] == rule and f["path"] == path and any(why in e for e in f["evidence"]) for f in doc["findings"])
    results = [r for r in run["results"] if r["ruleId"] == rule]
    assert results and results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path


def test_plan_with_values_known_only_after_apply(tmp_path: Path) -> None:
    """The bundled plan has a VPN whose peer address is known only after apply: XB102 in every format."""
    shutil.copy(REPO / "fixtures" / "plan" / "tfplan.json", tmp_path / "tfplan.json")
    doc = json.loads(xborder(tmp_path, "scan", "tfplan.json", "--no-config", "-f", "json").stdout)
    unknown = [f for f in doc["findings"] if f["rule_id"] == "XB102"]
    assert unknown and all(f["path"] == "tfplan.json" for f in unknown)
    sarif = json.loads(xborder(tmp_path, "scan", "tfplan.json", "--no-config", "-f", "sarif").stdout)
    assert_valid_sarif(sarif)
    assert "XB102" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    text = xborder(tmp_path, "scan", "tfplan.json", "--no-config").stdout
    assert "XB102" in text
