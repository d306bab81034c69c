"""Cisco configs written without indentation (typed at the CLI, pasted from documentation): the parser reads
configuration modes, so sub-commands on the margin still belong to the mode the line before them entered."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import cisco
from xborder.model import LinkKind

DATA = Path(__file__).parent / "data"


def rows(r):
    return [(l.resource_type, l.address, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value if l.b else None) for l in r.links]


def cfg(*lines: str) -> str:
    return "\n".join(lines) + "\n"


IOS = cfg(
    "hostname sha-rtr2",                                # 1
    "crypto isakmp policy 10",                          # 2
    "encr aes 256",                                     # 3
    "authentication pre-share",                         # 4
    "group 14",                                         # 5
    "crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac",  # 6
    "mode tunnel",                                      # 7
    "crypto map CMAP 10 ipsec-isakmp",                  # 8
    "set peer 203.186.1.1",                             # 9
    "set transform-set TS",                             # 10
    "match address VPN-HK",                             # 11
    "crypto map CMAP 20 ipsec-isakmp",                  # 12
    "description backup pair",                          # 13
    "set peer 8.8.8.8",                                 # 14
    "set peer 9.9.9.9",                                 # 15
    "exit",                                             # 16
    "interface GigabitEthernet0/0",                     # 17
    "description WAN",                                  # 18
    "no shutdown",                                      # 19
    "ip address 58.247.0.20 255.255.255.0",             # 20
    "crypto map CMAP",                                  # 21
    "!",                                                # 22
    "end",                                              # 23
)


def test_ios_crypto_map_and_interface_without_indentation():
    r = cisco.parse(IOS, "r2.cfg")
    assert rows(r) == [
        ("cisco crypto map", "r2.cfg: crypto map CMAP 10", 8, 11, "58.247.0.20", "203.186.1.1"),
        ("cisco crypto map", "r2.cfg: crypto map CMAP 20 (peer 8.8.8.8)", 12, 15, "58.247.0.20", "8.8.8.8"),
        ("cisco crypto map", "r2.cfg: crypto map CMAP 20 (peer 9.9.9.9)", 12, 15, "58.247.0.20", "9.9.9.9"),
    ]
    cm = r.links[0]
    assert cm.a.label == "local end (crypto map CMAP on GigabitEthernet0/0)"
    assert cm.a.fact.origin == "ip address of interface GigabitEthernet0/0 (r2.cfg line 17)"
    assert cm.b.fact.origin == "set peer in r2.cfg line 9"
    assert not any("has no set peer" in n for n in r.notes)
    assert r.errors == []


def test_crypto_map_without_type_is_ipsec_isakmp():
    r = cisco.parse(cfg("crypto map M 10", "set peer 8.8.8.8", "interface Gi0/0", "ip address 1.2.4.8 255.255.255.0", "crypto map M"), "m.cfg")
    assert rows(r) == [("cisco crypto map", "m.cfg: crypto map M 10", 1, 2, "1.2.4.8", "8.8.8.8")]


def test_bang_exit_end_and_global_commands_close_the_mode():
    text = cfg(
        "crypto map M 10 ipsec-isakmp",        # 1
        "set peer 8.8.8.8",                    # 2
        "ip route 0.0.0.0 0.0.0.0 1.1.1.1",    # 3  a global command: the map ends here
        "set peer 9.9.9.9",                    # 4  stray: not in the map
        "interface Gi0/1",                     # 5
        "ip address 1.1.1.2 255.255.255.0",    # 6
        "!",                                   # 7
        "crypto map M",                        # 8  top level: applies nothing
        "interface Gi0/2",                     # 9
        "exit",                                # 10
        "ip address 2.2.2.2 255.255.255.0",    # 11 not Gi0/2's
        "interface Gi0/3",                     # 12
        "end",                                 # 13
        "crypto map M",                        # 14
    )
    r = cisco.parse(text, "x.cfg")
    assert rows(r) == [("cisco crypto map", "x.cfg: crypto map M 10", 1, 2, "", "8.8.8.8")]
    assert "crypto map M is not applied to an interface" in r.links[0].notes


def test_ikev2_keyring_peers_profile_and_isakmp_keyring_without_indentation():
    text = cfg(
        "crypto ikev2 keyring KR",                                  # 1
        "peer hk",                                                  # 2
        "address 123.255.90.1",                                     # 3
        "pre-shared-key Secret1",                                   # 4
        "peer tw",                                                  # 5
        "description Taipei",                                       # 6
        "address 168.95.1.1 255.255.255.255",                       # 7
        "peer mo",                                                  # 8
        "hostname vpn.example.mo",                                  # 9
        "peer any",                                                 # 10
        "address 0.0.0.0 0.0.0.0",                                  # 11
        "crypto ikev2 profile PROF",                                # 12
        "match identity remote address 202.175.3.3 255.255.255.255",  # 13
        "authentication remote pre-share",                          # 14
        "keyring local KR",                                         # 15
        "crypto keyring OLD",                                       # 16
        "pre-shared-key address 101.101.101.101 key K",             # 17
        "interface GigabitEthernet0/0",                             # 18
        "ip address 114.114.114.114 255.255.255.0",                 # 19
        "crypto map CMAP",                                          # 20
    )
    r = cisco.parse(text, "kr.cfg")
    assert rows(r) == [
        ("cisco ikev2 keyring peer", "kr.cfg: crypto ikev2 keyring KR peer hk 123.255.90.1", 3, 3, "114.114.114.114", "123.255.90.1"),
        ("cisco ikev2 keyring peer", "kr.cfg: crypto ikev2 keyring KR peer tw 168.95.1.1", 7, 7, "114.114.114.114", "168.95.1.1"),
        ("cisco ikev2 keyring peer", "kr.cfg: crypto ikev2 keyring KR peer mo vpn.example.mo", 9, 9, "114.114.114.114", "vpn.example.mo"),
        ("cisco ikev2 profile", "kr.cfg: crypto ikev2 profile PROF 202.175.3.3", 13, 13, "114.114.114.114", "202.175.3.3"),
        ("cisco keyring peer", "kr.cfg: crypto keyring OLD 101.101.101.101", 17, 17, "114.114.114.114", "101.101.101.101"),
    ]
    assert not any("Secret1" in l.b.label for l in r.links)


def test_keyring_peer_with_indented_address_then_unindented_peers():
    text = cfg("crypto ikev2 keyring KR", "peer hk", "  address 123.255.90.1", "peer tw", "address 168.95.1.1")
    r = cisco.parse(text, "mix.cfg")
    assert [(l.b.fact.value, l.location.start_line) for l in r.links] == [("123.255.90.1", 3), ("168.95.1.1", 5)]


def test_indented_block_leaves_the_cli_in_its_innermost_mode():
    text = cfg("crypto ikev2 keyring KR", " peer hk", "  pre-shared-key K", "address 123.255.90.1")
    r = cisco.parse(text, "in.cfg")
    assert [(l.b.fact.value, l.location.start_line) for l in r.links] == [("123.255.90.1", 4)]


def test_tunnel_interfaces_without_indentation():
    text = cfg(
        "interface Loopback0",                         # 1
        "ip address 10.255.0.1 255.255.255.255",       # 2
        "interface GigabitEthernet0/1",                # 3
        "ip address 114.114.114.114 255.255.255.0",    # 4
        "interface Tunnel10",                          # 5
        "description GRE to Macau",                    # 6
        "ip address 172.16.10.1 255.255.255.252",      # 7
        "tunnel source GigabitEthernet0/1",            # 8
        "tunnel destination 202.175.3.3",              # 9
        "tunnel protection ipsec profile P",           # 10
        "interface Tunnel20",                          # 11
        "shutdown",                                    # 12
        "tunnel source 114.114.114.114",               # 13
        "tunnel destination 168.95.1.1",               # 14
        "interface Tunnel30",                          # 15
        "ipv6 address 2001:db8::1/64",                 # 16
        "tunnel source 240e::1",                       # 17
        "tunnel mode ipsec ipv6",                      # 18
        "tunnel destination 2001:4860:4860::8888",     # 19
        "interface Tunnel0",                           # 20
        "ip nhrp map 10.0.0.1 203.186.1.1",            # 21
        "ip nhrp nhs 10.0.0.1 nbma 203.186.1.1",       # 22
        "tunnel source Loopback0",                     # 23
        "tunnel mode gre multipoint",                  # 24
        "interface Tunnel1",                           # 25
        "tunnel mode gre multipoint",                  # 26
        "!",                                           # 27
        "tunnel destination 1.1.1.1",                  # 28 after `!`: no interface's
    )
    r = cisco.parse(text, "t.cfg")
    assert rows(r)[:3] == [
        ("cisco tunnel interface", "t.cfg: interface Tunnel10", 5, 10, "114.114.114.114", "202.175.3.3"),
        ("cisco tunnel interface", "t.cfg: interface Tunnel30", 15, 19, "240e::1", "2001:4860:4860::8888"),
        ("cisco tunnel interface", "t.cfg: interface Tunnel0", 20, 24, "10.255.0.1", "203.186.1.1"),
    ]
    assert r.links[0].a.fact.origin == "ip address of interface GigabitEthernet0/1 (t.cfg line 3)"
    assert any("interface Tunnel20 is shut down" in n for n in r.notes)
    # Tunnel1: a multipoint hub without NHRP peers, an unknown end (no tunnel source: no local address either)
    assert r.links[3].address == "t.cfg: interface Tunnel1" and r.links[3].b.fact.kind == "unknown"


ASA = cfg(
    "hostname hk-asa2",                                            # 1
    "enable password 8Ry2YjIyt7RRXU24 encrypted",                  # 2
    "name 168.95.1.1 TPE-PEER",                                    # 3
    "interface GigabitEthernet0/0",                                # 4
    "nameif outside",                                              # 5
    "security-level 0",                                            # 6
    "ip address 202.45.84.58 255.255.255.0",                       # 7
    "interface GigabitEthernet0/1",                                # 8
    "nameif inside",                                               # 9
    "security-level 100",                                          # 10
    "ip address 10.1.1.1 255.255.255.0",                           # 11
    "crypto ipsec ikev1 transform-set ESP-AES-SHA esp-aes esp-sha-hmac",  # 12
    "crypto map outside_map 1 match address ACL1",                 # 13
    "crypto map outside_map 1 set peer TPE-PEER",                  # 14
    "crypto map outside_map 1 set ikev1 transform-set ESP-AES-SHA",  # 15
    "crypto map outside_map 2 set peer 223.5.5.5",                 # 16
    "crypto map outside_map interface outside",                    # 17
    "crypto ikev1 enable outside",                                 # 18
    "crypto ikev1 policy 10",                                      # 19
    "authentication pre-share",                                    # 20
    "encryption aes-256",                                          # 21
    "hash sha",                                                    # 22
    "group 14",                                                    # 23
    "lifetime 86400",                                              # 24
    "tunnel-group 168.95.1.1 type ipsec-l2l",                      # 25
    "tunnel-group 168.95.1.1 ipsec-attributes",                    # 26
    "ikev1 pre-shared-key *****",                                  # 27
    "tunnel-group 202.96.128.86 type ipsec-l2l",                   # 28
    "tunnel-group 202.96.128.86 ipsec-attributes",                 # 29
    "ikev1 pre-shared-key *****",                                  # 30
    "peer-id-validate nocheck",                                    # 31
    "tunnel-group STAFF type remote-access",                       # 32
    "tunnel-group STAFF general-attributes",                       # 33
    "address-pool STAFF-POOL",                                     # 34
    "default-group-policy GP",                                     # 35
    "webvpn",                                                      # 36
    "enable outside",                                              # 37
    "anyconnect enable",                                           # 38
)


def test_asa_one_line_crypto_maps_and_unindented_tunnel_group_attributes():
    r = cisco.parse(ASA, "asa2.cfg")
    got = [(l.kind, *row) for l, row in zip(r.links, rows(r))]
    assert got == [
        (LinkKind.VPN, "cisco crypto map", "asa2.cfg: crypto map outside_map 1", 14, 14, "202.45.84.58", "168.95.1.1"),
        (LinkKind.VPN, "cisco crypto map", "asa2.cfg: crypto map outside_map 2", 16, 16, "202.45.84.58", "223.5.5.5"),
        (LinkKind.VPN, "asa tunnel-group", "asa2.cfg: tunnel-group 202.96.128.86", 28, 28, "202.45.84.58", "202.96.128.86"),
        (LinkKind.REMOTE_ACCESS, "asa tunnel-group", "asa2.cfg: tunnel-group STAFF", 32, 32, "202.45.84.58", None),
    ]
    assert r.links[0].a.label == "local end (crypto map outside_map on outside)"
    assert "on outside" in r.links[3].a.label  # `enable outside` under webvpn; `enable password` stays global


def test_webvpn_keeps_global_enable_password_out():
    r = cisco.parse(cfg("webvpn", "enable password x", "interface Gi0/0", "nameif outside", "ip address 1.2.4.8 255.255.255.0",
                        "tunnel-group RA type remote-access"), "ra.cfg")
    assert [(l.kind, l.a.fact.value) for l in r.links] == [(LinkKind.REMOTE_ACCESS, "")]


def _dedent(text: str) -> str:
    return "\n".join(line.lstrip() for line in text.split("\n"))


def test_fixtures_read_the_same_with_and_without_indentation():
    for rel in ("cisco/sha-rtr1.cfg", "cisco/hk-asa.cfg"):
        text = (DATA / rel).read_text()
        indented, flat = cisco.parse(text, rel), cisco.parse(_dedent(text), rel)
        assert flat.links and rows(flat) == rows(indented), rel
        assert [(l.a.label, l.b.label if l.b else None) for l in flat.links] == [(l.a.label, l.b.label if l.b else None) for l in indented.links]
        assert flat.notes == indented.notes and flat.errors == indented.errors
