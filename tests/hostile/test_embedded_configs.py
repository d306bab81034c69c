"""A device config embedded in YAML (cloud-init write_files, a Kubernetes ConfigMap, Ansible network modules'
`lines:`) is XB003 "configuration not read", never silence.

Before: a `.yaml`/`.yml` file was looked at for netplan only, so a cloud-init user-data writing
/etc/wireguard/wg0.conf with an offshore Endpoint, or a playbook pushing `tunnel destination 8.8.8.8`, scanned
clean (exit 0, 0 findings). The embedded text is not parsed (the YAML says where it goes, not xborder): the
file is reported at the first VPN statement, as for other formats xborder recognises but does not read
(policies/unread_configs.yaml, `only_in`). Ordinary YAML (Helm values, workflows, netplan) is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

CASES = {
    "cloud-init-wireguard": (
        "user-data.yaml",
        "#cloud-config\nwrite_files:\n  - path: /etc/wireguard/wg0.conf\n    content: |\n      [Interface]\n"
        "      PrivateKey = aaaa\n      [Peer]\n      PublicKey = bbbb\n      Endpoint = 8.8.8.8:51820\n"
        "      AllowedIPs = 10.1.0.0/16\nruncmd:\n  - wg-quick up wg0\n",
        7, "WireGuard configuration embedded in YAML",
    ),
    "configmap-ipsec": (
        "vpn.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vpn\ndata:\n  ipsec.conf: |\n    conn hk\n"
        "      left=%defaultroute\n      right=8.8.8.8\n      auto=start\n",
        9, "strongSwan / Libreswan configuration embedded in YAML",
    ),
    "configmap-openvpn": (
        "ovpn.yml",
        "data:\n  client.ovpn: |\n    client\n    dev tun\n    remote 8.8.8.8 1194 udp\n",
        5, "OpenVPN configuration embedded in YAML",
    ),
    "ansible-ios": (
        "playbook.yml",
        "- hosts: routers\n  tasks:\n    - cisco.ios.ios_config:\n        parents: interface Tunnel0\n        lines:\n"
        "          - tunnel source 58.247.0.10\n          - tunnel destination 8.8.8.8\n",
        7, "Cisco or Junos VPN statements embedded in YAML",
    ),
    "ansible-junos": (
        "srx.yml",
        "- hosts: srx\n  tasks:\n    - junipernetworks.junos.junos_config:\n        lines:\n"
        "          - set security ike gateway hk address 8.8.8.8\n",
        5, "Cisco or Junos VPN statements embedded in YAML",
    ),
}


def _scan(tmp_path: Path, name: str, text: str):  # noqa: ANN202
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_text(text)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize("case", sorted(CASES))
def test_embedded_config_is_xb003(tmp_path: Path, case: str) -> None:
    name, text, line, what = CASES[case]
    [f] = _scan(tmp_path, name, text).doc["findings"]
    assert (f["rule_id"], f["path"], f["start_line"]) == ("XB003", f"t/{name}", line), f
    assert what in f["message"], f["message"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("values.yaml", "replicaCount: 2\nservice:\n  port: 80\nremote:\n  host: example.com\n  port: 22\n"),
        ("ci.yml", "jobs:\n  build:\n    steps:\n      - run: |\n          git remote add origin https://x/y.git\n"
                   "          echo right=now\n"),
        ("docker-compose.yml", "services:\n  vpn:\n    image: wireguard\n    environment:\n      - PEERS=3\n"),
    ],
    ids=["helm-values", "workflow", "compose"],
)
def test_ordinary_yaml_stays_quiet(tmp_path: Path, name: str, text: str) -> None:
    run = _scan(tmp_path, name, text)
    assert run.doc["findings"] == [] and run.doc["summary"]["inputs_read"] == 0, run.doc


def test_a_real_wireguard_file_is_still_read(tmp_path: Path) -> None:
    """`only_in`: the embedded signatures never apply outside YAML (an indented Endpoint in wg0.conf is read)."""
    text = "[Interface]\n  PrivateKey = aaaa\n[Peer]\n  PublicKey = bbbb\n  Endpoint = 8.8.8.8:51820\n  AllowedIPs = 10.1.0.0/16\n"
    run = _scan(tmp_path, "wg0.conf", text)
    assert run.rules == ["XB102"], run.doc
