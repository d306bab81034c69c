"""JUnit XML, which Jenkins, GitLab and Azure DevOps show as test reports.

One test suite per rule; one test case per finding: an unsuppressed finding is a `<failure>`, a
suppressed one is `<skipped>` with its justification; a file that could not be read is an `<error>`
(never a silent pass). A scan without any finding or error still has one passing case, so the CI
shows that xborder ran; a scan that read nothing has one skipped case saying so instead. No timestamps or durations: the output is byte-identical for the same input.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from xborder.reports.base import ReportSettings, ScanResult


class JunitReporter:
    name = "junit"

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        top = ET.Element("testsuites", name="xborder")
        titles = {r.id: r.title for r in result.rules}
        by_rule: dict[str, list] = {}
        for f in result.findings:
            by_rule.setdefault(f.rule_id, []).append(f)
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for rule_id in sorted(by_rule):
            cases = by_rule[rule_id]
            failures = sum(1 for f in cases if not f.suppressed)
            suite = ET.SubElement(
                top, "testsuite", name=f"{rule_id} {titles.get(rule_id, '')}".strip(),
                tests=str(len(cases)), failures=str(failures), errors="0", skipped=str(len(cases) - failures), time="0",
            )
            for f in cases:
                loc = f.location
                case = ET.SubElement(suite, "testcase", classname=loc.path, name=f"{rule_id} {f.resource}", file=loc.path, line=str(loc.start_line), time="0")
                body = "\n".join([f"{loc.path}:{loc.start_line}:{loc.start_col}: {f.message}", *(f"- {e}" for e in f.evidence)])
                if f.suppressed:
                    ET.SubElement(case, "skipped", message=f"suppressed: {f.justification}")
                else:
                    failure = ET.SubElement(case, "failure", message=f"[{f.severity}] {f.message}", type=f.severity)
                    failure.text = body
            totals["tests"] += len(cases)
            totals["failures"] += failures
            totals["skipped"] += len(cases) - failures
        if result.errors:
            suite = ET.SubElement(top, "testsuite", name="xborder input errors", tests=str(len(result.errors)), failures="0", errors=str(len(result.errors)), skipped="0", time="0")
            for err in result.errors:
                where = f"{err.path}:{err.line}" if err.line else err.path
                case = ET.SubElement(suite, "testcase", classname=err.path, name=f"read {err.path}", file=err.path, time="0")
                error = ET.SubElement(case, "error", message=err.message, type="input-error")
                error.text = f"{where}: {err.message}"
            totals["tests"] += len(result.errors)
            totals["errors"] += len(result.errors)
        if totals["tests"] == 0 and result.nothing_read:
            # Not a pass: nothing was judged. A skipped case shows in the CI's test view with the reason.
            suite = ET.SubElement(top, "testsuite", name="xborder", tests="1", failures="0", errors="0", skipped="1", time="0")
            case = ET.SubElement(suite, "testcase", classname="xborder", name="xborder read nothing", time="0")
            ET.SubElement(case, "skipped", message=result.nothing_read)
            totals["tests"] = totals["skipped"] = 1
        elif totals["tests"] == 0:
            suite = ET.SubElement(top, "testsuite", name="xborder", tests="1", failures="0", errors="0", skipped="0", time="0")
            ET.SubElement(suite, "testcase", classname="xborder", name=f"no link across the border ({result.files_scanned} files scanned)", time="0")
            totals["tests"] = 1
        for key, value in totals.items():
            top.set(key, str(value))
        top.set("time", "0")
        ET.indent(top)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(top, encoding="unicode") + "\n"
