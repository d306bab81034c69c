"""A large map from a variables file that links only index (`var.sites["site-3"].region`) is converted to its
declared type entry by entry (modules.MapEntries), and the scan reports exactly what converting the whole map
reports.

The reference is the same scan with the entry-by-entry path off (`literals.LARGE_MAP` out of reach: the whole
map is converted, as before). Every case compares the two JSON reports byte for byte and checks which path ran:
maps whose entries are all of the declared type, entries that do not convert (far from any link, and the entry
the link reads), object/map/list/set/tuple/optional() conversions of the entry read, keys that are missing or
not strings, other uses of the whole map beside the index, types that must be converted whole (`any`,
optional() defaults), a long exponent anywhere in the file, and values overridden by another file or `--var`.
"""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from xborder import cli
from xborder.inputs.terraform import literals, modules, types
from xborder.inputs.terraform.values import Num

from test_tfvars_fast_paths import _typed_shape  # noqa: E402 - tests/perf is on the path (rootdir conftest)

ENTRIES = 1200  # above literals.LARGE_MAP
TYPE = "map(object({ region = string, cidr = string, peer = string, ports = list(number) }))"


def _main_tf(type_text: str = TYPE, region: str = 'var.sites["site-3"].region', extra: str = "") -> str:
    return (
        f'variable "sites" {{\n  type = {type_text}\n}}\n'
        f'provider "aws" {{\n  region = {region}\n}}\n'
        'resource "aws_ec2_client_vpn_endpoint" "staff" {\n'
        '  server_certificate_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f3c"\n'
        '  client_cidr_block      = var.sites["site-3"].cidr\n'
        '  authentication_options {\n    type = "certificate-authentication"\n'
        '    root_certificate_chain_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/9a1e"\n  }\n'
        '  connection_log_options {\n    enabled = false\n  }\n'
        f'{extra}'
        '}\n')


def _entry(i: int) -> str:
    regions = ["cn-north-1", "eu-west-1", "ap-east-1"]
    return (f'  "site-{i}" = {{ region = "{regions[i % 3]}", cidr = "10.{i // 256 % 256}.{i % 256}.0/24", '
            f'peer = "198.51.{i // 256 % 256}.{i % 256}", ports = [443, {1024 + i}] }}')


def _tfvars(changes: dict[int, str] | None = None, n: int = ENTRIES) -> str:
    changes = changes or {}
    lines = ["sites = {"] + [changes.get(i, _entry(i)) for i in range(1, n + 1)] + ["}"]
    return "\n".join(lines) + "\n"


