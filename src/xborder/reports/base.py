"""What every report format receives, so that formats never re-run any analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from xborder.model import Finding, Link, ScanError
    from xborder.rules.base import RuleInfo


@dataclass
class ScanResult:
    """Everything a reporter renders: sorted findings, errors, notes and the rules that ran."""

    findings: list[Finding]  # sorted; suppressed ones included with suppressed=True
    errors: list[ScanError]  # sorted
    rules: list[RuleInfo]  # every known rule, sorted by id
    version: str
    notes: list[str] = field(default_factory=list)  # scan-level notes (e.g. "module x was not read")
    baseline_matched: int = 0
    files_scanned: int = 0
    # Every link the scan understood, ends resolved (crossing or not), and the scan's context (policies,
    # configuration): the inventory reads them; the finding reports ignore them.
    links: list[Link] = field(default_factory=list)
    context: Any = None
    inputs_read: int = -1  # units of analysis read (module dirs, templates, configs); -1: not counted
    skipped: list[tuple[str, int]] = field(default_factory=list)  # (folder never scanned, files it would read there)

    @property
    def skipped_warning(self) -> str:
        """The warning of files passed over in folders the walk never enters (`xborder.skipped`), else ""."""
        from xborder.skipped import warning

        return warning(self.skipped)

    @property
    def nothing_read(self) -> str:
        """The message of a scan that read nothing (exit code 0, said in every format), else ""."""
        if self.inputs_read != 0:
            return ""
        return (f"nothing read: none of the {self.files_scanned} file{'s' if self.files_scanned != 1 else ''} scanned "
                "is Terraform, a plan, CloudFormation or a device configuration xborder reads, so nothing was judged")


@dataclass
class ReportSettings:
    """Output choices from the command line that do not change the findings."""

    color: bool = False
    show_suppressed: bool = False
    sarif_include_suppressed: bool = False
    quiet: bool = False


class Reporter(Protocol):
    name: str

    def render(self, result: ScanResult, settings: ReportSettings) -> str: ...
