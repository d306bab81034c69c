"""`precheck.template_doubt` / `template_spans` try a regex match only where a run of plain bytes starts, and take a
line break outside interpolations into the run (`precheck._templates`).

Why: the texts that come here are long (those the one-pass lexical check doubts: perf corpus, cold `-j 1`, 71 texts,
1.1 MB, ~130,000 turns of the loop) and a failed `match` at a bracket, quote or line break cost as much as a run:
~470 M instructions, now ~290 M. The answers and spans must stay exactly those of the loop before, kept here as the
reference.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest

from xborder.inputs.terraform import precheck

REPO = Path(__file__).resolve().parents[2]

_CODE_RUN = re.compile(rb'[^"#/<{}\[\]()$%\n]+')
_STRING_RUN = re.compile(rb'[^"\\\n$%]+')
_ESCAPE = re.compile(rb'\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_HEREDOC = re.compile(rb"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n(?:.*?\n)??[ \t]*\1[ \t]*\r?(?=\n|\Z)", re.S)
_CLOSE = {0x7B: 0x7D, 0x5B: 0x5D, 0x28: 0x29}


def _reference(data: bytes, spans: list[tuple[int, int, int]] | None) -> bool:  # noqa: C901, PLR0912 - the loop as it was
    if precheck.conflict_marks(data):
        return True
    n, start, i, stack, interpolations, in_string = len(data), 0, 0, [], 0, False
    while i < n:
        if in_string:
            m = _STRING_RUN.match(data, i)
            if m is not None:
                i = m.end()
                continue
            c = data[i]
            if c == 0x22:
                in_string = False
                i += 1
                if spans is not None and not interpolations:
                    spans.append((start, i, precheck.STRING))
            elif c == 0x5C:
                m = _ESCAPE.match(data, i)
                if m is None:
                    return True
                i = m.end()
            elif c == 0x0A:
                return True
            elif data[i + 1 : i + 2] == b"{":
                stack.append(-1)
                interpolations += 1
                in_string = False
                i += 2
            elif data[i + 1 : i + 3] == bytes((c, 0x7B)):
                i += 3
            else:
                i += 1
            continue
        m = _CODE_RUN.match(data, i)
        if m is not None:
            i = m.end()
            continue
        c = data[i]
        if c == 0x22:
            in_string = True
            start = i if not interpolations else start
            i += 1
        elif c in _CLOSE:
            stack.append(_CLOSE[c])
            i += 1
        elif c in (0x7D, 0x5D, 0x29):
            if not stack:
                return True
            top = stack.pop()
            if top == -1 and c == 0x7D:
                interpolations -= 1
                in_string = True
            elif top != c:
                return True
            i += 1
        elif c == 0x0A:
            if interpolations:
                return True
            i += 1
        elif c == 0x23 or data[i : i + 2] == b"//":
            if interpolations:
                return True
            j = data.find(b"\n", i)
            if spans is not None:
                spans.append((i, n if j < 0 else j, precheck.COMMENT))
            i = n if j < 0 else j
        elif data[i : i + 2] == b"/*":
            j = data.find(b"*/", i + 2)
            if interpolations or j < 0:
                return True
            if spans is not None:
                spans.append((i, j + 2, precheck.COMMENT))
            i = j + 2
        elif data[i : i + 2] == b"<<":
            m = _HEREDOC.match(data, i)
            if interpolations or m is None:
                return True
            if spans is not None:
                spans.append((i, m.end(), precheck.HEREDOC))
            i = m.end()
        elif c in (0x24, 0x25) and data[i + 1 : i + 2] == b"{":
            return True
        else:
            i += 1
    return in_string or bool(stack)


def _texts() -> list[bytes]:
    texts = [p.read_bytes() for base in ("fixtures", "tests") for p in sorted((REPO / base).rglob("*.tf"))]
    rng = random.Random(28)
    pieces = [b'"', b"a", b"\\", b"\\n", b"\\u0041", b"\\q", b"$", b"${", b"%{", b"$${", b"%%{", b"{", b"}", b"[",
              b"]", b"(", b")", b"\n", b"#", b"//", b"/", b"/*", b"*/", b"<", b"<<EOT\n", b"\nEOT\n", b"=======\n",
              b" ", b"x = ", b'"${f("a")}"', b'"%{ if x }y%{ endif }"']
    return texts + [b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 16))) for _ in range(20000)]


def test_answers_and_spans_are_those_of_the_loop_before() -> None:
    texts = _texts()
    for t in texts:
        assert precheck.template_doubt(t) == _reference(t, None), t
        spans: list[tuple[int, int, int]] = []
        assert precheck.template_spans(t) == (None if _reference(t, spans) else spans), t
    answers = [precheck.template_doubt(t) for t in texts]
    assert any(answers) and not all(answers)


class _Counted:
    """A pattern whose `match` calls are recorded (position, matched)."""

    def __init__(self, pattern: Any, seen: list[tuple[int, bool]]) -> None:
        self._match = pattern.match
        self._seen = seen

    def match(self, data: bytes, pos: int) -> Any:
        m = self._match(data, pos)
        self._seen.append((pos, m is not None))
        return m


def test_no_run_match_is_tried_where_no_run_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, bool]] = []
    for name in ("_CODE_RUN", "_TOP_RUN", "_STRING_RUN"):
        if hasattr(precheck, name):
            monkeypatch.setattr(precheck, name, _Counted(getattr(precheck, name), seen))
    text = b'locals {\n  a = "${lookup(m, "k", "")}-x"\n  b = [1, 2]\n  c = { d = "e" }\n}\n' * 20
    assert precheck.template_doubt(text) is False
    assert seen and all(ok for _pos, ok in seen)  # (before: a failed try at each bracket, quote and line break)
