"""The vars family of the differential fuzz: root module variables as users give them.

Each case is a variable declaration (a type constraint with optional() attributes and defaults, nested
object/map/list/set/tuple types, a default, `nullable`, a validation block), its value in a variables file
(HCL `terraform.tfvars` or JSON `terraform.tfvars.json`, or none: the default), and what is read of it: an
expression over `var.v` (attributes, keys, for expressions, lookups by `terraform.workspace`, cidrhost of a
site's network) or the instances a `for_each` / `count` over it gives a resource (their keys and each
instance's `input`, as `aws_vpn_connection.x["k"]` is addressed).

Terraform's answers are recorded offline with `terraform console -plan` on a configuration of `terraform_data`
resources (built into Terraform: no provider, no network, no init); xborder's are read as a scan reads a root
module (its variables files, check_root_values, the resource's expansion).
"""

from __future__ import annotations

import base64
import json
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

REGIONS = ["cn-north-1", "cn-northwest-1", "ap-east-1", "us-east-1", "eu-central-1", "cn-shanghai", "cn-hongkong",
           "cn-beijing", "chinaeast2", "eastasia", "ap-guangzhou", "CN-North-1", " cn-north-1", ""]
ADDRS = ["203.0.113.10", "198.51.100.7", "10.0.0.1", "2001:db8::1", "52.82.1.1", "121.40.1.1", "1.2.3.4/32", ""]
CIDRS = ["10.0.0.0/16", "10.1.2.0/24", "172.16.0.0/12", "fd00::/56", "192.168.0.0/16", "10.0.0.0/33", "x"]
KEYS = ["hk", "bj", "sh", "office-1", "日本", "HK", "a b", "1"]
NUMS = ["0", "1", "65000", "4200000000", "1.5", "-1", "1e3", "9007199254740993", "-0.0", "2"]
STRS = REGIONS[:8] + ADDRS[:4] + ["5", "true", "x-y"]


class Lit(str):
    """A number written as it is in both HCL and JSON."""


