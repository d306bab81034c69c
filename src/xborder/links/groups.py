"""Group links: connectivity that no single resource shows, only a set of resources of one configuration.

- a CEN, CCN, Cloud Connect or Express Connect Router whose attachments are in regions on both sides;
- Global Accelerator acceleration regions on one side and endpoint groups on the other;
- AWS Direct Connect in both an aws-cn and a global provider of one configuration (a China-partition
  connection reaches only the China regions, so a path between them is a customer-built line);
- an overlay VPN (Tailscale, NetBird, ZeroTier) in a configuration with resources in mainland China.

A group link anchors on the resource that closes it (the first member, in file order, that makes the group
span both sides) and lists the other members as related locations. A pair of regions that a connection
resource joins (a CEN bandwidth limit, a Cloud Connect inter-region bandwidth) is that resource's declared
link, so the group does not report it again. Which resource types form groups is data: policies/groups.yaml.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xborder import yamlfast

from xborder.context import ScanContext
from xborder.hookmark import hookimpl
from xborder.model import (
    Endpoint,
    Fact,
    Link,
    LinkKind,
    Location,
    Ref,
    Resource,
    Side,
    Unknown,
)
from xborder.policy import policy_folder

if TYPE_CHECKING:
    from xborder.jurisdiction.resolver import Resolver

# The link engine, the resolver and attribute paths are imported by the functions that use them: every scan
# registers this plugin, and one answered from its whole-scan entry extracts no link (~7 M instructions saved).


@dataclass(frozen=True)
class Member:
    """A resource type that joins a group (CEN, Cloud WAN...) and where its group and region are read from."""

    type: str
    key: str  # attribute naming the group (a reference to the group resource, or its id)
    region: str = ""  # attribute holding the member's region; "" = the resource's own region
    role: str = ""  # "" = any two members on different sides; "ingress"/"egress" = pairs across roles
    label: str = ""


@dataclass(frozen=True)
class Connection:
    """A resource that makes the connection between two regions of a group (a CEN inter-region bandwidth):
    a pair of members in those two regions is that resource's link, declared in policies/links/, not the group's."""

    type: str
    key: str  # attribute naming the group, as for members
    regions: tuple[str, str]  # attribute paths of the two regions


@dataclass(frozen=True)
class GroupSpec:
    """A group resource whose members on both sides of the border are linked through it."""

    noun: str  # "CEN instance"
    provider: str  # provider-registry key
    kind: LinkKind
    members: tuple[Member, ...]
    source: str = ""
    connections: tuple[Connection, ...] = ()


@dataclass(frozen=True)
class GroupPolicy:
    """Everything `policies/groups.yaml` says: groups, partition-crossing types, provider overlays."""

    groups: tuple[GroupSpec, ...]
    partition_types: tuple[str, ...]  # Direct Connect types judged across aws-cn and global partitions
    partition_provider: str
    overlays: dict[str, str]  # resource type -> provider-registry key


@functools.lru_cache(maxsize=1)
def group_policy() -> GroupPolicy:
    data = yamlfast.safe_load((policy_folder() / "groups.yaml").read_text(encoding="utf-8"))
    groups = tuple(
        GroupSpec(
            noun=g["name"],
            provider=g["provider"],
            kind=LinkKind(g["kind"]),
            members=tuple(
                Member(m["type"], m["group"], m.get("region", ""), m.get("role", ""), m.get("label", "")) for m in g["members"]
            ),
            source=g.get("source", ""),
            connections=tuple(
                Connection(c["type"], c["group"], (c["regions"][0], c["regions"][1])) for c in g.get("connections", ())
            ),
        )
        for g in data["groups"]
    )
    pairs = data["partition_pairs"]
    overlays = {t: provider for provider, types in data["overlays"].items() for t in types}
    return GroupPolicy(groups, tuple(pairs["types"]), pairs["provider"], overlays)


def group_types() -> dict[str, tuple[str, str]]:
    """Resource types judged only as group members: type -> (provider-registry key, link kind)."""
    policy = group_policy()
    out = {m.type: (g.provider, g.kind.value) for g in policy.groups for m in g.members}
    out.update({t: (p, LinkKind.PRESENCE.value) for t, p in policy.overlays.items()})
    return out


def _order(r: Resource) -> tuple[Any, ...]:
    return (r.location.path, r.location.start_line, r.location.start_col, r.address)


def _loc(r: Resource, label: str) -> Location:
    loc = r.location
    return Location(loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col, label)


def _member_fact(r: Resource, m: Member, ctx: ScanContext) -> Fact:
    from xborder.links.engine import region_fact, value_fact
    from xborder.links.paths import get_path

    if not m.region:
        return region_fact(r, ctx.policies)
    values = get_path(r.attrs, m.region)
    if not values:
        fact = region_fact(r, ctx.policies)
        return Fact(fact.kind, fact.value, fact.namespace, f"{m.region} not set, same region as the resource; {fact.origin}", fact.assumed)
    ptype = r.provider.type if r.provider else r.type.split("_", 1)[0]
    table = ctx.policies.table_for_provider(ptype)
    return value_fact("region", values[0], table.name if table else ptype, f"attribute {m.region} of {r.address}")


def _group_key(r: Resource, attr: str) -> str | None:
    from xborder.links.paths import get_path

    values = get_path(r.attrs, attr)
    if not values:
        return None
    value = values[0]
    if isinstance(value, Ref):
        return value.address
    if isinstance(value, (Unknown, dict, list)):
        return None
    return str(value)


def _regions(f: Fact, f2: Fact) -> frozenset[str]:
    return frozenset((f.value.lower(), f2.value.lower())) if f.kind == f2.kind == "region" else frozenset()


def _pairs(members: list[tuple[Resource, Member, Fact, Side]], covered: frozenset[frozenset[str]] = frozenset()):
    """(closing member, earlier member on the other side) in file order, once; a pair of regions that a
    connection resource joins is that resource's link and is skipped."""
    for i, (r, m, f, s) in enumerate(members):
        if s is Side.UNKNOWN:
            continue
        for r2, m2, f2, s2 in members[:i]:
            if s2 is Side.UNKNOWN or s2 is s:
                continue
            if m.role and m2.role and m.role == m2.role:
                continue
            if _regions(f, f2) in covered:
                continue
            return (r, m, f), (r2, m2, f2)
    return None


