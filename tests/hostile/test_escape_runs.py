"""`"%%%{a}"` is the text `%%{a}` for Terraform (HCL's lexer reads a lone `%`, then the escape `%%{`); tree-sitter
started a directive there and failed: the whole file was a syntax error and the VPN it declares was not judged
(an error instead of XB101). Same for `$$${` before text that is not an expression. The negative twins stay
syntax errors: such a run outside a string is invalid HCL for Terraform too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

VPN = """\
locals {
  note = %s
}
provider "aws" {
  region = "cn-north-1"
}
resource "aws_customer_gateway" "hk" {
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
  tags       = { note = local.note }
}
resource "aws_vpn_gateway" "v" {}
resource "aws_vpn_connection" "c" {
  customer_gateway_id = aws_customer_gateway.hk.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}
"""


def _scan(tmp_path: Path, note: str):  # noqa: ANN202
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "main.tf").write_text(VPN % note)
    return scan_json(".", "--no-config", "--no-cache", cwd=tmp_path / "t")


@pytest.mark.parametrize("note", ['"%%%{a}"', '"$$${a b}"', '"x %%%%%{ 1 + }"', '<<EOT\n%%%{a}\nEOT\n',
                                  '"%%%{if true}x%%{endif}"'])
def test_escape_runs_are_literal_text_and_the_file_is_read(tmp_path: Path, note: str) -> None:
    run = _scan(tmp_path, note)
    assert run.doc["errors"] == [], run.doc["errors"]
    assert run.rules == ["XB101"]


def test_escape_run_in_a_variables_file(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    src = VPN.replace('"203.186.1.1"', "var.peer") % "var.note"
    (tmp_path / "t" / "main.tf").write_text('variable "peer" {}\nvariable "note" {}\n' + src)
    (tmp_path / "t" / "terraform.tfvars").write_text('note = "%%%{a}"\npeer = "203.186.1.1"\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path / "t")
    assert run.doc["errors"] == [] and run.rules == ["XB101"]


@pytest.mark.parametrize("note", ['5 %%%{', '"a" # %%%{ fine in a comment\n  bad = %%%{'])
def test_negative_a_run_outside_a_string_is_still_a_syntax_error(tmp_path: Path, note: str) -> None:
    run = _scan(tmp_path, note)
    assert any("HCL syntax error" in e["message"] for e in run.doc["errors"]), run.doc
