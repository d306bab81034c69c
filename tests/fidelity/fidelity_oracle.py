"""Run `terraform console` (offline, no providers) as the oracle, and compare xborder against it.

Many expressions go through one console call: each is a `local` on its own lines of a `main.tf`,
and the console prints `base64encode(jsonencode({...}))` of all of them. A local that Terraform
rejects is named by the `on main.tf line N` of its diagnostic; it is recorded as an error and the
batch runs again without it. Anything the batch cannot place (an unknown value, an error outside
the file) is found by splitting the batch in halves.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

BATCH = 200
_LINE = re.compile(r"on main\.tf line (\d+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def terraform_bin() -> str | None:
    return shutil.which("terraform")


def terraform_version(tf: str) -> str:
    out = subprocess.run([tf, "version", "-json"], capture_output=True, text=True, timeout=60,
                         env=_env(), check=False).stdout
    try:
        return str(json.loads(out)["terraform_version"])
    except (ValueError, KeyError):
        return "unknown"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"})
    env.pop("TF_LOG", None)
    return env


def _console(tf: str, workdir: Path, items: list[tuple[str, str]],
             preamble: str = "") -> tuple[str | None, dict[int, str], str]:
    """One console run: (base64 JSON text or None, {line: error text}, raw stderr)."""
    lines = preamble.split("\n") if preamble else []
    lines.append("locals {")
    for i, (_cid, expr) in enumerate(items):
        lines.append(f"  c{i} = {expr}")
    lines.append("}")
    (workdir / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    query = "base64encode(jsonencode([" + ", ".join(f"jsonencode(local.c{i})" for i in range(len(items))) + "]))"
    p = subprocess.run([tf, "console", "-no-color"], input=query + "\n", capture_output=True, text=True,
                       cwd=workdir, timeout=300, env=_env(), check=False)
    err = _ANSI.sub("", p.stderr)
    errors: dict[int, str] = {}
    for block in err.split("Error: ")[1:]:
        m = _LINE.search(block)
        summary = _summary(block)
        errors[int(m.group(1)) if m else 0] = summary
    out = _ANSI.sub("", p.stdout).strip().splitlines()
    b64 = None
    if out and re.fullmatch(r'"[A-Za-z0-9+/=]*"', out[-1].strip()):
        b64 = out[-1].strip()[1:-1]
    return b64, errors, err


def _summary(block: str) -> str:
    """A diagnostic without its source excerpt, line numbers or Go stack (stable across batches)."""
    keep: list[str] = []
    for ln in block.split("goroutine ")[0].splitlines():
        t = ln.strip().strip("│├─╵╷ ").strip()
        if not t or t.startswith(("on main.tf", "while calling", "(source code")) or re.match(r"\d+:", t):
            continue
        keep.append(t)
    return " ".join(keep)[:240]


def _owner(items: list[tuple[str, str]], preamble: str = "") -> list[int]:
    """The case index that owns each line of the generated main.tf (1-based lines; -1 = none)."""
    owner = [-1, -1]  # line 0 (unused) and `locals {`
    if preamble:
        owner.extend([-1] * len(preamble.split("\n")))
    for i, (_cid, expr) in enumerate(items):
        owner.extend([i] * (expr.count("\n") + 1))
    return owner


def run(tf: str, items: list[tuple[str, str]], preamble: str = "") -> dict[str, dict[str, Any]]:
    """{case id: {"json": text} | {"error": text} | {"unknown": True}} for every item."""
    out: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xb-oracle-") as d:
        work = Path(d)
        todo = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
        while todo:
            batch = todo.pop()
            if not batch:
                continue
            b64, errors, raw = _console(tf, work, batch, preamble)
            owner = _owner(batch, preamble)
            placed = {owner[ln] for ln in errors if 0 < ln < len(owner) and owner[ln] >= 0}
            if placed:
                for ln, msg in errors.items():
                    if 0 < ln < len(owner) and owner[ln] >= 0:
                        out.setdefault(batch[owner[ln]][0], {"error": msg})
                todo.append([c for i, c in enumerate(batch) if i not in placed])
                continue
            if b64 is not None and not errors:
                data = json.loads(base64.b64decode(b64).decode("utf-8"))
                for i, (cid, _e) in enumerate(batch):
                    out[cid] = {"json": data[i]}
                continue
            if len(batch) == 1:
                cid = batch[0][0]
                out[cid] = {"error": next(iter(errors.values()))} if errors else {"unknown": True, "raw": raw[:300]}
                continue
            half = len(batch) // 2
            todo.extend([batch[:half], batch[half:]])
    return out


def record_numbers(text: str) -> Any:
    """Parse recorded JSON with exact numbers."""
    return json.loads(text, parse_float=Decimal, parse_int=Decimal)


# ---------------------------------------------------------------------------------------------
# comparison

AGREE, WRONG, VALUE_WHERE_ERROR, UNKNOWN = "agree", "wrong value", "value where Terraform errors", "unknown"


def xborder_value(expr_text: str) -> Any:
    """xborder's value for one expression, through the evaluator the scan uses."""
    from xborder.inputs.terraform.expressions import Evaluator, Scope, plain
    from xborder.inputs.terraform.syntax import parse_expression_text
    from xborder.model import Unknown

    e = parse_expression_text(expr_text)
    if e is None:
        return Unknown("not valid HCL")
    return plain(Evaluator().evaluate(e, Scope()))


def xborder_module_value(expr_text: str, preamble: str) -> Any:
    """xborder's value for `locals { c = expr }` in a module with `preamble` (variables), as a scan reads it."""
    from xborder.context import Options, ScanContext
    from xborder.inputs.terraform.expressions import plain
    from xborder.inputs.terraform.modules import LoadState, ModuleInstance, load_config

    with tempfile.TemporaryDirectory(prefix="xb-fidelity-") as d:
        root = Path(d)
        (root / "main.tf").write_text(preamble + "\nlocals {\n  c = " + expr_text + "\n}\n", encoding="utf-8")
        ctx = ScanContext(root=root, options=Options(), policies=None, config=None, pm=None)  # type: ignore[arg-type]
        cfg = load_config(root, ctx)
        inst = ModuleInstance(LoadState(ctx, root), cfg)
        return plain(inst.local("c"))


def _comparable(v: Any) -> Any:
    """xborder's value as JSON-like data with exact numbers; None stands for itself; raises on unknowns."""
    from xborder.inputs.terraform.values import to_decimal
    from xborder.model import Ref, Unknown

    if isinstance(v, (Unknown, Ref)):
        raise LookupError(getattr(v, "reason", "reference"))
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return to_decimal(v)
    if isinstance(v, list):
        return [_comparable(x) for x in v]
    if isinstance(v, dict):
        return {k: _comparable(x) for k, x in v.items()}
    raise LookupError(f"unexpected value {type(v).__name__}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b and a.is_signed() == b.is_signed()
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def verdict(recorded: dict[str, Any], xb: Any) -> tuple[str, str]:
    """(verdict, xborder's value as text) for one case."""
    try:
        mine = _comparable(xb)
    except LookupError as e:
        return (AGREE if ("error" in recorded or recorded.get("unknown")) else UNKNOWN), f"unknown: {e}"
    shown = json.dumps(xb, ensure_ascii=False, default=str)
    if "error" in recorded:
        return VALUE_WHERE_ERROR, shown
    if recorded.get("unknown") or recorded.get("nondeterministic"):
        return WRONG, shown
    return (AGREE if _same(record_numbers(recorded["json"]), mine) else WRONG), shown
