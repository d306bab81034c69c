"""A name defined twice in one module directory: Terraform refuses the module ("Duplicate resource ... configuration",
"Duplicate module call", ...), and xborder indexes the later definition only. Before, the earlier one vanished
without a word: a Hong Kong customer gateway redefined in another file as a Shanghai one gave 0 findings and exit 0.
Now each second definition is an error (exit 2) naming the first, in every format.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import all_formats, scan_json

VPN = """\
provider "alicloud" {
  region = "cn-shanghai"
}
resource "alicloud_vpn_customer_gateway" "peer" {
  ip_address = "203.186.1.1"
}
resource "alicloud_vpn_gateway" "gw" {
  vpc_id = "vpc-1"
}
resource "alicloud_vpn_connection" "c" {
  vpn_gateway_id      = alicloud_vpn_gateway.gw.id
  customer_gateway_id = alicloud_vpn_customer_gateway.peer.id
}
"""

SECOND = {  # a second definition of a name main.tf defines (or of one added to main.tf below), by kind
    "resource": ('resource "alicloud_vpn_customer_gateway" "peer" {\n  ip_address = "58.247.0.30"\n}\n',
                 'duplicate resource "alicloud_vpn_customer_gateway" "peer": already defined at main.tf:4'),
    "provider": ('provider "alicloud" {\n  region = "cn-hongkong"\n}\n',
                 'duplicate provider configuration "alicloud": already defined at main.tf:1'),
    "module": ('module "m" {\n  source = "./b"\n}\n', 'duplicate module "m": already defined at main.tf:'),
    "variable": ('variable "v" {}\n', 'duplicate variable "v": already defined at main.tf:'),
    "output": ('output "o" {\n  value = 2\n}\n', 'duplicate output "o": already defined at main.tf:'),
    "local": ('locals {\n  l = 2\n}\n', "duplicate local value l: already defined at main.tf:"),
    "data": ('data "alicloud_zones" "z" {}\n', 'duplicate data "alicloud_zones" "z": already defined at main.tf:'),
}
FIRST = 'module "m" {\n  source = "./a"\n}\nvariable "v" {}\noutput "o" {\n  value = 1\n}\nlocals {\n  l = 1\n}\ndata "alicloud_zones" "z" {}\n'


def _tree(tmp_path: Path, second: str) -> Path:
    root = tmp_path / "t"
    for sub in ("a", "b"):
        (root / sub).mkdir(parents=True)
        (root / sub / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    (root / "main.tf").write_text(VPN + FIRST)
    (root / "z.tf").write_text(second)
    return root


@pytest.mark.parametrize("kind", sorted(SECOND))
def test_a_name_defined_twice_is_an_error_at_the_second_definition(tmp_path: Path, kind: str) -> None:
    text, message = SECOND[kind]
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, text))
    assert run.rc == 2
    errors = [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]]
    at = 2 if kind == "local" else 1  # a local value's own line; a block's header
    assert [(p, line) for p, line, _m in errors] == [("z.tf", at)], errors
    assert errors[0][2].startswith(message)


def test_a_redefined_customer_gateway_no_longer_hides_the_cross_border_vpn(tmp_path: Path) -> None:
    root = _tree(tmp_path, SECOND["resource"][0])
    out = all_formats(".", "--no-config", "--no-cache", cwd=root)
    for fmt_mark in ("already defined at main.tf:4",):
        assert out.count(fmt_mark) >= 4, out  # text, JSON, SARIF, GitHub annotation


def test_the_same_names_in_two_module_directories_and_in_override_files_are_no_error(tmp_path: Path) -> None:
    root = _tree(tmp_path, "")
    (root / "a" / "main.tf").write_text(VPN + FIRST.replace("./a", "../b"))  # the same names, another module
    (root / "override.tf").write_text('resource "alicloud_vpn_customer_gateway" "peer" {\n  ip_address = "203.186.1.2"\n}\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.doc["errors"] == []
    assert [f["rule_id"] for f in run.doc["findings"]].count("XB101") == 2, run.doc["findings"]
