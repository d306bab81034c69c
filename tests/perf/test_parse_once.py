"""The same file text is parsed once while it is recent (`syntax.parse_source`'s memo of trees by content):
copies of a file in several module directories share one tree, and each still reports its own path and lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xborder.inputs.terraform import syntax

VPN = ('provider "aws" {\n  region = "cn-north-1"\n}\n\n'
       'resource "aws_customer_gateway" "c" {\n  bgp_asn    = 65000\n  ip_address = "8.8.8.8"\n  type       = "ipsec.1"\n}\n\n'
       'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = aws_customer_gateway.c.id\n'
       '  vpn_gateway_id      = "vgw-1"\n  type                = "ipsec.1"\n}\n')


class _Counting:
    """The process's tree-sitter parser, counting the sources it parses."""

    def __init__(self, real: Any) -> None:
        self.real, self.parsed = real, []

    def parse(self, src: bytes) -> Any:
        self.parsed.append(src)
        return self.real.parse(src)


@pytest.fixture()
def counting(monkeypatch: pytest.MonkeyPatch) -> _Counting:
    proxy = _Counting(syntax.parser())
    monkeypatch.setattr(syntax, "_PARSER", proxy)
    monkeypatch.setattr(syntax, "_TREES", {})
    monkeypatch.setattr(syntax, "_tree_bytes", 0)
    return proxy


def test_copies_share_one_parse_and_keep_their_own_paths(tmp_path: Path, counting: _Counting) -> None:
    for d in ("a", "b/c"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "main.tf").write_text("\n" * (2 if d == "a" else 0) + VPN, encoding="utf-8")
        (tmp_path / d / "versions.tf").write_text('terraform {\n  required_version = ">= 1.0"\n}\n', encoding="utf-8")
    files = [syntax.parse_file(tmp_path / d / n, f"{d}/{n}") for d in ("a", "b/c") for n in ("main.tf", "versions.tf")]
    assert len(counting.parsed) == 3  # the two versions.tf have the same bytes; the main.tf differ by two lines
    versions_a, versions_b = files[1], files[3]
    assert [(b.type, b.location.path, b.location.start_line) for b in versions_a.blocks] == [("terraform", "a/versions.tf", 1)]
    assert [(b.type, b.location.path, b.location.start_line) for b in versions_b.blocks] == [("terraform", "b/c/versions.tf", 1)]
    assert [b.location.start_line for b in files[0].blocks] == [3, 7, 13]
    assert [b.location.start_line for b in files[2].blocks] == [1, 5, 11]
    syntax.parse_file(tmp_path / "a" / "versions.tf", "again/versions.tf")
    assert len(counting.parsed) == 3


def test_large_sources_and_old_ones_are_parsed_again(tmp_path: Path, counting: _Counting,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    big = 'locals {\n' + "".join(f'  v{i} = "{i:08d}"\n' for i in range(syntax.TREE_MEMO_SOURCE // 16)) + "}\n"
    assert len(big) > syntax.TREE_MEMO_SOURCE
    (tmp_path / "big.tf").write_text(big, encoding="utf-8")
    syntax.parse_file(tmp_path / "big.tf", "big.tf")
    syntax.parse_file(tmp_path / "big.tf", "big.tf")
    assert len(counting.parsed) == 2  # not kept: few large files recur, and their trees are large
    monkeypatch.setattr(syntax, "TREE_MEMO_BYTES", 100)
    for i in range(3):
        (tmp_path / f"f{i}.tf").write_text(f'locals {{\n  x = "{i:040d}"\n}}\n', encoding="utf-8")
        syntax.parse_file(tmp_path / f"f{i}.tf", f"f{i}.tf")
    assert len(syntax._TREES) == 1 and syntax._tree_bytes <= 100  # bounded: the oldest trees are let go
    syntax.parse_file(tmp_path / "f0.tf", "f0.tf")
    assert len(counting.parsed) == 6


def test_scan_with_copies_equals_a_scan_parsing_every_file(tmp_path: Path) -> None:
    for i in range(4):
        d = tmp_path / f"site{i}"
        d.mkdir()
        (d / "main.tf").write_text(VPN, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["scan", ".", "--format", "json", "--no-cache", "--no-config", "--jobs", "1"]
    memo = subprocess.run([sys.executable, "-m", "xborder", *args], cwd=tmp_path, env=env, capture_output=True, text=True)
    every = subprocess.run([sys.executable, "-c", "import sys\nfrom xborder.inputs.terraform import syntax\n"
                            "syntax.TREE_MEMO_SOURCE = -1\nfrom xborder.cli import main\nsys.exit(main(sys.argv[1:]))", *args],
                           cwd=tmp_path, env=env, capture_output=True, text=True)
    assert all(f"site{i}/main.tf" in memo.stdout for i in range(4))
    assert (memo.stdout, memo.stderr, memo.returncode) == (every.stdout, every.stderr, every.returncode)
