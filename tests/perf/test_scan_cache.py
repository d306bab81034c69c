"""The whole-scan cache (`scancache`): a scan in which nothing changed is answered from one entry, found by file
metadata; any change (even one that keeps size and modification time) gives what a cold scan gives."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from xborder import scan as scan_mod
from xborder import scancache
from xborder.cli import main

REPO = Path(__file__).resolve().parents[2]

TREE = {
    "live/main.tf": """
        provider "aws" {
          region = var.region
        }
        variable "region" {}
        module "vpn" {
          source = "../../common/vpn"
          peer   = "185.199.108.1"
        }
        """,
    "live/terraform.tfvars": 'region = "cn-north-1"\n',
    "other/main.tf": """
        resource "aws_customer_gateway" "cgw" {
          bgp_asn    = 65000
          ip_address = "198.51.100.9"  # xborder:ignore XB101 reason="lab" until=2030-01-01
          type       = "ipsec.1"
        }
        """,
}
# a module outside the scanned directory (the scan names `repo/`, the module lives next to it)
MODULE = """
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
    """


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def tree(tmp_path):
    top = tmp_path / "top"
    (top / ".git").mkdir(parents=True)  # the repository: reads stay inside it
    for rel, text in TREE.items():
        _write(top / "repo" / rel, text)
    _write(top / "common" / "vpn" / "main.tf", MODULE)
    return top


def _scan(cwd: Path, cache: Path, *args: str, today: str = "") -> str:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    if today:
        env["XBORDER_TODAY"] = today
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", "repo", "--format", "json", "--no-config", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("scan/*.pickle"))


def _age(root: Path, seconds: float = 3.0) -> None:
    """Wait until every file is older than the racy window, so its signature is trusted."""
    time.sleep(seconds)


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Change the content, keep the size and put the modification time back: only the change time moves."""
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_warm_scan_is_answered_from_the_entry_and_is_byte_identical(tree, tmp_path, monkeypatch, capsys):
    cache = tmp_path / "cache"
    _age(tree)
    cold = _scan(tree, cache)
    assert '"XB101"' in cold and len(_entries(cache)) == 1
    assert _scan(tree, cache) == cold
    assert _scan(tree, tmp_path / "none", "--no-cache") == cold
    # a hit imports neither the Terraform parser and evaluator nor the rules
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    code = ("import sys; from xborder.cli import main; rc = main(['scan', 'repo', '--format', 'json', '--no-config']); "
            "sys.stdout.flush(); print('MODULES', ' '.join(sorted(sys.modules)), file=sys.stderr); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True, check=False)
    assert proc.stdout == cold
    modules = set(proc.stderr.split("MODULES", 1)[1].split())
    assert not modules & {"xborder.inputs.terraform.loader", "xborder.inputs.terraform.expressions", "tree_sitter",
                          "xborder.rules.border", "xborder.rules.licence"}, sorted(modules)
    # in-process: a hit neither collects units nor applies suppressions
    monkeypatch.chdir(tree)
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(cache))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr(scan_mod, "_collect", lambda *a, **k: pytest.fail("collected although nothing changed"))
    assert main(["scan", "repo", "--format", "json", "--no-config"]) in (0, 1)
    assert capsys.readouterr().out == cold


@pytest.mark.parametrize("aged", [True, False], ids=["trusted-signatures", "racy-files"])
def test_a_same_size_edit_with_the_old_modification_time_is_seen(tree, tmp_path, aged):
    cache = tmp_path / "cache"
    if aged:
        _age(tree)
    before = _scan(tree, cache)
    assert "185.199.108.1" in before
    _same_size_edit(tree / "repo" / "live" / "main.tf", "185.199.108.1", "185.199.108.2")
    after = _scan(tree, cache)
    assert after == _scan(tree, tmp_path / "cold", "--no-cache")
    assert "185.199.108.2" in after and "185.199.108.1" not in after


@pytest.mark.parametrize("change", ["module-outside", "new-file-in-module", "tfvars", "module-removed", "new-dir"])
def test_any_dependency_change_gives_the_cold_result(tree, tmp_path, change):
    cache = tmp_path / "cache"
    _age(tree, 2.5)
    before = _scan(tree, cache)
    if change == "module-outside":
        _same_size_edit(tree / "common" / "vpn" / "main.tf", '"aws_vpn_connection" "c"', '"aws_vpn_connection" "e"')
    elif change == "new-file-in-module":
        _write(tree / "common" / "vpn" / "extra.tf", 'resource "aws_vpn_connection" "d" {\n  customer_gateway_id = aws_customer_gateway.cgw.id\n  type = "ipsec.1"\n}\n')
    elif change == "tfvars":
        _write(tree / "repo" / "live" / "terraform.tfvars", 'region = "eu-west-1"\n')
    elif change == "module-removed":
        (tree / "common" / "vpn" / "main.tf").unlink()
    else:
        _write(tree / "repo" / "new" / "main.tf", 'resource "aws_customer_gateway" "n" {\n  ip_address = "192.0.2.1"\n  bgp_asn = 1\n  type = "ipsec.1"\n}\n')
    after = _scan(tree, cache)
    assert after == _scan(tree, tmp_path / "cold", "--no-cache")
    assert after != before


