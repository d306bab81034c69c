"""A fast reader for variable files (`.tfvars`) that hold only literal values.

Generated inventories put megabytes of plain data in one `.auto.tfvars` map. tree-sitter needs about
1 s and over 100 MB of syntax tree per MB of such text, and the evaluator then walks every node; this
reader turns the text straight into the values the evaluator would give, in one regular-expression
pass. It accepts a strict subset of HCL (top-level `name = value`; strings without interpolation,
numbers, true/false/null, tuples, objects; comments) and gives up (returns None) on anything else,
including every syntax error, so the caller parses such a file with tree-sitter exactly as before.
The values are the same as the evaluator's (tests/perf/test_tfvars_literals.py compares both).
"""

from __future__ import annotations

import re
from typing import Any

from xborder.inputs.terraform.syntax import decode_quoted
from xborder.inputs.terraform.values import negate, parse_number
from xborder.model import Unknown

MAX_NESTING = 64  # deeper literals take the tree-sitter path (the evaluator's own depth limit applies there)
MAX_VALUES = 4_000_000  # values in one file; a literal larger than this is Unknown, not millions of objects

# A quoted string without interpolation or directives; escapes limited to those HCL defines.
_CH = r'[^"\\\n\r$%]'
_ESC = r'(?:\\[nrt"\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|[$%](?![{$%]))'
_STR = r'"' + _CH + r'*(?:' + _ESC + _CH + r'*)*"'
_NUM = r'-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])'
_WORD = r'(?:true|false|null)(?![\w-])'
_SCALAR = r'(?:' + _STR + r'|' + _NUM + r'|' + _WORD + r')'
_IDENT = r'[A-Za-z_][\w-]*'
_KEY = r'(?:(?!(?:true|false|null|for|in|if|else|endif|endfor)(?![\w-]))' + _IDENT + r'|' + _STR + r')'
# One-line tuples of scalars, and objects of scalars and such tuples, are read as one token (most of a
# generated inventory).
_FLAT_TUPLE = r'\[[ \t]*(?:' + _SCALAR + r'(?:[ \t]*,[ \t]*' + _SCALAR + r')*[ \t]*,?[ \t]*)?\]'
_PAIR = _KEY + r'[ \t]*[=:][ \t]*(?:' + _SCALAR + r'|' + _FLAT_TUPLE + r')'
_FLAT_OBJECT = r'\{[ \t]*(?:' + _PAIR + r'(?:[ \t]*,[ \t]*' + _PAIR + r')*[ \t]*,?[ \t]*)?\}'
_TOKEN = re.compile(
    r'[ \t]*(?:'
    r'(?P<e>(?P<ek>' + _KEY + r')[ \t]*(?P<es>[=:])[ \t]*(?P<ev>' + _FLAT_OBJECT + r'|' + _FLAT_TUPLE + r'|' + _SCALAR + r'))'
    r'|(?P<kv>' + _KEY + r'[ \t]*[=:])'
    r'|(?P<fo>' + _FLAT_OBJECT + r')'
    r'|(?P<ft>' + _FLAT_TUPLE + r')'
    r'|(?P<s>' + _STR + r')'
    r'|(?P<n>' + _NUM + r')'
    r'|(?P<i>' + _IDENT + r')'
    r'|(?P<p>[{}\[\],])'
    r'|(?P<nl>(?:(?:#|//)[^\n]*)?(?:\r?\n|\Z))'
    r'|/\*(?:[^*\n]|\*(?!/))*\*/'  # a one-line block comment is space; one spanning lines gives up
    r'|(?P<bad>.))',
    re.S | re.ASCII,
)
# the parts of a flat object / tuple (already validated by the token): key, and the value by kind
# plain: printable ASCII without escapes, the common case, taken as it is
_PLAIN = r'"([\t -!#&-\[\]-~]*)"'
_VALUE_PARTS = r'(?:' + _PLAIN + r'|(\d{1,18})(?![\w.])|(' + _STR + r')|(' + _NUM + r')|(' + _WORD + r'))'
_PAIR_PARTS = re.compile(r'(?:(' + _IDENT + r')|(' + _STR + r'))[ \t]*[=:][ \t]*(?:' + _VALUE_PARTS + r'|(' + _FLAT_TUPLE + r'))',
                         re.ASCII)
_SCALAR_PARTS = re.compile(_VALUE_PARTS, re.ASCII)
_KEYWORDS = {"true": True, "false": False, "null": None}


class _GiveUp(Exception):
    """Not a literal-only file: the caller takes the full parser."""


def _string(quoted: str) -> str:
    text = quoted[1:-1]
    if "\\" in text or not text.isascii():
        return decode_quoted(text)
    return text


def _number(text: str) -> Any:
    neg = text.startswith("-")
    digits = text[1:] if neg else text
    if digits.isdigit() and len(digits) < 19:
        v: Any = int(digits)
        return negate(v) if neg else v
    if ("e" in digits or "E" in digits) and "." not in digits:
        raise _GiveUp  # `1e3`: tree-sitter's grammar needs a fix-up for it; leave it to that path
    v = parse_number(digits)
    if v is None:
        raise _GiveUp
    return negate(v) if neg else v


def _scalar(s: str, n: str, w: str, t: str = "") -> Any:
    """A value other than a plain string, from the groups of `_VALUE_PARTS` (none set: the empty string)
    or a flat tuple `t`."""
    if t:
        return _flat_tuple(t)
    if s:
        return _string(s)
    if n:
        return _number(n)
    if w:
        return _KEYWORDS[w]
    return ""


