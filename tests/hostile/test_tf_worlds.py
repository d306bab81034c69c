"""Terraform variables whose `validation` lists their values (`contains([...], var.x)`) are judged per listed value.

Before: `variable "office_ip" { default = "223.5.5.5" validation { condition = contains(["223.5.5.5",
"203.186.1.1"], var.office_ip) } }` feeding a customer gateway in cn-north-1 scanned clean with exit 0, although
the module is written to be applied with the Hong Kong address too (`-var`, tfvars at apply time). As for
CloudFormation AllowedValues (test_cfn_worlds.py), each other value is a world reported where its verdict differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import scan_json

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n'
VPN = """\
resource "aws_customer_gateway" "c" {
  ip_address = var.peer
  bgp_asn    = 65000
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "v" {}
resource "aws_vpn_connection" "vpn" {
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}
resource "aws_instance" "box" {
  instance_type = var.size
  ami           = "ami-12345678"
}
"""
SIZE = """\
variable "size" {
  type    = string
  default = "t3.micro"
  validation {
    condition     = contains(["t3.micro", "t3.large", "m5.xlarge"], var.size)
    error_message = "A size we buy."
  }
}
"""


def _peer(allowed: str, default: str | None = '"223.5.5.5"') -> str:
    line = f"  default = {default}\n" if default is not None else ""
    return (f'variable "peer" {{\n  type    = string\n{line}  validation {{\n'
            f"    condition     = contains([{allowed}], var.peer)\n    error_message = \"An office.\"\n  }}\n}}\n")


def _scan(tmp_path: Path, files: dict[str, str]):  # noqa: ANN202
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    run = scan_json("env", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def test_a_hong_kong_value_the_validation_allows_is_a_cross_border_vpn(tmp_path: Path) -> None:
    run = _scan(tmp_path, {"env/main.tf": PROVIDER + _peer('"223.5.5.5", "203.186.1.1"') + SIZE + VPN})
    assert run.rc == 1
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB101", "aws_vpn_connection.vpn")
    assert f["message"].endswith("(with variable peer = 203.186.1.1, one of the values its validation allows; "
                                 "with its default 223.5.5.5 the ends are mainland, mainland)"), f["message"]


def test_a_condition_with_a_long_run_of_spaces_is_read_in_linear_time(tmp_path: Path) -> None:
    """200,000 spaces inside `contains(..., var.peer   ) && true`: not the plain form, so no world (the default is
    judged: mainland, clean); the pattern's runs of `\\s*` backtracked quadratically (about two minutes)."""
    peer = _peer('"223.5.5.5", "203.186.1.1"').replace("var.peer)", "var.peer" + " " * 200_000 + ") && true")
    run = _scan(tmp_path, {"env/main.tf": PROVIDER + peer + SIZE + VPN})
    assert (run.rc, run.doc["findings"]) == (0, []), run.doc["findings"]


def test_all_listed_values_mainland_and_a_size_list_add_nothing(tmp_path: Path) -> None:
    run = _scan(tmp_path, {"env/main.tf": PROVIDER + _peer('"223.5.5.5", "180.76.76.76"') + SIZE + VPN})
    assert run.doc["findings"] == [] and run.rc == 0, run.doc


def test_only_variables_a_link_reads_make_worlds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size list is read by an instance only: no second evaluation of the module for it."""
    from xborder.inputs.terraform import worlds
    from xborder.scan import ScanRequest, run_scan

    made: list[tuple[str, tuple[str, ...]]] = []
    real = worlds.of

    def spy(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        out = real(*args, **kw)
        made.extend((w.parameter, w.values) for w, _ in out)
        return out

    monkeypatch.setattr(worlds, "of", spy)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "main.tf").write_text(PROVIDER + _peer('"223.5.5.5", "203.186.1.1"') + SIZE + VPN)
    result = run_scan(ScanRequest(paths=[tmp_path / "env"], root=tmp_path, use_config=False))
    assert made == [("peer", ("203.186.1.1",))]
    assert [f.rule_id for f in result.findings] == ["XB101"]


def test_a_value_given_in_tfvars_is_the_value(tmp_path: Path) -> None:
    """tfvars (or -var) decides the value: no world for the variable. (The value is one the validation allows:
    another one is refused, tests/hostile/test_validation_values.py.)"""
    run = _scan(tmp_path, {"env/main.tf": PROVIDER + _peer('"180.76.76.76", "223.5.5.5", "203.186.1.1"') + SIZE + VPN,
                           "env/terraform.tfvars": 'peer = "180.76.76.76"\n'})
    assert run.doc["findings"] == [] and run.rc == 0, run.doc


def test_no_default_through_a_module_call(tmp_path: Path) -> None:
    """Without a default Terraform asks for a value the validation accepts: each is judged (Macau is offshore)."""
    root = PROVIDER + _peer('"180.76.76.76", "202.175.3.3"', default=None) + 'module "net" {\n  source = "../mod"\n  peer   = var.peer\n}\n'
    mod = 'variable "peer" {\n  type = string\n}\nvariable "size" {\n  default = "t3.micro"\n}\n' + VPN
    run = _scan(tmp_path, {"env/main.tf": root, "mod/main.tf": mod})
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB101", "module.net.aws_vpn_connection.vpn")
    assert f["message"].endswith("(with variable peer = 202.175.3.3, one of the values its validation allows; the variable has no default)")
    assert f["world"] == {"kind": "variable", "name": "peer", "values": ["202.175.3.3"], "default": None}
    run = _scan(tmp_path, {"env/main.tf": root.replace('"202.175.3.3"', '"223.5.5.5"'), "mod/main.tf": mod})
    assert run.doc["findings"] == [] and run.rc == 0, run.doc  # was XB102 "cannot be determined"


def test_tf_json(tmp_path: Path) -> None:
    doc = {
        "provider": {"aws": {"region": "cn-north-1"}},
        "variable": {"peer": {"type": "string", "default": "223.5.5.5",
                              "validation": {"condition": '${contains(["223.5.5.5", "168.95.1.1"], var.peer)}',
                                             "error_message": "An office."}}},
        "resource": {
            "aws_customer_gateway": {"c": {"ip_address": "${var.peer}", "bgp_asn": 65000, "type": "ipsec.1"}},
            "aws_vpn_gateway": {"v": {}},
            "aws_vpn_connection": {"vpn": {"customer_gateway_id": "${aws_customer_gateway.c.id}",
                                           "vpn_gateway_id": "${aws_vpn_gateway.v.id}", "type": "ipsec.1"}},
        },
    }
    run = _scan(tmp_path, {"env/main.tf.json": json.dumps(doc, indent=2)})
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101" and "with variable peer = 168.95.1.1" in f["message"], f  # Taiwan is offshore


def test_the_bound_is_an_xb002_finding_at_the_variable(tmp_path: Path) -> None:
    values = ", ".join(f'"180.76.76.{i}"' for i in range(1, 21)) + ', "203.186.1.1"'
    run = _scan(tmp_path, {"env/main.tf": PROVIDER + _peer(values, default=None) + SIZE + VPN})
    assert sorted((f["rule_id"], f["resource"]) for f in run.doc["findings"]) == [
        ("XB002", "var.peer"), ("XB102", "aws_vpn_connection.vpn")], run.doc
    xb002 = next(f for f in run.doc["findings"] if f["rule_id"] == "XB002")
    assert (xb002["path"], xb002["start_line"]) == ("env/main.tf", 4)
    assert "203.186.1.1" in " ".join(xb002["evidence"])


def test_a_region_chosen_through_a_validated_variable(tmp_path: Path) -> None:
    """The provider's region from a variable (the condition laid out over lines with a trailing comma): the
    Hong Kong region is a world, and moves the VPN's AWS end offshore."""
    variable = ('variable "region" {\n  default = "cn-north-1"\n  validation {\n    condition = contains(\n'
                '      ["cn-north-1", "cn-northwest-1", "ap-east-1"],\n      var.region,\n    )\n'
                '    error_message = "A region we use."\n  }\n}\n')
    provider = 'provider "aws" {\n  region = var.region\n}\n'
    peer = 'variable "peer" {\n  default = "180.76.76.76"\n}\n'
    run = _scan(tmp_path, {"env/main.tf": variable + provider + peer + SIZE + VPN})
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101" and "AWS VPN endpoint outside mainland China" in f["message"]
    assert "(with variable region = ap-east-1, one of the values its validation allows; with its default cn-north-1" in f["message"]
