"""ipsec.conf left/right are symmetric: the site inventory says which end is this device's own."""

from __future__ import annotations

from pathlib import Path

from xborder.config import Config, Site
from xborder.context import Options, ScanContext
from xborder.inputs.netconf import strongswan
from xborder.inputs.netconf.plugin import NetconfUnit, local_address_test
from xborder.plugins import make_plugin_manager
from xborder.policy import load_policies
from xborder.scan import ScanRequest, run_scan

INVENTORY = (
    "sites:\n"
    "  - name: shanghai-dc\n"
    "    country: CN\n"
    '    paths: ["network/sha-*/**"]\n'
    '    cidrs: ["58.247.0.0/24"]\n'
    '    hosts: ["vpn.sha.example.com"]\n'
    "  - name: hong-kong\n"
    "    country: HK\n"
    '    cidrs: ["119.28.0.0/16"]\n'
)
CONFIG = Config(
    sites=[
        Site("shanghai-dc", "CN", paths=["network/sha-*/**"], cidrs=["58.247.0.0/24"], hosts=["vpn.sha.example.com"]),
        Site("hong-kong", "HK", cidrs=["119.28.0.0/16"]),
    ]
)
REVERSED = "conn sha-hk\n    left=119.28.5.5\n    right=58.247.0.10\n    auto=start\n"
NORMAL = "conn sha-hk\n    left=58.247.0.10\n    right=119.28.5.5\n    auto=start\n"
SWAP_NOTE = "right= 58.247.0.10 is an address of site shanghai-dc (this device's site), so right is the local end"
REL = "network/sha-1/ipsec.conf"


def tree(tmp_path: Path, ipsec: str, inventory: str | None = INVENTORY) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "network" / "sha-1").mkdir(parents=True)
    (root / REL).write_text(ipsec)
    if inventory is not None:
        (root / ".xborder.yaml").write_text(inventory)
    return root


def scan(root: Path):
    return run_scan(ScanRequest(paths=[root], root=root, config_path=root / ".xborder.yaml"))


def context(root: Path, config: Config) -> ScanContext:
    return ScanContext(root=root.resolve(), options=Options(), policies=load_policies(), config=config, pm=make_plugin_manager(load_entry_points=False))


def ends(result) -> list[tuple[str, str, str, str, list[str]]]:
    return [(l.a.fact.value, l.a.label, l.b.fact.value, l.b.label, l.notes) for l in result.links]


def test_reversed_conn_with_inventory_finds_the_crossing(tmp_path):
    root = tree(tmp_path, REVERSED)
    result = scan(root)
    got = [(f.rule_id, f.location.path, f.location.start_line, f.location.end_line) for f in result.findings]
    assert got == [("XB101", REL, 1, 4)]
    evidence = result.findings[0].evidence
    assert f"note: {SWAP_NOTE}" in evidence
    assert any("site inventory: hong-kong (HK, .xborder.yaml)" in e for e in evidence)
    assert any("site inventory: shanghai-dc (CN, .xborder.yaml)" in e for e in evidence)


def test_reversed_conn_is_read_the_right_way_round(tmp_path):
    root = tree(tmp_path, REVERSED)
    r = NetconfUnit(REL, "strongswan").load(context(root, CONFIG))
    assert ends(r) == [("58.247.0.10", "local end (right=58.247.0.10)", "119.28.5.5", "peer (left=119.28.5.5)", [SWAP_NOTE])]
    assert r.links[0].b.fact.origin == f"left= in {REL} line 2"


def test_normal_conn_is_unchanged(tmp_path):
    root = tree(tmp_path, NORMAL)
    r = NetconfUnit(REL, "strongswan").load(context(root, CONFIG))
    assert ends(r) == [("58.247.0.10", "local end (left=58.247.0.10)", "119.28.5.5", "peer (right=119.28.5.5)", [])]
    result = scan(root)
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in result.findings] == [("XB101", REL, 1)]
    assert not any("so right is the local end" in e for e in result.findings[0].evidence)


