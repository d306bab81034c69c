"""Places the ends of data flows that the configuration names indirectly: AWS ARNs (partition and region) and
host names of cloud service endpoints (`cn-hangzhou.log.aliyuncs.com`, `*.amazonaws.com.cn`).

Host patterns are data (policies/endpoint_hosts.yaml), so a compliance reviewer can read them. A host that
matches no pattern is left to the next source (site inventory first, then unresolved): names are never looked up.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from xborder import yamlfast
from xborder.model import Fact, Jurisdiction, Side
from xborder.policy import Policies, policy_folder

# partition -> (side, what it is); every region of aws-cn is in mainland China, and no other partition has one.
PARTITIONS = {
    "aws-cn": (Side.MAINLAND, "AWS China partition (Beijing, Ningxia)"),
    "aws": (Side.OFFSHORE, "AWS global partition, which has no mainland China region"),
    "aws-us-gov": (Side.OFFSHORE, "AWS GovCloud (US) partition"),
    "aws-iso": (Side.OFFSHORE, "AWS ISO (US) partition"),
    "aws-iso-b": (Side.OFFSHORE, "AWS ISOB (US) partition"),
    "aws-eusc": (Side.OFFSHORE, "AWS European Sovereign Cloud partition"),
}


@dataclass(frozen=True)
class HostPattern:
    """A host name pattern of a cloud service endpoint and the place (or region group) it stands for."""

    regex: re.Pattern[str]
    table: str  # region table for the `region` group; "" when `side` decides
    side: str  # "mainland" | "offshore" | "" (decided by the region)
    place: str
    source: str


@functools.lru_cache(maxsize=1)
def host_patterns() -> tuple[HostPattern, ...]:
    item = policy_folder() / "endpoint_hosts.yaml"
    data = yamlfast.safe_load(item.read_text(encoding="utf-8")) or {}
    return tuple(
        HostPattern(
            re.compile(str(h["pattern"]), re.IGNORECASE),
            str(h.get("table", "")),
            str(h.get("side", "")),
            str(h.get("place", "")),
            str(h.get("source", "")),
        )
        for h in data.get("hosts") or ()
    )


def resolve_arn(fact: Fact, policies: Policies) -> Jurisdiction:
    suffix = f"; {fact.origin}" if fact.origin else ""
    parts = fact.value.split(":", 5)
    if len(parts) < 5 or parts[0] != "arn":
        return Jurisdiction(Side.UNKNOWN, f"'{fact.value}' is not an ARN{suffix}", "unresolved")
    partition, region = parts[1], parts[3]
    known = PARTITIONS.get(partition)
    if known is None:
        return Jurisdiction(Side.UNKNOWN, f"ARN {fact.value}: partition {partition} is not known{suffix}", "unresolved")
    side, what = known
    where = f"ARN partition {partition} ({what})"
    table = policies.tables.get("aws")
    entry = table.lookup(region) if table is not None and region else None
    if entry is not None:
        where += f", region {region} ({entry.place})"
        if (entry.side == "mainland") != (side is Side.MAINLAND):
            return Jurisdiction(Side.UNKNOWN, f"ARN {fact.value}: region {region} is not in partition {partition}{suffix}", "unresolved")
    elif region:
        where += f", region {region}"
    return Jurisdiction(side, f"{where}{suffix}", "arn")


def resolve_host(fact: Fact, policies: Policies) -> Jurisdiction | None:
    """A host name of a known cloud endpoint; None when no pattern matches (left to the other sources)."""
    host = fact.value.strip().rstrip(".").lower()
    suffix = f"; {fact.origin}" if fact.origin else ""
    for pattern in host_patterns():
        m = pattern.regex.fullmatch(host)
        if m is None:
            continue
        basis = f"host {host} is an endpoint of {pattern.place} (policies/endpoint_hosts.yaml)"
        region = m.groupdict().get("region")
        if region and pattern.table:
            table = policies.tables.get(pattern.table)
            entry = table.lookup(region) if table is not None else None
            if entry is None:
                if table is not None and table.unlisted == "offshore":
                    return Jurisdiction(Side.OFFSHORE, f"{basis}, region {region} ({table.display}: not a mainland China region){suffix}", "endpoint-host")
                return Jurisdiction(Side.UNKNOWN, f"{basis}, but region {region} is not in the {pattern.table} table{suffix}", "unresolved")
            side = Side.MAINLAND if entry.side == "mainland" else Side.OFFSHORE
            return Jurisdiction(side, f"{basis}, region {region} ({table.display}: {entry.place}){suffix}", "endpoint-host")
        if pattern.side:
            return Jurisdiction(Side(pattern.side), f"{basis}{suffix}", "endpoint-host")
    return None
