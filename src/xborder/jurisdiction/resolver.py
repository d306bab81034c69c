"""Asks the jurisdiction sources (the `xborder_resolve` hook) about each distinct fact once per scan."""

from __future__ import annotations

from xborder.context import ScanContext
from xborder.model import Endpoint, Fact, Jurisdiction, Side


class Resolver:
    def __init__(self, ctx: ScanContext) -> None:
        self.ctx = ctx
        self.memo: dict[Fact, Jurisdiction] = {}

    def jurisdiction(self, fact: Fact) -> Jurisdiction:
        if fact not in self.memo:
            answer = self.ctx.pm.hook.xborder_resolve(fact=fact, ctx=self.ctx)
            self.memo[fact] = answer or Jurisdiction(Side.UNKNOWN, f"no source could place {fact.kind} {fact.value}", "unresolved")
        return self.memo[fact]

    def side(self, fact: Fact) -> Side:
        return self.jurisdiction(fact).side

    def __call__(self, end: Endpoint) -> None:
        """Fill in an end's jurisdiction; an assumed fact (a provider default) says so in the evidence."""
        j = self.jurisdiction(end.fact)
        if end.fact.assumed and "assumed" not in j.evidence:
            j = Jurisdiction(j.side, j.evidence + " (assumed)", j.source)
        end.jurisdiction = j
