"""xborder: finds network links that cross the border of mainland China in infrastructure code."""

__version__ = "0.1.0"

import time as _time  # imported by the interpreter's start already

#: When this process first imported xborder (before any of its other modules): a code file changed since then may
#: not be the code this process runs (`snapshot`).
IMPORTED_NS = _time.time_ns()

#: File times lag the clock by up to a timer tick: a file changed less than this before a moment counts as changed
#: at or after it (the result cache's "during the scan", the snapshot's "since the import").
DURING_NS = 100_000_000


def changed_since_import(newest_ns: int) -> bool:
    """Whether a code file whose latest modification or change time is `newest_ns` may have changed after this
    process imported xborder: its text is then not known to be the code running, so neither the snapshot's key
    (`snapshot`) nor the result cache's (`cache.code_digest`) may be made from it."""
    return newest_ns >= IMPORTED_NS - DURING_NS
