"""EEM applets that load another configuration, and Tcl EEM policies, are parts not read (XB002).

Before: `action 2.0 cli command "copy tftp://10.9.9.9/hk.cfg running-config"` (or `configure replace URL`)
and `event manager policy swap.tcl` were ignored, so a config whose tunnel is in the mainland, and that an
applet or a Tcl script re-points offshore, scanned clean (exit 0). Decided with the lead (inputs.answer, A1-A3):
a copy whose destination is not the running configuration (a backup, a save) stays quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

BASE = (
    "hostname r1\n!\ninterface Tunnel0\n ip address 10.0.0.1 255.255.255.252\n tunnel source 58.247.0.10\n"
    " tunnel destination 58.247.0.20\n!\n"
)
APPLET = "event manager applet SWAP\n event timer cron cron-entry \"0 2 * * *\"\n action 1.0 cli command \"enable\"\n action 2.0 cli command {cmd}\n!\nend\n"


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "r1.cfg").write_text(text)
    run = scan_json("r1.cfg", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize("cmd", [
    '"copy tftp://10.9.9.9/hk.cfg running-config"',
    '"copy tftp://10.9.9.9/hk.cfg system:running-config"',
    '"copy /noverify flash:hk.cfg run" pattern "Destination"',
    '"cop flash:hk.cfg ru"',
    '"copy startup-config running-config"',
    '"configure replace flash:hk.cfg force"',
    '"conf rep tftp://10.9.9.9/hk.cfg"',
])
def test_applet_loading_a_configuration_is_a_part_not_read(tmp_path: Path, cmd: str) -> None:
    run = _scan(tmp_path, BASE + APPLET.format(cmd=cmd))
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", 11, "r1.cfg: event manager applet SWAP action 2.0"), f
    assert "into the running configuration" in f["message"] + " ".join(f.get("evidence", [])) or "running configuration" in run.out


@pytest.mark.parametrize("cmd", [
    '"copy running-config tftp://10.9.9.9/backup.cfg"',   # a backup
    '"copy run start"',                                    # a save
    '"copy running-config startup-config"',
    '"write memory"',
    '"show running-config"',
    '"configure terminal"',
])
def test_applet_saving_or_showing_the_configuration_stays_quiet(tmp_path: Path, cmd: str) -> None:
    run = _scan(tmp_path, BASE + APPLET.format(cmd=cmd))
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]


def test_tcl_policy_is_a_part_not_read(tmp_path: Path) -> None:
    run = _scan(tmp_path, BASE + "event manager directory user policy flash:/eem\nevent manager policy swap.tcl type user\n!\nend\n")
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", 9, "r1.cfg: event manager policy swap.tcl"), f


def test_commented_policy_and_applet_copy_stay_quiet(tmp_path: Path) -> None:
    text = BASE + "! event manager policy swap.tcl type user\n" + APPLET.format(cmd='"copy run tftp://10.9.9.9/b.cfg"')
    run = _scan(tmp_path, text)
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]


def test_approval_accepts_the_policy(tmp_path: Path) -> None:
    (tmp_path / ".xborder.yaml").write_text(
        'approvals:\n  - rule: XB002\n    resource: "r1.cfg: event manager policy swap.tcl"\n'
        '    reason: reviewed, the script only sends syslog\n')
    (tmp_path / "r1.cfg").write_text(BASE + "event manager policy swap.tcl\n!\nend\n")
    run = scan_json("r1.cfg", "--no-cache", cwd=tmp_path)
    assert run.rc == 0 and [f["suppressed"] for f in run.doc["findings"]] in ([], [True]), run.doc
