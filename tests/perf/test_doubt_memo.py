"""`precheck.lexical_doubt`, `precheck.may_declare_module` and `calltext.guess_calls` answer a text once per process.

Root detection, the quick checks and module calls ask about one file several times, and a repository holds many
copies of one file (every example's `versions.tf`, `providers.tf`): on the perf corpus `may_declare_module` was
asked 12,176 times for 4,480 texts, `lexical_doubt` 5,390 times for 3,923, `guess_calls` 709 times for 650. An
answer depends on the text alone, so a text met again is answered from the first time; the texts kept are bounded
in bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from xborder.inputs.terraform import calltext, precheck

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precheck, "_DOUBTS", {})
    monkeypatch.setattr(precheck, "_MODULES", {})
    monkeypatch.setattr(calltext, "_GUESSES", {})
    monkeypatch.setattr(precheck, "_texts_held", 0)


def _passes(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The texts the lexical check's regex pass reads from now on."""
    seen: list[bytes] = []
    compiled = precheck._SKIP.sub  # (compiles the pattern)

    def sub(repl, data, *a):  # noqa: ANN001, ANN002, ANN202
        seen.append(data)
        return compiled(repl, data, *a)

    monkeypatch.setattr(precheck._SKIP, "sub", sub)
    return seen


def _texts() -> list[bytes]:
    texts = [p.read_bytes() for base in ("fixtures", "tests") for p in sorted((REPO / base).rglob("*.tf"))]
    rng = random.Random(11)
    pieces = [b'"', b"a", b"module", b'module "m" {', b"path.module", b"\\", b"\\n", b"$", b"${", b"%{", b"{", b"}",
              b"[", b"]", b"(", b")", b"\n", b"#", b"/*",
              b"*/", b"<<EOT\n", b"\nEOT\n", b"=======\n", b" "]
    return texts + [b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(3000)]


def test_each_text_is_checked_once_and_answered_as_before(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    expected = [precheck._lexical_doubt(t) for t in texts]
    passes = _passes(monkeypatch)
    assert [precheck.lexical_doubt(t) for t in texts] == expected
    assert [precheck.lexical_doubt(bytes(bytearray(t))) for t in texts] == expected  # equal texts, other objects
    assert len(passes) == len({t for t in texts if not precheck.conflict_marks(t)})
    assert any(expected) and not all(expected)


def test_a_copy_of_a_file_is_not_checked_again(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    text = b'terraform {\n  required_version = ">= 1.3"\n}\n'
    passes = _passes(monkeypatch)
    assert not precheck.lexical_doubt(text) and not precheck.lexical_doubt(bytes(bytearray(text)))
    assert len(passes) == 1


def test_texts_are_kept_within_the_bound(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(precheck, "TEXTS_BYTES", 100)
    passes = _passes(monkeypatch)
    small, large = b"a = 1\n" * 10, b"b = [1]\n" * 20
    for _ in range(3):
        assert not precheck.lexical_doubt(small) and not precheck.lexical_doubt(large)
    assert passes == [small, large, large, large]  # the 160-byte text is never kept
    assert precheck._texts_held == len(small)


def test_module_declarations_are_read_once_per_text_and_answered_as_before(fresh: None,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    expected = [precheck._may_declare_module(t) for t in texts]
    read: list[bytes] = []
    reading = precheck._may_declare_module

    def counting(data: bytes) -> bool:
        read.append(data)
        return reading(data)

    monkeypatch.setattr(precheck, "_may_declare_module", counting)
    for _ in range(2):
        assert [precheck.may_declare_module(t) for t in texts] == expected
        assert [precheck.may_declare_module(bytes(bytearray(t))) for t in texts] == expected
    assert sorted(read) == sorted(set(texts))  # each text read once
    assert any(expected) and not all(expected)
    assert precheck.may_declare_module(b'{"module": {}}', json=True) and b'{"module": {}}' not in precheck._MODULES


def test_module_calls_are_guessed_once_per_text_and_as_before(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts() + [b'module "a" {\n  source = "./a"\n}\n', b'module "b" {\n  source = var.s\n}\n']
    expected = [calltext._guess_calls(t) for t in texts]
    guessed: list[bytes] = []
    guessing = calltext._guess_calls

    def counting(data: bytes):  # noqa: ANN202
        guessed.append(data)
        return guessing(data)

    monkeypatch.setattr(calltext, "_guess_calls", counting)
    for _ in range(2):
        assert [calltext.guess_calls(t) for t in texts] == expected
        assert [calltext.guess_calls(bytes(bytearray(t))) for t in texts] == expected
    assert sorted(guessed) == sorted(set(texts))
    assert None in expected and (((("a",), "./a"),)) in expected


def test_a_text_whose_calls_were_guessed_is_not_passed_again_for_its_doubt(fresh: None,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Root detection guesses a file's module calls (`calltext.guess_calls`, one `_SKIP` pass masking comments,
    strings and heredocs) before the quick checks ask its lexical doubt: the doubt is taken from that pass
    (`precheck.known_doubt`: the text between its matches is what the doubt's own pass keeps), exactly as
    `_lexical_doubt` answers. Perf corpus: 281 texts, 1.4 MB, were passed twice."""
    texts = [t for t in _texts() if type(t) is bytes]
    expected = [precheck._lexical_doubt(t) for t in texts]
    seen: list[bytes] = []
    compiled = precheck._SKIP.sub

    def sub(repl, data, *a):  # noqa: ANN001, ANN002, ANN202
        if repl == b"":
            seen.append(data)  # the doubt's own pass
        return compiled(repl, data, *a)

    monkeypatch.setattr(precheck._SKIP, "sub", sub)
    for t in texts:
        calltext.guess_calls(t)
    answers = [precheck.lexical_doubt(t) for t in texts]
    assert answers == expected
    passed = set(seen)
    guessed_whole = {t for t in texts if t.find(b"\x00") < 0 and not t.startswith(b"\xef\xbb\xbf")}
    assert not passed & guessed_whole
    assert any(expected) and not all(expected)
