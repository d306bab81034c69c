"""Suppressions and approvals: inline `xborder:ignore` comments and `.xborder.yaml` approvals.

Applied after the rules, so a rule never needs to know about them.
"""

from __future__ import annotations

from xborder.context import ScanContext
from xborder.model import Finding, ScanError


def apply(findings: list[Finding], ctx: ScanContext) -> tuple[list[Finding], list[ScanError]]:
    """Mark suppressed findings; report malformed, unknown or unused suppressions as errors."""
    return findings, []
