"""Built policy objects kept between runs (`snapshot`): equal to a fresh build, and never served stale (a changed
policy text, a changed line of the code that builds them, a damaged or hostile file all build again)."""

from __future__ import annotations

import marshal
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import xborder
from xborder import policy, snapshot
from xborder.links import declarations
from xborder.plugins import make_plugin_manager

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path))
    return tmp_path


def _imported_after_writing(monkeypatch) -> None:
    """As in a process started after the code files just written: a file changed after the process imported xborder
    gives no key (not known to be the code it runs)."""
    monkeypatch.setattr(xborder, "IMPORTED_NS", time.time_ns() + 2 * xborder.DURING_NS)


def _never() -> None:
    pytest.fail("built although an equal snapshot was kept")


def _decl_sources() -> list:
    return [s for batch in make_plugin_manager().hook.xborder_link_declarations() for s in batch]


def test_kept_policies_equal_a_fresh_build(cache):
    texts = policy._policy_texts()
    fresh = policy._build_policies(texts)
    assert snapshot.load("policies", texts, lambda: policy._build_policies(texts)) == fresh  # a miss: built, kept
    assert list(cache.glob("snapshot-policies-*.marshal"))
    kept = snapshot.load("policies", texts, _never)
    assert kept == fresh and kept is not fresh
    assert kept.rules == fresh.rules and kept.providers == fresh.providers and kept.references == fresh.references
    for name, table in fresh.tables.items():
        assert kept.tables[name] == table
        assert kept.tables[name]._index == table._index and kept.tables[name]._patterns == table._patterns
    assert kept.table_for_provider("alicloud").lookup("cn-hongkong").side == "offshore"
    assert kept.table_for_provider("alicloud").lookup("cn-beijing").side == "mainland"


def test_a_snapshot_kept_by_a_release_before_the_loaded_code_check_is_not_used(cache, monkeypatch):
    """A release before `_key`'s loaded-code check still running while its install was replaced kept objects its old
    code built under the new code's key. The format moved on with the check: what those releases kept is not used."""
    texts = policy._policy_texts()
    with monkeypatch.context() as release:
        release.setattr(snapshot, "FORMAT", "1")
        snapshot.load("policies", texts, lambda: "built by an older release")
        assert snapshot.load("policies", texts, _never) == "built by an older release"  # as that release reads it
    built = []
    assert snapshot.load("policies", texts, lambda: built.append(1) or "built now") == "built now" and built == [1]


def test_kept_region_tables_unpickle_their_codes_when_first_used(cache):
    texts = policy._policy_texts()
    fresh = policy._build_policies(texts)
    snapshot.load("policies", texts, lambda: policy._build_policies(texts))
    kept = snapshot.load("policies", texts, _never)
    assert len(kept.tables) > 20
    assert not any("entries" in vars(table) for table in kept.tables.values())  # a one-file run needs one or two
    assert kept.table_for_provider("alicloud").lookup("cn-hongkong").side == "offshore"
    assert [name for name, table in kept.tables.items() if "entries" in vars(table)] == ["alicloud"]
    assert kept.tables["alicloud"] == fresh.tables["alicloud"]
    assert kept == fresh  # every table's codes, unpickled on comparison
    again = pickle.loads(pickle.dumps(snapshot.load("policies", texts, _never)))  # an unused table pickles as kept
    assert again == fresh


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", pickle.dumps(os.getcwd, protocol=4), pickle.dumps({"entries": {}})])
def test_damaged_codes_of_a_kept_table_are_built_again(cache, damage):
    texts = policy._policy_texts()
    fresh = policy._build_policies(texts)
    snapshot.load("policies", texts, lambda: policy._build_policies(texts))
    kept = snapshot.load("policies", texts, _never)
    state = vars(kept.tables["aws"])
    for name in ("entries", "_index", "_patterns"):  # as kept: the codes not unpickled yet
        state.pop(name, None)
    state["_kept_codes"] = damage
    assert kept.tables["aws"].lookup("cn-north-1") == fresh.tables["aws"].lookup("cn-north-1")
    assert kept.tables["aws"] == fresh.tables["aws"]
    assert not hasattr(kept.tables["aws"], "no_such_attribute")


