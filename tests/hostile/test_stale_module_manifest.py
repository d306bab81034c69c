"""A downloaded module is read only when `.terraform/modules/modules.json` holds it for the source the call
names: Terraform refuses to plan otherwise ("Module source has changed"). Before, the directory recorded
under the call's key was read whatever source it came from: a `source` edited without `terraform init`
(a pre-commit run on a developer's machine), or the other tool's call in a `.tf`/`.tofu` twin directory
(`tofu get` in the Action), judged the wrong module and could hide a cross-border VPN (0 findings).
Negative twins: the spellings Terraform normalises (registry host, `github.com/` shorthand, `git@` SSH,
`.git`, query order) still read the module.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from xborder.inputs.terraform.modules import installed_elsewhere, source_key

from .conftest import scan_json

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n'
CROSS = """\
resource "aws_customer_gateway" "hk" {
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "v" {}
resource "aws_vpn_connection" "c" {
  customer_gateway_id = aws_customer_gateway.hk.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}
"""
QUIET = 'output "x" {\n  value = 1\n}\n'


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _manifest(source: str) -> str:
    return json.dumps({"Modules": [{"Key": "", "Source": "", "Dir": "."},
                                   {"Key": "vpn", "Source": source, "Dir": ".terraform/modules/vpn"}]})


def _results(root: Path) -> list[tuple[str, str]]:
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    return sorted((f["rule_id"], f["resource"]) for f in run.doc["findings"])


def test_a_module_installed_from_another_source_is_not_read(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": PROVIDER + 'module "vpn" {\n  source = "git::https://example.com/cross-border.git"\n}\n',
        ".terraform/modules/modules.json": _manifest("git::https://example.com/quiet.git"),
        ".terraform/modules/vpn/main.tf": QUIET,
    })
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    (f,) = run.doc["findings"]
    assert (f["rule_id"], f["resource"]) == ("XB002", "module.vpn")
    assert any("installed from git::https://example.com/quiet.git" in e and "Module source has changed" in e
               for e in f["evidence"]), f["evidence"]


@pytest.mark.parametrize(("call", "recorded"), [
    ("example/office-vpn/aws", "registry.terraform.io/example/office-vpn/aws"),
    ("example/office-vpn/aws", "registry.opentofu.org/example/office-vpn/aws"),
    ("github.com/acme/vpn//modules/hk?ref=v1", "git::https://github.com/acme/vpn.git//modules/hk?ref=v1"),
    ("git@github.com:acme/vpn.git", "git::ssh://git@github.com/acme/vpn.git"),
    ("git::https://example.com/vpn.git?ref=v1&depth=1", "git::https://example.com/vpn.git?depth=1&ref=v1"),
])
def test_negative_spellings_terraform_normalises_still_read_the_module(tmp_path: Path, call: str, recorded: str) -> None:
    _write(tmp_path, {
        "main.tf": PROVIDER + f'module "vpn" {{\n  source = "{call}"\n}}\n',
        ".terraform/modules/modules.json": _manifest(recorded),
        ".terraform/modules/vpn/main.tf": CROSS,
    })
    assert _results(tmp_path) == [("XB101", "module.vpn.aws_vpn_connection.c")]


def test_the_other_tools_module_in_a_twin_directory_is_not_read_for_this_view(tmp_path: Path) -> None:
    """`tofu get` installed the `.tofu` view's module under the shared key: Terraform's view (`.tf`) calls
    another source, so it is XB002 there, while OpenTofu's view reads the module."""
    _write(tmp_path, {
        "main.tf": PROVIDER + 'module "vpn" {\n  source = "git::https://example.com/terraform-view.git"\n}\n',
        "main.tofu": PROVIDER + 'module "vpn" {\n  source = "git::https://example.com/tofu-view.git"\n}\n',
        ".terraform/modules/modules.json": _manifest("git::https://example.com/tofu-view.git"),
        ".terraform/modules/vpn/main.tf": CROSS,
    })
    run = scan_json(".", "--no-config", "--no-cache", cwd=tmp_path)
    got = sorted((f["rule_id"], f["resource"], f["path"]) for f in run.doc["findings"])
    assert ("XB002", "module.vpn", "main.tf") in got
    assert any(rule == "XB101" and path.startswith(".terraform/modules/vpn") for rule, _, path in got), got


def test_source_key_tells_modules_apart() -> None:
    assert source_key("git::file:///m/A") != source_key("git::file:///m/B")
    assert source_key("github.com/x/y?ref=v1") != source_key("github.com/x/y?ref=v2")
    assert source_key("x/y/aws") != source_key("x/y/azurerm")
    assert installed_elsewhere("a/b/c", None) == "" and installed_elsewhere("a/b/c", ("", None)) == ""


@pytest.mark.skipif(shutil.which("terraform") is None or shutil.which("git") is None, reason="needs terraform and git")
def test_edited_source_without_init_as_terraform_sees_it(tmp_path: Path) -> None:
    """Real `terraform get` of a `git::file://` module (offline), then the call's source edited: Terraform's
    `validate` says "Module source has changed"; xborder reports XB002, and judges the new module after a get."""
    env = {"TF_CLI_CONFIG_FILE": "/dev/null", "CHECKPOINT_DISABLE": "1", "HOME": str(tmp_path),
           "PATH": __import__("os").environ["PATH"], "GIT_CONFIG_NOSYSTEM": "1"}
    for name, text in (("cross", CROSS), ("quiet", QUIET)):
        repo = tmp_path / "mods" / name
        _write(repo, {"main.tf": text})
        for cmd in (["git", "init", "-q", "."], ["git", "add", "."],
                    ["git", "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "m"]):
            subprocess.run(cmd, cwd=repo, check=True, capture_output=True, env=env)
    root = tmp_path / "root"
    _write(root, {"main.tf": PROVIDER + f'module "vpn" {{\n  source = "git::file://{tmp_path}/mods/quiet"\n}}\n'})
    subprocess.run(["terraform", "get", "-no-color"], cwd=root, check=True, capture_output=True, env=env)
    (root / "main.tf").write_text((root / "main.tf").read_text().replace("/mods/quiet", "/mods/cross"))
    validate = subprocess.run(["terraform", "validate", "-no-color"], cwd=root, capture_output=True, text=True, env=env)
    assert "Module source has changed" in validate.stderr
    assert _results(root) == [("XB002", "module.vpn")]
    subprocess.run(["terraform", "get", "-no-color"], cwd=root, check=True, capture_output=True, env=env)
    assert _results(root) == [("XB101", "module.vpn.aws_vpn_connection.c")]
