"""Dataclasses without compiling their methods at every start.

`@dataclass` writes each generated method (`__init__`, `__repr__`, `__eq__`, ordering, frozen
`__setattr__`...) as source text and compiles it with `exec`. xborder defines about 70 dataclasses;
compiling their ~280 methods was the largest single cost of a pre-commit run that names one small
file (about a third of its time). While `cached()` is active, the `dataclasses` module compiles
through `_exec` below, which keeps the compiled code of each exact source text in one `marshal` file
in the user's cache directory (`class-code-<interpreter>.marshal`). The classes are the same real
dataclasses (`fields()`, `replace()`, `asdict()` work): the only difference is where the code object
comes from. The key is the whole source text and the file is per interpreter version and optimisation
level, so a changed class is compiled again and the cache cannot be stale. A missing, damaged or
unwritable file only costs the compile.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
from collections.abc import Iterator
from types import CodeType, FunctionType, MemberDescriptorType, ModuleType
from typing import Any

_BOUND = 4000  # entries kept from earlier runs beside this run's own (code of many versions side by side)

_memo: dict[str, bytes] | None = None  # source text -> marshalled code, as read from the file
_used: dict[str, bytes] = {}  # what this process compiled or took from the file
_dirty = False  # a flush is registered (something compiled or a plan recorded)
_compiled_new = False  # code compiled by this process: the code file is written again
_watching: list[Any] = []  # while a plan is recorded: the last code `_exec` ran


def _exec(source: Any, globals_: Any = None, locals_: Any = None) -> None:
    """`exec` as `dataclasses` calls it, with the code of a source text compiled once per interpreter."""
    if isinstance(source, str):
        source = code_of(source)
    if _watching:
        _watching[-1] = source  # the module code `_create_fn` runs, for the plan being recorded
    exec(source, globals_, locals_)  # noqa: S102 - the standard library's own generated method source


def code_of(source: str) -> CodeType:
    """What `exec(source)` would compile from inside `dataclasses` (no `__future__` flags inherited)."""
    global _dirty, _compiled_new
    blob = _compiled().get(source)
    if blob is not None:
        try:
            code = marshal.loads(blob)
            if isinstance(code, CodeType):
                _used[source] = blob
                return code
        except (ValueError, EOFError, TypeError):
            pass
    code = compile(source, "<string>", "exec", dont_inherit=True)
    _used[source] = marshal.dumps(code)
    _compiled_new = True
    if not _dirty:
        _dirty = True
        atexit.register(flush)
    return code


@contextlib.contextmanager
def cached() -> Iterator[None]:
    """Dataclasses defined meanwhile (in any module) compile their methods through the cache.

    The `dataclasses` module looks `exec` up as a global name; a module global of that name is seen
    before the builtin, so setting one routes its compiles here. Removed again on exit.

    When `dataclasses` is first imported here, it is imported without `inspect` (`_import_dataclasses`).
    """
    if "dataclasses" not in sys.modules:
        _import_dataclasses()
    import dataclasses

    if "exec" in vars(dataclasses):  # already active (nested), or something else set it: leave it alone
        yield
        return
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    pattern = vars(dataclasses).get("_MODULE_IDENTIFIER_RE")
    if pattern is not None:
        dataclasses._MODULE_IDENTIFIER_RE = _MatchMemo(pattern)  # type: ignore[attr-defined]
    process = vars(dataclasses).get("_process_class")
    planned = process is not None and _PLANNED_FROM.get("original") is None
    if planned:
        _PLANNED_FROM.update(original=process, module=dataclasses)
        dataclasses._process_class = _process_class  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if vars(dataclasses).get("exec") is _exec:
            del dataclasses.exec  # type: ignore[attr-defined]
        if pattern is not None and isinstance(vars(dataclasses).get("_MODULE_IDENTIFIER_RE"), _MatchMemo):
            dataclasses._MODULE_IDENTIFIER_RE = pattern  # type: ignore[attr-defined]
        if planned:
            if vars(dataclasses).get("_process_class") is _process_class:
                dataclasses._process_class = process  # type: ignore[attr-defined]
            _PLANNED_FROM.clear()


class _MatchMemo:
    """`dataclasses`' pattern for a string annotation's leading name (`_MODULE_IDENTIFIER_RE`), with its match
    kept per annotation text.

    For every field of a class whose annotations are strings (`from __future__ import annotations`),
    `dataclasses` matches the annotation three times (is it a ClassVar, an InitVar, KW_ONLY?); xborder's ~75
    classes at start-up repeat a few dozen annotation texts (`str`, `tuple[str, ...]`) about 1,250 times. A
    match depends on the text alone and a match object is immutable, so a kept one answers exactly as a new one.
    """

    def __init__(self, pattern: Any) -> None:
        self._pattern = pattern
        self._memo: dict[str, Any] = {}

    def match(self, text: Any, *args: Any) -> Any:
        if args or type(text) is not str:
            return self._pattern.match(text, *args)
        found = self._memo.get(text, self)
        if found is self:
            found = self._memo[text] = self._pattern.match(text)
        return found

    def __getattr__(self, name: str) -> Any:  # anything else the pattern has
        return getattr(self._pattern, name)


class _InspectOnFirstUse(ModuleType):
    """What `dataclasses` binds as `inspect` when imported by `_import_dataclasses`: the real module, imported
    when one of its attributes is first read."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get("inspect") is self:
            del sys.modules["inspect"]
        import inspect

        return getattr(inspect, name)


