"""Attribute paths (`link.ip_address`, `region_ids[1]`) over evaluated resource attributes."""

from __future__ import annotations

import re
from typing import Any

from xborder import lazy
from xborder.model import Unknown

json = lazy.module("json")  # for jsondecode: a run seldom needs it

_STEP = lazy.regex(r"([^.\[\]]+)((?:\[\d+\])*)")


def get_path(attrs: dict[str, Any], path: str) -> list[Any]:
    """Every value at `path`. Lists of blocks are walked through; an absent attribute yields nothing.

    A step written `name@json` reads a string attribute that holds JSON (`domain_config = jsonencode({...})`).
    An Unknown on the way is returned as the value, so callers can report why.
    """
    current: list[Any] = [attrs]
    for step in path.split("."):
        m = _STEP.fullmatch(step)
        if not m:
            return []
        name, indexes = m.group(1), [int(i) for i in re.findall(r"\d+", m.group(2))]
        as_json = name.endswith("@json")
        name = name.removesuffix("@json")
        nxt: list[Any] = []
        for value in current:
            for obj in _flatten(value):
                if isinstance(obj, Unknown):
                    nxt.append(obj)
                elif isinstance(obj, dict) and name in obj and obj[name] is not None:
                    found = _json(obj[name]) if as_json else obj[name]
                    nxt.append(_index(found, indexes))
        current = nxt
    out: list[Any] = []
    for value in current:
        out.extend(value if isinstance(value, list) else [value])
    return out


def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return value if isinstance(value, (dict, list, Unknown)) else Unknown("is not a JSON string")
    try:
        return json.loads(value)
    except ValueError:
        return Unknown("is not valid JSON")


def _flatten(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _index(value: Any, indexes: list[int]) -> Any:
    for i in indexes:
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, list):
            return Unknown(f"cannot index a {type(value).__name__}")
        if i >= len(value):
            return Unknown(f"index {i} is out of range")
        value = value[i]
    return value
