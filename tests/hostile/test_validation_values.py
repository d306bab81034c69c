"""A root variable's given value that its own validation refuses, or for which the validation condition fails to
evaluate: Terraform refuses to plan ("Invalid value for variable"). xborder read the value and judged links with
it, exit 0 or 1 (a Hong Kong peer address a validation refuses was a cross-border finding). Now it is an error
(exit 2) at the value, and the variable reads as Unknown, as a value that does not convert to the variable's type
already does. A condition whose result is not known (it reads a resource attribute) refuses nothing. Also: a
typed variable's default that does not convert to its type is an error even when a value is given (Terraform
rejects the configuration), and null for a variable with `nullable = false` and no default is refused.

The verdicts are Terraform 1.11's (`terraform console -plan`, offline), as the vars family of the fuzz corpus
(tests/fidelity/fuzz_vars.py) records them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import all_formats, scan_json

CGW = """\
variable "peer_ip" {
  type = string
  validation {
    condition     = CONDITION
    error_message = "The peer must be in Shanghai."
  }
}
provider "alicloud" {
  region = "cn-shanghai"
}
resource "alicloud_vpn_customer_gateway" "peer" {
  ip_address = var.peer_ip
}
resource "alicloud_vpn_gateway" "gw" {
  vpc_id = "vpc-1"
}
resource "alicloud_vpn_connection" "c" {
  vpn_gateway_id      = alicloud_vpn_gateway.gw.id
  customer_gateway_id = alicloud_vpn_customer_gateway.peer.id
}
"""
SHANGHAI = 'startswith(var.peer_ip, "58.247.")'


def _tree(tmp_path: Path, condition: str, value: str, extra: str = "") -> Path:
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW.replace("CONDITION", condition) + extra)
    (root / "terraform.tfvars").write_text(f"# the peer\npeer_ip = {value}\n")
    return root


def test_a_value_the_validation_refuses_is_an_error_and_unknown(tmp_path: Path) -> None:
    """Was: exit 1, XB101 (the Hong Kong address judged although Terraform refuses it)."""
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, SHANGHAI, '"203.186.1.1"'))
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "terraform.tfvars", 2,
        "Invalid value for variable var.peer_ip: the validation rule at main.tf:3 does not hold (The peer must be in "
        "Shanghai.); Terraform refuses to plan, xborder reads var.peer_ip as unknown")]
    assert run.rules == ["XB102"], run.doc["findings"]  # the customer gateway's place is unknown


def test_the_error_is_in_every_format(tmp_path: Path) -> None:
    out = all_formats(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, SHANGHAI, '"203.186.1.1"'))
    assert out.count("the validation rule at main.tf:3 does not hold") >= 4, out  # text, JSON, SARIF, GitHub


@pytest.mark.parametrize("ip,rules", [("58.247.0.30", []), ("58.247.1.1", [])])
def test_a_value_the_validation_allows_is_judged_as_before(tmp_path: Path, ip: str, rules: list[str]) -> None:
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, SHANGHAI, f'"{ip}"'))
    assert run.doc["errors"] == []
    assert run.rules == rules, run.doc["findings"]
    assert run.rc == 0


def test_a_condition_that_fails_to_evaluate_is_an_error(tmp_path: Path) -> None:
    """`cidrhost` of an address without a prefix fails in Terraform: the value is refused."""
    run = scan_json(".", "--no-config", "--no-cache",
                    cwd=_tree(tmp_path, "cidrhost(var.peer_ip, 0) != null", '"58.247.0.30"'))
    assert run.rc == 2
    [error] = run.doc["errors"]
    assert (error["path"], error["line"]) == ("terraform.tfvars", 2)
    assert error["message"].startswith("Invalid value for variable var.peer_ip: the validation rule at main.tf:3 "
                                       "fails to evaluate: "), error
    assert run.rules == ["XB102"]


def test_a_condition_that_is_not_known_refuses_nothing(tmp_path: Path) -> None:
    """A condition reading a resource attribute (known only at apply) is not an error; the value is judged."""
    extra = 'resource "alicloud_vpc" "v" {\n  cidr_block = "10.0.0.0/8"\n}\n'
    run = scan_json(".", "--no-config", "--no-cache",
                    cwd=_tree(tmp_path, "alicloud_vpc.v.id != var.peer_ip", '"203.186.1.1"', extra))
    assert run.doc["errors"] == []
    assert run.rules == ["XB101"], run.doc["findings"]


def test_a_var_option_the_validation_refuses_is_an_error_at_the_declaration(tmp_path: Path) -> None:
    root = _tree(tmp_path, SHANGHAI, '"58.247.0.30"')
    run = scan_json(".", "--no-config", "--no-cache", "--var", "peer_ip=203.186.1.1", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("main.tf", 1)]
    assert run.doc["errors"][0]["message"].startswith("Invalid value given by --var for variable var.peer_ip: ")
    assert run.rules == ["XB102"]


def test_a_default_that_does_not_convert_is_an_error_even_when_a_value_is_given(tmp_path: Path) -> None:
    """Was: no error (the given value used; Terraform rejects the configuration for its default)."""
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW.replace("  type = string\n", '  type = string\n  default = ["x"]\n', 1)
                                  .replace("CONDITION", "true"))
    (root / "terraform.tfvars").write_text('peer_ip = "58.247.0.30"\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("main.tf", 3)]
    assert run.doc["errors"][0]["message"].startswith('invalid default value for variable "peer_ip" (type string)')
    assert run.rules == ["XB102"]


def test_null_for_a_variable_that_is_not_nullable_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW.replace("  type = string\n", "  type = string\n  nullable = false\n", 1)
                                  .replace("CONDITION", "true"))
    (root / "terraform.tfvars").write_text("peer_ip = null\n")
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "terraform.tfvars", 1, "Invalid value for variable var.peer_ip: required variable may not be set to null; "
        "Terraform refuses to plan, xborder reads var.peer_ip as unknown")]


def test_a_null_default_of_a_variable_that_is_not_nullable_is_an_error(tmp_path: Path) -> None:
    """Terraform: "A null default value is not valid when nullable=false", whether or not a value is given."""
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(CGW.replace("  type = string\n", "  type = string\n  default = null\n  nullable = false\n", 1)
                                  .replace("CONDITION", "true"))
    (root / "terraform.tfvars").write_text('peer_ip = "58.247.0.30"\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "main.tf", 3, 'invalid default value for variable "peer_ip": a null default value is not valid when '
        "nullable = false; Terraform refuses to plan, xborder reads var.peer_ip as unknown")]
    assert run.rules == ["XB102"]


def test_null_passed_to_a_module_variable_that_is_not_nullable_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "t"
    (root / "peer").mkdir(parents=True)
    (root / "peer" / "main.tf").write_text(CGW.replace("  type = string\n", "  type = string\n  nullable = false\n", 1)
                                           .replace("CONDITION", "true"))
    (root / "main.tf").write_text('module "peer" {\n  source  = "./peer"\n  peer_ip = null\n}\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "main.tf", 3, "Invalid value for variable module.peer.var.peer_ip: required variable may not be set to null; "
        "Terraform refuses to plan, xborder reads module.peer.var.peer_ip as unknown")]
    assert run.rules == ["XB102"]


def _module_tree(tmp_path: Path, condition: str, argument: str, extra: str = "") -> Path:
    root = tmp_path / "t"
    (root / "peer").mkdir(parents=True)
    (root / "peer" / "main.tf").write_text(CGW.replace("CONDITION", condition))
    (root / "main.tf").write_text(f'{extra}module "peer" {{\n  source  = "./peer"\n  peer_ip = {argument}\n}}\n')
    return root


def test_a_module_argument_the_validation_refuses_is_an_error_at_the_argument(tmp_path: Path) -> None:
    """Was: exit 1, XB101 (the Hong Kong address judged although Terraform refuses the call's argument)."""
    run = scan_json(".", "--no-config", "--no-cache", cwd=_module_tree(tmp_path, SHANGHAI, '"203.186.1.1"'))
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "main.tf", 3, "Invalid value for variable module.peer.var.peer_ip: the validation rule at peer/main.tf:3 "
        "does not hold (The peer must be in Shanghai.); Terraform refuses to plan, xborder reads "
        "module.peer.var.peer_ip as unknown")]
    assert run.rules == ["XB102"], run.doc["findings"]


