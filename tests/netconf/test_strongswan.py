"""strongSwan / Libreswan ipsec.conf."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import strongswan
from xborder.model import LinkKind

DATA = Path(__file__).parent / "data"


def load(rel: str):
    return strongswan.load(DATA / rel, rel, DATA)


def test_conns_default_also_include_and_ipv6():
    r = load("strongswan/ipsec.conf")
    got = [(l.address, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value)
           for l in r.links if l.kind is LinkKind.VPN]
    assert got == [
        ("strongswan/ipsec.conf: conn hq-sha", 16, 21, "114.114.114.114", "9.9.9.9"),
        ("strongswan/ipsec.conf: conn hk-office", 27, 30, "114.114.114.114", "hk-vpn.example.com"),
        ("strongswan/ipsec.conf: conn dual-v6 (peer 2001:4860:4860::8888)", 41, 44, "2400:da00::6666", "2001:4860:4860::8888"),
        ("strongswan/ipsec.conf: conn dual-v6 (peer 8.8.8.8)", 41, 44, "2400:da00::6666", "8.8.8.8"),
        # from `include ipsec.d/*.conf`: the conn keeps its own file and lines; left=%defaultroute is not an address
        ("strongswan/ipsec.d/branch.conf: conn sha-bj", 2, 5, "", "180.76.76.76"),
    ]
    # right=%any with a client pool (rightsourceip) is a remote-access service (XB103), not a site-to-site VPN
    (rw,) = [l for l in r.links if l.kind is LinkKind.REMOTE_ACCESS]
    assert rw.address == "strongswan/ipsec.conf: conn roadwarriors" and "rightsourceip=10.99.0.0/24" in rw.a.label
    hq = next(l for l in r.links if l.kind is LinkKind.VPN)
    assert hq.kind is LinkKind.VPN and hq.resource_type == "strongswan conn" and hq.source == "netconf"
    assert hq.a.fact.kind == "device" and hq.a.fact.namespace == "strongswan/ipsec.conf"
    assert hq.a.label == "local end (left=114.114.114.114)"
    assert hq.b.fact.kind == "address" and hq.b.label == "peer (right=9.9.9.9)"
    assert hq.b.fact.origin == "right= in strongswan/ipsec.conf line 19"
    assert hq.location.path == "strongswan/ipsec.conf" and hq.location.start_col == 1
    # the included conn's device is still the including file
    assert r.links[-1].a.fact.namespace == "strongswan/ipsec.conf"
    assert r.errors == []


def test_disabled_templates_are_noted_and_absolute_includes_are_parts_not_read():
    r = load("strongswan/ipsec.conf")
    notes = "\n".join(r.notes)
    assert "conn old-tokyo has auto=ignore" in notes
    assert "conn common-psk is a template" in notes
    # what the device includes from its own disk is not read: an XB002 part at the include, not a note
    assert "include" not in notes
    (part,) = [l for l in r.links if l.kind is LinkKind.NOT_READ]
    assert (part.resource_type, part.address, part.location.start_line) == (
        "part", "strongswan/ipsec.conf: include /etc/ipsec.d/*.conf", 47)
    assert "is an absolute path on the device" in part.a.fact.value
    assert not any(l.b is not None and "1.1.1.1" == l.b.fact.value for l in r.links)


def test_libreswan_hong_kong_to_taipei_and_passthrough():
    r = load("libreswan/ipsec.conf")
    assert [(l.address, l.b.fact.value, l.a.fact.value) for l in r.links] == [("libreswan/ipsec.conf: conn taipei", "168.95.1.1", "")]
    assert any("type=passthrough" in n for n in r.notes)


def test_also_errors_and_bad_lines_are_scan_errors_with_lines():
    text = "conn a\n\talso=missing\n\tright=8.8.8.8\nconn b\n\talso=c\nconn c\n\talso=b\n\tauto=start\n  right 1.2.3.4\nleft=1.1.1.1\n"
    r = strongswan.parse(text, "x/ipsec.conf")
    msgs = {(e.line, e.message.split(":")[0]) for e in r.errors}
    assert (2, "also=missing in conn a") in msgs
    assert any(e.line in (5, 7) and "loop" in e.message for e in r.errors)
    assert any(e.line == 9 and "expected 'name=value'" in e.message for e in r.errors)
    assert any(e.line == 10 and "line not understood" in e.message for e in r.errors)
    assert all(e.path == "x/ipsec.conf" for e in r.errors)
    # conn a still yields its link; conn c (no right=, so right=%any) is an unknown end, never dropped; so is
    # conn b, which takes c's auto=start in with also=c (a conn strongSwan would load, not a template)
    assert [(l.address, l.b.fact.kind) for l in r.links] == [
        ("x/ipsec.conf: conn a", "address"), ("x/ipsec.conf: conn b", "unknown"), ("x/ipsec.conf: conn c", "unknown")]
    assert r.links[0].b.fact.value == "8.8.8.8"


def test_right_defaultroute_swaps_ends_and_ranges_are_unknown_ends():
    text = "conn s\n  left=203.0.113.9\n  right=%defaultroute\n  auto=start\nconn r\n  right=10.0.0.0/8\n"
    r = strongswan.parse(text, "ipsec.conf")
    assert [(l.a.fact.value, l.b.fact.value, l.b.label) for l in r.links][0] == ("", "203.0.113.9", "peer (left=203.0.113.9)")
    ranged = r.links[1]
    assert ranged.b.fact.kind == "unknown" and "10.0.0.0/8 accepts peers from a range" in ranged.b.fact.value
    assert "site's cidrs or hosts in .xborder.yaml" in ranged.b.fact.value


def test_include_outside_root_is_not_followed(tmp_path):
    root = tmp_path / "repo"
    (root / "gw").mkdir(parents=True)
    (tmp_path / "outside.conf").write_text("conn evil\n right=8.8.8.8\n")
    (root / "gw" / "ipsec.conf").write_text("include ../../outside.conf\ninclude missing.conf\n")
    r = strongswan.load(root / "gw" / "ipsec.conf", "gw/ipsec.conf", root)
    # not followed, and visible: an XB002 part at the include (before: a note only)
    assert [(l.resource_type, l.location.start_line) for l in r.links] == [("part", 1)]
    assert "leads outside the scanned root" in r.links[0].a.fact.value and r.notes == []
    assert any(e.line == 2 and "no such file" in e.message for e in r.errors)


def test_comments():
    text = 'conn a # trailing\n# whole line\n\tleftid="a#b"  # after quote\n'
    assert strongswan.comments(text) == [(1, "# trailing"), (2, "# whole line"), (3, "# after quote")]
