"""Values of a root module's input variables, from the same sources and in the same order as Terraform.

Precedence (later wins): TF_VAR_* (only with --env-vars), terraform.tfvars, terraform.tfvars.json,
*.auto.tfvars(.json) in lexical order, --var-file files in order, then --var. Child modules get
their values from the module call instead, so only root modules read these.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from xborder.context import ScanContext
from xborder.inputs import reading
from xborder.inputs.terraform.expressions import Evaluator, Scope
from xborder.inputs.terraform.paths import join_rel, relpath
from xborder.inputs.terraform.syntax import LiteralExpr, parse_expression_text, parse_file
from xborder.inputs.terraform.values import convert_to_type
from xborder.model import ScanError, Unknown


def cli_value(raw: str, type_text: str | None, ev: Evaluator) -> Any:
    """A value given as text (--var, TF_VAR_): string variables keep the text, others parse as HCL."""
    t = (type_text or "").strip()
    if t == "string":
        return raw
    e = parse_expression_text(raw)
    if e is None:
        return convert_to_type(raw, t) if t else raw
    v = ev.evaluate(e, Scope())
    if isinstance(v, Unknown):
        return raw  # e.g. a bare word: Terraform takes it as a string
    return convert_to_type(v, t) if t else v


def tfvars_files(module_dir: Path) -> list[Path]:
    """The files Terraform loads automatically from a root module directory, in load order."""
    out = []
    for name in ("terraform.tfvars", "terraform.tfvars.json"):
        p = module_dir / name
        if _present(p):
            out.append(p)
    try:
        names = sorted(n for n in reading.list_names(module_dir) if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
    except OSError:
        names = []
    out.extend(module_dir / n for n in names if _present(module_dir / n))
    return out


def _present(p: Path) -> bool:
    """There is something by that name that is not a directory: reading it (confined) says if it is usable,
    so a link to `../secrets.env` or `/dev/zero` is reported, never read and never skipped silently."""
    return os.path.lexists(p) and not os.path.isdir(p)


class RootValues(dict):  # type: ignore[type-arg]
    """A root module's variable values; `settled`: the names whose value is a literal-only file's value as read
    (no conversion of any part of it can raise: syntax.LiteralExpr.settled), which modules.MapEntries may
    convert entry by entry; `at`: where each value is written, (file, line) or "--var" / "environment variable
    TF_VAR_x" (an error for a value that does not convert to the variable's type points there)."""

    def __init__(self) -> None:
        super().__init__()
        self.settled: set[str] = set()
        self.at: dict[str, tuple[str, int] | str] = {}


def root_values(module_dir: Path, ctx: ScanContext, types: dict[str, str | None], ev: Evaluator
                ) -> tuple[dict[str, Any], dict[str, str], list[ScanError]]:
    """(values, where each value came from, errors) for a root module's variables."""
    values = RootValues()
    origin: dict[str, str] = {}
    errors: list[ScanError] = []
    opts = ctx.options
    if opts.env_vars:
        for k, raw in sorted(os.environ.items()):
            if k.startswith("TF_VAR_") and k[7:] in types:
                values[k[7:]] = cli_value(raw, types[k[7:]], ev)
                origin[k[7:]] = values.at[k[7:]] = f"environment variable {k}"
    files = [(f, True) for f in tfvars_files(module_dir)]
    for vf in opts.var_files:
        p = Path(vf)
        if not p.is_absolute():
            p = Path.cwd() / p
        files.append((p, False))  # named by the user on the command line: read wherever it is
    root = Path(ctx.root)
    for f, confine in files:
        rel = join_rel(relpath(root, f.parent), f.name)  # the link's own name, never where it points
        if not os.path.lexists(f):
            errors.append(ScanError(rel, 1, "variables file not found"))
            continue
        pf = parse_file(f, rel, ctx.cache, variables=True, confine=confine)
        errors.extend(pf.errors)
        for name, attr in pf.attrs.items():
            v = ev.evaluate(attr.expr, Scope())
            t = types.get(name)
            values[name] = convert_to_type(v, t) if t else v
            origin[name] = f"{rel}:{attr.location.start_line}"
            values.at[name] = (rel, attr.location.start_line)
            if isinstance(attr.expr, LiteralExpr) and attr.expr.settled and values[name] is attr.expr.value:
                values.settled.add(name)
            else:
                values.settled.discard(name)
    for name, raw in opts.variables.items():
        values[name] = cli_value(raw, types.get(name), ev)
        origin[name] = values.at[name] = "--var"
        values.settled.discard(name)
    return values, origin, errors
