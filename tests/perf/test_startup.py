"""Start-up: policy data and dataclass methods from their compiled forms (never stale), entry points found without
importlib.metadata when none can exist, patterns compiled on first use, and a one-file Terraform scan that imports
no YAML, CloudFormation, device-config or pool machinery."""

from __future__ import annotations

import importlib.resources
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import dataclasses
import re

import pytest
import yaml

from xborder import classcode, lazy, plugins, yamlfast

REPO = Path(__file__).resolve().parents[2]
ONE_FILE = ["scan", "alibaba/main.tf", "--no-config", "--no-cache"]


def _policy_texts() -> list[str]:
    out, stack = [], [importlib.resources.files("xborder.policies")]
    while stack:
        for item in stack.pop().iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith(".yaml"):
                out.append(item.read_text(encoding="utf-8"))
    return out


@pytest.fixture
def fresh_compiled(monkeypatch, tmp_path):
    """yamlfast with an empty in-memory state and its compiled form under tmp_path."""
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(yamlfast, "_memo", None)
    monkeypatch.setattr(yamlfast, "_used", {})
    monkeypatch.setattr(yamlfast, "_dirty", False)
    return tmp_path


def _restart(monkeypatch) -> None:
    """What a new process sees: nothing in memory, the compiled file on disk."""
    monkeypatch.setattr(yamlfast, "_memo", None)
    monkeypatch.setattr(yamlfast, "_used", {})
    monkeypatch.setattr(yamlfast, "_dirty", False)


def test_compiled_policy_data_equals_the_parsed_files(fresh_compiled, monkeypatch):
    texts = _policy_texts()
    assert len(texts) > 20
    first = [yamlfast.safe_load(t) for t in texts]
    yamlfast.flush()
    assert len(list(fresh_compiled.glob("policy-data-*.marshal"))) == 1
    _restart(monkeypatch)
    monkeypatch.setattr(yamlfast, "parse", lambda text: pytest.fail("parsed although compiled"))
    second = [yamlfast.safe_load(t) for t in texts]
    for text, a, b in zip(texts, first, second):
        expected = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the pure-Python safe loader
        assert a == expected and b == expected
        assert json.dumps(b, sort_keys=True, default=repr) == json.dumps(expected, sort_keys=True, default=repr)


def test_an_edited_policy_text_is_parsed_again(fresh_compiled, monkeypatch):
    yamlfast.safe_load("table: x\nregions: {a: {side: mainland}}\n")
    yamlfast.flush()
    _restart(monkeypatch)
    assert yamlfast.safe_load("table: x\nregions: {a: {side: offshore}}\n") == {"table": "x", "regions": {"a": {"side": "offshore"}}}
    assert yamlfast.safe_load("table: x\nregions: {a: {side: mainland}}\n") == {"table": "x", "regions": {"a": {"side": "mainland"}}}


def test_each_load_is_a_fresh_value(fresh_compiled):
    a = yamlfast.safe_load("k: [1, 2]\n")
    a["k"].append(3)
    assert yamlfast.safe_load("k: [1, 2]\n") == {"k": [1, 2]}


def test_a_damaged_compiled_file_costs_only_a_parse(fresh_compiled, monkeypatch):
    yamlfast.safe_load("a: 1\n")
    yamlfast.flush()
    (path,) = fresh_compiled.glob("policy-data-*.marshal")
    path.write_bytes(b"\x00garbage")
    _restart(monkeypatch)
    assert yamlfast.safe_load("a: 1\n") == {"a": 1}


def test_values_marshal_cannot_hold_are_parsed_each_time(fresh_compiled):
    assert str(yamlfast.safe_load("d: 2024-01-02\n")["d"]) == "2024-01-02"
    yamlfast.flush()
    assert not list(fresh_compiled.glob("policy-data-*.marshal"))  # nothing new worth writing


def test_invalid_policy_yaml_is_still_an_error(fresh_compiled):
    with pytest.raises(yaml.YAMLError):
        yamlfast.safe_load("!!python/object/apply:os.system ['echo hi']")


def _run(code: str, cache: Path, cwd: Path, extra_path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(cache)}
    if extra_path:
        env["PYTHONPATH"] = extra_path + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


_SCAN_AND_LIST = textwrap.dedent("""
    import sys
    before = set(sys.modules)  # what the interpreter's start-up (site, .pth files) imported is not ours
    from xborder.cli import main
    rc = main({args!r})
    sys.stdout.flush()
    loaded = {{name for name, m in sys.modules.items() if type(m).__name__ != "_LazyModule"}}  # not a stand-in
    print("MODULES", " ".join(sorted(loaded - before)), file=sys.stderr)
    sys.exit(rc)
""")