def test_today_is_part_of_the_key(tree, tmp_path):
    """An inline suppression's end date is judged against today (too far ahead: XB001), with or without a cache."""
    cache = tmp_path / "cache"
    early = _scan(tree, cache, today="2026-01-01")
    late = _scan(tree, cache, today="2029-06-01")
    assert "more than 731 days ahead" in early and "more than 731 days ahead" not in late
    assert late == _scan(tree, tmp_path / "cold", "--no-cache", today="2029-06-01")
    assert early != late


def test_a_file_changed_while_the_scan_ran_is_not_stored(tree, tmp_path):
    cache = tmp_path / "cache"
    future = time.time_ns() + 3600 * 10**9  # as if written after the scan began
    os.utime(tree / "repo" / "other" / "main.tf", ns=(future, future))
    _scan(tree, cache)
    assert _entries(cache) == []


def _stored_signature(tmp_path: Path, f: Path, started_ns: int) -> object:
    """Store an entry for a scan that began at `started_ns` and depends on `f`; the signature kept for `f`."""
    from xborder.cache import Digests

    entry = scancache.ScanEntry(tmp_path / "c", ["k", str(started_ns)], started_ns, {str(f): f.stat()})
    assert entry.store(set(), Digests(), {"findings": []})
    deps = scancache.stored_dependencies(entry.path)
    assert deps is not None
    return {dep: sig for dep, sig, _digest in deps}[f"file:{f}"]


def test_signatures_are_trusted_only_outside_the_racy_window(tmp_path):
    f = tmp_path / "a.tf"
    f.write_text('variable "x" {}\n', encoding="utf-8")
    st = f.stat()
    newest = max(st.st_mtime_ns, st.st_ctime_ns)
    # written 0.5 s before the scan began: kept with its digest only, re-hashed on every lookup
    assert _stored_signature(tmp_path, f, newest + scancache.DURING_NS + 400_000_000) is None
    # written well before: its signature is trusted
    assert _stored_signature(tmp_path, f, newest + scancache.RACY_NS + 100_000_000) == scancache.signature(st)
    # written as the scan began: nothing is stored
    entry = scancache.ScanEntry(tmp_path / "d", ["k"], newest, {str(f): st})
    from xborder.cache import Digests

    assert entry.store(set(), Digests(), {"findings": []}) is False
    assert not entry.path.exists()


def test_a_racy_entry_sees_a_change_its_signature_would_miss(tmp_path):
    from xborder.cache import Digests

    f = tmp_path / "a.tf"
    f.write_text('variable "x" {}\n', encoding="utf-8")
    st = f.stat()
    started = max(st.st_mtime_ns, st.st_ctime_ns) + scancache.DURING_NS + 400_000_000
    entry = scancache.ScanEntry(tmp_path / "c", ["k"], started, {str(f): st})
    assert entry.store(set(), Digests(), {"findings": ["stored"]})
    assert scancache.ScanEntry(tmp_path / "c", ["k"], started, {str(f): f.stat()}).lookup(Digests()) == {"findings": ["stored"]}
    _same_size_edit(f, '"x"', '"y"')
    assert scancache.ScanEntry(tmp_path / "c", ["k"], started, {str(f): f.stat()}).lookup(Digests()) is None


def test_a_scan_entry_records_dependencies_outside_the_scanned_directory(tree, tmp_path):
    cache = tmp_path / "cache"
    _age(tree)
    _scan(tree, cache)
    (entry,) = _entries(cache)
    deps = scancache.stored_dependencies(entry)
    assert deps is not None
    names = {dep for dep, _sig, _digest in deps}
    assert f"file:{tree / 'common' / 'vpn' / 'main.tf'}" in names
    assert f"names:{tree / 'common' / 'vpn'}" in names
    assert f"file:{tree / 'repo' / 'live' / 'terraform.tfvars'}" in names


def test_named_files_and_third_party_plugins_do_not_use_the_entry(tree, tmp_path):
    cache = tmp_path / "cache"
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-m", "xborder", "scan", "repo/live/main.tf", "--no-config"], cwd=tree, env=env,
                   capture_output=True, check=False)
    assert _entries(cache) == []


