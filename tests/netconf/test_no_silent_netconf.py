"""Device configs never pass silently: templates, placeholders, `%any` peers and endpoint-less WireGuard sites are
unknown ends (XB102); client pools are remote access (XB103); files that are not infrastructure do not fail a hook;
a scan that reads nothing says so."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tree_support import write_tree  # noqa: E402


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


def scan(root: Path, *args: str) -> tuple[int, dict]:
    proc = xborder(root, "scan", *args, "-f", "json")
    return proc.returncode, json.loads(proc.stdout)


SITES = """\
sites:
  - name: shanghai-dc
    country: CN
    paths: ["network/sha-*/**"]
    cidrs: ["58.247.0.0/24"]
"""


def test_explicit_files_that_are_not_infrastructure_do_not_fail_the_hook(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "network/notes.txt": "Change window: Sundays 02:00-04:00 CST\n",
        "network/ntp.conf": "driftfile /var/lib/ntp/ntp.drift\nserver 0.cn.pool.ntp.org iburst\nrestrict default nomodify\n",
    })
    proc = xborder(tmp_path, "scan", "network/notes.txt", "network/ntp.conf")
    assert proc.returncode == 0, proc.stdout
    assert "error" not in proc.stdout
    assert "note: network/ntp.conf: not a recognised network configuration" in proc.stdout
    assert "nothing read: none of the 2 files scanned" in proc.stdout


def test_empty_scan_says_so_in_every_format_and_exits_0(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/README.md": "# runbooks\n"})
    text = xborder(tmp_path, "scan", "docs")
    assert text.returncode == 0 and "note: nothing read: none of the 1 file scanned" in text.stdout
    rc, doc = scan(tmp_path, "docs")
    assert rc == 0 and doc["summary"]["inputs_read"] == 0 and any(n.startswith("nothing read") for n in doc["notes"])
    sarif = json.loads(xborder(tmp_path, "scan", "docs", "-f", "sarif").stdout)
    (note,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and note["message"]["text"].startswith("nothing read")
    gh = xborder(tmp_path, "scan", "docs", "-f", "github").stdout
    assert gh.startswith("::warning title=xborder read nothing::nothing read")
    junit = xborder(tmp_path, "scan", "docs", "-f", "junit")
    assert junit.returncode == 0 and "no link across the border" not in junit.stdout
    skipped = ET.fromstring(junit.stdout).find(".//testcase/skipped")
    assert skipped is not None and skipped.get("message", "").startswith("nothing read")
    gitlab = xborder(tmp_path, "scan", "docs", "-f", "gitlab")
    (issue,) = json.loads(gitlab.stdout)
    assert gitlab.returncode == 0 and issue["check_name"] == "xborder/nothing-read" and issue["severity"] == "info"
    # a scan that reads something does not say it
    write_tree(tmp_path, {"docs/wg0.conf": "[Interface]\nPrivateKey = k\n[Peer]\nPublicKey = p\nEndpoint = 202.45.84.58:51820\n"})
    rc, doc = scan(tmp_path, "docs")
    assert doc["summary"]["inputs_read"] == 1 and not any(n.startswith("nothing read") for n in doc["notes"])


@pytest.mark.parametrize(
    ("rel", "text", "placeholder"),
    [
        ("network/sha-gw1/ipsec.conf.j2", """\
            conn {{ site_name }}
                left=58.247.0.10
                right={{ peer }}
                authby=secret
                auto=start
            """, "{{peer}}"),
        ("network/sha-gw1/ipsec.conf", """\
            conn moon
                left=58.247.0.10
                right=PH_IP_MOON
                auto=add
            """, "PH_IP_MOON"),
        ("network/sha-gw1/ipsec.conf", """\
            conn to-partner
                left=58.247.0.10
                right=REMOTEEIP
                auto=start
            """, "REMOTEEIP"),
        ("network/sha-gw1/wg0.conf.j2", """\
            [Interface]
            PrivateKey = {{ wg_private_key }}
            ListenPort = 51820

            [Peer]
            PublicKey = {{ partner_public_key }}
            Endpoint = {{ partner_endpoint }}
            AllowedIPs = 10.20.0.0/16
            """, "{{partner_endpoint}}"),
        ("network/sha-gw1/router.cfg.j2", """\
            hostname sha-gw1
            interface GigabitEthernet0/0
             ip address 58.247.0.10 255.255.255.0
             crypto map PARTNER
            crypto map PARTNER 10 ipsec-isakmp
             set peer {{ partner_ip }}
             set transform-set TS
             match address 101
            """, "{{partner_ip}}"),
    ],
    ids=["strongswan-j2", "strongswan-PH_IP", "strongswan-REMOTEEIP", "wireguard-j2", "cisco-j2"],
)
def test_templates_are_an_unknown_end_never_exit_2(tmp_path: Path, rel: str, text: str, placeholder: str) -> None:
    write_tree(tmp_path, {".xborder.yaml": SITES, rel: text})
    rc, doc = scan(tmp_path, rel)  # named on the command line, as pre-commit does
    assert rc == 1 and doc["errors"] == [], doc
    (f,) = doc["findings"]
    assert f["rule_id"] == "XB102" and f["path"] == rel
    assert any(f"{placeholder} is a template placeholder" in e and "scan the rendered configuration" in e for e in f["evidence"])
    assert any(e.startswith("local end") and "mainland" in e for e in f["evidence"])


ANY_PEERS = {
    "network/sha-gw1/ipsec.conf": """\
        conn partners
            left=58.247.0.10
            leftsubnet=10.1.0.0/16
            right=%any
            rightsubnet=10.50.0.0/16
            authby=secret
            auto=add

        conn reverse
            left=%any
            right=%defaultroute
            rightid=@sha-gw1
            auto=add

        conn roadwarriors
            left=58.247.0.10
            right=%any
            rightsourceip=10.99.0.0/24
            auto=add
        """,
    "network/sha-gw2/swanctl.conf": """\
        connections {
            branches {
                local_addrs = 58.247.0.11
                remote_addrs = %any
                children {
                    net {
                        local_ts = 10.2.0.0/16
                    }
                }
            }
            staff {
                local_addrs = 58.247.0.11
                pools = staff-pool
            }
        }
        pools {
            staff-pool {
                addrs = 10.98.0.0/24
            }
        }
        """,
    "network/sha-gw3/wg0.conf": """\
        [Interface]
        Address = 10.30.0.1/24
        ListenPort = 51820
        PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=

        [Peer]
        # Name = branch-office
        PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
        AllowedIPs = 10.30.0.2/32, 192.168.40.0/24
        """,
    "network/sha-gw4/wg1.conf": """\
        [Interface]
        Address = 10.31.0.1/24
        ListenPort = 51821
        PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=

        [Peer]
        # Name = laptop-1
        PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=
        AllowedIPs = 10.31.0.2/32
        """,
}


def test_any_peers_are_xb102_with_how_to_declare_them_and_pools_stay_xb103(tmp_path: Path) -> None:
    write_tree(tmp_path, {".xborder.yaml": SITES.replace('paths: ["network/sha-*/**"]', 'paths: ["network/**"]'), **ANY_PEERS})
    rc, doc = scan(tmp_path, "network")
    assert doc["errors"] == []
    got = {(f["rule_id"], f["resource"]) for f in doc["findings"]}
    assert got == {
        ("XB102", "network/sha-gw1/ipsec.conf: conn partners"),
        ("XB102", "network/sha-gw1/ipsec.conf: conn reverse"),  # left=%any is the far end once right is local
        ("XB103", "network/sha-gw1/ipsec.conf: conn roadwarriors"),
        ("XB102", "network/sha-gw2/swanctl.conf: connection branches"),
        ("XB103", "network/sha-gw2/swanctl.conf: connection staff"),
        ("XB102", "network/sha-gw3/wg0.conf: [Peer] branch-office"),
        ("XB103", "network/sha-gw4/wg1.conf: [Interface] wg1"),
    }
    for f in doc["findings"]:
        if f["rule_id"] == "XB102":
            assert any("accepts connections from any peer" in e and "list it in a site's cidrs or hosts in .xborder.yaml" in e
                       for e in f["evidence"]), f
    # the same in SARIF: every one is a result
    sarif = json.loads(xborder(tmp_path, "scan", "network", "-f", "sarif").stdout)
    assert sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["XB102"] * 4 + ["XB103"] * 3
