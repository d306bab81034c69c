"""Rules that judge two-ended links: a crossing rule and its undeterminable-end companion per link family."""

from __future__ import annotations

from dataclasses import dataclass

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind, Side
from xborder.rules.base import RuleInfo
from xborder.rules.common import crossing_message, finding, side, unknown_message


@dataclass
class CrossingRule:
    """Both ends known and on different sides of the border."""

    info: RuleInfo
    kinds: tuple[LinkKind, ...]
    noun: str  # "Cross-border VPN"

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind in self.kinds and link.b is not None:
                sides = {side(link.a), side(link.b)}
                if sides == {Side.MAINLAND, Side.OFFSHORE}:
                    out.append(finding(self.info, link, crossing_message(self.noun, link)))
        return out


@dataclass
class UndeterminableRule:
    """At least one end unknown: never a silent pass, never a claimed violation."""

    info: RuleInfo
    kinds: tuple[LinkKind, ...]
    noun: str

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind in self.kinds and link.b is not None:
                if Side.UNKNOWN in (side(link.a), side(link.b)):
                    out.append(finding(self.info, link, unknown_message(self.noun, link)))
        return out


@dataclass
class MainlandServiceRule:
    """A one-ended service (remote-access VPN) hosted in mainland China."""

    info: RuleInfo
    kinds: tuple[LinkKind, ...]
    noun: str

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        return [
            finding(self.info, link, f"{self.noun}: {link.address} ({link.a.label}) is hosted in mainland China")
            for link in links
            if link.kind in self.kinds and side(link.a) is Side.MAINLAND
        ]
