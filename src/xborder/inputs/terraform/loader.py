"""The Terraform unit: one root module directory, loaded into evaluated `Resource`s.

The whole module tree below the root (local and `terraform init`-downloaded modules) is expanded
here; everything is guarded so a bad file or an internal surprise becomes a `ScanError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xborder.context import ScanContext
from xborder.inputs.terraform.expressions import plain
from xborder.inputs.terraform.modules import (
    LoadState,
    ModuleInstance,
    eval_body,
    key_suffix,
    load_config,
)
from xborder.inputs.terraform.syntax import traversal_text
from xborder.inputs.terraform.variables import root_values
from xborder.model import LoadResult, Resource, ScanError


@dataclass
class TerraformUnit:
    """A root module directory (`name` is its path relative to the scan root, "." for the root)."""

    name: str

    @property
    def dir_rel(self) -> str:
        return "" if self.name == "." else self.name

    def load(self, ctx: ScanContext) -> LoadResult:
        try:
            return _load(self, ctx)
        except Exception as e:  # noqa: BLE001 - never let one module abort the scan
            return LoadResult(errors=[ScanError(self.name, 1, f"internal error while analysing this module: "
                                                              f"{type(e).__name__}: {e}")])
        finally:
            _release(ctx)


def _release(ctx: ScanContext) -> None:
    """Drop the syntax trees of the module directories this unit used.

    Parsed files keep tree-sitter trees, which are large; keeping every tree of a big repository until
    the end of the scan cost ~65 KB per file. A local module shared by several roots is parsed again by
    the next root that calls it, which is cheap by comparison.
    """
    used = [k for k in ctx.cache if k.startswith("terraform:module:")]
    dirs = {k.removeprefix("terraform:module:") for k in used}
    for key in used:
        del ctx.cache[key]
    for key in [k for k in ctx.cache if k.startswith("terraform:parse:")]:
        path = key.removeprefix("terraform:parse:").rsplit(":", 2)[0]
        if os.path.dirname(path) in dirs:
            del ctx.cache[key]


def _load(unit: TerraformUnit, ctx: ScanContext) -> LoadResult:
    root_abs = Path(os.path.normpath(Path(ctx.root) / unit.dir_rel))
    state = LoadState(ctx, root_abs)
    cfg = load_config(root_abs, ctx)
    for e in cfg.errors:
        state.error(e)
    types = {n: (traversal_text(b.attrs["type"].expr) if "type" in b.attrs else None) for n, b in cfg.variables.items()}
    values, _origin, errs = root_values(root_abs, ctx, types, state.ev)
    for e in errs:
        state.error(e)
    root = ModuleInstance(state, cfg, root_values=values)
    resources: list[Resource] = []
    _collect(root, resources)
    return LoadResult(resources=resources, errors=_unreported(state.errors, ctx), notes=list(state.notes))


def _collect(inst: ModuleInstance, out: list[Resource]) -> None:
    for block in inst.config.resources:
        rtype, rname = block.labels
        exp = inst.expansion(block)
        base_notes = list(inst.notes) + ([exp.note] if exp.note else [])
        provider = inst.resource_provider(block)
        attr_locations = {k: a.location for k, a in block.attrs.items()}
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
            ))
    for child in inst.all_children():
        _collect(child, out)


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
