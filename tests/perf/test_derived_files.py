"""Files the cache directory derives from an install (policy data, class code, snapshots, skipped-folder counts)
are bounded: each kind keeps its newest few, so upgrades and new environments do not add files forever.

Pruning happens when a file of the kind is written, and must be safe with other processes reading and writing
the same directory at once (`cachedir.prune_kind`).
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from xborder import cachedir

REPO = Path(__file__).resolve().parents[2]
KINDS = ("policy-data-", "class-code-", "class-plans-", "snapshot-policies-", "snapshot-declarations-")


def _old_files(cache: Path, kind: str, n: int, start: int) -> list[Path]:
    """`n` files of `kind` as earlier installs left them, oldest first (a day apart, from `start` days ago)."""
    made = []
    for i in range(n):
        path = cache / f"{kind}{i:016x}.marshal"
        path.write_bytes(marshal.dumps({"old": "install"}))
        when = time.time() - (start - i) * 86400
        os.utime(path, (when, when))
        made.append(path)
    return made


def _scan(cache: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "XBORDER_TODAY": "2026-12-01", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", "scan", "alibaba/main.tf", "--no-config", *args],
                          cwd=REPO / "fixtures" / "terraform", env=env, capture_output=True, text=True, timeout=300)


def test_a_run_that_writes_derived_files_keeps_the_newest_few_of_each_kind(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    old = {kind: _old_files(cache, kind, 9, start=30) for kind in KINDS}
    other = {name: cache / name for name in ("code-index.marshal", "policy-index.marshal", "last-prune")}
    for path in other.values():
        path.write_bytes(b"x")
        os.utime(path, (0, 0))
    (cache / "scan").mkdir()
    (cache / "scan" / "entry.pickle").write_bytes(b"x")
    stale_tmp = cache / ".tmp-policy-123-abcdef"
    fresh_tmp = cache / ".tmp-snapshot-456-abcdef"
    for path in (stale_tmp, fresh_tmp):
        path.write_bytes(b"half")
    os.utime(stale_tmp, (time.time() - 7200, time.time() - 7200))
    proc = _scan(cache, "--no-cache")
    assert proc.returncode == 1 and "XB101" in proc.stdout, proc.stderr
    for kind in KINDS:
        now = sorted(p.name for p in cache.glob(f"{kind}*.marshal"))
        ours = [name for name in now if name not in {p.name for p in old[kind]}]
        assert len(ours) == 1, (kind, now)  # this install's own file, written by the run
        assert len(now) == cachedir.KEEP, (kind, now)
        assert set(now) - set(ours) == {p.name for p in old[kind][-(cachedir.KEEP - 1):]}  # the newest others
    assert all(path.exists() for path in other.values()) and (cache / "scan" / "entry.pickle").exists()
    assert not stale_tmp.exists() and fresh_tmp.exists()
    again = _scan(cache, "--no-cache")  # this install's files are read, not rebuilt: nothing written or removed
    assert again.stdout == proc.stdout
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [*(p.name for kind in KINDS for p in cache.glob(f"{kind}*.marshal")), *other, "scan", fresh_tmp.name])


def test_a_pruned_file_that_is_open_is_still_read_whole(tmp_path):
    """A reader that opened a file before another process removed it reads all of it (POSIX), or the removal is
    refused (Windows): never a part."""
    kept = tmp_path / "policy-data-0000000000000001.marshal"
    data = marshal.dumps({"k": b"v" * 100_000})
    kept.write_bytes(data)
    os.utime(kept, (0, 0))
    with open(kept, "rb") as fh:
        cachedir.prune_kind(str(tmp_path), "policy-data-", keep=0)
        assert fh.read() == data


_WRITER = textwrap.dedent("""
    import marshal, os, random, sys
    from xborder import cachedir
    directory, tag, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    payload = {"data": b"x" * 50_000}
    bad = 0
    for i in range(rounds):
        cachedir.write_derived(os.path.join(directory, f"policy-data-{tag}{i:08x}.marshal"), marshal.dumps(payload),
                               prefix=".tmp-policy-", kind="policy-data-")
        names = [n for n in os.listdir(directory) if n.startswith("policy-data-")]
        for name in random.sample(names, min(3, len(names))):
            got = cachedir.read_marshal(os.path.join(directory, name))
            if got is not None and got != payload:  # gone is fine (built again); a part never is
                bad += 1
    print(bad)
""")


def test_two_processes_writing_and_pruning_one_kind_at_once(tmp_path):
    """Two processes write files of one kind, prune and read the others' files at once: every read is the whole
    file or nothing, nothing fails, and the kind ends within its bound."""
    cache = tmp_path / "cache"
    cache.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(cache), tag, "150"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for tag in ("a", "b")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [out.strip() for out, _ in outs] == ["0", "0"]
    left = [n for n in os.listdir(cache) if n.startswith("policy-data-")]
    assert 1 <= len(left) <= 2 * cachedir.KEEP  # each prune keeps KEEP; the other's latest write may follow it
    assert not [n for n in os.listdir(cache) if n.startswith(".tmp-")]


def test_scans_beside_a_process_pruning_their_files_give_the_same_output(tmp_path):
    """A scan whose policy data, class code and snapshots another process keeps removing still reports the
    same (it builds what is missing again)."""
    cache = tmp_path / "cache"
    reference = _scan(tmp_path / "reference", "--no-cache")
    assert reference.returncode == 1, reference.stderr
    pruner = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from xborder import cachedir
        end = time.time() + float(sys.argv[2])
        while time.time() < end:
            for kind in ("policy-data-", "class-code-", "class-plans-", "snapshot-policies-", "snapshot-declarations-"):
                cachedir.prune_kind(sys.argv[1], kind, keep=0)
    """), str(cache), "20"])
    try:
        for _ in range(4):
            proc = _scan(cache, "--no-cache")
            assert (proc.returncode, proc.stdout, proc.stderr) == (reference.returncode, reference.stdout, reference.stderr)
    finally:
        assert pruner.wait(timeout=60) == 0  # it pruned all along


@pytest.mark.parametrize("kind", ["skipped-"])
def test_skipped_folder_counts_keep_the_newest_roots(tmp_path, kind, monkeypatch):
    """One file per scanned root, like `callers/`: at most `skipped.KEEP_ROOTS` of them."""
    from xborder import skipped

    cache = tmp_path / "cache"
    cache.mkdir()
    _old_files(cache, kind, skipped.KEEP_ROOTS + 5, start=60)
    tree = tmp_path / "tree"
    (tree / "node_modules" / "m").mkdir(parents=True)
    (tree / "node_modules" / "m" / "main.tf").write_text("", encoding="utf-8")
    monkeypatch.setattr("xborder.scancache.RACY_NS", -10**9)  # directories just made count as settled: kept
    counts = skipped.count([(str(tree / "node_modules"), "node_modules")], cache, str(tree))
    assert counts == [("node_modules", 1)]
    now = {p.name for p in cache.glob(f"{kind}*.marshal")}
    assert len(now) == skipped.KEEP_ROOTS and os.path.basename(skipped._cache_path(cache, str(tree))) in now
