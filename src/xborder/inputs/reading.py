"""Reading one whole input file as UTF-8 text, with the error a user sees when that fails."""

from __future__ import annotations

from typing import Any

from xborder.model import ScanError


def read_unit_text(ctx: Any, name: str, what: str) -> str | ScanError:
    """The text of `name` (relative to the scan root), or a ScanError saying why it cannot be read."""
    try:
        return ctx.abs(name).read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        return ScanError(name, 1, f"{what} is not UTF-8 text: {e.reason}")
    except OSError as e:
        return ScanError(name, 1, f"cannot read the file: {e.strerror or e}")
