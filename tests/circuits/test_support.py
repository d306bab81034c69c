"""Coverage listing, rule documentation, the registry, coordinates, code tables and end-to-end Terraform scans."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from xborder import docs
from xborder.config import Config, LicensedOperator
from xborder.jurisdiction.regions import resolve_coordinates
from xborder.links.declarations import DeclarationError, parse_declarations
from xborder.model import Fact, Side
from xborder.policy import load_policies

HERE = Path(__file__).parent
ORIGINAL_FILES = {"aws-vpn.yaml", "azurerm-vpn.yaml", "google-vpn.yaml", "alicloud-vpn.yaml", "huaweicloud-vpn.yaml", "tencentcloud-vpn.yaml"}


def _my_types() -> set[str]:
    rows = docs.resource_rows()
    return {
        str(r["type"])
        for r in rows
        if "::" not in str(r["type"])
        and not {"data-flow", "data-endpoint"} & set(r["kinds"])  # data flows: tests/dataflow
        and "not-covered" not in r["kinds"]  # XB004: tests/core/test_not_covered.py
        and (str(r["policy_file"]) == "xborder.links.groups" or Path(str(r["policy_file"])).name not in ORIGINAL_FILES)
    }


def test_every_type_has_a_positive_and_a_negative_case(cases):
    pos = {c.covers for c in cases.CASES if c.pos}
    neg = {c.covers for c in cases.CASES if not c.pos}
    mine = _my_types()
    assert mine, "no resource types found"
    assert not (mine - pos), f"no positive case: {sorted(mine - pos)}"
    assert not (mine - neg), f"no negative case: {sorted(mine - neg)}"


def test_resources_listing_json_counts():
    data = json.loads(docs.resources_listing("json"))["resource_types"]
    terraform = [r for r in data if r["terraform_provider"] != "cloudformation"]
    assert len(terraform) >= 80
    assert len({r["terraform_provider"] for r in terraform}) >= 12
    by_type = {r["type"]: r for r in data}
    assert by_type["alicloud_cen_instance_attachment"]["kinds"] == ["backbone"]
    assert "XB202" in by_type["alicloud_cen_instance_attachment"]["rules"]
    assert by_type["equinix_fabric_connection"]["provider"] == "equinix"
    assert by_type["equinix_fabric_connection"]["rules"] == ["XB201", "XB203", "XB301"]
    assert by_type["tailscale_acl"]["kinds"] == ["presence"]
    assert by_type["volcengine_vpn_connection"]["kinds"] == ["vpn"]
    text = docs.resources_listing("text")
    assert text.rstrip().splitlines()[-1].endswith("providers")


@pytest.mark.parametrize("rule,types", [
    ("XB201", ["azurerm_express_route_circuit", "aws_dx_connection", "alicloud_express_connect_router_vbr_child_instance"]),
    ("XB202", ["alicloud_cen_bandwidth_package", "huaweicloud_cc_global_connection_bandwidth", "tencentcloud_ccn_attachment"]),
    ("XB203", ["equinix_fabric_connection", "tencentcloud_gaap_proxy"]),
    ("XB301", ["cloudflare_magic_transit_site", "zerotier_network", "megaport_port"]),
])
def test_explain_lists_types(rule, types):
    text = docs.explain(rule)
    assert text is not None and "## Resource types" in text
    for t in types:
        assert f"`{t}`" in text


def test_rule_texts_are_factual():
    rules = load_policies().rules
    for rule_id in ("XB201", "XB202", "XB203", "XB301"):
        info = rules[rule_id]
        blob = " ".join([info.description, info.rationale, info.remediation, info.evidence, info.compliant]).lower()
        assert "illegal" not in blob and "unlawful" not in blob
        assert info.evidence


def test_every_registry_entry_has_a_source():
    for key, info in load_policies().providers.items():
        assert info.source and info.basis, key


def test_every_new_code_table_has_sources():
    for name, table in load_policies().tables.items():
        assert table.sources, name


def test_config_licensed_operator_silences_xb301(harness, cases):
    case = next(c for c in cases.CASES if c.id == "equinix_device-shanghai")
    assert [f.rule_id for f in harness.findings(case.resources)] == ["XB301"]
    config = Config(licensed_operators=[LicensedOperator(name="Equinix China Partner", aliases=["equinix"], source="contract 2026-17")])
    assert harness.findings(case.resources, config) == []


def test_config_licensed_carrier_lowers_severity(harness, cases):
    case = next(c for c in cases.CASES if c.id == "azurerm_er_circuit-offshore-operator")
    [high] = harness.findings(case.resources)
    assert high.severity == "high"
    config = Config(licensed_operators=[LicensedOperator(name="Equinix", source="approval 42")])
    [medium] = harness.findings(case.resources, config)
    assert medium.severity == "medium" and "approval record is still needed" in medium.message
    assert any("licensed_operators in .xborder.yaml (source: approval 42)" in e for e in medium.evidence)


def test_missing_provider_is_reported(harness):
    from xborder.model import Endpoint, Link, LinkKind, Location
    from xborder.rules.licence import LicenceRule

    ctx = harness.ctx()
    link = Link(LinkKind.PRESENCE, "acme_pop", "acme_pop.x", Location("main.tf"), Endpoint("pop", Fact("side", "mainland", origin="test")), network_provider="acme")
    harness_links = [link]
    from xborder.jurisdiction.resolver import Resolver

    Resolver(ctx)(link.a)
    [f] = LicenceRule(load_policies().rules["XB301"]).check(harness_links, ctx)
    assert "acme is not in the licensed-operator registry" in f.message
    assert any("has no entry in policies/providers.yaml" in e for e in f.evidence)


@pytest.mark.parametrize("lat,lon,side", [
    (31.23, 121.47, Side.MAINLAND),  # Shanghai
    (39.90, 116.40, Side.MAINLAND),  # Beijing
    (22.54, 114.06, Side.MAINLAND),  # Shenzhen
    (22.27, 113.57, Side.MAINLAND),  # Zhuhai
    (43.80, 87.60, Side.MAINLAND),  # Urumqi
    (20.04, 110.30, Side.MAINLAND),  # Haikou
    (22.32, 114.17, Side.OFFSHORE),  # Hong Kong
    (22.19, 113.54, Side.OFFSHORE),  # Macau
    (25.03, 121.56, Side.OFFSHORE),  # Taipei
    (24.43, 118.32, Side.OFFSHORE),  # Kinmen
    (37.56, 126.97, Side.OFFSHORE),  # Seoul
    (47.90, 106.90, Side.OFFSHORE),  # Ulaanbaatar
    (21.03, 105.85, Side.OFFSHORE),  # Hanoi
    (1.35, 103.80, Side.OFFSHORE),  # Singapore
])
def test_coordinates(lat, lon, side):
    assert resolve_coordinates(Fact("coordinates", f"{lat},{lon}")).side is side


def test_coordinates_bad_values():
    assert resolve_coordinates(Fact("coordinates", "91,0")).side is Side.UNKNOWN
    assert resolve_coordinates(Fact("coordinates", "north,east")).side is Side.UNKNOWN


def test_prefix_patterns_and_normalisation():
    tables = load_policies().tables
    ap = tables["alicloud_access_point"]
    assert ap.lookup("ap-cn-hangzhou-yh-B").confidence == "V"
    assert ap.lookup("ap-cn-chengdu-zz-A").side == "mainland" and ap.lookup("ap-cn-chengdu-zz-A").confidence == "U"
    assert ap.lookup("ap-cn-hongkong-zz-A").side == "offshore"
    assert ap.lookup("ap-us-x-A") is None
    er = tables["azurerm_expressroute"]
    assert er.lookup("BEIJING 2") is er.lookup("beijing2") is not None
    assert tables["cloud_region_any"].lookup("cn-hongkong").side == "offshore"
    assert tables["cloud_region_any"].lookup("cn-north-1").side == "mainland"


def test_declaration_spec_checks():
    with pytest.raises(DeclarationError):
        parse_declarations("resources:\n  x_y:\n    kind: presence\n    a: {coordinates: lat}\n", "t.yaml")
    decl = parse_declarations("resources:\n  x_y:\n    kind: presence\n    a: {unknown: not configured}\n", "t.yaml")
    assert decl["x_y"][0].a.key == "unknown"


@pytest.mark.parametrize("related", [
    "[{follow: x_id, type: t}]",  # both forms
    "[{type: t, key: k}]",  # `same` missing
    "[{follow: x_id, absorb: yes please}]",
    "[{follow: x_id, colour: red}]",
    "{follow: x_id}",  # not a list of mappings
])
def test_related_spec_checks(related):
    base = "resources:\n  x_y:\n    kind: backbone\n    a: {region: self}\n    b: {region: peer}\n    related: %s\n"
    with pytest.raises(DeclarationError):
        parse_declarations(base % related, "t.yaml")
    ok = parse_declarations(base % "[{type: t, key: k, same: self, absorb: true}]", "t.yaml")
    assert ok["x_y"][0].related[0].absorb is True


# ----------------------------------------------------------------------------------------- end to end
def _terraform_ready() -> bool:
    try:
        __import__("xborder.inputs.terraform.plugin")
    except Exception:
        return False
    return True


@pytest.fixture
def scan(tmp_path):
    if not _terraform_ready():
        pytest.skip("Terraform input not available")
    from xborder.scan import ScanRequest, run_scan

    def run(name: str):
        target = tmp_path / name
        shutil.copytree(HERE / "data" / "tf" / name, target)
        return run_scan(ScanRequest(paths=[target], root=target, use_config=False))

    return run


def test_e2e_cen(scan):
    result = scan("cen")
    got = Counter(f.rule_id for f in result.findings)
    assert got == Counter({"XB202": 2}), [(f.rule_id, f.message) for f in result.findings]
    group = next(f for f in result.findings if f.resource == "alicloud_cen_instance_attachment.hk")
    assert group.location.path == "main.tf" and group.location.start_line == 22
    assert {loc.start_line for loc in group.related} >= {5, 15}


def test_e2e_dx_both_partitions(scan):
    result = scan("dx")
    [f] = result.findings
    assert f.rule_id == "XB201" and f.resource == "aws_dx_connection.hongkong"
    assert any("cn-north-1" in e for e in f.evidence)


def test_e2e_equinix_and_bordercross_false(scan):
    result = scan("equinix")
    assert Counter(f.rule_id for f in result.findings) == Counter({"XB201": 1, "XB301": 1})
    assert all(f.resource == "equinix_fabric_connection.sh_hk" for f in result.findings)


def test_e2e_quiet_traps(scan):
    result = scan("quiet")
    assert result.findings == [], [(f.rule_id, f.message) for f in result.findings]
