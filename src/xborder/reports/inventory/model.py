"""The inventory's data: one row per link the scan understood, plus the supplier and remote-access views.

Built from a finished scan (its links, findings and context), never by analysing anything again: every
finding of a link rule is a row, and every crossing row without an approval carries a finding.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from xborder.digest import sha256
from xborder.model import Finding, Link, LinkKind, Side
from xborder.reports.base import ScanResult
from xborder.reports.inventory.places import Place, place_of


# Map and summary classes of a row.
UNAPPROVED, APPROVED, DOMESTIC, OFFSHORE_ONLY, UNKNOWN, INBOUND = (
    "unapproved crossing",
    "approved crossing",
    "domestic",
    "offshore only",
    "unknown",
    "inbound data flow",
)
CLASSES = (UNAPPROVED, APPROVED, DOMESTIC, OFFSHORE_ONLY, UNKNOWN, INBOUND)
# Data flows are directed (end a -> end b) and only the outbound direction crosses in the rules' sense:
# data arriving in mainland China is not an outbound transfer (see rules/dataflow.py).
DIRECTED_KINDS = frozenset({LinkKind.DATA_FLOW.value, LinkKind.DATA_ENDPOINT.value})


@dataclass
class EndRow:
    """One end of a link as the inventory shows it: place, side and the evidence that decided it."""

    role: str  # "a" or "b"
    label: str
    side: str  # mainland / offshore / unknown
    place: Place
    how: str  # the jurisdiction evidence
    decided_by: str  # jurisdiction source: site-inventory, region-table, ip-registry, configuration, unresolved


@dataclass
class Supplier:
    """A provider or carrier as the registry (policies/providers.yaml, licensed_operators) knows it."""

    name: str  # as the configuration names it
    registry_name: str
    in_registry: bool
    licensed: bool
    detail: str


@dataclass
class CoverRow:
    """An approval or inline suppression covering a link, and whether it is still in force."""

    kind: str  # approval / inline
    reason: str
    reference: str
    expires: str  # ISO date or ""
    where: str
    status: str  # active / expiring / expired


@dataclass
class FindingRef:
    """A finding on a link, by rule, severity and fingerprint."""

    rule_id: str
    severity: str
    fingerprint: str
    suppressed: bool


@dataclass
class Row:
    """One link of the inventory: what it is, where it is declared, its ends, suppliers and findings."""

    id: str
    key: str  # identity across revisions: kind, address and end labels (not the values)
    kind: str
    resource_type: str
    address: str
    path: str
    line: int
    source: str
    ends: list[EndRow]
    provider: Supplier | None
    carrier: Supplier | None
    crossing: bool
    verdict: str
    cls: str  # one of CLASSES
    findings: list[FindingRef]
    covers: list[CoverRow]
    notes: list[str]
    details: dict[str, str] = field(default_factory=dict)
    directed: bool = False  # data flows: from end a to end b
    change: str = ""  # added / changed / unchanged, when compared with a base revision
    signature: str = ""  # what the row says (ends, sides, supplier, verdict), to detect changes
    world: str = ""  # the deploy-time value the link holds with ("parameter CgwIp = 203.186.1.1"); "": the defaults
    # the same link with other allowed values giving other ends and the same verdict (links/worlds.py): one line each,
    # also in `notes`, and part of the signature (a value added to the AllowedValues changes the row)
    twins: list[str] = field(default_factory=list)
    # a twin's own row (another deployment of the link of row `twin_of`, shown right after it): not counted among
    # the links, its id the fingerprint an approval pinned by fingerprint must name
    twin_of: str = ""

    @property
    def cover_flag(self) -> str:
        """"expired" / "expiring" when an approval needs attention, else ""."""
        states = {c.status for c in self.covers}
        if "expired" in states and not any(f.suppressed for f in self.findings):
            return "expired"
        return "expiring" if "expiring" in states else ""


@dataclass
class SupplierRow:
    """A provider or carrier the links use, and whether the registry lists it as licensed."""

    name: str
    roles: list[str]  # provider / carrier
    in_registry: bool
    licensed: bool
    detail: str
    links: int
    crossing: list[str]  # row ids of links into or out of mainland China
    mainland: int  # links with an end in mainland China
    twins: list[str] = field(default_factory=list)  # row ids of other deployments (twins) of its links


@dataclass
class Inventory:
    """The whole inventory: every link, the suppliers, and what could not be placed."""

    version: str
    today: str
    expiring_days: int
    rows: list[Row]
    suppliers: list[SupplierRow]
    no_carrier: list[str]  # ids of crossing rows that name no carrier
    errors: list[dict[str, Any]]
    notes: list[str]
    findings_total: int  # findings of link rules in the scan (rules with link kinds), suppressed ones included
    # findings that belong to no link (invalid suppressions, modules that could not be read...): shown, so
    # that a reader knows what the inventory may be missing
    other_findings: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""  # base revision of the change view
    removed: list[Row] = field(default_factory=list)

    @property
    def links(self) -> list[Row]:
        """The rows of links, twins' rows aside (they are other deployments of a link already counted)."""
        return [row for row in self.rows if not row.twin_of]

    @property
    def twin_rows(self) -> list[Row]:
        return [row for row in self.rows if row.twin_of]

    def counts(self) -> dict[str, int]:
        out = {c: 0 for c in CLASSES}
        for row in self.links:
            out[row.cls] += 1
        return out

    def twins_phrase(self) -> str:
        """"; 2 other deployments of them (twins: another allowed value, the same verdict, other ends)", or ""."""
        n = len(self.twin_rows)
        return f"; {n} other deployment{'s' if n != 1 else ''} of them (twins: another allowed value, the same verdict, other ends)" if n else ""

    def findings_phrase(self) -> str:
        """Why two counts: a scan's total also counts findings about no link (a module not read), and a reader
        comparing the two must see where the difference is."""
        text = f"{self.findings_total} findings on links"
        if self.other_findings:
            text += f", {len(self.other_findings)} about no link (listed below)"
        return text


