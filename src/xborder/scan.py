"""The pipeline: walk -> inputs -> links -> jurisdiction -> rules -> (suppressions) -> sorted result.

Each stage talks to the next only through the plain types in `model.py` and the plugin hooks.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xborder import __version__
from xborder.context import SKIP_DIRS, Interest, Options, ScanContext
from xborder.skipped import COUNTED
from xborder.skipped import count as count_skipped
from xborder.inputs import reading
from xborder.model import Finding, Jurisdiction, Link, LoadResult, Resource, ScanError, Side
from xborder.plugins import PluginsOnDemand, plugin_names, reads_nothing
from xborder.reports.base import ScanResult

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pluggy

    from xborder.jurisdiction.resolver import Resolver
    from xborder.links.engine import LinkBuilder


@dataclass
class ScanRequest:
    """What to scan and how, as the command line (or a caller) asks for it."""

    paths: list[Path]
    options: Options = field(default_factory=Options)
    root: Path | None = None  # default: the current directory if it holds every path
    config_path: Path | None = None
    use_config: bool = True
    cache_dir: Path | None = None  # per-unit result cache (None: no cache); never inside the scanned tree


def choose_root(paths: list[Path], root: Path | None) -> Path:
    """The directory reported paths (and so fingerprints and approval globs) are relative to.

    Default: the repository holding the scanned paths, the nearest directory upwards with `.git`, else
    the nearest with `.xborder.yaml`, so `cd envs && xborder scan tencent` reports what `xborder scan
    envs/tencent` reports from the top. Outside any repository: the current directory if it holds
    every path, else their common directory.
    """
    if root is not None:
        return root.resolve()
    cwd = Path.cwd().resolve()
    resolved = [p.resolve() for p in paths] or [cwd]
    common = Path(os.path.commonpath([str(p) for p in resolved]))
    start = common if common.is_dir() else common.parent
    repo = repository_root(start, cwd)
    if repo is not None:
        return repo
    if all(p == cwd or cwd in p.parents for p in resolved):
        return cwd
    return start


def repository_root(start: Path, cwd: Path | None = None) -> Path | None:
    """The nearest directory at or above `start` with `.git`; else one with `.xborder.yaml`/`.yml`.

    Without `.git` (an extracted archive), a `.xborder.yaml` below the current directory does not move
    the root down: `xborder scan fixtures/x` from the top keeps reporting `fixtures/x/...`.
    """
    chain = [start, *start.parents]
    for directory in chain:
        if (directory / ".git").exists():
            return directory
    for directory in chain:
        if (directory / ".xborder.yaml").is_file() or (directory / ".xborder.yml").is_file():
            if cwd is None or directory == cwd or directory in cwd.parents or not (cwd == start or cwd in start.parents):
                return directory
    return None


def walk(paths: list[Path], root: Path, errors: list[ScanError],
         stats: dict[str, os.stat_result] | None = None,
         listings: dict[str, list[str]] | None = None,
         skipped: list[tuple[str, str]] | None = None) -> tuple[list[str], set[str]]:
    """Files below the given paths, relative to root, sorted.

    Only regular files are listed. A symbolic link is followed only when it resolves inside the
    repository (`reading.repository_of`); one leading elsewhere, a FIFO, socket or device is an error
    naming the path (never a silent skip, never a read). Dangling links and links to directories are
    not files and are passed over, as `os.walk` passes over links to directories. `stats` receives the
    status of each file found (of its target for a link), by absolute path, for the whole-scan cache;
    `listings` every name in each directory walked (as `os.listdir` gives them), by absolute path; `skipped`
    (path, name) of each folder of `skipped.COUNTED` passed over (`skipped.count` says what it holds).
    """
    found: set[str] = set()
    explicit: set[str] = set()
    boundary = reading.repository_of(root)
    root_s = str(root)

    def _abs(rel: str) -> str:  # str(root / rel), as the result cache names files, without a Path per file
        if rel == ".":
            return root_s
        return f"{root_s}/{rel}" if os.sep == "/" and root_s != "/" else str(root / rel)

    def shown_rel(p: Path) -> str | None:
        try:
            return p.absolute().relative_to(root).as_posix()
        except ValueError:
            pass
        try:  # named through a link to a directory of the tree (the root itself is resolved)
            return Path(os.path.realpath(p)).relative_to(root).as_posix()
        except (ValueError, OSError):
            return None

    def classify(p: Any, rel: str, entry: os.DirEntry[str] | None = None) -> str:
        """'' for a readable regular file, 'skip' to pass over, else the reason it is refused."""
        try:
            st = os.lstat(p) if entry is None else entry.stat(follow_symlinks=False)
        except OSError:
            return "skip"
        why = _classified(p, st)
        if not why and stats is not None:
            try:
                stats[_abs(rel)] = os.stat(p) if stat.S_ISLNK(st.st_mode) else st
            except OSError:
                pass  # gone since: the whole-scan cache then hashes it
        return why

    def _classified(p: Any, st: os.stat_result) -> str:
        if stat.S_ISLNK(st.st_mode):
            try:
                real = Path(os.path.realpath(p, strict=True))
                st = os.stat(real)
            except (OSError, RuntimeError, ValueError):
                return "skip"  # dangling link or link loop: not a file
            if stat.S_ISDIR(st.st_mode):
                return "skip"
            if real != boundary and boundary not in real.parents:
                return "symbolic link leads outside the repository; not read"
        if stat.S_ISDIR(st.st_mode):
            return "skip"
        if not stat.S_ISREG(st.st_mode):
            return "not a regular file (FIFO, socket or device); not read"
        return ""

    for path in paths:
        shown = path.as_posix()
        if not os.path.lexists(path):
            errors.append(ScanError(shown, 0, "no such file or directory"))
            continue
        if not path.is_dir():
            r = shown_rel(path)
            if r is None:
                errors.append(ScanError(shown, 0, "is outside the scan root"))
                continue
            why = classify(path, r)
            if why == "skip":
                why = "not a regular file or directory"
            if why:
                errors.append(ScanError(r, 0, why))
                continue
            found.add(r)
            explicit.add(r)
            continue
        try:  # placed once (a Path per file made a warm scan of 6,000 files slow)
            top_base = Path(path).absolute().relative_to(root).as_posix()
        except ValueError:
            top_base = None  # named through a link to a directory of the tree: each file by its real path
        if top_base is not None:
            _walk_tree(os.fspath(path), top_base, _abs, classify, found, errors, listings, stats, skipped)
            continue
        bases: dict[str, str] = {}  # directory -> its path relative to the root, from its parent's
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False, onerror=None):
            if skipped is not None:
                skipped.extend((os.path.join(dirpath, d), d) for d in sorted(dirnames) if d in COUNTED)
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            base: str | None = bases.pop(dirpath, None)
            if base is None:
                try:  # placed once per directory (a Path per file made a warm scan of 6,000 files slow)
                    base = Path(dirpath).absolute().relative_to(root).as_posix()
                except ValueError:
                    base = None  # named through a link to a directory of the tree: each file by its real path
            if base is not None:
                for d in dirnames:
                    bases[os.path.join(dirpath, d)] = d if base == "." else f"{base}/{d}"
            for name in filenames:
                full: Any
                if base is not None:
                    full = os.path.join(dirpath, name)
                    r = name if base == "." else f"{base}/{name}"
                else:
                    full = Path(dirpath) / name
                    r = shown_rel(full)
                    if r is None:
                        continue
                why = classify(full, r)
                if why == "skip":
                    continue
                if why:
                    errors.append(ScanError(r, 0, why))
                    continue
                found.add(r)
    return sorted(found), explicit


def _walk_tree(top: str, top_rel: str, abs_of: Any, classify: Any, found: set[str], errors: list[ScanError],
               listings: dict[str, list[str]] | None, stats: dict[str, os.stat_result] | None,
               skipped: list[tuple[str, str]] | None = None) -> None:
    """`walk` of one directory placed under the root: what `os.walk(top, followlinks=False)` visits, in its
    order (top-down, sub-directories by name, files in directory order), with one `scandir` per directory
    and no `lstat` per sub-directory: the entry types come with the listing. A regular file costs one
    `lstat` and a few C calls (its names are built from per-directory prefixes: this loop is most of a warm
    scan of a large tree); anything else goes through `classify`."""
    root_abs = abs_of(".")
    plain = os.sep == "/" and root_abs != "/"  # abs_of(rel) is root_abs + "/" + rel: built from prefixes
    is_reg = stat.S_ISREG
    pending = [(top, top_rel)]
    while pending:
        dirpath, base = pending.pop()
        try:
            with os.scandir(dirpath) as listing:
                entries = list(listing)
        except OSError:
            continue  # as os.walk(onerror=None): an unreadable directory is passed over
        if listings is not None:
            listings[abs_of(base)] = [e.name for e in entries]
        rel_prefix = "" if base == "." else f"{base}/"
        abs_prefix = f"{root_abs}/{rel_prefix}" if plain else None
        subdirs = []
        for entry in entries:
            try:  # the common case first: a regular file (the listing's type, confirmed by its lstat)
                if entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    if is_reg(st.st_mode):
                        name = entry.name
                        r = rel_prefix + name
                        found.add(r)
                        if stats is not None:
                            stats[abs_prefix + name if abs_prefix is not None else abs_of(r)] = st
                        continue
            except OSError:
                pass  # gone or unreadable since the listing: decided below, as any other entry
            name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name not in SKIP_DIRS:
                    subdirs.append(entry)
                elif skipped is not None and name in COUNTED and not entry.is_symlink():
                    skipped.append((entry.path, name))
                continue
            r = rel_prefix + name
            why = classify(entry.path, r, entry)
            if why == "skip":
                continue
            if why:
                errors.append(ScanError(r, 0, why))
                continue
            found.add(r)
        subdirs.sort(key=lambda e: e.name, reverse=True)  # popped from the end: visited by name
        for entry in subdirs:
            try:
                if entry.is_symlink():  # os.walk lists a link to a directory but does not follow it
                    continue
            except OSError:
                continue
            pending.append((entry.path, rel_prefix + entry.name))


def apply_excludes(
    files: list[str], explicit: set[str], patterns: list[str], config: Any, root: Path, notes: list[str]
) -> tuple[list[str], set[str]]:
    """Drop files matched by `--exclude` (relative to the root) or `exclude:` (relative to `.xborder.yaml`).

    Like the built-in skip list (`.terraform`, `node_modules`, ...), a pattern without `/` matches a
    file or directory name at any depth; a pattern with `/` is a glob of the path (`**` spans
    directories) and also covers everything below a matching directory. Files named on the command
    line are excluded too, so a pre-commit run agrees with a full scan.
    """
    from xborder.globs import compile_glob, glob_match

    cli = [p.strip().replace("\\", "/").removeprefix("./") for p in patterns if p.strip()]
    cfg = list(getattr(config, "exclude", None) or [])
    if not cli and not cfg:
        return files, explicit

    def matcher(items: list[str]) -> tuple[list[str], list[Any]]:
        names = [p.rstrip("/") for p in items if "/" not in p.rstrip("/")]
        globs = [compile_glob(p) for p in items if "/" in p.rstrip("/")]
        return names, globs

    cli_names, cli_globs = matcher(cli)
    cfg_names, cfg_globs = matcher(cfg)

    def hit(rel: str, names: list[str], globs: list[Any]) -> bool:
        parts = rel.split("/")
        return any(glob_match(n, part, prefix=False) for n in names for part in parts) or any(g.match(rel) for g in globs)

    kept = []
    dropped = 0
    for rel in files:
        base_rel = config.relative_to_base(rel, root) if cfg else None
        if hit(rel, cli_names, cli_globs) or (base_rel is not None and hit(base_rel, cfg_names, cfg_globs)):
            dropped += 1
            continue
        kept.append(rel)
    if dropped:
        notes.append(f"{dropped} file{'s' if dropped != 1 else ''} left out by --exclude / exclude:")
    keep = set(kept)
    return kept, {e for e in explicit if e in keep}


def with_pinned_templates(files: list[str], explicit: set[str], config: Any, root: Path,
                          errors: list[ScanError]) -> list[str]:
    """`files` with the CloudFormation templates whose parameters file (`.xborder.yaml` `cloudformation[].parameters`)
    was named on the command line: pre-commit passes only the changed parameters file when a value moves (Beijing
    to Hong Kong), and the stacks it pins must be judged again, as a full scan judges them. The templates are the
    files a full scan finds under the configuration's directory that the entry giving that file matches."""
    from xborder.inputs.cloudformation import parameters
    from xborder.inputs.cloudformation.plugin import EXTENSIONS

    named = {f for s in config.cloudformation if s.parameters and (f := parameters.file_of(config, s, root)) in explicit}
    if not named:
        return files
    base = config.base_dir if config.base_dir is not None else root
    if base != root and root not in Path(base).parents:
        base = root  # a configuration outside the root (`--config`): its templates are under the root anyway
    found: list[ScanError] = []
    listed, _ = walk([Path(base)], root, found)

    def pinned(rel: str) -> bool:
        setting = config.cloudformation_region(rel, root)
        return setting is not None and bool(setting.parameters) and parameters.file_of(config, setting, root) in named

    have = set(files)
    added = [rel for rel in listed if rel not in have and rel.lower().endswith(EXTENSIONS) and pinned(rel)]
    told = set(errors)
    errors.extend(e for e in found if e not in told and pinned(e.path))  # a pinned template the walk refuses
    return sorted(files + added) if added else files


