"""Cisco IOS / IOS-XE and ASA configs."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import cisco
from xborder.model import LinkKind

DATA = Path(__file__).parent / "data"
DYNAMIC = ("dynamic accepts connections from any peer; the far end of this site-to-site tunnel is whoever connects, so "
           "it is not in the configuration: name the peer (its address or host name) instead, and list it in a site's "
           "cidrs or hosts in .xborder.yaml")


def load(rel):
    return cisco.load(DATA / rel, rel, DATA)


def test_ios_crypto_maps_tunnels_keys_and_keyrings():
    r = load("cisco/sha-rtr1.cfg")
    got = [(l.resource_type, l.address, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value) for l in r.links]
    assert got == [
        ("cisco crypto map", "cisco/sha-rtr1.cfg: crypto map CMAP 10 (peer 9.9.9.9)", 30, 35, "114.114.114.114", "9.9.9.9"),
        ("cisco crypto map", "cisco/sha-rtr1.cfg: crypto map CMAP 10 (peer 8.8.8.8)", 30, 35, "114.114.114.114", "8.8.8.8"),
        ("cisco crypto map", "cisco/sha-rtr1.cfg: crypto map CMAP 20", 36, 39, "114.114.114.114", "180.76.76.76"),
        # the dynamic map serves site peers (a wildcard key, no client groups): an unknown end, XB102
        ("cisco crypto map", "cisco/sha-rtr1.cfg: crypto map CMAP 65535", 40, 40, "114.114.114.114", DYNAMIC),
        ("cisco tunnel interface", "cisco/sha-rtr1.cfg: interface Tunnel10", 61, 65, "114.114.114.114", "202.175.3.3"),
        ("cisco tunnel interface", "cisco/sha-rtr1.cfg: interface Tunnel20", 67, 72, "114.114.114.114", "2001:4860:4860::8888"),
        ("cisco isakmp key", "cisco/sha-rtr1.cfg: crypto isakmp key 203.186.1.1", 21, 21, "114.114.114.114", "203.186.1.1"),
        ("cisco keyring peer", "cisco/sha-rtr1.cfg: crypto keyring TPE 101.101.101.101", 25, 25, "114.114.114.114", "101.101.101.101"),
        ("cisco ikev2 keyring peer", "cisco/sha-rtr1.cfg: crypto ikev2 keyring KR-V2 peer hk 123.255.90.1", 44, 44, "114.114.114.114", "123.255.90.1"),
    ]
    cm = r.links[0]
    assert cm.kind is LinkKind.VPN and cm.a.fact.namespace == "cisco/sha-rtr1.cfg"
    assert cm.b.label == "peer (set peer hq-peer)"  # `ip host hq-peer 9.9.9.9`
    assert cm.b.fact.origin == "set peer in cisco/sha-rtr1.cfg line 32"
    assert cm.a.label == "local end (crypto map CMAP on GigabitEthernet0/0)"
    # the banner's fake crypto map, the shut tunnel and wildcard keys give no link
    assert not {"1.1.1.1", "168.95.1.1"} & {l.b.fact.value for l in r.links}
    dyn = r.links[3]
    assert dyn.b.fact.kind == "unknown" and dyn.b.label == "peer (dynamic crypto map: whoever connects)"
    notes = "\n".join(r.notes)
    assert "interface Tunnel30 is shut down" in notes
    # pre-shared keys never reach labels or notes
    assert not any("S3cretKey" in l.b.label or "TpeKey" in l.b.label or "OtherKey" in l.b.label for l in r.links)
    assert r.errors == []


def test_asa_crypto_maps_names_tunnel_groups_and_remote_access():
    r = load("cisco/hk-asa.cfg")
    got = [(l.kind, l.resource_type, l.address, l.location.start_line, l.a.fact.value, l.b.fact.value if l.b else None) for l in r.links]
    assert got == [
        (LinkKind.VPN, "cisco crypto map", "cisco/hk-asa.cfg: crypto map outside_map 1", 21, "202.45.84.58", "168.95.1.1"),
        (LinkKind.VPN, "cisco crypto map", "cisco/hk-asa.cfg: crypto map outside_map 2 (peer 223.5.5.5)", 23, "202.45.84.58", "223.5.5.5"),
        (LinkKind.VPN, "cisco crypto map", "cisco/hk-asa.cfg: crypto map outside_map 2 (peer 119.29.29.29)", 23, "202.45.84.58", "119.29.29.29"),
        (LinkKind.VPN, "asa tunnel-group", "cisco/hk-asa.cfg: tunnel-group 202.96.128.86", 32, "202.45.84.58", "202.96.128.86"),
        (LinkKind.REMOTE_ACCESS, "asa tunnel-group", "cisco/hk-asa.cfg: tunnel-group STAFF", 35, "202.45.84.58", None),
    ]


def test_crypto_map_not_applied_and_tunnel_source_unknown_interface():
    text = "crypto map M 10 ipsec-isakmp\n set peer 8.8.8.8\n!\ninterface Tunnel1\n tunnel source Loopback9\n tunnel destination vpn.example.com\n"
    r = cisco.parse(text, "r.cfg")
    assert [(l.a.fact.value, l.b.fact.value) for l in r.links] == [("", "8.8.8.8"), ("", "vpn.example.com")]
    assert "crypto map M is not applied to an interface" in r.links[0].notes
    assert "interface Loopback9 is not in this file" in r.links[1].notes


def test_dmvpn_spoke_nhrp_hub_and_multipoint_hub():
    text = (
        "interface Tunnel0\n ip nhrp map 10.0.0.1 203.186.1.1\n ip nhrp map multicast 203.186.1.1\n"
        " ip nhrp nhs 10.0.0.1 nbma 203.186.1.1\n tunnel source 1.2.4.8\n tunnel mode gre multipoint\n"
        "interface Tunnel1\n tunnel mode gre multipoint\n"
    )
    r = cisco.parse(text, "spoke.cfg")
    assert [(l.a.fact.value, l.b.fact.value) for l in r.links][0] == ("1.2.4.8", "203.186.1.1")
    # the multipoint hub without NHRP peers: its spokes are whoever registers, an unknown end (XB102)
    hub = r.links[1]
    assert len(r.links) == 2 and hub.address == "spoke.cfg: interface Tunnel1" and hub.b.fact.kind == "unknown"
    assert hub.b.label == "peer (multipoint tunnel: spokes that register)"


def test_dynamic_crypto_map_with_client_groups_is_a_remote_access_service():
    text = (
        "crypto isakmp client configuration group STAFF\n key k\n pool VPNPOOL\n"
        "ip local pool VPNPOOL 10.9.0.1 10.9.0.254\n"
        "crypto dynamic-map DYN 10\n set transform-set TS\n"
        "crypto map CMAP 65535 ipsec-isakmp dynamic DYN\n"
        "interface GigabitEthernet0/0\n ip address 114.114.114.114 255.255.255.0\n crypto map CMAP\n"
    )
    r = cisco.parse(text, "ezvpn.cfg")
    (link,) = r.links
    assert link.kind is LinkKind.REMOTE_ACCESS and link.a.fact.value == "114.114.114.114"
    assert link.address == "ezvpn.cfg: crypto map CMAP 65535 (dynamic, client configuration)"


def test_tunnel_destination_dynamic_is_an_unknown_end():
    text = "interface Tunnel5\n tunnel source 114.114.114.114\n tunnel destination dynamic\n tunnel mode ipsec ipv4\n"
    (link,) = cisco.parse(text, "flex.cfg").links
    assert link.a.fact.value == "114.114.114.114" and link.b.fact.kind == "unknown"
    assert link.b.label == "peer (tunnel destination dynamic: whoever connects)"


def test_comments():
    assert cisco.comments("!\nhostname x\n ! sub\n") == [(1, "!"), (3, "! sub")]
