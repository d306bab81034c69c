"""The contract of a rule: it sees resolved links and returns findings, and never parses files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from xborder.context import ScanContext
    from xborder.model import Finding, Link

SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class RuleInfo:
    """A rule's documentation, read from `policies/rules.yaml`: one source for explain, README and SARIF."""

    id: str
    name: str  # kebab-case, e.g. "cross-border-vpn"
    title: str  # one line
    severity: str
    summary: str  # short description
    description: str  # what it covers
    rationale: str
    remediation: str
    compliant: str = ""  # one sentence: what a compliant setup looks like (ends every finding)
    evidence: str = ""  # what the evidence lines say
    example: str = ""
    references: tuple[str, ...] = ()
    help_uri: str = ""
    precision: str = "high"
    tags: tuple[str, ...] = ("security",)
    link_kinds: tuple[str, ...] = ()
    resource_types: tuple[str, ...] = field(default=(), compare=False)  # filled from link declarations


class Rule(Protocol):
    info: RuleInfo

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]: ...
