"""Folders the walk never enters (`node_modules`, `.venv`, `.tox`, `__pycache__`) are no longer silent: the files
there that xborder would read are counted in one warning per scan, in text, JSON, SARIF and GitHub annotations,
the same cold, cached and warm; naming such a folder on the command line scans it.

Before: a root module in `node_modules/vpn/` gave 0 findings and not a word.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sarif_support import assert_valid_sarif  # noqa: E402
from tree_support import write_tree  # noqa: E402

VPN_TF = """\
provider "aws" {
  region = "cn-north-1"
}
resource "aws_customer_gateway" "c" {
  ip_address = "8.8.8.8"
  bgp_asn    = 65000
  type       = "ipsec.1"
}
resource "aws_vpn_gateway" "v" {}
resource "aws_vpn_connection" "vpn" {
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}
"""
CONN = "conn x\n\tleft=58.247.0.10\n\tright=8.8.8.8\n\tauto=start\n"
WARNING = ("3 files xborder would read (Terraform, device configs by name) were skipped in folders it never scans: "
           ".venv (1), node_modules (2); to scan one, name it on the command line (xborder scan node_modules/x)")
TREE = {
    "main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n',
    "node_modules/vpn/main.tf": VPN_TF,
    "node_modules/vpn/package.json": '{"name": "vpn"}\n',  # not a file xborder reads by name: not counted
    "node_modules/@scope/deep/x/vars.tofu.json": "{}\n",  # OpenTofu reads it too
    ".venv/etc/ipsec.conf": CONN,
    ".git/config": "[core]\n",  # VCS folders hold no configuration: not counted
    "app/__pycache__/m.cpython-311.pyc": "x",
}


def xborder(cwd: Path, *args: str, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    if cache is not None:
        env["XBORDER_CACHE_DIR"] = str(cache)
    return subprocess.run([sys.executable, "-m", "xborder", *args, "--no-config"], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_skipped_files_are_one_warning_in_every_format(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, TREE)
    text = xborder(repo, "scan", ".", "--no-cache")
    assert text.returncode == 0, text.stdout + text.stderr  # a warning, not a failure: nothing read was judged
    assert f"warning: {WARNING}\n" in text.stdout

    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", "--no-cache").stdout)
    assert doc["findings"] == [] and doc["notes"] == [WARNING]

    sarif = json.loads(xborder(repo, "scan", ".", "-f", "sarif", "--no-cache").stdout)
    assert_valid_sarif(sarif)
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "warning", "message": {"text": WARNING}}]

    gh = xborder(repo, "scan", ".", "-f", "github", "--no-cache").stdout
    assert gh == f"::warning title=xborder skipped folders::{WARNING}\n"


def test_cold_cached_and_warm_are_byte_identical_and_follow_changes(tmp_path: Path) -> None:
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    write_tree(repo, TREE)
    for fmt in ("json", "sarif", "text"):
        cold = xborder(repo, "scan", ".", "-f", fmt, "--no-cache").stdout
        first = xborder(repo, "scan", ".", "-f", fmt, cache=cache).stdout
        warm = xborder(repo, "scan", ".", "-f", fmt, cache=cache).stdout
        assert cold == first == warm, fmt
    # a file added deep inside a skipped folder after the warm run: counted at once (the folder's listing changed)
    write_tree(repo, {"node_modules/@scope/deep/x/y/edge-confg": "hostname r\n"})
    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", cache=cache).stdout)
    assert doc["notes"] == [WARNING.replace("3 files", "4 files").replace("node_modules (2)", "node_modules (3)")]
    (repo / "node_modules" / "vpn" / "main.tf").unlink()
    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", cache=cache).stdout)
    assert doc["notes"] == [WARNING]  # removed: no longer counted


def test_naming_a_skipped_folder_scans_it(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, TREE)
    doc = json.loads(xborder(repo, "scan", "node_modules/vpn", "-f", "json", "--no-cache").stdout)
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("XB101", "node_modules/vpn/main.tf")]
    doc = json.loads(xborder(repo, "scan", ".venv", "-f", "json", "--no-cache").stdout)
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("XB101", ".venv/etc/ipsec.conf")]


def test_no_warning_without_files_xborder_would_read(tmp_path: Path) -> None:
    """Negative: a JavaScript project's node_modules, a .tox of Python files, VCS folders and a `.terraform`
    (its modules are read through modules.json) say nothing."""
    repo = tmp_path / "repo"
    write_tree(repo, {
        "main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n',
        "node_modules/left-pad/index.js": "module.exports = 1\n",
        "node_modules/left-pad/package.json": "{}\n",
        ".tox/py311/lib/site.py": "x = 1\n",
        ".git/hooks/x.tf": "# not configuration\n",
        ".terraform/modules/vpn/main.tf": VPN_TF,
    })
    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", "--no-cache").stdout)
    assert doc["notes"] == [] and doc["findings"] == []


def test_a_linked_skipped_folder_is_not_followed(tmp_path: Path) -> None:
    """Negative: the walk never follows a link to a directory; neither does the count."""
    repo = tmp_path / "repo"
    write_tree(repo, {"main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n'})
    write_tree(tmp_path / "shared", {"vpn/main.tf": VPN_TF})
    os.symlink(tmp_path / "shared", repo / "node_modules")
    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", "--no-cache").stdout)
    assert doc["notes"] == []


def test_a_plan_in_a_named_skipped_folder_is_read_as_its_neighbours_are(tmp_path: Path) -> None:
    """The plan reader follows the walk's rule: a folder named on the command line is scanned whole, plans too
    (it kept its own skip list: a plan in a named `node_modules/x` was not read, while a `.tf` beside it was).
    Negative: scanning the repository still passes over `node_modules`, plans included."""
    plan = (Path(__file__).resolve().parent.parent / "fixtures" / "plan" / "tfplan.json").read_text(encoding="utf-8")
    repo = tmp_path / "repo"
    write_tree(repo, {"main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n'})
    for rel in ("node_modules/infra/tfplan.json", ".venv/plans/tfplan.json"):
        (repo / rel).parent.mkdir(parents=True)
        (repo / rel).write_text(plan, encoding="utf-8")
    for named, rel in (("node_modules/infra", "node_modules/infra/tfplan.json"), ("node_modules", "node_modules/infra/tfplan.json"),
                       (".venv/plans", ".venv/plans/tfplan.json")):
        doc = json.loads(xborder(repo, "scan", named, "-f", "json", "--no-cache").stdout)
        assert {(f["rule_id"], f["path"]) for f in doc["findings"]} == {("XB101", rel), ("XB102", rel)}, named
    doc = json.loads(xborder(repo, "scan", ".", "-f", "json", "--no-cache").stdout)
    assert doc["findings"] == []


def test_wireguard_configs_are_counted_by_their_conventional_name(tmp_path: Path) -> None:
    """`wg0.conf` in a skipped folder was not counted (only ipsec.conf, swanctl.conf, *.ovpn, *-confg were): a
    WireGuard tunnel kept in `node_modules/` or `.venv/` was skipped without a word. Same cold and warm."""
    repo = tmp_path / "repo"
    write_tree(repo, {"main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n',
                      "node_modules/vpn/wg0.conf": "[Interface]\nPrivateKey = a\n[Peer]\nPublicKey = b\nEndpoint = 8.8.8.8:51820\n",
                      "node_modules/vpn/wgetrc.conf.txt": "x\n"})
    cache = tmp_path / "cache"
    outs = [xborder(repo, "scan", ".", "-f", "json", cache=cache) for _ in range(2)]
    for proc in outs:
        notes = json.loads(proc.stdout)["notes"]
        assert any("node_modules (1)" in n for n in notes), notes
    assert outs[0].stdout == outs[1].stdout
