"""YAML for the data xborder reads at every start (policies/), with libyaml's C parser when PyYAML has it.

The pure-Python loader took about 0.15 s for `policies/` on each run, most of a pre-commit run that names
one small file. `CSafeLoader` builds the same Python values with the same safe constructor (a test compares
both loaders on every policy file), so the data never depends on which one was used.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, through the C loader when available."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
