"""The per-file text checks look for a token's first byte before the token (`precheck.holds`).

Why: a one-byte `bytes.find` is a `memchr`, several times cheaper per byte than CPython's search for a token of two
bytes or more, and the tokens these checks look for (`\\u`, `<<`, `\\n`, `/*`, `${`, `%{`, conflict markers) start
with a byte most files hold nowhere. On the perf corpus a cold `-j 1` scan spent ~490 M instructions in
`bytes.find`, most of it searching whole texts for tokens they do not hold. The answers must stay exactly those of
the plain finds.
"""

from __future__ import annotations

import random

import pytest

from xborder.inputs.terraform import calltext, precheck, syntax

_LEFT = (b'"', b"<<", b"/*", b"${", b"%{")
_MARKS = (b"<<<<<<<", b"=======", b">>>>>>>")


class _Spy(bytes):
    """A text that records every token looked for in it."""

    looked: list[bytes]

    def find(self, sub, *args):  # type: ignore[no-untyped-def, override]  # noqa: ANN001, ANN002, ANN201
        self.looked.append(sub)
        return super().find(sub, *args)


def _spy(data: bytes) -> _Spy:
    s = _Spy(data)
    s.looked = []
    return s


def _texts() -> list[bytes]:
    rng = random.Random(28)
    pieces = [b"a", b" ", b"\n", b"<", b"<<", b"<<<<<<<", b">", b">>>>>>>", b"=", b"=======", b"/", b"*", b"/*",
              b"$", b"{", b"${", b"%", b"%{", b'"', b"\\", b"\\u", b"\\U", b"\\n", b"u", b"n", b"Endpoint", b"right",
              b"[Peer]", b"#cloud-config", b"tunnel", b"set peer"]
    return [b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14))) for _ in range(5000)]


def test_the_answers_are_those_of_the_plain_finds() -> None:
    texts = _texts()
    for t in texts:
        assert precheck.left_over(t) == any(t.find(k) >= 0 for k in _LEFT), t
        assert precheck._escape(t) == (t.find(b"\\u") >= 0 or t.find(b"\\U") >= 0), t
        assert precheck.conflict_marks(t) == (any(t.find(k) >= 0 for k in _MARKS)
                                              and precheck._CONFLICT.search(t) is not None), t
        marks = t.find(b"<<") >= 0 or t.find(b"\\n") >= 0
        plain = marks and any(t.find(w.encode()) >= 0 for w in syntax.EMBED_WORDS)
        assert syntax.may_embed(t) == plain, t
        assert syntax.may_embed(t.decode("ascii")) == plain, t
    assert any(precheck.left_over(t) for t in texts) and not all(precheck.left_over(t) for t in texts)
    assert any(precheck.conflict_marks(t) for t in texts)
    assert any(syntax.may_embed(t) for t in texts)


@pytest.mark.parametrize("check", [
    precheck._escape,
    precheck.left_over,
    precheck.conflict_marks,
    syntax.may_embed,
    lambda t: calltext._doubt(b"a = 1\n", t),
])
def test_a_text_without_the_first_bytes_is_searched_for_one_byte_only(check) -> None:  # noqa: ANN001
    """`=======` is the one token searched whole (its first byte is in nearly every file)."""
    text = _spy(b"locals {\n  cidr = [var.base, local.mask] # kept as written\n  n = length(var.zones) + 1\n}\n" * 50)
    check(text)
    assert text.looked
    assert [k for k in text.looked if len(k) > 1 and k != b"======="] == []
