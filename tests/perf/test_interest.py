"""Only resources a link can come from are evaluated, and directories that cannot hold one are only checked.

The shortcut must never change a result: a scan with it gives the same JSON as a scan that evaluates every
resource (a third-party link extractor, which may need any resource, turns the shortcut off).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from xborder.context import Options
from xborder.hookspecs import hookimpl
from xborder.plugins import make_plugin_manager
from xborder.reports.base import ReportSettings
from xborder.reports.json_report import JsonReporter
from xborder.scan import ScanRequest, run_scan

REPO = Path(__file__).resolve().parents[2]


class _AnyResourceExtractor:
    """A plugin that may look at every resource: with it, nothing may be skipped."""

    seen: list[str]

    def __init__(self) -> None:
        self.seen = []

    @hookimpl
    def xborder_extract_links(self, resources, ctx):  # noqa: ANN001
        self.seen.extend(r.type for r in resources)
        return []


def _json(paths: list[Path], root: Path, extractor: _AnyResourceExtractor | None = None) -> str:
    pm = make_plugin_manager(load_entry_points=False)
    if extractor is not None:
        pm.register(extractor)
    result = run_scan(ScanRequest(paths=paths, root=root, options=Options(), use_config=False), pm)
    return JsonReporter(root).render(result, ReportSettings())


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")


def test_fixtures_give_the_same_result_with_and_without_the_shortcut():
    fixtures = REPO / "fixtures"
    fast = _json([fixtures], fixtures)
    full = _json([fixtures], fixtures, _AnyResourceExtractor())
    assert '"rule_id"' in fast
    assert fast == full


TREE = {
    # a root with no link type and no module call: only checked, but its syntax error is still reported
    "plain/main.tf": """
        resource "aws_s3_bucket" "logs" {
          bucket = "logs"
        }
        resource "aws_instance" "x" {
          ami = "ami-1"
        """,
    # a root with no link type of its own that calls a module holding a VPN
    "site/main.tf": """
        provider "aws" {
          region = "cn-north-1"
        }
        resource "aws_s3_bucket" "b" {
          bucket = "b"
        }
        module "vpn" {
          source = "../modules/vpn"
          peer   = "8.8.8.8"
        }
        """,
    "modules/vpn/main.tf": """
        variable "peer" {}
        resource "aws_customer_gateway" "cgw" {
          bgp_asn    = 65000
          ip_address = var.peer
          type       = "ipsec.1"
        }
        resource "aws_vpn_gateway" "vgw" {
          vpc_id = "vpc-1"
        }
        resource "aws_iam_role" "unrelated" {
          name = "r"
        }
        resource "aws_vpn_connection" "c" {
          customer_gateway_id = aws_customer_gateway.cgw.id
          vpn_gateway_id      = aws_vpn_gateway.vgw.id
          type                = "ipsec.1"
        }
        """,
}


def test_shortcut_keeps_links_through_modules_and_references(tmp_path):
    _write(tmp_path, TREE)
    fast = _json([tmp_path], tmp_path)
    extractor = _AnyResourceExtractor()
    full = _json([tmp_path], tmp_path, extractor)
    assert fast == full
    # the VPN in mainland China to a US address is found through the module call and the customer gateway
    assert "module.vpn.aws_vpn_connection.c" in fast
    assert "8.8.8.8" in fast
    # the syntax error of the directory that holds no link is reported, with file and line
    assert '"path": "plain/main.tf"' in fast and "HCL syntax error" in fast
    # without the shortcut every resource reaches the plugins
    assert "aws_iam_role" in extractor.seen and "aws_s3_bucket" in extractor.seen


def test_unit_without_links_reports_nothing_else(tmp_path):
    _write(tmp_path, {"only/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'})
    out = _json([tmp_path], tmp_path)
    assert '"findings": []' in out and '"errors": []' in out


def test_directory_without_links_still_reports_what_parsing_finds(tmp_path):
    """A file of a skipped directory that does not close (truncated) is reported exactly as a full parse does."""
    _write(tmp_path, {"only/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "a"\n  tags = {\n'})
    fast = _json([tmp_path], tmp_path)
    full = _json([tmp_path], tmp_path, _AnyResourceExtractor())
    assert fast == full
    assert '"path": "only/main.tf"' in fast and "HCL syntax error" in fast


def test_directory_without_links_does_not_look_for_grammar_errors(tmp_path):
    """The documented limit (README, Performance): an argument set twice between well-closed tokens is
    reported by a full load, not by the lexical check of a directory that cannot matter."""
    _write(tmp_path, {"only/main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "a"\n  bucket = "b"\n}\n'})
    fast = _json([tmp_path], tmp_path)
    full = _json([tmp_path], tmp_path, _AnyResourceExtractor())
    assert '"errors": []' in fast
    assert '"path": "only/main.tf"' in full and "set twice" in full
