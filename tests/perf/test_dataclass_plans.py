"""Dataclass plans (`classcode`): a class whose processing was watched once is built again from the plan, the same
class attribute for attribute as `@dataclass` makes it, without the standard library working it out; a class a
plan cannot stand for, or that changed, is processed by the standard library as before."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from xborder import classcode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dataclass_plans_check import same_class  # noqa: E402

HERE = Path(__file__).resolve().parent


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """classcode with nothing in memory and its file under tmp_path; `restart()` is what a new process sees."""
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path))

    def restart() -> None:
        classcode.flush()
        for name, value in (("_memo", None), ("_used", {}), ("_dirty", False), ("_plans_memo", None), ("_plans_used", {})):
            monkeypatch.setattr(classcode, name, value)

    restart()
    return restart


def _module(source: str) -> types.ModuleType:
    """`source` run as a new module that `sys.modules` knows (dataclasses reads a class's module)."""
    module = types.ModuleType(f"xborder_plan_test_{abs(hash(source))}")
    sys.modules[module.__name__] = module
    try:
        exec(compile(textwrap.dedent(source), module.__name__, "exec"), vars(module))  # noqa: S102 - test classes
    finally:
        del sys.modules[module.__name__]
    return module


def _build(source: str, *, cached: bool) -> types.ModuleType:
    if not cached:
        return _module(source)
    with classcode.cached():
        return _module(source)


def _classes(module: types.ModuleType) -> list[type]:
    return [v for v in vars(module).values() if isinstance(v, type) and dataclasses.is_dataclass(v)]


def _same_modules(a: types.ModuleType, b: types.ModuleType) -> None:
    left, right = _classes(a), _classes(b)
    assert [c.__qualname__ for c in left] == [c.__qualname__ for c in right]
    for x, y in zip(left, right):
        same_class(x, y, (vars(a), vars(b)))


CLASSES = '''
    from __future__ import annotations
    from dataclasses import dataclass, field

    @dataclass(frozen=True, order=True)
    class Spot:
        """A place."""
        path: str
        line: int = 1
        tags: tuple[str, ...] = ()

    @dataclass
    class Bag:
        """Things."""
        name: str
        items: list[int] = field(default_factory=list)
        spot: Spot | None = field(default=None, repr=False, compare=False)
        note: str = field(default="", kw_only=True)

    @dataclass(eq=False)
    class Plain:
        """By identity."""
        self: int
        other: object = None

    @dataclass(unsafe_hash=True)
    class Hashed:
        """Hashed although mutable."""
        a: int
        b: str = field(default="x", hash=False)

    @dataclass
    class Checked:
        """With its own checks and equality."""
        a: int
        b: int = field(init=False, default=0)

        def __post_init__(self):
            self.b = self.a * 2

        def __eq__(self, other):
            return isinstance(other, Checked) and other.a == self.a

    @dataclass(kw_only=True, match_args=False, repr=False)
    class Options:
        """Keyword only."""
        a: int = 0
        b: bool = False
'''


def test_a_later_run_builds_each_class_from_its_plan_without_the_standard_library_working_it_out(fresh, monkeypatch):
    plain = _build(CLASSES, cached=False)
    first = _build(CLASSES, cached=True)
    assert len(classcode._plans_used) == 6  # one plan per class, recorded from the standard library's processing
    _same_modules(plain, first)
    fresh()
    for name in ("_get_field", "_init_fn", "_repr_fn", "_cmp_fn", "_hash_fn", "_frozen_get_del_attr", "_create_fn"):
        monkeypatch.setattr(dataclasses, name, lambda *a, **k: pytest.fail("worked out although planned"))
    later = _build(CLASSES, cached=True)
    monkeypatch.undo()
    _same_modules(plain, later)
    spot, bag, checked = later.Spot, later.Bag, later.Checked
    a, b = spot("a.tf", 2), spot("a.tf", 10, ("x",))
    assert (a < b, a == spot("a.tf", 2), hash(a) == hash(spot("a.tf", 2)), repr(b)) == (True, True, True,
                                                                                          "Spot(path='a.tf', line=10, tags=('x',))")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.line = 3
    one, two = bag("n"), bag("n", note="k")
    one.items.append(1)
    assert (one.items, two.items, repr(two), one == bag("n", [1], note="")) == ([1], [], "Bag(name='n', items=[], note='k')", True)
    assert (checked(2).b, checked(2) == checked(2), checked.__hash__) == (4, True, None)
    assert dataclasses.asdict(later.Options(a=1)) == {"a": 1, "b": False}
    with pytest.raises(TypeError):
        later.Options(1)


SPECIAL = '''
    from __future__ import annotations
    from dataclasses import InitVar, KW_ONLY, dataclass, field
    from typing import ClassVar

    @dataclass
    class Special:
        """ClassVar, InitVar and KW_ONLY are found by looking names up in the module."""
        name: str
        limit: ClassVar[int] = 3
        seed: InitVar[int] = 0
        _: KW_ONLY
        tags: tuple[str, ...] = ()

        def __post_init__(self, seed):
            self.name += str(seed)

    @dataclass
    class Child(Special):
        """A dataclass base."""
        extra: int = 0

    @dataclass
    class Undocumented:
        a: int = 0

    @dataclass(slots=True)
    class Slotted:
        """Slots make a new class."""
        a: int = 0
'''


def test_classes_a_plan_cannot_stand_for_are_processed_by_the_standard_library(fresh):
    plain = _build(SPECIAL, cached=False)
    for _ in range(2):
        again = _build(SPECIAL, cached=True)
        assert not classcode._plans_used  # Special: ClassVar/InitVar/KW_ONLY names; Child: a dataclass base; no docstring; slots
        fresh()
        for x, y in zip(_classes(plain), _classes(again)):
            assert [f.name for f in dataclasses.fields(x)] == [f.name for f in dataclasses.fields(y)]
            assert x.__init__.__code__ == y.__init__.__code__ and x.__doc__ == y.__doc__
        assert again.Special("a", 2).name == "a2" and again.Special.limit == 3
        assert type(again.Slotted.a) is not int and again.Slotted.__slots__ == ("a",)


@pytest.mark.parametrize("source, message", [
    ("@dataclass\nclass A:\n    '''Doc.'''\n    a: list = []\n", "mutable default"),
    ("@dataclass\nclass A:\n    '''Doc.'''\n    a: int = 0\n    b: int\n", "non-default argument 'b' follows default argument"),
    ("@dataclass(order=True)\nclass A:\n    '''Doc.'''\n    a: int\n    def __lt__(self, o):\n        return True\n",
     "Cannot overwrite attribute __lt__"),
])
def test_a_class_the_standard_library_refuses_is_refused_the_same_in_every_run(fresh, source, message):
    source = "from __future__ import annotations\nfrom dataclasses import dataclass\n" + source
    for _ in range(3):
        with pytest.raises((TypeError, ValueError), match=message):
            _build(source, cached=True)
        assert not classcode._plans_used
        fresh()


@pytest.mark.parametrize("change", [
    ("line: int = 1", "line: int = 1\n        column: int = 0"),  # a field added
    ("line: int = 1", "line: int"),  # a default removed (and the next field's order error) -> see below
    ("line: int = 1", "line: int = field(default=1, compare=False)"),
    ("line: int = 1", "line: str = 'one'"),
    ("@dataclass(frozen=True, order=True)", "@dataclass(frozen=True)"),
    ("tags: tuple[str, ...] = ()", "tags: tuple[str, ...] = field(default_factory=tuple)"),
    ('"""A place."""', '"""A place."""\n        def __repr__(self):\n            return "spot"'),
    ('"""A place."""', '"""A place."""\n        def __post_init__(self):\n            pass'),
])
def test_a_changed_class_is_not_built_from_the_plan_of_the_class_before(fresh, change):
    _build(CLASSES, cached=True)
    fresh()
    changed = CLASSES.replace(*change)
    if change[1] == "line: int":
        changed = changed.replace("tags: tuple[str, ...] = ()", "tags: tuple[str, ...]")
    _same_modules(_build(changed, cached=False), _build(changed, cached=True))
    fresh()
    _same_modules(_build(changed, cached=False), _build(changed, cached=True))


def test_the_same_class_text_in_a_module_that_names_classvar_is_not_built_from_a_plan(fresh):
    """Without a `ClassVar` global, `total: ClassVar[int] = 0` is a field; with one, a class variable."""
    source = textwrap.dedent('''
        from __future__ import annotations
        from dataclasses import dataclass

        @dataclass
        class Counted:
            """Doc."""
            total: ClassVar[int] = 0
            name: str = ""
    ''')
    unmarked = _build(source, cached=True)
    assert [f.name for f in dataclasses.fields(unmarked.Counted)] == ["total", "name"] and classcode._plans_used
    fresh()
    marked = source.replace("from dataclasses import dataclass", "from dataclasses import dataclass\nfrom typing import ClassVar")
    plain, later = _build(marked, cached=False), _build(marked, cached=True)
    assert [f.name for f in dataclasses.fields(later.Counted)] == ["name"]
    _same_modules(plain, later)


def test_a_damaged_plan_entry_costs_only_the_processing(fresh, tmp_path):
    _build(CLASSES, cached=True)
    classcode.flush()
    (path,) = tmp_path.glob("class-plans-*.marshal")
    import marshal

    path.write_bytes(marshal.dumps({key: ("garbage", 1) for key in marshal.loads(path.read_bytes())}))
    fresh()
    _same_modules(_build(CLASSES, cached=False), _build(CLASSES, cached=True))
    classcode.flush()  # the plans recorded again replace the damaged ones
    assert all(plan != ("garbage", 1) for plan in marshal.loads(path.read_bytes()).values())


def test_every_xborder_dataclass_is_the_same_from_its_plan(tmp_path):
    """In a fresh interpreter: every xborder data class as its module defines it, processed by the standard library,
    by a watched first run and from the plans read back from the file, compared attribute by attribute."""
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, str(HERE / "dataclass_plans_check.py")], env=env, capture_output=True,
                         text=True, check=True)
    summary = json.loads(out.stdout)
    assert summary["classes"] >= 60
    assert summary["replayed"] == summary["classes"]  # every one: a run then reads no code file (OpenTofuUnit)


