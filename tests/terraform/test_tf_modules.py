"""Module trees and provider resolution."""

from __future__ import annotations

import json

from xborder.model import Ref, Unknown

PROVIDERS = """\
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "hk"
  region = "ap-east-1"
}

provider "aws" {
  alias  = "cn"
  region = var.cn_region
}

variable "cn_region" {
  default = "cn-north-1"
}
"""

NET = """\
variable "peer_ip" {}
variable "n" {
  default = 1
}

resource "aws_customer_gateway" "hq" {
  ip_address = var.peer_ip
}

resource "aws_vpn_connection" "this" {
  count               = var.n
  customer_gateway_id = aws_customer_gateway.hq.id
}

output "cgw_id" {
  value = aws_customer_gateway.hq.id
}

output "ip" {
  value = aws_customer_gateway.hq.ip_address
}
"""


def test_provider_selection(load) -> None:
    r = load({"providers.tf": PROVIDERS, "main.tf": """\
        resource "aws_vpc" "default" {}
        resource "aws_vpc" "hk" {
          provider = aws.hk
        }
        resource "alicloud_vpc" "none" {}
        resource "aws_vpc" "missing_alias" {
          provider = aws.sg
        }
        """})
    d = r["aws_vpc.default"].provider
    assert (d.type, d.alias, d.attrs) == ("aws", None, {"region": "us-east-1"})
    assert d.origin == 'provider "aws" (providers.tf:1)'
    assert d.location.path == "providers.tf" and d.location.start_line == 1
    hk = r["aws_vpc.hk"].provider
    assert (hk.alias, hk.attrs["region"]) == ("hk", "ap-east-1")
    assert hk.origin == 'provider "aws" alias "hk" (providers.tf:5)'
    none = r["alicloud_vpc.none"].provider
    assert (none.type, none.alias, none.attrs, none.location) == ("alicloud", None, {}, None)
    assert none.origin == 'no provider "alicloud" block'
    miss = r["aws_vpc.missing_alias"].provider
    assert miss.alias == "sg" and miss.origin == 'no provider "aws" alias "sg" block'


def test_required_providers_local_names(load) -> None:
    r = load({"main.tf": """\
        terraform {
          required_providers {
            ali = {
              source = "aliyun/alicloud"
            }
          }
        }
        provider "ali" {
          region = "cn-hongkong"
        }
        resource "alicloud_vpc" "v" {
          provider = ali
        }
        """})
    p = r["alicloud_vpc.v"].provider
    assert (p.type, p.attrs) == ("alicloud", {"region": "cn-hongkong"})


def test_module_used_twice_with_different_providers(load) -> None:
    r = load({"providers.tf": PROVIDERS, "modules/net/main.tf": NET, "main.tf": """\
        module "net_cn" {
          source    = "./modules/net"
          providers = { aws = aws.cn }
          peer_ip   = "203.0.113.10"
        }

        module "net_hk" {
          source = "./modules/net"
          providers = {
            aws = aws.hk
          }
          peer_ip = "198.51.100.20"
        }
        """})
    cn = r["module.net_cn.aws_customer_gateway.hq"]
    hk = r["module.net_hk.aws_customer_gateway.hq"]
    assert cn.attrs["ip_address"] == "203.0.113.10" and hk.attrs["ip_address"] == "198.51.100.20"
    assert (cn.provider.alias, cn.provider.attrs["region"]) == ("cn", "cn-north-1")
    assert (hk.provider.alias, hk.provider.attrs["region"]) == ("hk", "ap-east-1")
    assert cn.location.path == "modules/net/main.tf"
    assert [loc.label for loc in cn.related] == ["module call module.net_cn"]
    assert cn.related[0].path == "main.tf" and cn.related[0].start_line == 1
    assert hk.related[0].start_line == 7
    vpn = r["module.net_cn.aws_vpn_connection.this[0]"]
    assert vpn.attrs["customer_gateway_id"] == Ref("module.net_cn.aws_customer_gateway.hq", "id")


