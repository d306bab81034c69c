"""The JSON writer of the reports (`reports.jsontext`) writes exactly what `json.dumps(indent=2, ensure_ascii=False)`
writes: checked on generated documents (odd strings, nesting, empty containers, values it hands back to the
standard library) and on real reports."""

from __future__ import annotations

import enum
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from xborder.cli import main
from xborder.reports import jsontext

TEXT = st.text(alphabet=st.characters(codec=None), max_size=20) | st.sampled_from(
    ["", "\x00", "\u2028", "\ud800", '"\\', "\x7f", "é中文", "\n\t\r"])
LEAF = st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70) | TEXT
KEY = TEXT
DOC = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4)
                   | st.tuples(inner, inner), max_leaves=40)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(DOC)
def test_same_text_as_the_standard_library(doc):
    assert jsontext.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


class Side(str, enum.Enum):
    MAINLAND = "mainland"


class Level(enum.IntEnum):
    HIGH = 3


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.recursive(LEAF | st.floats() | st.sampled_from([Side.MAINLAND, Level.HIGH]),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(KEY | st.integers() | st.booleans() | st.none() | st.floats(), inner, max_size=3),
                    max_leaves=20))
def test_values_it_does_not_write_itself_still_come_out_as_the_standard_library_writes_them(doc):
    assert jsontext.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_reports_of_the_fixtures_are_the_standard_library_text(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path))
    texts = {}
    for fmt in ("json", "sarif", "gitlab"):
        main(["scan", "fixtures/", "--no-config", "--format", fmt])
        texts[fmt] = capsys.readouterr().out
    for fmt, text in texts.items():
        assert text.endswith("}\n") or text.endswith("]\n"), fmt
        assert json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n" == text, fmt
