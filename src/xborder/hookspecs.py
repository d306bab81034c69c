"""Extension points. Built-in features implement these exactly as third-party plugins do.

A plugin is a module or object with functions marked `@hookimpl`; third-party packages register
through the `xborder` entry-point group. The docstring of each spec is its contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import pluggy

if TYPE_CHECKING:
    from xborder.context import ScanContext, Unit
    from xborder.model import Fact, Jurisdiction, Link, Resource
    from xborder.reports.base import Reporter
    from xborder.rules.base import Rule

hookspec = pluggy.HookspecMarker("xborder")
hookimpl = pluggy.HookimplMarker("xborder")


@hookspec
def xborder_collect(files: list[str], ctx: ScanContext) -> list[Unit]:
    """Claim the inputs this plugin reads among `files` (POSIX paths relative to `ctx.root`).

    Return units of analysis (a Terraform module directory, one device config...). Each unit's
    `load(ctx)` returns a `LoadResult`. A plugin must not claim a file it cannot read.
    """


@hookspec
def xborder_link_declarations() -> list[Any]:
    """Return paths (importlib Traversable or pathlib) of YAML files declaring how resource types yield links."""


@hookspec
def xborder_extract_links(resources: list[Resource], ctx: ScanContext) -> list[Link]:
    """Return links that need code rather than a declaration (e.g. groups spanning several resources)."""


@hookspec(firstresult=True)
def xborder_resolve(fact: Fact, ctx: ScanContext) -> Jurisdiction | None:
    """Decide the jurisdiction of one end. The first non-None answer wins; use tryfirst for overrides."""


@hookspec
def xborder_rules() -> list[Rule]:
    """Return rule objects; each judges links and returns findings."""


@hookspec
def xborder_reporters() -> dict[str, Callable[[Path], Reporter]]:
    """Return report factories by name (`--format NAME`); each takes the scan root and returns a Reporter."""
