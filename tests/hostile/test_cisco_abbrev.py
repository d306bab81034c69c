"""Cisco keywords typed abbreviated are read as IOS reads them (any unique prefix), never skipped unread.

`show running-config` prints keywords in full, but configs typed at the CLI or kept by hand say `cry map`,
`int Tu0`, `tun dest`. Before: such a file was not even detected as a Cisco config (0 findings, no word) or,
mixed into a full config, its abbreviated tunnel was skipped. Each case has a mainland twin that stays quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xborder.inputs.netconf.abbrev import expand

from .conftest import scan_json

OFFSHORE, MAINLAND = "8.8.8.8", "58.247.0.20"

CONFIGS = {
    "ios-block": (
        "hostname sha-rtr\n"
        "cry isa key s3cret add {peer}\n"
        "cry map CM 10 ipsec-isakmp\n se pe {peer}\n ma add 100\n"
        "int Gi0/0\n ip add 58.247.0.10 255.255.255.0\n cry map CM\n"
    ),
    "cli-typed": (  # no indentation: the modes decide
        "cr ma CM 10 ipsec-isakmp\nse pe {peer}\nint Gi0/0\nip add 58.247.0.10 255.255.255.0\ncr ma CM\n"
    ),
    "tunnel-snippet": "int Tu0\n ip add 10.0.0.1 255.255.255.252\n tun sou 58.247.0.10\n tun dest {peer}\n",
    "mixed": (  # a full config with one abbreviated tunnel
        "hostname sha-rtr\ninterface GigabitEthernet0/0\n ip address 58.247.0.10 255.255.255.0\n"
        "interface Tunnel1\n tunnel source GigabitEthernet0/0\n tun dest {peer}\n"
    ),
    "capitals": "INT TU0\n TUN SOU 58.247.0.10\n TUN DEST {peer}\n",
}


def _rules(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "router.cfg").write_text(text)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run.rules


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_abbreviated_vpn_is_read(tmp_path: Path, name: str) -> None:
    assert "XB101" in _rules(tmp_path, CONFIGS[name].format(peer=OFFSHORE))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_abbreviated_vpn_to_the_mainland_gives_no_finding(tmp_path: Path, name: str) -> None:
    assert _rules(tmp_path, CONFIGS[name].format(peer=MAINLAND)) == []


def test_evidence_shows_the_statement_in_full(tmp_path: Path) -> None:
    (tmp_path / "router.cfg").write_text(CONFIGS["ios-block"].format(peer=OFFSHORE))
    run = scan_json("router.cfg", "--no-config", "--no-cache", cwd=tmp_path)
    [f] = [f for f in run.doc["findings"] if f["rule_id"] == "XB101"]
    assert f"peer (set peer {OFFSHORE})" in f["message"], f["message"]


@pytest.mark.parametrize(
    "line,full",
    [
        ("cry map CM 10 ipsec-isakmp", "crypto map CM 10 ipsec-isakmp"),
        (" se pe 8.8.8.8", " set peer 8.8.8.8"),
        ("int Tu0", "interface Tunnel0"),
        (" tun dest 8.8.8.8", " tunnel destination 8.8.8.8"),
        ("tunnel-group 8.8.8.8 ty ipsec-l2l", "tunnel-group 8.8.8.8 type ipsec-l2l"),
        (" ip nh nhs 10.0.0.1 nbma 8.8.8.8", " ip nhrp nhs 10.0.0.1 nbma 8.8.8.8"),
        ("cry isa key s3cret add 8.8.8.8", "crypto isakmp key s3cret address 8.8.8.8"),
        # full keywords are never rewritten to others; arguments and unknown commands stay as written
        ("crypto key generate rsa", "crypto key generate rsa"),
        (" tunnel destination 1.2.3.4", " tunnel destination 1.2.3.4"),
        ("interface GigabitEthernet0/0", "interface GigabitEthernet0/0"),
        ("int Vi1", "interface Vi1"),  # Virtual-Template or Virtual-Access: ambiguous, kept
        ("hostname se", "hostname se"),
        ("name 168.95.1.1 tpe-peer", "name 168.95.1.1 tpe-peer"),  # ASA's alias command, not `nameif`
        (" description tun dest", " description tun dest"),
    ],
)
def test_expand(line: str, full: str) -> None:
    assert expand(line) == full