def test_implicit_default_provider_inheritance(load) -> None:
    r = load({"providers.tf": PROVIDERS, "modules/net/main.tf": NET,
              "main.tf": 'module "net" {\n  source = "./modules/net"\n  peer_ip = "1.2.3.4"\n}\n'})
    p = r["module.net.aws_customer_gateway.hq"].provider
    assert p.alias is None and p.attrs == {"region": "us-east-1"}


def test_module_outputs_and_nesting(load) -> None:
    r = load({
        "main.tf": """\
            module "outer" {
              source = "./modules/outer"
              ip     = "192.0.2.1"
            }
            resource "aws_thing" "uses" {
              cgw = module.outer.cgw_id
              ip  = module.outer.ip
            }
            """,
        "modules/outer/main.tf": """\
            variable "ip" {}
            module "inner" {
              source  = "../net"
              peer_ip = var.ip
              n       = 2
            }
            output "cgw_id" { value = module.inner.cgw_id }
            output "ip" { value = module.inner.ip }
            """,
        "modules/net/main.tf": NET,
    })
    inner = r["module.outer.module.inner.aws_customer_gateway.hq"]
    assert inner.attrs["ip_address"] == "192.0.2.1"
    assert [loc.label for loc in inner.related] == ["module call module.outer", "module call module.outer.module.inner"]
    assert [loc.path for loc in inner.related] == ["main.tf", "modules/outer/main.tf"]
    assert "module.outer.module.inner.aws_vpn_connection.this[1]" in r.addresses
    uses = r["aws_thing.uses"]
    assert uses.attrs == {"cgw": Ref("module.outer.module.inner.aws_customer_gateway.hq", "id"), "ip": "192.0.2.1"}


def test_module_count_and_for_each(load) -> None:
    r = load({"modules/net/main.tf": NET, "main.tf": """\
        module "c" {
          count   = 2
          source  = "./modules/net"
          peer_ip = "10.0.0.${count.index}"
        }
        module "f" {
          for_each = { sha = "1.1.1.1", bj = "2.2.2.2" }
          source   = "./modules/net"
          peer_ip  = each.value
        }
        resource "x_use" "u" {
          a = module.c[1].ip
          b = module.f["sha"].ip
        }
        """})
    assert r["module.c[1].aws_customer_gateway.hq"].attrs["ip_address"] == "10.0.0.1"
    assert r['module.f["bj"].aws_customer_gateway.hq'].attrs["ip_address"] == "2.2.2.2"
    assert r['module.f["bj"].aws_customer_gateway.hq'].related[0].label == 'module call module.f["bj"]'
    assert r["x_use.u"].attrs == {"a": "10.0.0.1", "b": "1.1.1.1"}


def test_module_input_missing(load) -> None:
    r = load({"modules/net/main.tf": NET, "main.tf": 'module "net" { source = "./modules/net" }\n'})
    v = r["module.net.aws_customer_gateway.hq"].attrs["ip_address"]
    assert isinstance(v, Unknown) and 'variable "peer_ip"' in v.reason and "module.net" in v.reason


def test_remote_module_not_initialised(load) -> None:
    r = load({"main.tf": 'module "vpn" {\n  source = "terraform-aws-modules/vpn-gateway/aws"\n}\n'
                         'resource "x_t" "t" { v = module.vpn.id }\n'})
    (link,) = r.result.links  # a visible result (rule XB002), not a note
    assert (link.kind.value, link.address, link.location.start_line) == ("not-read", "module.vpn", 1)
    assert "not downloaded" in link.a.fact.value and "terraform init -backend=false" in link.notes[0]
    v = r["x_t.t"].attrs["v"]
    assert isinstance(v, Unknown) and "was not read" in v.reason


