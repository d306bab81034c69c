"""Constructs met in public Terraform modules that once broke or misled the scan (synthetic reproductions)."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

from xborder.scan import ScanRequest, run_scan


def scan(root: Path, files: dict[str, str]):
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return run_scan(ScanRequest(paths=[root], root=root, use_config=False))


# A module that takes a list of objects with optional() attributes, like many registry VPN modules.
OPTIONAL_MODULE = {
    "modules/site/variables.tf": """\
        variable "region" {
          type = string
        }
        variable "sites" {
          type = list(object({
            name    = string
            address = optional(string)          # one of address or fqdn
            fqdn    = optional(string)
            mode    = optional(string, "Default")
            tags    = optional(map(string), {})
            policy = optional(object({
              group = string
              life  = optional(number, 3600)
            }))
          }))
          default = []
        }
        """,
    "modules/site/main.tf": """\
        provider "azurerm" {
          features {}
        }
        resource "azurerm_local_network_gateway" "site" {
          for_each        = { for s in var.sites : s.name => s }
          name            = each.key
          location        = var.region
          gateway_address = each.value.address
          gateway_fqdn    = each.value.fqdn
          address_space   = ["10.9.0.0/24"]
          tags            = each.value.tags
        }
        resource "azurerm_virtual_network_gateway_connection" "site" {
          for_each                 = { for s in var.sites : s.name => s }
          name                     = "${each.key}-${lower(each.value.mode)}"
          location                 = var.region
          type                     = "IPsec"
          virtual_network_gateway_id = "vgw-id"
          local_network_gateway_id = azurerm_local_network_gateway.site[each.key].id
          dynamic "ipsec_policy" {
            for_each = each.value.policy != null ? [each.value.policy] : []
            content {
              dh_group    = ipsec_policy.value.group
              sa_lifetime = ipsec_policy.value.life
            }
          }
        }
        """,
}


def test_optional_object_attributes_are_null_not_errors(tmp_path: Path) -> None:
    res = scan(tmp_path, {
        **OPTIONAL_MODULE,
        "main.tf": """\
            module "site" {
              source = "./modules/site"
              region = "chinaeast2"
              sites  = [{ name = "hk-office", address = "203.186.1.1" }]
            }
            """,
    })
    assert not res.errors
    assert [f.rule_id for f in res.findings] == ["XB101"]
    text = "\n".join(res.findings[0].evidence)
    assert "no attribute" not in text
    assert "for_each is unknown" not in text


def test_optional_attribute_defaults_are_applied(tmp_path: Path) -> None:
    from xborder.inputs.terraform.types import convert, parse_type

    spec = parse_type("""list(object({
        name = string # comment
        mode = optional(string, "Default")
        n    = optional(number, 45)
        l    = optional(list(string), ["a"])
        o    = optional(object({ x = optional(bool, true) }), {})
      }))""")
    assert spec is not None

    def default(text: str) -> object:
        return {'"Default"': "Default", "45": 45, '["a"]': ["a"], "{}": {}, "true": True}[text]

    out = convert([{"name": "x"}, {"name": "y", "mode": "Custom", "n": "7", "o": None}], spec, default)
    assert out == [
        {"name": "x", "mode": "Default", "n": 45, "l": ["a"], "o": {"x": True}},
        {"name": "y", "mode": "Custom", "n": 7, "l": ["a"], "o": {"x": True}},
    ]
    assert parse_type('"list"') == ("list", ("any",))
    assert parse_type("map(strin") is None


def test_nullable_false_null_means_default(tmp_path: Path) -> None:
    res = scan(tmp_path, {
        "modules/vpn/main.tf": """\
            variable "peer" {
              type     = string
              default  = "203.186.1.1"
              nullable = false
            }
            provider "alicloud" {
              region = "cn-shanghai"
            }
            resource "alicloud_vpn_customer_gateway" "cgw" {
              ip_address = var.peer
            }
            resource "alicloud_vpn_connection" "c" {
              vpn_gateway_id      = "vpn-1"
              customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id
            }
            """,
        "main.tf": """\
            module "vpn" {
              source = "./modules/vpn"
              peer   = null
            }
            """,
    })
    assert [f.rule_id for f in res.findings] == ["XB101"]


def test_replace_with_posix_class_regex(tmp_path: Path) -> None:
    # replace(name, "/[[:^alnum:]]/", "") is RE2 syntax; Python's re has no POSIX classes.
    from xborder.inputs.terraform.functions import call

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call("replace", ["shared-vpn_gw01", "/[[:^alnum:]]/", ""]) == "sharedvpngw01"
        assert call("replace", ["a1-b2", "/[[:alpha:]]/", "x"]) == "x1-x2"
        assert call("replace", ["a b\tc", "/[[:space:][:punct:]]+/", "_"]) == "a_b_c"
        assert call("replace", ["10.0.0.1", "/(\\d+)\\.(\\d+)/", "$2.$1"]) == "0.10.1.0"
        assert call("replace", ["a\\b", "/b/", "\\\\"]) == "a\\\\\\"
        assert call("replace", ["abc", "/b\\z/", "x"]) == "abc"
        assert call("replace", ["abc", "/c\\z/", "x"]) == "abx"


def test_provider_without_block_reason_reads_well(tmp_path: Path) -> None:
    res = scan(tmp_path, {
        "main.tf": """\
            resource "aws_customer_gateway" "hk" {
              ip_address = "203.186.1.1"
              type       = "ipsec.1"
              bgp_asn    = 65000
            }
            resource "aws_vpn_connection" "c" {
              customer_gateway_id = aws_customer_gateway.hk.id
              vpn_gateway_id      = "vgw-1"
              type                = "ipsec.1"
            }
            """,
    })
    [f] = res.findings
    text = "\n".join(f.evidence)
    assert "no provider \"aws\" block has no region" not in text
    assert "there is no provider \"aws\" block" in text