def test_a_pre_commit_run_with_its_cache_imports_no_more_than_one_without(tmp_path):
    """The named file changed, the other directories' results from the cache: storing the new result checks the
    code files of the modules imported since the key was made (cache.code_unchanged). Modules still waiting in
    sys.modules to be imported on first use (xborder.lazy.module) are not loaded by that check: before, it read
    their `__file__`, which loaded the Terraform functions (and OpenSSL through hashlib) and the cloud-init reader."""
    tree = tmp_path / "tree"
    shutil.copytree(REPO / "fixtures" / "terraform", tree)
    cache = tmp_path / "cache"
    first = _run(_SCAN_AND_LIST.format(args=["scan", ".", "--no-config"]), cache, tree)
    assert first.returncode == 1, first.stderr
    with open(tree / "alibaba" / "main.tf", "a", encoding="utf-8") as fh:
        fh.write("# changed before the commit\n")
    run = _run(_SCAN_AND_LIST.format(args=["scan", "alibaba/main.tf", "--no-config"]), cache, tree)
    assert run.returncode == 1 and "XB101" in run.stdout, run.stderr
    assert list(cache.rglob("*")), "the run used and kept its cache"
    modules = set(run.stderr.split("MODULES", 1)[1].split())
    assert not modules & {"hashlib", "_hashlib", "yaml.reader", "yaml.constructor", "xborder.inputs.netconf.common",
                          "xborder.inputs.netconf.netplan"}, sorted(modules)
    # a Terraform file alone: the other inputs' plugins are not imported (`plugins.INPUT_GATES`)
    assert not modules & {"xborder.inputs.netconf.plugin", "xborder.inputs.netconf.detect",
                          "xborder.inputs.cloudformation.plugin", "xborder.inputs.plan.plugin"}, sorted(modules)