def test_open_tofu_unit_is_the_class_its_own_decorator_would_make():
    """OpenTofuUnit adds no field, so it has no `@dataclass` of its own (a class with a dataclass base gets no plan);
    what the decorator would make of it is the class it is: fields, parameters, methods' answers."""
    from xborder.inputs.terraform.loader import OpenTofuUnit, TerraformUnit

    namespace = {k: v for k, v in vars(OpenTofuUnit).items() if k not in ("__dict__", "__weakref__")}
    decorated = dataclasses.dataclass(type("OpenTofuUnit", (TerraformUnit,), namespace))
    assert "__init__" not in vars(OpenTofuUnit) and dataclasses.is_dataclass(OpenTofuUnit)
    assert dataclasses.fields(OpenTofuUnit) == dataclasses.fields(decorated)
    assert OpenTofuUnit.__match_args__ == decorated.__match_args__ and OpenTofuUnit.__hash__ is decorated.__hash__ is None
    assert repr(OpenTofuUnit.__dataclass_params__) == repr(decorated.__dataclass_params__)
    for args in (("a",), ("a", True), ()):
        if not args:
            for cls in (OpenTofuUnit, decorated):
                with pytest.raises(TypeError):
                    cls()
            continue
        ours, theirs = OpenTofuUnit(*args), decorated(*args)
        assert repr(ours) == repr(theirs) and vars(ours) == vars(theirs)
        assert ours == OpenTofuUnit(*args) and theirs == decorated(*args)
        assert ours != TerraformUnit(*args) and theirs != TerraformUnit(*args) and (ours == theirs) is False
        assert dataclasses.replace(ours, name="b") == OpenTofuUnit("b", *args[1:])
        assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)


def test_a_one_file_run_with_every_plan_kept_reads_no_code_file(tmp_path):
    """The method code of every class (~350 KB) is kept apart from the plans: a run whose classes all have a plan
    never loads it (before, the plans were an entry of that file and every run loaded both)."""
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "XBORDER_TODAY": "2026-12-01"}
    code = ("import sys\nfrom xborder import classcode\nfrom xborder.cli import main\nrc = main(sys.argv[1:])\n"
            "print('CODE MAP LOADED', classcode._memo is not None, file=sys.stderr)\nsys.exit(rc)\n")
    args = [sys.executable, "-c", code, "scan", "alibaba/main.tf", "--no-config", "--no-cache"]
    cwd = HERE.parents[1] / "fixtures" / "terraform"
    runs = [subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout and "XB101" in runs[1].stdout
    assert "CODE MAP LOADED True" in runs[0].stderr and "CODE MAP LOADED False" in runs[1].stderr, runs[1].stderr
    (plans,) = (tmp_path / "cache").glob("class-plans-*.marshal")
    plans.write_bytes(b"damaged")  # no plan: the code file is read again, the output the same
    third = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert third.stdout == runs[0].stdout and "CODE MAP LOADED True" in third.stderr
