"""OpenTofu files: a link written in `.tofu`/`.tofu.json` is judged, and a `.tofu` file cannot hide a `.tf` one.

OpenTofu reads `.tf`, `.tf.json`, `.tofu` and `.tofu.json`, and when `x.tofu` and `x.tf` (or `x.tofu.json`
and `x.tf.json`) are both present it reads only the `.tofu` one; Terraform ignores `.tofu` files. Whoever
deploys the directory may use either tool, so xborder judges both views (`loader.OpenTofuUnit`): a link
both views give is one finding, a link only OpenTofu's view gives says so in a note.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.tree_support import write_tree

from .conftest import all_formats, scan_json, xborder

PROVIDER = 'provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
MAINLAND_PEER = "58.247.0.10"  # Shanghai: not cross-border
OFFSHORE_PEER = "1.2.3.4"


def _vpn(peer: str) -> str:
    return (
        f'resource "alicloud_vpn_customer_gateway" "cgw" {{\n  ip_address = "{peer}"\n}}\n'
        'resource "alicloud_vpn_connection" "c" {\n'
        "  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id\n"
        '  vpn_gateway_id = "vpn-1"\n}\n'
    )


def _scan(tmp_path: Path, *extra: str):  # noqa: ANN202 - the conftest Run
    return scan_json(".", "--no-config", "--no-cache", *extra, cwd=tmp_path)


def _xb101(run) -> list[dict]:  # noqa: ANN001
    return [f for f in run.doc["findings"] if f["rule_id"] == "XB101"]


def test_vpn_in_a_tofu_file_is_judged(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tofu": PROVIDER + _vpn(OFFSHORE_PEER)})
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["path"] == "main.tofu", run.doc
    assert any("OpenTofu" in e for e in f["evidence"]), f


def test_vpn_in_a_tofu_json_file_is_judged(tmp_path: Path) -> None:
    doc = {
        "provider": {"alicloud": {"region": "cn-shanghai"}},
        "resource": {
            "alicloud_vpn_customer_gateway": {"cgw": {"ip_address": OFFSHORE_PEER}},
            "alicloud_vpn_connection": {"c": {"customer_gateway_id": "${alicloud_vpn_customer_gateway.cgw.id}",
                                              "vpn_gateway_id": "vpn-1"}},
        },
    }
    (tmp_path / "main.tofu.json").write_text(json.dumps(doc, indent=2))
    run = _scan(tmp_path)
    assert [f["path"] for f in _xb101(run)] == ["main.tofu.json"], run.doc


def test_mainland_peer_in_a_tofu_file_gives_no_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tofu": PROVIDER + _vpn(MAINLAND_PEER)})
    run = _scan(tmp_path)
    assert _xb101(run) == [] and run.rc == 0, run.doc


def test_an_empty_tofu_twin_does_not_hide_the_tf_file(tmp_path: Path) -> None:
    """Terraform deploys `main.tf` whatever `main.tofu` says: OpenTofu's view alone would hide it."""
    write_tree(tmp_path, {"main.tf": PROVIDER + _vpn(OFFSHORE_PEER), "main.tofu": PROVIDER})
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["path"] == "main.tf"
    assert not any("OpenTofu" in e for e in f["evidence"]), f  # Terraform's view gives it


def test_tofu_twin_replacing_the_tf_file_is_judged(tmp_path: Path) -> None:
    """`main.tf` is harmless (mainland peer); OpenTofu reads `main.tofu` instead, which crosses the border."""
    write_tree(tmp_path, {"main.tf": PROVIDER + _vpn(MAINLAND_PEER), "main.tofu": PROVIDER + _vpn(OFFSHORE_PEER)})
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["path"] == "main.tofu"
    assert any("OpenTofu" in e for e in f["evidence"]), f
    text = all_formats(".", "--no-config", "--no-cache", cwd=tmp_path)
    assert text.count("main.tofu") >= 4  # text, JSON, SARIF, GitHub


def test_both_views_giving_one_link_is_one_finding(tmp_path: Path) -> None:
    """`vpn.tf` has no twin: both tools read it, one finding, no OpenTofu note."""
    write_tree(tmp_path, {"vpn.tf": _vpn(OFFSHORE_PEER), "main.tf": PROVIDER, "main.tofu": PROVIDER})
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["path"] == "vpn.tf"
    assert not any("OpenTofu" in e for e in f["evidence"]), f


def test_tofu_variable_default_changes_the_tf_resource(tmp_path: Path) -> None:
    """`variables.tofu` replaces `variables.tf` for OpenTofu: the same `vpn.tf` resource, another peer."""
    write_tree(tmp_path, {
        "main.tf": PROVIDER,
        "vpn.tf": _vpn(MAINLAND_PEER).replace(f'"{MAINLAND_PEER}"', "var.peer"),
        "variables.tf": f'variable "peer" {{\n  default = "{MAINLAND_PEER}"\n}}\n',
        "variables.tofu": f'variable "peer" {{\n  default = "{OFFSHORE_PEER}"\n}}\n',
    })
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["path"] == "vpn.tf"
    assert any("OpenTofu" in e for e in f["evidence"]), f