def _import_dataclasses() -> None:
    """Import `dataclasses` without importing `inspect` (with `ast`, `dis` and `tokenize`, about a tenth of a
    run that names one file). `dataclasses` reads it only for a class without a docstring (`inspect.signature`
    makes one; xborder's classes have theirs, a test checks). The standard library's `LazyLoader` cannot stand
    in: the `import` statement reads the module's `__spec__`, which loads it. The stand-in is in `sys.modules`
    only while `dataclasses` is imported: any later `import inspect` is the real one."""
    stand_in = _InspectOnFirstUse("inspect")
    had = sys.modules.setdefault("inspect", stand_in)
    try:
        __import__("dataclasses")  # for its effect only: what the import statement runs, with no name bound
    finally:
        if had is stand_in and sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]


def _compiled() -> dict[str, bytes]:
    global _memo
    if _memo is None:
        from xborder.cachedir import read_marshal_map

        _memo = read_marshal_map(_path())
    return _memo


def _path(kind: str = "class-code-") -> str:
    """The code file (`class-code-`), or the plans' own (`class-plans-`): a run whose classes all have a plan reads
    the plans alone, never the code of every method source (~350 KB)."""
    from xborder.cachedir import default_dir

    # the exact interpreter release (bytecode may change between releases), marshal format, -O level
    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-m{marshal.version}-o{sys.flags.optimize}"
    return os.path.join(default_dir(), f"{kind}{tag}.marshal")


def flush() -> None:
    """Write this run's code (and, up to a bound, earlier runs') as the new code file when it compiled any, and its
    plans (with earlier runs') as the new plans file when it recorded any, atomically."""
    global _dirty, _compiled_new
    if not _dirty:
        return
    _dirty = False
    from xborder.cachedir import write_derived

    if _compiled_new:
        _compiled_new = False
        data = dict(_used)
        for source, blob in _compiled().items():
            if len(data) >= _BOUND:
                break
            if source != _PLANS:  # the plans' entry of files of earlier releases: plans have their own file
                data.setdefault(source, blob)
        try:
            write_derived(_path(), marshal.dumps(dict(sorted(data.items()))), prefix=".tmp-class-code-", kind="class-code-")
        except Exception:  # noqa: BLE001 - a file that cannot be written only costs the next compile
            pass
    if any(_plans().get(key) is not plan for key, plan in _plans_used.items()):  # one recorded (not taken) here
        plans = dict(_plans_used)
        for key, plan in _plans().items():
            if len(plans) >= _BOUND:
                break
            plans.setdefault(key, plan)
        try:
            write_derived(_path("class-plans-"), marshal.dumps(plans), prefix=".tmp-class-plans-", kind="class-plans-")
        except Exception:  # noqa: BLE001 - plans that cannot be kept: the classes are processed as usual next time
            pass




