"""Root detection reads module calls from the text (`calltext`) instead of parsing; the parse still decides.

The guess must equal the parse wherever it is not "not sure" on every real file here, and where a grammar
error fools it (tree-sitter drops a block the text shows) the scan notices and collects again by parsing:
the output is the same as with no guess at all. With a result cache the guess is made too, but an answer
is cached only once every guess of the scan is confirmed: a cached answer is never a guess.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xborder.inputs.terraform.calltext import guess_calls, parse_confirms, parsed_calls
from xborder.inputs.terraform.precheck import may_declare_module
from xborder.inputs.terraform.syntax import parse_file

REPO = Path(__file__).resolve().parents[2]


def _parsed(tmp_path: Path, data: bytes) -> tuple:
    p = tmp_path / "main.tf"
    p.write_bytes(data)
    return parsed_calls(parse_file(p, "main.tf").blocks)


def _texts() -> list[tuple[str, bytes]]:
    """Every Terraform file of fixtures/ and every string of the tests' sources that may declare a module
    block (the trees the tests write), this file's excepted."""
    import ast

    out = []
    for p in sorted((REPO / "fixtures").rglob("*")):
        if p.suffix in (".tf", ".tofu") and p.is_file():
            out.append((str(p), p.read_bytes()))
    for p in sorted((REPO / "tests").rglob("*.py")):
        if p.name == Path(__file__).name:
            continue
        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and "module" in n.value:
                try:
                    out.append((f"{p.name}:{n.lineno}", n.value.encode("utf-8")))
                except UnicodeEncodeError:
                    continue
    return [(name, data) for name, data in out if may_declare_module(data)]


def test_guess_equals_the_parse_on_fixtures_and_the_tests_trees(tmp_path):
    """Wherever the guess is not "not sure" and the file has no syntax error, it is what the parse gives."""
    guessed = 0
    for name, data in _texts():
        g = guess_calls(data)
        if g is None:
            continue
        p = tmp_path / "main.tf"
        p.write_bytes(data)
        pf = parse_file(p, "main.tf")
        if any("syntax error" in e.message for e in pf.errors):
            continue  # a grammar error may fool the guess: `check` compares it with the parse (tests below)
        guessed += 1
        assert g == parsed_calls(pf.blocks), name
    assert guessed >= 30  # the property is about files that call modules: there must be some


