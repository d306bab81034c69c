"""Confined: nothing outside the repository is read, and nothing from outside appears in any report.

D1 committed symlinks to files outside the tree, D2 a symlink to /dev/zero, D3 module sources and
`.terraform/modules/modules.json` Dir entries leaving the repository, D19 `.xborder.yaml` above the
scanned tree, D29 FIFOs, D11 `include ../../**`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import CONN, all_formats, git_init, scan_json, vpn

SECRET = "ghp_SECRETTOKEN123"
KEY = "AKIAEXAMPLEKEY"


def _outside_secrets(tmp_path: Path) -> Path:
    (tmp_path / "outside-secrets.env").write_text(f'api_token = "{SECRET}"\naws_secret = {KEY}\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    return repo


def test_d01_tfvars_symlink_outside_is_refused_and_never_echoed(tmp_path: Path) -> None:
    repo = _outside_secrets(tmp_path)
    (repo / "terraform.tfvars").symlink_to("../outside-secrets.env")
    (repo / "main.tf").write_text('variable "api_token" {}\nvariable "aws_secret" {}\n' + vpn("var.api_token"))
    run = scan_json(".", cwd=repo)
    assert run.rc == 2
    assert any("outside the repository" in m for m in run.errors_for("terraform.tfvars"))
    everything = all_formats(".", cwd=repo)
    assert SECRET not in everything and KEY not in everything and "outside-secrets" not in everything


def test_d01_auto_tfvars_and_tf_symlinks_outside(tmp_path: Path) -> None:
    repo = _outside_secrets(tmp_path)
    (repo / "x.auto.tfvars").symlink_to("../outside-secrets.env")
    (repo / "env.tf").symlink_to("../outside-secrets.env")
    (repo / "main.tf").write_text('variable "api_token" {}\n' + vpn("var.api_token"))
    run = scan_json(".", cwd=repo)
    assert run.rc == 2
    paths = {e["path"] for e in run.doc["errors"]}
    assert {"x.auto.tfvars", "env.tf"} <= paths
    assert SECRET not in all_formats(".", cwd=repo)


def test_d01_symlink_inside_the_repository_is_still_read(tmp_path: Path) -> None:
    """Negative case: confinement is to the repository, so a link to a sibling directory's file works."""
    repo = tmp_path / "repo"
    (repo / "common").mkdir(parents=True)
    git_init(repo)
    (repo / "common" / "common.tfvars").write_text('office_ip = "8.8.8.8"\n')
    (repo / "app").mkdir()
    (repo / "app" / "terraform.tfvars").symlink_to("../common/common.tfvars")
    (repo / "app" / "main.tf").write_text('variable "office_ip" {}\n' + vpn("var.office_ip"))
    run = scan_json("app", cwd=repo)
    assert run.rules == ["XB101"] and run.doc["errors"] == []


@pytest.mark.parametrize("name", ["zero.tf", "zero.auto.tfvars", "ipsec.conf", "t.yaml"])
def test_d02_symlink_to_dev_zero_is_not_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "a.tf").write_text(vpn())
    (tmp_path / name).symlink_to("/dev/zero")
    run = scan_json(".", cwd=tmp_path, mem_mb=1024)
    assert run.rules == ["XB101"]  # the rest of the scan goes on
    assert run.errors_for(name), run.doc["errors"]


def test_d02_precommit_mode_with_dev_zero_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    git_init(tmp_path)
    (tmp_path / "a" / "main.tf").write_text(vpn())
    (tmp_path / "b" / "zero.tf").symlink_to("/dev/zero")
    (tmp_path / "b" / "main.tf").write_text('module "m" {\n  source = "../a"\n}\n')
    run = scan_json("a/main.tf", cwd=tmp_path, mem_mb=1024)
    assert "XB101" in run.rules


