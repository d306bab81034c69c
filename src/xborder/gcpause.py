"""Python's cyclic garbage collector, paused while xborder starts, then collecting less often.

Start-up builds thousands of long-lived objects (classes, compiled code, policy tables, a stored scan
result) and almost no garbage, yet each 700 allocations start a collection that walks them: about 4% of
a warm or one-file run. The command line pauses the collector for its start (`pause`); the scan resumes
it (`resume`) once it has real work to do, first freezing what exists (`gc.freeze`: those objects are
never walked again), so a large scan collects its cycles as before.

Real work means reading: a scan whose inputs are small (a pre-commit run naming one file of a small
module) makes a few thousand objects and hardly any cyclic garbage, yet its loads and imports still
started about twenty young collections (~3% of its instructions). So the collector stays paused until the
scan has read more than `SMALL_READ` bytes of input (`inputs.reading` calls `read`), and resumes at the
latest before worker processes fork (`parallel`), so no worker starts with it paused.

A scan builds many short-lived containers (syntax-tree views, evaluated values) and keeps many (the
module configurations of a unit), so CPython's young-generation threshold of 700 allocations means
hundreds of young and a few full collections that find little: from `resume` to the end of the command
the threshold is `SCAN_THRESHOLD` (README Performance has the measurements); `restore` puts back what
the process had before `pause`, so only the command line's own process is tuned.
"""

from __future__ import annotations

import gc

SCAN_THRESHOLD = 5000  # allocations between young-generation collections during a scan (CPython: 700)
SMALL_READ = 256 * 1024  # bytes of input a scan may read with the collector still paused

_paused = False
_saved: tuple[int, int, int] | None = None


def pause() -> None:
    """Stop automatic collection, unless someone else already did."""
    global _paused, _saved
    if gc.isenabled():
        gc.disable()
        _paused = True
        _saved = gc.get_threshold()


def resume() -> None:
    """Collect again, as it was before `pause` but less often (a no-op when this module did not pause it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()  # before enabling: the next allocation would otherwise walk all of start-up
        young, middle, old = gc.get_threshold()
        if 0 < young < SCAN_THRESHOLD:
            gc.set_threshold(SCAN_THRESHOLD, middle, old)
        gc.enable()


def read(total: int) -> None:
    """The scan has read `total` bytes of input so far: past `SMALL_READ`, collect again (`resume`)."""
    if _paused and total > SMALL_READ:
        resume()


def restore() -> None:
    """Resume if still paused, and put back the thresholds the process had before `pause`."""
    global _saved
    resume()
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None
