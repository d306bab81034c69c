"""A conn pulled in with `also=` is a template only when nothing gives it an `auto=`.

Before: a conn others pull in with also= and without an `auto=` of its own was "a template, not analysed",
even when `conn %default` (or a conn it pulls in itself) gives it `auto=start`: strongSwan then loads and
starts it like any conn. A hostile config hid a Shanghai -> Hong Kong tunnel that way behind one disabled
conn naming it in also= (exit 0, two notes). Twins: a real template (no auto anywhere) stays a note.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

HK_CONN = "conn hk\n    left=58.247.0.10\n    right=8.8.8.8\n{extra}\n"
HIDER = "conn other\n    also=hk\n    auto=ignore\n"


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "ipsec.conf").write_text(text)
    return scan_json("ipsec.conf", "--no-config", "--no-cache", cwd=tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "conn %default\n    auto=start\n\n" + HK_CONN.format(extra="") + HIDER,
        "conn %default\n    auto=add\n\n" + HK_CONN.format(extra="") + HIDER,
        "conn start\n    auto=route\n\n" + HK_CONN.format(extra="    also=start") + HIDER,
    ],
    ids=["default-auto-start", "default-auto-add", "auto-through-also"],
)
def test_template_with_an_inherited_auto_is_a_conn(tmp_path: Path, text: str) -> None:
    run = _scan(tmp_path, text)
    assert run.doc["errors"] == [] and "XB101" in run.rules, run.doc
    [hk] = [f for f in run.doc["findings"] if f["rule_id"] == "XB101"]
    assert "conn hk" in hk["message"], hk


def test_template_without_any_auto_stays_a_note(tmp_path: Path) -> None:
    run = _scan(tmp_path, "conn %default\n    keyexchange=ikev2\n\n" + HK_CONN.format(extra="") + HIDER)
    assert run.rules == [] and any("template" in n for n in run.doc["notes"]), run.doc


def test_default_auto_ignore_keeps_it_disabled(tmp_path: Path) -> None:
    run = _scan(tmp_path, "conn %default\n    auto=ignore\n\n" + HK_CONN.format(extra="") + HIDER)
    assert run.rules == [] and any("conn hk has auto=ignore" in n for n in run.doc["notes"]), run.doc
