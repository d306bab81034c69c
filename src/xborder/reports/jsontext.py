"""`json.dumps(doc, indent=2, ensure_ascii=False)`, the same text, in half the time.

With `indent`, the standard library encodes in pure Python through nested generators (its C encoder only
writes compact JSON); for a report of a few hundred findings that was a large part of a warm scan. This
writes the same layout with plain recursion, strings through the standard library's own (C) string
encoder. Anything it does not know exactly how the standard library writes (a float, a non-string key,
another type) goes to `json.dumps` itself, so the text is always the standard library's.
"""

from __future__ import annotations

import json
from typing import Any

try:
    from _json import encode_basestring as _string  # what json.dumps(ensure_ascii=False) uses
except ImportError:  # pragma: no cover - an interpreter without the C accelerator
    from json.encoder import py_encode_basestring as _string


class _Unknown(Exception):
    """A value this writer does not render (the standard library then renders the whole document)."""


def dumps(doc: Any) -> str:
    """The text of `json.dumps(doc, indent=2, ensure_ascii=False)`."""
    out: list[str] = []
    try:
        _value(doc, "\n", out)
    except (_Unknown, RecursionError):
        return json.dumps(doc, indent=2, ensure_ascii=False)
    return "".join(out)


def _value(v: Any, nl: str, out: list[str]) -> None:
    """Append `v` at the nesting whose line break (with indentation) is `nl`."""
    if isinstance(v, str):
        out.append(_string(v))
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int):
        out.append(int.__repr__(v))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for key, item in v.items():
            if not isinstance(key, str):
                raise _Unknown
            out.append(sep)
            out.append(_string(key))
            out.append(": ")
            _value(item, inner, out)
            sep = "," + inner
        out.append(nl + "}")
    elif isinstance(v, (list, tuple)):
        if not v:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for item in v:
            out.append(sep)
            _value(item, inner, out)
            sep = "," + inner
        out.append(nl + "]")
    else:
        raise _Unknown
