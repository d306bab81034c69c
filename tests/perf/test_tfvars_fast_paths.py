"""The fast paths for large variables files give exactly what the slow paths give.

1. Runs of object member lines are read by the json module after a textual translation
   (`literals._json_members`); the token-by-token reader is the reference. Both must give the same
   attributes, values (Python types included), positions and value count, or both give up, on random
   files and on traps (numbers json reads differently, strings holding the punctuation the translation
   rewrites, blank lines, nested objects, closing braces, deep nesting).
2. `types.convert` uses converters made once per type spec; `types._generic` (one spec node at a time)
   is the reference, on random values and specs and on traps (extra attributes, optional defaults,
   typed collections as input, primitive conversions, unknowns, depth).
The end-to-end comparisons with tree-sitter and with `terraform console` are in test_tfvars_literals.py
and tests/fidelity.
"""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from xborder.inputs.terraform import literals, types
from xborder.inputs.terraform.values import Num, TList, TMap, TSet, TypedNull
from xborder.model import Ref, Unknown

from test_tfvars_literals import _same, _shape  # noqa: E402 - tests/perf is on the path (rootdir conftest)


def _typed_shape(v: Any) -> Any:
    """`_shape`, with the typed collections' class and element type."""
    if isinstance(v, (TList, TSet, TMap)):
        return (type(v).__name__, repr(v.etype), _typed_shape(list(v.items()) if isinstance(v, dict) else list(v)))
    if isinstance(v, tuple):
        return ("pair", _typed_shape(v[0]), _typed_shape(v[1]))
    if isinstance(v, dict):
        return ("dict", [(k, _typed_shape(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("list", [_typed_shape(x) for x in v])
    if isinstance(v, TypedNull):
        return ("TypedNull", repr(v.type))
    return (type(v).__name__, repr(v))


def _both_readers(src: str) -> tuple[Any, Any]:
    def one(runs: bool) -> Any:
        try:
            out, count = literals._read(src, runs)
        except literals._GiveUp:
            return "gave up"
        return [(n, _shape(v), s, e) for n, v, s, e in out], count
    return one(True), one(False)


@pytest.fixture()
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(literals, "MIN_RUN", 0)  # every run, however short, takes the json path


def _json_used(src: str) -> bool:
    """True when some run of `src` was read by json (not handed back to the tokens)."""
    used = []
    real = literals._json_members

    def spy(text: str) -> Any:
        got = real(text)
        used.append(got[0] is not None)
        return got
    literals._json_members = spy  # type: ignore[assignment]
    try:
        literals.read_literal_vars(src)
    finally:
        literals._json_members = real  # type: ignore[assignment]
    return any(used)


def _map(lines: list[str]) -> str:
    return "m = {\n" + "".join(f"  {line}\n" for line in lines) + "}\n"


RUN_TRAPS = [
    # numbers json reads its own way: each must read as the tokens read it (or the run goes to the tokens)
    _map(['a = -0', 'b = 0', 'c = -0.0', 'd = 007', 'e = -5', 'f = 1.50', 'g = 2.0E-2', 'h = 1.5e3']),
    _map(['a = 123456789012345678', 'b = 1234567890123456789', 'c = -12345678901234567890123']),
    _map(['a = ' + '9' * 200, 'b = 1']),
    _map(['a = [-0, 0, -0.0, 1.0]', 'b = { x = -0, y = 10 }']),
    _map(['a = 1e3']),
    _map(['a = 0.5', 'b = 00.5']),
    # strings holding what the translation rewrites
    _map(['"k = v" = "a = b"', '"x:y" = "c: d, e"', '"{" = "}"', '"[" = "]"', '"," = ",,"', '"" = ""']),
    _map(['a = "{,\\"x\\":1}"', 'b = "x = 1\\n"']),
    _map(['a = "true"', 'b = true', 'c = "null"', 'd = null', 'e = ["false", false, "1", 1]']),
    _map(['a = "\x00\x01\t\x7f"', 'b = ":\x00:"']),
    _map(['a = { "k" = 1, k2 = "v", "k 3": [1, "2", true, null, ] , }', 'b = [ ]', 'c = { }', 'd = []', 'e = {}']),
    # keys that look like words, keys with dashes, repeated keys (the last value wins, the first place stays)
    _map(['nullable = 1', 'true_x = 2', 'false-y = 3', 'null_ = { null_ = null }', 'for_each = 4']),
    _map(['a = 1', 'b = 2', 'a = 3', 'c = { x = 1, x = [1, 2], y = 2, x = 3 }', '"a" = 4']),
    # bare keys first seen far into a run (quoted by the regex, not by the per-key replacements)
    _map(['a = 1', '"b" = { c = 2 }'] * 1000 + ['zz = 2', 'k-x = { inner = 1, b = [1] }', 'a = 3', '_y = "a,zz x"']),
    # layout: blank lines, trailing blanks, tabs, CRLF, commas after a member
    _map(['', 'a = 1   ', '\t b\t=\t2\t', '', '', 'c = "x"']),
    "m = {\r\n  a = 1\r\n\r\n  b = { x = [1, 2] }\r\n}\r\n",
    _map(['a = 1,', 'b = 2']),
    # nesting over lines, closing braces, a run ending inside a nested object or at a comment
    _map(['a = {', '  x = 1', '  y = {', '    z = [1]', '  }', '}', 'b = {', '}', 'c = 3']),
    _map(['a = {', '  x = 1', '  y = [', '    1,', '  ]', '}', 'b = 2']),
    _map(['a = 1', '# a comment', 'b = 2 # another', 'c = /* x */ 3', 'd = 4']),
    "m = {\n  a = 1\n  b = 2 }\nn = { c = 1\n  d = 2\n}\n",
    "m = {\n  a = 1\n}\nn = 2\no = {\n  b = { c = 1 }\n}\n",
    # what the tokens decode themselves: escapes, non-ASCII (NFC)
    _map(['a = "caf\u00e9"', 'b = "cafe\u0301"', 'c = "\\u00e9"', 'd = "tab\\there"']),
    # what gives up whatever the path
    _map(['a = "${var.x}"']),
    _map(['a = var.x']),
    _map(['a = 1 b = 2']),
    _map(['a = [1 2]']),
    _map(['a = {', '  x = 1']),
    "m = {\n  a = 1\n}\n}\n",
    "m = {\n" + "".join("  " * i + f"k{i} = {{\n" for i in range(70)) + "".join("}\n" for _ in range(71)),
    "m = {\n" + "".join("  " * i + f"k{i} = {{\n" for i in range(60)) + "".join("}\n" for _ in range(61)),
]


@pytest.mark.parametrize("src", RUN_TRAPS)
def test_json_runs_read_as_the_tokens_do(src: str, small_runs: None) -> None:
    fast, slow = _both_readers(src)
    assert fast == slow, src


def test_json_runs_are_taken_and_match_tree_sitter(tmp_path: Path, small_runs: None) -> None:
    """The translation is really used (not always handed back), and gives what tree-sitter gives."""
    taken = [src for src in RUN_TRAPS if _json_used(src)]
    assert len(taken) >= 12
    for src in taken:
        # NUL: a binary file, skipped before any reader; 60 levels: over the evaluator's depth on the tree path
        if _both_readers(src)[0] != "gave up" and "\x00" not in src and src.count("{") < 40:
            assert _same(tmp_path, src), src


def _value(rnd: random.Random, depth: int) -> Any:
    r = rnd.random()
    if depth > 4 or r < 0.5:
        return rnd.choice([
            rnd.randint(-10**6, 10**6), round(rnd.uniform(-1e4, 1e4), rnd.randint(1, 6)), 0, -0.5, "", True, False, None,
            rnd.choice(["eu-west-1", "cn-north-1", "a = b", "x: y", "{", "}", "[", "]", ",", "k = {", "true", "1", "-0",
                        "arn:aws-cn:ec2:cn-north-1::x", "a,b", "\t"])])
    if r < 0.65:
        return [_value(rnd, 5) for _ in range(rnd.randint(0, 4))]  # tuples on one line hold scalars
    return {rnd.choice(["a", "b-c", "d_e", "x.y", "1a", "k k", "nullable", "true_x", "a = b", "{"]) + rnd.choice(["", "1"]):
            _value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))}


def _scalar_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return repr(v)
    return '"' + v.replace("\t", "\\t") + '"' if "\t" in v and random.random() < 0.2 else '"' + v + '"'


def _key(k: str, rnd: random.Random) -> str:
    bare = k.replace("-", "").replace("_", "").isalnum() and k[0].isalpha()
    return k if bare and rnd.random() < 0.7 else '"' + k + '"'


def _lines(v: dict[str, Any], rnd: random.Random, indent: str) -> list[str]:
    """Member lines of an object, nested objects over lines or flat on one line at random."""
    out = []
    for k, x in v.items():
        key, sep = _key(k, rnd), rnd.choice([" = ", " = ", ": ", "="])
        if isinstance(x, dict) and (rnd.random() < 0.5 or any(isinstance(y, (dict, list)) and y for y in x.values())):
            out.append(f"{indent}{key}{sep}{{")
            out.extend(rnd.choice(["", "  "]) for _ in range(rnd.random() < 0.2))
            out.extend(_lines(x, rnd, indent + "  "))
            out.append(f"{indent}}}")
        elif isinstance(x, dict):
            pairs = [f"{_key(a, rnd)} = {_flat(y)}" for a, y in x.items()]
            out.append(f"{indent}{key}{sep}{{ " + ", ".join(pairs) + rnd.choice(["", ","]) + " }")
        else:
            out.append(f"{indent}{key}{sep}{_flat(x)}" + rnd.choice(["", "", " ", "\t"]))
    return out


def _flat(x: Any) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_scalar_text(y) for y in x) + "]"
    if isinstance(x, dict):
        return "{ " + ", ".join(f'"{a}" = {_flat(y)}' for a, y in x.items()) + " }"
    return _scalar_text(x)


def test_random_files_read_the_same_by_json_runs_and_tokens(tmp_path: Path, small_runs: None) -> None:
    rnd = random.Random(20261130)
    random.seed(20261130)
    used = 0
    for i in range(300):
        top = {f"v{j}": {f"k{n}": _value(rnd, 1) for n in range(rnd.randint(1, 6))} for j in range(rnd.randint(1, 3))}
        src = "".join(f"{name} = {{\n" + "\n".join(_lines(v, rnd, "  ")) + "\n}\n" for name, v in top.items())
        if rnd.random() < 0.2:
            src = src.replace("\n", "\r\n")
        fast, slow = _both_readers(src)
        assert fast == slow, src
        if i < 40 and fast != "gave up":
            assert _same(tmp_path, src), src
        used += _json_used(src)
    assert used > 200


def _json_sizes(src: str) -> list[int]:
    """The sizes of the runs of `src` that json read."""
    sizes: list[int] = []
    real = literals._json_members

    def spy(text: str) -> Any:
        got = real(text)
        if got[0] is not None:
            sizes.append(len(text))
        return got
    literals._json_members = spy  # type: ignore[assignment]
    try:
        literals.read_literal_vars(src)
    finally:
        literals._json_members = real  # type: ignore[assignment]
    return sizes


@pytest.mark.parametrize("before", ['tags = {\n  owner = "x"\n}\n', 'a = {\n  b = {\n    c = 1\n  }\n}\n',
                                    "".join(f"t{i} = {{\n  x = {i}\n}}\n" for i in range(300))],
                         ids=["one object", "nested objects", "300 objects"])
def test_small_objects_before_a_large_map_leave_it_to_json(before: str) -> None:
    """A run that ends early (at the `}` of a small object) does not keep the rest of the file, matched by
    the same regex, away from json: the large map after it is still one json run."""
    big = _map([f'"site-{i}" = {{ region = "eu-west-1", ports = [443, {i}] }}' for i in range(2000)])
    sizes = _json_sizes(before + big)
    assert sizes and max(sizes) > len(big) - 100, sizes
    fast, slow = _both_readers(before + big)
    assert fast == slow and fast != "gave up"


def test_value_count_is_every_value_written(small_runs: None) -> None:
    """The budget counts each scalar and each container written (repeated keys included), on both paths."""
    src = _map(['a = { x = [1, 2], x = 3, y = {} }', 'b = [ ]', 'c = {', '  d = "s"', '}', 'e = null'])
    # m, a, [1, 2], 1, 2, 3, {}, [ ], c, "s", null
    assert literals._read(src, True)[1] == literals._read(src, False)[1] == 11


def test_over_budget_at_the_same_count_on_both_paths(monkeypatch: pytest.MonkeyPatch, small_runs: None) -> None:
    src = _map([f'k{i} = {{ a = {i}, b = [1, "x"] }}' for i in range(50)])
    count = literals._read(src, True)[1]
    for limit, over in ((count, False), (count - 1, True)):
        monkeypatch.setattr(literals, "MAX_VALUES", limit)
        for runs in (True, False):
            m = literals._read(src, runs)[0][0][1]
            assert isinstance(m, Unknown) is over, (limit, runs)


# ----------------------------------------------------------------------------------------- convert

SPECS = [
    "string", "number", "bool", "any", "list(string)", "list(number)", "set(string)", "set(number)", "map(string)",
    "map(any)", "list(any)", "set(any)", "map(list(number))", "list(map(string))", "tuple([string, number, bool])",
    "object({ a = string, b = number })", "object({ a = optional(string), b = optional(number, 7) })",
    "map(object({ region = string, cidr = string, peer = string, ports = list(number) }))",
    "map(object({ name = optional(string, \"n\"), tags = optional(map(string), {}), any = any }))",
    "list(object({ id = string, port = optional(number), sub = optional(object({ x = optional(bool, true) })) }))",
    "object({ a = list(object({ b = map(set(string)) })) })", "map(map(map(string)))", "list(list(any))",
]


def _conv_value(rnd: random.Random, depth: int) -> Any:
    r = rnd.random()
    if depth > 4 or r < 0.45:
        return rnd.choice([
            rnd.randint(-3, 3), Num(Fraction(1, 3)), "1", "x", "true", "false",
            "", True, False, None, 1.5, Unknown("u"), Ref("aws_x.y", "id"), TypedNull("string"), "7", "-0", "1e3"])
    if r < 0.6:
        return [_conv_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    if r < 0.7:
        cls = rnd.choice([TList, TSet, TMap])
        if cls is TMap:
            return types.typed(TMap, {str(i): _conv_value(rnd, depth + 1) for i in range(rnd.randint(0, 3))}, "dynamic")
        return types.typed(cls, [_conv_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))], "dynamic")
    return {rnd.choice(["a", "b", "region", "ports", "name", "tags", "any", "id", "port", "sub", "x", "extra"]):
            _conv_value(rnd, depth + 1) for _ in range(rnd.randint(0, 5))}


