"""Junos scripts that change the configuration are parts not read (XB002), never silence.

Before: `system scripts commit file swap.slax` (a commit script: runs at every commit and may change any
statement; with `allow-transients` its changes never show in `show configuration`), an event policy running an
event script (`then event-script swap.slax`) or an op script (`then execute-commands commands "op swap"`) were
ignored, so a gateway in the mainland that the script re-points offshore scanned clean. Decided with the lead
(inputs.answer, B1-B3): every active commit script; op scripts run by hand give nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

BASE = ("set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
        "set security ike gateway hk address 58.247.0.20\nset security ike gateway hk external-interface ge-0/0/0\n")


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "srx.conf").write_text(text)
    run = scan_json("srx.conf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize(("extra", "resource", "word"), [
    ("set system scripts commit file swap.slax\n", "srx.conf: system scripts commit file swap.slax", "commit script"),
    ("set system scripts commit allow-transients\nset system scripts commit file swap.slax\n",
     "srx.conf: system scripts commit file swap.slax", "allow-transients"),
    ("set event-options policy P events NIGHT\nset event-options policy P then event-script swap.slax\n",
     "srx.conf: event-options policy P event-script swap.slax", "event script"),
    ('set event-options policy P events NIGHT\nset event-options policy P then execute-commands commands "op swap"\n',
     "srx.conf: event-options policy P execute-commands op swap", "op script"),
])
def test_script_changing_the_configuration_is_a_part_not_read(tmp_path: Path, extra: str, resource: str, word: str) -> None:
    run = _scan(tmp_path, BASE + extra)
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["resource"], f["start_line"]) == ("XB002", resource, len((BASE + extra).splitlines())), f
    assert word in run.out


def test_curly_commit_script(tmp_path: Path) -> None:
    text = ("interfaces { ge-0/0/0 { unit 0 { family inet { address 58.247.0.10/24; } } } }\n"
            "security { ike { gateway hk { address 58.247.0.20; external-interface ge-0/0/0; } } }\n"
            "system {\n    scripts {\n        commit {\n            file swap.slax;\n        }\n    }\n}\n")
    [f] = _scan(tmp_path, text).doc["findings"]
    assert (f["resource"], f["start_line"]) == ("srx.conf: system scripts commit file swap.slax", 6), f


@pytest.mark.parametrize("extra", [
    "set system scripts op file swap.slax\n",                                     # run by hand
    "set system scripts commit file swap.slax\ndeactivate system scripts commit file swap.slax\n",
    "set system scripts commit allow-transients\n",                                # no script
    "# set system scripts commit file swap.slax\n",
    'set event-options policy P events NIGHT\nset event-options policy P then execute-commands commands "show version"\n',
    "set event-options policy P events NIGHT\nset event-options policy P then event-script swap.slax\n"
    "deactivate event-options policy P\n",
])
def test_quiet_cases(tmp_path: Path, extra: str) -> None:
    run = _scan(tmp_path, BASE + extra)
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]


def test_commit_script_inherited_from_an_applied_group(tmp_path: Path) -> None:
    text = BASE + "set groups G system scripts commit file swap.slax\nset apply-groups G\n"
    [f] = _scan(tmp_path, text).doc["findings"]
    assert (f["resource"], f["start_line"]) == ("srx.conf: system scripts commit file swap.slax", 4), f


def test_commit_script_in_a_group_nobody_applies_stays_quiet(tmp_path: Path) -> None:
    run = _scan(tmp_path, BASE + "set groups G system scripts commit file swap.slax\n")
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]
