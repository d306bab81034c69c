"""A plan Terraform marks as partial is never scanned as a whole one.

Before: `errored: true` (planning stopped at an error, Terraform >= 1.5), `complete: false` (-target, or changes
deferred to a later round, >= 1.8) and `deferred_changes[]` (>= 1.9: resource changes Terraform could not plan
yet, in neither resource_changes nor planned_values) were ignored: a cross-border VPN whose change was
deferred vanished and the plan scanned clean. Now: errored is a scan error (the resources it holds are still
judged), complete false an XB002 part not read at that key (acceptable by approval), and each deferred change is
read like a resource change (its unknown values unknown ends, never dropped).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from .conftest import scan_json

ROOT = Path(__file__).resolve().parents[2]
PLAN = json.loads((ROOT / "fixtures" / "plan" / "tfplan.json").read_text())
HQ = "aws_vpn_connection.hq"


def _defer(plan: dict, address: str, unknown: bool = False) -> dict:
    """`address`'s change moved to deferred_changes, as Terraform writes a deferred change."""
    p = copy.deepcopy(plan)
    [rc] = [r for r in p["resource_changes"] if r["address"] == address]
    p["resource_changes"].remove(rc)
    pv = p["planned_values"]["root_module"]
    pv["resources"] = [r for r in pv["resources"] if r["address"] != address]
    if unknown:
        rc["change"]["after"], rc["change"]["after_unknown"] = None, True
    p["deferred_changes"] = [{"resource_change": rc, "reason": "provider_config_unknown"}]
    p["complete"] = False
    return p


def _scan(tmp_path: Path, plan: dict):  # noqa: ANN202
    (tmp_path / "tfplan.json").write_text(json.dumps(plan, indent=2))
    return scan_json("tfplan.json", "--no-config", "--no-cache", "--root", str(tmp_path), cwd=tmp_path)


def _line(plan: dict, key: str) -> int:
    text = json.dumps(plan, indent=2)
    return text[: text.index(f'"{key}"')].count("\n") + 1


def test_deferred_change_is_read_and_the_plan_is_a_part_not_read(tmp_path: Path) -> None:
    plan = _defer(PLAN, HQ)
    run = _scan(tmp_path, plan)
    assert run.doc["errors"] == []
    by_rule = {(f["rule_id"], f["resource"]) for f in run.doc["findings"]}
    assert ("XB101", HQ) in by_rule, run.doc["findings"]
    [hq] = [f for f in run.doc["findings"] if f["resource"] == HQ]
    assert any("deferred this change" in e for e in hq["evidence"]), hq["evidence"]
    [part] = [f for f in run.doc["findings"] if f["rule_id"] == "XB002"]
    assert (part["start_line"], part["resource"]) == (_line(plan, "complete"), "tfplan.json: complete false"), part
    assert "deferred" in " ".join(part["evidence"])


def test_deferred_change_with_unknown_values_is_an_unknown_end(tmp_path: Path) -> None:
    run = _scan(tmp_path, _defer(PLAN, HQ, unknown=True))
    assert any(f["resource"] == HQ and f["rule_id"] == "XB102" for f in run.doc["findings"]), run.doc["findings"]


def test_incomplete_plan_without_deferred_changes_says_target(tmp_path: Path) -> None:
    plan = copy.deepcopy(PLAN)
    plan["complete"] = False
    run = _scan(tmp_path, plan)
    [part] = [f for f in run.doc["findings"] if f["rule_id"] == "XB002"]
    assert "-target" in " ".join(part["evidence"])


def test_errored_plan_is_an_error_and_its_resources_are_still_judged(tmp_path: Path) -> None:
    plan = copy.deepcopy(PLAN)
    plan["errored"], plan["complete"] = True, True
    run = _scan(tmp_path, plan)
    assert run.rc == 2
    [err] = run.doc["errors"]
    assert err["line"] == _line(plan, "errored") and "stopped planning at an error" in err["message"], err
    assert "XB101" in run.rules


def test_complete_plan_reads_as_before(tmp_path: Path) -> None:
    run = _scan(tmp_path, PLAN)
    assert run.doc["errors"] == [] and run.rules == ["XB101", "XB102"], run.doc