def hcl(v: Any) -> str:
    """The HCL literal for a value (one line)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Lit):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")
    if isinstance(v, list):
        return "[" + ", ".join(hcl(x) for x in v) + "]"
    return "{" + ", ".join(f"{k if re.fullmatch(r'[A-Za-z_][A-Za-z0-9_-]*', k) else json.dumps(k, ensure_ascii=False)}"
                           f" = {hcl(x)}" for k, x in v.items()) + "}"


def js(v: Any) -> str:
    """The JSON text for a value (one line)."""
    if isinstance(v, Lit):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(js(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {js(x)}" for k, x in v.items()) + "}"
    return json.dumps(v, ensure_ascii=False)


class V:
    """Generates one case at a time, deterministic for a seed."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed * 7 + 3)
        self.module = seed > 100  # seeds 101-: the value is a module call's argument, read in the module

    def ch(self, *xs: Any) -> Any:
        return self.r.choice(xs)

    # ---- types: ("string"), ("list", T), ("object", [(name, T, optional, default)]), ...
    def typ(self, d: int) -> Any:
        if d <= 0:
            return self.ch("string", "string", "number", "bool")
        k = self.r.randrange(12)
        if k < 2:
            return self.ch("string", "number", "bool", "any")
        if k < 4:
            return ("object", self.attrs(d - 1))
        if k < 6:
            return ("map", ("object", self.attrs(d - 1)) if self.r.random() < 0.7 else self.typ(d - 1))
        if k == 6:
            return ("list", ("object", [("name", "string", False, None)] + self.attrs(d - 1)))
        if k == 7:
            return ("set", self.ch("string", "string", "number"))
        if k == 8:
            return ("list", self.typ(d - 1))
        if k == 9:
            return ("map", self.ch("string", ("list", "string")))
        if k == 10:
            return ("tuple", [self.typ(d - 1) for _ in range(self.r.randrange(1, 3))])
        return ("map", "any") if self.r.random() < 0.5 else ("list", "any")

    def attrs(self, d: int) -> list[tuple[str, Any, bool, Any]]:
        out = []
        for name, t in (("region", "string"), ("ip", "string"), ("cidr", "string"), ("enabled", "bool"),
                        ("asn", "number"), ("tunnels", ("list", "string")), ("tags", ("map", "string"))):
            if self.r.random() < (0.8 if name == "region" else 0.35):
                if name == "tags" and d > 0 and self.r.random() < 0.4:
                    t = ("object", [("env", "string", True, self.ch(None, "dev"))])
                opt = self.r.random() < 0.45
                default = self.value(t, 0, 0.0) if opt and self.r.random() < 0.6 else None
                out.append((name, t, opt, default))
        return out

    def type_text(self, t: Any) -> str:
        if isinstance(t, str):
            return t
        if t[0] in ("list", "set", "map"):
            return f"{t[0]}({self.type_text(t[1])})"
        if t[0] == "tuple":
            return "tuple([" + ", ".join(self.type_text(x) for x in t[1]) + "])"
        parts = []
        for name, at, opt, default in t[1]:
            tt = self.type_text(at)
            if opt:
                tt = f"optional({tt}, {hcl(default)})" if default is not None else f"optional({tt})"
            parts.append(f"{name} = {tt}")
        return "object({" + ", ".join(parts) + "})"

    # ---- values of (about) a type
    def prim(self, t: str) -> Any:
        if t == "number":
            return Lit(self.ch(*NUMS))
        if t == "bool":
            return self.ch(True, False)
        if t == "string":
            if self.r.random() < 0.15:
                return self.ch(*CIDRS)
            return self.ch(*STRS)
        return self.value(self.ch("string", "number", ("map", "string"), ("list", "string")), 1, 0.1)

    def value(self, t: Any, d: int, noise: float) -> Any:
        if self.r.random() < noise:
            return self.ch(None, Lit("5"), "cn-north-1", True, [], {}, ["a"], {"region": "x"}, "true", Lit("1.5"))
        if isinstance(t, str):
            return self.prim(t)
        kind = t[0]
        if kind in ("list", "set"):
            return [self.value(t[1], d - 1, noise) for _ in range(self.r.randrange(0, 4))]
        if kind == "tuple":
            return [self.value(x, d - 1, noise) for x in t[1]]
        if kind == "map":
            keys = self.r.sample(KEYS, self.r.randrange(0, 4))
            return {k: self.value(t[1], d - 1, noise) for k in keys}
        out: dict[str, Any] = {}
        for name, at, opt, _default in t[1]:
            p = 0.55 if opt else 0.97
            if self.r.random() < p:
                out[name] = None if opt and self.r.random() < 0.15 else self.value(at, d - 1, noise)
        if self.r.random() < 0.1:
            out[self.ch("extra", "name", "Region")] = "x"
        return out

    # ---- what is read of it
    def reads(self, t: Any) -> str:
        kind = t if isinstance(t, str) else t[0]
        if kind in ("string", "number", "bool", "any"):
            return self.ch("var.v", "var.v", '"${var.v}-x"', "var.v == null", "try(tostring(var.v), \"none\")",
                           "can(cidrhost(var.v, 1)) ? cidrhost(var.v, 1) : var.v")
        if kind == "object":
            names = [a[0] for a in t[1]] or ["region"]
            a = self.ch(*names)
            return self.ch("var.v", "var.v", f"var.v.{a}", f"try(var.v.{a}, \"none\")", f"var.v == null ? \"none\" : var.v.{a}",
                           f"lookup(var.v, \"{a}\", \"none\")", "keys(var.v)", 'try(cidrhost(var.v.cidr, 1), "none")',
                           'merge({region = "us-east-1"}, var.v).region')
        if kind == "map":
            inner = t[1]
            if isinstance(inner, tuple) and inner[0] == "object":
                names = [a[0] for a in inner[1]] or ["region"]
                a = self.ch(*names)
                return self.ch("var.v", "var.v", "keys(var.v)", f"[for k, s in var.v : s.{a}]",
                               f"{{for k, s in var.v : k => s.{a}}}", f"lookup(var.v, terraform.workspace, null)",
                               f'try(var.v["hk"].{a}, "none")', "length(var.v)", f"values(var.v)[*].{a}",
                               f'[for k, s in var.v : k if try(s.enabled, true)]',
                               f'{{for k, s in var.v : k => cidrhost(s.cidr, 1) if try(s.cidr, null) != null}}')
            return self.ch("var.v", "var.v", "keys(var.v)", 'lookup(var.v, terraform.workspace, "cn-north-1")',
                           'lookup(var.v, "hk", "none")', "values(var.v)", "length(var.v)", 'try(var.v.hk, "none")')
        if kind in ("list", "set", "tuple"):
            return self.ch("var.v", "var.v", "length(var.v)", "tolist(var.v)", "[for x in var.v : x]",
                           "try(element(tolist(var.v), 0), \"none\")", 'contains(var.v, "cn-north-1")',
                           "try(var.v[0], \"none\")", "try(var.v[*].region, [])", "try(index(var.v, \"cn-north-1\"), -1)")
        return "var.v"

    def instances(self, t: Any) -> tuple[str, str] | None:
        """(for_each or count argument, input expression) for a terraform_data resource, or None."""
        kind = t if isinstance(t, str) else t[0]
        inner = t[1] if isinstance(t, tuple) and kind in ("map", "list", "set") else None
        obj = isinstance(inner, tuple) and inner[0] == "object"
        if kind == "map":
            return self.ch(("for_each = var.v", "each.key"), ("for_each = var.v", "each.value" if not obj else "each.value.region"),
                           ("for_each = {for k, s in var.v : k => s if try(s.enabled, true)}", "each.key"),
                           ("for_each = toset(keys(var.v))", "each.value"),
                           ("count = length(var.v)", "count.index"))
        if kind in ("list", "set"):
            if obj:
                return self.ch(("for_each = {for s in var.v : s.name => s}", "each.value.region"),
                               ("for_each = {for i, s in var.v : tostring(i) => s}", "each.key"),
                               ("count = length(var.v)", "var.v[count.index].region"))
            return self.ch(("for_each = toset(var.v)", "each.key"), ("for_each = var.v", "each.value"),
                           ("for_each = toset([for x in var.v : tostring(x)])", "each.value"),
                           ("count = length(var.v)", "count.index"))
        if kind == "object":
            return self.ch(("for_each = var.v", "each.key"), ("count = var.v == null ? 0 : 1", "count.index"))
        if kind == "any":
            return ("for_each = var.v", "each.key")
        return None

    def validation(self, t: Any) -> str | None:
        kind = t if isinstance(t, str) else t[0]
        if self.r.random() > 0.2:
            return None
        if kind == "string":
            c = self.ch('contains(["cn-north-1", "ap-east-1", "us-east-1"], var.v)', 'can(regex("^(cn|ap)-", var.v))',
                        "can(cidrhost(var.v, 0))", "length(var.v) > 0")
        elif kind == "map":
            c = self.ch("length(var.v) > 0", 'alltrue([for k, s in var.v : can(regex("^(cn|ap)-", try(s.region, s)))])',
                        'alltrue([for k in keys(var.v) : length(k) <= 3])')
        elif kind == "object":
            c = self.ch("var.v != null", 'can(regex("^cn-", var.v.region))', "try(var.v.asn, 1) > 0")
        else:
            c = self.ch("var.v != null", "length(var.v) < 3")
        return c

    def case(self) -> dict[str, Any]:
        t = self.typ(self.ch(1, 2, 2, 3))
        untyped = self.r.random() < 0.08
        lines = [] if untyped else [f"type = {self.type_text(t)}"]
        if untyped:
            t = "any"
        has_default = self.r.random() < 0.4
        if has_default:
            lines.append(f"default = {hcl(self.value(t, 3, 0.05))}")
        if self.r.random() < 0.15:
            lines.append(f"nullable = {self.ch('false', 'true')}")
        cond = self.validation(t)
        if cond is not None:
            lines.append(f'validation {{\n    condition     = {cond}\n    error_message = "Invalid."\n  }}')
        case: dict[str, Any] = {"decl": "\n  ".join(lines)}
        if not has_default or self.r.random() < 0.75:
            v = self.value(t, 3, 0.06)
            if self.r.random() < 0.05:
                v = None
            fmt = "call" if self.module else "json" if self.r.random() < 0.3 else "hcl"
            case["fmt"], case["value"] = fmt, js(v) if fmt == "json" else hcl(v)
        if self.module:
            case["via"], case["expr"] = "module", self.reads(t)
            return case
        inst = self.instances(t) if self.r.random() < 0.3 else None
        if inst is not None:
            case["each"], case["input"] = inst
        else:
            case["expr"] = self.reads(t)
        return case