def test_a_module_argument_the_validation_allows_is_judged_as_before(tmp_path: Path) -> None:
    run = scan_json(".", "--no-config", "--no-cache", cwd=_module_tree(tmp_path, 'startswith(var.peer_ip, "203.")',
                                                                         '"203.186.1.1"'))
    assert run.doc["errors"] == []
    assert run.rules == ["XB101"], run.doc["findings"]


def test_a_module_argument_whose_condition_fails_to_evaluate_is_an_error(tmp_path: Path) -> None:
    run = scan_json(".", "--no-config", "--no-cache",
                    cwd=_module_tree(tmp_path, "cidrhost(var.peer_ip, 0) != null", '"58.247.0.30"'))
    assert run.rc == 2
    [error] = run.doc["errors"]
    assert (error["path"], error["line"]) == ("main.tf", 3)
    assert error["message"].startswith("Invalid value for variable module.peer.var.peer_ip: the validation rule at "
                                       "peer/main.tf:3 fails to evaluate: "), error


def test_a_module_argument_not_known_refuses_nothing(tmp_path: Path) -> None:
    """An argument known only at apply (a resource attribute) is not checked: no error."""
    extra = 'resource "alicloud_eip" "e" {\n}\n'
    run = scan_json(".", "--no-config", "--no-cache", cwd=_module_tree(tmp_path, SHANGHAI, "alicloud_eip.e.ip_address", extra))
    assert run.doc["errors"] == []


def test_each_instance_of_a_module_is_checked_on_its_own(tmp_path: Path) -> None:
    """for_each: the Hong Kong instance is refused, the Shanghai one judged (mainland: no finding)."""
    root = tmp_path / "t"
    (root / "peer").mkdir(parents=True)
    (root / "peer" / "main.tf").write_text(CGW.replace("CONDITION", SHANGHAI))
    (root / "main.tf").write_text('module "peer" {\n  source   = "./peer"\n  for_each = toset(["58.247.0.30", '
                                  '"203.186.1.1"])\n  peer_ip  = each.value\n}\n')
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("main.tf", 4)]
    assert 'module.peer["203.186.1.1"].var.peer_ip' in run.doc["errors"][0]["message"]
    assert run.rules == ["XB102"], run.doc["findings"]
    assert 'module.peer["203.186.1.1"]' in run.doc["findings"][0]["resource"]
