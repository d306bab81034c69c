"""A module subtree that cannot matter is walked once per scan (`loader._subtree`, `loader.SUBTREES`).

A directory called from several places (a shared module, a diamond of calls) used to be walked again below
every caller. It is now remembered, and reused only where walking it again would decide the same: the
caller's chain of directories holds none of the subtree's (no cycle there) and is short enough for the
subtree's height (no depth limit reached there); a subtree with a remote call (its directory depends on the
root's manifest and the call's key path) or an OpenTofu file is not remembered. These tests compare the
remembered walk with the walk that remembers nothing, on random trees with cycles, depth limits, missing and
remote modules, and count the walks on a lattice of calls.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from xborder.context import Options
from xborder.inputs.terraform import loader, modules
from xborder.plugins import make_plugin_manager
from xborder.reports.base import ReportSettings
from xborder.reports.json_report import JsonReporter
from xborder.scan import ScanRequest, run_scan

_VPN = ('provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
        'resource "alicloud_vpn_customer_gateway" "cgw" {\n  ip_address = "8.8.8.8"\n}\n'
        'resource "alicloud_vpn_connection" "c" {\n  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id\n'
        '  vpn_gateway_id = "vpn-1"\n}\n')


class _NeverKept(loader._Sub):
    """A subtree found is never remembered: the walk as it was before `SUBTREES`."""

    __slots__ = ()

    def __init__(self, errors, deps, dirs, height, kept) -> None:  # noqa: ANN001
        super().__init__(errors, deps, dirs, height, False)


def _unmemoised(m: pytest.MonkeyPatch) -> None:
    m.setattr(loader, "_Sub", _NeverKept)
    m.setattr(loader, "SUBTREES", "test:nothing-remembered")


def _scan(root: Path, monkeypatch: pytest.MonkeyPatch, memo: bool) -> str:
    with monkeypatch.context() as m:
        if not memo:
            _unmemoised(m)
        pm = make_plugin_manager(load_entry_points=False)
        result = run_scan(ScanRequest(paths=[root], root=root, options=Options(jobs=1), use_config=False), pm)
    return JsonReporter(root).render(result, ReportSettings())


def _call(name: str, source: str) -> str:
    return f'module "{name}" {{\n  source = "{source}"\n}}\n'


def _random_tree(root: Path, rng: random.Random) -> list[Path]:
    """Module directories `m/dI` calling one another at random (cycles included), some naming a link type,
    some with a syntax error, a missing or remote module; roots under `live/` calling them. The directories."""
    n = rng.randrange(4, 10)
    dirs = []
    for i in range(n):
        d = root / "m" / f"d{i}"
        d.mkdir(parents=True)
        dirs.append(d)
        text = ""
        for k in range(rng.choice((0, 1, 1, 2, 2, 3))):
            j = rng.randrange(n)
            r = rng.random()
            source = "../missing" if r < 0.05 else "terraform-aws-modules/vpc/aws" if r < 0.1 else f"../d{j}"
            text += _call(f"c{k}", source)
        if rng.random() < 0.12:
            text += _VPN
        (d / "main.tf").write_text(text or "locals {\n  x = 1\n}\n", encoding="utf-8")
        if rng.random() < 0.2:
            (d / "broken.tf").write_text(f'locals {{\n  b{i} = (1\n}}\n', encoding="utf-8")
    for k in range(rng.randrange(1, 4)):
        live = root / "live" / f"r{k}"
        live.mkdir(parents=True)
        text = _VPN if rng.random() < 0.6 else ""  # else the root itself may be skipped whole (`_quick_calls`)
        for c in range(rng.randrange(1, 4)):
            text += _call(f"c{c}", f"../../m/d{rng.randrange(n)}")
        (live / "main.tf").write_text(text, encoding="utf-8")
    return dirs


@pytest.mark.parametrize("depth", [2, 3, 16])
def test_random_trees_give_the_same_report_and_the_same_decisions_with_and_without_the_memo(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, depth: int) -> None:
    """Each `_subtree` question of a scan is also asked with random chains of calling directories (cycles
    through the subtree, chains at and past the depth limit): the remembered answer is the walked one."""
    monkeypatch.setattr(modules, "MAX_MODULE_DEPTH", depth)
    monkeypatch.setattr(loader, "MAX_MODULE_DEPTH", depth)
    compared = {"same": 0, "none": 0, "hits": 0, "by the chain": 0}
    original = loader._subtree

    for seed in range(12):
        rng = random.Random(seed * 31 + depth)
        root = tmp_path / f"t{seed}"
        dirs = _random_tree(root, rng)
        fake = [root / "elsewhere" / f"x{i}" for i in range(depth + 2)]

        def checking(state, dir_abs, key_path, chain, names, local_only=False):  # noqa: ANN001, ANN202
            found = original(state, dir_abs, key_path, chain, names, local_only)
            for _ in range(6):
                other = tuple(rng.sample(dirs, rng.randrange(0, len(dirs) + 1)))
                other = tuple(d for d in other if d != dir_abs)[: rng.randrange(0, depth + 2)]
                other = tuple(fake[: rng.randrange(0, depth + 2)]) + other
                remembered = loader.SUBTREES in state.ctx.cache and any(
                    k[0] == str(dir_abs) for k in state.ctx.cache[loader.SUBTREES])
                memo = original(state, dir_abs, key_path, other, names, local_only)
                with monkeypatch.context() as m:
                    _unmemoised(m)
                    walked = original(state, dir_abs, key_path, other, names, local_only)
                    free = original(state, dir_abs, key_path, (), names, local_only)
                assert memo == walked, (dir_abs, other)
                compared["by the chain"] += walked is None and free is not None
                compared["same"] += 1
                compared["none"] += walked is None
                compared["hits"] += remembered and walked is not None
            return found

        with monkeypatch.context() as m:
            m.setattr(loader, "_subtree", checking)
            checked = _scan(root, monkeypatch, memo=True)
        assert checked == _scan(root, monkeypatch, memo=True)
        assert checked == _scan(root, monkeypatch, memo=False), seed
    print(compared)
    # the questions covered both answers, remembered subtrees and answers the chain decided
    assert compared["none"] > 20 and compared["same"] - compared["none"] > 20 and compared["hits"] > 20, compared
    assert compared["by the chain"] > 10, compared  # answers a cycle or the depth limit decided


def _lattice(root: Path, levels: int) -> None:
    """Two roots with a VPN calling `l0a` and `l0b`; each `lIx` calls both of level I+1 (a diamond per level)."""
    for r in ("east", "west"):
        (root / r).mkdir(parents=True)
        (root / r / "main.tf").write_text(_VPN + _call("a", "../l0a") + _call("b", "../l0b"), encoding="utf-8")
    for i in range(levels):
        for x in "ab":
            d = root / f"l{i}{x}"
            d.mkdir()
            text = _call("a", f"../l{i + 1}a") + _call("b", f"../l{i + 1}b") if i + 1 < levels else ""
            (d / "main.tf").write_text(text or 'locals {\n  broken = (1\n}\n', encoding="utf-8")


def test_a_lattice_of_calls_is_walked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each call below the two roots is looked at once in the scan, not once per path to it (2 * 2^8 paths)."""
    levels = 8
    _lattice(tmp_path, levels)
    looked = [0]
    plain = loader.plain_source_dir

    def counting(*a):  # noqa: ANN002, ANN202
        looked[0] += 1
        return plain(*a)

    monkeypatch.setattr(loader, "plain_source_dir", counting)
    fast = _scan(tmp_path, monkeypatch, memo=True)
    calls = 4 * (levels - 1)  # the calls between module directories; the roots' own calls are `plain_child_dir`'s
    assert looked[0] == calls, looked[0]
    looked[0] = 0
    assert _scan(tmp_path, monkeypatch, memo=False) == fast
    assert looked[0] > 2 * 2 ** levels
    assert '"l7a/main.tf"' in fast and "syntax error" in fast  # the deepest directories' errors are reported


