"""IP registration data (iptocc): registry country of public addresses. Host names are never resolved."""

from __future__ import annotations

import ipaddress

from xborder import lazy
from xborder.model import Fact, Jurisdiction, Side

OFFSHORE_CHINESE = {"HK": "Hong Kong", "MO": "Macau", "TW": "Taiwan"}
_HOSTNAME = lazy.regex(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z][A-Za-z0-9-]*\.?$")


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address, with IPv4-mapped IPv6 unmapped; None for anything else (names, CIDRs, garbage)."""
    value = text.strip().strip("[]")
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def country_side(code: str) -> Side:
    return Side.MAINLAND if code.upper() == "CN" else Side.OFFSHORE


def resolve_address(fact: Fact) -> Jurisdiction:
    suffix = f"; {fact.origin}" if fact.origin else ""
    addr = parse_ip(fact.value)
    if addr is None:
        if _HOSTNAME.match(fact.value.strip()):
            return Jurisdiction(
                Side.UNKNOWN,
                f"host {fact.value}: host names are not resolved; add it to a site's hosts in .xborder.yaml{suffix}",
                "unresolved",
            )
        return Jurisdiction(Side.UNKNOWN, f"'{fact.value}' is not an IP address or host name{suffix}", "unresolved")
    if not addr.is_global:
        return Jurisdiction(
            Side.UNKNOWN,
            f"IP {addr} is a non-public address with no public location; add its range to a site's cidrs in .xborder.yaml{suffix}",
            "unresolved",
        )
    import iptocc  # lazy: only scans with addresses pay for it

    country = iptocc.country_code(str(addr))
    if not country:
        return Jurisdiction(Side.UNKNOWN, f"IP {addr} has no registry data{suffix}", "unresolved")
    place = OFFSHORE_CHINESE.get(country, "")
    where = f"{country}, {place}" if place else country
    return Jurisdiction(country_side(country), f"IP {addr} registered in {where} (registry data){suffix}", "ip-registry")


def resolve_country(fact: Fact) -> Jurisdiction:
    suffix = f"; {fact.origin}" if fact.origin else ""
    code = fact.value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        return Jurisdiction(Side.UNKNOWN, f"'{fact.value}' is not an ISO 3166-1 country code{suffix}", "unresolved")
    return Jurisdiction(country_side(code), f"country {code}{suffix}", "configuration")
