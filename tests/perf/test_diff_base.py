"""`--diff-base REV`: only findings new relative to the tree at a git revision (real git, real CLI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

VPN = """
resource "aws_customer_gateway" "{name}" {{
  bgp_asn    = 65000
  ip_address = "{peer}"
  type       = "ipsec.1"
}}

resource "aws_vpn_connection" "{name}" {{
  customer_gateway_id = aws_customer_gateway.{name}.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}}
"""
PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n'


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def _scan(cwd: Path, *args: str) -> tuple[int, dict]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", *args, "--format", "json", "--no-cache"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "infra").mkdir(parents=True)
    (repo / "infra" / "main.tf").write_text(PROVIDER + VPN.format(name="old", peer="8.8.8.8"), encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    return repo


def _resources(doc: dict) -> set[str]:
    return {f["resource"] for f in doc["findings"]}


def test_only_new_findings_are_reported(repo):
    main = repo / "infra" / "main.tf"
    # the old link moves down (other lines before it) and a new cross-border VPN appears
    main.write_text("# moved\n\n" + PROVIDER + VPN.format(name="old", peer="8.8.8.8") + VPN.format(name="new", peer="1.1.1.1"),
                    encoding="utf-8")
    _, full = _scan(repo, "infra")
    assert {"aws_vpn_connection.old", "aws_vpn_connection.new"} <= _resources(full)
    rc, diff = _scan(repo, "infra", "--diff-base", "HEAD")
    assert _resources(diff) == _resources(full) - {"aws_vpn_connection.old"}
    assert "aws_vpn_connection.new" in _resources(diff)
    assert diff["summary"]["baseline_matched"] == len(full["findings"]) - len(diff["findings"]) > 0
    assert rc == 1
    assert not list(repo.rglob("xborder-rev-*")), "the revision is materialised outside the scanned tree"
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True).stdout
    assert status.strip() == "M infra/main.tf", "nothing else is written into the repository"


def test_unchanged_tree_has_nothing_new(repo):
    rc, diff = _scan(repo, "infra", "--diff-base", "HEAD")
    assert diff["findings"] == [] and diff["errors"] == []
    assert rc == 0


def test_a_new_file_is_all_new(repo):
    (repo / "infra" / "more.tf").write_text(VPN.format(name="extra", peer="9.9.9.9"), encoding="utf-8")
    _, diff = _scan(repo, "infra", "--diff-base", "HEAD")
    assert _resources(diff) and all("extra" in r for r in _resources(diff))


def test_unknown_revision_is_a_visible_error(repo):
    rc, doc = _scan(repo, "infra", "--diff-base", "no-such-rev")
    assert rc == 2
    assert any(e["path"] == "--diff-base no-such-rev" and "base revision" in e["message"] for e in doc["errors"])


def test_not_a_repository_is_a_visible_error(tmp_path):
    (tmp_path / "main.tf").write_text(PROVIDER, encoding="utf-8")
    rc, doc = _scan(tmp_path, ".", "--diff-base", "HEAD")
    assert rc == 2 and any("base revision" in e["message"] for e in doc["errors"])
