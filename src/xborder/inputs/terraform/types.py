"""Variable type constraints, applied to values the way Terraform converts a module's inputs.

Primitive conversions, sets, and object attributes declared `optional(T)` / `optional(T, default)` that the
caller left out (Terraform fills them in with null or the default). A value that does not convert (`"abc"` for
`list(number)`, an object without a required attribute, a tuple of another length) raises `Unsuitable`, as
Terraform refuses it ("Invalid value for input variable"). A type constraint not understood is not applied.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

from xborder.inputs.terraform.values import (
    DYNAMIC,
    EvalError,
    Lazy,
    Num,
    TList,
    TMap,
    TSet,
    TypedNull,
    bulk_build,
    is_number,
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


class Unsuitable(Exception):
    """A value that does not convert to a type constraint, with where in the value (`element "a"`, `attribute
    "b"`): Terraform refuses such a variable value, so no reader may see it as if it were valid."""

    def __init__(self, reason: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def under(self, step: str) -> Unsuitable:
        return Unsuitable(self.reason, (step, *self.path))

    def __str__(self) -> str:
        return ": ".join((*self.path, self.reason))


def _step(key: Any) -> str:
    return f'element "{key}"' if isinstance(key, str) else f"element {key}"


def _locate(pairs: Any, one: Callable[[Any], Any]) -> Unsuitable:
    """The first element of a collection whose conversion fails, as the error to raise: found again after the
    collection's conversion failed (rare), so the usual path pays nothing for the error's path."""
    for key, x in pairs:
        try:
            one(x)
        except Unsuitable as e:
            return e.under(_step(key))
    return Unsuitable("the value does not convert")  # not reached: one element failed


_NEEDS = {"string": "a string is required", "number": "a number is required", "bool": "a bool is required",
          "list": "a list is required", "set": "a set is required", "map": "a map is required",
          "tuple": "a tuple is required", "object": "an object is required"}


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
    if "#" not in text and "/" not in text:
        return text  # no comment can start: the loop below would copy every character
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
    """`convert` for any value, one spec node at a time: the reference the specialised converters follow.
    Raises `Unsuitable` where Terraform's conversion fails."""
    kind = spec[0]
    tv = type(v)
    if (tv is str and kind == "string") or (tv is int and kind == "number") or (tv is bool and kind == "bool"):
        return v  # already of its type: what every path below gives, without them (large tfvars maps)
    if v is None and depth == 0 and kind != "any":
        return TypedNull(value_type(spec))
    if v is None or isinstance(v, (Unknown, Ref, Lazy)) or kind == "any" or depth > MAX_DEPTH:
        return v
    if kind in _PY_TYPE:
        try:
            if kind == "string" and isinstance(v, (bool, int, float)):
                return to_str(v)
            if kind == "number" and isinstance(v, str):
                return to_number(v)
            if kind == "bool" and isinstance(v, str):
                return to_bool(v)
        except EvalError:
            raise Unsuitable(_NEEDS[kind]) from None
        if (kind == "number" and is_number(v)) or (kind == "string" and isinstance(v, str)) or (
                kind == "bool" and isinstance(v, bool)):
            return v
        raise Unsuitable(_NEEDS[kind])
    if kind in ("list", "set") and isinstance(v, list):
        et, pt = spec[1], _PY_TYPE.get(spec[1][0])
        try:
            items = [x if type(x) is pt else _generic(x, et, default, depth + 1) for x in v]
        except Unsuitable:
            raise _locate(enumerate(v), lambda x: _generic(x, et, default, depth + 1)) from None
        t = value_type(et)
        if t == DYNAMIC:
            t, items = _dynamic(items, kind)
        elif _has_dynamic(t):
            t, items = _common(items, t)
        return typed(TSet, make_set(items), t) if kind == "set" else typed(TList, items, t)
    if kind == "map" and isinstance(v, dict):
        et, pt = spec[1], _PY_TYPE.get(spec[1][0])
        try:
            vals = {k: x if type(x) is pt else _generic(x, et, default, depth + 1) for k, x in v.items()}
        except Unsuitable:
            raise _locate(v.items(), lambda x: _generic(x, et, default, depth + 1)) from None
        t = value_type(et)
        if t == DYNAMIC or _has_dynamic(t):
            t, conv = _dynamic(list(vals.values()), kind) if t == DYNAMIC else _common(list(vals.values()), t)
            vals = dict(zip(vals, conv))
        return typed(TMap, vals, t)
    if kind == "tuple" and isinstance(v, list):
        types = spec[1]
        if len(v) != len(types):
            raise Unsuitable(f"a tuple of {len(types)} element{'s' if len(types) != 1 else ''} is required")
        try:
            return [_generic(x, types[i], default, depth + 1) for i, x in enumerate(v)]
        except Unsuitable:
            raise _locate(enumerate(zip(v, types)), lambda xt: _generic(xt[0], xt[1], default, depth + 1)) from None
    if kind == "object" and isinstance(v, dict):
        # Terraform keeps only the declared attributes (in declaration-independent, sorted order)
        declared = _declared(spec[1])
        out = {k: x for k, x in v.items() if k in declared}
        for name, t, optional, dtext in spec[1]:
            x = out.get(name)
            if x is not None:
                if type(x) is not _PY_TYPE.get(t[0]):
                    try:
                        out[name] = _generic(x, t, default, depth + 1)
                    except Unsuitable as e:
                        raise e.under(f'attribute "{name}"') from None
            elif optional:
                out[name] = _generic(default(dtext), t, default, depth + 1) if dtext is not None \
                    else TypedNull(value_type(t)) if value_type(t) != DYNAMIC else None
            elif name not in out:
                raise Unsuitable(f'attribute "{name}" is required')
        return out
    raise Unsuitable(_NEEDS[kind])


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
        nested = not dynamic and _has_dynamic(etype)  # `map(list(any))`: one element type across the map
        if kind == "map":
            def mapping(v: Any, default: Callable[[str], Any], depth: int) -> Any:
                if type(v) is not dict or depth > MAX_DEPTH:
                    return _generic(v, spec, default, depth)
                d = depth + 1
                try:
                    vals = {k: x if type(x) is ept else sub(x, default, d) for k, x in v.items()}
                except Unsuitable:
                    raise _locate(v.items(), lambda x: sub(x, default, d)) from None
                if not dynamic and not nested:
                    return typed(TMap, vals, etype)
                t, conv = _dynamic(list(vals.values()), "map") if dynamic else _common(list(vals.values()), etype)
                return typed(TMap, dict(zip(vals, conv)), t)
            return mapping
        is_set = kind == "set"

        def sequence(v: Any, default: Callable[[str], Any], depth: int) -> Any:
            if type(v) is not list or depth > MAX_DEPTH:
                return _generic(v, spec, default, depth)
            d = depth + 1
            try:
                items = [x if type(x) is ept else sub(x, default, d) for x in v]
            except Unsuitable:
                raise _locate(enumerate(v), lambda x: sub(x, default, d)) from None
            t = etype
            if dynamic:
                t, items = _dynamic(items, kind)
            elif nested:
                t, items = _common(items, etype)
            if is_set:
                return typed(TSet, make_set(items), t)
            out = TList(items)
            out.etype = t
            return out
        return sequence
    if kind == "object":
        declared = _declared(spec[1])
        # an optional attribute left out is a null of its type (one shared value per attribute: no cost per entry)
        fields = tuple((name, _PY_TYPE.get(t[0]), _converter(t), optional, dtext,
                        TypedNull(value_type(t)) if value_type(t) != DYNAMIC else None)
                       for name, t, optional, dtext in spec[1])

        def obj(v: Any, default: Callable[[str], Any], depth: int) -> Any:
            if type(v) is not dict or depth > MAX_DEPTH:
                return _generic(v, spec, default, depth)
            # Terraform keeps only the declared attributes; most values have no others (one copy, in C)
            out = v.copy() if declared.issuperset(v) else {k: x for k, x in v.items() if k in declared}
            d = depth + 1
            for name, pt, sub, optional, dtext, null in fields:
                x = out.get(name)
                if x is not None:
                    if type(x) is not pt:
                        try:
                            out[name] = sub(x, default, d)
                        except Unsuitable as e:
                            raise e.under(f'attribute "{name}"') from None
                elif optional:
                    out[name] = sub(default(dtext), default, d) if dtext is not None else null
                elif name not in out:
                    raise Unsuitable(f'attribute "{name}" is required')
            return out
        return obj
    return lambda v, default, depth: _generic(v, spec, default, depth)


