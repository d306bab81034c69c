"""Resources of one module: values, references, locations, count/for_each, dynamic blocks, tfvars."""

from __future__ import annotations

from pathlib import Path

from xborder.model import Location, Ref, Unknown

MAIN = """\
variable "remote_office_ip" {}
variable "asn" {
  default = 65000
}

locals {
  name = "hq-${local.site}"
  site = "sha"
}

resource "aws_customer_gateway" "hq" {
  ip_address = "203.0.113.1"
  bgp_asn    = var.asn
  tags       = { Name = local.name }
}

resource "aws_vpn_connection" "this" {
  customer_gateway_id = aws_customer_gateway.hq.id
  peer_ip             = aws_customer_gateway.hq.ip_address
  remote              = var.remote_office_ip
  vpc                 = data.aws_vpc.main.id
  depends_on          = [aws_customer_gateway.hq]
}
"""


def test_values_refs_and_unknowns(load) -> None:
    r = load({"main.tf": MAIN})
    assert r.errors == []
    cgw = r["aws_customer_gateway.hq"]
    assert cgw.source == "terraform" and cgw.type == "aws_customer_gateway" and cgw.name == "hq"
    assert cgw.attrs == {"ip_address": "203.0.113.1", "bgp_asn": 65000, "tags": {"Name": "hq-sha"}}
    vpn = r["aws_vpn_connection.this"]
    assert vpn.attrs["customer_gateway_id"] == Ref("aws_customer_gateway.hq", "id")
    assert vpn.attrs["peer_ip"] == "203.0.113.1"
    assert vpn.attrs["remote"] == Unknown('variable "remote_office_ip" has no default and no value in tfvars or --var')
    assert vpn.attrs["vpc"] == Unknown("data source data.aws_vpc.main is read at plan time")
    assert "depends_on" not in vpn.attrs


def test_locations(load) -> None:
    r = load({"main.tf": MAIN})
    cgw = r["aws_customer_gateway.hq"]
    assert cgw.location == Location("main.tf", 11, 1, 15, 2)
    assert cgw.attr_locations["ip_address"].start_line == 12
    assert cgw.attr_locations["tags"].start_line == 14
    assert cgw.related == []


def test_locations_in_subdirectory_unit(load) -> None:
    r = load({"envs/prod/main.tf": MAIN}, unit="envs/prod")
    assert r["aws_customer_gateway.hq"].location.path == "envs/prod/main.tf"


def test_tfvars_precedence(load) -> None:
    files = {
        "main.tf": 'variable "a" {}\nvariable "b" {}\nvariable "c" {}\nvariable "d" {}\n'
                   'resource "x_thing" "t" {\n  a = var.a\n  b = var.b\n  c = var.c\n  d = var.d\n}\n',
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
        "terraform.tfvars.json": '{"b": "tfvars.json", "c": "tfvars.json", "d": "tfvars.json"}',
        "a.auto.tfvars": 'c = "a.auto"\nd = "a.auto"\n',
        "b.auto.tfvars.json": '{"d": "b.auto"}',
    }
    r = load(files)
    assert r["x_thing.t"].attrs == {"a": "tfvars", "b": "tfvars.json", "c": "a.auto", "d": "b.auto"}


