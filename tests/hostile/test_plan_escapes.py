"""A plan whose keys are spelt with JSON escapes is still a plan.

`"format_v\\u0065rsion"` is the key `format_version` to every JSON reader (Terraform's, `jq`, Python's):
a plan written that way (by a tool that escapes non-ASCII or every letter, or by hand to dodge a scan)
must be read, not skipped by the textual sniff that looks for the plain key names. Negative twins: an
escaped document that is not a plan, and a plan nested below the top, stay quiet.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .conftest import scan_json

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "fixtures" / "plan" / "tfplan.json"


def _escape_key(text: str, key: str, i: int) -> str:
    """Every `"key":` with its i-th character written as a `\\uXXXX` escape."""
    spelt = key[:i] + f"\\u{ord(key[i]):04x}" + key[i + 1:]
    return re.sub(rf'"{key}"(\s*:)', lambda m: f'"{spelt}"{m.group(1)}', text)


def _rules(tmp_path: Path, text: str, name: str = "plan.json") -> list[str]:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_text(text)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run.rules


def _plan_rules() -> list[str]:
    run = scan_json(str(PLAN), "--no-config", "--no-cache", "--root", str(PLAN.parent), cwd=PLAN.parent)
    assert run.rules, run.doc
    return run.rules


@pytest.mark.parametrize(
    "keys",
    [("format_version",), ("planned_values", "resource_changes"), ("format_version", "planned_values", "resource_changes")],
    ids=["format_version", "plan-keys", "all"],
)
def test_plan_with_escaped_keys_is_read(tmp_path: Path, keys: tuple[str, ...]) -> None:
    text = PLAN.read_text()
    for k in keys:
        text = _escape_key(text, k, 8 if len(k) > 8 else 1)
    doc = json.loads(text)
    assert "format_version" in doc and "planned_values" in doc  # the same document to a JSON reader
    assert _rules(tmp_path, text) == _plan_rules()


def test_sorted_plan_with_escaped_keys_is_read(tmp_path: Path) -> None:
    """Sorted keys (`format_version` past the head) and escapes together."""
    text = json.dumps(json.loads(PLAN.read_text()), sort_keys=True, indent=2)
    text = _escape_key(_escape_key(text, "format_version", 0), "planned_values", 3)
    assert _rules(tmp_path, text) == _plan_rules()


def test_fully_escaped_plan_is_read(tmp_path: Path) -> None:
    """`json.dumps(ensure_ascii=True)` of a plan with non-ASCII text, and every key letter escaped by hand."""
    doc = json.loads(PLAN.read_text())
    text = json.dumps(doc, indent=2)
    for k in ("format_version", "planned_values", "resource_changes", "terraform_version"):
        text = text.replace(f'"{k}"', '"' + "".join(f"\\u{ord(c):04x}" for c in k) + '"')
    assert _rules(tmp_path, text) == _plan_rules()


def test_escaped_document_that_is_no_plan_stays_quiet(tmp_path: Path) -> None:
    """Negative: a translation file full of escapes is not a plan (and not an error)."""
    text = json.dumps({"greeting": "\u4f60\u597d", "f\u006frmat": "x" * 5000, "v": 1})
    assert _rules(tmp_path, text, "messages.json") == []


def test_escaped_plan_nested_below_the_top_is_not_a_plan(tmp_path: Path) -> None:
    """Negative: an OPA input that nests an escaped plan is left alone."""
    inner = _escape_key(PLAN.read_text(), "format_version", 2)
    text = '{"comment": "' + "x" * 5000 + '", "input": ' + inner + "}"
    assert _rules(tmp_path, text, "opa-input.json") == []