def _load_config(request: ScanRequest, root: Path, errors: list[ScanError], notes: list[str],
                 found: list[Path] | None = None) -> Any:
    """The site inventory; its warnings (a glob matching nothing) are notes, not errors that fail CI."""
    from xborder import config as config_mod

    path = request.config_path
    if path is None and request.use_config:
        # walk up from the scanned paths (then the root): `xborder scan infra/` finds infra/.xborder.yaml
        starts = [p if p.is_dir() else p.parent for p in request.paths] + [root]
        stop = reading.repository_of(root)  # never above the repository (or the scan root without one)
        for start in starts:
            path = config_mod.find_config(start.resolve(), stop)
            if path is not None:
                break
    if path is None:
        return config_mod.Config()
    if found is not None:
        found.append(path)
    cfg, cfg_errors = config_mod.load_config(path, root)
    if found is not None:  # parameters files are configuration too: a whole-scan cache entry depends on them
        base = cfg.base_dir if cfg.base_dir is not None else root
        found.extend(dict.fromkeys(Path(os.path.normpath(base / s.parameters)) for s in cfg.cloudformation if s.parameters))
    for err in cfg_errors:
        if err.message.startswith("warning:"):
            notes.append(f"{err.path}:{err.line}: {err.message}")
        else:
            errors.append(err)
    return cfg