def cases(seed: int, n: int) -> list[tuple[str, str]]:
    """n distinct cases for a seed, each as its JSON text, with its id."""
    g = V(seed)
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(out) < n:
        text = json.dumps(g.case(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if text in seen:
            continue
        seen.add(text)
        out.append((f"v{seed}.{len(out)}", text))
    return out


# ---------------------------------------------------------------------------------------------
# the configuration of one case (xborder) or of a batch (Terraform)

def _rename(text: str, i: int | str) -> str:
    return re.sub(r"\bterraform_data\.x\b", f"terraform_data.x{i}", re.sub(r"\bvar\.v\b", f"var.v{i}", text))


def _blocks(case: dict[str, Any], i: int | str) -> list[str]:
    """main.tf lines of one case: its variable, its resource, its local `c` (a module call's case: the call and
    the local reading its output; `_module_lines` is the called module)."""
    if _is_call(case):
        lines = [f'module "m{i}" {{', f'  source = "./m{i}"'] + ([f"  v = {case['value']}"] if "value" in case else [])
        return lines + ["}", f"locals {{ c{i} = module.m{i}.o }}"]
    lines = [f'variable "v{i}" {{'] + ["  " + _rename(ln.strip(), i) for ln in case["decl"].split("\n") if ln.strip()]
    lines.append("}")
    if "each" in case:
        lines += [f'resource "terraform_data" "x{i}" {{', "  " + _rename(case["each"], i),
                  "  input = " + _rename(case["input"], i), "}"]
        read = f"{{for k, r in terraform_data.x{i} : k => r.input}}"
    else:
        read = _rename(case["expr"], i)
    return lines + [f"locals {{ c{i} = {read} }}"]


def _is_call(case: dict[str, Any]) -> bool:
    return case.get("via") == "module"


def _module_lines(case: dict[str, Any]) -> list[str]:
    """The called module of a module call's case: the variable and an output of what is read."""
    return (['variable "v" {'] + ["  " + ln.strip() for ln in case["decl"].split("\n") if ln.strip()] + ["}"]
            + [f'output "o" {{ value = {case["expr"]} }}'])


# ---------------------------------------------------------------------------------------------
# Terraform

_WHERE = re.compile(r"on (main\.tf|terraform\.tfvars(?:\.json)?|m\d+/main\.tf) line (\d+)")
_NAMED = re.compile(r"\b(?:var\.v|variable \"v|local\.c|terraform_data\.x|module\.m)(\d+)\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _write(work: Path, batch: list[tuple[str, dict[str, Any]]]) -> dict[tuple[str, int], int]:
    """The batch's files; {(file, line): index of the case it belongs to}."""
    owner: dict[tuple[str, int], int] = {}
    main: list[str] = []
    tfv: list[str] = []
    tjs: list[str] = []
    for child in work.glob("m[0-9]*"):
        shutil.rmtree(child)
    for i, (_cid, case) in enumerate(batch):
        for ln in _blocks(case, i):
            main.append(ln)
            owner["main.tf", len(main)] = i
        if _is_call(case):
            (work / f"m{i}").mkdir()
            lines = _module_lines(case)
            (work / f"m{i}" / "main.tf").write_text("\n".join(lines) + "\n", encoding="utf-8")
            for n in range(1, len(lines) + 1):
                owner[f"m{i}/main.tf", n] = i
            continue
        if "value" in case:
            if case["fmt"] == "hcl":
                tfv.append(f"v{i} = {case['value']}")
                owner["terraform.tfvars", len(tfv)] = i
            else:
                tjs.append(f'"v{i}": {case["value"]}')
                owner["terraform.tfvars.json", len(tjs) + 1] = i
    (work / "main.tf").write_text("\n".join(main) + "\n", encoding="utf-8")
    (work / "terraform.tfvars").write_text("\n".join(tfv) + "\n", encoding="utf-8")
    (work / "terraform.tfvars.json").write_text("{\n" + ",\n".join(tjs) + "\n}\n", encoding="utf-8")
    return owner


def _summary(block: str) -> str:
    keep = []
    for ln in block.split("goroutine ")[0].splitlines():
        t = ln.strip().strip("│├─╵╷ ").strip()
        if not t or t.startswith(("on main.tf", "on terraform.tfvars", "while calling", "(source code")) \
                or re.match(r"\d+:", t):
            continue
        keep.append(t)
    text = re.sub(r"main\.tf:\d+,\d+-\d+", "main.tf", " ".join(keep))  # (lines of the batch, not the case's)
    return re.sub(r"\b(v|c|x|m)\d+\b", r"\1", text)[:240]


def run(tf: str, items: list[tuple[str, str]], env: dict[str, str]) -> dict[str, list[str]]:
    """{id: [kind, answer]}: Terraform's value (`json`), its error or `unknown` for every case."""
    out: dict[str, list[str]] = {}
    todo = [[(cid, json.loads(text)) for cid, text in items]]
    with tempfile.TemporaryDirectory(prefix="xb-fuzz-vars-") as d:
        work = Path(d)
        while todo:
            batch = todo.pop()
            if not batch:
                continue
            owner = _write(work, batch)
            if any(_is_call(c) for _cid, c in batch):  # local modules are installed by init (offline)
                subprocess.run([tf, "init", "-backend=false", "-input=false", "-no-color"], capture_output=True,
                               text=True, cwd=work, timeout=300, env=env, check=False)
            query = "base64encode(jsonencode([" + ", ".join(f"jsonencode(local.c{i})" for i in range(len(batch))) + "]))"
            p = subprocess.run([tf, "console", "-plan", "-no-color"], input=query + "\n", capture_output=True,
                               text=True, cwd=work, timeout=300, env=env, check=False)
            err = _ANSI.sub("", p.stderr)
            placed: dict[int, str] = {}
            unplaced = False
            for block in err.split("Error: ")[1:]:
                m = _WHERE.search(block)
                i = owner.get((m.group(1), int(m.group(2)))) if m else None
                if i is None:
                    names = {int(x) for x in _NAMED.findall(block)}
                    i = names.pop() if len(names) == 1 else None
                if i is None or i >= len(batch):
                    unplaced = True
                else:
                    placed.setdefault(i, _summary(block))
            if placed:
                for i, msg in placed.items():
                    out[batch[i][0]] = ["error", msg]
                todo.append([c for i, c in enumerate(batch) if i not in placed])
                continue
            lines = _ANSI.sub("", p.stdout).strip().splitlines()
            if lines and re.fullmatch(r'"[A-Za-z0-9+/=]*"', lines[-1].strip()) and not unplaced and "Error: " not in err:
                data = json.loads(base64.b64decode(lines[-1].strip()[1:-1]).decode("utf-8"))
                for i, (cid, _c) in enumerate(batch):
                    out[cid] = ["json", data[i]]
                continue
            if len(batch) == 1:
                blocks = err.split("Error: ")[1:]
                out[batch[0][0]] = ["error", _summary(blocks[0])] if blocks else ["unknown", ""]
                continue
            half = len(batch) // 2
            todo.extend([batch[:half], batch[half:]])
    return out


# ---------------------------------------------------------------------------------------------
# xborder

def xborder_case(text: str) -> Any:
    """xborder's value for one case, read as a scan reads a root module."""
    from xborder.context import Options, ScanContext
    from xborder.inputs.terraform.expressions import plain
    from xborder.inputs.terraform.modules import LoadState, ModuleInstance, load_config
    from xborder.inputs.terraform.syntax import traversal_text
    from xborder.inputs.terraform.variables import root_values
    from xborder.model import Unknown

    case = json.loads(text)
    with tempfile.TemporaryDirectory(prefix="xb-fuzz-vars-") as d:
        root = Path(d)
        (root / "main.tf").write_text("\n".join(_blocks(case, "")) + "\n", encoding="utf-8")
        if _is_call(case):
            (root / "m").mkdir()
            (root / "m" / "main.tf").write_text("\n".join(_module_lines(case)) + "\n", encoding="utf-8")
        elif "value" in case:
            name = "terraform.tfvars" if case["fmt"] == "hcl" else "terraform.tfvars.json"
            body = f"v = {case['value']}\n" if case["fmt"] == "hcl" else '{"v": ' + case["value"] + "}\n"
            (root / name).write_text(body, encoding="utf-8")
        ctx = ScanContext(root=root, options=Options(), policies=None, config=None, pm=None)  # type: ignore[arg-type]
        cfg = load_config(root, ctx)
        if cfg.errors:
            return Unknown("configuration errors: " + "; ".join(e.message for e in cfg.errors))
        state = LoadState(ctx, root)
        types = {n: (traversal_text(b.attrs["type"].expr) if "type" in b.attrs else None)
                 for n, b in cfg.variables.items()}
        values, _origin, errs = root_values(root, ctx, types, state.ev)
        if errs:
            return Unknown("variables file errors: " + "; ".join(e.message for e in errs))
        inst = ModuleInstance(state, cfg, root_values=values)
        inst.check_root_values()
        if "each" not in case:
            return plain(inst.local("c"))
        block = next(b for b in cfg.resources if b.labels[:2] == ["terraform_data", "x"])
        exp = inst._expand(block, inst.scope)
        if exp.mode == "unknown":
            return Unknown(exp.reason)
        out = {}
        for k, _b in exp.items:
            out[str(k)] = plain(inst.resource_attr(block, k, exp, "input"))
        return out
