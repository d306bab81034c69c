"""Junos gateways written below a prefix: `groups G` (inherited through `apply-groups`) and logical systems.

Before: the reader took only statements starting with `security ike gateway`, so a gateway in an applied
group was read as nothing (the file counted as read, 0 findings, no note), and a file of logical systems
was not even recognised as Junos.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

IFACE_SET = "set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"  # Shanghai
IFACE_CURLY = (
    "interfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n                address 58.247.0.10/24;\n"
    "            }\n        }\n    }\n}\n"
)


def _gw_curly(peer: str = "8.8.8.8", indent: str = "") -> str:
    body = (
        "security {\n    ike {\n        gateway gw1 {\n"
        f"            address {peer};\n            external-interface ge-0/0/0;\n        }}\n    }}\n}}\n"
    )
    return "".join(indent + line + "\n" for line in body.splitlines())


def _scan(tmp_path: Path, name: str, text: str):  # noqa: ANN202
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / name).write_text(text)
    run = scan_json("dev", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


@pytest.mark.parametrize(
    "name,text",
    [
        ("srx.set", "set version 20.4\nset groups VPN security ike gateway gw1 address 8.8.8.8\n"
                    "set groups VPN security ike gateway gw1 external-interface ge-0/0/0\nset apply-groups VPN\n" + IFACE_SET),
        ("srx.set", "set groups VPN security ike gateway gw1 address 8.8.8.8\n"
                    "set groups VPN security ike gateway gw1 external-interface ge-0/0/0\nset apply-groups [ BASE VPN ]\n" + IFACE_SET),
        ("srx.conf", "version 20.4;\ngroups {\n    VPN {\n" + _gw_curly(indent="        ") + "    }\n}\n"
                     "apply-groups [ BASE VPN ];\n" + IFACE_CURLY),
    ],
    ids=["set", "set-list", "curly-list"],
)
def test_gateway_in_an_applied_group_is_read(tmp_path: Path, name: str, text: str) -> None:
    run = _scan(tmp_path, name, text)
    assert run.rules == ["XB101"], run.doc


def test_gateway_in_a_group_nobody_applies_is_a_note(tmp_path: Path) -> None:
    """Negative case: an unapplied group is not configuration (Junos ignores it): no finding, but a note."""
    text = ("set groups SPARE security ike gateway gw1 address 8.8.8.8\n"
            "set groups SPARE security ike gateway gw1 external-interface ge-0/0/0\nset apply-groups OTHER\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == []
    assert any("group SPARE holds ike gateways but no apply-groups names it" in n for n in run.doc["notes"]), run.doc


def test_the_gateway_own_address_wins_over_the_group(tmp_path: Path) -> None:
    """Trap: inherited values only fill what the gateway itself leaves unset (Beijing peer, group says US)."""
    text = ("set groups VPN security ike gateway gw1 address 8.8.8.8\nset apply-groups VPN\n"
            "set security ike gateway gw1 address 180.76.76.76\nset security ike gateway gw1 external-interface ge-0/0/0\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == [], run.doc


@pytest.mark.parametrize(
    "name,text",
    [
        ("srx.set", "set logical-systems LS1 interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
                    "set logical-systems LS1 security ike gateway gw1 address 8.8.8.8\n"
                    "set logical-systems LS1 security ike gateway gw1 external-interface ge-0/0/0\n"),
        ("srx.conf", "logical-systems {\n    LS1 {\n" + "".join("        " + ln + "\n" for ln in IFACE_CURLY.splitlines())
                     + _gw_curly(indent="        ") + "    }\n}\n"),
    ],
    ids=["set", "curly"],
)
def test_gateway_of_a_logical_system_is_read(tmp_path: Path, name: str, text: str) -> None:
    run = _scan(tmp_path, name, text)
    assert run.rules == ["XB101"], run.doc
    assert "logical-systems LS1 ike gateway gw1" in run.doc["findings"][0]["message"] + str(run.doc["findings"][0])


def test_logical_system_to_the_mainland_stays_clean(tmp_path: Path) -> None:
    """Negative case: the same logical system with a Beijing peer has no finding."""
    text = ("set logical-systems LS1 interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
            "set logical-systems LS1 security ike gateway gw1 address 180.76.76.76\n"
            "set logical-systems LS1 security ike gateway gw1 external-interface ge-0/0/0\n")
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == [] and run.doc["summary"]["inputs_read"] == 1, run.doc


@pytest.mark.parametrize("applied", ['set apply-groups "${node}"\n', "set apply-groups ${node}\n"], ids=["quoted", "bare"])
def test_cluster_node_groups_apply_through_node_variable(tmp_path: Path, applied: str) -> None:
    """`apply-groups "${node}"` (chassis cluster) applies node0 on one member and node1 on the other: a gateway in
    them is configuration. Before: both groups counted as unapplied, a note only, 0 findings."""
    text = ("set groups node0 security ike gateway gw1 address 8.8.8.8\n"
            "set groups node0 security ike gateway gw1 external-interface ge-0/0/0\n" + applied + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == ["XB101"] and run.doc["notes"] == [], run.doc


def test_a_wildcard_group_fills_the_gateways_it_matches(tmp_path: Path) -> None:
    """`ike gateway <gw-*>` in an applied group sets what every matching gateway leaves unset; it is no gateway.
    Before: a phantom gateway "<gw-*>" was judged, and gw-a itself was a note "has no address"."""
    text = ("set groups VPN security ike gateway <gw-*> address 8.8.8.8\nset apply-groups VPN\n"
            "set security ike gateway gw-a external-interface ge-0/0/0\n"
            "set security ike gateway hq external-interface ge-0/0/0\nset security ike gateway hq address 180.76.76.76\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert [(f["rule_id"], f["resource"]) for f in run.doc["findings"]] == [("XB101", "dev/srx.set: ike gateway gw-a")], run.doc
    assert not any("<gw-*>" in f["resource"] for f in run.doc["findings"]) and run.doc["notes"] == []


def test_a_wildcard_matching_no_gateway_adds_none(tmp_path: Path) -> None:
    """Negative: a wildcard that matches no gateway configures nothing (Beijing-only device stays clean)."""
    text = ("set groups VPN security ike gateway <branch-*> address 8.8.8.8\nset apply-groups VPN\n"
            "set security ike gateway hq external-interface ge-0/0/0\nset security ike gateway hq address 180.76.76.76\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == [] and run.doc["notes"] == [], run.doc


# Two groups set the gateway's external interface: Shanghai (ge-0/0/0) and Hong Kong (ge-0/0/1). Which one Junos
# uses decides whether the VPN to 8.8.8.8 crosses the border. Before, every applied group was merged as one and
# the statement written last won: a Hong Kong group written after the Shanghai one hid the link (0 findings,
# no note), whatever apply-groups said.
_TWO_GROUPS = ("set groups CN security ike gateway gw1 external-interface ge-0/0/0\n"
               "set groups HK security ike gateway gw1 external-interface ge-0/0/1\n")
_TWO_IFACES = ("set security ike gateway gw1 address 8.8.8.8\n"
               "set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
               "set interfaces ge-0/0/1 unit 0 family inet address 202.45.84.58/24\n")  # Hong Kong


@pytest.mark.parametrize(
    ("applies", "crosses"),
    [
        ("set apply-groups [ CN HK ]\n", True),  # the first group listed wins
        ("set apply-groups [ HK CN ]\n", False),
        ("set apply-groups HK\nset security ike gateway gw1 apply-groups CN\n", True),  # a nested level's group wins
        ("set apply-groups CN\nset security ike apply-groups HK\n", False),
        ("set apply-groups [ CN HK ]\nset security ike gateway gw1 apply-groups-except CN\n", False),
        ("set apply-groups [ HK CN ]\nset security apply-groups-except HK\n", True),
        ("set apply-groups [ HK CN ]\nset security apply-groups-except HK\nset security ike apply-groups HK\n", False),
    ],
    ids=["first-listed", "first-listed-hk", "nested-wins", "nested-wins-hk", "except", "except-above", "reapplied-below"],
)
def test_group_priority_decides_the_local_end(tmp_path: Path, applies: str, crosses: bool) -> None:
    run = _scan(tmp_path, "srx.set", _TWO_GROUPS + applies + _TWO_IFACES)
    assert run.rules == (["XB101"] if crosses else []), run.doc
    if crosses:
        assert any("ge-0/0/0" in e for e in run.doc["findings"][0]["evidence"]), run.doc


def test_group_applied_at_an_unrelated_level_is_not_inherited_by_gateways(tmp_path: Path) -> None:
    """`apply-groups` below `interfaces` applies the group's interface statements only: its gateway is not
    configuration (Junos ignores it); a note says so (was: read as if applied at the top)."""
    text = ("set groups VPN security ike gateway gw1 address 8.8.8.8\n"
            "set groups VPN security ike gateway gw1 external-interface ge-0/0/0\n"
            "set interfaces apply-groups VPN\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == [], run.doc
    assert any("ike gateway gw1 of group VPN is not inherited" in n for n in run.doc["notes"]), run.doc


def test_gateway_only_in_a_group_applied_at_security_ike(tmp_path: Path) -> None:
    text = ("set groups VPN security ike gateway gw1 address 8.8.8.8\n"
            "set groups VPN security ike gateway gw1 external-interface ge-0/0/0\n"
            "set security ike apply-groups VPN\n" + IFACE_SET)
    run = _scan(tmp_path, "srx.set", text)
    assert run.rules == ["XB101"], run.doc


def test_curly_nested_apply_groups_except(tmp_path: Path) -> None:
    text = ("groups {\n    CN {\n        security { ike { gateway gw1 { external-interface ge-0/0/0; } } }\n    }\n"
            "    HK {\n        security { ike { gateway gw1 { external-interface ge-0/0/1; } } }\n    }\n}\n"
            "apply-groups [ HK CN ];\nsecurity {\n    ike {\n        gateway gw1 {\n            apply-groups-except HK;\n"
            "            address 8.8.8.8;\n        }\n    }\n}\n"
            "interfaces {\n    ge-0/0/0 { unit 0 { family inet { address 58.247.0.10/24; } } }\n"
            "    ge-0/0/1 { unit 0 { family inet { address 202.45.84.58/24; } } }\n}\n")
    run = _scan(tmp_path, "srx.conf", text)
    assert run.rules == ["XB101"], run.doc
