"""The user's site inventory (`.xborder.yaml` `sites:`): it decides before registry data does.

- `Fact("address", ip-or-host)`: a site whose `cidrs` hold the IP (most specific wins) or whose `hosts`
  list the name (case-insensitive, exact).
- `Fact("device", local-address-or-"", namespace=<config file path>)`: the site whose `paths` match the
  device's config file, else the site of its local address, else whatever the other resolvers say of that
  address, else unknown with what to do about it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xborder.hookmark import hookimpl
from xborder.model import Fact, Jurisdiction, Side

if TYPE_CHECKING:
    from xborder.config import Config, Site
    from xborder.context import ScanContext

UNRESOLVED_DEVICE = "the device's location is not known: add this file to a site's paths in .xborder.yaml"


def _clean(value: str) -> str:
    v = value.strip()
    if v.startswith(("%", "@")):
        v = v[1:]
    return v


def site_jurisdiction(site: Site, config: Config) -> Jurisdiction:
    side = Side.MAINLAND if site.country == "CN" else Side.OFFSHORE
    return Jurisdiction(side, f"site inventory: {site.name} ({site.country}, {config.display})", "site-inventory")


def site_of_address(value: str, config: Config) -> Site | None:
    v = _clean(value)
    if not v:
        return None
    return config.site_for_address(v) or config.site_for_host(v)


@hookimpl(tryfirst=True)
def xborder_resolve(fact: Fact, ctx: ScanContext) -> Jurisdiction | None:
    config = getattr(ctx, "config", None)
    if fact.kind == "address":
        if config is None or not config.sites:
            return None
        site = site_of_address(fact.value, config)
        return site_jurisdiction(site, config) if site else None
    if fact.kind != "device":
        return None
    if config is not None and config.sites:
        if fact.namespace:
            site = config.site_for_path(fact.namespace, ctx.root)
            if site is not None:
                return site_jurisdiction(site, config)
        site = site_of_address(fact.value, config)
        if site is not None:
            return site_jurisdiction(site, config)
    value = _clean(fact.value)
    if value:
        origin = fact.origin or (f"local address of {fact.namespace}" if fact.namespace else "")
        answer = ctx.pm.hook.xborder_resolve(fact=Fact("address", value, origin=origin), ctx=ctx)
        if answer is not None and answer.side is not Side.UNKNOWN:
            return answer
        why = f"; {answer.evidence}" if answer is not None else ""
        return Jurisdiction(Side.UNKNOWN, f"{UNRESOLVED_DEVICE}{why}", "unresolved")
    return Jurisdiction(Side.UNKNOWN, UNRESOLVED_DEVICE, "unresolved")
