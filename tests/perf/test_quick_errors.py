"""A directory that cannot hold a link is only checked: `file_errors` must report exactly what parsing it
into blocks (`parse_file`) reports, on every Terraform file of fixtures/ and tests/ and on traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from xborder.inputs.terraform.syntax import MAX_BLOCK_DEPTH, file_errors, parse_file

REPO = Path(__file__).resolve().parents[2]

TRAPS = {
    "twice.tf": 'resource "a" "b" {\n  x = 1\n  x = 2\n  y = 3\n  x = 4\n  nested {\n    y = 1\n    y = 2\n  }\n}\n',
    "top.tf": 'a = 1\na = 2\n',
    "syntax.tf": 'resource "a" "b" {\n  x = \n}\nresource "c" {\n',
    "header.tf": 'resource "a" ( {\n  x = 1\n  x = 2\n}\n',
    "after.tf": 'resource "a" "b" {\n  x = 1\n  x = 2\n} junk\n',
    "deep.tf": "".join("b {\n" for _ in range(MAX_BLOCK_DEPTH + 3)) + "x = 1\nx = 2\n" + "}\n" * (MAX_BLOCK_DEPTH + 3),
    "exp.tf": 'locals {\n  a = 1e3\n  a = 2\n}\n',
    "empty.tf": "  \n",
    "bom.tf": "\ufeffvariable \"x\" {}\n",
    "binary.tf": "x = 1\n\x00\n",
    "broken_attr.tf": 'locals {\n  a = [1,\n  a = 2\n}\n',
    "x.tf.json": '{"resource": {"a": {"b": {"x": 1}}}, "resource": 1}',
    "bad.tf.json": '{"resource": ',
}


def _cases() -> list[Path]:
    out = []
    for base in (REPO / "fixtures", REPO / "tests"):
        out.extend(sorted(p for p in base.rglob("*.tf") if p.is_file()))
        out.extend(sorted(p for p in base.rglob("*.tf.json") if p.is_file()))
    return out


def test_same_errors_on_every_repository_file() -> None:
    files = _cases()
    assert len(files) > 20
    differ = [str(p) for p in files if file_errors(p, p.name) != parse_file(p, p.name).errors]
    assert differ == []


@pytest.mark.parametrize("name", sorted(TRAPS))
def test_same_errors_on_traps(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(TRAPS[name].encode("utf-8"))
    expected = parse_file(p, name).errors
    assert file_errors(p, name) == expected
    if name in ("twice.tf", "top.tf", "deep.tf", "syntax.tf"):
        assert expected  # the trap does produce errors
