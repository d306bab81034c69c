"""VPN configurations in formats xborder does not read (policies/unread_configs.yaml).

Why: a FortiGate or VyOS config that no reader recognises used to be skipped like any other file, so a
repository of such devices scanned clean. Recognising the format's VPN statements lets rule XB003 say
"not read" instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnreadFormat:
    """A VPN config format xborder recognises but does not read, with the signature that recognises it."""

    key: str
    name: str
    signature: re.Pattern[str]
    also_in: frozenset[str]
    only_in: frozenset[str] = frozenset()  # when set, the only file endings the format applies to


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    from xborder.policy import _files, _load_yaml  # noqa: PLC0415 - policy data, read on first use

    return dict(_load_yaml(_files("unread_configs.yaml"))["formats"])


@functools.lru_cache(maxsize=1)
def formats() -> tuple[UnreadFormat, ...]:
    return tuple(
        UnreadFormat(key, str(f["name"]), re.compile(str(f["signature"]), re.M), frozenset(f.get("also_in", ())),
                     frozenset(f.get("only_in", ())))
        for key, f in sorted(_data().items())
    )


@functools.lru_cache(maxsize=1)
def extra_extensions() -> frozenset[str]:
    """File endings that are otherwise never opened but may hold an unread VPN format (asked for every
    scanned file: the signatures are compiled only when a file is looked into)."""
    return frozenset(str(ext) for f in _data().values() for ext in (*f.get("also_in", ()), *f.get("only_in", ()))
                     if str(ext).startswith("."))  # (`strings`: string values of templates, not a file ending)


def match(text: str, ext: str, skipped: bool) -> tuple[UnreadFormat, int] | None:
    """The first unread format whose signature occurs in `text`, with the 1-based line of the match.
    `skipped`: the file's ending is one xborder otherwise never opens (only formats listing it apply)."""
    for fmt in formats():
        if fmt.only_in and ext not in fmt.only_in:
            continue
        if skipped and ext not in fmt.also_in and ext not in fmt.only_in:
            continue
        found = fmt.signature.search(text)
        if found:
            return fmt, text.count("\n", 0, found.start()) + 1
    return None
