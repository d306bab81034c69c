"""Benchmark: scan generated trees of N module directories and report files/s, MB/s and peak memory.

Usage: python bench/run.py [--modules 200 2000] [--repeat 3]
Each scan runs in a fresh `xborder` process (a cold start, as in CI); the best wall time is reported.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--modules", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", default="json")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "xborder"]
    print(f"{'modules':>8} {'files':>7} {'MB':>6} {'best s':>7} {'files/s':>8} {'MB/s':>6} {'peak MiB':>9}")
    for n in args.modules:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            generate(root, n)
            files, size = tree_size(root)
            times, peaks = [], []
            for _ in range(args.repeat):
                # each run in its own process so peak RSS is per run
                wrapper = [sys.executable, "-c", _MEASURE, *exe, "scan", ".", "--format", args.format, "--no-config"]
                proc = subprocess.run(wrapper, cwd=root, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
                wall, rss_kib, rc = (float(x) for x in proc.stdout.split())
                if int(rc) not in (0, 1):
                    sys.exit(f"scan failed with exit code {int(rc)}: {proc.stderr}")
                times.append(wall)
                peaks.append(rss_kib)
            best = min(times)
            mb = size / 1e6
            print(f"{n:>8} {files:>7} {mb:>6.1f} {best:>7.2f} {files / best:>8.0f} {mb / best:>6.2f} {max(peaks) / 1024:>9.0f}")


_MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)
"""

if __name__ == "__main__":
    main()
