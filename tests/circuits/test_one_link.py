"""One link, one finding: a link made of several resources is reported once, at the resource that creates it,
with the other resources as related locations (text, JSON, SARIF) and one inventory row.

The configurations follow the shapes of the providers' documentation (Alibaba CEN Basic and Enterprise
Edition, AWS transit gateway peering, Huawei Cloud Connect, Tencent CCN); names and ids are made up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sarif_support import assert_valid_sarif  # noqa: E402

ALI_PROVIDERS = """\
provider "alicloud" {
  alias  = "hz"
  region = "cn-hangzhou"
}

provider "alicloud" {
  alias  = "peer"
  region = "%(peer)s"
}
"""

# Enterprise Edition: a transit router per region, joined by an inter-region connection that draws from a
# bandwidth plan bound to the CEN.
TR_LINK = ALI_PROVIDERS + """
resource "alicloud_cen_instance" "corp" {
  provider          = alicloud.hz
  cen_instance_name = "corp-backbone"
}

resource "alicloud_cen_bandwidth_package" "plan" {
  provider                   = alicloud.hz
  bandwidth                  = 10
  cen_bandwidth_package_name = "corp-plan"
  geographic_region_a_id     = "China"
  geographic_region_b_id     = "%(area)s"
}

resource "alicloud_cen_bandwidth_package_attachment" "corp" {
  provider             = alicloud.hz
  instance_id          = alicloud_cen_instance.corp.id
  bandwidth_package_id = alicloud_cen_bandwidth_package.plan.id
}

resource "alicloud_cen_transit_router" "hz" {
  provider = alicloud.hz
  cen_id   = alicloud_cen_bandwidth_package_attachment.corp.instance_id
}

resource "alicloud_cen_transit_router" "peer" {
  provider = alicloud.peer
  cen_id   = alicloud_cen_transit_router.hz.cen_id
}

resource "alicloud_cen_transit_router_peer_attachment" "hz_peer" {
  provider                       = alicloud.hz
  cen_id                         = alicloud_cen_instance.corp.id
  transit_router_id              = alicloud_cen_transit_router.hz.transit_router_id
  peer_transit_router_region_id  = %(peer_region)s
  peer_transit_router_id         = alicloud_cen_transit_router.peer.transit_router_id
  cen_bandwidth_package_id       = alicloud_cen_bandwidth_package_attachment.corp.bandwidth_package_id
  bandwidth                      = 5
  transit_router_attachment_name = "hz-peer"
}
"""

# Two transit routers of one CEN in two regions, no inter-region connection: not connected.
TR_ONLY = ALI_PROVIDERS + """
resource "alicloud_cen_instance" "corp" {
  provider          = alicloud.hz
  cen_instance_name = "corp-backbone"
}

resource "alicloud_cen_transit_router" "hz" {
  provider            = alicloud.hz
  cen_id              = alicloud_cen_instance.corp.id
  transit_router_name = "hz"
}

resource "alicloud_cen_transit_router" "peer" {
  provider            = alicloud.peer
  cen_id              = alicloud_cen_instance.corp.id
  transit_router_name = "peer"
}
"""

BASIC_HEAD = """\
provider "alicloud" {
  region = "cn-shanghai"
}

resource "alicloud_cen_instance" "corp" {
  cen_instance_name = "corp"
}
"""

PLAN = """
resource "alicloud_cen_bandwidth_package" "%(name)s" {
  bandwidth              = 20
  geographic_region_a_id = "China"
  geographic_region_b_id = "%(area)s"
}

