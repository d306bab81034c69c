"""Terraform built-in functions that matter for finding endpoints, on already-evaluated arguments.

`try` and `can` need unevaluated arguments and live in the evaluator. A function that is not
listed here evaluates to Unknown("function f is not evaluated"). Functions get Unknown-free
arguments unless they are marked as tolerant (they pass unknown elements through).
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Callable
from typing import Any

from xborder.inputs.terraform.values import (
    EvalError,
    deep_unknown,
    equal,
    is_number,
    make_set,
    norm_number,
    to_bool,
    to_list,
    to_number,
    to_str,
    type_name,
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


_VERB = re.compile(r"%(\[\d+\])?([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def _format(args: list[Any]) -> str:
    if not args:
        raise EvalError("format() needs a format string")
    fmt = to_str(args[0])
    vals = args[1:]
    pos = 0
    out: list[str] = []
    last = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[last : m.start()])
        last = m.end()
        idx, flags, width, prec, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if idx:
            pos = int(idx[1:-1]) - 1
        if pos >= len(vals):
            raise EvalError("format(): not enough arguments for the format string")
        v = vals[pos]
        pos += 1
        if verb == "s":
            s = to_str(v)
        elif verb == "q":
            s = json.dumps(to_str(v))
        elif verb == "v":
            s = to_str(v) if not isinstance(v, (list, dict)) else json.dumps(v, separators=(",", ":"))
        elif verb == "d":
            s = str(int(to_number(v)))
        elif verb in "fFeEgG":
            p = int(prec) if prec is not None else 6
            s = f"{float(to_number(v)):.{p}{verb.lower() if verb in 'Ff' else verb}}"
            prec = None
        elif verb == "t":
            s = "true" if to_bool(v) else "false"
        elif verb in "xX":
            s = format(int(to_number(v)), verb) if is_number(v) or not isinstance(v, str) else v.encode().hex()
        elif verb == "o":
            s = format(int(to_number(v)), "o")
        elif verb == "b":
            s = format(int(to_number(v)), "b")
        else:
            raise EvalError(f"format(): unsupported verb %{verb}")
        if prec is not None and verb in "sqv":
            s = s[: int(prec)]
        if width:
            w = int(width)
            if "-" in flags:
                s = s.ljust(w)
            elif "0" in flags and verb in "dfFeEgGxXob":
                s = s.rjust(w, "0")
            else:
                s = s.rjust(w)
        out.append(s)
    out.append(fmt[last:])
    return "".join(out)


def _formatlist(args: list[Any]) -> list[str]:
    lists = [a for a in args[1:] if isinstance(a, list)]
    n = len(lists[0]) if lists else 1
    return [_format([args[0]] + [a[i] if isinstance(a, list) else a for a in args[1:]]) for i in range(n)]


def _lookup(args: list[Any]) -> Any:
    _arity(args, 2, 3, "lookup")
    m, key = args[0], to_str(args[1])
    if isinstance(m, Unknown):
        return m
    m = _map(m)
    if key in m:
        return m[key]
    if len(args) == 3:
        return args[2]
    raise EvalError(f"lookup(): the map has no key {key!r} and no default was given")


def _element(args: list[Any]) -> Any:
    _arity(args, 2, name="element")
    lst = to_list(args[0])
    if not lst:
        raise EvalError("element() on an empty list")
    return lst[int(to_number(args[1])) % len(lst)]


def _coalesce(args: list[Any]) -> Any:
    for a in args:
        u = unknown_of(a)
        if u is not None:
            return u
        if a is not None and a != "":
            return a
    raise EvalError("coalesce(): no non-null, non-empty argument")


def _concat(args: list[Any]) -> list[Any]:
    out: list[Any] = []
    for a in args:
        u = unknown_of(a)
        if u is not None:
            return u  # type: ignore[return-value]
        out.extend(to_list(a))
    return out


def _merge(args: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in args:
        if a is None:
            continue
        u = unknown_of(a)
        if u is not None:
            return u  # type: ignore[return-value]
        out.update(_map(a))
    return out


def _length(args: list[Any]) -> int:
    _arity(args, 1, name="length")
    v = args[0]
    u = unknown_of(v)
    if u is not None:
        return u  # type: ignore[return-value]
    if isinstance(v, (list, dict)):
        return len(v)
    if isinstance(v, str):
        return len(v)
    raise EvalError(f"length() of {type_name(v)}")


def _tolist(args: list[Any]) -> Any:
    _arity(args, 1, name="tolist")
    u = unknown_of(args[0])
    return u if u is not None else list(to_list(args[0]))


def _toset(args: list[Any]) -> Any:
    _arity(args, 1, name="toset")
    u = unknown_of(args[0])
    if u is not None:
        return u
    items = to_list(args[0])
    if any(unknown_of(x) is not None for x in items):
        return next(unknown_of(x) for x in items if unknown_of(x) is not None)
    return make_set(items)


def _tomap(args: list[Any]) -> Any:
    _arity(args, 1, name="tomap")
    return _map(args[0])


def _substr(args: list[Any]) -> str:
    _arity(args, 3, name="substr")
    s, off, ln = to_str(args[0]), int(to_number(args[1])), int(to_number(args[2]))
    if off < 0:
        off = max(len(s) + off, 0)
    return s[off:] if ln < 0 else s[off : off + ln]


# RE2 (Terraform's regex syntax) POSIX classes, as Python character-class contents
_POSIX = {
    "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z",
    "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f", "punct": "!-/:-@\\[-`{-~",
}
_POSIX_CLASS = re.compile(r"\[:(\^?)([a-z]+):\]")


def re2_to_python(pattern: str) -> str:
    """An RE2 pattern in Python `re` syntax: POSIX classes (`[[:alnum:]]`, `[[:^space:]]`) and `\\z`."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append("\\Z" if pattern[i + 1] == "z" else pattern[i : i + 2])
            i += 2
            continue
        if c != "[":
            out.append(c)
            i += 1
            continue
        # a bracket expression: copy it, expanding POSIX classes
        j = i + 1
        negate = j < n and pattern[j] == "^"
        if negate:
            j += 1
        body: list[str] = []
        negated_classes: list[str] = []
        first = True
        while j < n and (pattern[j] != "]" or first):
            m = _POSIX_CLASS.match(pattern, j)
            if m:
                if m.group(2) not in _POSIX:
                    raise EvalError(f"invalid character class [:{m.group(2)}:]")
                (negated_classes if m.group(1) else body).append(_POSIX[m.group(2)])
                j = m.end()
            elif pattern[j] == "\\" and j + 1 < n:
                body.append(pattern[j : j + 2])
                j += 2
            else:
                body.append("\\[" if pattern[j] == "[" else pattern[j])
                j += 1
            first = False
        if j >= n:
            raise EvalError("missing closing ]")
        if negated_classes:
            if body or negate or len(negated_classes) > 1:
                raise EvalError("negated POSIX class mixed with other members is not supported")
            out.append("[^" + negated_classes[0] + "]")
        else:
            out.append("[" + ("^" if negate else "") + "".join(body) + "]")
        i = j + 1
    return "".join(out)


