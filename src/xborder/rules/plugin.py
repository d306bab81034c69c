"""Built-in rules, registered through the same hook a third-party rule pack uses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xborder.hookspecs import hookimpl

if TYPE_CHECKING:
    from xborder.rules.base import Rule


@hookimpl
def xborder_rules() -> list[Rule]:
    # imported here, not at registration: a scan answered from the whole-scan cache judges nothing
    from xborder.model import LinkKind
    from xborder.policy import load_policies
    from xborder.rules.border import CrossingRule, MainlandServiceRule, UndeterminableRule
    from xborder.rules.coverage import NotCoveredRule, NotReadRule
    from xborder.rules.dataflow import GenericEndpointRule, OutboundFlowRule, UndeterminableFlowRule
    from xborder.rules.licence import LicenceRule, OperatorCrossingRule

    info = load_policies().rules
    circuit_like = (LinkKind.CIRCUIT, LinkKind.BACKBONE)
    return [
        NotReadRule(info["XB002"]),
        NotReadRule(info["XB003"], "device-config", "Configuration not read",
                    "to accept it deliberately: an approval for rule XB003 with this file's path in .xborder.yaml"),
        NotCoveredRule(info["XB004"]),
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
