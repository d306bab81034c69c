"""Variable type constraints, applied to values the way Terraform converts a module's inputs.

Only what changes the value matters here: primitive conversions, sets, and object attributes
declared `optional(T)` / `optional(T, default)` that the caller left out (Terraform fills them in
with null or the default). Anything not understood is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from xborder.inputs.terraform.values import (
    DYNAMIC,
    EvalError,
    Lazy,
    TList,
    TMap,
    TSet,
    TypedNull,
    bulk_build,
    convert as convert_value,
    make_set,
    to_bool,
    to_number,
    to_str,
    type_of,
    typed,
    unify,
)
from xborder.model import Ref, Unknown

# ("any",) | ("string",) | ("number",) | ("bool",) | ("list"|"set"|"map", T) | ("tuple", (T, ...))
# | ("object", ((name, T, optional, default_text | None), ...))
TypeSpec = tuple[Any, ...]
ANY: TypeSpec = ("any",)
_PRIMITIVE = {"string", "number", "bool", "any"}
_COLLECTION = {"list", "set", "map"}
MAX_DEPTH = 32


class _Parser:
    def __init__(self, text: str) -> None:
        self.s = _strip_comments(text)
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.s) and (self.s[self.i].isspace() or self.s[self.i] == ","):
            self.i += 1

    def peek(self) -> str:
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            raise ValueError(f"expected {ch!r} at {self.i}")
        self.i += 1

    def name(self) -> str:
        self.ws()
        j = self.i
        if j < len(self.s) and self.s[j] == '"':
            k = self.s.find('"', j + 1)
            if k < 0:
                raise ValueError("unterminated name")
            self.i = k + 1
            return self.s[j + 1 : k]
        while self.i < len(self.s) and (self.s[self.i].isalnum() or self.s[self.i] in "_-"):
            self.i += 1
        if self.i == j:
            raise ValueError(f"expected a name at {j}")
        return self.s[j : self.i]

    def type(self, depth: int = 0) -> TypeSpec:
        if depth > MAX_DEPTH:
            raise ValueError("type nested too deeply")
        word = self.name()
        if self.peek() != "(":
            if word in _PRIMITIVE:
                return (word,)
            if word in _COLLECTION:  # legacy `type = "list"`
                return (word, ANY)
            raise ValueError(f"unknown type {word}")
        self.i += 1
        spec: TypeSpec
        if word in _COLLECTION:
            spec = (word, self.type(depth + 1))
        elif word == "tuple":
            self.expect("[")
            items = []
            while self.peek() != "]":
                items.append(self.type(depth + 1))
            self.i += 1
            spec = ("tuple", tuple(items))
        elif word == "object":
            self.expect("{")
            attrs = []
            while self.peek() != "}":
                key = self.name()
                if self.peek() not in ("=", ":"):
                    raise ValueError("expected '=' in an object type")
                self.i += 1
                save = self.i
                if self.name() == "optional" and self.peek() == "(":
                    self.i += 1
                    t = self.type(depth + 1)
                    default = None
                    self.ws()
                    if self.peek() != ")":
                        default = self.until_close()
                    self.expect(")")
                    attrs.append((key, t, True, default))
                else:
                    self.i = save
                    attrs.append((key, self.type(depth + 1), False, None))
            self.i += 1
            spec = ("object", tuple(attrs))
        else:
            raise ValueError(f"unknown type {word}")
        self.expect(")")
        return spec

    def until_close(self) -> str:
        """The text of an expression up to the `)` that closes the enclosing call."""
        start, depth, quote = self.i, 0, False
        while self.i < len(self.s):
            c = self.s[self.i]
            if quote:
                if c == "\\":
                    self.i += 1
                elif c == '"':
                    quote = False
            elif c == '"':
                quote = True
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    return self.s[start : self.i].strip()
                depth -= 1
            self.i += 1
        raise ValueError("unterminated optional()")


def _strip_comments(text: str) -> str:
    out, i, quote = [], 0, False
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
            out.append(c)
        elif c == "#" or text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = len(text) if j < 0 else j + 2
            out.append(" ")
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def parse_type(text: str) -> TypeSpec | None:
    """The type constraint written as `text` (HCL, or a JSON-syntax string); None if not understood."""
    t = text.strip()
    if len(t) >= 2 and t[0] == '"' and t[-1] == '"':
        t = t[1:-1]
    if not t:
        return None
    p = _Parser(t)
    try:
        spec = p.type()
    except ValueError:
        return None
    return spec if p.peek() == "" else None


def convert(v: Any, spec: TypeSpec, default: Callable[[str], Any], depth: int = 0) -> Any:
    """`v` converted to `spec`; `default` evaluates the text of an optional attribute's default."""
    tv = type(v)
    if (tv is dict or tv is list) and depth <= MAX_DEPTH:
        if len(v) < 1000:
            return _converter(spec)(v, default, depth)  # a converter made for the spec: large literal maps
        with bulk_build() as built:
            built.append(len(v) * 4)  # about: the large maps are of small objects
            return _converter(spec)(v, default, depth)
    return _generic(v, spec, default, depth)


