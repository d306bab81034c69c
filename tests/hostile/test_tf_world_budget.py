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
