"""Functions that real modules use to compute addresses and regions."""

from __future__ import annotations

import pytest

from xborder.inputs.terraform.functions import call
from xborder.inputs.terraform.values import EvalError
from xborder.model import Unknown


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("regex", ["[a-z]+-[a-z]+-[0-9]", "region cn-north-1 here"], "cn-north-1"),
        ("regex", [r"^(\d+)\.(\d+)", "10.20.0.0/16"], ["10", "20"]),
        ("regex", ["^(?P<a>[a-z]+)-(?P<b>[0-9]+)$", "ap-1"], {"a": "ap", "b": "1"}),
        ("regexall", ["[0-9]+", "a1b22c333"], ["1", "22", "333"]),
        ("regexall", ["x", "abc"], []),
        ("jsondecode", ['{"peer": "203.186.1.1", "asn": 65000}'], {"peer": "203.186.1.1", "asn": 65000}),
        ("slice", [["a", "b", "c", "d"], 1, 3], ["b", "c"]),
        ("sum", [[1, 2, 3.5]], 6.5),
        ("index", [["cn-north-1", "ap-east-1"], "ap-east-1"], 1),
    ],
)
def test_values(name: str, args: list, expected: object) -> None:
    assert call(name, args) == expected


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("regex", ["[0-9]+", "no digits"]),
        ("regex", ["(unclosed", "x"]),
        ("jsondecode", ["{not json"]),
        ("slice", [["a"], 0, 5]),
        ("index", [["a"], "b"]),
    ],
)
def test_errors_are_evaluation_errors_not_crashes(name: str, args: list) -> None:
    try:
        out = call(name, args)
    except EvalError:
        return
    assert isinstance(out, Unknown)


def test_unknown_input_stays_unknown() -> None:
    assert isinstance(call("regex", ["x", Unknown("variable v has no value")]), Unknown)
