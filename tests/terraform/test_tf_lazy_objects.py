"""An object-valued local or module output is read entry by entry (README "Terraform evaluation fidelity").

A link that reads `local.x.a` is judged from `a` alone: an error, the step budget or the depth limit in a
sibling `b` no longer makes it undeterminable. A link that reads `b` stays undeterminable, and so does one
that needs the whole object (a function taking it, a `for` over it, `for_each` over it), where any failing
entry still makes the whole value unknown. The same holds through a module output that is the object or
a reference to it. Every case is a CLI scan's JSON: rule id and the reason shown for the unknown end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# sibling entries that cannot be evaluated, one kind each
FAILING = {
    "error": 'upper("a", "b")',
    "budget": "length(flatten([for a in range(400) : [for b in range(400) : a]]))",
    "depth": "(" * 120 + '"x"' + ")" * 120,
}
WHY = {
    "error": "cannot be evaluated",
    "budget": "over the evaluation budget",
    "depth": "nested too deeply",
}


def _package(name: str, area_b: str, extra: str = "") -> str:
    return f"""
resource "alicloud_cen_bandwidth_package" "{name}" {{{extra}
  bandwidth              = 20
  geographic_region_a_id = "China"
  geographic_region_b_id = {area_b}
}}
"""


def _scan(root: Path, files: dict[str, str]) -> dict[str, tuple[str, str]]:
    """resource address -> (rule id, area B evidence) of a scan of `files`."""
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--format", "json", "--no-config", "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert out["errors"] == []
    return {f["resource"]: (f["rule_id"], next(e for e in f["evidence"] if e.startswith("area B")))
            for f in out["findings"]}


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_local_entries_are_read_one_by_one(tmp_path: Path, kind: str) -> None:
    main = f"""
locals {{
  geo = {{
    ok  = "Asia-Pacific"
    bad = {FAILING[kind]}
  }}
}}
""" + _package("reads_ok", "local.geo.ok") + _package("reads_ok_index", 'local.geo["ok"]') \
        + _package("reads_bad", "local.geo.bad") \
        + _package("whole_lookup", 'lookup(local.geo, "ok", "China")') \
        + _package("whole_for", '[for k, v in local.geo : v if k == "ok"][0]') \
        + _package("whole_for_each", "each.value", '\n  for_each = { for k, v in local.geo : k => v if k == "ok" }')
    got = _scan(tmp_path, {"main.tf": main})
    # positive: the entry read is concrete, whatever its sibling does
    for name in ("reads_ok", "reads_ok_index"):
        rule, area_b = got[f"alicloud_cen_bandwidth_package.{name}"]
        assert rule == "XB202" and "offshore, location Asia-Pacific" in area_b
    # negative: the failing entry itself stays undeterminable, with its own reason
    rule, area_b = got["alicloud_cen_bandwidth_package.reads_bad"]
    assert rule == "XB203" and WHY[kind] in area_b
    # trap: a whole-object use still fails as a whole
    for name in ("whole_lookup", "whole_for"):
        rule, area_b = got[f"alicloud_cen_bandwidth_package.{name}"]
        assert rule == "XB203" and WHY[kind] in area_b, (name, area_b)
    rule, area_b = got["alicloud_cen_bandwidth_package.whole_for_each"]
    assert rule == "XB203" and "for_each is unknown" in area_b


def test_module_output_entries_are_read_one_by_one(tmp_path: Path) -> None:
    child = f"""
locals {{
  geo = {{
    ok  = "Asia-Pacific"
    bad = {FAILING["error"]}
  }}
}}

output "by_reference" {{
  value = local.geo
}}

output "constructed" {{
  value = {{
    ok  = "Asia-Pacific"
    bad = {FAILING["budget"]}
  }}
}}
"""
    main = """
module "m" {
  source = "./m"
}

module "pass" {
  source = "./pass"
  geo    = module.m.by_reference
}
""" + _package("output_ok", "module.m.by_reference.ok") \
        + _package("constructed_ok", 'module.m.constructed["ok"]') \
        + _package("through_variable_ok", "module.pass.ok") \
        + _package("output_bad", "module.m.by_reference.bad") \
        + _package("constructed_bad", "module.m.constructed.bad") \
        + _package("whole_keys", 'keys(module.m.constructed) == ["bad", "ok"] ? "Asia-Pacific" : "China"') \
        + _package("whole_for_each", "each.value", "\n  for_each = module.m.by_reference")
    # an untyped variable passes the object on; a typed one converts (needs) the whole value
    passing = """
