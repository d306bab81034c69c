"""Turns evaluated resources into links, following the declarations in policies/links/."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from xborder.links.declarations import Condition, Declaration, EndpointSpec, RelatedSpec
from xborder.links.paths import get_path
from xborder.model import (
    Endpoint,
    Fact,
    Link,
    LinkKind,
    Location,
    Ref,
    Resource,
    ScanError,
    Unknown,
)
from xborder.policy import Policies


class _Index:
    """Resources of one unit by address, for following references."""

    def __init__(self, resources: list[Resource]) -> None:
        self.by_address = {r.address: r for r in resources}
        self.resources = resources

    def of_type(self, rtype: str) -> list[Resource]:
        return [r for r in self.resources if r.type == rtype]

    def find(self, address: str) -> Resource | None:
        if address in self.by_address:
            return self.by_address[address]
        base = address.split("[", 1)[0]
        if base in self.by_address:
            return self.by_address[base]
        expanded = sorted(a for a in self.by_address if a.startswith(base + "["))
        return self.by_address[expanded[0]] if expanded else None


def region_fact(resource: Resource, policies: Policies) -> Fact:
    """Where the resource itself lives: resource-level region, else its provider's, else the provider default."""
    provider = resource.provider
    ptype = provider.type if provider else resource.type.split("_", 1)[0]
    table = policies.table_for_provider(ptype)
    if table is None:
        return Fact("unknown", f"no region table for provider {ptype}")
    for attr in table.resource_region_attrs:
        value = resource.attrs.get(attr)
        if value is not None:
            return value_fact("region", value, table.name, f"attribute {attr} of {resource.address}")
    pattrs = provider.attrs if provider else {}
    origin = provider.origin if provider and provider.origin else f'provider "{ptype}"'
    if pattrs.get("partition") == "aws-cn":
        return Fact("side", "mainland", origin=f"AWS China partition (aws-cn); {origin}")
    env = pattrs.get("environment")
    if isinstance(env, str) and env.lower() in table.mainland_environments:
        return Fact("side", "mainland", origin=f'{origin} has environment = "{env}" (Azure China)')
    for attr in table.provider_region_attrs:
        value = pattrs.get(attr)
        if value is not None:
            return value_fact("region", value, table.name, f"{attr} of {origin}")
    # 'no provider "aws" block': there is no configuration to lack a region
    lacking = f"there is {origin}" if provider is not None and provider.location is None and origin.startswith("no ") else f"{origin} has no region"
    if table.default_region:
        return Fact(
            "region",
            table.default_region,
            table.name,
            origin=f"{lacking}; provider default {table.default_region} assumed",
            assumed=True,
        )
    return Fact("unknown", f"{lacking} and {table.display} has no default region")


def value_fact(kind: str, value: Any, namespace: str, origin: str) -> Fact:
    if isinstance(value, Unknown):
        return Fact("unknown", f"{origin}: {value.reason}")
    if isinstance(value, Ref):
        return Fact("unknown", f"{origin} comes from {value.address}.{value.attribute}, known only after apply")
    if isinstance(value, (dict, list)) or value == "":
        return Fact("unknown", f"{origin} is not a usable value")
    if isinstance(value, bool):
        value = str(value).lower()
    return Fact(kind, str(value), namespace, origin=origin)