def links_of(resources: list[Resource], builder: LinkBuilder, ctx: ScanContext,
             errors: list[ScanError] | None = None) -> list[Link]:
    """Declared links of one unit's resources plus those that extractor plugins find among them.

    With `errors`, an internal error costs one resource (declared links) or one extractor, not the unit.
    """
    links = builder.build(resources, errors)
    for impl in ctx.pm.hook.xborder_extract_links.get_hookimpls():
        try:
            links.extend(impl.function(resources=resources, ctx=ctx) or [])
        except Exception as exc:  # noqa: BLE001 - one extractor's bug must not drop the unit's other links
            if errors is None:
                raise
            where = resources[0].location if resources else None
            errors.append(ScanError(where.path if where else "", where.start_line if where else 0,
                                    f"internal error in link extractor {impl.plugin_name} ({type(exc).__name__}: {exc}); "
                                    "the links it finds in this input are not judged"))
    return links


def world_links_of(unit: str, loaded: LoadResult, builder: LinkBuilder, ctx: ScanContext,
                   errors: list[ScanError]) -> list[Link]:
    """The links of each other deployment the input allows (`loaded.worlds`), tagged with their world.

    Each world on its own: an internal error costs that world's links (an error naming the world), never the
    default world's links or another world's. The other worlds of its parameter are then not all judged, so a
    default-world link with an unknown end stays (`links/worlds.py`: `all_judged`)."""
    out: list[Link] = []
    failed: set[str] = set()
    for world, world_resources, world_links in loaded.worlds:
        try:
            links = links_of(world_resources, builder, ctx, errors) + list(world_links)
        except Exception as exc:  # noqa: BLE001 - the default world and the other worlds are judged
            errors.append(ScanError(unit, 0, f"internal error while finding the links {world.phrase()} "
                                             f"({type(exc).__name__}: {exc}); the links of this deployment are not judged"))
            failed.add(world.parameter)
            continue
        for link in links:
            link.world = world
        out.extend(links)
    if failed:
        for link in out:
            if link.world is not None and link.world.parameter in failed and link.world.all_judged:
                link.world = dataclasses.replace(link.world, all_judged=False)
    return out


