"""A Junos event policy that changes IKE or IPsec (`then change-configuration commands "set security ike ..."`)
is a part not read (XB002), never silence.

Before: the commands of `event-options policy ... then change-configuration` were ignored, so a gateway to the
mainland that a policy re-points at an offshore peer when its event fires scanned clean (exit 0). Policies
changing anything else stay quiet; a deactivated policy stays quiet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

BASE = ("set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
        "set security ike gateway hk address 58.247.0.20\nset security ike gateway hk external-interface ge-0/0/0\n"
        "set event-options generate-event NIGHT time-of-day \"02:00:00 +0800\"\nset event-options policy SWITCH events NIGHT\n")
CURLY = """\
interfaces { ge-0/0/0 { unit 0 { family inet { address 58.247.0.10/24; } } } }
security { ike { gateway hk { address 58.247.0.20; external-interface ge-0/0/0; } } }
event-options {
    policy SWITCH {
        events NIGHT;
        then {
            change-configuration {
                commands {
                    "set security ike gateway hk address 8.8.8.8";
                }
            }
        }
    }
}
"""


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "srx.conf").write_text(text)
    run = scan_json("srx.conf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (BASE + 'set event-options policy SWITCH then change-configuration commands "set security ike gateway hk address 8.8.8.8"\n', 6),
        (CURLY, 9),
    ],
    ids=["set-form", "curly-form"],
)
def test_policy_changing_ike_is_a_part_not_read(tmp_path: Path, text: str, line: int) -> None:
    [f] = _scan(tmp_path, text).doc["findings"]
    assert (f["rule_id"], f["start_line"], f["resource"]) == ("XB002", line, "srx.conf: event-options policy SWITCH change-configuration"), f


@pytest.mark.parametrize(
    "text",
    [
        BASE + 'set event-options policy SWITCH then change-configuration commands "set system host-name night"\n',
        BASE + 'set event-options policy SWITCH then change-configuration commands "set security ike gateway hk address 8.8.8.8"\n'
               "deactivate event-options policy SWITCH\n",
    ],
    ids=["other-change", "deactivated-policy"],
)
def test_other_policies_stay_quiet(tmp_path: Path, text: str) -> None:
    run = _scan(tmp_path, text)
    assert run.rc == 0 and run.doc["findings"] == [], run.doc
