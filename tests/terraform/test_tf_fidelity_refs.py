"""Terraform's own evaluation rules where they decide which resources a value links."""

from __future__ import annotations

from xborder.model import Ref, Unknown


def test_legacy_splat_then_index_picks_one_instance(load) -> None:
    # `a.*.id[i]` is `(a.*.id)[i]`: instance i of a, not element i of every instance's id
    r = load({"main.tf": """
        resource "x_t" "a" {
          count = 2
        }
        resource "x_t" "b" {
          count = 2
          peer  = x_t.a.*.id[count.index]
          all   = x_t.a.*.id
        }
    """})
    assert r["x_t.b[0]"].attrs["peer"] == Ref("x_t.a[0]", "id")
    assert r["x_t.b[1]"].attrs["peer"] == Ref("x_t.a[1]", "id")
    assert r["x_t.b[0]"].attrs["all"] == [Ref("x_t.a[0]", "id"), Ref("x_t.a[1]", "id")]


def test_full_splat_applies_the_index_to_each_element(load) -> None:
    r = load({"main.tf": """
        locals {
          nested = [{ a = [1, 2] }, { a = [3] }]
          full   = local.nested[*].a[0]
          legacy = local.nested.*.a[0]
        }
        resource "x_t" "t" {
          full   = local.full
          legacy = local.legacy
        }
    """})
    assert r["x_t.t"].attrs["full"] == [1, 3]
    assert r["x_t.t"].attrs["legacy"] == [1, 2]


def test_chained_conditional_groups_to_the_right(load) -> None:
    r = load({"main.tf": """
        variable "mode" {
          default = "cn"
        }
        resource "x_t" "t" {
          region = var.mode == "cn" ? "cn-north-1" : var.mode == "hk" ? "ap-east-1" : "us-east-1"
          other  = var.mode == "hk" ? "ap-east-1" : var.mode == "cn" ? "cn-north-1" : "us-east-1"
          neg    = var.mode == "x" ? "a" : var.mode == "y" ? "b" : "c"
        }
    """})
    assert r["x_t.t"].attrs["region"] == "cn-north-1"
    assert r["x_t.t"].attrs["other"] == "cn-north-1"
    assert r["x_t.t"].attrs["neg"] == "c"


def test_typed_variable_map_is_not_equal_to_an_empty_object(load) -> None:
    # Terraform: a map(...) never equals the object {} (different types), so the key is kept
    r = load({"main.tf": """
        variable "profiles" {
          type    = map(object({ url = optional(map(string), {}) }))
          default = { main = {} }
        }
        locals {
          kept = { for k, v in var.profiles : k => v.url if v.url != {} }
        }
        resource "x_t" "t" {
          kept = local.kept
        }
    """})
    assert r["x_t.t"].attrs["kept"] == {"main": {}}


def test_exponent_literals_without_a_fraction_parse(load) -> None:
    # HCL reads `1e3`; tree-sitter-hcl needs `1.0e3`: the file must not report a syntax error
    r = load({"main.tf": """
        resource "x_t" "t" {
          big   = 1e3 == 1000
          small = "v${1e-7}"
          text  = "1e3"
        }
    """})
    assert r.errors == []
    assert r["x_t.t"].attrs["big"] is True
    assert r["x_t.t"].attrs["small"] == "v0.0000001"
    assert r["x_t.t"].attrs["text"] == "1e3"


def test_heredoc_strip_markers_and_indentation_like_terraform(load) -> None:
    r = load({"main.tf": '''
        resource "x_t" "t" {
          user_data = <<-EOT
            #!/bin/sh
            %{ for p in ["10.0.0.1", "10.0.0.2"] ~}
            peer ${p}
            %{ endfor ~}
            done
          EOT
        }
    '''})
    # as `terraform console` gives it: the lines after a `~}` do not begin a line for `<<-`
    assert r["x_t.t"].attrs["user_data"] == "#!/bin/sh\n    peer 10.0.0.1\n    peer 10.0.0.2\n    done\n"