def _default(text: str) -> Any:
    return {'"n"': "n", '"x"': "x", "{}": {}, "7": 7, "true": True}.get(text, Unknown(f"default {text}"))


def test_convert_matches_the_generic_converter_on_random_values() -> None:
    rnd = random.Random(1130)
    specs = [types.parse_type(t) for t in SPECS]
    assert None not in specs, "every spec of the test is understood (including `any`)"
    for _ in range(4000):
        spec = rnd.choice(specs)
        v = _conv_value(rnd, 0)
        if rnd.random() < 0.3 and spec[0] in ("map", "list", "set"):
            v = {"k": v} if spec[0] == "map" else [v]
        for depth in (0, 1, types.MAX_DEPTH, types.MAX_DEPTH + 1):
            fast = _outcome(types.convert, v, spec, _default, depth)
            slow = _outcome(types._generic, v, spec, _default, depth)
            assert fast == slow, (spec, v, depth)


def _outcome(convert: Any, *args: Any) -> Any:
    """The converted value's typed shape, or the error a value that does not convert raises (with its path)."""
    try:
        return _typed_shape(convert(*args))
    except types.Unsuitable as e:
        return ("Unsuitable", str(e))


def test_convert_of_a_large_map_of_objects_matches_the_generic_converter() -> None:
    spec = types.parse_type("map(object({ region = string, cidr = string, ports = list(number), extra = optional(string, \"x\") }))")
    v = {f"site-{i}": {"region": "cn-north-1" if i % 3 else 1, "cidr": f"10.0.{i}.0/24", "ports": [443, str(i)],
                       **({"gone": True} if i % 7 == 0 else {})} for i in range(3000)}
    fast, slow = types.convert(v, spec, _default), types._generic(v, spec, _default)
    assert _typed_shape(fast) == _typed_shape(slow)
    assert fast["site-7"] == {"region": "cn-north-1", "cidr": "10.0.7.0/24", "ports": [443, 7], "extra": "x"}
    assert fast["site-3"]["region"] == "1" and isinstance(fast["site-3"]["ports"], TList)
    assert v["site-7"]["gone"] is True and "extra" not in v["site-7"], "the input value is not changed"


@pytest.mark.parametrize("text", ["any", "list(any)", "map(any)", "object({ a = any, b = optional(any) })", "tuple([any, string])"])
def test_type_any_is_understood(text: str) -> None:
    spec = types.parse_type(text)
    assert spec is not None
    assert ("any",) in [spec, *spec[1:]] or "any" in repr(spec)
