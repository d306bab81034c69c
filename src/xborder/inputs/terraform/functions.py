"""Terraform built-in functions that matter for finding endpoints, on already-evaluated arguments.

`try` and `can` need unevaluated arguments and live in the evaluator. A function that is not
listed here evaluates to Unknown("function f is not evaluated"). Functions get Unknown-free
arguments unless they are marked as tolerant (they pass unknown elements through).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import posixpath
import re
import urllib.parse
from fractions import Fraction
from collections.abc import Callable
from typing import Any

from xborder import lazy
from xborder.inputs.terraform.values import (
    DYNAMIC,
    FLOAT_PREC,
    EvalError,
    Num,
    OverBudget,
    TList,
    TMap,
    TSet,
    TypedNull,
    arith,
    check_size,
    compare_numbers,
    convert,
    deep_unknown,
    equal,
    exact,
    format_number,
    float_number,
    is_float64,
    is_whole_float64,
    is_negative_zero,
    is_number,
    make_number,
    element_convertible,
    make_set,
    same_member,
    norm_number,
    unique,
    parse_number,
    prec_of,
    to_bool,
    to_list,
    to_number,
    to_str,
    type_name,
    typed,
    type_of,
    unify,
    unify_values,
    unknown_of,
)
from xborder.model import Unknown

Func = Callable[[list[Any]], Any]


def _arity(args: list[Any], lo: int, hi: int | None = None, name: str = "") -> None:
    hi = lo if hi is None else hi
    if not lo <= len(args) <= hi:
        raise EvalError(f"{name}() takes {lo if lo == hi else f'{lo} to {hi}'} arguments, got {len(args)}")


def _map(v: Any) -> dict[str, Any]:
    if isinstance(v, dict):
        return v
    raise EvalError(f"expected a map, got {type_name(v)}")


INT64 = range(-(2**63), 2**63)


def _int(v: Any, what: str = "value", big: bool = False) -> int:
    """A whole number argument (Terraform rejects fractions where it needs an integer), within Go's int
    (64 bits: `element(x, 2^63)` and `substr(s, 0, 1e21)` fail) unless the function reads a big.Int (`big`)."""
    n = to_number(v)
    if is_negative_zero(n):
        return 0  # -0 is whole: `signum(0 * -1)` is 0
    if is_whole_float64(n):
        n = int(n.exact)  # a whole float64 (`pow(2, 60)`)
    if not isinstance(n, int):
        raise EvalError(f"{what} must be a whole number")
    if not big and n not in INT64:
        raise EvalError(f"{what} must be a whole number, between -9223372036854775808 and 9223372036854775807")
    return n


def _str_list(v: Any) -> list[str]:
    return [to_str(x) for x in _seq(v)]


def _seq(v: Any, sets: bool = True) -> list[Any]:
    if v is None:
        raise EvalError("argument must not be null")
    if isinstance(v, TSet) and not sets:
        raise EvalError("all arguments must be lists or tuples; got set")
    return to_list(v)


def _as_list(v: Any) -> Any:
    """`v` converted to a list of one element type (a parameter typed list(any))."""
    return convert(v, ("list", DYNAMIC))


def _as_set(v: Any) -> Any:
    return convert(v, ("set", DYNAMIC))


# ------------------------------------------------------------------------------------ text

def _graphemes(s: str) -> list[str]:
    """User-perceived characters, as Terraform counts them (Unicode text segmentation)."""
    if s.isascii() and "\r" not in s:
        return list(s)
    import regex  # lazily: only non-ASCII text needs it

    return regex.findall(r"\X", s)


def _go_lower(s: str) -> str:
    return "".join(_simple_case(c, str.lower) for c in s)


def _go_upper(s: str) -> str:
    return "".join(_simple_case(c, str.upper) for c in s)


def _simple_case(c: str, f: Callable[[str], str]) -> str:
    """Go maps one code point to one (simple case mapping); Python may expand (ß -> SS)."""
    m = f(c)
    if len(m) == 1:
        return m
    return "i" if c == "\u0130" else c


def _go_title(s: str) -> str:
    """Go's strings.Title: the first letter after a separator upper-cased, the rest unchanged."""
    out: list[str] = []
    prev = " "
    for c in s:
        out.append(_simple_case(c, str.title) if _is_separator(prev) else c)
        prev = c
    return "".join(out)


def _is_separator(c: str) -> bool:
    if c.isascii():
        return not (c.isalnum() or c == "_")
    if c.isalpha() or c.isdigit() or c.isnumeric():
        return False
    return c.isspace()


_VERB = lazy.regex(r"%(\[\d+\])?([-+ 0#]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])?")
MAX_FORMAT_WIDTH = 10000


def _format(args: list[Any]) -> Any:
    if not args:
        raise EvalError("format() needs a format string")
    fmt = to_str(args[0])
    vals = args[1:]
    pos = 0
    used = 0
    out: list[str] = []
    last = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[last : m.start()])
        last = m.end()
        idx, flags, width, prec, verb = m.groups()
        if verb is None:
            raise EvalError("format(): invalid format string")
        if verb == "%" and not idx and not flags and not width and prec is None:
            out.append("%")
            continue
        if idx:
            pos = int(idx[1:-1]) - 1
        if pos >= len(vals) or pos < 0:
            raise EvalError(f"format(): not enough arguments for %{verb}")
        v = vals[pos]
        pos += 1
        used = max(used, pos)
        if width and int(width) > MAX_FORMAT_WIDTH or prec and int(prec) > MAX_FORMAT_WIDTH:
            return Unknown("format(): the field width is over the evaluation budget")
        u = deep_unknown(v)
        if u is not None:
            return u
        if v is None:
            return Unknown("format() of a null value is not known until apply")
        s = _format_one(verb, flags, prec, v)
        if width and verb != "t":  # cty writes `%t` without a width
            w = int(width)
            zero = "0" in flags
            if zero and verb in "fFeEgG" or zero and verb in "dxXob" and "-" not in flags:
                # zeros after the sign; big.Float's verbs pad so even with `-` ("%-05.1f" of 2.25 is "002.2")
                sign = s[0] if s[:1] in "+- " and verb in "dfFeEgG" else ""
                s = sign + s[len(sign) :].rjust(w - len(sign), "0")
            elif "-" in flags:  # Go pads text with zeros too, on the right with `-`: "%-05s" of "a" is "a0000"
                s = s.ljust(w, "0" if zero and verb in "svq" else " ")
            elif zero and verb in "svq":  # and on the left, before any sign: "%05v" of -1 is "000-1"
                s = s.rjust(w, "0")
            else:
                s = s.rjust(w)
        out.append(s)
    out.append(fmt[last:])
    if used < len(vals):
        raise EvalError(f"format(): too many arguments; only {used} used by format string")
    return "".join(out)


def _format_one(verb: str, flags: str, prec: str | None, v: Any) -> str:
    if verb == "s":
        if isinstance(v, (list, dict)):
            raise EvalError('format(): unsupported value for "%s": string required')
        s = to_str(v)
        return s[: int(prec)] if prec and int(prec) > 0 else s  # a precision of 0 does not cut (`%.0s`)
    if verb == "q":
        if isinstance(v, (list, dict)):
            raise EvalError('format(): unsupported value for "%q": string required')
        t = to_str(v)
        return json.dumps(t[: int(prec)] if prec and int(prec) > 0 else t, ensure_ascii=False)  # `%.1q`: "a"
    if verb == "v":
        if "#" in flags:  # `%#v` is the value's JSON text, a string's quoted
            return _json_text(v)
        if is_number(v) and not isinstance(v, bool):
            return _shortest_g(v)  # `%v` of a number is Go's `%g`: `format("%v", 1234567)` is "1.234567e+06"
        return to_str(v) if not isinstance(v, (list, dict)) else _json_text(v)
    if verb == "t":
        return "true" if to_bool(v) else "false"
    if isinstance(v, (bool, list, dict)):
        raise EvalError(f'format(): unsupported value for "%{verb}": number required')
    n = to_number(v) if isinstance(v, str) else v
    if not is_number(n):
        raise EvalError(f'format(): unsupported value for "%{verb}": a number is required')
    sign = "+" if "+" in flags else " " if " " in flags else ""
    if verb in "dxXob":
        n = 0 if is_negative_zero(n) else int(n.exact) if is_whole_float64(n) else n
        if not isinstance(n, int):
            raise EvalError(f'format(): unsupported value for "%{verb}": an integer is required')
        body = format(abs(n), {"d": "d", "x": "x", "X": "X", "o": "o", "b": "b"}[verb])
        if "#" in flags and verb in "xXob":
            body = {"x": "0x", "X": "0X", "o": "0", "b": "0b"}[verb] + body
        return ("-" if n < 0 else sign) + body
    if verb in "feEgG":  # (cty's format has no %F)
        p = int(prec) if prec not in (None, "") else (6 if verb in "fFeE" else None)
        f = float(n)
        if verb in "gG" and p is None:
            body = _shortest_g(abs(n)) if abs(f) < 1e21 and (abs(f) >= 1e-4 or f == 0) else f"{abs(f):{verb}}"
            body = body.upper() if verb == "G" else body
        elif verb == "f" and prec_of(n) > FLOAT_PREC:  # the exact big.Float digits, not its float64's
            body = f"{_exact_decimal(exact(n)).copy_abs():.{p}f}"
        else:
            body = f"{abs(f):.{p}{verb.lower() if verb in 'Ff' else verb}}"
        return ("-" if f < 0 or is_negative_zero(n) else sign) + body  # -0 keeps its sign: "%.1f" is "-0.0"
    raise EvalError(f"format(): unsupported format verb '{verb}'")