class LinkBuilder:
    def __init__(self, declarations: Mapping[str, list[Declaration]], policies: Policies) -> None:
        self.declarations = declarations
        self.policies = policies

    def build(self, resources: list[Resource], errors: list[ScanError] | None = None) -> list[Link]:
        """Links of every resource; an internal error costs that resource's links, reported at its file and line."""
        index = _Index(resources)
        links: list[Link] = []
        for resource in resources:
            for decl in self.declarations.get(resource.type, ()):
                try:
                    links.extend(self._links(resource, decl, index))
                except Exception as e:  # noqa: BLE001 - contain a surprise to this resource
                    if errors is None:
                        raise
                    loc = resource.location
                    errors.append(ScanError(loc.path, loc.start_line, f"internal error while finding the links of "
                                            f"{resource.address} ({type(e).__name__}: {e}); this resource is not judged"))
        return links

    def _links(self, resource: Resource, decl: Declaration, index: _Index) -> list[Link]:
        unmet = self._conditions(resource, decl.when)
        if unmet is False:
            return []
        a_ends = self._endpoints(resource, decl.a, index, decl)
        if decl.kind in (LinkKind.REMOTE_ACCESS, LinkKind.PRESENCE) or decl.b is None:
            pairs: list[tuple[Endpoint, Endpoint | None]] = [(a, None) for a in a_ends]
        elif isinstance(unmet, str):
            far = Endpoint(decl.b.label or "far end", Fact("unknown", unmet))
            pairs = [(a, far) for a in a_ends]
        else:
            pairs = list(itertools.product(a_ends, self._endpoints(resource, decl.b, index, decl)))
        if decl.direction == "both":  # two-way sync, multi-write replicas: data also moves from b to a
            pairs += [(b, a) for a, b in pairs if b is not None]
        operator = ""
        if decl.operator:
            values = [v for v in get_path(resource.attrs, decl.operator) if isinstance(v, str)]
            operator = values[0] if values else ""
        notes = list(resource.notes) + ([decl.note] if decl.note else [])
        details = {"clients": _clients(resource, decl.clients)} if decl.clients else {}
        links = []
        for a, b in pairs:
            related = list(resource.related)
            for end in (a, b):
                if end is not None and end.location is not None and end.location not in related:
                    related.append(end.location)
            absorbs: list[str] = []
            for spec in decl.related:
                found = _related(resource, spec, index, (a, b))
                # by type, only a single candidate, and only when no named one was found (a bandwidth plan the link names)
                absorb = spec.absorb and (bool(spec.follow) or (len(found) == 1 and not absorbs))
                if spec.absorb and not absorb and found and not absorbs:
                    notes = notes + [f"{len(found)} {spec.label or spec.type}s may be part of this link "
                                     f"({', '.join(r.address for r in found)}); each is judged on its own"]
                for other in found:
                    loc = _loc(other)
                    loc = Location(loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col,
                                   f"{spec.label or other.type} {other.address}")
                    if not any(r.path == loc.path and r.start_line == loc.start_line for r in related):
                        related.append(loc)
                    if absorb and other.address not in absorbs:
                        absorbs.append(other.address)
            links.append(
                Link(
                    kind=decl.kind,
                    resource_type=resource.type,
                    address=resource.address,
                    location=resource.location,
                    a=a,
                    b=b,
                    network_provider=decl.provider,
                    operator=operator,
                    related=related,
                    notes=notes,
                    source=resource.source,
                    details=dict(details),
                    absorbs=absorbs,
                )
            )
        return links

    def _conditions(self, resource: Resource, conditions: tuple[Condition, ...]) -> bool | str:
        """True when all hold, False when one fails, or the reason a condition is unknown."""
        for cond in conditions:
            values = get_path(resource.attrs, cond.attr)
            value = values[0] if values else None
            if cond.op == "present" and isinstance(value, Ref):
                continue  # a reference is present even though its value is known only after apply
            if isinstance(value, (Unknown, Ref)):
                reason = value.reason if isinstance(value, Unknown) else "known only after apply"
                return f"{cond.attr} of {resource.address} is unknown: {reason}"
            if cond.op == "present":
                ok = (value is not None) == bool(cond.value)
            elif cond.op == "equals":
                ok = _same(value, cond.value)
            elif cond.op == "in":
                ok = any(_same(value, v) for v in cond.value)
            else:
                ok = not any(_same(value, v) for v in cond.value)
            if not ok:
                return False
        return True

    def _endpoints(self, resource: Resource, spec: EndpointSpec, index: _Index, decl: Declaration) -> list[Endpoint]:
        label = spec.label or spec.key
        if spec.key == "side":
            return [Endpoint(label, Fact("side", spec.value, origin=spec.because or f"stated by {resource.type}"))]
        if spec.key == "unknown":
            return [Endpoint(label, Fact("unknown", f"{spec.value} ({resource.address})"))]
        if spec.key == "coordinates":
            return [Endpoint(label, _coordinates_fact(resource, spec.value))]
        if spec.key == "region" and spec.value == "self":
            return [Endpoint(label, region_fact(resource, self.policies))]
        path, values = _first_present(resource.attrs, spec.value)
        origin = f"attribute {path} of {resource.address}"
        if not values:
            if spec.default == "self":
                fact = region_fact(resource, self.policies)
                return [Endpoint(label, Fact(fact.kind, fact.value, fact.namespace, f"{spec.value} not set, same region as the resource; {fact.origin}", fact.assumed))]
            if spec.default and spec.key in ("region", "code"):
                namespace = spec.table or (self._provider_table(resource) if spec.key == "region" else "")
                origin = f"{spec.value} not set on {resource.address}; provider default {spec.default} assumed"
                return [Endpoint(label, Fact(spec.key, spec.default, namespace, origin, assumed=True))]
            return [Endpoint(label, Fact("unknown", f"{spec.value} is not set on {resource.address}"))]
        if spec.key == "follow":
            return [end for value in values for end in self._follow(resource, spec, value, index, decl)]
        if spec.key == "arn":
            return [self._arn(resource, spec, v, origin, index) for v in values]
        if spec.key == "url":
            return [Endpoint(label, url_fact(v, origin)) for v in values]
        if spec.pattern:
            values = [_extract(v, spec.pattern, origin) for v in values]
        if spec.key == "region":
            namespace = spec.table or self._provider_table(resource)
            return [Endpoint(label, value_fact("region", v, namespace, origin)) for v in values]
        if spec.key == "code":
            return [Endpoint(label, value_fact("code", v, spec.table, origin)) for v in values]
        kind = "address" if spec.key == "address" else "country"
        return [Endpoint(label, value_fact(kind, v, "", origin)) for v in values]

    def _arn(self, resource: Resource, spec: EndpointSpec, value: Any, origin: str, index: _Index) -> Endpoint:
        """An ARN names its partition and (for most services) its region; a reference is placed by its target."""
        label = spec.label or spec.key
        if isinstance(value, Ref):
            target = index.find(value.address)
            if target is None:
                return Endpoint(label, Fact("unknown", f"{origin} refers to {value.address}, which is not in the scanned configuration"))
            fact = region_fact(target, self.policies)
            where = f"{origin} is {value.address}.{value.attribute}, placed where {value.address} is; {fact.origin}"
            return Endpoint(f"{label} {target.address}", Fact(fact.kind, fact.value, fact.namespace, where, fact.assumed), location=_loc(target))
        if isinstance(value, str) and not value.startswith("arn:") and spec.default == "self":
            fact = region_fact(resource, self.policies)
            where = f"{origin} ('{value}') is not an ARN, so it names a resource in the same region; {fact.origin}"
            return Endpoint(label, Fact(fact.kind, fact.value, fact.namespace, where, fact.assumed))
        return Endpoint(label, value_fact("arn", value, "", origin))

    def _provider_table(self, resource: Resource) -> str:
        ptype = resource.provider.type if resource.provider else resource.type.split("_", 1)[0]
        table = self.policies.table_for_provider(ptype)
        return table.name if table else ptype

    def _follow(self, resource: Resource, spec: EndpointSpec, value: Any, index: _Index, decl: Declaration) -> list[Endpoint]:
        if isinstance(value, Unknown):
            return [self._same_region(resource, spec, f"{spec.value} of {resource.address}: {value.reason}")]
        if isinstance(value, str) and spec.match:
            named = sorted((r for r in index.by_address.values() if r is not resource and r.attrs.get(spec.match) == value), key=lambda r: r.address)
            if named:
                return self._then(resource, spec, named[0], index, decl)
        if not isinstance(value, Ref):
            return [self._same_region(resource, spec, f"{spec.value} of {resource.address} names an existing resource '{value}' that is not in the configuration")]
        target = index.find(value.address)
        if target is None:
            return [self._same_region(resource, spec, f"{spec.value} refers to {value.address}, which is not in the scanned configuration")]
        return self._then(resource, spec, target, index, decl)

    def _same_region(self, resource: Resource, spec: EndpointSpec, why: str) -> Endpoint:
        """A followed resource that is not in the configuration: unknown, or with `default: self` (the provider
        documents that it lives in the resource's own region) that region, saying it was assumed."""
        label = spec.label or spec.value
        if spec.default != "self":
            return Endpoint(label, Fact("unknown", why))
        fact = region_fact(resource, self.policies)
        if fact.kind == "unknown":
            return Endpoint(label, Fact("unknown", f"{why}; {fact.value}"))
        origin = f"{why}; taken to be in the same region as {resource.address} ({fact.origin})"
        return Endpoint(label, Fact(fact.kind, fact.value, fact.namespace, origin, assumed=True))

    def _then(self, resource: Resource, spec: EndpointSpec, target: Resource, index: _Index, decl: Declaration) -> list[Endpoint]:
        """The ends `then` names on the followed resource (narrowed to one nested block by `select`)."""
        assert spec.then is not None
        label = f"{spec.label or spec.value} {target.address}"
        if spec.select is not None:
            picked = _select(resource, target, spec.select)
            if isinstance(picked, Fact):
                return [Endpoint(label, picked, location=_loc(target))]
            target, label = picked, f"{label} ({spec.select[0]} {spec.select[1]} {_scalar(get_path(resource.attrs, spec.select[2])[0])})"
        return [
            Endpoint(label, end.fact, end.jurisdiction, end.location or _loc(target))
            for end in self._endpoints(target, spec.then, index, decl)
        ]


