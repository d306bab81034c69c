"""Data-flow rules (XB401-XB403): where data is copied, synchronised, backed up or delivered to.

A data-flow link is directed: end `a` is where the data comes from, end `b` where it goes. Only the outbound
direction is judged: data leaving mainland China is what the outbound-transfer rules (PIPL Art. 38, the CAC
assessment, standard contract and certification routes) are about; data arriving from outside is not an
outbound transfer, so a flow from Hong Kong to Shanghai is not reported. Two-way flows are declared as two
links (`direction: both`), so their outbound half is judged like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind, Side
from xborder.rules.base import RuleInfo
from xborder.rules.common import PLACE, finding, side

FLOW_KINDS = (LinkKind.DATA_FLOW, LinkKind.DATA_ENDPOINT)


def _direction(link: Link) -> str:
    assert link.b is not None
    return f"direction: from {link.a.label} ({side(link.a).value}) to {link.b.label} ({side(link.b).value})"


@dataclass
class OutboundFlowRule:
    """XB401: the source is in mainland China and the destination outside it."""

    info: RuleInfo
    kinds: tuple[LinkKind, ...] = (LinkKind.DATA_FLOW,)

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind in self.kinds and link.b is not None:
                if side(link.a) is Side.MAINLAND and side(link.b) is Side.OFFSHORE:
                    message = (
                        f"Cross-border data flow: {link.address} moves data from {link.a.label} {PLACE[Side.MAINLAND]} "
                        f"to {link.b.label} {PLACE[Side.OFFSHORE]}"
                    )
                    out.append(finding(self.info, link, message, [_direction(link)]))
        return out


@dataclass
class UndeterminableFlowRule:
    """XB402: a flow that may leave mainland China, but an end cannot be placed.

    Reported when the source is unknown and the destination is not known to be in mainland China, or when the
    source is in mainland China and the destination is unknown (for generic endpoints XB403 says that instead).
    A flow known to end in mainland China, or to start outside it, is never an outbound transfer.
    """

    info: RuleInfo
    kinds: tuple[LinkKind, ...] = FLOW_KINDS

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind not in self.kinds or link.b is None:
                continue
            src, dst = side(link.a), side(link.b)
            if src is Side.UNKNOWN and dst is not Side.MAINLAND:
                what = f"the location of {link.a.label} (where the data comes from) cannot be determined"
                if dst is Side.OFFSHORE:
                    what += f", and {link.b.label} is {PLACE[Side.OFFSHORE]}"
            elif src is Side.MAINLAND and dst is Side.UNKNOWN and link.kind is LinkKind.DATA_FLOW:
                what = f"data leaves {link.a.label} {PLACE[Side.MAINLAND]}, but the location of {link.b.label} cannot be determined"
            else:
                continue
            out.append(finding(self.info, link, f"Data flow end not determinable: {link.address}: {what}", [_direction(link)]))
        return out


@dataclass
class GenericEndpointRule:
    """XB403: data from a mainland resource delivered to a URL, host or IP outside mainland China or unknown.

    In the sealed partitions (AWS China, Azure China) the native replication cannot leave the partition, so these
    endpoints are the exits. Outside: the rule's severity; unknown: medium (the endpoint may be anywhere).
    """

    info: RuleInfo
    unknown_severity: str = "medium"
    kinds: tuple[LinkKind, ...] = (LinkKind.DATA_ENDPOINT,)

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind not in self.kinds or link.b is None or side(link.a) is not Side.MAINLAND:
                continue
            dst = side(link.b)
            if dst is Side.MAINLAND:
                continue
            message = (
                f"Data delivered to a generic endpoint: {link.address} sends data from {link.a.label} "
                f"{PLACE[Side.MAINLAND]} to {link.b.label} {PLACE[dst]}"
            )
            severity = None if dst is Side.OFFSHORE else self.unknown_severity
            out.append(finding(self.info, link, message, [_direction(link)], severity=severity))
        return out
