"""`xborder inventory`: every link a scan understood, crossing or not, with its suppliers and approvals.

scan result (links, findings, context) -> model.build -> one of the renderers (table, csv, json, markdown
with a Mermaid map). Nothing here analyses a file: the rows are the scan's own links.
"""

from __future__ import annotations

from typing import Any, Callable

FORMATS = ("table", "csv", "json", "markdown", "mermaid")


def renderer(name: str) -> Callable[..., str]:
    """The render function of a format, imported only when chosen."""
    import importlib

    module = {"table": "table", "csv": "csv_out", "json": "json_out", "markdown": "markdown", "mermaid": "mermaid"}[name]
    render: Any = importlib.import_module(f"xborder.reports.inventory.{module}").render
    return render
