"""Where xborder keeps what it may reuse between runs: never inside the scanned tree."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def default_dir() -> Path:
    """`$XBORDER_CACHE_DIR`, else the platform's user cache directory (XDG_CACHE_HOME on Linux)."""
    env = os.environ.get("XBORDER_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "xborder" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "xborder"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "xborder"
