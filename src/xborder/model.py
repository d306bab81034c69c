"""Plain data passed between the pipeline stages: inputs -> links -> jurisdiction -> rules -> reports.

Every stage reads these types and nothing else, so an input format or a report never needs to know
about another stage's internals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Side(str, enum.Enum):
    """Which side of the mainland China border an endpoint is on."""

    MAINLAND = "mainland"
    OFFSHORE = "offshore"
    UNKNOWN = "unknown"


class LinkKind(str, enum.Enum):
    """What kind of connectivity a link is; rules select links by kind."""

    VPN = "vpn"  # site-to-site tunnel
    REMOTE_ACCESS = "remote-access"  # client / SSL / point-to-site VPN service (one end)
    CIRCUIT = "circuit"  # leased line, dedicated / hosted connection, virtual interface, port
    BACKBONE = "backbone"  # cloud backbone: peering, CEN/CCN, transit-gateway peering, accelerators
    PRESENCE = "presence"  # a network provider's resource at one place (licence rule)
    DATA_FLOW = "data-flow"  # data copied from end a (source) to end b (destination): replication, sync, backup copy
    DATA_ENDPOINT = "data-endpoint"  # data delivered from end a to a generic endpoint b (URL, host, IP)
    NOT_READ = "not-read"  # a part of the configuration that could not be read (a module not on disk, see PART)
    NOT_COVERED = "not-covered"  # a connectivity resource whose ends xborder cannot place (policies/links/not-covered.yaml)


# resource_type of a NOT_READ link for a part of a template or config that xborder does not analyse (a deploy-time
# macro, a loop over values known only at deploy time, a nested stack, an include it does not follow): rule XB002
PART = "part"


@dataclass(frozen=True, order=True)
class Location:
    """A span in a scanned file. `path` is POSIX and relative to the scan root; lines and columns are 1-based."""

    path: str
    start_line: int = 1
    start_col: int = 1
    end_line: int = 1
    end_col: int = 1
    label: str = ""  # what the location is, for related locations ("module call", "customer gateway")


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known statically, with the reason a user can act on."""

    reason: str

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True)
class Ref:
    """A reference to another resource's attribute (`aws_customer_gateway.hq.id`).

    `address` is the full address of the target in the same configuration
    (`module.net.aws_customer_gateway.hq`, `aws_customer_gateway.hq["a"]`).
    """

    address: str
    attribute: str = "id"


@dataclass
class ProviderConfig:
    """A resolved provider instance (`provider "aws" { alias = "cn" ... }`)."""

    type: str  # "aws", "alicloud", ...
    alias: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)  # evaluated values; Unknown where unknown
    location: Location | None = None  # None: no provider block, defaults apply
    origin: str = ""  # how it was chosen, e.g. 'provider "aws" alias "hk" (providers.tf:7)'


# the label of a tunnel's related location naming the resource whose string holds its configuration (inline
# directives on that block cover the tunnel: suppress.py)
HOLDER = "resource holding the configuration"


@dataclass
class Resource:
    """A resource whose attributes were evaluated as far as static analysis allows.

    Values in `attrs` are Python primitives, lists and dicts, `Unknown` or `Ref`. Nested blocks are
    lists of dicts (`attrs["link"] == [{"ip_address": ...}, ...]`), as in python-hcl2.
    """

    source: str  # "terraform", "terraform-plan", "cloudformation"
    type: str  # "aws_vpn_connection" or "AWS::EC2::VPNConnection"
    name: str
    address: str  # "module.x.aws_vpn_connection.this[0]"
    attrs: dict[str, Any]
    location: Location
    provider: ProviderConfig | None = None
    related: list[Location] = field(default_factory=list)  # e.g. the module call sites
    notes: list[str] = field(default_factory=list)  # e.g. "count is unknown; analysed once"
    attr_locations: dict[str, Location] = field(default_factory=dict)  # top-level attribute -> span
    # VPN configurations its strings hold whole (`inputs.embedded.EmbeddedConfig`, defined there: rarely needed)
    embedded: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Fact:
    """What the configuration says about one end of a link, before jurisdiction is decided.

    kind:
      - "region": a cloud region; `namespace` is the region table (usually the provider type)
      - "address": an IP address or host name
      - "code": a location, area or metro code; `namespace` names the code table
      - "country": an ISO 3166-1 alpha-2 code
      - "side": the side is stated by the configuration itself (e.g. `bordercross = true`)
      - "unknown": nothing usable; `value` is the reason
    `origin` says where the value came from ("attribute peer_region", "provider default").
    """

    kind: str
    value: str
    namespace: str = ""
    origin: str = ""
    assumed: bool = False  # True when a default was assumed rather than read