def test_kept_declarations_equal_a_fresh_build(cache):
    sources = _decl_sources()
    first = declarations.load_declarations(sources)
    assert list(cache.glob("snapshot-declarations-*.marshal"))
    texts = [(str(s.name), s.read_text(encoding="utf-8")) for s in sorted(sources, key=lambda s: str(s.name))]
    assert snapshot.load("declarations", texts, _never) == first == declarations._merge(texts)
    assert len(first) > 100


def test_kept_declarations_unpickle_a_type_when_first_looked_up(cache):
    """A one-file run looks up the few types it meets: the kept declarations unpickle only those, and the scan's
    interest (every type, related types, ends followed by name) needs none unpickled."""
    from xborder import scan

    sources = _decl_sources()
    fresh = declarations._merge([(str(s.name), s.read_text(encoding="utf-8"))
                                 for s in sorted(sources, key=lambda s: str(s.name))])
    declarations.load_declarations(sources)  # built and kept
    kept = declarations.load_declarations(sources)
    assert len(kept) == len(fresh) > 100 and list(kept) == list(fresh) and "aws_vpn_connection" in kept
    assert not kept._lists
    pm = make_plugin_manager()
    assert scan.interest_of(kept, pm) == scan.interest_of(fresh, pm) == scan.interest_of(dict(fresh), pm)
    assert kept.related_types and kept.by_name
    assert not kept._lists
    assert kept.get("aws_vpn_connection") == fresh["aws_vpn_connection"] and kept.get("no_such_type") is None
    assert set(kept._lists) == {"aws_vpn_connection"}
    assert kept == fresh and dict(kept.items()) == dict(fresh.items())


def test_a_damaged_kept_declaration_type_is_built_again(cache):
    sources = _decl_sources()
    declarations.load_declarations(sources)
    kept = declarations.load_declarations(sources)
    other = next(rtype for rtype in kept if rtype != "aws_vpn_connection")
    kept._kept["aws_vpn_connection"] = b"\x80\x05damaged"
    kept._kept[other] = snapshot.nested(["not", "declarations"])
    built = declarations._merge(kept.texts)
    assert kept["aws_vpn_connection"] == built["aws_vpn_connection"] and kept[other] == built[other]


def test_declarations_kept_as_a_plain_mapping_are_built_again(cache):
    """A process whose code in memory was older than its files on disk keeps what its own code built (a dict of
    lists) under the new code's key: the new code builds its own object instead of failing on it."""
    sources = _decl_sources()
    texts = [(str(s.name), s.read_text(encoding="utf-8")) for s in sorted(sources, key=lambda s: str(s.name))]
    snapshot.load("declarations", texts, lambda: dict(declarations._merge(texts).items()))  # the older code's form
    assert isinstance(snapshot.load("declarations", texts, _never), dict)
    found = declarations.load_declarations(sources)
    assert isinstance(found, declarations.Declarations) and found == declarations._merge(texts)


def test_kept_objects_leave_their_class_defaults_out(cache):
    sources = _decl_sources()
    built = declarations.load_declarations(sources)
    texts = [(str(s.name), s.read_text(encoding="utf-8")) for s in sorted(sources, key=lambda s: str(s.name))]
    kept = snapshot.load("declarations", texts, _never)
    assert kept == built
    spec = kept["aws_vpn_connection"][0].a
    assert spec == built["aws_vpn_connection"][0].a and hash(spec) == hash(built["aws_vpn_connection"][0].a)
    assert repr(spec) == repr(built["aws_vpn_connection"][0].a)
    assert "table" not in vars(spec) and spec.table == "" and spec.then is None  # read from the class
    leaner = [d for decls in kept.values() for d in decls if len(vars(d.a)) < len(vars(built[d.resource_type][0].a))]
    assert len(leaner) > 100