def test_a_subtree_with_a_remote_call_is_walked_for_each_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`common` calls a registry module, which each root's manifest places in its own directory: under `east`
    it is a plain module, under `west` it holds a VPN. What `common` gives under `east` must not be reused for
    `west` (the directory a remote call reads depends on the root's manifest and the call's key path)."""
    import json

    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "main.tf").write_text(_call("net", "example-corp/net/aws"), encoding="utf-8")
    for root, module in (("east", 'locals {\n  x = 1\n}\n'), ("west", _VPN)):
        installed = tmp_path / root / ".terraform" / "modules" / "s.net"
        installed.mkdir(parents=True)
        (installed / "main.tf").write_text(module, encoding="utf-8")
        manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                                {"Key": "s.net", "Source": "registry.terraform.io/example-corp/net/aws",
                                 "Dir": ".terraform/modules/s.net"}]}
        (installed.parent / "modules.json").write_text(json.dumps(manifest), encoding="utf-8")
        (tmp_path / root / "main.tf").write_text(_VPN + _call("s", "../common"), encoding="utf-8")
    fast = _scan(tmp_path, monkeypatch, memo=True)
    assert fast == _scan(tmp_path, monkeypatch, memo=False)
    assert "module.s.module.net.alicloud_vpn_connection.c" in fast


@pytest.mark.parametrize("view_name", ["terraform", "tofu"])
def test_a_subtree_holding_opentofu_files_is_seen_by_each_unit(tmp_path: Path, view_name: str) -> None:
    """A directory with module calls and an OpenTofu file is listed again by each unit walking it, which records
    that the tree holds OpenTofu files (`modules.TOFU_SEEN`); a remembered subtree would skip that."""
    from xborder.context import ScanContext

    (tmp_path / "common" / "inner").mkdir(parents=True)
    (tmp_path / "common" / "main.tf").write_text(_call("i", "./inner"), encoding="utf-8")
    (tmp_path / "common" / "extra.tofu").write_text('locals {\n  y = 2\n}\n', encoding="utf-8")
    (tmp_path / "common" / "inner" / "main.tf").write_text('locals {\n  z = 3\n}\n', encoding="utf-8")
    ctx = ScanContext(root=tmp_path, options=Options(), policies=None, config=None, pm=None)  # type: ignore[arg-type]
    names = frozenset({"alicloud_vpn_connection"})
    for _unit in range(3):
        with modules.view(view_name) as seen:
            found = loader._subtree(modules.LoadState(ctx, tmp_path), tmp_path / "common", "s", (tmp_path,), names)
        assert found is not None and seen
