"""netplan tunnels."""

from __future__ import annotations

from pathlib import Path

from xborder.inputs.netconf import netplan

DATA = Path(__file__).parent / "data"


def test_gre_and_wireguard_peers():
    rel = "netplan/60-tunnels.yaml"
    r = netplan.load(DATA / rel, rel, DATA)
    got = [(l.address, l.location.start_line, l.location.end_line, l.a.fact.value, l.b.fact.value) for l in r.links if l.b]
    assert got == [
        ("netplan/60-tunnels.yaml: tunnels.gre-hk", 9, 13, "114.114.114.114", "203.186.1.1"),
        ("netplan/60-tunnels.yaml: tunnels.wg-edge peer [2001:4860:4860::8888]:51820", 24, 27, "", "2001:4860:4860::8888"),
        ("netplan/60-tunnels.yaml: tunnels.wg-edge peer 223.5.5.5:51820", 31, 33, "", "223.5.5.5"),
    ]
    assert r.links[0].resource_type == "netplan tunnel"
    assert r.links[0].b.fact.origin == "remote in netplan/60-tunnels.yaml line 12"
    notes = "\n".join(r.notes)
    assert "vx-lab (vxlan) has no remote" in notes
    # peer 2 has no endpoint and a host route: a client, so wg-edge is also a remote-access service (as in wg0.conf)
    [service] = [l for l in r.links if l.b is None]
    assert (service.address, service.location.start_line, service.a.label) == (
        "netplan/60-tunnels.yaml: tunnels.wg-edge", 28, "WireGuard service (tunnel wg-edge, 1 client peer without endpoint)")


def test_yaml_error_has_line():
    r = netplan.parse("network:\n  tunnels:\n    t: [\n", "n.yaml")
    assert r.links == [] and r.errors[0].line >= 3 and "YAML syntax error" in r.errors[0].message


def test_comments():
    assert netplan.comments("# a\nk: 'x#y' # b\n") == [(1, "# a"), (2, "# b")]
