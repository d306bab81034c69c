"""The result cache: a warm scan prints exactly what a cold one prints, and any changed input is seen.

Every scan here runs the real CLI in a subprocess with the cache pointed at a temporary directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _scan(cwd: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", "scan", *args, "--format", "json"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _entries(cache: Path) -> set[str]:
    return {p.name for p in cache.glob("*/*.pickle")}


def test_fixtures_cold_warm_and_uncached_runs_are_byte_identical(tmp_path):
    cache = tmp_path / "cache"
    cold = _scan(REPO, cache, "fixtures/")
    assert cold.returncode in (0, 1, 2), cold.stderr
    written = _entries(cache)
    assert written, "the cold run fills the cache"
    warm = _scan(REPO, cache, "fixtures/")
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    assert _entries(cache) == written, "a warm run over unchanged code writes nothing new"
    off = _scan(REPO, tmp_path / "unused", "fixtures/", "--no-cache")
    assert off.stdout == cold.stdout
    left = {p.name for p in (tmp_path / "unused").rglob("*") if p.is_file()}
    assert all(n.startswith(("policy-data-", "class-code-", "class-plans-", "snapshot-")) for n in left), \
        "--no-cache reads and writes no result (compiled policy data and class code only)"
    assert not any(p.name.endswith(".pickle") for p in (REPO / "fixtures").rglob("*")), "nothing is written into the scanned tree"


TREE = {
    "live/main.tf": """
        provider "aws" {
          region = var.region
        }
        variable "region" {}
        module "vpn" {
          source = "../modules/vpn"
          peer   = "203.0.113.7"
        }
        """,
    "live/terraform.tfvars": 'region = "eu-west-1"\n',
    "modules/vpn/main.tf": """
        variable "peer" {}
        resource "aws_customer_gateway" "cgw" {
          bgp_asn    = 65000
          ip_address = var.peer
          type       = "ipsec.1"
        }
        resource "aws_vpn_connection" "c" {
          customer_gateway_id = aws_customer_gateway.cgw.id
          vpn_gateway_id      = "vgw-1"
          type                = "ipsec.1"
        }
        """,
    ".xborder.yaml": "sites: []\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")


CHANGES = {
    "tfvars": ("live/terraform.tfvars", 'region = "cn-north-1"\n'),
    "called module": ("modules/vpn/main.tf", TREE["modules/vpn/main.tf"].replace("203.0.113.7", "x").replace("var.peer", '"58.247.0.10"')),
    "new file in a module": ("modules/vpn/extra.tf", 'resource "aws_vpn_connection" "d" {\n  customer_gateway_id = "cgw-9"\n  vpn_gateway_id = "vgw-9"\n  type = "ipsec.1"\n}\n'),
    "site inventory": (".xborder.yaml", "sites:\n  - name: hq\n    country: CN\n    cidrs: [203.0.113.0/24]\n"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_changed_input_gives_what_a_cold_run_gives(tmp_path, change):
    tree = tmp_path / "tree"
    _write(tree, TREE)
    cache = tmp_path / "cache"
    before = _scan(tree, cache, ".")
    assert "aws_vpn_connection.c" in before.stdout, before.stdout + before.stderr
    rel, text = CHANGES[change]
    (tree / rel).write_text(text, encoding="utf-8")
    warm = _scan(tree, cache, ".")
    cold = _scan(tree, tmp_path / "fresh", ".")
    assert warm.stdout == cold.stdout and warm.returncode == cold.returncode
    assert warm.stdout != before.stdout, f"changing the {change} changes the result"


def test_a_var_file_is_part_of_the_key(tmp_path):
    tree = tmp_path / "tree"
    _write(tree, TREE)
    (tree / "live" / "terraform.tfvars").unlink()
    varfile = tmp_path / "cn.tfvars"
    varfile.write_text('region = "eu-west-1"\n', encoding="utf-8")
    cache = tmp_path / "cache"
    first = _scan(tree, cache, ".", "--var-file", str(varfile))
    varfile.write_text('region = "cn-north-1"\n', encoding="utf-8")
    warm = _scan(tree, cache, ".", "--var-file", str(varfile))
    cold = _scan(tree, tmp_path / "fresh", ".", "--var-file", str(varfile))
    assert warm.stdout == cold.stdout != first.stdout


def test_a_damaged_entry_is_a_miss(tmp_path):
    tree = tmp_path / "tree"
    _write(tree, TREE)
    cache = tmp_path / "cache"
    cold = _scan(tree, cache, ".")
    for p in cache.glob("*/*.pickle"):
        p.write_bytes(b"not a pickle")
    again = _scan(tree, cache, ".")
    assert again.stdout == cold.stdout and again.returncode == cold.returncode


def test_cache_is_bounded(tmp_path):
    from xborder.cache import ResultCache

    rc = ResultCache(tmp_path, "k")
    dep = tmp_path / "dep.tf"
    dep.write_text("x", encoding="utf-8")
    for i in range(20):
        rc.put(f"unit{i}", [f"file:{dep}"], "x" * 1000)
    assert rc.get("unit3") == "x" * 1000
    rc.prune(max_bytes=5000)
    sizes = sum(p.stat().st_size for p in tmp_path.glob("*/*.pickle"))
    assert 0 < sizes <= 5000
    dep.write_text("changed", encoding="utf-8")
    assert ResultCache(tmp_path, "k").get("unit19") is None


def test_prune_lists_what_glob_lists_and_removes_the_oldest_first(tmp_path):
    """The prune's listing (`os.scandir`, cheap with thousands of entries) is `Path.glob("*/*.pickle")`."""
    from xborder.cache import ResultCache, _entries

    for rel in ("ab/1.pickle", "ab/2.pickle", "scan/3.pickle", "cd/.hidden.pickle", "cd/.tmp-9", "cd/4.txt",
                ".dot/5.pickle", "ef/6.pickle/x", "top.pickle"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        if not rel.endswith("/x"):
            (tmp_path / rel).write_bytes(b"x" * 100)
    (tmp_path / "gh").symlink_to(tmp_path / "ab")  # a link to a directory: glob follows it
    listed = sorted(path for _, _, path in _entries(str(tmp_path)))
    assert listed == sorted(str(p) for p in tmp_path.glob("*/*.pickle"))
    assert str(tmp_path / "scan" / "3.pickle") in listed and str(tmp_path / "gh" / "1.pickle") in listed
    assert str(tmp_path / ".dot" / "5.pickle") in listed and str(tmp_path / "top.pickle") not in listed
    (tmp_path / "gh").unlink()
    for rel in (".dot", "cd", "ef"):
        shutil.rmtree(tmp_path / rel)
    for age, rel in enumerate(("scan/3.pickle", "ab/2.pickle", "ab/1.pickle")):
        os.utime(tmp_path / rel, (1_000_000 + age, 1_000_000 + age))
    rc = ResultCache(tmp_path, "k")
    rc.writes = 1
    rc.prune(max_bytes=250)  # 300 bytes in ab/ and scan/: the oldest goes
    assert not (tmp_path / "scan" / "3.pickle").exists()
    assert (tmp_path / "ab" / "2.pickle").exists() and (tmp_path / "ab" / "1.pickle").exists()


def test_a_small_run_prunes_at_most_every_interval(tmp_path, monkeypatch):
    """A pre-commit run (one entry) does not list the whole cache again within PRUNE_INTERVAL_NS of the last
    prune; a run that wrote more, or one after the interval, prunes as always."""
    from xborder import cache

    dep = tmp_path / "dep.tf"
    dep.write_text("x", encoding="utf-8")
    store = tmp_path / "cache"

    runs = []

    def run(entries: int, size: int = 1000) -> cache.ResultCache:
        runs.append(entries)
        rc = cache.ResultCache(store, f"run{len(runs)}")
        for i in range(entries):
            rc.put(f"unit{i}", [f"file:{dep}"], "x" * size)
        return rc

    run(1).prune(max_bytes=10**9)  # no stamp yet: lists, prunes, stamps
    assert (store / "last-prune").exists()
    listed = []
    real = cache._entries
    monkeypatch.setattr(cache, "_entries", lambda top: listed.append(top) or real(top))
    run(1).prune(max_bytes=0)
    assert not listed and len(list(store.glob("*/*.pickle"))) == 2, "a small run within the interval: no listing"
    run(cache.SMALL_RUN[0] + 1).prune(max_bytes=0)
    assert listed and not list(store.glob("*/*.pickle")), "a larger run prunes"
    listed.clear()
    run(1, size=cache.SMALL_RUN[1] + 1).prune(max_bytes=0)
    assert listed, "a run that wrote many bytes prunes"
    listed.clear()
    old = time.time() - cache.PRUNE_INTERVAL_NS / 1e9 - 5
    os.utime(store / "last-prune", (old, old))
    run(1).prune(max_bytes=0)
    assert listed and not list(store.glob("*/*.pickle")), "after the interval a small run prunes too"


def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    from xborder import cache

    monkeypatch.delenv("XBORDER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if sys.platform.startswith("linux"):
        assert cache.default_dir() == tmp_path / "xborder"
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path / "x"))
    assert cache.default_dir() == tmp_path / "x"