def _exact_decimal(q: Any) -> Any:
    """A number with a power-of-two denominator (every Terraform number) as the exact Decimal."""
    from decimal import Decimal

    k = q.denominator.bit_length() - 1
    if q.denominator != 1 << k:
        return Decimal(q.numerator) / Decimal(q.denominator)  # (not a binary fraction: not a Terraform number)
    return Decimal(f"{q.numerator * 5**k}E-{k}")  # exact (scaleb would round to the context's 28 digits)


def _shortest_g(n: Any) -> str:
    """Go's `%g` with the shortest digits (`big.Float` `%v`): plain below 1e6 and from 1e-4, else `d.ddde+XX`."""
    text = format_number(n)
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _dot, frac = body.partition(".")
    digits = (whole + frac).lstrip("0")
    if not digits:
        return text
    point = len(whole) if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")))
    exp = point - 1
    if -4 <= exp < 6:
        return text
    digits = digits.rstrip("0")
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _formatlist(args: list[Any]) -> list[str]:
    if not args:
        raise EvalError("formatlist() needs a format string")
    n = None
    for i, a in enumerate(args[1:], 1):
        if isinstance(a, list):
            if n is not None and len(a) != n:
                raise EvalError(f"formatlist(): argument {i + 1} has length {len(a)}, which is inconsistent")
            n = len(a)
    n = 1 if n is None else n
    out = []
    for i in range(n):
        r = _format([args[0]] + [a[i] if isinstance(a, list) else a for a in args[1:]])
        if isinstance(r, Unknown):
            return r  # type: ignore[return-value]
        out.append(r if r.isascii() else nfc(r))  # each element a Terraform string: NFC (`"%s%s"`, "e", "\u0301")
    return typed(TList, out, "string")


def _indent(args: list[Any]) -> str:
    _arity(args, 2, name="indent")
    n, s = _int(args[0]), to_str(args[1])
    if n < 0:  # Terraform's strings.Repeat panics
        raise EvalError("indent(): the number of spaces is out of range")
    check_size(n + len(s) + s.count("\n") * n, "characters")  # the padding is built even with no new line
    return s.replace("\n", "\n" + " " * n)


def _substr(args: list[Any]) -> str:
    _arity(args, 3, name="substr")
    g = _graphemes(to_str(args[0]))
    off, ln = _int(args[1], "offset"), _int(args[2], "length")
    if off < 0:  # from the end; then a length of 0 is the rest, as in cty (`substr("hello", -2, 0)` is "lo")
        off = max(len(g) + off, 0)
    elif ln == 0:
        return ""
    return "".join(g[off:] if ln <= 0 else g[off : off + ln])


def _trim(args: list[Any]) -> str:
    _arity(args, 2, name="trim")
    return to_str(args[0]).strip(to_str(args[1])) if to_str(args[1]) else to_str(args[0])


def _startswith(args: list[Any]) -> bool:
    _arity(args, 2, name="startswith")
    s, p = _graphemes(to_str(args[0])), _graphemes(to_str(args[1]))
    return s[: len(p)] == p


def _endswith(args: list[Any]) -> bool:
    _arity(args, 2, name="endswith")
    s, p = _graphemes(to_str(args[0])), _graphemes(to_str(args[1]))
    return not p or s[-len(p) :] == p


def _split(args: list[Any]) -> Any:
    _arity(args, 2, name="split")
    sep, s = to_str(args[0]), to_str(args[1])
    return typed(TList, s.split(sep) if sep else list(s), "string")


def _join(args: list[Any]) -> str:
    if len(args) < 2:
        raise EvalError("join() needs a separator and at least one list")
    sep = to_str(args[0])
    items: list[str] = []
    for lst in args[1:]:
        if isinstance(lst, (TList, TSet)) and not element_convertible(lst.etype, "string"):
            raise EvalError("join(): incorrect list element type: string required")
        for x in _seq(lst):
            if x is None:
                raise EvalError("join(): element is null")
            if isinstance(x, (list, dict)):
                raise EvalError("join(): elements must be strings")
            items.append(to_str(x))
    return sep.join(items)


def _trimspace(args: list[Any]) -> str:
    _arity(args, 1, name="trimspace")
    return to_str(args[0]).strip(_GO_SPACE)


_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


# ------------------------------------------------------------------------------------ regex (RE2)

_RE2_CACHE: dict[str, Any] = {}


def _re2(pattern: str) -> Any:
    """A compiled RE2 pattern: Terraform's syntax and linear-time matching (no backtracking)."""
    rx = _RE2_CACHE.get(pattern)
    if rx is not None:
        return rx
    import re2  # lazily: only templates that use regex functions need it

    opts = re2.Options()
    opts.log_errors = False
    try:
        rx = re2.compile(pattern, opts)
    except re2.error as e:
        msg = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise EvalError(f"invalid regular expression: {msg}") from None
    if len(_RE2_CACHE) < 512:
        _RE2_CACHE[pattern] = rx
    return rx


def _matches(rx: Any, s: str) -> list[Any]:
    """Successive matches with Go's rule: no empty match right after the previous match."""
    out = []
    pos, prev_end = 0, -1
    while pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            break
        a, b = m.span()
        if a == b:
            if a != prev_end:
                out.append(m)
            pos = b + 1
        else:
            out.append(m)
            pos = b
        prev_end = b
        if len(out) > 100000:
            raise EvalError("too many regular expression matches")
    return out


def _match_value(rx: Any, m: Any) -> Any:
    """Terraform's regex result: the match, the list of groups, or the map of named groups."""
    if rx.groupindex:
        return {name: m.group(name) for name in sorted(rx.groupindex)}
    if rx.groups:
        return list(m.groups())
    return m.group(0)


def _check_groups(rx: Any) -> None:
    if rx.groupindex and len(rx.groupindex) != rx.groups:
        raise EvalError("invalid regexp pattern: cannot mix both named and unnamed capture groups")


def _regex(args: list[Any]) -> Any:
    _arity(args, 2, 2, "regex")
    rx = _re2(to_str(args[0]))
    _check_groups(rx)
    m = rx.search(to_str(args[1]))
    if m is None:
        raise EvalError("regex(): pattern did not match any part of the given string")
    return _match_value(rx, m)


def _regexall(args: list[Any]) -> list[Any]:
    _arity(args, 2, 2, "regexall")
    rx = _re2(to_str(args[0]))
    _check_groups(rx)
    return typed(TList, [_match_value(rx, m) for m in _matches(rx, to_str(args[1]))], _match_type(rx))


def _match_type(rx: Any) -> Any:
    """The type of one regex() result: a string, a tuple of the groups, or an object of the named groups."""
    if rx.groupindex:
        return ("object", tuple((name, "string") for name in sorted(rx.groupindex)))
    if rx.groups:
        return ("tuple", ("string",) * rx.groups)
    return "string"


