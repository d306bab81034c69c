"""A link that absorbed others is identified by them too: its fingerprint covers its absorbed parts' ends.

Before: a CEN bandwidth limit (Shanghai - Singapore) drawing from a bandwidth plan was fingerprinted by the
limit's own ends only (links/fold.py folds the plan's link into the limit's). Editing the plan's area (China -
Asia-Pacific to China - Europe) kept the fingerprint, so an approval pinned to it still covered a plan nobody
approved; likewise the region of an AWS peering accepter. Now the fingerprint includes each absorbed part's
address and ends, a twin carried from a part gets the fingerprint the finding would have in that world, and an
approval still pinned to a fingerprint of the former scheme is XB001 naming what to pin now (the finding stays).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import scan_json, xborder
from .test_fold_twins import LIMIT, _cen, _only, _peering, _pinned, _scan, _write

PEERING = "aws_vpc_peering_connection.bj_hk"

# What xborder gave the limit of `_cen(["Asia-Pacific", "Europe"])` (and its Europe twin) before the absorbed plan
# counted: approvals written then pin these.
FORMER = "453c4e29069f1438c1cb937a188cf3c9"
FORMER_TWIN = "6c06dbfe6c1df219f87e7682ed7aa774"


def _fixed_cen(area: str) -> str:
    return _cen(["Asia-Pacific", "Europe"], area=f'"{area}"')


def _fixed_peering(region: str) -> str:
    return _peering(["ap-east-1", "ap-southeast-1"]).replace("var.peer_region", f'"{region}"')


def test_editing_the_absorbed_plan_s_area_moves_the_fingerprint(tmp_path: Path) -> None:
    _write(tmp_path, _fixed_cen("Asia-Pacific"))
    before = _only(_scan(tmp_path), LIMIT)["fingerprint"]
    _write(tmp_path, _fixed_cen("Europe"))
    assert _only(_scan(tmp_path), LIMIT)["fingerprint"] != before


def test_a_pin_written_for_the_asia_pacific_plan_does_not_cover_the_europe_plan(tmp_path: Path) -> None:
    _write(tmp_path, _fixed_cen("Asia-Pacific"))
    pin = _only(_scan(tmp_path), LIMIT)["fingerprint"]
    _write(tmp_path, _fixed_cen("Asia-Pacific"), _pinned(pin))
    assert _scan(tmp_path).rc == 0
    _write(tmp_path, _fixed_cen("Europe"), _pinned(pin))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 1
    live = [f for f in run.doc["findings"] if f["resource"] == LIMIT]
    assert [f["suppressed"] for f in live] == [False], run.doc["findings"]
    (meta,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert "matches no finding" in meta["message"], meta


def test_editing_the_accepter_s_region_moves_the_peering_s_fingerprint(tmp_path: Path) -> None:
    _write(tmp_path, _fixed_peering("ap-east-1"))
    before = _only(_scan(tmp_path), PEERING)["fingerprint"]
    _write(tmp_path, _fixed_peering("ap-southeast-1"))
    assert _only(_scan(tmp_path), PEERING)["fingerprint"] != before


def test_a_carried_twin_s_fingerprint_is_the_finding_s_in_that_world(tmp_path: Path) -> None:
    """The Europe twin's fingerprint is the one the limit gets when Europe becomes the default, and back: a pin
    naming both stays valid when the default changes, as for any other twin."""
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    (twin,) = f["twins"]
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]).replace('default = "Asia-Pacific"', 'default = "Europe"'))
    g = _only(_scan(tmp_path), LIMIT)
    assert g["fingerprint"] == twin["fingerprint"], (f, g)
    assert [t["fingerprint"] for t in g["twins"]] == [f["fingerprint"]], g
    inv = json.loads(xborder("inventory", "net", "--no-cache", "--format", "json", cwd=tmp_path).out)
    (row,) = [r for r in inv["links"] if "twin_of" not in r]  # the inventory's ids are the same fingerprints
    (twin_row,) = [r for r in inv["links"] if r.get("twin_of") == row["id"]]
    assert (row["id"], twin_row["id"]) == (g["fingerprint"], f["fingerprint"])


def test_an_approval_pinned_to_the_former_fingerprint_says_what_to_pin_now(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    now = [f["fingerprint"], f["twins"][0]["fingerprint"]]
    assert FORMER not in now and FORMER_TWIN not in now
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(FORMER, FORMER_TWIN))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 1
    (g,) = [x for x in run.doc["findings"] if x["resource"] == LIMIT]
    assert g["suppressed"] is False
    (meta,) = [x for x in run.doc["findings"] if x["rule_id"] == "XB001"]
    assert f"{FORMER}, the former fingerprint of XB202 {LIMIT} (net/main.tf:" in meta["message"], meta["message"]
    assert f"{FORMER_TWIN}, the former fingerprint of the same link with variable area = Europe" in meta["message"]
    assert f"pin `fingerprint: {now[0]}, {now[1]}`" in meta["message"], meta["message"]
    text = xborder("scan", ".", "--no-cache", cwd=tmp_path).out
    assert f"pin `fingerprint: {now[0]}, {now[1]}`" in text, text

    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(*now))  # what it says to pin covers the finding
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 0 and [x["suppressed"] for x in run.doc["findings"]] == [True], run.doc["findings"]


def test_an_expired_former_pin_says_what_to_pin_and_to_renew(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(FORMER) + "    expires: 2020-01-01\n")
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    (meta,) = [x for x in run.doc["findings"] if x["rule_id"] == "XB001"]
    assert "expired on 2020-01-01" in meta["message"] and f"pin `fingerprint: {f['fingerprint']}`" in meta["message"]
    assert "renew it" in meta["message"], meta["message"]


def test_fingerprints_of_links_that_absorb_nothing_do_not_move() -> None:
    """The bundled fixtures have no folded finding: their fingerprints are what they were before."""
    repo = Path(__file__).resolve().parents[2]
    run = scan_json("fixtures", "--no-cache", cwd=repo)
    prints = {(f["rule_id"], f["resource"]): f["fingerprint"] for f in run.doc["findings"]}
    assert prints[("XB101", "module.beijing_to_hk_office.aws_vpn_connection.this")] == "f2d58e02b2fb1e587f6d568776476cec"
    assert prints[("XB201", "equinix_fabric_connection.sh_sg")] == "677766ec9454742bf42041580393de10"
    assert prints[("XB202", "alicloud_cen_bandwidth_package.apac")] == "c50f2cfc29292e7d0969553838d16913"
    assert prints[("XB101", "SingaporeVpn")] == "d24c069f5b2e394de49514c15ec200df"
    assert prints[("XB101", "fixtures/network/sha-gw1/ipsec.conf: conn hk-office")] == "9e1db87c007bfa5a574283d7f5d9e77b"


def test_an_approval_pinning_former_fingerprints_of_two_links_names_each_link_and_its_own_new_fingerprint(
        tmp_path: Path) -> None:
    """Each stale pin is named after the finding it was the former fingerprint of, with that finding's fingerprint
    now; before, every pin after the first was said to be of the first pin's finding (here: the circuit's former
    fingerprint was called the CEN limit's)."""
    from .test_carrier_identity import ADDRESS, CIRCUIT, FORMER as CIRCUIT_FORMER

    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    (tmp_path / "net" / "er.tf").write_text(CIRCUIT.format(carrier='"China Telecom"'))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    now = {f["resource"]: [f["fingerprint"], *(t["fingerprint"] for t in f.get("twins", []))] for f in run.doc["findings"]}
    assert sorted(now) == sorted([LIMIT, ADDRESS]) and len(now[LIMIT]) == 2 and len(now[ADDRESS]) == 1, now
    for pins in ([FORMER, CIRCUIT_FORMER, FORMER_TWIN], [CIRCUIT_FORMER, FORMER, FORMER_TWIN]):
        _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(*pins))
        run = scan_json(".", "--no-cache", cwd=tmp_path)
        assert run.rc == 1 and not any(f["suppressed"] for f in run.doc["findings"]), run.doc["findings"]
        (meta,) = [x for x in run.doc["findings"] if x["rule_id"] == "XB001"]
        message = meta["message"]
        assert f"{FORMER}, the former fingerprint of XB202 {LIMIT} (net/main.tf:" in message, message
        assert f"{CIRCUIT_FORMER}, the former fingerprint of XB201 {ADDRESS} (net/er.tf:" in message, message
        assert f"{FORMER_TWIN}, the former fingerprint of XB202 {LIMIT} (net/main.tf:" in message or (
            f"{FORMER_TWIN}, the former fingerprint of the same link with variable area = Europe" in message
            and message.index(f"{FORMER}, ") < message.index(f"{FORMER_TWIN}, ")), message
        # one approval, one link: each link's fingerprints now, in an approval of its own
        assert "an approval of its own" in message, message
        assert f"`fingerprint: {now[LIMIT][0]}, {now[LIMIT][1]}`" in message, message
        assert f"`fingerprint: {now[ADDRESS][0]}`" in message, message
        assert f"{now[LIMIT][1]}, {now[ADDRESS][0]}" not in message and f"{now[ADDRESS][0]}, {now[LIMIT][0]}" not in message
