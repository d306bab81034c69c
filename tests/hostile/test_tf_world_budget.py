"""A Terraform validation list too large to evaluate is an XB002 at the variable, never a silent pass.

`contains([...100,000 values...], var.peer)`: the list is over the evaluation's step budget, so it evaluated to
Unknown and the variable made no worlds and no finding: the Hong Kong value at its end was never judged (exit 0).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

MODULE = """\
variable "peer" {
  default = "58.247.0.1"
  validation {
    condition     = contains([VALUES], var.peer)
    error_message = "a known peer"
  }
}
provider "aws" {
  region = "cn-north-1"
}
resource "aws_customer_gateway" "c" {
  ip_address = var.peer
  bgp_asn    = 65000
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "x" {
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""


def _scan(tmp_path: Path, values: list[str]) -> dict:
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf").write_text(MODULE.replace("VALUES", ", ".join(f'"{v}"' for v in values)))
    return scan_json(".", "--no-config", "--no-cache", cwd=root).doc


def test_a_validation_list_over_the_evaluation_budget_is_reported(tmp_path: Path) -> None:
    doc = _scan(tmp_path, [f"58.247.0.{i % 250}" for i in range(100_000)] + ["203.186.1.1"])
    (finding,) = doc["findings"]
    assert (finding["rule_id"], finding["resource"]) == ("XB002", "var.peer"), finding
    assert "the values its validation allows are not judged (over the evaluation budget" in " ".join(finding["evidence"])


@pytest.mark.parametrize("values,rules", [(["58.247.0.1", "58.247.0.2"], []), (["58.247.0.1", "203.186.1.1"], ["XB101"])])
def test_negative_a_small_validation_list_is_judged_as_before(tmp_path: Path, values: list[str], rules: list[str]) -> None:
    doc = _scan(tmp_path, values)
    assert sorted(f["rule_id"] for f in doc["findings"]) == rules, doc["findings"]


def _many_vpns(root: Path, n: int, values: list[str]) -> None:
    head = MODULE.split('resource "aws_customer_gateway"')[0].replace("VALUES", ", ".join(f'"{v}"' for v in values))
    blocks = [head]
    for i in range(n):
        blocks.append(f'resource "aws_customer_gateway" "c{i}" {{\n  ip_address = var.peer\n  bgp_asn = 65000\n'
                      f'  type = "ipsec.1"\n}}\nresource "aws_vpn_connection" "x{i}" {{\n'
                      f'  customer_gateway_id = aws_customer_gateway.c{i}.id\n  vpn_gateway_id = "vgw-1"\n  type = "ipsec.1"\n}}\n')
    root.mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "main.tf").write_text("".join(blocks))


def test_worlds_of_a_large_root_module_are_bounded_by_resources_times_worlds(tmp_path: Path) -> None:
    """Each world evaluates the module tree again: a root module of 2,700 resources gets 14 worlds (at most 40,000
    resource evaluations over its worlds), and the values beyond (the Hong Kong one last) are an XB002 at the
    variable saying why. Before: all 16 judged, whatever the size (a 10,000-resource root module ~25 s)."""
    from xborder.inputs.terraform.worlds import MAX_WORLD_RESOURCES

    values = [f"58.247.0.{i}" for i in range(1, 17)] + ["203.186.1.1"]
    assert MAX_WORLD_RESOURCES // 2700 == 14
    _many_vpns(tmp_path / "big", 1350, values)
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path / "big", cpu_seconds=60)
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB002", "var.peer"), f
    text = " ".join(f["evidence"])
    assert ("the values 58.247.0.16, 203.186.1.1 its validation allows are not judged (at most 14 other variable values are "
            "judged for this root module") in text, text
    assert "each evaluates its 2700 resources again" in text, text
    # negative: a small root module with the same list judges all 16 (the Hong Kong VPNs found)
    _many_vpns(tmp_path / "small", 3, values)
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path / "small")
    assert sorted(f["rule_id"] for f in run.doc["findings"]) == ["XB101"] * 3, run.doc