def _replace(args: list[Any]) -> str:
    _arity(args, 3, name="replace")
    s, sub, rep = to_str(args[0]), to_str(args[1]), to_str(args[2])
    if len(sub) > 1 and sub.startswith("/") and sub.endswith("/"):
        # Go's ReplaceAllString: $1 / ${1} / ${name} refer to groups, $$ is a dollar, backslashes are literal
        py_rep = re.sub(r"\$(?:\{(\w+)\}|(\w+)|(\$))", lambda m: "$" if m.group(3) else f"\\g<{m.group(1) or m.group(2)}>",
                        rep.replace("\\", "\\\\"))
        try:
            return re.sub(re2_to_python(sub[1:-1]), py_rep, s)
        except (re.error, IndexError) as e:
            raise EvalError(f"replace(): invalid regular expression: {e}") from None
    return s.replace(sub, rep)


def _match_value(m: re.Match[str]) -> Any:
    """Terraform's regex result: the match, the list of groups, or the map of named groups."""
    if m.re.groupindex:
        return {name: m.group(name) for name in m.re.groupindex}
    if m.re.groups:
        return list(m.groups())
    return m.group(0)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(re2_to_python(pattern))
    except re.error as e:
        raise EvalError(f"invalid regular expression {pattern!r}: {e}") from None


