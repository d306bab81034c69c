"""Visible: pre-commit names one changed file of a module; the scan must still find every directory that
calls that module (`inputs/terraform/callers.py`), however the call's `source` is written.

The caller search reads raw text and parses only the directories it cannot rule out. Valid HCL whose
source is computed (a template, a function, a conditional), spelled with escapes or comments, resolved
through a symbolic link or replaced in an override file must be found exactly like the plain spelling;
a `source` of something that is not a module call must not turn a directory into a caller.
"""

from __future__ import annotations

import base64
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xborder.config import Config
from xborder.context import SKIP_DIRS, Options, ScanContext
from xborder.inputs import reading
from xborder.inputs.terraform import callers, plugin

from .conftest import scan_json

PROVIDER = 'provider "alicloud" {\n  region = "cn-shanghai"\n}\n'
MODULE_VPN = (
    'variable "peer" {}\n'
    'resource "alicloud_vpn_customer_gateway" "hk" {\n  ip_address = var.peer\n}\n'
    'resource "alicloud_vpn_connection" "c" {\n'
    '  customer_gateway_id = alicloud_vpn_customer_gateway.hk.id\n  vpn_gateway_id = "vpn-1"\n}\n'
)
B64 = base64.b64encode(b"./vpn").decode()


def _call(source: str) -> str:
    return 'module "m" {\n  source ' + source + '\n  peer = "1.2.3.4"\n}\n'


@pytest.mark.parametrize(
    "source",
    [
        '= "./vpn"',  # plain, for comparison
        '= "./vpn/"',
        '= "./x/../vpn"',
        '= "./v${"pn"}"',  # a template of constants: Terraform evaluates it, the name is never written whole
        '= "${"./"}vpn"',
        '= "./v%{if true}pn%{endif}"',
        f'= base64decode("{B64}")',
        '= "./x" == "" ? "" : "./vpn"',
        '/* c */ = "./vpn"',
        '= "./vpn" # the VPN',
        '= "./v\\u0070n"',
        '= (\n    "./vpn"\n  )',
    ],
)
def test_named_module_file_is_judged_through_its_caller(tmp_path: Path, source: str) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + _call(source))
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc
    assert all("module.m." in f["resource"] for f in run.doc["findings"]), run.doc


def test_caller_in_json_with_escaped_slash_is_found(tmp_path: Path) -> None:
    """JSON may write `/` as `\\/`: not the path as such in the text."""
    (tmp_path / "main.tf").write_text(PROVIDER)
    (tmp_path / "calls.tf.json").write_text('{"module": {"m": {"source": ".\\/vpn", "peer": "1.2.3.4"}}}')
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


def test_caller_naming_a_decomposed_name_is_found(tmp_path: Path) -> None:
    """HCL normalises strings to NFC: a source written decomposed names the composed directory."""
    name = unicodedata.normalize("NFC", "vpné")
    source = "./" + unicodedata.normalize("NFD", name)
    (tmp_path / "main.tf").write_text(PROVIDER + _call(f'= "{source}"'), encoding="utf-8")
    (tmp_path / name).mkdir()
    (tmp_path / name / "main.tf").write_text(MODULE_VPN)
    run = scan_json(f"{name}/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


def test_caller_through_a_symbolic_link_is_found(tmp_path: Path) -> None:
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "main.tf").write_text(PROVIDER + _call('= "../link"'))
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    (tmp_path / "link").symlink_to("vpn")
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


def test_source_set_by_an_override_file_is_found(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(PROVIDER + _call('= "./other"'))
    (tmp_path / "main_override.tf").write_text('module "m" {\n  source = "./vpn"\n}\n')
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "main.tf").write_text('variable "peer" {}\n')
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc


