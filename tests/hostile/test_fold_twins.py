"""A link made of several resources keeps the other deployments of the resources folded into it.

Before: a CEN bandwidth limit (Shanghai - Singapore) draws from a bandwidth plan whose area B is a variable
(Asia-Pacific by default, Europe allowed by its validation). The Europe world of the plan has the same verdict and
other ends, so it was kept as a twin of the plan's link (links/worlds.py); then the plan's link was folded into the
limit's (links/fold.py) and its twin dropped with it: the limit's finding named no Europe deployment, and an
approval pinned to the limit's fingerprint covered a Europe plan nobody approved. Likewise an AWS peering accepter
whose provider region is a variable. Now the absorbed link's twins become twins of the creating link: the finding
names them (with the absorbed resource's address and its own fingerprint), and a pinned approval must name them.
CloudFormation declares no absorbed resources (policies/links/cloudformation.yaml), so this is Terraform's case.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import scan_json, xborder

CEN = """\
provider "alicloud" {{
  region = "cn-shanghai"
}}

variable "area" {{
  type    = string
  default = "Asia-Pacific"
  validation {{
    condition     = contains([{allowed}], var.area)
    error_message = "not an allowed area"
  }}
}}

resource "alicloud_cen_instance" "corp" {{
  cen_instance_name = "corp"
}}

resource "alicloud_cen_bandwidth_package" "plan" {{
  bandwidth              = 20
  geographic_region_a_id = "China"
  geographic_region_b_id = {area}
}}

resource "alicloud_cen_bandwidth_package_attachment" "plan" {{
  instance_id          = alicloud_cen_instance.corp.id
  bandwidth_package_id = alicloud_cen_bandwidth_package.plan.id
}}

resource "alicloud_cen_bandwidth_limit" "sh_sg" {{
  instance_id     = alicloud_cen_instance.corp.id
  region_ids      = ["cn-shanghai", "ap-southeast-1"]
  bandwidth_limit = 4
}}
"""

PEERING = """\
provider "aws" {{
  region = "cn-north-1"
}}

provider "aws" {{
  alias  = "peer"
  region = var.peer_region
}}

variable "peer_region" {{
  type    = string
  default = "ap-east-1"
  validation {{
    condition     = contains([{allowed}], var.peer_region)
    error_message = "not an allowed region"
  }}
}}

resource "aws_vpc_peering_connection" "bj_hk" {{
  vpc_id        = "vpc-11111111"
  peer_vpc_id   = "vpc-22222222"
  peer_owner_id = "123456789012"
  peer_region   = "ap-east-1"
}}