def scan_parts(request: ScanRequest, root: Path, config_files: list[Path], ctx: ScanContext) -> list[str]:
    """Everything scan-wide a result depends on, except the resources of interest (derived from code,
    policy data and plugins, which are here): code, library versions, policy data, plugins, options, inventory."""
    if "xborder:scan-parts" in ctx.cache:
        return list(ctx.cache["xborder:scan-parts"])
    import sys

    from xborder import cache as cache_mod

    opts = request.options
    digests = cache_mod.Digests()
    parts = [
        cache_mod.FORMAT, __version__, sys.version, cache_mod.code_digest(index_dir=request.cache_dir), cache_mod.policy_digest(index_dir=request.cache_dir), str(root),
        repr(sorted(plugin_names(ctx.pm))),
        repr(sorted(opts.variables.items())), repr(opts.env_vars), repr(opts.inline_suppressions),
        repr([str(Path(v).absolute()) for v in opts.var_files]),
        repr([(str(p), digests.file(str(p))) for p in config_files]),
    ]
    if opts.env_vars:
        parts.append(repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("TF_VAR_"))))
    ctx.cache["xborder:scan-parts"] = parts
    return list(parts)


def open_cache(request: ScanRequest, root: Path, config_files: list[Path], ctx: ScanContext) -> Any:
    """The result cache for this scan, keyed by everything scan-wide a unit's result depends on."""
    from xborder import cache as cache_mod

    try:
        parts = scan_parts(request, root, config_files, ctx)
    except cache_mod.CodeChanged:
        return None  # results of code that is not the code on disk: neither looked up nor kept
    parts.append(repr(None if ctx.interest is None else (sorted(ctx.interest.types), sorted(ctx.interest.whole_unit_types))))
    assert request.cache_dir is not None
    rc = cache_mod.ResultCache(request.cache_dir, cache_mod.scan_key(parts))
    ctx.cache["xborder:result-cache"] = rc
    return rc


def unit_id_of(unit: Any) -> str:
    return f"{type(unit).__module__}.{type(unit).__qualname__}:{unit.name}"


def load_unit(unit: Any, ctx: ScanContext, cache: Any) -> Any:
    """A unit's LoadResult, from the cache when nothing it read has changed."""
    load = getattr(unit, "cacheable_load", None)
    if cache is None or load is None:
        return unit.load(ctx)
    unit_id = unit_id_of(unit)
    hit = cache.get(unit_id)
    if hit is not None:
        return hit
    result, deps = load(ctx)
    cache.put(unit_id, deps, result)
    return result


