"""A run that names one file, without what it never needs: pluggy (built-in hooks called directly), `inspect`
(dataclasses made without it) and OpenSSL (small hashes by the interpreter's own SHA-256). Each stand-in is
compared with what it stands for; `test_startup` checks the one-file run imports none of them."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from xborder import digest, hookspecs, plugins
from xborder.reports.base import ReportSettings
from xborder.scan import ScanRequest, run_scan

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "xborder"


def _impls(hook) -> list[tuple]:
    return [(impl.plugin_name, impl.function, tuple(impl.argnames), impl.tryfirst, impl.trylast, impl.wrapper,
             impl.hookwrapper) for impl in hook.get_hookimpls()]


def test_builtin_hooks_are_the_managers_hooks_in_its_order():
    pm = plugins.make_plugin_manager(load_entry_points=False)
    direct = plugins.BuiltinHooks()
    specs = sorted(name for name in dir(hookspecs) if name.startswith("xborder_"))
    assert sorted(plugins.HOOKS) == specs
    assert plugins.FIRST_RESULT == {name for name in specs if getattr(pm.hook, name).spec.opts.get("firstresult")}
    for name in plugins.HOOKS:
        assert _impls(getattr(direct, name)) == _impls(getattr(pm.hook, name)), name
    assert len(_impls(direct.xborder_collect)) == 4 and len(_impls(direct.xborder_resolve)) == 2
    with pytest.raises(AttributeError):
        direct.xborder_no_such_hook  # noqa: B018 - as pluggy: an unknown hook is an error


def test_builtin_hooks_answer_as_the_manager():
    pm = plugins.make_plugin_manager(load_entry_points=False)
    direct = plugins.BuiltinHooks()
    assert [{k: v.__qualname__ for k, v in batch.items()} for batch in direct.xborder_reporters()] == \
        [{k: v.__qualname__ for k, v in batch.items()} for batch in pm.hook.xborder_reporters()]
    assert [[r.info.id for r in batch] for batch in direct.xborder_rules()] == \
        [[r.info.id for r in batch] for batch in pm.hook.xborder_rules()]
    assert [[str(p) for p in batch] for batch in direct.xborder_link_declarations()] == \
        [[str(p) for p in batch] for batch in pm.hook.xborder_link_declarations()]


class _Impl:
    def __init__(self, function) -> None:
        self.function = function


def test_builtin_hook_calls_from_the_last_and_stops_at_the_first_answer_when_asked():
    calls: list[str] = []

    def one(fact):
        calls.append("one")
        return None

    def two(fact, ctx):
        calls.append("two")
        return f"two:{fact}:{ctx}"

    def three(fact, ctx, extra=1):  # a parameter with a default is never passed (as pluggy)
        calls.append("three")
        return None

    impls = [plugins._BuiltinImpl(None, name, fn, {}) for name, fn in (("a", two), ("b", one), ("c", three))]
    assert [i.argnames for i in impls] == [("fact", "ctx"), ("fact",), ("fact", "ctx")]
    first = plugins._BuiltinHook("xborder_resolve", impls)
    assert first(fact="f", ctx="c") == "two:f:c" and calls == ["three", "one", "two"]
    calls.clear()
    every = plugins._BuiltinHook("xborder_rules", impls)
    assert every(fact="f", ctx="c") == ["two:f:c"] and calls == ["three", "one", "two"]


def _json_of(pm, paths: list[Path]) -> str:
    request = ScanRequest(paths=paths, use_config=False)
    result = run_scan(request, pm)
    root = REPO / "fixtures"
    reporters = plugins.reporters_of(plugins.make_plugin_manager(load_entry_points=False))
    text = reporters["json"](root).render(result, ReportSettings())
    return text


def test_a_scan_with_builtin_hooks_equals_one_with_the_manager(monkeypatch):
    monkeypatch.chdir(REPO / "fixtures")
    lazy_pm = plugins.PluginsOnDemand(load_entry_points=False)
    direct = _json_of(lazy_pm, [Path(".")])
    assert lazy_pm._pm is None  # every hook was called without pluggy
    managed = _json_of(plugins.make_plugin_manager(load_entry_points=False), [Path(".")])
    assert direct == managed and json.loads(direct)["findings"]


def test_small_digests_without_openssl_equal_hashlibs(monkeypatch):
    monkeypatch.setattr(digest, "_left", digest.BUDGET)
    small = [b"", b"a", "ü".encode(), bytes(range(256)) * 33]
    for data in small:
        assert digest.sha256(data) == hashlib.sha256(data).hexdigest()
    parts = [b"one\0", b"", b"two" * 1000, b"\0"]
    whole = hashlib.sha256()
    for part in parts:
        whole.update(part)
    assert digest.sha256_parts(iter(parts)) == whole.hexdigest()
    assert digest._left == digest.BUDGET - sum(map(len, small)) - sum(map(len, parts))
    big = b"x" * (digest.BUDGET + 1)  # more than the budget: OpenSSL, the budget kept for small ones
    left = digest._left
    assert digest.sha256(big) == hashlib.sha256(big).hexdigest() and digest._left == left
    monkeypatch.setattr(digest, "_left", 3)
    assert digest.sha256(b"abcd") == hashlib.sha256(b"abcd").hexdigest() and digest._left == 3
    assert digest.sha256(b"abc") == hashlib.sha256(b"abc").hexdigest() and digest._left == 0
    monkeypatch.setattr(digest, "_small", None)  # an interpreter without the builtin module
    assert digest.sha256(b"") == hashlib.sha256(b"").hexdigest()


def test_dataclasses_imported_without_inspect_behave_as_with_it():
    """`classcode` imports `dataclasses` with a stand-in `inspect`: classes with a docstring never load it; one
    without gets the docstring the real `inspect` gives; a later `import inspect` is the real module."""

    @dataclasses.dataclass
    class Spot:
        path: str
        line: int = 1

    code = textwrap.dedent("""
        from __future__ import annotations
        import sys
        from xborder import classcode
        with classcode.cached():
            from dataclasses import dataclass, field

            @dataclass(frozen=True)
            class Told:
                '''A docstring.'''
                path: str

            loaded = "inspect" in sys.modules

            @dataclass
            class Spot:
                path: str
                line: int = 1

        import inspect
        print(loaded, "ast" in sys.modules, Spot.__doc__, type(inspect).__name__, inspect.isclass(Spot),
              inspect.signature(Told), sep="\\n")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["False", "True", Spot.__doc__, "module", "True", "(path: 'str') -> None"]


def test_every_dataclass_of_xborder_has_a_docstring():
    """Without one, `dataclasses` makes one with `inspect.signature`: that would import `inspect` after all."""
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and ast.get_docstring(node) is None and any(
                    "dataclass" in ast.unparse(d) for d in node.decorator_list):
                missing.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}")
    assert not missing


def test_builtin_plugin_modules_import_no_pluggy():
    code = textwrap.dedent("""
        import importlib, sys
        from xborder import plugins
        for name in plugins.BUILTIN_PLUGINS:
            importlib.import_module(name)
        print(sorted(m for m in ("pluggy", "xborder.hookspecs") if m in sys.modules))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stderr
