"""The `datetime` classes without the `datetime` module's pure-Python half.

CPython's `datetime` module first defines a whole pure-Python implementation (about 4 M instructions,
a few percent of a pre-commit run that names one file) and then replaces it with the classes of its C
module `_datetime`. Those are the same classes (`datetime.date is _datetime.date`), so xborder takes them
from `_datetime` directly where it exists, and from `datetime` on interpreters without it.
"""

from __future__ import annotations

try:
    import _datetime as datetime
except ImportError:  # another interpreter
    import datetime  # type: ignore[no-redef]

__all__ = ["datetime"]