def _tree(root: Path, main_tf: str, tfvars: str, more: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(main_tf, encoding="utf-8")
    (root / "sites.auto.tfvars").write_text(tfvars, encoding="utf-8")
    for name, text in (more or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _scan(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    cli.main(["scan", str(root), "--root", str(root), "--format", "json", "--no-config", "--no-cache", *extra])
    return capsys.readouterr().out


def _both(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *extra: str
          ) -> tuple[str, str, list[int], list[int]]:
    """(report entry by entry, report converting whole, sizes of the maps converted whole in each)."""
    whole: list[int] = []
    real = modules.convert

    def spy(v: Any, spec: Any, default: Any, depth: int = 0) -> Any:
        if isinstance(v, dict) and len(v) >= ENTRIES:
            whole.append(len(v))
        return real(v, spec, default, depth)

    monkeypatch.setattr(modules, "convert", spy)
    lazy = _scan(root, capsys, *extra)
    lazy_whole = list(whole)
    whole.clear()
    with monkeypatch.context() as m:
        m.setattr(literals, "LARGE_MAP", 10**9)
        eager = _scan(root, capsys, *extra)
    return lazy, eager, lazy_whole, list(whole)


def _findings(report: str) -> list[tuple[str, str]]:
    return [(f["rule_id"], f["resource"]) for f in json.loads(report)["findings"]]


BAD_FAR = {  # entries no link reads, whose values do not convert to the declared type
    700: '  "site-700" = { region = 5, cidr = ["x"], peer = { a = 1 }, ports = [443, "abc", true, null] }',
    900: '  "site-900" = "not an object"',
    1000: '  "site-1000" = { region = "cn-north-1", extra = 1 }',
    1100: '  "site-1100" = null',
}


def test_indexed_map_is_converted_entry_by_entry_with_the_same_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "t", _main_tf(), _tfvars())
    lazy, eager, lazy_whole, eager_whole = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == [] and eager_whole == [ENTRIES], "the map is not converted whole on the entry path"
    assert _findings(lazy) == [("XB103", "aws_ec2_client_vpn_endpoint.staff")]
    assert json.loads(lazy)["errors"] == []


@pytest.mark.parametrize("bad,reason", [
    (BAD_FAR[700], 'element "site-700": attribute "cidr": a string is required'),
    (BAD_FAR[900], 'element "site-900": an object is required'),
    (BAD_FAR[1000], 'element "site-1000": attribute "cidr" is required'),
    ('  "site-700" = { region = "x", cidr = "c", peer = "p", ports = [443, "abc"] }',
     'element "site-700": attribute "ports": element 1: a number is required'),
])
def test_an_entry_no_link_reads_that_does_not_convert_is_an_error_on_both_paths(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, bad: str, reason: str) -> None:
    """Terraform refuses the whole variable ("Invalid value for input variable") if one entry does not convert,
    whichever entry a link reads: an error at the variables file's line, and the entry read is unknown (no
    concrete region from a value Terraform would never use). The entry path checks every entry without
    converting the map."""
    root = _tree(tmp_path / "t", _main_tf(), _tfvars({int(bad.split('"site-')[1].split('"')[0]): bad}))
    lazy, eager, lazy_whole, _eager_whole = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == []
    doc = json.loads(lazy)
    assert [(e["path"], e["line"]) for e in doc["errors"]] == [("sites.auto.tfvars", 1)], doc["errors"]
    message = doc["errors"][0]["message"]
    assert message.startswith("invalid value for input variable var.sites (declared at main.tf:1 as map(object(")
    assert f"): {reason}; Terraform refuses to plan" in message
    assert ("XB103", "aws_ec2_client_vpn_endpoint.staff") not in _findings(lazy)


@pytest.mark.parametrize("site3,type_text", [
    # the entry the link reads does not convert (a number is a string, a list is kept as it is)
    ('  "site-3" = { region = 5, cidr = ["x"], peer = "p", ports = ["1", "x"] }', TYPE),
    ('  "site-3" = { region = true, cidr = "10.0.3.0/24", peer = null, ports = null }', TYPE),
    ('  "site-3" = "cn-north-1"', TYPE),
    ('  "site-3" = null', TYPE),
    # object attributes dropped and filled (optional() without a default), nested collections converted
    ('  "site-3" = { region = "cn-north-1", cidr = "10.0.3.0/24", gone = 1 }',
     "map(object({ region = string, cidr = optional(string), peer = optional(string), ports = optional(set(number)) }))"),
    ('  "site-3" = { region = "cn-north-1", cidr = "10.0.3.0/24", ports = ["443", 80, 80, "22"], tags = { a = 1, b = true },'
     ' pair = ["x", "7"], more = [[1, "2"]] }',
     "map(object({ region = string, cidr = string, ports = set(number), tags = map(string), pair = tuple([string, number]),"
     " more = list(list(string)) }))"),
    ('  "site-3" = { region = "cn-north-1", cidr = "10.0.3.0/24", ports = [1, 2] }',
     "map(object({ region = string, cidr = string, ports = tuple([string]) }))"),
])
def test_the_entry_read_converts_as_in_the_whole_map(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, site3: str, type_text: str) -> None:
    root = _tree(tmp_path / "t", _main_tf(type_text), _tfvars({3: site3, **BAD_FAR}))
    lazy, eager, lazy_whole, _eager_whole = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == []


@pytest.mark.parametrize("region", [
    'var.sites["nope"].region',  # no such key: the whole map's error text
    "var.sites[3].region",  # a number key
    'var.sites[local.k].region',  # a key computed from a local
    'var.sites["site-3"]["region"]',
    'var.sites.site-3.region',
    'keys(var.sites)[0] == "site-1" ? var.sites["site-3"].region : "x"',  # the whole map as well
    'var.sites[*]["site-3"].region',
])
def test_other_keys_and_uses_give_the_same_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, region: str) -> None:
    main = _main_tf(region=region) + 'locals {\n  k = "site-3"\n}\n'
    root = _tree(tmp_path / "t", main, _tfvars(BAD_FAR))
    lazy, eager, _lw, _ew = _both(root, capsys, monkeypatch)
    assert lazy == eager


@pytest.mark.parametrize("type_text", [
    "map(any)", "any", "map(object({ region = string, cidr = optional(string, \"10.9.9.0/24\"), peer = string, ports = list(number) }))",
    "map(object({ region = string, cidr = string, ports = list(any) }))", "object({ site-3 = object({ region = string }) })",
])
def test_types_converted_whole_stay_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, type_text: str) -> None:
    """`any` is unified across entries and an optional() default is an expression: such maps are converted
    whole (an object type is not a map type)."""
    root = _tree(tmp_path / "t", _main_tf(type_text), _tfvars({3: '  "site-3" = { region = "cn-north-1", peer = 1 }', **BAD_FAR}))
    lazy, eager, lazy_whole, eager_whole = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == eager_whole