def interest_of(declarations: Mapping[str, Any], pm: pluggy.PluginManager) -> Interest | None:
    """The resources links can come from: declared types and group members (None: a plugin may need any)."""
    from xborder.links import groups

    extractors = {impl.plugin for impl in pm.hook.xborder_extract_links.get_hookimpls()}
    if extractors - {groups}:
        return None
    policy = groups.group_policy()
    types = set(declarations) | {m.type for g in policy.groups for m in g.members} | set(policy.partition_types)
    # parts of one link; and a follow by name (`match`) may land on a resource of any type: such units evaluate
    # every resource. Kept declarations know both without unpickling every type (`declarations.Declarations`).
    from xborder.links.declarations import Declarations

    if not isinstance(declarations, Declarations):
        declarations = Declarations(dict(declarations))
    types |= declarations.related_types
    return Interest(types=frozenset(types), whole_unit_types=frozenset(policy.overlays) | declarations.by_name)


def resolve_ends(links: list[Link], resolve: Resolver, errors: list[ScanError] | None = None) -> None:
    for link in links:
        for end in (link.a, link.b):
            if end is None:
                continue
            try:
                resolve(end)
            except Exception as exc:  # noqa: BLE001 - the end stays unknown, said at the link
                if errors is None:
                    raise
                end.jurisdiction = Jurisdiction(Side.UNKNOWN, f"internal error while placing this end ({type(exc).__name__})",
                                                "unresolved")
                errors.append(ScanError(link.location.path, link.location.start_line,
                                        f"internal error while placing {end.label} of {link.address} ({type(exc).__name__}: {exc})"))


def judge(links: list[Link], rules: list[Any], ctx: ScanContext, errors: list[ScanError] | None = None) -> list[Finding]:
    """Every rule on every link; a rule that fails is retried link by link so one bad link costs only itself."""
    out: list[Finding] = []
    for rule in rules:
        try:
            out.extend(rule.check(links, ctx))
            continue
        except Exception:  # noqa: BLE001
            if errors is None:
                raise
        for link in links:
            try:
                out.extend(rule.check([link], ctx))
            except Exception as exc:  # noqa: BLE001 - reported at the link, the other links are judged
                errors.append(ScanError(link.location.path, link.location.start_line,
                                        f"internal error in rule {rule.info.id} on {link.address} ({type(exc).__name__}: {exc})"))
    return out


def run_scan(request: ScanRequest, pm: pluggy.PluginManager | None = None) -> ScanResult:
    """Every read during the scan is confined to the repository of the scan root (`inputs.reading`)."""
    request = _expand_config_paths(request)
    root = choose_root(request.paths, request.root)
    with reading.scan_scope(root):
        return _run_scan(request, root, pm or PluginsOnDemand())  # type: ignore[arg-type]


