"""The site inventory decides before registry data; device ends resolve by path, then by address."""

from __future__ import annotations

from pathlib import Path

from xborder.config import Config, Site, load_config
from xborder.context import Options, ScanContext
from xborder.inputs.netconf import strongswan
from xborder.model import Fact, Side
from xborder.plugins import make_plugin_manager
from xborder.policy import load_policies

DATA = Path(__file__).parent / "data"


def context(config: Config, root: Path = DATA) -> ScanContext:
    return ScanContext(root=root.resolve(), options=Options(), policies=load_policies(), config=config, pm=make_plugin_manager(load_entry_points=False))


def resolve(ctx: ScanContext, fact: Fact):
    return ctx.pm.hook.xborder_resolve(fact=fact, ctx=ctx)


CFG = Config(
    sites=[
        Site("shanghai-dc", "CN", paths=["network/sha-*/**"], cidrs=["58.247.0.0/24"], hosts=["vpn.sha.example.com"]),
        # a mainland-registered block that serves Hong Kong (registry says CN)
        Site("hk-tencent", "HK", cidrs=["119.28.0.0/16"]),
        Site("taipei", "TW", paths=["network/tpe/*.conf"], hosts=["VPN.tpe.example.com"]),
    ]
)


def test_address_in_site_cidr_beats_registry():
    ctx = context(CFG)
    j = resolve(ctx, Fact("address", "119.28.3.4"))
    assert (j.side, j.source, j.evidence) == (Side.OFFSHORE, "site-inventory", "site inventory: hk-tencent (HK, .xborder.yaml)")
    j = resolve(ctx, Fact("address", "58.247.0.10"))
    assert (j.side, j.evidence) == (Side.MAINLAND, "site inventory: shanghai-dc (CN, .xborder.yaml)")


def test_hosts_case_insensitive_exact():
    ctx = context(CFG)
    assert resolve(ctx, Fact("address", "vpn.tpe.example.com")).evidence == "site inventory: taipei (TW, .xborder.yaml)"
    assert resolve(ctx, Fact("address", "Vpn.Sha.Example.Com")).side is Side.MAINLAND
    # not listed: host names are never resolved
    j = resolve(ctx, Fact("address", "x.vpn.sha.example.com"))
    assert j.side is Side.UNKNOWN and "host names are not resolved" in j.evidence


def test_addresses_outside_sites_fall_through_to_registry():
    ctx = context(CFG)
    j = resolve(ctx, Fact("address", "168.95.1.1"))
    assert j.side is Side.OFFSHORE and j.source == "ip-registry"
    j = resolve(ctx, Fact("address", "114.114.114.114"))
    assert j.side is Side.MAINLAND and j.source == "ip-registry"


def test_device_by_path_then_local_address_then_registry_then_unknown():
    ctx = context(CFG)
    # path wins even over a local address elsewhere
    j = resolve(ctx, Fact("device", "168.95.1.1", namespace="network/sha-2/ipsec.conf"))
    assert (j.side, j.evidence) == (Side.MAINLAND, "site inventory: shanghai-dc (CN, .xborder.yaml)")
    j = resolve(ctx, Fact("device", "119.28.0.1", namespace="elsewhere/r1.cfg"))
    assert (j.side, j.source) == (Side.OFFSHORE, "site-inventory")
    j = resolve(ctx, Fact("device", "114.114.114.114", namespace="elsewhere/r1.cfg", origin="left= in r1 line 3"))
    assert (j.side, j.source) == (Side.MAINLAND, "ip-registry")
    j = resolve(ctx, Fact("device", "", namespace="elsewhere/wg0.conf"))
    assert j == resolve(ctx, Fact("device", "", namespace="x"))
    assert j.side is Side.UNKNOWN and j.source == "unresolved"
    assert j.evidence == "the device's location is not known: add this file to a site's paths in .xborder.yaml"
    # a private local address says both what is missing and why
    j = resolve(ctx, Fact("device", "10.0.0.1", namespace="elsewhere/r1.cfg"))
    assert j.side is Side.UNKNOWN and "add this file to a site's paths" in j.evidence and "non-public" in j.evidence


def test_no_config_means_no_site_answers():
    ctx = context(Config())
    assert resolve(ctx, Fact("address", "119.28.3.4")).source == "ip-registry"
    assert resolve(ctx, Fact("device", "", namespace="a.conf")).side is Side.UNKNOWN
    assert resolve(ctx, Fact("region", "cn-north-1", namespace="aws")).source != "site-inventory"


def test_config_file_paths_relative_to_its_directory_and_traps():
    root = DATA / "config"
    cfg, errors = load_config(root / ".xborder.yaml", root)
    assert errors == []
    ctx = context(cfg, root)
    # both ends mainland: shanghai device (by path) and a mainland peer
    r = strongswan.load(root / "network/sha-1/ipsec.conf", "network/sha-1/ipsec.conf", root)
    (link,) = r.links
    a, b = resolve(ctx, link.a.fact), resolve(ctx, link.b.fact)
    assert (a.side, b.side) == (Side.MAINLAND, Side.MAINLAND)
    assert a.evidence == "site inventory: shanghai-dc (CN, .xborder.yaml)"
    # Hong Kong to Taipei: both offshore
    r = strongswan.load(root / "network/hk-1/ipsec.conf", "network/hk-1/ipsec.conf", root)
    (link,) = r.links
    a, b = resolve(ctx, link.a.fact), resolve(ctx, link.b.fact)
    assert (a.side, a.evidence, b.side) == (Side.OFFSHORE, "site inventory: hong-kong (HK, .xborder.yaml)", Side.OFFSHORE)
