"""Module calls read from a file's text, without its parser: root detection's guess, checked before reporting.

Root detection must know which directories a directory calls before any unit loads, and a file with module
blocks was parsed twice for it (once here, once when its unit loads; keeping the syntax trees in between
costs ~34 bytes of memory per source byte). For the usual spelling this reads the calls from the text:

    module "name" {
      source = "./literal"
      ...
    }

A file is guessed only when every `module` keyword outside comments and strings is such a header at the top
level (bracket depth 0), each block's `source` (at its own top level) is one plain quoted literal on its line
and the text has no `lexical_doubt`, or none once its strings are read as templates (`precheck.template_spans`:
an interpolation holding quoted strings); anything else is "not sure" (None) and the file is parsed as before.

A guess is never trusted alone: every file guessed is compared with its parse when a unit parses it (`check`),
the files no unit parsed are parsed at the end (`settled`), and a scan whose guesses were not all right is
collected and loaded again with the parser deciding (`scan._run_scan`): a wrong "X is called" would make X
no root, a silent pass.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder import parallel
from xborder.inputs.terraform.syntax import MAX_HCL_SOURCE_BYTES
from xborder.inputs.terraform.precheck import (
    _MODULE_WORD,
    _NOT_BEFORE,
    _SKIP,
    HEREDOC,
    STRING,
    balanced,
    conflict_marks,
    kept,
    known_doubt,
    left_over,
    template_spans,
)

Calls = tuple[tuple[tuple[str, ...], "str | None"], ...]  # ((labels), literal source or None) per module block

GUESSED = "terraform:guessed-calls"  # file path -> (path relative to the scan root, its guessed Calls)
GUESSED_DIRS = "terraform:guessed-dirs"  # directory -> ([(call name, literal source)], files guessed): no `dir-calls`
FACTS = parallel.FACTS  # ("ok" | "bad", file path) of guesses compared with a parse; sent back by workers
CHECK = "xborder:collection-check"  # callable(ctx) -> bool: False = collect and load again without guesses
LATER = "terraform:guessed-entries"  # result-cache entries of guessed directories, written once confirmed
EXACT = "xborder:exact-collection"  # set when collecting again: no guess

_HEADER = lazy.regex(rb'[ \t]*module[ \t]+\x01(x*)\x01[ \t]*\{[ \t]*\r?\n')  # at a line start
_SOURCE_WORD = lazy.regex(rb"source(?![\w-])")
_SOURCE_LINE = lazy.regex(rb'[ \t]*source[ \t]*=[ \t]*\x01(x*)\x01[ \t]*\r?\n')  # at a line start
_CLOSE_LINE = lazy.regex(rb"(?m)^([ \t]*\})[ \t]*\r?$")  # a line holding a lone closing brace


_SPACES = bytes(0x0A if b == 0x0A else 0x20 for b in range(256))
_XS = bytes(0x0A if b == 0x0A else 0x78 for b in range(256))
_QUOTE = b"\x01"  # a masked string's delimiters: a quote left in the masked text was not closed


def _mask(m: re.Match[bytes]) -> bytes:
    """A comment, string or heredoc as bytes of the same length that hold no code: offsets stay, lines stay."""
    t = m.group()
    first = t[:1]
    if first == b'"':
        return _QUOTE + b"x" * (len(t) - 2) + _QUOTE
    return t.translate(_SPACES if first != b"<" else _XS)


def _template_mask(data: bytes) -> bytes | None:
    """The masked text `_SKIP.sub(_mask, data)` gives, with quoted strings read as templates (`template_spans`:
    an interpolation may hold quoted strings of its own, which the regex cannot match); None on a doubt."""
    spans = template_spans(data)
    if spans is None:
        return None
    out, pos = [], 0
    for start, end, kind in spans:
        out.append(data[pos:start])
        t = data[start:end]
        out.append(_QUOTE + b"x" * (len(t) - 2) + _QUOTE if kind == STRING else t.translate(_XS if kind == HEREDOC else _SPACES))
        pos = end
    out.append(data[pos:])
    return b"".join(out)


def _doubt(data: bytes, text: bytes, conflict: bool | None = None) -> bool:
    """`precheck.lexical_doubt(data)`, given the masked text (one regex pass for both); `conflict`:
    `conflict_marks(data)` when known."""
    if conflict_marks(data) if conflict is None else conflict:
        return True
    if left_over(text):
        return True
    return not balanced(text)


def _depth(text: bytes, start: int, end: int) -> int:
    """Opening minus closing brackets in text[start:end]."""
    return (text.count(b"{", start, end) + text.count(b"[", start, end) + text.count(b"(", start, end)
            - text.count(b"}", start, end) - text.count(b"]", start, end) - text.count(b")", start, end))


def _plain_literal(raw: bytes) -> str | None:
    """The value of a quoted string's content when it is plain ASCII text: no escape, interpolation or directive."""
    if not raw.isascii() or b"\\" in raw or b"${" in raw or b"%{" in raw:
        return None
    return raw.decode("ascii")