def _run_scan(request: ScanRequest, root: Path, pm: pluggy.PluginManager) -> ScanResult:
    errors: list[ScanError] = []
    notes: list[str] = []
    started_ns = time.time_ns()
    stats: dict[str, os.stat_result] | None = {} if request.cache_dir is not None else None
    listings: dict[str, list[str]] = {}  # also without a cache: later listings of these directories take them
    passed_over: list[tuple[str, str]] = []
    files, explicit = walk(request.paths, root, errors, stats, listings, passed_over)
    reading.seed_names(listings)
    skipped_files = count_skipped(sorted(passed_over), request.cache_dir, str(root))  # every run, hit or miss
    config_files: list[Path] = []
    try:
        config = _load_config(request, root, errors, notes, config_files)
    except Exception as exc:  # noqa: BLE001 - a bad inventory costs the inventory, not the scan
        from xborder.config import Config

        errors.append(ScanError(_config_name(request), 0, f"internal error while reading the configuration ({_what(exc)})"))
        config = Config()
    if explicit and any(s.parameters for s in getattr(config, "cloudformation", ())):
        files = with_pinned_templates(files, explicit, config, root, errors)
    files, explicit = apply_excludes(files, explicit, request.options.exclude, config, root, notes)
    request.options.explicit_files = explicit
    ctx = ScanContext(root=root, options=request.options, policies=_PoliciesOnFirstUse(), config=config, pm=pm)  # type: ignore[arg-type]
    ctx.cache["files"] = files  # every scanned file, e.g. for suppressions in files without findings
    ctx.cache["scan_paths"] = [p.resolve() for p in request.paths]  # what was asked for: are approvals in scope?
    entry = _scan_entry(request, root, config_files, files, explicit, stats or {}, started_ns, ctx, listings)
    # what the walk and `.xborder.yaml` said this run: they look at files outside the entry's key (a `paths:` glob
    # that matches no file under the configuration's directory), so a hit takes them from this run, not the entry
    early = (len(errors), len(notes))
    if entry is not None:  # before declarations, links and rules are even imported: a warm scan needs none of them
        from xborder.cache import Digests

        payload = entry.lookup(Digests())
        if payload is not None and "later_errors" in payload:
            payload = dict(payload)
            payload["errors"] = _sorted_errors(set(errors) | set(payload.pop("later_errors")))
            payload["notes"] = sorted(set(notes) | set(payload.pop("later_notes")))
            return _result(payload, files, ctx, skipped_files)
    if isinstance(pm, PluginsOnDemand):
        pm.import_plugins()  # a miss: the plugins are imported now, while the collector is still paused (`gcpause`)
    from xborder.policy import load_policies

    policies = ctx.policies = load_policies()
    from xborder.jurisdiction.resolver import Resolver
    from xborder.links.declarations import DeclarationError, load_declarations
    from xborder.links.engine import LinkBuilder
    from xborder.links.fold import fold
    from xborder.links.worlds import settle as settle_worlds

    try:
        declarations = load_declarations([s for batch in pm.hook.xborder_link_declarations() for s in batch])
    except DeclarationError as exc:
        errors.append(ScanError("policies/links", 0, f"invalid link declaration: {exc}"))
        declarations = {}
    builder = LinkBuilder(declarations, policies)
    ctx.interest = interest_of(declarations, pm)
    resolve = Resolver(ctx)
    # real work from here: the command line paused collection for its start (the link declarations, the
    # interest and the resolver are long-lived objects, little garbage); it resumes once the scan has read more
    # than a small input, and before any worker forks (`gcpause`)

    cache = open_cache(request, root, config_files, ctx) if request.cache_dir is not None else None
    before = (dict(ctx.cache), len(errors), reading.current_scope().used)
    units = sorted(_collect(pm, files, ctx, errors), key=lambda u: u.name)
    links: list[Link] = []
    from xborder import parallel

    loaded_units = parallel.load_all(units, ctx, lambda unit: load_unit(unit, ctx, cache), request.options.jobs)
    check = ctx.cache.get("xborder:collection-check")
    if check is not None and not check(ctx):
        # a guess collection made to save work (Terraform root detection reading module calls from the text,
        # `calltext`) differs from the parse: collect and load again, deciding everything by parsing
        ctx.cache.clear()
        ctx.cache.update(before[0])
        ctx.cache["xborder:exact-collection"] = True
        del errors[before[1]:]
        reading.current_scope().used = before[2]
        units = sorted(_collect(pm, files, ctx, errors), key=lambda u: u.name)
        loaded_units = parallel.load_all(units, ctx, lambda unit: load_unit(unit, ctx, cache), request.options.jobs)
    if cache is not None:
        cache.writes += loaded_units.writes
    for unit, loaded in zip(units, loaded_units.results):
        try:
            if isinstance(loaded, BaseException):
                raise loaded
            unit_links = links_of(loaded.resources, builder, ctx, errors) + list(loaded.links)
        except Exception as exc:  # a bug in one input must not end the scan; say where it happened
            errors.append(ScanError(unit.name, 0, f"internal error while reading this input ({type(exc).__name__}: {exc})"))
            continue
        try:
            unit_links += world_links_of(unit.name, loaded, builder, ctx, errors)
        except Exception as exc:  # noqa: BLE001 - the defaults' links stay judged
            errors.append(ScanError(unit.name, 0, f"internal error while reading the other deployments this input allows "
                                                  f"({type(exc).__name__}: {exc}); they are not judged"))
        errors.extend(loaded.errors)
        notes.extend(loaded.notes)
        for link in unit_links:
            link.unit = link.unit or unit.name
        links.extend(unit_links)

    if cache is not None:
        cache.prune()
    links = prefer_plans(links, notes)
    resolve_ends(links, resolve, errors)
    try:
        links = settle_worlds(links)
    except Exception as exc:  # noqa: BLE001 - every world's link stays judged; the error says why
        errors.append(ScanError(".", 0, f"internal error while comparing the links of other parameter values with the "
                                        f"defaults'; all are judged ({_what(exc)})"))
    try:
        links = fold(links)
    except Exception as exc:  # noqa: BLE001 - every link stays judged on its own; the error says why
        errors.append(ScanError(".", 0, f"internal error while joining the resources of one link; each is judged on its own ({_what(exc)})"))
    rules = [rule for batch in pm.hook.xborder_rules() for rule in batch]
    findings = judge(links, rules, ctx, errors)

    from xborder import suppress  # noqa: PLC0415 - only needed once findings exist

    try:
        findings, sup_errors = suppress.apply(findings, ctx)
        errors.extend(sup_errors)
    except Exception as exc:  # noqa: BLE001 - findings stay (unsuppressed) and the error says why
        errors.append(ScanError(".", 0, f"internal error while applying suppressions; none applied ({_what(exc)})"))

    payload = {
        "findings": dedupe_and_sort(findings),
        "errors": _sorted_errors(set(errors)),
        "notes": sorted(set(notes)),
        "links": links,
        "inputs_read": sum(1 for u in units if not getattr(u, "reads_nothing", False)),
        "rules": sorted(({**policies.rules, **{rule.info.id: rule.info for rule in rules}}).values(), key=lambda info: info.id),
    }
    if entry is not None and cache is not None:
        deps = _unit_deps(units, cache)
        if deps is not None:
            from xborder.suppress import APPROVAL_PROBLEMS_KEY

            stored = {**payload, "later_errors": _sorted_errors(set(errors[early[0]:])), "later_notes": sorted(set(notes[early[1]:])),
                      "suppression_files": _suppression_files(payload["findings"], ctx),
                      "approval_problems": ctx.cache.get(APPROVAL_PROBLEMS_KEY)}
            try:
                stored["links"] = _LinksBlob(_pickle().dumps(links, protocol=-1))
            except Exception:  # noqa: BLE001 - links that cannot be kept: the entry holds them as they are
                pass
            entry.store(deps, cache.digests, stored)
    return _result(payload, files, ctx, skipped_files)


