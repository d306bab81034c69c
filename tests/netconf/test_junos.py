"""Junos set and curly-brace forms."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import junos
from xborder.model import LinkKind

DATA = Path(__file__).parent / "data"


def load(rel):
    return junos.load(DATA / rel, rel, DATA)


def test_set_form_gateways_interfaces_and_vpns():
    r = load("junos/srx-set.conf")
    got = [(l.address, l.location.start_line, l.a.fact.value, l.b.fact.value) for l in r.links]
    assert got == [
        ("junos/srx-set.conf: ike gateway GW-HK (ipsec vpn VPN-HK)", 9, "202.96.128.86", "203.186.1.1"),
        ("junos/srx-set.conf: ike gateway GW-SG (peer 9.9.9.9) (ipsec vpn VPN-SG)", 12, "202.96.128.86", "9.9.9.9"),
        ("junos/srx-set.conf: ike gateway GW-SG (peer 8.8.8.8) (ipsec vpn VPN-SG)", 12, "202.96.128.86", "8.8.8.8"),
        # a dynamic gateway: its peer is named by its IKE id only (a site's `hosts` can place it)
        ("junos/srx-set.conf: ike gateway GW-DYN", 14, "202.96.128.86", "branch.example.com"),
        # IPv6 peer: the interface's inet6 address is the local end
        ("junos/srx-set.conf: ike gateway GW-V6", 18, "240e::86", "2400:da00::6666"),
    ]
    assert r.links[0].resource_type == "junos ike gateway"
    assert r.links[0].a.label == "local end (external-interface ge-0/0/0.0)"
    assert "ike gateway GW-V6 is not used by any security ipsec vpn" in r.links[-1].notes
    notes = "\n".join(r.notes)
    assert "GW-OLD is inactive" in notes
    assert r.links[3].b.label == "peer (dynamic hostname branch.example.com)"
    assert r.errors == []


def test_curly_form_blocks_inactive_comments_and_hostnames():
    r = load("junos/srx-curly.conf")
    got = [(l.address, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value, l.b.fact.origin) for l in r.links]
    assert got == [
        ("junos/srx-curly.conf: ike gateway GW-HK (ipsec vpn VPN-HK)", 19, 23, "168.95.1.1", "202.45.84.58", "address in junos/srx-curly.conf line 21"),
        ("junos/srx-curly.conf: ike gateway GW-SHA", 28, 31, "168.95.1.1", "vpn.sha.example.com", "address in junos/srx-curly.conf line 29"),
    ]
    assert any("GW-CN is inactive" in n for n in r.notes)


def test_curly_errors():
    r = junos.parse("security {\n  ike {\n    gateway G {\n      address 8.8.8.8\n    }\n  }\n", "x.conf")
    msgs = [(e.line, e.message) for e in r.errors]
    assert any(line == 4 and "missing its ';'" in m for line, m in msgs)
    assert any(line == 1 and "not closed" in m for line, m in msgs)


def test_comments():
    text = "/* a\n b */\nset x # y\nfoo; # z\n"
    assert junos.comments(text) == [(1, "/* a"), (2, " b */"), (3, "# y"), (4, "# z")]


def test_dynamic_gateways_site_peers_and_remote_access():
    text = (
        "set interfaces ge-0/0/0 unit 0 family inet address 202.96.128.86/24\n"
        "set security ike gateway RA dynamic user-at-hostname staff@example.com\n"
        "set security ike gateway RA external-interface ge-0/0/0.0\n"
        "set security ike gateway RA aaa access-profile remote-users\n"
        "set security ike gateway ANY dynamic distinguished-name wildcard O=example\n"
        "set security ike gateway ANY external-interface ge-0/0/0.0\n"
    )
    r = junos.parse(text, "x.conf")
    ra, site = r.links
    assert ra.kind is LinkKind.REMOTE_ACCESS and ra.a.fact.value == "202.96.128.86"
    assert site.kind is LinkKind.VPN and site.b.fact.kind == "unknown" and site.b.label == "peer (dynamic: whoever connects)"