def _generic(v: Any, spec: TypeSpec, default: Callable[[str], Any], depth: int = 0) -> Any:
    """`convert` for any value, one spec node at a time: the reference the specialised converters follow."""
    kind = spec[0]
    tv = type(v)
    if (tv is str and kind == "string") or (tv is int and kind == "number") or (tv is bool and kind == "bool"):
        return v  # already of its type: what every path below gives, without them (large tfvars maps)
    if v is None and depth == 0 and kind != "any":
        return TypedNull(value_type(spec))
    if v is None or isinstance(v, (Unknown, Ref, Lazy)) or kind == "any" or depth > MAX_DEPTH:
        return v
    try:
        if kind == "string" and isinstance(v, (bool, int, float)):
            return to_str(v)
        if kind == "number" and isinstance(v, str):
            return to_number(v)
        if kind == "bool" and isinstance(v, str):
            return to_bool(v)
    except EvalError:
        return v
    # below, an element already of its primitive type is taken as it is (what convert would return)
    if kind in ("list", "set") and isinstance(v, list):
        et, pt = spec[1], _PY_TYPE.get(spec[1][0])
        items = [x if type(x) is pt else _generic(x, et, default, depth + 1) for x in v]
        t = value_type(et)
        if t == DYNAMIC:
            t, items = _dynamic(items)
        return typed(TSet, make_set(items), t) if kind == "set" else typed(TList, items, t)
    if kind == "map" and isinstance(v, dict):
        et, pt = spec[1], _PY_TYPE.get(spec[1][0])
        vals = {k: x if type(x) is pt else _generic(x, et, default, depth + 1) for k, x in v.items()}
        t = value_type(et)
        if t == DYNAMIC:
            t, conv = _dynamic(list(vals.values()))
            vals = dict(zip(vals, conv))
        return typed(TMap, vals, t)
    if kind == "tuple" and isinstance(v, list):
        types = spec[1]
        return [_generic(x, types[i], default, depth + 1) if i < len(types) else x for i, x in enumerate(v)]
    if kind == "object" and isinstance(v, dict):
        # Terraform keeps only the declared attributes (in declaration-independent, sorted order)
        declared = _declared(spec[1])
        out = {k: x for k, x in v.items() if k in declared}
        for name, t, optional, dtext in spec[1]:
            x = out.get(name)
            if x is not None:
                if type(x) is not _PY_TYPE.get(t[0]):
                    out[name] = _generic(x, t, default, depth + 1)
            elif optional:
                out[name] = _generic(default(dtext), t, default, depth + 1) if dtext is not None else None
        return out
    return v


_PY_TYPE: dict[str, type] = {"string": str, "number": int, "bool": bool}
_DECLARED: dict[int, tuple[Any, frozenset[str]]] = {}


def _declared(attrs: Any) -> frozenset[str]:
    """The attribute names of an object type (memoised on the spec object, which parse_type keeps)."""
    hit = _DECLARED.get(id(attrs))
    if hit is None or hit[0] is not attrs:
        hit = (attrs, frozenset(name for name, _t, _o, _d in attrs))
        if len(_DECLARED) < 4096:
            _DECLARED[id(attrs)] = hit
    return hit[1]


Converter = Callable[[Any, Callable[[str], Any], int], Any]
_CONVERTERS: dict[int, tuple[TypeSpec, Converter]] = {}


def _converter(spec: TypeSpec) -> Converter:
    """A function giving `_generic(v, spec, default, depth)` for every value, with what depends only on the
    spec (element converters, attribute names, the element type) worked out once: a 10 MB tfvars map of
    objects is converted in one pass without re-reading the spec per entry. Memoised on the spec object."""
    hit = _CONVERTERS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    f = _make_converter(spec)
    if len(_CONVERTERS) < 4096:
        _CONVERTERS[id(spec)] = (spec, f)  # keeps the spec alive, so its id is not reused
    return f


