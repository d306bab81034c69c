"""The inventory as a terminal table: one line per link, then the supplier and remote-access views."""

from __future__ import annotations

from xborder.reports.inventory.model import Inventory, Row

_COLOURS = {"unapproved crossing": "31", "approved crossing": "32", "unknown": "33"}


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def short_address(row: Row) -> str:
    """Device-config addresses start with their file, already shown: drop it."""
    prefix = f"{row.path}: "
    return row.address[len(prefix):] if row.address.startswith(prefix) else row.address


def _ends(row: Row) -> str:
    return " ↔ ".join(f"{e.place.name} [{e.side}]" for e in row.ends)


def _cover(row: Row) -> str:
    if not row.covers:
        return ""
    c = row.covers[0]
    text = f"{c.kind} {c.reference or c.where}" + (f" until {c.expires}" if c.expires else "")
    return (f"{row.cover_flag.upper()}: " if row.cover_flag else "") + text


def render(inv: Inventory, color: bool = False) -> str:
    header: tuple[str, ...] = ("LINK", "KIND", "VERDICT", "ENDS", "SUPPLIER", "COVER")
    worlds = any(row.world for row in inv.rows)  # a column only when some link holds with a deploy-time value
    if worlds:
        header = (*header[:3], "WORLD", *header[3:])
    lines = []
    for row in inv.rows:
        supplier = row.carrier.name if row.carrier else (row.provider.registry_name if row.provider else "")
        link = f"  + twin: {row.world}" if row.twin_of else f"{row.path}:{row.line} {short_address(row)}"
        cells: tuple[str, ...] = (
            (f"{row.change[:1].upper()} " if row.change and row.change != "unchanged" else "") + link,
            row.kind,
            row.verdict,
            _ends(row),
            supplier,
            _cover(row),
        )
        if worlds:
            cells = (*cells[:3], row.world or "defaults", *cells[3:])
        lines.append((cells, row.cls))
    wide = (0, 4) if worlds else (0, 3)  # LINK and ENDS
    widths = [min(60 if i in wide else 50, max([len(header[i])] + [len(c[i]) for c, _ in lines])) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for cells, cls in lines:
        text = "  ".join(_fit(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip()
        if color and cls in _COLOURS:
            text = f"\x1b[{_COLOURS[cls]}m{text}\x1b[0m"
        out.append(text)
    for row in inv.removed:
        out.append(f"- removed since {inv.base}: {row.path}:{row.line} {row.address} ({row.kind}, {row.verdict})")
    counts = inv.counts()
    out.append("")
    out.append(f"{len(inv.links)} links: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n) + inv.twins_phrase()
               + f"; {inv.findings_phrase()}")
    if inv.suppliers:
        out.append("")
        out.append("Suppliers (provider or carrier; licence per the registry):")
        for s in inv.suppliers:
            lic = ("licensed" if s.licensed else "not licensed") if s.in_registry else "not in the registry"
            twins = f", {len(s.twins)} other deployments (twins)" if s.twins else ""
            out.append(f"  {s.name} ({', '.join(s.roles)}): {lic}; {s.links} links, {s.mainland} touching mainland China, {len(s.crossing)} crossing{twins}")
    if inv.no_carrier:
        out.append(f"  crossing links naming no carrier: {len(inv.no_carrier)}")
    remote = [r for r in inv.links if r.kind == "remote-access"]
    if remote:
        out.append("")
        out.append("Remote-access services:")
        for r in remote:
            end = r.ends[0]
            clients = f"; clients {r.details['clients']}" if r.details.get("clients") else ""
            out.append(f"  {r.path}:{r.line} {short_address(r)}: hosted at {end.place.name} [{end.side}]{clients}")
    for f in inv.other_findings:
        out.append(f"finding about no link: {f['path']}:{f['line']}: {f['rule_id']} {f['message']}")
    for e in inv.errors:
        out.append(f"error: {e['path']}:{e['line']}: {e['message']}")
    return "\n".join(out) + "\n"