def _regex(args: list[Any]) -> Any:
    _arity(args, 2, 2, "regex")
    m = _compile(to_str(args[0])).search(to_str(args[1]))
    if m is None:
        raise EvalError("regex(): the pattern did not match")
    return _match_value(m)


def _regexall(args: list[Any]) -> list[Any]:
    _arity(args, 2, 2, "regexall")
    return [_match_value(m) for m in _compile(to_str(args[0])).finditer(to_str(args[1]))]


def _jsondecode(args: list[Any]) -> Any:
    _arity(args, 1, 1, "jsondecode")
    try:
        return json.loads(to_str(args[0]))
    except ValueError as e:
        raise EvalError(f"jsondecode(): {e}") from None


def _slice(args: list[Any]) -> list[Any]:
    _arity(args, 3, 3, "slice")
    lst, start, end = to_list(args[0]), to_number(args[1]), to_number(args[2])
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end <= len(lst):
        raise EvalError("slice(): index out of range")
    return lst[start:end]


def _index(args: list[Any]) -> int:
    _arity(args, 2, 2, "index")
    for i, x in enumerate(to_list(args[0])):
        if equal(x, args[1]):
            return i
    raise EvalError("index(): the value is not in the list")


def _cidrhost(args: list[Any]) -> str:
    _arity(args, 2, name="cidrhost")
    try:
        net = ipaddress.ip_network(to_str(args[0]), strict=False)
    except ValueError as e:
        raise EvalError(f"cidrhost(): {e}") from None
    n = int(to_number(args[1]))
    if n < 0:
        n += net.num_addresses
    if not 0 <= n < net.num_addresses:
        raise EvalError("cidrhost(): host number out of range")
    return str(net.network_address + n)


def _cidrsubnet(args: list[Any]) -> str:
    _arity(args, 3, name="cidrsubnet")
    try:
        net = ipaddress.ip_network(to_str(args[0]), strict=False)
        bits, num = int(to_number(args[1])), int(to_number(args[2]))
        new = net.prefixlen + bits
        subs = net.subnets(new_prefix=new)
        base = int(net.network_address) + num * (1 << (net.max_prefixlen - new))
        if num >= (1 << bits) or num < 0:
            raise ValueError("subnet number out of range")
        del subs
        return str(ipaddress.ip_network((base, new)))
    except ValueError as e:
        raise EvalError(f"cidrsubnet(): {e}") from None


def _flatten(args: list[Any]) -> list[Any]:
    out: list[Any] = []

    def walk(v: Any, depth: int) -> None:
        if depth > 100:
            raise EvalError("flatten(): nested too deeply")
        for x in to_list(v):
            if isinstance(x, list):
                walk(x, depth + 1)
            else:
                out.append(x)

    walk(args[0], 0)
    return out


def _range(args: list[Any]) -> list[Any]:
    nums = [to_number(a) for a in args]
    start: int | float
    stop: int | float
    step: int | float
    if len(nums) == 1:
        start, stop, step = 0, nums[0], 1
    elif len(nums) == 2:
        start, stop, step = nums[0], nums[1], 1
    else:
        start, stop, step = nums[0], nums[1], nums[2]
    if step == 0 or abs((stop - start) / step) > 1024:
        raise EvalError("range(): too many elements")
    out, x = [], start
    while (step > 0 and x < stop) or (step < 0 and x > stop):
        out.append(norm_number(x))
        x += step
    return out


def _jsonencode(args: list[Any]) -> str:
    return json.dumps(args[0], separators=(",", ":"), sort_keys=True)


def _one(args: list[Any]) -> Any:
    lst = to_list(args[0])
    if len(lst) > 1:
        raise EvalError("one(): more than one element")
    return lst[0] if lst else None


