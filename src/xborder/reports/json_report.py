"""JSON for scripts. The keys are a contract: add keys, never rename or remove them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xborder.model import Finding
from xborder.reports import jsontext
from xborder.reports.base import ReportSettings, ScanResult


def finding_dict(f: Finding) -> dict[str, Any]:
    out = _finding_dict(f)
    if f.world is not None:  # only a finding that holds with another allowed parameter value has the key
        out["world"] = f.world.as_dict()
    if f.twins:  # only a finding whose link has other ends in another allowed world (links/worlds.py) has the key
        out["twins"] = [t.as_dict() for t in f.twins]
    return out


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "severity": f.severity,
        "message": f.message,
        "path": f.location.path,
        "start_line": f.location.start_line,
        "end_line": f.location.end_line,
        "start_column": f.location.start_col,
        "end_column": f.location.end_col,
        "resource": f.resource,
        "evidence": list(f.evidence),
        "related": [
            {"path": r.path, "start_line": r.start_line, "end_line": r.end_line, "label": r.label} for r in f.related
        ],
        "fingerprint": f.fingerprint,
        "suppressed": f.suppressed,
        "justification": f.justification,
    }


class JsonReporter:
    name = "json"

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        doc = {
            "version": result.version,
            "findings": [finding_dict(f) for f in result.findings],
            "errors": [{"path": e.path, "line": e.line, "message": e.message} for e in result.errors],
            "notes": list(result.notes) + [w for w in (result.nothing_read, result.skipped_warning) if w],
            "summary": {
                "findings": sum(1 for f in result.findings if not f.suppressed),
                "suppressed": sum(1 for f in result.findings if f.suppressed),
                "baseline_matched": result.baseline_matched,
                "files_scanned": result.files_scanned,
                **({"inputs_read": result.inputs_read} if result.inputs_read >= 0 else {}),
            },
        }
        return jsontext.dumps(doc) + "\n"
