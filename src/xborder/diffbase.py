"""PR mode: report only the findings that are new relative to the scanned tree at a git revision.

The same scan runs on the revision (materialised by `xborder.revision`, outside the scanned tree) and
every unsuppressed finding whose fingerprint it also has is dropped, counted like a baseline match.
Fingerprints name the rule, resource and endpoints, never lines, so code that only moved is not new. A finding
with a twin (the same link deployed with other ends by another allowed parameter value: links/worlds.py) whose
fingerprint the revision has nowhere is new: a change that adds a Taiwan peer to the AllowedValues beside a
Hong Kong one the revision reports is shown.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from xborder.model import ScanError
from xborder.reports.base import ScanResult


def new_since(result: ScanResult, request: Any, rev: str) -> ScanResult:
    """`result` without the findings the tree at `rev` already has; a scan error when `rev` cannot be read."""
    from xborder.plugins import make_plugin_manager
    from xborder.revision import RevisionError, materialise
    from xborder.scan import choose_root, run_scan

    root = choose_root(request.paths, request.root)
    try:
        with materialise(root, rev) as rev_tree:
            base_request = dataclasses.replace(
                request,
                paths=[rev_tree.map(p) for p in request.paths],
                root=rev_tree.map(root),
                options=dataclasses.replace(request.options, explicit_files=set()),
                cache_dir=None,  # a temporary tree: its entries could never be used again
            )
            base = run_scan(base_request, make_plugin_manager())
    except (RevisionError, ValueError, OSError) as exc:
        error = ScanError(f"--diff-base {rev}", 0, f"cannot scan the base revision: {exc}")
        return dataclasses.replace(result, errors=sorted({*result.errors, error}, key=lambda e: (e.path, e.line, e.message)))
    known = {fp for f in base.findings if not f.suppressed and f.fingerprint
             for fp in (f.fingerprint, *(t.fingerprint for t in f.twins))}
    kept = [f for f in result.findings
            if f.suppressed or f.fingerprint not in known or any(t.fingerprint not in known for t in f.twins)]
    matched = len(result.findings) - len(kept)
    notes = sorted({*result.notes, f"--diff-base {rev}: {matched} finding(s) also present at {rev} not reported"})
    return dataclasses.replace(result, findings=kept, baseline_matched=result.baseline_matched + matched, notes=notes)
