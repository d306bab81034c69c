"""GitLab Code Quality JSON (`artifacts: reports: codequality`), shown in merge requests.

One issue per unsuppressed finding (suppressed ones are left out, as GitLab has no notion of them)
and one per file that could not be read (`xborder/input-error`), so a broken input is never a silent
pass; a scan that read nothing is one `info` issue (`xborder/nothing-read`) saying so. Severities: high -> critical, medium -> major, low -> minor. The fingerprint is unique per
finding instance (rule, root module, resource, ends, location), so two module instances are two issues.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xborder.digest import sha256
from xborder.reports import jsontext
from xborder.reports.base import ReportSettings, ScanResult

SEVERITY = {"high": "critical", "medium": "major", "low": "minor"}


def _digest(*parts: object) -> str:
    return sha256("\n".join(str(p) for p in parts).encode())[:32]


class GitlabReporter:
    name = "gitlab"

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        issues: list[dict[str, Any]] = []
        seen: set[str] = set()
        for f in result.findings:
            if f.suppressed:
                continue
            loc = f.location
            fp = _digest(f.fingerprint, f.resource, loc.path, loc.start_line)
            if fp in seen:
                continue
            seen.add(fp)
            issues.append(
                {
                    "type": "issue",
                    "check_name": f.rule_id,
                    "description": f"{f.rule_id} {f.message}",
                    "content": {"body": "\n".join(f"- {e}" for e in f.evidence)},
                    "categories": ["Security"],
                    "severity": SEVERITY.get(f.severity, "info"),
                    "fingerprint": fp,
                    "location": {"path": loc.path, "lines": {"begin": max(loc.start_line, 1), "end": max(loc.end_line, loc.start_line, 1)}},
                }
            )
        for err in result.errors:
            issues.append(
                {
                    "type": "issue",
                    "check_name": "xborder/input-error",
                    "description": f"xborder could not read this input: {err.message}",
                    "categories": ["Bug Risk"],
                    "severity": "major",
                    "fingerprint": _digest("error", err.path, err.line, err.message),
                    "location": {"path": err.path, "lines": {"begin": max(err.line, 1)}},
                }
            )
        if result.nothing_read:
            issues.append(
                {
                    "type": "issue",
                    "check_name": "xborder/nothing-read",
                    "description": result.nothing_read,
                    "categories": ["Bug Risk"],
                    "severity": "info",
                    "fingerprint": _digest("nothing read", result.files_scanned),
                    "location": {"path": ".", "lines": {"begin": 1}},
                }
            )
        if result.skipped_warning:
            issues.append(
                {
                    "type": "issue",
                    "check_name": "xborder/skipped-folders",
                    "description": result.skipped_warning,
                    "categories": ["Bug Risk"],
                    "severity": "minor",
                    "fingerprint": _digest("skipped folders", result.skipped_warning),
                    "location": {"path": ".", "lines": {"begin": 1}},
                }
            )
        return jsontext.dumps(issues) + "\n"