_EXPAND = lazy.regex(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")


def _expand(rep: str, rx: Any, m: Any) -> str:
    """Go's Regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; a bad reference is empty."""
    out: list[str] = []
    i = 0
    while i < len(rep):
        c = rep[i]
        if c != "$":
            out.append(c)
            i += 1
            continue
        if rep.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        g = _EXPAND.match(rep, i)
        if g is None:
            out.append("$")
            i += 1
            continue
        name = g.group(1) or g.group(2)
        i = g.end()
        if name.isdigit():
            k = int(name)
            val = m.group(k) if k <= rx.groups else None
        else:
            val = m.group(name) if name in rx.groupindex else None
        out.append(val or "")
    return "".join(out)


def _replace(args: list[Any]) -> str:
    _arity(args, 3, name="replace")
    s, sub, rep = to_str(args[0]), to_str(args[1]), to_str(args[2])
    if len(sub) > 1 and sub.startswith("/") and sub.endswith("/"):
        rx = _re2(sub[1:-1])
        out: list[str] = []
        last = 0
        for m in _matches(rx, s):
            out.append(s[last : m.start()])
            out.append(_expand(rep, rx, m))
            last = m.end()
        out.append(s[last:])
        return "".join(out)
    check_size(len(s) * (len(rep) + 1) if sub == "" else len(s) + s.count(sub) * len(rep), "characters")
    if sub == "":
        g = list(s)
        return rep + rep.join(g) + rep if g else rep
    return s.replace(sub, rep)


# ------------------------------------------------------------------------------------ collections

def _lookup(args: list[Any]) -> Any:
    """Terraform's lookup: an object's attribute as it is; a map's default converted to its element type."""
    _arity(args, 2, 3, "lookup")
    m, key = args[0], to_str(args[1])
    if isinstance(m, Unknown):
        return m
    m = _map(m)
    default = args[2] if len(args) == 3 else None
    if isinstance(m, TMap) and m.etype != DYNAMIC and default is not None:  # checked even when the key is found
        try:
            default = convert(default, m.etype)
        except EvalError:
            raise EvalError("lookup(): the default value must have the same type as the map elements") from None
    if key in m:
        return m[key]
    if len(args) == 3:
        return default
    raise EvalError(f'lookup(): the given object has no attribute "{key}"')


def _element(args: list[Any]) -> Any:
    _arity(args, 2, name="element")
    if isinstance(args[0], TSet):
        raise EvalError("element(): cannot read elements from a set")
    lst = to_list(args[0])
    if not lst:
        raise EvalError("element(): cannot use element function with an empty list")
    i = _int(args[1], "index")
    k = i % len(lst) if i >= 0 else -(-i % len(lst))  # Go's remainder keeps the sign
    if k < 0:  # a list counts from its end (`element(split(",", s), -1)` is the last); a tuple's type check fails
        if not isinstance(lst, TList):
            raise EvalError("element(): negative index")
        k += len(lst)
    return lst[k]


def _coalesce(args: list[Any]) -> Any:
    for a in args:
        u = unknown_of(a)
        if u is not None:
            return u
    if _any_type(args):  # nothing converted, and "" is a value like any other (cty skips it for strings only)
        for a in args:
            if a is not None:
                return a
    vals = unify_values(args)
    for a in vals:
        if a is not None and a != "":
            return a
    raise EvalError("coalesce(): no non-null, non-empty-string arguments")


def _any_type(args: list[Any]) -> bool:
    """Whether cty unifies coalesce()'s argument types as any type (nothing converted): an untyped null beside
    values of one structural kind (tuples, objects, lists, sets or maps), or beside values that have no common
    type (`coalesce(["a"], null, "b")` is `["a"]`, where without the null it fails)."""
    if not any(a is None for a in args):
        return False
    types = [type_of(a) for a in args if a is not None]
    if types and all(isinstance(t, tuple) for t in types) and len({t[0] for t in types}) == 1:
        return True
    return unify(types) is None


def _coalescelist(args: list[Any]) -> Any:
    if not args:
        raise EvalError("coalescelist() needs at least one argument")
    for a in args:  # every argument's type is checked before any is chosen: `coalescelist(["a"], "x")` fails
        if a is not None and (not isinstance(a, list) or isinstance(a, TSet)):
            raise EvalError("coalescelist(): coalescelist arguments must be lists or tuples")
    for a in args:  # a null here is a null list (the evaluator has judged the others)
        if a is not None and to_list(a):
            return a
    raise EvalError("coalescelist(): no non-null arguments")


def _concat(args: list[Any]) -> Any:
    if not args:
        raise EvalError("concat(): at least one argument is required")
    out: list[Any] = []
    for a in args:
        u = unknown_of(a)
        if u is not None:
            return u
        out.extend(_seq(a, sets=False))
        check_size(len(out))
    if all(isinstance(a, TList) for a in args):
        t = unify([a.etype for a in args])
        if t is not None:
            return typed(TList, [convert(x, t) for x in out], t)
    return out


def _merge(args: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in args:
        if a is None:
            continue
        u = unknown_of(a)
        if u is not None:
            return u  # type: ignore[return-value]
        if not isinstance(a, dict):
            raise EvalError(f'merge(): arguments must be maps or objects, got "{type_name(a)}"')
        out.update(a)
    maps = [a for a in args if a is not None]
    if maps and all(isinstance(a, TMap) for a in maps) and len({repr(a.etype) for a in maps}) == 1:
        return typed(TMap, out, maps[0].etype)  # maps of one element type stay a map; else an object
    return out


def _length(args: list[Any]) -> Any:
    _arity(args, 1, name="length")
    v = args[0]
    u = unknown_of(v)
    if u is not None:
        return u
    if isinstance(v, (list, dict)):
        return len(v)
    if isinstance(v, str):
        return len(_graphemes(v))
    if v is None:
        raise EvalError("length(): argument must not be null")
    raise EvalError(f"length(): argument must be a string, a collection type, or a structural type, not {type_name(v)}")


def _tolist(args: list[Any]) -> Any:
    _arity(args, 1, name="tolist")
    if args[0] is None:
        return TypedNull(("list", DYNAMIC))
    u = unknown_of(args[0])
    if u is not None:
        return u
    _no_untyped_null_with_collections(args[0], "list")
    return _as_list(args[0])


def _no_untyped_null_with_collections(v: Any, kind: str) -> None:
    """tolist() and toset() of a tuple that mixes collections with an untyped `null` fail in Terraform
    (`tolist([{a = "x"}, null])`); with strings, numbers or bools the null is kept."""
    if isinstance(v, list) and not isinstance(v, (TList, TSet)) and any(x is None for x in v) \
            and any(isinstance(x, (list, dict)) for x in v):
        raise EvalError(f"cannot convert tuple to {kind} of any single type")


def _toset(args: list[Any]) -> Any:
    _arity(args, 1, name="toset")
    u = unknown_of(args[0])
    if u is not None:
        return u
    if args[0] is None:
        return TypedNull(("set", DYNAMIC))
    items = to_list(args[0])
    if any(unknown_of(x) is not None for x in items):
        return next(unknown_of(x) for x in items if unknown_of(x) is not None)
    _no_untyped_null_with_collections(args[0], "set")
    return _as_set(args[0])


def _tomap(args: list[Any]) -> Any:
    _arity(args, 1, name="tomap")
    if args[0] is None:
        return TypedNull(("map", DYNAMIC))
    return convert(args[0], ("map", DYNAMIC))


def _contains(args: list[Any]) -> bool:
    _arity(args, 2, name="contains")
    if isinstance(args[0], dict) or not isinstance(args[0], list):
        raise EvalError("contains(): argument must be list, tuple, or set")
    if args[1] is None:
        raise EvalError("contains(): argument must not be null")
    return any(equal(x, args[1]) for x in args[0])


def _distinct(args: list[Any]) -> Any:
    _arity(args, 1, name="distinct")
    lst = _as_list(args[0])
    return typed(TList, unique(lst), lst.etype)


def _compact(args: list[Any]) -> Any:
    _arity(args, 1, name="compact")
    lst = convert(_seq(args[0]), ("list", "string"))
    return typed(TList, [x for x in lst if x not in (None, "")], "string")


def _flatten(args: list[Any]) -> list[Any]:
    _arity(args, 1, name="flatten")
    out: list[Any] = []

    def walk(v: Any, depth: int) -> None:
        if depth > 100:
            raise EvalError("flatten(): nested too deeply")
        for x in to_list(v):
            if isinstance(x, list):
                walk(x, depth + 1)
            else:
                out.append(x)
        check_size(len(out))

    if isinstance(args[0], dict):
        raise EvalError("flatten(): can only flatten lists, sets and tuples")
    walk(args[0], 0)
    return out


def _reverse(args: list[Any]) -> Any:
    _arity(args, 1, name="reverse")
    v = args[0]
    if isinstance(v, dict) or not isinstance(v, list):
        raise EvalError("reverse(): can only reverse a list, set or tuple")
    r = list(reversed(v))
    return typed(TList, r, v.etype) if isinstance(v, (TList, TSet)) else r


def _sort(args: list[Any]) -> Any:
    _arity(args, 1, name="sort")
    if isinstance(args[0], (TList, TSet)) and not element_convertible(args[0].etype, "string"):
        raise EvalError("sort(): incorrect list element type: string required")
    items = _str_list(args[0])
    return typed(TList, sorted(items, key=lambda x: x.encode("utf-8")), "string")


def _zipmap(args: list[Any]) -> Any:
    _arity(args, 2, name="zipmap")
    if isinstance(args[0], (TList, TSet)) and not element_convertible(args[0].etype, "string"):
        raise EvalError('zipmap(): invalid value for "keys" parameter: incorrect list element type: string required')
    if isinstance(args[1], (TSet, dict)) or not isinstance(args[1], list):
        raise EvalError("zipmap(): values argument must be a list or tuple value")
    keys, vals = _str_list(args[0]), to_list(args[1])
    if len(keys) != len(vals):
        raise EvalError(f"zipmap(): number of keys ({len(keys)}) does not match number of values ({len(vals)})")
    out = dict(zip(keys, vals))
    if isinstance(args[1], TList):
        return typed(TMap, out, args[1].etype)
    return out


def _keys(args: list[Any]) -> Any:
    _arity(args, 1, name="keys")
    m = _map(args[0])
    ks = sorted(m.keys())
    return typed(TList, ks, "string") if isinstance(m, TMap) else ks


def _values(args: list[Any]) -> Any:
    _arity(args, 1, name="values")
    m = _map(args[0])
    vs = [v for _, v in sorted(m.items())]
    return typed(TList, vs, m.etype) if isinstance(m, TMap) else vs


def _slice(args: list[Any]) -> list[Any]:
    _arity(args, 3, 3, "slice")
    lst, start, end = to_list(args[0]), _int(args[1], "start index"), _int(args[2], "end index")
    if not 0 <= start <= end <= len(lst):
        raise EvalError("slice(): index out of range")
    r = lst[start:end]
    return typed(TList, r, lst.etype) if isinstance(lst, (TList, TSet)) else r


def _index(args: list[Any]) -> int:
    _arity(args, 2, 2, "index")
    if isinstance(args[0], TSet):
        raise EvalError("index(): argument must be a list or tuple")
    for i, x in enumerate(to_list(args[0])):
        if equal(x, args[1]):
            return i
    raise EvalError("index(): item not found")


def _one(args: list[Any]) -> Any:
    _arity(args, 1, name="one")
    lst = to_list(args[0])
    if len(lst) > 1:
        raise EvalError("one(): must be a list, set, or tuple value with either zero or one elements")
    if not lst and isinstance(args[0], (TList, TSet)) and args[0].etype != DYNAMIC:
        return TypedNull(args[0].etype)  # a null of the element type, which coalesce() and tomap() unify
    return lst[0] if lst else None


def _chunklist(args: list[Any]) -> Any:
    _arity(args, 2, name="chunklist")
    lst, n = _as_list(args[0]), _int(args[1], "size")
    if n < 0:
        raise EvalError("chunklist(): the size argument must be positive")
    chunks = [lst] if n == 0 and lst else [lst[i : i + n] for i in range(0, len(lst), n or 1)]
    return typed(TList, [typed(TList, c, lst.etype) for c in chunks], ("list", lst.etype))


def _matchkeys(args: list[Any]) -> Any:
    _arity(args, 3, name="matchkeys")
    vals, keys, search = _as_list(args[0]), _as_list(args[1]), _as_list(args[2])
    if len(vals) != len(keys):
        raise EvalError("matchkeys(): length of keys and values should be equal")
    t = unify([keys.etype, search.etype])
    if t is None:
        raise EvalError("matchkeys(): keys and searchset must be of the same type")
    keys, search = [convert(k, t) for k in keys], [convert(k, t) for k in search]
    return typed(TList, [v for v, k in zip(vals, keys) if any(equal(k, x) for x in search)], vals.etype)


def _transpose(args: list[Any]) -> Any:
    _arity(args, 1, name="transpose")
    out: dict[str, list[str]] = {}
    for k, lst in sorted(_map(args[0]).items()):
        if isinstance(lst, (TList, TSet)) and not element_convertible(lst.etype, "string"):
            raise EvalError(f'transpose(): element "{k}": incorrect list element type: string required')
        for x in _str_list(lst):
            out.setdefault(x, []).append(k)
    return typed(TMap, {k: typed(TList, sorted(v), "string") for k, v in sorted(out.items())}, ("list", "string"))


def _set_args(args: list[Any], name: str) -> tuple[list[Any], Any]:
    """The arguments as sets of one element type, and that type (cty's set functions: each argument is a
    set(any) parameter; the element types unify, an empty set of unknown type aside, even with no element:
    `setintersection(chunklist([], 2), ["a"])` fails)."""
    if not args:
        raise EvalError(f"{name}() needs at least one argument")
    for a in args:
        _seq(a)  # a null or a non-collection fails
    sets = [_as_set(a) for a in args]
    etys = [s.etype for s in sets if s or s.etype != DYNAMIC]
    t = unify(etys) if etys else DYNAMIC
    if t is None:
        raise EvalError(f"{name}(): given sets must all have compatible element types")
    return [[convert(x, t) for x in s] for s in sets], t


def _setunion(args: list[Any]) -> Any:
    sets, t = _set_args(args, "setunion")
    return typed(TSet, make_set([x for s in sets for x in s]), t)


def _setintersection(args: list[Any]) -> Any:
    sets, t = _set_args(args, "setintersection")
    out = [x for x in make_set(sets[0]) if all(any(same_member(x, y) for y in s) for s in sets[1:])]
    return typed(TSet, out, t)


def _setsubtract(args: list[Any]) -> Any:
    _arity(args, 2, name="setsubtract")
    (a, b), t = _set_args(args, "setsubtract")
    return typed(TSet, [x for x in make_set(a) if not any(same_member(x, y) for y in b)], t)


def _setproduct(args: list[Any]) -> Any:
    if len(args) < 2:
        raise EvalError("setproduct(): at least two arguments are required")
    for a in args:
        _seq(a)  # a null or a non-collection fails
    # each argument is a list or set of one element type (a tuple's elements are unified: [33, "a"] is strings)
    sets = [a if isinstance(a, TSet) else _as_list(a) for a in args]
    etype = ("tuple", tuple(s.etype for s in sets))
    total = 1
    for s in sets:
        total *= len(s)
    if total > MAX_ELEMENTS:
        return Unknown(f"setproduct(): {total} combinations is over the evaluation budget")
    out: list[list[Any]] = [[]]
    for s in sets:
        out = [p + [x] for p in out for x in s]
    if any(isinstance(a, TSet) for a in args):  # a set argument makes the product a set (ordered, no repeats)
        return typed(TSet, make_set(out) if total else [], etype)
    return typed(TList, out if total else [], etype)


def _alltrue(args: list[Any]) -> bool:
    _arity(args, 1, name="alltrue")
    vals = [None if x is None else to_bool(x) for x in _seq(args[0])]
    return all(x is True for x in vals)


def _anytrue(args: list[Any]) -> bool:
    _arity(args, 1, name="anytrue")
    vals = [None if x is None else to_bool(x) for x in _seq(args[0])]
    return any(x is True for x in vals)


# ------------------------------------------------------------------------------------ numbers

MAX_ELEMENTS = 1024  # values range() may generate (Terraform's limit); also the budget of setproduct()
TOO_MANY_VALUES = ("range(): more than 1024 values were generated; either decrease the difference between start and "
                   "end or use a smaller step")


def _range(args: list[Any]) -> list[Any]:
    if not 1 <= len(args) <= 3:
        raise EvalError("range() takes 1 to 3 arguments")
    nums = [to_number(a) for a in args]
    if len(nums) == 1:
        start, stop = 0, nums[0]
        step: Any = 1 if compare_numbers(stop, 0) >= 0 else -1
    elif len(nums) == 2:
        start, stop = nums
        step = 1 if compare_numbers(start, stop) <= 0 else -1
    else:
        start, stop, step = nums
        if compare_numbers(step, 0) == 0:
            raise EvalError("range(): step must not be zero")
        if compare_numbers(step, 0) < 0 and compare_numbers(start, stop) < 0:
            raise EvalError("range(): end must be less than start when step is negative")
        if compare_numbers(step, 0) > 0 and compare_numbers(start, stop) > 0:
            raise EvalError("range(): end must be greater than start when step is positive")
    count = abs((exact(stop) - exact(start)) / exact(step))
    if count > MAX_ELEMENTS:  # Terraform's own limit (an error that try() and can() catch), not a budget
        raise EvalError(TOO_MANY_VALUES)
    if all(type(n) is int for n in (start, stop, step)):
        return typed(TList, list(range(start, stop, step)), "number")
    out, x = [], start
    up = compare_numbers(step, 0) > 0
    while (up and compare_numbers(x, stop) < 0) or (not up and compare_numbers(x, stop) > 0):
        if len(out) == MAX_ELEMENTS:  # `range(0, 102.4, 0.1)`: the sums stay below 102.4 once more
            raise EvalError(TOO_MANY_VALUES)
        out.append(x)
        x = arith("+", x, step)
    return typed(TList, out, "number")


def _num_list(a: list[Any]) -> list[Any]:
    return [to_number(x) for x in a]


def _minmax(args: list[Any], sign: int) -> Any:
    if not args:
        raise EvalError("must pass at least one number")
    nums = _num_list(args)
    best = nums[0]
    for n in nums[1:]:
        if compare_numbers(n, best) * sign > 0:
            best = n
    return best


def _sum(args: list[Any]) -> Any:
    _arity(args, 1, name="sum")
    lst = _seq(args[0])
    if not lst:
        raise EvalError("sum(): cannot sum an empty list")
    total: Any = None
    for x in lst:
        if x is None:
            raise EvalError("sum(): argument must be list, set, or tuple of number values")
        total = to_number(x) if total is None else arith("+", total, to_number(x))  # from the first, as cty adds
    return total


def _abs(args: list[Any]) -> Any:
    _arity(args, 1, name="abs")
    n = to_number(args[0])
    if is_float64(n):  # big.Float's Abs keeps the operand's precision
        return Num(abs(n.exact), prec=n.prec)
    return make_number(abs(exact(n)))


def _ceil(args: list[Any]) -> Any:
    _arity(args, 1, name="ceil")
    n = to_number(args[0])
    return n if is_whole_float64(n) else math.ceil(exact(n))  # a whole number is returned as is


def _floor(args: list[Any]) -> Any:
    _arity(args, 1, name="floor")
    n = to_number(args[0])
    return n if is_whole_float64(n) else math.floor(exact(n))


def _signum(args: list[Any]) -> int:
    _arity(args, 1, name="signum")
    q = _int(args[0])
    return (q > 0) - (q < 0)


def _from_float(f: float) -> Any:
    """A float64 result (Go's math functions): kept at 53 bits of precision, as cty's NumberFloatVal keeps it."""
    return float_number(f)


def _log(args: list[Any]) -> Any:
    _arity(args, 2, name="log")
    x, b = float(to_number(args[0])), float(to_number(args[1]))
    try:
        return _from_float(_go_log(x) / _go_log(b))
    except (ValueError, ZeroDivisionError):
        raise EvalError("log(): the result is not a finite number") from None


def _go_log(x: float) -> float:
    """Go's math.Log (its own algorithm; it can differ from C's log in the last bit)."""
    if x <= 0 or math.isinf(x) or math.isnan(x):
        raise ValueError("log of a non-positive number")
    ln2_hi, ln2_lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
    l1, l2, l3, l4 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01
    l5, l6, l7 = 1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01
    f1, ki = math.frexp(x)
    if f1 < math.sqrt(2) / 2:
        f1 *= 2
        ki -= 1
    f = f1 - 1
    k = float(ki)
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (l1 + s4 * (l3 + s4 * (l5 + s4 * l7)))
    t2 = s4 * (l2 + s4 * (l4 + s4 * l6))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f)


def _pow(args: list[Any]) -> Any:
    _arity(args, 2, name="pow")
    x, y = to_number(args[0]), to_number(args[1])
    if isinstance(x, int) and isinstance(y, int) and 0 <= y <= 4096 and abs(x).bit_length() * y <= 53:
        return x**y  # exact in a float64 too: Terraform's math.Pow gives the same whole number
    try:
        return _from_float(_go_pow(float(x), float(y)))
    except (ValueError, OverflowError):
        raise EvalError("pow(): the result is not a finite number") from None


def _go_pow(x: float, y: float) -> float:
    """Go's math.Pow: a whole exponent by Go's repeated squaring on the mantissa (`10^23` is the float64 nearest
    1e23 there, where C's pow is one unit higher); a fractional part as exp(yf * log(x)) (may differ in the last
    bit from Go's)."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if math.isnan(x) or math.isnan(y) or x == 0 or math.isinf(x) or math.isinf(y) or abs(y) == 0.5:
        return math.pow(x, y)  # Go's special cases agree with C's here
    yf, yi = math.modf(abs(y))
    if yf != 0 and x < 0:
        raise ValueError("pow of a negative number to a fractional power")
    if yi >= 2**63:
        return math.pow(x, y)
    a1, ae = 1.0, 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = math.exp(yf * _go_log(x))
    x1, xe = math.frexp(x)
    i = int(yi)
    while i != 0:
        if xe < -(1 << 12) or (1 << 12) < xe:
            ae += xe
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1, ae = 1 / a1, -ae
    return math.ldexp(a1, ae)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parseint(args: list[Any]) -> int:
    _arity(args, 2, name="parseint")
    s, base = to_str(args[0]), _int(args[1], "base")
    if not 2 <= base <= 62:
        raise EvalError("parseint(): base must be a whole number between 2 and 62 inclusive")
    body = s[1:] if s[:1] in "+-" else s
    if not body:
        raise EvalError(f'parseint(): cannot parse "{s}" as a base {base} integer')
    n = 0
    for c in body:
        d = _DIGITS.find(c) if base > 36 else _DIGITS[:36].find(c.lower())
        if d < 0 or d >= base:
            raise EvalError(f'parseint(): cannot parse "{s}" as a base {base} integer')
        n = n * base + d
    return -n if s.startswith("-") else n


# ------------------------------------------------------------------------------------ encoding

def _json_text(v: Any, depth: int = 0) -> str:
    """Go's encoding/json as Terraform uses it: <, >, & escaped, UTF-8 kept, keys sorted."""
    if depth > 100:
        raise EvalError("jsonencode(): value nested too deeply")
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            raise EvalError("jsonencode(): cannot serialize infinity as JSON")
        return format_number(v)
    if isinstance(v, str):
        return _json_string(v)
    if isinstance(v, list):
        return "[" + ",".join(_json_text(x, depth + 1) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(_json_string(k) + ":" + _json_text(v[k], depth + 1) for k in sorted(v)) + "}"
    raise EvalError(f"jsonencode(): cannot encode {type_name(v)}")


_JSON_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "<": "\\u003c", ">": "\\u003e",
             "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _json_string(s: str) -> str:
    out = ['"']
    for c in s:
        e = _JSON_ESC.get(c)
        if e is not None:
            out.append(e)
        elif c < " ":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _jsonencode(args: list[Any]) -> str:
    _arity(args, 1, name="jsonencode")
    return _json_text(args[0])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def _json_int(t: str) -> Any:
    """A JSON integer; -0 keeps its sign (cty reads it as big.Float)."""
    n = int(t)
    return -0.0 if n == 0 and t.startswith("-") else n


def _jsondecode(args: list[Any]) -> Any:
    _arity(args, 1, 1, "jsondecode")
    text = to_str(args[0])
    try:
        doc = json.loads(text, parse_float=lambda t: parse_number(t), parse_int=_json_int,
                         parse_constant=_reject_constant)
    except (ValueError, RecursionError) as e:
        raise EvalError(f"jsondecode(): {e}") from None
    return doc if text.isascii() and "\\u" not in text else _nfc_deep(doc, "jsondecode")


MAX_YAML = 1024 * 1024


def _yamldecode(args: list[Any]) -> Any:
    """YAML as Terraform reads it, with PyYAML's safe loader (no tags that build objects), bounded."""
    _arity(args, 1, name="yamldecode")
    text = to_str(args[0])
    if len(text) > MAX_YAML:
        return Unknown("yamldecode(): the document is over the evaluation budget")
    if not text.strip():
        raise EvalError("yamldecode(): missing start of document")
    import datetime

    import yaml

    try:
        docs = list(yaml.load_all(text, Loader=_yaml_loader()))
    except yaml.YAMLError as e:
        raise EvalError(f"yamldecode(): {str(e).splitlines()[0]}") from None
    if len(docs) != 1:
        raise EvalError("yamldecode(): the string contains more than one document" if docs else "yamldecode(): empty")
    budget = [100000]

    def conv(v: Any, depth: int) -> Any:
        budget[0] -= 1
        if depth > 100 or budget[0] < 0:
            raise EvalError("yamldecode(): the document is over the evaluation budget (aliases?)")
        if isinstance(v, dict):
            return {nfc(_yaml_key(k)): conv(x, depth + 1) for k, x in v.items()}
        if isinstance(v, str):
            return v if v.isascii() else nfc(v)
        if isinstance(v, list):
            return [conv(x, depth + 1) for x in v]
        if isinstance(v, float) and not isinstance(v, Num):
            if math.isnan(v) or math.isinf(v):
                raise EvalError("yamldecode(): the document holds a value that is not a finite number")
            return norm_number(v)
        if isinstance(v, datetime.datetime):
            return v.strftime("%Y-%m-%dT%H:%M:%SZ")
        if isinstance(v, datetime.date):
            return v.strftime("%Y-%m-%dT00:00:00Z")
        if isinstance(v, bytes):
            return base64.b64encode(v).decode()
        return v

    return conv(docs[0], 0)


_YAML_LOADER: Any = None


def _yaml_loader() -> Any:
    """PyYAML's safe loader with Terraform's number rules (`1e3` is a number, `010` is ten)."""
    global _YAML_LOADER
    if _YAML_LOADER is None:
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        Loader.yaml_implicit_resolvers = {
            k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
            for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$"),
                                     list("-+0123456789"))
        Loader.add_implicit_resolver(
            "tag:yaml.org,2002:float",
            re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
            list("-+0123456789."))

        def int_(loader: Any, node: Any) -> Any:
            t = loader.construct_scalar(node)
            if t.startswith(("0x", "0o")):
                return int(t, 0)
            n = int(t)
            return -0.0 if n == 0 and t.startswith("-") else n  # (-0 keeps its sign, as cty's big.Float does)

        def float_(loader: Any, node: Any) -> Any:
            t = loader.construct_scalar(node)
            n = parse_number(t)
            if n is None:
                raise EvalError("yamldecode(): the document holds a value that is not a finite number")
            return n

        Loader.add_constructor("tag:yaml.org,2002:int", int_)
        Loader.add_constructor("tag:yaml.org,2002:float", float_)
        _YAML_LOADER = Loader
    return _YAML_LOADER


def _yaml_key(k: Any) -> str:
    if isinstance(k, (list, dict)):
        raise EvalError("yamldecode(): a map key must be a string")
    return "null" if k is None else to_str(k)


def _b64decode(args: list[Any]) -> str:
    _arity(args, 1, name="base64decode")
    s = to_str(args[0])
    try:
        raw = base64.b64decode(s.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise EvalError("base64decode(): failed to decode base64 data") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("base64decode(): the result of decoding the provided string is not valid UTF-8") from None


def _b64encode(args: list[Any]) -> str:
    _arity(args, 1, name="base64encode")
    return base64.b64encode(to_str(args[0]).encode("utf-8")).decode("ascii")


# IANA names (lower case) of the encodings evaluated besides UTF-8 -> (Python codec, the name Terraform's errors use)
_TEXT_CODECS = {
    "utf-16": ("utf-16", "UTF-16"), "utf-16le": ("utf-16-le", "UTF-16LE"), "utf-16be": ("utf-16-be", "UTF-16BE"),
    **{alias: ("latin-1", "ISO_8859-1:1987") for alias in (
        "iso-8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "l1", "iso-ir-100", "ibm819", "cp819", "csisolatin1")},
}


def _text_b64(args: list[Any], decode: bool) -> str:
    name = "textdecodebase64" if decode else "textencodebase64"
    _arity(args, 2, name=name)
    enc = to_str(args[1]).lower()
    if enc.replace("_", "-") in ("utf-8", "utf8"):
        return _b64decode(args[:1]) if decode else _b64encode(args[:1])
    if enc not in _TEXT_CODECS:
        return Unknown(f"text encoding {to_str(args[1])} is not evaluated")  # type: ignore[return-value]
    codec, shown = _TEXT_CODECS[enc]
    text = to_str(args[0])
    if not decode:
        try:  # Go's "UTF-16" encoder writes big-endian with a byte order mark
            raw = b"\xfe\xff" + text.encode("utf-16-be") if codec == "utf-16" else text.encode(codec)
        except UnicodeEncodeError:
            raise EvalError(f"{name}(): the given string contains characters that cannot be represented in {shown}") from None
        return base64.b64encode(raw).decode("ascii")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise EvalError(f"{name}(): the given value has an invalid base64 symbol") from None
    if codec == "utf-16":  # a byte order mark decides, else big-endian (Go's UseBOM default)
        codec, raw = ("utf-16-le", raw[2:]) if raw[:2] == b"\xff\xfe" else ("utf-16-be", raw[2:] if raw[:2] == b"\xfe\xff" else raw)
    try:
        out = raw.decode(codec)
    except UnicodeDecodeError:
        out = "\ufffd"
    if "\ufffd" in out:  # Terraform refuses a replacement character, decoded or written
        raise EvalError(f"{name}(): the given string contains symbols that are not defined for {to_str(args[1])}")
    return out


def _csvdecode(args: list[Any]) -> Any:
    import csv
    import io

    _arity(args, 1, name="csvdecode")
    rows = list(csv.reader(io.StringIO(to_str(args[0]))))
    rows = [r for r in rows if r]
    if not rows:
        raise EvalError("csvdecode(): missing header line")
    head, out = rows[0], []
    for r in rows[1:]:
        if len(r) != len(head):
            raise EvalError("csvdecode(): wrong number of fields")
        out.append(dict(zip(head, r)))
    return typed(TList, out, ("object", tuple(sorted((h, "string") for h in head))))


def _urlencode(args: list[Any]) -> str:
    _arity(args, 1, name="urlencode")
    return urllib.parse.quote_plus(to_str(args[0]), safe="-_.~")


def _hash(algo: str, b64: bool = False) -> Func:
    def f(args: list[Any]) -> str:
        _arity(args, 1, name=algo)
        h = hashlib.new(algo, to_str(args[0]).encode("utf-8"))
        return base64.b64encode(h.digest()).decode("ascii") if b64 else h.hexdigest()

    return f


def _uuidv5(args: list[Any]) -> str:
    import uuid  # imports `platform` and compiles its regexes: only when a configuration calls uuidv5()

    _arity(args, 2, name="uuidv5")
    ns_text, name = to_str(args[0]), to_str(args[1])
    ns = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL, "oid": uuid.NAMESPACE_OID, "x500": uuid.NAMESPACE_X500}.get(ns_text)
    if ns is None:
        try:
            ns = uuid.UUID(ns_text)
        except ValueError:
            raise EvalError(f"uuidv5(): uuidv5() doesn't support namespace {ns_text}") from None
    return str(uuid.uuid5(ns, name))


# ------------------------------------------------------------------------------------ time (pure: no clock)

_RFC3339 = lazy.regex(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _timestamp(text: str, name: str) -> Any:
    import datetime

    m = _RFC3339.fullmatch(text)
    if m is None:
        raise EvalError(f'{name}(): not a valid RFC3339 timestamp: "{text}"')
    y, mo, d, h, mi, sec = (int(m.group(i)) for i in range(1, 7))
    frac = m.group(7) or ""
    us = int((frac[1:] + "000000")[:6]) if frac else 0
    z = m.group(8)
    off = datetime.timedelta(0) if z in "Zz" else (1 if z[0] == "+" else -1) * datetime.timedelta(
        hours=int(z[1:3]), minutes=int(z[4:6]))
    try:
        return datetime.datetime(y, mo, d, h, mi, sec, us, tzinfo=datetime.timezone(off))
    except ValueError as e:
        raise EvalError(f"{name}(): {e}") from None


def _rfc3339(t: Any) -> str:
    off = t.utcoffset()
    if not off:
        zone = "Z"
    else:
        mins = int(off.total_seconds() // 60)
        zone = f"{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"
    return t.strftime("%Y-%m-%dT%H:%M:%S") + zone


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_DURATION_PART = lazy.regex(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def _duration(text: str) -> Any:
    import datetime

    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return datetime.timedelta(0)
    pos, total = 0, Fraction(0)
    while pos < len(body):
        m = _DURATION_PART.match(body, pos)
        if m is None:
            raise EvalError(f'timeadd(): invalid duration "{text}"')
        total += Fraction(m.group(1)) * Fraction(_DURATION_UNITS[m.group(2)]).limit_denominator(10**9)
        pos = m.end()
    if not body:
        raise EvalError(f'timeadd(): invalid duration "{text}"')
    micro = int(total * 1_000_000)
    return datetime.timedelta(microseconds=-micro if text.startswith("-") else micro)


def _timeadd(args: list[Any]) -> str:
    _arity(args, 2, name="timeadd")
    return _rfc3339(_timestamp(to_str(args[0]), "timeadd") + _duration(to_str(args[1])))


def _timecmp(args: list[Any]) -> int:
    _arity(args, 2, name="timecmp")
    a, b = _timestamp(to_str(args[0]), "timecmp"), _timestamp(to_str(args[1]), "timecmp")
    return (a > b) - (a < b)


_DATE_TOKEN = lazy.regex(r"'(?:[^']|'')*'|YYYY|YY|MMMM|MMM|MM|M|DD|D|EEEE|EEE|hh|h|HH|H|AA|aa|mm|m|ss|s|ZZZZZ|ZZZZ|ZZZ|Z|[A-Za-z]+|[^A-Za-z']+")


def _formatdate(args: list[Any]) -> str:
    _arity(args, 2, name="formatdate")
    spec, t = to_str(args[0]), _timestamp(to_str(args[1]), "formatdate")
    off = t.utcoffset()
    mins = int(off.total_seconds() // 60) if off else 0
    sign = "+" if mins >= 0 else "-"
    hh12 = t.hour % 12 or 12
    table = {
        "YYYY": f"{t.year:04d}", "YY": f"{t.year % 100:02d}", "MMMM": t.strftime("%B"), "MMM": t.strftime("%b"),
        "MM": f"{t.month:02d}", "M": str(t.month), "DD": f"{t.day:02d}", "D": str(t.day),
        "EEEE": t.strftime("%A"), "EEE": t.strftime("%a"), "hh": f"{t.hour:02d}", "h": str(t.hour),
        "HH": f"{hh12:02d}", "H": str(hh12), "AA": "AM" if t.hour < 12 else "PM", "aa": "am" if t.hour < 12 else "pm",
        "mm": f"{t.minute:02d}", "m": str(t.minute), "ss": f"{t.second:02d}", "s": str(t.second),
        "ZZZZZ": f"{sign}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}", "ZZZZ": f"{sign}{abs(mins) // 60:02d}{abs(mins) % 60:02d}",
        "ZZZ": "UTC" if mins == 0 else f"{sign}{abs(mins) // 60:02d}{abs(mins) % 60:02d}",
        "Z": "Z" if mins == 0 else f"{sign}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}",
    }
    out: list[str] = []
    pos = 0
    while pos < len(spec):
        m = _DATE_TOKEN.match(spec, pos)
        if m is None:
            raise EvalError("formatdate(): invalid format")
        tok = m.group(0)
        pos = m.end()
        if tok.startswith("'"):
            if len(tok) < 2 or not tok.endswith("'"):
                raise EvalError("formatdate(): unterminated literal")
            out.append(tok[1:-1].replace("''", "'") if tok != "''" else "'")
        elif tok in table:
            out.append(table[tok])
        elif tok[0].isalpha():
            raise EvalError(f'formatdate(): invalid date format verb "{tok}"')
        else:
            out.append(tok)
    return "".join(out)


# ------------------------------------------------------------------------------------ yaml out

def _yamlencode(args: list[Any]) -> Any:
    """YAML as Terraform writes it: double-quoted strings, block style, keys sorted."""
    _arity(args, 1, name="yamlencode")
    lines: list[str] = []
    if not _yaml_emit(args[0], 0, lines, None):
        return Unknown("yamlencode() of multi-line strings is not evaluated")
    if args[0] is None or isinstance(args[0], bool) or is_number(args[0]):
        lines.append("...\n")  # a plain scalar document gets an explicit end marker
    return "".join(lines)


def _yaml_scalar(v: Any, indent: int = 0) -> str | None:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if is_number(v):
        return format_number(v)
    if isinstance(v, str):
        if any((ord(c) < 32 and c not in "\n\t") or c in "\x7f\ufeff\x85\u2028\u2029" for c in v):
            return None
        if "\n" in v:
            lit = _yaml_literal(v, indent + 2)
            if lit is not None or "\t" in v:
                return lit
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    if isinstance(v, list) and not v:
        return "[]"
    if isinstance(v, dict) and not v:
        return "{}"
    return ""


def _yaml_literal(v: str, indent: int) -> str | None:
    """A multi-line string in literal block style (`|-`, `|`, `|+`), as go-yaml writes it."""
    body = v.rstrip("\n")
    trail = len(v) - len(body)
    lines = body.split("\n")
    if not body or lines[0][:1] == "\t" or any(ln != ln.rstrip(" \t") for ln in lines):
        return None
    head = ("|2" if lines[0][:1] == " " else "|") + ("-" if trail == 0 else "" if trail == 1 else "+")
    text = "\n".join((" " * indent + ln) if ln else "" for ln in lines)
    if trail > 1:
        text += "\n" * (trail - 1)
    return head + "\n" + text


def _yaml_emit(v: Any, indent: int, out: list[str], _parent: Any, depth: int = 0) -> bool:
    if depth > 100:
        raise EvalError("yamlencode(): value nested too deeply")
    pad = " " * indent
    sc = _yaml_scalar(v, indent)
    if sc is None:
        return False
    if sc != "":
        out.append(pad + sc + "\n")
        return True
    if isinstance(v, list):
        for x in v:
            sx = _yaml_scalar(x, indent)
            if sx is None:
                return False
            if sx != "":
                out.append(f"{pad}- {sx}\n")
                continue
            sub: list[str] = []
            if not _yaml_emit(x, indent + 2, sub, v, depth + 1):
                return False
            out.append(f"{pad}- {sub[0][indent + 2 :]}")
            out.extend(sub[1:])
        return True
    for k in sorted(v):
        x = v[k]
        key = _yaml_scalar(k)
        if key is None:
            return False
        sx = _yaml_scalar(x, indent)
        if sx is None:
            return False
        if sx != "":
            out.append(f"{pad}{key}: {sx}\n")
            continue
        out.append(f"{pad}{key}:\n")
        if not _yaml_emit(x, indent + (0 if isinstance(x, list) else 2), out, v, depth + 1):
            return False
    return True


# ------------------------------------------------------------------------------------ paths

def _basename(args: list[Any]) -> str:
    _arity(args, 1, name="basename")
    s = to_str(args[0])
    if s == "":
        return "."
    s = s.rstrip("/")
    return "/" if s == "" else s.rsplit("/", 1)[-1]


def _dirname(args: list[Any]) -> str:
    _arity(args, 1, name="dirname")
    s = to_str(args[0])
    d = posixpath.dirname(s)
    if d == "":
        return "."
    return posixpath.normpath(d) if d != "/" else "/"


# ------------------------------------------------------------------------------------ network

def _net(text: str, name: str) -> Any:
    try:
        addr, _, plen = text.partition("/")
        if not plen.isdigit() or "%" in addr:
            raise ValueError
        ip = ipaddress.ip_address(_strip_zeros(addr))
        return ipaddress.ip_network((ip, int(plen)), strict=False)
    except ValueError:
        raise EvalError(f"{name}(): invalid CIDR expression: invalid CIDR address: {text}") from None


def _strip_zeros(addr: str) -> str:
    """Terraform reads IPv4 octets with leading zeros as decimal (`010` is 10)."""
    if ":" in addr:
        return addr
    parts = addr.split(".")
    if len(parts) == 4 and all(p.isdigit() and p for p in parts):
        return ".".join(str(int(p)) for p in parts)
    return addr


def _mapped(net: Any) -> bool:
    """An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`): Go's `To4()` makes Terraform treat it half as IPv4."""
    return net.version == 6 and (int(net.network_address) >> 32) == 0xFFFF


def _go_ip(value: int, version: int) -> str:
    """An address as Go prints a `net.IP`: a 16-byte IPv4-mapped address is printed as IPv4 (`10.0.0.1`)."""
    if version == 6 and (value >> 32) == 0xFFFF:
        return str(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    return str(ipaddress.ip_address(value) if version == 4 else ipaddress.IPv6Address(value))


def _go_net(net: Any) -> str:
    """A network as Go prints a `net.IPNet`: an IPv4-mapped one as IPv4 with the last 32 bits of its mask."""
    if _mapped(net):
        return f"{_go_ip(int(net.network_address), 6)}/{max(net.prefixlen - 96, 0)}"
    return str(net)


def _cidrhost(args: list[Any]) -> str:
    _arity(args, 2, name="cidrhost")
    net = _net(to_str(args[0]), "cidrhost")
    n = _int(args[1], "host number", big=True)
    size = net.num_addresses
    if n < 0:
        n += size
    if not 0 <= n < size:
        raise EvalError(f"cidrhost(): prefix of {net.prefixlen} does not accommodate a host numbered {to_number(args[1])}")
    if _mapped(net):  # go-cidr shifts the host number as for a 32-bit address into the 128-bit one
        return _go_ip(int(net.network_address) | (n << 96), 6)
    return _go_ip(int(net.network_address) + n, net.version)


def _cidrnetmask(args: list[Any]) -> str:
    _arity(args, 1, name="cidrnetmask")
    net = _net(to_str(args[0]), "cidrnetmask")
    if net.version == 6 and not _mapped(net):
        raise EvalError(f"cidrnetmask(): IPv6 addresses cannot have a netmask: {to_str(args[0])}")
    return str(net.netmask)  # a mapped network's 16-byte mask, printed as IPv6 (as Go does)


def _subnet(net: Any, bits: int, num: int, name: str) -> Any:
    new = net.prefixlen + bits
    if new > net.max_prefixlen:
        raise EvalError(f"{name}(): insufficient address space to extend prefix of {net.prefixlen} by {bits}")
    # go-cidr compares the number's absolute value, as a uint64 (its low 64 bits), with 2^bits - 1 (wrapped to
    # 2^64 - 1 from 64 bits on): `cidrsubnet(x, 0, -1)` fails
    if (abs(num) & _U64) > ((1 << bits) - 1 if bits < 64 else _U64):
        raise EvalError(f"{name}(): prefix extension of {bits} does not accommodate a subnet numbered {num}")
    # Terraform ORs the subnet number into the address as a big integer; a negative number
    # keeps its two's complement sign, and the address is then read from the absolute value
    base = abs(int(net.network_address) | (num << (net.max_prefixlen - new)))
    if base.bit_length() > net.max_prefixlen:  # (a number past 64 bits: Go writes past the address and panics)
        raise EvalError(f"{name}(): {_GO_PANIC}")
    return _network(base, new, net.version)


_U64 = (1 << 64) - 1
_GO_PANIC = "panic in function implementation: runtime error: index out of range [-1]"  # Terraform's message


def _network(value: int, prefix: int, version: int) -> Any:
    """A network of the given IP version (`ipaddress.ip_network((0, 8))` would be IPv4 whatever the parent)."""
    return (ipaddress.IPv4Network if version == 4 else ipaddress.IPv6Network)((value, prefix))


def _cidrsubnet(args: list[Any]) -> str:
    _arity(args, 3, name="cidrsubnet")
    net = _net(to_str(args[0]), "cidrsubnet")
    bits, num = _int(args[1], "newbits"), _int(args[2], "netnum", big=True)
    if bits < 0:
        return _wider(net, bits, num)
    return _go_net(_subnet(net, bits, num, "cidrsubnet"))


def _wider(net: Any, bits: int, num: int) -> str:
    """cidrsubnet() with negative newbits, as go-cidr computes it (it checks no bound then: the largest subnet
    number wraps to 2^64 - 1): the number, shifted to the shorter prefix, is ORed into the parent's address as a
    big integer and the address read from the absolute value (Go panics, an error, when that needs more bytes
    than the address has); the address is printed unmasked with the shorter prefix (`cidrsubnet("10.0.0.0/16",
    -1, 17)` is "10.34.0.0/15"), and a prefix below 0 has no mask: "<nil>"."""
    new = net.prefixlen + bits
    top = net.max_prefixlen
    v = int(net.network_address) if num == 0 else abs(int(net.network_address) | (num << (top - max(new, 0))))
    if v.bit_length() > top or (new < 0 and num != 0):  # (a number shifted past the address never fits)
        raise EvalError(f"cidrsubnet(): {_GO_PANIC}")
    if new < 0:
        return "<nil>"
    if net.version == 6 and (v >> 32) == 0xFFFF:  # an IPv4-mapped address: printed as IPv4, the mask's last 32 bits
        return f"{_go_ip(v, 6)}/{max(new - 96, 0)}"
    return f"{_go_ip(v, net.version)}/{new}"


def _cidrsubnets(args: list[Any]) -> Any:
    if not args:
        raise EvalError("cidrsubnets() needs a prefix")
    net = _net(to_str(args[0]), "cidrsubnets")
    out: list[str] = []
    cur = int(net.network_address)
    for a in args[1:]:
        bits = _int(a, "newbits")
        new = net.prefixlen + bits
        if bits < 1 or new > net.max_prefixlen:
            raise EvalError(f"cidrsubnets(): would extend prefix to {new} bits, which is too long")
        if _mapped(net):  # go-cidr's PreviousSubnet gives no network for a mapped address
            raise EvalError(f"cidrsubnets(): not enough remaining address space for a subnet with a prefix of {new} bits after <nil>")
        if int(net.network_address) == 0:  # go-cidr's NextSubnet reports a rollover back to the zero address
            raise EvalError(f"cidrsubnets(): not enough remaining address space for a subnet with a prefix of {new} bits")
        size = 1 << (net.max_prefixlen - new)
        cur = (cur + size - 1) // size * size
        if cur + size > int(net.network_address) + net.num_addresses:
            raise EvalError("cidrsubnets(): not enough remaining address space")
        out.append(_go_net(_network(cur, new, net.version)))
        cur += size
    return typed(TList, out, "string")


def _s(f: Callable[[str], Any]) -> Func:
    def g(args: list[Any]) -> Any:
        _arity(args, 1)
        return f(to_str(args[0]))

    return g


def _conv(kind: str) -> Func:
    def g(args: list[Any]) -> Any:
        _arity(args, 1, name=f"to{kind}")
        return TypedNull(kind) if args[0] is None else convert(args[0], kind)  # a null of that type

    return g


FUNCTIONS: dict[str, Func] = {
    "lower": _s(_go_lower),
    "upper": _s(_go_upper),
    "title": _s(_go_title),
    "trimspace": _trimspace,
    "chomp": _s(lambda s: re.sub(r"(?:\r\n|\r|\n)+\Z", "", s)),
    "strrev": _s(lambda s: "".join(reversed(_graphemes(s)))),
    "format": _format,
    "formatlist": _formatlist,
    "indent": _indent,
    "join": _join,
    "split": _split,
    "concat": _concat,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "tostring": _conv("string"),
    "tonumber": _conv("number"),
    "tobool": _conv("bool"),
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "merge": _merge,
    "length": _length,
    "keys": _keys,
    "values": _values,
    "contains": _contains,
    "replace": _replace,
    "substr": _substr,
    "trim": _trim,
    "trimprefix": lambda a: to_str(a[0]).removeprefix(to_str(a[1])),
    "trimsuffix": lambda a: to_str(a[0]).removesuffix(to_str(a[1])),
    "startswith": _startswith,
    "endswith": _endswith,
    "strcontains": lambda a: to_str(a[1]) in to_str(a[0]),
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "cidrsubnet": _cidrsubnet,
    "cidrsubnets": _cidrsubnets,
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": _compact,
    "reverse": _reverse,
    "sort": _sort,
    "zipmap": _zipmap,
    "range": _range,
    "min": lambda a: _minmax(a, -1),
    "max": lambda a: _minmax(a, 1),
    "abs": _abs,
    "ceil": _ceil,
    "floor": _floor,
    "signum": _signum,
    "log": _log,
    "pow": _pow,
    "parseint": _parseint,
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "yamldecode": _yamldecode,
    "one": _one,
    "regex": _regex,
    "regexall": _regexall,
    "slice": _slice,
    "sum": _sum,
    "index": _index,
    "alltrue": _alltrue,
    "anytrue": _anytrue,
    "chunklist": _chunklist,
    "matchkeys": _matchkeys,
    "transpose": _transpose,
    "setunion": _setunion,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "setproduct": _setproduct,
    "base64encode": _b64encode,
    "base64decode": _b64decode,
    "textencodebase64": lambda a: _text_b64(a, False),
    "textdecodebase64": lambda a: _text_b64(a, True),
    "csvdecode": _csvdecode,
    "urlencode": _urlencode,
    "md5": _hash("md5"),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "base64sha256": _hash("sha256", True),
    "base64sha512": _hash("sha512", True),
    "uuidv5": _uuidv5,
    "basename": _basename,
    "formatdate": _formatdate,
    "timeadd": _timeadd,
    "timecmp": _timecmp,
    "yamlencode": _yamlencode,
    "dirname": _dirname,
    "nonsensitive": lambda a: a[0],
    "sensitive": lambda a: Unknown("a sensitive value is not shown"),
}

# Functions that look at unknown arguments themselves (an unknown element need not make all unknown).
TOLERANT = frozenset({"concat", "merge", "length", "tolist", "toset", "coalesce", "lookup", "element",
                      "keys", "flatten", "compact", "reverse", "one", "nonsensitive", "sensitive"})

# Functions whose result depends on the machine, the clock or chance: never evaluated, by design.
NOT_STATIC = {
    **dict.fromkeys(("file", "fileexists", "fileset", "filebase64", "filemd5", "filesha1", "filesha256",
                     "filesha512", "filebase64sha256", "filebase64sha512", "templatefile"),
                    "reads files, which xborder does not do"),
    **dict.fromkeys(("abspath", "pathexpand"), "depends on the machine running Terraform"),
    **dict.fromkeys(("timestamp", "plantimestamp"), "reads the clock"),
    **dict.fromkeys(("uuid", "bcrypt"), "is random"),
}


def call(name: str, args: list[Any]) -> Any:
    """Apply a built-in; Unknown for functions we do not evaluate or unknown inputs."""
    short = name.split("::")[-1] if name.startswith(("core::", "provider::terraform::")) else name
    f = FUNCTIONS.get(short)
    if f is None:
        why = NOT_STATIC.get(short)
        if why is not None:
            return Unknown(f"function {name} {why}; its result is not known statically")
        return Unknown(f"function {name} is not evaluated")
    if short not in TOLERANT:
        u = next((deep_unknown(a) for a in args if deep_unknown(a) is not None), None)
        if u is not None:
            return u
    else:
        u = next((unknown_of(a) for a in args if unknown_of(a) is not None), None)
        if u is not None and short not in ("coalesce",):
            return u
    try:
        out = f(args)
    except (EvalError, OverBudget, RecursionError, MemoryError):
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError, ZeroDivisionError) as e:
        raise EvalError(f"{name}(): {e}") from None
    if isinstance(out, str):
        return out if out.isascii() else nfc(out)
    return norm_number(out) if is_number(out) else out


def nfc(s: str) -> str:
    """A text as a Terraform string holds it: NFC-normalised (cty normalises every string it is given, so
    `join("", ["e", "\\u0301"])` and a decoded `e` + combining accent are the one character `é`)."""
    import unicodedata

    return s if unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


def _nfc_deep(v: Any, name: str) -> Any:
    """`nfc` of every string of a decoded JSON document. An object key that NFC changes is an error in Terraform
    (cty normalises the attribute name, then looks the original up: `unsupported attribute`)."""
    if isinstance(v, str):
        return v if v.isascii() else nfc(v)
    if isinstance(v, list):
        return [_nfc_deep(x, name) for x in v]
    if isinstance(v, dict):
        for k in v:
            if not k.isascii() and nfc(k) != k:
                raise EvalError(f'{name}(): unsupported attribute "{nfc(k)}"')
        return {k: _nfc_deep(x, name) for k, x in v.items()}
    return v