@pytest.mark.parametrize("text", ['"1e5000"', "1.5e1000", '"2.E-0123"'])
def test_a_long_exponent_anywhere_in_the_file_converts_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Converting a number with a long exponent can take minutes (a string of 1e500000 for a number): a file with
    one anywhere is converted whole, as before, so a slow or failing entry that no link reads still counts."""
    far = f'  "site-800" = {{ region = "eu-west-1", cidr = "10.0.0.0/24", peer = "p", ports = [{text}] }}'
    root = _tree(tmp_path / "t", _main_tf(), _tfvars({800: far}))
    lazy, eager, lazy_whole, eager_whole = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == eager_whole == [ENTRIES]


def test_hex_like_text_is_no_long_exponent() -> None:
    found = [("sites", {str(i): i for i in range(literals.LARGE_MAP)}, 0, 0)]
    assert literals.conversion_safe('a = "ami-0e1f2" b = "site-1000" c = "1e999" d = 1.5E+999', found)
    assert not literals.conversion_safe('a = "0e1234"', found)
    assert not literals.conversion_safe('a = ".5E+1000"', found)
    assert not literals.conversion_safe('a = "1e0000"', found)
    assert not literals.conversion_safe('a = 1', [("sites", {"a": 1}, 0, 0)]), "small maps are not checked"


@pytest.mark.parametrize("override", [
    {"z.auto.tfvars": 'sites = { "site-3" = { region = "eu-west-1", cidr = "10.0.3.0/24", peer = "p", ports = [] } }\n'},
    {"z.auto.tfvars": 'sites = merge({ "site-3" = { region = "eu-west-1", cidr = "10.0.3.0/24", peer = "p", ports = [] } })\n'},
])
def test_a_later_variables_file_overrides_the_map(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, override: dict[str, str]) -> None:
    root = _tree(tmp_path / "t", _main_tf(), _tfvars(), override)
    lazy, eager, lazy_whole, _ew = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == []
    assert _findings(lazy) == [], "the provider is in eu-west-1: the later file's map wins"


def test_a_var_option_overrides_the_map(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path / "t", _main_tf(), _tfvars())
    arg = 'sites={ "site-3" = { region = "eu-west-1", cidr = "10.0.3.0/24", peer = "p", ports = [] } }'
    lazy, eager, _lw, _ew = _both(root, capsys, monkeypatch, "--var", arg)
    assert lazy == eager
    assert _findings(lazy) == []


def test_negative_case_entry_offshore(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Hong Kong (ap-east-1) is offshore: no finding on either path."""
    site3 = '  "site-3" = { region = "ap-east-1", cidr = "10.0.3.0/24", peer = "p", ports = [1] }'
    root = _tree(tmp_path / "t", _main_tf(), _tfvars({3: site3}))
    lazy, eager, lazy_whole, _ew = _both(root, capsys, monkeypatch)
    assert lazy == eager
    assert lazy_whole == []
    assert _findings(lazy) == []


# ---- convert_entry against the whole map's conversion, on random plain values (what the literal reader gives)

ENTRY_SPECS = [
    "map(string)", "map(number)", "map(bool)", "map(list(number))", "map(set(string))", "map(set(number))",
    "map(map(string))", "map(tuple([string, number, bool]))", "map(object({ a = string, b = optional(number) }))",
    "map(object({ region = string, cidr = string, peer = string, ports = list(number) }))",
    "map(list(object({ id = string, port = optional(number), sub = optional(object({ x = optional(bool) })) })))",
    "map(object({ a = list(object({ b = map(set(string)) })) }))", "map(map(map(string)))",
]