HOSTILE = {
    "heredoc holding a header": b'locals {\n  x = <<EOT\nmodule "b" {\n  source = "./b"\n}\nEOT\n}\n'
                                b'module "a" {\n  source = "./a"\n}\n',
    "comments holding headers": b'/* module "b" {\n source = "./b"\n} */\n# module "c" {\n// module "d" {\n'
                                b'module "a" {\n  source = "./a"\n}\n',
    "string holding a header": b'locals {\n  x = "module \\"b\\" {"\n}\nmodule "a" {\n  source = "./a"\n}\n',
    "source of a nested value": b'module "a" {\n  source = "./a"\n  m = {\n    source = "./b"\n  }\n}\n',
    "source in a nested block": b'module "a" {\n  source = "./a"\n  x {\n    source = "./c"\n  }\n}\n',
    "source set twice": b'module "a" {\n  source = "./a"\n  source = "./b"\n}\n',
    "escape in the source": b'module "a" {\n  source = "./\\u0061"\n}\n',
    "interpolation in the source": b'module "a" {\n  source = "${"./a"}"\n}\n',
    "source from a local": b'module "a" {\n  source = local.x\n}\n',
    "one-line block": b'module "a" { source = "./a" }\n',
    "two labels": b'module "a" "b" {\n  source = "./a"\n}\n',
    "identifier label": b'module a {\n  source = "./a"\n}\n',
    "nested module block": b'locals {\n  module "a" {\n    source = "./a"\n  }\n}\n',
    "attribute named module": b'locals {\n  module = 1\n}\n',
    "CRLF": b'module "a" {\r\n  source = "./a"\r\n}\r\n',
    "tabs": b'module\t"a"\t{\n\tsource\t=\t"./a"\n}\n',
    "no final newline": b'module "a" {\n  source = "./a"\n}',
    "comments after values": b'module "a" {\n  source = "./a" # x\n  version = "1" // y\n}\n',
    "dollar and percent": b'module "a" {\n  source = "./$a%b"\n}\n',
    "unicode name": b'locals {\n  \xc3\xa9 = 1\n}\nmodule "a" {\n  source = "./a"\n}\n',
    "BOM": b'\xef\xbb\xbfmodule "a" {\n  source = "./a"\n}\n',
    "NUL byte": b'module "a" {\n  source = "./a"\n}\n\x00',
    "bad UTF-8": b'# \xff\nmodule "a" {\n  source = "./a"\n}\n',
    "unclosed string": b'module "a" {\n  source = "./a\n}\n',
    "unclosed block": b'module "a" {\n  source = "./a"\n',
    "merge conflict": b'<<<<<<< HEAD\nmodule "a" {\n  source = "./a"\n}\n=======\n>>>>>>> x\n',
    "closing brace with more": b'module "a" {\n  source = "./a"\n} locals {}\n',
    "brace in a string in the body": b'module "a" {\n  source = "./a"\n  x = "}"\n}\n',
    "template holding strings": b'locals {\n  x = "${lookup(m, "module \\"b\\" {", "")}"\n}\nmodule "a" {\n  source = "./a"\n}\n',
    "template holding a brace": b'module "a" {\n  source = "./a"\n  x = "${f("}")}"\n}\nmodule "b" {\n  source = "./b"\n}\n',
    "template not closed": b'module "a" {\n  source = "./a"\n  x = "${f("a")"\n}\n',
    "template with a newline": b'module "a" {\n  source = "./a"\n  x = "${f(\n"a")}"\n}\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_guessed_right_or_not_at_all(tmp_path, name):
    data = HOSTILE[name]
    g = guess_calls(data)
    assert g is None or g == _parsed(tmp_path, data)


@pytest.mark.parametrize("data, expected", [
    (b'module "a" {\n  source = "./a"\n  v = 1\n}\n', ((("a",), "./a"),)),
    (b'module "a" {\n  count = 1\n}\nmodule "b" {\n  source = "git::https://x"\n}\n', ((("a",), None), (("b",), "git::https://x"))),
    (b'resource "x" "y" {\n  a = module.a.b\n  p = path.module\n}\n', ()),
    # strings whose interpolations hold quoted strings (one regex cannot match them): read as templates
    (b'module "a" {\n  source = "./a"\n  n = "${lookup(var.m, "k", "d")}-${join(",", ["x"])}"\n}\nmodule "b" {\n'
     b'  source = "../b"\n  t = "%{ for k in ["a"] }${k}%{ endfor }"\n}\n', ((("a",), "./a"), (("b",), "../b"))),
])
def test_the_usual_spelling_is_guessed(tmp_path, data, expected):
    assert guess_calls(data) == expected == _parsed(tmp_path, data)


# A grammar error tree-sitter recovers from by dropping the next block: the text shows a call the parse has not.
FOOLING = b'locals {\n  x =\n}\nmodule "vpn" {\n  source = "../vpn"\n}\n'


@pytest.mark.parametrize("data", [FOOLING, b'x =\nmodule "vpn" {\n  source = "../vpn"\n}\n',
                                  b'locals {\n  x = 1\n} junk\nmodule "vpn" {\n  source = "../vpn"\n}\n'])
def test_a_grammar_error_can_fool_the_guess(tmp_path, data):
    assert guess_calls(data) == ((("vpn",), "../vpn"),) != _parsed(tmp_path, data)  # why `check` exists


# `python -m xborder` with root detection parsing every file (no guess): the reference the guessing runs must equal
_NO_GUESS = ("import sys\nfrom xborder.inputs.terraform import plugin\nplugin._guessed_targets = lambda *a: None\n"
             "from xborder.cli import main\nsys.exit(main(sys.argv[1:]))")


def _scan(cwd: Path, *args: str, cache: Path | None = None, guess: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    run = ["-m", "xborder"] if guess else ["-c", _NO_GUESS]
    return subprocess.run([sys.executable, *run, "scan", ".", "--format", "json", "--no-config", *args,
                           *(() if cache is not None else ("--no-cache",))],
                          cwd=cwd, env=env, capture_output=True, text=True, check=False)


_VPN = ('provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
        'resource "alicloud_vpn_customer_gateway" "cgw" {\n  ip_address = "8.8.8.8"\n}\n'
        'resource "alicloud_vpn_connection" "c" {\n  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id\n'
        '  vpn_gateway_id = "vpn-1"\n}\n')


def _fooled_tree(root: Path, deep: bool) -> None:
    """`app` seems to call `vpn` (the text shows the block) but its parse has no such call, so `vpn` is a root
    whose cross-border VPN must be reported. With `deep`, `app` ends a chain of calls deeper than modules may
    nest: no unit ever parses `app`'s files, so only the final check (`settled`) can see the wrong guess."""
    (root / "app").mkdir()
    (root / "vpn").mkdir()
    (root / "vpn" / "main.tf").write_text(_VPN, encoding="utf-8")
    (root / "app" / "main.tf").write_bytes(FOOLING + (b"" if deep else _VPN.encode()))
    if deep:
        for i in range(18):
            (root / f"c{i:02}").mkdir()
            callee = f"c{i + 1:02}" if i < 17 else "app"
            (root / f"c{i:02}" / "main.tf").write_text(f'module "next" {{\n  source = "../{callee}"\n}}\n',
                                                       encoding="utf-8")
    for i in range(70):  # enough directories for root detection and loading in worker processes
        d = root / f"d{i:02}"
        d.mkdir()
        (d / "main.tf").write_text('module "m" {\n  source = "./m"\n}\n', encoding="utf-8")
        (d / "m").mkdir()
        (d / "m" / "main.tf").write_text(f'resource "aws_vpc" "v" {{\n  cidr_block = "10.{i}.0.0/16"\n}}\n',
                                         encoding="utf-8")


@pytest.mark.parametrize("deep", [False, True])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_wrong_guess_is_found_and_the_scan_collects_again_by_parsing(tmp_path, deep, jobs):
    if jobs != "1" and "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    tree = tmp_path / "tree"
    tree.mkdir()
    _fooled_tree(tree, deep)
    guessed = _scan(tree, "--jobs", jobs)
    exact = _scan(tree, "--jobs", jobs, guess=False)
    out = json.loads(guessed.stdout)
    assert "vpn/main.tf" in {f["path"] for f in out["findings"] if f["rule_id"] == "XB101"}, guessed.stdout
    if not deep:  # `app` is a root: its unit reports the syntax error
        assert any(e["path"] == "app/main.tf" and "syntax error" in e["message"] for e in out["errors"])
    assert guessed.stdout == exact.stdout and guessed.returncode == exact.returncode
    # with a result cache: the same output cold, and after a change elsewhere (the whole-scan entry misses, each
    # directory's cached module calls are used); a wrong guess cached as `app`'s calls would make `vpn` no root
    cache = tmp_path / "cache"
    cold = _scan(tree, "--jobs", jobs, cache=cache)
    assert cold.stdout == exact.stdout and cold.returncode == exact.returncode
    (tree / "d00" / "m" / "main.tf").write_text('resource "aws_vpc" "v" {\n  cidr_block = "10.99.0.0/16"\n}\n',
                                                encoding="utf-8")
    warm = _scan(tree, "--jobs", jobs, cache=cache)
    exact = _scan(tree, "--jobs", jobs, guess=False)
    assert "vpn/main.tf" in {f["path"] for f in json.loads(warm.stdout)["findings"] if f["rule_id"] == "XB101"}
    assert warm.stdout == exact.stdout and warm.returncode == exact.returncode


def test_a_skipped_subtree_guessed_from_the_text_reports_its_errors_as_cannot_matter_directories_do(tmp_path):
    """`net` has a VPN; the module it calls (`tags`, which calls `names`) names no link type, so the unit skips
    that subtree and reports only its errors, as for any directory that cannot matter (`checked_errors`): the
    grammar error between closed tokens in `tags` (whose calls were guessed, then confirmed by a parse) is not
    reported any more, the unclosed bracket in `names` is. Same output as when detection parses."""
    tree = tmp_path / "tree"
    (tree / "net" / "tags" / "names").mkdir(parents=True)
    (tree / "net" / "main.tf").write_text(_VPN + 'module "tags" {\n  source = "./tags"\n}\n', encoding="utf-8")
    (tree / "net" / "tags" / "main.tf").write_text(
        'locals {\n  x = [1,,2]\n}\nmodule "names" {\n  source = "./names"\n}\n', encoding="utf-8")
    (tree / "net" / "tags" / "names" / "main.tf").write_text('locals {\n  y = (1\n}\n', encoding="utf-8")
    assert guess_calls((tree / "net" / "tags" / "main.tf").read_bytes()) == ((("names",), "./names"),)
    guessed = _scan(tree)
    exact = _scan(tree, guess=False)
    assert _scan(tree, cache=tmp_path / "cache").stdout == exact.stdout  # guessed too, with a result cache
    out = json.loads(guessed.stdout)
    assert {e["path"] for e in out["errors"] if "syntax error" in e["message"]} == {"net/tags/names/main.tf"}, guessed.stdout
    assert "net/main.tf" in {f["path"] for f in out["findings"] if f["rule_id"] == "XB101"}
    assert guessed.stdout == exact.stdout and guessed.returncode == exact.returncode


def test_strings_read_as_templates_mask_as_the_regex_does() -> None:
    """Where one regex pass has no doubt, reading strings as templates masks the text byte for byte the same
    (repository files and random texts), so a guess made either way reads the same code."""
    import random

    from xborder.inputs.terraform.calltext import _mask, _template_mask
    from xborder.inputs.terraform.precheck import _SKIP, lexical_doubt

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_bytes() for base in ("fixtures", "tests") for p in sorted((root / base).rglob("*.tf"))]
    rng = random.Random(7)
    pieces = [b'"', b"a", b"b c", b"\\", b"\\n", b"$", b"%", b"${", b"%{", b"$${", b"{", b"}", b"[", b"]", b"\n", b"#", b"//",
              b"/*", b"*/", b"/", b"<<EOT\n", b"\nEOT\n", b" ", b"="]
    texts += [b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 14))) for _ in range(20000)]
    compared = 0
    for text in texts:
        if lexical_doubt(text):
            continue
        masked = _template_mask(text)
        if masked is not None:
            assert masked == _SKIP.sub(_mask, text), text
            compared += 1
    assert compared > 2000


