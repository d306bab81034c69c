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
