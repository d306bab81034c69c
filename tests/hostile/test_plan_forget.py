"""A resource a plan forgets (`removed { lifecycle { destroy = false } }`, Terraform 1.7+) is still judged.

Before: its change is ["forget"] with `after: null` and it is not in planned_values, so xborder dropped it,
while the object (a VPN to Hong Kong) stays in the cloud, only unmanaged: a cross-border link that exists and
that the plan keeps vanished. Now it is judged with its `before` values (else prior_state), with a note.
Decided with the lead (inputs.answer question 2). A ["delete"] is gone after apply: still nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .conftest import scan_json

ROOT = Path(__file__).resolve().parents[2]
PLAN = json.loads((ROOT / "fixtures" / "plan" / "tfplan.json").read_text())
HQ = "aws_vpn_connection.hq"
CGW_ID = "cgw-0c1d2e3f4a5b60001"  # aws_customer_gateway.hq (Shanghai) in the fixture


def _existing(plan: dict, address: str, actions: list[str], before: dict | None) -> dict:
    """`address` as an object that exists (in prior_state) and that the plan does `actions` to."""
    p = copy.deepcopy(plan)
    [rc] = [r for r in p["resource_changes"] if r["address"] == address]
    values = dict(rc["change"]["after"], customer_gateway_id=CGW_ID, transit_gateway_id="tgw-0aa", id="vpn-0abc")
    rc["change"].update(actions=actions, before=before if before is not None else values, after=None, after_unknown={})
    pv = p["planned_values"]["root_module"]
    pv["resources"] = [r for r in pv["resources"] if r["address"] != address]
    prior = p["prior_state"]["values"]["root_module"]["resources"]
    prior.append({"address": address, "mode": "managed", "type": rc["type"], "name": rc["name"],
                  "provider_name": rc["provider_name"], "values": values})
    return p


def _scan(tmp_path: Path, plan: dict):  # noqa: ANN202
    (tmp_path / "tfplan.json").write_text(json.dumps(plan, indent=2))
    run = scan_json("tfplan.json", "--no-config", "--no-cache", "--root", str(tmp_path), cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def _hq(run) -> list[dict]:  # noqa: ANN001
    return [f for f in run.doc["findings"] if f["resource"] == HQ]


def test_forgotten_vpn_to_hong_kong_is_judged_as_it_stays(tmp_path: Path) -> None:
    run = _scan(tmp_path, _existing(PLAN, HQ, ["forget"], None))
    [f] = _hq(run)
    assert f["rule_id"] == "XB101", f
    assert any("stops managing this resource" in e for e in f["evidence"]), f["evidence"]


def test_forgotten_vpn_read_from_prior_state_when_before_is_absent(tmp_path: Path) -> None:
    plan = _existing(PLAN, HQ, ["forget"], None)
    [rc] = [r for r in plan["resource_changes"] if r["address"] == HQ]
    del rc["change"]["before"]
    assert [f["rule_id"] for f in _hq(_scan(tmp_path, plan))] == ["XB101"]


def test_forgotten_vpn_without_values_is_an_unknown_end_never_dropped(tmp_path: Path) -> None:
    plan = _existing(PLAN, HQ, ["forget"], {})
    plan["prior_state"]["values"]["root_module"]["resources"] = [
        r for r in plan["prior_state"]["values"]["root_module"]["resources"] if r["address"] != HQ]
    assert [f["rule_id"] for f in _hq(_scan(tmp_path, plan))] == ["XB102"]


def test_deleted_vpn_is_gone(tmp_path: Path) -> None:
    assert _hq(_scan(tmp_path, _existing(PLAN, HQ, ["delete"], None))) == []


def test_forgotten_same_side_vpn_gives_nothing(tmp_path: Path) -> None:
    plan = _existing(PLAN, HQ, ["forget"], None)
    for r in plan["prior_state"]["values"]["root_module"]["resources"] + plan["planned_values"]["root_module"]["resources"]:
        if r["address"] == "aws_customer_gateway.hq":
            r["values"]["ip_address"] = "203.186.1.1"  # Hong Kong, as the VPN's own end
    for r in plan["resource_changes"]:
        if r["address"] == "aws_customer_gateway.hq":
            for k in ("before", "after"):
                if isinstance(r["change"].get(k), dict):
                    r["change"][k]["ip_address"] = "203.186.1.1"
    assert _hq(_scan(tmp_path, plan)) == []
