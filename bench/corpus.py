"""Benchmark on real code: cold, warm (result cache), one file named, a large .auto.tfvars, peak memory.

One-file rows: a small corpus module's file with `--no-cache`; the project's fixture file `alibaba/main.tf`
with `--no-cache`; and the same file as pre-commit runs it ("pre-commit": cache on, the file's content
changed before each run, so nothing of its own is reused).

Usage: python bench/corpus.py CORPUS_DIR [--repeat 5] [--one-file REL] [--checkov PATH]

CORPUS_DIR is any directory of Terraform code (README, Performance, says how to get the corpus the
project quotes). Every measure runs `xborder scan` in a fresh process, as CI and pre-commit do, and
reports the median and the range of wall time and the peak RSS of the scan process. The cache lives in
a temporary directory (never the user's). With Checkov available (`--checkov`, `$XBORDER_CHECKOV` or on
PATH), the generated 200-module tree is also scanned by `checkov -d --external-checks-dir` and by
xborder in the same run, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
"""


def measure(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run of `cmd` in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    wall, rss_kib, rc = proc.stdout.split()
    if int(rc) not in (0, 1, 2):
        sys.exit(f"{' '.join(cmd)} failed with exit code {rc}")
    return float(wall), float(rss_kib) / 1024


def series(label: str, cmd: list[str], cwd: Path, env: dict[str, str], repeat: int, before=None) -> float:
    walls, peaks = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, peak = measure(cmd, cwd, env)
        walls.append(wall)
        peaks.append(peak)
    med = statistics.median(walls)
    print(f"{label:<28} median {med:6.2f} s  (min {min(walls):.2f}, max {max(walls):.2f}, n={repeat})"
          f"  peak {statistics.median(peaks):5.0f} MiB (max {max(peaks):.0f})")
    return med


def tree_size(root: Path) -> tuple[int, int]:
    n = size = 0
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            if f.endswith((".tf", ".tf.json", ".tfvars", ".tfvars.json")):
                n += 1
                size += os.path.getsize(os.path.join(dirpath, f))
    return n, size


def small_module_file(root: Path) -> Path:
    """The first .tf file (by path) of the smallest directory holding one: a pre-commit run on a small module."""
    best = None
    for dirpath, _dirs, files in sorted(os.walk(root)):
        tfs = sorted(f for f in files if f.endswith(".tf"))
        if tfs:
            size = sum(os.path.getsize(os.path.join(dirpath, f)) for f in tfs)
            if best is None or size < best[0]:
                best = (size, Path(dirpath) / tfs[0])
    if best is None:
        sys.exit("no .tf file in the corpus")
    return best[1]


def big_tfvars(root: Path, megabytes: float) -> None:
    """A root module whose .auto.tfvars holds one large map (as generated inventories do).

    The provider's region comes from one entry of the map, so the scan must read the map to place the
    Client VPN endpoint (site-3 is in cn-north-1: one XB103 finding).
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(
        'variable "sites" {\n  type = map(object({ region = string, cidr = string, peer = string, ports = list(number) }))\n}\n'
        'provider "aws" {\n  region = var.sites["site-3"].region\n}\n'
        'resource "aws_ec2_client_vpn_endpoint" "staff" {\n'
        '  server_certificate_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f3c"\n'
        '  client_cidr_block      = var.sites["site-3"].cidr\n'
        '  authentication_options {\n    type = "certificate-authentication"\n'
        '    root_certificate_chain_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/9a1e"\n  }\n'
        '  connection_log_options {\n    enabled = false\n  }\n}\n',
        encoding="utf-8")
    regions = ["cn-north-1", "eu-west-1", "ap-east-1"]
    lines = ["sites = {"]
    size, i = 0, 0
    while size < megabytes * 1e6:
        i += 1
        line = (f'  "site-{i}" = {{ region = "{regions[i % 3]}", cidr = "10.{i // 256 % 256}.{i % 256}.0/24", '
                f'peer = "198.51.{i // 256 % 256}.{i % 256}", ports = [443, {1024 + i % 60000}] }}')
        lines.append(line)
        size += len(line) + 1
    lines.append("}")
    (root / "sites.auto.tfvars").write_text("\n".join(lines) + "\n", encoding="utf-8")


def precommit_rows(tmp: Path, xb: list[str], env: dict[str, str], repeat: int) -> None:
    """The README's one-file rows, on a copy of the project's `fixtures/terraform`: `alibaba/main.tf` named alone
    without cache (`--no-cache`: everything computed), then as pre-commit runs it: with its cache (compiled
    policy data, other directories' results from a first full scan), the named file's content new before
    each run (a comment line appended), so its own result is never reused."""
    fixtures = tmp / "fixtures-terraform"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "terraform", fixtures)
    named = fixtures / "alibaba" / "main.tf"
    series("fixture file, --no-cache", [*xb, "alibaba/main.tf", "--no-config", "--no-cache"], fixtures, env, repeat)
    subprocess.run([*xb, ".", "--no-config"], cwd=fixtures, env=env, capture_output=True, check=False)  # the cache of earlier runs
    runs = [0]

    def change() -> None:
        runs[0] += 1
        with open(named, "a", encoding="utf-8") as fh:
            fh.write(f"# pre-commit run {runs[0]}\n")

    series("fixture file, pre-commit", [*xb, "alibaba/main.tf", "--no-config"], fixtures, env, repeat, before=change)


def find_checkov(given: str | None) -> str | None:
    return given or os.environ.get("XBORDER_CHECKOV") or shutil.which("checkov")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one-file", help="file (relative to the corpus) for the one-file measure; default: a small module's")
    parser.add_argument("--tfvars-mb", type=float, default=9.5, help="size of the generated .auto.tfvars (0: skip)")
    parser.add_argument("--checkov", help="checkov executable (default $XBORDER_CHECKOV or PATH)")
    parser.add_argument("--checkov-modules", type=int, default=200)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    files, size = tree_size(corpus)
    print(f"corpus: {corpus.name}: {files} Terraform files, {size / 1e6:.1f} MB; {os.cpu_count()} cores")
    xb = [sys.executable, "-m", "xborder", "scan"]
    with tempfile.TemporaryDirectory(prefix="xborder-bench-") as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure an installed xborder, with its bytecode cached
        scan = [*xb, ".", "--format", "json", "--no-config"]
        subprocess.run([*xb, "--help"], env=env, capture_output=True, check=False)  # byte-compile once
        series("full scan, cold (no cache)", [*scan, "--no-cache"], corpus, env, args.repeat)
        series("full scan, cold cache", scan, corpus, env, args.repeat, before=lambda: shutil.rmtree(cache, ignore_errors=True))
        series("full scan, warm (unchanged)", scan, corpus, env, args.repeat)
        one = Path(args.one_file) if args.one_file else small_module_file(corpus).relative_to(corpus)
        series(f"one file ({one.name})", [*xb, str(one), "--format", "json", "--no-config", "--no-cache"], corpus, env, args.repeat)
        precommit_rows(Path(tmp), xb, env, args.repeat)
        if args.tfvars_mb > 0:
            big = Path(tmp) / "bigvars"
            big_tfvars(big, args.tfvars_mb)
            series(f".auto.tfvars of {args.tfvars_mb:g} MB", [*xb, ".", "--format", "json", "--no-config", "--no-cache"], big, env, max(1, args.repeat // 2))
        checkov = find_checkov(args.checkov)
        if checkov:
            tree = Path(tmp) / "generated"
            generate(tree, args.checkov_modules)
            checks = subprocess.run([*xb[:-1], "checkov-dir"], capture_output=True, text=True, check=True).stdout.strip()
            n = max(1, args.repeat // 2)
            ours = series(f"xborder, {args.checkov_modules} generated modules", [*xb, ".", "--format", "json", "--no-config", "--no-cache"], tree, env, n)
            theirs = series("checkov -d --external-checks-dir", [checkov, "-d", ".", "--external-checks-dir", checks, "--framework", "terraform",
                                                              "--quiet", "--compact", "-o", "json"], tree, env, n)
            print(f"checkov / xborder wall-time ratio: {theirs / ours:.1f}x")
        else:
            print("checkov not found: ratio skipped (pass --checkov PATH or set XBORDER_CHECKOV)")


if __name__ == "__main__":
    main()
