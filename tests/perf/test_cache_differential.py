"""The caches never serve a stale answer: after each random edit of a small tree (contents changed to the same size
with the modification time put back, files added, removed, renamed and linked, module versions, tfvars, approvals,
`exclude:`, `max_approval_days` and today's date, a CloudFormation parameters file, a plan, commits under
`--diff-base`, `TF_VAR_` and `--var`), a scan keeping its cache directory prints exactly what `--no-cache -j 1`
prints, with the default jobs and with two processes. A short seeded run here; `python tests/perf/cache_fuzz.py --steps 300` runs
long (see its docstring)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cache_fuzz import fuzz  # noqa: E402


def test_cached_scans_print_what_cold_scans_print_after_each_edit(tmp_path) -> None:
    problems = fuzz(tmp_path, seed=int(os.environ.get("XBORDER_FUZZ_SEED", "7")), steps=3)
    assert not problems, problems[0]


def test_the_differential_check_sees_a_cache_that_ignores_change_times(tmp_path, monkeypatch) -> None:
    """The check has teeth: with the whole-scan entry's signature stripped of the change time (`XBFUZZ_BREAK`), a
    same-size edit that puts the modification time back (seed 4: a directive's `until` moved into the past) is served
    stale, and the check says so."""
    monkeypatch.setenv("XBFUZZ_BREAK", "1")
    problems = fuzz(tmp_path, seed=4, steps=2, kinds={"token-same-size": 1}, focus=("envs/", "modules/"),
                    random_options=False)
    assert problems and "cached scan differs" in problems[0]
