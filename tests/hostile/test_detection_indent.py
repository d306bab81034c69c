"""Detection reads configs as their CLI does: indentation does not hide a Junos config, and a Cisco line that
starts like a Junos one (`set security-association ...`) does not turn a Cisco config into a Junos one.

Before: Junos statements kept indented (`  set security ike gateway ...`, an indented `security { ... }`,
both accepted by `load set|merge terminal`) were not detected: the file was skipped without a word (0
findings, exit 0). A Cisco crypto map typed without indentation with `set security-association lifetime`
was detected as Junos (`\\b` matched before the dash) and read as nothing but errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

OFFSHORE, MAINLAND = "8.8.8.8", "58.247.0.20"
CASES = {
    "junos-set-indented": (
        "srx.conf",
        "  set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
        "  set security ike gateway hk address {peer}\n  set security ike gateway hk external-interface ge-0/0/0\n",
    ),
    "junos-curly-indented": (
        "srx.conf",
        "    interfaces {{\n        ge-0/0/0 {{ unit 0 {{ family inet {{ address 58.247.0.10/24; }} }} }}\n    }}\n"
        "    security {{\n        ike {{\n            gateway hk {{\n                address {peer};\n"
        "                external-interface ge-0/0/0;\n            }}\n        }}\n    }}\n",
    ),
    "cisco-set-security-association": (
        "router.cfg",
        "crypto map CM 10 ipsec-isakmp\nset peer {peer}\nset security-association lifetime seconds 3600\n"
        "interface Gi0/0\nip address 58.247.0.10 255.255.255.0\ncrypto map CM\n",
    ),
}


def _run(tmp_path: Path, name: str, text: str):  # noqa: ANN202
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_text(text)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    assert run.doc["summary"]["inputs_read"] == 1, run.doc
    return run


@pytest.mark.parametrize("case", sorted(CASES))
def test_offshore_peer_is_found(tmp_path: Path, case: str) -> None:
    name, text = CASES[case]
    assert _run(tmp_path, name, text.format(peer=OFFSHORE)).rules == ["XB101"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_mainland_peer_stays_quiet(tmp_path: Path, case: str) -> None:
    name, text = CASES[case]
    assert _run(tmp_path, name, text.format(peer=MAINLAND)).rules == []


def test_shell_script_with_set_stays_quiet(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "run.sh").write_text("#!/bin/sh\n  set -e\n  set security_level=3\necho '  security {'\n")
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["summary"]["inputs_read"] == 0 and run.rules == [], run.doc
