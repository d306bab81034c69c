"""Checkov gives exactly the scan's verdict per instance: `count`/`for_each` instances on both sides of the
border, module instances, and every severity (high, medium, low), through one and through the wrapper."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT
from .test_checkov import checkov_verdicts, run_checkov

pytestmark = pytest.mark.usefixtures("terraform_input")
DATA = Path(__file__).parent / "data" / "instances"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for env in ("prod", "staging"):
        (tmp_path / "envs" / env).mkdir(parents=True)
        text = (DATA / "prod.tf").read_text(encoding="utf-8")
        if env == "staging":  # another module call name, so each module instance has its own address
            text = text.replace('module "site"', 'module "branch"')
        (tmp_path / "envs" / env / "main.tf").write_text(text, encoding="utf-8")
    (tmp_path / "modules" / "vpn").mkdir(parents=True)
    shutil.copy(DATA / "module.tf", tmp_path / "modules" / "vpn" / "main.tf")
    return tmp_path


def standalone(root: Path) -> list[dict]:
    run = subprocess.run(
        [sys.executable, "-m", "xborder", "scan", ".", "--format", "json", "--fail-on", "never", "--no-config"],
        cwd=root, check=False, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return [f for f in json.loads(run.stdout)["findings"] if f["rule_id"] != "XB001"]


EXPECTED_FAILED = {
    # count: [0] is Hong Kong (crossing), [1] is Guangdong (domestic): only [0] fails
    ("aws_vpn_connection.v[0]", "XB101", "HIGH"),
    # for_each over another resource's instances: Checkov sees one block; it fails because e["hk"] does
    ("aws_vpn_connection.e", "XB101", "HIGH"),
    # module for_each: only the Hong Kong instance
    ('module.site["hk"].aws_vpn_connection.this', "XB101", "HIGH"),
    ("aws_vpn_connection.unknown", "XB102", "LOW"),
    ("aws_ec2_client_vpn_endpoint.staff", "XB103", "MEDIUM"),
    # XB201 is a high rule; this finding is medium (a licensed carrier is named): Checkov says MEDIUM
    ("azurerm_express_route_circuit.c", "XB201", "MEDIUM"),
}


def test_checkov_verdict_per_instance_matches_the_scan(checkov_exe: str, tree: Path) -> None:
    mine = standalone(tree)
    theirs = checkov_verdicts(run_checkov(checkov_exe, tree, cwd=tree))
    for env in ("prod", "staging"):
        path = f"envs/{env}/main.tf"
        failed = {(k[1], k[2], v["severity"]) for k, v in theirs.items() if v["verdict"] == "FAILED" and k[0] == path}
        assert failed == EXPECTED_FAILED - {('module.site["hk"].aws_vpn_connection.this', "XB101", "HIGH")}, env
        # the clean siblings are PASSED, never FAILED with a sibling's details
        assert theirs[(path, "aws_vpn_connection.v[1]", "XB101")]["verdict"] == "PASSED"
    module_failed = {(k[1], k[2], v["severity"]) for k, v in theirs.items() if v["verdict"] == "FAILED" and k[0] == "modules/vpn/main.tf"}
    assert module_failed == {(f'module.{m}["hk"].aws_vpn_connection.this', "XB101", "HIGH") for m in ("site", "branch")}
    assert theirs[("modules/vpn/main.tf", 'module.site["sh"].aws_vpn_connection.this', "XB101")]["verdict"] == "PASSED"
    # every FAILED record is one of the scan's findings, with its severity and its evidence
    by_key = {(f["path"], f["resource"], f["rule_id"]): f for f in mine}
    for (path, resource, rule), record in theirs.items():
        if record["verdict"] != "FAILED":
            continue
        exact = by_key.get((path, resource, rule))
        if exact is not None:
            assert record["severity"] == exact["severity"].upper()
            assert record["details"][0] == f"{rule} [{exact['severity']}] {exact['message']}"
        else:  # the block Checkov did not expand: the failing instance is named
            assert any(d.startswith("- instance: aws_vpn_connection.e[") for d in record["details"]), record["details"]
    # the scan's own per-instance verdicts that Checkov can see one by one
    assert {(f["resource"], f["rule_id"]) for f in mine if f["path"] == "envs/prod/main.tf"} >= {
        ("aws_vpn_connection.v[0]", "XB101"), ('aws_vpn_connection.e["hk"]', "XB101"), ("azurerm_express_route_circuit.c", "XB201"),
    }
    assert not any(f["resource"] in ("aws_vpn_connection.v[1]", 'aws_vpn_connection.e["sh"]') for f in mine)


def test_wrapper_uses_one_root_for_many_files(checkov_exe: str, tree: Path) -> None:
    """Files of two root modules: one report, repository-relative paths, each failure once."""
    env = dict(os.environ, XBORDER_CHECKOV=checkov_exe, LOG_LEVEL="WARNING")
    run = subprocess.run(
        [sys.executable, "-m", "xborder", "checkov", "--framework", "terraform", "--check", "CKV_XB_*", "-o", "json",
         "--", "envs/prod/main.tf", "envs/staging/main.tf", "modules/vpn/main.tf"],
        cwd=tree / "envs", env=env, check=False, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    doc = json.loads(run.stdout)
    assert isinstance(doc, dict), "one Checkov report, not one per root"
    failed = [(r["file_path"], r["resource"], r["check_id"]) for r in doc["results"]["failed_checks"]]
    assert len(failed) == len(set(failed))
    assert not any("/../" in p for p, _, _ in failed)
    assert ("/modules/vpn/main.tf", 'module.site["hk"].aws_vpn_connection.this', "CKV_XB_101") in failed
    assert {p for p, _, _ in failed} == {"/envs/prod/main.tf", "/envs/staging/main.tf", "/modules/vpn/main.tf"}
    assert ("/modules/vpn/main.tf", 'module.branch["hk"].aws_vpn_connection.this', "CKV_XB_101") in failed


def test_checks_dir_is_inside_the_package() -> None:
    assert (REPO_ROOT / "src" / "xborder" / "checkov" / "xborder_checkov_checks.py").is_file()
