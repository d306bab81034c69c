"""Built-in link declarations: every YAML file in policies/links/."""

from __future__ import annotations

import importlib.resources
from typing import Any

from xborder.hookspecs import hookimpl


@hookimpl
def xborder_link_declarations() -> list[Any]:
    folder = importlib.resources.files("xborder.policies") / "links"
    return [item for item in folder.iterdir() if item.name.endswith(".yaml")]
