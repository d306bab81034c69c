"""A stale pin's XB001 (and a baseline's note) says why that fingerprint moved: the one reason that applies to it.

Before: the XB001 of an approval pinning a former fingerprint listed every reason a fingerprint may have moved (the
carrier now counted, the absorbed parts, instance keys written as Terraform writes them), whichever applied, and a
baseline note said "before the carrier ... and the links it absorbs" for an instance key. Now each stale pin is named
with its own reason only, beside what to pin now.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import scan_json
from .test_carrier_identity import ADDRESS, CIRCUIT, FORMER as CIRCUIT_FORMER
from .test_fold_identity import FORMER as LIMIT_FORMER
from .test_fold_twins import LIMIT, PLAN, _cen, _cen_with_limit, _only, _pinned, _scan, _write
from .test_instance_key_address import CONFIG as KEYED, FORMER as KEY_FORMERS

# the distinctive words of each reason
CARRIER = "the carrier the configuration names"
PARTS = "the links it absorbs"
KEYS = "instance keys were written as Terraform writes them"
MERGED = "second twin of that world"
REASONS = (CARRIER, PARTS, KEYS, MERGED)


def _meta(tmp_path: Path) -> str:
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    (meta,) = [x["message"] for x in run.doc["findings"] if x["rule_id"] == "XB001"]
    return meta


def _only_reason(message: str, reason: str) -> None:
    assert reason in message, message
    assert [r for r in REASONS if r in message] == [reason], message


def test_a_pin_from_before_the_carrier_counted_says_the_carrier(tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text(CIRCUIT.format(carrier='"China Telecom"'))
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{_pinned(CIRCUIT_FORMER)}")
    meta = _meta(tmp_path)
    assert f"{CIRCUIT_FORMER}, the former fingerprint of XB201 {ADDRESS} (net/main.tf:10), from before {CARRIER}" in meta
    _only_reason(meta, CARRIER)


def test_a_pin_from_before_the_absorbed_plan_counted_says_the_absorbed_links(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(LIMIT_FORMER))
    meta = _meta(tmp_path)
    assert f"{LIMIT_FORMER}, the former fingerprint of XB202 {LIMIT} (net/main.tf:29), from before {PARTS}" in meta
    _only_reason(meta, PARTS)


def test_a_pin_of_the_former_second_twin_of_one_world_says_the_twins_merged(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))  # the limit fixed: its Europe twin is the former second twin
    (former,) = [t["fingerprint"] for t in _only(_scan(tmp_path), LIMIT)["twins"]]
    tf = _cen_with_limit('["cn-shanghai", "eu-central-1"]')
    _write(tmp_path, tf)
    (twin,) = _only(_scan(tmp_path), LIMIT)["twins"]
    _write(tmp_path, tf, _pinned(former))
    meta = _meta(tmp_path)
    assert f"{former}, the former fingerprint of XB202 {LIMIT} (net/main.tf:29) with variable area = Europe" in meta
    _only_reason(meta, MERGED)
    assert meta.endswith(f"pin `fingerprint: {twin['fingerprint']}`"), meta


def _keyed(tmp_path: Path, approvals: str = "") -> None:
    (tmp_path / "main.tf").write_text(KEYED, encoding="utf-8")
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{approvals}" if approvals else "sites: []\n", encoding="utf-8")


def test_a_pin_from_before_keys_were_written_as_terraform_does_says_the_key(tmp_path: Path) -> None:
    address, former = next(iter(KEY_FORMERS.items()))
    _keyed(tmp_path, _pinned(former))
    meta = _meta(tmp_path)
    assert f"{former}, the former fingerprint of XB101 {address} (main.tf:12), from before {KEYS}" in meta, meta
    _only_reason(meta, KEYS)


def test_a_baseline_of_a_former_key_spelling_says_the_key_only(tmp_path: Path) -> None:
    address, former = next(iter(KEY_FORMERS.items()))
    _keyed(tmp_path)
    base = tmp_path.parent / f"{tmp_path.name}-baseline.json"  # outside the scanned tree
    base.write_text(json.dumps({"version": 1, "findings": [{"fingerprint": former}]}))
    run = scan_json(".", "--no-cache", "--baseline", str(base), cwd=tmp_path)
    (f,) = [f for f in run.doc["findings"] if f["resource"] == address]
    (note,) = [e for e in f["evidence"] if former in e]
    _only_reason(note, KEYS)
    assert "xborder baseline --update" in note, note


def _former_carried_twin(tmp_path: Path) -> str:
    """The fingerprint the limit's carried Europe twin had (the defaults' limit with the Europe plan) where the Europe
    world's limit has its own verdict: session 26 stated that world once, with that verdict, and it is gone."""
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))  # the limit fixed: its Europe twin has that fingerprint
    (former,) = [t["fingerprint"] for t in _only(_scan(tmp_path), LIMIT)["twins"]]
    return former


def test_a_pin_of_the_former_twin_of_a_plan_judged_on_its_own_in_its_world_says_what_to_pin_now(tmp_path: Path) -> None:
    """The Europe world's limit (Shanghai - Beijing) does not cross: the Europe plan is judged on its own there.
    Before: a pin of its former twin fingerprint got a plain "matches no finding"."""
    former = _former_carried_twin(tmp_path)
    tf = _cen_with_limit('["cn-shanghai", "cn-beijing"]')
    _write(tmp_path, tf)
    (plan,) = [f for f in _scan(tmp_path).doc["findings"] if f["resource"] == PLAN]
    _write(tmp_path, tf, _pinned(former))
    meta = _meta(tmp_path)
    assert (f"{former}, the former fingerprint of XB202 {PLAN} (net/main.tf:18) with variable area = Europe, one of "
            f"the values its validation allows, from when the deployment there of {PLAN} was a twin of the finding of "
            f"{LIMIT}") in meta, meta
    assert meta.endswith(f"pin `fingerprint: {plan['fingerprint']}`"), meta
    assert not [r for r in REASONS if r in meta], meta
    _write(tmp_path, tf, _pinned(plan["fingerprint"]))  # what it says to pin covers the Europe plan
    run = _scan(tmp_path)
    assert [(f["resource"], f["suppressed"]) for f in run.doc["findings"] if f["resource"] == PLAN] == [(PLAN, True)]


def test_a_pin_of_the_former_twin_now_reported_by_the_world_s_own_limit_says_what_to_pin_now(tmp_path: Path) -> None:
    """The Europe world's limit crosses the other way (Frankfurt - Shanghai: its own finding, reporting the Europe
    plan). Before: a pin of the former twin fingerprint got a plain "matches no finding"."""
    former = _former_carried_twin(tmp_path)
    tf = _cen_with_limit('["eu-central-1", "cn-shanghai"]')
    _write(tmp_path, tf)
    (world,) = [f for f in _scan(tmp_path).doc["findings"] if f.get("world")]
    _write(tmp_path, tf, _pinned(former))
    meta = _meta(tmp_path)
    assert (f"{former}, the former fingerprint of XB202 {LIMIT} (net/main.tf:29) with variable area = Europe, one of "
            f"the values its validation allows, from when the deployment there of {PLAN} was a twin") in meta, meta
    assert meta.endswith(f"pin `fingerprint: {world['fingerprint']}`"), meta
