"""Terraform value semantics on Python values: conversions, equality and unknown propagation.

Python's own rules differ (`True == 1`, `str(True) == "True"`), so every operator and function
goes through these helpers to behave like Terraform.
"""

from __future__ import annotations

from typing import Any

from xborder.model import Ref, Unknown


class EvalError(Exception):
    """An expression that Terraform itself would reject (missing key, wrong type...)."""


class Lazy:
    """Base of internal reference values (resources, modules, namespaces) resolved on traversal."""

    def get_attr(self, name: str) -> Any:
        raise EvalError(f"unsupported attribute {name!r}")

    def index(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.get_attr(key)
        raise EvalError("this value cannot be indexed")

    def splat(self) -> Any:
        return [self]

    def final(self) -> Any:
        """The value as data for reports (Ref / Unknown / dict)."""
        return Unknown("refers to a whole object that is not evaluated statically")


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def norm_number(v: float) -> int | float:
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**63:
        return int(v)
    return v


def unknown_of(v: Any) -> Unknown | None:
    """The Unknown standing for `v` when `v` is not a concrete value (Unknown or Ref or Lazy)."""
    if isinstance(v, Unknown):
        return v
    if isinstance(v, Ref):
        attr = f".{v.attribute}" if v.attribute else ""
        return Unknown(f"{v.address}{attr} is known only after apply")
    if isinstance(v, Lazy):
        f = v.final()
        return unknown_of(f) if isinstance(f, (Unknown, Ref)) else None
    return None


def deep_unknown(v: Any, depth: int = 0) -> Unknown | None:
    """The first unknown anywhere inside `v`."""
    u = unknown_of(v)
    if u is not None or depth > 50:
        return u
    if isinstance(v, list):
        for x in v:
            u = deep_unknown(x, depth + 1)
            if u is not None:
                return u
    elif isinstance(v, dict):
        for x in v.values():
            u = deep_unknown(x, depth + 1)
            if u is not None:
                return u
    return None


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if is_number(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "tuple"
    if isinstance(v, dict):
        return "object"
    return "object"


def to_str(v: Any) -> str:
    """Terraform's string conversion of a primitive; raises EvalError for others."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        v = norm_number(v)
        return repr(v) if isinstance(v, float) else str(v)
    if v is None:
        raise EvalError("cannot use a null value in a string")
    raise EvalError(f"cannot convert {type_name(v)} to string")


def to_number(v: Any) -> int | float:
    if is_number(v):
        return v
    if isinstance(v, str):
        s = v.strip()
        try:
            return int(s)
        except ValueError:
            try:
                return norm_number(float(s))
            except ValueError:
                pass
    raise EvalError(f"cannot convert {type_name(v)} {v!r} to number")


def to_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if v == "true":
        return True
    if v == "false":
        return False
    raise EvalError(f"cannot convert {type_name(v)} to bool")


def to_list(v: Any) -> list[Any]:
    if isinstance(v, list):
        return v
    if isinstance(v, dict):
        raise EvalError("a map cannot be used as a list")
    if v is None:
        raise EvalError("a null value cannot be used as a list")
    raise EvalError(f"{type_name(v)} cannot be used as a list")


def equal(a: Any, b: Any) -> bool:
    """Terraform equality: no cross-type equality (1 != "1", true != 1)."""
    if is_number(a) and is_number(b):
        return bool(a == b)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return a is b


def make_set(items: list[Any]) -> list[Any]:
    """A set as Terraform orders it: unique, strings sorted lexically."""
    out: list[Any] = []
    for x in items:
        if not any(equal(x, y) for y in out):
            out.append(x)
    if all(isinstance(x, str) for x in out) or all(is_number(x) for x in out):
        out.sort()
    return out


def convert_to_type(v: Any, type_text: str) -> Any:
    """Apply a variable's declared primitive type to a value given on the command line."""
    t = type_text.strip()
    if isinstance(v, (Unknown, Ref)):
        return v
    try:
        if t == "string" and isinstance(v, (bool, int, float)):
            return to_str(v)
        if t == "number" and isinstance(v, str):
            return to_number(v)
        if t == "bool" and isinstance(v, str):
            return to_bool(v)
        if t.startswith("set(") and isinstance(v, list):
            return make_set(v)
    except EvalError:
        return v
    return v
