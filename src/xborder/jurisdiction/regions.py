"""Region and location-code tables: (table, code) -> side, never the code string alone."""

from __future__ import annotations

from xborder.model import Fact, Jurisdiction, Side
from xborder.policy import Policies, RegionTable

_CONFIDENCE = {"S": " [secondary source]", "U": " [unverified]"}


def resolve_code(fact: Fact, policies: Policies) -> Jurisdiction:
    """Look a region or location code up in the table its fact names."""
    table = policies.tables.get(fact.namespace) or policies.table_for_provider(fact.namespace)
    what = "region" if fact.kind == "region" else "location"
    suffix = f"; {fact.origin}" if fact.origin else ""
    if table is None:
        return Jurisdiction(
            Side.UNKNOWN,
            f"{what} {fact.value}: no region table for {fact.namespace or 'this provider'}{suffix}",
            "unresolved",
        )
    entry = table.lookup(fact.value)
    if entry is not None:
        side = Side.MAINLAND if entry.side == "mainland" else Side.OFFSHORE
        detail = ", ".join(x for x in (entry.place, entry.note) if x)
        flag = _CONFIDENCE.get(entry.confidence[:1], "")
        return Jurisdiction(side, f"{what} {fact.value} ({table.display}: {detail}){flag}{suffix}", "region-table")
    if table.unlisted == "offshore":
        note = f"; {table.unlisted_note}" if table.unlisted_note else ""
        return Jurisdiction(
            Side.OFFSHORE, f"{what} {fact.value} ({table.display}: not a mainland China region{note}){suffix}", "region-table"
        )
    if fact.kind == "region":
        head = f"unlisted region {fact.value} for provider {fact.namespace or table.name}"
    else:
        head = f"unlisted {what} {fact.value} in the {table.display} table"
    hint = did_you_mean(fact.value, table)
    note = f"; {table.unlisted_note}" if table.unlisted_note else ""
    return Jurisdiction(
        Side.UNKNOWN,
        f"{head} (not in policies/regions/{table.name}.yaml{hint}){note}{suffix}",
        "unresolved",
    )


def did_you_mean(code: str, table: RegionTable) -> str:
    """`; did you mean cn-north-1?` when a listed code is close: a typo must be visible, never a verdict."""
    import difflib  # noqa: PLC0415 - only for codes missing from a table

    keys = {table.key(k): k for k in table.entries if not k.endswith("*")}
    close = difflib.get_close_matches(table.key(code), list(keys), n=2, cutoff=0.75)
    return f"; did you mean {' or '.join(keys[c] for c in close)}?" if close else ""