resource "alicloud_cen_bandwidth_package_attachment" "%(name)s" {
  instance_id          = alicloud_cen_instance.corp.id
  bandwidth_package_id = alicloud_cen_bandwidth_package.%(name)s.id
}
"""

ATTACH = """
resource "alicloud_cen_instance_attachment" "%(name)s" {
  instance_id              = alicloud_cen_instance.corp.id
  child_instance_id        = "vpc-%(name)s0example"
  child_instance_type      = "VPC"
  child_instance_region_id = "%(region)s"
}
"""

LIMIT = """
resource "alicloud_cen_bandwidth_limit" "%(name)s" {
  instance_id     = alicloud_cen_instance.corp.id
  region_ids      = ["%(r1)s", "%(r2)s"]
  bandwidth_limit = 4
}
"""


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args, "--no-config", "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, env=env)


def scan_json(tmp_path: Path, text: str) -> dict:
    (tmp_path / "main.tf").write_text(textwrap.dedent(text), encoding="utf-8")
    proc = xborder(tmp_path, "scan", ".", "-f", "json")
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    assert not doc["errors"], doc["errors"]
    return doc


def line_of(tmp_path: Path, needle: str) -> int:
    lines = (tmp_path / "main.tf").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def rules(doc: dict) -> list[tuple[str, str]]:
    return sorted((f["rule_id"], f["resource"]) for f in doc["findings"])


def test_transit_router_link_is_one_finding_at_the_peer_attachment(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, TR_LINK % {"peer": "eu-central-1", "peer_region": '"eu-central-1"', "area": "Europe"})
    assert rules(doc) == [("XB202", "alicloud_cen_transit_router_peer_attachment.hz_peer")]
    (f,) = doc["findings"]
    assert f["start_line"] == line_of(tmp_path, '"alicloud_cen_transit_router_peer_attachment" "hz_peer"')
    related = {(r["start_line"], r["label"]) for r in f["related"]}
    for needle, label in [
        ('"alicloud_cen_transit_router" "hz"', "CEN transit router alicloud_cen_transit_router.hz"),
        ('"alicloud_cen_transit_router" "peer"', "peer CEN transit router alicloud_cen_transit_router.peer"),
        ('"alicloud_cen_instance" "corp"', "CEN instance alicloud_cen_instance.corp"),
        ('"alicloud_cen_bandwidth_package" "plan"', "CEN bandwidth plan alicloud_cen_bandwidth_package.plan"),
    ]:
        assert (line_of(tmp_path, needle), label) in related, f["related"]
    assert any("alicloud_cen_bandwidth_package.plan is part of this link" in e for e in f["evidence"])

    text = xborder(tmp_path, "scan", ".")
    assert text.returncode == 1 and text.stdout.count(" XB202 ") == 1
    plan_line = line_of(tmp_path, '"alicloud_cen_bandwidth_package" "plan"')
    assert f"see main.tf:{plan_line} (CEN bandwidth plan alicloud_cen_bandwidth_package.plan)" in text.stdout

    sarif = json.loads(xborder(tmp_path, "scan", ".", "-f", "sarif").stdout)
    assert_valid_sarif(sarif)
    (result,) = sarif["runs"][0]["results"]
    rel_lines = {r["physicalLocation"]["region"]["startLine"] for r in result["relatedLocations"]}
    assert plan_line in rel_lines and line_of(tmp_path, '"alicloud_cen_transit_router" "peer"') in rel_lines

    inv = json.loads(xborder(tmp_path, "inventory", ".", "--format", "json").stdout)
    assert [row["address"] for row in inv["links"]] == ["alicloud_cen_transit_router_peer_attachment.hz_peer"]


@pytest.mark.parametrize("peer", ["eu-central-1", "cn-hongkong"])
def test_transit_routers_without_an_inter_region_connection_are_no_link(tmp_path: Path, peer: str) -> None:
    doc = scan_json(tmp_path, TR_ONLY % {"peer": peer})
    assert doc["findings"] == []
    inv = json.loads(xborder(tmp_path, "inventory", ".", "--format", "json").stdout)
    assert inv["links"] == []


def test_hong_kong_transit_router_is_offshore(tmp_path: Path) -> None:
    """cn-hongkong is outside mainland China although its code starts with cn-."""
    doc = scan_json(tmp_path, TR_LINK % {"peer": "cn-hongkong", "peer_region": '"cn-hongkong"', "area": "Asia-Pacific"})
    assert rules(doc) == [("XB202", "alicloud_cen_transit_router_peer_attachment.hz_peer")]


def test_mainland_transit_router_link_is_clean(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, TR_LINK % {"peer": "cn-beijing", "peer_region": '"cn-beijing"', "area": "China"})
    assert doc["findings"] == []
    inv = json.loads(xborder(tmp_path, "inventory", ".", "--format", "json").stdout)
    assert [row["address"] for row in inv["links"]] == ["alicloud_cen_transit_router_peer_attachment.hz_peer"]


def test_unknown_peer_region_keeps_the_bandwidth_plan_judged(tmp_path: Path) -> None:
    """The connection's far end cannot be placed: the plan's areas are the only place the configuration
    states, so the plan keeps its own finding and the connection is unknown."""
    text = 'variable "peer_region" {\n  type = string\n}\n\n' + TR_LINK % {
        "peer": "eu-central-1", "peer_region": "var.peer_region", "area": "Europe"}
    doc = scan_json(tmp_path, text)
    assert rules(doc) == [("XB202", "alicloud_cen_bandwidth_package.plan"),
                          ("XB203", "alicloud_cen_transit_router_peer_attachment.hz_peer")]


def test_basic_edition_bandwidth_limit_is_the_link(tmp_path: Path) -> None:
    text = (BASIC_HEAD + PLAN % {"name": "eu", "area": "Europe"} + ATTACH % {"name": "sh", "region": "cn-shanghai"}
            + ATTACH % {"name": "fra", "region": "eu-central-1"} + LIMIT % {"name": "sh_fra", "r1": "cn-shanghai", "r2": "eu-central-1"})
    doc = scan_json(tmp_path, text)
    assert rules(doc) == [("XB202", "alicloud_cen_bandwidth_limit.sh_fra")]
    labels = {r["label"] for r in doc["findings"][0]["related"]}
    assert {"CEN attachment alicloud_cen_instance_attachment.sh", "CEN attachment alicloud_cen_instance_attachment.fra",
            "CEN bandwidth plan alicloud_cen_bandwidth_package.eu", "CEN instance alicloud_cen_instance.corp"} <= labels
    inv = json.loads(xborder(tmp_path, "inventory", ".", "--format", "json").stdout)
    assert [row["address"] for row in inv["links"]] == ["alicloud_cen_bandwidth_limit.sh_fra"]


def test_basic_edition_attachments_without_bandwidth_limit_are_a_link(tmp_path: Path) -> None:
    """Basic Edition: attached instances in two regions reach each other over the testing bandwidth."""
    text = BASIC_HEAD + ATTACH % {"name": "sh", "region": "cn-shanghai"} + ATTACH % {"name": "hk", "region": "cn-hongkong"}
    doc = scan_json(tmp_path, text)
    assert rules(doc) == [("XB202", "alicloud_cen_instance_attachment.hk")]


def test_basic_edition_pair_without_bandwidth_limit_is_still_reported(tmp_path: Path) -> None:
    """A bandwidth limit covers its own pair of regions only; another crossing pair of attachments stays a link."""
    text = (BASIC_HEAD + ATTACH % {"name": "sh", "region": "cn-shanghai"} + ATTACH % {"name": "hk", "region": "cn-hongkong"}
            + ATTACH % {"name": "fra", "region": "eu-central-1"} + LIMIT % {"name": "sh_hk", "r1": "cn-shanghai", "r2": "cn-hongkong"})
    doc = scan_json(tmp_path, text)
    assert rules(doc) == [("XB202", "alicloud_cen_bandwidth_limit.sh_hk"), ("XB202", "alicloud_cen_instance_attachment.fra")]


def test_several_bandwidth_plans_are_each_judged(tmp_path: Path) -> None:
    """Which plan a Basic Edition connection draws from depends on the plans' areas: with two, neither is folded."""
    text = (BASIC_HEAD + PLAN % {"name": "eu", "area": "Europe"} + PLAN % {"name": "apac", "area": "Asia-Pacific"}
            + LIMIT % {"name": "sh_fra", "r1": "cn-shanghai", "r2": "eu-central-1"})
    doc = scan_json(tmp_path, text)
    assert rules(doc) == [("XB202", "alicloud_cen_bandwidth_limit.sh_fra"), ("XB202", "alicloud_cen_bandwidth_package.apac"),
                          ("XB202", "alicloud_cen_bandwidth_package.eu")]


