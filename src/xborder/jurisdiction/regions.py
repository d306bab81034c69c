"""Region and location-code tables: (table, code) -> side, never the code string alone."""

from __future__ import annotations

from xborder.model import Fact, Jurisdiction, Side
from xborder.policy import Policies

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
    return Jurisdiction(
        Side.UNKNOWN,
        f"{what} {fact.value} is not in the {table.display} table (policies/regions/{table.name}.yaml){suffix}",
        "unresolved",
    )