# --- Plans: what `@dataclass` did to a class, done again without working it out ---------------------------
#
# Compiling was only part of the cost: `dataclasses._process_class` still works out, for every class at every
# start, which annotations are fields, each field's `Field`, the source text of each method, and runs that text
# (`_create_fn`: the code of a function `__create_fn__` whose parameters are the names the method closes over,
# called to make the method). While `cached()` is active, a class's first processing is the standard library's
# own, watched: for each method it creates, the code of its `__create_fn__` and what each of its parameters
# stands for (a field's annotation, default or default factory, the class, a constant of `dataclasses`), and
# what it sets on the class, in order. That plan is kept (in its own file, `class-plans-`, under everything the
# processing reads from the class: `_inputs`). A later run whose class reads the same builds the fields as `_get_field`
# does and calls each kept `__create_fn__` with what its parameters stand for now: the same methods as
# `_create_fn` makes, set as the standard library sets them (the tests compare every xborder class, attribute
# by attribute, with the standard library's). A class a plan cannot describe (an annotation the module can
# resolve to ClassVar, InitVar or KW_ONLY, a dataclass base, no docstring, `slots=True`, anything set besides
# methods, the fields, the parameters, `__hash__ = None` and `__match_args__`) is always processed by the
# standard library.

_PLANS = "\x00dataclass plans"  # the plans' entry in code files of earlier releases (no method source starts so)
_PLAN_FORMAT = 2
_plans_memo: dict[Any, Any] | None = None  # inputs -> plan, as read from the file
_plans_used: dict[Any, Any] = {}  # what this process recorded or took from the file
_PLANNED_FROM: dict[str, Any] = {}  # while cached() is active: "original" _process_class, its "module"
_GENERATED = ("__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__", "__ge__", "__setattr__", "__delattr__",
              "__match_args__", "__dataclass_fields__", "__dataclass_params__")
_RESERVED = frozenset(_GENERATED + ("__hash__", "__doc__"))
_CONSTANTS = ("MISSING", "_HAS_DEFAULT_FACTORY", "FrozenInstanceError")  # names the methods close over: dataclasses'
_KW_ONLY = 7  # the decorator's kw_only among _process_class's arguments after cls (3.10 to 3.13; checked by _describe)
_library: list[Any] = []  # the signature of the dataclasses module's file, once per process
_TYPE_NAMES = frozenset(dir(type))  # what a class has through its metaclass `type` (and `object`)


def _plans() -> dict[Any, Any]:
    global _plans_memo
    if _plans_memo is None:
        from xborder.cachedir import read_marshal

        found = read_marshal(_path("class-plans-"))
        _plans_memo = found if isinstance(found, dict) else {}
    return _plans_memo


def _process_class(cls: type, *args: Any) -> type:
    """`dataclasses._process_class(cls, *args)`, from a kept plan when there is one for what the class reads."""
    dataclasses, original = _PLANNED_FROM["module"], _PLANNED_FROM["original"]
    found = _inputs(dataclasses, cls, args)
    if found is None:
        return original(cls, *args)  # type: ignore[no-any-return]
    key, defaults = found
    plan = _plans().get(key)
    if plan is not None:
        try:
            made = _prepare(dataclasses, cls, plan, defaults)
        except Exception:  # noqa: BLE001 - a damaged or foreign entry: the class is processed as usual
            made = None
        if made is not None:
            _plans_used[key] = plan
            return _apply(dataclasses, cls, args, plan, defaults, made)
    return _record(dataclasses, cls, args, key, defaults, original)


def _inputs(dc: Any, cls: type, args: tuple[Any, ...]) -> tuple[tuple[Any, ...], list[Any]] | None:
    """The key of everything `_process_class` reads from `cls` and its decorator arguments, with the value
    each annotated name has on the class (`getattr`, as `_get_field` reads it); None when no plan may stand in."""
    module = sys.modules.get(cls.__module__)
    own = cls.__dict__
    annotations = own.get("__annotations__")
    if module is None or type(annotations) is not dict or _class_attr(cls, "__dataclass_fields__", None) is not None:
        return None
    if len(args) <= _KW_ONLY or not _RESERVED.isdisjoint(annotations):
        return None
    missing, field_type = dc.MISSING, dc.Field
    defaults: list[Any] = []
    described: list[tuple[Any, ...]] = []
    for name, kind in annotations.items():
        if type(kind) is not str or type(name) is not str:
            return None
        value = _class_attr(cls, name, missing)
        defaults.append(value)
        if isinstance(value, field_type):
            flags = (value.init, value.repr, value.hash, value.compare, value.kw_only)
            if not all(f is True or f is False or f is None or f is missing for f in flags):
                return None
            described.append((name, kind, value.default is missing, value.default_factory is missing,
                              *(0 if f is missing else f for f in flags), value.default.__class__.__hash__ is None))
        elif value is missing or isinstance(value, MemberDescriptorType):
            described.append((name, kind))
        else:
            described.append((name, kind, value.__class__.__hash__ is None))
    if not _no_pseudo_field(dc, vars(module), annotations):
        return None
    for name, value in own.items():
        if isinstance(value, field_type) and name not in annotations:
            return None  # the standard library's error
    own_hash = own.get("__hash__", missing)
    if not all(type(a) is bool for a in args) or not getattr(cls, "__doc__", None):
        return None
    key = (_PLAN_FORMAT, _library_signature(dc), args, tuple(described), tuple(n for n in _GENERATED if n in own),
           0 if own_hash is missing else 1 if own_hash is None else 2, _class_attr(cls, "__post_init__", missing) is not missing)
    return key, defaults