@dataclass(frozen=True)
class Jurisdiction:
    """The side of the border an end is on, with the evidence a reviewer can check."""

    side: Side
    evidence: str  # "region cn-northwest-1 (AWS China, Ningxia)"
    source: str  # "region-table", "ip-registry", "site-inventory", "configuration", "unresolved"


@dataclass
class Endpoint:
    """One end of a link: what the configuration says (`fact`) and, once placed, its jurisdiction."""

    label: str  # "customer gateway aws_customer_gateway.hq", "AWS VPN (provider region)"
    fact: Fact
    jurisdiction: Jurisdiction | None = None  # filled in by the jurisdiction stage
    location: Location | None = None  # where the end is declared, when not in the link's resource


@dataclass(frozen=True)
class World:
    """One deployment an input allows besides its defaults: a CloudFormation parameter at another of its AllowedValues,
    or a Terraform variable at another value its `validation` lists (`contains([...], var.x)`).

    CloudFormation takes parameter values at deploy time; the Default is only the pre-filled value, so a
    template that lists a Hong Kong address among a parameter's AllowedValues can deploy a cross-border VPN
    although its defaults are all mainland. Each such value is judged as its own world (links/worlds.py keeps
    a world's link only where its verdict differs from the default world's).
    """

    parameter: str
    values: tuple[str, ...]  # the value judged, then other values of the same parameter that give the same verdict
    default: str | None = None  # None: the parameter has no Default, so every allowed value is a world
    contrast: str = ""  # what the default world gives for the same link (links/worlds.py)
    all_judged: bool = True  # False when some of the parameter's allowed values were not judged (a bound)
    noun: str = "parameter"  # "variable" for a Terraform variable
    allows: str = "one of its AllowedValues"  # how the input lists the value
    # (value, why the template may refuse it): a CloudFormation rule (`Rules`) names the parameter but cannot be
    # evaluated statically, so the world is judged and its finding says so (inputs/cloudformation/rules.py)
    doubts: tuple[tuple[str, str], ...] = ()

    @property
    def default_word(self) -> str:
        return "Default" if self.noun == "parameter" else "default"

    def as_dict(self) -> dict[str, Any]:
        """The world for JSON and SARIF: what a script filters on."""
        return {"kind": self.noun, "name": self.parameter, "values": list(self.values), "default": self.default}

    def setting(self) -> str:
        """The value(s) this world gives: "parameter CgwIp = 203.186.1.1" (the inventory table's WORLD column)."""
        shown = " or ".join(v if len(v) <= 100 else v[:97] + "..." for v in self.values)  # a value is template text
        return f"{self.noun} {self.parameter} = {shown}"

    def phrase(self) -> str:
        """How a finding names its world: "with parameter CgwIp = 203.186.1.1, one of its AllowedValues (...)"."""
        extra = f"; {self.contrast}" if self.contrast else ""
        return f"with {self.setting()}, {self.allows}{self._doubt()}{extra}"

    def _doubt(self) -> str:
        """" (template rule R may forbid it: ...)", naming the value when only some of the values have a doubt."""
        if not self.doubts:
            return ""
        texts = list(dict.fromkeys(d for _, d in self.doubts))
        if len(texts) == 1 and len(self.doubts) == len(self.values):
            return f" ({texts[0]})"
        return " (" + "; ".join(f"{v}: {d}" for v, d in self.doubts) + ")"


