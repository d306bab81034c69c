"""Worlds at scale: comparing the links of other parameter values with the defaults' must stay linear.

`links/worlds.py` looked up each default-world link's twins (for a parameter without Default) by scanning every
world link: quadratic. A 740 KB CloudFormation template of 3,000 VPNs whose `Peer` parameter has no Default and 31
AllowedValues ran for more than ten minutes (killed); 400 VPNs took 11 s of CPU, of which 7 s in that scan.
"""

from __future__ import annotations

import time

from xborder.links.worlds import settle
from xborder.model import Endpoint, Fact, Jurisdiction, Link, LinkKind, Location, Side, World

from .conftest import xborder

MAINLAND = Jurisdiction(Side.MAINLAND, "region cn-north-1", "region-table")
OFFSHORE = Jurisdiction(Side.OFFSHORE, "IP 203.186.1.1 registered in HK", "ip-registry")
UNKNOWN = Jurisdiction(Side.UNKNOWN, "parameter Peer has no Default", "unresolved")


def _link(i: int, peer: Jurisdiction, world: World | None) -> Link:
    return Link(kind=LinkKind.VPN, resource_type="AWS::EC2::VPNConnection", address=f"Vpn{i}",
                location=Location("vpn.yaml", i + 1), unit="vpn.yaml", world=world,
                a=Endpoint("AWS VPN endpoint", Fact("region", "cn-north-1", "aws"), MAINLAND),
                b=Endpoint(f"customer gateway Cgw{i}", Fact("address", "x"), peer))


def test_settle_is_linear_in_the_links_of_worlds_without_a_default() -> None:
    n, values = 1500, 31
    links = [_link(i, UNKNOWN, None) for i in range(n)]
    for v in range(values):
        world = World(parameter="Peer", values=(f"v{v}",), default=None, all_judged=True)
        links.extend(_link(i, OFFSHORE if v == 0 else MAINLAND, world) for i in range(n))
    started = time.process_time()
    kept = settle(links)
    spent = time.process_time() - started
    # every default-world link (unknown peer) is replaced by its worlds, which place the peer: one mainland world
    # link and one offshore world link per VPN remain
    assert len(kept) == 2 * n
    assert all(link.world is not None for link in kept)
    assert sorted({link.b.jurisdiction.side for link in kept}) == [Side.MAINLAND, Side.OFFSHORE]
    assert spent < 10, f"settle took {spent:.1f} s of CPU for {n * (values + 1)} links"  # was hours


def test_a_template_of_many_vpns_with_a_parameter_without_default_is_judged_in_bounded_time(tmp_path) -> None:
    n = 600
    allowed = ", ".join([f"58.247.0.{i}" for i in range(1, 30)] + ["203.186.1.1", "8.8.8.8"])
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Parameters:", "  Peer:", "    Type: String",
             f"    AllowedValues: [{allowed}]", "Resources:"]
    for i in range(n):
        lines.append(f"  Cgw{i}:\n    Type: AWS::EC2::CustomerGateway\n"
                     f"    Properties: {{Type: ipsec.1, BgpAsn: 65000, IpAddress: !Ref Peer}}")
        lines.append(f"  Vpn{i}:\n    Type: AWS::EC2::VPNConnection\n"
                     f"    Properties: {{Type: ipsec.1, CustomerGatewayId: !Ref Cgw{i}, VpnGatewayId: vgw-1}}")
    root = tmp_path / "t"
    (root / ".git").mkdir(parents=True)
    (root / "vpn.yaml").write_text("\n".join(lines) + "\n")
    (root / ".xborder.yaml").write_text('cloudformation:\n  - paths: ["**"]\n    region: cn-north-1\n')
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=root, cpu_seconds=40)
    assert run.rc == 1, run.err
    findings = run.doc["findings"]
    # one XB101 per VPN: Hong Kong and the US give the same verdict, so one finding names both values
    assert len(findings) == n and {f["rule_id"] for f in findings} == {"XB101"}
    assert all(f["world"]["values"] == ["203.186.1.1", "8.8.8.8"] for f in findings), findings[0]


def _many_vpns(root, n: int, allowed: list[str]) -> None:  # noqa: ANN001
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Parameters:", "  Peer:", "    Type: String",
             f"    Default: {allowed[0]}", f"    AllowedValues: [{', '.join(allowed)}]", "Resources:"]
    for i in range(n):
        lines.append(f"  Cgw{i}:\n    Type: AWS::EC2::CustomerGateway\n"
                     f"    Properties: {{Type: ipsec.1, BgpAsn: 65000, IpAddress: !Ref Peer}}")
        lines.append(f"  Vpn{i}:\n    Type: AWS::EC2::VPNConnection\n"
                     f"    Properties: {{Type: ipsec.1, CustomerGatewayId: !Ref Cgw{i}, VpnGatewayId: vgw-1}}")
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "vpn.yaml").write_text("\n".join(lines) + "\n")
    (root / ".xborder.yaml").write_text('cloudformation:\n  - paths: ["**"]\n    region: cn-north-1\n')


def test_worlds_of_a_large_template_are_bounded_by_resources_times_worlds(tmp_path) -> None:
    """Each world evaluates the whole template again: 3,000 VPNs (6,000 resources) over 31 worlds took ~20 s of CPU
    and 440 MB (now ~8 s, 130 MB). A template's worlds get at most MAX_WORLD_RESOURCES resource evaluations in
    all: 1,400 resources get 28 worlds, and the values beyond (the Hong Kong one last) are an XB002 at the
    parameter saying why, never silently unjudged."""
    from xborder.inputs.cloudformation.worlds import MAX_WORLD_RESOURCES

    mainland = [f"58.247.0.{i}" for i in range(1, 31)]
    n = 700
    assert MAX_WORLD_RESOURCES // (2 * n) == 28
    _many_vpns(tmp_path, n, [*mainland, "203.186.1.1"])
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=tmp_path, cpu_seconds=40)
    assert run.rc == 1, run.err
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB002", "Parameters.Peer"), f
    text = " ".join(f["evidence"])
    assert "58.247.0.30, 203.186.1.1 are not judged (at most 28 other parameter values are judged for this template" in text, text
    assert "each evaluates its 1400 resources again" in text, text
    # negative: a small template with the same list is judged in full (31 other values): the Hong Kong VPNs found
    small = tmp_path / "small"
    small.mkdir()
    _many_vpns(small, 3, [*mainland, "203.186.1.1"])
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=small)
    assert sorted(f["rule_id"] for f in run.doc["findings"]) == ["XB101"] * 3, run.doc