@pytest.mark.parametrize(
    "text",
    [
        'resource "null_resource" "r" {\n  source = "./vpn"\n}\nmodule "o" {\n  source = "./other"\n}\n',
        '# module "m" { source = "./vpn" }\nmodule "o" {\n  source = "./other"\n}\n',
        'module "o" {\n  source = "./other"\n  description = "copies ./vpn as its source"\n}\n',
    ],
)
def test_what_is_no_call_of_the_module_makes_no_caller(tmp_path: Path, text: str) -> None:
    """Negative: the module named alone keeps its standalone result (no provider region, no peer)."""
    (tmp_path / "main.tf").write_text(PROVIDER + text)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "main.tf").write_text('variable "peer" {}\n')
    (tmp_path / "vpn").mkdir()
    (tmp_path / "vpn" / "main.tf").write_text(MODULE_VPN)
    run = scan_json("vpn/main.tf", "--no-config", "--no-cache", cwd=tmp_path)
    assert "XB101" not in run.rules, run.doc
    assert not any("module." in f["resource"] for f in run.doc["findings"]), run.doc


# ---- the text search against a parse of every directory

SPELLINGS = [
    '"{p}"',
    '"{p}" # c',
    '"{p}" }}',
    '"${{"{p}"}}"',
    '"{a}${{"{b}"}}"',
    'base64decode("{b64}")',
    'trimspace(" {p} ")',
    '"x" == "y" ? "./nowhere" : "{p}"',
    '"{u}"',
]


def _relative(src: str, dst: str) -> str:
    rel = os.path.relpath(dst or ".", src or ".").replace(os.sep, "/")
    return rel if rel.startswith("..") else "./" + rel if rel != "." else "."


def _spell(template: str, path: str) -> str:
    cut = max(1, len(path) // 2)
    escaped = "".join(f"\\u{ord(c):04x}" if c.isalpha() else c for c in path)
    return template.format(p=path, a=path[:cut], b=path[cut:], b64=base64.b64encode(path.encode()).decode(), u=escaped)


DIRS = ["", "a", "a/b", "c", "c/d", "vpn", "a/vpn"]


@st.composite
def trees(draw: st.DrawFn) -> dict[str, str]:
    files: dict[str, str] = {}
    for d in DIRS:
        body = ""
        for i, target in enumerate(draw(st.lists(st.sampled_from(DIRS), max_size=2))):
            if target == d:
                continue
            spelling = draw(st.sampled_from(SPELLINGS))
            block = draw(st.sampled_from(["module", "resource \"null_resource\"", "# module"]))
            text = _spell(spelling, _relative(d, target))
            if spelling.endswith("}}"):
                body += f'{block} "m{i}" {{ source = {text[:-2]} }}\n'
            elif block == "# module":
                body += f'# module "m{i}" {{ source = {text} }}\n'
            else:
                body += f'{block} "m{i}" {{\n  source = {text}\n}}\n'
        files[f"{d}/main.tf" if d else "main.tf"] = body or "locals {}\n"
    return files


def _parse_every_directory(targets: set[str], ctx: ScanContext) -> set[str]:
    """What `callers_of` did before the text search: ask the parser about every directory."""
    dirs = []
    for dirpath, dirnames, filenames in os.walk(ctx.root):
        dirnames[:] = [n for n in dirnames if n not in SKIP_DIRS]
        if any(f.endswith((".tf", ".tf.json")) for f in filenames):
            rel = os.path.relpath(dirpath, ctx.root).replace(os.sep, "/")
            dirs.append("" if rel == "." else rel)
    found: set[str] = set()
    frontier = set(targets)
    while frontier:
        new = {d for d in dirs if d not in found and d not in targets and plugin._local_module_targets(d, ctx) & frontier}
        found |= new
        frontier = new
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=trees(), target=st.sampled_from(DIRS))
def test_text_search_finds_what_parsing_every_directory_finds(tmp_path_factory: pytest.TempPathFactory,
                                                              tree: dict[str, str], target: str) -> None:
    root = tmp_path_factory.mktemp("callers").resolve()
    for rel, text in tree.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    ctx = ScanContext(root=root, options=Options(), policies=None, config=Config(), pm=None)  # type: ignore[arg-type]
    with reading.scan_scope(root):
        expected = _parse_every_directory({target}, ctx)
        got = callers.callers_of({target}, ctx, lambda d: plugin._local_module_targets(d, ctx))
    assert got == expected, tree
