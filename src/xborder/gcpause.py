"""Python's cyclic garbage collector, paused while xborder starts.

Start-up builds thousands of long-lived objects (classes, compiled code, policy tables, a stored scan
result) and almost no garbage, yet each 700 allocations start a collection that walks them: about 4% of
a warm or one-file run. The command line pauses the collector for its start (`pause`); the scan resumes
it (`resume`) once it knows it has real work to do, first freezing what exists (`gc.freeze`: those
objects are never walked again), so a large scan collects its cycles as before.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection, unless someone else already did."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Collect again, as it was before `pause` (a no-op when this module did not pause it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()  # before enabling: the next allocation would otherwise walk all of start-up
        gc.enable()
