"""A CloudFormation JSON template's unlocated sections are read by `json`'s C scanner, with the same result.

Before: `jsonpos.parse_json` built a positioned node for every value, in Python: a 2.4 MB template of 30,000 rule
assertions took seconds to parse before any rule was read. Nothing reads positions inside Rules, Mappings,
Conditions, Outputs or Metadata, so those top-level members are now read as plain data in one C call
(`parse_json(text, plain)`): a "plain" node with the member's own span. Whatever `json` would read otherwise than
the node reader (NaN, Infinity, nesting past MAX_DEPTH, digits that are not ASCII, an invalid document) makes the
whole text be read node by node again, so the tree, or the error and its line, is always the node reader's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xborder.inputs.cloudformation.syntax import load_template
from xborder.inputs.terraform.jsonpos import MAX_DEPTH, JNode, JsonSyntaxError, parse_json

PLAIN = frozenset({"Rules", "Mappings"})
BUDGET = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _strict(value: Any) -> Any:
    """A value with its types spelled out: 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return ("dict", [(k, _strict(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_strict(v) for v in value])
    return (type(value).__name__, repr(value))


def _tree(node: JNode, plain_below: bool = False) -> Any:
    """Everything a caller can read of a node: kind, positions, and for plain members the plain data."""
    spot = (node.line, node.col, node.end_line, node.end_col, node.key_line, node.key_col)
    if node.kind == "plain" or plain_below:
        return ("plain", spot, _strict(node.plain()))
    if node.kind == "object":
        return ("object", spot, [(k, _tree(v)) for k, v in node.value])
    if node.kind == "array":
        return ("array", spot, [_tree(v) for v in node.value])
    return (node.kind, spot, _strict(node.value))


def _outcome(text: str, plain: frozenset[str]) -> Any:
    try:
        root = parse_json(text, plain)
    except JsonSyntaxError as e:
        return ("error", str(e), e.line)
    if root.kind != "object":
        return _tree(root)
    # members read plain are compared as plain data with the node reader's; every other position must be equal
    return ("object", (root.line, root.col, root.end_line, root.end_col),
            [(k, _tree(v, plain_below=k in PLAIN)) for k, v in root.value])


def _same(text: str) -> None:
    assert _outcome(text, PLAIN) == _outcome(text, frozenset()), text[:300]


NUMBERS = st.sampled_from(["0", "-0", "1", "1.0", "1e2", "1E+2", "2.5", "-1.5e-3", "9007199254740993.0", "1e999",
                           "12345678901234567890", "9" * 5000, "NaN", "Infinity", "-Infinity", "\u0661\u0662", "01",
                           "1.", ".5", "+1", "1e"])
STRINGS = st.sampled_from(['"a"', '"\\u00e9"', '"\\ud800"', '"\\n\\t\\""', '"\\x"', '"tab\there"', '"é中"', '""',
                           '"line\nbreak"'])
SCALARS = st.one_of(NUMBERS, STRINGS, st.sampled_from(["true", "false", "null", "tru", "nul"]))
WS = st.sampled_from(["", " ", "\n", "\r\n", "\t", "\n  ", "\x0c"])


def _join(ws: list[str], parts: list[str]) -> str:
    return "".join(w + p for w, p in zip(ws, parts))


values = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(['"k"', '"Ref"', '"Fn::Not"', '"k"']), inner), max_size=4)
        .map(lambda kvs: "{" + ",\n".join(f"{k}: {v}" for k, v in kvs) + "}"),
        st.sampled_from(["[1,]", '{"a" 1}', '{"a":}', "[", "{", "]"]),
    ),
    max_leaves=20,
)


@BUDGET
@given(st.lists(st.tuples(st.sampled_from(['"Rules"', '"Mappings"', '"Resources"', '"Rules"']), values), max_size=4),
       st.lists(WS, min_size=12, max_size=12))
def test_plain_members_read_as_the_node_reader_reads_them(members: list[tuple[str, str]], ws: list[str]) -> None:
    parts = ["{"]
    for i, (k, v) in enumerate(members):
        parts += [k, ":", v] + ([","] if i < len(members) - 1 else [])
    parts.append("}")
    _same(_join(ws * 4, parts))


@pytest.mark.parametrize("rules", [
    "NaN", "[Infinity]", "[-Infinity]", '{"a": [1, 2,]}', "[\u0661]", '"\\x"', "[1 2]", '{"a": 1} x',
    "1.0", "[1e2, 2.5, 1e999]", "9" * 5000, '{"a": 1, "a": 2}', "[]", "{}", '"\u2028"',
])
def test_traps_read_as_before(rules: str) -> None:
    _same('{\n  "Resources": {"R": {"Type": "AWS::SNS::Topic"}},\n  "Rules": ' + rules + ',\n  "Outputs": {}\n}\n')


@pytest.mark.parametrize("depth", [MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 5000])
def test_nesting_at_the_limit_reads_as_before(depth: int) -> None:
    for inner in ("1", "[]"):
        _same('{"Rules": ' + "[" * depth + inner + "]" * depth + "}")


def test_a_plain_member_is_one_node_with_its_own_span() -> None:
    text = '{\n  "Rules": {\n    "R": {"Assertions": [{"Assert": true}]}\n  },\n  "Resources": {}\n}\n'
    root = parse_json(text, PLAIN)
    rules = root.get("Rules")
    assert rules is not None and rules.kind == "plain", rules
    assert rules.value == {"R": {"Assertions": [{"Assert": True}]}}
    assert (rules.key_line, rules.key_col, rules.line, rules.col, rules.end_line, rules.end_col) == (2, 3, 2, 12, 4, 4)
    assert root.get("Resources").kind == "object"  # type: ignore[union-attr]


def test_a_template_reads_the_same_as_its_node_by_node_reading() -> None:
    """The CloudFormation view: Rules are plain data now; Resources keep every span, as before."""
    template = {
        "Parameters": {"Peer": {"Type": "String", "Default": "203.186.1.1"}},
        "Rules": {"R": {"Assertions": [{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Peer"}, f"1.1.1.{i}"]}]}}
                                       for i in range(50)]}},
        "Mappings": {"M": {"cn-north-1": {"Peer": "223.5.5.5"}}},
        "Resources": {"Cgw": {"Type": "AWS::EC2::CustomerGateway", "Properties": {"IpAddress": {"Ref": "Peer"}}}},
    }
    text = json.dumps(template, indent=2)
    doc = load_template(text)
    assert doc == template
    resources = doc["Resources"]
    assert resources.key_spans["Cgw"][0] == text.splitlines().index('  "Resources": {') + 2
    assert doc["Resources"]["Cgw"]["Properties"].key_spans["IpAddress"][0] > 1
