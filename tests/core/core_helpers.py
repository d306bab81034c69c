"""Run the link, jurisdiction and rule stages on hand-built resources (no input parsing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xborder.context import Options, ScanContext
from xborder.links.declarations import load_declarations
from xborder.links.engine import LinkBuilder
from xborder.model import Finding, Link, Location, ProviderConfig, Resource
from xborder.plugins import make_plugin_manager
from xborder.policy import load_policies
from xborder.jurisdiction.resolver import Resolver
from xborder.scan import judge, links_of, resolve_ends


def resource(rtype: str, name: str, attrs: dict[str, Any], provider: ProviderConfig | None = None, line: int = 1) -> Resource:
    return Resource(
        source="terraform",
        type=rtype,
        name=name,
        address=f"{rtype}.{name}",
        attrs=attrs,
        location=Location("main.tf", line, 1, line + 3, 2),
        provider=provider,
    )


def provider(ptype: str, **attrs: Any) -> ProviderConfig:
    return ProviderConfig(type=ptype, alias=None, attrs=attrs, location=Location("providers.tf", 1, 1, 3, 2), origin=f'provider "{ptype}" (providers.tf:1)')


def context(root: Path = Path("."), config: Any = None) -> ScanContext:
    from xborder.config import Config

    return ScanContext(root=root, options=Options(), policies=load_policies(), config=config or Config(), pm=make_plugin_manager(load_entry_points=False))


def links_for(resources: list[Resource], ctx: ScanContext | None = None) -> list[Link]:
    ctx = ctx or context()
    decls = load_declarations([s for batch in ctx.pm.hook.xborder_link_declarations() for s in batch])
    links = links_of(resources, LinkBuilder(decls, ctx.policies), ctx)
    resolve_ends(links, Resolver(ctx))
    return links


def findings_for(resources: list[Resource], ctx: ScanContext | None = None) -> list[Finding]:
    ctx = ctx or context()
    return judge(links_for(resources, ctx), [rule for batch in ctx.pm.hook.xborder_rules() for rule in batch], ctx)


def rule_ids(findings: list[Finding]) -> list[str]:
    return sorted(f.rule_id for f in findings)
