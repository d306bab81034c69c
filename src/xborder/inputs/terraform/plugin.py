"""Terraform input: claims `.tf`, `.tf.json`, `.tofu`, `.tofu.json` and `.tfvars(.json)` files, one unit per
root module directory (two when OpenTofu files are in its tree: Terraform's view and OpenTofu's, `loader`).

A module directory is the unit, never one file: Terraform merges all files of a directory. A
directory that another collected directory calls as a local module (`source = "./..."`) is
analysed only through its callers, with their inputs and providers, not also standalone.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from xborder.context import SKIP_DIRS, ScanContext, Unit
from xborder.hookmark import hookimpl
from xborder.inputs import reading
# The parser, evaluator and module loader are imported by the functions that use them, not when the plugin
# is registered: a scan answered from the whole-scan cache (`scancache`) never needs them.


@hookimpl
def xborder_collect(files: list[str], ctx: ScanContext) -> list[Unit]:
    from xborder.inputs.terraform.loader import OpenTofuUnit, TerraformUnit
    from xborder.inputs.terraform.modules import list_module_files
    from xborder.inputs.terraform.syntax import is_tf_file, is_tfvars_file

    dirs: set[str] = set()
    with_tf: set[str] = set()  # directories the walk found a Terraform file in: no need to list them here
    for f in files:
        if f.startswith(("/", "./")) or "//" in f or "/./" in f or f.endswith(("/", "/.")):
            p = PurePosixPath(f)  # not as the walk names files: take PurePosixPath's reading
            name, d = p.name, p.parent.as_posix()
            d = "" if d == "." else d
        else:
            d, _, name = f.rpartition("/")
        if is_tf_file(name):
            dirs.add(d)
            with_tf.add(d)
        elif is_tfvars_file(name):
            dirs.add(d)
    root = Path(ctx.root)
    # only directories that hold Terraform files (a lone .tfvars directory is not claimed)
    dirs = {d for d in dirs if d in with_tf or any(list_module_files(root / d, d, "all"))}
    if ctx.options.explicit_files and dirs:
        # a changed file of a shared module (pre-commit) is judged with its callers' inputs and providers
        dirs |= callers_of(dirs, ctx)
    edges: dict[str, set[str]] = {}
    roots = root_dirs(dirs, ctx, edges)
    tofu_dirs: dict[str, bool] = {}  # directory -> holds OpenTofu files (many roots reach the same modules)
    twins = {r for r in roots if _opentofu_tree(r, edges, ctx, tofu_dirs)}
    _count_users(roots, edges, ctx, twins)
    units: list[Any] = []
    for d in sorted(roots):
        units.append(TerraformUnit(d or ".", tofu_twin=d in twins))
        if d in twins:
            units.append(OpenTofuUnit(d or ".", tofu_twin=True))
    return units


def _opentofu_tree(r: str, edges: dict[str, set[str]], ctx: ScanContext, tofu_dirs: dict[str, bool]) -> bool:
    """Whether OpenTofu may read root `r` differently from Terraform: a `.tofu`/`.tofu.json` file in a local
    directory it reaches, or in a module `terraform init` / `tofu init` downloaded for it. `tofu_dirs`
    remembers the answer for each directory across roots."""
    from xborder.inputs.terraform.modules import has_tofu_files
    from xborder.inputs.terraform.syntax import is_tofu_file

    root = Path(ctx.root)
    listed = ctx.cache.get("terraform:dir-listed", {})  # what root detection's listing showed (`_listed`)
    targets_of = ctx.cache.get("terraform:local-targets", {})
    seen, stack = {r}, [r]
    shown_r = listed.get(r)
    for t in _manifest_dirs(r, ctx, shown_r):  # downloaded modules wherever modules.json places them (also outside .terraform)
        if t not in seen:
            seen.add(t)
            stack.append(t)
    while stack:  # local modules, also those outside the scanned paths (`xborder scan envs/prod`, pre-commit)
        d = stack.pop()
        has = tofu_dirs.get(d)
        if has is None:
            shown = listed.get(d)
            has = tofu_dirs[d] = shown[0] if shown is not None else has_tofu_files(root / d)
        if has:
            return True
        if d in targets_of:
            nxt = targets_of[d]
        elif d in edges:
            nxt = set()  # scanned, and calls no module
        else:
            nxt = _local_module_targets(d, ctx) if _may_call_modules(root / d) else set()
        for t in sorted(nxt):
            if t not in seen and t != ".." and not t.startswith("../"):
                seen.add(t)
                stack.append(t)
    if (shown_r is not None and not shown_r[1]) or not _has_dot_terraform(root / r, shown_r):
        return False  # no downloaded module without the directory
    downloaded = root / r / ".terraform" / "modules"
    if not reading.is_directory(downloaded):
        return False
    for _dirpath, dirnames, filenames in os.walk(downloaded):
        dirnames[:] = [n for n in dirnames if n not in SKIP_DIRS]
        if any(is_tofu_file(n) for n in filenames):
            return True
    return False


def _has_dot_terraform(base: Path, shown: tuple[bool, bool] | None) -> bool:
    """Whether directory `base` holds a `.terraform` entry: as root detection's listing showed it (`_listed`), else
    listed once per scan; True when it cannot be listed (the reads that follow report or refuse)."""
    if shown is not None:
        return shown[1]
    try:
        return ".terraform" in reading.list_names(base)
    except OSError:
        return True


def _manifest_dirs(r: str, ctx: ScanContext, shown: tuple[bool, bool] | None = None) -> list[str]:
    """The directories (relative to the scan root, inside it) that root `r`'s `.terraform/modules/modules.json`
    gives its module calls, as the load reads them (`LoadState.manifest`); none when it is missing or unreadable
    (the load reports that). `shown`: what root detection's listing of `r` showed (`_listed`), if it listed it."""
    from xborder.inputs.terraform.paths import absolute, relpath

    if shown is not None and not shown[1]:
        return []  # no manifest without the directory (as its listing showed: no `Path` made for most roots)
    root = Path(ctx.root)
    base = root / r
    if not _has_dot_terraform(base, shown):
        return []  # no manifest without the directory
    import json

    try:
        data = json.loads(reading.read_bytes(base / ".terraform" / "modules" / "modules.json").decode("utf-8"))
        entries = [m.get("Dir") for m in data.get("Modules") or [] if isinstance(m, dict)]
    except (OSError, ValueError, AttributeError, RecursionError):
        return []
    out = set()
    for d in entries:
        if not isinstance(d, str) or not d:
            continue
        target = Path(absolute(base, d))
        if not reading.inside(target):
            continue
        rel = relpath(root, target)
        if rel != ".." and not rel.startswith("../"):
            out.add("" if rel == "." else rel)
    return sorted(out)