def test_objects_that_say_how_they_pickle_or_hold_more_pickle_as_always():
    from xborder.links.declarations import Condition, EndpointSpec

    spec = EndpointSpec(key="region", value="self")
    extra = EndpointSpec(key="region", value="self")
    object.__setattr__(extra, "note", "not a field")
    for obj in (spec, extra, Condition(attr="a", op="present", value=None)):
        again = snapshot.unnested(snapshot.nested(obj), "declarations")
        assert again == obj and vars(again).keys() <= vars(obj).keys()
    assert vars(snapshot.unnested(snapshot.nested(extra), "declarations")) == vars(extra)  # all of it: not a field
    assert set(vars(snapshot.unnested(snapshot.nested(spec), "declarations"))) == {"key", "value"}


def test_two_installs_sharing_the_cache_directory_keep_a_snapshot_each(cache, monkeypatch, tmp_path):
    from xborder import yamlfast

    texts = [("a.yaml", "x: 1\n")]
    copy = tmp_path / "policy.py"
    copy.write_bytes(Path(policy.__file__).read_bytes())  # the same code, installed elsewhere
    _imported_after_writing(monkeypatch)
    here = policy.__file__
    for where in (here, str(copy)):
        monkeypatch.setattr(policy, "__file__", where)
        snapshot.load("policies", texts, lambda: {"built": where})
    for _ in range(2):  # alternating runs of the two: each uses its own, none builds again
        for where in (here, str(copy)):
            monkeypatch.setattr(policy, "__file__", where)
            assert snapshot.load("policies", texts, _never) == {"built": where}
    monkeypatch.setattr(yamlfast, "_loader_identity", lambda: "another PyYAML")
    assert snapshot.load("policies", texts, lambda: {"built": "other yaml"}) == {"built": "other yaml"}
    assert len(list(cache.glob("snapshot-policies-*.marshal"))) == 3


def test_a_changed_text_is_built_again(cache):
    texts = [("a.yaml", "x: 1\n"), ("b.yaml", "y: 2\n")]
    assert snapshot.load("policies", texts, lambda: {"built": 1}) == {"built": 1}
    assert snapshot.load("policies", texts, _never) == {"built": 1}
    changed = [("a.yaml", "x: 1\n"), ("b.yaml", "y: 3\n")]
    assert snapshot.load("policies", changed, lambda: {"built": 2}) == {"built": 2}
    renamed = [("a.yaml", "x: 1\n"), ("c.yaml", "y: 3\n")]
    assert snapshot.load("policies", renamed, lambda: {"built": 3}) == {"built": 3}
    assert snapshot.load("policies", texts[:1], lambda: {"built": 4}) == {"built": 4}


def test_changed_code_is_built_again(cache, monkeypatch, tmp_path):
    texts = [("a.yaml", "x: 1\n")]
    snapshot.load("policies", texts, lambda: {"built": 1})
    snapshot.load("policies", texts, _never)
    copy = tmp_path / "policy.py"
    copy.write_bytes(Path(policy.__file__).read_bytes() + b"\n# one more line\n")
    _imported_after_writing(monkeypatch)  # a new process running the changed code
    monkeypatch.setattr(policy, "__file__", str(copy))
    assert snapshot.load("policies", texts, lambda: {"built": 2}) == {"built": 2}


def test_unreadable_code_never_uses_or_keeps_a_snapshot(cache, monkeypatch):
    monkeypatch.setattr(policy, "__file__", str(cache / "missing.py"))
    assert snapshot.load("policies", [("a", "b")], lambda: 1) == 1
    assert snapshot.load("policies", [("a", "b")], lambda: 2) == 2
    assert not list(cache.glob("snapshot-*"))


