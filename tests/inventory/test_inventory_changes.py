"""Change view: `--diff-base REV` marks links added, changed and removed since a git revision."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from test_inventory_formats import xborder

DATA = Path(__file__).resolve().parent / "data"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@xborder.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def test_diff_base_marks_added_changed_and_removed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "approvals", repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    main = repo / "infra" / "main.tf"
    text = main.read_text(encoding="utf-8")
    # change: the Taiwan gateway moves to Shanghai (no longer a crossing)
    text = text.replace('ip_address = "168.95.1.1"', 'ip_address = "202.96.128.86"')
    # remove: the Australian link
    text = text.replace('resource "aws_vpn_connection" "au" {', 'resource "aws_vpn_connection_gone" "au" {')
    # add: a new crossing link to Hong Kong
    text += (
        'resource "aws_customer_gateway" "hk2" {\n  bgp_asn = 65000\n  ip_address = "123.255.90.1"\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_connection" "hk2" {\n  customer_gateway_id = aws_customer_gateway.hk2.id\n  type = "ipsec.1"\n}\n'
    )
    main.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in repo.rglob("*"))

    proc = xborder("inventory", ".", "--format", "json", "--diff-base", "HEAD", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    inv = json.loads(proc.stdout)
    by_id = {row["id"]: row for row in inv["links"]}
    changes = inv["changes"]
    assert changes["base"] == "HEAD"
    assert [by_id[i]["address"] for i in changes["added"]] == ["aws_vpn_connection.hk2"]
    assert [by_id[i]["address"] for i in changes["changed"]] == ["aws_vpn_connection.tw"]
    assert [r["address"] for r in changes["removed"]] == ["aws_vpn_connection.au"]
    assert by_id[changes["changed"][0]]["class"] == "domestic"
    assert {row["address"]: row["change"] for row in inv["links"]}["aws_vpn_connection.hk"] == "unchanged"
    assert sorted(p.name for p in repo.rglob("*")) == before, "nothing written into the scanned tree"

    md = xborder("inventory", ".", "--format", "markdown", "--diff-base", "HEAD", cwd=repo).stdout
    assert "1 links added (1 crossing the border), 1 changed, 1 removed." in md
    csv_text = xborder("inventory", ".", "--format", "csv", "--diff-base", "HEAD", cwd=repo).stdout
    assert ",removed," in csv_text and ",added," in csv_text


def test_diff_base_errors_are_usage_errors(tmp_path: Path) -> None:
    shutil.copytree(DATA / "approvals", tmp_path / "repo")
    proc = xborder("inventory", ".", "--diff-base", "HEAD", cwd=tmp_path / "repo")
    assert proc.returncode == 2 and "--diff-base" in proc.stderr and "Traceback" not in proc.stderr
    git(tmp_path / "repo", "init", "-q")
    proc = xborder("inventory", ".", "--diff-base", "no-such-rev", cwd=tmp_path / "repo")
    assert proc.returncode == 2 and "--diff-base" in proc.stderr
