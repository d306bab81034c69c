"""A `.tf.json` or `terraform show -json` plan is read node by node only where it is used, with the same result.

Before: `jsonpos.parse_json` built a positioned node for every value of a `.tf.json` or plan, in Python, at about
ten times the cost of reading the same text with `json`, although nothing reads inside most of them (the
attribute values of resources nobody refers to; the plan is read as plain data but for resource spans). Now the
reader counts line and column once per node, and `parse_json(text, lazy=N)` leaves objects and arrays nested N
deep (and `LAZY_LEVELS - 1` levels below) unread (`_LazyNode`) until their members are asked for; `plain()` of an
unread one is `json`'s reading. Only a text that `json` reads as the node reader does (no error, NaN, nesting past
MAX_DEPTH) is read lazily, so every tree, position and error (with its line) is the node reader's.
"""

from __future__ import annotations

import contextlib
import io
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xborder.inputs.terraform.jsonpos import MAX_DEPTH, JNode, JsonSyntaxError, parse_json

from .conftest import scan_json
from .test_json_reader import BUDGET, WS, _join, _strict, values


def _tree(node: JNode) -> Any:
    """Everything a caller can read of a node, its members read (which reads a lazy node)."""
    spot = (node.line, node.col, node.end_line, node.end_col, node.key_line, node.key_col)
    if node.kind == "object":
        return ("object", spot, [(k, _tree(v)) for k, v in node.value], _strict(node.plain()))
    if node.kind == "array":
        return ("array", spot, [_tree(v) for v in node.value], _strict(node.plain()))
    return (node.kind, spot, _strict(node.value))


def _outcome(text: str, lazy: int, plain_first: bool = False) -> Any:
    try:
        root = parse_json(text, lazy=lazy)
    except JsonSyntaxError as e:
        return ("error", str(e), e.line)
    if plain_first:  # plain data of nodes not read yet: `json`'s reading of them
        return _strict(root.plain())
    return _tree(root)


def _same(text: str) -> None:
    eager = _outcome(text, 0)
    for lazy in (1, 2, 3):
        assert _outcome(text, lazy) == eager, (lazy, text[:300])
        if eager[0] != "error":
            assert _outcome(text, lazy, plain_first=True) == _strict(parse_json(text).plain()), (lazy, text[:300])


@BUDGET
@given(st.lists(st.tuples(st.sampled_from(['"resource"', '"a"', '"b"']), values), max_size=4),
       st.lists(WS, min_size=12, max_size=12))
def test_lazy_reading_gives_the_node_reader_s_tree(members: list[tuple[str, str]], ws: list[str]) -> None:
    parts = ["{"]
    for i, (k, v) in enumerate(members):
        parts += [k, ":", "[", v, ",", "{", '"x"', ":", v, "}", "]"] + ([","] if i < len(members) - 1 else [])
    parts.append("}")
    _same(_join(ws * 8, parts))


@pytest.mark.parametrize("inner", [
    "NaN", "[Infinity]", '{"a": [1, 2,]}', "[\u0661]", '"\\x"', "[1 2]", "9" * 5000, '{"a": 1, "a": 2}', "[]", "{}",
    '"\u2028"', "[1e999, -0, 1.0, 12345678901234567890]", '{"a": {"b": [{"c": "\\ud800"}]}}',
])
def test_traps_read_as_before(inner: str) -> None:
    _same('{\n  "resource": {"t": {"n": {"v": ' + inner + '}}},\n  "x": [[' + inner + "]]\n}\n")
    _same('{"resource": {"t": {"n": {"v": [' + inner + "]}}}} trailing")


@pytest.mark.parametrize("depth", [MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 3000])
def test_nesting_at_the_limit_reads_as_before(depth: int) -> None:
    for inner in ("1", "[]"):
        _same('{"a": {"b": ' + "[" * depth + inner + "]" * depth + "}}")


