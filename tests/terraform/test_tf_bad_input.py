"""Bad input gives a ScanError with path and line; the rest of the module is still analysed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from xborder.inputs.terraform import syntax
from xborder.model import Unknown

GOOD = 'resource "x_good" "g" {\n  ip = "1.2.3.4"\n}\n'


def test_syntax_error_reports_line_and_keeps_other_blocks(load) -> None:
    r = load({"main.tf": GOOD, "broken.tf": """\
        resource "x_a" "before" {
          ip = "5.6.7.8"
        }

        resource "x_a" "broken" {
          bad =
          ok = 2
        }

        resource "x_a" "after" {
          ip = "9.9.9.9"
        }
        """})
    assert [(e.path, e.line) for e in r.errors] == [("broken.tf", 6)]
    assert "syntax error" in r.errors[0].message
    assert r["x_good.g"].attrs["ip"] == "1.2.3.4"
    assert r["x_a.before"].attrs["ip"] == "5.6.7.8"
    assert r["x_a.after"].attrs["ip"] == "9.9.9.9"
    assert "x_a.broken" in r.addresses


def test_bom_is_stripped(load) -> None:
    r = load({"main.tf": b"\xef\xbb\xbf" + GOOD.encode()})
    assert r.errors == [] and r["x_good.g"].attrs["ip"] == "1.2.3.4"


def test_binary_file(load) -> None:
    r = load({"main.tf": GOOD, "blob.tf": b"abc\n\x00\x01\x02"})
    assert [(e.path, e.line) for e in r.errors] == [("blob.tf", 2)]
    assert "binary" in r.errors[0].message
    assert "x_good.g" in r.addresses


def test_non_utf8(load) -> None:
    r = load({"main.tf": GOOD, "latin.tf": b'# ok\nresource "x_a" "caf\xe9" {}\n'})
    assert [(e.path, e.line) for e in r.errors] == [("latin.tf", 2)]
    assert "UTF-8" in r.errors[0].message
    assert "x_good.g" in r.addresses


def test_empty_files_are_fine(load) -> None:
    r = load({"main.tf": GOOD, "empty.tf": "", "blank.tf": "\n\n  \n", "empty.tf.json": ""})
    assert r.errors == [] and r.addresses == ["x_good.g"]


def test_large_file_is_skipped(load, monkeypatch) -> None:
    monkeypatch.setattr(syntax, "MAX_FILE_SIZE", 100)
    r = load({"main.tf": GOOD, "big.tf": "# " + "x" * 200 + "\n"})
    assert [(e.path, e.line) for e in r.errors] == [("big.tf", 1)]
    assert "bytes" in r.errors[0].message and "10 MB" in r.errors[0].message


def test_really_large_file(load, tmp_path: Path) -> None:
    big = tmp_path / "big.tf"
    with big.open("wb") as f:
        f.truncate(10 * 1024 * 1024 + 1)  # sparse: cheap to create
    r = load({"main.tf": GOOD})
    assert any(e.path == "big.tf" and "10485761 bytes" in e.message for e in r.errors)
    assert "x_good.g" in r.addresses


def test_deeply_nested_expression(load) -> None:
    deep = "(" * 5000 + "1" + ")" * 5000
    lists = "[" * 3000 + "]" * 3000
    r = load({"main.tf": GOOD, "deep.tf": f'resource "x_d" "d" {{\n  v = {deep}\n  l = {lists}\n  ok = 1\n}}\n'})
    d = r["x_d.d"]
    assert isinstance(d.attrs["v"], Unknown) and "nested too deeply" in d.attrs["v"].reason
    assert isinstance(d.attrs["l"], Unknown)
    assert d.attrs["ok"] == 1


def test_deeply_nested_blocks(load) -> None:
    body = "".join("b {\n" for _ in range(300)) + "".join("}\n" for _ in range(300))
    r = load({"main.tf": GOOD, "deep.tf": f'resource "x_d" "d" {{\n{body}}}\n'})
    assert "x_d.d" in r.addresses and "x_good.g" in r.addresses
    assert any("nested too deeply" in e.message for e in r.errors)


def test_long_chain_of_locals(load) -> None:
    n = 3000
    locals_ = "\n".join(f"  l{i} = local.l{i - 1} + 1" for i in range(1, n)) + "\n  l0 = 0\n"
    r = load({"main.tf": f'locals {{\n{locals_}}}\nresource "x_t" "t" {{ v = local.l{n - 1} }}\n'
                         'resource "x_t" "u" { v = local.l50 }\n'})
    v = r["x_t.t"].attrs["v"]
    assert v == n - 1 or (isinstance(v, Unknown) and "nested too deeply" in v.reason)
    assert r["x_t.u"].attrs["v"] == 50  # not spoiled by the deep chain evaluated first


def test_directory_with_tf_name(load, tmp_path: Path) -> None:
    (tmp_path / "weird.tf").mkdir()
    r = load({"main.tf": GOOD})
    assert [(e.path, e.line) for e in r.errors] == [("weird.tf", 1)]
    assert "directory" in r.errors[0].message


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file(load, tmp_path: Path) -> None:
    p = tmp_path / "secret.tf"
    p.write_text(GOOD.replace("x_good", "x_secret"))
    p.chmod(0)
    try:
        r = load({"main.tf": GOOD})
    finally:
        p.chmod(0o644)
    assert [e.path for e in r.errors] == ["secret.tf"] and "cannot read" in r.errors[0].message
    assert "x_good.g" in r.addresses


def test_invalid_json(load) -> None:
    r = load({"main.tf": GOOD, "bad.tf.json": '{\n  "resource": {\n    "x_a": {,}\n  }\n}\n',
              "terraform.tfvars.json": "{\n\n  nope\n}"})
    assert sorted((e.path, e.line) for e in r.errors) == [("bad.tf.json", 3), ("terraform.tfvars.json", 3)]
    assert "x_good.g" in r.addresses


def test_invalid_tfvars(load) -> None:
    r = load({"main.tf": 'variable "a" {}\nvariable "b" {}\nresource "x_t" "t" {\n  a = var.a\n  b = var.b\n}\n',
              "terraform.tfvars": 'a = "ok"\nb = \n'})
    assert [(e.path, e.line) for e in r.errors] == [("terraform.tfvars", 2)]
    assert r["x_t.t"].attrs["a"] == "ok"


def test_missing_var_file(load, tmp_path: Path) -> None:
    r = load({"main.tf": GOOD}, var_files=[tmp_path / "nope.tfvars"])
    assert [e.path for e in r.errors] == ["nope.tfvars"]
    assert "x_good.g" in r.addresses


def test_errors_of_a_shared_module_reported_once(tf, tmp_path: Path) -> None:
    from xborder.inputs.terraform.loader import TerraformUnit

    tf.write_tree(tmp_path, {"a/main.tf": 'module "m" { source = "../mod" }\n',
                          "b/main.tf": 'module "m" { source = "../mod" }\n',
                          "mod/main.tf": 'resource "x" "y" {\n  a = \n}\n'})
    ctx = tf.make_ctx(tmp_path)
    ea = TerraformUnit("a").load(ctx).errors
    eb = TerraformUnit("b").load(ctx).errors
    assert [(e.path, e.line) for e in ea + eb] == [("mod/main.tf", 2)]


def test_unreadable_file_simulated(load, monkeypatch) -> None:
    import os

    real = os.open

    def fake(path, *args, **kwargs):  # every input read opens the file through inputs.reading
        if os.fspath(path).endswith("secret.tf"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake)
    r = load({"main.tf": GOOD, "secret.tf": GOOD.replace("x_good", "x_secret")})
    assert [(e.path, e.line) for e in r.errors] == [("secret.tf", 1)]
    assert "cannot read" in r.errors[0].message and "Permission denied" in r.errors[0].message
    assert "x_good.g" in r.addresses


def test_long_chain_of_doubling_locals_is_not_exponential(load) -> None:
    n = 400
    locals_ = "\n".join(f"  l{i} = local.l{i - 1} + local.l{i - 1}" for i in range(1, n)) + "\n  l0 = 1\n"
    r = load({"main.tf": f'locals {{\n{locals_}}}\nresource "x_t" "t" {{ v = local.l{n - 1} }}\n'
                         'resource "x_t" "u" { v = local.l10 }\n'})
    assert isinstance(r["x_t.t"].attrs["v"], Unknown) or r["x_t.t"].attrs["v"] == 2 ** (n - 1)
    assert r["x_t.u"].attrs["v"] == 1024
