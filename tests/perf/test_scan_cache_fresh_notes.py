"""A whole-scan hit prints what `.xborder.yaml` and the walk say this run, not what they said when the entry was stored.

`.xborder.yaml` warns when a `paths:` glob matches no file under its directory: that looks at files outside the scanned
paths, which the whole-scan entry's key does not hold. Found by the differential check (`cache_fuzz.py`, seed 12):
the last file under `cfn/` deleted, a cached scan of `envs/prod` still printed no warning, a cold one printed it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

CONFIG = 'cloudformation:\n  - paths: ["cfn/**"]\n    region: cn-north-1\n'
VPN = """\
provider "aws" {
  region = "cn-north-1"
}
resource "aws_customer_gateway" "c" {
  ip_address = "203.186.1.1"
  bgp_asn    = 65000
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "x" {
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""
WARNING = "'cfn/**' matches no file under the directory of .xborder.yaml"


def _scan(root: Path, cache: Path | None) -> tuple[int, str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["--no-cache"] if cache is None else []
    if cache is not None:
        env["XBORDER_CACHE_DIR"] = str(cache)
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", "envs/prod", "--format", "json", *args], cwd=root,
                          env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_configuration_warning_about_files_outside_the_scanned_paths_is_not_served_from_the_entry(tmp_path: Path) -> None:
    root = tmp_path / "t"
    (root / ".git").mkdir(parents=True)
    (root / "envs" / "prod").mkdir(parents=True)
    (root / "cfn").mkdir()
    (root / ".xborder.yaml").write_text(CONFIG)
    (root / "envs" / "prod" / "main.tf").write_text(VPN)
    (root / "cfn" / "stack.yaml").write_text("Resources: {}\n")
    cache = tmp_path / "cache"
    time.sleep(0.3)  # older than the entry's "written during the scan" window, so the entry is stored
    first = _scan(root, cache)
    assert WARNING not in first[1] and list((cache / "scan").glob("*.pickle")), first
    (root / "cfn" / "stack.yaml").unlink()
    cold = _scan(root, None)
    assert WARNING in cold[1], cold
    assert _scan(root, cache) == cold
    # and back: the file restored, the warning goes away in both
    (root / "cfn" / "stack.yaml").write_text("Resources: {}\n")
    assert _scan(root, cache) == _scan(root, None) == first
