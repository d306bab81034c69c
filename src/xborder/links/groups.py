"""Group links: connectivity that no single resource shows, only a set of resources of one configuration.

- a CEN, CCN, Cloud Connect or Express Connect Router whose attachments are in regions on both sides;
- Global Accelerator acceleration regions on one side and endpoint groups on the other;
- AWS Direct Connect in both an aws-cn and a global provider of one configuration (a China-partition
  connection reaches only the China regions, so a path between them is a customer-built line);
- an overlay VPN (Tailscale, NetBird, ZeroTier) in a configuration with resources in mainland China.

A group link anchors on the resource that closes it (the first member, in file order, that makes the group
span both sides) and lists the other members as related locations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xborder.context import ScanContext
from xborder.hookspecs import hookimpl
from xborder.links.engine import _value_fact, region_fact
from xborder.links.paths import get_path
from xborder.model import Endpoint, Fact, Link, LinkKind, Location, Ref, Resource, Side, Unknown


@dataclass(frozen=True)
class Member:
    type: str
    key: str  # attribute naming the group (a reference to the group resource, or its id)
    region: str = ""  # attribute holding the member's region; "" = the resource's own region
    role: str = ""  # "" = any two members on different sides; "ingress"/"egress" = pairs across roles
    label: str = ""


@dataclass(frozen=True)
class GroupSpec:
    noun: str  # "CEN instance"
    provider: str  # provider-registry key
    kind: LinkKind
    members: tuple[Member, ...]
    source: str = ""


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        "CEN instance",
        "alibaba",
        LinkKind.BACKBONE,
        (
            Member("alicloud_cen_instance_attachment", "instance_id", "child_instance_region_id", label="CEN attachment"),
            Member("alicloud_cen_transit_router", "cen_id", label="CEN transit router"),
        ),
        "aliyun/alicloud website/docs/r/cen_instance_attachment, cen_transit_router",
    ),
    GroupSpec(
        "Express Connect Router",
        "alibaba",
        LinkKind.CIRCUIT,
        (
            Member("alicloud_express_connect_router_vbr_child_instance", "ecr_id", "child_instance_region_id", label="ECR VBR child instance"),
            Member("alicloud_express_connect_router_vpc_association", "ecr_id", "association_region_id", label="ECR VPC association"),
            Member("alicloud_express_connect_router_tr_association", "ecr_id", "association_region_id", label="ECR transit router association"),
        ),
        "aliyun/alicloud website/docs/r/express_connect_router_*",
    ),
    GroupSpec(
        "Global Accelerator",
        "alibaba",
        LinkKind.BACKBONE,
        (
            Member("alicloud_ga_ip_set", "accelerator_id", "accelerate_region_id", "ingress", "GA acceleration region"),
            Member("alicloud_ga_basic_ip_set", "accelerator_id", "accelerate_region_id", "ingress", "GA acceleration region"),
            Member("alicloud_ga_endpoint_group", "accelerator_id", "endpoint_group_region", "egress", "GA endpoint group"),
            Member("alicloud_ga_basic_endpoint_group", "accelerator_id", "endpoint_group_region", "egress", "GA endpoint group"),
        ),
        "aliyun/alicloud website/docs/r/ga_ip_set, ga_basic_ip_set, ga_endpoint_group",
    ),
    GroupSpec(
        "CCN instance",
        "tencent",
        LinkKind.BACKBONE,
        (
            Member("tencentcloud_ccn_attachment", "ccn_id", "instance_region", label="CCN attachment"),
            Member("tencentcloud_ccn_attachment_v2", "ccn_id", "instance_region", label="CCN attachment"),
        ),
        "tencentcloud website/docs/r/ccn_attachment",
    ),
    GroupSpec(
        "Cloud Connect connection",
        "huawei",
        LinkKind.BACKBONE,
        (Member("huaweicloud_cc_network_instance", "cloud_connection_id", "region_id", label="Cloud Connect network instance"),),
        "huaweicloud docs/resources/cc_network_instance.md",
    ),
)

DX_TYPES = (
    "aws_dx_connection",
    "aws_dx_lag",
    "aws_dx_hosted_connection",
    "aws_dx_private_virtual_interface",
    "aws_dx_public_virtual_interface",
    "aws_dx_transit_virtual_interface",
    "aws_dx_hosted_private_virtual_interface",
    "aws_dx_hosted_public_virtual_interface",
    "aws_dx_hosted_transit_virtual_interface",
    "aws_dx_hosted_private_virtual_interface_accepter",
    "aws_dx_hosted_public_virtual_interface_accepter",
    "aws_dx_hosted_transit_virtual_interface_accepter",
    "aws_dx_gateway_association",
)

# Overlay VPNs: no location in their configuration (catalogue C.8).
OVERLAY_TYPES: dict[str, str] = {
    "tailscale_device_subnet_routes": "tailscale",
    "tailscale_acl": "tailscale",
    "tailscale_tailnet_key": "tailscale",
    "netbird_route": "netbird",
    "netbird_network_router": "netbird",
    "netbird_peer": "netbird",
    "zerotier_network": "zerotier",
    "zerotier_member": "zerotier",
}


def group_types() -> dict[str, tuple[str, str]]:
    """Resource types judged only as group members: type -> (provider-registry key, link kind)."""
    out = {m.type: (g.provider, g.kind.value) for g in GROUPS for m in g.members}
    out.update({t: (p, LinkKind.PRESENCE.value) for t, p in OVERLAY_TYPES.items()})
    return out


def _order(r: Resource) -> tuple[Any, ...]:
    return (r.location.path, r.location.start_line, r.location.start_col, r.address)


def _loc(r: Resource, label: str) -> Location:
    loc = r.location
    return Location(loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col, label)


class _Sides:
    def __init__(self, ctx: ScanContext) -> None:
        self.ctx = ctx
        self.memo: dict[Fact, Side] = {}

    def __call__(self, fact: Fact) -> Side:
        if fact not in self.memo:
            j = self.ctx.pm.hook.xborder_resolve(fact=fact, ctx=self.ctx)
            self.memo[fact] = j.side if j is not None else Side.UNKNOWN
        return self.memo[fact]


def _member_fact(r: Resource, m: Member, ctx: ScanContext) -> Fact:
    if not m.region:
        return region_fact(r, ctx.policies)
    values = get_path(r.attrs, m.region)
    if not values:
        fact = region_fact(r, ctx.policies)
        return Fact(fact.kind, fact.value, fact.namespace, f"{m.region} not set, same region as the resource; {fact.origin}", fact.assumed)
    ptype = r.provider.type if r.provider else r.type.split("_", 1)[0]
    table = ctx.policies.table_for_provider(ptype)
    return _value_fact("region", values[0], table.name if table else ptype, f"attribute {m.region} of {r.address}")


def _group_key(r: Resource, attr: str) -> str | None:
    values = get_path(r.attrs, attr)
    if not values:
        return None
    value = values[0]
    if isinstance(value, Ref):
        return value.address
    if isinstance(value, (Unknown, dict, list)):
        return None
    return str(value)


def _pairs(members: list[tuple[Resource, Member, Fact, Side]]):
    """Yield (closing member, earlier member on the other side) in file order, once."""
    for i, (r, m, f, s) in enumerate(members):
        if s is Side.UNKNOWN:
            continue
        for r2, m2, f2, s2 in members[:i]:
            if s2 is Side.UNKNOWN or s2 is s:
                continue
            if m.role and m2.role and m.role == m2.role:
                continue
            return (r, m, f), (r2, m2, f2)
    return None


def _unknown_pair(members: list[tuple[Resource, Member, Fact, Side]]):
    known = [x for x in members if x[3] is not Side.UNKNOWN]
    unknown = [x for x in members if x[3] is Side.UNKNOWN]
    if not known or not unknown:
        return None
    u = unknown[0]
    k = next((x for x in known if not (x[1].role and u[1].role and x[1].role == u[1].role)), None)
    if k is None:
        return None
    return (u[0], u[1], u[2]), (k[0], k[1], k[2])


def _group_links(resources: list[Resource], ctx: ScanContext, sides: _Sides) -> list[Link]:
    by_address = {r.address: r for r in resources}
    links = []
    for spec in GROUPS:
        types = {m.type: m for m in spec.members}
        groups: dict[str, list[tuple[Resource, Member, Fact, Side]]] = {}
        for r in sorted((r for r in resources if r.type in types), key=_order):
            m = types[r.type]
            key = _group_key(r, m.key)
            if key is None:
                continue
            fact = _member_fact(r, m, ctx)
            groups.setdefault(key, []).append((r, m, fact, sides(fact)))
        for key, members in sorted(groups.items()):
            if len(members) < 2:
                continue
            pair = _pairs(members) or _unknown_pair(members)
            if pair is None:
                continue
            (r, m, fact), (r2, m2, fact2) = pair
            group_res = by_address.get(key.split("[", 1)[0]) or by_address.get(key)
            related = [_loc(x[0], f"{x[1].label or x[0].type} {x[0].address}") for x in members if x[0] is not r]
            if group_res is not None:
                related.insert(0, _loc(group_res, f"{spec.noun} {group_res.address}"))
            names = ", ".join(x[0].address for x in members)
            links.append(
                Link(
                    kind=spec.kind,
                    resource_type=r.type,
                    address=r.address,
                    location=r.location,
                    a=Endpoint(f"{m.label or r.type} {r.address}", fact),
                    b=Endpoint(f"{m2.label or r2.type} {r2.address}", fact2, location=_loc(r2, r2.address)),
                    network_provider=spec.provider,
                    related=related,
                    notes=[f"{spec.noun} {key} joins {len(members)} members: {names}"],
                    source=r.source,
                )
            )
    return links


def _dx_links(resources: list[Resource], ctx: ScanContext, sides: _Sides) -> list[Link]:
    members = []
    for r in sorted((r for r in resources if r.type in DX_TYPES), key=_order):
        fact = region_fact(r, ctx.policies)
        members.append((r, Member(r.type, "", label="Direct Connect"), fact, sides(fact)))
    pair = _pairs(members)
    if pair is None:
        return []
    (r, m, fact), (r2, m2, fact2) = pair
    related = [_loc(x[0], f"Direct Connect {x[0].address}") for x in members if x[0] is not r]
    return [
        Link(
            kind=LinkKind.CIRCUIT,
            resource_type=r.type,
            address=r.address,
            location=r.location,
            a=Endpoint(f"Direct Connect {r.address}", fact),
            b=Endpoint(f"Direct Connect {r2.address}", fact2, location=_loc(r2, r2.address)),
            network_provider="aws",
            related=related,
            notes=[
                "Direct Connect is configured in both the AWS China partition (aws-cn) and a global partition; a "
                "China-partition location reaches only the China regions, so traffic between them needs a line the "
                "customer provides between the two Direct Connect locations (routing between them is not checked)"
            ],
            source=r.source,
        )
    ]


def _overlay_links(resources: list[Resource], ctx: ScanContext, sides: _Sides) -> list[Link]:
    overlays = sorted((r for r in resources if r.type in OVERLAY_TYPES), key=_order)
    if not overlays:
        return []
    mainland = None
    for r in sorted(resources, key=_order):
        if r.type in OVERLAY_TYPES or r.address.startswith("data."):
            continue
        ptype = r.provider.type if r.provider else r.type.split("_", 1)[0]
        if ctx.policies.table_for_provider(ptype) is None:
            continue
        fact = region_fact(r, ctx.policies)
        if sides(fact) is Side.MAINLAND:
            mainland = (r, fact)
            break
    if mainland is None:
        return []
    links = []
    done: set[str] = set()
    for r in overlays:
        provider = OVERLAY_TYPES[r.type]
        if provider in done:
            continue
        done.add(provider)
        m, fact = mainland
        links.append(
            Link(
                kind=LinkKind.PRESENCE,
                resource_type=r.type,
                address=r.address,
                location=r.location,
                a=Endpoint(f"resource {m.address} of the same configuration", fact, location=_loc(m, m.address)),
                network_provider=provider,
                related=[_loc(m, f"mainland resource {m.address}")],
                notes=[
                    f"the {provider} overlay network's devices have no location in the configuration; it is configured "
                    "together with a resource in mainland China [unverified: the devices may run elsewhere]"
                ],
                source=r.source,
            )
        )
    return links


@hookimpl
def xborder_extract_links(resources: list[Resource], ctx: ScanContext) -> list[Link]:
    sides = _Sides(ctx)
    return _group_links(resources, ctx, sides) + _dx_links(resources, ctx, sides) + _overlay_links(resources, ctx, sides)
