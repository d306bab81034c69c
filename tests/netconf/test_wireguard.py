"""WireGuard wg-quick configs."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import wireguard

DATA = Path(__file__).parent / "data"


def test_peers_with_endpoints_ipv6_and_hostname():
    r = wireguard.load(DATA / "wireguard/wg0.conf", "wireguard/wg0.conf", DATA)
    got = [(l.address, l.location.start_line, l.location.end_line, l.b.fact.value, l.b.fact.origin) for l in r.links if l.b]
    assert got == [
        ("wireguard/wg0.conf: [Peer] hk-office", 8, 11, "202.45.84.58", "Endpoint in wireguard/wg0.conf line 10"),
        ("wireguard/wg0.conf: [Peer] taipei-v6", 13, 18, "2001:4860:4860::8844", "Endpoint in wireguard/wg0.conf line 16"),
        ("wireguard/wg0.conf: [Peer] PublicKey HIgo9xNz...", 25, 28, "vpn.example.com", "Endpoint in wireguard/wg0.conf line 27"),
    ]
    first = r.links[0]
    assert first.resource_type == "wireguard peer"
    assert first.a.fact.kind == "device" and first.a.fact.value == "" and first.a.label == "local end ([Interface] wg0)"
    assert first.b.label == "peer (Endpoint = 202.45.84.58:51820)"
    # the roaming laptop (no Endpoint, a host route only) is a client: the file is a remote-access service (XB103)
    (service,) = [l for l in r.links if l.b is None]
    assert service.kind.value == "remote-access" and "1 client peer without Endpoint" in service.a.label
    assert r.errors == []


def test_malformed_endpoint_crlf_is_an_error_with_line():
    r = wireguard.load(DATA / "wireguard/broken.conf", "wireguard/broken.conf", DATA)
    assert r.links == []
    assert [(e.line, e.path) for e in r.errors] == [(6, "wireguard/broken.conf")]
    assert "not host:port" in r.errors[0].message


def test_endpoint_parsing():
    assert wireguard.parse_endpoint("[2400:da00::6666]:51820") == ("2400:da00::6666", "51820")
    assert wireguard.parse_endpoint("1.2.3.4:1") == ("1.2.3.4", "1")
    assert wireguard.parse_endpoint("vpn.example.com:443") == ("vpn.example.com", "443")
    assert wireguard.parse_endpoint("2400:da00::6666:51820") is None
    assert wireguard.parse_endpoint("1.2.3.4") is None


def test_unspecified_endpoint_is_an_unknown_end_and_keys_before_sections_are_errors():
    r = wireguard.parse("ListenPort = 1\n[Peer]\nEndpoint = 0.0.0.0:51820\n", "wg1.conf")
    assert [(l.b.fact.kind, "accepts connections from any peer" in l.b.fact.value) for l in r.links] == [("unknown", True)]
    assert [e.line for e in r.errors] == [1]


def test_comments():
    assert wireguard.comments("[Peer] # x\n# y\nA = b\n") == [(1, "# x"), (2, "# y")]