def test_bandwidth_plan_without_a_connection_is_still_judged(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, BASIC_HEAD + PLAN % {"name": "eu", "area": "Europe"})
    assert rules(doc) == [("XB202", "alicloud_cen_bandwidth_package.eu")]


AWS_TGW = """\
provider "aws" {
  region = "ap-east-1"
}

provider "aws" {
  alias  = "cn"
  region = "cn-north-1"
}

resource "aws_ec2_transit_gateway" "hk" {
  description = "hong kong hub"
}

resource "aws_ec2_transit_gateway" "bj" {
  provider    = aws.cn
  description = "beijing hub"
}

resource "aws_ec2_transit_gateway_peering_attachment" "hk_bj" {
  peer_account_id         = "123456789012"
  peer_region             = "cn-north-1"
  peer_transit_gateway_id = aws_ec2_transit_gateway.bj.id
  transit_gateway_id      = aws_ec2_transit_gateway.hk.id
}

resource "aws_ec2_transit_gateway_peering_attachment_accepter" "bj" {
  provider                      = aws.cn
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.hk_bj.id
}
"""


def test_aws_transit_gateway_peering_and_accepter_are_one_link(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, AWS_TGW)
    assert rules(doc) == [("XB202", "aws_ec2_transit_gateway_peering_attachment.hk_bj")]
    labels = {r["label"] for r in doc["findings"][0]["related"]}
    assert "peering accepter aws_ec2_transit_gateway_peering_attachment_accepter.bj" in labels