def _make_converter(spec: TypeSpec) -> Converter:  # noqa: C901 - one small closure per kind
    kind = spec[0]
    if kind == "any":
        return lambda v, default, depth: v
    if kind in _PY_TYPE:
        pt = _PY_TYPE[kind]

        def primitive(v: Any, default: Callable[[str], Any], depth: int) -> Any:
            return v if type(v) is pt else _generic(v, spec, default, depth)
        return primitive
    if kind in ("list", "set", "map"):
        et = spec[1]
        ept, sub = _PY_TYPE.get(et[0]), _converter(et)
        etype = value_type(et)
        dynamic = etype == DYNAMIC
        if kind == "map":
            def mapping(v: Any, default: Callable[[str], Any], depth: int) -> Any:
                if type(v) is not dict or depth > MAX_DEPTH:
                    return _generic(v, spec, default, depth)
                d = depth + 1
                vals = {k: x if type(x) is ept else sub(x, default, d) for k, x in v.items()}
                if not dynamic:
                    return typed(TMap, vals, etype)
                t, conv = _dynamic(list(vals.values()))
                return typed(TMap, dict(zip(vals, conv)), t)
            return mapping
        is_set = kind == "set"

        def sequence(v: Any, default: Callable[[str], Any], depth: int) -> Any:
            if type(v) is not list or depth > MAX_DEPTH:
                return _generic(v, spec, default, depth)
            d = depth + 1
            items = [x if type(x) is ept else sub(x, default, d) for x in v]
            t = etype
            if dynamic:
                t, items = _dynamic(items)
            if is_set:
                return typed(TSet, make_set(items), t)
            out = TList(items)
            out.etype = t
            return out
        return sequence
    if kind == "object":
        declared = _declared(spec[1])
        fields = tuple((name, _PY_TYPE.get(t[0]), _converter(t), optional, dtext) for name, t, optional, dtext in spec[1])

        def obj(v: Any, default: Callable[[str], Any], depth: int) -> Any:
            if type(v) is not dict or depth > MAX_DEPTH:
                return _generic(v, spec, default, depth)
            # Terraform keeps only the declared attributes; most values have no others (one copy, in C)
            out = v.copy() if declared.issuperset(v) else {k: x for k, x in v.items() if k in declared}
            d = depth + 1
            for name, pt, sub, optional, dtext in fields:
                x = out.get(name)
                if x is not None:
                    if type(x) is not pt:
                        out[name] = sub(x, default, d)
                elif optional:
                    out[name] = sub(default(dtext), default, d) if dtext is not None else None
            return out
        return obj
    return lambda v, default, depth: _generic(v, spec, default, depth)


# ---- entries of a large map converted one by one
# `var.sites["a"]` needs one entry of a 10 MB map of objects; converting the whole map costs ~40% of such a scan.
# An entry converted alone is what the whole map's conversion holds for it (`_converter` of the element type at
# depth 1, what `mapping` calls) when the element type converts every entry on its own: no `any` (unified across
# the entries) and no optional() default (an expression evaluated per entry). Conversion never fails on a value
# (a leaf it cannot convert is kept as it is); the caller also makes sure it cannot raise on any entry, or an
# entry no link reads would hide what the whole conversion shows (syntax.LiteralExpr.settled).


def entry_spec(spec: TypeSpec | None) -> TypeSpec | None:
    """The element type of `map(T)` when entries of such a map may be converted one by one; else None."""
    if spec is None or spec[0] != "map" or not _per_entry(spec[1]):
        return None
    return spec[1]


def _per_entry(spec: TypeSpec) -> bool:
    """No `any` and no optional() default inside."""
    kind = spec[0]
    if kind in _PY_TYPE:
        return True
    if kind in _COLLECTION:
        return _per_entry(spec[1])
    if kind == "tuple":
        return all(_per_entry(t) for t in spec[1])
    if kind == "object":
        return all(dtext is None and _per_entry(t) for _name, t, _opt, dtext in spec[1])
    return False  # any


def convert_entry(v: Any, elem: TypeSpec) -> Any:
    """One entry of a map converted to `map(elem)` (`elem` from `entry_spec`): what the whole map's conversion
    `convert(m, ("map", elem), default)` holds for it."""
    if type(v) is _PY_TYPE.get(elem[0]):
        return v
    return _converter(elem)(v, _no_default, 1)


def _no_default(text: str) -> Any:
    raise AssertionError(f"no optional() default is evaluated per entry ({text!r})")  # entry_spec excludes them


def value_type(spec: TypeSpec) -> object:
    """A type constraint as the evaluator's type (what `==` and conversions compare)."""
    kind = spec[0]
    if kind == "any":
        return DYNAMIC
    if kind in ("string", "number", "bool"):
        return kind
    if kind in _COLLECTION:
        return (kind, value_type(spec[1]))
    if kind == "tuple":
        return ("tuple", tuple(value_type(t) for t in spec[1]))
    return ("object", tuple(sorted((name, value_type(t)) for name, t, _opt, _d in spec[1])))


def _dynamic(items: list[Any]) -> tuple[object, list[Any]]:
    """The elements of a collection of `any` converted to their common type, as Terraform unifies them
    (`map(any)` of 1 and "x" is a map of strings), with that type; as they are when there is none."""
    u = unify([type_of(x) for x in items])
    if u is None or u == DYNAMIC:
        return DYNAMIC, items
    try:
        return u, [convert_value(x, u) for x in items]
    except EvalError:
        return DYNAMIC, items