def _count_users(roots: set[str], edges: dict[str, set[str]], ctx: ScanContext, twins: set[str]) -> None:
    """How many units use each directory, so a module shared by several roots is parsed once per scan."""
    users: dict[str, int] = ctx.cache.setdefault("terraform:dir-users", {})
    per_unit: dict[str, set[str]] = ctx.cache.setdefault("terraform:unit-dirs", {})
    absolute: dict[str, str] = {}  # directory -> its absolute name (`_absolute`)
    for r in roots:
        reached = set()
        for d in _reach({r}, edges):
            a = absolute.get(d)
            if a is None:
                a = absolute[d] = _absolute(ctx, d)
            reached.add(a)
        per_unit[r or "."] = reached
        for d in reached:
            users[d] = users.get(d, 0) + (2 if r in twins else 1)  # an OpenTofu twin releases them too
    # units that share a directory form one group: a worker process loads a whole group (parse once)
    group: dict[str, str] = ctx.cache.setdefault("terraform:unit-group", {})
    owner: dict[str, str] = {}
    parent = {u: u for u in per_unit}

    def find(u: str) -> str:
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for u in sorted(per_unit):
        for d in per_unit[u]:
            if d in owner:
                a, b = find(u), find(owner[d])
                parent[max(a, b)] = min(a, b)
            else:
                owner[d] = u
    for u in per_unit:
        group[u] = find(u)


def callers_of(targets: set[str], ctx: ScanContext) -> set[str]:
    """Directories under the scan root that call any of `targets` as a local module, transitively.

    Only used when files are named one by one (pre-commit passes the changed files): scanning a shared
    module on its own would make every input variable Unknown. Candidates are found in the raw text
    (`callers.py`) and confirmed by parsing their module calls.
    """
    from xborder.inputs.terraform import callers

    return callers.callers_of(targets, ctx, lambda d: _local_module_targets(d, ctx))