def test_d03_module_source_outside_repository(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "main.tf").write_text('output "secret" {\n  value = "s3cr3t-from-outside"\n}\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    (repo / "main.tf").write_text('module "m" {\n  source = "../outside"\n}\n' + vpn("module.m.secret"))
    run = scan_json(".", cwd=repo)
    unread = [f for f in run.doc["findings"] if f["rule_id"] == "XB002" and f["path"] == "main.tf"]
    assert unread and "outside the repository" in " ".join(f["message"] + " ".join(f["evidence"]) for f in unread), run.doc
    assert run.rc != 0
    assert "s3cr3t-from-outside" not in all_formats(".", cwd=repo)


def test_d03_module_source_deep_dotdot_and_manifest_dir(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "main.tf").write_text('output "secret" {\n  value = "s3cr3t-from-outside"\n}\n')
    repo = tmp_path / "repo"
    (repo / ".terraform" / "modules").mkdir(parents=True)
    git_init(repo)
    manifest = {"Modules": [{"Key": "m", "Source": "git::https://example.com/x.git", "Dir": str(tmp_path / "outside")}]}
    (repo / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest))
    (repo / "main.tf").write_text(
        'module "m" {\n  source = "git::https://example.com/x.git"\n}\n'
        'module "etc" {\n  source = "../../../../../../../../etc"\n}\n' + vpn("module.m.secret")
    )
    run = scan_json(".", cwd=repo)
    assert "s3cr3t-from-outside" not in run.out
    assert run.out.count("outside the repository") >= 2 and run.rc != 0
    assert str(tmp_path) not in all_formats(".", cwd=repo)  # no absolute path of this machine either


def test_d03_module_inside_repository_above_scan_root_is_followed(tmp_path: Path) -> None:
    """Negative case: `../modules` inside the same repository is how Terraform repositories are laid out."""
    repo = tmp_path / "repo"
    (repo / "modules" / "gw").mkdir(parents=True)
    (repo / "envs" / "prod").mkdir(parents=True)
    git_init(repo)
    (repo / "modules" / "gw" / "main.tf").write_text('output "ip" {\n  value = "8.8.8.8"\n}\n')
    (repo / "envs" / "prod" / "main.tf").write_text('module "gw" {\n  source = "../../modules/gw"\n}\n' + vpn("module.gw.ip"))
    run = scan_json(".", cwd=repo / "envs" / "prod")
    assert run.rules == ["XB101"], run.doc


def test_d19_config_above_the_repository_is_not_used(tmp_path: Path) -> None:
    """A checkout (it has .git) never takes approvals from a .xborder.yaml above it (a shared runner's /tmp).

    Without .git, a .xborder.yaml marks the top of the tree (issue 9: same results from any sub-directory),
    so one above the current directory is used; --no-config or --config opt out. That is a documented choice.
    """
    up = tmp_path / "up"
    repo = up / "ci" / "work" / "repo"
    repo.mkdir(parents=True)
    git_init(repo)
    (up / ".xborder.yaml").write_text('approvals:\n  - rule: "XB101"\n    reason: planted by someone else\n')
    (repo / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=repo)
    assert run.rules == ["XB101"] and run.rc == 1
    assert "planted" not in run.out


def test_d19_config_in_the_scanned_tree_is_used(tmp_path: Path) -> None:
    """Negative case: the scan root's own .xborder.yaml still applies without a .git directory."""
    (tmp_path / ".xborder.yaml").write_text('approvals:\n  - rule: "XB101"\n    reason: leased line, contract 42\n')
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == [] and run.rc == 0


def test_d29_fifo_does_not_hang(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text(vpn())
    os.mkfifo(tmp_path / "pipe.conf")
    os.mkfifo(tmp_path / "b.tf")
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.rules == ["XB101"]
    assert run.errors_for("pipe.conf") and run.errors_for("b.tf")


def test_d11_include_walking_the_filesystem_is_refused(tmp_path: Path) -> None:
    (tmp_path / "swanctl.conf").write_text(
        "include ../../../../../../../../../../**/*.conf\n"
        "connections { x { local_addrs = 58.247.0.10\n remote_addrs = 8.8.8.8 } }\n"
    )
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.rules == ["XB002", "XB101"]  # the include is not followed, and says so as a finding
    assert "outside the scanned root" in run.out