def test_no_inventory_keeps_left_as_the_local_end(tmp_path):
    root = tree(tmp_path, REVERSED, inventory=None)
    plain = ("119.28.5.5", "local end (left=119.28.5.5)", "58.247.0.10", "peer (right=58.247.0.10)", [])
    assert ends(strongswan.parse(REVERSED, REL)) == [plain]
    assert ends(NetconfUnit(REL, "strongswan").load(context(root, Config()))) == [plain]
    # an inventory in which no site holds this file says nothing about its addresses either
    elsewhere = Config(sites=[Site("shanghai-dc", "CN", paths=["network/other/**"], cidrs=["58.247.0.0/24"])])
    assert local_address_test(REL, context(root, elsewhere)) is None
    assert ends(NetconfUnit(REL, "strongswan").load(context(root, elsewhere))) == [plain]


def test_defaultroute_swap_is_kept_with_and_without_inventory(tmp_path):
    text = "conn a\n    left=119.28.5.5\n    right=%defaultroute\n    auto=start\n"
    root = tree(tmp_path, text)
    expected = [("", "local end (right=%defaultroute)", "119.28.5.5", "peer (left=119.28.5.5)", [])]
    assert ends(strongswan.parse(text, REL)) == expected
    assert ends(NetconfUnit(REL, "strongswan").load(context(root, CONFIG))) == expected


def test_no_swap_when_left_is_local_too_or_right_belongs_to_another_site(tmp_path):
    root = tree(tmp_path, "")
    is_local = local_address_test(REL, context(root, CONFIG))
    assert is_local is not None
    both = "conn a\n  left=58.247.0.1\n  right=58.247.0.2\nconn b\n  left=%defaultroute\n  right=58.247.0.2\n"
    assert [(l.a.fact.value, l.b.fact.value) for l in strongswan.parse(both, REL, is_local=is_local).links] == [
        ("58.247.0.1", "58.247.0.2"),
        ("", "58.247.0.2"),
    ]
    other = "conn a\n  left=58.247.0.1\n  right=119.28.5.5\nconn b\n  left=203.0.113.9\n  right=119.28.5.5\n"
    r = strongswan.parse(other, REL, is_local=is_local)
    assert [(l.a.fact.value, l.b.fact.value, l.notes) for l in r.links] == [("58.247.0.1", "119.28.5.5", []), ("203.0.113.9", "119.28.5.5", [])]


def test_host_names_lists_and_a_local_right_without_left(tmp_path):
    root = tree(tmp_path, "")
    is_local = local_address_test(REL, context(root, CONFIG))
    text = (
        "conn by-name\n  left=119.28.5.5\n  right=%vpn.sha.example.com\n"
        "conn listed\n  left=119.28.5.5\n  right=203.0.113.9,58.247.0.10\n"
        "conn lonely\n  right=58.247.0.10\n"
    )
    r = strongswan.parse(text, REL, is_local=is_local)
    assert [(l.address, l.a.fact.value, l.b.fact.value) for l in r.links if l.b.fact.kind != "unknown"] == [
        (f"{REL}: conn by-name", "vpn.sha.example.com", "119.28.5.5"),
        # the local address is the one of this device's site, not the first of the list
        (f"{REL}: conn listed", "58.247.0.10", "119.28.5.5"),
    ]
    assert r.links[0].notes == ["right= vpn.sha.example.com is a host name of site shanghai-dc (this device's site), so right is the local end"]
    # right is this device and there is no left= (so left=%any): an unknown far end, with the orientation note
    (lonely,) = [l for l in r.links if l.b.fact.kind == "unknown"]
    assert lonely.address == f"{REL}: conn lonely" and lonely.a.fact.value == "58.247.0.10"
    assert "conn lonely has no left=, which means left=%any" in lonely.notes