def link_key(link: Link) -> str:
    labels = [end.label for end in (link.a, link.b) if end is not None]
    return "\n".join([link.kind.value, link.address, *labels])


def _digest(text: str) -> str:
    return sha256(text.encode())[:32]


def build(result: ScanResult, expiring_days: int = 30) -> Inventory:
    from xborder import suppress
    from xborder.rules.common import fingerprint
    from xborder.rules.licence import lookup

    ctx = result.context
    today = suppress.today()
    # rules without link kinds (XB001 invalid suppressions...) judge no link: their findings are no row
    meta = {info.id for info in result.rules if not info.link_kinds}
    by_fp: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.rule_id not in meta:
            by_fp.setdefault(f.fingerprint, []).append(f)
    matched: set[int] = set()
    rule_ids = sorted({info.id for info in result.rules} | {f.rule_id for f in result.findings})
    registry: dict[str, Supplier] = {}

    def supplier(name: str) -> Supplier | None:
        if not name or name == "device":
            return None
        if name not in registry:
            answer = lookup(name, ctx)
            registry[name] = Supplier(name, answer.name, answer.found, answer.licensed, answer.detail)
        return registry[name]

    rows: list[Row] = []
    order: dict[int, tuple[str, int]] = {}  # per row: its link's key and 0, or its host's key and its number as a twin
    seen_keys: dict[str, int] = {}
    used_ids: set[str] = set()
    for link in result.links:
        findings = [
            f
            for rid in rule_ids
            for f in by_fp.get(fingerprint(rid, link), [])
            if f.location.path == link.location.path and f.location.start_line == link.location.start_line
        ]
        findings.sort(key=lambda f: (f.rule_id, f.fingerprint))
        matched.update(id(f) for f in findings)
        ends = [_end(role, end, link, ctx) for role, end in (("a", link.a), ("b", link.b)) if end is not None]
        sides = {e.side for e in ends}
        crossing = {Side.MAINLAND.value, Side.OFFSHORE.value} <= sides
        inbound = False
        if link.kind.value in DIRECTED_KINDS and crossing:
            crossing = ends[0].side == Side.MAINLAND.value  # outbound only
            inbound = not crossing
        covers = _covers(findings, ctx, today, expiring_days)
        verdict, cls = _verdict(findings, sides, crossing)
        if inbound and not findings:
            verdict, cls = INBOUND, INBOUND
        key = link_key(link)
        n = seen_keys.get(key, 0)
        seen_keys[key] = n + 1
        if n:
            key = f"{key}\n#{n + 1}"
        row_id = findings[0].fingerprint if findings else _digest("link\n" + key)
        if row_id in used_ids:  # two links behind one finding (same address and ends): keep ids unique
            row_id = _digest("link\n" + key)
        used_ids.add(row_id)
        row = Row(
            id=row_id,
            key=_digest(key),
            kind=link.kind.value,
            resource_type=link.resource_type,
            address=link.address,
            path=link.location.path,
            line=link.location.start_line,
            source=link.source,
            ends=ends,
            provider=supplier(link.network_provider),
            carrier=supplier(link.operator),
            crossing=crossing,
            verdict=verdict,
            cls=cls,
            findings=[FindingRef(f.rule_id, f.severity, f.fingerprint, f.suppressed) for f in findings],
            covers=covers,
            notes=list(link.notes),
            details=dict(getattr(link, "details", None) or {}),
            directed=link.kind.value in DIRECTED_KINDS,
            world=link.world.setting() if link.world is not None else "",
            twins=_twins(link, findings),
        )
        row.notes.extend(row.twins)
        row.signature = _digest(_signature(row))
        rows.append(row)
        order[id(row)] = (row.key, 0)
        for n, twin_row in enumerate(_twin_rows(row, link, findings, key, ctx, supplier), 1):
            if twin_row.id in used_ids:
                continue
            used_ids.add(twin_row.id)
            rows.append(twin_row)
            order[id(twin_row)] = (row.key, n)
    # a twin's row right after its link's (the links' own order as before)
    rows.sort(key=lambda r: (r.path, r.line, r.address, *order[id(r)], r.id))
    suppliers, no_carrier = _suppliers(rows)
    return Inventory(
        version=result.version,
        today=today.isoformat(),
        expiring_days=expiring_days,
        rows=rows,
        suppliers=suppliers,
        no_carrier=no_carrier,
        errors=[{"path": e.path, "line": e.line, "message": e.message} for e in result.errors],
        notes=list(result.notes),
        findings_total=sum(1 for f in result.findings if f.rule_id not in meta),
        other_findings=[
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "message": f.message,
                "path": f.location.path,
                "line": f.location.start_line,
                "fingerprint": f.fingerprint,
                "suppressed": f.suppressed,
            }
            for f in result.findings
            if id(f) not in matched
        ],
    )


