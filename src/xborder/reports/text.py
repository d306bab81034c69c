"""Human output: one line per finding like ruff or tflint, the evidence below it, a one-line summary.

Every value from the scanned tree goes through `reports.escape` (control characters, line breaks,
workflow-command starts), since this output lands in terminals and CI logs.
"""

from __future__ import annotations

from pathlib import Path

from xborder.reports.base import ReportSettings, ScanResult
from xborder.reports.escape import text_line
from xborder.reports.escape import text_value as v

_COLORS = {"high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m", "error": "\033[1;31m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


class TextReporter:
    name = "text"

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        def paint(text: str, key: str) -> str:
            return f"{_COLORS.get(key, '')}{text}{_RESET}" if settings.color else text

        lines: list[str] = []
        shown = [f for f in result.findings if settings.show_suppressed or not f.suppressed]
        for f in shown:
            loc = f.location
            tag = paint(f"[{f.severity}]", f.severity)
            sup = " (suppressed)" if f.suppressed else ""
            lines.append(f"{v(loc.path)}:{loc.start_line}:{loc.start_col}: {v(f.rule_id)} {tag}{sup} {v(f.message)}")
            if settings.quiet:
                continue
            for ev in f.evidence:
                lines.append(f"    {_DIM if settings.color else ''}- {v(ev)}{_RESET if settings.color else ''}")
            for rel in f.related:
                lines.append(f"    - see {v(rel.path)}:{rel.start_line}" + (f" ({v(rel.label)})" if rel.label else ""))
            if f.suppressed and f.justification:
                lines.append(f"    - suppressed: {v(f.justification)}")
        for err in result.errors:
            where = f"{v(err.path)}:{err.line}" if err.line else v(err.path)  # line 0: the file as a whole, never `path:0:`
            lines.append(f"{where}: {paint('error', 'error')}: {v(err.message)}")
        if not settings.quiet:
            for note in result.notes:
                lines.append(f"note: {v(note)}")
        if result.nothing_read:
            lines.append(f"note: {v(result.nothing_read)}")
        if result.skipped_warning:
            lines.append(f"{paint('warning', 'medium')}: {v(result.skipped_warning)}")
        active = [f for f in result.findings if not f.suppressed]
        counts = {s: sum(1 for f in active if f.severity == s) for s in ("high", "medium", "low")}
        suppressed = len(result.findings) - len(active)
        summary = (
            f"{len(active)} finding{'s' if len(active) != 1 else ''} "
            f"({counts['high']} high, {counts['medium']} medium, {counts['low']} low)"
        )
        extras = []
        if suppressed:
            extras.append(f"{suppressed} suppressed")
        if result.baseline_matched:
            extras.append(f"{result.baseline_matched} matched the baseline")
        if result.errors:
            extras.append(f"{len(result.errors)} error{'s' if len(result.errors) != 1 else ''}")
        extras.append(f"{result.files_scanned} file{'s' if result.files_scanned != 1 else ''} scanned")
        lines.append(summary + ", " + ", ".join(extras))
        return "\n".join(text_line(line) for line in lines) + "\n"
