"""Where one end of a link is, as a place a reader recognises: a site, a cloud region, an address, or unknown.

The jurisdiction stage decides the side and says how in words; the inventory also needs a stable name to
group ends by (map nodes) and, outside the mainland, the territory (Hong Kong, Macau and Taiwan are shown
apart from the rest of the world so that nobody mistakes them for the mainland). The same sources are
asked again (site inventory, region tables, IP registry data), so the place always agrees with the side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xborder.model import Endpoint, Link, Side

# Territories shown apart inside "Outside mainland China": ISO code -> name.
TERRITORIES = {"HK": "Hong Kong", "MO": "Macau", "TW": "Taiwan"}
# Words in a region table's place text that name one of them (region tables carry places, not countries).
_TERRITORY_WORDS = (
    ("hong kong", "HK"),
    ("hongkong", "HK"),
    ("macau", "MO"),
    ("macao", "MO"),
    ("taiwan", "TW"),
    ("taipei", "TW"),
    ("changhua", "TW"),
    ("kaohsiung", "TW"),
    ("taichung", "TW"),
)


@dataclass(frozen=True)
class Place:
    """A map node: `key` is stable and unique, `name` is what people read."""

    key: str
    name: str
    side: Side
    country: str = ""  # ISO 3166-1 alpha-2 when known ("CN", "HK", "SG")
    area_key: str = ""  # coarser grouping for large maps (city, country or "unknown")
    area_name: str = ""

    @property
    def territory(self) -> str:
        """Hong Kong, Macau or Taiwan for ends there, else ""."""
        return TERRITORIES.get(self.country, "") if self.side is Side.OFFSHORE else ""


def territory_code(text: str) -> str:
    low = text.lower()
    for word, code in _TERRITORY_WORDS:
        if word in low:
            return code
    return ""


def place_of(end: Endpoint, link: Link, ctx: Any) -> Place:
    """The place of one end, asking the source that decided its side."""
    j = end.jurisdiction
    side = j.side if j is not None else Side.UNKNOWN
    source = j.source if j is not None else "unresolved"
    fact = end.fact
    if source == "site-inventory":
        site = _site(end, ctx)
        if site is not None:
            return _with_area(Place(f"site:{site.name}", f"site {site.name}", side, site.country), site.name)
    if fact.kind in ("region", "code") and source == "region-table":
        place = _region(fact.kind, fact.namespace, fact.value, side, ctx)
        if place is not None:
            return place
    if source == "ip-registry":
        value = _address(fact.value)
        country = _ip_country(value)
        name = f"{value} ({country})" if country else value
        return Place(f"ip:{value}", name, side, country, f"country:{country}", _country_name(country, side))
    if fact.kind == "country" and source == "configuration":
        code = fact.value.strip().upper()
        return Place(f"country:{code}", _country_name(code, side), side, code, f"country:{code}", _country_name(code, side))
    if source == "coordinates":
        code = territory_code(j.evidence if j else "")
        return Place(f"coordinates:{fact.value}", f"coordinates {fact.value}", side, code, f"coordinates:{fact.value}", f"coordinates {fact.value}")
    # unknown, or a source the inventory has no names for: one node per end, named by what the configuration says
    value = fact.value if fact.kind in ("address", "device", "region", "code", "country") and fact.value else ""
    if value:
        key, name = f"{fact.kind}:{fact.namespace}:{value}", f"{value}"
    else:
        key, name = f"end:{link.address}:{end.label}", f"{end.label} of {link.address}"
    area = "unknown" if side is Side.UNKNOWN else f"other:{side.value}"
    area_name = "unknown ends" if side is Side.UNKNOWN else f"other ends {side.value}"
    return Place(key, name, side, "", area, area_name)


def _with_area(place: Place, city: str) -> Place:
    return Place(place.key, place.name, place.side, place.country, f"place:{city.lower()}", city)


def _site(end: Endpoint, ctx: Any) -> Any:
    from xborder.jurisdiction.sites import site_of_address

    config = getattr(ctx, "config", None)
    if config is None or not getattr(config, "sites", None):
        return None
    fact = end.fact
    if fact.kind == "device" and fact.namespace:
        site = config.site_for_path(fact.namespace, ctx.root)
        if site is not None:
            return site
    return site_of_address(fact.value, config)


def _region(kind: str, namespace: str, value: str, side: Side, ctx: Any) -> Place | None:
    policies = ctx.policies
    table = policies.tables.get(namespace) or policies.table_for_provider(namespace)
    if table is None:
        return None
    entry = table.lookup(value)
    if entry is None:  # an unlisted code of a table whose unlisted codes are offshore
        return Place(f"{table.name}:{value}", f"{table.display} {value}", side, "", f"other:{side.value}", f"other ends {side.value}")
    code = next((k for k, e in table.entries.items() if e is entry), value)
    name = f"{table.display} {code}" if code.lower() == entry.place.lower() else f"{table.display} {code} ({entry.place})"
    country = "CN" if side is Side.MAINLAND else territory_code(entry.place)
    return Place(f"{table.name}:{code}", name, side, country, f"place:{entry.place.lower()}", entry.place)


def _address(value: str) -> str:
    from xborder.jurisdiction.addresses import parse_ip

    addr = parse_ip(value)
    return str(addr) if addr is not None else value.strip()


def _ip_country(value: str) -> str:
    try:
        import iptocc  # lazy, as in the jurisdiction stage

        return str(iptocc.country_code(value) or "")
    except Exception:  # noqa: BLE001 - a name without registry data has no country
        return ""


def _country_name(code: str, side: Side) -> str:
    if not code:
        return "addresses without registry data"
    if code in TERRITORIES:
        return TERRITORIES[code]
    return "mainland China addresses" if code == "CN" else f"addresses registered in {code}"
