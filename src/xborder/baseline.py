"""Baselines: record today's findings so that later scans report only new ones.

`xborder baseline PATH -o .xborder-baseline.json` writes::

    {"version": 1, "findings": [{"fingerprint": "...", "rule_id": "XB101", "resource": "aws_vpn_connection.x"}, ...]}

Only unsuppressed findings are recorded, sorted, without line numbers or timestamps, so the file is
byte-identical across runs and does not change when code moves. `xborder scan --baseline FILE` drops
every unsuppressed finding whose fingerprint (rule, resource address and endpoints: see
`xborder.rules.common.fingerprint`) is in the file and counts them in `baseline_matched`. A finding
whose endpoints change (the peer moves to another country) gets a new fingerprint and is reported
again. A missing or unreadable baseline is a scan error (exit code 2), never a silent pass.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from xborder.model import ScanError
from xborder.reports.base import ScanResult

VERSION = 1


def render(result: ScanResult) -> str:
    entries = {
        (f.rule_id, f.resource, f.fingerprint): {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "resource": f.resource}
        for f in result.findings
        if not f.suppressed and f.fingerprint
    }
    doc = {"version": VERSION, "findings": [entries[k] for k in sorted(entries)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> set[str]:
    """The fingerprints recorded in a baseline file; ValueError with a readable message when it is not one."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError("baseline file not found (create it with `xborder baseline PATH -o FILE`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the baseline file: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the baseline file is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise ValueError('not an xborder baseline: expected {"version": 1, "findings": [...]}')  # noqa: TRY004
    if doc.get("version") != VERSION:
        raise ValueError(f"unsupported baseline version {doc.get('version')!r} (this xborder writes version {VERSION})")
    prints: set[str] = set()
    for i, entry in enumerate(doc["findings"]):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise ValueError(f"baseline entry {i} has no fingerprint")
        prints.add(fp)
    return prints


def filter_result(result: ScanResult, path: Path) -> ScanResult:
    """The result without the unsuppressed findings recorded in the baseline; a scan error if it cannot be read."""
    try:
        prints = load(path)
    except ValueError as exc:
        error = ScanError(Path(path).as_posix(), 0, str(exc))
        errors = sorted({*result.errors, error}, key=lambda e: (e.path, e.line, e.message))
        return dataclasses.replace(result, errors=errors)
    kept = []
    matched = 0
    for f in result.findings:
        if not f.suppressed and f.fingerprint in prints:
            matched += 1
            continue
        kept.append(f)
    return dataclasses.replace(result, findings=kept, baseline_matched=result.baseline_matched + matched)
