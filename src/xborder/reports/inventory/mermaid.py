"""The inventory as a Mermaid flowchart: places as nodes grouped by side of the border, links as edges.

Legibility of large inventories, decided here:
- links between the same two nodes with the same kind and class become one edge labelled with a count;
- one-ended services (remote access, provider presence) are counted on their node, not drawn as edges;
- above MAX_NODES distinct places (or with --map-detail areas) the map switches to areas: a city (cloud regions, sites) or the
  registry country of an address, so hundreds of links collapse to a few dozen nodes; every link is still
  listed in the tables next to the map;
- nodes and edges are sorted by name, so the same input gives the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xborder.reports.inventory.model import APPROVED, DOMESTIC, INBOUND, OFFSHORE_ONLY, UNAPPROVED, UNKNOWN, Inventory
from xborder.reports.inventory.places import TERRITORIES, Place

MAX_NODES = 60
EDGE_STYLE = {
    UNAPPROVED: "stroke:#d62728,stroke-width:3px",
    APPROVED: "stroke:#2ca02c,stroke-width:2px,stroke-dasharray:6 3",
    DOMESTIC: "stroke:#7f7f7f,stroke-width:1px",
    OFFSHORE_ONLY: "stroke:#7f7f7f,stroke-width:1px",
    UNKNOWN: "stroke:#ff7f0e,stroke-width:2px,stroke-dasharray:2 3",
    INBOUND: "stroke:#1f77b4,stroke-width:1px",
}
# Map legend, in the order shown; domestic and offshore-only links share a style (they do not cross).
LEGEND = (
    (UNAPPROVED, "thick red line", "crosses the border, no approval covers it"),
    (APPROVED, "dashed green line", "crosses the border, an approval or suppression covers it"),
    (DOMESTIC, "thin grey line", "both ends on the same side (domestic or offshore only)"),
    (UNKNOWN, "dotted orange line", "an end could not be placed"),
    (INBOUND, "thin blue arrow", "data flowing into mainland China (only outbound flows are judged)"),
)
NODE_CLASS = {
    "mainland": "fill:#fdecea,stroke:#c0392b,color:#000",
    "offshore": "fill:#e8f1fb,stroke:#2c6fbb,color:#000",
    "unknown": "fill:#fff4e0,stroke:#e67e22,color:#000",
}
SUBGRAPHS = (("mainland", "Mainland China"), ("offshore", "Outside mainland China"), ("unknown", "Unknown"))
SUBGRAPH_STYLE = {
    "mainland": "fill:#fff7f6,stroke:#c0392b",
    "offshore": "fill:#f5f9fe,stroke:#2c6fbb",
    "hk": "fill:#eaf2fc,stroke:#2c6fbb,stroke-dasharray:4 2",
    "mo": "fill:#eaf2fc,stroke:#2c6fbb,stroke-dasharray:4 2",
    "tw": "fill:#eaf2fc,stroke:#2c6fbb,stroke-dasharray:4 2",
    "unknown": "fill:#fffaf2,stroke:#e67e22",
}


@dataclass
class _Node:
    """One node of the map: a place or area, its side of the border and the services seen there."""

    key: str
    name: str
    side: str
    territory: str
    services: dict[str, int] = field(default_factory=dict)


def _text(value: str) -> str:
    """A label inside double quotes: Mermaid entity codes for what would end or break it."""
    out = value.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return " ".join(out.split())


def use_areas(inv: Inventory) -> bool:
    return len({e.place.key for r in inv.rows for e in r.ends}) > MAX_NODES


def render(inv: Inventory, areas: bool | None = None) -> str:
    areas = use_areas(inv) if areas is None else areas
    nodes: dict[str, _Node] = {}

    def node(p: Place) -> _Node:
        key, name = (p.area_key or p.key, p.area_name or p.name) if areas else (p.key, p.name)
        key = f"{p.side.value}|{key}"
        if key not in nodes:
            nodes[key] = _Node(key, name, p.side.value, p.territory)
        return nodes[key]

    edges: dict[tuple[str, str, str, str, bool], int] = {}
    for row in inv.rows:
        if len(row.ends) == 2:
            a, b = (node(e.place) for e in row.ends)
            if not row.directed and (a.side, a.name) > (b.side, b.name):  # one order per undirected pair
                a, b = b, a
            kind = f"{row.kind} (twin, {row.world})" if row.twin_of else row.kind  # another deployment: its world
            k = (a.key, b.key, kind, row.cls, row.directed)
            edges[k] = edges.get(k, 0) + 1
        elif row.ends:
            n = node(row.ends[0].place)
            n.services[row.kind] = n.services.get(row.kind, 0) + 1

    ordered = sorted(nodes.values(), key=lambda n: (n.side, n.territory, n.name.lower(), n.key))
    ids = {n.key: f"n{i}" for i, n in enumerate(ordered)}
    out = ["flowchart LR"]
    drawn: list[str] = []
    for side, title in SUBGRAPHS:
        members = [n for n in ordered if n.side == side]
        if not members:
            continue
        out.append(f'  subgraph {side}["{title}"]')
        drawn.append(side)
        if side == "offshore":
            for code, terr in TERRITORIES.items():
                inside = [n for n in members if n.territory == terr]
                if inside:
                    out.append(f'    subgraph {code.lower()}["{terr}"]')
                    drawn.append(code.lower())
                    out.extend(f"      {_node_line(ids[n.key], n)}" for n in inside)
                    out.append("    end")
            members = [n for n in members if not n.territory]
        out.extend(f"    {_node_line(ids[n.key], n)}" for n in members)
        out.append("  end")
    styles: dict[str, list[int]] = {}
    ordered_edges = sorted(edges.items(), key=lambda kv: (int(ids[kv[0][0]][1:]), int(ids[kv[0][1]][1:]), kv[0][2:]))
    for i, ((a, b, kind, cls, directed), count) in enumerate(ordered_edges):
        label = kind if count == 1 else f"{kind} ×{count}"
        out.append(f'  {ids[a]} {"-->" if directed else "---"}|"{_text(label)}"| {ids[b]}')
        styles.setdefault(cls, []).append(i)
    for cls, indexes in sorted(styles.items()):
        out.append(f"  linkStyle {','.join(map(str, indexes))} {EDGE_STYLE[cls]}")
    out.extend(f"  style {sub} {SUBGRAPH_STYLE[sub]}" for sub in drawn)
    for side, style in NODE_CLASS.items():
        out.append(f"  classDef {side} {style}")
        members = [ids[n.key] for n in ordered if n.side == side]
        if members:
            out.append(f"  class {','.join(members)} {side}")
    return "\n".join(out) + "\n"


def _node_line(node_id: str, n: _Node) -> str:
    label = _text(n.name)
    extra = [f"{kind} ×{count}" if count > 1 else kind for kind, count in sorted(n.services.items())]
    if extra:
        label += "<br/>" + _text(", ".join(extra))
    return f'{node_id}["{label}"]'