def _s(f: Callable[[str], Any]) -> Func:
    def g(args: list[Any]) -> Any:
        _arity(args, 1)
        return f(to_str(args[0]))

    return g


FUNCTIONS: dict[str, Func] = {
    "lower": _s(str.lower),
    "upper": _s(str.upper),
    "title": _s(str.title),
    "trimspace": _s(str.strip),
    "chomp": _s(lambda s: s.rstrip("\r\n")),
    "format": _format,
    "formatlist": _formatlist,
    "join": lambda a: to_str(a[0]).join(to_str(x) for lst in a[1:] for x in to_list(lst)),
    "split": lambda a: to_str(a[1]).split(to_str(a[0])) if to_str(a[0]) else list(to_str(a[1])),
    "concat": _concat,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": lambda a: next((x for x in a if to_list(x)), []),
    "tostring": lambda a: None if a[0] is None else to_str(a[0]),
    "tonumber": lambda a: None if a[0] is None else to_number(a[0]),
    "tobool": lambda a: None if a[0] is None else to_bool(a[0]),
    "tolist": _tolist,
    "toset": _toset,
    "tomap": _tomap,
    "merge": _merge,
    "length": _length,
    "keys": lambda a: sorted(_map(a[0]).keys()),
    "values": lambda a: [v for _, v in sorted(_map(a[0]).items())],
    "contains": lambda a: any(equal(x, a[1]) for x in to_list(a[0])),
    "replace": _replace,
    "substr": _substr,
    "trim": lambda a: to_str(a[0]).strip(to_str(a[1])),
    "trimprefix": lambda a: to_str(a[0]).removeprefix(to_str(a[1])),
    "trimsuffix": lambda a: to_str(a[0]).removesuffix(to_str(a[1])),
    "startswith": lambda a: to_str(a[0]).startswith(to_str(a[1])),
    "endswith": lambda a: to_str(a[0]).endswith(to_str(a[1])),
    "strcontains": lambda a: to_str(a[1]) in to_str(a[0]),
    "cidrhost": _cidrhost,
    "cidrsubnet": _cidrsubnet,
    "flatten": _flatten,
    "distinct": lambda a: [x for i, x in enumerate(to_list(a[0])) if not any(equal(x, y) for y in to_list(a[0])[:i])],
    "compact": lambda a: [x for x in to_list(a[0]) if x not in (None, "")],
    "reverse": lambda a: list(reversed(to_list(a[0]))),
    "sort": lambda a: sorted(to_str(x) for x in to_list(a[0])),
    "zipmap": lambda a: dict(zip((to_str(k) for k in to_list(a[0])), to_list(a[1]))),
    "range": _range,
    "min": lambda a: min(to_number(x) for x in a),
    "max": lambda a: max(to_number(x) for x in a),
    "abs": lambda a: abs(to_number(a[0])),
    "ceil": lambda a: math.ceil(to_number(a[0])),
    "floor": lambda a: math.floor(to_number(a[0])),
    "jsonencode": _jsonencode,
    "one": _one,
    "regex": _regex,
    "regexall": _regexall,
    "jsondecode": _jsondecode,
    "slice": _slice,
    "sum": lambda a: sum(to_number(x) for x in to_list(a[0])),
    "index": _index,
}

# Functions that look at unknown arguments themselves (an unknown element need not make all unknown).
TOLERANT = frozenset({"concat", "merge", "length", "tolist", "toset", "coalesce", "lookup", "element",
                      "keys", "flatten", "compact", "reverse", "one"})


def call(name: str, args: list[Any]) -> Any:
    """Apply a built-in; Unknown for functions we do not evaluate or unknown inputs."""
    short = name.split("::")[-1] if name.startswith("core::") else name
    f = FUNCTIONS.get(short)
    if f is None:
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
    except EvalError:
        raise
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError, ZeroDivisionError) as e:
        raise EvalError(f"{name}(): {e}") from None
    return norm_number(out) if is_number(out) else out
