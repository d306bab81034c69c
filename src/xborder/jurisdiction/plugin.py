"""Built-in jurisdiction sources: region tables, IP registry data and sides stated by the configuration."""

from __future__ import annotations

from xborder.context import ScanContext
from xborder.hookspecs import hookimpl
from xborder.jurisdiction.addresses import resolve_address, resolve_country
from xborder.jurisdiction.regions import resolve_code, resolve_coordinates
from xborder.model import Fact, Jurisdiction, Side


@hookimpl(trylast=True)
def xborder_resolve(fact: Fact, ctx: ScanContext) -> Jurisdiction | None:
    if fact.kind in ("region", "code"):
        return resolve_code(fact, ctx.policies)
    if fact.kind == "address":
        return resolve_address(fact)
    if fact.kind == "country":
        return resolve_country(fact)
    if fact.kind == "coordinates":
        return resolve_coordinates(fact)
    if fact.kind == "side":
        side = Side(fact.value)
        return Jurisdiction(side, f"{'mainland China' if side is Side.MAINLAND else 'outside mainland China'}: {fact.origin}", "configuration")
    if fact.kind == "unknown":
        return Jurisdiction(Side.UNKNOWN, fact.value, "unresolved")
    return None
