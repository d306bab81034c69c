"""The other deployments a CloudFormation template allows: one world per other value of a parameter's AllowedValues.

Parameters are given at deploy time; the Default only pre-fills the console. A template whose `CgwIp` has Default
223.5.5.5 (mainland) and AllowedValues [223.5.5.5, 203.186.1.1] can deploy a VPN to Hong Kong, so judging the
defaults alone scanned it clean. A world is the default world with ONE parameter at another allowed value (every
allowed value when the parameter has no Default): not the cross product, which grows as the product of the lists
(ten parameters of three values are 59,049 deployments) while almost every link depends on one parameter. Only
parameters a link can depend on make worlds: those read, directly or through Conditions, Mappings keys and `Sub`,
by a resource a link can come from (`ctx.interest`) or by a resource such a resource refers to; an instance size
list makes none. At most `MAX_WORLDS` worlds per template; the values beyond are an XB002 finding at the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from xborder.inputs.cloudformation.syntax import sub_variables
from xborder.model import (
    LoadResult, Location, World, other_values, part_not_read, some_values, world_bound, world_room, world_text,
)

MAX_WORLDS = 32  # per template: each world evaluates the template again
# per template: values checked against the template's Rules (`rules.py`), forbidden ones included; each check
# evaluates the rules again (a 5,000-value list forbidden by a rule holding another 5,000 took 29 s, unbounded)
MAX_RULE_CHECKS = 4 * MAX_WORLDS
# per template: resources evaluated again over all its worlds (each world evaluates every resource): 3,000 VPNs
# (6,000 resources) took ~20-36 s of CPU over 31 worlds; now a template that large gets 6 worlds (~4 s)
MAX_WORLD_RESOURCES = 40_000

_LIST_TYPES = ("CommaDelimitedList", "List<", "AWS::SSM::Parameter::Value")


def of(doc: Any, rel: str, ctx: Any, result: LoadResult,
       rule_check: Callable[[str, dict[str, Any]], tuple[str, str]] | None = None,
       pinned: set[str] | frozenset[str] = frozenset(), resources: int = 0) -> list[tuple[World, dict[str, Any]]]:
    """(world, parameter overrides) for each other allowed value of each parameter a link can depend on, in the
    order of `Parameters` and of each list; values beyond `MAX_WORLDS` (fewer for a template of more than
    `MAX_WORLD_RESOURCES / MAX_WORLDS` `resources`: each world evaluates them all again) are an XB002 finding in `result`.

    `rule_check(parameter, overrides)` -> (why the template's Rules forbid that world, why they may): a forbidden
    value is no world (a note says so), a doubtful one is a world whose findings say the doubt (`rules.py`).
    A `pinned` parameter (its value given by a parameters file, `parameters.py`) makes no world."""
    params = doc.get("Parameters")
    if not isinstance(params, dict) or not any(isinstance(s, dict) and "AllowedValues" in s for s in params.values()):
        return []
    used = _used_parameters(doc, ctx)
    most = world_room(MAX_WORLDS, MAX_WORLD_RESOURCES, resources)
    out: list[tuple[World, dict[str, Any]]] = []
    checks = 0
    for name, spec in params.items():
        if name not in used or name in pinned or not isinstance(spec, dict):
            continue
        allowed = spec.get("AllowedValues")
        ptype = str(spec.get("Type", "String"))
        if not isinstance(allowed, list) or ptype.startswith(_LIST_TYPES):
            continue
        default = world_text(spec["Default"]) if "Default" in spec else None
        values = other_values(allowed, default)
        room = most - len(out)
        taken = 0  # values looked at: those a rule forbids take no room
        worlds: list[tuple[World, dict[str, Any]]] = []
        while taken < len(values) and len(worlds) < room and (rule_check is None or checks < MAX_RULE_CHECKS):
            value = values[taken]
            taken += 1
            shown = str(world_text(value))
            overrides = {name: "true" if value is True else "false" if value is False else value}
            own = _own_check(name, spec, shown, rel)
            if own is not None and own[1]:  # the parameter's own AllowedPattern, lengths or bounds refuse it
                result.notes.append(f"{rel}: parameter {name} = {_shown(shown)} is not judged as a deployment: "
                                    f"CloudFormation refuses it (the value {own[0]})")
                continue
            doubts = ((shown, f"CloudFormation may refuse it: the value {own[0]}"),) if own is not None else ()
            forbidden, doubt = ("", "")
            if rule_check is not None:
                checks += 1
                forbidden, doubt = rule_check(name, overrides)
            if forbidden:
                result.notes.append(f"{rel}: parameter {name} = {_shown(shown)} is not judged as a deployment: {forbidden}")
                continue
            worlds.append((World(parameter=name, values=(shown,), default=default,
                                 doubts=(*doubts, *(((shown, doubt),) if doubt else ()))), overrides))
        all_judged = taken == len(values)
        out += [(w if all_judged else replace(w, all_judged=False), o) for w, o in worlds]
        if not all_judged:
            _cut(params, name, [str(world_text(v)) for v in values[taken:]], rel, result, ruled=rule_check is not None,
                 most=most, resources=resources)
    return out


def _own_check(name: str, spec: dict[str, Any], value: str, rel: str) -> tuple[str, bool] | None:
    """`parameters.own_check` when the parameter has constraints besides its AllowedValues (else None, and the
    parameters module, which imports json, stays unimported)."""
    if not any(k in spec for k in ("AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue")) and \
            str(spec.get("Type", "String")).strip() != "Number":
        return None
    from xborder.inputs.cloudformation.parameters import own_check  # noqa: PLC0415

    return own_check(name, spec, value, rel)


def defaults_refused(doc: Any, rel: str, result: LoadResult, pinned: set[str] | frozenset[str] = frozenset()) -> None:
    """A Default the parameter's own constraints refuse: CloudFormation refuses a stack created without a value for
    it, so the defaults are not a deployment as they stand; the links are judged with them all the same (a note)."""
    params = doc.get("Parameters")
    if not isinstance(params, dict):
        return
    for name, spec in params.items():
        if not isinstance(spec, dict) or "Default" not in spec or name in pinned:  # a pinned value is checked itself
            continue
        shown = world_text(spec["Default"])
        own = _own_check(name, spec, shown, rel) if shown is not None else None
        if own is None:
            continue
        verdict = "CloudFormation refuses it" if own[1] else "CloudFormation may refuse it"
        result.notes.append(f"{rel}: parameter {name}'s Default {_shown(shown)} is judged although {verdict} (the "
                            f"value {own[0]}): a stack is created with another value")


def _shown(value: str) -> str:
    return value if len(value) <= 100 else value[:97] + "..."


def _cut(params: Any, name: str, left: list[str], rel: str, result: LoadResult, ruled: bool = False,
         most: int = MAX_WORLDS, resources: int = 0) -> None:
    """The allowed values not judged, as an XB002 finding at the parameter: never a silent limit."""
    span = getattr(params, "key_spans", {}).get(name)
    location = Location(rel, *(span or (1, 1, 1, 1)), label=name)
    address = f"Parameters.{name}"
    bound = world_bound(most, MAX_WORLDS, MAX_WORLD_RESOURCES, resources, "parameter", "template")
    result.links.append(part_not_read(
        location, address, f"parameter {name} of {rel}",
        f"its AllowedValues {some_values(left)} are not judged ({bound}"
        + (f", and at most {MAX_RULE_CHECKS} are checked against its Rules)" if ruled else ")"),
        "split the template, or narrow the AllowedValues to what is deployed",
        f"an approval for rule XB002 in .xborder.yaml with this template's path and `resource: \"{address}\"`, or "
        "`# xborder:ignore XB002 reason=\"...\"` on the comment lines above the parameter (YAML)",
        "cloudformation"))


def _used_parameters(doc: Any, ctx: Any) -> set[str]:
    """Parameters that resources a link can come from read, directly or through Conditions and other resources."""
    resources = doc.get("Resources")
    resources = resources if isinstance(resources, dict) else {}
    params = doc.get("Parameters") if isinstance(doc.get("Parameters"), dict) else {}
    conditions = doc.get("Conditions") if isinstance(doc.get("Conditions"), dict) else {}
    interest = getattr(ctx, "interest", None)
    types = None if interest is None else interest.types
    if interest is not None and any(
        isinstance(b, dict) and b.get("Type") in interest.whole_unit_types for b in resources.values()
    ):
        types = None  # an overlay is judged by every resource of its template
    todo = [lid for lid, body in resources.items() if types is None or not isinstance(body, dict)
            or str(lid).startswith("Fn::ForEach::") or body.get("Type") in types]
    seen_res: set[str] = set(todo)
    seen_cond: set[str] = set()
    names: set[str] = set()
    while todo:
        node = resources.get(todo.pop())
        found: set[str] = set()
        conds: set[str] = set()
        _walk(node, found, conds)
        cond_todo = list(conds)
        while cond_todo:
            cond = cond_todo.pop()
            if cond in seen_cond:
                continue
            seen_cond.add(cond)
            more: set[str] = set()
            _walk(conditions.get(cond), found, more)
            cond_todo.extend(more)
        for name in found:
            if name in params:
                names.add(name)
            elif name in resources and name not in seen_res:
                seen_res.add(name)
                todo.append(name)
    return names


def _walk(node: Any, names: set[str], conds: set[str], depth: int = 0) -> None:
    """Names `node` refers to (Ref, GetAtt, Sub variables) into `names`; condition names into `conds`."""
    if depth > 200:
        return
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "Ref" and isinstance(child, str):
                names.add(child)
            elif key == "Condition" and isinstance(child, str):
                conds.add(child)
            elif key == "Fn::If" and isinstance(child, list) and child and isinstance(child[0], str):
                conds.add(child[0])
            elif key == "Fn::GetAtt":
                target = child.split(".", 1)[0] if isinstance(child, str) else child[0] if isinstance(child, list) and child else None
                if isinstance(target, str):
                    names.add(target)
            elif key == "Fn::Sub":
                text = child[0] if isinstance(child, list) and child else child
                if isinstance(text, str):
                    names.update(inner.strip().split(".", 1)[0] for _, _, inner in sub_variables(text)
                                 if not inner.strip().startswith("!"))  # `${!Literal}` names nothing
            _walk(child, names, conds, depth + 1)
    elif isinstance(node, list):
        for child in node:
            _walk(child, names, conds, depth + 1)