def _sorted_errors(errors: set[ScanError]) -> list[ScanError]:
    return sorted(errors, key=lambda e: (e.path, e.line, e.message))


def _suppression_files(findings: list[Finding], ctx: ScanContext) -> dict[str, Any]:
    """The suppression comments `suppress.apply` read in the files where findings are, kept with a whole-scan entry:
    the inventory lists what covers each finding from them (`suppress.covers`), and a hit applies nothing."""
    from xborder.suppress import FILES_KEY

    read = ctx.cache.get(FILES_KEY) or {}
    paths = {loc.path for f in findings for loc in (f.location, *f.related) if loc.path}
    return {path: read[path] for path in sorted(paths) if path in read}


class _PoliciesOnFirstUse:
    """`load_policies()`, loaded when first used: a scan answered by its whole-scan entry only prints the stored
    result and never needs the region tables (building them was a tenth of such a run); the inventory does."""

    def __getattr__(self, name: str) -> Any:
        from xborder.policy import load_policies

        return getattr(load_policies(), name)


def _result(payload: dict[str, Any], files: list[str], ctx: ScanContext, skipped: list[tuple[str, int]]) -> ScanResult:
    if "suppression_files" in payload:  # a whole-scan hit: what `suppress.apply` read and found when the entry was stored
        from xborder.suppress import APPROVAL_PROBLEMS_KEY, FILES_KEY

        payload = dict(payload)
        ctx.cache.setdefault(FILES_KEY, {}).update(payload.pop("suppression_files"))
        problems = payload.pop("approval_problems", None)
        if problems is not None:
            ctx.cache[APPROVAL_PROBLEMS_KEY] = problems
    if isinstance(payload.get("links"), _LinksBlob):
        payload = dict(payload)
        blob = payload.pop("links")
        return _StoredResult(**payload, version=__version__, files_scanned=len(files), context=ctx, skipped=skipped, links_blob=blob)
    return ScanResult(**payload, version=__version__, files_scanned=len(files), context=ctx, skipped=skipped)


class _LinksBlob(bytes):
    """The links of a whole-scan entry, pickled on their own inside it."""


