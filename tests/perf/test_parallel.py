"""Loading units in several processes gives byte-identical output to one process (real CLI, real fork)."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


def _scan(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", "scan", *args, "--format", "json", "--no-cache"],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_fixtures_parallel_equals_single_process():
    one = _scan(REPO, "fixtures/", "--jobs", "1")
    two = _scan(REPO, "fixtures/", "--jobs", "2")
    assert '"rule_id"' in one.stdout
    assert two.stdout == one.stdout and two.returncode == one.returncode


def test_generated_tree_with_shared_modules_parallel_equals_single_process(tmp_path):
    from generate import generate  # bench/generate.py: module directories with VPNs, variables and tfvars

    generate(tmp_path, 40)
    shared = tmp_path / "common" / "vpn"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(
        'variable "peer" {}\nresource "aws_customer_gateway" "c" {\n  bgp_asn = 65000\n  ip_address = var.peer\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = aws_customer_gateway.c.id\n  vpn_gateway_id = "vgw-1"\n  type = "ipsec.1"\n}\n',
        encoding="utf-8")
    for i, peer in enumerate(["8.8.8.8", "58.247.0.10", "203.186.1.1"]):
        caller = tmp_path / "callers" / f"c{i}"
        caller.mkdir(parents=True)
        (caller / "main.tf").write_text(
            f'provider "aws" {{\n  region = "cn-north-1"\n}}\nmodule "vpn" {{\n  source = "../../common/vpn"\n  peer = "{peer}"\n}}\n',
            encoding="utf-8")
    one = _scan(tmp_path, ".", "--jobs", "1")
    auto = _scan(tmp_path, ".", "--jobs", "2")
    assert "module.vpn.aws_vpn_connection.v" in one.stdout
    assert auto.stdout == one.stdout and auto.returncode == one.returncode


def test_map_items_keeps_order_and_returns_exceptions_in_workers():
    from types import SimpleNamespace

    from xborder import parallel

    def work(n: int) -> int:
        if n == 7:
            raise ValueError("seven")
        return n * n

    pids: set[int] = set()

    def where(_n: int) -> int:
        return os.getpid()

    ctx = SimpleNamespace(cache={})
    done = parallel.map_items(list(range(100)), ctx, work, jobs=2)
    assert [r for i, r in enumerate(done.results) if i != 7] == [n * n for n in range(100) if n != 7]
    assert isinstance(done.results[7], ValueError) and str(done.results[7]) == "seven"
    pids.update(parallel.map_items(list(range(100)), ctx, where, jobs=2).results)
    assert os.getpid() not in pids  # the work ran in forked workers, not here


def test_root_detection_in_workers_finds_the_same_roots(tmp_path):
    """Root detection runs in worker processes for a large tree: called directories are still not roots."""
    vpn = ('resource "aws_customer_gateway" "c" {\n  bgp_asn = 65000\n  ip_address = var.peer\n  type = "ipsec.1"\n}\n'
           'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = aws_customer_gateway.c.id\n'
           '  vpn_gateway_id = "vgw-1"\n  type = "ipsec.1"\n}\nvariable "peer" {}\n')
    for i in range(40):  # 40 callers, each of its own leaf (a chain root -> mid -> leaf for every third)
        leaf = tmp_path / f"leaf{i}"
        leaf.mkdir()
        (leaf / "main.tf").write_text(vpn, encoding="utf-8")
        caller = tmp_path / f"root{i}"
        caller.mkdir()
        target = f"../leaf{i}"
        if i % 3 == 0:
            mid = tmp_path / f"mid{i}"
            mid.mkdir()
            (mid / "main.tf").write_text(f'variable "peer" {{}}\nmodule /* c */ "m" {{\n  source = "../leaf{i}"\n'
                                         f'  peer = var.peer\n}}\n', encoding="utf-8")
            target = f"../mid{i}"
        (caller / "main.tf").write_text(f'provider "aws" {{\n  region = "cn-north-1"\n}}\nmodule "m" {{\n'
                                        f'  source = "{target}"\n  peer = "203.186.1.1"\n}}\n', encoding="utf-8")
    one = _scan(tmp_path, ".", "--jobs", "1", "--no-config")
    two = _scan(tmp_path, ".", "--jobs", "2", "--no-config")
    import json

    report = json.loads(two.stdout)
    assert report["summary"]["inputs_read"] == 40  # the 40 callers; no leaf or mid directory on its own
    addresses = sorted(f["resource"] for f in report["findings"] if f["rule_id"] == "XB101")
    assert len(addresses) == 40 and all(a.startswith("module.m.") for a in addresses)
    assert two.stdout == one.stdout and two.returncode == one.returncode


def test_unused_directives_of_a_large_tree_are_found_in_workers(tmp_path):
    """Files no finding points at are read for unused `xborder:ignore` directives on every core: same XB001s."""
    import json

    for i in range(80):
        d = tmp_path / f"m{i}"
        d.mkdir()
        note = f'# xborder:ignore XB101 reason="stale {i}"\n' if i % 20 == 3 else "# nothing here\n"
        (d / "main.tf").write_text(note + f'resource "aws_vpc" "v" {{\n  cidr_block = "10.{i}.0.0/16"\n}}\n', encoding="utf-8")
    one = _scan(tmp_path, ".", "--jobs", "1", "--no-config")
    two = _scan(tmp_path, ".", "--jobs", "2", "--no-config")
    unused = sorted(f["path"] for f in json.loads(two.stdout)["findings"] if f["rule_id"] == "XB001")
    assert unused == ["m23/main.tf", "m3/main.tf", "m43/main.tf", "m63/main.tf"]
    assert two.stdout == one.stdout and two.returncode == one.returncode


def test_opentofu_views_of_a_large_tree_are_found_from_the_workers_listings(tmp_path):
    """Root detection in workers also reports what each directory's listing showed (OpenTofu files, a
    `.terraform` entry), which the parent uses to pick the roots OpenTofu reads differently: a local module
    of only `.tofu` files and a downloaded module holding a `.tofu` file are still read as OpenTofu reads them
    (their VPNs are judged, with the OpenTofu note), and `--jobs 2` equals `--jobs 1`."""
    import json

    provider = 'provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
    vpn = ('variable "peer" {}\nresource "alicloud_vpn_customer_gateway" "cgw" {\n  ip_address = var.peer\n}\n'
           'resource "alicloud_vpn_connection" "c" {\n  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id\n'
           '  vpn_gateway_id = "vpn-1"\n}\n')
    for i in range(70):
        d = tmp_path / f"d{i:02}"
        d.mkdir()
        (d / "main.tf").write_text(f'resource "aws_vpc" "v" {{\n  cidr_block = "10.{i}.0.0/16"\n}}\n', encoding="utf-8")
    local = tmp_path / "local"
    (local / "modules" / "vpn").mkdir(parents=True)
    (local / "main.tf").write_text(provider + 'module "vpn" {\n  source = "./modules/vpn"\n  peer = "1.2.3.4"\n}\n',
                                   encoding="utf-8")
    (local / "modules" / "vpn" / "main.tofu").write_text(vpn, encoding="utf-8")
    fetched = tmp_path / "fetched"
    (fetched / ".terraform" / "modules" / "office").mkdir(parents=True)
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "office", "Source": "registry.terraform.io/example/office/alicloud",
                             "Dir": ".terraform/modules/office"}]}
    (fetched / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest), encoding="utf-8")
    (fetched / "main.tf").write_text(provider + 'module "office" {\n  source = "example/office/alicloud"\n'
                                     '  peer = "5.6.7.8"\n}\n', encoding="utf-8")
    (fetched / ".terraform" / "modules" / "office" / "main.tofu").write_text(vpn, encoding="utf-8")
    one = _scan(tmp_path, ".", "--jobs", "1", "--no-config")
    two = _scan(tmp_path, ".", "--jobs", "2", "--no-config")
    found = {(f["path"], any("OpenTofu" in e for e in f["evidence"]))
             for f in json.loads(two.stdout)["findings"] if f["rule_id"] == "XB101"}
    assert found == {("local/modules/vpn/main.tofu", True), ("fetched/.terraform/modules/office/main.tofu", True)}, two.stdout
    assert two.stdout == one.stdout and two.returncode == one.returncode


def test_each_batch_sends_back_only_what_it_added(tmp_path):
    """A worker runs many batches: each sends back the facts and file bytes that batch added, once, in order
    (taken from the end of the worker's dicts, which only grow), so the parent has them all, in item order."""
    from types import SimpleNamespace

    from xborder import parallel
    from xborder.inputs import reading

    tmp_path = tmp_path.resolve()  # one path per file in the store (as given = resolved)
    for i in range(300):
        (tmp_path / f"f{i}.tf").write_text(f"# file {i}\n", encoding="utf-8")
    ctx = SimpleNamespace(cache={parallel.FACTS: {}})

    for i in range(300):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / "main.tf").write_text("", encoding="utf-8")

    def work(n: int) -> int:
        ctx.cache[parallel.FACTS][("fact", n)] = None
        reading.read_bytes(tmp_path / f"f{n}.tf")
        reading.list_names(tmp_path / f"d{n}")  # memos of the file system come back too
        return os.getpid()

    with reading.scan_scope(tmp_path) as scope:
        done = parallel.map_items(list(range(300)), ctx, work, jobs=2)
        assert os.getpid() not in done.results and len(set(done.results)) <= 2  # few workers, many batches each
        assert list(ctx.cache[parallel.FACTS]) == [("fact", n) for n in range(300)]
        assert scope.store is not None
        assert [p for p in scope.store if p.endswith(".tf")] == [str(tmp_path / f"f{n}.tf") for n in range(300)]
        assert scope.stored == sum(len(f"# file {n}\n") for n in range(300))  # each file's bytes counted once
        assert scope.names == {str(tmp_path / f"d{n}"): ["main.tf"] for n in range(300)}
        assert set(scope.real_dirs) == {str(tmp_path)}

    with reading.scan_scope(tmp_path):  # in this process: a second batch sends back its own additions only
        ctx.cache[parallel.FACTS] = {}
        parallel._JOB = (list(range(300)), work, ctx)
        try:
            parallel._batch([0, 1, 2])
            pairs, _writes, _found, learnt, read, _written, memos = parallel._batch([3, 4])
        finally:
            parallel._JOB = None
        assert [i for i, _ in pairs] == [3, 4]
        assert learnt == [("fact", 3), ("fact", 4)]
        assert [p for p, _ in read] == [str(tmp_path / "f3.tf"), str(tmp_path / "f4.tf")]
        assert dict(memos)["names"] == [(str(tmp_path / f"d{n}"), ["main.tf"]) for n in (3, 4)]


def test_pool_maintenance_thread_sleeps_while_results_arrive(monkeypatch):
    """The pool's worker-maintenance thread wakes for worker exits and the end of the work, not for every result
    waiting in the pipe: `multiprocessing.pool.Pool`'s own loops there while the result thread has not read it,
    taking the parent's CPU from the workers (`forkpool`). Counted by the thread's pool checks."""
    from types import SimpleNamespace

    from multiprocessing.pool import Pool

    from xborder import parallel

    checks: list[int] = []
    maintain = Pool._maintain_pool

    def counted(*args, **kwargs):
        checks.append(1)
        return maintain(*args, **kwargs)

    monkeypatch.setattr(Pool, "_maintain_pool", staticmethod(counted))
    done = parallel.map_items(list(range(400)), SimpleNamespace(cache={}), lambda n: bytes([n % 256]) * 50_000, jobs=2)
    assert [r[:1] for r in done.results] == [bytes([n % 256]) for n in range(400)]  # the results, in order
    assert len(checks) <= 5  # start, the work done, the pool's end (and a worker's exit): not once per result
