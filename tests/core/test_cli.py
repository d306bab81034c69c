"""The command-line contract on the bundled fixtures: findings, formats, exit codes, determinism, safety."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from xborder.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


def scan_json(*args: str, cwd: Path = REPO) -> tuple[int, dict]:
    proc = run_cli("scan", *args, "--format", "json", cwd=cwd)
    return proc.returncode, json.loads(proc.stdout)


def test_fixture_terraform_findings() -> None:
    rc, doc = scan_json("fixtures/terraform")
    assert rc == 1
    got = {(f["rule_id"], f["resource"]) for f in doc["findings"]}
    assert {
        ("XB101", "module.beijing_to_hk_office.aws_vpn_connection.this"),
        ("XB103", "aws_ec2_client_vpn_endpoint.staff"),
        ("XB101", "alicloud_vpn_connection.bj_frankfurt"),
        ("XB102", "azurerm_virtual_network_gateway_connection.partner"),
        ("XB103", "azurerm_virtual_network_gateway.p2s"),
        ("XB101", "google_compute_vpn_tunnel.to_shenzhen"),
        ("XB101", "huaweicloud_vpn_connection.hk_hangzhou"),
    } <= got
    # traps: both ends on the same side
    for clean in (
        "module.beijing_to_sha_office.aws_vpn_connection.this",
        "module.hk_to_hk_office.aws_vpn_connection.this",
        "alicloud_vpn_connection.hk_macau",
        "google_compute_vpn_tunnel.to_taipei",
        "huaweicloud_vpn_connection.bj_office",
        "tencentcloud_vpn_connection.gz_sz",
    ):
        assert clean not in {r for _, r in got}


def test_json_contract_keys_and_relative_posix_paths() -> None:
    _, doc = scan_json("fixtures/terraform")
    assert set(doc) >= {"version", "findings", "errors"}
    for f in doc["findings"]:
        assert set(f) >= {"rule_id", "severity", "message", "path", "start_line", "end_line", "resource", "evidence", "suppressed"}
        assert not f["path"].startswith(("/", "./")) and "\\" not in f["path"]
        assert f["path"].startswith("fixtures/")
        assert isinstance(f["suppressed"], bool) and f["evidence"]
    [suppressed] = [f for f in doc["findings"] if f["suppressed"]]
    assert suppressed["resource"] == "google_compute_vpn_tunnel.to_shanghai_dc"
    assert "CU-2025-118" in suppressed["justification"]


def test_module_findings_point_at_the_module_file_with_the_call_as_related() -> None:
    _, doc = scan_json("fixtures/terraform")
    [f] = [f for f in doc["findings"] if f["resource"] == "module.beijing_to_hk_office.aws_vpn_connection.this"]
    assert f["path"] == "fixtures/terraform/modules/aws-site-vpn/main.tf"
    assert f["start_line"] == 21
    assert {"path": "fixtures/terraform/global-network/main.tf", "label": "module call module.beijing_to_hk_office"}.items() <= f["related"][0].items()


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    for fmt in ("text", "json", "sarif"):
        a = run_cli("scan", "fixtures", "--format", fmt).stdout
        b = run_cli("scan", "fixtures", "--format", fmt).stdout
        assert a == b and a


def test_text_format_line_and_summary() -> None:
    out = run_cli("scan", "fixtures/terraform/google").stdout
    assert re.search(r"^fixtures/terraform/google/main\.tf:12:1: XB101 \[high\] Cross-border VPN", out, re.M)
    assert "    - peer: mainland, IP 202.96.128.86 registered in CN" in out
    assert out.rstrip().splitlines()[-1].startswith("1 finding (1 high, 0 medium, 0 low)")
    assert "\033[" not in out  # no colour when not a terminal


@pytest.mark.parametrize(("fail_on", "rc"), [("high", 0), ("medium", 1), ("low", 1), ("never", 0)])
def test_fail_on(fail_on: str, rc: int) -> None:
    # azure-china has one medium (XB103) and one low (XB102), no high
    assert run_cli("scan", "fixtures/terraform/azure-china", "--fail-on", fail_on).returncode == rc


def test_clean_tree_exits_zero() -> None:
    proc = run_cli("scan", "fixtures/terraform/tencent")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("0 findings")


def test_usage_errors_exit_two() -> None:
    assert run_cli("scan", "--format", "xml").returncode == 2
    assert run_cli("scan", "--var", "novalue").returncode == 2
    assert run_cli("explain", "XB999").returncode == 2
    assert run_cli("nonsense").returncode == 2


def test_missing_path_is_an_error_not_a_traceback() -> None:
    proc = run_cli("scan", "does/not/exist")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "no such file or directory" in proc.stdout


def test_var_and_var_file_resolve_unknowns(tmp_path: Path) -> None:
    vars_file = tmp_path / "partner.tfvars"
    vars_file.write_text('partner_gateway_ip = "202.45.84.58"\n')
    _, before = scan_json("fixtures/terraform/azure-china")
    _, after = scan_json("fixtures/terraform/azure-china", "--var-file", str(vars_file))
    _, by_var = scan_json("fixtures/terraform/azure-china", "--var", "partner_gateway_ip=202.45.84.58")
    assert "XB102" in {f["rule_id"] for f in before["findings"]}
    for doc in (after, by_var):
        assert {f["rule_id"] for f in doc["findings"]} == {"XB101", "XB103"}


def test_bad_input_is_reported_and_the_rest_is_scanned(tmp_path: Path) -> None:
    mod = tmp_path / "mod"
    mod.mkdir()
    (mod / "broken.tf").write_text('resource "aws_vpn_gateway" "x" {\n  vpc_id = \n}\n}}}\n')
    (mod / "binary.tf").write_bytes(b"\x00\x01\x02ELF")
    (mod / "latin1.tf").write_bytes('# caf\xe9\n'.encode("latin-1"))
    (mod / "bom.tf").write_bytes(b"\xef\xbb\xbf" + b'provider "aws" {\n  region = "cn-north-1"\n}\n')
    (mod / "empty.tf").write_text("")
    (mod / "dir.tf").mkdir()
    (mod / "vpn.tf").write_text(
        'resource "aws_customer_gateway" "hk" {\n  ip_address = "203.186.1.1"\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_connection" "c" {\n  customer_gateway_id = aws_customer_gateway.hk.id\n  type = "ipsec.1"\n}\n'
    )
    (mod / "loop").symlink_to(mod, target_is_directory=True)
    (mod / "deep.tf").write_text("locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n")
    rc, doc = scan_json("mod", cwd=tmp_path)
    assert rc == 2
    assert {f["rule_id"] for f in doc["findings"]} == {"XB101"}
    paths = {e["path"] for e in doc["errors"]}
    assert {"mod/broken.tf", "mod/binary.tf", "mod/latin1.tf"} <= paths
    assert "mod/bom.tf" not in paths and "mod/empty.tf" not in paths
    broken = [e for e in doc["errors"] if e["path"] == "mod/broken.tf"]
    assert broken[0]["line"] >= 2


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    mod = tmp_path / "big"
    mod.mkdir()
    with open(mod / "huge.tf", "wb") as fh:
        fh.write(b"# " + b"x" * (50 * 1024 * 1024) + b"\n")
    proc = run_cli("scan", "big", "--format", "json", cwd=tmp_path)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 2
    assert any("MB" in e["message"] or "large" in e["message"] for e in doc["errors"])


def test_scan_never_writes_into_the_scanned_tree(tmp_path: Path) -> None:
    import shutil

    tree = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, tree)
    before = sorted((p.relative_to(tree).as_posix(), p.stat().st_mtime_ns) for p in tree.rglob("*"))
    for fmt in ("text", "json", "sarif"):
        run_cli("scan", "fixtures", "--format", fmt, cwd=tmp_path)
    after = sorted((p.relative_to(tree).as_posix(), p.stat().st_mtime_ns) for p in tree.rglob("*"))
    assert before == after


def test_scan_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("xborder tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.chdir(REPO)
    rc = main(["scan", "fixtures", "--format", "sarif"])
    out = capsys.readouterr()
    assert rc in (0, 1), out.err
    assert "network" not in out.err


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.sarif"
    proc = run_cli("scan", "fixtures/terraform", "--format", "sarif", "--output", str(target))
    assert proc.stdout == "" and target.is_file()
    assert json.loads(target.read_text())["version"] == "2.1.0"


def test_explain_and_rules_come_from_policies() -> None:
    out = run_cli("explain", "xb101").stdout
    assert out.startswith("# XB101 cross-border-vpn")
    assert "aws_vpn_connection" in out and "Circular 32" in out
    assert "XB203" in run_cli("rules").stdout


def test_readme_rule_table_matches_policies() -> None:
    from xborder.policy import load_policies

    readme = (REPO / "README.md").read_text()
    table = readme.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    for info in load_policies().rules.values():
        assert f"| {info.id} | {info.name} | {info.severity} | {info.summary} |" in table


def test_a_file_of_a_shared_module_is_judged_through_its_callers(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "terraform", tmp_path / "terraform")
    _, doc = scan_json("terraform/modules/aws-site-vpn/variables.tf", cwd=tmp_path)
    got = {(f["rule_id"], f["resource"]) for f in doc["findings"]}
    # with the caller's tfvars and providers: the Beijing-Hong Kong instance crosses, the others do not
    assert ("XB101", "module.beijing_to_hk_office.aws_vpn_connection.this") in got
    assert not any(rule == "XB102" for rule, _ in got), got
