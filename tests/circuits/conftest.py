"""Engine-level harness for circuits, backbones and the licence rule: resources in, findings out.

Resources are built directly (xborder.model), so these tests do not depend on an input format. The cases
live in data/circuit_cases.py (loaded by path: `data` is a common directory name) and are parametrized
through `pytest_generate_tests`.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from xborder.context import Options, ScanContext
from xborder.links.declarations import load_declarations
from xborder.links.engine import LinkBuilder
from xborder.links.fold import fold
from xborder.model import Finding, Link
from xborder.plugins import make_plugin_manager
from xborder.policy import load_policies
from xborder.jurisdiction.resolver import Resolver
from xborder.scan import judge, links_of, resolve_ends

HERE = Path(__file__).parent


def _load(name: str) -> Any:
    mod_name = f"xborder_circuit_tests_{name}"
    if mod_name in sys.modules:
        return sys.modules[mod_name]
    spec = importlib.util.spec_from_file_location(mod_name, HERE / "data" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


CASES = _load("circuit_cases")


class Harness:
    def __init__(self) -> None:
        self.pm = make_plugin_manager(load_entry_points=False)
        self.policies = load_policies()
        self.declarations = load_declarations([s for batch in self.pm.hook.xborder_link_declarations() for s in batch])
        self.rules = [rule for batch in self.pm.hook.xborder_rules() for rule in batch]

    def ctx(self, config: Any = None) -> ScanContext:
        return ScanContext(root=Path("."), options=Options(), policies=self.policies, config=config, pm=self.pm)

    def links(self, resources: list, config: Any = None) -> list[Link]:
        ctx = self.ctx(config)
        links = links_of(resources, LinkBuilder(self.declarations, self.policies), ctx)
        resolve_ends(links, Resolver(ctx))
        return fold(links)

    def findings(self, resources: list, config: Any = None) -> list[Finding]:
        return judge(self.links(resources, config), self.rules, self.ctx(config))


_HARNESS: Harness | None = None


@pytest.fixture(scope="session")
def harness() -> Harness:
    global _HARNESS
    if _HARNESS is None:
        _HARNESS = Harness()
    return _HARNESS


@pytest.fixture(scope="session")
def cases() -> Any:
    return CASES


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", CASES.CASES, ids=[c.id for c in CASES.CASES])
