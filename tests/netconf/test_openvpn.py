"""OpenVPN client, server and point-to-point configs."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import openvpn
from xborder.model import LinkKind

DATA = Path(__file__).parent / "data"


def load(rel):
    return openvpn.load(DATA / rel, rel, DATA)


def test_client_remotes_and_connection_blocks():
    r = load("openvpn/client.ovpn")
    got = [(l.kind, l.address, l.location.start_line, l.location.end_line, l.b.fact.value) for l in r.links]
    assert got == [
        (LinkKind.VPN, "openvpn/client.ovpn: remote 202.45.84.58 1194", 11, 14, "202.45.84.58"),
        (LinkKind.VPN, "openvpn/client.ovpn: remote sg-vpn.example.com 443", 16, 18, "sg-vpn.example.com"),
        (LinkKind.VPN, "openvpn/client.ovpn: remote 8.8.8.8 1194", 20, 20, "8.8.8.8"),
    ]
    # the `remote 1.1.1.1` inside <ca> is certificate text, not a directive
    assert all(l.b.fact.value != "1.1.1.1" for l in r.links)
    assert r.links[0].resource_type == "openvpn remote"
    assert r.links[0].b.fact.origin == "remote in openvpn/client.ovpn line 12"
    assert r.errors == []


def test_server_is_remote_access_with_local_address():
    r = load("openvpn/server.conf")
    assert len(r.links) == 1
    link = r.links[0]
    assert link.kind is LinkKind.REMOTE_ACCESS and link.b is None
    assert link.resource_type == "openvpn server"
    assert link.location.start_line == 10
    assert link.a.fact.kind == "device" and link.a.fact.value == "1.2.4.8" and link.a.fact.namespace == "openvpn/server.conf"


def test_point_to_point_to_macau():
    r = load("openvpn/p2p.conf")
    assert [(l.kind, l.b.fact.value, l.location.start_line) for l in r.links] == [(LinkKind.VPN, "202.175.3.3", 3)]


def test_listening_port_without_remote_and_unclosed_blocks():
    r = openvpn.parse("dev tun\nport 1194\nproto udp\n", "p.conf")
    assert [(l.kind, l.location.start_line) for l in r.links] == [(LinkKind.REMOTE_ACCESS, 2)]
    r = openvpn.parse("client\n<connection>\nremote\n<ca>\n", "c.conf")
    assert {e.line for e in r.errors} >= {2, 3}


def test_comments_skip_inline_files():
    text = "# a\n; b\nremote x 1 # c\n<tls-auth>\n# 2048 bit OpenVPN static key\n</tls-auth>\n"
    assert openvpn.comments(text) == [(1, "# a"), (2, "; b"), (3, "# c")]


# `config FILE` inside a config reads FILE's options in its place (OpenVPN's nested --config). Before, the
# remote in the included file was not read: the client was a note "no remote and no server directive".
def _scan_tree(tmp_path: Path, files: dict[str, str], *named: str) -> dict:
    import json
    import os
    import subprocess
    import sys

    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", *(named or (".",)), "-f", "json", "--no-cache",
                           "--no-config"], cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode in (0, 1, 2) and not proc.stderr.strip().startswith("Traceback"), proc.stderr
    return json.loads(proc.stdout)


def test_config_directive_is_followed_inside_the_tree(tmp_path: Path) -> None:
    doc = _scan_tree(tmp_path / "repo", {
        "vpn/client.ovpn": "client\ndev tun\nlocal 58.247.0.10\nconfig peers/fra.conf\n",
        "vpn/peers/fra.conf": "# the office\nremote 8.8.8.8 1194 udp\n",
    })
    assert [(f["rule_id"], f["path"], f["start_line"]) for f in doc["findings"]] == [("XB101", "vpn/peers/fra.conf", 2)], doc
    assert doc["notes"] == [] and doc["errors"] == []


def test_config_directive_outside_the_tree_is_xb002(tmp_path: Path) -> None:
    doc = _scan_tree(tmp_path / "repo", {"client.ovpn": "client\ndev tun\nconfig /etc/openvpn/peers.conf\n"})
    assert [(f["rule_id"], f["path"], f["start_line"]) for f in doc["findings"]] == [("XB002", "client.ovpn", 3)], doc


def test_config_directive_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    doc = _scan_tree(tmp_path / "repo", {"client.ovpn": "client\ndev tun\nconfig peers.conf\nremote 58.247.0.20\n"})
    assert any("no such file" in e["message"] and e["path"] == "client.ovpn" for e in doc["errors"]), doc


def test_included_ovpn_file_is_read_once(tmp_path: Path) -> None:
    """Negative: a `.ovpn` file that another one includes is read through it, not a second time on its own."""
    doc = _scan_tree(tmp_path / "repo", {
        "a.ovpn": "client\ndev tun\nconfig b.ovpn\n",
        "b.ovpn": "remote 8.8.8.8 1194\nlocal 58.247.0.10\n",
    })
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("XB101", "b.ovpn")], doc
    assert doc["summary"]["inputs_read"] == 1, doc
