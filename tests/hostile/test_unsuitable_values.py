"""A variable value that does not convert to the variable's declared type (`"abc"` for `list(number)`, an object
without a required attribute, a tuple of another length): Terraform refuses to plan ("Invalid value for input
variable"), whether the value comes from a variables file, `--var`, a module call or a default. xborder kept such
a value as it was and judged links with it, exit 0: a customer gateway object missing a required attribute was
read with the address it did hold. Now each such value is an error (exit 2) where it is written, and the
variable's readers get Unknown, never a concrete value Terraform would not use.

The verdicts (which values Terraform refuses) are recorded from `terraform console` (Terraform 1.x, offline); with
`terraform` on PATH the recorded verdicts are checked against it again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import all_formats, scan_json

# (type constraint, tfvars value, Terraform accepts it)
VERDICTS = [
    ("list(number)", '[443, "abc"]', False),
    ("list(number)", '[443, "80", null]', True),
    ("list(number)", '"443"', False),
    ("number", '" 1"', False),
    ("number", '"1e3"', True),
    ("number", "true", False),
    ("bool", '"1"', True),
    ("bool", '"yes"', False),
    ("bool", "1", False),
    ("string", "5", True),
    ("string", "true", True),
    ("string", "[1]", False),
    ("string", "{ a = 1 }", False),
    ("object({ a = string, b = optional(number) })", "{ b = 1 }", False),
    ("object({ a = string, b = optional(number) })", '{ a = "x", c = 2 }', True),
    ("object({ a = string })", "{ a = null }", True),
    ("object({ a = string })", "5", False),
    ("object({ a = list(number) })", '{ a = [1, "z"] }', False),
    ("map(object({ region = string }))", '{ x = { region = "a" }, y = { reg = "b" } }', False),
    ("map(string)", "{ a = 1, b = true }", True),
    ("map(string)", '["a"]', False),
    ("map(any)", '{ a = true, b = 1 }', False),
    ("map(any)", '{ a = 1, b = "x" }', True),
    ("map(any)", "{ a = { x = 1 }, b = { y = true } }", False),
    ("list(any)", '[{ a = 1 }, { b = "x" }]', True),
    ("list(any)", '[[1], ["a"]]', True),
    ("list(any)", "[[1], { a = 1 }]", False),
    ("list(any)", "[[1], [true]]", False),
    ("tuple([string, number])", '["a", 1, 2]', False),
    ("tuple([string, number])", '["a", "1"]', True),
    ("tuple([string])", "[]", False),
    ("set(string)", '["a", 1, "a"]', True),
    ("set(number)", '["a"]', False),
    ("any", '[1, "a", { b = true }]', True),
    # a null among tuples or objects of different types has no common type (cty: "all map elements must have the
    # same type"); without the null, or with primitives, they unify; a collection of `any` inside a collection
    # takes one element type across the whole value
    ("map(any)", '{ x = [], z = null, y = ["b", "c"] }', False),
    ("map(any)", '{ x = [], y = ["b", "c"] }', True),
    ("map(any)", "{ x = null, y = { a = 1 }, z = { b = 2 } }", False),
    ("map(any)", "{ y = { a = 1 }, z = { b = 2 } }", True),
    ("map(any)", '{ x = null, y = [1], z = ["b"] }', False),
    ("map(any)", '{ x = null, y = ["a"], z = ["b"] }', True),
    ("map(any)", '{ x = null, y = "a", z = 1 }', True),
    ("list(any)", '[null, [], ["b"]]', False),
    ("list(any)", '[null, "a", 1]', True),
    ("map(list(any))", '{ x = [["a"]], y = ["b"] }', False),
    ("map(list(any))", '{ x = ["a"], y = [1] }', True),
]


def _verdict_tree(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    decls = [f'variable "v{i}" {{\n  type = {t}\n}}\n' for i, (t, _v, _ok) in enumerate(VERDICTS)]
    (root / "main.tf").write_text("".join(decls))
    (root / "terraform.tfvars").write_text("".join(f"v{i} = {v}\n" for i, (_t, v, _ok) in enumerate(VERDICTS)))
    return root


def _refused_lines(errors: list[tuple[str, int]]) -> set[int]:
    return {line for path, line in errors if path == "terraform.tfvars"}


def test_values_are_refused_exactly_where_terraform_refuses_them(tmp_path: Path) -> None:
    root = _verdict_tree(tmp_path / "t")
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    refused = _refused_lines([(e["path"], e["line"]) for e in run.doc["errors"]])
    expected = {i + 1 for i, (_t, _v, ok) in enumerate(VERDICTS) if not ok}
    assert refused == expected, [VERDICTS[n - 1] for n in refused ^ expected]
    assert len(run.doc["errors"]) == len(expected)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH (recorded verdicts used)")
def test_the_recorded_verdicts_are_terraforms(tmp_path: Path) -> None:
    root = _verdict_tree(tmp_path / "t")
    proc = subprocess.run([shutil.which("terraform") or "terraform", "console", "-no-color"], cwd=root, input="1\n",
                          capture_output=True, text=True, timeout=120, check=False)
    out = proc.stdout + proc.stderr
    refused = {int(n) for n in re.findall(r"Invalid value for input variable\s+on terraform\.tfvars line (\d+)", out)}
    expected = {i + 1 for i, (_t, _v, ok) in enumerate(VERDICTS) if not ok}
    assert refused == expected, [VERDICTS[n - 1] for n in refused ^ expected]


CGW = """\
variable "cgw" {
  type = object({ ip = string, backup_ip = string })
}
provider "alicloud" {
  region = "cn-shanghai"
}
resource "alicloud_vpn_customer_gateway" "peer" {
  ip_address = var.cgw.ip
}
resource "alicloud_vpn_gateway" "gw" {
  vpc_id = "vpc-1"
}
resource "alicloud_vpn_connection" "c" {
  vpn_gateway_id      = alicloud_vpn_gateway.gw.id
  customer_gateway_id = alicloud_vpn_customer_gateway.peer.id
}
"""


def _cgw_tree(tmp_path: Path, value: str) -> Path:
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW)
    (root / "terraform.tfvars").write_text(f"# the peer\ncgw = {value}\n")
    return root


def test_an_object_missing_a_required_attribute_is_an_error_and_unknown(tmp_path: Path) -> None:
    """Was: exit 0, no finding (the Shanghai address read from an object Terraform refuses)."""
    run = scan_json(".", "--no-config", "--no-cache", cwd=_cgw_tree(tmp_path, '{ ip = "58.247.0.30" }'))
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "terraform.tfvars", 2,
        'invalid value for input variable var.cgw (declared at main.tf:1 as object({ ip = string, backup_ip = string })): '
        'attribute "backup_ip" is required; Terraform refuses to plan, xborder reads var.cgw as unknown')]
    assert run.rules == ["XB102"], run.doc["findings"]  # the customer gateway's place is unknown, not Shanghai
    assert "Terraform refuses its value" in run.out


def test_the_error_is_in_every_format(tmp_path: Path) -> None:
    out = all_formats(".", "--no-config", "--no-cache", cwd=_cgw_tree(tmp_path, '{ ip = "58.247.0.30" }'))
    assert out.count('attribute "backup_ip" is required') >= 4, out  # text, JSON, SARIF, GitHub annotation


@pytest.mark.parametrize("ip,rules", [("58.247.0.30", []), ("203.186.1.1", ["XB101"]), ("202.175.3.3", ["XB101"])])
def test_a_value_that_converts_is_judged_as_before(tmp_path: Path, ip: str, rules: list[str]) -> None:
    """Negatives and traps: extra attributes are dropped, a number converts to a string; Shanghai is mainland (no
    finding), Hong Kong and Macau are offshore (a cross-border link)."""
    run = scan_json(".", "--no-config", "--no-cache", cwd=_cgw_tree(tmp_path, f'{{ ip = "{ip}", backup_ip = 5, x = [1] }}'))
    assert run.doc["errors"] == []
    assert run.rules == rules, run.doc["findings"]


def test_a_var_option_that_does_not_convert_is_an_error_at_the_declaration(tmp_path: Path) -> None:
    root = _cgw_tree(tmp_path, '{ ip = "58.247.0.30", backup_ip = "58.247.0.31" }')
    run = scan_json(".", "--no-config", "--no-cache", "--var", 'cgw={ ip = "203.186.1.1" }', cwd=root)
    assert run.rc == 2
    errors = [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]]
    assert errors == [("main.tf", 1, 'invalid value given by --var for input variable var.cgw (type object({ ip = '
                       'string, backup_ip = string })): attribute "backup_ip" is required; Terraform refuses to plan, '
                       "xborder reads var.cgw as unknown")]
    assert run.rules == ["XB102"]


MODULE_CALL = """\
module "peer" {
  source = "./peer"
  cgw    = { ip = "58.247.0.30" }
}
"""




@pytest.mark.parametrize("call,errors,rules", [
    (MODULE_CALL, [("main.tf", 3, "invalid value for input variable module.peer.var.cgw (declared at peer/main.tf:1 as "
                    'object({ ip = string, backup_ip = string })): attribute "backup_ip" is required; Terraform refuses '
                    "to plan, xborder reads module.peer.var.cgw as unknown")], ["XB102"]),
    (MODULE_CALL.replace('" }', '", backup_ip = 1 }'), [], []),
    (MODULE_CALL.replace("58.247.0.30", "203.186.1.1").replace('" }', '", backup_ip = 1 }'), [], ["XB101"]),
])
def test_a_module_argument_that_does_not_convert_is_an_error_at_the_argument(
        tmp_path: Path, call: str, errors: list[tuple[str, int, str]], rules: list[str]) -> None:
    root = tmp_path / "t"
    (root / "peer").mkdir(parents=True)
    (root / "peer" / "main.tf").write_text(CGW)
    (root / "main.tf").write_text(call)
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == errors
    assert run.rules == rules, run.doc["findings"]
    assert run.rc == (2 if errors else 1 if rules else 0)


def test_a_default_that_does_not_convert_is_an_error_at_the_default(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW.replace("string })\n}", 'string })\n  default = { ip = "203.186.1.1" }\n}', 1))
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("main.tf", 3)]
    assert run.doc["errors"][0]["message"].startswith('invalid default value for variable "cgw" (type object(')
    assert run.rules == ["XB102"]
