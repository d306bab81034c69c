"""A pinned approval that covers only part of a finding (its twins: links/worlds.py) says everything that is wrong.

Before: a pin of the Hong Kong ends alone, expired, gave only "not covered by approval ...; name their fingerprints
in it", so the engineer added the Taiwan fingerprint and the finding still came back (expired): the expiry was
nowhere, where a pin naming every twin says `expired approval CT-1 (expires ...)`. Now it says that too, and the
advice says to renew it. Two approvals that together pin every twin (one Hong Kong, one Taiwan) do not add up
(each is one decision, with its own reason and expiry): the finding stays reported, as before, and now says
so in one line instead of two "not covered" lines that each ask for a fingerprint the other already names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import all_formats
from .test_world_approvals import HK, MAINLAND, TW, _cfn, _scan, _the_finding

ALLOWED = [HK, TW, MAINLAND]


def _approval(pins: list[str], reference: str, expires: str = "") -> str:
    return (f"  - fingerprint: {', '.join(pins)}\n    reason: approved IPLC {reference}\n    reference: {reference}\n"
            + (f"    expires: {expires}\n" if expires else ""))


def _prints(tmp_path: Path) -> tuple[str, str]:
    _cfn(tmp_path, HK, ALLOWED)
    f = _the_finding(_scan(tmp_path))
    return f["fingerprint"], f["twins"][0]["fingerprint"]


def test_a_partial_pin_that_expired_says_it_expired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XBORDER_TODAY", "2026-12-01")
    own, twin = _prints(tmp_path)
    _cfn(tmp_path, HK, ALLOWED, _approval([own], "CT-1", "2026-06-30"))
    run = _scan(tmp_path)
    assert run.rc == 1 and [f["rule_id"] for f in run.doc["findings"]] == ["XB101"], run.doc  # no XB001 either
    g = _the_finding(run)
    assert g["suppressed"] is False
    assert "expired approval CT-1 (expires 2026-06-30): approved IPLC CT-1" in g["evidence"], g["evidence"]
    (why,) = [e for e in g["evidence"] if e.startswith("not covered by approval CT-1")]
    assert "it also expired on 2026-06-30: renew it" in why and f"`fingerprint: {own}, {twin}`" in why, why
    assert "expired approval CT-1" in all_formats("stack", "--no-cache", cwd=tmp_path)


def test_a_full_pin_that_expired_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The wording a full pin had before, unchanged: the partial one above now matches it."""
    monkeypatch.setenv("XBORDER_TODAY", "2026-12-01")
    own, twin = _prints(tmp_path)
    _cfn(tmp_path, HK, ALLOWED, _approval([own, twin], "CT-1", "2026-06-30"))
    g = _the_finding(_scan(tmp_path))
    assert g["suppressed"] is False
    assert "expired approval CT-1 (expires 2026-06-30): approved IPLC CT-1" in g["evidence"], g["evidence"]
    assert not [e for e in g["evidence"] if e.startswith("not covered")], g["evidence"]


def test_a_partial_pin_still_valid_says_nothing_of_expiry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XBORDER_TODAY", "2026-12-01")
    own, _twin = _prints(tmp_path)
    _cfn(tmp_path, HK, ALLOWED, _approval([own], "CT-1", "2027-06-30"))
    g = _the_finding(_scan(tmp_path))
    assert g["suppressed"] is False
    assert not [e for e in g["evidence"] if "expire" in e], g["evidence"]
    assert [e for e in g["evidence"] if e.startswith("not covered by approval CT-1")]


def test_two_approvals_that_pin_every_twin_together_do_not_add_up_and_say_so(tmp_path: Path) -> None:
    own, twin = _prints(tmp_path)
    _cfn(tmp_path, HK, ALLOWED, _approval([own], "CT-1") + _approval([twin], "CT-2"))
    run = _scan(tmp_path)
    assert run.rc == 1 and [f["rule_id"] for f in run.doc["findings"]] == ["XB101"], run.doc
    g = _the_finding(run)
    assert g["suppressed"] is False
    (line,) = [e for e in g["evidence"] if e.startswith("not covered: ")]
    assert "approval CT-1 (.xborder.yaml:" in line and "and approval CT-2 (.xborder.yaml:" in line, line
    assert "approvals do not add up" in line and f"`fingerprint: {own}, {twin}`" in line, line


def test_two_approvals_that_leave_a_twin_out_get_no_added_up_line(tmp_path: Path) -> None:
    """Negative twin: both pin the Hong Kong ends; nothing pins Taiwan, so "together" would be false."""
    own, _twin = _prints(tmp_path)
    _cfn(tmp_path, HK, ALLOWED, _approval([own], "CT-1") + _approval([own], "CT-2"))
    g = _the_finding(_scan(tmp_path))
    assert g["suppressed"] is False
    assert not [e for e in g["evidence"] if e.startswith("not covered: ")], g["evidence"]
    assert len([e for e in g["evidence"] if e.startswith("not covered by approval")]) == 2
