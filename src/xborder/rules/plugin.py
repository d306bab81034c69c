"""Built-in rules, registered through the same hook a third-party rule pack uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xborder.hookmark import hookimpl

if TYPE_CHECKING:
    from xborder.rules.base import Rule


@hookimpl
def xborder_rules() -> list[Rule]:
    # imported here, not at registration: a scan answered from the whole-scan cache judges nothing
    from xborder.model import PART, LinkKind
    from xborder.policy import load_policies
    from xborder.rules.border import CrossingRule, MainlandServiceRule, UndeterminableRule
    from xborder.rules.coverage import UnjudgedRule, accept_by_approval_or_comment
    from xborder.rules.dataflow import GenericEndpointRule, OutboundFlowRule, UndeterminableFlowRule
    from xborder.rules.licence import LicenceRule, OperatorCrossingRule

    info = load_policies().rules
    circuit_like = (LinkKind.CIRCUIT, LinkKind.BACKBONE)
    return [
        UnjudgedRule(info["XB002"], LinkKind.NOT_READ, {
            "module": ("Module not read: {label} was not read, so the links inside it are not judged",
                       accept_by_approval_or_comment("module's address or path", "module block")),
            # a part of a template or config (a deploy-time macro, a loop, a nested stack, an include):
            # the link's own notes say how to read it and how to accept it, which depend on the part
            PART: ("Part not read: {label} is not analysed, so the links it may hold are not judged", ""),
        }),
        UnjudgedRule(info["XB003"], LinkKind.NOT_READ, {
            "device-config": ("Configuration not read: {label} was not read, so the links inside it are not judged",
                              "to accept it deliberately: an approval for rule {rule} with this file's path in .xborder.yaml"),
        }),
        UnjudgedRule(info["XB004"], LinkKind.NOT_COVERED, {
            None: ("Connectivity not covered: {type} creates network connectivity whose ends xborder cannot place, "
                   "so the links it makes are not judged",
                   accept_by_approval_or_comment("resource's address or path", "resource block",
                                                 "after checking it by hand, ")),
        }),
        CrossingRule(info["XB101"], (LinkKind.VPN,), "Cross-border VPN"),
        UndeterminableRule(info["XB102"], (LinkKind.VPN,), "VPN end not determinable"),
        MainlandServiceRule(info["XB103"], (LinkKind.REMOTE_ACCESS,), "Remote-access VPN in mainland China"),
        OperatorCrossingRule(info["XB201"], (LinkKind.CIRCUIT,), "Cross-border dedicated circuit"),
        OperatorCrossingRule(info["XB202"], (LinkKind.BACKBONE,), "Cross-border backbone link"),
        UndeterminableRule(info["XB203"], circuit_like, "Circuit or backbone end not determinable"),
        LicenceRule(info["XB301"]),
        OutboundFlowRule(info["XB401"]),
        UndeterminableFlowRule(info["XB402"]),
        GenericEndpointRule(info["XB403"]),
    ]