def _select(resource: Resource, target: Resource, select: tuple[str, str, str]) -> Resource | Fact:
    """`target` with only its nested `block` whose `key` equals `attr` of `resource`, or why that cannot be told.

    Never a guess: an index that is not set, not known or not among the blocks is an unknown end.
    """
    block, key, attr = select
    values = get_path(resource.attrs, attr)
    which = f"which {block} of {target.address} {resource.address} uses"
    if not values:
        return Fact("unknown", f"{attr} is not set on {resource.address}, so {which} is not known")
    wanted = values[0]
    if isinstance(wanted, (Unknown, Ref)):
        fact = value_fact("value", wanted, "", f"{attr} of {resource.address}")
        return Fact("unknown", f"{fact.value}; {which} is not known")
    if isinstance(wanted, (dict, list)):
        return Fact("unknown", f"{attr} of {resource.address} is not a single value; {which} is not known")
    blocks = target.attrs.get(block)
    if isinstance(blocks, Unknown):
        return Fact("unknown", f"the {block} blocks of {target.address}: {blocks.reason}")
    blocks = blocks if isinstance(blocks, list) else [blocks] if isinstance(blocks, dict) else []
    found = [b for b in blocks if isinstance(b, dict) and _scalar(b.get(key)) == _scalar(wanted)]
    if found:
        return replace(target, attrs={**target.attrs, block: found})
    if any(not isinstance(b, dict) or isinstance(b.get(key), (Unknown, Ref)) for b in blocks):
        return Fact("unknown", f"{target.address} has a {block} whose {key} is not known; {attr} = {_scalar(wanted)} of {resource.address} cannot be matched")
    have = ", ".join(sorted({_scalar(b.get(key)) for b in blocks})) or "none"
    return Fact("unknown", f"{attr} = {_scalar(wanted)} of {resource.address} names no {block} of {target.address} ({key}s: {have})")