def test_work_over_budget_is_unknown_with_a_reason_and_the_scan_goes_on(load) -> None:
    import time

    t0 = time.monotonic()
    r = load({"main.tf": r'''
        locals {
          cube  = length([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]])
          wide  = format("%999999999d", 1)
          big   = try(setproduct(range(1000), range(1000)), [])
          many  = try(range(5000), [])
          evil  = can(regex("^(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"))
          x0    = "AAAAAAAAAAAAAAAA"
          x1    = "${local.x0}${local.x0}"
          x2    = "${local.x1}${local.x1}"
          x3    = "${local.x2}${local.x2}"
          x4    = "${local.x3}${local.x3}"
          x5    = "${local.x4}${local.x4}"
          x6    = "${local.x5}${local.x5}"
          x7    = "${local.x6}${local.x6}"
          x8    = "${local.x7}${local.x7}"
          x9    = "${local.x8}${local.x8}"
          x10   = "${local.x9}${local.x9}"
          x11   = "${local.x10}${local.x10}"
          x12   = "${local.x11}${local.x11}"
          x13   = "${local.x12}${local.x12}"
          x14   = "${local.x13}${local.x13}"
          x15   = "${local.x14}${local.x14}"
          x16   = "${local.x15}${local.x15}"
          x17   = "${local.x16}${local.x16}"
          x18   = "${local.x17}${local.x17}"
        }
        resource "x_t" "t" {
          cube = local.cube
          wide = local.wide
          big  = local.big
          many = local.many
          evil = local.evil
          huge = length(local.x18)
          ok   = "cn-north-1"
        }
    ''' })
    a = r["x_t.t"].attrs
    assert time.monotonic() - t0 < 60
    for name in ("cube", "wide", "big", "huge"):
        assert isinstance(a[name], Unknown) and "budget" in a[name].reason, (name, a[name])
    assert a["evil"] is False  # RE2: linear time, and the pattern simply does not match
    assert a["many"] == []  # more than 1024 values is range()'s own error in Terraform, which try() catches
    assert a["ok"] == "cn-north-1"


def test_resource_prefixed_references_resolve_like_short_ones(load) -> None:
    r = load({"main.tf": """
        resource "x_t" "a" {
          region = "cn-north-1"
        }
        resource "x_t" "b" {
          long  = resource.x_t.a.id
          short = x_t.a.id
          attr  = resource.x_t.a.region
        }
    """})
    b = r["x_t.b"].attrs
    assert b["long"] == b["short"] == Ref("x_t.a", "id")
    assert b["attr"] == "cn-north-1"


def test_duplicate_argument_is_a_reported_error_not_the_last_value(load) -> None:
    r = load({"main.tf": """
        resource "x_t" "t" {
          region = "ap-east-1"
          name   = "n"
          region = "cn-north-1"
        }
    """})
    assert any(e.line == 5 and 'argument "region" is set twice' in e.message and "lines 3 and 5" in e.message
               for e in r.errors), r.errors
    v = r["x_t.t"].attrs["region"]
    assert isinstance(v, Unknown) and "set twice" in v.reason
    assert r["x_t.t"].attrs["name"] == "n"


def test_single_arguments_report_no_duplicate(load) -> None:
    r = load({"main.tf": 'resource "x_t" "t" {\n  region = "cn-north-1"\n  tags = { region = "a" }\n}\n'})
    assert r.errors == []


def test_null_typed_variable_keeps_its_type_in_coalesce_and_conditionals(load) -> None:
    # cloud-foundation-fabric's pattern: Terraform gives ["80"] (list(string)), not [80]
    r = load({"main.tf": """
        variable "ports" {
          type    = list(string)
          default = null
        }
        resource "x_t" "t" {
          ports = var.protocol_is_https ? [443] : coalesce(var.ports, [80])
          plain = coalesce(var.ports, [80])
          null  = var.ports
        }
        variable "protocol_is_https" {
          default = false
        }
    """})
    a = r["x_t.t"].attrs
    assert a["ports"] == ["80"] and a["plain"] == ["80"]
    assert a["null"] is None
