"""Change view: which links a change adds, removes or alters, compared with a base git revision.

The base revision is materialised with `git archive` into a temporary directory (the git CLI, no network,
nothing written into the repository or its .git), scanned with the same options, and rows are matched by
their key (kind, resource address and end labels): a key only in the working tree is "added", only in the
base "removed", in both with a different signature (ends, sides, supplier, verdict, approval) "changed".
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from xborder.reports.inventory.model import Inventory, build


class InventoryDiffError(Exception):
    """The base revision cannot be read (not a git repository, unknown revision, git missing)."""


def _git(cwd: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InventoryDiffError(f"--diff-base: cannot run git: {exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise InventoryDiffError(f"--diff-base: git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return proc.stdout


def materialise(repo: Path, rev: str, target: Path) -> None:
    """Write the files of `rev` into `target` (regular files and directories only)."""
    if rev.startswith("-"):
        raise InventoryDiffError(f"--diff-base: {rev!r} is not a revision")
    commit = _git(repo, "rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}").decode().strip()
    data = _git(repo, "archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [
            m for m in tar.getmembers() if (m.isfile() or m.isdir()) and not m.name.startswith("/") and ".." not in Path(m.name).parts
        ]
        try:
            tar.extractall(target, members=members, filter="data")
        except TypeError:  # Python before 3.10.12 has no extraction filters; the members are checked above
            tar.extractall(target, members=members)


def compare_with_base(inv: Inventory, request: Any, rev: str) -> None:
    """Mark `inv`'s rows added / changed / unchanged and list the removed ones, against `rev`."""
    from xborder.scan import choose_root, run_scan

    root = choose_root(request.paths, request.root)
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip()).resolve()

    def inside(path: Path, base: Path) -> Path:
        try:
            return base / path.resolve().relative_to(top)
        except ValueError:
            raise InventoryDiffError(f"--diff-base: {path} is outside the git repository {top}") from None

    with tempfile.TemporaryDirectory(prefix="xborder-base-") as tmp:
        base_dir = Path(tmp)
        materialise(top, rev, base_dir)
        config = request.config_path
        if config is not None:
            try:
                config = inside(config, base_dir)
            except InventoryDiffError:
                pass  # a configuration outside the repository applies to both sides as it is
        base_request = dataclasses.replace(
            request,
            paths=[inside(p, base_dir) for p in request.paths],
            root=inside(root, base_dir),
            config_path=config,
            options=dataclasses.replace(request.options, explicit_files=set()),
        )
        if hasattr(base_request, "cache_dir"):
            base_request.cache_dir = None  # a throw-away tree: nothing worth caching
        base = build(run_scan(base_request), inv.expiring_days)
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