resource "aws_vpc_peering_connection_accepter" "hk" {{
  provider                  = aws.peer
  vpc_peering_connection_id = aws_vpc_peering_connection.bj_hk.id
  auto_accept               = true
}}
"""

LIMIT = "alicloud_cen_bandwidth_limit.sh_sg"
PLAN = "alicloud_cen_bandwidth_package.plan"


def _write(tmp_path: Path, tf: str, approvals: str = "") -> None:
    (tmp_path / "net").mkdir(exist_ok=True)
    (tmp_path / "net" / "main.tf").write_text(tf)
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{approvals}" if approvals else "sites: []\n")


def _cen(allowed: list[str], area: str = "var.area") -> str:
    return CEN.format(allowed=", ".join(f'"{v}"' for v in allowed), area=area)


def _peering(allowed: list[str]) -> str:
    return PEERING.format(allowed=", ".join(f'"{v}"' for v in allowed))


def _pinned(*fingerprints: str) -> str:
    return f"  - fingerprint: {', '.join(fingerprints)}\n    reason: approved cross-border plan\n    reference: CT-9\n"


def _only(run, resource: str) -> dict:  # noqa: ANN001
    assert run.doc["errors"] == [], run.doc["errors"]
    assert [(f["rule_id"], f["resource"]) for f in run.doc["findings"]] == [("XB202", resource)], run.doc["findings"]
    return run.doc["findings"][0]


def _scan(tmp_path: Path):  # noqa: ANN202
    return scan_json("net", "--no-cache", cwd=tmp_path)


def test_the_absorbed_plan_s_other_area_is_a_twin_of_the_limit_finding(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    assert "also with variable area = Europe" in f["message"], f["message"]
    (twin,) = f["twins"]
    assert twin["world"] == {"kind": "variable", "name": "area", "values": ["Europe"], "default": "Asia-Pacific"}, twin
    assert twin["fingerprint"] != f["fingerprint"] and len(twin["fingerprint"]) == 32
    (end,) = twin["ends"]  # only the end that differs from the plan's (area A is China in both)
    assert end.startswith(f"{PLAN}: area B: offshore") and "Europe" in end, end
    assert any(e.startswith("also with variable area = Europe") and twin["fingerprint"] in e for e in f["evidence"])
    text = xborder("scan", "net", "--no-cache", cwd=tmp_path).out
    assert "also with variable area = Europe" in text and twin["fingerprint"] in text, text


def test_a_pin_of_the_limit_alone_does_not_cover_the_europe_plan(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    twin = f["twins"][0]["fingerprint"]
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(f["fingerprint"]))
    run = _scan(tmp_path)
    assert run.rc == 1
    g = _only(run, LIMIT)
    assert g["suppressed"] is False
    (why,) = [e for e in g["evidence"] if e.startswith("not covered by approval CT-9")]
    assert "area = Europe" in why and f"fingerprint: {f['fingerprint']}, {twin}" in why, why

    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]), _pinned(f["fingerprint"], twin))
    run = _scan(tmp_path)
    assert run.rc == 0 and _only(run, LIMIT)["suppressed"] is True, run.doc


def test_a_fixed_plan_or_another_verdict_makes_no_twin_and_the_pin_still_covers(tmp_path: Path) -> None:
    """Negative twins: a plan whose area is written out has one deployment; a plan area that would not cross
    (China - China) is another verdict, judged as its own world, not a twin of the crossing limit."""
    for tf in (_cen(["Asia-Pacific", "Europe"], area='"Asia-Pacific"'), _cen(["Asia-Pacific", "China"])):
        _write(tmp_path, tf)
        f = _only(_scan(tmp_path), LIMIT)
        assert "twins" not in f and "also with" not in f["message"], f
        _write(tmp_path, tf, _pinned(f["fingerprint"]))
        run = _scan(tmp_path)
        assert run.rc == 0 and _only(run, LIMIT)["suppressed"] is True, run.doc


def test_the_default_fingerprint_does_not_move(tmp_path: Path) -> None:
    """The twin adds a fingerprint; the finding's own (the limit's ends) is the one it had without the variable."""
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"], area='"Asia-Pacific"'))
    before = _only(_scan(tmp_path), LIMIT)["fingerprint"]
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    assert _only(_scan(tmp_path), LIMIT)["fingerprint"] == before


def test_an_accepter_in_another_allowed_region_is_a_twin_of_the_peering(tmp_path: Path) -> None:
    _write(tmp_path, _peering(["ap-east-1", "ap-southeast-1"]))
    f = _only(_scan(tmp_path), "aws_vpc_peering_connection.bj_hk")
    (twin,) = f["twins"]
    assert twin["world"]["values"] == ["ap-southeast-1"], twin
    (end,) = twin["ends"]
    assert end.startswith("aws_vpc_peering_connection_accepter.hk: accepter VPC: offshore, region ap-southeast-1"), end
    _write(tmp_path, _peering(["ap-east-1", "ap-southeast-1"]), _pinned(f["fingerprint"]))
    assert _scan(tmp_path).rc == 1
    _write(tmp_path, _peering(["ap-east-1", "ap-southeast-1"]), _pinned(f["fingerprint"], twin["fingerprint"]))
    assert _scan(tmp_path).rc == 0


def test_the_inventory_row_names_the_absorbed_twin(tmp_path: Path) -> None:
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))
    f = _only(_scan(tmp_path), LIMIT)
    twin = f["twins"][0]["fingerprint"]
    inv = json.loads(xborder("inventory", "net", "--no-cache", "--format", "json", cwd=tmp_path).out)
    (row,) = [r for r in inv["links"] if "twin_of" not in r]
    assert row["address"] == LIMIT
    assert any(n.startswith("also with variable area = Europe") and PLAN in n and twin in n for n in row["notes"]), row
    (twin_row,) = [r for r in inv["links"] if r.get("twin_of") == row["id"]]  # the Europe plan's own row
    assert twin_row["id"] == twin and any("Europe" in e["place"] for e in twin_row["ends"]), twin_row


def _cen_with_limit(europe_regions: str) -> str:
    """The limit's regions depend on the plan's area too: `europe_regions` in the Europe world."""
    return _cen(["Asia-Pacific", "Europe"]).replace(
        'region_ids      = ["cn-shanghai", "ap-southeast-1"]',
        f'region_ids      = var.area == "Europe" ? {europe_regions} : ["cn-shanghai", "ap-southeast-1"]')


def _as_default(tf: str) -> str:
    return tf.replace('default = "Asia-Pacific"', 'default = "Europe"')


def test_a_world_where_the_limit_does_not_cross_judges_the_plan_there_not_as_a_twin(tmp_path: Path) -> None:
    """Before: the Europe plan (China - Europe) was a twin of the defaults' limit finding although the Europe
    world's limit (Shanghai - Beijing) does not cross: a deployment that does not exist. Now the Europe world is
    stated once, with its verdict: the plan crosses where its limit does not, so it is judged on its own there,
    with the fingerprint it has when Europe is the default."""
    tf = _cen_with_limit('["cn-shanghai", "cn-beijing"]')
    _write(tmp_path, tf)
    run = _scan(tmp_path)
    assert run.doc["errors"] == []
    found = {f["resource"]: f for f in run.doc["findings"]}
    assert sorted(found) == sorted([PLAN, LIMIT]), run.doc["findings"]
    assert "twins" not in found[LIMIT] and "also with" not in found[LIMIT]["message"], found[LIMIT]
    plan = found[PLAN]
    assert plan["world"]["values"] == ["Europe"] and "judged as part of " + LIMIT in plan["message"], plan
    assert any("does not cross the border there" in e for e in plan["evidence"]), plan["evidence"]
    _write(tmp_path, _as_default(tf))
    (europe,) = [f for f in _scan(tmp_path).doc["findings"] if f["resource"] == PLAN]
    assert europe["fingerprint"] == plan["fingerprint"]


def test_a_world_where_the_limit_crosses_with_another_verdict_reports_the_plan_with_it(tmp_path: Path) -> None:
    """The Europe world's limit crosses the other way (Frankfurt - Shanghai: another verdict, its own finding).
    Before: that finding did not include the Europe plan (its fingerprint was not the one it has when Europe is the
    default), and the Europe plan was also a twin of the defaults' finding. Now the world's finding reports it."""
    tf = _cen_with_limit('["eu-central-1", "cn-shanghai"]')
    _write(tmp_path, tf)
    run = _scan(tmp_path)
    found = [f for f in run.doc["findings"] if f["resource"] == LIMIT]
    assert len(found) == 2 and [f["resource"] for f in run.doc["findings"]] == [LIMIT, LIMIT], run.doc["findings"]
    assert not any("twins" in f for f in found), found
    (world,) = [f for f in found if f.get("world")]
    assert any(PLAN in e and "reported here" in e for e in world["evidence"]), world["evidence"]
    _write(tmp_path, _as_default(tf))
    europe = [f for f in _scan(tmp_path).doc["findings"] if not f.get("world")]
    assert [f["fingerprint"] for f in europe] == [world["fingerprint"]], (europe, world)


def test_the_limit_s_own_twin_and_the_plan_s_twin_of_one_world_are_one_twin(tmp_path: Path) -> None:
    """The Europe world's limit is Shanghai - Frankfurt (the same verdict, other ends: a twin) and its plan China -
    Europe. Before: two twin lines for Europe, one with the fingerprint of a deployment that does not exist (the
    default limit with the Europe plan). Now one twin naming both ends, with the Europe deployment's fingerprint."""
    tf = _cen_with_limit('["cn-shanghai", "eu-central-1"]')
    _write(tmp_path, tf)
    f = _only(_scan(tmp_path), LIMIT)
    (twin,) = f["twins"]
    assert [e.split(":")[0] for e in twin["ends"]] == ["region 2", PLAN], twin["ends"]
    assert sum(e.startswith("also with variable area = Europe") for e in f["evidence"]) == 1, f["evidence"]
    _write(tmp_path, _as_default(tf))
    g = _only(_scan(tmp_path), LIMIT)
    assert g["fingerprint"] == twin["fingerprint"] and [t["fingerprint"] for t in g["twins"]] == [f["fingerprint"]], g
    _write(tmp_path, tf, _pinned(f["fingerprint"], twin["fingerprint"]))
    assert _scan(tmp_path).rc == 0