def root_dirs(dirs: set[str], ctx: ScanContext, edges: dict[str, set[str]] | None = None) -> set[str]:
    """The directories not called as a local module by another collected directory.

    Directories only reachable through a cycle of calls keep one of them as a root, so nothing
    collected goes unanalysed. `edges` (when given) receives the local module calls found.
    """
    edges = {} if edges is None else edges
    edges.update({d: set() for d in dirs})
    may_call = ctx.cache.setdefault("terraform:may-call", set())
    known = ctx.cache.setdefault("terraform:dir-calls", {})
    facts = ctx.cache.setdefault("terraform:dir-listed", {})
    for d, found, listed in _detect_all(sorted(dirs), ctx):
        facts[d] = listed
        if found is None:
            continue  # most directories call no module: don't parse (and keep) their trees before their turn
        targets, calls, guesses = found
        may_call.add(d)  # such a root is loaded in full: `loader._quick_errors` need not read it again
        edges[d] = {t for t in targets if t in dirs}
        ctx.cache.setdefault("terraform:local-targets", {})[d] = set(targets)  # also outside the scanned paths
        if calls is not None:
            known[_absolute(ctx, d)] = calls
        if guesses is not None:  # read from the text (`calltext`): checked against the parse before the report
            from xborder.inputs.terraform import calltext

            ctx.cache.setdefault(calltext.GUESSED, {}).update(guesses[0])
            ctx.cache.setdefault(calltext.GUESSED_DIRS, {})[_absolute(ctx, d)] = guesses[1]
            ctx.cache.setdefault(calltext.FACTS, {})  # before the load forks: workers send back what they add
            ctx.cache[calltext.CHECK] = calltext.confirmed
            if guesses[2] is not None:
                ctx.cache.setdefault(calltext.LATER, []).append(guesses[2])
    called = set().union(*edges.values()) if edges else set()
    roots = {d for d in dirs if d not in called}
    reached = _reach(roots, edges)
    for d in sorted(dirs):
        if d not in reached:
            roots.add(d)
            reached |= _reach({d}, edges)
    return roots


def _detect_all(dirs: list[str], ctx: ScanContext) -> list[tuple[str, Any, tuple[bool, bool] | None]]:
    """`_detect` of every directory, in order, on every core for a large tree (it is half a parse of the tree).

    Worker processes send back only each directory's local targets and what `_module_calls` remembers
    (literal sources, exact errors), and what its listing showed (`_listed`: the parent need not list it
    again); an exception any of them raised is raised here, as it would be serially.
    """
    from xborder import parallel

    done = parallel.map_items(dirs, ctx, lambda d: _detect(d, ctx), ctx.options.jobs)
    cache = ctx.cache.get("xborder:result-cache")
    if cache is not None:
        cache.writes += done.writes
    for found in done.results:
        if isinstance(found, BaseException):
            raise found
    return [(d, found, listed) for d, (found, listed) in zip(dirs, done.results)]


def _detect(d: str, ctx: ScanContext) -> tuple[tuple[set[str], Any, Any] | None, tuple[bool, bool] | None]:
    """(None when directory `d` holds no module block header, else (the directories it calls with a
    local source, the `terraform:dir-calls` entry `_module_calls` made for it or None, the guesses of
    `calltext` when the calls were read from the text, else None); `_listed(d)`)."""
    dir_abs = Path(_absolute(ctx, d))
    if not _may_call_modules(dir_abs):
        return None, _listed(dir_abs)
    cache = ctx.cache.get("xborder:result-cache")
    unit_id, deps = _calls_entry(d, ctx)
    if cache is not None:
        hit = cache.get(unit_id)
        if hit is not None:  # remembered per directory contents: a warm scan parses nothing to find roots
            return (set(hit), None, None), _listed(dir_abs)
    if not ctx.cache.get("xborder:exact-collection"):
        try:
            guessed = _guessed_targets(dir_abs, d, ctx)
        except Exception:  # noqa: BLE001 - a surprise in the guess: parse, as without it
            guessed = None
        if guessed is not None:
            # a cached answer must be exact: the entry is written once every guess is confirmed (`calltext.confirmed`),
            # with the digests of the bytes the guess read
            later = None if cache is None else (unit_id, deps, cache.digested(deps), sorted(guessed[0]))
            return (guessed[0], None, (*guessed[1:], later)), _listed(dir_abs)
    targets = _local_module_targets_uncached(d, ctx)
    if cache is not None:
        cache.put(unit_id, deps, sorted(targets))
    return (targets, ctx.cache.get("terraform:dir-calls", {}).get(os.fspath(dir_abs)), None), _listed(dir_abs)