def test_override_tofu_file_is_applied(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "main.tf": PROVIDER + _vpn(MAINLAND_PEER),
        "override.tofu": f'resource "alicloud_vpn_customer_gateway" "cgw" {{\n  ip_address = "{OFFSHORE_PEER}"\n}}\n',
    })
    run = _scan(tmp_path)
    assert len(_xb101(run)) == 1, run.doc


def test_module_of_only_tofu_files(tmp_path: Path) -> None:
    """A module directory holding only `.tofu` files is read (not XB002 "holds no .tf file"); Terraform reads it
    as an empty module, which is no link."""
    write_tree(tmp_path, {
        "main.tf": PROVIDER + f'module "vpn" {{\n  source = "./modules/vpn"\n  peer = "{OFFSHORE_PEER}"\n}}\n',
        "modules/vpn/main.tofu": 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer"),
    })
    run = _scan(tmp_path)
    assert run.rules == ["XB101"], run.doc
    [f] = _xb101(run)
    assert f["path"] == "modules/vpn/main.tofu"


def test_module_of_only_tofu_files_mainland_peer(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "main.tf": PROVIDER + f'module "vpn" {{\n  source = "./modules/vpn"\n  peer = "{MAINLAND_PEER}"\n}}\n',
        "modules/vpn/main.tofu": 'variable "peer" {}\n' + _vpn(MAINLAND_PEER).replace(f'"{MAINLAND_PEER}"', "var.peer"),
    })
    run = _scan(tmp_path)
    assert run.rules == [] and run.rc == 0, run.doc


def test_module_called_only_from_a_tofu_file(tmp_path: Path) -> None:
    """The module call is in `main.tofu`: the module is judged with its caller's input, not standalone."""
    write_tree(tmp_path, {
        "main.tofu": PROVIDER + f'module "vpn" {{\n  source = "./modules/vpn"\n  peer = "{OFFSHORE_PEER}"\n}}\n',
        "modules/vpn/main.tf": 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer"),
    })
    run = _scan(tmp_path)
    [f] = _xb101(run)
    assert f["resource"] == "module.vpn.alicloud_vpn_connection.c", f


def test_changed_tofu_module_file_is_judged_with_its_caller(tmp_path: Path) -> None:
    """Pre-commit names the changed file only: its callers (in `.tofu` files too) are found."""
    write_tree(tmp_path, {
        "live/main.tofu": PROVIDER + f'module "vpn" {{\n  source = "../modules/vpn"\n  peer = "{OFFSHORE_PEER}"\n}}\n',
        "modules/vpn/main.tofu": 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer"),
    })
    run = xborder("scan", "--no-config", "--no-cache", "--format", "json", "--", "modules/vpn/main.tofu", cwd=tmp_path)
    [f] = _xb101(run)
    assert f["resource"] == "module.vpn.alicloud_vpn_connection.c", run.doc


