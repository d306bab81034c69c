"""Loading units in several processes gives byte-identical output to one process (real CLI, real fork)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


def _scan(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", "scan", *args, "--format", "json", "--no-cache"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_fixtures_parallel_equals_single_process():
    one = _scan(REPO, "fixtures/", "--jobs", "1")
    two = _scan(REPO, "fixtures/", "--jobs", "2")
    assert '"rule_id"' in one.stdout
    assert two.stdout == one.stdout and two.returncode == one.returncode


def test_generated_tree_with_shared_modules_parallel_equals_single_process(tmp_path):
    from generate import generate  # bench/generate.py: module directories with VPNs, variables and tfvars

    generate(tmp_path, 40)
    shared = tmp_path / "common" / "vpn"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(
        'variable "peer" {}\nresource "aws_customer_gateway" "c" {\n  bgp_asn = 65000\n  ip_address = var.peer\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = aws_customer_gateway.c.id\n  vpn_gateway_id = "vgw-1"\n  type = "ipsec.1"\n}\n',
        encoding="utf-8")
    for i, peer in enumerate(["8.8.8.8", "58.247.0.10", "203.186.1.1"]):
        caller = tmp_path / "callers" / f"c{i}"
        caller.mkdir(parents=True)
        (caller / "main.tf").write_text(
            f'provider "aws" {{\n  region = "cn-north-1"\n}}\nmodule "vpn" {{\n  source = "../../common/vpn"\n  peer = "{peer}"\n}}\n',
            encoding="utf-8")
    one = _scan(tmp_path, ".", "--jobs", "1")
    auto = _scan(tmp_path, ".", "--jobs", "2")
    assert "module.vpn.aws_vpn_connection.v" in one.stdout
    assert auto.stdout == one.stdout and auto.returncode == one.returncode