@pytest.mark.parametrize("content", [b"", b"\x00garbage", marshal.dumps(("1", (), b"x")), marshal.dumps(["not", "a", "tuple"])])
def test_a_damaged_snapshot_only_costs_the_build(cache, content):
    texts = [("a.yaml", "x: 1\n")]
    snapshot.load("policies", texts, lambda: 1)
    (path,) = cache.glob("snapshot-policies-*.marshal")
    path.write_bytes(content)
    assert snapshot.load("policies", texts, lambda: 2) == 2


def test_a_snapshot_naming_other_classes_is_refused(cache):
    texts = [("a.yaml", "x: 1\n")]
    snapshot.load("policies", texts, lambda: 1)
    (path,) = cache.glob("snapshot-policies-*.marshal")
    fmt, key, _blob = marshal.loads(path.read_bytes())
    for hostile in (pickle.dumps(os.getcwd, protocol=4), pickle.dumps(subprocess.CompletedProcess, protocol=4),
                    pickle.dumps(declarations.Declaration, protocol=4)):  # a class of another kind's module
        path.write_bytes(marshal.dumps((fmt, key, hostile)))
        assert snapshot.load("policies", texts, lambda: 2) == 2


def test_an_invalid_declaration_is_still_an_error_and_never_kept(cache, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("resources:\n  aws_vpn_connection:\n    kind: teleport\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(declarations.DeclarationError):
            declarations.load_declarations([bad])
    assert not list(cache.glob("snapshot-declarations-*"))


def test_an_edited_region_table_changes_the_next_scan(tmp_path):
    """End to end, with a copy of xborder: the edit of a kept policy file is seen by the next run."""
    pkg = tmp_path / "pkg" / "xborder"
    shutil.copytree(REPO / "src" / "xborder", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "policies", pkg / "policies", ignore=shutil.ignore_patterns("__pycache__"))
    time.sleep(2 * xborder.DURING_NS / 1e9)  # installed before the runs start: code written as a run starts keeps nothing
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "PYTHONPATH": str(pkg.parent)}

    def scan() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "xborder", "scan", "alibaba/main.tf", "--no-config", "--no-cache"],
                              cwd=REPO / "fixtures" / "terraform", env=env, capture_output=True, text=True, check=False)

    cold = scan()
    assert "XB101" in cold.stdout, cold.stderr
    assert list((tmp_path / "cache").glob("snapshot-policies-*.marshal"))
    assert scan().stdout == cold.stdout
    table = pkg / "policies" / "regions" / "alicloud.yaml"
    text = table.read_text(encoding="utf-8")
    assert "  cn-beijing:\n    side: mainland\n" in text
    table.write_text(text.replace("  cn-beijing:\n    side: mainland\n", "  cn-beijing:\n    side: offshore\n"), encoding="utf-8")
    edited = scan()
    assert edited.stdout != cold.stdout and edited.returncode != 2, edited.stderr


def test_policy_digest_through_the_stat_index_sees_every_change(monkeypatch, tmp_path):
    """The scan key's policy digest: the same with and without the index, and an edit or a new file changes it."""
    from xborder import cache as cache_mod

    folder = tmp_path / "policies"
    (folder / "regions").mkdir(parents=True)
    (folder / "rules.yaml").write_text("rules: {}\n", encoding="utf-8")
    table = folder / "regions" / "aws.yaml"
    table.write_text("table: aws\n", encoding="utf-8")
    old = time.time() - 60  # outside the racy window: the index keeps signatures
    for p in (table, folder / "rules.yaml"):
        os.utime(p, (old, old))
    from xborder import policydir, scancache

    monkeypatch.setattr(policydir, "policy_folder", lambda: folder)

    monkeypatch.setattr(scancache, "RACY_NS", 0)  # the files' change time is now: trust them at once here
    index = tmp_path / "index"
    first = cache_mod.policy_digest(index_dir=index)
    assert first == cache_mod.policy_digest() == cache_mod.policy_digest(index_dir=index)
    assert (index / "policy-index.marshal").exists()
    time.sleep(0.05)  # a later change time than the indexed one, even on a coarse clock
    table.write_text("table: awz\n", encoding="utf-8")  # same size
    os.utime(table, (old, old))  # even with the old modification time (the change time moves)
    edited = cache_mod.policy_digest(index_dir=index)
    assert edited != first and edited == cache_mod.policy_digest()
    (folder / "regions" / "new.json").write_text("{}", encoding="utf-8")
    assert cache_mod.policy_digest(index_dir=index) not in (first, edited)


