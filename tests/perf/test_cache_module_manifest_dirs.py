"""A registry module not read because its downloaded directory is missing or holds no `.tf` file is read again when
files appear there: the cached result of the root module depends on that directory.

Found by the differential check (`cache_fuzz.py`, seed 14): `.terraform/modules/reg/main.tf` restored after a scan
had reported module.reg as XB002 (medium); the cached scan still printed the XB002, a cold one the module's
cross-border VPN (XB101, high), so `--fail-on high` passed from the cache only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = """\
provider "aws" {
  region = "cn-north-1"
}
module "reg" {
  source  = "example-corp/vpn/aws"
  version = "~> 2.0"
  peer    = "203.186.1.1"
}
"""
MODULE = """\
variable "peer" {}
resource "aws_customer_gateway" "cgw" {
  bgp_asn    = 65000
  ip_address = var.peer
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "this" {
  customer_gateway_id = aws_customer_gateway.cgw.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""
MANIFEST = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                        {"Key": "reg", "Source": "registry.terraform.io/example-corp/vpn/aws", "Version": "2.1.0",
                         "Dir": ".terraform/modules/reg"}]}


def _scan(root: Path, cache: Path | None) -> tuple[int, str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["--no-cache"] if cache is None else []
    if cache is not None:
        env["XBORDER_CACHE_DIR"] = str(cache)
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--no-config", "--format", "json", *args],
                          cwd=root, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def _rules(out: tuple[int, str, str]) -> list[str]:
    return sorted(f["rule_id"] for f in json.loads(out[1])["findings"])


@pytest.mark.parametrize("before", ["missing", "empty"])
@pytest.mark.parametrize("template", [False, True], ids=["terraform-only", "with-a-template"])
def test_files_appearing_in_a_downloaded_module_directory_are_read(tmp_path: Path, before: str, template: bool) -> None:
    root = tmp_path / "t"
    (root / ".git").mkdir(parents=True)
    modules = root / "live" / ".terraform" / "modules"
    modules.mkdir(parents=True)
    (root / "live" / "main.tf").write_text(ROOT)
    (modules / "modules.json").write_text(json.dumps(MANIFEST))
    if before == "empty":
        (modules / "reg").mkdir()
    if template:  # a CloudFormation unit: the scan is answered unit by unit, not by the whole-scan entry
        (root / "stack.yaml").write_text("Resources: {}\n")
    cache = tmp_path / "cache"
    time.sleep(0.3)  # older than the "written during the scan" window, so entries are stored
    first = _scan(root, cache)
    assert _rules(first) == ["XB002"], first
    (modules / "reg").mkdir(exist_ok=True)
    (modules / "reg" / "main.tf").write_text(MODULE)
    cold = _scan(root, None)
    assert _rules(cold) == ["XB101"], cold
    assert _scan(root, cache) == cold
