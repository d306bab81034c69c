"""The plugin manager: built-in features register through the same hooks as third-party plugins."""

from __future__ import annotations

import importlib

import pluggy

from xborder import hookspecs

ENTRY_POINT_GROUP = "xborder"

# Built-in plugins, in registration order. Each module implements some hooks of `hookspecs`.
BUILTIN_PLUGINS: tuple[str, ...] = (
    "xborder.inputs.terraform.plugin",
    "xborder.inputs.netconf.plugin",
    "xborder.jurisdiction.sites",
    "xborder.inputs.cloudformation.plugin",
    "xborder.inputs.plan.plugin",
    "xborder.links.plugin",
    "xborder.links.groups",
    "xborder.jurisdiction.plugin",
    "xborder.rules.plugin",
    "xborder.reports.plugin",
)


def make_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("xborder")
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm
