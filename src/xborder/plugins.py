"""The plugin manager: built-in features register through the same hooks as third-party plugins."""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any, Callable

from xborder.hookmark import MARK

if TYPE_CHECKING:
    from pathlib import Path

    import pluggy

ENTRY_POINT_GROUP = "xborder"
_PLUGGY_MARK = f"{ENTRY_POINT_GROUP}_impl"  # the attribute pluggy's HookimplMarker sets

# The hooks of `hookspecs` (a test compares), and those whose first non-None answer wins (firstresult)
HOOKS = ("xborder_collect", "xborder_link_declarations", "xborder_extract_links", "xborder_resolve", "xborder_rules",
         "xborder_reporters")
FIRST_RESULT = frozenset({"xborder_resolve"})

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
_BUILTIN = frozenset(BUILTIN_PLUGINS)

#: Built-in input plugins that implement `xborder_collect` and no other hook, with the test of `xborder.inputs` that
#: tells from a scan's files that the plugin would collect nothing: called directly (`BuiltinHooks`), such a plugin
#: is imported only when its test fails, so a scan of Terraform files imports none of the others (tests check both).
INPUT_GATES = {
    "xborder.inputs.netconf.plugin": "reads_no_device_config",
    "xborder.inputs.cloudformation.plugin": "reads_no_template",
    "xborder.inputs.plan.plugin": "reads_no_plan",
}


def reads_nothing(plugin_name: str, files: list[str], ctx: Any) -> bool:
    """Whether the built-in input plugin `plugin_name` would collect nothing from `files` (`INPUT_GATES`)."""
    gate = INPUT_GATES.get(plugin_name)
    if gate is None:
        return False
    from xborder import inputs

    return bool(getattr(inputs, gate)(files, ctx))


def _manager_class() -> type[pluggy.PluginManager]:
    """The manager class, defined on first use: importing pluggy is part of making a manager, not of this module."""
    global _manager_type
    if _manager_type is not None:
        return _manager_type
    import pluggy

    class _PluginManager(pluggy.PluginManager):
        """pluggy's manager, registering xborder's own plugin modules without inspecting each of their attributes.

        pluggy looks at every attribute of a registered object for its hook marker; for a module that is every
        import and helper (about 300 names over the built-in plugins, each through `inspect.getattr_static`).
        The built-in hook functions are all named after their hook (`xborder_*`, a test checks), so other names
        of those modules are passed over; they carry `hookmark`'s mark, turned into pluggy's here. Third-party
        plugins are inspected as pluggy always does (a hook function may have another name and say `specname=`).
        """

        def parse_hookimpl_opts(self, plugin: object, name: str) -> Any:
            if getattr(plugin, "__name__", None) in _BUILTIN:
                if not name.startswith("xborder_"):
                    return None
                function = getattr(plugin, name, None)
                opts = getattr(function, MARK, None)
                if opts is None:
                    return None
                if not hasattr(function, _PLUGGY_MARK):  # pluggy's own mark, from the options of ours (`hookmark`)
                    pluggy.HookimplMarker(ENTRY_POINT_GROUP)(function, **opts)
            return super().parse_hookimpl_opts(plugin, name)  # type: ignore[arg-type]

    _manager_type = _PluginManager
    return _manager_type


_manager_type: type[pluggy.PluginManager] | None = None


def make_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    return _make(load_entry_points and may_have_entry_points(ENTRY_POINT_GROUP))


def _make(entry_points: bool) -> pluggy.PluginManager:
    """The built-in plugins, and with `entry_points` those of installed distributions (`importlib.metadata`)."""
    from xborder import hookspecs

    pm = _manager_class()("xborder")
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


class _BuiltinImpl:
    """One built-in hook function, with the attributes of pluggy's `HookImpl` that xborder reads."""

    __slots__ = ("plugin", "plugin_name", "function", "argnames", "tryfirst", "trylast")
    hookwrapper = wrapper = False

    def __init__(self, plugin: Any, plugin_name: str, function: Callable[..., Any], opts: dict[str, bool]) -> None:
        self.plugin, self.plugin_name, self.function = plugin, plugin_name, function
        code = function.__code__
        # what pluggy passes: the positional parameters without a default (those with one are never given)
        self.argnames = code.co_varnames[: code.co_argcount - len(function.__defaults__ or ())]
        self.tryfirst, self.trylast = bool(opts.get("tryfirst")), bool(opts.get("trylast"))