# ---------------------------------------------------------------------------------------------
# a guess confirmed by the parser alone (`parse_confirms`): for directories that cannot matter


def test_a_guess_the_parser_confirms_is_the_parse(tmp_path):
    """`parse_confirms` (the tree has no syntax error and its module headers and literal sources are spelt as
    guessed) holds only where the guess is what the full parse gives, on every text here and the hostile ones;
    and it holds for the usual files (it is what spares building their blocks)."""
    confirmed = 0
    texts = _texts() + [(name, data) for name, data in HOSTILE.items()] + [("fooling", f) for f in _FOOLING]
    for name, data in texts:
        g = guess_calls(data)
        if g is None or not parse_confirms(data, g):
            continue
        confirmed += 1
        assert g == _parsed(tmp_path, data), name
    assert confirmed >= 30


_FOOLING = [FOOLING, b'x =\nmodule "vpn" {\n  source = "../vpn"\n}\n',
            b'locals {\n  x = 1\n} junk\nmodule "vpn" {\n  source = "../vpn"\n}\n',
            # a grammar error inside a value, balanced: tree-sitter's recovery drops the next block
            b'locals {\n  m = {\n    a = var.x ? 1 :    b = 2\n  }\n}\nmodule "vpn" {\n  source = "../vpn"\n}\n']


