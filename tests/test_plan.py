"""Terraform plan input (`terraform show -json`): values, after_unknown, references, providers, sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from xborder.context import Options, ScanContext
from xborder.inputs.plan import plugin as plan_plugin
from xborder.inputs.plan.loader import config_path, load_plan, split_module
from xborder.links.declarations import load_declarations
from xborder.links.engine import LinkBuilder
from xborder.model import LinkKind, Ref, Unknown
from xborder.policy import load_policies

DATA = Path(__file__).parent.parent / "fixtures"  # the bundled example holds a plan with its own .tf source
PLAN = DATA / "plan" / "tfplan.json"
LINKS = Path(__file__).parent.parent / "policies" / "links"


def make_ctx(root: Path) -> ScanContext:
    return ScanContext(root=root.resolve(), options=Options(), policies=load_policies(), config=None, pm=None)  # type: ignore[arg-type]


def load(text: str | None = None, rel: str = "plan/tfplan.json", root: Path = DATA):
    result = load_plan(text if text is not None else PLAN.read_text(encoding="utf-8"), rel, make_ctx(root))
    return result, {r.address: r for r in result.resources}


def plan_data() -> dict:
    return json.loads(PLAN.read_text(encoding="utf-8"))


def test_resources_from_planned_values_and_child_modules() -> None:
    result, res = load()
    assert result.errors == []
    assert list(res) == [
        "aws_customer_gateway.hq",
        "aws_ec2_transit_gateway_peering_attachment.hk_fra",
        "aws_vpn_connection.hq",
        "aws_vpn_gateway.hk",
        "module.branch.aws_customer_gateway.this",
        "module.branch.aws_ec2_transit_gateway.this",
        "module.branch.aws_vpn_connection.this[0]",
    ]  # the deleted aws_customer_gateway.old_hq is not there
    vpn = res["aws_vpn_connection.hq"]
    assert (vpn.source, vpn.type, vpn.name) == ("terraform-plan", "aws_vpn_connection", "hq")
    assert (vpn.location.path, vpn.location.start_line, vpn.location.end_line) == ("plan/tfplan.json", 61, 82)
    assert vpn.attr_locations["customer_gateway_id"].start_line == 69
    branch = res["module.branch.aws_vpn_connection.this[0]"]
    assert branch.name == "this" and branch.location.start_line == 140


def test_values_and_unknowns() -> None:
    _, res = load()
    assert res["aws_customer_gateway.hq"].attrs["ip_address"] == "58.247.0.10"
    assert res["module.branch.aws_customer_gateway.this"].attrs["ip_address"] == "198.51.100.20"
    vpn = res["aws_vpn_connection.hq"].attrs
    assert vpn["static_routes_only"] is True
    assert vpn["tunnel1_address"] == Unknown("known only after apply")
    assert vpn["tunnel1_preshared_key"] == "6f1b2e0d9c8a7b6c5d4e3f2a1b0c9d8e"
    peering = res["aws_ec2_transit_gateway_peering_attachment.hk_fra"].attrs
    assert peering["peer_region"] == "eu-central-1"
    assert peering["peer_account_id"] == Unknown("known only after apply")


def test_references_become_refs() -> None:
    _, res = load()
    # unknown at plan time, the configuration names the resource (in the same module)
    branch = res["module.branch.aws_vpn_connection.this[0]"].attrs
    assert branch["customer_gateway_id"] == Ref("module.branch.aws_customer_gateway.this", "id")
    assert branch["transit_gateway_id"] == Ref("module.branch.aws_ec2_transit_gateway.this", "id")
    # a known id that is the referenced resource's id stays linked to it
    vpn = res["aws_vpn_connection.hq"].attrs
    assert vpn["customer_gateway_id"] == Ref("aws_customer_gateway.hq", "id")
    assert vpn["vpn_gateway_id"] == Ref("aws_vpn_gateway.hk", "id")
    # through a module output
    peering = res["aws_ec2_transit_gateway_peering_attachment.hk_fra"].attrs
    assert peering["peer_transit_gateway_id"] == Ref("module.branch.aws_ec2_transit_gateway.this", "id")
    # a plain known value is not turned into a reference
    assert peering["transit_gateway_id"] == "tgw-0a11b22c33d44e55f"


def test_providers_alias_and_root_variable() -> None:
    _, res = load()
    hk = res["aws_vpn_connection.hq"].provider
    assert hk is not None and (hk.type, hk.alias, hk.attrs) == ("aws", "hk", {"region": "ap-east-1"})
    assert hk.origin == 'provider "aws" alias "hk" (plan plan/tfplan.json; region = "ap-east-1")'
    default = res["module.branch.aws_vpn_connection.this[0]"].provider
    assert (default.alias, default.attrs) == (None, {"region": "eu-central-1"})
    assert "region = var.region = \"eu-central-1\"" in default.origin


def test_related_terraform_sources() -> None:
    _, res = load()
    related = res["aws_vpn_connection.hq"].related
    assert [(loc.path, loc.start_line, loc.label) for loc in related] == [("plan/main.tf", 28, "Terraform source")]
    branch = res["module.branch.aws_vpn_connection.this[0]"].related
    assert [(loc.path, loc.start_line) for loc in branch] == [("plan/modules/branch-vpn/main.tf", 19), ("plan/main.tf", 43)]
    assert branch[1].label == 'module call "branch"'


def test_no_related_sources_when_configuration_is_not_in_the_tree(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    shutil.copy(PLAN, tmp_path / "plans" / "tfplan.json")
    result, res = load(rel="plans/tfplan.json", root=tmp_path)
    assert result.errors == [] and len(res) == 7
    assert all(r.related == [] for r in res.values())


def test_compact_single_line_plan(tmp_path: Path) -> None:
    text = json.dumps(plan_data(), separators=(",", ":"))
    _, res = load(text)
    vpn = res["aws_vpn_connection.hq"]
    assert vpn.location.start_line == vpn.location.end_line == 1
    assert vpn.attrs["customer_gateway_id"] == Ref("aws_customer_gateway.hq", "id")


def test_module_provider_with_module_variable_and_old_keys() -> None:
    data = plan_data()
    call = data["configuration"]["root_module"]["module_calls"]["branch"]
    call["expressions"]["region"] = {"references": ["var.region"]}
    data["configuration"]["provider_config"]["module.branch:aws"] = {
        "name": "aws",
        "full_name": "registry.terraform.io/hashicorp/aws",
        "module_address": "module.branch",
        "expressions": {"region": {"references": ["var.region"]}},
    }
    for r in call["module"]["resources"]:
        r["provider_config_key"] = "module.branch:aws"
    data["variables"]["region"]["value"] = "cn-northwest-1"
    _, res = load(json.dumps(data))
    provider = res["module.branch.aws_customer_gateway.this"].provider
    assert provider.attrs == {"region": "cn-northwest-1"}
    assert "in module.branch" in provider.origin

    # an old-style key for a module without its own provider block: the root's configuration applies
    del data["configuration"]["provider_config"]["module.branch:aws"]
    _, res = load(json.dumps(data))
    assert res["module.branch.aws_customer_gateway.this"].provider.attrs == {"region": "cn-northwest-1"}


def test_resource_changes_only_and_ambiguous_references() -> None:
    data = plan_data()
    del data["planned_values"]
    cfg = data["configuration"]["root_module"]["resources"][2]
    cfg["expressions"]["customer_gateway_id"] = {"references": ["var.use_hq", "aws_customer_gateway.hq.id", "aws_customer_gateway.old_hq.id"]}
    data["resource_changes"][3]["change"]["after_unknown"]["customer_gateway_id"] = True
    del data["resource_changes"][3]["change"]["after"]["customer_gateway_id"]
    text = json.dumps(data, indent=2)
    result, res = load(text)
    assert result.errors == []
    vpn = res["aws_vpn_connection.hq"]
    # located at its entry in resource_changes: the line after the object's opening brace holds its address
    assert '"address": "aws_vpn_connection.hq"' in text.splitlines()[vpn.location.start_line]
    reason = vpn.attrs["customer_gateway_id"].reason
    assert reason.startswith("known only after apply; computed from aws_customer_gateway.hq, aws_customer_gateway.old_hq")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{"format_version": "1.2",\n "planned_values": {\n  "root_module": {,}}}', 3, "invalid JSON"),
        ('{"format_version": "2.0", "planned_values": {}}', 1, 'unsupported format_version "2.0"'),
        ("[1, 2]", 1, "not a JSON object"),
    ],
)
def test_bad_plans_are_scan_errors(text: str, line: int, message: str) -> None:
    result, res = load(text, rel="bad.json")
    assert res == {}
    assert [(e.path, e.line) for e in result.errors] == [("bad.json", line)]
    assert message in result.errors[0].message


def test_malformed_parts_do_not_stop_the_rest() -> None:
    data = plan_data()
    data["configuration"]["provider_config"] = "oops"
    data["planned_values"]["root_module"]["resources"][0]["values"] = ["not", "an", "object"]
    data["resource_changes"][0]["change"]["after_unknown"] = "x"
    _result, res = load(json.dumps(data, indent=1))
    assert len(res) == 7
    assert res["aws_vpn_connection.hq"].provider.attrs == {}


def test_addresses() -> None:
    assert split_module('module.a["x.y"].module.b.aws_vpc.main[0]') == ('module.a["x.y"].module.b', "aws_vpc.main[0]")
    assert split_module("aws_vpc.main") == ("", "aws_vpc.main")
    assert config_path('module.a["x"].module.b[2]') == "module.a.module.b"


def test_collect_sniffs_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(DATA, root)
    (root / "plan.out").write_text(PLAN.read_text())  # any file name
    (root / "state.json").write_text('{"format_version": "1.0", "terraform_version": "1.9.5", "values": {}}')
    (root / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    pad = '{"format_version": "1.2", "variables": {"pad": {"value": "' + "x" * 5000 + '"}}, "resource_changes": []}'
    (root / "late.json").write_text(pad)
    (root / "main.tf.json").write_text('{"format_version": "1.2", "planned_values": {}}')
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    units = plan_plugin.xborder_collect(files=files, ctx=make_ctx(root))
    assert sorted(u.name for u in units) == ["late.json", "plan.out", "plan/tfplan.json"]
    loaded = next(u for u in units if u.name == "plan.out").load(make_ctx(root))
    assert len(loaded.resources) == 7


def test_plugin_is_registered() -> None:
    from xborder.plugins import BUILTIN_PLUGINS

    assert "xborder.inputs.plan.plugin" in BUILTIN_PLUGINS


def test_terraform_declarations_apply_to_plan_resources() -> None:
    _, res = load()
    decls = load_declarations([p for p in LINKS.iterdir() if p.name.endswith(".yaml")])
    links = LinkBuilder(decls, load_policies()).build(list(res.values()))
    vpns = {link.address: link for link in links if link.kind == LinkKind.VPN}
    hq = vpns["aws_vpn_connection.hq"]
    assert (hq.a.fact.kind, hq.a.fact.value) == ("region", "ap-east-1")
    assert (hq.b.fact.kind, hq.b.fact.value) == ("address", "58.247.0.10")
    assert hq.source == "terraform-plan"
    branch = vpns["module.branch.aws_vpn_connection.this[0]"]
    assert (branch.a.fact.value, branch.b.fact.value) == ("eu-central-1", "198.51.100.20")