def test_stat_index_rehashes_young_files(tmp_path):
    index = scancache.StatIndex(tmp_path / "index.marshal")
    f = tmp_path / "f.txt"
    f.write_text("one", encoding="utf-8")
    reads = []

    def read(path: str) -> bytes:
        reads.append(path)
        return Path(path).read_bytes()

    a = index.digest(str(f), read)
    index.save()
    f.write_text("two", encoding="utf-8")
    b = scancache.StatIndex(tmp_path / "index.marshal").digest(str(f), read)
    assert a != b and len(reads) == 2  # a young file is never taken from the index


def test_stat_index_keeps_this_runs_paths_and_the_latest_others_within_its_bound(tmp_path, monkeypatch):
    """Every install adds its code and policy files' paths to the index: past `MAX_ENTRIES` a save keeps the paths
    this process looked up and the latest others, so the file stays bounded."""
    monkeypatch.setattr(scancache, "RACY_NS", -10**9)  # files just written count as settled
    monkeypatch.setattr(scancache.StatIndex, "MAX_ENTRIES", 4)
    index_path = tmp_path / "index.marshal"
    files = []
    for i in range(7):
        f = tmp_path / f"f{i}.txt"
        f.write_text(str(i), encoding="utf-8")
        files.append(str(f))
    read = lambda path: Path(path).read_bytes()  # noqa: E731
    for f in files[:6]:  # six earlier runs, one path each
        index = scancache.StatIndex(index_path)
        index.digest(f, read)
        index.save()
    index = scancache.StatIndex(index_path)
    assert list(index.entries) == files[2:6]  # each save past the bound kept its own path and the latest others
    index.digest(files[0], read)  # dropped before, used again
    index.digest(files[6], read)  # new
    index.save()
    assert list(scancache.StatIndex(index_path).entries) == [files[4], files[5], files[0], files[6]]


def test_a_racy_dependency_is_known_by_signature_once_it_is_old_enough(tmp_path):
    """A checkout scanned at once stores its files by digest only (racy); a later hit, once they are older
    than the racy window, stores their signatures, so the hits after it read nothing. A change is still seen."""
    from xborder.cache import Digests

    f = tmp_path / "a.tf"
    f.write_text('variable "x" {}\n', encoding="utf-8")
    st = f.stat()
    newest = max(st.st_mtime_ns, st.st_ctime_ns)
    first = newest + scancache.DURING_NS + 400_000_000  # 0.5 s after the write: racy
    assert scancache.ScanEntry(tmp_path / "c", ["k"], first, {str(f): st}).store(set(), Digests(), {"findings": ["s"]})
    (path,) = (tmp_path / "c" / "scan").iterdir()
    assert scancache.stored_dependencies(path) == [(f"file:{f}", None, Digests().file(str(f)))]
    later = newest + scancache.RACY_NS + 100_000_000
    read: list[str] = []

    class Counting(Digests):
        def file(self, p: str) -> str:
            read.append(p)
            return super().file(p)

    assert scancache.ScanEntry(tmp_path / "c", ["k"], later, {str(f): f.stat()}).lookup(Counting()) == {"findings": ["s"]}
    assert read == [str(f)]  # hashed once more, then known by its signature
    assert scancache.stored_dependencies(path) == [(f"file:{f}", scancache.signature(st), Digests().file(str(f)))]
    read.clear()
    assert scancache.ScanEntry(tmp_path / "c", ["k"], later, {str(f): f.stat()}).lookup(Counting()) == {"findings": ["s"]}
    assert read == []
    _same_size_edit(f, '"x"', '"y"')
    assert scancache.ScanEntry(tmp_path / "c", ["k"], later, {str(f): f.stat()}).lookup(Counting()) is None


