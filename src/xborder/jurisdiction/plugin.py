"""Built-in jurisdiction sources: region tables, IP registry data and sides stated by the configuration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xborder.hookmark import hookimpl
from xborder.model import Fact, Jurisdiction, Side

if TYPE_CHECKING:
    from xborder.context import ScanContext


@hookimpl(trylast=True)
def xborder_resolve(fact: Fact, ctx: ScanContext) -> Jurisdiction | None:
    # imported on the first fact, not at registration (IP registry data, endpoint patterns)
    from xborder.jurisdiction.addresses import parse_ip, resolve_address, resolve_country
    from xborder.jurisdiction.endpoints import resolve_arn, resolve_host
    from xborder.jurisdiction.regions import resolve_code, resolve_coordinates

    if fact.kind in ("region", "code"):
        return resolve_code(fact, ctx.policies)
    if fact.kind == "address":
        if parse_ip(fact.value) is None:  # a host name: a known cloud endpoint, else unresolved
            return resolve_host(fact, ctx.policies) or resolve_address(fact)
        return resolve_address(fact)
    if fact.kind == "arn":
        return resolve_arn(fact, ctx.policies)
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
