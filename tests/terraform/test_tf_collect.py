"""Collection: a module directory is the unit; called local modules are not scanned standalone."""

from __future__ import annotations

import time
from pathlib import Path

from xborder.inputs.terraform import syntax
from xborder.inputs.terraform.plugin import xborder_collect
from xborder.plugins import make_plugin_manager


def _names(tf, tmp_path: Path, files: list[str] | None = None) -> list[str]:
    ctx = tf.make_ctx(tmp_path)
    return [u.name for u in xborder_collect(files if files is not None else tf.all_files(tmp_path), ctx)]


def test_units_are_directories_sorted(tf, tmp_path: Path) -> None:
    tf.write_tree(tmp_path, {
        "main.tf": 'module "net" { source = "./modules/net" }\n',
        "vars.tf": "",
        "modules/net/main.tf": "",
        "envs/prod/main.tf": 'module "net" { source = "../../modules/net" }\n',
        "envs/dev/main.tf.json": "{}",
        "other/a.tf": "",
        "docs/readme.md": "",
        "only-vars/x.tfvars": "a = 1\n",
    })
    assert _names(tf, tmp_path) == [".", "envs/dev", "envs/prod", "other"]


def test_single_file_gives_its_directory(tf, tmp_path: Path) -> None:
    tf.write_tree(tmp_path, {"envs/prod/main.tf": 'resource "x_t" "t" {}\n', "envs/prod/net.tf": 'resource "x_t" "u" {}\n',
                          "envs/prod/prod.auto.tfvars": "a = 1\n"})
    ctx = tf.make_ctx(tmp_path)
    units = xborder_collect(["envs/prod/prod.auto.tfvars"], ctx)
    assert [u.name for u in units] == ["envs/prod"]
    res = units[0].load(ctx)
    assert sorted(r.address for r in res.resources) == ["x_t.t", "x_t.u"]
    assert [u.name for u in xborder_collect(["envs/prod/net.tf"], ctx)] == ["envs/prod"]


def test_called_module_alone_is_its_own_unit(tf, tmp_path: Path) -> None:
    tf.write_tree(tmp_path, {"main.tf": 'module "net" { source = "./net" }\n', "net/main.tf": ""})
    assert _names(tf, tmp_path, ["net/main.tf"]) == ["net"]


def test_cycle_of_directories_keeps_one_root(tf, tmp_path: Path) -> None:
    tf.write_tree(tmp_path, {"a/main.tf": 'module "b" { source = "../b" }\n', "b/main.tf": 'module "a" { source = "../a" }\n'})
    assert _names(tf, tmp_path) == ["a"]


def test_plugin_is_registered() -> None:
    pm = make_plugin_manager(load_entry_points=False)
    assert pm.get_plugin("xborder.inputs.terraform.plugin") is not None


def test_parse_cache_and_speed(tf, tmp_path: Path, monkeypatch) -> None:
    files = {f"f{i}.tf": f'variable "v{i}" {{ default = "10.0.0.{i}" }}\n'
                         f'resource "aws_customer_gateway" "g{i}" {{\n  ip_address = var.v{i}\n  tags = {{ n = "{i}" }}\n}}\n'
             for i in range(10)}
    tf.write_tree(tmp_path, files)
    ctx = tf.make_ctx(tmp_path)
    calls = []
    real = syntax._parse_hcl_file
    monkeypatch.setattr(syntax, "_parse_hcl_file", lambda text, pf: (calls.append(pf.path), real(text, pf))[1])
    units = xborder_collect(tf.all_files(tmp_path), ctx)
    t0 = time.perf_counter()
    res = units[0].load(ctx)
    elapsed = time.perf_counter() - t0
    assert len(res.resources) == 10 and res.errors == []
    assert sorted(calls) == sorted(files)  # each file parsed once, though collect and load both read them
    assert elapsed < 0.5  # a few ms in practice; generous for loaded CI machines
