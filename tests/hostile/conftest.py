"""Shared helpers for the hostile-input tests: trees are generated in tmp_path at test time, and the
real `xborder` command runs in a subprocess under a wall-clock timeout and an address-space limit, so
a regression shows as a failed test, never as a hung or killed CI run."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

GUARD_SECONDS = 60  # generous: the fixed behaviour takes about a second on 2 shared cores
MEMORY_MB = 1536

CONN = "conn x\n\tleft=58.247.0.10\n\tright=8.8.8.8\n\tauto=start\n"  # XB101: Shanghai -> US


def vpn(expr: str = '"8.8.8.8"', name: str = "vpn") -> str:
    """A Terraform module whose VPN crosses the border when `expr` is an offshore address."""
    return (
        'provider "aws" {\n  region = "cn-north-1"\n}\n'
        'resource "aws_customer_gateway" "c" {\n'
        f"  ip_address = {expr}\n  bgp_asn    = 65000\n  type       = \"ipsec.1\"\n}}\n"
        'resource "aws_vpn_gateway" "v" {}\n'
        f'resource "aws_vpn_connection" "{name}" {{\n'
        "  customer_gateway_id = aws_customer_gateway.c.id\n"
        "  vpn_gateway_id      = aws_vpn_gateway.v.id\n"
        '  type                = "ipsec.1"\n}\n'
    )


@dataclass
class Run:
    rc: int
    out: str
    err: str

    @property
    def doc(self) -> dict:
        return json.loads(self.out)

    @property
    def rules(self) -> list[str]:
        return sorted(f["rule_id"] for f in self.doc["findings"] if not f.get("suppressed"))

    def errors_for(self, path: str) -> list[str]:
        return [e["message"] for e in self.doc["errors"] if e["path"] == path]


def _limits(mem_mb: int, cpu_seconds: int | None):  # noqa: ANN202
    def apply() -> None:
        limit = mem_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))

    return apply


def xborder(*args: str, cwd: Path, timeout: int = GUARD_SECONDS, mem_mb: int = MEMORY_MB, stdin: str | None = None,
            cpu_seconds: int | None = None) -> Run:
    """Run the real command; a hang or a blow-up past the limits fails the test with a clear message.

    `cpu_seconds` bounds the work itself (CPU time, which a loaded machine does not stretch); `timeout` then
    only needs to catch a hang, so it can be generous.
    """
    env = dict(os.environ, NO_COLOR="1")
    env.pop("XBORDER_DEBUG", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "xborder", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=_limits(mem_mb, cpu_seconds),  # noqa: PLW1509 - no threads started before this
            input=stdin,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"xborder {' '.join(args)} did not finish within {timeout} s (unbounded work)")
    if cpu_seconds is not None and proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"xborder {' '.join(args)} used more than {cpu_seconds} s of CPU (unbounded work)")
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "internal error:" not in proc.stderr, proc.stderr[-2000:]
    return Run(proc.returncode, proc.stdout, proc.stderr)


def scan_json(*args: str, cwd: Path, **kw) -> Run:  # noqa: ANN003
    run = xborder("scan", *args, "--format", "json", cwd=cwd, **kw)
    assert run.rc in (0, 1, 2), run.err
    run.doc  # noqa: B018 - a JSON report is always written, even when inputs were refused
    return run


def all_formats(*args: str, cwd: Path) -> str:
    """The text, JSON, SARIF and GitHub reports of one scan, concatenated (for 'never appears' checks)."""
    outs = []
    for fmt in ("text", "json", "sarif", "github"):
        run = xborder("scan", *args, "--format", fmt, "--fail-on", "never", cwd=cwd)
        outs.append(run.out + run.err)
    return "\n".join(outs)


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True, capture_output=True)