# ---- entries of a large map converted one by one
# `var.sites["a"]` needs one entry of a 10 MB map of objects; converting the whole map costs ~40% of such a scan.
# An entry converted alone is what the whole map's conversion holds for it (`_converter` of the element type at
# depth 1, what `mapping` calls) when the element type converts every entry on its own: no `any` (unified across
# the entries) and no optional() default (an expression evaluated per entry). Entries no link reads must still
# convert (Terraform refuses the whole value if one does not): `check_entries` checks them all without building
# them, and the caller makes sure no conversion can take too long or too much memory (syntax.LiteralExpr.settled).


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


def check_entries(raw: dict[str, Any], elem: TypeSpec) -> None:
    """Raises the `Unsuitable` that converting the whole map `raw` to `map(elem)` raises, if any, without
    building the converted map: a column-wise check of the value's Python types (in C, ~20 ms for a 10 MB map)
    that every entry already has its plain converted form; the entries one by one only if not."""
    if _plain(list(raw.values()), elem):
        return
    for key, x in raw.items():
        try:
            convert_entry(x, elem)
        except Unsuitable as e:
            raise e.under(_step(key)) from None


_NONE = type(None)
_PLAIN: dict[str, set[type]] = {"string": {str, _NONE}, "number": {int, float, Num, _NONE}, "bool": {bool, _NONE}}


