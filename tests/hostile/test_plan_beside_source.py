"""A plan JSON beside its `.tf` source replaces the source's links only when it agrees with them.

Before: any plan naming the same resource address dropped the source's link ("judged from the scanned
plan"), so an old plan, one made from other variable values, or a hand-written one committed next to
`main.tf` hid a cross-border VPN the source states outright: 0 findings, one note.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import scan_json, vpn

AWS = "registry.terraform.io/hashicorp/aws"


def _res(rtype: str, name: str, values: dict) -> dict:
    return {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name, "provider_name": AWS,
            "schema_version": 0, "values": values}


def _plan(peer: str) -> str:
    """`terraform show -json` of `conftest.vpn()` with the customer gateway at `peer`."""
    conf = [
        {"address": "aws_customer_gateway.c", "mode": "managed", "type": "aws_customer_gateway", "name": "c",
         "provider_config_key": "aws", "expressions": {"ip_address": {"constant_value": peer}}},
        {"address": "aws_vpn_gateway.v", "mode": "managed", "type": "aws_vpn_gateway", "name": "v",
         "provider_config_key": "aws", "expressions": {}},
        {"address": "aws_vpn_connection.vpn", "mode": "managed", "type": "aws_vpn_connection", "name": "vpn",
         "provider_config_key": "aws", "expressions": {
             "customer_gateway_id": {"references": ["aws_customer_gateway.c.id", "aws_customer_gateway.c"]},
             "vpn_gateway_id": {"references": ["aws_vpn_gateway.v.id", "aws_vpn_gateway.v"]}}},
    ]
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.6.6",
        "planned_values": {"root_module": {"resources": [
            _res("aws_customer_gateway", "c", {"ip_address": peer, "bgp_asn": "65000", "type": "ipsec.1"}),
            _res("aws_vpn_gateway", "v", {}),
            _res("aws_vpn_connection", "vpn", {"type": "ipsec.1"}),
        ]}},
        "resource_changes": [{
            "address": "aws_vpn_connection.vpn", "mode": "managed", "type": "aws_vpn_connection", "name": "vpn",
            "provider_name": AWS, "change": {"actions": ["create"], "before": None, "after": {"type": "ipsec.1"},
                                             "after_unknown": {"customer_gateway_id": True, "vpn_gateway_id": True}}}],
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": AWS,
                                        "expressions": {"region": {"constant_value": "cn-north-1"}}}},
            "root_module": {"resources": conf},
        },
    }
    return json.dumps(plan, indent=1)


def _scan(tmp_path: Path, plan_peer: str):  # noqa: ANN202
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(vpn())  # Beijing region <-> 8.8.8.8 (US): XB101
    (tmp_path / "infra" / "plan.json").write_text(_plan(plan_peer))
    return scan_json("infra", "--no-config", "--no-cache", cwd=tmp_path)


def test_a_plan_that_disagrees_does_not_hide_the_source_link(tmp_path: Path) -> None:
    run = _scan(tmp_path, "180.76.76.76")  # the plan says Beijing <-> Beijing
    assert [(f["rule_id"], f["path"]) for f in run.doc["findings"]] == [("XB101", "infra/main.tf")], run.doc
    assert any("gives other ends than this source; both are judged" in n for n in run.doc["notes"]), run.doc["notes"]


def test_a_plan_that_agrees_replaces_the_source_link(tmp_path: Path) -> None:
    """Negative case: the same link is reported once, from the plan, as before."""
    run = _scan(tmp_path, "8.8.8.8")
    assert [(f["rule_id"], f["path"]) for f in run.doc["findings"]] == [("XB101", "infra/plan.json")], run.doc
    assert any("is judged from the scanned plan" in n for n in run.doc["notes"])


def test_a_plan_filling_in_what_the_source_leaves_unknown_replaces_it(tmp_path: Path) -> None:
    """Negative case: a variable without a value in the source is what the plan is for (no duplicate)."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text('variable "peer" {\n  type = string\n}\n' + vpn("var.peer"))
    (tmp_path / "infra" / "plan.json").write_text(_plan("8.8.8.8"))
    run = scan_json("infra", "--no-config", "--no-cache", cwd=tmp_path)
    assert [(f["rule_id"], f["path"]) for f in run.doc["findings"]] == [("XB101", "infra/plan.json")], run.doc
