"""The inventory as Markdown for a review document, a pull-request comment or a workflow's job summary:
summary counts, the Mermaid map (GitHub renders it), then the links, suppliers and remote-access tables."""

from __future__ import annotations

from xborder.reports.inventory import mermaid
from xborder.reports.inventory.model import CLASSES, Inventory, Row
from xborder.reports.inventory.table import short_address


def _cell(value: object) -> str:
    return " ".join(str(value).split()).replace("|", "\\|") or " "


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _ends(row: Row) -> str:
    return " ↔ ".join(f"{e.place.name} ({e.side})" for e in row.ends)


def _cover(row: Row) -> str:
    parts = []
    for c in row.covers:
        text = f"{c.kind} {c.reference}".strip() + (f": {c.reason}" if c.reason else "")
        if c.expires:
            text += f" (until {c.expires})"
        if c.status != "active":
            text += f" **{c.status.upper()}**"
        parts.append(text)
    return "; ".join(parts)


def render(inv: Inventory, areas: bool | None = None) -> str:
    counts = inv.counts()
    out = ["# xborder inventory", ""]
    out.append(
        f"{len(inv.links)} links: "
        + ", ".join(f"**{counts[c]}** {c}" for c in CLASSES)
        + inv.twins_phrase()
        + f". {inv.findings_phrase()}."
    )
    flagged = [r for r in inv.links if r.cover_flag]
    if flagged:
        out.append(f"{len(flagged)} approvals expired or expiring within {inv.expiring_days} days (as of {inv.today}).")
    if inv.errors:
        out.append(f"**{len(inv.errors)} files could not be read**; their links are missing (see the end).")
    if inv.base:
        added = [r for r in inv.rows if r.change == "added"]
        changed = [r for r in inv.rows if r.change == "changed"]
        crossing_added = sum(1 for r in added if r.crossing)
        out += ["", f"## Changes since `{inv.base}`", ""]
        out.append(
            f"{len(added)} links added ({crossing_added} crossing the border), {len(changed)} changed, "
            f"{len(inv.removed)} removed."
        )
        rows = [[r.change, f"`{r.path}:{r.line}`", r.address, r.kind, r.verdict] for r in [*added, *changed]]
        rows += [["removed", f"`{r.path}:{r.line}`", r.address, r.kind, r.verdict] for r in inv.removed]
        if rows:
            out += [""] + _table(["change", "file", "link", "kind", "verdict"], rows)
    out += ["", "## Map", ""]
    areas = mermaid.use_areas(inv) if areas is None else areas
    if areas:
        out.append("Ends are grouped by city (cloud regions, sites) or registry country (addresses); the tables list every link.")
        out.append("")
    out += ["```mermaid", mermaid.render(inv, areas).rstrip("\n"), "```", ""]
    out += [f"- {style}: {cls}, {meaning}" for cls, style, meaning in mermaid.LEGEND]
    out.append("- parallel links between the same two places are one line with a count (×N); one-ended services are counted on their node")
    out.append("- data flows are arrows from the source to the destination; other links have no direction")
    out += ["", "## Links", ""]
    worlds = any(r.world for r in inv.rows)  # a column only when some link holds with a deploy-time value
    out += _table(
        ["id", "file", "link", "kind", *(["world"] if worlds else []), "ends", "supplier", "verdict", "approval"],
        [
            [
                f"`{r.id[:12]}`",
                f"`{r.path}:{r.line}`",
                f"+ twin of {short_address(r)}" if r.twin_of else short_address(r),
                r.kind,
                *([r.world or "defaults"] if worlds else []),
                _ends(r),
                ", ".join(dict.fromkeys(s.registry_name for s in (r.provider, r.carrier) if s is not None)),
                r.verdict,
                _cover(r),
            ]
            for r in inv.rows
        ],
    )
    if inv.suppliers:
        out += ["", "## Suppliers", ""]
        out += _table(
            ["supplier", "role", "licensed (registry)", "links", "touching mainland", "crossing", "registry says"],
            [
                [
                    s.name,
                    ", ".join(s.roles),
                    ("yes" if s.licensed else "no") if s.in_registry else "not in registry",
                    s.links,
                    s.mainland,
                    len(s.crossing) if not s.twins else f"{len(s.crossing)} (and {len(s.twins)} other deployments: twins)",
                    s.detail,
                ]
                for s in inv.suppliers
            ],
        )
        out.append("")
        out.append(f"Crossing links that name no carrier: {len(inv.no_carrier)}.")
    remote = [r for r in inv.links if r.kind == "remote-access"]
    if remote:
        out += ["", "## Remote-access services", ""]
        out += _table(
            ["file", "service", "hosted at", "side", "clients", "verdict"],
            [[f"`{r.path}:{r.line}`", short_address(r), r.ends[0].place.name, r.ends[0].side, r.details.get("clients", "not stated"), r.verdict] for r in remote],
        )
    if inv.other_findings:
        out += ["", "## Findings about no link", ""]
        out.append("These may hide links from the inventory (a module that was not read) or concern approvals.")
        out.append("")
        out += [
            f"- `{f['path']}:{f['line']}` {f['rule_id']}{' (suppressed)' if f['suppressed'] else ''}: {_cell(f['message'])}"
            for f in inv.other_findings
        ]
    if inv.errors:
        out += ["", "## Files that could not be read", ""]
        out += [f"- `{e['path']}:{e['line']}`: {_cell(e['message'])}" for e in inv.errors]
    return "\n".join(out) + "\n"
