"""Peers a wg-quick hook adds (`PostUp = wg set %i peer ... endpoint ...`, `wg addconf %i FILE`) are visible.

Before: wg-quick runs PreUp/PostUp/PreDown/PostDown as shell commands, so a peer added there (with its
endpoint in Hong Kong) was not read and the file scanned clean: exit 0, nothing said. xborder does not run
commands; such a hook is now an XB002 part-not-read finding at its line, which an approval can accept.
Hooks that add no peers (iptables rules) stay quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

HEAD = "[Interface]\nPrivateKey = aaaa\nAddress = 10.0.0.1/24\n"


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "wg0.conf").write_text(text)
    return scan_json("wg0.conf", "--no-config", "--no-cache", cwd=tmp_path)


@pytest.mark.parametrize(
    ("line", "verb"),
    [
        ("PostUp = wg set %i peer bbbb= endpoint 8.8.8.8:51820 allowed-ips 10.1.0.0/16", "set"),
        ("PostUp = wg addconf %i /etc/wireguard/extra-peers.conf", "addconf"),
        ("PreUp = sleep 1; wg syncconf wg0 <(wg-quick strip wg0)", "syncconf"),
    ],
    ids=["wg-set-peer", "wg-addconf", "wg-syncconf"],
)
def test_hook_adding_peers_is_a_part_not_read(tmp_path: Path, line: str, verb: str) -> None:
    run = _scan(tmp_path, HEAD + line + "\n")
    assert run.doc["errors"] == []
    [f] = run.doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", 4, f"wg0.conf: {line.split()[0]} wg {verb}"), f


def test_other_hooks_stay_quiet(tmp_path: Path) -> None:
    run = _scan(tmp_path, HEAD + "PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = wg show %i\n")
    assert run.rc == 0 and run.doc["findings"] == [], run.doc


def test_a_reviewed_hook_can_be_accepted(tmp_path: Path) -> None:
    text = HEAD + '# xborder:ignore XB002 reason="peer added for the lab, reviewed"\nPostUp = wg set %i peer b= endpoint 8.8.8.8:1\n'
    run = _scan(tmp_path, text)
    assert run.rc == 0 and [f["suppressed"] for f in run.doc["findings"]] == [True], run.doc
