"""The Terraform unit: one root module directory, loaded into evaluated `Resource`s.

The whole module tree below the root (local and `terraform init`-downloaded modules) is expanded
here; everything is guarded so a bad file or an internal surprise becomes a `ScanError`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xborder.context import Interest, ScanContext
from xborder.inputs import reading
from xborder.inputs.terraform.calltext import FACTS, GUESSED, GUESSED_DIRS, parse_confirms
from xborder.inputs.terraform.expressions import plain
from xborder.inputs.terraform.modules import (
    MAX_MODULE_DEPTH,
    MAX_MODULE_HCL_BYTES,
    TOFU_KEY,
    VIEW,
    LoadState,
    ModuleInstance,
    UnreadModule,
    eval_body,
    has_tofu_files,
    key_suffix,
    list_module_files,
    literal_source,
    load_config,
    plain_source_dir,
    view,
)
from xborder.inputs.terraform.precheck import lexical_doubt, may_declare_module, names_any, template_doubt
from xborder.inputs.terraform.paths import absolute, is_local_source, relpath
from xborder.inputs.terraform.syntax import (
    MAX_FILE_SIZE,
    MAX_HCL_SOURCE_BYTES,
    Block,
    decode_text,
    embeds,
    file_errors,
    is_override_file,
    traversal_text,
)
from xborder.inputs.terraform import worlds
from xborder.inputs.terraform.variables import RootValues, root_values, tfvars_files
from xborder.model import Endpoint, Fact, Link, LinkKind, LoadResult, Ref, Resource, ScanError, report_worlds


@dataclass
class TerraformUnit:
    """A root module directory (`name` is its path relative to the scan root, "." for the root), as Terraform
    reads it: `.tf` and `.tf.json` files. `tofu_twin`: an `OpenTofuUnit` reads the same tree as OpenTofu does."""

    name: str
    tofu_twin: bool = False
    view_name = "terraform"

    @property
    def dir_rel(self) -> str:
        return "" if self.name == "." else self.name

    def share_key(self, ctx: ScanContext) -> str:
        """Units with the same key read common module directories and are loaded in one process."""
        return "terraform:" + ctx.cache.get("terraform:unit-group", {}).get(self.name, self.name)

    def load(self, ctx: ScanContext) -> LoadResult:
        result, _deps = self.cacheable_load(ctx)
        result.errors = _unreported(result.errors, ctx)
        return result

    def cacheable_load(self, ctx: ScanContext) -> tuple[LoadResult, list[str]]:
        """The unit's result with every error (not only those no other unit reported), and what it read.

        The dependencies are `dir:PATH` (a directory's Terraform files) and `file:PATH` entries: every module
        directory of the tree, every local module source even when missing, the module manifest and the
        variable files named on the command line. A result cache keys the result on their contents.
        """
        root_abs = Path(absolute(ctx.root, self.dir_rel))
        deps = [f"dir:{root_abs}"] + [f"file:{Path(vf).absolute()}" for vf in ctx.options.var_files]
        loaded = False
        try:
            with view(self.view_name) as tofu_seen:
                quick = _quick_errors(self, ctx)
                if quick is None:
                    quick = _quick_calls(self, ctx, deps)
                    loaded = quick is not None  # it may have read module configurations: released below
                if quick is not None:
                    return self._finish(LoadResult(errors=quick), quick=True), deps
                loaded = True
                result = _load(self, ctx, deps)
            return self._finish(result, tofu_seen=bool(tofu_seen)), deps
        except Exception as e:  # noqa: BLE001 - never let one module abort the scan
            return LoadResult(errors=[ScanError(self.name, 1, f"internal error while analysing this module: "
                                                              f"{type(e).__name__}: {e}")]), deps
        finally:
            _release(self, ctx, loaded)

    def _finish(self, result: LoadResult, quick: bool = False, tofu_seen: bool = False) -> LoadResult:
        """The Terraform view as loaded; never silent about OpenTofu files no twin reads (a module found
        only by evaluation, e.g. a computed local source)."""
        if tofu_seen and not self.tofu_twin:
            result.errors.append(ScanError(self.name, 1, "this module tree holds OpenTofu files (.tofu, .tofu.json) in a "
                                                         "module directory found only while evaluating; they are not read"))
        return result


_TOFU_NOTE = ("read as OpenTofu reads this module tree: its .tofu and .tofu.json files, which replace the .tf and "
              ".tf.json files of the same name (Terraform ignores them)")


class OpenTofuUnit(TerraformUnit):
    """The same root module directory as OpenTofu reads it (`modules.VIEW`), next to its Terraform twin.

    Whoever deploys it may use either tool, so both views are judged; a link both give is one finding
    (same fingerprint), one only OpenTofu's view gives carries `_TOFU_NOTE`. A tree whose directories
    hold no OpenTofu file gives nothing here (its Terraform twin is the same configuration).

    No `@dataclass` of its own: it adds no field, so the methods `TerraformUnit`'s decorator made (they read the
    instance's class) are what one would make again; without it every class of a run has a dataclass plan and
    no run reads the code file (`classcode`; tests/terraform compares it with the decorated class).
    """

    view_name = "tofu"

    @property
    def reads_nothing(self) -> bool:
        """Not a second input in the count of inputs read: the same directory as its twin."""
        return True

    def _finish(self, result: LoadResult, quick: bool = False, tofu_seen: bool = False) -> LoadResult:
        if quick or not tofu_seen:
            return LoadResult()  # the twin read the same files (its quick check covers both views) and said it all
        for r in result.resources:
            r.notes.append(_TOFU_NOTE)
        for link in result.links:
            link.notes.append(_TOFU_NOTE)
        return result


def _quick_errors(unit: TerraformUnit, ctx: ScanContext) -> list[ScanError] | None:
    """The unit's errors when it cannot yield anything a link needs, else None (load it in full).

    A root directory whose text names no resource type of interest (anywhere, word-bounded; an escape such
    as `\\u005f` means "not sure": `precheck`), may declare no module block and has no variable files
    produces no resource, note or evaluation error: only what is unreadable or invalid (`checked_errors`).
    Override and `.tf.json` files take the full path.
    """
    interest = ctx.interest
    if interest is None or ctx.options.var_files or unit.dir_rel in ctx.cache.get("terraform:may-call", ()):
        return None  # (root detection found a possible module block, or a file it could not read)
    root_abs = Path(absolute(ctx.root, unit.dir_rel))
    files, errs = list_module_files(root_abs, unit.dir_rel, "all")  # what either tool reads
    if errs or tfvars_files(root_abs):
        return None
    names = interest.types | interest.whole_unit_types
    datas = []
    for path, rel in files:
        if rel.endswith(".json") or is_override_file(path.name):
            return None
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
        except OSError:
            return None  # the full load reports it
        if may_declare_module(data) or names_any(data, names) or embeds(data):
            return None  # (a VPN configuration in a string: the full load finds it, XB003)
        datas.append(data)
    return [e for (path, rel), data in zip(files, datas) for e in checked_errors(path, rel, data)]


def _quick_calls(unit: TerraformUnit, ctx: ScanContext, deps: list[str]) -> list[ScanError] | None:
    """The errors of a root directory that calls modules when neither it nor any module it calls can yield
    anything a link needs, else None (load it in full); its dependencies are added to `deps`.

    The root is taken as `_skip_call` takes a module call that cannot matter (`_subtree`): its text names no
    type of interest, every call it makes has a local source and is plainly readable, and every directory
    below cannot matter either; such a load expands no call and evaluates no resource, so it gives nothing but
    errors. Only for the Terraform view (an OpenTofu twin is loaded in full) and a root given no variable value
    (no variable file, `--var` or `--env-vars`: their checks are the load's).
    Reported as for any directory that cannot matter: each file's errors from its parse when it declares
    modules (parsed to know its calls), else from `checked_errors`.
    """
    interest = ctx.interest
    options = ctx.options
    if interest is None or options.var_files or options.variables or options.env_vars or type(unit) is not TerraformUnit:
        return None
    root_abs = Path(absolute(ctx.root, unit.dir_rel))
    if tfvars_files(root_abs):
        return None
    state = LoadState(ctx, root_abs)
    found = _subtree(state, root_abs, "", (), interest.types | interest.whole_unit_types, local_only=True)
    if found is None:
        return None
    errors, sub_deps = found
    deps.extend(sub_deps)
    deps.append(f"file:{root_abs / '.terraform' / 'modules' / 'modules.json'}")
    manifest = state.manifest()
    if manifest:  # every directory it names (a superset of the root instance's calls: `_manifest_dirs`)
        deps.extend(_manifest_deps(root_abs, manifest.values()))
    return errors


def checked_errors(path: Path, rel: str, data: bytes) -> list[ScanError]:
    """The errors worth reporting in a file nothing will read blocks from (its directory cannot matter).

    What makes it unreadable (binary, not UTF-8) always; its syntax errors, exactly as a full parse gives
    them, when the lexical check has a doubt (`precheck.lexical_doubt`: something does not close, a merge
    conflict marker...) that reading its strings as templates confirms (`precheck.template_doubt`: an
    interpolation holding quotes or brackets is no doubt). A file without such a doubt is not parsed: a
    grammar error inside balanced tokens (an argument without a value, an argument set twice) is then not
    reported (README, Performance).
    """
    if len(data) > MAX_HCL_SOURCE_BYTES or (lexical_doubt(data) and template_doubt(data)):
        return file_errors(path, rel, data)
    return decode_text(data, rel)[1]


def _release(unit: TerraformUnit, ctx: ScanContext, loaded: bool) -> None:
    """Drop the syntax trees of the module directories no later unit uses.

    Parsed files keep tree-sitter trees, which are large (~65 KB per file). A local module shared by
    several roots stays loaded until the last of them is done (`terraform:dir-users`, counted when the
    units were collected), so each file is parsed once per scan; a directory no count covers (a
    downloaded module) is dropped with the unit that read it.
    """
    users = ctx.cache.get("terraform:dir-users", {})
    for d in ctx.cache.get("terraform:unit-dirs", {}).get(unit.name, ()):
        if d in users:
            users[d] -= 1
    if not loaded:
        return  # read no module directory
    dropped = set()
    for key in [k for k in ctx.cache if k.startswith("terraform:module:")]:
        d = key.removeprefix("terraform:module:").removesuffix(TOFU_KEY)
        if users.get(d, 0) <= 0:
            del ctx.cache[key]
            dropped.add(d)
    if not dropped:
        return
    for key in [k for k in ctx.cache if k.startswith("terraform:parse:")]:
        d = key.removeprefix("terraform:parse:").rsplit(":", 2)[0].rpartition(os.sep)[0]
        if d in dropped or users.get(d, 0) <= 0:
            del ctx.cache[key]


def _load(unit: TerraformUnit, ctx: ScanContext, deps: list[str]) -> LoadResult:
    root_abs = Path(absolute(ctx.root, unit.dir_rel))
    state = LoadState(ctx, root_abs)
    cfg = load_config(root_abs, ctx)
    for e in cfg.errors:
        state.error(e)
    state.embedded_in(cfg)
    types = {n: (traversal_text(b.attrs["type"].expr) if "type" in b.attrs else None) for n, b in cfg.variables.items()}
    values, _origin, errs = root_values(root_abs, ctx, types, state.ev)
    for e in errs:
        state.error(e)
    root = ModuleInstance(state, cfg, root_values=values)
    root.check_root_values()
    deps.append(f"file:{root_abs / '.terraform' / 'modules' / 'modules.json'}")
    resources = _collect(root, ctx.interest, deps)
    result = LoadResult(resources=resources, links=[_unread_link(u) for u in state.unread] + list(state.embedded.values()),
                        errors=list(state.errors), notes=list(state.notes))
    _read_embedded(resources, ctx, result.links, result.errors, result.notes, state.embedded)
    own = []
    for world, overrides in worlds.of(cfg, values, root, state.ev, result.links, len(resources)):
        resources, links, state_of_world = _world(overrides, cfg, values, ctx, root_abs, deps)
        result.worlds.append((world, resources, links))
        own.append((world, state_of_world.errors, state_of_world.notes))
    report_worlds(result, own)  # what a world alone could not read, naming it
    return result


def _world(overrides: dict[str, Any], cfg: Any, values: Any, ctx: ScanContext, root_abs: Path,
           deps: list[str]) -> tuple[list[Resource], list[Link], LoadState]:
    """The module tree evaluated again with one variable at another value its validation allows: its resources,
    its unread modules' links, and its state (errors and notes, mostly the default evaluation's again)."""
    state = LoadState(ctx, root_abs)
    merged = RootValues()
    merged.update(values)
    merged.settled = set(getattr(values, "settled", ())) - set(overrides)
    merged.update(overrides)
    root = ModuleInstance(state, cfg, root_values=merged)
    resources = _collect(root, ctx.interest, deps)
    links = [_unread_link(u) for u in state.unread]
    _read_embedded(resources, ctx, links, state.errors, state.notes)
    return resources, links, state


def _read_embedded(resources: list[Resource], ctx: ScanContext, links: list[Link], errors: list[ScanError],
                   notes: list[str], unread: dict[tuple[str, int, str], Link] | None = None) -> None:
    """The links of the VPN configurations resources hold whole (`inputs.embedded.read`), into `links`; the
    readers' errors and notes, once each. A template's XB003 (in `unread`, as in `links`) goes when every instance
    of every resource of its block rendered it whole."""
    holders = [r for r in resources if r.embedded]
    if not holders:
        return
    from xborder.inputs import embedded  # noqa: PLC0415 - only where a configuration was found

    whole: dict[tuple[str, int, str], bool] = {}
    for r in holders:
        found, errs, found_notes, rendered = embedded.read(r, ctx.policies)
        links.extend(found)
        errors.extend(e for e in errs if e not in errors)
        notes.extend(n for n in found_notes if n not in notes)
        for key, ok in rendered.items():
            whole[key] = whole.get(key, True) and ok
    for key, ok in whole.items():
        link = (unread or {}).get(key)
        if ok and link is not None and link in links:
            links.remove(link)


def _unread_link(u: UnreadModule) -> Link:
    """A module that is not on disk, as a one-ended link that rule XB002 reports: never a silent pass."""
    label = f"{u.address} (source {u.source})"
    return Link(
        kind=LinkKind.NOT_READ,
        resource_type="module",
        address=u.address,
        location=u.location,
        a=Endpoint(label, Fact("unknown", f"not read: {u.reason}", origin="module source")),
        related=list(u.related),
        notes=[f"to read it: {u.remedy}"],
        source="terraform",
    )


def _local_sources(cfg: Any) -> list[str]:
    """`dir:` dependencies of a directory's local module sources, existing or not."""
    return _source_deps(cfg.dir_abs, [(name, literal_source(call)) for name, call in cfg.module_calls.items()])


Position = tuple[int, ...]  # where the full walk reports a block: sorting positions gives the walk's order


@dataclass
class _Walk:
    """The resource blocks of a unit in report order, and the module calls skipped because they cannot matter."""

    names: frozenset[str] | None  # resource types of interest: module subtrees naming none are skipped
    blocks: list[tuple[ModuleInstance, Block]]
    positions: list[Position]
    deps: list[str]
    skipped: int = 0


def _walk(inst: ModuleInstance, w: _Walk, pos: Position = ()) -> None:
    """Every resource block of every module instance, in the order the resources are reported.

    A module call whose whole subtree cannot matter (`_subtree`) is not expanded: its directory is
    only checked for errors. Evaluation may still create its instances (a module output another resource
    refers to); `_collect` finds such blocks then (`_lazy_block`), at the position the full walk gives them.
    """
    w.deps.append(f"dir:{inst.config.dir_abs}")
    w.deps.extend(_local_sources(inst.config))
    w.deps.extend(_manifest_dirs(inst))
    for i, block in enumerate(inst.config.resources):
        w.blocks.append((inst, block))
        w.positions.append(pos + (0, i))
    for c, (name, call) in enumerate(inst.config.module_calls.items()):
        try:
            if w.names is not None and _skip_call(inst, name, w):
                continue
            kids = inst.children(name)
        except Exception as e:  # noqa: BLE001 - contain a surprise to this module call
            inst.state.error(_internal(call.path, call.location.start_line, f"{inst.prefix}module.{name}", "module call", e))
            continue
        if isinstance(kids, tuple):
            for k, (_key, child) in enumerate(kids[1]):
                _walk(child, w, pos + (1, c, k))


def _skip_call(inst: ModuleInstance, name: str, w: _Walk) -> bool:
    """Whether module call `name` cannot matter to a link; its subtree's errors are reported if so."""
    if name in inst._children:  # already expanded (an evaluation needed it): walk it as usual
        return False
    child_abs = inst.plain_child_dir(name)
    if child_abs is None:
        return False
    assert w.names is not None
    key_path = f"{inst.key_path}.{name}" if inst.key_path else name
    found = _subtree(inst.state, child_abs, key_path, inst.dirs, w.names)
    if found is None:
        return False
    errors, deps = found
    for e in errors:
        inst.state.error(e)
    w.deps.extend(deps)
    w.skipped += 1
    return True


SUBTREES = "terraform:subtrees"  # (directory, view, names, local_only) -> `_Sub` of a subtree that cannot matter


class _Sub:
    """What `_subtree` found below a directory that cannot matter, and what its reuse depends on.

    `dirs`: every directory of the subtree (a call chain holding one of them would be a cycle there);
    `height`: how many directories of the subtree a chain of calls passes through down to the last one that
    calls a module (the depth limit is counted on that); `kept`: the subtree makes no remote call (whose
    directory depends on the root's manifest and the call's key path) and holds no OpenTofu file (a view
    reading it records that: `modules.TOFU_SEEN`), so it is the same for every unit and caller.
    """

    __slots__ = ("errors", "deps", "dirs", "height", "kept")

    def __init__(self, errors: list[ScanError], deps: list[str], dirs: frozenset[Path], height: int,
                 kept: bool) -> None:
        self.errors = errors
        self.deps = deps
        self.dirs = dirs
        self.height = height
        self.kept = kept


def _subtree(state: LoadState, dir_abs: Path, key_path: str, chain: tuple[Path, ...],
             names: frozenset[str], local_only: bool = False) -> tuple[list[ScanError], list[str]] | None:
    """The errors and `dir:` dependencies of a module subtree that can matter to no link, else None.

    A directory cannot matter when its text names no type of interest (`_dir_text`) and every module it
    calls is plainly readable (`plain_source_dir`: no XB002, cycle or depth problem to report) and cannot
    matter either. A directory that calls modules is parsed to know its calls (exact errors then; root
    detection has usually done it: `plugin._module_calls` keeps each call's literal source and the
    errors); one that calls none is only checked (`checked_errors`).

    A subtree found is remembered for the scan (`SUBTREES`, when `_Sub.kept`): a directory called from
    several places is walked once. Another caller reuses it only when its chain of calling directories
    holds none of the subtree's directories and is short enough for the subtree's height, that is when
    walking it again would make every `plain_source_dir` check as before and so find the same.
    """
    found = _sub(state, dir_abs, key_path, chain, names, local_only)
    return None if found is None else (list(found.errors), list(found.deps))


def _sub(state: LoadState, dir_abs: Path, key_path: str, chain: tuple[Path, ...],
         names: frozenset[str], local_only: bool = False) -> _Sub | None:
    """`_subtree`, with what its reuse depends on."""
    cache = state.ctx.cache
    key = os.fspath(dir_abs)
    view_name = VIEW.get()
    subtrees = cache.setdefault(SUBTREES, {})
    sub_key = (key, view_name, names, local_only)
    hit = subtrees.get(sub_key)
    if hit is not None and len(chain) + hit.height <= MAX_MODULE_DEPTH and hit.dirs.isdisjoint(chain):
        return hit
    memo = cache.setdefault("terraform:dir-text", {})
    memo_key = key + TOFU_KEY if view_name != "terraform" and has_tofu_files(dir_abs) else key
    if memo_key not in memo:
        rel = relpath(Path(state.ctx.root), dir_abs)
        rel = "" if rel == "." else rel
        memo[memo_key] = rel, _dir_text(dir_abs, rel, names)
    rel, text = memo[memo_key]
    if text is None:
        return None
    calls, plain_errors = text
    if not calls:
        # (its OpenTofu files, if any, were recorded by `_dir_text` once, never again: nothing to replay)
        found = _Sub([e for errs in plain_errors.values() for e in errs], [f"dir:{dir_abs}"], frozenset((dir_abs,)), 0,
                     True)
        subtrees[sub_key] = found
        return found
    order = [r for _p, r in list_module_files(dir_abs, rel)[0]]
    known = cache.get("terraform:dir-calls", {}).get(key)
    guessed = cache.get(GUESSED_DIRS, {}).get(key) if known is None else None
    later = guessed is not None and _covers(order, plain_errors, guessed[1])
    if later:
        # root detection read the calls from the text (`calltext`); the guess is confirmed by a parse, made only
        # once the whole subtree is known to be skipped (else the unit's load parses the files anyway)
        sources = guessed[0]
    elif known is not None and _covers(order, plain_errors, known[1]):
        sources = known[0]  # root detection parsed the files with module blocks (and kept only this)
    else:
        cfg = load_config(dir_abs, state.ctx)
        sources = [(name, literal_source(call)) for name, call in cfg.module_calls.items()]
    below: list[ScanError] = []
    deps = [f"dir:{dir_abs}", *_source_deps(dir_abs, sources)]
    dirs = {dir_abs}
    height = 0
    kept = not has_tofu_files(dir_abs)
    chain = chain + (dir_abs,)
    for name, source in sources:
        local = bool(source and is_local_source(source))
        if local_only and not local:
            return None  # (a root's remote call: `plain_child_dir` checks more than `plain_source_dir`)
        child_key = f"{key_path}.{name}" if key_path else name  # "" for a root (`_quick_calls`)
        child = plain_source_dir(state, dir_abs, source, child_key, chain)
        sub = None if child is None else _sub(state, child, child_key, chain, names)
        if sub is None:
            return None
        below.extend(sub.errors)
        deps.extend(sub.deps)
        dirs |= sub.dirs
        height = max(height, sub.height)
        kept = kept and local and sub.kept
    if later and not _parse_confirmed(state.ctx, dir_abs, rel, guessed[1]):
        from xborder.inputs.terraform.plugin import exact_calls

        known = exact_calls(dir_abs, rel, state.ctx)  # what detection would have kept, had it parsed
        if known is None or not _covers(order, plain_errors, known[1]) or known[0] != sources:
            cache.setdefault(FACTS, {})[("bad", key)] = None  # not as guessed: the scan collects again
            return None
    # each file's errors as for any directory that cannot matter (`checked_errors`), however its calls were found
    checked = cache.setdefault("terraform:dir-checked", {})
    if memo_key not in checked:
        checked[memo_key] = _checked_calling(dir_abs, rel, plain_errors)
    if checked[memo_key] is None:
        return None
    found = _Sub(_errors_in_order(order, checked[memo_key], plain_errors) + below, deps, frozenset(dirs),
                 height + 1 if sources else 0, kept)
    if kept:
        subtrees[sub_key] = found
    return found


def _checked_calling(dir_abs: Path, rel: str, plain_errors: dict[str, list[ScanError]]) -> dict[str, list[ScanError]] | None:
    """`checked_errors` of each file of a directory that cannot matter that holds module blocks (the others are
    in `plain_errors`); None when one cannot be read (the full load reports it)."""
    out: dict[str, list[ScanError]] = {}
    for path, r in list_module_files(dir_abs, rel)[0]:
        if r in plain_errors:
            continue
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
        except OSError:
            return None
        out[r] = checked_errors(path, r, data)
    return out


def _parse_confirmed(ctx: ScanContext, dir_abs: Path, rel: str, files: Iterable[str]) -> bool:
    """Whether the parse of each of these files guessed by root detection has no syntax error and the guessed
    calls (`calltext.parse_confirms`: the parser alone, no blocks built), or was compared with the guess before
    (an "ok" fact); each confirmed file is an "ok" fact, so neither the scan's final check (`calltext.settled`)
    nor another unit calling the directory parses it again."""
    guessed = ctx.cache.get(GUESSED) or {}
    facts = ctx.cache.setdefault(FACTS, {})
    wanted = set(files)
    confirmed = []
    for path, r in list_module_files(dir_abs, rel)[0]:
        if r not in wanted:
            continue
        key = os.fspath(path)
        if ("ok", key) in facts:
            confirmed.append(key)  # (a parse compared it already: `calltext.check`, or this, for another caller)
            continue
        g = guessed.get(key)
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
        except OSError:
            return False
        if g is None or g[0] != r or not parse_confirms(data, g[1]):
            return False
        confirmed.append(key)
    if len(confirmed) != len(wanted):
        return False
    for key in confirmed:
        facts.setdefault(("ok", key), None)
    return True


def _covers(order: list[str], plain_errors: dict[str, Any], parsed: Any) -> bool:
    """The directory's files are exactly the ones checked plainly and the ones read for their module calls."""
    return sorted(order) == sorted([*plain_errors, *parsed])


def _errors_in_order(order: list[str], parsed: dict[str, Any], plain_errors: dict[str, Any]) -> list[ScanError]:
    """Each file's errors, in the directory's file order: from its parse when it was parsed, else the check's."""
    return [e for r in order for e in (parsed[r] if r in parsed else plain_errors[r])]


def _manifest_dirs(inst: ModuleInstance) -> list[str]:
    """`dir:` dependencies of the directories `.terraform/modules/modules.json` gives this instance's module calls,
    read or not: a call reported as not read because its directory is missing or holds no `.tf` file must be read
    again when files appear there (a cached result kept the XB002 and hid the module's cross-border VPN)."""
    manifest = inst.state.manifest()
    if not manifest:
        return []
    prefix = f"{inst.key_path}." if inst.key_path else ""
    return _manifest_deps(inst.state.root_abs, (d for name in inst.config.module_calls
                                                if (d := manifest.get(prefix + name)) is not None))


def _manifest_deps(root_abs: Path, dirs: Iterable[str]) -> list[str]:
    """`dir:` dependencies of module directories a manifest names (relative to the root module): never a directory
    outside the repository; a missing one below the root module (deleted, to be restored) is one."""
    root = os.path.normpath(root_abs)
    paths = (absolute(root_abs, d) for d in dirs)
    return [f"dir:{d}" for d in paths if reading.inside(Path(d))
            or (not os.path.lexists(d) and os.path.commonpath([root, d]) == root)]


def _source_deps(dir_abs: Path, sources: list[tuple[str, str | None]]) -> list[str]:
    """`dir:` dependencies of the local module sources among a directory's calls."""
    return [f"dir:{absolute(dir_abs, src)}" for _name, src in sources
            if src and is_local_source(src)]


def _dir_text(dir_abs: Path, dir_rel: str, names: frozenset[str]) -> tuple[bool, dict[str, list[ScanError]]] | None:
    """(may declare a module block, `checked_errors` of each file that declares none) when the
    directory's text names no resource type of interest, else None (it may matter: expand it as usual).

    Also None unless its files are all plain `.tf`/`.tofu` (no JSON, no override file), readable and within
    the directory size limits (whose errors the full load reports).
    """
    files, errs = list_module_files(dir_abs, dir_rel)
    if errs or not files:
        return None
    plain: dict[str, bytes] = {}
    total = 0
    calls = False
    for path, rel in files:
        if rel.endswith(".json") or is_override_file(path.name):
            return None
        try:
            data = reading.read_bytes(path, MAX_FILE_SIZE)
        except OSError:
            return None
        total += len(data)
        if len(data) > MAX_HCL_SOURCE_BYTES or total > MAX_MODULE_HCL_BYTES or names_any(data, names):
            return None
        if embeds(data):
            return None  # a VPN configuration in a string (XB003) is found by the full load, which parses the file
        if may_declare_module(data):
            calls = True  # parsed (by root detection or `_subtree`): its exact errors come from there
        else:
            plain[rel] = data
    return calls, {rel: checked_errors(path, rel, plain[rel]) for path, rel in files if rel in plain}


def _internal(path: str, line: int, what: str, kind: str, e: Exception) -> ScanError:
    return ScanError(path, line, f"internal error while reading {kind} {what} ({type(e).__name__}: {e}); "
                                 f"this {kind} is not analysed, the rest of the module is")


def _collect(root: ModuleInstance, interest: Interest | None, deps: list[str]) -> list[Resource]:
    """The unit's resources; with an `Interest`, only those a link can come from and what they refer to.

    Evaluation goes outward from the resources of interest: each `Ref` in an evaluated resource (a
    VPN connection's customer gateway, a CEN attachment's instance) adds the resource it names. The
    result keeps the order of the full walk, so it is a subsequence of what evaluating all would give.
    """
    names = None if interest is None else interest.types | interest.whole_unit_types
    first_dep = len(deps)
    w = _Walk(names, [], [], deps)
    _walk(root, w)
    if interest is not None and any(b.labels[0] in interest.whole_unit_types for _, b in w.blocks):
        if w.skipped:  # every resource counts: walk again, expanding every call
            del deps[first_dep:]
            w = _Walk(None, [], [], deps)
            _walk(root, w)
        interest = None
    blocks, positions = w.blocks, w.positions
    if interest is None:
        return [r for inst, b in blocks for r in _resources(inst, b)]
    index = {f"{inst.prefix}{b.labels[0]}.{b.labels[1]}": i for i, (inst, b) in enumerate(blocks)}
    done: dict[int, list[Resource]] = {}
    # (a resource holding a VPN configuration it runs is a link's end too: `inputs.embedded`)
    todo = [i for i, (_inst, b) in enumerate(blocks) if b.labels[0] in interest.types or b.configs or b.templates]
    todo.reverse()
    while todo:
        i = todo.pop()
        if i in done:
            continue
        done[i] = _resources(*blocks[i])
        for r in done[i]:
            for address in sorted(_refs(r.attrs)):
                j = _block_of(address, index)
                if j is None and w.skipped:
                    j = _lazy_block(address, root, w, index)
                if j is not None and j not in done:
                    todo.append(j)
    return [r for i in sorted(done, key=positions.__getitem__) for r in done[i]]


def _lazy_block(address: str, root: ModuleInstance, w: _Walk, index: dict[str, int]) -> int | None:
    """The block of a resource in a module instance the walk skipped and evaluation created since.

    Instances are searched by address prefix through the children already created (evaluating a module
    output creates them; an address in a `Ref` always comes from an existing instance). The block gets
    the position the full walk would have given it.
    """
    stack: list[tuple[ModuleInstance, Position]] = [(root, ())]
    while stack:
        inst, pos = stack.pop()
        names = list(inst.config.module_calls)
        for name, kids in inst._children.items():
            if not isinstance(kids, tuple) or name not in inst.config.module_calls:
                continue
            for k, (_key, child) in enumerate(kids[1]):
                if not address.startswith(child.prefix):
                    continue
                child_pos = pos + (1, names.index(name), k)
                rest = address[len(child.prefix):]
                local = {f"{b.labels[0]}.{b.labels[1]}": i for i, b in enumerate(child.config.resources)}
                i = _block_of(rest, local)
                if i is not None:
                    block = child.config.resources[i]
                    j = len(w.blocks)
                    w.blocks.append((child, block))
                    w.positions.append(child_pos + (0, i))
                    index[f"{child.prefix}{block.labels[0]}.{block.labels[1]}"] = j
                    return j
                stack.append((child, child_pos))
    return None


def _refs(value: Any, out: set[str] | None = None) -> set[str]:
    """The addresses of every `Ref` inside an evaluated value."""
    out = set() if out is None else out
    if isinstance(value, Ref):
        out.add(value.address)
    elif isinstance(value, dict):
        for v in value.values():
            _refs(v, out)
    elif isinstance(value, list):
        for v in value:
            _refs(v, out)
    return out


def _block_of(address: str, index: dict[str, int]) -> int | None:
    """The resource block an instance address (`module.a["x"].aws_vpn_gateway.g[0]`) belongs to."""
    while address not in index:
        if not address.endswith("]") or "[" not in address:
            return None
        address = address[: address.rfind("[")]
    return index[address]


def _resources(inst: ModuleInstance, block: Block) -> list[Resource]:
    """The instances of one resource block; an internal error costs this resource, reported at its file and line."""
    try:
        return _evaluate(inst, block)
    except Exception as e:  # noqa: BLE001 - contain a surprise to this resource
        inst.state.error(_internal(block.path, block.location.start_line, f"{inst.prefix}{'.'.join(block.labels)}",
                                   "resource", e))
        return []


def _evaluate(inst: ModuleInstance, block: Block) -> list[Resource]:
    rtype, rname = block.labels
    exp = inst.expansion(block)
    base_notes = list(inst.notes) + ([exp.note] if exp.note else [])
    provider = inst.resource_provider(block)
    attr_locations = {k: a.location for k, a in block.attrs.items()}
    out = []
    for key, bindings in exp.items:
        scope = inst.scope.with_(**bindings) if bindings else inst.scope
        notes = list(base_notes)
        attrs = plain(eval_body(inst, block, scope, notes, top=True))
        out.append(Resource(
            source="terraform",
            type=rtype,
            name=rname,
            address=f"{inst.prefix}{rtype}.{rname}{key_suffix(key)}",
            attrs=attrs,
            location=block.location,
            provider=provider,
            related=list(inst.related),
            notes=list(dict.fromkeys(notes)),
            attr_locations=dict(attr_locations),
            embedded=block.configs + block.templates,
        ))
    return out


def _unreported(errors: list[ScanError], ctx: ScanContext) -> list[ScanError]:
    """A file shared by several units (a module called twice) reports its errors once per scan."""
    seen = ctx.cache.setdefault("terraform:reported-errors", set())
    out = []
    for e in errors:
        k = (e.path, e.line, e.message)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out
