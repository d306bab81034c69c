"""Format detection from name and content, and the collector."""

from __future__ import annotations

from pathlib import Path

import pytest

from xborder.config import Config
from xborder.context import Options, ScanContext
from xborder.inputs.netconf.detect import detect, sniff
from xborder.inputs.netconf.plugin import NOT_RECOGNISED, xborder_collect

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    "rel,fmt",
    [
        ("strongswan/ipsec.conf", "strongswan"),
        ("libreswan/ipsec.conf", "strongswan"),
        ("swanctl/swanctl.conf", "swanctl"),
        ("swanctl/conf.d/sha.conf", "swanctl"),
        ("wireguard/wg0.conf", "wireguard"),
        ("wireguard/broken.conf", "wireguard"),  # CRLF line ends
        ("openvpn/client.ovpn", "openvpn"),
        ("openvpn/server.conf", "openvpn"),
        ("openvpn/p2p.conf", "openvpn"),
        ("cisco/sha-rtr1.cfg", "cisco"),
        ("cisco/hk-asa.cfg", "cisco"),
        ("junos/srx-set.conf", "junos"),
        ("junos/srx-curly.conf", "junos"),
        ("netplan/60-tunnels.yaml", "netplan"),
        ("negative/nginx.conf", None),
        ("negative/app.conf", None),
        ("negative/compose.yaml", None),
        ("negative/notes.txt", None),
        ("negative/blob.bin", None),
        ("config/cfn/vpn.yaml", None),
        ("config/.xborder.yaml", None),
    ],
)
def test_fixture_formats(rel, fmt):
    assert sniff(DATA / rel, rel)[0] == fmt


def test_content_decides_not_the_extension():
    assert detect("anything.txt", "hostname r1\n!\ninterface Gi0/0\n ip address 1.2.3.4 255.255.255.0\n") == "cisco"
    assert detect("router", "set security ike gateway G address 1.2.3.4\n") == "junos"
    assert detect("x.conf", "[Interface]\nPrivateKey = abc\n") == "wireguard"
    assert detect("x.conf", "[Interface]\nName = eth0\n") is None  # an INI file that happens to use the word
    assert detect("main.tf", 'conn x\n') is None  # owned by another input
    assert detect("values.yml", "network:\n  version: 2\n") == "netplan"
    assert detect("values.yml", "network:\n  name: x\n") is None


def ctx_for(root: Path, explicit: set[str] | None = None) -> ScanContext:
    return ScanContext(root=root.resolve(), options=Options(explicit_files=explicit or set()), policies=None, config=Config(), pm=None)  # type: ignore[arg-type]


def all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_collect_claims_configs_skips_included_files_and_others():
    units = xborder_collect(all_files(DATA), ctx_for(DATA))
    names = {u.name: u.fmt for u in units}
    assert names["strongswan/ipsec.conf"] == "strongswan"
    assert "strongswan/ipsec.d/branch.conf" not in names  # read through the include
    assert "swanctl/conf.d/sha.conf" not in names
    assert not any(n.startswith("negative/") for n in names)
    assert "config/network/sha-1/ipsec.conf" in names


def test_explicit_unrecognised_file_is_a_note_not_an_error_others_silent():
    """pre-commit names every matched file: one that is not infrastructure must not fail the hook."""
    rels = ["negative/nginx.conf", "negative/notes.txt", "negative/compose.yaml", "negative/blob.bin"]
    ctx = ctx_for(DATA, explicit={"negative/nginx.conf", "negative/compose.yaml", "negative/blob.bin"})
    units = xborder_collect(rels, ctx)
    assert [u.name for u in units] == ["negative/nginx.conf", "negative/blob.bin"]
    assert all(u.reads_nothing for u in units)
    results = [u.load(ctx) for u in units]
    assert not results[0].errors and not results[1].errors
    assert results[0].notes == ["negative/nginx.conf: " + NOT_RECOGNISED + "; not read"]


def test_unit_loads_links(tmp_path):
    (tmp_path / "wg0.conf").write_text("[Interface]\nPrivateKey = k\n[Peer]\nPublicKey = p\nEndpoint = 8.8.8.8:51820\n")
    ctx = ctx_for(tmp_path)
    (unit,) = xborder_collect(["wg0.conf"], ctx)
    result = unit.load(ctx)
    assert [(l.address, l.b.fact.value) for l in result.links] == [("wg0.conf: [Peer] PublicKey p...", "8.8.8.8")]
