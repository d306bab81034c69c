"""A template's `Rules`: which parameter values CloudFormation refuses, so that a world it forbids is not judged.

`Rules: {Name: {RuleCondition: C, Assertions: [{Assert: A, AssertDescription: D}]}}` is checked before any resource
is created: when C holds (or there is no C) and an A is false, the stack is not created or updated. A world (the
defaults with one parameter at another allowed value, `worlds.py`) that a rule forbids is a deployment that cannot
happen, and judging it reported a crossing nobody can deploy. Each rule that names the world's parameter is evaluated
with the world's values: `Ref` to parameters, literals, `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`,
`Fn::Contains`, `Fn::EachMemberEquals`, `Fn::EachMemberIn`. What needs AWS (`Fn::ValueOf`, `Fn::ValueOfAll`,
`Fn::RefAll`), a parameter without Default, or anything else is not known: the world stays judged, and its finding
says that the rule may forbid it. A rule that does not name the parameter gives the world what it gives the defaults.
"""

from __future__ import annotations

from typing import Any

from xborder.model import Unknown, world_text

MAX_DEPTH = 50  # rule functions nested deeper are not read (not known)
# rule parts (mappings and lists) evaluated per template, over all the values checked: each check evaluates the rules
# again (30,000 assertions took 1.8 s per value, 61 s for a template of 200 allowed values). Past it a value is judged,
# with the doubt; the first check is always made.
MAX_WORK = 200_000


def size(rules: Any) -> int:
    """The parts (mappings and lists) of a template's `Rules`: what one check may evaluate (bounded by `MAX_WORK`)."""
    count, stack = 0, [rules]
    while stack and count <= MAX_WORK:
        node = stack.pop()
        if isinstance(node, dict):
            count += 1
            stack.extend(node.values())
        elif isinstance(node, list):
            count += 1
            stack.extend(node)
    return count


def check(rules: Any, parameter: str | None, value_of: Any, it: str = "it", unless: str | None = None) -> tuple[str, str]:
    """(why a rule forbids the world, "") or ("", why a rule may forbid it) or ("", "") for the world in which
    `parameter` takes another value; `value_of(node)` evaluates a value node with the world's parameters.
    `parameter` None: the defaults themselves, checked against every rule (`it` names them in the reason), or every
    rule not naming `unless` (what a world of that parameter keeps of the defaults)."""
    if not isinstance(rules, dict):
        return "", ""
    value_of = _reading_aws(value_of)
    doubts: list[str] = []
    for name, rule in rules.items():
        if not isinstance(rule, dict):
            continue
        if parameter is not None or unless is not None:
            names = _names(rule)
            if parameter is not None and parameter not in names and _DEEPER not in names:
                continue
            if unless is not None and (unless in names or _DEEPER in names):  # may read the world's value
                continue
        cond: Any = True if "RuleCondition" not in rule else _truth(rule["RuleCondition"], value_of)
        if cond is False:
            continue
        asserts = rule.get("Assertions")
        outcomes = ([(a.get("AssertDescription"), _truth(a.get("Assert"), value_of)) for a in asserts if isinstance(a, dict)]
                    if isinstance(asserts, list) else [])
        if not isinstance(asserts, list) or len(outcomes) != len(asserts):
            doubts.append(f"template rule {name} may forbid {it}: its Assertions are not a list of {{Assert: ...}}")
            continue
        failed = [desc for desc, v in outcomes if v is False]
        if failed and cond is True:
            desc = next((d for d in failed if isinstance(d, str) and d.strip()), None)
            return f"template rule {name} forbids {it}" + (f" ({_short(desc)})" if desc else " (an assertion is false)"), ""
        if failed:
            doubts.append(f"template rule {name} may forbid {it}: an assertion is false, its RuleCondition is not known "
                          f"statically ({cond.reason})")
            continue
        unknown = next((v for _, v in outcomes if isinstance(v, Unknown)), None)
        if unknown is not None:
            doubts.append(f"template rule {name} may forbid {it}: an assertion is not known statically ({unknown.reason})")
    return "", "; ".join(doubts)


_AWS = ("Fn::ValueOf", "Fn::ValueOfAll", "Fn::RefAll")  # rule functions that read the account (no static value)


def _reading_aws(value_of: Any) -> Any:
    def value(node: Any) -> Any:
        if isinstance(node, dict) and len(node) == 1 and next(iter(node)) in _AWS:
            return Unknown(f"{next(iter(node))} reads the AWS account at deploy time")
        return value_of(node)

    return value


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:117] + "..."