def _line_start(text: bytes, i: int) -> int:
    return text.rfind(b"\n", 0, i) + 1


_GUESSES: dict[bytes, Any] = {}  # `guess_calls` by text, for this process (see `precheck._MODULES`)


def guess_calls(data: bytes) -> Calls | None:
    """The module blocks of a native-syntax file as its parse would give them, or None when not sure."""
    if type(data) is not bytes:
        return _guess_calls(data)
    known = _GUESSES.get(data, _GUESSES)
    return kept(_GUESSES, data, _guess_calls(data)) if known is _GUESSES else known


def _guess_calls(data: bytes) -> Calls | None:
    if data.find(b"\x00") >= 0 or len(data) > MAX_HCL_SOURCE_BYTES or data.startswith(b"\xef\xbb\xbf"):
        return None  # what `decode_text` refuses or changes, and what the parser never sees
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    gaps: list[bytes] = []  # the text between the pass's matches: what `lexical_doubt`'s own pass keeps
    last = 0

    def mask(m: re.Match[bytes]) -> bytes:
        nonlocal last
        gaps.append(data[last : m.start()])
        last = m.end()
        return _mask(m)

    text = _SKIP.sub(mask, data)
    gaps.append(data[last:])
    conflict = conflict_marks(data)
    known_doubt(data, conflict, b"".join(gaps))  # (asked of the same file later: one pass for both)
    if _doubt(data, text, conflict):
        text = _template_mask(data)  # strings whose interpolations hold strings: read as templates
        if text is None or _doubt(data, text, conflict):
            return None
    if not text.isascii():
        return None  # a Unicode name or space outside strings and comments
    out: list[tuple[tuple[str, ...], str | None]] = []
    pos = depth = 0
    body_end = -1
    for m in _MODULE_WORD.finditer(text):
        s = m.start()
        if s and text[s - 1] in _NOT_BEFORE:
            continue  # `path.module`, `my_module`: no keyword
        if s < body_end:
            return None  # a `module` word inside a module block
        ls = _line_start(text, s)
        h = _HEADER.match(text, ls) if not text[ls:s].strip(b" \t") else None
        if h is None:
            return None
        depth += _depth(text, pos, s)
        pos = s
        if depth != 0:
            return None
        label = _plain_literal(data[h.start(1) : h.end(1)])
        if label is None:
            return None
        body = h.end()
        end = _block_end(text, body)
        if end < 0:
            return None
        source = _source(data, text, body, end)
        if source is False:
            return None
        out.append(((label,), source))  # type: ignore[arg-type]
        body_end = end
    return tuple(out)


def _block_end(text: bytes, body: int) -> int:
    """Where the block whose body starts at `body` closes, when its closing brace is alone on its line (the
    usual spelling); -1 otherwise. Only lines holding a lone `}` are looked at; the body up to the one
    found must be balanced (never closing more than it opened), so it is the block's own brace."""
    level, pos = 1, body
    for m in _CLOSE_LINE.finditer(text, body):
        brace = m.end(1) - 1
        level += _depth(text, pos, brace + 1)
        pos = brace + 1
        if level == 0:
            return brace if balanced(text[body:brace]) else -1
        if level < 0:
            return -1
    return -1


def _source(data: bytes, text: bytes, body: int, end: int) -> str | None | bool:
    """The literal `source` of the block body text[body:end]; None when it has none; False when not sure."""
    found: list[str] = []
    for m in _SOURCE_WORD.finditer(text, body, end):
        s = m.start()
        if text[s - 1] in _NOT_BEFORE:
            continue
        if _depth(text, body, s) != 0:
            continue  # inside a nested value or block: not the call's argument
        ls = _line_start(text, s)
        line = _SOURCE_LINE.match(text, ls) if not text[ls:s].strip(b" \t") else None
        if line is None or line.end() > end:
            return False
        value = _plain_literal(data[line.start(1) : line.end(1)])
        if value is None:
            return False
        found.append(value)
    if len(found) > 1:
        return False  # set twice: Terraform rejects the block
    return found[0] if found else None


def parsed_calls(blocks: list[Any]) -> Calls:
    """The same description of a parse's top-level blocks (its `module` blocks, each with its literal source)."""
    from xborder.inputs.terraform.plugin import _literal_source

    return tuple((tuple(b.labels), _literal_source(b.attrs["source"].expr) if "source" in b.attrs else None)
                 for b in blocks if b.type == "module")