def _class_attr(cls: type, name: str, default: Any) -> Any:
    """`getattr(cls, name, default)` without the AttributeError a missing name costs (formatting its message is
    most of a miss, and most fields have no default): a class of the plain metaclass has `name` only through its
    metaclass's attributes or a dictionary of its MRO."""
    if type(cls) is type and name not in _TYPE_NAMES:
        for base in cls.__mro__:
            if name in base.__dict__:
                return getattr(cls, name, default)
        return default
    return getattr(cls, name, default)


def _no_pseudo_field(dc: Any, names: dict[str, Any], annotations: dict[str, str]) -> bool:
    """Whether no annotation can be a ClassVar, InitVar or KW_ONLY: `_is_type` decides it by looking the name an
    annotation text starts with (after an optional `module.`) up among the globals of the class's module, and
    by nothing else; here the same names are looked up and none may be one of those markers."""
    typing = sys.modules.get("typing")
    classvar = typing.ClassVar if typing is not None else dc.InitVar
    alias = typing._GenericAlias if typing is not None else dc.InitVar
    pattern = dc._MODULE_IDENTIFIER_RE
    for text in annotations.values():
        found = pattern.match(text)
        if found is None:
            continue
        value = names.get(found.group(2))
        if value is None:
            continue
        if value is classvar or value is dc.InitVar or value is dc.KW_ONLY or type(value) is dc.InitVar:
            return False
        if type(value) is alias and value.__origin__ is classvar:
            return False
    return True


def _library_signature(dc: Any) -> Any:
    """The dataclasses module's file (size, modification time): a changed standard library never uses a plan."""
    if not _library:
        try:
            st = os.stat(dc.__file__)
            _library.append((st.st_size, st.st_mtime_ns))
        except (OSError, TypeError, AttributeError):
            _library.append(None)
    return _library[0]


def _record(dc: Any, cls: type, args: tuple[Any, ...], key: tuple[Any, ...], defaults: list[Any], original: Any) -> type:
    """The standard library's processing of `cls`, watched; its plan is kept when it can be described."""
    global _dirty
    before = dict(cls.__dict__)
    own_kw_only = [d.kw_only if isinstance(d, dc.Field) else dc.MISSING for d in defaults]  # before _get_field sets it
    calls: list[tuple[Any, ...]] = []
    create = vars(dc).get("_create_fn")

    def watched(name: str, params: Any, body: Any, *, globals: Any = None, locals: Any = None,  # noqa: A002
                return_type: Any = dc.MISSING) -> Any:
        given = dict(locals) if locals is not None else {}
        _watching.append(None)
        try:
            fn = create(name, params, body, globals=globals, locals=locals, return_type=return_type)  # type: ignore[misc]
        finally:
            code = _watching.pop()
        calls.append((fn, code, globals, given, return_type))
        return fn

    if create is not None:
        dc._create_fn = watched
    try:
        result = original(cls, *args)
    finally:
        if create is not None and vars(dc).get("_create_fn") is watched:
            dc._create_fn = create
    try:
        plan = (_describe(dc, cls, args, before, calls, defaults, own_kw_only)
                if result is cls and create is not None else None)
        if plan is not None:
            marshal.dumps(plan)  # what the file must hold
    except Exception:  # noqa: BLE001 - what cannot be described is processed as usual each time
        plan = None
    if plan is not None:
        _plans_used[key] = plan
        if not _dirty:
            _dirty = True
            atexit.register(flush)
    return result  # type: ignore[no-any-return]