variable "geo" {}
variable "typed" {
  type    = map(string)
  default = {}
}
output "ok" {
  value = var.geo.ok
}
"""
    got = _scan(tmp_path, {"main.tf": main, "m/main.tf": child, "pass/main.tf": passing})
    for name in ("output_ok", "constructed_ok", "through_variable_ok"):
        rule, area_b = got[f"alicloud_cen_bandwidth_package.{name}"]
        assert rule == "XB202" and "offshore, location Asia-Pacific" in area_b, (name, area_b)
    assert got["alicloud_cen_bandwidth_package.output_bad"][0] == "XB203"
    assert WHY["error"] in got["alicloud_cen_bandwidth_package.output_bad"][1]
    assert got["alicloud_cen_bandwidth_package.constructed_bad"][0] == "XB203"
    assert WHY["budget"] in got["alicloud_cen_bandwidth_package.constructed_bad"][1]
    for name in ("whole_keys", "whole_for_each"):
        rule, area_b = got[f"alicloud_cen_bandwidth_package.{name}"]
        assert rule == "XB203", (name, area_b)
    assert WHY["budget"] in got["alicloud_cen_bandwidth_package.whole_keys"][1]
    assert WHY["error"] in got["alicloud_cen_bandwidth_package.whole_for_each"][1]


def test_typed_variable_needs_the_whole_object(tmp_path: Path) -> None:
    """A typed module variable converts the whole value: one failing entry makes it unknown (trap)."""
    main = f"""
locals {{
  geo = {{
    ok  = "Asia-Pacific"
    bad = {FAILING["error"]}
  }}
}}

module "typed" {{
  source = "./typed"
  geo    = local.geo
}}
""" + _package("typed_ok", "module.typed.ok")
    typed = """
variable "geo" {
  type = map(string)
}
output "ok" {
  value = var.geo.ok
}
"""
    got = _scan(tmp_path, {"main.tf": main, "typed/main.tf": typed})
    rule, area_b = got["alicloud_cen_bandwidth_package.typed_ok"]
    assert rule == "XB203" and WHY["error"] in area_b


def test_an_object_reading_itself_is_a_cycle(tmp_path: Path) -> None:
    """`b = local.geo.a` inside `local.geo`: Terraform rejects the self-reference; it stays undeterminable even
    when `a` was read (and known) before `b`, while `a` itself is judged."""
    main = """
locals {
  geo = {
    a = "Asia-Pacific"
    b = local.geo.a
  }
}
""" + _package("first_a", "local.geo.a") + _package("then_b", "local.geo.b")
    got = _scan(tmp_path, {"main.tf": main})
    assert got["alicloud_cen_bandwidth_package.first_a"][0] == "XB202"
    rule, area_b = got["alicloud_cen_bandwidth_package.then_b"]
    assert rule == "XB203" and "local.geo depends on itself" in area_b


def test_for_over_module_instances_gives_the_whole_values(load) -> None:  # noqa: ANN001
    """A `for` over a module's instances reads only the outputs it uses (`ModuleElement`); every use gives
    what iterating the whole collection gave: attribute and key reads, the element whole, splat, functions,
    conditions, counted instances, an output with an unknown value."""
    r = load({"main.tf": """\
        module "net" {
          for_each = toset(["b", "a"])
          source   = "./net"
          name     = each.key
        }
        module "counted" {
          count  = 2
          source = "./net"
          name   = "c${count.index}"
        }
        resource "aws_vpc" "probe" {
          tags = {
            names   = jsonencode({ for k, v in module.net : k => v.name })
            indexed = jsonencode([for k, v in module.net : v["name"]])
            whole   = jsonencode({ for k, v in module.net : k => v })
            splat   = jsonencode([for v in module.net : v[*].name])
            keys    = jsonencode([for v in module.net : keys(v)])
            cond    = jsonencode([for k, v in module.net : k if v.name == "a"])
            nested  = jsonencode([for v in module.net : [for x in v.list : x]])
            counted = jsonencode([for i, v in module.counted : "${i}=${v.name}"])
            unknown = jsonencode([for v in module.net : v.id])
            paren   = jsonencode([for v in module.net : (v).name])
          }
        }
        """, "net/main.tf": """\
        variable "name" {}
        resource "aws_vpc" "this" {
          cidr_block = "10.0.0.0/16"
        }
        output "name" {
          value = var.name
        }
        output "list" {
          value = [var.name, "x"]
        }
        output "id" {
          value = aws_vpc.this.id
        }
        """})
    tags = r["aws_vpc.probe"].attrs["tags"]
    assert json.loads(tags["names"]) == {"a": "a", "b": "b"}
    assert json.loads(tags["indexed"]) == ["a", "b"]
    assert json.loads(tags["splat"]) == [["a"], ["b"]]
    assert json.loads(tags["keys"]) == [["id", "list", "name"], ["id", "list", "name"]]
    assert json.loads(tags["cond"]) == ["a"]
    assert json.loads(tags["nested"]) == [["a", "x"], ["b", "x"]]
    assert json.loads(tags["counted"]) == ["0=c0", "1=c1"]
    for name in ("whole", "unknown"):  # the elements hold a resource id known only after apply
        assert "known only after apply" in str(tags[name]), (name, tags[name])
    assert json.loads(tags["paren"]) == ["a", "b"]
