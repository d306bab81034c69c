"""Helpers to build small Terraform trees in tmp_path and load them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from xborder.context import Options, ScanContext
from xborder.inputs.terraform.loader import TerraformUnit
from xborder.model import LoadResult, Resource


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(textwrap.dedent(content), encoding="utf-8")


def make_ctx(root: Path, **opts: object) -> ScanContext:
    return ScanContext(root=root, options=Options(**opts), policies=None, config=None, pm=None)  # type: ignore[arg-type]


def all_files(root: Path) -> list[str]:
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if ".terraform" in rel.split("/") or not p.is_file():
            continue
        out.append(rel)
    return out


class Loaded:
    """A LoadResult with lookup helpers."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.errors = result.errors
        self.notes = result.notes
        self.by_addr: dict[str, Resource] = {r.address: r for r in result.resources}

    def __getitem__(self, address: str) -> Resource:
        return self.by_addr[address]

    @property
    def addresses(self) -> list[str]:
        return [r.address for r in self.result.resources]


@pytest.fixture
def load(tmp_path: Path) -> Callable[..., Loaded]:
    """load({"main.tf": "..."}, unit=".", **Options) -> Loaded."""

    def _load(files: dict[str, str | bytes], unit: str = ".", **opts: object) -> Loaded:
        write_tree(tmp_path, files)
        ctx = make_ctx(tmp_path, **opts)
        return Loaded(TerraformUnit(unit).load(ctx))

    return _load


class Helpers:
    """The helpers above, as a fixture, so test modules need not import conftest."""

    write_tree = staticmethod(write_tree)
    make_ctx = staticmethod(make_ctx)
    all_files = staticmethod(all_files)


@pytest.fixture
def tf() -> type[Helpers]:
    return Helpers
