"""Built-in report formats (`reports.formats`). Each is imported only when chosen, so start-up stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from xborder.hookmark import hookimpl
from xborder.reports.formats import builtin_reporters


@hookimpl
def xborder_reporters() -> dict[str, Callable[[Path], Any]]:
    return builtin_reporters()
