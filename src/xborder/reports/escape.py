"""Escaping at the edge, per report format: scanned content never steers the reader's terminal or log.

Resource names, labels, file names and evidence come from the scanned repository. Printed raw, a
name holding `\\n::error file=...::` adds a GitHub annotation or `::add-mask::` hides log text, an
ANSI or OSC escape repaints the terminal or plants a hyperlink, a carriage return overwrites the line,
and `[text](https://...)` in a SARIF message becomes a link in the code-scanning UI.

* text: every control character (C0, DEL, C1), Unicode line and paragraph separators and bidi
  controls become visible escapes (`\\n`, `\\x1b`, `\\u202e`); a line that would start with `::` or
  `##[` (workflow commands) gets a `\\` in front, so the runner does not read it as one.
* SARIF `message.text`: the brackets of an embedded-link form `[..](..)` are escaped with `\\` as
  SARIF 3.11.6 prescribes for literal brackets; other brackets (`module.m[0]`) stay readable.
* GitHub annotations: the text is made safe like text, then percent-escaped by `reports.github`.
* JSON: `json.dumps` escapes control characters already.
"""

from __future__ import annotations

import re

from xborder import lazy

_NAMED = {"\n": "\\n", "\r": "\\r"}
# C0 (tab kept), DEL, C1, line/paragraph separators, bidi embeddings/overrides/isolates, lone surrogates
_UNSAFE = lazy.regex("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_COMMAND_START = lazy.regex(r"^(\s*)(::|##\[)")
_LINK_FORM = lazy.regex(r"\[([^\[\]\n]*)\]\(")


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    if c in _NAMED:
        return _NAMED[c]
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text_value(value: object) -> str:
    """One value inside a text line: no control character survives."""
    text = str(value)
    # every character `_UNSAFE` matches is non-printable (Cc, Zl, Zp, Cf, Cs): most values need no regex
    return text if text.isprintable() else _UNSAFE.sub(_escape_char, text)


def text_line(line: str) -> str:
    """A whole output line: a leading `::` or `##[` cannot start a workflow command."""
    return _COMMAND_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def sarif_text(value: str) -> str:
    """A SARIF plain-text message: embedded-link syntax is escaped, control characters too (line breaks kept)."""
    value = _UNSAFE.sub(lambda m: m.group(0) if m.group(0) == "\n" else _escape_char(m), value)
    out = []
    pos = 0
    for m in _LINK_FORM.finditer(value):
        out.append(value[pos : m.start()])
        out.append("\\[" + m.group(1).replace("\\", "\\\\") + "\\](")
        pos = m.end()
    out.append(value[pos:])
    return "".join(out)
