"""A Cisco tunnel is read whatever the CLI lets a config say around it, never dropped without a word.

Each positive case gave 0 findings and no error before its fix (exit 0):
- `no shutdown` after `shutdown` (the CLI applies lines in order; `no shut` abbreviated too): the interface
  was taken as shut down, its tunnel "skipped";
- a config typed without indentation where a sub-command the mode table does not know (`qos pre-classify`
  under a tunnel, `set security-association` ... under a crypto map) came before `tunnel destination` /
  `set peer`: the unknown line ended the mode and the destination was read as a global command, i.e. nothing;
- a banner whose delimiter never comes again: every line after it was skipped as banner text, silently;
- a tunnel interface pasted without indentation and without `hostname`/`!`: not detected as a config at all.
Each has a twin that must stay as it was (mainland peer, a real shutdown, closed banner, prose).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

OFFSHORE, MAINLAND = "8.8.8.8", "58.247.0.20"

CASES = {
    "no-shutdown-after-shutdown": (
        "hostname r1\n!\ninterface Tunnel0\n shutdown\n tunnel source 58.247.0.10\n tunnel destination {peer}\n"
        " no shutdown\n!\n"
    ),
    "no-shut-unindented": "hostname r1\ninterface Tunnel0\nno shut\ntunnel source 58.247.0.10\ntunnel destination {peer}\n",
    "unknown-sub-before-destination": (
        "hostname r1\ninterface Tunnel0\nip address 10.0.0.1 255.255.255.252\nqos pre-classify\n"
        "tunnel source 58.247.0.10\ntunnel destination {peer}\n"
    ),
    "unknown-sub-before-set-peer": (
        "hostname r1\ncrypto map CM 10 ipsec-isakmp\nset transform-set TS\npfs group14\nset peer {peer}\n"
        "interface Gi0/0\nip address 58.247.0.10 255.255.255.0\ncrypto map CM\n"
    ),
    "unknown-sub-before-crypto-map": (  # the map is applied to the interface after the unknown line
        "hostname r1\ncrypto map CM 10 ipsec-isakmp\nset peer {peer}\ninterface Gi0/0\n"
        "ip address 58.247.0.10 255.255.255.0\nmop enabled\ncrypto map CM\n"
    ),
    "tunnel-snippet-unindented": "interface Tunnel0\ntunnel source 58.247.0.10\ntunnel destination {peer}\n",
    "tunnel-snippet-abbreviated": "int tu0\ntun sou 58.247.0.10\ntun dest {peer}\n",
}


def _run(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "router.cfg").write_text(text)
    return scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_tunnel_is_read(tmp_path: Path, name: str) -> None:
    run = _run(tmp_path, CASES[name].format(peer=OFFSHORE))
    assert run.doc["errors"] == [], run.doc["errors"]
    assert run.rules == ["XB101"], run.doc


@pytest.mark.parametrize("name", sorted(CASES))
def test_tunnel_to_the_mainland_stays_quiet(tmp_path: Path, name: str) -> None:
    run = _run(tmp_path, CASES[name].format(peer=MAINLAND))
    assert run.doc["errors"] == [] and run.rules == [], run.doc
    assert run.doc["summary"]["inputs_read"] == 1


def test_shutdown_after_no_shutdown_still_skips(tmp_path: Path) -> None:
    run = _run(tmp_path, "hostname r1\ninterface Tunnel0\n no shutdown\n tunnel destination 8.8.8.8\n shutdown\n")
    assert run.rules == [] and any("shut down" in n for n in run.doc["notes"]), run.doc


def test_exit_then_a_global_line_is_not_taken_back_into_the_mode(tmp_path: Path) -> None:
    """`exit` leaves the mode on purpose: a later orphan is not returned to it (the CLI refuses it)."""
    run = _run(tmp_path, "hostname r1\ninterface Tunnel0\nqos pre-classify\nexit\ntunnel destination 8.8.8.8\n")
    assert run.rules == [], run.doc


def test_a_global_command_after_the_unknown_line_ends_the_mode(tmp_path: Path) -> None:
    """`ip route` is global: the CLI is back at the top level, a later orphan is refused there (as before)."""
    run = _run(tmp_path, "hostname r1\ninterface Tunnel0\nqos pre-classify\nip route 0.0.0.0 0.0.0.0 1.1.1.1\n"
                         "tunnel destination 8.8.8.8\n")
    assert run.rules == [], run.doc


def test_unclosed_banner_is_an_error_naming_its_line(tmp_path: Path) -> None:
    text = ("hostname r1\nbanner motd ^C\nAuthorized only\n!\ninterface Tunnel0\n tunnel source 58.247.0.10\n"
            " tunnel destination 8.8.8.8\n!\n")
    run = _run(tmp_path, text)
    assert run.rc == 2
    [err] = run.doc["errors"]
    assert err["line"] == 2 and "banner is not closed" in err["message"], err


def test_closed_banner_is_skipped_as_before(tmp_path: Path) -> None:
    text = ("hostname r1\nbanner motd ^C\nAuthorized only\n^C\n!\ninterface Tunnel0\n tunnel source 58.247.0.10\n"
            " tunnel destination 8.8.8.8\n!\n")
    run = _run(tmp_path, text)
    assert run.doc["errors"] == [] and run.rules == ["XB101"], run.doc


def test_prose_about_tunnel_destinations_stays_quiet(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "notes.txt").write_text("Interface Tunnel0 is up.\ntunnel destination is the far end\n")
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["summary"]["inputs_read"] == 0 and run.rules == [], run.doc