_DEEPER = object()  # among a rule's names: parts of it are nested too deeply to be looked at (it may read any parameter)


def _names(node: Any, depth: int = 0) -> set[Any]:
    """Parameters a rule reads (`Ref`, `Fn::ValueOf`), and `_DEEPER` when some of it is too deep to look at: such a
    rule was taken for one not naming the parameter, and ignored for its worlds without a word."""
    out: set[Any] = set()
    if depth > 2 * MAX_DEPTH:  # two levels per rule function (`{Fn::And: [...]}`): as deep as `_truth` reads
        out.add(_DEEPER)
        return out
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "Ref" and isinstance(child, str):
                out.add(child)
            elif key == "Fn::ValueOf" and isinstance(child, list) and child and isinstance(child[0], str):
                out.add(child[0])
            out |= _names(child, depth + 1)
    elif isinstance(node, list):
        for child in node:
            out |= _names(child, depth + 1)
    return out


def _truth(node: Any, value_of: Any, depth: int = 0) -> bool | Unknown:
    """A rule condition or assertion: True, False or Unknown (with the reason)."""
    if depth > MAX_DEPTH:
        return Unknown(f"rule functions nested deeper than {MAX_DEPTH} levels")
    fn, arg = next(iter(node.items())) if isinstance(node, dict) and len(node) == 1 else (None, None)
    if fn in ("Fn::And", "Fn::Or"):
        parts = [_truth(c, value_of, depth + 1) for c in arg] if isinstance(arg, list) and arg else []
        if not parts:
            return Unknown(f"{fn} needs conditions")
        decisive = fn == "Fn::Or"  # Or: any True decides; And: any False decides
        if any(p is decisive for p in parts):
            return decisive
        return next((p for p in parts if isinstance(p, Unknown)), not decisive)
    if fn == "Fn::Not":
        inner = _truth(arg[0] if isinstance(arg, list) and len(arg) == 1 else arg, value_of, depth + 1)
        return inner if isinstance(inner, Unknown) else not inner
    if fn in ("Fn::Equals", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn"):
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown(f"{fn} needs two arguments")
        left, right = (value_of(a) for a in arg)
        if fn == "Fn::Equals":
            return _same(left, right)
        if fn == "Fn::Contains":  # [list of strings, string]: the string is one of them
            return _membership(left)(right)
        if fn == "Fn::EachMemberEquals":  # [list of strings, string]: every member is the string
            return _all(left, lambda item: _same(item, right))
        return _all(left, _membership(right))  # EachMemberIn: [to check, to match]
    value = value_of(node)
    text = world_text(value)
    if text in ("true", "false"):
        return text == "true"
    return value if isinstance(value, Unknown) else Unknown("not a rule function xborder reads")


def _same(left: Any, right: Any) -> bool | Unknown:
    lt, rt = world_text(left), world_text(right)
    if lt is None or rt is None:
        unknown = left if lt is None else right
        return unknown if isinstance(unknown, Unknown) else Unknown("not a plain value")
    return lt == rt


def _membership(items: Any) -> Any:
    """`item -> bool | Unknown`: is item one of `items` (`_same` with one of them)? The texts are gathered once,
    so a rule checking each member of one long list against another is linear, not their product."""
    if not isinstance(items, list):
        unknown = items if isinstance(items, Unknown) else Unknown("not a list of strings")
        return lambda item: unknown
    texts: set[str] = set()
    doubt: bool | Unknown = False  # what an item in none of the plain texts is: the first entry without one
    for x in items:
        text = world_text(x)
        if text is not None:
            texts.add(text)
        elif doubt is False:
            doubt = x if isinstance(x, Unknown) else Unknown("not a plain value")

    def member(item: Any) -> bool | Unknown:
        if not items:
            return False
        text = world_text(item)
        if text is None:
            return item if isinstance(item, Unknown) else Unknown("not a plain value")
        return True if text in texts else doubt

    return member


def _all(items: Any, test: Any) -> bool | Unknown:
    if not isinstance(items, list):
        return items if isinstance(items, Unknown) else Unknown("not a list of strings")
    results = [test(x) for x in items]
    if any(r is False for r in results):
        return False
    return next((r for r in results if isinstance(r, Unknown)), True)