def test_an_unread_node_pickles_as_the_node_it_stands_for() -> None:
    text = '{\n  "a": {\n    "b": [1, {"c": true}]\n  }\n}\n'
    lazy = parse_json(text, lazy=1)
    assert _tree(pickle.loads(pickle.dumps(lazy))) == _tree(parse_json(text))
    unread = parse_json(text, lazy=1)
    again = pickle.loads(pickle.dumps(unread.get("a")))
    assert type(again) is JNode and _tree(again) == _tree(parse_json(text).get("a"))  # type: ignore[arg-type]


VPN = {
    "provider": {"aws": {"region": "cn-north-1"}},
    "resource": {
        "aws_customer_gateway": {"hk": {"ip_address": "203.186.1.1", "bgp_asn": 65000, "type": "ipsec.1",
                                         "tags": {"site": {"nested": ["hk", {"deep": [1, 2, 3]}]}}}},
        "aws_vpn_connection": {"hq": [{"customer_gateway_id": "${aws_customer_gateway.hk.id}",
                                       "vpn_gateway_id": "vgw-1", "type": "ipsec.1",
                                       "tunnel1_phase1_encryption_algorithms": ["AES256"]}]},
        "null_resource": {f"r{i}": {"triggers": {"k": f"v{i}", "list": [i, {"m": i}]}} for i in range(300)},
    },
}


def test_findings_of_a_tf_json_keep_their_locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan of a `.tf.json` gives the same findings, locations and evidence as the node reader alone."""
    (tmp_path / "net").mkdir()
    text = json.dumps(VPN, indent=2)
    (tmp_path / "net" / "main.tf.json").write_text(text)
    (tmp_path / ".xborder.yaml").write_text("sites: []\n")
    lazy = scan_json("net", "--no-cache", cwd=tmp_path)
    body = text.splitlines().index('      "hq": [') + 2  # the block's object, on the line after
    assert [(f["rule_id"], f["resource"], f["start_line"]) for f in lazy.doc["findings"]] == [
        ("XB101", "aws_vpn_connection.hq", body)], lazy.doc["findings"]
    assert any("attribute ip_address of aws_customer_gateway.hk" in e for e in lazy.doc["findings"][0]["evidence"])
    # the node reader alone, in this process: the same document
    from xborder import cli
    from xborder.inputs.terraform import syntax

    monkeypatch.setattr(syntax, "parse_json", lambda text, plain=frozenset(), lazy=0: parse_json(text, plain))
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(["scan", "net", "--no-cache", "--format", "json"])
    assert json.loads(out.getvalue())["findings"] == lazy.doc["findings"]


def _read_whole(node: JNode) -> None:
    value = node.value
    if isinstance(value, list):
        for member in value:
            _read_whole(member[1] if isinstance(member, tuple) else member)


def test_a_deep_document_read_whole_is_scanned_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each unread level is scanned by `json` when met and again when used: without a bound on the levels, a
    value nested 90 deep and read whole (a resource attribute that is evaluated) was scanned once per level
    (7.7 s instead of 1.1 s for 1.1 MB)."""
    from xborder.inputs.terraform import jsonpos

    value: Any = {"x": list(range(200))}
    for _ in range(60):
        value = {"k": value, "pad": list(range(50))}
    text = json.dumps({"resource": {"t": {"n": {"body": value}}}})
    scanned = []
    real = jsonpos._scan_once

    def counting() -> Any:
        scan = real()

        def once(s: str, i: int) -> Any:
            found = scan(s, i)
            scanned.append(found[1] - i)
            return found
        return once

    monkeypatch.setattr(jsonpos, "_scan_once", counting)
    root = parse_json(text, lazy=4)
    _read_whole(root)
    assert 0 < sum(scanned) <= 3 * len(text), (sum(scanned), len(text))
    monkeypatch.setattr(jsonpos, "_scan_once", real)
    assert _tree(root) == _tree(parse_json(text))
