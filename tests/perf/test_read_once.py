"""A scan reads each file once (`inputs.reading.Scope.store`): later reads of the same path get the bytes
the first, checked read returned; what was refused is checked again every time, never remembered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xborder.inputs import reading


def test_a_second_read_in_a_scan_gets_the_first_reads_bytes(tmp_path: Path) -> None:
    f = tmp_path / "main.tf"
    f.write_bytes(b'resource "aws_vpc" "v" {}\n')
    (tmp_path / "sub").mkdir()
    with reading.scan_scope(tmp_path) as scope:
        first = reading.read_bytes(f)
        f.write_bytes(b"changed since\n")
        assert reading.read_bytes(f) == first  # one consistent view of the file within one scan
        assert reading.read_bytes(Path(f"{tmp_path}/sub/../main.tf")) == first  # another spelling, same resolved file
        assert reading.read_bytes(f, 8, head=True) == first[:8]
        used = scope.used
    assert used == len(first)  # counted once against the scan's input budget
    with reading.scan_scope(tmp_path):
        assert reading.read_bytes(f) == b"changed since\n"  # a new scan reads afresh


def test_outside_a_scan_nothing_is_kept(tmp_path: Path) -> None:
    f = tmp_path / "a.tf"
    f.write_bytes(b"one\n")
    assert reading.read_bytes(f) == b"one\n"
    f.write_bytes(b"two\n")
    assert reading.read_bytes(f) == b"two\n"


def test_refusals_are_checked_again_and_a_smaller_limit_still_refuses(tmp_path: Path) -> None:
    f = tmp_path / "big.tf"
    f.write_bytes(b"x" * 100)
    with reading.scan_scope(tmp_path):
        assert reading.read_bytes(f, 200) == b"x" * 100
        with pytest.raises(reading.ReadRefused, match="larger than the 50 bytes limit") as exc:
            reading.read_bytes(f, 50)  # kept, but over this reader's limit: refused as a fresh read would
        assert exc.value.size == 100
        g = tmp_path / "late.tf"
        with pytest.raises(FileNotFoundError):
            reading.read_bytes(g)
        g.write_bytes(b"now here\n")
        assert reading.read_bytes(g) == b"now here\n"  # a failed read is not remembered


@pytest.mark.skipif(os.name != "posix", reason="symbolic links and FIFOs")
def test_a_link_leaving_the_repository_is_refused_even_when_its_target_was_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    secret = tmp_path / "secret.tf"
    secret.write_bytes(b"secret\n")
    (repo / "inside.tf").write_bytes(b"inside\n")
    (repo / "link.tf").symlink_to(secret)
    (repo / "same.tf").symlink_to(repo / "inside.tf")
    os.mkfifo(repo / "pipe.tf")
    with reading.scan_scope(repo):
        assert reading.read_bytes(repo / "inside.tf") == b"inside\n"
        assert reading.read_bytes(repo / "same.tf") == b"inside\n"  # a link inside: the kept bytes
        for _ in range(2):
            with pytest.raises(reading.ReadRefused, match="outside the repository"):
                reading.read_bytes(repo / "link.tf")
            with pytest.raises(reading.ReadRefused, match="not a regular file"):
                reading.read_bytes(repo / "pipe.tf")


def test_the_store_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "STORE_BYTES", 10)
    a, b = tmp_path / "a.tf", tmp_path / "b.tf"
    a.write_bytes(b"12345678\n")
    b.write_bytes(b"abcdefgh\n")
    with reading.scan_scope(tmp_path) as scope:
        reading.read_bytes(a)
        reading.read_bytes(b)  # over the bound: not kept
        a.write_bytes(b"changed\n")
        b.write_bytes(b"changed\n")
        assert reading.read_bytes(a) == b"12345678\n"
        assert reading.read_bytes(b) == b"changed\n"
        assert scope.stored == 9


def test_files_without_the_directive_word_are_known(tmp_path: Path) -> None:
    (tmp_path / "plain.tf").write_bytes(b"# nothing\n")
    (tmp_path / "noted.tf").write_bytes(b"# xborder:ignore XB101\n")
    (tmp_path / "unread.tf").write_bytes(b"# nothing\n")
    with reading.scan_scope(tmp_path):
        reading.read_bytes(tmp_path / "plain.tf")
        reading.read_bytes(tmp_path / "noted.tf")
        reading.read_bytes(tmp_path / "plain.tf", 4, head=True)
        assert reading.holds_no_directive(tmp_path / "plain.tf")
        assert not reading.holds_no_directive(tmp_path / "noted.tf")
        assert not reading.holds_no_directive(tmp_path / "unread.tf")
    assert not reading.holds_no_directive(tmp_path / "plain.tf")  # outside a scan: nothing is known


def test_the_caller_search_reads_without_looking_for_the_directive_word(tmp_path: Path) -> None:
    """The caller search reads every Terraform file under the root; suppressions ask about the scanned files only,
    so the word is looked for when one asks (in the bytes kept), not at each read."""
    from xborder.inputs.terraform.callers import dir_sources

    for rel, text in (("a/plain.tf", b'module "m" {\n  source = "../b"\n}\n'), ("b/noted.tf", b"# xborder:ignore XB101\n"),
                      ("c/other.tf", b"# nothing\n")):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text)
    with reading.scan_scope(tmp_path) as scope:
        assert set(dir_sources(tmp_path)) == {"a"}
        real = os.path.realpath(tmp_path)
        assert f"{real}/a/plain.tf" in scope.store and not scope.plain  # read and kept, not looked into
        assert reading.holds_no_directive(f"{real}/a/plain.tf") and reading.holds_no_directive(f"{real}/c/other.tf")
        assert not reading.holds_no_directive(f"{real}/b/noted.tf")
        assert reading.read_bytes(tmp_path / "b" / "noted.tf") == b"# xborder:ignore XB101\n"
        assert not reading.holds_no_directive(tmp_path / "b" / "noted.tf")


def test_an_unused_directive_in_a_file_read_by_a_unit_is_still_reported(tmp_path: Path) -> None:
    """The unit reads main.tf (no directive word: not read again), the quick check reads other.tf (with
    one): the unused directive of other.tf is an XB001 as before, and main.tf's finding is reported."""
    import json

    (tmp_path / "main.tf").write_text('resource "aws_vpn_connection" "c" {\n  customer_gateway_id = "cgw-1"\n}\n'
                                      'provider "aws" {\n  region = "cn-north-1"\n}\n', encoding="utf-8")
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "other.tf").write_text('# xborder:ignore XB101 reason="old"\nvariable "x" {}\n', encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--format", "json", "--no-cache", "--no-config"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    findings = json.loads(out.stdout)["findings"]
    assert [f["path"] for f in findings if f["rule_id"] == "XB001"] == ["m/other.tf"], findings


def _fork_available() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


@pytest.mark.skipif(not _fork_available(), reason="needs fork")
def test_what_workers_read_is_kept_for_this_process_and_the_workers_forked_after(tmp_path: Path) -> None:
    """Root detection's workers read every Terraform file; the parent and the load workers forked after them find
    those bytes (`reading.adopt`) instead of reading the files again: one view of each file per scan, as at -j 1."""
    from types import SimpleNamespace

    from xborder import parallel

    files = []
    for i in range(80):
        f = tmp_path / f"f{i}.tf"
        f.write_bytes(f"# file {i}\n".encode())
        files.append(f)
    ctx = SimpleNamespace(cache={})
    with reading.scan_scope(tmp_path) as scope:
        first = parallel.map_items(files, ctx, lambda f: (os.getpid(), reading.read_bytes(f)), jobs=2)
        assert os.getpid() not in {pid for pid, _data in first.results}  # read in forked workers
        read = [data for _pid, data in first.results]
        for f in files:
            f.write_bytes(b"changed since\n")
        assert parallel.map_items(files, ctx, reading.read_bytes, jobs=2).results == read  # later workers: kept
        assert [reading.read_bytes(f) for f in files] == read  # and here
        assert scope.stored == sum(len(d) for d in read)  # each file's bytes counted once


@pytest.mark.skipif(not _fork_available(), reason="needs fork")
def test_what_workers_read_is_kept_within_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from xborder import parallel

    monkeypatch.setattr(reading, "STORE_BYTES", 100)
    files = []
    for i in range(80):
        f = tmp_path / f"f{i:02}.tf"
        f.write_bytes(b"x" * 30)
        files.append(f)
    with reading.scan_scope(tmp_path) as scope:
        parallel.map_items(files, SimpleNamespace(cache={}), reading.read_bytes, jobs=2)
        assert scope.stored <= 100
        for f in files:
            f.write_bytes(b"changed\n")
        assert sum(reading.read_bytes(f) == b"x" * 30 for f in files) == scope.stored // 30 >= 1


@pytest.mark.skipif(not _fork_available(), reason="needs fork")
def test_the_result_cache_entries_workers_wrote_are_known_here(tmp_path: Path) -> None:
    """The whole-scan entry lists every unit's dependencies: those of entries a worker wrote come back with its
    results (`ResultCache.seen`), so they are not read back from the cache directory one by one."""
    from types import SimpleNamespace

    from xborder import parallel

    cache = SimpleNamespace(writes=0, seen={})

    def put(i: int) -> int:
        cache.seen[f"unit{i}"] = [f"dir:/tree/{i}"]
        cache.writes += 1
        return os.getpid()

    done = parallel.map_items(list(range(80)), SimpleNamespace(cache={"xborder:result-cache": cache}), put, jobs=2)
    assert os.getpid() not in done.results
    assert done.writes == 80
    assert cache.seen == {f"unit{i}": [f"dir:/tree/{i}"] for i in range(80)}


def test_a_scan_lists_each_directory_it_walks_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Root detection and loading take the walk's listing of a directory (`reading.seed_names`), not a `listdir`
    of their own: module directories, callers and plain roots alike; the report is the same as before."""
    from xborder.cli import main

    (tmp_path / ".git").mkdir()
    for i in range(3):
        d = tmp_path / f"env{i}"
        (d / "mod").mkdir(parents=True)
        (d / "main.tf").write_text('module "m" {\n  source = "./mod"\n  peer = "203.186.1.1"\n}\n', encoding="utf-8")
        (d / "mod" / "main.tf").write_text(
            'variable "peer" {}\nresource "aws_customer_gateway" "c" {\n  bgp_asn = 65000\n  ip_address = var.peer\n'
            '  type = "ipsec.1"\n}\n', encoding="utf-8")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "vpc.tf").write_text('resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n', encoding="utf-8")
    listed: list[str] = []
    listdir = os.listdir

    def counted(path: object = ".") -> list[str]:
        listed.append(os.fspath(path))  # type: ignore[arg-type]
        return listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "listdir", counted)
    monkeypatch.chdir(tmp_path)
    rc = main(["scan", ".", "--no-cache", "--no-config", "--jobs", "1", "--format", "json"])
    out = capsys.readouterr().out
    assert rc == 0 and '"inputs_read": 4' in out  # three callers (their modules through them) and the plain root
    walked = {str(tmp_path.resolve() / d) for d in ("env0", "env0/mod", "env1", "env1/mod", "env2", "env2/mod", "plain")}
    assert not walked & set(listed)


@pytest.mark.parametrize("budget", [0, 5, 9, 10, 11, 100])
def test_claims_and_reads_at_the_edges_of_limit_and_budget(tmp_path: Path, budget: int) -> None:
    """The per-file read (`_read_open`, `Scope.claim`, written without `min()` calls) at a file's size against the
    limit and the scan's budget: granted bytes are max(0, min(want, room + 1)), and each answer as it was."""
    scope = reading.Scope(budget=budget)
    for used in (0, budget - 1, budget, budget + 3):
        for want in (0, 1, budget, budget + 1, budget + 7):
            scope.used = used
            room = budget - used
            assert scope.claim(want) == (max(0, min(want, room + 1)), room) and scope.used == used + max(0, min(want, room + 1))
    (tmp_path / "ten.tf").write_bytes(b"0123456789")
    answers = []
    for limit, head in ((9, False), (10, False), (11, False), (9, True), (10, True)):
        with reading.scan_scope(tmp_path, budget=budget) as s:  # one read per scan: its budget alone decides
            try:
                answers.append(reading.read_bytes(tmp_path / "ten.tf", limit, head=head))
            except OSError as exc:
                answers.append(str(exc))
            assert s.used <= min(budget + 1, 11)
    over = "the scan's input budget (0 MB) is used up; not read"
    if budget < 10:  # a head read of 9 bytes fits a budget of 9 or more
        assert answers[:3] == [over] * 3 and answers[3] == (b"012345678" if budget >= 9 else over), answers
    else:
        assert answers == ["larger than the 9 bytes limit; skipped", b"0123456789", b"0123456789", b"012345678",
                           b"0123456789" if budget >= 10 else over]
