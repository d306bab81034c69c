"""xborder's rules inside a real Checkov (its own virtualenv, found through $XBORDER_CHECKOV).

The standalone scan and Checkov must agree on `fixtures/`: the same resources, the same verdicts
(unsuppressed finding = FAILED, suppressed = SKIPPED) and the same evidence in Checkov's `details`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

pytestmark = pytest.mark.usefixtures("terraform_input")

CHECKS_DIR = REPO_ROOT / "src" / "xborder" / "checkov"
TF_SUFFIXES = (".tf", ".tf.json")


def run_checkov(exe: str, target: Path, *extra: str, cwd: Path | None = None) -> dict:
    cmd = [exe, "-d", str(target), "--external-checks-dir", str(CHECKS_DIR), "--framework", "terraform"]
    cmd += ["--check", "CKV_XB_*", "--skip-download", "-o", "json", *extra]
    # an organisation's rule documentation; Checkov carries it into its SARIF as helpUri
    env = dict(os.environ, LOG_LEVEL="WARNING", XBORDER_GUIDELINE_URL="https://docs.example.com/xborder/rules")
    run = subprocess.run(cmd, cwd=cwd or REPO_ROOT, check=False, capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-4000:]
    assert "Cannot load external check" not in run.stderr, run.stderr[-4000:]
    doc = json.loads(run.stdout)
    if isinstance(doc, list):
        [doc] = [d for d in doc if d.get("check_type") == "terraform"]
    if "results" not in doc:  # Checkov's empty report: {"passed": 0, "failed": 0, ...}
        doc = {"results": {"failed_checks": [], "passed_checks": [], "skipped_checks": []}, "summary": doc}
    return doc


def checkov_verdicts(doc: dict) -> dict[tuple[str, str, str], dict]:
    out = {}
    for kind, verdict in (("failed_checks", "FAILED"), ("skipped_checks", "SKIPPED"), ("passed_checks", "PASSED")):
        for r in doc["results"].get(kind, []):
            if not r["check_id"].startswith("CKV_XB_"):
                continue
            key = (r["file_path"].lstrip("/"), r["resource"], "XB" + r["check_id"][len("CKV_XB_") :])
            assert key not in out, f"two Checkov records for {key}"
            out[key] = {"verdict": verdict, **r}
    return out


def standalone(target: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-m", "xborder", "scan", str(target), "--root", str(target), "--format", "json", "--fail-on", "never"],
        cwd=REPO_ROOT,
        check=False, capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode in (0, 2), run.stderr
    return json.loads(run.stdout)


def standalone_verdicts(doc: dict) -> dict[tuple[str, str, str], dict]:
    out = {}
    for f in doc["findings"]:
        if f["rule_id"] == "XB001" or not f["path"].endswith(TF_SUFFIXES):
            continue
        out[(f["path"], f["resource"], f["rule_id"])] = {"verdict": "SKIPPED" if f["suppressed"] else "FAILED", **f}
    return out


def test_checkov_agrees_with_standalone_on_fixtures(checkov_exe: str) -> None:
    fixtures = REPO_ROOT / "fixtures"
    mine = standalone_verdicts(standalone(fixtures))
    theirs = checkov_verdicts(run_checkov(checkov_exe, fixtures))
    judged = {k: v for k, v in theirs.items() if v["verdict"] != "PASSED"}
    assert mine, "the standalone scan of fixtures/ found nothing in Terraform: the comparison would prove nothing"
    assert {k: v["verdict"] for k, v in judged.items()} == {k: v["verdict"] for k, v in mine.items()}
    for key, f in mine.items():
        record = judged[key]
        if f["verdict"] == "FAILED":
            assert record["details"] == [f"{f['rule_id']} [{f['severity']}] {f['message']}", *(f"- {e}" for e in f["evidence"])]
            assert record["file_line_range"][0] == f["start_line"]
        assert record["severity"] == f["severity"].upper()
        assert record["guideline"] == f"https://docs.example.com/xborder/rules#{f['rule_id'].lower()}"
    # resources of covered types without a finding are PASSED, never silently absent
    assert any(v["verdict"] == "PASSED" for v in theirs.values())


CROSSING = textwrap.dedent(
    """\
    provider "aws" {
      region = "cn-north-1"
    }

    resource "aws_customer_gateway" "hk" {
      ip_address = "203.186.1.1"
      type       = "ipsec.1"
      bgp_asn    = 65000
    }

    resource "aws_vpn_connection" "skipped_in_checkov" {
      #checkov:skip=CKV_XB_101:Approved IPLC, China Unicom contract CU-2025-118
      customer_gateway_id = aws_customer_gateway.hk.id
      vpn_gateway_id      = "vgw-1"
      type                = "ipsec.1"
    }

    # xborder:ignore XB101 reason="Approved IPLC, China Unicom contract CU-2025-119"
    resource "aws_vpn_connection" "suppressed_in_xborder" {
      customer_gateway_id = aws_customer_gateway.hk.id
      vpn_gateway_id      = "vgw-1"
      type                = "ipsec.1"
    }

    resource "aws_vpn_connection" "open" {
      customer_gateway_id = aws_customer_gateway.hk.id
      vpn_gateway_id      = "vgw-1"
      type                = "ipsec.1"
    }
    """
)


def test_checkov_skip_and_xborder_suppression(checkov_exe: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(CROSSING)
    got = checkov_verdicts(run_checkov(checkov_exe, tmp_path, cwd=tmp_path))
    skipped = got[("main.tf", "aws_vpn_connection.skipped_in_checkov", "XB101")]
    assert skipped["verdict"] == "SKIPPED"
    assert skipped["check_result"]["suppress_comment"] == "Approved IPLC, China Unicom contract CU-2025-118"
    suppressed = got[("main.tf", "aws_vpn_connection.suppressed_in_xborder", "XB101")]
    assert suppressed["verdict"] == "SKIPPED"
    assert suppressed["check_result"]["suppress_comment"] == "Approved IPLC, China Unicom contract CU-2025-119"
    assert got[("main.tf", "aws_vpn_connection.open", "XB101")]["verdict"] == "FAILED"
    assert got[("main.tf", "aws_vpn_connection.open", "XB102")]["verdict"] == "PASSED"
    assert not any(k[1].startswith("aws_customer_gateway") and v["verdict"] != "PASSED" for k, v in got.items())


def test_checkov_sarif_carries_severity_and_help_uri(checkov_exe: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(CROSSING)
    out = tmp_path / "out"
    cmd = [checkov_exe, "-d", str(tmp_path), "--external-checks-dir", str(CHECKS_DIR), "--framework", "terraform"]
    cmd += ["--check", "CKV_XB_*", "--skip-download", "-o", "sarif", "--output-file-path", str(out)]
    env = dict(os.environ, XBORDER_GUIDELINE_URL="https://docs.example.com/xborder/rules")
    subprocess.run(cmd, cwd=tmp_path, check=False, capture_output=True, text=True, timeout=600, env=env)
    sarif = json.loads((out / "results_sarif.sarif").read_text())
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CKV_XB_101"]["helpUri"] == "https://docs.example.com/xborder/rules#xb101"
    assert rules["CKV_XB_101"]["properties"]["security-severity"] == "8.9"


def test_wrapper_runs_checkov_on_module_directories_of_files(checkov_exe: str, tmp_path: Path) -> None:
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text(CROSSING)
    (tmp_path / "net" / "variables.tf").write_text('variable "unused" {\n  default = 1\n}\n')
    env = dict(os.environ, XBORDER_CHECKOV=checkov_exe, LOG_LEVEL="WARNING")
    run = subprocess.run(
        [sys.executable, "-m", "xborder", "checkov", "--framework", "terraform", "--check", "CKV_XB_*", "--compact", "--", "net/variables.tf"],
        cwd=tmp_path,
        env=env,
        check=False, capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "CKV_XB_101" in run.stdout and "aws_vpn_connection.open" in run.stdout

    dir_run = subprocess.run([sys.executable, "-m", "xborder", "checkov-dir"], capture_output=True, text=True, check=True)
    assert Path(dir_run.stdout.strip()) == CHECKS_DIR.resolve() or Path(dir_run.stdout.strip()).name == "checkov"


def test_standalone_cli_never_imports_checkov() -> None:
    code = "import sys, xborder.cli as c; c.main(['rules']); c.main(['checkov-dir']); assert 'checkov' not in sys.modules, 'checkov imported'"
    run = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
