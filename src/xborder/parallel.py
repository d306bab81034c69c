"""Loading units on every core for large trees; one process for small runs, where start-up would dominate.

Units are independent, except that Terraform roots calling a common module share its parsed files:
units with the same `share_key` go to the same worker, whole. Workers are forked after collection (they
inherit the scan context) and send back each unit's `LoadResult` (resources of interest, errors, notes),
never syntax trees, and the bytes of the files they read (`reading.adopt`): root detection's workers read
every Terraform file, and the load workers forked after it find them read instead of reading them again. Results come back in unit order, so the output is byte-identical to a
single-process run. Without `fork` (Windows, macOS default) the scan stays in one process.

The scan's input budget (`inputs.reading`) is counted in shared memory while the workers run, so it
bounds the scan, not each process. (Splitting it among batches ahead would be deterministic, but a batch
cannot know ahead how much a shared module or include will cost; a shared count changes nothing until
the budget runs out — and then the scan reports errors and exits 2 either way, though with several
workers which files were refused can depend on their timing.)
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MIN_UNITS = 64  # below this, forking costs more than it saves
FACTS = "xborder:worker-facts"  # a dict in ctx.cache (keys only) that workers add to and send back

_JOB: tuple[list[Any], Callable[[Any], Any], Any] | None = None  # set before forking; read by the workers


@dataclass
class Loaded:
    """Each unit's load result in unit order, and how many cache entries worker processes wrote."""

    results: list[Any] = field(default_factory=list)  # LoadResult, or the exception a unit raised
    writes: int = 0  # result-cache entries written by worker processes


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _one(load: Callable[[Any], Any], unit: Any) -> Any:
    try:
        return load(unit)
    except Exception as exc:  # noqa: BLE001 - reported by the caller with the unit's name
        return exc


def workers(count: int, jobs: int = 0) -> int:
    """How many processes for `count` independent items: `jobs`, or every core (at most 8) for many."""
    return jobs or (min(cores(), 8) if count >= MIN_UNITS else 1)


def load_all(units: list[Any], ctx: Any, load: Callable[[Any], Any], jobs: int = 0) -> Loaded:
    """Every unit's result, in order; `jobs` 0 = automatic, 1 = this process."""
    groups: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        key = unit.share_key(ctx) if hasattr(unit, "share_key") else f"{type(unit).__name__}:{unit.name}"
        groups.setdefault(key, []).append(i)
    # largest groups first, so one big group does not start last
    batches = sorted(groups.values(), key=lambda ix: (-len(ix), ix[0]))
    return _run(units, ctx, load, batches, workers(len(units), jobs))


