"""Terraform's own evaluation rules where they decide which resources a value links."""

from __future__ import annotations

from xborder.model import Ref


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