class _GatedImpl(_BuiltinImpl):
    """The `xborder_collect` of a built-in input plugin of `INPUT_GATES`, imported when first used (as `_BuiltinImpl`
    when it is)."""

    __slots__ = ()

    def __init__(self, plugin_name: str) -> None:  # noqa: D107 - no call to the base: its fields are read on use
        self.plugin_name = plugin_name
        self.tryfirst = self.trylast = False

    def __getattr__(self, name: str) -> Any:
        if name not in ("plugin", "function", "argnames"):
            raise AttributeError(name)
        module = importlib.import_module(self.plugin_name)
        _BuiltinImpl.__init__(self, module, self.plugin_name, module.xborder_collect, getattr(module.xborder_collect, MARK))
        return getattr(self, name)


class _BuiltinHook:
    """One hook over the built-in plugins, called as pluggy calls it: implementations in pluggy's order (each
    `trylast` first, then in registration order, each `tryfirst` last), called from the last to the first,
    with the arguments each takes; the list of the answers that are not None, or with `firstresult` the first."""

    def __init__(self, name: str, impls: list[_BuiltinImpl]) -> None:
        self.name = name
        self._impls = impls
        self._calls = impls[::-1]
        self._first = name in FIRST_RESULT

    def get_hookimpls(self) -> list[_BuiltinImpl]:
        return list(self._impls)

    def __call__(self, **kwargs: Any) -> Any:
        results = []
        for impl in self._calls:
            answer = impl.function(*[kwargs[arg] for arg in impl.argnames])
            if answer is not None:
                if self._first:
                    return answer
                results.append(answer)
        return None if self._first else results


class BuiltinHooks:
    """`pm.hook` of a manager that would hold xborder's own plugins and nothing else, without pluggy.

    pluggy (and `inspect`, which it imports) is about a tenth of a run that names one file; with no
    installed plugin nothing needs it: the built-in hook functions are found by their `hookmark` mark and
    called in pluggy's order (a test compares every hook with the real manager's).
    """

    def __init__(self) -> None:
        self._modules: list[tuple[str, Any]] | None = None

    def import_plugins(self) -> list[tuple[str, Any]]:
        """The built-in plugin modules; those of `INPUT_GATES` as None (imported when their collect is first used)."""
        if self._modules is None:
            self._modules = [(name, None if name in INPUT_GATES else importlib.import_module(name))
                             for name in BUILTIN_PLUGINS]
        return self._modules

    def __getattr__(self, name: str) -> _BuiltinHook:
        if name not in HOOKS:
            raise AttributeError(name)
        impls: list[_BuiltinImpl] = []
        for plugin_name, module in self.import_plugins():
            impl: _BuiltinImpl
            if module is None:  # an input plugin of `INPUT_GATES`: its collect only, without options
                if name != "xborder_collect":
                    continue
                impl = _GatedImpl(plugin_name)
            else:
                function = getattr(module, name, None)
                opts = getattr(function, MARK, None)
                if function is None or opts is None:
                    continue
                impl = _BuiltinImpl(module, plugin_name, function, opts)
            if impl.trylast:  # pluggy's HookCaller._add_hookimpl
                impls.insert(0, impl)
            elif impl.tryfirst:
                impls.append(impl)
            else:
                i = len(impls) - 1
                while i >= 0 and impls[i].tryfirst:
                    i -= 1
                impls.insert(i + 1, impl)
        hook = _BuiltinHook(name, impls)
        setattr(self, name, hook)
        return hook


