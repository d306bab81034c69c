"""Baselines: record today's findings so that later scans report only new ones.

`xborder baseline PATH -o .xborder-baseline.json` writes::

    {"version": 1, "findings": [{"fingerprint": "...", "rule_id": "XB101", "resource": "aws_vpn_connection.x",
                                 "path": "envs/prod/main.tf", "unit": "envs/prod"}, ...]}

Only unsuppressed findings are recorded, sorted, without line numbers or timestamps, so the file is
byte-identical across runs and does not change when code moves. `path` and `unit` say where an entry
belongs, so `xborder baseline envs/prod --update` replaces the entries of envs/prod and keeps the rest;
without `--update` or `--force`, an existing baseline is never overwritten. `xborder scan --baseline FILE` drops
every unsuppressed finding whose fingerprint (rule, resource address and endpoints: see
`xborder.rules.common.fingerprint`) is in the file and counts them in `baseline_matched`. A finding
whose endpoints change (the peer moves to another country) gets a new fingerprint and is reported
again. A finding whose link another allowed parameter value deploys with other ends (its `twins`,
links/worlds.py) is recorded with one more entry per twin (the twin's fingerprint, the finding's rule,
resource, path and unit) and matches only while every twin's fingerprint is recorded: a value added to
the AllowedValues later (a Taiwan peer beside the recorded Hong Kong one) is reported, as for a pinned
approval. A missing or unreadable baseline is a scan error (exit code 2), never a silent pass.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from xborder.model import Finding, ScanError
from xborder.reports.base import ScanResult

VERSION = 1


def _entries(result: ScanResult) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for f in result.findings:
        if f.suppressed or not f.fingerprint:
            continue
        for fp in (f.fingerprint, *(t.fingerprint for t in f.twins)):
            entries[fp] = {"fingerprint": fp, "rule_id": f.rule_id, "resource": f.resource, "path": f.location.path, "unit": f.unit}
    return entries


def _dump(entries: list[dict[str, str]]) -> str:
    ordered = sorted(entries, key=lambda e: (e.get("path", ""), e.get("rule_id", ""), e.get("resource", ""), e.get("fingerprint", "")))
    doc = {"version": VERSION, "findings": ordered}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render(result: ScanResult) -> str:
    """The baseline of one scan: every unsuppressed finding's fingerprint, rule, resource, file and unit."""
    return _dump(list(_entries(result).values()))


def _in_scope(entry: dict[str, Any], scope: list[str]) -> bool:
    """Whether a recorded entry belongs to the scanned paths ("" = the whole root)."""
    if "" in scope:
        return True
    where = [str(entry.get(k) or "") for k in ("path", "unit")]
    where = [w for w in where if w and w != "."]
    return any(w == s or w.startswith(s.rstrip("/") + "/") for w in where for s in scope)


def merge(path: Path, result: ScanResult, scope: list[str]) -> tuple[str, dict[str, int]]:
    """Update an existing baseline with a scan of `scope` (paths relative to the root).

    Entries in scope are replaced by this scan's (new findings added, fixed ones dropped); entries outside
    it are kept, so refreshing one directory never empties the repository-wide baseline.
    """
    old = _load_doc(path)
    new = _entries(result)
    kept = [e for e in old if not _in_scope(e, scope) and e["fingerprint"] not in new]
    before = {e["fingerprint"] for e in old if _in_scope(e, scope)}
    stats = {
        "added": sum(1 for fp in new if fp not in {e["fingerprint"] for e in old}),
        "removed": sum(1 for fp in before if fp not in new),
        "kept": len(kept),
    }
    merged = kept + list(new.values())
    stats["total"] = len(merged)
    return _dump(merged), stats


def _load_doc(path: Path) -> list[dict[str, Any]]:
    """The entries of a baseline file; ValueError with a readable message when it is not one."""
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
    except RecursionError:
        raise ValueError("the baseline file is not a baseline (JSON nested too deeply)") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise ValueError('not an xborder baseline: expected {"version": 1, "findings": [...]}')  # noqa: TRY004
    if doc.get("version") != VERSION:
        raise ValueError(f"unsupported baseline version {doc.get('version')!r} (this xborder writes version {VERSION})")
    entries: list[dict[str, Any]] = []
    for i, entry in enumerate(doc["findings"]):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str) or not fp:
            raise ValueError(f"baseline entry {i} has no fingerprint")
        entries.append(entry)
    return entries


def load(path: Path) -> set[str]:
    """The fingerprints recorded in a baseline file; ValueError with a readable message when it is not one."""
    return {e["fingerprint"] for e in _load_doc(path)}


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
        if not f.suppressed and f.fingerprint in prints and all(t.fingerprint in prints for t in f.twins):
            matched += 1
            continue
        kept.append(_recorded_before(f, prints))
    return dataclasses.replace(result, findings=kept, baseline_matched=result.baseline_matched + matched)


def _recorded_before(f: Finding, prints: set[str]) -> Finding:
    """The finding, saying so when the baseline holds a fingerprint it had before (`Finding.former`), and why that
    one moved (only the reason that applies to it). It stays reported: the baseline cannot tell whether the link
    changed since it was written (an edited carrier or part), and only a person can."""
    old = list(dict.fromkeys((former, why) for former, _now, why in f.former if former in prints))
    if f.suppressed or not old:
        return f
    under = "; ".join(f"{former}, a fingerprint of it {why}" for former, why in old)
    note = (f"note: the baseline records this link under {under}; if it is still the link recorded then, record it "
            "again (`xborder baseline --update`)")
    at = len(f.evidence)
    if at and f.evidence[-1].startswith("compliant setup:"):
        at -= 1  # the compliant setup stays the last line
    return dataclasses.replace(f, evidence=[*f.evidence[:at], note, *f.evidence[at:]])
