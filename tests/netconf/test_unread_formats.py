"""XB003: a VPN configuration in a device format xborder recognises but does not read is "not read" in every
format, at its first VPN statement, never skipped like a file that is not a configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tree_support import write_tree  # noqa: E402

# One realistic shape per format in policies/unread_configs.yaml: (file, text, line of the first VPN statement).
UNREAD = {
    "fortios": ("fw/fgt-sha.conf", """\
        #config-version=FGT60F-7.2.5-FW-build1517:opmode=0:vdom=0
        config system global
            set hostname "fgt-sha"
        end
        config vpn ipsec phase1-interface
            edit "to-hk"
                set interface "wan1"
                set remote-gw 203.186.1.1
            next
        end
        """, 5),
    "vyos": ("fw/vyos-bj.boot", """\
        set interfaces ethernet eth0 address '180.76.76.2/24'
        set system host-name 'vyos-bj'
        set vpn ipsec site-to-site peer 203.186.1.1 authentication mode 'pre-shared-secret'
        """, 3),
    "routeros": ("fw/mikrotik.rsc", """\
        # RouterOS 7.12 export
        /ip address
        add address=180.76.76.3/24 interface=ether1
        /ip ipsec peer
        add address=203.186.1.1/32 name=hk
        """, 4),
    "comware_vrp": ("fw/ar-sha.cfg", """\
        sysname AR-SHA
        #
        ike peer hk v2
         pre-shared-key cipher %^%#x%^%#
         remote-address 203.186.1.1
        #
        """, 3),
    "junos_xml": ("fw/srx-sha.xml", """\
        <rpc-reply xmlns:junos="http://xml.juniper.net/junos/20.4R0/junos">
            <configuration junos:changed-seconds="1700000000">
                    <version>20.4R3.8</version>
                    <security>
                        <ike>
                            <gateway>
                                <name>to-hk</name>
                                <ike-policy>pol</ike-policy>
                                <address>203.186.1.1</address>
                            </gateway>
                        </ike>
                    </security>
            </configuration>
        </rpc-reply>
        """, 6),
    "networkd": ("hosts/sha/50-wg0.netdev", """\
        [NetDev]
        Name=wg0
        Kind=wireguard

        [WireGuard]
        PrivateKeyFile=/etc/systemd/network/wg0.key

        [WireGuardPeer]
        PublicKey=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
        Endpoint=203.186.1.1:51820
        AllowedIPs=10.30.0.0/16
        """, 8),
    "networkmanager": ("hosts/sha/hk.nmconnection", """\
        [connection]
        id=hk
        type=wireguard
        interface-name=wg-hk

        [wireguard-peer.xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=]
        endpoint=203.186.1.1:51820
        allowed-ips=10.30.0.0/16;
        """, 6),
    "panos": ("fw/pa-running.xml", """\
        <config version="10.2.0">
          <devices><entry name="localhost.localdomain"><network><ike><gateway>
                <ike-gateway>
                </ike-gateway>
          </gateway></ike></network></entry></devices>
        </config>
        """, 3),
    "pfsense": ("fw/config.xml", """\
        <?xml version="1.0"?>
        <pfsense>
          <ipsec>
            <phase1>
              <remote-gateway>203.186.1.1</remote-gateway>
            </phase1>
          </ipsec>
        </pfsense>
        """, 4),
}

# Traps: vendor files without VPN statements, and look-alikes in files that are not device configs.
NOT_VPN = {
    "fw/fgt-novpn.conf": 'config system global\n    set hostname "fgt"\nend\n',
    "pom.xml": '<?xml version="1.0"?>\n<project><phase1>compile</phase1></project>\n',
    "docs/runbook.md": "Check `config vpn ipsec phase1-interface` on the FortiGate.\n",
    "build.xml": "<project>\n  <target name='phase1'/>\n</project>\n",
    "hosts/sha/10-eth0.network": "[Match]\nName=eth0\n\n[Network]\nAddress=180.76.76.2/24\n",
    "hosts/sha/lan.nmconnection": "[connection]\nid=lan\ntype=ethernet\n\n[ipv4]\nmethod=auto\n",
}


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("fmt", sorted(UNREAD))
def test_an_unread_vpn_format_is_visible_in_every_output(tmp_path: Path, fmt: str) -> None:
    rel, text, line = UNREAD[fmt]
    write_tree(tmp_path, {rel: text, **NOT_VPN})
    proc = xborder(tmp_path, "scan", ".", "--no-config", "--no-cache", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr
    (f,) = doc["findings"]
    assert (f["rule_id"], f["path"], f["start_line"], f["severity"]) == ("XB003", rel, line, "medium")
    assert "not read" in f["message"]
    text_out = xborder(tmp_path, "scan", ".", "--no-config", "--no-cache").stdout
    assert f"{rel}:{line}:1: XB003 [medium] Configuration not read" in text_out
    sarif = json.loads(xborder(tmp_path, "scan", ".", "--no-config", "--no-cache", "-f", "sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "XB003" and result["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    github = xborder(tmp_path, "scan", ".", "--no-config", "--no-cache", "-f", "github").stdout
    assert f"file={rel},line={line}" in github and "XB003" in github


def test_vendor_files_without_vpn_statements_are_not_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, NOT_VPN)
    proc = xborder(tmp_path, "scan", ".", "--no-config", "--no-cache", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0 and doc["findings"] == [] and doc["errors"] == []


def test_a_named_file_in_an_unread_format_fails_the_hook(tmp_path: Path) -> None:
    """pre-commit names the file: it must not become a quiet note like a notes.txt."""
    rel, text, line = UNREAD["fortios"]
    write_tree(tmp_path, {rel: text})
    proc = xborder(tmp_path, "scan", "--no-config", "--no-cache", "--", rel)
    assert proc.returncode == 1 and f"{rel}:{line}:1: XB003" in proc.stdout


def test_a_reviewed_file_is_accepted_by_an_approval_with_its_path(tmp_path: Path) -> None:
    rel, text, _ = UNREAD["vyos"]
    write_tree(tmp_path, {rel: text, ".xborder.yaml": f"approvals:\n  - rule: XB003\n    path: {rel}\n"
                                                 "    reason: tunnels reviewed by hand, ticket NET-42\n"})
    proc = xborder(tmp_path, "scan", ".", "--no-cache", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout
    (f,) = doc["findings"]
    assert f["rule_id"] == "XB003" and f["suppressed"] and "NET-42" in f["justification"]


def test_explain_and_rules_know_xb003(tmp_path: Path) -> None:
    proc = xborder(tmp_path, "explain", "XB003")
    assert proc.returncode == 0 and "config-not-read" in proc.stdout and "unread_configs.yaml" in proc.stdout