class PluginsOnDemand:
    """The plugin manager of a command, made (`make_plugin_manager`) when first used.

    A scan answered by its whole-scan cache entry (`scancache`) needs only the names of the plugins (part of the
    key) and the reporters; when no installed distribution can declare an `xborder` entry point, both are known
    without importing pluggy and the ten built-in plugin modules (about a tenth of such a run), and its hooks are
    called without pluggy (`BuiltinHooks`). Any other use (`pm.register`, `pm.get_plugins`...) makes the real
    manager and forwards to it, so this stands wherever a plugin manager does.
    """

    def __init__(self, load_entry_points: bool = True) -> None:
        self._load = load_entry_points
        self._pm: pluggy.PluginManager | None = None
        self._builtin_only: bool | None = None
        self._hooks: BuiltinHooks | None = None

    def manager(self) -> pluggy.PluginManager:
        if self._pm is None:
            self._pm = _make(not self.builtin_only())  # the distributions are looked through once
        return self._pm

    @property
    def hook(self) -> Any:
        """The hooks: called directly while only the built-in plugins can exist (`BuiltinHooks`), else pluggy's."""
        if self._pm is None and self.builtin_only():
            if self._hooks is None:
                self._hooks = BuiltinHooks()
            return self._hooks
        return self.manager().hook

    def import_plugins(self) -> None:
        """Import the plugins now (a scan does so while the collector is still paused: `gcpause`)."""
        if self._pm is None and self.builtin_only():
            self.hook.import_plugins()
        else:
            self.manager()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # own attributes not set yet (copy, pickle): never make the manager for them
            raise AttributeError(name)
        return getattr(self.manager(), name)

    def builtin_only(self) -> bool:
        """True when the manager would hold xborder's own plugins and nothing else."""
        if self._pm is not None:
            return {name for name, _ in self._pm.list_name_plugin()} <= _BUILTIN
        if self._builtin_only is None:
            self._builtin_only = not (self._load and may_have_entry_points(ENTRY_POINT_GROUP))
        return self._builtin_only

    def plugin_names(self) -> list[str]:
        if self._pm is None and self.builtin_only():
            return list(BUILTIN_PLUGINS)
        return [name for name, _ in self.manager().list_name_plugin()]

    def reporters(self) -> dict[str, Callable[[Path], Any]]:
        """Report format -> factory, from every plugin's `xborder_reporters` (the built-in table alone when
        nothing else can be installed)."""
        if self._pm is None and self.builtin_only():
            from xborder.reports.formats import builtin_reporters

            return builtin_reporters()
        return reporters_of(self.manager())


def reporters_of(pm: Any) -> dict[str, Callable[[Path], Any]]:
    return {name: make for batch in pm.hook.xborder_reporters() for name, make in batch.items()}


def plugin_names(pm: Any) -> list[str]:
    """The names of a plugin manager's plugins (a `PluginsOnDemand` answers without making its manager)."""
    if isinstance(pm, PluginsOnDemand):
        return pm.plugin_names()
    return [name for name, _ in pm.list_name_plugin()]


def may_have_entry_points(group: str, path: list[str] | None = None) -> bool:
    """Could any installed distribution declare an entry point in `group`? False only when surely none does.

    `importlib.metadata` (what pluggy uses) costs 35-90 ms to import and to read every distribution's
    metadata, at every start. Distributions are found as `*.dist-info` / `*.egg-info` directories on
    `sys.path`; a `[group]` section header in one of their `entry_points.txt` files, anything else on the
    path (a zip, an egg file) or a custom finder that lists distributions sends us to the full lookup.
    """
    for finder in sys.meta_path:
        if getattr(finder, "find_distributions", None) is not None and getattr(finder, "__module__", "") not in _STDLIB_FINDERS:
            return True
    header = f"[{group}]"
    for entry in sys.path if path is None else path:
        try:
            items = os.scandir(entry or ".")
        except (FileNotFoundError, NotADirectoryError):
            if entry and os.path.isfile(entry):
                return True  # a zip or egg on the path
            continue
        except OSError:
            return True
        with items:
            for item in items:
                name = item.name.lower()
                if not name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    if not item.is_dir():
                        continue  # an .egg-info file is PKG-INFO only: no entry points
                    with open(os.path.join(item.path, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                except FileNotFoundError:
                    continue
                except OSError:
                    return True
                if header in text and any(line.strip() == header for line in text.splitlines()):
                    return True
    return False


# sys.meta_path finders of the standard library whose distributions are the `sys.path` ones read above
_STDLIB_FINDERS = frozenset({"importlib._bootstrap_external", "_frozen_importlib_external", "importlib.machinery"})
