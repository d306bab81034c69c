"""What every stage of one scan shares: the scan root, the user's options and the loaded policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pluggy

    from xborder.config import Config
    from xborder.model import LoadResult
    from xborder.policy import Policies


# Directories no scan descends into: version control, tool caches, dependencies (.terraform holds
# downloaded modules and providers; remote modules are read through its modules.json instead).
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".terraform", "node_modules", ".venv", "__pycache__", ".tox"})


@dataclass
class Options:
    """Command-line choices that change what inputs mean."""

    var_files: list[Path] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)  # --var NAME=VALUE
    env_vars: bool = False  # read TF_VAR_* from the environment
    explicit_files: set[str] = field(default_factory=set)  # files named on the command line (relative)
    inline_suppressions: bool = True  # honour `xborder:ignore` comments
    jobs: int = 0  # processes that load units: 0 = as many as cores when the tree is large, else one
    exclude: list[str] = field(default_factory=list)  # --exclude globs (relative to the root; a bare name matches at any depth)


@dataclass(frozen=True)
class Interest:
    """Which resources a scan needs evaluated: evaluating the rest would cost time and change nothing.

    `types` are the resource types a link can come from (declarations, group members); a resource they
    refer to is evaluated too (a VPN connection's customer gateway). When a unit holds one of
    `whole_unit_types` (an overlay network judged by the other resources of its configuration), every
    resource of that unit counts.
    """

    types: frozenset[str]
    whole_unit_types: frozenset[str] = frozenset()


@dataclass
class ScanContext:
    """What every stage of one scan may consult: root, options, policy data, inventory, plugins, a memo."""

    root: Path  # absolute scan root; every reported path is relative to it
    options: Options
    policies: Policies
    config: Config
    pm: pluggy.PluginManager
    cache: dict[str, Any] = field(default_factory=dict)  # per-scan memo for plugins
    interest: Interest | None = None  # None: every resource is evaluated

    def rel(self, path: Path) -> str:
        """POSIX path relative to the scan root (never with a leading ./)."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def abs(self, rel: str) -> Path:
        return self.root / rel


class Unit(Protocol):
    """A unit of analysis claimed by an input plugin."""

    name: str  # for messages and ordering: the directory or file path

    def load(self, ctx: ScanContext) -> LoadResult: ...
