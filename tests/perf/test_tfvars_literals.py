"""The literal-only variables reader gives exactly what tree-sitter + the evaluator give, or gives up.

Every sample is read both ways: when the fast reader accepts a file, the tree-sitter path must report no
error and the same names, values (types included: int, exact numbers, None) and positions; when it gives
up, the file goes through tree-sitter as before. Random literal maps check the same on many shapes. A large
generated map (the benchmark's 9.5 MB case, smaller here) is read whole, in bounded time and memory.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xborder.inputs.terraform import syntax
from xborder.inputs.terraform.expressions import Evaluator, Scope
from xborder.inputs.terraform.literals import read_literal_vars
from xborder.inputs.terraform.syntax import LiteralExpr, ParsedFile, parse_file

REPO = Path(__file__).resolve().parents[2]


def _shape(v: Any) -> Any:
    """A value with its Python types, so 1, 1.0-as-Num and "1" never compare equal."""
    if isinstance(v, dict):
        return ("dict", [(k, _shape(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("list", [_shape(x) for x in v])
    return (type(v).__name__, repr(v))


def _both(tmp_path: Path, text: str) -> tuple[ParsedFile, ParsedFile]:
    f = tmp_path / "x.auto.tfvars"
    f.write_bytes(text.encode("utf-8"))
    fast = parse_file(f, "x.auto.tfvars", variables=True)
    slow = ParsedFile("x.auto.tfvars")
    syntax._parse_hcl_file(text, slow)  # the tree-sitter path, always
    return fast, slow


def _values(pf: ParsedFile) -> dict[str, Any]:
    ev = Evaluator()
    return {k: _shape(ev.evaluate(a.expr, Scope())) for k, a in pf.attrs.items()}


def _same(tmp_path: Path, text: str) -> bool:
    """Assert fast == tree-sitter; True when the fast reader took the file."""
    fast, slow = _both(tmp_path, text)
    took = any(isinstance(a.expr, LiteralExpr) for a in fast.attrs.values())
    if took:
        assert slow.errors == [], text
        assert fast.errors == []
        assert list(fast.attrs) == list(slow.attrs)
        assert _values(fast) == _values(slow), text
        assert [a.location for a in fast.attrs.values()] == [a.location for a in slow.attrs.values()], text
    else:
        assert fast.errors == slow.errors
        assert _values(fast) == _values(slow)
    return took


ACCEPTED = [
    'a = "x"\n',
    'a = "x"',
    'a = ""\n',
    'a = 1\nb = -2\nc = 1.50\nd = 0.0\ne = -0\nf = -0.0\ng = 1.5e3\nh = 2.0E-2\ni = 12345678901234567890123\n',
    'a = 007\nb = 1.0\nc = 100000000000000000000000000000000000000000000000000000000000000000000000000000000000\n',
    'a = true\nb = false\nc = null\n',
    'a = [1, "2", true, null]\nb = []\nc = [\n  1,\n  2,\n]\nd = [[], [[]], {}]\n',
    'a = {}\nb = { x = 1 }\nc = { x = 1, y = 2 }\nd = {\n  x = 1\n  y = 2\n}\ne = { "k-1" = 1, "k.2": 2, k3: 3 }\n',
    'a = { x = 1, }\nb = {\n  x = 1,\n  y = 2,\n}\nc = {\n\n  x = 1\n\n\n  y = 2\n\n}\n',
    'a = { x = 1, x = 2, y = 3 }\n',
    '# comment\n// another\na = 1 # trailing\nb = 2 // trailing\n/* one line */ c = 3\nd = /* x */ 4\n',
    'a = {\n  x = 1 # c\n  y = [1, # c\n    2]\n}\n',
    'a = "tab\there"\nb = "q\\"uote\\\\ \\n \\r \\t"\nc = "\\u00e9\\U0001F600"\nd = "100% $ sign"\n',
    'a = "caf\u00e9"\nb = "cafe\u0301"\nc = "\u4e2d\u56fd"\n',
    'a = 1\r\nb = { x = 1\r\n y = 2 }\r\n',
    'sites = {\n  "site-1" = { region = "eu-west-2", cidr = "10.0.1.0/24", peer = "198.51.0.1", ports = [443, 8443] }\n}\n',
    '  a   =   1   \n\tb\t=\t2\n',
    'a-b = 1\n_c = 2\n',
    'a = { true_x = 1, nullable = 2, format = 3, for_each = 4 }\n',
]

REFUSED = [
    'a = "${var.x}"\n',
    'a = "%{ if true }x%{ endif }"\n',
    'a = "$${x}"\n',
    'a = <<EOT\nx\nEOT\n',
    'a = var.x\n',
    'a = upper("x")\n',
    'a = 1 + 2\n',
    'a = [for x in [1] : x]\n',
    'a = { for k, v in {} : k => v }\n',
    'a = 1e3\n',
    'a = 1\na = 2\n',
    'a = { 1 = "x" }\n',
    'a = { true = 1 }\n',
    'a = { x = 1 y = 2 }\n',
    'a = [1 2]\n',
    'a = [1,,2]\n',
    'a = { , }\n',
    'a = {\n  x =\n  1\n}\n',
    'a = {\n  x = 1\n  , y = 2\n}\n',
    'a = 1 b = 2\n',
    'a = \n1\n',
    'block {\n  a = 1\n}\n',
    'a = "unterminated\n',
    'a = { x = 1\n',
    'a = [1, 2\n',
    'a = }\n',
    'a = -x\n',
    'a = - 1\n',
    'a = 1.\n',
    'a = .5\n',
    'a = 0x10\n',
    'a = "bad \\q escape"\n',
    'a = /* two\nlines */ 1\n',
    'a = (1)\n',
    'a = true ? 1 : 2\n',
    'a = [1][0]\n',
    'a = "x" "y"\n',
    'a : 1\n',
    '"a" = 1\n',
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_fast_reader_matches_tree_sitter(tmp_path: Path, text: str) -> None:
    assert _same(tmp_path, text), "the fast reader should take this literal file"


@pytest.mark.parametrize("text", REFUSED)
def test_fast_reader_gives_up_on_anything_else(tmp_path: Path, text: str) -> None:
    assert read_literal_vars(text) is None
    assert not _same(tmp_path, text)


def _random_value(rnd: random.Random, depth: int) -> Any:
    r = rnd.random()
    if depth > 3 or r < 0.45:
        return rnd.choice([
            rnd.randint(-10**6, 10**6), round(rnd.uniform(-1e4, 1e4), rnd.randint(0, 6)), "",
            rnd.choice(["eu-west-1", "cn-north-1", "10.0.0.0/16", "caf\u00e9", "a\\\"b", "x y", "1"]),
            True, False, None, 0, -0.5])
    if r < 0.7:
        return [_random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rnd.choice(["a", "b-c", "d_e", "x.y", "1a", "k k", "F"]) + str(rnd.randint(0, 9)): _random_value(rnd, depth + 1)
            for _ in range(rnd.randint(0, 4))}


def _hcl(v: Any, rnd: random.Random, indent: str = "") -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=rnd.random() < 0.5)
    inner = indent + "  "
    if isinstance(v, list):
        if rnd.random() < 0.5:
            return "[" + ", ".join(_hcl(x, rnd, inner) for x in v) + "]"
        return "[\n" + "".join(f"{inner}{_hcl(x, rnd, inner)},\n" for x in v) + indent + "]"
    items = []
    for k, x in v.items():
        key = k if k.replace("-", "").replace("_", "").isalnum() and k[0].isalpha() and rnd.random() < 0.7 else json.dumps(k)
        items.append(f"{key} {rnd.choice(['=', ':'])} {_hcl(x, rnd, inner)}")
    if rnd.random() < 0.5:
        return "{ " + ", ".join(items) + " }"
    return "{\n" + "".join(f"{inner}{it}{rnd.choice(['', ','])}\n" for it in items) + indent + "}"


def test_random_literal_files_match_tree_sitter(tmp_path: Path) -> None:
    rnd = random.Random(20261129)
    taken = 0
    for i in range(150):
        text = "".join(f"v{j} = {_hcl(_random_value(rnd, 0), rnd)}\n" for j in range(rnd.randint(1, 4)))
        taken += _same(tmp_path, text)
    assert taken >= 140  # a few random floats print with an exponent without a fraction (`1e-05`)


def test_variables_files_of_fixtures_read_the_same(tmp_path: Path) -> None:
    files = sorted(p for p in (REPO / "fixtures").rglob("*.tfvars"))
    assert files
    for f in files:
        _same(tmp_path, f.read_text(encoding="utf-8"))


def _scan_big(root: Path) -> tuple[dict[str, Any], float]:
    """(JSON report, peak RSS in MiB) of a scan of `root` in a fresh process."""
    # VmHWM is this process's own peak (ru_maxrss would keep the forking pytest process's size across exec)
    code = ("import sys\nfrom xborder.cli import main\nrc = 0\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit as e:\n    rc = e.code\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
            "print(hwm[0].split()[1] if hwm else 0, file=sys.stderr)\nsys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code, "scan", str(root), "--format", "json", "--no-config", "--no-cache"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout), int(proc.stderr.strip().splitlines()[-1]) / 1024


def _big_tfvars() -> Any:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from corpus import big_tfvars
    finally:
        sys.path.remove(str(REPO / "bench"))
    return big_tfvars


def test_large_generated_map_is_read_whole_in_bounded_memory(tmp_path: Path) -> None:
    """The benchmark's generated map (2 MB here, about 17,000 entries): the provider region comes from one
    entry, so the Client VPN endpoint is placed in cn-north-1 (XB103). Before the fast reader the map was over
    the evaluator's step budget: the region was unknown and the finding silently missing, and tree-sitter held
    about 250 MB of syntax tree for it."""
    root = tmp_path / "big"
    _big_tfvars()(root, 2.0)
    out, peak_mib = _scan_big(root)
    assert out["errors"] == []
    assert [(f["rule_id"], f["resource"]) for f in out["findings"]] == [("XB103", "aws_ec2_client_vpn_endpoint.staff")]
    if Path("/proc/self/status").exists():
        assert peak_mib < 120, f"peak {peak_mib:.0f} MiB for a 2 MB variables file"


def test_map_entry_outside_china_gives_no_finding(tmp_path: Path) -> None:
    """The negative case: the same map with the entry the provider reads moved offshore (Hong Kong)."""
    root = tmp_path / "big"
    _big_tfvars()(root, 0.2)
    f = root / "sites.auto.tfvars"
    text = f.read_text(encoding="utf-8")
    assert '"site-3" = { region = "cn-north-1"' in text
    f.write_text(text.replace('"site-3" = { region = "cn-north-1"', '"site-3" = { region = "ap-east-1"'), encoding="utf-8")
    out, _peak = _scan_big(root)
    assert out["errors"] == []
    assert out["findings"] == []
