"""The differential fuzz corpus: every saved expression is rescored with xborder's evaluator against the
answer `terraform console` gave when it was recorded (fuzz.py record). Needs no terraform.

Fails on any disagreement that fuzz_known.py does not list with the same verdict, and on a listed one that
no longer disagrees (the list is kept honest: remove an entry once it is fixed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fuzz  # noqa: E402
import fuzz_known  # noqa: E402
from fidelity_oracle import AGREE, UNKNOWN, VALUE_WHERE_ERROR, WRONG  # noqa: E402

HEADER, ENTRIES = fuzz.load()
SHARDS = 8


def test_corpus_is_what_the_seeded_generator_gives() -> None:
    """The saved expressions are the generator's for the recorded seeds (re-record after changing it)."""
    assert len(ENTRIES) >= 30_000
    assert [e[:2] for e in ENTRIES] == [list(x) for x in fuzz.expected_ids(HEADER)], \
        "fuzz_gen.py no longer gives the saved expressions: run tests/fidelity/fuzz.py record"
    assert {e[2] for e in ENTRIES} <= {"json", "error", "unknown"}
    assert HEADER["terraform_version"]


def test_known_differences_are_reviewed() -> None:
    """Every listed difference names a class with its severity and reason, and an expression of the corpus."""
    ids = {e[0] for e in ENTRIES}
    for cid, (v, cls) in fuzz_known.KNOWN.items():
        assert cid in ids, cid
        assert v in (WRONG, VALUE_WHERE_ERROR, UNKNOWN, fuzz.TIMEOUT), (cid, v)
        severity, reason = fuzz_known.CLASSES[cls]
        assert severity == ("safe" if v == UNKNOWN else "serious"), (cid, cls)
        assert len(reason) > 30, cls


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_disagreement_but_the_known_ones(shard: int) -> None:
    new, fixed = [], []
    for e in ENTRIES[shard::SHARDS]:
        v, shown = fuzz.score(e)
        known = fuzz_known.KNOWN.get(e[0])
        if v == AGREE:
            if known:
                fixed.append(f"{e[0]} now agrees: remove it from fuzz_known.py ({known[1]})")
        elif not known or known[0] != v:
            new.append(f"{e[0]} {e[1]!r:.300}: {v}: xborder {shown[:200]} / Terraform {e[2]} {e[3][:200]}"
                       + (f" (listed as {known[0]})" if known else ""))
    assert not new and not fixed, "\n".join(new + fixed)
