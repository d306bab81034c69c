"""The inventory as JSON, described by src/xborder/schemas/inventory.schema.json (add keys, never rename)."""

from __future__ import annotations

import json
from typing import Any

from xborder.reports.inventory.model import EndRow, Inventory, Row, Supplier

SCHEMA_ID = "https://xborder.invalid/schemas/inventory.schema.json"


def _supplier(s: Supplier | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"name": s.name, "registry_name": s.registry_name, "in_registry": s.in_registry, "licensed": s.licensed, "registry": s.detail}


def _end(e: EndRow) -> dict[str, Any]:
    return {
        "role": e.role,
        "label": e.label,
        "side": e.side,
        "place": e.place.name,
        "place_key": e.place.key,
        "country": e.place.country,
        "territory": e.place.territory,
        "decided_by": e.decided_by,
        "how": e.how,
    }


def row_dict(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id,
        "key": row.key,
        "kind": row.kind,
        "resource_type": row.resource_type,
        "address": row.address,
        "path": row.path,
        "line": row.line,
        "source": row.source,
        "ends": [_end(e) for e in row.ends],
        "provider": _supplier(row.provider),
        "carrier": _supplier(row.carrier),
        "crossing": row.crossing,
        "directed": row.directed,
        "verdict": row.verdict,
        "class": row.cls,
        "findings": [
            {"rule_id": f.rule_id, "severity": f.severity, "fingerprint": f.fingerprint, "suppressed": f.suppressed}
            for f in row.findings
        ],
        "covers": [
            {"kind": c.kind, "reason": c.reason, "reference": c.reference, "expires": c.expires, "where": c.where, "status": c.status}
            for c in row.covers
        ],
        "cover_flag": row.cover_flag,
        "details": dict(sorted(row.details.items())),
        "notes": list(row.notes),
    }
    if row.change:
        out["change"] = row.change
    if row.twin_of:  # another deployment of the link of row `twin_of` (its world): model._twin_rows
        out["world"] = row.world
        out["twin_of"] = row.twin_of
    return out


def to_dict(inv: Inventory) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "version": inv.version,
        "today": inv.today,
        "expiring_days": inv.expiring_days,
        "summary": {
            "links": len(inv.links),
            "by_class": inv.counts(),
            "by_kind": _by_kind(inv),
            "findings": inv.findings_total,
            "expired_or_expiring_approvals": sum(1 for r in inv.links if r.cover_flag),
            "errors": len(inv.errors),
            **({"twins": len(inv.twin_rows)} if inv.twin_rows else {}),
        },
        "links": [row_dict(r) for r in inv.rows],
        "suppliers": [
            {
                "name": s.name,
                "roles": list(s.roles),
                "in_registry": s.in_registry,
                "licensed": s.licensed,
                "registry": s.detail,
                "links": s.links,
                "mainland_links": s.mainland,
                "crossing_links": list(s.crossing),
                **({"twin_links": list(s.twins)} if s.twins else {}),
            }
            for s in inv.suppliers
        ],
        "no_carrier": list(inv.no_carrier),
        "remote_access": [
            {
                "id": r.id,
                "address": r.address,
                "path": r.path,
                "line": r.line,
                "side": r.ends[0].side if r.ends else "unknown",
                "place": r.ends[0].place.name if r.ends else "",
                "clients": r.details.get("clients", ""),
                "verdict": r.verdict,
            }
            for r in inv.links
            if r.kind == "remote-access"
        ],
        "other_findings": list(inv.other_findings),
        "errors": list(inv.errors),
        "notes": list(inv.notes),
    }
    if inv.base:
        doc["changes"] = {
            "base": inv.base,
            "added": [r.id for r in inv.rows if r.change == "added"],
            "changed": [r.id for r in inv.rows if r.change == "changed"],
            "removed": [row_dict(r) for r in inv.removed],
        }
    return doc


def _by_kind(inv: Inventory) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in inv.links:
        out[r.kind] = out.get(r.kind, 0) + 1
    return dict(sorted(out.items()))


def render(inv: Inventory) -> str:
    return json.dumps(to_dict(inv), indent=2, ensure_ascii=False) + "\n"
