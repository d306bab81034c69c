"""The other deployments a Terraform root module allows: one world per other value a variable's validation lists.

`validation { condition = contains(["cn-north-1", "ap-east-1"], var.region) }` on a variable with a default says
the module is meant to be applied with any of those values (given by tfvars, `-var` or the environment at apply
time); judging the default alone misses the Hong Kong one. As for CloudFormation AllowedValues
(`inputs/cloudformation/worlds.py`): one variable at a time, only variables that evaluating the resources of
interest read (relevance without a second walk: the root instance remembers the variables it evaluated), only
when no tfvars file or `--var` gives the variable a value, at most `MAX_WORLDS` per root module (the rest is an
XB002 finding at the variable). Only the plain form `contains([literal list], var.NAME)` is read.
"""

from __future__ import annotations

from typing import Any

from xborder import lazy

from xborder.inputs.terraform.expressions import Scope
from xborder.inputs.terraform.syntax import parse_expression_text
from xborder.model import Link, World, other_values, part_not_read, some_values, world_bound, world_room, world_text

MAX_WORLDS = 16  # per root module: each world evaluates the module tree again
# per root module: resources evaluated again over all its worlds (as for CloudFormation: a root module of 10,000
# resources took ~25 s over 16 worlds); a root module of more than 2,500 resources gets fewer worlds
MAX_WORLD_RESOURCES = 40_000
NOUN = "variable"
ALLOWS = "one of the values its validation allows"


def of(cfg: Any, values: dict[str, Any], root: Any, ev: Any, links: list[Link],
       resources: int = 0) -> list[tuple[World, dict[str, Any]]]:
    """(world, root variable overrides) per other allowed value of each variable the default evaluation read; at most
    `MAX_WORLDS`, fewer for a root module of more than `MAX_WORLD_RESOURCES / MAX_WORLDS` `resources`."""
    read = set(getattr(root, "_vars", {})) | set(getattr(root, "_entries", {}))
    most = world_room(MAX_WORLDS, MAX_WORLD_RESOURCES, resources)
    out: list[tuple[World, dict[str, Any]]] = []
    for name, decl in cfg.variables.items():
        if name in values or name not in read:
            continue
        allowed, why = _allowed(decl, name, ev)
        if why:  # a list too large to evaluate: its values (a Hong Kong one among them) must not go unjudged silently
            links.append(part_not_read(
                decl.location, f"var.{name}", f'variable "{name}"', f"the values its validation allows are not judged ({why})",
                "narrow the validation to what is applied, or give the value in a tfvars file",
                f'an approval for rule XB002 in .xborder.yaml with `resource: "var.{name}"`, or '
                '`# xborder:ignore XB002 reason="..."` above the variable', "terraform"))
            continue
        if not allowed:
            continue
        default = world_text(root._vars.get(name)) if "default" in decl.attrs else None
        others = other_values(allowed, default)
        room = most - len(out)
        for value in others[:room]:
            world = World(parameter=name, values=(str(world_text(value)),), default=default, all_judged=len(others) <= room,
                          noun=NOUN, allows=ALLOWS)
            out.append((world, {name: value}))
        if len(others) > room:
            left = some_values([str(world_text(v)) for v in others[room:]])
            bound = world_bound(most, MAX_WORLDS, MAX_WORLD_RESOURCES, resources, "variable", "root module")
            links.append(part_not_read(
                decl.location, f"var.{name}", f'variable "{name}"',
                f"the values {left} its validation allows are not judged ({bound})",
                "narrow the validation to what is applied, or give the value in a tfvars file",
                f'an approval for rule XB002 in .xborder.yaml with `resource: "var.{name}"`, or '
                '`# xborder:ignore XB002 reason="..."` above the variable', "terraform"))
    return out


# `contains([...], var.NAME)`, laid out on several lines or with a trailing comma as `terraform fmt` keeps it
# matched by RE2 (linear time): with Python's backtracking the runs of `\s*` made a condition with 200,000 spaces
# before a stray character take about two minutes
_CONTAINS = lazy.linear_regex(r"(?s)^\s*(?:\$\{)?\s*contains\s*\(\s*(\[.*\])\s*,\s*var\.([A-Za-z_][A-Za-z0-9_-]*)\s*,?\s*\)\s*\}?\s*$")


def _conditions(decl: Any) -> list[str]:
    """The text of each validation condition: `validation` blocks, or in `.tf.json` the `validation` member (an
    object or a list of objects) whose `condition` is a `${...}` string."""
    out = [b.attrs["condition"].expr.text() for b in decl.blocks if b.type == "validation" and "condition" in b.attrs]
    node = getattr(getattr(decl.attrs.get("validation"), "expr", None), "node", None)
    if node is not None:
        bodies = [node] if node.kind == "object" else [n for n in node.value if n.kind == "object"] if node.kind == "array" else []
        out.extend(c.value for c in (b.get("condition") for b in bodies) if c is not None and c.kind == "string")
    return out


def _allowed(decl: Any, name: str, ev: Any) -> tuple[list[Any], str]:
    """The values of `contains([...], var.NAME)` in one of the variable's validation conditions; or why the list could
    not be evaluated when that is over a budget (a list of 100,000 values is over the evaluation's step budget)."""
    for text in _conditions(decl):
        m = _CONTAINS.match(text)
        if m is None or m.group(2) != name:
            continue
        expr = parse_expression_text(m.group(1))
        value = ev.evaluate(expr, Scope()) if expr is not None else None
        if isinstance(value, list) and value and all(world_text(v) is not None for v in value):
            return value, ""
        reason = getattr(value, "reason", "")
        if isinstance(reason, str) and ("evaluation budget" in reason or "nested too deeply" in reason):
            return [], reason
    return [], ""