def test_var_files_and_cli_vars(load, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "prod.tfvars"
    outside.parent.mkdir()
    outside.write_text('ip = "198.51.100.7"\nn = 2\n')
    files = {
        "main.tf": 'variable "ip" {}\nvariable "n" { type = number }\nvariable "s" { type = string }\n'
                   'variable "l" {}\nresource "x_thing" "t" {\n  ip = var.ip\n  n = var.n\n  s = var.s\n  l = var.l\n}\n',
        "terraform.tfvars": 'ip = "10.0.0.1"\n',
    }
    r = load(files, var_files=[outside], variables={"n": "5", "s": "007", "l": '["a", "b"]'})
    assert r["x_thing.t"].attrs == {"ip": "198.51.100.7", "n": 5, "s": "007", "l": ["a", "b"]}


def test_tf_var_env_only_when_enabled(load, monkeypatch) -> None:
    monkeypatch.setenv("TF_VAR_region", "cn-north-1")
    files = {"main.tf": 'variable "region" {}\nresource "x_thing" "t" { r = var.region }\n'}
    assert isinstance(load(files)["x_thing.t"].attrs["r"], Unknown)
    assert load(files, env_vars=True)["x_thing.t"].attrs["r"] == "cn-north-1"


def test_count_expansion(load) -> None:
    r = load({"main.tf": 'variable "n" { default = 2 }\nresource "x_gw" "g" {\n  count = var.n\n'
                         '  name = "gw-${count.index}"\n}\nresource "x_use" "u" { gw = x_gw.g[1].name\n id = x_gw.g[0].id\n'
                         ' all = x_gw.g[*].name }\n'})
    assert r.addresses[:2] == ["x_gw.g[0]", "x_gw.g[1]"]
    assert r["x_gw.g[1]"].attrs["name"] == "gw-1"
    assert r["x_use.u"].attrs == {"gw": "gw-1", "id": Ref("x_gw.g[0]", "id"), "all": ["gw-0", "gw-1"]}


def test_count_zero_and_unknown(load) -> None:
    r = load({"main.tf": 'variable "n" {}\nresource "x_a" "zero" { count = 0 }\n'
                         'resource "x_a" "unk" {\n  count = var.n\n  idx = count.index\n}\n'})
    assert "x_a.zero" not in r.addresses
    unk = r["x_a.unk"]
    assert unk.notes == ['count is unknown (variable "n" has no default and no value in tfvars or --var); analysed once']
    assert isinstance(unk.attrs["idx"], Unknown)


def test_for_each_map_and_set(load) -> None:
    r = load({"main.tf": """\
        locals { offices = { sha = "1.2.3.4", bj = "5.6.7.8" } }
        resource "x_gw" "m" {
          for_each = local.offices
          ip = each.value
          name = each.key
        }
        resource "x_gw" "s" {
          for_each = toset(["b", "a"])
          name = each.key
        }
        resource "x_gw" "l" {
          for_each = ["z"]
          name = each.value
        }
        resource "x_use" "u" { ip = x_gw.m["sha"].ip }
        """})
    assert [a for a in r.addresses if a.startswith("x_gw.m")] == ['x_gw.m["bj"]', 'x_gw.m["sha"]']
    assert r['x_gw.m["sha"]'].attrs == {"ip": "1.2.3.4", "name": "sha"}
    assert r['x_gw.s["a"]'].attrs == {"name": "a"}
    assert r["x_gw.l"].notes == ["for_each is unknown (for_each must be a map or a set of strings: Terraform rejects "
                                 "this configuration); analysed once"]  # a tuple: Terraform's error
    assert r["x_use.u"].attrs["ip"] == "1.2.3.4"


def test_for_each_unknown(load) -> None:
    r = load({"main.tf": 'variable "m" {}\nresource "x_gw" "g" {\n  for_each = var.m\n  ip = each.value\n}\n'})
    g = r["x_gw.g"]
    assert "for_each is unknown" in g.notes[0] and "analysed once" in g.notes[0]
    assert isinstance(g.attrs["ip"], Unknown)


def test_nested_and_dynamic_blocks(load) -> None:
    r = load({"main.tf": """\
        variable "peers" { default = [{ ip = "1.1.1.1" }, { ip = "2.2.2.2" }] }
        variable "unknown_list" {}
        resource "x_conn" "c" {
          link {
            ip = "9.9.9.9"
          }
          link {
            ip = "8.8.8.8"
          }
          dynamic "link" {
            for_each = var.peers
            iterator = p
            content {
              ip  = p.value.ip
              idx = p.key
            }
          }
          dynamic "other" {
            for_each = var.unknown_list
            content { v = other.value }
          }
          lifecycle { ignore_changes = [tags] }
        }
        """})
    c = r["x_conn.c"]
    assert c.attrs["link"] == [{"ip": "9.9.9.9"}, {"ip": "8.8.8.8"}, {"ip": "1.1.1.1", "idx": 0}, {"ip": "2.2.2.2", "idx": 1}]
    assert "lifecycle" not in c.attrs
    assert len(c.attrs["other"]) == 1 and isinstance(c.attrs["other"][0]["v"], Unknown)
    assert any('dynamic "other"' in n for n in c.notes)


def test_locals_cycle(load) -> None:
    r = load({"main.tf": 'locals {\n  a = local.b\n  b = local.a\n}\nresource "x_t" "t" { v = local.a }\n'})
    v = r["x_t.t"].attrs["v"]
    assert isinstance(v, Unknown) and "depends on itself" in v.reason


def test_unknown_function_and_path(load) -> None:
    r = load({"main.tf": 'resource "x_t" "t" {\n  f = file("x")\n  p = path.module\n}\n'})
    assert r["x_t.t"].attrs["f"] == Unknown("function file reads files, which xborder does not do; its result is not known statically")
    assert r["x_t.t"].attrs["p"] == "."


def test_nested_block_reference_and_self_reference(load) -> None:
    r = load({"main.tf": """\
        resource "x_a" "a" {
          tunnel { ip = "1.2.3.4" }
          loop = x_a.a.loop
        }
        resource "x_b" "b" { ip = x_a.a.tunnel[0].ip }
        """})
    assert r["x_b.b"].attrs["ip"] == "1.2.3.4"
    assert isinstance(r["x_a.a"].attrs["loop"], Unknown)


def test_override_files(load) -> None:
    r = load({"main.tf": 'resource "x_a" "a" {\n  ip = "1.1.1.1"\n  name = "n"\n}\n',
              "override.tf": 'resource "x_a" "a" {\n  ip = "2.2.2.2"\n}\n'})
    assert r["x_a.a"].attrs == {"ip": "2.2.2.2", "name": "n"}