def test_a_pin_of_the_former_second_twin_of_one_world_is_told_what_to_pin_now(tmp_path: Path) -> None:
    """The second Europe twin the test above ends (the defaults' limit with the Europe plan) had a fingerprint of
    its own, which approvals written then pin: it is a former fingerprint now, migrated like any other (XB001
    naming the Europe deployment's fingerprint), and never asked for again."""
    _write(tmp_path, _cen(["Asia-Pacific", "Europe"]))  # the limit fixed: its Europe twin is that fingerprint
    (former,) = [t["fingerprint"] for t in _only(_scan(tmp_path), LIMIT)["twins"]]
    tf = _cen_with_limit('["cn-shanghai", "eu-central-1"]')
    _write(tmp_path, tf)
    f = _only(_scan(tmp_path), LIMIT)
    (twin,) = f["twins"]
    assert former not in (f["fingerprint"], twin["fingerprint"])
    _write(tmp_path, tf, _pinned(former))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    (meta,) = [x for x in run.doc["findings"] if x["rule_id"] == "XB001"]
    assert f"{former}, the former fingerprint of XB202 {LIMIT} (net/main.tf:29) with variable area = Europe" in meta["message"], meta
    assert f"pin `fingerprint: {twin['fingerprint']}`" in meta["message"], meta["message"]
    _write(tmp_path, tf, _pinned(f["fingerprint"], former))  # the defaults' and the former twin: not covered
    g = _only(_scan(tmp_path), LIMIT)
    (why,) = [e for e in g["evidence"] if e.startswith("not covered by approval CT-9")]
    assert why.endswith(f"`fingerprint: {f['fingerprint']}, {twin['fingerprint']}`"), why
    _write(tmp_path, tf, _pinned(f["fingerprint"], twin["fingerprint"], former))  # all three, as it said then: covers
    assert _scan(tmp_path).rc == 0


