"""What every rule's findings share: factual wording, evidence lines and stable fingerprints."""

from __future__ import annotations

from xborder.digest import sha256
from xborder.model import Endpoint, Finding, Link, Side
from xborder.rules.base import RuleInfo

PLACE = {Side.MAINLAND: "in mainland China", Side.OFFSHORE: "outside mainland China", Side.UNKNOWN: "at an unknown location"}


def side(end: Endpoint | None) -> Side:
    if end is None or end.jurisdiction is None:
        return Side.UNKNOWN
    return end.jurisdiction.side


def describe(end: Endpoint) -> str:
    """One evidence line: what the end is, which side, and how that was decided."""
    j = end.jurisdiction
    where = j.side.value if j else "unknown"
    how = j.evidence if j else end.fact.value
    return f"{end.label}: {where}, {how}"


def fingerprint(rule_id: str, link: Link) -> str:
    """Stable across line moves and reformatting: rule, root module (unit), resource address and what the ends are.

    The unit is part of the identity: `envs/prod` copied to `envs/staging` is a new live link with the same
    address, and must not inherit the baseline entry of the original.
    """
    parts = [rule_id, link.address]
    if link.unit:
        parts.insert(1, f"unit:{link.unit}")
    for end in (link.a, link.b):
        if end is not None:
            parts.append(f"{end.label}|{end.fact.kind}|{end.fact.namespace}|{end.fact.value}")
    # surrogatepass: a lone surrogate in a label (`"\uD800"` in HCL or JSON) must not abort the scan
    return sha256("\n".join(parts).encode("utf-8", "surrogatepass"))[:32]


def finding(info: RuleInfo, link: Link, message: str, extra: list[str] | None = None, severity: str | None = None) -> Finding:
    evidence = [describe(end) for end in (link.a, link.b) if end is not None]
    if link.operator:
        evidence.append(f"carrier named by the configuration: {link.operator}")
    evidence.extend(extra or [])
    evidence.extend(f"note: {n}" for n in link.notes)
    if info.compliant:
        evidence.append(f"compliant setup: {info.compliant}")
    if link.world is not None:  # holds only with another value the template allows (links/worlds.py)
        message = f"{message} ({link.world.phrase()})"
    return Finding(
        rule_id=info.id,
        severity=severity or info.severity,
        message=message,
        location=link.location,
        resource=link.address,
        evidence=evidence,
        related=list(link.related),
        fingerprint=fingerprint(info.id, link),
        unit=link.unit,
        world=link.world,
    )


def crossing_message(title: str, link: Link) -> str:
    assert link.b is not None
    return (
        f"{title}: {link.address} connects {link.a.label} {PLACE[side(link.a)]} "
        f"with {link.b.label} {PLACE[side(link.b)]}"
    )


def unknown_message(title: str, link: Link) -> str:
    assert link.b is not None
    unknown = [end for end in (link.a, link.b) if side(end) is Side.UNKNOWN]
    known = [end for end in (link.a, link.b) if side(end) is not Side.UNKNOWN]
    if known:
        return (
            f"{title}: {link.address} has {known[0].label} {PLACE[side(known[0])]}, "
            f"but the location of {unknown[0].label} cannot be determined"
        )
    return f"{title}: {link.address}: the locations of neither {link.a.label} nor {link.b.label} can be determined"
