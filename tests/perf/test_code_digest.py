"""The code and policy digests of the result cache's key, listed with `os.scandir` (no `os.walk`, `relpath` or Path
per entry: they were half of what a pre-commit run spent on its cache), equal to the listings they replace."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from xborder import cache, policydir
from xborder.digest import sha256, sha256_texts


def _walked_code(top: Path) -> str:
    """`code_digest` as it was written with `os.walk` (the reference), without the library versions."""
    sources = []
    for dirpath, dirnames, filenames in os.walk(str(top)):
        dirnames.sort()
        base = os.path.relpath(dirpath, str(top)).replace(os.sep, "/")
        sources.extend((n if base == "." else f"{base}/{n}", os.path.join(dirpath, n)) for n in filenames if n.endswith(".py"))
    return sha256_texts(f"{rel}\0{sha256(Path(full).read_bytes())}" for rel, full in sorted(sources))


def _walked_policies(top: Path) -> str:
    stack, items = [top], []
    while stack:
        for item in stack.pop().iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith((".yaml", ".yml", ".json")):
                items.append(item)
    return sha256_texts(f"{item.name}\0{sha256(item.read_bytes())}" for item in sorted(items, key=str))


def _package(tmp_path: Path) -> Path:
    top = tmp_path / "pkg"
    for rel in ("__init__.py", "a.py", "sub/b.py", "sub/deeper/c.py", "sub/notes.txt", "z/__init__.py", "a.pyc"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(f"# {rel}\n")
    (top / "sub" / "__pycache__").mkdir()
    (top / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.py").write_text("x = 1\n")
    os.symlink(outside, top / "linked")  # os.walk does not walk a link to a folder
    os.symlink(outside / "x.py", top / "x_link.py")  # a link to a file is a file
    return top


def test_the_code_files_are_os_walks(tmp_path, monkeypatch):
    top = _package(tmp_path)
    expected = _walked_code(top)
    monkeypatch.setattr(os, "walk", lambda *a, **k: pytest.fail("os.walk"))
    monkeypatch.setattr(cache, "library_versions", lambda names: {})
    assert cache.code_digest(top) == expected
    assert cache.code_digest(top, index_dir=tmp_path / "index") == expected == cache.code_digest(top, index_dir=tmp_path / "index")
    (top / "sub" / "deeper" / "c.py").write_text("# changed\n")
    assert cache.code_digest(top) != expected


def test_the_installed_code_and_policies_digest_as_before(tmp_path, monkeypatch):
    package = Path(cache.__file__).resolve().parent
    code, policies = _walked_code(package), _walked_policies(policydir.policy_folder())
    monkeypatch.setattr(os, "walk", lambda *a, **k: pytest.fail("os.walk"))
    monkeypatch.setattr(Path, "iterdir", lambda self: pytest.fail("Path.iterdir"))
    monkeypatch.setattr(cache, "library_versions", lambda names: {})
    assert cache.code_digest(package) == code
    assert cache.policy_digest() == policies == cache.policy_digest(index_dir=tmp_path)


def test_a_policy_folder_is_listed_as_path_iterdir_lists_it(tmp_path, monkeypatch):
    top = tmp_path / "policies"
    for rel in ("regions/aws.yaml", "regions/b.yml", "links/x.json", "README.md", "top.yaml", "deep/er/y.yaml"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(f"# {rel}\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.yaml").write_text("o: 1\n")
    os.symlink(outside, top / "linked")  # Path.is_dir follows the link: its files count
    expected = _walked_policies(top)
    monkeypatch.setattr(policydir, "policy_folder", lambda: top)
    assert cache.policy_digest() == expected == cache.policy_digest(index_dir=tmp_path / "index")


@pytest.mark.parametrize("name", ["tree-sitter", "tree_sitter", "Tree..Sitter", "a-_.-b", "PyYAML", "google-re2", "x__y",
                                  "-a-", "___", ""])
def test_distribution_names_normalise_as_pep_503(name):
    assert cache._norm(name) == re.sub(r"[-_.]+", "_", name).lower()
