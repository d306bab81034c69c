"""Licence-aware rules: XB301 (provider not in the licensed-operator registry touching mainland China) and the
operator-aware crossing rules XB201/XB202 (the carrier named by the configuration changes the severity).

The registry is data: policies/providers.yaml, extended by `licensed_operators` in .xborder.yaml. Wording
states what the registry says, never whether something is legal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind, Side
from xborder.policy import ProviderInfo, fold_name
from xborder.rules.base import RuleInfo
from xborder.rules.common import PLACE, crossing_message, describe, finding, side

# A customer's own device is not a provider: its tunnels are judged by XB101/XB102 only. Registry entries
# without `network: true` (the clouds) are not judged either; a provider missing from the registry is.
NOT_A_PROVIDER = frozenset({"device"})


@dataclass(frozen=True)
class RegistryAnswer:
    """What the provider registry says about an operator named by the configuration."""

    name: str  # display name
    licensed: bool
    found: bool  # False: no registry entry at all
    detail: str  # basis and source, for the evidence
    offshore_carrier: bool = False
    network: bool = False  # the registry marks it as a network provider or vendor


def lookup(name: str, ctx: ScanContext) -> RegistryAnswer:
    """What the registry (policies/providers.yaml + licensed_operators of the configuration) says about `name`."""
    wanted = fold_name(name)
    config = getattr(ctx, "config", None)
    for op in getattr(config, "licensed_operators", None) or []:
        names = {fold_name(getattr(op, "name", ""))} | {fold_name(a) for a in getattr(op, "aliases", None) or []}
        if wanted and wanted in names:
            display = getattr(config, "display", ".xborder.yaml")
            source = getattr(op, "source", "") or "no source given"
            return RegistryAnswer(getattr(op, "name", name), True, True, f"licensed_operators in {display} (source: {source})")
    info: ProviderInfo | None = ctx.policies.providers.get(name) or ctx.policies.operator(name)
    if info is None:
        return RegistryAnswer(name, False, False, f"'{name}' has no entry in policies/providers.yaml")
    detail = f"policies/providers.yaml {info.key}: licensed: {str(info.licensed).lower()}; {info.basis} (source: {info.source})"
    return RegistryAnswer(info.name, info.licensed, True, detail, info.offshore_carrier, getattr(info, "network", False))


def _mainland_end(link: Link) -> Any:
    for end in (link.a, link.b):
        if end is not None and side(end) is Side.MAINLAND:
            return end
    return None


@dataclass
class OperatorCrossingRule:
    """A crossing rule whose severity follows the carrier the configuration names (XB201, XB202).

    - carrier in the licensed-operator registry: still a finding, at `licensed_severity`, saying an approval
      record is still needed;
    - carrier outside mainland China or not licensed, with a mainland end: the rule's severity, with that fact;
    - a circuit with a mainland end, an undeterminable far end and an offshore carrier is reported too
      (unverified heuristic, catalogue B/C.4): an offshore carrier on a mainland access point.
    """

    info: RuleInfo
    kinds: tuple[LinkKind, ...]
    noun: str
    licensed_severity: str = "medium"

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind not in self.kinds or link.b is None:
                continue
            sides = {side(link.a), side(link.b)}
            if sides == {Side.MAINLAND, Side.OFFSHORE}:
                out.append(self._crossing(link, ctx))
            elif link.kind is LinkKind.CIRCUIT and link.operator and sides == {Side.MAINLAND, Side.UNKNOWN}:
                carrier = lookup(link.operator, ctx)
                if carrier.offshore_carrier:
                    end = _mainland_end(link)
                    message = (
                        f"{self.noun}: {link.address} has {end.label} {PLACE[Side.MAINLAND]} and names "
                        f"{link.operator} ({carrier.name}), a carrier outside mainland China, as its line operator"
                    )
                    extra = [
                        f"carrier {link.operator}: outside mainland China on a mainland access point; {carrier.detail}",
                        "note: an offshore carrier on a mainland access point suggests a cross-border circuit "
                        "(heuristic from the provider's line_operator values) [unverified]",
                    ]
                    out.append(finding(self.info, link, message, extra))
        return out

    def _crossing(self, link: Link, ctx: ScanContext) -> Finding:
        message = crossing_message(self.noun, link)
        if not link.operator:
            return finding(self.info, link, message)
        carrier = lookup(link.operator, ctx)
        if carrier.licensed:
            message += f"; the carrier {carrier.name} is a licensed operator in the registry, but an approval record is still needed"
            extra = [f"carrier {link.operator}: in the licensed-operator registry ({carrier.detail}); no approval or contract number is recorded"]
            return finding(self.info, link, message, extra, severity=self.licensed_severity)
        if carrier.offshore_carrier:
            message += f"; the carrier {link.operator} is an operator outside mainland China"
            extra = [f"carrier {link.operator}: outside mainland China, on a link with an end in mainland China; {carrier.detail}"]
        else:
            message += f"; the carrier {link.operator} is not in the licensed-operator registry"
            extra = [f"carrier {link.operator}: not in the licensed-operator registry; {carrier.detail}"]
        return finding(self.info, link, message, extra)


@dataclass
class LicenceRule:
    """XB301: a connectivity resource of a network provider outside the licensed-operator registry (or missing from
    it) with an end in mainland China. One finding per resource and provider."""

    info: RuleInfo
    kinds: tuple[LinkKind, ...] = (LinkKind.VPN, LinkKind.CIRCUIT, LinkKind.BACKBONE, LinkKind.PRESENCE)

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        seen: set[tuple[str, str, str]] = set()
        for link in links:
            provider = link.network_provider
            if link.kind not in self.kinds or not provider or provider in NOT_A_PROVIDER:
                continue
            end = _mainland_end(link)
            if end is None:
                continue
            key = (link.address, link.location.path, provider)
            if key in seen:
                continue
            answer = lookup(provider, ctx)
            if answer.licensed or (answer.found and not answer.network):
                continue  # licensed, or a cloud (not a network provider): XB101/XB201/XB202 judge its links
            seen.add(key)
            message = (
                f"Provider not in the licensed-operator registry: {link.address} ({link.resource_type}) has "
                f"{end.label} {PLACE[Side.MAINLAND]}; {answer.name} is not in the licensed-operator registry"
            )
            extra = [f"registry: {answer.detail}"]
            f = finding(self.info, link, message, extra)
            # XB301 is about the provider's presence, so the evidence leads with the mainland end.
            f.evidence = [describe(end)] + [e for e in f.evidence if e != describe(end)]
            out.append(f)
        return out