def _covered(spec: GroupSpec, resources: list[Resource]) -> dict[str, set[frozenset[str]]]:
    """Group key -> the region pairs that a connection resource of the configuration joins."""
    from xborder.links.paths import get_path

    out: dict[str, set[frozenset[str]]] = {}
    for c in spec.connections:
        for r in resources:
            if r.type != c.type:
                continue
            key = _group_key(r, c.key)
            values = [get_path(r.attrs, path) for path in c.regions]
            if key is None or not all(values) or not all(isinstance(v[0], str) for v in values):
                continue
            out.setdefault(key, set()).add(frozenset(v[0].lower() for v in values))
    return out


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


def _group_links(resources: list[Resource], ctx: ScanContext, sides: Resolver) -> list[Link]:
    by_address = {r.address: r for r in resources}
    links = []
    for spec in group_policy().groups:
        types = {m.type: m for m in spec.members}
        groups: dict[str, list[tuple[Resource, Member, Fact, Side]]] = {}
        covered = _covered(spec, resources)
        for r in sorted((r for r in resources if r.type in types), key=_order):
            m = types[r.type]
            key = _group_key(r, m.key)
            if key is None:
                continue
            fact = _member_fact(r, m, ctx)
            groups.setdefault(key, []).append((r, m, fact, sides.side(fact)))
        for key, members in sorted(groups.items()):
            if len(members) < 2:
                continue
            pair = _pairs(members, frozenset(covered.get(key, ()))) or _unknown_pair(members)
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


def _dx_links(resources: list[Resource], ctx: ScanContext, sides: Resolver) -> list[Link]:
    from xborder.links.engine import region_fact

    members = []
    for r in sorted((r for r in resources if r.type in group_policy().partition_types), key=_order):
        fact = region_fact(r, ctx.policies)
        members.append((r, Member(r.type, "", label="Direct Connect"), fact, sides.side(fact)))
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
            network_provider=group_policy().partition_provider,
            related=related,
            notes=[
                "Direct Connect is configured in both the AWS China partition (aws-cn) and a global partition; a "
                "China-partition location reaches only the China regions, so traffic between them needs a line the "
                "customer provides between the two Direct Connect locations (routing between them is not checked)"
            ],
            source=r.source,
        )
    ]


def _overlay_links(resources: list[Resource], ctx: ScanContext, sides: Resolver) -> list[Link]:
    from xborder.links.engine import region_fact

    overlays = group_policy().overlays
    members = sorted((r for r in resources if r.type in overlays), key=_order)
    if not members:
        return []
    mainland = None
    for r in sorted(resources, key=_order):
        if r.type in overlays or r.address.startswith("data."):
            continue
        ptype = r.provider.type if r.provider else r.type.split("_", 1)[0]
        if ctx.policies.table_for_provider(ptype) is None:
            continue
        fact = region_fact(r, ctx.policies)
        if sides.side(fact) is Side.MAINLAND:
            mainland = (r, fact)
            break
    if mainland is None:
        return []
    links = []
    done: set[str] = set()
    for r in members:
        provider = overlays[r.type]
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
    from xborder.jurisdiction.resolver import Resolver

    sides = Resolver(ctx)
    return _group_links(resources, ctx, sides) + _dx_links(resources, ctx, sides) + _overlay_links(resources, ctx, sides)