@pytest.mark.parametrize("content", [b"a: 1\n", b"a: 1\r\nb: 2\r\n", b"a\rb\r\n\rc", b"\xef\xbb\xbfplace: \xe5\x8c\x97\xe4\xba\xac\n", b""])
def test_policy_files_read_as_text_mode_reads_them(tmp_path, content):
    from xborder.policydir import read_text

    path = tmp_path / "t.yaml"
    path.write_bytes(content)
    assert read_text(path) == path.read_text(encoding="utf-8")

    class Resource:  # a zip's or another loader's resource: read its own way
        def read_text(self, encoding):
            return f"resource in {encoding}"

    assert read_text(Resource()) == "resource in utf-8"
    path.write_bytes(b"\xff not utf-8")
    with pytest.raises(UnicodeDecodeError):
        read_text(path)


def test_the_pyyaml_identity_is_found_once_per_process(cache, monkeypatch):
    """The policy data and each kind of snapshot name the installed PyYAML: one search of the path per process."""
    from xborder import yamlfast

    calls = []
    real = yamlfast._find_loader_identity
    monkeypatch.setattr(yamlfast, "_identity", None)
    monkeypatch.setattr(yamlfast, "_find_loader_identity", lambda: calls.append(1) or real())
    texts = [("a.yaml", "x: 1\n")]
    snapshot.load("policies", texts, lambda: {"built": 1})
    snapshot.load("declarations", texts, lambda: {"built": 2})
    assert yamlfast._path().endswith(f"policy-data-{real()}.marshal")
    assert snapshot.load("policies", texts, _never) == {"built": 1}
    assert calls == [1]



_PROBE = """\
import os, sys
from xborder import snapshot
import probe_code
snapshot.CODE_MODULES["probe"] = ("xborder.snapshot", "probe_code")
if sys.argv[1] == "replace":  # the install is replaced while this process runs the code it imported before
    os.replace(os.path.join(os.path.dirname(probe_code.__file__), "new_code.py"), probe_code.__file__)
print(snapshot.load("probe", [("a.yaml", "x: 1\\n")], probe_code.build))
"""


def test_an_object_built_by_code_replaced_on_disk_is_not_kept_under_the_new_code_s_key(tmp_path):
    """A process imported the old code and finds the new code on disk when it keeps what it built. Before, the key
    was read from the files on disk, so the old code's object was kept under the new code's key, and every later
    process running the new code used it. Now nothing is kept (a code file changed after the process imported
    xborder); a process running the new code builds its own, keeps it, and the next one uses it."""
    build = "import os\ndef build():\n    return ({!r}, os.getpid())\n"
    (tmp_path / "probe_code.py").write_text(build.format("old"))
    (tmp_path / "new_code.py").write_text(build.format("new"))
    (tmp_path / "probe.py").write_text(_PROBE)
    time.sleep(0.2)  # older than any process started from now on
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])])}

    def run(mode: str) -> str:
        return subprocess.run([sys.executable, str(tmp_path / "probe.py"), mode], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()

    assert run("replace").startswith("('old', ")
    assert not list((tmp_path / "cache").glob("snapshot-probe-*"))
    time.sleep(0.2)  # the new code is on disk from before the next process started
    new = run("keep")
    assert new.startswith("('new', "), new
    assert run("keep") == new  # kept by that process (its pid), used by the next