def _describe(dc: Any, cls: type, args: tuple[Any, ...], before: dict[str, Any], calls: list[tuple[Any, ...]],
              defaults: list[Any], own_kw_only: list[Any]) -> tuple[Any, ...] | None:
    """The plan of what the standard library did to `cls`, or None when part of it cannot be said in a plan."""
    g = vars(sys.modules[cls.__module__])
    annotations = before["__annotations__"]
    fields = cls.__dict__["__dataclass_fields__"]
    if list(fields) != list(annotations):
        return None
    for (name, kind), default, kw_only in zip(annotations.items(), defaults, own_kw_only):  # what _apply makes of them
        f = fields[name]
        if isinstance(default, dc.Field):
            if f is not default:
                return None
        elif not (type(f) is dc.Field and f.default is (dc.MISSING if isinstance(default, MemberDescriptorType) else default)
                  and f.default_factory is dc.MISSING and f.init is True and f.repr is True and f.hash is None
                  and f.compare is True and f.metadata is dc.field().metadata):
            return None
        if kw_only is dc.MISSING:
            kw_only = args[_KW_ONLY]
        if f.name != name or f.type is not kind or f._field_type is not dc._FIELD or f.kw_only is not kw_only:
            return None
    made: list[tuple[Any, ...]] = []
    index: dict[int, int] = {}
    for fn, code, globals_, given, return_type in calls:
        if globals_ is not g or not isinstance(code, CodeType) or not isinstance(fn, FunctionType):
            return None
        makers = [c for c in code.co_consts if isinstance(c, CodeType) and c.co_name == "__create_fn__"]
        if len(makers) != 1 or fn.__code__ not in makers[0].co_consts:
            return None
        maker = makers[0]
        names = []
        for local, value in given.items():
            symbol = _symbol(dc, cls, fields, local, value)
            if symbol is None:
                return None
            names.append(symbol)
        if return_type is not dc.MISSING:
            if return_type is not None:
                return None
            names.append(("none", ""))
        if maker.co_varnames[: maker.co_argcount] != tuple(given) + (() if return_type is dc.MISSING else ("_return_type",)):
            return None
        if maker.co_flags & (0x04 | 0x08) or maker.co_kwonlyargcount or maker.co_posonlyargcount:
            return None  # *args or **kwargs: not the plain parameters called by keyword
        index[id(fn)] = len(made)
        made.append((maker, tuple(names)))
    steps: list[tuple[Any, ...]] = []
    now = cls.__dict__
    for attr, value in now.items():
        if attr in before and before[attr] is value:
            continue
        if attr in annotations and attr in before:
            if not (isinstance(before[attr], dc.Field) and value is fields[attr].default):
                return None
            continue  # a field's default in place of its Field: done with the fields
        if attr in before:
            return None
        if attr == "__dataclass_params__":
            slots = type(value).__slots__
            if type(value) is not dc._DataclassParams or [getattr(value, s) for s in slots] != list(args[: len(slots)]):
                return None
            steps.append((attr, "params", len(slots)))
        elif attr == "__dataclass_fields__":
            steps.append((attr, "fields", 0))
        elif value is None and attr == "__hash__":
            steps.append((attr, "none", 0))
        elif attr == "__match_args__" and type(value) is tuple and all(n in annotations for n in value):
            steps.append((attr, "names", value))
        elif isinstance(value, FunctionType) and id(value) in index:
            if value.__qualname__ != f"{cls.__qualname__}.{value.__name__}":
                return None
            steps.append((attr, "fn", index[id(value)]))
        elif isinstance(value, FunctionType) and attr == "__repr__" and id(getattr(value, "__wrapped__", None)) in index:
            if value.__qualname__ != f"{cls.__qualname__}.{value.__name__}":
                return None
            steps.append((attr, "repr", index[id(getattr(value, "__wrapped__"))]))
        else:
            return None
    for attr in before:
        if attr not in now and not (attr in annotations and isinstance(before[attr], dc.Field)):
            return None
    # a method made and not set (the class defines its own `__eq__`) is not made again
    kept = sorted({step[2] for step in steps if step[1] in ("fn", "repr")})
    renumber = {old: new for new, old in enumerate(kept)}
    steps = [(attr, how, renumber[arg]) if how in ("fn", "repr") else (attr, how, arg) for attr, how, arg in steps]
    return (tuple(made[i] for i in kept), tuple(steps))


