"""YAML composition with a budget: alias fan-out ("billion laughs") and deep nesting are refused.

PyYAML's safe loaders never build arbitrary objects, but an alias is a pointer: 40 KB of `*a` can stand
for millions of nodes that a validator or evaluator then walks one by one, and `[[[[...` two thousand
deep overflows the recursion limit. `BudgetComposerMixin` counts, while composing, the nodes each
alias stands for (the size of the anchored subtree) and the nesting depth, and raises a `YAMLError`
with the line when either exceeds its limit. Every YAML loader of scanned or user input uses it
(`.xborder.yaml`, CloudFormation templates, netplan).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

MAX_ALIAS_NODES = 100_000  # nodes aliases may add on top of the written ones
MAX_DEPTH = 200


class YAMLBudgetError(yaml.MarkedYAMLError):
    """Too many nodes through aliases, or nested too deeply."""


class BudgetComposerMixin:
    """Mix in before a PyYAML loader class: `class L(BudgetComposerMixin, yaml.SafeLoader)`."""

    max_alias_nodes = MAX_ALIAS_NODES
    max_depth = MAX_DEPTH

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        state = self.__dict__.setdefault("_xb_budget", {"sizes": {}, "alias_nodes": 0, "total": 0, "depth": 0})
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)  # type: ignore[misc]
            size = state["sizes"].get(id(node), 1)
            state["alias_nodes"] += size
            state["total"] += size
            if state["alias_nodes"] > self.max_alias_nodes:
                raise YAMLBudgetError(
                    None, None,
                    f"aliases expand to more than {self.max_alias_nodes} nodes (alias fan-out); not read",
                    event.start_mark,
                )
            return node
        state["depth"] += 1
        if state["depth"] > self.max_depth:
            raise YAMLBudgetError(None, None, f"nested more than {self.max_depth} levels deep; not read", event.start_mark)
        before = state["total"]
        try:
            node = super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            state["depth"] -= 1
        state["total"] += 1
        state["sizes"][id(node)] = state["total"] - before
        return node


class SafeBudgetLoader(BudgetComposerMixin, yaml.SafeLoader):
    """`yaml.SafeLoader` with the alias and depth budget."""


def compose(text: str) -> Node | None:
    """`yaml.compose(text, SafeLoader)` within the budget."""
    loader = SafeBudgetLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)` within the budget."""
    loader = SafeBudgetLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