def _end(role: str, end: Any, link: Link, ctx: Any) -> EndRow:
    j = end.jurisdiction
    return EndRow(
        role=role,
        label=end.label,
        side=(j.side if j else Side.UNKNOWN).value,
        place=place_of(end, link, ctx),
        how=j.evidence if j else end.fact.value,
        decided_by=j.source if j else "unresolved",
    )


def _verdict(findings: list[Finding], sides: set[str], crossing: bool) -> tuple[str, str]:
    if crossing:
        cls = APPROVED if findings and all(f.suppressed for f in findings) else UNAPPROVED
    elif Side.UNKNOWN.value in sides:
        cls = UNKNOWN
    elif sides == {Side.MAINLAND.value}:
        cls = DOMESTIC
    else:
        cls = OFFSHORE_ONLY
    if findings:
        return ", ".join(dict.fromkeys(f.rule_id for f in findings)), cls
    return cls if not crossing else "crossing (no rule judged it)", cls


def _covers(findings: list[Finding], ctx: Any, today: _dt.date, days: int) -> list[CoverRow]:
    from xborder import suppress

    out: list[CoverRow] = []
    for f in findings:
        for c in suppress.covers(f, ctx):
            if not c.active:
                status = "expired"
            elif c.expires is not None and (c.expires - today).days <= days:
                status = "expiring"
            else:
                status = "active"
            row = CoverRow(c.kind, c.reason, c.reference, c.expires.isoformat() if c.expires else "", c.where, status)
            if row not in out:
                out.append(row)
    return out