def _plain(rnd: random.Random, depth: int) -> Any:
    r = rnd.random()
    if depth > 4 or r < 0.5:
        return rnd.choice([rnd.randint(-3, 3), Num(Fraction(1, 3)), "1", "x", "true", "false", "", True, False, None,
                           "7", "-0", "1e3", "0.50"])
    if r < 0.7:
        return [_plain(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rnd.choice(["a", "b", "region", "ports", "id", "port", "sub", "x", "extra"]): _plain(rnd, depth + 1)
            for _ in range(rnd.randint(0, 5))}


def _outcome(convert: Any, *args: Any) -> Any:
    try:
        return _typed_shape(convert(*args))
    except types.Unsuitable as e:
        return ("Unsuitable", str(e))


def _of_type(rnd: random.Random, spec: Any) -> Any:
    """A plain value (as the literal reader gives) already of type `spec`, with nulls and optional attributes
    left out here and there: what the column-wise check must accept."""
    kind = spec[0]
    if rnd.random() < 0.05:
        return None
    if kind == "string":
        return rnd.choice(["x", "", "cn-north-1"])
    if kind == "number":
        return rnd.choice([0, -3, 7, 1.5, Num(Fraction(1, 3))])
    if kind == "bool":
        return rnd.choice([True, False])
    if kind in ("list", "set"):
        return [_of_type(rnd, spec[1]) for _ in range(rnd.randint(0, 3))]
    if kind == "map":
        return {f"m{i}": _of_type(rnd, spec[1]) for i in range(rnd.randint(0, 3))}
    if kind == "tuple":
        return [_of_type(rnd, t) for t in spec[1]]
    return {name: _of_type(rnd, t) for name, t, optional, _d in spec[1] if not (optional and rnd.random() < 0.3)}


def _spoil(rnd: random.Random, v: Any) -> Any:
    """`v` with one value somewhere replaced by a random plain value (which may or may not convert)."""
    if isinstance(v, list) and v and rnd.random() < 0.7:
        i = rnd.randrange(len(v))
        return v[:i] + [_spoil(rnd, v[i])] + v[i + 1:]
    if isinstance(v, dict) and v and rnd.random() < 0.7:
        k = rnd.choice(sorted(v))
        return {**v, k: _spoil(rnd, v[k])}
    return _plain(rnd, 2)


def test_an_entry_converted_alone_is_the_whole_maps_entry() -> None:
    """Each entry converted alone gives what the whole map's conversion gives it (the value, or the error with its
    path); `check_entries` raises exactly the error converting the whole map raises, on random plain maps and on
    maps of values of the type with one value spoilt."""
    rnd = random.Random(2611)
    checked = 0
    for text in ENTRY_SPECS:
        spec = types.parse_type(text)
        elem = types.entry_spec(spec)
        assert elem is not None, text
        for n in range(600):
            if n % 2:
                raw = {f"k{i}": _plain(rnd, 1) for i in range(rnd.randint(1, 6))}
            else:
                raw = {f"k{i}": _of_type(rnd, elem) for i in range(rnd.randint(1, 6))}
                if n % 4:
                    k = rnd.choice(sorted(raw))
                    raw[k] = _spoil(rnd, raw[k])
            whole = _outcome(types.convert, raw, spec, lambda t: None)
            check = _outcome(types.check_entries, raw, elem)
            assert check == (whole if whole[0] == "Unsuitable" else ("NoneType", "None")), (text, raw)
            checked += whole[0] != "Unsuitable"
            for k, v in raw.items():
                alone = _outcome(types.convert, {k: v}, spec, lambda t: None)
                entry = _outcome(types.convert_entry, v, elem)
                if alone[0] == "Unsuitable":
                    assert entry == ("Unsuitable", alone[1].split(": ", 1)[1]), (text, v)
                else:
                    assert alone[2] == ("list", [("pair", _typed_shape(k), entry)]), (text, v)
    assert checked > 1000, "enough maps that convert"


def test_the_column_check_accepts_maps_of_the_type_and_rejects_a_bad_leaf() -> None:
    elem = types.entry_spec(types.parse_type(TYPE))
    good = [{"region": "r", "cidr": "c", "peer": None, "ports": [1, 2.5, None]}, None, {"region": "r", "cidr": "c", "peer": "p", "ports": []}]
    assert types._plain(good, elem)
    for bad in ({"region": "r", "cidr": "c", "ports": [1]}, {"region": 1, "cidr": "c", "peer": "p", "ports": [1]},
                {"region": "r", "cidr": "c", "peer": "p", "ports": [True]}, {"region": "r", "cidr": "c", "peer": "p", "ports": 1},
                ["r"], "x"):
        assert not types._plain([*good, bad], elem), bad


@pytest.mark.parametrize("text", ["map(any)", "any", "list(string)", "object({ a = string })", "map(list(any))",
                                  "map(object({ a = optional(string, \"x\") }))", "map(tuple([string, any]))"])
def test_types_an_entry_cannot_be_converted_alone(text: str) -> None:
    assert types.entry_spec(types.parse_type(text)) is None