def test_scanning_one_root_reads_its_tofu_module_outside_the_scanned_path(tmp_path: Path) -> None:
    """`xborder scan envs/prod`: the module directory is not scanned itself, but the root's tree holds `.tofu`."""
    write_tree(tmp_path, {
        "envs/prod/main.tf": PROVIDER + f'module "vpn" {{\n  source = "../../modules/vpn"\n  peer = "{OFFSHORE_PEER}"\n}}\n',
        "modules/vpn/main.tofu": 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer"),
    })
    run = scan_json("envs/prod", "--no-config", "--no-cache", "--root", ".", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc
    [f] = _xb101(run)
    assert f["path"] == "modules/vpn/main.tofu", f


def test_changed_root_file_reads_its_tofu_module(tmp_path: Path) -> None:
    """Pre-commit names only the root's changed `.tf` file; its module is all `.tofu`."""
    write_tree(tmp_path, {
        "envs/prod/main.tf": PROVIDER + f'module "vpn" {{\n  source = "../../modules/vpn"\n  peer = "{OFFSHORE_PEER}"\n}}\n',
        "modules/vpn/main.tofu": 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer"),
    })
    run = xborder("scan", "--no-config", "--no-cache", "--format", "json", "--", "envs/prod/main.tf", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc
    assert [f["path"] for f in _xb101(run)] == ["modules/vpn/main.tofu"], run.doc


def test_tofutest_file_is_not_configuration(tmp_path: Path) -> None:
    """`.tofutest.hcl` holds test runs (like `.tftest.hcl`): not read as configuration, not an error."""
    write_tree(tmp_path, {
        "main.tofu": PROVIDER,
        "tests/vpn.tofutest.hcl": 'run "plan" {\n  command = plan\n}\n',
    })
    run = _scan(tmp_path)
    assert run.rules == [] and run.doc["errors"] == [], run.doc


def test_suppression_in_a_tofu_file(tmp_path: Path) -> None:
    vpn = _vpn(OFFSHORE_PEER).replace(
        'resource "alicloud_vpn_connection"',
        '# xborder:ignore XB101 reason="approved leased line, contract CT-2024-001"\nresource "alicloud_vpn_connection"')
    write_tree(tmp_path, {"main.tofu": PROVIDER + vpn})
    run = _scan(tmp_path)
    assert run.rules == [] and run.rc == 0, run.doc
    assert [f["suppressed"] for f in _xb101(run)] == [True]


def test_syntax_error_in_a_tofu_file_is_reported(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PROVIDER, "broken.tofu": 'resource "alicloud_vpn_connection" "c" {\n'})
    run = _scan(tmp_path)
    assert any(e["path"] == "broken.tofu" for e in run.doc["errors"]), run.doc


def test_cached_scan_sees_a_new_tofu_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The result cache keys a directory on its configuration file names: adding `main.tofu` is a change."""
    tree = tmp_path / "tree"
    write_tree(tree, {"main.tf": PROVIDER + _vpn(MAINLAND_PEER)})
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path / "cache"))
    first = xborder("scan", ".", "--no-config", "--format", "json", cwd=tree)
    assert json.loads(first.out)["findings"] == []
    write_tree(tree, {"main.tofu": PROVIDER + _vpn(OFFSHORE_PEER)})
    second = xborder("scan", ".", "--no-config", "--format", "json", cwd=tree)
    assert [f["path"] for f in json.loads(second.out)["findings"]] == ["main.tofu"], second.out


def test_precommit_hook_passes_tofu_files(tmp_path: Path) -> None:
    """The `xborder` hook's `files` pattern and `types: [text]` both take `.tofu` and `.tofu.json` files
    (identify tags `.tofu` by content); `.tofutest.hcl` matches as `.hcl` and is no configuration (above)."""
    import re

    import yaml
    from identify import identify

    hooks = {h["id"]: h for h in yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text())}
    pattern = re.compile(hooks["xborder"]["files"])
    for name in ("main.tofu", "modules/vpn/main.tofu", "main.tofu.json", "override.tofu"):
        assert pattern.search(name), name
        path = write_tree_file(tmp_path, name, PROVIDER)
        assert set(hooks["xborder"]["types"]) <= identify.tags_from_path(str(path)), name


def write_tree_file(root: Path, name: str, text: str) -> Path:
    write_tree(root, {name: text})
    return root / name


def _module_vpn() -> str:
    return 'variable "peer" {}\n' + _vpn(OFFSHORE_PEER).replace(f'"{OFFSHORE_PEER}"', "var.peer")


_REMOTE_CALL = PROVIDER + f'module "vpn" {{\n  source = "example.com/acme/vpn/alicloud"\n  peer = "{OFFSHORE_PEER}"\n}}\n'


@pytest.mark.parametrize("named", [".", "live", "live/main.tf"])
def test_downloaded_module_placed_outside_terraform_dir_holding_tofu(tmp_path: Path, named: str) -> None:
    """modules.json may place a downloaded module anywhere in the repository (here `vendor/vpn`); the tree's
    `.tofu` files there are read in OpenTofu's view (was: an error "found only while evaluating; not read")."""
    write_tree(tmp_path, {
        "live/main.tf": _REMOTE_CALL,
        "live/.terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "vpn", "Source": "example.com/acme/vpn/alicloud", "Dir": "../vendor/vpn"}]}),
        "vendor/vpn/main.tofu": _module_vpn(),
    })
    run = scan_json(named, "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc
    [f] = _xb101(run)
    assert (f["resource"], f["path"]) == ("module.vpn.alicloud_vpn_connection.c", "vendor/vpn/main.tofu"), f
    assert any("OpenTofu" in e for e in f["evidence"]), f


def test_local_call_from_a_downloaded_module_to_a_tofu_module(tmp_path: Path) -> None:
    """A downloaded module (in `.terraform/modules`) calls a local directory of the repository holding `.tofu`."""
    write_tree(tmp_path, {
        "live/main.tf": _REMOTE_CALL,
        "live/.terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "vpn", "Source": "example.com/acme/vpn/alicloud", "Dir": ".terraform/modules/vpn"}]}),
        "live/.terraform/modules/vpn/main.tf": ('variable "peer" {}\n'
                                                'module "inner" {\n  source = "../../../../common/vpn"\n  peer = var.peer\n}\n'),
        "common/vpn/main.tofu": _module_vpn(),
    })
    run = scan_json("live", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc
    [f] = _xb101(run)
    assert (f["resource"], f["path"]) == ("module.vpn.module.inner.alicloud_vpn_connection.c", "common/vpn/main.tofu"), f


def test_downloaded_module_placed_outside_terraform_dir_without_tofu(tmp_path: Path) -> None:
    """Negative: the same tree with `main.tf` is judged once, no OpenTofu note, no error."""
    write_tree(tmp_path, {
        "live/main.tf": _REMOTE_CALL,
        "live/.terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "vpn", "Source": "example.com/acme/vpn/alicloud", "Dir": "../vendor/vpn"}]}),
        "vendor/vpn/main.tf": _module_vpn(),
    })
    run = scan_json("live", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc
    [f] = _xb101(run)
    assert f["path"] == "vendor/vpn/main.tf" and not any("OpenTofu" in e for e in f["evidence"]), f
