"""Reads CloudFormation templates (YAML with short-form tags, or JSON) keeping line numbers.

Both forms become the same structure: mappings are `CfnMap` (a dict that also knows its span and the
span of each member), sequences are `CfnList`, scalars are plain Python values, and every short-form
tag becomes its long form (`!GetAtt A.B` -> `{"Fn::GetAtt": ["A", "B"]}`, `!Ref X` -> `{"Ref": "X"}`),
so the evaluator sees one shape only. The YAML loader is PyYAML's SafeLoader: it never builds
arbitrary Python objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xborder.inputs.terraform.jsonpos import JNode, JsonSyntaxError, parse_json
from xborder.yaml_budget import BudgetComposerMixin

# (start_line, start_col, end_line, end_col), 1-based.
Span = tuple[int, int, int, int]

# Every short-form tag CloudFormation knows (plus the LanguageExtensions ones).
SHORT_TAGS = (
    "Ref",
    "Condition",
    "Sub",
    "GetAtt",
    "Join",
    "Select",
    "Split",
    "If",
    "Equals",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Base64",
    "Cidr",
    "And",
    "Or",
    "Not",
    "Transform",
    "Length",
    "ToJsonString",
)


class TemplateSyntaxError(ValueError):
    """A template that is not valid YAML or JSON, with the 1-based line where it was noticed."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class CfnMap(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it was and where each member was."""

    span: Span = (1, 1, 1, 1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_spans: dict[str, Span] = {}


class CfnList(list):  # type: ignore[type-arg]
    span: Span = (1, 1, 1, 1)


def sub_variables(text: str) -> Iterator[tuple[int, int, str]]:
    """Each `${...}` of an `Fn::Sub` string: (start, end, the text between the braces), left to right; what the
    pattern `\\$\\{([^}]*)\\}` finds, in linear time (the pattern searched to the end of the text again from each
    `${` when no `}` follows: 21 s for 40,000 of them)."""
    pos = 0
    while True:
        start = text.find("${", pos)
        if start < 0:
            return
        close = text.find("}", start + 2)
        if close < 0:
            return  # no `}` after this `${`, so none after a later one either
        yield start, close + 1, text[start + 2 : close]
        pos = close + 1


def span_of(value: Any) -> Span | None:
    return getattr(value, "span", None)


# --------------------------------------------------------------------------------------------- YAML


class _Loader(BudgetComposerMixin, yaml.SafeLoader):
    """SafeLoader with CloudFormation tags, positions and dates kept as text; aliases and nesting
    within the budget of `xborder.yaml_budget` (an alias bomb is a syntax error, not work)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines = text.split("\n")


def _end(loader: _Loader, node: Node) -> tuple[int, int]:
    """End of a node; block collections end where the next token starts, so step back over blank lines and comments."""
    start, end = node.start_mark, node.end_mark
    line, col = end.line, end.column  # 0-based
    if isinstance(node, ScalarNode) and node.style not in ("|", ">"):
        return line + 1, col + 1
    before = loader.lines[line][:col] if line < len(loader.lines) else ""
    if not before.strip() and line > start.line:
        line -= 1
        while line > start.line:
            text = loader.lines[line].strip() if line < len(loader.lines) else ""
            if text and not text.startswith("#"):
                break
            line -= 1
        col = len(loader.lines[line].rstrip()) if line < len(loader.lines) else 0
    return line + 1, col + 1


def _span(loader: _Loader, node: Node) -> Span:
    end_line, end_col = _end(loader, node)
    return node.start_mark.line + 1, node.start_mark.column + 1, end_line, end_col


def _key_text(loader: _Loader, node: Node) -> str:
    if isinstance(node, ScalarNode):
        return str(node.value)
    raise yaml.constructor.ConstructorError(None, None, "a mapping key must be a plain value", node.start_mark)


def _construct_map(loader: _Loader, node: MappingNode) -> CfnMap:
    loader.flatten_mapping(node)
    out = CfnMap()
    out.span = _span(loader, node)
    for knode, vnode in node.value:
        key = _key_text(loader, knode)
        out[key] = loader.construct_object(vnode, deep=True)
        end_line, end_col = _end(loader, vnode)
        out.key_spans[key] = (knode.start_mark.line + 1, knode.start_mark.column + 1, end_line, end_col)
    return out


def _construct_seq(loader: _Loader, node: SequenceNode) -> CfnList:
    out = CfnList(loader.construct_object(child, deep=True) for child in node.value)
    out.span = _span(loader, node)
    return out


def _construct_text(loader: _Loader, node: ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _tag_constructor(name: str):  # type: ignore[no-untyped-def]
    long_name = name if name in ("Ref", "Condition") else f"Fn::{name}"

    def construct(loader: _Loader, node: Node) -> CfnMap:
        if isinstance(node, ScalarNode):
            inner: Any = str(loader.construct_scalar(node))
            if name == "GetAtt":
                res, _, attr = inner.partition(".")
                inner = CfnList([res, attr])
                inner.span = _span(loader, node)
        elif isinstance(node, SequenceNode):
            inner = _construct_seq(loader, node)
        else:
            inner = _construct_map(loader, node)  # type: ignore[arg-type]
        out = CfnMap({long_name: inner})
        out.span = _span(loader, node)
        out.key_spans[long_name] = out.span
        return out

    return construct


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)  # 2010-09-09 stays a string
for _tag in SHORT_TAGS:
    _Loader.add_constructor(f"!{_tag}", _tag_constructor(_tag))


def load_yaml(text: str) -> Any:
    try:
        loader = _Loader(text)  # the reader rejects control characters here already
    except yaml.YAMLError as e:
        raise TemplateSyntaxError(f"invalid YAML: {e}", 1) from None
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problem = e.problem or e.context or "invalid YAML"
        if e.context and e.problem:
            problem = f"{e.context}; {e.problem}"
        raise TemplateSyntaxError(f"invalid YAML: {problem}", line) from None
    except yaml.YAMLError as e:
        raise TemplateSyntaxError(f"invalid YAML: {e}", 1) from None
    except RecursionError:
        raise TemplateSyntaxError("invalid YAML: nested too deeply", 1) from None
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        raise TemplateSyntaxError(f"invalid YAML: {str(e)[:200]}", 1) from None
    finally:
        loader.dispose()


# --------------------------------------------------------------------------------------------- JSON


# Top-level sections whose positions nothing reads (findings point into Resources and Parameters; Mappings values
# are evaluated, never located): read as plain data, fast (a 2.4 MB template of Rules took seconds node by node).
_UNLOCATED = frozenset({"Rules", "Mappings", "Conditions", "Outputs", "Metadata"})


def _from_jnode(node: JNode) -> Any:
    if node.kind == "plain":
        return node.value
    if node.kind == "object":
        out = CfnMap()
        out.span = (node.line, node.col, node.end_line, node.end_col)
        for key, child in node.value:
            out[key] = _from_jnode(child)
            out.key_spans[key] = (child.key_line or child.line, child.key_col or child.col, child.end_line, child.end_col)
        return out
    if node.kind == "array":
        seq = CfnList(_from_jnode(child) for child in node.value)
        seq.span = (node.line, node.col, node.end_line, node.end_col)
        return seq
    return node.value


def load_json(text: str) -> Any:
    try:
        return _from_jnode(parse_json(text, _UNLOCATED))
    except JsonSyntaxError as e:
        raise TemplateSyntaxError(str(e), e.line) from None
    except RecursionError:
        raise TemplateSyntaxError("invalid JSON: nested too deeply", 1) from None


def load_template(text: str) -> Any:
    """Parse a template; JSON when the text starts with `{`, YAML otherwise."""
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("{"):
        return load_json(text)
    return load_yaml(text)
