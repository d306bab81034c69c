"""Change view: which links a change adds, removes or alters, compared with a base git revision.

The base revision is materialised by `xborder.revision` (the same as `scan --diff-base`: `git archive`
into a temporary directory, no network, nothing written into the repository), scanned with the same
options, and rows are matched by their key (kind, resource address and end labels): a key only in the
working tree is "added", only in the base "removed", in both with a different signature (ends, sides,
supplier, verdict, approval) "changed".
"""

from __future__ import annotations

import dataclasses
from typing import Any

from xborder.reports.inventory.model import Inventory, build


class InventoryDiffError(Exception):
    """The base revision cannot be read (not a git repository, unknown revision, git missing)."""


def compare_with_base(inv: Inventory, request: Any, rev: str) -> None:
    """Mark `inv`'s rows added / changed / unchanged and list the removed ones, against `rev`."""
    from xborder.revision import RevisionError, materialise
    from xborder.scan import choose_root, run_scan

    root = choose_root(request.paths, request.root)
    try:
        with materialise(root, rev) as tree:
            config = request.config_path
            if config is not None:
                try:
                    config = tree.map(config)
                except ValueError:
                    pass  # a configuration outside the repository applies to both sides as it is
            base_request = dataclasses.replace(
                request,
                paths=[tree.map(p) for p in request.paths],
                root=tree.map(root),
                config_path=config,
                options=dataclasses.replace(request.options, explicit_files=set()),
                cache_dir=None,  # a throw-away tree: nothing worth caching
            )
            base = build(run_scan(base_request), inv.expiring_days)
    except (RevisionError, ValueError, OSError) as exc:
        raise InventoryDiffError(f"--diff-base {rev}: cannot read the base revision: {exc}") from None
    mark(inv, base, rev)


def mark(inv: Inventory, base: Inventory, rev: str) -> None:
    """Compare two inventories of the same paths by row key."""
    before = {row.key: row for row in base.rows}
    now = {row.key for row in inv.rows}
    for row in inv.rows:
        old = before.get(row.key)
        row.change = "added" if old is None else ("changed" if old.signature != row.signature else "unchanged")
    inv.removed = [dataclasses.replace(row, change="removed") for row in base.rows if row.key not in now]
    inv.base = rev