def _flat_object(text: str) -> dict[str, Any]:
    return {(k or _string(ks)): (p or (int(i) if i else _scalar(s, n, w, t)))
            for k, ks, p, i, s, n, w, t in _PAIR_PARTS.findall(text)}


def _flat_tuple(text: str) -> list[Any]:
    return [p or (int(i) if i else _scalar(s, n, w)) for p, i, s, n, w in _SCALAR_PARTS.findall(text)]


def read_literal_vars(src: str) -> list[tuple[str, Any, int, int]] | None:
    """[(name, value, start offset, end offset)] of a file of literal `name = value` lines, or None.

    None means "not (only) literals, or not valid": the file must take the tree-sitter path, which
    reports what is wrong exactly as before. A repeated top-level name also gives up (it is an error).
    """
    try:
        return _read(src)
    except (_GiveUp, RecursionError):
        return None


def _budget(v: Any, count: int) -> Any:
    """The value, or Unknown when the file holds more values than a scan should hold in memory."""
    if count <= MAX_VALUES:
        return v
    return Unknown(f"over the evaluation budget: more than {MAX_VALUES} values in one variables file "
                   "(the scan goes on without this value)")


# Parser states. Top level: want a name, want a value, want the end of the line.
# Object: want a key or "}", want a value, want "," / newline / "}". Tuple: want a value or "]", want "," or "]".
_NAME, _VALUE, _EOL = 0, 1, 2
_OKEY, _OVAL, _OSEP = 3, 4, 5
_TVAL, _TSEP = 6, 7


def _read(src: str) -> list[tuple[str, Any, int, int]]:  # noqa: C901 - one flat state machine, kept fast
    out: list[tuple[str, Any, int, int]] = []
    names: set[str] = set()
    count = 0
    # the open containers, innermost last: (container, key being filled in an object)
    conts: list[Any] = []
    keys: list[str] = []
    states: list[int] = []
    state = _NAME
    name, start, end, value = "", 0, 0, None
    for m in _TOKEN.finditer(src):
        kind = m.lastgroup
        if kind is None:
            continue  # a one-line block comment
        if kind == "e":  # `key = value` on one line, the value flat: most of a generated inventory
            text = m.group("ev")
            c = text[0]
            if c == "{":
                v: Any = _flat_object(text)
                count += len(v) + 1
            elif c == "[":
                v = _flat_tuple(text)
                count += len(v) + 1
            else:
                p, i, s, n, w = _SCALAR_PARTS.match(text).groups("")  # type: ignore[union-attr]
                v = p or (int(i) if i else _scalar(s, n, w))
                count += 1
            key = m.group("ek")
            if state == _OKEY:
                conts[-1][_string(key) if key[0] == '"' else key] = v
                state = _OSEP
                continue
            if state != _NAME or key[0] == '"' or m.group("es") == ":" or key in names:
                raise _GiveUp
            names.add(key)
            name, value, start, end = key, _budget(v, count), m.start("e"), m.end()
            state = _EOL
            continue
        if kind == "nl":
            if state == _EOL:
                out.append((name, value, start, end))
                state = _NAME
            elif state == _OSEP:
                state = _OKEY
            elif state not in (_NAME, _OKEY, _TVAL, _TSEP):
                raise _GiveUp
            continue
        if kind == "kv":
            text = m.group("kv")
            if state == _OKEY:
                key = text[:-1].rstrip()
                keys[-1] = _string(key) if key[:1] == '"' else key
                state = _OVAL
                continue
            if state != _NAME or text[:1] == '"' or text[-1:] == ":":
                raise _GiveUp
            name = text[:-1].rstrip()
            if name in names:
                raise _GiveUp
            names.add(name)
            start = m.start("kv")
            state = _VALUE
            continue
        if kind == "fo":
            v = _flat_object(m.group("fo"))
            count += len(v) + 1
        elif kind == "ft":
            v = _flat_tuple(m.group("ft"))
            count += len(v) + 1
        elif kind == "s":
            v = _string(m.group("s"))
            count += 1
        elif kind == "n":
            v = _number(m.group("n"))
            count += 1
        elif kind == "i":
            word = m.group("i")
            if word not in _KEYWORDS:
                raise _GiveUp  # a reference, a function or a keyword: not a literal
            v = _KEYWORDS[word]
            count += 1
        elif kind == "p":
            c = m.group("p")
            if c == ",":
                if state == _OSEP:
                    state = _OKEY
                elif state == _TSEP:
                    state = _TVAL
                else:
                    raise _GiveUp
                continue
            if c == "{" or c == "[":
                if state not in (_VALUE, _OVAL, _TVAL) or len(conts) >= MAX_NESTING:
                    raise _GiveUp
                states.append(state)
                if c == "{":
                    conts.append({})
                    keys.append("")
                    state = _OKEY
                else:
                    conts.append([])
                    keys.append("")
                    state = _TVAL
                continue
            # "}" or "]"
            if c == "}":
                if state != _OKEY and state != _OSEP:
                    raise _GiveUp
            elif state != _TVAL and state != _TSEP:
                raise _GiveUp
            v = conts.pop()
            keys.pop()
            state = states.pop()
            count += 1
        else:  # bad
            raise _GiveUp
        # a complete value
        if state == _OVAL:
            conts[-1][keys[-1]] = v
            state = _OSEP
        elif state == _TVAL:
            conts[-1].append(v)
            state = _TSEP
        elif state == _VALUE:
            value = _budget(v, count)
            end = m.end()
            state = _EOL
        else:
            raise _GiveUp
    if conts or state not in (_NAME, _EOL):
        raise _GiveUp
    if state == _EOL:
        out.append((name, value, start, end))
    return out
