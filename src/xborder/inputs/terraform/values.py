"""Terraform value semantics on Python values: conversions, equality and unknown propagation.

Python's own rules differ (`True == 1`, `str(True) == "True"`), so every operator and function
goes through these helpers to behave like Terraform.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from xborder import lazy
from xborder.model import Ref, Unknown

if TYPE_CHECKING:
    from decimal import Decimal
    from fractions import Fraction

# Exact arithmetic modules, imported on first use: a module of whole numbers and strings never needs them
# (`parse_number` reads an integer literal without a Fraction), and importing both cost ~8 M instructions.
_fractions = lazy.module("fractions")
_decimals = lazy.module("decimal")


class EvalError(Exception):
    """An expression that Terraform itself would reject (missing key, wrong type...)."""

    # The type HCL gives the failing result of the expression at `hcl_span` of source `hcl_src` (a conditional,
    # an index with a failing key, a for expression), which a conditional around it still unifies: set by the
    # evaluator where HCL's type is not read from the syntax alone.
    hcl_type: Any = None
    hcl_span: tuple[int, int] | None = None
    hcl_src: bytes | None = None


class OverBudget(Exception):
    """An expression that needs more work or memory than one expression may use; its value is Unknown.

    Not an EvalError: try() and can() must not turn it into a fallback value.
    """


MAX_STRING = 2 * 1024 * 1024  # characters in one string built by an expression
MAX_COLLECTION = 100_000  # elements in one list or map built by an expression


def check_size(n: int, what: str = "elements") -> None:
    if n > (MAX_STRING if what == "characters" else MAX_COLLECTION):
        raise OverBudget(f"a value with {n} {what}")


BULK = 100_000  # values: a literal at least this large is built with the cyclic GC paused, then frozen


@contextmanager
def bulk_build() -> Iterator[list[int]]:
    """Pause the cyclic garbage collector while a large literal value is built (it holds no cycles).

    Each young-generation collection would walk every container built so far, several times over for a
    10 MB variables map. The caller appends the number of values built to the yielded list: when it is
    large, what exists then is frozen (`gc.freeze`), so later collections do not walk it again either.
    """
    enabled = gc.isenabled()
    built: list[int] = []
    gc.disable()
    try:
        yield built
    finally:
        if enabled:
            if sum(built) >= BULK:
                gc.freeze()  # before enabling: the first allocation after would collect all that was built
            gc.enable()


class Lazy:
    """Base of internal reference values (resources, modules, namespaces) resolved on traversal."""

    def get_attr(self, name: str) -> Any:
        raise EvalError(f"unsupported attribute {name!r}")

    def index(self, key: Any) -> Any:
        if isinstance(key, str):
            return self.get_attr(key)
        raise EvalError("this value cannot be indexed")

    def member(self, name: str) -> Any:
        """`get_attr(name)` when an index follows at once (`var.sites["a"]`): the result may be a Lazy value
        that only answers that index (modules.MapEntries), so a large map is not converted whole for it."""
        return self.get_attr(name)

    def splat(self) -> Any:
        return [self]

    def final(self) -> Any:
        """The value as data for reports (Ref / Unknown / dict)."""
        return Unknown("refers to a whole object that is not evaluated statically")


# ------------------------------------------------------------------------------------ numbers
# Terraform numbers are Go big.Float values with a 512-bit mantissa, printed as the shortest
# decimal that reads back to the same value. Integers stay Python ints; other numbers are `Num`,
# a float (so every consumer of plain data keeps working) that carries the exact binary value.

PREC = 512
_NUMBER_TEXT = lazy.regex(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class Num(float):
    """A non-integer Terraform number: the float for display, `exact` for arithmetic and text. `prec` is the
    mantissa's bits as cty keeps them: 512 for literals and arithmetic, 53 for a float64 result (`pow`, `log`),
    which Terraform prints with float64's shortest digits (`pow(2, 70)` is 1180591620717411300000); such a
    number may be whole (only from 2^53 on, where the digits differ)."""

    __slots__ = ("exact", "prec")
    exact: Fraction
    prec: int

    def __new__(cls, exact: Fraction, negative_zero: bool = False, prec: int = PREC) -> Num:
        try:
            f = float(exact) if exact else (-0.0 if negative_zero else 0.0)
        except OverflowError:
            f = math.inf if exact > 0 else -math.inf
        obj = super().__new__(cls, f)
        obj.exact = exact
        obj.prec = prec
        return obj

    def __reduce__(self) -> Any:
        return (Num, (self.exact, self.exact == 0 and math.copysign(1.0, self) < 0, self.prec))


FLOAT_PREC = 53


def float_number(f: float) -> int | Num:
    """A Terraform number made from a float64 (cty `NumberFloatVal`): 53-bit precision, kept for its text;
    an int when whole and below 2^53 (exact, and printed the same at any precision)."""
    if math.isnan(f) or math.isinf(f):
        raise EvalError("the result is not a finite number")
    if f == int(f) and abs(f) < 2**53 and not is_negative_zero(f):
        return int(f)
    return Num(_fractions.Fraction(f), negative_zero=is_negative_zero(f), prec=FLOAT_PREC)


def is_float64(v: Any) -> bool:
    return isinstance(v, Num) and v.prec == FLOAT_PREC


def is_whole_float64(v: Any) -> bool:
    """A float64 result that is a whole number (`pow(2, 60)`: a `Num`, as it prints with float64 digits)."""
    return is_float64(v) and v.exact.denominator == 1


def prec_of(v: Any) -> int:
    return v.prec if isinstance(v, Num) else PREC


def round_bits(q: Fraction, prec: int = PREC) -> Fraction:
    """`q` rounded to a `prec`-bit mantissa (512: Terraform's), to nearest even (big.Float's default)."""
    n, d = q.numerator, q.denominator
    if d == 1 and abs(n).bit_length() <= prec:
        return q
    if n == 0:
        return q
    sign = -1 if n < 0 else 1
    n = abs(n)
    shift = prec - (n.bit_length() - d.bit_length())
    for _ in range(2):
        num, den = (n << shift, d) if shift >= 0 else (n, d << -shift)
        m, r = divmod(num, den)
        if m.bit_length() <= prec:
            break
        shift -= 1
    if 2 * r > den or (2 * r == den and m & 1):
        m += 1
    return sign * (_fractions.Fraction(m, 1 << shift) if shift >= 0 else _fractions.Fraction(m << -shift))


def make_number(q: Fraction, negative_zero: bool = False) -> int | Num:
    """A Terraform number from an exact value (rounded to 512 bits like Terraform)."""
    q = round_bits(q)
    if q.denominator == 1 and not (negative_zero and q == 0) and abs(q.numerator).bit_length() <= PREC:
        return int(q)
    return Num(q, negative_zero)


def exact(v: Any) -> Fraction:
    """The exact value of a number (a plain float by its shortest repr, as JSON would write it)."""
    if isinstance(v, Num):
        return v.exact
    if isinstance(v, int):
        return _fractions.Fraction(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise EvalError("a number must be finite")
        return _fractions.Fraction(repr(v))
    raise EvalError(f"{type_name(v)} is not a number")


def is_negative_zero(v: Any) -> bool:
    return isinstance(v, float) and v == 0 and math.copysign(1.0, v) < 0


def format_number(v: Any) -> str:
    """Terraform's text of a number: the shortest decimal that reads back to the same value."""
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    if is_float64(v):  # float64's shortest digits, written out without an exponent (as big.Float `Text('f', -1)`)
        text = format(_decimals.Decimal(repr(float(v))), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    q = exact(v)
    prec = prec_of(v)
    if prec < PREC and q:  # the shortest digits that read back at this precision (a product of two float64s)
        lo, hi, best = 1, 200, None
        while lo <= hi:
            mid = (lo + hi) // 2
            d = _decimal_digits(q, mid)
            if round_bits(_fractions.Fraction(d), prec) == q:
                best, hi = d, mid - 1
            else:
                lo = mid + 1
        text = format(best if best is not None else _decimal_digits(q, 200), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if q.denominator == 1 and abs(q.numerator).bit_length() <= PREC:
        return ("-" if is_negative_zero(v) else "") + str(q.numerator)
    lo, hi = 1, 200
    best = None
    while lo <= hi:  # round-tripping is monotonic in the number of digits
        mid = (lo + hi) // 2
        d = _decimal_digits(q, mid)
        if round_bits(_fractions.Fraction(d)) == q:
            best, hi = d, mid - 1
        else:
            lo = mid + 1
    d = best if best is not None else _decimal_digits(q, 200)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _decimal_digits(q: Fraction, digits: int) -> Decimal:
    with _decimals.localcontext() as ctx:
        ctx.prec = digits
        ctx.rounding = _decimals.ROUND_HALF_EVEN
        return _decimals.Decimal(q.numerator) / _decimals.Decimal(q.denominator)


def parse_number(s: str) -> int | Num | None:
    """A decimal number string as Terraform reads it (no spaces, hex, `_`, nan or inf); None if not one."""
    if not _NUMBER_TEXT.fullmatch(s):
        return None
    t = s.lstrip("+")
    if t.endswith("."):
        t = t[:-1]
    if t.isascii() and t.lstrip("-").isdigit():  # an integer: what make_number(Fraction(t)) gives, without one
        n = int(t)
        if (n or not t.startswith("-")) and n.bit_length() <= PREC:
            return n
    try:
        q = _fractions.Fraction(t if not t.startswith((".", "-.")) else t.replace(".", "0.", 1))
    except (ValueError, ZeroDivisionError):
        return None
    return make_number(q, negative_zero=q == 0 and t.startswith("-"))


class TypedNull(Lazy):
    """A null of a known type (a typed variable that is null): null to every consumer, but typed
    for the conversions Terraform makes (`coalesce(var.ports, [80])` is `["80"]` for list(string))."""

    def __init__(self, t: Any) -> None:
        self.type = t

    def final(self) -> Any:
        return None

    def get_attr(self, name: str) -> Any:
        raise EvalError(f'cannot read attribute "{name}" of a null value')

    def index(self, key: Any) -> Any:
        raise EvalError("cannot index a null value")

    def splat(self) -> Any:
        return []


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def norm_number(v: Any) -> Any:
    """A number in canonical form: an int when whole, else a `Num`."""
    if isinstance(v, Num) or not isinstance(v, float):
        return v
    if math.isnan(v) or math.isinf(v):
        return v
    return make_number(_fractions.Fraction(repr(v)), negative_zero=is_negative_zero(v))


def arith(op: str, a: Any, b: Any) -> Any:
    """`a op b` for Terraform numbers, exactly as big.Float computes it (at the larger precision of the two:
    two float64 results give a float64, rounded to 53 bits)."""
    pa, pb = prec_of(a), prec_of(b)
    if pa < PREC and pb < PREC and op != "%":
        p = pa + pb if op == "*" else max(pa, pb)  # cty: a product keeps every bit of two float64s; else the larger
        r = _arith(op, a, b)
        if p >= PREC or not is_number(r):
            return r
        if r == 0:
            return float_number(float(r)) if p == FLOAT_PREC else r
        q = round_bits(exact(r), p)
        return float_number(float(q)) if p == FLOAT_PREC else Num(q, prec=p)
    return _arith(op, a, b)


def _arith(op: str, a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int) and op in "+-*" and not isinstance(a, bool):
        r = a + b if op == "+" else a - b if op == "-" else a * b
        # big.Float keeps the sign of a zero product: `0 * -1` is -0, as Terraform prints it
        return make_number(_fractions.Fraction(r), negative_zero=op == "*" and r == 0 and (a < 0) != (b < 0))
    x, y = exact(a), exact(b)
    # zeros keep big.Float's (IEEE's) signs: -0 + -0 and -0 - 0 are -0, -0 / 3 is -0
    if op == "+":
        return make_number(x + y, negative_zero=is_negative_zero(a) and is_negative_zero(b))
    if op == "-":
        return make_number(x - y, negative_zero=is_negative_zero(a) and y == 0 and not is_negative_zero(b))
    if op == "*":
        r = x * y
        return make_number(r, negative_zero=r == 0 and ((x < 0) != (y < 0) or is_negative_zero(a) != is_negative_zero(b)))
    if op == "/":
        if y == 0:
            raise EvalError("division by zero (the result is infinite)")
        return make_number(round_bits(x / y), negative_zero=x == 0 and is_negative_zero(a) != (y < 0))
    if op == "%":
        if y == 0:
            return a  # Terraform returns the dividend
        q = round_bits(x / y)
        t = _fractions.Fraction(int(q))  # truncated toward zero: the result takes the sign of the dividend
        # big.Float: -0 minus the +0 product (a positive divisor) stays -0: `-0.0 % 3` is -0
        return make_number(x - round_bits(t * y), negative_zero=is_negative_zero(a) and y > 0)
    raise EvalError(f"unknown operator {op}")


def negate(v: Any) -> Any:
    if isinstance(v, int) and v != 0:
        return -v
    if isinstance(v, Num) and v.prec < PREC:  # big.Float's Neg keeps the precision
        return Num(-v.exact, negative_zero=v.exact == 0 and not is_negative_zero(v), prec=v.prec)
    return make_number(-exact(v), negative_zero=exact(v) == 0 and not is_negative_zero(v))


def compare_numbers(a: Any, b: Any) -> int:
    if type(a) is int and type(b) is int:
        return (a > b) - (a < b)
    x, y = exact(a), exact(b)
    return (x > y) - (x < y)


_CONCRETE = frozenset({str, int, bool, float, list, dict, type(None)})


def unknown_of(v: Any) -> Unknown | None:
    """The Unknown standing for `v` when `v` is not a concrete value (Unknown or Ref or Lazy)."""
    if type(v) in _CONCRETE:  # the usual case, one lookup (exact types: no subclass is Unknown, Ref or Lazy)
        return None
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


# ------------------------------------------------------------------------------------ types
# Plain Python lists and dicts are Terraform tuples and objects; `TList`, `TSet` and `TMap` are
# the typed collections that conversions (tolist, toset, tomap, typed variables, unification)
# produce. They subclass list/dict so consumers of plain data need not know about them.
# A type is "string" | "number" | "bool" | "dynamic" | ("list"|"set"|"map", T)
# | ("tuple", (T, ...)) | ("object", ((name, T), ...)).

DYNAMIC = "dynamic"


class TList(list):  # type: ignore[type-arg]
    """A Terraform list (a plain list is a tuple)."""

    etype: Any = DYNAMIC


class TSet(list):  # type: ignore[type-arg]
    """A Terraform set, kept in Terraform's order (a plain list is a tuple)."""

    etype: Any = DYNAMIC


class TMap(dict):  # type: ignore[type-arg]
    """A Terraform map (a plain dict is an object)."""

    etype: Any = DYNAMIC


def typed(cls: type, items: Any, etype: Any) -> Any:
    out = cls(items)
    out.etype = etype
    return out


def type_of(v: Any, depth: int = 0) -> Any:
    if v is None or isinstance(v, (Unknown, Ref, Lazy)) or depth > 60:
        return DYNAMIC
    if isinstance(v, bool):
        return "bool"
    if is_number(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, TList):
        return ("list", v.etype)
    if isinstance(v, TSet):
        return ("set", v.etype)
    if isinstance(v, TMap):
        return ("map", v.etype)
    if isinstance(v, list):
        return ("tuple", tuple(type_of(x, depth + 1) for x in v))
    if isinstance(v, dict):
        return ("object", tuple(sorted((k, type_of(x, depth + 1)) for k, x in v.items())))
    return DYNAMIC


def type_text(t: Any) -> str:
    if isinstance(t, str):
        return t
    if t[0] == "tuple":
        return "tuple"
    if t[0] == "object":
        return "object"
    return f"{t[0]}({type_text(t[1])})"


_PRIMS = ("string", "number", "bool")


def unify(types: list[Any]) -> Any:
    """The common type Terraform converts mixed values to; None when there is none."""
    ts = [t for t in types if t != DYNAMIC]
    if not ts:
        return DYNAMIC
    first = ts[0]
    if all(t == first for t in ts):
        return first
    if all(isinstance(t, str) for t in ts):
        kinds = set(ts)
        return "string" if "string" in kinds else None
    if any(isinstance(t, str) for t in ts):
        return None
    kinds = {t[0] for t in ts}
    if "set" in kinds and kinds <= {"list", "tuple", "set"} and kinds != {"set"}:
        # cty prefers a list type, then a set type, to a tuple, and takes it as it is when the others convert
        # to it (`true ? ["a"] : toset([1])` is a set of numbers, `true ? tolist([1]) : toset(["x"])` a list)
        for kind in ("list", "set"):
            e = unify([t[1] for t in ts if t[0] == kind])
            others = [x for t in ts if t[0] != kind for x in (t[1] if t[0] == "tuple" else [t[1]])]
            if kind in kinds and e is not None and all(type_convertible(x, e) for x in others):
                return (kind, e)
        return None
    if kinds <= {"list", "tuple"} or kinds == {"set"} or kinds == {"map"}:
        if kinds == {"tuple"} and len({len(t[1]) for t in ts}) == 1:
            cols = [unify([t[1][i] for t in ts]) for i in range(len(first[1]))]
            if all(c is not None for c in cols):
                return ("tuple", tuple(cols))
        elems: list[Any] = []
        for t in ts:
            elems.extend(t[1] if t[0] == "tuple" else [t[1]])
        e = unify(elems)
        kind = "list" if kinds <= {"list", "tuple"} else next(iter(kinds))
        return None if e is None else (kind, e)
    if kinds <= {"object", "map"}:
        if kinds == {"object"} and len({tuple(k for k, _ in t[1]) for t in ts}) == 1:
            cols = [unify([t[1][i][1] for t in ts]) for i in range(len(first[1]))]
            if all(c is not None for c in cols):
                return ("object", tuple((first[1][i][0], c) for i, c in enumerate(cols)))
        elems = []
        for t in ts:
            elems.extend([x for _, x in t[1]] if t[0] == "object" else [t[1]])
        e = unify(elems)
        return None if e is None else ("map", e)
    return None


def convert(v: Any, t: Any, depth: int = 0) -> Any:
    """`v` converted to type `t` as Terraform does; raises EvalError when it cannot be."""
    if t == DYNAMIC or v is None or isinstance(v, (Unknown, Ref, Lazy)):
        return v
    if depth > 60:
        raise EvalError("value nested too deeply")
    if t == "string":
        if isinstance(v, (str, bool)) or is_number(v):
            return to_str(v)
        raise EvalError(f"cannot convert {type_name(v)} to string")
    if t == "number":
        return to_number(v)
    if t == "bool":
        return to_bool(v)
    kind = t[0]
    if kind in ("list", "set"):
        if isinstance(v, dict) or not isinstance(v, list):
            raise EvalError(f"cannot convert {type_name(v)} to {kind}")
        if kind == "list" and isinstance(v, TList) and v.etype == t[1]:
            return v
        if isinstance(v, (TList, TSet)) and not element_convertible(v.etype, t[1]):  # also when empty
            raise EvalError(f"incorrect list element type: {type_text(t[1])} required")
        items = list(v)
        et = t[1]
        if et == DYNAMIC and isinstance(v, (TList, TSet, TMap)):
            et = v.etype  # a list or set keeps its element type (an empty one too: `tolist(regexall("(a)", s))`)
        if et == DYNAMIC:
            et = unify([type_of(x) for x in items])
            if et is None:
                raise EvalError(f"all elements of the {kind} must have the same type")
        conv = [convert(x, et, depth + 1) for x in items]
        return typed(TSet, make_set(conv), et) if kind == "set" else typed(TList, conv, et)
    if kind == "map":
        if not isinstance(v, dict):
            raise EvalError(f"cannot convert {type_name(v)} to map")
        et = t[1]
        if et == DYNAMIC and isinstance(v, TMap):
            et = v.etype
        if et == DYNAMIC:
            et = unify([type_of(x) for x in v.values()])
            if et is None:
                raise EvalError("all values of the map must have the same type")
        return typed(TMap, {k: convert(x, et, depth + 1) for k, x in v.items()}, et)
    if kind == "tuple":
        if isinstance(v, dict) or not isinstance(v, list) or isinstance(v, TSet) or len(v) != len(t[1]):
            raise EvalError(f"cannot convert {type_name(v)} to tuple")
        return [convert(x, et, depth + 1) for x, et in zip(v, t[1])]
    if kind == "object":
        if not isinstance(v, dict):
            raise EvalError(f"cannot convert {type_name(v)} to object")
        out: dict[str, Any] = {}
        for name, at in t[1]:
            if name not in v:
                raise EvalError(f'attribute "{name}" is required')
            out[name] = convert(v[name], at, depth + 1)
        return out
    return v


def element_convertible(have: Any, want: Any) -> bool:
    """False when a collection whose elements are of type `have` can never convert to elements of type `want`:
    a primitive to a collection or a collection to a primitive (`compact(regexall("(a)", s))` fails even when
    there is no match). Anything else is left to the conversion of each element."""
    if have == DYNAMIC or want == DYNAMIC:
        return True
    return isinstance(have, str) == isinstance(want, str)


def type_convertible(have: Any, want: Any) -> bool:
    """Whether a value of type `have` may convert to type `want` (what cty's unification checks; the values
    themselves may still fail): any primitive to and from a string, not a number to a bool or back, not a
    primitive to a collection or back; collections are left to their elements."""
    if have == want or have == DYNAMIC or want == DYNAMIC:
        return True
    if isinstance(have, str) and isinstance(want, str):
        return "string" in (have, want)
    return isinstance(have, str) == isinstance(want, str)


def unify_values(values: list[Any]) -> list[Any]:
    """Values converted to their common type (as a conditional or coalesce returns them)."""
    t = unify([type_of(x) for x in values])
    if t is None:
        raise EvalError("the values do not have a common type: " + ", ".join(type_name(x) for x in values))
    return [convert(x, t) for x in values]


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if is_number(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, TList):
        return "list"
    if isinstance(v, TSet):
        return "set"
    if isinstance(v, TMap):
        return "map"
    if isinstance(v, list):
        return "tuple"
    return "object"


def to_str(v: Any) -> str:
    """Terraform's string conversion of a primitive; raises EvalError for others."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        return format_number(v)
    if v is None:
        raise EvalError("cannot use a null value in a string")
    raise EvalError(f"cannot convert {type_name(v)} to string")


def to_number(v: Any) -> int | float:
    if is_number(v):
        return norm_number(v)
    if isinstance(v, str):
        n = parse_number(v)
        if n is not None:
            return n
        raise EvalError(f'cannot convert "{v}" to number; given string must be a decimal representation of a number')
    raise EvalError(f"cannot convert {type_name(v)} to number")


def to_bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if v in ("true", "1"):
        return True
    if v in ("false", "0"):
        return False
    if v is None:
        raise EvalError("a null value cannot be used as a bool")
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
    """Terraform equality: values of different types are never equal (1 != "1", [1] != tolist([1]))."""
    if type(a) is str and type(b) is str:  # the usual case: what the checks below give two strings
        return a == b
    if a is None or b is None:
        return a is None and b is None
    if is_number(a) and is_number(b):
        return a == b if type(a) is int and type(b) is int else exact(a) == exact(b)
    if type_of(a) != type_of(b):
        return False
    if isinstance(a, bool) or isinstance(a, str):
        return bool(a == b)
    if isinstance(a, TSet):  # (both sets, in cty's order) the same elements as a set holds them
        return len(a) == len(b) and all(same_member(x, y) for x, y in zip(a, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    return a is b


def same_member(x: Any, y: Any) -> bool:
    """Whether a set holds `x` and `y` as one element (equality, but -0 is not 0)."""
    kx, ky = hash_key(x, 0, True), hash_key(y, 0, True)
    return kx == ky if kx is not None and ky is not None else equal(x, y)


def _set_key(x: Any) -> Any:
    if isinstance(x, bool):
        return (0, x)
    if is_number(x):
        return (1, exact(x), not is_negative_zero(x))  # -0 sorts before 0 (cty's set order)
    if isinstance(x, str):
        return (2, x)
    return (3, 0)


def hash_key(x: Any, depth: int = 0, signed: bool = False) -> Any:
    """A hashable key equal for values Terraform finds equal (None when `x` is not fully known); `signed`:
    equal for values a set holds once (cty's set hash tells -0 from 0: `toset([0, -0.0])` has two elements,
    while `0 == -0.0` and `distinct([0, -0.0])` is `[0]`)."""
    if x is None:
        return ("null",)
    if isinstance(x, bool):
        return ("b", x)
    if type(x) is int:
        return ("n", x)
    if is_number(x):
        if isinstance(x, float) and not isinstance(x, Num) and not math.isfinite(x):
            return None
        return ("-0",) if signed and is_negative_zero(x) else ("n", exact(x))
    if isinstance(x, str):
        return ("s", x)
    if depth > 60 or isinstance(x, (Unknown, Ref, Lazy)):
        return None
    if isinstance(x, list):
        ks = tuple(hash_key(y, depth + 1, signed) for y in x)
        return None if None in ks else (type(x).__name__, getattr(x, "etype", None), ks)
    if isinstance(x, dict):
        kv = tuple(sorted((k, hash_key(y, depth + 1, signed)) for k, y in x.items()))
        return None if any(v is None for _, v in kv) else (type(x).__name__, getattr(x, "etype", None), kv)
    return None


def unique(items: list[Any], signed: bool = False) -> list[Any]:
    """`items` without repeats (Terraform equality; `signed`: a set's, -0 is not 0), first occurrence kept;
    linear for known values."""
    out: list[Any] = []
    seen: set[Any] = set()
    others: list[Any] = []
    for x in items:
        k = hash_key(x, 0, signed)
        if k is not None:
            try:
                if k in seen:
                    continue
                seen.add(k)
                out.append(x)
                continue
            except TypeError:
                pass
        if not any(equal(x, y) for y in others):
            others.append(x)
            out.append(x)
    return out


def make_set(items: list[Any]) -> list[Any]:
    """A set as Terraform orders it: unique; strings, numbers and bools sorted; collections by cty's set hash
    text (`toset([["b"], ["a"]])` is `[["a"], ["b"]]`)."""
    out = unique(items, signed=True)
    known = [x for x in out if x is not None]
    if all(not isinstance(x, (list, dict)) for x in known):
        kinds = {_set_key(x)[0] for x in known}
        if len(kinds) <= 1:
            known.sort(key=_set_key)
            return known + [None] * (len(out) - len(known))  # a null element sorts last
    elif all(isinstance(x, (list, dict)) for x in known):
        try:
            keys = [_set_hash(x) for x in known]
        except LookupError:  # an unknown part: no order to give
            return out
        order = sorted(range(len(known)), key=keys.__getitem__)
        return [known[i] for i in order] + [None] * (len(out) - len(known))  # null's hash `~` sorts last
    return out


def _set_hash(v: Any, depth: int = 0) -> str:
    """cty's set hash text of a value (appendSetHashBytes), which orders a set of collections: lists and sets
    `[e;...]`, tuples `<e;...>`, maps `{k:e;...}`, objects `<e;...>` by attribute name, strings Go-quoted,
    numbers big.Float's String(), `T`/`F`, null `~`. Raises LookupError on an unknown part."""
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "T" if v else "F"
    if isinstance(v, str):
        return _go_quote(v)
    if is_number(v):
        return _big_float_string(v)
    if depth > 60 or isinstance(v, (Unknown, Ref, Lazy)):
        raise LookupError("unknown")
    if isinstance(v, (TList, TSet)):
        return "[" + "".join(_set_hash(x, depth + 1) + ";" for x in v) + "]"
    if isinstance(v, list):
        return "<" + "".join(_set_hash(x, depth + 1) + ";" for x in v) + ">"
    if isinstance(v, TMap):
        return "{" + "".join(_go_quote(k) + ":" + _set_hash(v[k], depth + 1) + ";" for k in sorted(v)) + "}"
    if isinstance(v, dict):
        return "<" + "".join(_set_hash(v[k], depth + 1) + ";" for k in sorted(v)) + ">"
    raise LookupError("unknown")


def _go_quote(s: str) -> str:
    """Go's strconv.Quote (`%q`): printable characters kept, others escaped."""
    out = ['"']
    for c in s:
        o = ord(c)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif 0x20 <= o < 0x7F or (o > 0x7F and c.isprintable()):
            out.append(c)
        elif c in "\a\b\f\n\r\t\v":
            out.append("\\" + "abfnrtv"["\a\b\f\n\r\t\v".index(c)])
        elif o < 0x80:
            out.append(f"\\x{o:02x}")
        elif o < 0x10000:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def _big_float_string(v: Any) -> str:
    """big.Float's String(): Text('g', 10), ten significant digits rounded half to even, trailing zeros dropped,
    an exponent (`1e+21`, `1e-05`) from 10^10 and below 10^-4."""
    import decimal

    f = exact(v)
    if f == 0:
        return "-0" if is_negative_zero(v) else "0"
    ctx = decimal.Context(prec=80)
    d = ctx.divide(decimal.Decimal(abs(f.numerator)), decimal.Decimal(f.denominator))
    d = decimal.Context(prec=10, rounding=decimal.ROUND_HALF_EVEN).plus(d)
    sign, digits, e = d.as_tuple()
    mant = "".join(map(str, digits)).rstrip("0")
    dexp = len(digits) + int(e)  # value = 0.mant x 10^dexp, as Go's decimal keeps it
    prec = 10
    eprec = len(mant) if prec > len(mant) and len(mant) >= dexp else prec
    neg = "-" if f < 0 else ""
    x = dexp - 1
    if x < -4 or x >= eprec:
        p = min(prec, len(mant)) - 1
        body = mant[0] + ("." + mant[1 : 1 + p].ljust(p, "0") if p > 0 else "")
        return f"{neg}{body}e{'-' if x < 0 else '+'}{abs(x):02d}"
    p = max(len(mant) - dexp, 0) if prec > dexp else max(prec - dexp, 0)
    whole = (mant[:dexp].ljust(dexp, "0") if dexp > 0 else "0")
    frac = "".join(mant[dexp + i] if 0 <= dexp + i < len(mant) else "0" for i in range(p))
    return neg + whole + ("." + frac if p else "")


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


def to_decimal(v: int | float) -> Decimal:
    """A number as an exact decimal text (for comparisons in tests and reports)."""
    if isinstance(v, int):
        return _decimals.Decimal(v)
    if not isinstance(v, Num) and (math.isnan(v) or math.isinf(v)):
        return _decimals.Decimal(repr(v))
    return _decimals.Decimal(format_number(v))
