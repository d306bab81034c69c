"""A directory that cannot hold a link is only checked, not loaded.

`file_errors` must report exactly what parsing a file into blocks (`parse_file`) reports, on every
Terraform file of fixtures/ and tests/ and on traps. `checked_errors` (what such a directory reports) runs
it only when the lexical check has a doubt: what a truncated, half-merged or unreadable file breaks is
reported exactly as a full parse reports it; a grammar error between well-closed tokens is not (README,
Performance). Both halves of that contract are tested."""

from __future__ import annotations

from pathlib import Path

import pytest

from xborder.inputs.terraform.loader import checked_errors
from xborder.inputs.terraform.precheck import lexical_doubt, template_doubt
from xborder.inputs.terraform.syntax import MAX_BLOCK_DEPTH, file_errors, parse_file

REPO = Path(__file__).resolve().parents[2]
MODULE = 'resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n  tags = {\n    Name = "${var.name}-vpc"\n  }\n}\n'

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


# What a cannot-matter directory must still report, exactly as a full parse reports it.
DOUBTS = {
    "truncated.tf": MODULE[: MODULE.index("tags")],
    "truncated_in_string.tf": MODULE[: MODULE.index("-vpc")],
    "unclosed_string.tf": 'locals {\n  a = "x\n  b = 1\n}\n',
    "unclosed_heredoc.tf": 'locals {\n  a = <<EOT\n  text\n}\n',
    "unclosed_comment.tf": MODULE + "/* the rest\n",
    "unclosed_interpolation.tf": 'locals {\n  a = "${var.x"\n}\n',
    "mismatched.tf": 'locals {\n  a = [1, (2]]\n}\n',
    "extra_close.tf": MODULE + "}\n",
    "bad_escape.tf": 'module "m" {\n  source = "modules\\/x"\n}\n',
    "conflict.tf": "<<<<<<< HEAD\n" + MODULE + "=======\n" + MODULE.replace("10.0", "10.1") + ">>>>>>> branch\n",
    "binary.tf": "x = 1\n\x00\n",
    # read as templates (`template_doubt`), these still do not close
    "template_unclosed.tf": 'locals {\n  a = "${lookup(m, "k", "")"\n}\n',
    "template_bracket.tf": 'locals {\n  a = "${f(["k")]}"\n}\n',
    "template_quote.tf": 'locals {\n  a = "${f("k)}"\n}\n',
    "template_close.tf": 'locals {\n  a = "${f("k")}"}\n}\n',
    "template_comment.tf": 'locals {\n  a = "${f("k") # c}"\n}\n',
    "template_escape.tf": 'locals {\n  a = "${f("\\q")}"\n}\n',
}
# Grammar errors between well-closed tokens: no longer reported in a directory that cannot matter.
NOT_LOOKED_FOR = {
    "no_value.tf": 'resource "a" "b" {\n  x = \n}\n',
    "words.tf": "some invalid tf file\n",
    "twice.tf": TRAPS["twice.tf"],
    "junk_after.tf": TRAPS["after.tf"],
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8"))
    return p


@pytest.mark.parametrize("name", sorted(DOUBTS))
def test_lexical_doubts_are_reported_exactly(tmp_path: Path, name: str) -> None:
    p = _write(tmp_path, name, DOUBTS[name])
    expected = file_errors(p, name)
    assert expected, "the trap must be an error for the full parse"
    assert checked_errors(p, name, p.read_bytes()) == expected


def test_bad_utf8_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "latin1.tf"
    p.write_bytes(b'locals {\n  a = "caf\xe9"\n}\n')
    assert checked_errors(p, p.name, p.read_bytes()) == file_errors(p, p.name) != []


@pytest.mark.parametrize("name", sorted(NOT_LOOKED_FOR))
def test_grammar_errors_between_closed_tokens_are_not_looked_for(tmp_path: Path, name: str) -> None:
    """The documented limit: a full parse reports these, the check of a cannot-matter directory does not."""
    p = _write(tmp_path, name, NOT_LOOKED_FOR[name])
    assert file_errors(p, name)
    assert not lexical_doubt(p.read_bytes())
    assert checked_errors(p, name, p.read_bytes()) == []


def test_checked_errors_keep_the_contract_on_every_repository_file() -> None:
    """Either exactly the full parse's errors, or none and no lexical doubt; clean files are not parsed."""
    files = _cases()
    clean = 0
    for p in files:
        data = p.read_bytes()
        got = checked_errors(p, p.name, data) if p.name.endswith(".tf") else file_errors(p, p.name)
        full = file_errors(p, p.name)
        assert got == full or (got == [] and not (lexical_doubt(data) and template_doubt(data))), p
        clean += not full and not lexical_doubt(data)
    assert clean > 20


def test_scan_reports_truncated_and_conflicted_files_of_cannot_matter_directories(tmp_path: Path) -> None:
    """A root that cannot matter (quick) and a module it calls that cannot matter (skipped): both still say
    what is broken, with file and line, in the scan report."""
    import json
    import subprocess
    import sys

    (tmp_path / "quick").mkdir()
    _write(tmp_path / "quick", "main.tf", MODULE)
    _write(tmp_path / "quick", "half.tf", DOUBTS["truncated.tf"])
    (tmp_path / "live").mkdir()
    _write(tmp_path / "live", "main.tf", 'provider "aws" {\n  region = "cn-north-1"\n}\nmodule "net" {\n  source = "../net"\n}\n'
           'resource "aws_vpn_connection" "v" {\n  customer_gateway_id = "cgw-1"\n  type = "ipsec.1"\n}\n')
    (tmp_path / "net").mkdir()
    _write(tmp_path / "net", "main.tf", MODULE)
    _write(tmp_path / "net", "merge.tf", DOUBTS["conflict.tf"])
    _write(tmp_path / "net", "grammar.tf", NOT_LOOKED_FOR["no_value.tf"])
    run = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--format", "json", "--no-config", "--no-cache"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    doc = json.loads(run.stdout)
    paths = sorted({e["path"] for e in doc["errors"]})
    assert paths == ["net/merge.tf", "quick/half.tf"], doc["errors"]
    assert all(e["line"] >= 1 and "syntax error" in e["message"] for e in doc["errors"])


MODULE_TRAPS = {
    "calls.tf": 'module "a" {\n  source = "./a"\n}\nmodule /* c */ "b" {\n  source = "../b"\n}\nmodule "a" {\n  source = "./c"\n}\n'
                'module "x" "y" {\n  source = "./d"\n}\nlocals {\n  module "n" {\n    source = "./e"\n  }\n}\n',
    "broken_header.tf": 'module "m" ( {\n  source = "./a"\n}\nmodule "ok" {\n  source = "./b"\n  source = "./c"\n}\n',
    "truncated.tf": 'module "m" {\n  source = "./a"\n}\nmodule "t" {\n  source = "./b"\n',
    "escape.tf": 'module "m\\u0031" {\n  source = "./\\u0061"\n}\n',
    "calls.tf.json": '{"module": {"m": {"source": "./a"}, "n": {"source": "./b"}}}',
}


def _modules(blocks: list) -> list[tuple]:
    return [(b.labels, sorted(b.attrs), b.location) for b in blocks if b.type == "module"]


def test_module_blocks_are_those_of_a_full_parse_with_the_same_errors(tmp_path: Path) -> None:
    """Root detection builds only the module blocks (`syntax.module_blocks`): the same blocks, the same errors."""
    from xborder.inputs.terraform.syntax import module_blocks

    files = _cases()
    for name, text in {**TRAPS, **MODULE_TRAPS}.items():
        files.append(_write(tmp_path, name, text))
    calls = 0
    for p in files:
        full = parse_file(p, p.name)
        errors, blocks = module_blocks(p, p.name, p.read_bytes())
        assert errors == full.errors, p
        assert _modules(blocks) == _modules(full.blocks), p
        calls += len(blocks)
    assert calls > 10
    errors, blocks = module_blocks(tmp_path / "calls.tf", "calls.tf", (tmp_path / "calls.tf").read_bytes())
    assert [b.labels for b in blocks] == [["a"], ["b"], ["a"], ["x", "y"]] and errors == []


def test_a_file_over_the_hcl_size_limit_says_so_in_a_directory_that_cannot_matter(tmp_path: Path) -> None:
    """Over 2 MB of HCL is refused before the parser: the quick check reports it as a full load does."""
    import json
    import subprocess
    import sys

    from xborder.inputs.terraform.syntax import MAX_HCL_SOURCE_BYTES

    line = '  a = "' + "x" * 90 + '"\n'
    text = "locals {\n" + line * (MAX_HCL_SOURCE_BYTES // len(line) + 10) + "}\n"
    (tmp_path / "quick").mkdir()
    p = _write(tmp_path / "quick", "main.tf", text)
    expected = parse_file(p, "quick/main.tf").errors
    assert len(expected) == 1 and "over the 2 MB limit" in expected[0].message and expected[0].message.endswith("skipped")
    assert file_errors(p, "quick/main.tf") == expected
    assert checked_errors(p, "quick/main.tf", p.read_bytes()) == expected
    run = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "--format", "json", "--no-config", "--no-cache"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    doc = json.loads(run.stdout)
    assert [(e["path"], e["line"], e["message"]) for e in doc["errors"]] == [("quick/main.tf", 1, expected[0].message)]


# Strings whose interpolations hold quotes, brackets or templates of their own: one regex cannot match them, so
# `lexical_doubt` has a doubt; read as templates (`template_doubt`) they close, and the file is not parsed
TEMPLATES = {
    "lookup.tf": 'locals {\n  a = "${lookup(each.value, "type", "x")}.googleapis.com/${each.value.name}"\n}\n',
    "nested.tf": 'locals {\n  a = "${join(",", [for s in var.x : "${s}-${upper("y")}"])}"\n  b = {\n    "${k}" = 1\n  }\n}\n',
    "object.tf": 'locals {\n  a = "${jsonencode({ a = "b", c = [1, (2)] })}"\n}\n',
    "directive.tf": 'locals {\n  a = "%{ for k, v in m }${k}=\\"${v}\\" %{ endfor }$${x} %%{y} $ % }"\n}\n',
    "heredoc.tf": 'locals {\n  a = <<-EOT\n    ${f("x")}\n  EOT\n  b = "${f("y")}" # a "comment\n}\n',
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_templates_holding_strings_are_not_parsed_in_a_directory_that_cannot_matter(tmp_path: Path, name: str,
                                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from xborder.inputs.terraform import loader

    p = _write(tmp_path, name, TEMPLATES[name])
    data = p.read_bytes()
    assert file_errors(p, name) == []  # valid HCL
    assert lexical_doubt(data) is (name != "directive.tf")  # what one regex cannot tell
    monkeypatch.setattr(loader, "file_errors", lambda *a: pytest.fail("parsed"))
    assert checked_errors(p, name, data) == []


def test_templates_are_never_a_doubt_the_lexical_check_has_not() -> None:
    """`template_doubt` only takes away doubts of `lexical_doubt` (it is asked only then): on random texts of
    strings, escapes, interpolations, comments, heredocs and brackets it never has a doubt the other has not."""
    import random

    rng = random.Random(5)
    pieces = [b'"', b"a", b"b c", b"\\", b"\\n", b"\\q", b"\\u00e9", b"$", b"%", b"${", b"%{", b"$${", b"{", b"}", b"[",
              b"]", b"(", b")", b"\n", b"#", b"//", b"/*", b"*/", b"/", b"<<", b"<<EOT\n", b"EOT", b"\nEOT\n", b" ", b"=",
              b"\xff", b"<<<<<<< x\n"]
    both = 0
    for _ in range(20000):
        text = b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14)))
        if template_doubt(text):
            assert lexical_doubt(text), text
            both += 1
    assert both > 1000


# A root that calls modules, none of which (nor the root) can matter: checked like the directories it calls
# (`loader._quick_calls`), not loaded; a call that can matter, a remote call or a variable file still load it.
LIVE_CALL = ('provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
             'module "net" {\n  source = "../net"\n  name  = var.unique_name_7f3a\n}\n')
VPN_MODULE = ('resource "alicloud_vpn_customer_gateway" "hk" {\n  ip_address = "1.2.3.4"\n}\n'
              'resource "alicloud_vpn_connection" "c" {\n  customer_gateway_id = alicloud_vpn_customer_gateway.hk.id\n'
              '  vpn_gateway_id = "vpn-1"\n}\n')


def _live_vars(tmp_path: Path) -> str:
    """Text no other test parses (syntax trees are remembered by content: a parse seen before is not made again)."""
    return f'variable "unique_name_7f3a" {{\n  default = "{tmp_path.name}"\n}}\n'


def _scan(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    import json

    from xborder import cli

    cli.main(["scan", str(root), "--root", str(root), "--format", "json", "--no-config", "-j", "1", *extra])
    return json.loads(capsys.readouterr().out)


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    from xborder.inputs.terraform import syntax

    parsed: list[bytes] = []
    real = syntax._parse_source
    monkeypatch.setattr(syntax, "_parse_source", lambda src: parsed.append(src) or real(src))
    return parsed


def test_a_root_whose_calls_cannot_matter_is_only_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "live").mkdir()
    (tmp_path / "net").mkdir()
    _write(tmp_path / "live", "main.tf", LIVE_CALL)
    _write(tmp_path / "live", "variables.tf", _live_vars(tmp_path))
    _write(tmp_path / "net", "main.tf", MODULE + 'variable "name" {}\n')
    _write(tmp_path / "net", "half.tf", DOUBTS["truncated.tf"])
    parsed = _parses(monkeypatch)
    doc = _scan(tmp_path, capsys, "--no-cache")
    assert [e["path"] for e in doc["errors"]] == ["net/half.tf"]  # what is broken below is still reported
    assert doc["findings"] == []
    assert not any(tmp_path.name.encode() in src for src in parsed)  # the root's variables were not loaded
    # the root's result is cached on the whole tree it calls: a VPN added to the called module is found
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path / "cache"))
    assert _scan(tmp_path, capsys)["findings"] == []
    _write(tmp_path / "net", "vpn.tf", VPN_MODULE)
    assert [f["rule_id"] for f in _scan(tmp_path, capsys)["findings"]] == ["XB101"]


@pytest.mark.parametrize("case", ["vpn below", "remote call", "tfvars", "--var"])
def test_a_root_whose_calls_may_matter_is_loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    (tmp_path / "live").mkdir()
    (tmp_path / "net").mkdir()
    _write(tmp_path / "live", "main.tf", LIVE_CALL + ('module "r" {\n  source = "org/x/aws"\n}\n' if case == "remote call" else ""))
    _write(tmp_path / "live", "variables.tf", _live_vars(tmp_path))
    _write(tmp_path / "net", "main.tf", MODULE + (VPN_MODULE if case == "vpn below" else "") + 'variable "name" {}\n')
    if case == "tfvars":
        _write(tmp_path / "live", "terraform.tfvars", 'unique_name_7f3a = "y"\n')
    parsed = _parses(monkeypatch)
    doc = _scan(tmp_path, capsys, "--no-cache", *(["--var", "unique_name_7f3a=z"] if case == "--var" else []))
    assert any(tmp_path.name.encode() in src for src in parsed)  # loaded
    expected = {"vpn below": ["XB101"], "remote call": ["XB002"]}.get(case, [])  # XB002: not downloaded, not judged
    assert [f["rule_id"] for f in doc["findings"]] == expected, doc["findings"]
