"""Defects of the reference whose fixes belong to the Terraform evaluator (D8-D10, D31: fixed there) and
to suppressions (D26-D28, D32). Each is reproduced here on a generated tree and asserts the fixed behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CONN, git_init, scan_json, vpn



@pytest.mark.parametrize(
    "expr",
    [
        'regex("^(a+)+$", "' + "a" * 50 + 'b")',
        'replace("' + "a" * 50 + 'b", "/^(a+)+$/", "x")',
        'length(regexall("(a|aa)+$", "' + "a" * 50 + 'b")) > 0 ? "8.8.8.8" : "1.1.1.1"',
    ],
    ids=["regex", "replace", "regexall"],
)
def test_d08_regex_functions_run_in_linear_time(tmp_path: Path, expr: str) -> None:
    (tmp_path / "main.tf").write_text(vpn(expr))
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.doc["findings"], run.doc  # an unknown (XB102) or a crossing, but an answer in time


def test_d09_nested_for_product_is_bounded(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(vpn('length([for a in range(1000): [for b in range(1000): [for c in range(1000): c]]]) > 0 ? "8.8.8.8" : "1.1.1.1"'))
    run = scan_json(".", cwd=tmp_path, timeout=60)
    assert run.doc["findings"]


@pytest.mark.parametrize("expr", ['format("%999999999d", 1)', 'format("%.999999999f", 1)', 'format("%9999999999d", 1)'])
def test_d10_format_width_is_bounded(tmp_path: Path, expr: str) -> None:
    (tmp_path / "main.tf").write_text(vpn(expr))
    run = scan_json(".", cwd=tmp_path, timeout=30, mem_mb=1536)
    assert run.doc["findings"] and len(run.out) < 1_000_000


def test_d31_exponent_without_fraction(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(vpn().replace("bgp_asn    = 65000", "bgp_asn    = 65000\n  count      = 1e0"))
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == ["XB101"] and run.doc["errors"] == []


def test_d26_form_feeds_do_not_move_a_directive(tmp_path: Path) -> None:
    other = 'resource "aws_customer_gateway" "other" {\n  ip_address = "8.8.4.4"\n  bgp_asn    = 65001\n  type       = "ipsec.1"\n}\n'
    head, rest = vpn().split("}\n", 1)
    text = head + "}\n# harmless comment" + "\x0c" * 6 + "\n" + rest.replace(
        'resource "aws_vpn_connection"', '# xborder:ignore XB101 reason="approved (this sits above other)"\n' + other + 'resource "aws_vpn_connection"'
    )
    (tmp_path / "main.tf").write_text(text)
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules


@pytest.mark.parametrize("name", ["terraform-tag", "ipsec-leftid"])
def test_d27_directive_inside_a_string_is_not_a_suppression(tmp_path: Path, name: str) -> None:
    if name == "terraform-tag":
        (tmp_path / "main.tf").write_text(vpn().replace(
            'type                = "ipsec.1"\n}', 'type                = "ipsec.1"\n  tags = { Name = "hq-link #xborder:ignore XB101 reason=\'ok\'" }\n}'))
    else:
        (tmp_path / "ipsec.conf").write_text(CONN.replace("\tauto=start", '\tleftid="@gw;xborder:ignore XB101 reason=ok"\n\tauto=start'))
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules


def test_d28_directive_on_a_shared_gateway_does_not_cover_other_files(tmp_path: Path) -> None:
    (tmp_path / "gateways.tf").write_text(
        'provider "aws" {\n  region = "cn-north-1"\n}\n'
        '# xborder:ignore XB101 reason="shared gateway file, owned by team B"\n'
        'resource "aws_customer_gateway" "c" {\n  ip_address = "8.8.8.8"\n  bgp_asn    = 65000\n  type       = "ipsec.1"\n}\n'
        'resource "aws_vpn_gateway" "v" {}\n'
    )
    (tmp_path / "vpns.tf").write_text(
        'resource "aws_vpn_connection" "later" {\n  customer_gateway_id = aws_customer_gateway.c.id\n'
        '  vpn_gateway_id      = aws_vpn_gateway.v.id\n  type                = "ipsec.1"\n}\n'
    )
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules


def test_d32_wildcard_approval_is_refused(tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / ".xborder.yaml").write_text('approvals:\n  - rule: "*"\n    reason: everything\n')
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules


def test_d32_until_far_in_the_future_is_not_silently_accepted(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text('# xborder:ignore XB101 reason="ok" until=9999-12-31\n' + CONN)
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules or "XB001" in run.rules or run.doc["errors"]
