"""An EEM applet that types a VPN statement is a part not read (XB002), never silence.

Before: `event manager applet` actions (`action 4.0 cli command "tunnel destination 8.8.8.8"`) were ignored:
a config whose tunnel goes to the mainland, and whose applet moves it to an offshore peer at 2 a.m., scanned
clean (exit 0). xborder runs no applet; such an action is now XB002 at its line, naming only the keywords (a
`crypto isakmp key` action holds a key). Applets that type no VPN statement stay quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

CONFIG = (
    "hostname r1\n!\ninterface Tunnel0\n ip address 10.0.0.1 255.255.255.252\n tunnel source 58.247.0.10\n"
    " tunnel destination 58.247.0.20\n!\nevent manager applet SWITCH\n event timer cron cron-entry \"0 2 * * *\"\n"
    " action 1.0 cli command \"enable\"\n action 2.0 cli command \"configure terminal\"\n"
    " action 3.0 cli command \"interface Tunnel0\"\n action 4.0 cli command \"{command}\"\n action 5.0 cli command \"end\"\n!\nend\n"
)


def _scan(tmp_path: Path, command: str):  # noqa: ANN202
    (tmp_path / "r1.cfg").write_text(CONFIG.format(command=command))
    run = scan_json("r1.cfg", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize("command", ["tunnel destination 8.8.8.8", "tun dest 8.8.8.8", "crypto isakmp key S3cr3t address 8.8.8.8"])
def test_applet_typing_a_vpn_statement_is_a_part_not_read(tmp_path: Path, command: str) -> None:
    run = _scan(tmp_path, command)
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", 13, "r1.cfg: event manager applet SWITCH action 4.0"), f
    assert "S3cr3t" not in run.out


@pytest.mark.parametrize("command", ["show ip interface brief", "ip address 10.0.0.5 255.255.255.252", "address-family ipv4"])
def test_applet_typing_no_vpn_statement_stays_quiet(tmp_path: Path, command: str) -> None:
    run = _scan(tmp_path, command)
    assert run.rc == 0 and run.doc["findings"] == [], run.doc
