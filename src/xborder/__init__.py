"""xborder: finds network links that cross the border of mainland China in infrastructure code."""

__version__ = "0.1.0"

import time as _time  # imported by the interpreter's start already

#: When this process first imported xborder (before any of its other modules): a code file changed since then may
#: not be the code this process runs (`snapshot`).
IMPORTED_NS = _time.time_ns()