def world_text(value: Any) -> str | None:
    """A parameter or variable value as a world names it (booleans as the inputs write them); None: not a plain value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def some_values(values: list[str], most: int = 10) -> str:
    """The first `most` values and how many more: a message about a list of thousands stays readable."""
    head = ", ".join(values[:most])
    return head if len(values) <= most else f"{head} and {len(values) - most} more"


def world_room(max_worlds: int, max_resources: int, resources: int) -> int:
    """How many worlds a template or root module of `resources` resources gets: each world evaluates them all
    again, and at most `max_resources` evaluations are spent on its other values."""
    return min(max_worlds, max_resources // max(resources, 1))


def world_bound(most: int, max_worlds: int, max_resources: int, resources: int, noun: str, unit: str) -> str:
    """Why the values beyond `most` worlds are not judged (`world_room`), for the XB002 at the parameter."""
    if most >= max_worlds:
        return f"at most {max_worlds} other {noun} values are judged per {unit}, each as its own deployment"
    return (f"at most {most} other {noun} values are judged for this {unit}, each as its own deployment: each evaluates "
            f"its {resources} resources again, and at most {max_resources} resource evaluations are spent on a {unit}'s "
            "other values")


def other_values(allowed: list[Any], default: str | None) -> list[Any]:
    """The plain values of `allowed` other than `default`, each text once, in the input's order: one world each.

    Linear in the list (a template may list thousands of values; only the first few become worlds)."""
    seen = {default}
    out: list[Any] = []
    for value in allowed:
        shown = world_text(value)
        if shown is not None and shown not in seen:
            seen.add(shown)
            out.append(value)
    return out


@dataclass
class Link:
    """A connection (or a one-ended service) that rules judge."""

    kind: LinkKind
    resource_type: str
    address: str  # resource address, or "ipsec.conf: conn hq-sha" for device configs
    location: Location  # where the finding anchors
    a: Endpoint
    b: Endpoint | None = None  # None for REMOTE_ACCESS / PRESENCE
    network_provider: str = ""  # provider-registry key for the licence rule ("equinix", "aws")
    operator: str = ""  # carrier named by the configuration (line_operator, service_provider_name)
    related: list[Location] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = ""  # input format that produced it
    details: dict[str, str] = field(default_factory=dict)  # facts for the inventory, e.g. "clients": client pools
    unit: str = ""  # the unit (Terraform root module directory, config file) it was read from; part of its identity
    absorbs: list[str] = field(default_factory=list)  # addresses whose own links are part of this one (links/fold.py)
    world: World | None = None  # None: read with the template's defaults; else the parameter value it needs
    # the same link in other worlds with the same verdict but other ends (links/worlds.py): each has its own
    # fingerprint, so an approval pinned to this link's ends does not cover them unless it names theirs too
    twins: list[Link] = field(default_factory=list)
    # a twin carried from an absorbed link onto the link that creates it (links/fold.py): that absorbed link as
    # reported, whose ends the twin's differ from (the creating link's own ends are the same in that world)
    part_of: Link | None = None
    # the absorbed links this one reports instead of them (links/fold.py): their addresses and ends are part of its
    # fingerprint, so an approval pinned to it does not survive an edit of a part (the bandwidth plan's area)
    folded: list[Link] = field(default_factory=list)
    # a world's deployment of an absorbed link judged with that world's own creating link (links/fold.py): (the
    # creating link with the defaults, the absorbed link as reported there), whose twin it was before each world was
    # stated once with its own verdict; the fingerprint of that twin is its former one (rules/common.py)
    twin_of: tuple[Link, Link] | None = None


def end_identity(end: Endpoint) -> str:
    """What an end is, as a fingerprint reads it (rules/common.py): label, fact kind, namespace and value."""
    return f"{end.label}|{end.fact.kind}|{end.fact.namespace}|{end.fact.value}"


def ends_identity(link: Link) -> tuple[str, ...]:
    return tuple(end_identity(end) for end in (link.a, link.b) if end is not None)


@dataclass(frozen=True)
class Twin:
    """Another deployment (world) in which a finding's link has the same verdict with other ends (a Taiwan peer
    where the finding is about a Hong Kong one): the finding names it, and its own fingerprint is what an approval
    must pin to cover that deployment too (suppress.py)."""

    world: World
    fingerprint: str
    ends: tuple[str, ...]  # evidence lines of the ends that differ from the finding's

    def as_dict(self) -> dict[str, Any]:
        """The twin for JSON and SARIF."""
        return {"world": self.world.as_dict(), "fingerprint": self.fingerprint, "ends": list(self.ends)}


@dataclass
class Finding:
    """A rule's verdict on one link, with the evidence and a fingerprint that survives line moves."""

    rule_id: str
    severity: str  # "high" | "medium" | "low"
    message: str
    location: Location
    resource: str
    evidence: list[str]
    related: list[Location] = field(default_factory=list)
    fingerprint: str = ""  # stable across line moves: rule, resource, endpoints
    suppressed: bool = False
    justification: str = ""
    unit: str = ""  # the unit (root module directory, file) the link was read from: envs/prod and envs/staging differ
    world: World | None = None  # the parameter value it holds with, when not the defaults (links/worlds.py)
    twins: list[Twin] = field(default_factory=list)  # other worlds with the same verdict and other ends
    # (former fingerprint, fingerprint now, why it moved) of the finding and of each twin where they differ: a link
    # that names a carrier or absorbed others had a fingerprint of its own ends only before those counted, an instance
    # key was written otherwise... (rules/common.py); an approval or baseline entry still pinned to the former is told
    # what to pin now and why, for the reason that applies to it only (suppress.py, baseline.py)
    former: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class ScanError:
    """A file that could not be read or parsed; the scan goes on."""

    path: str
    line: int
    message: str