def test_one_file_scan_output_is_the_same_with_the_compiled_form_and_imports_little(tmp_path):
    cwd = REPO / "fixtures" / "terraform"
    code = _SCAN_AND_LIST.format(args=ONE_FILE)
    cold = _run(code, tmp_path, cwd)
    assert list(tmp_path.glob("policy-data-*.marshal")), cold.stderr
    warm = _run(code, tmp_path, cwd)
    assert cold.returncode == warm.returncode == 1
    assert warm.stdout == cold.stdout and "XB101" in warm.stdout
    modules = set(warm.stderr.split("MODULES", 1)[1].split())
    # a .tf file named alone: no YAML parser (`yaml` itself may be there as a lazy module: its parts are not),
    # no CloudFormation loader, no process pool
    assert not modules & {"yaml.reader", "yaml.constructor", "multiprocessing", "xborder.inputs.cloudformation.loader",
                          "xborder.inputs.netconf.common", "importlib.resources", "zipfile", "shutil", "difflib",
                          "textwrap"}, sorted(modules)
    # nor pluggy (the built-in hooks are called directly), `inspect` and what it imports (dataclasses are made
    # without it), OpenSSL (`digest`), argparse (`scanargs`) or json's decoder: tests in test_lighter_start and
    # test_scan_args
    assert not modules & {"pluggy", "xborder.hookspecs", "inspect", "ast", "dis", "tokenize", "hashlib", "_hashlib",
                          "argparse", "gettext", "xborder.cliparser", "json.decoder", "json.scanner"}, sorted(modules)
    # nor `datetime`'s pure-Python half: its classes come from `_datetime` (`xborder.dates`)
    assert "datetime" not in modules, sorted(modules)
    # nothing of the inputs it does not read (`plugins.INPUT_GATES`: not even their plugin modules); the other report
    # formats, the inventory and Checkov's plugin load on first use
    unused = {f"xborder.inputs.cloudformation.{m}" for m in ("plugin", "loader", "parameters", "rules", "syntax", "worlds")}
    unused |= {f"xborder.inputs.netconf.{m}" for m in ("plugin", "detect", "abbrev", "cisco", "common", "junos", "netplan",
                                                      "openvpn", "strongswan", "swanctl", "wireguard")}
    unused |= {"xborder.inputs.plan.plugin", "xborder.inputs.plan.loader", "xborder.reports.sarif", "xborder.reports.json_report",
               "xborder.reports.github", "xborder.reports.gitlab", "xborder.reports.junit", "xborder.reports.fingerprints",
               "xborder.reports.inventory", "xborder.checkov", "xborder.docs", "xborder.baseline", "xborder.diffbase"}
    assert not modules & unused, sorted(modules & unused)
    assert list(tmp_path.glob("class-code-*.marshal")), "the dataclass methods compiled by the first run are kept"
    no_compiled = _run(code, tmp_path / "elsewhere", cwd)
    assert no_compiled.stdout == cold.stdout
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in tmp_path.glob("*.marshal"):
        (damaged / f.name).write_bytes(f.read_bytes()[: len(f.read_bytes()) // 2])
    cut = _run(code, damaged, cwd)
    assert cut.returncode == 1 and cut.stdout == cold.stdout, cut.stderr


def _toy_distribution(where: Path, with_entry_point: bool) -> None:
    (where / "xborder_toy_report.py").write_text(textwrap.dedent("""
        from xborder.hookspecs import hookimpl

        class Toy:
            def __init__(self, root):
                pass

            def render(self, result, settings):
                return f"TOY: {len(result.findings)} findings\\n"

        @hookimpl
        def xborder_reporters():
            return {"toy": Toy}
    """), encoding="utf-8")
    info = where / "xborder_toy_report-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: xborder-toy-report\nVersion: 1.0\n", encoding="utf-8")
    if with_entry_point:
        (info / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n\n[xborder]\ntoy = xborder_toy_report\n", encoding="utf-8")
    else:
        (info / "entry_points.txt").write_text("[console_scripts]\nxborder-toy = xborder_toy_report:main\n", encoding="utf-8")


@pytest.mark.parametrize("with_entry_point", [True, False])
def test_entry_point_plugins_are_still_loaded(tmp_path, with_entry_point):
    site = tmp_path / "site"
    site.mkdir()
    _toy_distribution(site, with_entry_point)
    code = "import sys; from xborder.cli import main; sys.exit(main(['scan', 'alibaba/main.tf', '--no-config', '--format', 'toy']))"
    proc = _run(code, tmp_path / "cache", REPO / "fixtures" / "terraform", extra_path=str(site))
    if with_entry_point:
        assert proc.stdout == "TOY: 1 findings\n", proc.stderr
    else:
        assert proc.returncode == 2 and "toy" in proc.stderr and not proc.stdout


def test_entry_point_precheck(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert plugins.may_have_entry_points("xborder", [str(empty), str(tmp_path / "missing")]) is False
    other = tmp_path / "other"
    other.mkdir()
    _toy_distribution(other, with_entry_point=False)
    (other / "old.egg-info").write_text("Metadata-Version: 1.0\nName: old\n", encoding="utf-8")  # a PKG-INFO file
    assert plugins.may_have_entry_points("xborder", [str(other)]) is False
    assert plugins.may_have_entry_points("console_scripts", [str(other)]) is True
    ours = tmp_path / "ours"
    ours.mkdir()
    _toy_distribution(ours, with_entry_point=True)
    assert plugins.may_have_entry_points("xborder", [str(other), str(ours)]) is True
    egg = tmp_path / "some.egg"
    egg.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # a zip on the path: only the full lookup can tell
    assert plugins.may_have_entry_points("xborder", [str(egg)]) is True


@pytest.fixture
def fresh_class_code(monkeypatch, tmp_path):
    """classcode with an empty in-memory state and its file under tmp_path."""
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(classcode, "_memo", None)
    monkeypatch.setattr(classcode, "_used", {})
    monkeypatch.setattr(classcode, "_dirty", False)
    monkeypatch.setattr(classcode, "_plans_memo", None)
    monkeypatch.setattr(classcode, "_plans_used", {})
    return tmp_path


def _define(namespace: dict) -> tuple[type, type]:
    """The same two classes, defined afresh each call (as a module defines them at import)."""
    exec(textwrap.dedent("""
        from __future__ import annotations
        from dataclasses import dataclass, field

        @dataclass(frozen=True, order=True)
        class Spot:
            path: str
            line: int = 1
            tags: tuple[str, ...] = ()

        @dataclass
        class Bag:
            name: str
            items: list[int] = field(default_factory=list)
            spot: Spot | None = None
    """), namespace)
    return namespace["Spot"], namespace["Bag"]


def _behaviour(spot: type, bag: type) -> list:
    a, b = spot("a.tf", 2), spot("a.tf", 10, ("x",))
    one, two = bag("n"), bag("n")
    one.items.append(1)
    out = [repr(a), repr(b), a < b, sorted([b, a]) == [a, b], a == spot("a.tf", 2), hash(a) == hash(spot("a.tf", 2)),
           repr(one), repr(two), one == two, two.items, [f.name for f in dataclasses.fields(bag)],
           spot.__init__.__annotations__, bag.__init__.__annotations__, spot.__doc__, bag.__doc__,
           dataclasses.asdict(bag("m", [3], a)), repr(dataclasses.replace(b, line=4))]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line = 3
    with pytest.raises(TypeError):
        bag()
    return out


def test_dataclasses_built_from_kept_code_behave_as_compiled_ones(fresh_class_code, monkeypatch):
    import dataclasses as dc_module

    plain = _behaviour(*_define({}))
    with classcode.cached():
        first = _behaviour(*_define({}))
    assert "exec" not in vars(dc_module), "the dataclasses module is left as it was"
    assert first == plain
    assert len(classcode._used) >= 10  # __init__, __repr__, __eq__, ordering, frozen __setattr__... of both classes
    classcode.flush()
    (path,) = fresh_class_code.glob("class-code-*.marshal")
    monkeypatch.setattr(classcode, "_memo", None)  # a new process: nothing in memory, the file on disk
    monkeypatch.setattr(classcode, "_used", {})
    monkeypatch.setattr(classcode, "compile", lambda *a, **k: pytest.fail("compiled although kept"), raising=False)
    with classcode.cached():
        second = _behaviour(*_define({}))
    assert second == plain
    monkeypatch.undo()


def test_a_changed_class_is_compiled_again_and_damage_costs_only_a_compile(fresh_class_code, monkeypatch):
    with classcode.cached():
        _define({})
    classcode.flush()
    (path,) = fresh_class_code.glob("class-code-*.marshal")
    path.write_bytes(b"\x00garbage")
    monkeypatch.setattr(classcode, "_memo", None)
    monkeypatch.setattr(classcode, "_used", {})
    with classcode.cached():
        spot, bag = _define({})
        changed = {}
        exec("from dataclasses import dataclass\n@dataclass\nclass Spot:\n    path: str\n    column: int = 0\n", changed)
    assert _behaviour(spot, bag) == _behaviour(*_define({}))
    assert repr(changed["Spot"]("b")) == "Spot(path='b', column=0)"


def test_nested_or_foreign_exec_is_left_alone():
    import dataclasses as dc_module

    with classcode.cached():
        with classcode.cached():
            assert vars(dc_module)["exec"] is classcode._exec
        assert vars(dc_module)["exec"] is classcode._exec
    assert "exec" not in vars(dc_module)


_SPECIAL_FIELDS = textwrap.dedent("""
    from __future__ import annotations
    import dataclasses as dc
    import typing
    from dataclasses import InitVar, KW_ONLY, dataclass, field
    from typing import ClassVar

    @dataclass
    class Special:
        name: str
        limit: ClassVar[int] = 3
        other: typing.ClassVar[str] = "x"
        seed: InitVar[int] = 0
        also: dc.InitVar[str] = ""
        _: KW_ONLY
        tags: tuple[str, ...] = ()
        total: int = field(default=0)

        def __post_init__(self, seed, also):
            self.total = seed + len(also)
""")


def _special(namespace: dict) -> list:
    exec(_SPECIAL_FIELDS, namespace)  # noqa: S102 - a test class
    cls = namespace["Special"]
    one = cls("a", 2, "xy", tags=("t",))
    return [[f.name for f in dataclasses.fields(cls)], repr(one), one.total, cls.limit, cls.other,
            cls.__init__.__annotations__, cls.__match_args__]


def test_annotation_matches_are_kept_while_cached_and_answer_as_the_pattern(fresh_class_code):
    import dataclasses as dc_module
    import types

    pattern = dc_module._MODULE_IDENTIFIER_RE
    module = types.ModuleType("xborder_special_fields")  # dataclasses looks annotations up in the class's module
    sys.modules[module.__name__] = module
    try:
        plain = _special(vars(module))
        with classcode.cached():
            memo = dc_module._MODULE_IDENTIFIER_RE
            cached = _special(vars(module))
            again = _special(vars(module))
            for text in ("str", "typing.ClassVar[str]", "dc.InitVar[str]", " tuple[str, ...]", "", "1x", "a.b.c"):
                assert memo.match(text) is memo.match(text)  # kept
                kept, fresh = memo.match(text), pattern.match(text)
                assert (kept and (kept.group(0), kept.groups())) == (fresh and (fresh.group(0), fresh.groups()))
            assert memo.pattern == pattern.pattern
        assert dc_module._MODULE_IDENTIFIER_RE is pattern, "the dataclasses module is left as it was"
        assert cached == plain == again
        assert plain[0] == ["name", "tags", "total"] and plain[2] == 4
    finally:
        del sys.modules[module.__name__]


def test_lazy_patterns_compile_on_first_use_and_match_as_compiled():
    pattern = lazy.regex(r"^(?P<k>\w+)=(\d+)$", re.M)
    assert "match" not in vars(pattern)
    text = "a=1\nb=x\nc=3"
    eager = re.compile(r"^(?P<k>\w+)=(\d+)$", re.M)
    assert [m.groups() for m in pattern.finditer(text)] == [m.groups() for m in eager.finditer(text)]
    assert "match" in vars(pattern)  # compiled once; its methods are now plain attributes
    assert pattern.sub(r"\g<k>", text) == eager.sub(r"\g<k>", text)
    assert pattern.search("x\nk=9").group("k") == "k" and pattern.match("b=x") is None
    assert pattern.pattern == eager.pattern and pattern.flags == eager.flags and pattern.groupindex == eager.groupindex
    assert lazy.regex(rb"\d+").findall(b"a1b22") == [b"1", b"22"]


def test_builtin_plugins_register_the_same_hooks_without_attribute_inspection():
    import importlib

    import pluggy

    from xborder import hookmark, hookspecs

    for name in plugins.BUILTIN_PLUGINS:
        module = importlib.import_module(name)
        marked = [attr for attr in dir(module) if hasattr(getattr(module, attr), hookmark.MARK)]
        assert all(attr.startswith("xborder_") for attr in marked), f"{name}: a hook function not named after its hook"
    fast = plugins.make_plugin_manager(load_entry_points=False)  # gives the built-in functions pluggy's mark too
    for name in plugins.BUILTIN_PLUGINS:
        module = importlib.import_module(name)
        marked = [attr for attr in dir(module) if hasattr(getattr(module, attr), "xborder_impl")]
        assert marked and all(hasattr(getattr(module, attr), hookmark.MARK) for attr in marked)

    def hooks(pm: pluggy.PluginManager) -> list:
        return sorted((hook, impl.plugin_name, impl.function.__qualname__, impl.tryfirst, impl.trylast, impl.wrapper)
                      for hook in dir(pm.hook) if hook.startswith("xborder_")
                      for impl in getattr(pm.hook, hook).get_hookimpls())

    plain = pluggy.PluginManager("xborder")  # after `fast`: the built-in functions now carry pluggy's mark
    plain.add_hookspecs(hookspecs)
    for name in plugins.BUILTIN_PLUGINS:
        plain.register(importlib.import_module(name), name=name)
    assert hooks(fast) == hooks(plain) and len(hooks(fast)) >= 10


def test_text_escaping_skips_its_pattern_only_for_printable_text():
    """`escape.text_value` returns printable text as it is: every character its pattern escapes is non-printable."""
    import sys as _sys

    from xborder.reports import escape

    unsafe = re.compile(escape._UNSAFE.pattern)
    assert not [c for c in map(chr, range(_sys.maxunicode + 1)) if unsafe.match(c) and c.isprintable()]
    assert escape.text_value("a\u202eb\tc\x1b") == "a\\u202eb\tc\\x1b"
    assert escape.text_value("module.m[0] 香港") == "module.m[0] 香港"


def test_type_name_search_compiles_only_the_prefixes_a_text_holds():
    """Names whose rest after the prefix is a run of name characters (Terraform types, CloudFormation types) are
    looked up, never compiled; other names compile their prefix's regex when a text first holds the prefix."""
    from xborder.inputs.terraform.precheck import TypeNames

    names = TypeNames(["alicloud_vpn_connection", "aws_vpn_connection", "AWS::EC2::VPNConnection", "a_b.c", "a_d"])
    assert names.search(b'resource "alicloud_vpn_connection" "c" {}')
    assert not names.search(b'resource "alicloud_vpn_connection_route" "c" {}')
    assert not names.search(b'resource "aws_vpn_connectionx" "c" {}')
    assert names.search(b"Type: AWS::EC2::VPNConnection\n")  # (a name without "_": its rest is empty)
    assert set(names._compiled) == set()
    assert names.search(b"a_b.c") and names.search(b"a_d") and not names.search(b"a_b.cd a_dd")
    assert set(names._compiled) == {b"a_"}  # "b.c" is no run of name characters
    fresh = TypeNames(["alicloud_vpn_connection", "aws_vpn_connection"])
    assert fresh.search(b"alicloud_vpn_connection") and set(fresh._compiled) == set()


def _collector_seen(monkeypatch) -> dict[str, bool]:
    """Whether the collector was on when the declarations were loaded, the inputs collected and the units loaded."""
    import gc

    from xborder import scan
    from xborder.links import declarations

    seen: dict[str, bool] = {}
    load, collect, load_unit = declarations.load_declarations, scan._collect, scan.load_unit

    def loading(*args, **kwargs):
        seen["declarations"] = gc.isenabled()
        return load(*args, **kwargs)

    def collecting(*args, **kwargs):
        seen["collect"] = gc.isenabled()
        return collect(*args, **kwargs)

    def unit_loaded(*args, **kwargs):
        result = load_unit(*args, **kwargs)
        seen["after load"] = gc.isenabled()
        return result

    monkeypatch.setattr(declarations, "load_declarations", loading)
    monkeypatch.setattr(scan, "_collect", collecting)
    monkeypatch.setattr(scan, "load_unit", unit_loaded)
    return seen


def test_the_collector_stays_paused_while_a_scan_reads_a_small_input(tmp_path, monkeypatch):
    """Start-up and a small scan (a pre-commit run naming one file) make long-lived objects and hardly any cyclic
    garbage: the collector stays paused until the command ends, and is on again after it."""
    import gc

    from xborder.cli import main

    seen = _collector_seen(monkeypatch)
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n', encoding="utf-8")
    assert main(["scan", str(tmp_path / "main.tf"), "--no-config", "--no-cache", "--format", "json", "--jobs", "1"]) == 0
    assert seen == {"declarations": False, "collect": False, "after load": False}
    assert gc.isenabled()


def test_the_collector_resumes_once_the_scan_has_read_more_than_a_small_input(tmp_path, monkeypatch):
    """Past `gcpause.SMALL_READ` bytes of input the scan collects again (a large variables file is read with it on:
    peak memory stays bounded)."""
    import gc

    from xborder import gcpause
    from xborder.cli import main

    seen = _collector_seen(monkeypatch)
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n' + "# padding\n" * (gcpause.SMALL_READ // 10 + 1),
                                      encoding="utf-8")
    assert main(["scan", str(tmp_path / "main.tf"), "--no-config", "--no-cache", "--format", "json", "--jobs", "1"]) == 0
    assert seen == {"declarations": False, "collect": False, "after load": True}  # a named file is read by its load
    assert gc.isenabled()


def test_workers_fork_with_the_collector_on(tmp_path, monkeypatch, capsys):
    """However small the input, the collector resumes before a pool of workers forks: none starts paused (in one
    process the same small scan loads with it paused)."""
    import gc

    from xborder import scan
    from xborder.cli import main

    def load_unit(unit, ctx, cache):
        raise RuntimeError(f"collector on: {gc.isenabled()}")  # reported as the unit's internal error

    monkeypatch.setattr(scan, "load_unit", load_unit)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text('resource "aws_vpc" "a" {}\n', encoding="utf-8")
    said = {}
    for jobs in ("2", "1"):
        main(["scan", str(tmp_path), "--no-config", "--no-cache", "--format", "json", "--jobs", jobs])
        said[jobs] = {e["message"] for e in json.loads(capsys.readouterr().out)["errors"]}
        assert gc.isenabled()
    assert said["2"] == {"internal error while reading this input (RuntimeError: collector on: True)"}
    assert said["1"] == {"internal error while reading this input (RuntimeError: collector on: False)"}


def test_the_console_script_pauses_the_collector_before_its_imports(tmp_path):
    """`xborder` (and `python -m xborder`) pause the collector before importing the command line, whose imports
    (`typing`, `pathlib`) build long-lived objects only; the command ends with the collector as before."""
    code = textwrap.dedent("""
        import gc, sys

        class Finder:
            def find_spec(self, name, path=None, target=None):
                if name == "xborder.cli":
                    print("CLI IMPORTED WITH COLLECTOR", gc.isenabled(), file=sys.stderr)
                return None

        sys.meta_path.insert(0, Finder())
        sys.argv = ["xborder", "rules"]
        from xborder import quickexit
        quickexit.run()
    """)
    proc = _run(code, tmp_path / "cache", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "CLI IMPORTED WITH COLLECTOR False" in proc.stderr


def test_scan_collects_less_often_and_the_command_restores_the_collector(tmp_path):
    """The command line's scan runs with the young-generation threshold raised (`gcpause`); afterwards the
    process has the collector it had before: enabled, same thresholds."""
    import gc

    from xborder import gcpause
    from xborder.cli import main

    seen = []
    before = gc.get_threshold()
    assert gc.isenabled()
    gcpause.pause()
    assert not gc.isenabled()
    gcpause.resume()
    seen.append((gc.isenabled(), gc.get_threshold()[0]))
    gcpause.restore()
    assert seen == [(True, gcpause.SCAN_THRESHOLD)]
    assert gc.get_threshold() == before and gc.isenabled()
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "a" {}\n', encoding="utf-8")
    assert main(["scan", str(tmp_path), "--no-config", "--no-cache", "--format", "json"]) == 0
    assert gc.get_threshold() == before and gc.isenabled()
    gc.disable()  # someone else paused it: the command leaves it alone
    try:
        main(["scan", str(tmp_path), "--no-config", "--no-cache", "--format", "json"])
        assert not gc.isenabled() and gc.get_threshold() == before
    finally:
        gc.enable()


def test_plugins_on_demand_answer_as_the_manager_they_stand_for():
    """Without entry points, names and reporters come without making the manager, and equal the manager's."""
    from pathlib import Path as _Path

    pm = plugins.make_plugin_manager(load_entry_points=False)
    lazy_pm = plugins.PluginsOnDemand(load_entry_points=False)
    assert lazy_pm.builtin_only() and lazy_pm._pm is None
    assert lazy_pm.plugin_names() == plugins.plugin_names(pm) == list(plugins.BUILTIN_PLUGINS)
    ours, theirs = lazy_pm.reporters(), plugins.reporters_of(pm)
    assert list(ours) == list(theirs) and lazy_pm._pm is None
    for name in ours:
        assert type(ours[name](_Path("."))) is type(theirs[name](_Path(".")))
    lazy_pm.hook.xborder_rules()  # hooks are called without the manager (`BuiltinHooks`)
    assert lazy_pm._pm is None
    lazy_pm.get_plugins()  # anything else makes the real manager
    assert lazy_pm._pm is not None and plugins.plugin_names(lazy_pm) == plugins.plugin_names(pm)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit", "gitlab"])
def test_a_warm_scan_imports_no_plugin_machinery_and_prints_what_a_cold_one_does(tmp_path, fmt):
    """A scan answered by its whole-scan entry: stdout, stderr and the exit code equal those of the run that stored
    the entry and of a run without the cache; pluggy, the plugin modules and the engine are never imported (but by
    SARIF, whose rule help is generated from the link declarations the plugins provide)."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(REPO / "fixtures" / "terraform", tree)
    old = __import__("time").time() - 60  # outside the racy window: the entry is stored and trusted
    for p in tree.rglob("*"):
        os.utime(p, (old, old))
    args = ["scan", ".", "--format", fmt, "--no-config"]
    code = _SCAN_AND_LIST.format(args=args)
    nocache = _run(_SCAN_AND_LIST.format(args=[*args, "--no-cache"]), tmp_path / "cache", tree)
    cold = _run(code, tmp_path / "cache", tree)
    warm = _run(code, tmp_path / "cache", tree)
    assert list((tmp_path / "cache" / "scan").glob("*.pickle")), cold.stderr
    assert warm.returncode == cold.returncode == nocache.returncode == 1
    assert warm.stdout == cold.stdout == nocache.stdout and warm.stdout
    strip = lambda err: err.split("MODULES", 1)[0]  # noqa: E731
    assert strip(warm.stderr) == strip(cold.stderr) == strip(nocache.stderr)
    modules = set(warm.stderr.split("MODULES", 1)[1].split())
    cold_modules = set(cold.stderr.split("MODULES", 1)[1].split())
    assert "xborder.links.engine" in cold_modules
    if fmt != "sarif":
        assert not modules & {"pluggy", "xborder.hookspecs", "xborder.policy", "xborder.links.engine", *plugins.BUILTIN_PLUGINS}, sorted(modules)


def test_a_warm_scan_with_an_entry_point_plugin_uses_it(tmp_path):
    """An installed plugin may change anything: its names are part of the key and its reporters are offered."""
    site = tmp_path / "site"
    site.mkdir()
    _toy_distribution(site, with_entry_point=True)
    tree = tmp_path / "tree"
    import shutil

    shutil.copytree(REPO / "fixtures" / "terraform", tree)
    code = "import sys; from xborder.cli import main; sys.exit(main(['scan', '.', '--no-config', '--format', 'toy']))"
    for _ in range(2):
        proc = _run(code, tmp_path / "cache", tree, extra_path=str(site))
        assert proc.stdout.startswith("TOY: ") and proc.returncode == 1, proc.stderr
    assert not list((tmp_path / "cache" / "scan").glob("*.pickle"))  # a third-party plugin: no whole-scan entry


def test_integer_literals_are_read_without_fractions_as_with_them():
    """`parse_number` reads an integer without a Fraction (a one-file run then never imports `fractions` and
    `decimal`); every spelling gives what the exact path gives, the sign of a zero and huge values included."""
    from fractions import Fraction

    from xborder.inputs.terraform import values

    def exact_path(s: str) -> object:
        t = s.lstrip("+").removesuffix(".")
        q = Fraction(t if not t.startswith((".", "-.")) else t.replace(".", "0.", 1))
        return values.make_number(q, negative_zero=q == 0 and t.startswith("-"))

    spellings = ["0", "-0", "+0", "0.", "-0.", "007", "-007", "5", "+5", "-5", "5.", "123456789012345678901234567890",
                 str(2**512 - 1), str(2**512), "-" + str(2**512), str(10**200), "1.5", "-0.0", "1e3", "١٢"]
    for s in spellings:
        got, want = values.parse_number(s), exact_path(s)
        assert (type(got), got, values.is_negative_zero(got)) == (type(want), want, values.is_negative_zero(want)), s
        if isinstance(got, values.Num):
            assert got.exact == want.exact and got.prec == want.prec, s
    assert values.parse_number("1_000") is None and values.parse_number("0x10") is None


def test_strings_that_are_not_cloud_config_do_not_import_the_cloud_init_reader(tmp_path):
    """Every string of a Terraform file that names a VPN word is asked whether it is cloud-init user data with boot
    commands; a string that does not start with the `#cloud-config` header cannot be, so neither the reader nor
    PyYAML is imported for it (a cold scan of the perf corpus asked 407 times). A cloud-config one is still read."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_instance" "web" {
          user_data = <<-EOT
            #!/bin/sh
            logger "remote tunnel up"
          EOT
        }
        resource "aws_vpn_connection" "v" {  # a link type: the directory is loaded in full, its strings read
          customer_gateway_id = "cgw-1"
        }
    """))
    code = _SCAN_AND_LIST.format(args=["scan", "main.tf", "--no-config", "--no-cache"])
    _run(code, tmp_path / "cache", tree)  # the first run compiles the policy data (from YAML)
    plain = _run(code, tmp_path / "cache", tree)
    assert plain.returncode == 1 and "aws_vpn_connection.v" in plain.stdout, plain.stdout + plain.stderr
    modules = set(plain.stderr.split("MODULES", 1)[1].split())
    assert not modules & {"yaml.reader", "yaml.constructor"}, sorted(modules)  # (the reader's lazy stand-in may be there)

    (tree / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_instance" "web" {
          user_data = <<-EOT
            #cloud-config
            runcmd:
              - wg set wg0 peer abc= endpoint 8.8.8.8:51820
          EOT
        }
        resource "aws_vpn_connection" "v" {
          customer_gateway_id = "cgw-1"
        }
    """))
    booted = _run(code, tmp_path / "cache", tree)
    assert booted.returncode == 1 and "XB002" in booted.stdout, booted.stdout + booted.stderr
    assert "yaml.constructor" in set(booted.stderr.split("MODULES", 1)[1].split())


def test_cloud_config_strings_without_a_tunnel_import_no_yaml(tmp_path):
    """The cloud-init tests a string or a YAML file meets first (`cloudinit.may_change_vpn`: the header, boot
    commands, a VPN path or tunnel tool named) need no YAML reader: PyYAML, the YAML budget and netplan are
    imported by `cloudinit.parse` only, for a document that may change a tunnel. Before, importing the reader
    imported them all, so a `#cloud-config` string whose boot commands name no tunnel imported PyYAML."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "main.tf").write_text(textwrap.dedent("""\
        resource "aws_instance" "web" {
          user_data = <<-EOT
            #cloud-config
            runcmd:
              - logger "remote tunnel up"
          EOT
        }
        resource "aws_vpn_connection" "v" {  # a link type: the directory is loaded in full, its strings read
          customer_gateway_id = "cgw-1"
        }
    """))
    code = _SCAN_AND_LIST.format(args=["scan", "main.tf", "--no-config", "--no-cache"])
    _run(code, tmp_path / "cache", tree)  # the first run compiles the policy data (from YAML)
    plain = _run(code, tmp_path / "cache", tree)
    assert plain.returncode == 1 and "aws_vpn_connection.v" in plain.stdout, plain.stdout + plain.stderr
    assert "XB002" not in plain.stdout
    modules = set(plain.stderr.split("MODULES", 1)[1].split())
    assert "xborder.inputs.netconf.cloudinit" in modules  # (asked, as the header is there)
    assert not modules & {"yaml", "yaml.reader", "yaml.constructor", "xborder.yaml_budget",
                          "xborder.inputs.netconf.netplan"}, sorted(modules)