def test_two_scans_at_once_share_a_cache(tmp_path):
    tree = tmp_path / "tree"
    _write(tree, TREE)
    cache = tmp_path / "cache"
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache)}
    cmd = [sys.executable, "-m", "xborder", "scan", ".", "--format", "json"]
    procs = [subprocess.Popen(cmd, cwd=tree, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate()[0] for p in procs]
    cold = _scan(tree, tmp_path / "fresh", ".")
    assert outs[0] == outs[1] == cold.stdout
    assert not list(cache.glob("*/.tmp-*")), "no temporary file is left behind"
    shutil.rmtree(cache)


def test_changed_xborder_code_is_a_cache_miss(tmp_path):
    """Installs from different commits share a version number; their cached results must not mix."""
    pkg = tmp_path / "pkg" / "xborder"
    shutil.copytree(REPO / "src" / "xborder", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "policies", pkg / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    time.sleep(0.2)  # installed before the runs: code changed as a run starts keeps nothing (cache.CodeChanged)
    cache = tmp_path / "cache"
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONPATH": str(pkg.parent)}

    def scan() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "xborder", "scan", "fixtures/", "--format", "json"],
                              cwd=REPO, env=env, capture_output=True, text=True, check=False)

    cold = scan()
    assert cold.returncode in (0, 1, 2), cold.stderr
    first = _entries(cache)
    assert first
    assert scan().stdout == cold.stdout and _entries(cache) == first, "same code: a warm hit"
    rules = pkg / "rules" / "border.py"
    rules.write_text(rules.read_text() + "\n# a change of code, not of version\n")
    time.sleep(0.2)
    again = scan()
    assert again.stdout == cold.stdout
    assert _entries(cache) - first, "changed code recomputes and stores new entries"


