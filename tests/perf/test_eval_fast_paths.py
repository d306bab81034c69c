"""The evaluator's fast paths (exact types checked first) give what the general checks give.

`get_attr`, `unknown_of` and `equal` answer the usual case (a plain object, a string, a number) with one
type test; `Evaluator._term` evaluates a one-operand term directly. Subclasses (a typed map, a typed null),
comments and parentheses must still take the general path, with the same values and error messages.
"""

from __future__ import annotations

import pytest

from xborder.inputs.terraform.expressions import Evaluator, Scope, get_attr
from xborder.inputs.terraform.syntax import parse_expression_text
from xborder.inputs.terraform.values import EvalError, TList, TMap, TypedNull, equal, unknown_of
from xborder.model import Ref, Unknown


def _eval(text: str, **names: object) -> object:
    e = parse_expression_text(text)
    assert e is not None, text
    return Evaluator().evaluate(e, Scope(lambda n: names[n] if n in names else (_ for _ in ()).throw(EvalError(f"unknown {n}"))))


def test_get_attr_plain_and_typed_map() -> None:
    assert get_attr({"a": 1}, "a") == 1
    m = TMap({"a": 2})
    assert get_attr(m, "a") == 2
    for v in ({"a": 1}, TMap({"a": 1})):
        with pytest.raises(EvalError, match='object has no attribute "b"'):
            get_attr(v, "b")
    assert get_attr(Ref("x.y", ""), "id") == Ref("x.y", "id")
    assert isinstance(get_attr(Unknown("r"), "id"), Unknown)


def test_unknown_of_concrete_and_not() -> None:
    for v in ("s", 1, 1.5, True, None, [], {}, TList([1]), TMap({"a": 1})):
        assert unknown_of(v) is None, v
    assert unknown_of(Unknown("why")) == Unknown("why")
    assert unknown_of(Ref("aws_vpn_gateway.g", "id")) == Unknown("aws_vpn_gateway.g.id is known only after apply")
    assert unknown_of(TypedNull("string")) is None


def test_equal_strings_and_mixed() -> None:
    assert equal("a", "a") and not equal("a", "b")
    assert not equal("1", 1) and not equal(1, "1")
    assert equal(1, 1) and equal(None, None) and not equal("a", None)
    assert equal(TList(["a"]), TList(["a"])) and not equal(["a"], TList(["a"]))


@pytest.mark.parametrize(("text", "want"), [
    ("x", "v"),
    ("(x)", "v"),
    ("x /* c */", "v"),
    ("o.a", 1),
    ("o /* c */ .a", 1),
    ("(o).a", 1),
    ('"a" == "a"', True),
    ('"a" != x', True),
    ("1 + 2 * 3", 7),
    ("o.b", Unknown('cannot be evaluated: object has no attribute "b"')),
])
def test_terms(text: str, want: object) -> None:
    assert _eval(text, x="v", o={"a": 1}) == want
