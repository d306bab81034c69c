"""The inventory as CSV for spreadsheets: UTF-8 with a byte-order mark (so Chinese names survive Excel),
one header row, RFC 4180 quoting, CRLF line ends, one line per link, and formula-looking cells defused."""

from __future__ import annotations

import csv
import io

from xborder.reports.inventory.model import EndRow, Inventory, Row, Supplier

HEADER = [
    "id", "change", "kind", "verdict", "class", "crossing", "address", "resource_type", "file", "line",
    "a_label", "a_side", "a_place", "a_decided_by", "a_how",
    "b_label", "b_side", "b_place", "b_decided_by", "b_how",
    "provider", "provider_licensed", "carrier", "carrier_licensed", "registry",
    "cover", "cover_reason", "cover_reference", "cover_expires", "cover_status", "details", "notes",
    "twin_of",  # last, so that columns read by position keep theirs: the row of which this is another deployment
]


def _cell(value: object) -> str:
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet; a leading apostrophe keeps it text.
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not text[1:2].isdigit()):
        return "'" + text
    return text


def _licensed(s: Supplier | None) -> str:
    if s is None:
        return ""
    return ("yes" if s.licensed else "no") if s.in_registry else "not in registry"


def _end(e: EndRow | None) -> list[str]:
    if e is None:
        return ["", "", "", "", ""]
    return [e.label, e.side, e.place.name, e.decided_by, e.how]


def line(row: Row) -> list[str]:
    ends = {e.role: e for e in row.ends}
    covers = row.covers
    registry = "; ".join(s.detail for s in (row.provider, row.carrier) if s is not None)
    values = [
        row.id, row.change, row.kind, row.verdict, row.cls, "yes" if row.crossing else "no", row.address,
        row.resource_type, row.path, row.line,
        *_end(ends.get("a")), *_end(ends.get("b")),
        row.provider.registry_name if row.provider else "", _licensed(row.provider),
        row.carrier.name if row.carrier else "", _licensed(row.carrier), registry,
        "; ".join(f"{c.kind} {c.where}" for c in covers),
        "; ".join(c.reason for c in covers),
        "; ".join(c.reference for c in covers if c.reference),
        "; ".join(c.expires for c in covers if c.expires),
        "; ".join(c.status for c in covers),
        "; ".join(f"{k}: {v}" for k, v in sorted(row.details.items())),
        "; ".join(row.notes),
        row.twin_of,
    ]
    return [_cell(v) for v in values]


def render(inv: Inventory) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in [*inv.rows, *inv.removed]:
        writer.writerow(line(row))
    return "\ufeff" + buf.getvalue()