def check(ctx: Any, path: Path, blocks: list[Any]) -> None:
    """Compare a parsed file's module blocks with the guess made for it, if any (`FACTS`)."""
    guessed = ctx.cache.get(GUESSED)
    if not guessed:
        return
    key = os.fspath(path)
    g = guessed.get(key)
    if g is None:
        return
    facts = ctx.cache.setdefault(FACTS, {})
    if ("ok", key) in facts or ("bad", key) in facts:
        return
    try:
        same = parsed_calls(blocks) == g[1]
    except Exception:  # noqa: BLE001 - not sure: the scan collects again, parsing (never an error of its own)
        same = False
    facts[("ok" if same else "bad", key)] = None


def parse_confirms(data: bytes, calls: Calls) -> bool:
    """Whether the parse of `data` has no syntax error and its top-level `module` blocks are `calls` (each label
    and literal `source` spelt as the guess read it, a plain quoted string): the guess confirmed by the parser
    alone, without building the blocks or walking the tree for other errors (`syntax.module_blocks`).

    For directories that cannot matter, whose files' errors come from `loader.checked_errors` anyway (README,
    Performance). False when not sure (a syntax error anywhere, a surprise): the caller parses as before."""
    from xborder.inputs.terraform.syntax import parse_source

    try:
        tree, src = parse_source(data)
        root = tree.root_node
        if root.has_error:
            return False
        found = [_block_call(n, src) for body in root.named_children if body.type == "body"
                 for n in body.named_children if n.type == "block" and _is_module(n, src)]
    except Exception:  # noqa: BLE001 - not sure: parse as before
        return False
    return found == [((b'"' + labels[0].encode("ascii") + b'"',), None if source is None else b'"' + source.encode("ascii") + b'"')
                     if len(labels) == 1 else None for labels, source in calls]


def _is_module(n: Any, src: bytes) -> bool:
    first = n.named_children[0] if n.named_child_count else None
    return first is not None and first.type == "identifier" and src[first.start_byte : first.end_byte] == b"module"


def _block_call(n: Any, src: bytes) -> tuple[tuple[bytes, ...], bytes | None] | bool:
    """(the raw text of each label, the raw text of the one `source` argument's value or None) of a module block's
    node; False when the header holds something else or `source` is set more than once."""
    labels: list[bytes] = []
    inner = None
    for k in n.named_children[1:]:
        if k.type == "body":
            inner = k
        elif k.type == "string_lit":
            labels.append(src[k.start_byte : k.end_byte])
        elif k.type not in ("block_start", "block_end"):
            return False  # an identifier label (the guess reads quoted ones only)
    sources = []
    for a in inner.named_children if inner is not None else ():
        if a.type != "attribute":
            continue
        kids = a.named_children
        if kids and src[kids[0].start_byte : kids[0].end_byte] == b"source":
            exprs = [c for c in kids if c.type == "expression"]
            sources.append(src[exprs[-1].start_byte : exprs[-1].end_byte] if exprs else b"")
    if len(sources) > 1:
        return False
    return tuple(labels), sources[0] if sources else None


def settled(ctx: Any) -> bool:
    """Whether every guess of this scan matches the parse: the files no unit parsed are parsed now."""
    from xborder.inputs import reading
    from xborder.inputs.terraform.syntax import MAX_FILE_SIZE, module_blocks

    guessed = ctx.cache.get(GUESSED) or {}
    facts = ctx.cache.get(FACTS) or {}
    if any(kind == "bad" for kind, _key in facts):
        return False
    done = {key for _kind, key in facts}
    for key in sorted(guessed):
        if key in done:
            continue
        rel, calls = guessed[key]
        try:
            data = reading.read_bytes(Path(key), MAX_FILE_SIZE)
            _errors, blocks = module_blocks(Path(key), rel, data)
            if parsed_calls(blocks) != calls:
                return False
        except Exception:  # noqa: BLE001 - not sure: collect again with the parser
            return False
    return True


def confirmed(ctx: Any) -> bool:
    """`settled`; when every guess matches, the result-cache entries of the guessed directories' local module
    targets (`LATER`: id, dependencies, their digests when guessed, answer) are written, so a later scan
    finds its roots without parsing; a cached answer is never a guess."""
    if not settled(ctx):
        return False
    cache = ctx.cache.get("xborder:result-cache")
    if cache is not None:
        for unit_id, deps, digested, answer in sorted(ctx.cache.get(LATER) or [], key=lambda e: e[0]):
            cache.put(unit_id, deps, answer, digested)
    return True