HUAWEI_CC = """\
provider "huaweicloud" {
  region = "cn-north-4"
}

resource "huaweicloud_cc_connection" "corp" {
  name = "corp"
}

resource "huaweicloud_cc_network_instance" "bj" {
  type                = "vpc"
  cloud_connection_id = huaweicloud_cc_connection.corp.id
  instance_id         = "0d6d1e2a-5d7c-4b0e-9f43-2b1a8c3e4f50"
  project_id          = "0b4e5c6d7e8f40a1b2c3d4e5f6a7b8c9"
  region_id           = "cn-north-4"
}

resource "huaweicloud_cc_network_instance" "sg" {
  type                = "vpc"
  cloud_connection_id = huaweicloud_cc_connection.corp.id
  instance_id         = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
  project_id          = "1c2d3e4f5a6b47c8d9e0f1a2b3c4d5e6"
  region_id           = "ap-southeast-3"
}

resource "huaweicloud_cc_bandwidth_package" "cm_ap" {
  name           = "cm-ap"
  local_area_id  = "Chinese-Mainland"
  remote_area_id = "Asia-Pacific"
  charge_mode    = "bandwidth"
  billing_mode   = 3
  bandwidth      = 5
  resource_id    = huaweicloud_cc_connection.corp.id
  resource_type  = "cloud_connection"
}

resource "huaweicloud_cc_inter_region_bandwidth" "bj_sg" {
  cloud_connection_id  = huaweicloud_cc_connection.corp.id
  bandwidth_package_id = huaweicloud_cc_bandwidth_package.cm_ap.id
  bandwidth            = 5
  inter_region_ids     = ["cn-north-4", "ap-southeast-3"]
}
"""


def test_huawei_cloud_connect_inter_region_bandwidth_is_one_link(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, HUAWEI_CC)
    assert rules(doc) == [("XB202", "huaweicloud_cc_inter_region_bandwidth.bj_sg")]
    labels = {r["label"] for r in doc["findings"][0]["related"]}
    assert {"Cloud Connect bandwidth package huaweicloud_cc_bandwidth_package.cm_ap",
            "Cloud Connect network instance huaweicloud_cc_network_instance.bj",
            "Cloud Connect network instance huaweicloud_cc_network_instance.sg"} <= labels


TENCENT_CCN = """\
provider "tencentcloud" {
  region = "ap-shanghai"
}

resource "tencentcloud_ccn" "corp" {
  name                 = "corp"
  qos                  = "AG"
  charge_type          = "POSTPAID"
  bandwidth_limit_type = "INTER_REGION_LIMIT"
}

resource "tencentcloud_ccn_attachment" "sh" {
  ccn_id          = tencentcloud_ccn.corp.id
  instance_type   = "VPC"
  instance_id     = "vpc-sh1example"
  instance_region = "ap-shanghai"
}

resource "tencentcloud_ccn_attachment" "hk" {
  ccn_id          = tencentcloud_ccn.corp.id
  instance_type   = "VPC"
  instance_id     = "vpc-hk1example"
  instance_region = "ap-hongkong"
}

resource "tencentcloud_ccn_bandwidth_limit" "sh_hk" {
  ccn_id          = tencentcloud_ccn.corp.id
  region          = "ap-shanghai"
  dst_region      = "ap-hongkong"
  bandwidth_limit = 100
}
"""


def test_tencent_ccn_bandwidth_limit_is_the_link_of_its_regions(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, TENCENT_CCN)
    assert rules(doc) == [("XB202", "tencentcloud_ccn_bandwidth_limit.sh_hk")]
    labels = {r["label"] for r in doc["findings"][0]["related"]}
    assert {"CCN attachment tencentcloud_ccn_attachment.sh", "CCN attachment tencentcloud_ccn_attachment.hk"} <= labels


