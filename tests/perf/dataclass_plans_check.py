"""Run as a script (tests/perf/test_dataclass_plans.py does, in a fresh interpreter): every xborder data class,
built again from the namespace its module gave it, by the standard library, by a recorded plan's first run and
by the plan alone (a later run), compared attribute by attribute. Prints one JSON summary line."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import json
import pkgutil
import sys
from types import FunctionType
from typing import Any

captured: list[tuple[type, dict[str, Any], tuple[Any, ...]]] = []


def _capture(cls: type, *args: Any) -> type:
    captured.append((cls, dict(cls.__dict__), args))
    return ORIGINAL(cls, *args)


ORIGINAL = dataclasses._process_class


def import_all() -> None:
    dataclasses._process_class = _capture
    try:
        import xborder

        for info in pkgutil.walk_packages(xborder.__path__, "xborder."):
            if info.name.startswith("xborder.checkov") or info.name.endswith("__main__"):
                continue  # imports checkov itself
            try:
                importlib.import_module(info.name)
            except ImportError:
                pass  # an optional dependency not installed here
    finally:
        dataclasses._process_class = ORIGINAL


def fresh(cls: type, namespace: dict[str, Any]) -> type:
    """The class as its `class` statement made it, before the decorator (each Field copied: processing sets it)."""
    ns = {k: copy.copy(v) if isinstance(v, dataclasses.Field) else v for k, v in namespace.items()
          if k not in ("__dict__", "__weakref__")}
    return type(cls)(cls.__name__, cls.__bases__, ns)


def same(a: Any, b: Any, ca: type, cb: type, path: str, seen: set[int], spaces: tuple[Any, Any] | None = None) -> None:
    """`a` (of class `ca`) and `b` (of `cb`) are the same: equal, or the same object, or made alike (functions with
    equal code, names, defaults, closures and the same globals: `spaces`, else each other's)."""
    if a is ca or b is cb:
        assert a is ca and b is cb, path
        return
    if id(a) in seen:
        return
    seen.add(id(a))
    assert type(a) is type(b), (path, type(a), type(b))
    if isinstance(a, FunctionType):
        assert a.__code__ == b.__code__, path
        for attr in ("__name__", "__qualname__", "__module__", "__doc__", "__annotations__"):
            assert getattr(a, attr) == getattr(b, attr), (path, attr)
        ga, gb = a.__globals__, b.__globals__
        assert ga is gb or (spaces is not None and ga is spaces[0] and gb is spaces[1]), path
        same(a.__defaults__, b.__defaults__, ca, cb, path + ".__defaults__", seen, spaces)
        same(a.__kwdefaults__, b.__kwdefaults__, ca, cb, path + ".__kwdefaults__", seen, spaces)
        ka, kb = a.__closure__ or (), b.__closure__ or ()
        assert len(ka) == len(kb), path
        for i, (x, y) in enumerate(zip(ka, kb)):
            same(x.cell_contents, y.cell_contents, ca, cb, f"{path}.<cell {i}>", seen, spaces)
        same(a.__dict__, b.__dict__, ca, cb, path + ".__dict__", seen, spaces)
    elif isinstance(a, (dataclasses.Field, dataclasses._DataclassParams)):
        for slot in type(a).__slots__:
            same(getattr(a, slot), getattr(b, slot), ca, cb, f"{path}.{slot}", seen, spaces)
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, ca, cb, f"{path}[{i}]", seen, spaces)
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            same(a[k], b[k], ca, cb, f"{path}[{k!r}]", seen, spaces)
    elif isinstance(a, set):
        assert a == b and (not a or a is not b), path  # the repr guard's own set
    else:
        assert a is b or a == b, (path, a, b)


def same_class(a: type, b: type, spaces: tuple[Any, Any] | None = None) -> None:
    """Classes `a` and `b` hold the same attributes in the same order (`same`)."""
    assert list(a.__dict__) == list(b.__dict__), (a, list(a.__dict__), list(b.__dict__))
    for k, v in a.__dict__.items():
        w = b.__dict__[k]
        if k in ("__dict__", "__weakref__"):
            assert type(v) is type(w)
            continue
        same(v, w, a, b, f"{a.__qualname__}.{k}", set(), spaces)


def main() -> None:
    from xborder import classcode

    import_all()
    assert len(captured) >= 60, len(captured)
    std = [ORIGINAL(fresh(cls, ns), *args) for cls, ns, args in captured]
    with classcode.cached():
        first = [dataclasses._process_class(fresh(cls, ns), *args) for cls, ns, args in captured]
    planned = set(classcode._plans_used)
    classcode._dirty = True
    classcode.flush()  # a later run: the plans as read from the file
    classcode._memo, classcode._used, classcode._plans_memo, classcode._plans_used = None, {}, None, {}
    replayed = 0
    with classcode.cached():
        real = dataclasses._process_class
        later = []
        for cls, ns, args in captured:
            c = fresh(cls, ns)
            found = classcode._inputs(dataclasses, c, args)
            replayed += found is not None and found[0] in classcode._plans()
            later.append(real(c, *args))
    for a, b, c in zip(std, first, later):
        same_class(a, b)
        same_class(a, c)
    print(json.dumps({"classes": len(captured), "plans": len(planned), "replayed": replayed,
                      "names": sorted(f"{c.__module__}.{c.__qualname__}" for c, _, _ in captured)}))


if __name__ == "__main__":
    sys.exit(main())