def test_remote_module_from_manifest(load) -> None:
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "vpn", "Source": "registry.terraform.io/x/vpn/aws", "Dir": ".terraform/modules/vpn"}]}
    r = load({"main.tf": 'module "vpn" {\n  source = "x/vpn/aws"\n  peer_ip = "1.2.3.4"\n}\n',
              ".terraform/modules/modules.json": json.dumps(manifest),
              ".terraform/modules/vpn/main.tf": NET})
    res = r["module.vpn.aws_customer_gateway.hq"]
    assert res.attrs["ip_address"] == "1.2.3.4"
    assert res.location.path == ".terraform/modules/vpn/main.tf"
    assert r.notes == []


def test_module_source_cycle(load) -> None:
    r = load({"main.tf": 'module "a" { source = "./a" }\n',
              "a/main.tf": 'module "b" { source = "../b" }\nresource "x_t" "a" {}\n',
              "b/main.tf": 'module "a" { source = "../a" }\nresource "x_t" "b" {}\n'})
    assert "module.a.x_t.a" in r.addresses and "module.a.module.b.x_t.b" in r.addresses
    assert any("cycle" in e.message and e.path == "b/main.tf" and e.line == 1 for e in r.errors)


def test_missing_local_module(load) -> None:
    r = load({"main.tf": 'module "a" { source = "./nope" }\nresource "x_t" "t" {}\n'})
    assert "x_t.t" in r.addresses
    (link,) = r.result.links
    assert link.address == "module.a" and 'source directory "./nope" does not exist' in link.a.fact.value


def test_configuration_aliases_passed_explicitly(load) -> None:
    r = load({"providers.tf": PROVIDERS, "main.tf": """\
        module "peering" {
          source = "./peering"
          providers = {
            aws      = aws.cn
            aws.peer = aws.hk
          }
        }
        """, "peering/main.tf": """\
        terraform {
          required_providers {
            aws = {
              source                = "hashicorp/aws"
              configuration_aliases = [aws.peer]
            }
          }
        }
        resource "aws_vpc_peering_connection" "local" {}
        resource "aws_vpc_peering_connection_accepter" "peer" {
          provider = aws.peer
        }
        """})
    assert r["module.peering.aws_vpc_peering_connection.local"].provider.attrs["region"] == "cn-north-1"
    assert r["module.peering.aws_vpc_peering_connection_accepter.peer"].provider.attrs["region"] == "ap-east-1"


def test_child_module_with_its_own_provider_block(load) -> None:
    r = load({"providers.tf": PROVIDERS, "main.tf": 'module "legacy" { source = "./legacy" }\n',
              "legacy/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_vpc" "v" {}\n'})
    p = r["module.legacy.aws_vpc.v"].provider
    assert p.attrs == {"region": "eu-west-1"} and p.origin == 'provider "aws" (legacy/main.tf:1)'


def test_legacy_splat_on_counted_resource(load) -> None:
    r = load({"main.tf": """\
        resource "x_gw" "g" {
          count = 2
        }
        resource "x_use" "u" {
          ids  = x_gw.g.*.id
          ids2 = x_gw.g[*].id
        }
        """})
    assert r["x_use.u"].attrs["ids"] == [Ref("x_gw.g[0]", "id"), Ref("x_gw.g[1]", "id")]
    assert r["x_use.u"].attrs["ids2"] == r["x_use.u"].attrs["ids"]


def test_module_count_unknown_is_analysed_once(load) -> None:
    r = load({"modules/net/main.tf": NET, "main.tf": """\
        variable "n" {}
        module "net" {
          count   = var.n
          source  = "./modules/net"
          peer_ip = "1.2.3.4"
        }
        """})
    res = r["module.net.aws_customer_gateway.hq"]
    assert res.attrs["ip_address"] == "1.2.3.4"
    assert any(n.startswith("module.net: count is unknown") and n.endswith("analysed once") for n in res.notes)
