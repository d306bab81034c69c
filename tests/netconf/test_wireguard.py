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
    assert wireguard.parse_endpoint("1.2.3.4") is None


def test_endpoint_split_as_wg_splits_it():
    """wireguard-tools config.c parse_endpoint: without brackets, the host is everything before the *last*
    colon (an IPv6 address's last group is the port); with brackets, up to the first ]; wg drops blanks."""
    pe = wireguard.parse_endpoint
    assert pe("2400:da00::6666:51820") == ("2400:da00::6666", "51820")
    assert pe("::1:51820") == ("::1", "51820")
    assert pe("2001:db8:0:0:0:0:0:1:51820") == ("2001:db8:0:0:0:0:0:1", "51820")
    assert pe("fe80::1%eth0:51820") == ("fe80::1%eth0", "51820")
    assert pe("[1.2.3.4]:51820") == ("1.2.3.4", "51820")
    assert pe(" 1.2.3.4 : 51820 ") == ("1.2.3.4", "51820")
    assert pe("[2400:da00::6666] : 51820") == ("2400:da00::6666", "51820")
    # traps: what wg refuses stays an error (never a guessed host)
    for bad in ("2001:db8::1",            # no port: the split leaves host '2001:db8:', not an address
                "2001:db8::",             # empty port
                "2400:da00::6666:",       # empty port
                "[2400:da00::6666]",      # brackets without :port
                "[2400:da00::6666]:",     # empty port after brackets
                "[2400:da00::6666]51820", # no colon after ]
                "[2400:da00::6666:51820", # no ]
                ":51820",                 # no host
                "a:b:51820",              # a name cannot hold a colon
                "1.2.3.4:port",           # not a number
                ""):
        assert pe(bad) is None, bad
        assert wireguard.endpoint_problem(bad), bad
    assert "last colon" in wireguard.endpoint_problem("2001:db8::1")
    assert wireguard.endpoint_problem("1.2.3.4:1") == ""
    # netplan keeps blanks (its parser refuses them) but splits the same way
    assert pe("2400:da00::6666:51820", blanks=False) == ("2400:da00::6666", "51820")
    assert pe("1.2.3.4 : 51820", blanks=False) is None


def test_unbracketed_ipv6_endpoint_is_the_peer(tmp_path: Path):
    conf = ("[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\n\n[Peer]\n"
            "PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nAllowedIPs = 10.9.0.0/16\n"
            "Endpoint = 2001:4860:4860::8844:51820\n")
    r = wireguard.parse(conf, "wg0.conf")
    assert r.errors == []
    assert [(l.b.fact.value, l.b.fact.origin) for l in r.links] == [("2001:4860:4860::8844", "Endpoint in wg0.conf line 7")]
    r = wireguard.parse(conf.replace("8844:51820", "8844"), "wg0.conf")
    assert r.links == [] and [e.line for e in r.errors] == [7]
    assert "last colon" in r.errors[0].message and "[IPv6]:port" in r.errors[0].message


def test_unspecified_endpoint_is_an_unknown_end_and_keys_before_sections_are_errors():
    r = wireguard.parse("ListenPort = 1\n[Peer]\nEndpoint = 0.0.0.0:51820\n", "wg1.conf")
    assert [(l.b.fact.kind, "accepts connections from any peer" in l.b.fact.value) for l in r.links] == [("unknown", True)]
    assert [e.line for e in r.errors] == [1]


def test_comments():
    assert wireguard.comments("[Peer] # x\n# y\nA = b\n") == [(1, "# x"), (2, "# y")]