@pytest.mark.parametrize("data", _FOOLING)
def test_a_grammar_error_is_never_confirmed(tmp_path, data):
    g = guess_calls(data)
    assert g is not None and not parse_confirms(data, g)


@pytest.mark.parametrize("data, confirmed", [
    (b'module "a" {\n  source = "./a"\n  n = 1\n}\nmodule "b" {\n  count = 1\n}\n', True),
    (b'locals {\n  a = 1\n  a = 2\n}\nmodule "a" {\n  source = "./a"\n}\n', True),  # set twice: no syntax error
    (b'module "a" {\n  source = "./a"\n}\nmodule "a" {\n  source = "./b"\n}\n', True),
    (b'locals {\n  x = [1,,2]\n}\nmodule "a" {\n  source = "./a"\n}\n', False),
])
def test_what_the_parser_confirms(data, confirmed):
    assert parse_confirms(data, guess_calls(data)) is confirmed
    assert not parse_confirms(data, ((("other",), "./a"),))


def test_a_root_whose_calls_cannot_matter_builds_no_block_and_reports_as_cannot_matter_directories_do(tmp_path):
    """A root that calls only modules that cannot matter (`loader._quick_calls`): its calls, guessed from the
    text, are confirmed by the parser alone (no block built, no walk for other errors), and its files' errors are
    those of any directory that cannot matter: an argument set twice in the root is not reported any more, a
    truncated file below still is (as a syntax error)."""
    tree = tmp_path / "tree"
    (tree / "app").mkdir(parents=True)
    (tree / "tags").mkdir()
    (tree / "app" / "main.tf").write_text('locals {\n  a = 1\n  a = 2\n}\nmodule "tags" {\n  source = "../tags"\n}\n',
                                          encoding="utf-8")
    (tree / "tags" / "main.tf").write_text('variable "x" {\n  default = 1\n}\n', encoding="utf-8")
    (tree / "tags" / "half.tf").write_text('locals {\n  y = (1\n}\n', encoding="utf-8")
    probe = ("import sys\nfrom xborder.inputs.terraform import syntax\nreal = syntax.module_blocks\n"
             "def spy(path, rel, data):\n    sys.stderr.write('MODULE_BLOCKS ' + rel + '\\n')\n    return real(path, rel, data)\n"
             "syntax.module_blocks = spy\nfrom xborder.cli import main\nsys.exit(main(sys.argv[1:]))")
    run = subprocess.run([sys.executable, "-c", probe, "scan", ".", "--format", "json", "--no-config", "--no-cache",
                          "-j", "1"], cwd=tree, env={**os.environ, "NO_COLOR": "1"}, capture_output=True, text=True,
                         check=False)
    out = json.loads(run.stdout)
    assert [(e["path"], "syntax error" in e["message"]) for e in out["errors"]] == [("tags/half.tf", True)], run.stdout
    assert "MODULE_BLOCKS" not in run.stderr  # confirmed by `parse_confirms`, not by building the module blocks
    exact = _scan(tree, guess=False)
    assert exact.stdout == run.stdout and exact.returncode == run.returncode
    # with a result cache: the same cold, and after a change below (the root's unit is loaded again, its calls
    # now come from the cache: no guess, and the same errors)
    cache = tmp_path / "cache"
    assert _scan(tree, cache=cache).stdout == exact.stdout
    (tree / "tags" / "main.tf").write_text('variable "x" {\n  default = 2\n}\n', encoding="utf-8")
    again = _scan(tree, cache=cache)
    assert again.stdout == _scan(tree).stdout == _scan(tree, guess=False).stdout
    assert [e["path"] for e in json.loads(again.stdout)["errors"]] == ["tags/half.tf"]
