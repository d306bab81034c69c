"""Module calls whose subtree cannot matter to a link are not expanded; nothing a scan reports may change.

The walk skips a module call when the called directory names no resource type of interest and declares no
module block. A resource there can still be referred to through a module output: evaluation then creates
the instance, and the loader must find the block (lazily) and report it where the full walk would.
These tests compare the resources the loader returns with the skip and without it (`_dir_text`
answering "may matter" for every directory), on a tree built for it and on fixtures/.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from xborder.context import Options
from xborder.inputs.terraform import loader
from xborder.plugins import make_plugin_manager
from xborder.reports.base import ReportSettings
from xborder.reports.json_report import JsonReporter
from xborder.scan import ScanRequest, run_scan

REPO = Path(__file__).resolve().parents[2]

TREE = {
    "live/main.tf": """
        provider "aws" {
          region = "cn-north-1"
        }
        module "first" {
          source = "../filler"
        }
        module "pg" {
          source = "../pg"
          for_each = toset(["a", "b"])
          family = each.key
        }
        resource "aws_db_instance" "db" {
          identifier           = "db"
          parameter_group_name = module.pg["b"].name
          replicate_source_db  = "arn:aws:rds:us-east-1:123456789012:db:src"
        }
        module "last" {
          source = "../filler"
        }
        module "wrap" {
          source = "../wrap"
        }
        module "wrap_missing" {
          source = "../wrap_missing"
        }
    """,
    "wrap/main.tf": """
        module "inner" {
          source = "../filler"
          count  = 2
        }
        resource "aws_vpc" "w" {}
    """,
    "wrap_missing/main.tf": """
        module "gone" {
          source = "./nope"
        }
    """,
    "pg/main.tf": """
        variable "family" {}
        resource "aws_vpc" "filler" {}
        resource "aws_db_parameter_group" "this" {
          family = var.family
          name   = "pg-${var.family}"
        }
        output "name" {
          value = aws_db_parameter_group.this.id
        }
    """,
    "filler/main.tf": """
        # this module creates a VPC; not a module block
        resource "aws_vpc" "v" {
          cidr_block = "10.0.0.0/16"
        }
    """,
    "filler/broken.tf": 'locals {\n  a = "unclosed\n}\n',
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")


def _scan(root: Path, monkeypatch: pytest.MonkeyPatch, skip: bool, scan: str = ".") -> tuple[str, list[list[str]], int]:
    """The JSON report, the resource addresses each unit's loader returned, and how many calls were skipped."""
    returned: list[list[str]] = []
    skipped = [0]
    collect, skip_call = loader._collect, loader._skip_call

    def recording_collect(*a, **kw):  # noqa: ANN002, ANN003, ANN202
        out = collect(*a, **kw)
        returned.append([r.address for r in out])
        return out

    def counting_skip(*a):  # noqa: ANN002, ANN202
        done = skip_call(*a)
        skipped[0] += done
        return done

    with monkeypatch.context() as m:
        m.setattr(loader, "_collect", recording_collect)
        m.setattr(loader, "_skip_call", counting_skip)
        if not skip:
            m.setattr(loader, "_dir_text", lambda *a: None)
        pm = make_plugin_manager(load_entry_points=False)
        result = run_scan(ScanRequest(paths=[root / scan], root=root, options=Options(jobs=1), use_config=False), pm)
    return JsonReporter(root).render(result, ReportSettings()), returned, skipped[0]


@pytest.mark.parametrize("scan", [".", "live"])  # "live": module directories not collected, parsed by the skip
def test_skipped_module_reached_through_an_output_is_reported_in_walk_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                             scan: str) -> None:
    _write(tmp_path, TREE)
    fast_json, fast, n_fast = _scan(tmp_path, monkeypatch, skip=True, scan=scan)
    full_json, full, n_full = _scan(tmp_path, monkeypatch, skip=False, scan=scan)
    assert n_full == 0 and n_fast == 4  # first, pg, last and wrap (with the calls inside it)
    assert fast == full
    # the parameter group is found through module.pg["b"].name, after the root's own resource (walk order)
    assert ["aws_db_instance.db", 'module.pg["b"].aws_db_parameter_group.this'] in fast
    assert fast_json == full_json
    # the skipped directory's syntax error is still reported, and the unread module inside a wrapper
    assert '"filler/broken.tf"' in fast_json
    assert "module.wrap_missing.module.gone" in fast_json


def test_fixtures_return_the_same_resources_with_and_without_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    fixtures = REPO / "fixtures"
    fast_json, fast, _ = _scan(fixtures, monkeypatch, skip=True)
    full_json, full, _ = _scan(fixtures, monkeypatch, skip=False)
    assert fast == full
    assert fast_json == full_json


def test_whole_unit_type_walks_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An overlay (judged by every resource of its unit) turns the skip off for that unit."""
    tree = dict(TREE)
    tree["live/overlay.tf"] = 'resource "tailscale_device_subnet_routes" "r" {\n  device_id = "d"\n  routes = ["10.0.0.0/16"]\n}\n'
    _write(tmp_path, tree)
    fast_json, fast, _ = _scan(tmp_path, monkeypatch, skip=True)
    full_json, full, _ = _scan(tmp_path, monkeypatch, skip=False)
    assert fast == full
    assert any("module.first.aws_vpc.v" in unit for unit in fast)
    assert any("module.wrap.module.inner[1].aws_vpc.v" in unit for unit in fast)
    assert fast_json == full_json


def test_cached_result_sees_a_link_added_in_a_skipped_subtree(tmp_path: Path) -> None:
    """A skipped subtree's directories are dependencies of the unit: a VPN added there (its text now names
    a type of interest) is found by the next cached scan, as by a scan without cache."""
    tree, cache = tmp_path / "tree", tmp_path / "cache"
    _write(tree, TREE)

    def scan(cache_dir: Path | None) -> str:
        pm = make_plugin_manager(load_entry_points=False)
        request = ScanRequest(paths=[tree], root=tree, options=Options(jobs=1), use_config=False, cache_dir=cache_dir)
        return JsonReporter(tree).render(run_scan(request, pm), ReportSettings())

    before = scan(cache)
    assert "XB101" not in before
    (tree / "filler" / "vpn.tf").write_text(
        'resource "aws_customer_gateway" "c" {\n  ip_address = "8.8.8.8"\n  bgp_asn = 65000\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = aws_customer_gateway.c.id\n'
        '  vpn_gateway_id = "vgw-1"\n  type = "ipsec.1"\n}\n', encoding="utf-8")
    after = scan(cache)
    assert after == scan(None)
    assert "module.wrap.module.inner[1].aws_vpn_connection.v" in after