def _scalar(value: Any) -> str:
    """A block key as Terraform compares it: `1`, `1.0` and `"1"` are the same interface id."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return value
        return str(int(number)) if number.is_integer() else value
    return str(value)


def url_fact(value: Any, origin: str) -> Fact:
    """The host of a URL (`https://splunk.example.com:8088/x`) as an address fact; host names are placed by the
    site inventory or the endpoint-host table, never by resolving them."""
    if not isinstance(value, str) or isinstance(value, bool):
        return value_fact("address", value, "", origin)
    text = value.strip()
    parts = urlsplit(text if "://" in text else f"//{text}")
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    if not host:
        return Fact("unknown", f"{origin} ('{value}') is not a URL with a host")
    return Fact("address", host, origin=f"host of {origin} ('{value}')")


def _extract(value: Any, pattern: str, origin: str) -> Any:
    """The part of a longer string that names the place (`qcs::cos:ap-hongkong::bucket` -> `ap-hongkong`)."""
    if not isinstance(value, str) or isinstance(value, bool):
        return value
    m = re.search(pattern, value)
    if m is None:
        return Unknown(f"'{value}' does not have the form the provider documents")
    return m.group("value") if "value" in m.groupdict() else m.group(0)


def _first_present(attrs: dict[str, Any], paths: str) -> tuple[str, list[Any]]:
    """`a|b`: the values of every alternative (e.g. per block, `ip_address` or `fqdn`), named by the first present."""
    alternatives = paths.split("|")
    found: list[Any] = []
    names = []
    for path in alternatives:
        for value in get_path(attrs, path):
            if value not in found:
                found.append(value)
                if path not in names:
                    names.append(path)
    known = [v for v in found if not isinstance(v, Unknown)]
    if known and len(known) < len(found):
        found = known  # `gateway_address = "1.2.3.4"` with an unknown `gateway_fqdn`: the address is the end
    return ("|".join(names) or alternatives[0]), found


def _coordinates_fact(resource: Resource, paths: str) -> Fact:
    """`LAT_ATTR,LON_ATTR`: one "coordinates" fact `"lat,lon"` (decimal degrees)."""
    lat_path, lon_path = (p.strip() for p in paths.split(",", 1))
    origin = f"attributes {lat_path}, {lon_path} of {resource.address}"
    values = []
    for path in (lat_path, lon_path):
        found = get_path(resource.attrs, path)
        if not found:
            return Fact("unknown", f"{path} is not set on {resource.address}")
        value = found[0]
        if isinstance(value, (Unknown, Ref)) or isinstance(value, bool):
            return value_fact("coordinates", value, "", origin) if not isinstance(value, bool) else Fact("unknown", f"{origin} are not numbers")
        try:
            values.append(float(value))
        except (TypeError, ValueError):
            return Fact("unknown", f"{origin} are not numbers ('{value}')")
    return Fact("coordinates", f"{values[0]:g},{values[1]:g}", "", origin=origin)


def _through(value: Any, index: _Index) -> Any:
    """A reference to another resource's argument that is itself a reference names that resource: a plan's
    `alicloud_cen_bandwidth_package_attachment.x.bandwidth_package_id` is the bandwidth plan it attaches."""
    for _ in range(8):
        if not isinstance(value, Ref) or value.attribute in ("id", "arn"):
            return value
        target = index.find(value.address)
        inner = target.attrs.get(value.attribute) if target is not None else None
        if not isinstance(inner, Ref):
            return value
        value = inner
    return value


def _target(value: Any, index: _Index) -> Resource | None:
    value = _through(value, index)
    return index.find(value.address) if isinstance(value, Ref) else None


def _same_thing(x: Any, y: Any, index: _Index) -> bool:
    """Two attribute values name the same resource: references to one address, or one literal id."""
    x, y = _through(x, index), _through(y, index)
    if isinstance(x, Ref) and isinstance(y, Ref):  # `aws_x.y` also names each instance `aws_x.y[0]`
        return x.address == y.address or x.address.split("[", 1)[0] == y.address or y.address.split("[", 1)[0] == x.address
    if isinstance(x, (Ref, Unknown, dict, list)) or isinstance(y, (Ref, Unknown, dict, list)) or x is None or y is None:
        return False
    return str(x) == str(y)


def _related(resource: Resource, spec: RelatedSpec, index: _Index, ends: tuple[Endpoint, Endpoint | None]) -> list[Resource]:
    """The resources `spec` names as part of this resource's link, in file order."""
    if spec.follow:
        found = [t for v in get_path(resource.attrs, spec.follow) if (t := _target(v, index)) is not None]
    else:
        mine = [Ref(resource.address)] if spec.same == "self" else get_path(resource.attrs, spec.same)
        found = [
            other
            for other in index.of_type(spec.type)
            if other is not resource and any(_same_thing(m, v, index) for m in mine for v in get_path(other.attrs, spec.key))
        ]
    if spec.then:
        found = [t for r in found for v in get_path(r.attrs, spec.then) if (t := _target(v, index)) is not None]
    if spec.ends:
        places = {str(e.fact.value).lower() for e in ends if e is not None and e.fact.kind == "region"}
        found = [r for r in found if any(isinstance(v, str) and v.lower() in places for v in get_path(r.attrs, spec.ends))]
    out: list[Resource] = []
    for r in sorted(found, key=lambda r: (r.location.path, r.location.start_line, r.address)):
        if r is not resource and all(r is not o for o in out):
            out.append(r)
    return out


def _loc(resource: Resource) -> Location:
    loc = resource.location
    return Location(loc.path, loc.start_line, loc.start_col, loc.end_line, loc.end_col, resource.address)


def _same(value: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return str(value).lower() == str(expected).lower()
    if isinstance(expected, str) and isinstance(value, str):
        return value.lower() == expected.lower()
    return value == expected


def _clients(resource: Resource, path: str) -> str:
    """The client address pools of a remote-access service, as the configuration states them."""
    out = []
    for value in get_path(resource.attrs, path):
        if isinstance(value, Unknown):
            out.append(f"unknown ({value.reason})")
        elif isinstance(value, (str, int)) and str(value).strip():
            out.append(str(value).strip())
    return ", ".join(dict.fromkeys(out))
