"""Built-in link declarations: every YAML file in policies/links/."""

from __future__ import annotations

from typing import Any

from xborder.hookmark import hookimpl
from xborder.policy import policy_folder


@hookimpl
def xborder_link_declarations() -> list[Any]:
    folder = policy_folder() / "links"
    return [item for item in folder.iterdir() if item.name.endswith(".yaml")]