VOLCENGINE_CEN = """\
provider "volcengine" {
  region = "cn-beijing"
}

resource "volcengine_cen" "corp" {
  cen_name     = "corp"
  project_name = "default"
}

resource "volcengine_cen_bandwidth_package" "china_asia" {
  local_geographic_region_set_id = "China"
  peer_geographic_region_set_id  = "Asia"
  bandwidth                      = 5
  cen_bandwidth_package_name     = "china-asia"
  billing_type                   = "PrePaid"
  period_unit                    = "Month"
  period                         = 1
  line_operator                  = "%(operator)s"
}

resource "volcengine_cen_bandwidth_package_associate" "corp" {
  cen_bandwidth_package_id = volcengine_cen_bandwidth_package.china_asia.id
  cen_id                   = volcengine_cen.corp.id
}

resource "volcengine_cen_inter_region_bandwidth" "bj_hk" {
  cen_id          = volcengine_cen.corp.id
  local_region_id = "cn-beijing"
  peer_region_id  = "%(peer)s"
  bandwidth       = 2
  depends_on      = [volcengine_cen_bandwidth_package_associate.corp]
}
"""


def test_volcengine_inter_region_bandwidth_carries_its_bandwidth_package(tmp_path: Path) -> None:
    doc = scan_json(tmp_path, VOLCENGINE_CEN % {"peer": "cn-hongkong", "operator": "ChinaUnicom"})
    assert [r for r, _ in rules(doc) if r.startswith("XB2")] == ["XB202"], rules(doc)
    (f,) = [f for f in doc["findings"] if f["rule_id"] == "XB202"]
    assert f["resource"] == "volcengine_cen_inter_region_bandwidth.bj_hk"
    assert "CEN bandwidth package volcengine_cen_bandwidth_package.china_asia" in {r["label"] for r in f["related"]}


def test_volcengine_mainland_connection_keeps_a_cross_border_package_judged(tmp_path: Path) -> None:
    """The connection is Beijing <-> Shanghai, the package is China <-> Asia: nothing crossing is hidden."""
    doc = scan_json(tmp_path, VOLCENGINE_CEN % {"peer": "cn-shanghai", "operator": "ChinaUnicom"})
    assert [(r, a) for r, a in rules(doc) if r.startswith("XB2")] == [("XB202", "volcengine_cen_bandwidth_package.china_asia")]


def test_suppression_belongs_on_the_creating_resource(tmp_path: Path) -> None:
    """One suppression on the peer attachment covers the link; one left on the absorbed plan is stale (XB001)."""
    text = TR_LINK % {"peer": "eu-central-1", "peer_region": '"eu-central-1"', "area": "Europe"}
    on_link = text.replace('resource "alicloud_cen_transit_router_peer_attachment"',
                           '# xborder:ignore XB202 reason="approved CU-2026-118"\nresource "alicloud_cen_transit_router_peer_attachment"')
    doc = scan_json(tmp_path, on_link)
    assert [(f["rule_id"], f["suppressed"]) for f in doc["findings"]] == [("XB202", True)]
    on_plan = text.replace('resource "alicloud_cen_bandwidth_package" "plan"',
                           '# xborder:ignore XB202 reason="approved CU-2026-118"\nresource "alicloud_cen_bandwidth_package" "plan"')
    doc = scan_json(tmp_path, on_plan)
    assert sorted((f["rule_id"], f["suppressed"]) for f in doc["findings"]) == [("XB001", False), ("XB202", False)]
    stale = next(f for f in doc["findings"] if f["rule_id"] == "XB001")
    link_line = line_of(tmp_path, '"alicloud_cen_transit_router_peer_attachment" "hz_peer"')
    assert f"part of the link reported at main.tf:{link_line} (alicloud_cen_transit_router_peer_attachment.hz_peer)" in stale["message"]


# --------------------------------------------------------------------------- the same link in a Terraform plan
# `terraform show -json` shape: a reference to another resource's argument (`...attachment.corp.bandwidth_package_id`)
# is a reference to that resource, whose own argument refers to the bandwidth plan.
def _res(addr: str, values: dict, unknown: dict, exprs: dict, provider_key: str) -> tuple:
    rtype, name = addr.split(".")
    return addr, rtype, name, values, unknown, exprs, provider_key