@dataclass
class LoadResult:
    """What an input plugin produced from one unit (a Terraform module directory, a config file...)."""

    resources: list[Resource] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # formats that describe tunnels directly
    errors: list[ScanError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # other deployments the input allows (CloudFormation AllowedValues): each world's resources and links
    worlds: list[tuple[World, list[Resource], list[Link]]] = field(default_factory=list)


def report_worlds(result: LoadResult, own: list[tuple[World, list[ScanError], list[str]]]) -> None:
    """What each world (`result.worlds`) reported besides the default world: its errors and notes, into `result`,
    naming the world (the values of one parameter that report the same merged: "= a or b"), once each. What the
    default evaluation reports already is not repeated. A world's links are judged; its errors (a resource that
    cannot be evaluated with that value) were dropped with its evaluation, so the value was silently not read."""
    known_errors = set(result.errors)
    known_notes = set(result.notes)
    errors: dict[tuple[ScanError, str], list[World]] = {}
    notes: dict[tuple[str, str], list[World]] = {}
    for world, world_errors, world_notes in own:
        for e in world_errors:
            if e not in known_errors:
                errors.setdefault((e, world.parameter), []).append(world)
        for n in world_notes:
            if n not in known_notes:
                notes.setdefault((n, world.parameter), []).append(world)
    for (e, _), worlds in errors.items():
        result.errors.append(ScanError(e.path, e.line, f"{e.message} ({_named(worlds)})"))
    for (n, _), worlds in notes.items():
        result.notes.append(f"{n} ({_named(worlds)})")


def _named(worlds: list[World]) -> str:
    """The worlds of one parameter as one phrase: "with parameter P = a or b, one of its AllowedValues"."""
    values = tuple(dict.fromkeys(v for w in worlds for v in w.values))
    doubts = tuple(dict.fromkeys(d for w in worlds for d in w.doubts))
    return replace(worlds[0], values=values, doubts=doubts, contrast="").phrase()


def part_not_read(location: Location, address: str, label: str, reason: str, to_read: str, to_accept: str,
                  source: str, unit: str = "") -> Link:
    """A part of a template or config that xborder does not analyse, as a one-ended link that rule XB002 reports
    where the part is written: never only a note, which SARIF and GitHub annotations do not show."""
    return Link(
        kind=LinkKind.NOT_READ,
        resource_type=PART,
        address=address,
        location=location,
        a=Endpoint(label, Fact("unknown", f"not analysed: {reason}", origin="what xborder reads statically")),
        notes=[f"to have it analysed: {to_read}", f"to accept it deliberately: {to_accept}"],
        source=source,
        unit=unit,
    )