def test_code_replaced_after_the_key_was_made_keeps_no_results(tmp_path):
    """The key's digest finds every code file unchanged since the import; a module first imported later in the scan
    (lazily) is read from disk then. Before: a file replaced between the digest and that import ran new code whose
    results were kept under the old code's key. Now each store first checks the files of the modules imported since
    the digest (cache.code_unchanged): such a run keeps nothing."""
    pkg = tmp_path / "pkg" / "xborder"
    shutil.copytree(REPO / "src" / "xborder", pkg, ignore=shutil.ignore_patterns("__pycache__"), symlinks=False)
    if not (pkg / "policies" / "regions").is_dir():
        shutil.copytree(REPO / "policies", pkg / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    time.sleep(0.2)  # installed before the runs start
    cache = tmp_path / "cache"
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONPATH": str(pkg.parent)}
    replaced = textwrap.dedent("""
        import os, sys, time
        import xborder
        from xborder import cache
        from xborder.cli import main
        digest = cache.code_digest

        def replaced_after_the_digest(*args, **kwargs):
            key = digest(*args, **kwargs)
            top = os.path.dirname(xborder.__file__)
            loaded = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
            for folder, _dirs, names in os.walk(top):  # the install is replaced: what is not imported yet too
                for name in names:
                    path = os.path.join(folder, name)
                    if name.endswith(".py") and path not in loaded:
                        with open(path, "a") as fh:
                            fh.write("\\n# replaced after the key was made\\n")
            return key

        cache.code_digest = replaced_after_the_digest
        sys.exit(main(["scan", "fixtures/", "--format", "json"]))
    """)
    run = subprocess.run([sys.executable, "-c", replaced], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    assert _entries(cache) == set(), "results of code imported after the key was made from replaced files are not kept"
    time.sleep(0.2)
    again = subprocess.run([sys.executable, "-m", "xborder", "scan", "fixtures/", "--format", "json"], cwd=REPO, env=env,
                           capture_output=True, text=True, check=False)
    assert again.stdout == run.stdout and _entries(cache), "a run started after the change keeps its results"


def test_code_replaced_while_a_scan_runs_keeps_no_results(tmp_path):
    """The result cache's key digests xborder's code files on disk. A process whose install is replaced after it
    imported xborder runs the old code (or a mix, for modules it imports later): before, its results were kept under
    the new code's key and served to every later run of the new code. Now such a run keeps (and looks up) nothing;
    the next run, started after the change, keeps its own."""
    pkg = tmp_path / "pkg" / "xborder"
    shutil.copytree(REPO / "src" / "xborder", pkg, ignore=shutil.ignore_patterns("__pycache__"), symlinks=False)
    if not (pkg / "policies" / "regions").is_dir():
        shutil.copytree(REPO / "policies", pkg / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    time.sleep(0.2)  # installed before the runs start
    cache = tmp_path / "cache"
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONPATH": str(pkg.parent)}
    replaced = textwrap.dedent("""
        import os, sys
        import xborder
        from xborder.cli import main
        with open(os.path.join(os.path.dirname(xborder.__file__), "rules", "border.py"), "a") as fh:
            fh.write("\\n# the install is replaced while this process runs\\n")
        sys.exit(main(["scan", "fixtures/", "--format", "json"]))
    """)
    run = subprocess.run([sys.executable, "-c", replaced], cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr
    assert _entries(cache) == set(), "results of a process whose code changed under it are not kept"
    time.sleep(0.2)
    again = subprocess.run([sys.executable, "-m", "xborder", "scan", "fixtures/", "--format", "json"], cwd=REPO, env=env,
                           capture_output=True, text=True, check=False)
    assert again.stdout == run.stdout and _entries(cache), "a run started after the change keeps its results"


def test_entries_of_releases_before_the_loaded_code_checks_are_not_read(tmp_path, monkeypatch):
    """A release before the loaded-code checks (cache.code_unchanged, xborder.changed_since_import) still running
    while its install was replaced digested the new files and kept its old code's results under the new code's key.
    The entry format moved on with the checks: what those releases wrote (format 1) is never read. The whole-scan
    entries and the callers index are keyed by the same scan key."""
    from xborder import cache

    monkeypatch.setattr(cache, "_LOADED", None, raising=False)  # no digest in this process: stores are not refused
    monkeypatch.setattr(cache, "_CHANGED", False, raising=False)
    dep = tmp_path / "dep.tf"
    dep.write_text("x", encoding="utf-8")
    with monkeypatch.context() as release:
        release.setattr(cache, "FORMAT", "1")
        cache.ResultCache(tmp_path, "k").put("unit", [f"file:{dep}"], "an older release's result")
        assert cache.ResultCache(tmp_path, "k").get("unit") == "an older release's result"  # as that release reads it
    assert cache.ResultCache(tmp_path, "k").get("unit") is None