PLAN_RESOURCES = [
    _res("alicloud_cen_instance.corp", {"cen_instance_name": "corp-backbone"}, {"id": True}, {"cen_instance_name": {"constant_value": "corp-backbone"}}, "alicloud.hz"),
    _res("alicloud_cen_bandwidth_package.plan", {"bandwidth": 10, "geographic_region_a_id": "China", "geographic_region_b_id": "Europe"}, {"id": True},
        {"bandwidth": {"constant_value": 10}, "geographic_region_a_id": {"constant_value": "China"}, "geographic_region_b_id": {"constant_value": "Europe"}}, "alicloud.hz"),
    _res("alicloud_cen_bandwidth_package_attachment.corp", {}, {"id": True, "instance_id": True, "bandwidth_package_id": True},
        {"instance_id": {"references": ["alicloud_cen_instance.corp.id", "alicloud_cen_instance.corp"]},
         "bandwidth_package_id": {"references": ["alicloud_cen_bandwidth_package.plan.id", "alicloud_cen_bandwidth_package.plan"]}}, "alicloud.hz"),
    _res("alicloud_cen_transit_router.hz", {}, {"id": True, "cen_id": True, "transit_router_id": True},
        {"cen_id": {"references": ["alicloud_cen_bandwidth_package_attachment.corp.instance_id", "alicloud_cen_bandwidth_package_attachment.corp"]}}, "alicloud.hz"),
    _res("alicloud_cen_transit_router.fra", {}, {"id": True, "cen_id": True, "transit_router_id": True},
        {"cen_id": {"references": ["alicloud_cen_transit_router.hz.cen_id", "alicloud_cen_transit_router.hz"]}}, "alicloud.fra"),
    _res("alicloud_cen_transit_router_peer_attachment.hz_fra", {"peer_transit_router_region_id": "eu-central-1", "bandwidth": 5},
        {"id": True, "cen_id": True, "transit_router_id": True, "peer_transit_router_id": True, "cen_bandwidth_package_id": True},
        {"cen_id": {"references": ["alicloud_cen_instance.corp.id", "alicloud_cen_instance.corp"]},
         "transit_router_id": {"references": ["alicloud_cen_transit_router.hz.transit_router_id", "alicloud_cen_transit_router.hz"]},
         "peer_transit_router_id": {"references": ["alicloud_cen_transit_router.fra.transit_router_id", "alicloud_cen_transit_router.fra"]},
         "peer_transit_router_region_id": {"constant_value": "eu-central-1"},
         "cen_bandwidth_package_id": {"references": ["alicloud_cen_bandwidth_package_attachment.corp.bandwidth_package_id", "alicloud_cen_bandwidth_package_attachment.corp"]},
         "bandwidth": {"constant_value": 5}}, "alicloud.hz"),
]

ALI_PROVIDER = "registry.terraform.io/aliyun/alicloud"


def tr_plan() -> dict:
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": [
            {"address": a, "mode": "managed", "type": t, "name": n, "provider_name": ALI_PROVIDER, "schema_version": 0,
             "values": v, "sensitive_values": {}} for a, t, n, v, u, e, p in PLAN_RESOURCES]}},
        "resource_changes": [
            {"address": a, "mode": "managed", "type": t, "name": n, "provider_name": ALI_PROVIDER,
             "change": {"actions": ["create"], "before": None, "after": v, "after_unknown": u,
                        "before_sensitive": False, "after_sensitive": {}}} for a, t, n, v, u, e, p in PLAN_RESOURCES],
        "configuration": {
            "provider_config": {
                "alicloud.hz": {"name": "alicloud", "full_name": ALI_PROVIDER, "alias": "hz", "expressions": {"region": {"constant_value": "cn-hangzhou"}}},
                "alicloud.fra": {"name": "alicloud", "full_name": ALI_PROVIDER, "alias": "fra", "expressions": {"region": {"constant_value": "eu-central-1"}}},
            },
            "root_module": {"resources": [
                {"address": a, "mode": "managed", "type": t, "name": n, "provider_config_key": p, "expressions": e, "schema_version": 0}
                for a, t, n, v, u, e, p in PLAN_RESOURCES]},
        },
    }




def test_plan_transit_router_link_is_one_finding(tmp_path: Path) -> None:
    (tmp_path / "tfplan.json").write_text(json.dumps(tr_plan(), indent=2), encoding="utf-8")
    doc = json.loads(xborder(tmp_path, "scan", "tfplan.json", "-f", "json").stdout)
    assert rules(doc) == [("XB202", "alicloud_cen_transit_router_peer_attachment.hz_fra")], rules(doc)
    labels = {r["label"] for r in doc["findings"][0]["related"]}
    assert "CEN bandwidth plan alicloud_cen_bandwidth_package.plan" in labels
    inv = json.loads(xborder(tmp_path, "inventory", "tfplan.json", "--format", "json").stdout)
    assert [row["address"] for row in inv["links"]] == ["alicloud_cen_transit_router_peer_attachment.hz_fra"]