def _plain(values: list[Any], spec: TypeSpec) -> bool:
    """True only if converting each of `values` (nested, depth >= 1: null is allowed) to `spec` cannot fail: every
    one is null or already of the Python type the conversion keeps, down to the leaves. False says nothing."""
    kind = spec[0]
    kinds = set(map(type, values))
    if kind in _PLAIN:
        return kinds <= _PLAIN[kind]
    present = [v for v in values if v is not None] if _NONE in kinds else values
    kinds.discard(_NONE)
    if kind in ("list", "set"):
        return kinds <= {list} and _plain(list(chain.from_iterable(present)), spec[1])
    if kind == "map":
        return kinds <= {dict} and _plain(list(chain.from_iterable(map(dict.values, present))), spec[1])
    if kind == "object" and kinds <= {dict}:
        for name, t, optional, _dtext in spec[1]:
            if t[0] in _PLAIN:  # one pass in C, no column built
                found = set(map(type, map(dict.get, present, repeat(name))))
                if not found <= _PLAIN[t[0]]:
                    return False
            else:
                column = list(map(dict.get, present, repeat(name)))
                found = {_NONE} if None in column else set()
                if not _plain(column, t):
                    return False
            # dict.get gives None for a missing attribute too: only then are the attributes looked up
            if not optional and _NONE in found and not all(map(dict.__contains__, present, repeat(name))):
                return False
        return True
    return False  # tuple, any: not checked this way


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


def _has_dynamic(t: Any) -> bool:
    """Whether a type holds `any` somewhere (`list(any)`, an object with an `any` attribute)."""
    if t == DYNAMIC:
        return True
    if isinstance(t, str):
        return False
    if t[0] == "object":
        return any(_has_dynamic(x) for _, x in t[1])
    if t[0] == "tuple":
        return any(_has_dynamic(x) for x in t[1])
    return _has_dynamic(t[1])


def _common(items: list[Any], want: Any) -> tuple[object, list[Any]]:
    """The elements of a collection whose element type holds `any` (`map(list(any))`), each converted on its own,
    converted to one common type as Terraform unifies them after converting each (`{a = ["x"], b = [1]}` is a map
    of lists of strings; `{a = [["x"]], b = ["y"]}` has none: `Unsuitable`)."""
    known = [type_of(x) for x in items if x is not None]
    if not known:
        return want, items
    u = unify(known)
    if u is None:
        raise Unsuitable("cannot find a common base type for all elements")
    if u == DYNAMIC:
        return want, items
    try:
        return u, [convert_value(x, u) for x in items]
    except EvalError:
        raise Unsuitable("cannot find a common base type for all elements") from None


def _dynamic(items: list[Any], kind: str) -> tuple[object, list[Any]]:
    """The elements of a collection of `any` converted to their common type, as Terraform unifies them
    (`map(any)` of 1 and "x" is a map of strings), with that type; `Unsuitable` when there is none (`map(any)`
    of true and 1, of a list and an object), as Terraform refuses such a value."""
    types = [type_of(x) for x in items]
    if any(x is None for x in items):  # cty unifies a null with structural values only when they are one type
        shaped = {t for t, x in zip(types, items) if x is not None}
        if len(shaped) > 1 and all(isinstance(t, tuple) for t in shaped) and len({t[0] for t in shaped}) == 1:
            raise Unsuitable(f"all {kind} elements must have the same type")
    u = unify(types)
    if u == DYNAMIC:
        return DYNAMIC, items
    try:
        if u is None:
            raise EvalError("no common type")
        return u, [convert_value(x, u) for x in items]
    except EvalError:
        raise Unsuitable(f"all {kind} elements must have the same type") from None