class _StoredResult(ScanResult):
    """The result of a whole-scan hit, whose links are unpickled when first read: the finding reports never read
    them (the inventory does), and unpickling them was about a twentieth of a warm run of a large tree."""

    def __init__(self, *args: Any, links_blob: bytes | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if links_blob is not None:
            self.__dict__["_links_blob"] = links_blob

    @property  # type: ignore[override]
    def links(self) -> list[Link]:
        blob = self.__dict__.pop("_links_blob", None)
        if blob is not None:
            self.__dict__["_links"] = _pickle().loads(blob)  # noqa: S301 - our own entry in the user's cache directory
        return self.__dict__["_links"]  # type: ignore[no-any-return]

    @links.setter
    def links(self, value: list[Link]) -> None:
        self.__dict__.pop("_links_blob", None)
        self.__dict__["_links"] = value


def _pickle() -> Any:
    try:  # the C pickler alone (the same bytes): `pickle`, its Python layer, costs ~4 M instructions to import
        import _pickle as pickle
    except ImportError:  # another interpreter
        import pickle  # type: ignore[no-redef]
    return pickle


def _scan_entry(request: ScanRequest, root: Path, config_files: list[Path], files: list[str], explicit: set[str],
                stats: dict[str, os.stat_result], started_ns: int, ctx: ScanContext, listings: dict[str, list[str]]) -> Any:
    """The whole-scan cache entry (`scancache`) for a scan of directories with xborder's own plugins, else None."""
    from xborder.plugins import BUILTIN_PLUGINS

    if request.cache_dir is None or explicit or request.options.explicit_files:
        return None
    if set(plugin_names(ctx.pm)) - set(BUILTIN_PLUGINS):
        return None
    from xborder import cache as cache_mod, scancache, suppress

    try:
        scanned = scan_parts(request, root, config_files, ctx)
    except cache_mod.CodeChanged:
        return None
    parts = [*scanned, str(suppress.today()),
             repr([str(p) for p in ctx.cache["scan_paths"]]), repr(request.options.exclude), "\n".join(files)]
    return scancache.ScanEntry(request.cache_dir, parts, started_ns, stats, listings)


def _unit_deps(units: list[Any], cache: Any) -> set[str] | None:
    """Everything the units read, from their result-cache entries; None when a unit's reads are not known."""
    deps: set[str] = set()
    for unit_id, unit_deps in list(cache.seen.items()):
        if unit_id.startswith("terraform-local-calls:"):
            deps.update(unit_deps)
    for unit in units:
        if getattr(unit, "cacheable_load", None) is None:
            if getattr(unit, "reads_nothing", False):
                continue
            return None
        unit_deps = cache.deps_of(unit_id_of(unit))
        if unit_deps is None:
            return None
        deps.update(unit_deps)
    return deps


def _expand_config_paths(request: ScanRequest) -> ScanRequest:
    """A `.xborder.yaml` named as a path (pre-commit passes it when only it changed) stands for everything it
    governs: its directory is scanned, with it as the configuration."""
    from xborder.config import CONFIG_NAMES

    named = [p for p in request.paths if p.name in CONFIG_NAMES and p.is_file()]
    if not named:
        return request
    paths = [p.parent if p in named else p for p in request.paths]
    config_path = request.config_path
    if config_path is None and request.use_config and len(named) == 1:
        config_path = named[0]
    return dataclasses.replace(request, paths=list(dict.fromkeys(paths)), config_path=config_path)


def _what(exc: BaseException) -> str:
    """An exception for a message: its type and a short text (never a whole input echoed back)."""
    text = str(exc)
    if len(text) > 200:
        text = text[:200] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _config_name(request: ScanRequest) -> str:
    return request.config_path.as_posix() if request.config_path else ".xborder.yaml"


def _collect(pm: pluggy.PluginManager, files: list[str], ctx: ScanContext, errors: list[ScanError]) -> list[Any]:
    """Every input plugin's units; a plugin that fails costs only its own inputs (an error says which). A built-in
    input plugin that reads nothing of these files by their names is not asked (nor imported: `INPUT_GATES`)."""
    units: list[Any] = []
    for impl in pm.hook.xborder_collect.get_hookimpls():
        try:
            if reads_nothing(impl.plugin_name, files, ctx):
                continue
            units.extend(impl.function(files=files, ctx=ctx) or [])
        except Exception as exc:  # noqa: BLE001
            errors.append(ScanError(".", 0, f"internal error while collecting inputs in {impl.plugin_name}; its inputs were not read ({_what(exc)})"))
    return units


def prefer_plans(links: list[Link], notes: list[str]) -> list[Link]:
    """A plan and its own `.tf` source describe the same resources; the plan has the exact values.

    A link read from Terraform source is dropped when a plan in the scan has a link for the same resource
    address, whose related locations include that source file, that AGREES with it: every end the source
    determines is the plan's end too (ends the source cannot determine, variables without values, are what
    the plan is for). A plan that says otherwise (an old plan, one made from other variable values, or one
    written by hand) never hides the source's link: both are judged, with a note.
    """
    twins: dict[tuple[str, str], list[Link]] = {}
    for link in links:
        if link.source == "terraform-plan":
            for rel in link.related:
                twins.setdefault((link.address.split("[", 1)[0], rel.path), []).append(link)
    if not twins:
        return links
    kept = []
    for link in links:
        found = twins.get((link.address.split("[", 1)[0], link.location.path)) if link.source == "terraform" else None
        if found:
            same = [p for p in found if p.address == link.address] or found
            if any(_agrees(link, p) for p in same):
                notes.append(f"{link.location.path}: {link.address} is judged from the scanned plan, which has its planned values")
                continue
            plans = ", ".join(sorted({p.location.path for p in same}))
            notes.append(f"{link.location.path}: {link.address}: the scanned plan ({plans}) gives other ends than this source; "
                         "both are judged (an old plan, or one made from other values)")
        kept.append(link)
    return kept


def _agrees(source: Link, plan: Link) -> bool:
    """Every end the source link determines is the plan link's end (same kind of fact, same value)."""
    if source.kind != plan.kind:
        return False
    for mine, theirs in ((source.a, plan.a), (source.b, plan.b)):
        if mine is None or mine.fact.kind == "unknown":
            continue
        if theirs is None or (mine.fact.kind, mine.fact.value, mine.fact.namespace) != (
            theirs.fact.kind, theirs.fact.value, theirs.fact.namespace
        ):
            return False
    return True


def dedupe_and_sort(findings: list[Finding]) -> list[Finding]:
    """The findings in report order, each once. A finding is dropped only when the kept one has the same
    fingerprint (rule, unit, address, ends, carrier, absorbed parts), location, severity, message, world, twins and
    suppression: two deployments of a link that only a carrier told apart (before the carrier was in the
    fingerprint) are both reported, never one silently for the other. The evidence may differ: the OpenTofu view
    of a root module gives the Terraform view's link again, with a note and perhaps another provider block, and
    that is one finding (inputs/terraform/loader.OpenTofuUnit)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in sorted(findings, key=_order):
        key = (f.fingerprint, f.location, f.rule_id, f.severity, f.message, f.world, tuple(f.twins), f.resource,
               f.suppressed)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _order(f: Finding) -> tuple[Any, ...]:
    loc = f.location
    return (loc.path, loc.start_line, loc.start_col, f.rule_id, f.resource, f.message, f.fingerprint)
