"""GitHub Actions workflow commands: one annotation per unsuppressed finding and per scan error, one for the notes.

    ::error file=main.tf,line=5,endLine=8,col=1,title=XB101 cross-border VPN::message%0A- evidence

Levels: high -> `error`, medium -> `warning`, low -> `notice`. Values are escaped as the Actions
runner reads them: in the message `%`, `\\r` and `\\n`; in properties also `:` and `,`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xborder.reports.escape import text_value

if TYPE_CHECKING:
    from xborder.model import Finding, ScanError
    from xborder.reports.base import ReportSettings, ScanResult

COMMANDS = {"high": "error", "medium": "warning", "low": "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the text after `::`); other control characters become visible escapes."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text_value(value)


def escape_property(value: str) -> str:
    """Escape a property value (`file=`, `title=`...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, props: list[tuple[str, object]], message: str) -> str:
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{name} {rendered}::{escape_data(message)}"


def _finding_message(finding: Finding) -> str:
    lines = [finding.message.strip() or finding.rule_id]
    lines += [f"- {e.strip()}" for e in finding.evidence if e.strip()]
    return "\n".join(lines)


def finding_annotation(finding: Finding, title: str) -> str:
    loc = finding.location
    line = max(1, loc.start_line or 1)
    end_line = max(line, loc.end_line or line)
    props: list[tuple[str, object]] = [
        ("file", loc.path),
        ("line", line),
        ("endLine", end_line),
        ("col", max(1, loc.start_col or 1)),
        ("title", title),
    ]
    return _command(COMMANDS.get(finding.severity, "warning"), props, _finding_message(finding))


def error_annotation(error: ScanError) -> str:
    props: list[tuple[str, object]] = []
    if error.path:
        props = [("file", error.path), ("line", max(1, error.line or 1))]
    message = error.message.strip() or "scan error"
    if not props:
        return f"::error::{escape_data(message)}"
    return _command("error", props, message)


MAX_NOTES = 20  # notes listed in the one notice; GitHub shows a limited number of annotations per step


def notes_annotation(notes: list[str]) -> str:
    """The scan's notes as one `::notice` (informational: what is not read is an XB002/XB003 finding), so that
    they are seen next to the findings without one annotation each; the same notes SARIF has as notifications."""
    shown = [f"- {n}" for n in notes[:MAX_NOTES]]
    if len(notes) > MAX_NOTES:
        shown.append(f"- {len(notes) - MAX_NOTES} more in the text or JSON report")
    title = f"xborder: {len(notes)} note{'s' if len(notes) != 1 else ''}"
    return f"::notice title={escape_property(title)}::" + escape_data("\n".join(shown))


class GithubReporter:
    """`--format github`: annotations for a GitHub Actions log. `root` is accepted and unused."""

    name = "github"

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = root

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        titles = {r.id: f"{r.id} {r.title or r.name}".strip() for r in result.rules}
        lines = [
            finding_annotation(f, titles.get(f.rule_id, f.rule_id))
            for f in result.findings
            if not f.suppressed
        ]
        lines += [error_annotation(e) for e in result.errors]
        if result.nothing_read:
            lines.append(f"::warning title=xborder read nothing::{escape_data(result.nothing_read)}")
        if result.skipped_warning:
            lines.append(f"::warning title=xborder skipped folders::{escape_data(result.skipped_warning)}")
        if result.notes:
            lines.append(notes_annotation(result.notes))
        return "".join(line + "\n" for line in lines)