# A coarse outline of mainland China (longitude, latitude), clockwise from the Amur/Ussuri confluence,
# enclosing Hainan and the coastal waters. It is approximate ([U]): good for cities, not for points
# near a land border. Hong Kong, Macau and Taiwan (with Kinmen, Matsu and Penghu) are cut out below
# because a plain box or outline of China contains them.
MAINLAND_OUTLINE: tuple[tuple[float, float], ...] = (
    (135.1, 48.4), (131.0, 47.7), (127.5, 49.8), (125.6, 53.1), (121.0, 53.4), (119.8, 52.6),
    (117.3, 49.6), (116.6, 49.9), (115.4, 47.7), (119.7, 47.2), (119.7, 46.6), (117.4, 46.6),
    (113.6, 44.8), (111.9, 43.6), (107.0, 42.4), (105.0, 41.6), (100.8, 42.6), (96.4, 42.7),
    (95.3, 44.3), (90.9, 45.3), (90.7, 47.0), (88.0, 48.6), (87.3, 49.2), (85.5, 47.1),
    (82.3, 47.2), (82.6, 45.3), (80.2, 45.0), (80.3, 44.2), (80.2, 42.1), (77.0, 41.0),
    (75.4, 40.5), (73.6, 39.5), (73.5, 37.3), (74.9, 37.1), (75.6, 36.7), (77.8, 35.5),
    (79.5, 32.5), (78.8, 31.2), (81.1, 30.0), (85.0, 28.5), (88.0, 27.9), (88.9, 27.3),
    (89.6, 28.2), (91.6, 27.9), (94.0, 29.0), (97.0, 28.2), (98.5, 27.5), (98.7, 25.9),
    (97.6, 24.0), (99.5, 22.1), (101.2, 21.2), (101.8, 21.2), (102.1, 22.4), (103.9, 22.5),
    (105.3, 23.3), (106.7, 22.8), (108.0, 21.5), (108.4, 18.0), (111.3, 18.0), (111.5, 20.6),
    (113.3, 21.5), (114.6, 22.0), (116.5, 22.7), (117.7, 23.3), (118.6, 24.2), (119.4, 25.0),
    (119.8, 25.6), (120.4, 26.8), (121.3, 28.0), (122.5, 29.8), (122.3, 31.0), (121.9, 31.8),
    (121.0, 32.6), (120.5, 34.0), (119.5, 35.0), (120.6, 36.0), (122.7, 37.0), (122.6, 37.6),
    (121.5, 37.9), (119.1, 37.6), (118.2, 38.5), (117.8, 39.1), (119.5, 39.8), (121.0, 40.8),
    (121.1, 38.6), (121.8, 38.7), (122.5, 39.3), (124.3, 39.8), (126.0, 41.0), (128.0, 41.4), (129.5, 42.4),
    (130.6, 42.4), (131.2, 43.0), (131.3, 44.9), (133.1, 45.1), (134.7, 47.7),
)

# (lat_min, lat_max, lon_min, lon_max, place): offshore areas inside or next to the outline.
OFFSHORE_BOXES: tuple[tuple[float, float, float, float, str], ...] = (
    (22.13, 22.51, 113.82, 114.50, "Hong Kong"),
    (22.09, 22.23, 113.52, 113.63, "Macau"),
    (21.85, 25.35, 119.95, 122.10, "Taiwan"),
    (23.15, 23.80, 119.30, 119.75, "Penghu (Taiwan)"),
    (24.35, 24.55, 118.20, 118.50, "Kinmen (Taiwan)"),
    (25.90, 26.40, 119.85, 120.55, "Matsu (Taiwan)"),
)


def _inside(lon: float, lat: float, polygon: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    j = len(polygon) - 1
    for i, (xi, yi) in enumerate(polygon):
        xj, yj = polygon[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def resolve_coordinates(fact: Fact) -> Jurisdiction:
    """Latitude/longitude ("lat,lon") against a coarse outline of mainland China minus HK, Macau and Taiwan."""
    suffix = f"; {fact.origin}" if fact.origin else ""
    try:
        lat, lon = (float(x) for x in fact.value.split(","))
    except ValueError:
        return Jurisdiction(Side.UNKNOWN, f"'{fact.value}' are not coordinates{suffix}", "unresolved")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Jurisdiction(Side.UNKNOWN, f"coordinates {lat:g},{lon:g} are out of range{suffix}", "unresolved")
    where = f"coordinates {lat:g},{lon:g}"
    for lat0, lat1, lon0, lon1, place in OFFSHORE_BOXES:
        if lat0 <= lat <= lat1 and lon0 <= lon <= lon1:
            return Jurisdiction(Side.OFFSHORE, f"{where} are in {place}{suffix}", "coordinates")
    if _inside(lon, lat, MAINLAND_OUTLINE):
        return Jurisdiction(
            Side.MAINLAND,
            f"{where} are inside a coarse outline of mainland China [unverified near land borders]{suffix}",
            "coordinates",
        )
    return Jurisdiction(
        Side.OFFSHORE,
        f"{where} are outside a coarse outline of mainland China [unverified near land borders]{suffix}",
        "coordinates",
    )