def _symbol(dc: Any, cls: type, fields: dict[str, Any], local: str, value: Any) -> tuple[str, str] | None:
    """What a name a generated method closes over stands for, said so it can be found again in a later run."""
    if local.startswith("_type_") and local[6:] in fields and value is fields[local[6:]].type:
        return ("type", local[6:])
    if local.startswith("_dflt_") and local[6:] in fields:
        f = fields[local[6:]]
        if f.default_factory is not dc.MISSING and value is f.default_factory:
            return ("factory", local[6:])
        if f.default_factory is dc.MISSING and value is f.default:
            return ("default", local[6:])
        return None
    if local == "cls" and value is cls:
        return ("cls", "")
    if local == "__dataclass_builtins_object__" and value is object:
        return ("object", "")
    if local in _CONSTANTS and value is getattr(dc, local, None):
        return ("dataclasses", local)
    return None


def _prepare(dc: Any, cls: type, plan: Any, defaults: list[Any]) -> list[Any] | None:
    """The methods of a kept plan, made for `cls` (None for a plan this code cannot read); the class is not
    touched yet. Each is what `_create_fn` returns: its `__create_fn__` called with what its parameters stand for."""
    made, steps = plan
    annotations = cls.__dict__["__annotations__"]
    values = dict(zip(annotations, defaults))
    g = vars(sys.modules[cls.__module__])
    out = []
    for maker, names in made:
        if type(maker) is not CodeType:
            return None
        given: list[Any] = []
        for what, arg in names:
            if what == "type":
                given.append(annotations[arg])
            elif what in ("default", "factory"):
                value = values[arg]
                if isinstance(value, dc.Field):
                    value = value.default_factory if what == "factory" else value.default
                elif what == "factory":
                    return None
                given.append(value)
            elif what == "cls":
                given.append(cls)
            elif what == "object":
                given.append(object)
            elif what == "none":
                given.append(None)
            elif what == "dataclasses" and arg in _CONSTANTS:
                given.append(getattr(dc, arg))
            else:
                return None
        if len(given) != maker.co_argcount:
            return None
        out.append(FunctionType(maker, g)(*given))
    for _attr, how, _arg in steps:
        if how not in ("params", "fields", "none", "names", "fn", "repr"):
            return None
    return out


def _apply(dc: Any, cls: type, args: tuple[Any, ...], plan: Any, defaults: list[Any], made: list[Any]) -> type:
    """What `_process_class` does to `cls`, by the plan: the fields as `_get_field` makes them (no annotation here
    is a ClassVar, InitVar or KW_ONLY: `_inputs`), then each attribute set in the standard library's order."""
    _made, steps = plan
    missing, field_type, kw_only = dc.MISSING, dc.Field, args[_KW_ONLY]
    annotations = cls.__dict__["__annotations__"]
    fields = {}
    for (name, kind), default in zip(annotations.items(), defaults):
        if isinstance(default, field_type):
            f = default
        else:
            if isinstance(default, MemberDescriptorType):
                default = missing
            f = dc.field(default=default)
        f.name = name
        f.type = kind
        f._field_type = dc._FIELD
        if f.kw_only is missing:
            f.kw_only = kw_only
        fields[name] = f
    for f in fields.values():
        if isinstance(_class_attr(cls, f.name, None), field_type):
            if f.default is missing:
                delattr(cls, f.name)
            else:
                setattr(cls, f.name, f.default)
    names = {n: n for n in annotations}
    for attr, how, arg in steps:
        if how == "params":
            value: Any = dc._DataclassParams(*args[:arg])
        elif how == "fields":
            value = fields
        elif how == "none":
            value = None
        elif how == "names":
            value = tuple(names[n] for n in arg)
        elif how == "fn":
            value = dc._set_qualname(cls, made[arg])
        else:
            value = dc._set_qualname(cls, dc._recursive_repr(made[arg]))
        setattr(cls, attr, value)
    dc.abc.update_abstractmethods(cls)
    return cls