def test_a_damaged_or_foreign_entry_is_a_miss(tmp_path):
    from xborder.cache import Digests

    f = tmp_path / "a.tf"
    f.write_text('variable "x" {}\n', encoding="utf-8")
    st = f.stat()
    started = max(st.st_mtime_ns, st.st_ctime_ns) + scancache.RACY_NS + 100_000_000
    entry = scancache.ScanEntry(tmp_path / "c", ["k"], started, {str(f): st})
    assert entry.store(set(), Digests(), {"findings": ["s"]})
    good = entry.path.read_bytes()
    for bad in (good[: len(good) // 2], b"", b"\x80\x05N.", good.replace(b"a.tf", b"b.tf")):
        entry.path.write_bytes(bad)
        assert scancache.ScanEntry(tmp_path / "c", ["k"], started, {str(f): f.stat()}).lookup(Digests()) is None
    entry.path.write_bytes(good)
    other = tmp_path / "b.tf"  # one more file walked than the entry knows: a miss, even under the same key
    other.write_text("", encoding="utf-8")
    walked = {str(f): f.stat(), str(other): other.stat()}
    assert scancache.ScanEntry(tmp_path / "c", ["k"], started, walked).lookup(Digests()) is None


def _reference_walk(top: Path, root: Path) -> tuple[set[str], list[tuple[str, str]]]:
    """What `scan.walk` must find, by the plain route: os.walk, one lstat per file, links resolved."""
    from xborder.context import SKIP_DIRS

    found: set[str] = set()
    errors: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in filenames:
            full = Path(dirpath) / name
            rel = full.absolute().relative_to(root).as_posix()
            st = os.lstat(full)
            if os.path.islink(full):
                if not os.path.exists(full) or os.path.isdir(full):
                    continue
                if root not in Path(os.path.realpath(full)).parents:
                    errors.append((rel, "symbolic link leads outside the repository; not read"))
                    continue
            elif not (st.st_mode & 0o170000 == 0o100000):
                errors.append((rel, "not a regular file (FIFO, socket or device); not read"))
                continue
            found.add(rel)
    return found, errors


def test_the_walk_finds_what_os_walk_finds(tmp_path):
    from xborder.inputs import reading
    from xborder.model import ScanError

    root = tmp_path / "repo"
    for d in (".git", "a/b", "a/node_modules/x", "c", "d.tf", "e/.terraform"):
        (root / d).mkdir(parents=True)
    for f in ("a/b/f.tf", "a/g.conf", "a/node_modules/x/h.tf", "d.tf/inner.tf", "e/.terraform/m.tf", "top.tf"):
        (root / f).write_text("x\n", encoding="utf-8")
    (tmp_path / "outside.tf").write_text("x\n", encoding="utf-8")
    (root / "c" / "inside").symlink_to(root / "a" / "g.conf")
    (root / "c" / "outside").symlink_to(tmp_path / "outside.tf")
    (root / "c" / "dangling").symlink_to(root / "nowhere")
    (root / "c" / "dirlink").symlink_to(root / "a")
    os.mkfifo(root / "c" / "fifo")
    for top in (root, root / "a", root / "c"):
        errors: list[ScanError] = []
        stats: dict[str, os.stat_result] = {}
        listings: dict[str, list[str]] = {}
        with reading.scan_scope(root):
            files, explicit = scan_mod.walk([top], root.resolve(), errors, stats, listings)
        found, expected_errors = _reference_walk(top, root)
        assert set(files) == found and files == sorted(files) and not explicit
        assert sorted((e.path, e.message) for e in errors) == sorted(expected_errors)
        assert set(stats) == {str(root / f) for f in files}
        assert all(sorted(names) == sorted(os.listdir(d)) for d, names in listings.items())
        assert str(top) in listings and not any("node_modules" in d or ".terraform" in d for d in listings)


def test_an_inventory_answered_by_the_entry_still_places_its_ends(tmp_path):
    """A hit never loads the region tables for the scan itself (they are loaded on first use); the inventory,
    which places ends through them, gives the same table as a cold and an uncached run."""
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "xborder", "inventory", "fixtures/terraform", "--no-config", "--format", "json"]
    runs = [subprocess.run(cmd + extra, cwd=REPO, env=env, capture_output=True, text=True, check=False)
            for extra in ([], [], ["--no-cache"])]
    assert _entries(tmp_path / "cache"), "the first run stored the whole-scan entry"
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert '"kind": "inline"' in runs[1].stdout, "the inline approval that covers a finding is listed on a hit too"


def test_a_hit_unpickles_its_links_only_when_read_and_they_equal_the_cold_ones(tree, tmp_path, monkeypatch):
    """The links of a whole-scan entry (only the inventory reads them) are kept pickled until read; read, they equal
    the links of the scan that stored them, and `dataclasses.replace` of such a result keeps them."""
    import dataclasses

    from xborder.context import Options

    monkeypatch.chdir(tree)
    _age(tree)

    def run() -> object:
        return scan_mod.run_scan(scan_mod.ScanRequest(paths=[Path("repo")], options=Options(), use_config=False,
                                                      cache_dir=tmp_path / "cache"))

    cold, warm = run(), run()
    assert len(_entries(tmp_path / "cache")) == 1
    assert type(cold) is not type(warm) and "_links_blob" in vars(warm)  # a hit, its links not read yet
    assert warm.findings == cold.findings and cold.links
    assert warm.links == cold.links and "_links_blob" not in vars(warm)
    again = run()
    assert dataclasses.replace(again, notes=["x"]).links == cold.links
    again.links = []
    assert again.links == [] and "_links_blob" not in vars(again)