def _twins(link: Link, findings: list[Finding]) -> list[str]:
    """"also with parameter P = v, ...: <the ends that differ> (fingerprint F)" per twin of the link, as its
    finding's evidence says it (the fingerprint the finding's rule gives the twin)."""
    if not link.twins:
        return []
    from xborder.rules.common import twin_ends, twin_fingerprint

    out = []
    for twin in link.twins:
        if twin.world is None:
            continue
        ends = "; ".join(twin_ends(link, twin))
        prints = ", ".join(dict.fromkeys(twin_fingerprint(f.rule_id, link, twin) for f in findings))
        out.append(f"also {dataclasses.replace(twin.world, contrast='').phrase()}: {ends}" + (f" (fingerprint {prints})" if prints else ""))
    return out


def _twin_rows(host: Row, link: Link, findings: list[Finding], key: str, ctx: Any, supplier: Any) -> list[Row]:
    """A row per twin of `link` (links/worlds.py): its world, its own ends and suppliers, the host's verdict and
    covers (an approval covers a twin only by covering the host's finding, which names it). Its id is the twin's
    fingerprint as the host's first finding's rule gives it; its key the host's key with the world's first value."""
    from xborder.rules.common import twin_fingerprint

    out = []
    for twin in link.twins:
        if twin.world is None:
            continue
        world = dataclasses.replace(twin.world, contrast="")
        twin_key = f"{key}\ntwin|{twin.address}|{world.parameter}={world.values[0]}"
        ends = [_end(role, e, twin, ctx) for role, e in (("a", twin.a), ("b", twin.b)) if e is not None]
        row = dataclasses.replace(
            host,
            id=twin_fingerprint(findings[0].rule_id, link, twin) if findings else _digest("twin\n" + twin_key),
            key=_digest(twin_key),
            ends=ends,
            provider=supplier(twin.network_provider),
            carrier=supplier(twin.operator),
            findings=[FindingRef(f.rule_id, f.severity, twin_fingerprint(f.rule_id, link, twin), f.suppressed) for f in findings],
            covers=list(host.covers),
            notes=[f"twin of {host.id}: the same link {world.phrase()}, with the same verdict and other ends"
                   + (f" ({twin.address})" if twin.address != host.address else "")],
            details=dict(getattr(twin, "details", None) or {}),
            world=world.setting(),
            twins=[],
            twin_of=host.id,
        )
        row.signature = _digest(_signature(row))
        out.append(row)
    return out


def _signature(row: Row) -> str:
    parts = [row.kind, row.resource_type, row.verdict, row.cls]
    parts += [f"twin|{t}" for t in row.twins]
    parts += [f"{e.role}|{e.side}|{e.place.key}" for e in row.ends]
    parts += [s.registry_name for s in (row.provider, row.carrier) if s is not None]
    parts += [f"{c.kind}|{c.reference}|{c.expires}|{c.status}" for c in row.covers]
    parts += [f"{k}={v}" for k, v in sorted(row.details.items())]
    return "\n".join(parts)


def _suppliers(rows: list[Row]) -> tuple[list[SupplierRow], list[str]]:
    table: dict[str, SupplierRow] = {}
    counted: set[tuple[str, str]] = set()
    no_carrier: list[str] = []
    for row in rows:
        mainland = any(e.side == Side.MAINLAND.value for e in row.ends)
        for role, s in (("provider", row.provider), ("carrier", row.carrier)):
            if s is None:
                continue
            entry = table.get(s.registry_name)
            if row.twin_of:  # another deployment of a link counted already (its row came first): listed, not counted
                if entry is not None and row.id not in entry.twins:
                    entry.twins.append(row.id)
                continue
            if entry is None:
                entry = table[s.registry_name] = SupplierRow(s.registry_name, [], s.in_registry, s.licensed, s.detail, 0, [], 0)
            if role not in entry.roles:
                entry.roles.append(role)
            if (entry.name, row.id) in counted:
                continue
            counted.add((entry.name, row.id))
            entry.links += 1
            entry.mainland += int(mainland)
            if row.crossing and row.id not in entry.crossing:
                entry.crossing.append(row.id)
        if row.crossing and row.carrier is None and not row.twin_of:
            no_carrier.append(row.id)
    for entry in table.values():
        entry.roles.sort()
    return sorted(table.values(), key=lambda s: s.name.lower()), no_carrier


def is_remote_access(row: Row) -> bool:
    return row.kind == LinkKind.REMOTE_ACCESS.value