def _cen_split(default: str = "Asia-Pacific") -> str:
    """The limit's regions are Shanghai - Frankfurt for Europe and for North-America alike (one own twin of both
    values), the plan's area B differs from the default's in Europe only."""
    return (_cen(["Asia-Pacific", "Europe", "North-America"], area='var.area == "Europe" ? "Europe" : "Asia-Pacific"')
            .replace('region_ids      = ["cn-shanghai", "ap-southeast-1"]',
                     'region_ids      = var.area == "Asia-Pacific" ? ["cn-shanghai", "ap-southeast-1"] : '
                     '["cn-shanghai", "eu-central-1"]')
            .replace('default = "Asia-Pacific"', f'default = "{default}"'))


def test_a_part_twin_of_some_of_the_values_of_the_limit_s_own_twin_splits_it_per_value(tmp_path: Path) -> None:
    """Before: the limit's own twin (Europe or North-America: Frankfurt) and the plan's twin (Europe) were two twin
    lines naming Europe, one with the fingerprint of a deployment that does not exist (the defaults' limit with the
    Europe plan), and the own twin's one fingerprint read the Europe plan for North-America too. Now the own twin is
    split: Europe names both ends, North-America the limit's only, each with the fingerprint the finding has when
    that value becomes the default."""
    _write(tmp_path, _cen_split())
    f = _only(_scan(tmp_path), LIMIT)
    twins = {t["world"]["values"][0]: t for t in f["twins"]}
    assert [t["world"]["values"] for t in f["twins"]] == [["Europe"], ["North-America"]], f["twins"]
    assert [e.split(":")[0] for e in twins["Europe"]["ends"]] == ["region 2", PLAN], twins["Europe"]["ends"]
    assert [e.split(":")[0] for e in twins["North-America"]["ends"]] == ["region 2"], twins["North-America"]["ends"]
    assert sum(e.startswith("also with variable area = Europe") for e in f["evidence"]) == 1, f["evidence"]
    for value in ("Europe", "North-America"):
        _write(tmp_path, _cen_split(default=value))
        g = _only(_scan(tmp_path), LIMIT)
        assert g["fingerprint"] == twins[value]["fingerprint"], (value, g, twins)
        assert f["fingerprint"] in [t["fingerprint"] for t in g["twins"]], (value, g)
    _write(tmp_path, _cen_split(), _pinned(f["fingerprint"], *(t["fingerprint"] for t in f["twins"])))
    assert _scan(tmp_path).rc == 0


def test_a_part_twin_of_more_values_than_the_limit_s_own_twin_joins_it_for_the_common_ones(tmp_path: Path) -> None:
    """The other way round: the limit differs in Europe only, the plan (area B Europe) in Europe and North-America
    alike (one twin of both values). Before: a twin line for the plan's Europe and North-America (its fingerprint,
    the defaults' limit with the Europe plan, a deployment that does not exist in Europe) beside the limit's Europe
    twin. Now Europe is one twin naming both ends; North-America the plan's."""
    tf = (_cen(["Asia-Pacific", "Europe", "North-America"], area='var.area == "Asia-Pacific" ? "Asia-Pacific" : "Europe"')
          .replace('region_ids      = ["cn-shanghai", "ap-southeast-1"]',
                   'region_ids      = var.area == "Europe" ? ["cn-shanghai", "eu-central-1"] : ["cn-shanghai", "ap-southeast-1"]'))
    _write(tmp_path, tf)
    f = _only(_scan(tmp_path), LIMIT)
    assert [t["world"]["values"] for t in f["twins"]] == [["Europe"], ["North-America"]], f["twins"]
    ends = [[e.split(":")[0] for e in t["ends"]] for t in f["twins"]]
    assert ends == [["region 2", PLAN], [PLAN]], ends
    for t in f["twins"]:
        _write(tmp_path, tf.replace('default = "Asia-Pacific"', f'default = "{t["world"]["values"][0]}"'))
        assert _only(_scan(tmp_path), LIMIT)["fingerprint"] == t["fingerprint"], t