def _calls_entry(d: str, ctx: ScanContext) -> tuple[str, list[str]]:
    """The result-cache entry of directory `d`'s local module targets: (its id, its dependencies)."""
    return f"terraform-local-calls:{d}", [f"dir:{_absolute(ctx, d)}"]


def _absolute(ctx: ScanContext, *parts: str) -> str:
    """A directory below the scan root by its absolute name (`paths.absolute`)."""
    from xborder.inputs.terraform.paths import absolute

    return absolute(ctx.root, *parts)


def _guessed_targets(dir_abs: Path, d: str, ctx: ScanContext) -> tuple[set[str], dict[str, Any], Any] | None:
    """What `_local_module_targets` gives, read from the text of the files (`calltext.guess_calls`) without
    parsing them, with the guess for each file and for the directory (each call's literal source, as
    `_module_calls` keeps them, and the files guessed); None when any file is not plain enough to be sure."""
    from xborder.inputs.terraform.calltext import guess_calls
    from xborder.inputs.terraform.modules import list_module_files
    from xborder.inputs.terraform.precheck import may_declare_module
    from xborder.inputs.terraform.syntax import MAX_FILE_SIZE, is_override_file

    files, _errors = list_module_files(dir_abs, d, "all")  # as `_module_calls` reads them
    guesses: dict[str, Any] = {}
    sources: list[str | None] = []
    by_name: dict[str, str | None] = {}
    for path, rel in files:
        if is_override_file(path.name):
            return None
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
        except OSError:
            return None
        json = rel.endswith(".json")
        if not may_declare_module(data, json=json):
            continue
        calls = None if json else guess_calls(data)
        if calls is None:
            return None
        guesses[os.fspath(path)] = (rel, calls)
        for labels, src in calls:
            if len(labels) == 1:
                sources.append(src)
                by_name[labels[0]] = src  # the last block of a name, as `_module_calls` keeps it
    return _targets_of(d, sources, ctx), guesses, (list(by_name.items()), tuple(g[0] for g in guesses.values()))


def exact_calls(dir_abs: Path, d: str, ctx: ScanContext) -> Any:
    """The `terraform:dir-calls` entry root detection makes by parsing, for a directory whose calls it guessed
    (`loader._subtree` needs each call's literal source and the files' exact errors); None when it makes none."""
    from xborder.inputs.terraform import calltext

    key = os.fspath(dir_abs)
    try:
        _module_calls(dir_abs, d, ctx)
    except Exception:  # noqa: BLE001 - detection by parsing would have found no call here: the guess was wrong
        ctx.cache.setdefault(calltext.FACTS, {})[("bad", key)] = None
        return None
    return ctx.cache.get("terraform:dir-calls", {}).get(key)


def _listed(dir_abs: Path) -> tuple[bool, bool] | None:
    """(holds OpenTofu files, holds an entry `.terraform`) as the directory's listing shows, for `_opentofu_tree`
    (None: it cannot be listed)."""
    from xborder.inputs.terraform.modules import has_tofu_files

    try:
        names = reading.list_names(dir_abs)
    except OSError:
        return None
    return has_tofu_files(dir_abs), ".terraform" in names


def _local_module_targets(d: str, ctx: ScanContext) -> set[str]:
    """Directories (relative to the scan root) that directory `d` calls with a local `source`."""
    cache = ctx.cache.get("xborder:result-cache")
    if cache is not None:  # remembered per directory contents: a warm scan parses nothing to find roots
        unit_id, deps = _calls_entry(d, ctx)
        hit = cache.get(unit_id)
        if hit is None:
            hit = sorted(_local_module_targets_uncached(d, ctx))
            cache.put(unit_id, deps, hit)
        return set(hit)
    return _local_module_targets_uncached(d, ctx)


