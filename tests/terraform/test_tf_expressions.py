"""The evaluator on its own: literals, templates, operators, for expressions, functions."""

from __future__ import annotations

from typing import Any

import pytest

from xborder.inputs.terraform.expressions import Evaluator, Scope
from xborder.inputs.terraform.syntax import parse_expression_text, parse_template_string
from xborder.inputs.terraform.values import EvalError
from xborder.model import Ref, Unknown

VARS = {"p": "hq", "n": 3, "m": {"a": "x", "b": "y"}, "l": [{"a": 1}, {"a": 2}], "u": Unknown("variable u unset"),
        "r": Ref("aws_x.y", "id")}


def _resolver(name: str) -> Any:
    if name == "var":
        return VARS
    raise EvalError(f"unknown name {name}")


def ev(src: str) -> Any:
    e = parse_expression_text(src)
    assert e is not None, src
    return Evaluator().evaluate(e, Scope(_resolver))


@pytest.mark.parametrize("src,expected", [
    ('"a-${var.p}-b"', "a-hq-b"),
    ('"${var.n}"', 3),
    ("var.n * 2 + 1 >= 7 ? \"big\" : \"small\"", "big"),
    ('[for k, v in var.m : upper(v) if k != "a"]', ["Y"]),
    ("{for k, v in var.m : v => k}", {"x": "a", "y": "b"}),
    ('{for k, v in var.m : "g" => v...}', {"g": ["x", "y"]}),
    ("var.l[*].a", [1, 2]),
    ("var.l.*.a", [1, 2]),
    ('format("%s-%03d", var.p, 7)', "hq-007"),
    ('join(",", ["a", "b"])', "a,b"),
    ('"%{ if var.n > 2 }yes%{ else }no%{ endif }"', "yes"),
    ('"%{ for k, v in var.m }${k}=${v};%{ endfor }"', "a=x;b=y;"),
    ('<<-EOT\n    a ${var.p}\n      b\n    EOT', "a hq\n  b\n"),
    ("<<EOT\nraw $${x}\nEOT", "raw ${x}\n"),
    ('"a\\"b\\n\\u00e9 $${x}"', 'a"b\né ${x}'),
    ('try(var.nope, "dflt")', "dflt"),
    ("try(var.m.zz, var.m.a)", "x"),
    ("can(var.m.zz)", False),
    ("can(var.m.a)", True),
    ('lookup(var.m, "a")', "x"),
    ('lookup(var.m, "q", "d")', "d"),
    ('cidrhost("10.0.0.0/24", 5)', "10.0.0.5"),
    ("-var.n", -3),
    ("!true || false", False),
    ("5 / 2", 2.5),
    ("7 % 4", 3),
    ("concat([1], [2, 3])", [1, 2, 3]),
    ("tostring(1.5)", "1.5"),
    ('"${~ var.p ~}  x"', "hqx"),
    ("(1 + 2) * 3", 9),
    ("merge({a = 1}, {b = 2}, {a = 3})", {"a": 3, "b": 2}),
    ('var.m["b"]', "y"),
    ("length(var.l)", 2),
    ('"x" == "x" && 1 != 2', True),
    ('1 == "1"', False),
    ('"2" + 1', 3),
    ('substr("hello", 1, 3)', "ell"),
    ('split(",", "a,b")', ["a", "b"]),
    ("keys(var.m)", ["a", "b"]),
    ("values(var.m)", ["x", "y"]),
    ('element(["a", "b"], 3)', "b"),
    ('coalesce("", null, "z")', "z"),
    ('toset(["b", "a", "b"])', ["a", "b"]),
    ('tolist(["a"])', ["a"]),
    ('contains(["a", "b"], "b")', True),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("a-b-c", "/-(b)/", "<$1>")', "a<b>-c"),
    ('trimspace("  x ")', "x"),
    ('lower("AB")', "ab"),
    ('tonumber("12")', 12),
    ("1.5e3", 1500),
    ("null", None),
    ("{ a = 1, \"b\" = 2 }", {"a": 1, "b": 2}),
    ("[1, 2,]", [1, 2]),
    ("concat(var.l, [{a = 3}])[2].a", 3),
    ('max(1, 5, 3)', 5),
    ('format("%v/%d", "a", 2)', "a/2"),
])
def test_values(src: str, expected: Any) -> None:
    assert ev(src) == expected


def test_unknown_propagates_with_reason() -> None:
    assert ev('"x-${var.u}"') == Unknown("variable u unset")
    assert ev("upper(var.u)") == Unknown("variable u unset")
    assert ev("var.u.foo[0]") == Unknown("variable u unset")


def test_unknown_condition_with_equal_branches() -> None:
    assert ev('var.u ? "a" : "a"') == "a"
    r = ev('var.u ? "a" : "b"')
    assert isinstance(r, Unknown) and "variable u unset" in r.reason


def test_short_circuit_with_unknown() -> None:
    assert ev("false && var.u") is False
    assert ev("var.u || true") is True


def test_ref_passes_through_and_is_unknown_in_templates() -> None:
    assert ev("var.r") == Ref("aws_x.y", "id")
    r = ev('"${var.r}-x"')
    assert isinstance(r, Unknown) and "aws_x.y.id" in r.reason


def test_unknown_function() -> None:
    assert ev("frobnicate(1)") == Unknown("function frobnicate is not evaluated")


def test_errors_become_unknown() -> None:
    r = ev("var.m.missing")
    assert isinstance(r, Unknown) and "missing" in r.reason
    assert isinstance(ev("[1][5]"), Unknown)
    assert isinstance(ev("1 / 0"), Unknown)


def test_deep_nesting_is_unknown_not_recursion_error() -> None:
    src = "(" * 3000 + "1" + ")" * 3000
    r = ev(src)
    assert isinstance(r, Unknown) and "nested too deeply" in r.reason
    src = "[" * 2000 + "]" * 2000
    assert isinstance(ev(src), Unknown)


def test_json_template_single_interpolation_keeps_type() -> None:
    e = parse_template_string("${var.n}", "x.tf.json")
    assert Evaluator().evaluate(e, Scope(_resolver)) == 3
    e = parse_template_string("a-${var.p}", "x.tf.json")
    assert Evaluator().evaluate(e, Scope(_resolver)) == "a-hq"
