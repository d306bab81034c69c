"""A `multiprocessing` pool whose worker-maintenance thread sleeps while results are in flight.

`multiprocessing.pool.Pool` wakes that thread (`_handle_workers`) on the result pipe too: while a result
waits there for the result thread to read it, the maintenance thread loops (wait returns at once, checks
the workers, waits again), holding the GIL from the result thread. On a scan of 5,898 files that was
0.2-0.3 s of the parent's CPU in the two pool phases, taken from the workers on a 2-core machine.
The thread only needs to wake when a worker exits (their sentinels, which it always adds) or when the
pool's task cache empties or the pool ends (the change notifier): exactly what `ThreadPool` waits on.
"""

from __future__ import annotations

from multiprocessing.pool import Pool
from typing import Any


class QuietPool(Pool):
    """`Pool` whose maintenance thread waits on worker exits and the change notifier only, not on results."""

    def _get_sentinels(self) -> list[Any]:  # Pool's own: [result pipe reader, change notifier reader]
        return [self._change_notifier._reader]  # type: ignore[attr-defined]