def _module_calls(dir_abs: Path, d: str, ctx: ScanContext) -> list[Any]:
    """The module blocks of a directory, as `load_config` would index them, holding no syntax tree afterwards.

    Only files with a module block header are parsed, and not kept: keeping every calling directory
    loaded from collection until its unit runs cost hundreds of MB on a monorepo. With override files
    (which may replace a `source`) the directory is loaded like a unit loads it.
    """
    from xborder.inputs.terraform.calltext import check
    from xborder.inputs.terraform.modules import has_tofu_files, list_module_files, load_config, view
    from xborder.inputs.terraform.precheck import may_declare_module
    from xborder.inputs.terraform.syntax import MAX_FILE_SIZE, is_override_file, module_blocks

    files, _errors = list_module_files(dir_abs, d, "all")  # the calls of either view (Terraform's, OpenTofu's)
    if any(is_override_file(p.name) for p, _rel in files):
        views = ("terraform", "tofu") if has_tofu_files(dir_abs) else ("terraform",)
        out = []
        for name in views:
            with view(name):
                out.extend(load_config(dir_abs, ctx).module_calls.values())
        return out
    calls: dict[str, Any] = {}
    every: list[Any] = []  # `x.tf` and `x.tofu` may both declare a call of one name (each tool reads one)
    parsed: dict[str, list[Any]] = {}
    complete = True
    for path, rel in files:
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)  # confined: never a FIFO, a device or a file outside
        except OSError:
            complete = False
            continue
        if not may_declare_module(data, json=rel.endswith(".json")):
            continue
        parsed[rel], blocks = module_blocks(path, rel, data)  # the module blocks only, the exact errors
        check(ctx, path, blocks)
        for b in blocks:
            if len(b.labels) == 1:
                calls[b.labels[0]] = b
                every.append(b)
    if complete:
        # what a unit skipping this directory needs (`loader._subtree`), so it is not parsed a second time:
        # each call's literal source (None: not literal) and the exact errors of the files parsed here
        sources = [(name, _literal_source(b.attrs["source"].expr) if "source" in b.attrs else None)
                   for name, b in calls.items()]
        ctx.cache.setdefault("terraform:dir-calls", {})[os.fspath(dir_abs)] = (sources, parsed)
    return every


def _local_module_targets_uncached(d: str, ctx: ScanContext) -> set[str]:
    try:
        calls = _module_calls(Path(_absolute(ctx, d)), d, ctx)
    except Exception:  # noqa: BLE001 - the unit's load reports the problem
        return set()
    sources = []
    for call in calls:
        src = call.attrs.get("source")
        sources.append(_literal_source(src.expr) if src is not None else None)
    return _targets_of(d, sources, ctx)


def _targets_of(d: str, sources: list[str | None], ctx: ScanContext) -> set[str]:
    """The directories (relative to the scan root) that these literal sources of directory `d`'s calls name."""
    from xborder.inputs.terraform.paths import is_local_source, relpath

    root = Path(ctx.root)
    out = set()
    for text in sources:
        if not text or not is_local_source(text):
            continue
        target = relpath(root, _absolute(ctx, d, text))
        target = "" if target == "." else target
        if target != d:
            out.add(target)
    return out


def _may_call_modules(directory: Path) -> bool:
    """A cheap textual pre-check: a directory whose files hold no module block header calls no module."""
    from xborder.inputs.terraform.modules import list_module_files
    from xborder.inputs.terraform.precheck import may_declare_module
    from xborder.inputs.terraform.syntax import MAX_FILE_SIZE

    for path, _rel in list_module_files(directory, "", "all")[0]:
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
            if may_declare_module(data, json=path.name.endswith(".json")):
                return True
        except OSError:
            return True  # let the real parse report it
    return False


def _reach(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, stack = set(start), list(start)
    while stack:
        for n in edges.get(stack.pop(), ()):
            if n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


def _literal_source(expr: object) -> str | None:
    from xborder.inputs.terraform.expressions import Evaluator, Scope

    v = Evaluator().evaluate(expr, Scope())
    return v if isinstance(v, str) else None