def map_items(items: list[Any], ctx: Any, fn: Callable[[Any], Any], jobs: int = 0) -> Loaded:
    """`fn(item)` for every item (or the exception it raised), in order; on every core when there are many.

    For independent work that is serial otherwise (Terraform root detection); results must be small.
    """
    n = workers(len(items), jobs)
    size = max(1, len(items) // (max(n, 1) * 16))  # small batches: items differ widely in cost
    batches = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
    return _run(items, ctx, fn, batches, n)


def _run(units: list[Any], ctx: Any, load: Callable[[Any], Any], batches: list[list[int]], n: int) -> Loaded:
    if n <= 1 or len(units) < 2:
        return Loaded([_one(load, u) for u in units])
    import multiprocessing  # ~25 ms to import: only for a pool

    if "fork" not in multiprocessing.get_all_start_methods():
        return Loaded([_one(load, u) for u in units])
    from xborder import gcpause
    from xborder.inputs import reading

    gcpause.resume()  # workers start with the collector on, start-up's objects frozen (`gcpause`)

    global _JOB
    _JOB = (units, load, ctx)
    try:
        from xborder.forkpool import QuietPool

        with reading.current_scope().share(), QuietPool(min(n, len(batches)), context=multiprocessing.get_context("fork")) as pool:
            parts = pool.map(_batch, batches, chunksize=1)
    finally:
        _JOB = None
    out = Loaded([None] * len(units))
    plain = reading.current_scope().plain
    facts = ctx.cache.get(FACTS)
    cache = ctx.cache.get("xborder:result-cache")
    scope = reading.current_scope()
    for pairs, writes, found, learnt, read, written, memos in parts:
        out.writes += writes
        for name, added in memos:
            _keep_memo(getattr(scope, name), added)
        if cache is not None:
            cache.seen.update(written)
        for i, result in pairs:
            out.results[i] = result
        if plain is not None:
            plain.update(dict.fromkeys(found))
        if facts is not None:
            facts.update(dict.fromkeys(learnt))
        reading.adopt(read)
    return out


# the scan's memos of the file system (`inputs.reading.Scope`: resolved directories, directory listings, resolved
# paths, Terraform entries of directories) that workers send back like the bytes they read: the load workers,
# forked after root detection's, find every directory resolved and listed, as a single process does
MEMOS = ("real_dirs", "names", "real_paths", "listings")
MEMO_CAP = 100_000  # entries per memo, as `inputs.reading` bounds them


def _keep_memo(memo: dict[Any, Any] | None, added: list[tuple[Any, Any]]) -> None:
    """A worker's memo entries, within the cap; what this process holds for a key already stays."""
    if memo is None:
        return
    for key, value in added:
        if len(memo) >= MEMO_CAP:
            return
        memo.setdefault(key, value)


def _batch(indices: list[int]) -> tuple[list[tuple[int, Any]], int, list[str], list[Any], list[tuple[str, bytes]],
                                        list[tuple[str, list[str]]], list[tuple[str, list[tuple[Any, Any]]]]]:
    """The batch's results, the result-cache entries it wrote, the files it found without a directive
    word (`reading.holds_no_directive`: the parent need not read them again), the facts it added to
    `ctx.cache[FACTS]` (a dict used as an ordered set, made before forking: what the parent checks after),
    the files it read whole (`reading.adopt`: processes forked later, for the unit loads after root
    detection, find them read, as a single process does) and the dependencies of the result-cache entries
    it served or wrote (`ResultCache.seen`: the whole-scan entry needs them without reading each entry back),
    and the entries it added to the scan's file-system memos (`MEMOS`; listings by path only, not the
    per-view file lists, which hold a `Path` per file)."""
    from xborder.inputs import reading

    assert _JOB is not None
    units, load, ctx = _JOB
    cache = ctx.cache.get("xborder:result-cache")
    before = cache.writes if cache is not None else 0
    known_seen = len(cache.seen) if cache is not None else 0
    plain = reading.current_scope().plain
    known = len(plain) if plain is not None else 0
    store = reading.current_scope().store
    known_read = len(store) if store is not None else 0
    facts = ctx.cache.get(FACTS)
    known_facts = len(facts) if facts is not None else 0
    scope = reading.current_scope()
    known_memos = [(name, getattr(scope, name), len(getattr(scope, name) or ())) for name in MEMOS]
    pairs = [(i, _one(load, units[i])) for i in indices]
    after = cache.writes if cache is not None else 0
    found = _added(plain, known) if plain is not None else []
    learnt = _added(facts, known_facts) if facts is not None else []
    read = _added(store.items(), known_read) if store is not None else []
    written = _added(cache.seen.items(), known_seen) if cache is not None else []
    memos = [(name, [(k, v) for k, v in _added(memo.items(), n) if isinstance(k, str)])
             for name, memo, n in known_memos if memo is not None]
    return pairs, after - before, found, learnt, read, written, memos


def _added(view: Any, known: int) -> list[Any]:
    """The entries of a dict (or of its `items()`) after its first `known`, in order: what a batch added.

    Taken from the end: skipping the first `known` from the start made every batch walk all the entries the
    worker held (~12,000 file bytes kept and ~6,000 plain files on a large tree), over 700 batches."""
    return list(itertools.islice(reversed(view), len(view) - known))[::-1]
