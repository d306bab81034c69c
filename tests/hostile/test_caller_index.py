"""The caller search's index (`callers.CallerIndex`): with the cache on, a pre-commit run takes each
directory's listing and each file's caller verdict from it while their metadata is unchanged.

A caller missed would be a silent pass (the named module judged alone), so every test compares with
the search that reads everything, after the kinds of change a working tree sees.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from xborder import scancache
from xborder.inputs import reading
from xborder.inputs.terraform import callers

from .conftest import scan_json

PROVIDER = 'provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
MODULE_VPN = (
    'variable "peer" {}\n'
    'resource "alicloud_vpn_customer_gateway" "hk" {\n  ip_address = var.peer\n}\n'
    'resource "alicloud_vpn_connection" "c" {\n'
    '  customer_gateway_id = alicloud_vpn_customer_gateway.hk.id\n  vpn_gateway_id = "vpn-1"\n}\n'
)
CALL = 'module "m" {\n  source = "../vpn"\n  peer = "1.2.3.4"\n}\n'
NOT_A_CALL = 'locals {\n  source = "../vpn-xy"\n  peer_ = "1.2.3.4"\n}\n'  # the same size as CALL


def _tree(root: Path) -> None:
    (root / "vpn").mkdir()
    (root / "vpn" / "main.tf").write_text(MODULE_VPN)
    for d in ("live", "other", "deep/er"):
        (root / d).mkdir(parents=True)
        (root / d / "main.tf").write_text(PROVIDER)
    (root / "other" / "calls.tf").write_text('module "o" {\n  source = "../deep/er"\n}\n')
    (root / "venv" / "lib" / "pkg").mkdir(parents=True)
    (root / "venv" / "lib" / "pkg" / "x.py").write_text("")


def _search(root: Path, index: callers.CallerIndex | None, reads: list[str] | None = None) -> dict[str, callers.DirSources]:
    with reading.scan_scope(root):
        if reads is None:
            return callers.dir_sources(root, index)
        original = reading.read_listed

        def counted(real_dir: str, name: str, *args: Any) -> bytes:
            reads.append(f"{real_dir}/{name}")
            return original(real_dir, name, *args)

        reading.read_listed = counted  # type: ignore[assignment]
        try:
            return callers.dir_sources(root, index)
        finally:
            reading.read_listed = original  # type: ignore[assignment]


def _index(tmp: Path, root: Path, key: str = "key") -> callers.CallerIndex:
    return callers.CallerIndex(tmp / "cache", key, os.fspath(root))


@pytest.fixture()
def trusted_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scancache, "RACY_NS", 0)  # the tree was written just now: trust its signatures at once


def test_index_answers_as_reading_everything_and_reads_nothing_unchanged(tmp_path: Path, trusted_at_once: None) -> None:
    root = (tmp_path / "tree").resolve()
    root.mkdir()
    _tree(root)
    expected = _search(root, None)
    assert set(expected) == {"other"}
    assert _search(root, _index(tmp_path, root)) == expected
    reads: list[str] = []
    assert _search(root, _index(tmp_path, root), reads) == expected
    assert reads == []  # every listing and verdict came from the index


@pytest.mark.parametrize("change", ["new file", "new directory", "same size, old mtime", "removed", "renamed directory"])
def test_a_change_after_indexing_is_seen(tmp_path: Path, trusted_at_once: None, change: str) -> None:
    root = (tmp_path / "tree").resolve()
    root.mkdir()
    _tree(root)
    _search(root, _index(tmp_path, root))
    time.sleep(0.05)  # a later change time than the indexed one, even on a coarse clock
    if change == "new file":
        (root / "live" / "calls.tf").write_text(CALL)
    elif change == "new directory":
        (root / "deep" / "new").mkdir()
        (root / "deep" / "new" / "main.tf").write_text(CALL.replace("../vpn", "../../vpn"))
    elif change == "same size, old mtime":
        f = root / "live" / "x.tf"
        f.write_text(NOT_A_CALL)
        _search(root, _index(tmp_path, root))  # indexed as no call
        st = f.stat()
        time.sleep(0.05)
        f.write_text(CALL)
        assert f.stat().st_size == st.st_size
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # only the change time moves
    elif change == "removed":
        (root / "other" / "calls.tf").unlink()
    else:
        (root / "other").rename(root / "other2")
    expected = _search(root, None)
    assert _search(root, _index(tmp_path, root)) == expected
    assert _search(root, _index(tmp_path, root)) == expected  # and what was kept after the change is right too
    if change in ("new file", "same size, old mtime"):
        assert "live" in expected
    if change == "new directory":
        assert "deep/new" in expected


def test_young_entries_are_not_kept(tmp_path: Path) -> None:
    """Changed within `RACY_NS` before the run: a later change could keep the same signature, so not kept."""
    root = (tmp_path / "tree").resolve()
    root.mkdir()
    _tree(root)
    index = _index(tmp_path, root)
    _search(root, index)
    assert index.files == {} and index.dirs == {}


def test_another_key_or_a_damaged_file_reuses_nothing(tmp_path: Path, trusted_at_once: None) -> None:
    root = (tmp_path / "tree").resolve()
    root.mkdir()
    _tree(root)
    expected = _search(root, None)
    first = _index(tmp_path, root)
    _search(root, first)
    reads: list[str] = []
    assert _search(root, _index(tmp_path, root, key="other code or options"), reads) == expected
    assert reads  # read again
    Path(first.path).write_bytes(b"\x00damaged")
    reads = []
    assert _search(root, _index(tmp_path, root), reads) == expected
    assert reads


def test_index_files_are_bounded(tmp_path: Path, trusted_at_once: None) -> None:
    for i in range(callers.CallerIndex.KEEP + 3):
        root = (tmp_path / f"tree{i}").resolve()
        root.mkdir()
        (root / "main.tf").write_text(CALL)
        _search(root, _index(tmp_path, root))
    assert len(list((tmp_path / "cache" / "callers").glob("*.marshal"))) == callers.CallerIndex.KEEP


def test_precommit_runs_with_the_cache_find_a_caller_added_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end, cache on: the first runs keep the index (the tree is older than the racy window); a
    caller written into an indexed directory afterwards, or an indexed file turned into a caller without
    changing its size or modification time, is found; every output equals the `--no-cache` one."""
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    root.mkdir()
    _tree(root)
    (root / "live" / "x.tf").write_text(NOT_A_CALL)
    time.sleep(scancache.RACY_NS / 1e9 + 0.2)
    args = ("vpn/main.tf", "--no-config")
    alone = scan_json(*args, "--no-cache", cwd=root)
    assert "XB101" not in alone.rules, alone.doc
    assert scan_json(*args, cwd=root).out == alone.out
    assert list((tmp_path / "cache" / "callers").glob("*.marshal"))
    assert scan_json(*args, cwd=root).out == alone.out  # from the index

    f = root / "live" / "x.tf"
    st = f.stat()
    f.write_text(CALL)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    through = scan_json(*args, "--no-cache", cwd=root)
    assert through.rules == ["XB101"], through.doc
    assert scan_json(*args, cwd=root).out == through.out

    f.write_text(NOT_A_CALL)
    (root / "other" / "more.tf").write_text(CALL)
    again = scan_json(*args, "--no-cache", cwd=root)
    assert again.rules == ["XB101"], again.doc
    assert scan_json(*args, cwd=root).out == again.out


def test_walk_suffixes_are_the_loaders() -> None:
    from xborder.inputs.terraform import syntax

    assert callers._CONFIG_SUFFIXES == syntax.CONFIG_SUFFIXES


def test_an_index_of_code_replaced_since_the_key_was_made_is_not_kept(tmp_path: Path, trusted_at_once: None,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The index is keyed by the result cache's scan key (xborder's code among it): verdicts of a module imported from
    a file replaced after the key was made (cache.code_unchanged) are not kept under it, as the results are not."""
    from xborder import cache

    root = (tmp_path / "tree").resolve()
    root.mkdir()
    _tree(root)
    monkeypatch.setattr(cache, "_CHANGED", True, raising=False)
    _search(root, _index(tmp_path, root))
    assert not list((tmp_path / "cache" / "callers").glob("*.marshal"))
    monkeypatch.setattr(cache, "_CHANGED", False, raising=False)
    monkeypatch.setattr(cache, "_LOADED", None, raising=False)
    _search(root, _index(tmp_path, root))
    assert list((tmp_path / "cache" / "callers").glob("*.marshal"))
