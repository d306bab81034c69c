"""Policy data is read with libyaml's C loader when PyYAML has it: it must give exactly what the pure-Python loader gives."""

from __future__ import annotations

import importlib.resources

import pytest
import yaml

from xborder import yamlfast


def _policy_files() -> list:
    root = importlib.resources.files("xborder.policies")
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        for item in node.iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith(".yaml"):
                out.append(item)
    return sorted(out, key=lambda t: str(t))


def test_every_policy_file_is_read():
    names = {f.name for f in _policy_files()}
    assert {"rules.yaml", "providers.yaml", "groups.yaml"} <= names
    assert len(names) > 20  # region tables and link declarations too


@pytest.mark.parametrize("item", _policy_files(), ids=lambda t: t.name)
def test_fast_loader_gives_the_same_data(item):
    text = item.read_text(encoding="utf-8")
    assert yamlfast.safe_load(text) == yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506


def test_fast_loader_is_the_c_loader_when_built():
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    assert yamlfast.LOADER is yaml.CSafeLoader


def test_fast_loader_is_safe():
    with pytest.raises(yaml.YAMLError):
        yamlfast.safe_load("!!python/object/apply:os.system ['echo hi']")
