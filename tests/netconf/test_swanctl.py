"""strongSwan swanctl.conf."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import swanctl

DATA = Path(__file__).parent / "data"


def test_connections_nested_sections_include_and_ipv6():
    r = swanctl.load(DATA / "swanctl/swanctl.conf", "swanctl/swanctl.conf", DATA)
    got = [(l.address, l.location.path, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value)
           for l in r.links if l.b is not None]
    assert got == [
        ("swanctl/swanctl.conf: connection hk-hub (peer 203.186.1.1)", "swanctl/swanctl.conf", 5, 23, "1.2.4.8", "203.186.1.1"),
        ("swanctl/swanctl.conf: connection hk-hub (peer 123.255.90.1)", "swanctl/swanctl.conf", 5, 23, "1.2.4.8", "123.255.90.1"),
        ("swanctl/swanctl.conf: connection cloud-v6", "swanctl/swanctl.conf", 33, 36, "240e::1", "2606:4700:4700::1111"),
        ("swanctl/conf.d/sha.conf: connection sha-dc", "swanctl/conf.d/sha.conf", 2, 4, "", "vpn.sha.example.com"),
    ]
    hub = r.links[0]
    assert hub.resource_type == "swanctl connection"
    assert hub.b.fact.origin == "remote_addrs in swanctl/swanctl.conf line 8"
    assert hub.a.fact.namespace == "swanctl/swanctl.conf"
    # a connection handing out virtual IPs from a pool to whoever connects is a remote-access service (XB103)
    (rw,) = [l for l in r.links if l.b is None]
    assert rw.kind.value == "remote-access" and rw.address == "swanctl/swanctl.conf: connection roadwarrior"
    assert r.errors == []


def test_unbalanced_braces_and_junk_are_errors():
    text = "connections {\n  a {\n    remote_addrs = 8.8.8.8\n    ??? what\n  }\n}\n}\nsecrets {\n"
    r = swanctl.parse(text, "s.conf")
    assert [l.b.fact.value for l in r.links] == ["8.8.8.8"]
    lines = sorted((e.line, e.message) for e in r.errors)
    assert lines[0][0] == 4 and "not understood" in lines[0][1]
    assert any(line == 7 and "without a matching" in m for line, m in lines)
    assert any(line == 8 and "'secrets' is not closed" in m for line, m in lines)


def test_responder_any_and_subnet_are_unknown_ends_not_dropped():
    r = swanctl.parse("connections {\n rw {\n  remote_addrs = %any, 10.0.0.0/8\n }\n}\n", "s.conf")
    assert [(l.address, l.b.fact.kind) for l in r.links] == [("s.conf: connection rw (peer %any)", "unknown"),
                                                             ("s.conf: connection rw (peer 10.0.0.0/8)", "unknown")]
    assert "accepts connections from any peer" in r.links[0].b.fact.value


def test_comments():
    assert swanctl.comments('a {\n  secret = "x#y" # real\n}\n# top\n') == [(2, "# real"), (4, "# top")]
