"""The module tree: module directories, their instances, and the names an expression can refer to.

A `ModuleConfig` is one directory's blocks; a `ModuleInstance` is that directory called from a
place with given inputs and providers (`module.net["a"]`). Everything an instance knows is
evaluated lazily and memoised, with cycle guards, so references between locals, resources and
module outputs resolve in dependency order without building a graph first.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xborder import lazy
from xborder.inputs import reading
from xborder.inputs.terraform import goversion
from xborder.inputs.terraform.calltext import GUESSED, check
from xborder.inputs.terraform.expressions import (
    TOO_DEEP,
    Evaluator,
    LazyObject,
    PlainView,
    Scope,
    get_index,
    object_entries,
    plain,
    too_deep,
)
from xborder.inputs.terraform.paths import absolute, is_local_source, join_rel, relpath
from xborder.inputs.terraform.syntax import (
    MAX_FILE_SIZE,
    MAX_HCL_SOURCE_BYTES,
    Attribute,
    Block,
    ParsedFile,
    is_override_file,
    is_tf_file,
    is_tofu_file,
    parse_expression_text,
    parse_file,
    traversal_map,
    traversal_text,
)
from xborder.inputs.terraform.types import Unsuitable, check_entries, convert, convert_entry, entry_spec, parse_type
from xborder.inputs.terraform.values import (
    EvalError,
    deep_unknown,
    Lazy,
    TSet,
    make_set,
    to_number,
    to_str,
    unknown_of,
)
from xborder.model import Link, Location, ProviderConfig, Ref, ScanError, Unknown

json = lazy.module("json")  # for modules.json and a few values: a `.tf` run seldom needs it

if TYPE_CHECKING:
    from xborder.context import ScanContext

META_ARGS = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "precondition", "postcondition"})
MAX_INSTANCES = 256  # per count/for_each; more would only repeat the same analysis
MAX_MODULE_DEPTH = 16
_INIT_REMEDY = ("run `terraform init -backend=false` (or `terraform get`) in the root module before scanning, "
                "or scan a `terraform show -json` plan")
# Parsing costs 70-180 bytes of memory per source byte (tree-sitter, long literals; jsonpos for .tf.json):
# bound one directory, whose files' trees are all alive while it is evaluated. The largest module
# directory in the real-code corpora holds 574 KB of HCL.
MAX_MODULE_SOURCE_BYTES = 12 * 1024 * 1024
MAX_MODULE_HCL_BYTES = 4 * 1024 * 1024


def _short(text: str, limit: int = 120) -> str:
    """A value quoted in a message, cut so a 300-character source does not flood the report."""
    return text if len(text) <= limit else text[:limit] + "..."


# ---------------------------------------------------------------------------------------------
# static configuration of one directory


@dataclass(eq=False)
class ModuleConfig:
    """The parsed files of one module directory, indexed by block kind and name, as Terraform merges them."""

    dir_abs: Path
    dir_rel: str
    files: list[ParsedFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    resources: list[Block] = field(default_factory=list)
    resource_index: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    module_calls: dict[str, Block] = field(default_factory=dict)
    provider_blocks: dict[str, Block] = field(default_factory=dict)  # "aws" / "aws.hk"
    required_providers: dict[str, str] = field(default_factory=dict)  # local name -> source
    resource_types: set[str] = field(default_factory=set)
    errors: list[ScanError] = field(default_factory=list)


# Which files of a directory a load reads. "terraform": `.tf`/`.tf.json` (Terraform ignores `.tofu`);
# "tofu": what OpenTofu reads (`.tofu`/`.tofu.json` too, and `x.tofu` replaces `x.tf`, `x.tofu.json`
# replaces `x.tf.json`); "all": both (claims, root detection and text pre-checks, which must see either).
# A unit sets it for its whole load (`loader.OpenTofuUnit`); `tofu_seen` records that a listed directory
# held OpenTofu files, so a view that differs from Terraform's is known.
VIEW: ContextVar[str] = ContextVar("xborder_terraform_view", default="terraform")
TOFU_SEEN: ContextVar[list[bool] | None] = ContextVar("xborder_tofu_seen", default=None)


@contextmanager
def view(name: str) -> Iterator[list[bool]]:
    """Load with the files `name` selects; the yielded list is non-empty once a directory held `.tofu` files."""
    seen: list[bool] = []
    t1, t2 = VIEW.set(name), TOFU_SEEN.set(seen)
    try:
        yield seen
    finally:
        VIEW.reset(t1)
        TOFU_SEEN.reset(t2)


def has_tofu_files(dir_abs: Path) -> bool:
    """Whether a directory holds `.tofu`/`.tofu.json` files (OpenTofu's view of it differs from Terraform's)."""
    entries = _tf_entries(dir_abs)
    return not isinstance(entries, OSError) and any(is_tofu_file(n) for n, _d in entries)


def _in_view(entries: list[tuple[str, bool]], name: str) -> list[tuple[str, bool]]:
    """The entries a view reads (see `VIEW`)."""
    if name == "all":
        return entries
    if not any(is_tofu_file(n) for n, _d in entries):
        return entries
    seen = TOFU_SEEN.get()
    if seen is not None and not seen:
        seen.append(True)
    if name == "terraform":
        return [(n, d) for n, d in entries if not is_tofu_file(n)]
    names = {n for n, _d in entries}
    return [(n, d) for n, d in entries
            if not (n.endswith(".tf") and n[:-3] + ".tofu" in names)
            and not (n.endswith(".tf.json") and n[:-8] + ".tofu.json" in names)]


def list_module_files(dir_abs: Path, dir_rel: str, which: str | None = None) -> tuple[list[tuple[Path, str]], list[ScanError]]:
    """The configuration files of a directory that view `which` (default: the current `VIEW`) reads, sorted;
    directories with such names are errors."""
    entries = _tf_entries(dir_abs)
    if isinstance(entries, OSError):
        return [], [ScanError(dir_rel or ".", 1, f"cannot list module directory: {entries.strerror or entries}")]
    out: list[tuple[Path, str]] = []
    errors: list[ScanError] = []
    memo = reading.current_scope().listings
    # the (path, relative name) pairs of a directory without OpenTofu files or directories named like
    # configuration files are the same for every view: built once (a `Path` per file was a cost of its own)
    plain = memo is not None and not any(d or is_tofu_file(n) for n, d in entries)
    key = (os.fspath(dir_abs), dir_rel)
    if plain:
        hit = memo.get(key)  # type: ignore[union-attr]
        if hit is not None:
            return list(hit), errors
        # every view reads every entry: one `Path` per file for the scan, whatever name the directory is shown by
        # (root detection and module calls ask with "", the load with the directory's relative name)
        paths = memo.get((key[0], None))  # type: ignore[union-attr]
        if paths is None:
            paths = tuple(dir_abs / n for n, _d in entries)
            if len(memo) < 100_000:  # type: ignore[arg-type]
                memo[(key[0], None)] = paths  # type: ignore[index]
        out = [(p, join_rel(dir_rel, n)) for p, (n, _d) in zip(paths, entries)]
        if len(memo) < 100_000:  # type: ignore[arg-type]
            memo[key] = tuple(out)  # type: ignore[index]
        return out, errors
    for n, is_dir in _in_view(entries, which or VIEW.get()):
        if is_dir:
            errors.append(ScanError(join_rel(dir_rel, n), 1, "is a directory, not a Terraform file; skipped"))
            continue
        out.append((dir_abs / n, join_rel(dir_rel, n)))
    return out, errors


def _tf_entries(dir_abs: Path) -> list[tuple[str, bool]] | OSError:
    """(name, is a directory) of the Terraform-named entries of a directory, sorted, listed once per scan
    (a directory is listed by root detection, the quick check, loading and every module call to it)."""
    memo = reading.current_scope().listings
    key = os.fspath(dir_abs)
    hit = memo.get(key) if memo is not None else None
    if hit is not None:
        return hit
    try:
        names = sorted(reading.list_names(key))
    except OSError as e:
        return e
    entries = [(n, os.path.isdir(f"{key}/{n}")) for n in names if is_tf_file(n)]
    if memo is not None and len(memo) < 100_000:
        memo[key] = entries
    return entries


TOFU_KEY = "\0tofu"  # suffix of the memo key of a directory's OpenTofu view, when it differs


def load_config(dir_abs: Path, ctx: ScanContext) -> ModuleConfig:
    """Parse a module directory as the current `VIEW` reads it (memoised per scan)."""
    key = f"terraform:module:{dir_abs}"
    if VIEW.get() != "terraform" and has_tofu_files(dir_abs):
        key += TOFU_KEY
    hit = ctx.cache.get(key)
    if hit is not None:
        return hit
    dir_rel = relpath(Path(ctx.root), dir_abs)
    dir_rel = "" if dir_rel == "." else dir_rel
    cfg = ModuleConfig(dir_abs, dir_rel)
    files, errs = list_module_files(dir_abs, dir_rel)
    cfg.errors.extend(errs)
    primary: list[Block] = []
    overrides: list[Block] = []
    used = hcl_used = 0
    guessed = ctx.cache.get(GUESSED)
    for p, rel in files:
        try:
            size = os.stat(p).st_size
        except OSError:
            size = 0  # parse_file reports it
        native = not rel.endswith(".json")
        if native and size > MAX_HCL_SOURCE_BYTES:
            size = 0  # refused by parse_file before the parser: it costs this directory nothing
        if used + size > MAX_MODULE_SOURCE_BYTES and size <= MAX_FILE_SIZE:
            cfg.errors.append(ScanError(rel, 1, f"the Terraform files of this module directory exceed {MAX_MODULE_SOURCE_BYTES // (1024 * 1024)} MB together; this file is not read"))
            continue
        if native and hcl_used + size > MAX_MODULE_HCL_BYTES:
            cfg.errors.append(ScanError(rel, 1, f"the HCL files of this module directory exceed {MAX_MODULE_HCL_BYTES // (1024 * 1024)} MB "
                                                "together (their parser needs up to 170 bytes of memory per byte); this file is not read"))
            continue
        hcl_used += size if native else 0
        used += min(size, MAX_FILE_SIZE)
        pf = parse_file(p, rel, ctx.cache)
        if guessed:
            check(ctx, p, pf.blocks)  # root detection read this file's calls from its text: compare
        cfg.files.append(pf)
        cfg.errors.extend(pf.errors)
        (overrides if is_override_file(p.name) else primary).extend(pf.blocks)
    for b in primary:
        _index_block(cfg, b)
    for b in overrides:
        _apply_override(cfg, b)
    ctx.cache[key] = cfg
    return cfg


def _index_block(cfg: ModuleConfig, b: Block) -> None:
    t, labels = b.type, b.labels
    if t == "resource" and len(labels) == 2:
        _unique(cfg, cfg.resource_index, (labels[0], labels[1]), b, f'resource "{labels[0]}" "{labels[1]}"')
        cfg.resources.append(b)
        cfg.resource_index[(labels[0], labels[1])] = b
        cfg.resource_types.add(labels[0])
    elif t == "data" and len(labels) == 2:
        _unique(cfg, cfg.data, (labels[0], labels[1]), b, f'data "{labels[0]}" "{labels[1]}"')
        cfg.data[(labels[0], labels[1])] = b
    elif t == "variable" and len(labels) == 1:
        _unique(cfg, cfg.variables, labels[0], b, f'variable "{labels[0]}"')
        cfg.variables[labels[0]] = b
    elif t == "output" and len(labels) == 1:
        _unique(cfg, cfg.outputs, labels[0], b, f'output "{labels[0]}"')
        cfg.outputs[labels[0]] = b
    elif t == "locals":
        for name, attr in b.attrs.items():
            _unique(cfg, cfg.locals, name, attr, f"local value {name}")
        cfg.locals.update(b.attrs)
    elif t == "module" and len(labels) == 1:
        _unique(cfg, cfg.module_calls, labels[0], b, f'module "{labels[0]}"')
        cfg.module_calls[labels[0]] = b
    elif t == "provider" and len(labels) == 1:
        key = _provider_key(b)
        _unique(cfg, cfg.provider_blocks, key, b, f'provider configuration "{key}"')
        cfg.provider_blocks[key] = b
    elif t == "terraform":
        cfg.required_providers.update(_required_providers(b))


def _unique(cfg: ModuleConfig, seen: dict[Any, Any], key: Any, item: Block | Attribute, what: str) -> None:
    """An error for a second definition of a name: Terraform refuses such a module, and reading one of the two
    silently (the later one, as the index keeps it) could hide a link that the other one makes."""
    first = seen.get(key)
    if first is None:
        return
    at = first.location
    here = item.location
    cfg.errors.append(ScanError(here.path, here.start_line,
                                f"duplicate {what}: already defined at {at.path}:{at.start_line}; Terraform refuses a "
                                "module that defines a name twice, and xborder reads only this later definition"))


def _required_providers(b: Block) -> dict[str, str]:
    """Local provider name -> source address ("" when not a literal) from a `terraform` block."""
    out: dict[str, str] = {}
    for rb in b.blocks:
        if rb.type != "required_providers":
            continue
        for local, attr in rb.attrs.items():
            v = Evaluator().evaluate(attr.expr, Scope())
            src = v.get("source") if isinstance(v, dict) else v if isinstance(v, str) else None
            out[local] = src if isinstance(src, str) else ""
    return out


def _provider_key(b: Block) -> str:
    """The provider configuration a provider block defines: "aws", or "aws.hk" with an alias."""
    alias_attr = b.attrs.get("alias")
    alias = None
    if alias_attr is not None:
        v = Evaluator().evaluate(alias_attr.expr, Scope())
        alias = v if isinstance(v, str) else traversal_text(alias_attr.expr)
    return f"{b.labels[0]}.{alias}" if alias else b.labels[0]


def _override_name(ob: Block) -> str:
    if ob.type == "provider" and len(ob.labels) == 1 and _provider_key(ob) != ob.labels[0]:
        return f'{ob.labels[0]} (alias "{_provider_key(ob).partition(".")[2]}")'
    return " ".join(ob.labels)


def _apply_override(cfg: ModuleConfig, ob: Block) -> None:
    """Merge an override-file block into the block it overrides (Terraform's override files)."""
    target: Block | None = None
    if ob.type == "resource" and len(ob.labels) == 2:
        target = cfg.resource_index.get((ob.labels[0], ob.labels[1]))
    elif ob.type == "data" and len(ob.labels) == 2:
        target = cfg.data.get((ob.labels[0], ob.labels[1]))
    elif ob.type in ("variable", "output", "module") and len(ob.labels) == 1:
        target = {"variable": cfg.variables, "output": cfg.outputs, "module": cfg.module_calls}[ob.type].get(ob.labels[0])
    elif ob.type == "provider" and len(ob.labels) == 1:
        # Matched by alias like Terraform. An absent default (unaliased) configuration is an empty one,
        # so an override of it is simply the configuration; an aliased one must exist (alias typos).
        key = _provider_key(ob)
        target = cfg.provider_blocks.get(key)
        if target is None and key == ob.labels[0]:
            cfg.provider_blocks[key] = ob
            return
    elif ob.type == "locals":
        # Terraform: "Missing base local value definition to override"; the base value stays in use.
        for name, attr in ob.attrs.items():
            if name in cfg.locals:
                cfg.locals[name] = attr
            else:
                cfg.errors.append(ScanError(ob.path, attr.location.start_line,
                                            f"override local value {name} has no base definition to override"))
        return
    elif ob.type == "terraform":
        # required_providers merges entry by entry, like Terraform's override files.
        cfg.required_providers.update(_required_providers(ob))
        return
    if target is None:
        cfg.errors.append(ScanError(ob.path, ob.location.start_line,
                                    f"override block {ob.type} {_override_name(ob)} has no block to override"))
        return
    target.attrs.update(ob.attrs)
    types = {b.type for b in ob.blocks}
    target.blocks = [b for b in target.blocks if b.type not in types] + list(ob.blocks)
    if target.configs or target.templates or ob.configs or ob.templates:  # VPN configurations in its strings
        gone = set(ob.attrs) | types  # what the override replaces: its configurations are the override's
        target.configs = tuple(c for c in target.configs if c.argument not in gone) + ob.configs
        target.templates = tuple(t for t in target.templates if t.name not in gone) + ob.templates


# ---------------------------------------------------------------------------------------------
# lazy reference values


class VarNS(Lazy):
    def __init__(self, inst: ModuleInstance) -> None:
        self.inst = inst

    def get_attr(self, name: str) -> Any:
        return self.inst.var(name)


class CheckedVarNS(VarNS):
    """`var` while the validation of one root variable is checked: that variable is the value being checked (it
    is not read yet), the others as the module reads them."""

    def __init__(self, inst: ModuleInstance, name: str, value: Any) -> None:
        super().__init__(inst)
        self.name, self.value = name, value

    def get_attr(self, name: str) -> Any:
        return self.value if name == self.name else self.inst.var(name)


class RootVarNS(VarNS):
    """`var` of a root module: `var.sites["a"]` of a large literal map converts only that entry (MapEntries)."""

    def member(self, name: str) -> Any:
        return self.inst.var_to_index(name)


class MapEntries(Lazy):
    """A root variable's large map that is only indexed (`var.sites["a"]`): each entry is converted to the
    element type when read (`types.convert_entry`), as the whole map's conversion would hold it; converting the
    others could not raise (`RootValues.settled`), so nothing is lost by not doing it. Any other key, or any other
    use of the variable, takes the whole converted map (`var`)."""

    def __init__(self, inst: ModuleInstance, name: str, raw: dict[str, Any], elem: Any) -> None:
        self.inst, self.name, self.raw, self.elem = inst, name, raw, elem
        self.done: dict[str, Any] = {}

    def index(self, key: Any) -> Any:
        if type(key) is str and key in self.raw:
            hit = self.done.get(key, _NOT_SET)
            if hit is _NOT_SET:
                try:
                    hit = self.done[key] = convert_entry(self.raw[key], self.elem)
                except Unsuitable:  # the whole value is refused (an instance whose values were not checked first)
                    return get_index(self.inst.var(self.name), key)
            return hit
        return get_index(self.inst.var(self.name), key)

    def get_attr(self, name: str) -> Any:
        return get_index(self.inst.var(self.name), name)  # not reached: only `index` follows `member`


class LocalNS(VarNS):
    def get_attr(self, name: str) -> Any:
        return self.inst.local(name)


class ModuleNS(VarNS):
    def get_attr(self, name: str) -> Any:
        return self.inst.module_value(name)


class DataNS(Lazy):
    def __init__(self, prefix: str = "data") -> None:
        self.prefix = prefix

    def get_attr(self, name: str) -> Any:
        if self.prefix == "data":
            return DataNS(f"data.{name}")
        return Unknown(f"data source {self.prefix}.{name} is read at plan time")


class ResourceTypeNS(Lazy):
    def __init__(self, inst: ModuleInstance, rtype: str) -> None:
        self.inst, self.rtype = inst, rtype

    def get_attr(self, name: str) -> Any:
        block = self.inst.config.resource_index.get((self.rtype, name))
        if block is None:
            raise EvalError(f"reference to undeclared resource {self.rtype}.{name}")
        return ResourceValue(self.inst, block)


class ResourceRootNS(Lazy):
    def __init__(self, inst: ModuleInstance) -> None:
        self.inst = inst

    def get_attr(self, name: str) -> Any:
        if name not in self.inst.config.resource_types:
            raise EvalError(f"reference to undeclared resource type resource.{name}")
        return ResourceTypeNS(self.inst, name)


class ResourceValue(Lazy):
    """A resource as an expression sees it: one instance, or a list/map of them."""

    def __init__(self, inst: ModuleInstance, block: Block) -> None:
        self.inst, self.block = inst, block
        self.address = inst.prefix + f"{block.labels[0]}.{block.labels[1]}"

    def _exp(self) -> Expansion:
        return self.inst.expansion(self.block)

    def get_attr(self, name: str) -> Any:
        exp = self._exp()
        if exp.mode in ("single", "unknown"):
            return ResourceInstance(self.inst, self.block, None, exp).get_attr(name)
        return Ref(self.address, name)  # Terraform needs an index here; stay lenient

    def index(self, key: Any) -> Any:
        exp = self._exp()
        if exp.mode == "single":
            raise EvalError(f"{self.address} has no count or for_each and cannot be indexed")
        if exp.mode == "unknown":
            return ResourceInstance(self.inst, self.block, key, exp)
        for k, _b in exp.items:
            if (exp.mode == "count" and isinstance(key, (int, float)) and k == key) or \
               (exp.mode == "count" and isinstance(key, str) and str(k) == key) or (exp.mode == "for_each" and k == str(key)):
                return ResourceInstance(self.inst, self.block, k, exp)
        raise EvalError(f"{self.address} has no instance [{key!r}]")

    def splat(self) -> Any:
        exp = self._exp()
        if exp.mode == "unknown":
            return Unknown(f"the instances of {self.address} are unknown ({exp.reason})")
        if exp.mode == "single":
            return [ResourceInstance(self.inst, self.block, None, exp)]
        return [ResourceInstance(self.inst, self.block, k, exp) for k, _ in exp.items]

    def final(self) -> Any:
        exp = self._exp()
        if exp.mode == "single":
            return Ref(self.address, "")
        if exp.mode == "for_each":
            return {k: ResourceInstance(self.inst, self.block, k, exp) for k, _ in exp.items}
        if exp.mode == "count":
            return [ResourceInstance(self.inst, self.block, k, exp) for k, _ in exp.items]
        return Unknown(f"{self.address} is a collection of resource instances known after apply")


def _instances_of(value: Any) -> Expansion | None:
    """`for_each` over another resource that has a known `for_each`: the same keys, each.value the instance."""
    if not isinstance(value, ResourceValue):
        return None
    inner = value._exp()
    if inner.mode != "for_each":
        return None
    items = [(k, {"each": {"key": k, "value": ResourceInstance(value.inst, value.block, k, inner)}}) for k, _ in inner.items]
    return Expansion("for_each", items, note=inner.note)


class ResourceInstance(Lazy):
    def __init__(self, inst: ModuleInstance, block: Block, key: Any, exp: Expansion) -> None:
        self.inst, self.block, self.key, self.exp = inst, block, key, exp
        self.address = inst.prefix + f"{block.labels[0]}.{block.labels[1]}" + key_suffix(key)

    def get_attr(self, name: str) -> Any:
        v = self.inst.resource_attr(self.block, self.key, self.exp, name)
        if v is _NOT_SET:
            return Ref(self.address, name)
        return v

    def final(self) -> Any:
        return Ref(self.address, "")


class ModuleInstanceValue(Lazy):
    def __init__(self, inst: ModuleInstance) -> None:
        self.inst = inst

    def get_attr(self, name: str) -> Any:
        return self.inst.output(name)

    def final(self) -> Any:
        return {n: plain(self.inst.output(n)) for n in self.inst.config.outputs}


class ModuleCollection(Lazy):
    def __init__(self, name: str, children: list[tuple[Any, ModuleInstance]], mode: str) -> None:
        self.name, self.children, self.mode = name, children, mode

    def index(self, key: Any) -> Any:
        for k, child in self.children:
            if k == key or str(k) == str(key):
                return ModuleInstanceValue(child)
        raise EvalError(f"module.{self.name} has no instance [{key!r}]")

    def get_attr(self, name: str) -> Any:
        if self.mode == "for_each":
            return self.index(name)
        raise EvalError(f"module.{self.name} has count; use an index")

    def splat(self) -> Any:
        return [ModuleInstanceValue(c) for _, c in self.children]

    def final(self) -> Any:
        vals = [plain(ModuleInstanceValue(c)) for _, c in self.children]
        if self.mode == "for_each":
            return {str(k): v for (k, _), v in zip(self.children, vals)}
        return vals

    def for_pairs(self) -> list[tuple[Any, Any]] | None:
        """The (key, element) pairs a `for` over `final()` iterates, each element a `ModuleElement` that
        evaluates only the outputs read; None when `final()` would raise (an output without a value)."""
        if any("value" not in b.attrs for _, c in self.children for b in c.config.outputs.values()):
            return None
        if self.mode == "for_each":
            keyed = {str(k): ModuleElement(c) for k, c in self.children}
            return sorted(keyed.items(), key=lambda kv: kv[0])
        return list(enumerate(ModuleElement(c) for _, c in self.children))


class ModuleElement(PlainView):
    """One instance of a module collection as a `for` over the collection sees it: the object of its
    outputs, each read as `ModuleCollection.final()` gives it (`plain` twice, nested two levels)."""

    def __init__(self, inst: ModuleInstance) -> None:
        self.inst = inst
        self._final: Any = None

    def get_attr(self, name: str) -> Any:
        return self._output(name, f'object has no attribute "{name}"')

    def index(self, key: Any) -> Any:
        if type(key) is not str:
            return get_index(self.final(), key)
        return self._output(key, f'the map has no key "{key}"')

    def _output(self, name: str, missing: str) -> Any:
        if name not in self.inst.config.outputs:
            raise EvalError(missing)
        return plain(plain(self.inst.output(name)), 2)

    def splat(self) -> Any:
        return [self.final()]

    def final(self) -> Any:
        if self._final is None:
            self._final = plain(ModuleInstanceValue(self.inst))
        return self._final


_NOT_SET = object()


FOR_EACH_KIND = "for_each must be a map or a set of strings: Terraform rejects this configuration"


def key_suffix(key: Any) -> str:
    if key is None:
        return ""
    if isinstance(key, str):
        return "[" + hcl_quoted(key) + "]"
    return f"[{key}]"


_HCL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def hcl_quoted(s: str) -> str:
    """A string key as Terraform writes it in an instance address (addrs.StringKey, `terraform state list`):
    printable Unicode as it is (`["日本"]`), `${` and `%{` doubled, other characters as \\uXXXX or \\UXXXXXXXX."""
    out = ['"']
    for i, c in enumerate(s):
        e = _HCL_ESCAPES.get(c)
        if e is not None:
            out.append(e)
        elif c in "$%":
            out.append(c + c if s[i + 1 : i + 2] == "{" else c)
        elif c.isprintable():
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


@dataclass
class Expansion:
    """count / for_each of a block: mode single, count, for_each or unknown (analysed once)."""

    mode: str
    items: list[tuple[Any, dict[str, Any]]]  # (instance key, bindings)
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class UnreadModule:
    """A module call whose source could not be read: everything inside it goes unjudged (rule XB002)."""

    address: str  # "module.vpn" or 'module.net["a"].module.vpn'
    source: str
    reason: str  # what is missing
    remedy: str  # how to make it readable
    location: Location  # the module block
    related: tuple[Location, ...] = ()  # the calls that led here


# ---------------------------------------------------------------------------------------------
# the unit-wide state


class LoadState:
    """Shared by every instance of one unit: the evaluator, errors, notes and module sources."""

    def __init__(self, ctx: ScanContext, root_abs: Path) -> None:
        self.ctx = ctx
        self.root_abs = root_abs
        self.ev = Evaluator()
        self.errors: list[ScanError] = []
        self.notes: list[str] = []
        self._seen_errors: set[tuple[str, int, str]] = set()
        self._manifest: dict[str, str] | None = None
        self.installed_from: dict[str, tuple[Any, Any]] = {}  # manifest key -> (Source, Version) as recorded
        self.unread: list[UnreadModule] = []  # module calls whose source is not on disk
        self.embedded: dict[tuple[str, int, str], Link] = {}  # VPN configurations in strings (XB003), once each
        self._entries: dict[int, dict[str, Any] | None] = {}
        self.bad_defaults: dict[int, Unsuitable | None] = {}  # id(variable block) -> its default's unsuitability

    def entries(self, expr: Any) -> dict[str, Any] | None:
        """`object_entries` of a definition (the same for every instance of its directory)."""
        k = id(expr)
        if k not in self._entries:
            self._entries[k] = object_entries(expr)
        return self._entries[k]

    def embedded_in(self, cfg: ModuleConfig) -> None:
        """The XB003 links of the VPN configurations written in strings of a directory's files (each once,
        however many instances the directory has)."""
        for pf in cfg.files:
            for line, address, key, why in pf.embedded:
                if (pf.path, line, address) not in self.embedded:
                    from xborder.inputs import embedded  # noqa: PLC0415 - only where a configuration was found

                    if key.startswith(embedded.BOOT + ":"):
                        self.embedded[(pf.path, line, address)] = embedded.boot_link(
                            pf.path, line, address, int(key.rpartition(":")[2]), "a Terraform string", "terraform")
                        continue
                    fmt = embedded.format_of(key)
                    self.embedded[(pf.path, line, address)] = embedded.link(pf.path, line, address, fmt,
                                                                             "a Terraform string", "terraform", why)

    def error(self, e: ScanError) -> None:
        k = (e.path, e.line, e.message)
        if k not in self._seen_errors:
            self._seen_errors.add(k)
            self.errors.append(e)

    def note(self, n: str) -> None:
        if n not in self.notes:
            self.notes.append(n)

    def manifest(self) -> dict[str, str]:
        """Key -> directory from `.terraform/modules/modules.json` (written by terraform init); the source each
        was installed from is kept in `installed_from`."""
        if self._manifest is None:
            self._manifest = {}
            p = self.root_abs / ".terraform" / "modules" / "modules.json"
            if os.path.lexists(p):
                try:
                    data = json.loads(reading.read_bytes(p).decode("utf-8"))
                    for m in data.get("Modules") or []:
                        if isinstance(m, dict) and isinstance(m.get("Key"), str) and isinstance(m.get("Dir"), str):
                            self._manifest[m["Key"]] = m["Dir"]
                            self.installed_from[m["Key"]] = m.get("Source"), m.get("Version")
                except (OSError, ValueError, AttributeError, RecursionError) as e:
                    rel = join_rel(relpath(Path(self.ctx.root), self.root_abs), ".terraform/modules/modules.json")
                    why = e.strerror if isinstance(e, OSError) and e.strerror else f"{type(e).__name__}: {e}"
                    self.error(ScanError(rel, 1, f"cannot read the module manifest: {why}"))
        return self._manifest


def literal_source(call: Block) -> str | None:
    """A module call's `source` when it is a literal string (as `_make_children` evaluates it), else None."""
    src_attr = call.attrs.get("source")
    # a fresh evaluator: the unit's one counts outermost evaluations, which must not move
    source = Evaluator().evaluate(src_attr.expr, Scope()) if src_attr is not None else None
    return source if isinstance(source, str) else None


def version_refused(call: Block, recorded: tuple[Any, Any] | None) -> str:
    """Why Terraform refuses the module `.terraform/modules/modules.json` records for a call with a `version`
    constraint ("Module version requirements have changed": the recorded version does not meet it, or there is
    none; "Invalid version constraint"), as its configuration loader checks it (hashicorp/go-version: `goversion`);
    "" when it does not, when the call has no constraint or the manifest no entry for it."""
    attr = call.attrs.get("version")
    if attr is None or recorded is None:
        return ""
    value = Evaluator().evaluate(attr.expr, Scope())  # a fresh evaluator, as literal_source
    if value is None:
        return ""  # Terraform: a null constraint is no constraint
    if isinstance(value, (bool, int, float)):
        value = to_str(value)
    if not isinstance(value, str):
        return 'its version is not a constant string (Terraform: "Invalid version constraint")'
    constraints = goversion.parse_constraints(value)
    if constraints is None:
        return f'its version constraint "{_short(value)}" is not one Terraform reads (Terraform: "Invalid version constraint")'
    have = recorded[1]
    if not isinstance(have, str) or not have:
        return (f'.terraform/modules/modules.json holds it without a version, and its version constraint is "{_short(value)}" '
                '(Terraform: "Module version requirements have changed")')
    v = goversion.parse_version(have)
    if v is None or not goversion.allows(constraints, v):
        return (f'.terraform/modules/modules.json holds version {_short(have)} of it, which its version constraint "{_short(value)}" '
                'does not allow (Terraform: "Module version requirements have changed")')
    return ""


_FORCED_GETTER = lazy.regex(r"^[a-z0-9]+::")
_URL_SCHEME = lazy.regex(r"^[a-z][a-z0-9+.-]*://")
_SCP_LIKE = lazy.regex(r"^([a-z0-9._-]+@)?([a-z0-9.-]+\.[a-z]{2,}):(?!\d+/)")
_DEFAULT_REGISTRIES = ("registry.terraform.io/", "registry.opentofu.org/")


def source_key(source: str) -> str:
    """A module source with the spellings Terraform (and OpenTofu) normalise away made equal: the default
    registry's host, a forced getter (`git::`), the URL scheme, `git@host:` for SSH, `.git`, the `//` of a
    subdirectory, case, the order of query arguments. Two sources with different keys are different modules."""
    s = source.strip().lower()
    s = _SCP_LIKE.sub(r"\2/", _URL_SCHEME.sub("", _FORCED_GETTER.sub("", s)))
    s = re.sub(r"^[a-z0-9._-]+@", "", s)
    for registry in _DEFAULT_REGISTRIES:
        s = s.removeprefix(registry)
    path, _, query = s.partition("?")
    path = path.replace(".git//", "//").removesuffix("/").removesuffix(".git")
    return "/".join(p for p in path.split("/") if p) + ("?" + "&".join(sorted(query.split("&"))) if query else "")


def installed_elsewhere(source: str, recorded: tuple[Any, Any] | None) -> str:
    """The source the manifest says a remote module was installed from, when that is another module than
    `source` (an edited `source` not yet `terraform init`ed, or the other tool's call of the same name in a
    `.tf`/`.tofu` twin directory); "" when they agree or the manifest records no source."""
    if recorded is None or not isinstance(recorded[0], str) or not recorded[0]:
        return ""
    return "" if source_key(recorded[0]) == source_key(source) else recorded[0]


def plain_source_dir(state: LoadState, dir_abs: Path, source: str | None, key_path: str,
                     chain: tuple[Path, ...]) -> Path | None:
    """The directory a module call in `dir_abs` with this literal `source` reads, when
    `ModuleInstance._make_children` would report nothing about the call itself (see `plain_child_dir`);
    `chain`: the directories of the calling instances.

    Mirrors the checks of `_make_children` without their side effects (apart from reading the manifest).
    """
    if source is None:
        return None
    if is_local_source(source):
        child_abs = Path(absolute(dir_abs, source))
    else:
        d = state.manifest().get(key_path)
        if d is None or installed_elsewhere(source, state.installed_from.get(key_path)):
            return None
        child_abs = Path(absolute(state.root_abs, d))
    if not reading.inside(child_abs) or not reading.is_directory(child_abs) or not list_module_files(child_abs, "", "all")[0]:
        return None
    if child_abs in chain or len(chain) > MAX_MODULE_DEPTH:
        return None
    return child_abs


# ---------------------------------------------------------------------------------------------
# module instances


class ModuleInstance:
    """One instance of a module directory, with its inputs, providers and call chain."""

    def __init__(self, state: LoadState, config: ModuleConfig, *, address: str = "", parent: ModuleInstance | None = None,
                 call: Block | None = None, call_scope: Scope | None = None, root_values: dict[str, Any] | None = None,
                 related: list[Location] | None = None, key_path: str = "", dirs: tuple[Path, ...] = ()) -> None:
        self.state = state
        self.config = config
        self.address = address  # "" or 'module.net["a"]'
        self.prefix = f"{address}." if address else ""
        self.parent = parent
        self.call = call
        self.call_scope = call_scope
        self.root_values = root_values or {}
        self.related = related or []
        self.key_path = key_path  # "net.sub": the module path key of modules.json
        self.dirs = dirs + (config.dir_abs,)
        self.notes: list[str] = []  # notes that apply to every resource in this instance
        self._vars: dict[str, Any] = {}  # the variables evaluation read (worlds.of judges only those)
        self._checked: dict[str, Any] = {}  # root variables converted by check_root_values, not read yet
        self._locals: dict[str, Any] = {}
        self._outputs: dict[str, Any] = {}
        self._attrs: dict[tuple[int, Any, str], Any] = {}
        self._expansions: dict[int, Expansion] = {}
        self._children: dict[str, Any] = {}
        self._providers: dict[str, ProviderConfig] = {}
        self._busy: set[Any] = set()
        self._deep: dict[Any, int] = {}
        self._entries: dict[str, MapEntries] = {}  # root variables read entry by entry (var_to_index)
        self.scope = Scope(self.resolve_root)
        self.ev = state.ev

    # ---- names

    def resolve_root(self, name: str) -> Any:
        if name == "var":
            return RootVarNS(self) if self.call is None else VarNS(self)
        if name == "local":
            return LocalNS(self)
        if name == "module":
            return ModuleNS(self)
        if name == "data":
            return DataNS()
        if name == "path":
            root_rel = self._root().config.dir_rel or "."
            return {"module": self.config.dir_rel or ".", "root": root_rel, "cwd": root_rel}
        if name == "terraform":
            return {"workspace": Unknown("terraform.workspace depends on the selected workspace")}
        if name == "self":
            return Unknown("self is only known when the resource is created")
        if name in ("count", "each"):
            raise EvalError(f"{name} can only be used in a block with {'count' if name == 'count' else 'for_each'}")
        if name in self.config.resource_types:
            return ResourceTypeNS(self, name)
        if name == "resource":  # `resource.<type>.<name>` is the long form of `<type>.<name>`
            return ResourceRootNS(self)
        raise EvalError(f'unknown name "{name}"')

    def _root(self) -> ModuleInstance:
        m = self
        while m.parent is not None:
            m = m.parent
        return m

    def _guard(self, key: Any) -> bool:
        if key in self._busy:
            return False
        self._busy.add(key)
        return True

    # ---- variables, locals, outputs

    def var(self, name: str) -> Any:
        if name in self._vars:
            return self._vars[name]
        if name in self._checked:  # converted by check_root_values: read now (see `_vars`)
            v = self._vars[name] = self._checked.pop(name)
            return v
        decl = self.config.variables.get(name)
        if decl is None:
            raise EvalError(f'variable "{name}" is not declared')
        if self._deep.get(("var", name)) == self.ev.generation:
            return TOO_DEEP
        if not self._guard(("var", name)):
            return Unknown(f'variable "{name}" depends on itself')
        try:
            v = self._var_value(name, decl)
        finally:
            self._busy.discard(("var", name))
        if too_deep(v):
            self._deep[("var", name)] = self.ev.generation  # retried from a shallower start later
        else:
            self._vars[name] = v
        return v

    def var_to_index(self, name: str) -> Any:
        """`var.<name>` about to be indexed: a MapEntries for a map from a variables file read by the literal
        reader and checked (RootValues.settled: a file with a large map), declared `map(T)` with T converted per
        entry (types.entry_spec); else the variable's value (`var`)."""
        hit = self._entries.get(name)
        if hit is not None:
            return hit if name not in self._vars else self._vars[name]
        elem = self._entry_elem(name)
        if elem is None or ("var", name) in self._busy or ("var", name) in self._deep:
            return self.var(name)
        hit = self._entries[name] = MapEntries(self, name, self.root_values[name], elem)
        return hit

    def _entry_elem(self, name: str) -> Any:
        """The element type when root variable `name` may be read entry by entry (see var_to_index); else None."""
        raw = self.root_values.get(name)
        if (type(raw) is not dict or self.call is not None or name in self._vars or name in self._checked
                or name not in getattr(self.root_values, "settled", ())):
            return None
        decl = self.config.variables.get(name)
        if decl is not None and any(b.type == "validation" for b in decl.blocks):
            return None  # (its validation reads the whole value)
        t = decl.attrs.get("type") if decl is not None else None
        return entry_spec(parse_type(traversal_text(t.expr))) if t is not None else None

    def check_root_values(self) -> None:
        """Every variable of a root module converted to its type now, whether or not a link reads it: Terraform
        refuses to plan if one value does not convert, so each such value is an error (see `_typed`) and reads
        as Unknown. A large map that may be read entry by entry is checked without being converted."""
        for name, decl in self.config.variables.items():
            elem = self._entry_elem(name)
            if elem is None:
                if name not in self._vars:
                    v = self.var(name)
                    if self._vars.pop(name, _NOT_SET) is not _NOT_SET:
                        self._checked[name] = v  # kept for its first reader, but not counted as read
                continue
            try:
                check_entries(self.root_values[name], elem)
            except Unsuitable as e:
                self.state.error(self._unsuitable(name, decl, None, e))
                self._checked[name] = Unknown(f"var.{name}: Terraform refuses its value ({e})")

    def _var_value(self, name: str, decl: Block) -> Any:
        default = decl.attrs.get("default")
        v: Any = None
        given = False
        source: Attribute | None = None  # where the value is written (None: a root value, see _unsuitable)
        if self.call is None:
            if name in self.root_values:
                v, given = self.root_values[name], True
        else:
            attr = self.call.attrs.get(name)
            if attr is not None:
                # an untyped variable passes on an object read entry by entry (`LazyObject`)
                lazy = "type" not in decl.attrs
                v, given, source = self.ev.evaluate(attr.expr, self.call_scope or Scope(), keep_lazy=lazy), True, attr
        if given and v is None and default is not None and _not_nullable(self, decl):
            given = False  # nullable = false: null means the default
        if not given and default is not None:
            v, given, source = self.ev.evaluate(default.expr, Scope()), True, default
        elif given and default is not None and "type" in decl.attrs:
            bad = self._bad_default(decl, default)  # Terraform checks it even when a value is given
            if bad is not None:
                self.state.error(self._unsuitable(name, decl, default, bad))
                return Unknown(f"var.{name}: Terraform refuses the configuration (its default: {bad})")
        if default is not None and "nullable" in decl.attrs and _not_nullable(self, decl) \
                and self.ev.evaluate(default.expr, Scope()) is None:
            var = f"{self.prefix}var.{name}"
            self.state.error(ScanError(default.location.path, default.location.start_line,
                                       f'invalid default value for variable "{name}": a null default value is not '
                                       f"valid when nullable = false; Terraform refuses to plan, xborder reads {var} "
                                       "as unknown"))
            return Unknown(f"var.{name}: Terraform refuses the configuration (a null default, not nullable)")
        if given and v is None and _not_nullable(self, decl):  # no default: null is refused
            self.state.error(self._refused(name, decl, "required variable may not be set to null", source))
            return Unknown(f"var.{name}: Terraform refuses its value (null, and the variable is not nullable)")
        if given:
            v = self._typed(name, decl, v, source)
            given_value = source is None if self.call is None else source is not None and source is not default
            if given_value and any(b.type == "validation" for b in decl.blocks):  # (a value given, not the default)
                why = self._failed_validation(name, decl, v)
                if why is not None:
                    self.state.error(self._refused(name, decl, why, source))
                    return Unknown(f"var.{name}: Terraform refuses its value ({why})")
            return v
        if self.call is None:
            return Unknown(f'variable "{name}" has no default and no value in tfvars or --var')
        return Unknown(f'variable "{name}" is not set by the call {self.address} and has no default')

    def _typed(self, name: str, decl: Block, v: Any, source: Attribute | None) -> Any:
        """`v` converted to the variable's declared type (optional attributes filled in); a value that does not
        convert is an error where it is written, and the variable is Unknown (Terraform refuses to plan)."""
        t = decl.attrs.get("type")
        if t is None:
            return v
        if type(v) is LazyObject:
            v = v.final()  # converting needs the whole value
        spec = parse_type(traversal_text(t.expr))
        if spec is None or too_deep(v):
            return v

        def default(text: str) -> Any:
            e = parse_expression_text(text, decl.path)
            return self.ev.evaluate(e, Scope()) if e is not None else Unknown(f"cannot read the default {text!r}")

        try:
            return convert(v, spec, default)
        except Unsuitable as e:
            self.state.error(self._unsuitable(name, decl, source, e))
            return Unknown(f"var.{name}: Terraform refuses its value ({e})")

    def _failed_validation(self, name: str, decl: Block, v: Any) -> str | None:
        """Why Terraform refuses variable `name`'s given value `v` (a root variable's from a variables file, --var or
        the environment; a module variable's from the call's argument, per instance) by one of its validation
        blocks: a condition that is false for it ("Invalid value for variable", with the error message) or that
        fails to evaluate. None when every condition holds or is not known (a value not fully known, an unknown
        part of the condition, anything not evaluated exactly): never an error Terraform would not raise."""
        if deep_unknown(v) is not None:
            return None
        ns = CheckedVarNS(self, name, v)
        scope = Scope(lambda n: ns if n == "var" else self.resolve_root(n))
        for b in decl.blocks:
            cond = b.attrs.get("condition") if b.type == "validation" else None
            if cond is None:
                continue
            rule = f"the validation rule at {b.location.path}:{b.location.start_line}"
            failed: list[EvalError] = []

            def run(expr: Any = cond.expr) -> Any:
                try:
                    return self.ev.eval_raw(expr, scope)
                except EvalError as e:
                    failed.append(e)
                    raise

            c = self.ev._guarded(run, 0, -1)
            if failed and unknown_of(c) is not None:
                return f"{rule} fails to evaluate: {failed[0]}"
            c = c.final() if isinstance(c, Lazy) else c
            if unknown_of(c) is not None or isinstance(c, Ref):
                continue
            if c is None:
                return f"{rule} gives null (it must give true or false)"
            if c is False or (isinstance(c, str) and c == "false"):
                msg = b.attrs.get("error_message")
                text = self.ev.evaluate(msg.expr, Scope()) if msg is not None else None
                return f"{rule} does not hold" + (f" ({text})" if isinstance(text, str) else "")
            if c is not True and c != "true":
                return f"{rule} gives {plain(c)!r}, not true or false"
        return None

    def _refused(self, name: str, decl: Block, why: str, source: Attribute | None = None) -> ScanError:
        """The error for variable `name`'s given value that Terraform refuses (`why`), where it is written: the
        module call's argument (`source`), the variables file's line, or the declaration."""
        var = f"{self.prefix}var.{name}"
        tail = f"; Terraform refuses to plan, xborder reads {var} as unknown"
        if source is not None:
            return ScanError(source.location.path, source.location.start_line,
                             f"Invalid value for variable {var}: {why}{tail}")
        at = getattr(self.root_values, "at", {}).get(name)
        if isinstance(at, tuple):
            return ScanError(at[0], at[1], f"Invalid value for variable {var}: {why}{tail}")
        given = f" given by {at}" if isinstance(at, str) else ""
        return ScanError(decl.location.path, decl.location.start_line,
                         f"Invalid value{given} for variable {var}: {why}{tail}")

    def _bad_default(self, decl: Block, default: Attribute) -> Unsuitable | None:
        """Why a typed variable's default does not convert to its type (None: it does, or it is not known),
        worked out once per declaration."""
        k = id(decl)
        if k not in self.state.bad_defaults:
            spec = parse_type(traversal_text(decl.attrs["type"].expr))
            bad = None
            if spec is not None:
                v = self.ev.evaluate(default.expr, Scope())
                if not too_deep(v):
                    try:
                        convert(v, spec, lambda text: Unknown(f"the default {text!r}"))
                    except Unsuitable as e:
                        bad = e
            self.state.bad_defaults[k] = bad
        return self.state.bad_defaults[k]

    def _unsuitable(self, name: str, decl: Block, source: Attribute | None, e: Unsuitable) -> ScanError:
        """The error for a value of variable `name` that does not convert to its type, at the value: the tfvars
        line, the module call's argument or the default; at the declaration for --var and TF_VAR_ values."""
        t = decl.attrs["type"]
        type_text = " ".join(traversal_text(t.expr).split())
        if len(type_text) > 80:
            type_text = type_text[:77] + "..."
        declared = f"{decl.location.path}:{decl.location.start_line}"
        var = f"{self.prefix}var.{name}"
        tail = f"; Terraform refuses to plan, xborder reads {var} as unknown"
        if source is not None and self.call is not None and source is self.call.attrs.get(name):
            return ScanError(source.location.path, source.location.start_line,
                             f"invalid value for input variable {var} (declared at {declared} as {type_text}): {e}{tail}")
        if source is not None:
            return ScanError(source.location.path, source.location.start_line,
                             f"invalid default value for variable \"{name}\" (type {type_text}): {e}{tail}")
        at = getattr(self.root_values, "at", {}).get(name)
        if isinstance(at, tuple):
            return ScanError(at[0], at[1], f"invalid value for input variable {var} (declared at {declared} as "
                                           f"{type_text}): {e}{tail}")
        given = f" given by {at}" if isinstance(at, str) else ""
        return ScanError(decl.location.path, decl.location.start_line,
                         f"invalid value{given} for input variable {var} (type {type_text}): {e}{tail}")

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attr = self.config.locals.get(name)
        if attr is None:
            raise EvalError(f'local value "{name}" is not declared')
        cycle = Unknown(f"local.{name} depends on itself (a cycle of locals)")
        entries = self.state.entries(attr.expr)
        if entries is not None:  # an object constructor: read entry by entry
            self._locals[name] = v = LazyObject(self.ev, attr.expr, self.scope, entries, cycle)
            return v
        if self._deep.get(("local", name)) == self.ev.generation:
            return TOO_DEEP
        if not self._guard(("local", name)):
            return cycle
        try:
            v = self.ev.evaluate(attr.expr, self.scope, keep_lazy=True)
        finally:
            self._busy.discard(("local", name))
        if too_deep(v):
            self._deep[("local", name)] = self.ev.generation  # retried from a shallower start later
        else:
            self._locals[name] = v
        return v

    def output(self, name: str) -> Any:
        if name in self._outputs:
            return self._outputs[name]
        blk = self.config.outputs.get(name)
        if blk is None or "value" not in blk.attrs:
            raise EvalError(f'{self.address or "the module"} has no output "{name}"')
        cycle = Unknown(f"output {name} of {self.address} depends on itself")
        expr = blk.attrs["value"].expr
        entries = self.state.entries(expr)
        if entries is not None:  # an object constructor: read entry by entry
            self._outputs[name] = v = LazyObject(self.ev, expr, self.scope, entries, cycle)
            return v
        if self._deep.get(("output", name)) == self.ev.generation:
            return TOO_DEEP
        if not self._guard(("output", name)):
            return cycle
        try:
            v = self.ev.evaluate(expr, self.scope, keep_lazy=True)
        finally:
            self._busy.discard(("output", name))
        if too_deep(v):
            self._deep[("output", name)] = self.ev.generation  # retried from a shallower start later
        else:
            self._outputs[name] = v
        return v

    # ---- count / for_each

    def expansion(self, block: Block, scope: Scope | None = None) -> Expansion:
        k = id(block)
        if k in self._expansions:
            return self._expansions[k]
        self._expansions[k] = Expansion("unknown", [(None, {})], "count/for_each refers to itself")
        exp = self._expand(block, scope or self.scope)
        self._expansions[k] = exp
        return exp

    def _expand(self, block: Block, scope: Scope) -> Expansion:
        if "count" in block.attrs:
            v = self.ev.evaluate(block.attrs["count"].expr, scope)
            u = unknown_of(v)
            if u is None:
                try:
                    n = to_number(v)
                except EvalError as e:
                    u = Unknown(str(e))
                else:
                    if not isinstance(n, int) or n < 0:
                        u = Unknown(f"count {v!r} is not a whole number")
                    else:
                        note = ""
                        if n > MAX_INSTANCES:
                            note = f"count is {n}; only the first {MAX_INSTANCES} instances were analysed"
                            n = MAX_INSTANCES
                        return Expansion("count", [(i, {"count": {"index": i}}) for i in range(n)], note=note)
            reason = u.reason
            return Expansion("unknown", [(None, {"count": {"index": Unknown(f"count is unknown ({reason})")}})],
                             reason, f"count is unknown ({reason}); analysed once")
        if "for_each" in block.attrs:
            raw = self.ev.evaluate(block.attrs["for_each"].expr, scope)
            chained = _instances_of(raw)
            if chained is not None:  # for_each = aws_customer_gateway.office: one instance per instance
                return chained
            v = plain(raw)
            u = unknown_of(v)
            items: list[tuple[Any, dict[str, Any]]] | None = None
            if u is None:
                if isinstance(v, dict):
                    items = [(k, {"each": {"key": k, "value": x}}) for k, x in sorted(v.items())]
                elif isinstance(v, list):
                    bad = next((x for x in v if unknown_of(x) is not None), None)
                    if bad is not None:
                        u = unknown_of(bad)
                    elif isinstance(v, TSet) and all(isinstance(x, str) for x in v):
                        items = [(k, {"each": {"key": k, "value": k}}) for k in make_set(v)]
                    else:  # a list, a tuple (`for_each = ["a"]`) or a set of numbers: an error in Terraform
                        u = Unknown(FOR_EACH_KIND)
                elif v is None:
                    u = Unknown("for_each is null")
                else:
                    u = Unknown(FOR_EACH_KIND)
            if items is not None:
                note = ""
                if len(items) > MAX_INSTANCES:
                    note = f"for_each has {len(items)} elements; only the first {MAX_INSTANCES} were analysed"
                    items = items[:MAX_INSTANCES]
                return Expansion("for_each", items, note=note)
            reason = u.reason if u is not None else "unknown"
            unk = Unknown(f"for_each is unknown ({reason})")
            return Expansion("unknown", [(None, {"each": {"key": unk, "value": unk}})], reason,
                             f"for_each is unknown ({reason}); analysed once")
        return Expansion("single", [(None, {})])

    def instance_scope(self, exp: Expansion, key: Any) -> Scope:
        if exp.mode == "single":
            return self.scope
        for k, b in exp.items:
            if k == key or exp.mode == "unknown":
                return self.scope.with_(**b)
        return self.scope

    # ---- resources

    def resource_attr(self, block: Block, key: Any, exp: Expansion, name: str) -> Any:
        """A statically set argument (or nested block) of a resource instance, else _NOT_SET."""
        ck = (id(block), key, name)
        if ck in self._attrs:
            return self._attrs[ck]
        attr = block.attrs.get(name)
        nested = [b for b in block.blocks if b.type == name or (b.type == "dynamic" and b.labels[:1] == [name])]
        if name in META_ARGS or (attr is None and not nested):
            return _NOT_SET
        if self._deep.get(("attr",) + ck) == self.ev.generation:
            return TOO_DEEP
        if not self._guard(("attr",) + ck):
            return Unknown(f"{self.prefix}{block.labels[0]}.{block.labels[1]}.{name} depends on itself")
        try:
            scope = self.instance_scope(exp, key)
            if attr is not None:
                v = self.ev.evaluate(attr.expr, scope)
            else:
                v = eval_body(self, Block(block.type, [], {}, nested, block.location, block.path), scope, []).get(name, [])
        finally:
            self._busy.discard(("attr",) + ck)
        if too_deep(v):
            self._deep[("attr",) + ck] = self.ev.generation  # retried from a shallower start later
        else:
            self._attrs[ck] = v
        return v

    # ---- module calls

    def module_value(self, name: str) -> Any:
        call = self.config.module_calls.get(name)
        if call is None:
            raise EvalError(f'module "{name}" is not declared')
        children = self.children(name)
        if isinstance(children, Unknown):
            return children
        exp, kids = children
        if exp.mode in ("single", "unknown"):
            return ModuleInstanceValue(kids[0][1]) if kids else Unknown(f"module.{name} has no instances")
        return ModuleCollection(name, kids, exp.mode)

    def children(self, name: str) -> Any:
        """(expansion, [(key, ModuleInstance)]) for a module call, or Unknown when it cannot be read."""
        if name in self._children:
            return self._children[name]
        self._children[name] = Unknown(f"module.{name} depends on itself")
        self._children[name] = self._make_children(name)
        return self._children[name]

    def plain_child_dir(self, name: str) -> Path | None:
        """The directory module call `name` reads, when expanding it later can report nothing about the call.

        None when the call has no literal source, cannot be read (XB002), holds no Terraform file, or would
        form a cycle or nest too deeply: `children` reports those, so such a call is never skipped.
        """
        key_path = f"{self.key_path}.{name}" if self.key_path else name
        call = self.config.module_calls[name]
        source = literal_source(call)
        if source is not None and not is_local_source(source) and self.state.manifest().get(key_path) is not None \
                and version_refused(call, self.state.installed_from.get(key_path)):
            return None  # XB002 (children reports it)
        return plain_source_dir(self.state, self.config.dir_abs, source, key_path, self.dirs)

    def _make_children(self, name: str) -> Any:
        call = self.config.module_calls[name]
        state = self.state
        src_attr = call.attrs.get("source")
        source = self.ev.evaluate(src_attr.expr, Scope()) if src_attr is not None else None
        line = call.location.start_line
        if not isinstance(source, str):
            state.error(ScanError(call.path, line, f'module "{name}" has no literal source; not analysed'))
            return Unknown(f'module "{name}" has no literal source')
        key_path = f"{self.key_path}.{name}" if self.key_path else name
        if is_local_source(source):
            child_abs = Path(absolute(self.config.dir_abs, source))
            if not reading.inside(child_abs) and os.path.lexists(child_abs):
                return self._unread(call, name, _short(source), "its source leads outside the repository, which xborder never reads",
                                    "keep the module inside the repository, or scan a plan")
            if not reading.is_directory(child_abs):
                return self._unread(call, name, _short(source), f'its source directory "{_short(source)}" does not exist',
                                    "restore the directory or correct `source`")
        else:
            d = state.manifest().get(key_path)
            if d is None:
                return self._unread(call, name, source, "it is not downloaded (no entry in .terraform/modules/modules.json)",
                                    _INIT_REMEDY)
            child_abs = Path(absolute(state.root_abs, d))
            if not reading.inside(child_abs) and os.path.lexists(child_abs):
                return self._unread(call, name, source, ".terraform/modules/modules.json places it outside the repository, which xborder never reads",
                                    _INIT_REMEDY)
            if not reading.is_directory(child_abs):
                return self._unread(call, name, source, f"its downloaded directory {_short(d)} is missing", _INIT_REMEDY)
            other = installed_elsewhere(source, state.installed_from.get(key_path))
            if other:  # Terraform refuses to plan: "Module source has changed"
                return self._unread(call, name, source, f".terraform/modules/modules.json holds it as installed from {other}, "
                                    "another source (Terraform: \"Module source has changed\")", _INIT_REMEDY)
            refused = version_refused(call, state.installed_from.get(key_path))
            if refused:
                return self._unread(call, name, source, refused, _INIT_REMEDY)
        # (the reason is part of the finding's fingerprint: kept as worded before `.tofu` files were read;
        # Terraform reads a directory of only `.tofu` files as an empty module, OpenTofu reads them)
        if not list_module_files(child_abs, "", "all")[0]:
            where = relpath(Path(state.ctx.root), child_abs)
            return self._unread(call, name, source, f"its directory {where} holds no .tf or .tf.json file",
                                "correct `source`, or add the module's files" if source.startswith(".")
                                else _INIT_REMEDY)
        if child_abs in self.dirs:
            chain = " -> ".join(relpath(Path(state.ctx.root), p) for p in self.dirs + (child_abs,))
            state.error(ScanError(call.path, line, f'module "{name}" forms a cycle of module sources ({chain}); not followed'))
            return Unknown(f'module "{name}" forms a cycle of module sources')
        if len(self.dirs) > MAX_MODULE_DEPTH:
            state.error(ScanError(call.path, line, f'module "{name}" is nested more than {MAX_MODULE_DEPTH} levels deep; not followed'))
            return Unknown(f'module "{name}" is nested too deeply')
        cfg = load_config(child_abs, state.ctx)
        for e in cfg.errors:
            state.error(e)
        state.embedded_in(cfg)
        exp = self.expansion(call)
        kids = []
        for k, bindings in exp.items:
            addr = f"{self.prefix}module.{name}{key_suffix(k)}"
            loc = Location(call.location.path, call.location.start_line, call.location.start_col,
                           call.location.end_line, call.location.end_col, f"module call {addr}")
            child = ModuleInstance(state, cfg, address=addr, parent=self, call=call,
                                   call_scope=self.scope.with_(**bindings), related=self.related + [loc],
                                   key_path=key_path, dirs=self.dirs)
            child.notes = list(self.notes)
            if exp.note:
                child.notes.append(f"module.{name}: {exp.note}")
            kids.append((k, child))
        return exp, kids

    def _unread(self, call: Block, name: str, source: str, reason: str, remedy: str) -> Unknown:
        """Record a module call that cannot be read; its outputs become Unknown with the reason."""
        address = f"{self.prefix}module.{name}"
        self.state.unread.append(UnreadModule(address, source, reason, remedy, call.location, tuple(self.related)))
        return Unknown(f'module "{name}" (source {source}) was not read: {reason}')

    def all_children(self) -> list[ModuleInstance]:
        out: list[ModuleInstance] = []
        for name in self.config.module_calls:
            c = self.children(name)
            if isinstance(c, Unknown):
                continue
            out.extend(inst for _, inst in c[1])
        return out

    # ---- providers

    def provider_type(self, local: str) -> str:
        src = self.config.required_providers.get(local)
        return src.rstrip("/").rsplit("/", 1)[-1] if src else local

    def provider(self, key: str) -> ProviderConfig:
        """The provider configuration that `key` ("aws" or "aws.hk") means inside this instance."""
        if key in self._providers:
            return self._providers[key]
        local, _, alias = key.partition(".")
        self._providers[key] = ProviderConfig(self.provider_type(local), alias or None, {}, None,
                                              origin=f'provider "{key}" refers to itself')
        blk = self.config.provider_blocks.get(key)
        pc: ProviderConfig | None = None
        if blk is not None:
            attrs = eval_body(self, blk, self.scope, [])
            attrs.pop("alias", None)
            desc = f'provider "{local}"' + (f' alias "{alias}"' if alias else "")
            pc = ProviderConfig(self.provider_type(local), alias or None, plain(attrs), blk.location,
                                origin=f"{desc} ({blk.path}:{blk.location.start_line})")
        elif self.parent is not None and self.call is not None:
            pmap_attr = self.call.attrs.get("providers")
            pmap = traversal_map(pmap_attr.expr) if pmap_attr is not None else {}
            if key in pmap:
                pc = self.parent.provider(pmap[key])
            elif not alias:
                pc = self.parent.provider(key)  # default providers are inherited implicitly
        if pc is None:
            what = f'no provider "{local}" alias "{alias}" block' if alias else f'no provider "{local}" block'
            pc = ProviderConfig(self.provider_type(local), alias or None, {}, None, origin=what)
        self._providers[key] = pc
        return pc

    def resource_provider(self, block: Block) -> ProviderConfig:
        attr = block.attrs.get("provider")
        key = traversal_text(attr.expr) if attr is not None else ""
        if not key:
            key = block.labels[0].split("_", 1)[0]
        return self.provider(key)


def _not_nullable(inst: ModuleInstance, decl: Block) -> bool:
    attr = decl.attrs.get("nullable")
    return attr is not None and inst.ev.evaluate(attr.expr, Scope()) is False


# ---------------------------------------------------------------------------------------------
# block bodies


def eval_body(inst: ModuleInstance, block: Block, scope: Scope, notes: list[str], top: bool = False) -> dict[str, Any]:
    """Arguments and nested blocks of a body; `dynamic` blocks expanded where for_each is known."""
    out: dict[str, Any] = {}
    for name, attr in block.attrs.items():
        if top and name in META_ARGS:
            continue
        out[name] = inst.ev.evaluate(attr.expr, scope)
    for b in block.blocks:
        if top and b.type in META_BLOCKS:
            continue
        key = b.labels[0] if b.type == "dynamic" and b.labels else b.type
        if key in block.attrs and not isinstance(out.get(key), list) or key in out and not isinstance(out[key], list):
            attr = block.attrs.get(key)
            where = f" (line {attr.location.start_line})" if attr is not None else ""
            inst.state.error(ScanError(b.path, b.location.start_line,
                                       f'"{key}" is set both as an argument{where} and as a nested block in one block: '
                                       "Terraform accepts only one of them; the nested block is analysed"))
            out[key] = []
        if b.type == "dynamic" and b.labels:
            out.setdefault(key, []).extend(_dynamic(inst, b, scope, notes))
        else:
            out.setdefault(key, []).append(eval_body(inst, b, scope, notes))
    return out


def _dynamic(inst: ModuleInstance, b: Block, scope: Scope, notes: list[str]) -> list[dict[str, Any]]:
    label = b.labels[0]
    content = next((c for c in b.blocks if c.type == "content"), None)
    if content is None:
        return []
    it_attr = b.attrs.get("iterator")
    iterator = traversal_text(it_attr.expr) if it_attr is not None else label
    fe = b.attrs.get("for_each")
    v = plain(inst.ev.evaluate(fe.expr, scope)) if fe is not None else Unknown("dynamic block has no for_each")
    u = unknown_of(v)
    if u is None and isinstance(v, dict):
        pairs = sorted(v.items())
    elif u is None and isinstance(v, list):
        pairs = list(enumerate(v))
    else:
        reason = u.reason if u is not None else "for_each must be a collection"
        notes.append(f'dynamic "{label}" for_each is unknown ({reason}); its content was analysed once')
        unk = Unknown(f'dynamic "{label}" for_each is unknown ({reason})')
        pairs = [(unk, unk)]
    out = []
    for k, val in pairs[:MAX_INSTANCES]:
        out.append(eval_body(inst, content, scope.with_(**{iterator: {"key": k, "value": val}}), notes))
    return out
