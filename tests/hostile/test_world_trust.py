"""Worlds (other deployments a template allows) never cost what the defaults read, and say what they could not read.

Before: an internal error while finding one world's links dropped the unit's default links too (one `try` around
both: a Hong Kong VPN of the defaults went unreported); a world's own errors were dropped (a resource that could
not be evaluated only with another allowed value was silent for that value).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import all_formats, scan_json, xborder

CONFIG = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'

VPN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
{default}    AllowedValues: [{allowed}]
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: !Ref CgwIp
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
"""


def _tree(tmp_path: Path, text: str, name: str = "vpn.yaml") -> Path:
    (tmp_path / "stack").mkdir(exist_ok=True)
    (tmp_path / "stack" / name).write_text(text)
    (tmp_path / ".xborder.yaml").write_text(CONFIG)
    return tmp_path


def _vpn(default: str | None, allowed: str) -> str:
    return VPN.format(default=f"    Default: {default}\n" if default is not None else "", allowed=allowed)


# ------------------------------------------------------------------------------------------ 1. a world's failure


def _scan_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_ip: str) -> Any:
    """An in-process scan in which finding the links of any resource set holding `failing_ip` raises (a bug that
    only one parameter value reaches)."""
    from xborder import scan
    from xborder.context import Options

    real = scan.links_of

    def links_of(resources, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if any(r.attrs.get("IpAddress") == failing_ip for r in resources):
            raise RuntimeError("boom")
        return real(resources, *args, **kw)

    monkeypatch.setattr(scan, "links_of", links_of)
    monkeypatch.chdir(tmp_path)
    return scan.run_scan(scan.ScanRequest(paths=[tmp_path / "stack"], root=tmp_path, options=Options(jobs=1)))


def test_a_world_that_fails_costs_only_its_own_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults deploy a Hong Kong VPN (XB101); the mainland world fails: XB101 stays, the error names the world."""
    _tree(tmp_path, _vpn("203.186.1.1", "203.186.1.1, 223.5.5.5"))
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert [(f.rule_id, f.resource) for f in result.findings] == [("XB101", "Vpn")], result.findings
    assert "with parameter" not in result.findings[0].message
    (error,) = result.errors
    assert error.path == "stack/vpn.yaml"
    assert "internal error while finding the links with parameter CgwIp = 223.5.5.5, one of its AllowedValues" in error.message
    assert "RuntimeError: boom" in error.message and "not judged" in error.message


def test_a_failure_around_all_worlds_keeps_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a failure outside any one world (reading the list of worlds) costs the worlds only."""
    from xborder import scan
    from xborder.context import Options

    def broken(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("worlds")

    _tree(tmp_path, _vpn("203.186.1.1", "203.186.1.1, 223.5.5.5"))
    monkeypatch.setattr(scan, "world_links_of", broken)
    monkeypatch.chdir(tmp_path)
    result = scan.run_scan(scan.ScanRequest(paths=[tmp_path / "stack"], root=tmp_path, options=Options(jobs=1)))
    assert [(f.rule_id, f.resource) for f in result.findings] == [("XB101", "Vpn")]
    assert [e.message for e in result.errors] == [
        "internal error while reading the other deployments this input allows (RuntimeError: worlds); they are not judged"]


def test_a_failing_default_world_is_still_the_whole_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative: when the defaults themselves fail, the input is an internal error and no world is judged alone
    (its link would be reported against defaults nobody read)."""
    _tree(tmp_path, _vpn("223.5.5.5", "223.5.5.5, 203.186.1.1"))
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert result.findings == []
    (error,) = result.errors
    assert error.message.startswith("internal error while reading this input (RuntimeError: boom)"), error


def test_a_failed_world_keeps_the_unknown_of_a_parameter_without_default(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No Default, AllowedValues [Shanghai, Beijing]: clean when both worlds are judged; when one fails, the
    value not judged may be anything it lists, so the defaults' "cannot be determined" (XB102) stays."""
    _tree(tmp_path, _vpn(None, "58.247.0.30, 223.5.5.5"))
    clean = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert clean.doc["findings"] == [] and clean.rc == 0, clean.doc
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert [(f.rule_id, f.resource) for f in result.findings] == [("XB102", "Vpn")], result.findings
    assert [e.message.split(" (")[0] for e in result.errors] == [
        "internal error while finding the links with parameter CgwIp = 223.5.5.5, one of its AllowedValues"]


# ------------------------------------------------------------------------------------------ 3. what a world could not read

ITEMS = "[" + ", ".join(f"c{i}" for i in range(101)) + "]"
ONLY_IN_PROD = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Parameters:
  Env:
    Type: String
    Default: {default}
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Metadata:
  Items: &c {items}
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Fn::ForEach::Outer:
    - X
    - {outer}
    - Fn::ForEach::Inner:
        - Y
        - *c
        - Topic${{X}}${{Y}}:
            Type: AWS::SNS::Topic
"""
TOO_MANY = "Fn::ForEach::Outer expands to more than 10000 resources; the rest are not analysed"


def _loops(tmp_path: Path, outer: str, default: str = "dev") -> None:
    _tree(tmp_path, ONLY_IN_PROD.format(default=default, items=ITEMS, outer=outer))


def test_a_resource_that_cannot_be_evaluated_only_in_a_world_is_an_error_naming_it(tmp_path: Path) -> None:
    """With Env = prod the loops make 101 x 101 resources, beyond the bound: the rest are not analysed. Was: the
    prod world's error dropped with its evaluation, so what it did not read was silent. Now an error naming the
    world, in every report."""
    _loops(tmp_path, "!If [IsProd, *c, [a]]")
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [
        ("stack/vpn.yaml", 16, f"{TOO_MANY} (with parameter Env = prod, one of its AllowedValues)")]
    out = all_formats("stack", "--no-cache", cwd=tmp_path)
    assert out.count(f"{TOO_MANY} (with parameter Env = prod") >= 4, out  # text, JSON, SARIF, annotation
    github = xborder("scan", "stack", "--no-cache", "--format", "github", "--fail-on", "never", cwd=tmp_path)
    assert any(line.startswith("::error") and "Env = prod" in line and "expands to more than" in line
               for line in github.out.splitlines()), github.out


def test_an_error_of_the_defaults_is_not_repeated_for_a_world(tmp_path: Path) -> None:
    """Negative: the loops are too large whatever Env is: one error, as the defaults report it, naming no world."""
    _loops(tmp_path, "!If [IsProd, *c, *c]")
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert [(e["line"], e["message"]) for e in run.doc["errors"]] == [(16, TOO_MANY)], run.doc["errors"]
    # and a world that reads everything adds no error at all
    _loops(tmp_path, "!If [IsProd, [a, b], [a]]")
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [] and run.rc == 0, run.doc


def test_the_same_error_in_two_worlds_of_a_parameter_is_reported_once(tmp_path: Path) -> None:
    text = ONLY_IN_PROD.format(default="dev", items=ITEMS, outer="!If [IsDev, [a], *c]").replace(
        "AllowedValues: [dev, prod]", "AllowedValues: [dev, prod, staging]").replace(
        "  IsProd: !Equals [!Ref Env, prod]\n", "  IsDev: !Equals [!Ref Env, dev]\n")
    _tree(tmp_path, text)
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert [e["message"] for e in run.doc["errors"]] == [
        f"{TOO_MANY} (with parameter Env = prod or staging, one of its AllowedValues)"], run.doc["errors"]


def test_a_note_of_a_world_names_it(tmp_path: Path) -> None:
    """The defaults (prod) create the VPN; with Env = dev it is not created: the note says in which world."""
    env = "  Env:\n    Type: String\n    Default: prod\n    AllowedValues: [prod, dev]\n"
    text = _vpn("203.186.1.1", "203.186.1.1").replace("Parameters:\n", "Parameters:\n" + env).replace(
        "  Vpn:\n    Type: AWS::EC2::VPNConnection\n", "  Vpn:\n    Type: AWS::EC2::VPNConnection\n    Condition: IsProd\n"
    ) + "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
    _tree(tmp_path, text)
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    note = ("stack/vpn.yaml: resource Vpn is not created (condition IsProd is false) (with parameter Env = dev, one "
            "of its AllowedValues)")
    assert note in run.doc["notes"], run.doc["notes"]
    assert not any("is not created" in n and "with parameter" not in n for n in run.doc["notes"]), run.doc["notes"]
    assert [f["rule_id"] for f in run.doc["findings"]] == ["XB101"]  # the defaults' Hong Kong VPN


TF_ROOT = """\
provider "aws" {
  region = "cn-north-1"
}
variable "office" {
  type    = string
  default = "shanghai"
  validation {
    condition     = contains(["shanghai", "beijing"], var.office)
    error_message = "An office."
  }
}
module "vpn" {
  source = "./vpn"
  cgw    = var.office == "beijing" ? { ip = "223.5.5.5" } : { ip = "58.247.0.30", asn = 65000 }
}
"""
TF_CHILD = """\
variable "cgw" {
  type = object({ ip = string, asn = number })
}
resource "aws_customer_gateway" "c" {
  ip_address = var.cgw.ip
  bgp_asn    = var.cgw.asn
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "v" {}
resource "aws_vpn_connection" "vpn" {
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}
"""


def test_a_terraform_value_refused_only_in_a_world_is_an_error_naming_it(tmp_path: Path) -> None:
    """office = beijing gives the module an object without `asn`: Terraform refuses that plan. Was: silent (the
    world's error dropped); now the error at the module argument names the world."""
    (tmp_path / "env" / "vpn").mkdir(parents=True)
    (tmp_path / "env" / "main.tf").write_text(TF_ROOT)
    (tmp_path / "env" / "vpn" / "main.tf").write_text(TF_CHILD)
    run = scan_json("env", "--no-cache", "--no-config", cwd=tmp_path)
    (error,) = run.doc["errors"]
    assert (error["path"], error["line"]) == ("env/main.tf", 14)
    assert error["message"].startswith("invalid value for input variable module.vpn.var.cgw"), error
    assert error["message"].endswith("(with variable office = beijing, one of the values its validation allows)"), error
    # negative: both values convert: no error
    (tmp_path / "env" / "main.tf").write_text(TF_ROOT.replace('{ ip = "223.5.5.5" }', '{ ip = "223.5.5.5", asn = 1 }'))
    run = scan_json("env", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.doc["errors"] == [] and run.rc == 0, run.doc


# ------------------------------------------------------------------------------------------ 4. the inventory table


def test_the_inventory_table_names_the_world_of_each_row(tmp_path: Path) -> None:
    """Was: two rows `stack/vpn.yaml:17 Vpn`, one XB101 and one domestic, with nothing telling them apart in the
    table (the notes, JSON and CSV said it). Now a WORLD column: the parameter value, or "defaults"."""
    _tree(tmp_path, _vpn("223.5.5.5", "223.5.5.5, 203.186.1.1"))
    table = xborder("inventory", "stack", "--no-cache", cwd=tmp_path).out.splitlines()
    assert table[0].split() == ["LINK", "KIND", "VERDICT", "WORLD", "ENDS", "SUPPLIER", "COVER"], table
    rows = sorted(" ".join(line.split()[:6]) for line in table[1:3])
    assert rows == ["stack/vpn.yaml:17 Vpn vpn XB101 parameter CgwIp", "stack/vpn.yaml:17 Vpn vpn domestic defaults AWS"]
    assert "parameter CgwIp = 203.186.1.1" in table[1] + table[2]
    markdown = xborder("inventory", "stack", "--no-cache", "--format", "markdown", cwd=tmp_path).out
    assert "| id | file | link | kind | world | ends | supplier | verdict | approval |" in markdown
    assert "| Vpn | vpn | parameter CgwIp = 203.186.1.1 | AWS cn-north-1" in markdown
    assert "| Vpn | vpn | defaults | AWS cn-north-1" in markdown


def test_an_inventory_without_worlds_has_no_world_column(tmp_path: Path) -> None:
    _tree(tmp_path, _vpn("223.5.5.5", "223.5.5.5"))  # no other value: no world
    table = xborder("inventory", "stack", "--no-cache", cwd=tmp_path).out.splitlines()
    assert table[0].split() == ["LINK", "KIND", "VERDICT", "ENDS", "SUPPLIER", "COVER"], table
    markdown = xborder("inventory", "stack", "--no-cache", "--format", "markdown", cwd=tmp_path).out
    assert "| id | file | link | kind | ends | supplier | verdict | approval |" in markdown


def test_a_second_mainland_value_is_a_twin_row_with_its_world(tmp_path: Path) -> None:
    """A second mainland value gives the same verdict with other ends: no world finding, but a twin, which has its
    own inventory row (tests/hostile/test_twin_rows.py), so the WORLD column is there to name it."""
    _tree(tmp_path, _vpn("223.5.5.5", "223.5.5.5, 180.76.76.76"))
    table = xborder("inventory", "stack", "--no-cache", cwd=tmp_path).out.splitlines()
    assert table[0].split() == ["LINK", "KIND", "VERDICT", "WORLD", "ENDS", "SUPPLIER", "COVER"], table
    assert table[2].startswith("  + twin: parameter CgwIp = 180.76.76.76"), table
