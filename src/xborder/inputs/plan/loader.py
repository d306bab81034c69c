"""Terraform plans exported with `terraform show -json PLANFILE` -> Resources.

A plan holds the values the user supplied at plan time, so it is the most exact input: values come from
`planned_values` (root module and child modules, recursively) merged with `resource_changes[].change.after`.
A value Terraform will know only after apply (`after_unknown`) becomes a `Ref` when the configuration's
expression for it (`configuration...expressions.ATTR.references`) names one resource, so the link
engine can follow it (`customer_gateway_id = aws_customer_gateway.hq.id`), else an Unknown.

Providers come from `configuration.provider_config[provider_config_key]`: constant values, and
references to root variables (`var.region` -> `variables.region.value`) or, in a module, to the
module call's arguments.

The format is documented at developer.hashicorp.com/terraform/internals/json-format (format_version 1.x).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xborder.inputs import reading
from xborder.inputs.terraform.jsonpos import JNode, JsonSyntaxError, parse_json
from xborder.model import (
    LoadResult,
    Location,
    ProviderConfig,
    Ref,
    Resource,
    ScanError,
    Unknown,
    part_not_read,
)

SOURCE = "terraform-plan"
AFTER_APPLY = "known only after apply"
MAX_HOPS = 20  # var -> module call -> var ... chains

_MODULE_STEP = re.compile(r'module\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?')
_RESOURCE_REF = re.compile(r'(data\.)?([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?((?:\..*)?)$')
_NOT_RESOURCES = {"var", "local", "module", "path", "terraform", "count", "each", "self", "data"}


# ----------------------------------------------------------------------------------------- addresses


def split_module(address: str) -> tuple[str, str]:
    """`module.a["x"].module.b.aws_vpc.main[0]` -> (`module.a["x"].module.b`, `aws_vpc.main[0]`)."""
    pos, steps = 0, []
    while True:
        m = _MODULE_STEP.match(address, pos)
        if not m or address[m.end() : m.end() + 1] != ".":
            break
        steps.append(m.group(0))
        pos = m.end() + 1
    return ".".join(steps), address[pos:]


def config_path(module_instance: str) -> str:
    """The configuration path of a module instance: indexes removed (`module.a["x"]` -> `module.a`)."""
    return ".".join(f"module.{m.group(1)}" for m in _MODULE_STEP.finditer(module_instance))


def _parent(module_instance: str) -> tuple[str, str]:
    """(parent instance, called module name) of a module instance."""
    steps = [m.group(0) for m in _MODULE_STEP.finditer(module_instance)]
    if not steps:
        return "", ""
    name = _MODULE_STEP.match(steps[-1]).group(1)  # type: ignore[union-attr]
    return ".".join(steps[:-1]), name


def _join(module_instance: str, local: str) -> str:
    return f"{module_instance}.{local}" if module_instance else local


# ----------------------------------------------------------------------------------------- the plan


@dataclass
class _ConfigModule:
    """One module of a plan's configuration, with the call that made it and its resources by address."""

    path: str  # "module.a.module.b", "" for the root
    body: dict[str, Any]
    call: dict[str, Any] | None  # the module call in the parent (None for the root)
    source: str = ""  # the call's source
    resources: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)


class Plan:
    def __init__(self, root: JNode, rel: str) -> None:
        self.root = root
        self.rel = rel
        self.data: dict[str, Any] = root.plain()
        self.variables: dict[str, Any] = _as_dict(self.data.get("variables"))
        cfg = _as_dict(self.data.get("configuration"))
        self.provider_config: dict[str, Any] = _as_dict(cfg.get("provider_config"))
        self.modules: dict[str, _ConfigModule] = {}
        self._index_config(_as_dict(cfg.get("root_module")), "", None, "")
        self.changes: dict[str, tuple[dict[str, Any], JNode]] = {}
        rc_node = root.get("resource_changes")
        if rc_node is not None and rc_node.kind == "array":
            for node in rc_node.value:
                rc = node.plain()
                if isinstance(rc, dict) and isinstance(rc.get("address"), str):
                    self.changes[rc["address"]] = (rc, node)
        # Terraform 1.9+: changes it could not plan this round (`deferred_changes[]`: a resource_change and a
        # reason), in neither resource_changes nor planned_values; read like resource_changes
        self.deferred: dict[str, str] = {}  # address -> reason
        dc_node = root.get("deferred_changes")
        if dc_node is not None and dc_node.kind == "array":
            for node in dc_node.value:
                entry = node.plain()
                rc_of = node.get("resource_change") if node.kind == "object" else None
                rc = rc_of.plain() if rc_of is not None else None
                if isinstance(rc, dict) and isinstance(rc.get("address"), str) and rc["address"] not in self.changes:
                    assert rc_of is not None
                    self.changes[rc["address"]] = (rc, rc_of)
                    self.deferred[rc["address"]] = str(_as_dict(entry).get("reason") or "no reason given")
        self.planned: dict[str, tuple[dict[str, Any], JNode, str]] = {}  # address -> (resource, node, module instance)
        pv = root.get("planned_values")
        if pv is not None:
            rm = pv.get("root_module")
            if rm is not None:
                self._index_planned(rm, "", 0)
        # Terraform 1.7+: `removed { lifecycle { destroy = false } }` plans ["forget"]: the object stays in place,
        # unmanaged, in neither planned_values nor a change's `after`; read from `before` (else prior_state)
        self.forgotten: set[str] = {a for a, (rc, _n) in self.changes.items()
                                    if _as_dict(rc.get("change")).get("actions") == ["forget"] and a not in self.planned}
        self.prior: dict[str, dict[str, Any]] = {}  # address -> values in prior_state (read for forgotten ones)
        self.ids: dict[str, str | None] = {}  # an `id` in the planned or prior values -> its resource (None: several)
        if self.forgotten:
            ps = _as_dict(self.data.get("prior_state"))
            self._index_prior(_as_dict(_as_dict(ps.get("values")).get("root_module")), 0)
            for address, (res, _node, _inst) in self.planned.items():
                self._index_id(_as_dict(res.get("values")).get("id"), address)
            for address, values in self.prior.items():
                if address not in self.planned:
                    self._index_id(values.get("id"), address)

    def _index_prior(self, module: dict[str, Any], depth: int) -> None:
        if depth > MAX_HOPS:
            return
        for res in module.get("resources") or []:
            if isinstance(res, dict) and isinstance(res.get("address"), str):
                self.prior[res["address"]] = _as_dict(res.get("values"))
        for child in module.get("child_modules") or []:
            if isinstance(child, dict):
                self._index_prior(child, depth + 1)

    def _index_id(self, value: Any, address: str) -> None:
        if isinstance(value, str) and value:
            self.ids[value] = address if self.ids.get(value, address) == address else None

    def _index_config(self, body: dict[str, Any], path: str, call: dict[str, Any] | None, source: str, depth: int = 0) -> None:
        if depth > MAX_HOPS:
            return
        mod = _ConfigModule(path, body, call, source)
        for res in body.get("resources") or []:
            if isinstance(res, dict):
                key = (str(res.get("mode", "managed")), str(res.get("type", "")), str(res.get("name", "")))
                mod.resources[key] = res
        self.modules[path] = mod
        for name, sub_call in _as_dict(body.get("module_calls")).items():
            if isinstance(sub_call, dict):
                self._index_config(
                    _as_dict(sub_call.get("module")), _join(path, f"module.{name}"), sub_call, str(sub_call.get("source", "")), depth + 1
                )

    def _index_planned(self, module: JNode, instance: str, depth: int) -> None:
        if depth > MAX_HOPS or module.kind != "object":
            return
        resources = module.get("resources")
        if resources is not None and resources.kind == "array":
            for node in resources.value:
                res = node.plain()
                if isinstance(res, dict) and isinstance(res.get("address"), str):
                    self.planned[res["address"]] = (res, node, instance)
        children = module.get("child_modules")
        if children is not None and children.kind == "array":
            for child in children.value:
                addr = child.get("address")
                self._index_planned(child, addr.value if addr is not None and addr.kind == "string" else instance, depth + 1)

    # -- configuration lookups

    def config_resource(self, instance: str, mode: str, rtype: str, name: str) -> dict[str, Any] | None:
        mod = self.modules.get(config_path(instance))
        return mod.resources.get((mode, rtype, name)) if mod else None

    def planned_value(self, address: str, attribute: str) -> Any:
        entry = self.planned.get(address)
        if entry is None:
            return None
        return _as_dict(entry[0].get("values")).get(attribute)

    def resolve_references(self, refs: list[Any], instance: str, hops: int = 0) -> list[tuple[str, str]]:
        """Resource (address, attribute) pairs that `references` of an expression in `instance` lead to."""
        out: list[tuple[str, str]] = []
        if hops > MAX_HOPS:
            return out
        for ref in refs:
            if not isinstance(ref, str):
                continue
            head = ref.split(".", 1)[0]
            if head == "var":
                name = ref.split(".")[1] if ref.count(".") >= 1 else ""
                name = name.split("[", 1)[0]
                if instance:
                    parent, _called = _parent(instance)
                    call = self.modules.get(config_path(instance))
                    expr = _as_dict(_as_dict(call.call if call else None).get("expressions")).get(name)
                    if isinstance(expr, dict):
                        out.extend(self.resolve_references(list(expr.get("references") or []), parent, hops + 1))
                continue
            if head == "module":
                m = _MODULE_STEP.match(ref)
                rest = ref[m.end() + 1 :] if m else ""
                if m and rest:
                    output = rest.split(".", 1)[0].split("[", 1)[0]
                    sub = _join(instance, m.group(0))
                    mod = self.modules.get(config_path(sub))
                    out_expr = _as_dict(_as_dict(_as_dict(mod.body if mod else None).get("outputs")).get(output)).get("expression")
                    if isinstance(out_expr, dict):
                        out.extend(self.resolve_references(list(out_expr.get("references") or []), sub, hops + 1))
                continue
            if head in _NOT_RESOURCES:
                continue
            m = _RESOURCE_REF.match(ref)
            if not m or m.group(1):
                continue
            address = _join(instance, f"{m.group(2)}.{m.group(3)}{m.group(4) or ''}")
            attribute = m.group(5)[1:] if m.group(5) else ""
            out.append((address, attribute))
        # "aws_customer_gateway.hq.id" and "aws_customer_gateway.hq" name the same resource: keep the precise one
        best: dict[str, str] = {}
        for address, attribute in out:
            if address not in best or (attribute and not best[address]):
                best[address] = attribute
        return [(a, best[a]) for a in dict.fromkeys(a for a, _ in out)]

    def variable(self, name: str, instance: str, hops: int = 0) -> Any:
        """The value of `var.NAME` in a module instance (root: `variables`; module: the call's argument)."""
        if hops > MAX_HOPS:
            return Unknown(f"var.{name} is defined through too many modules")
        if not instance:
            entry = self.variables.get(name)
            if isinstance(entry, dict) and "value" in entry:
                return entry["value"]
            return Unknown(f"var.{name} has no value in the plan")
        parent, _ = _parent(instance)
        mod = self.modules.get(config_path(instance))
        expr = _as_dict(_as_dict(mod.call if mod else None).get("expressions")).get(name)
        if not isinstance(expr, dict):
            default = _as_dict(_as_dict(_as_dict(mod.body if mod else None).get("variables")).get(name))
            if "default" in default:
                return default["default"]
            return Unknown(f"var.{name} of {instance} is not set in the plan configuration")
        return self.expression_value(expr, parent, hops + 1)

    def expression_value(self, expr: dict[str, Any], instance: str, hops: int = 0) -> Any:
        if "constant_value" in expr:
            return expr["constant_value"]
        refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
        var_refs = {r.split(".")[1].split("[", 1)[0] for r in refs if r.startswith("var.") and r.count(".") >= 1}
        if len(var_refs) == 1 and all(r.startswith("var.") for r in refs):
            value = self.variable(var_refs.pop(), instance, hops)
            exact = all(r == refs[0] for r in refs)
            if exact or not isinstance(value, (dict, list)):
                return value
        if refs:
            return Unknown(f"computed from {', '.join(refs)}; not recorded in the plan")
        return Unknown("an expression the plan does not record")


# ----------------------------------------------------------------------------------------- values


def _by_id(plan: Plan, value: Any) -> Any:
    """`value` as a Ref to the one resource of the plan whose id it is (a forgotten VPN's customer_gateway_id)."""
    if isinstance(value, str):
        address = plan.ids.get(value)
        if address:
            return Ref(address=address, attribute="id")
    return value


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _any_true(unknown: Any) -> bool:
    if unknown is True:
        return True
    if isinstance(unknown, dict):
        return any(_any_true(v) for v in unknown.values())
    if isinstance(unknown, list):
        return any(_any_true(v) for v in unknown)
    return False


def _leaf_expr(expr: Any) -> bool:
    return isinstance(expr, dict) and ("references" in expr or "constant_value" in expr)


def _sub_expr(expr: Any, key: Any) -> Any:
    """The expression for a member of a value: an attribute of an object, or a block of a block list."""
    if isinstance(key, str) and isinstance(expr, dict) and not _leaf_expr(expr):
        return expr.get(key)
    if isinstance(key, int) and isinstance(expr, list):
        return expr[key] if key < len(expr) else (expr[0] if len(expr) == 1 else None)
    return None


class _Resolver:
    def __init__(self, plan: Plan, instance: str) -> None:
        self.plan = plan
        self.instance = instance

    def unknown(self, expr: Any) -> Any:
        """What a value unknown at plan time is: a Ref to the one resource it comes from, else Unknown."""
        if _leaf_expr(expr):
            targets = self.plan.resolve_references(list(expr.get("references") or []), self.instance)
            if len(targets) == 1:
                address, attribute = targets[0]
                return Ref(address=address, attribute=attribute or "id")
            if targets:
                return Unknown(f"{AFTER_APPLY}; computed from {', '.join(a for a, _ in targets)}")
        return Unknown(AFTER_APPLY)

    def known(self, value: Any, expr: Any) -> Any:
        """A known id of a resource in the plan stays linked to it (an existing `aws_customer_gateway.hq.id`)."""
        if isinstance(value, str) and _leaf_expr(expr) and expr.get("references"):
            targets = self.plan.resolve_references(list(expr["references"]), self.instance)
            if len(targets) == 1:
                address, attribute = targets[0]
                attribute = attribute or "id"
                if attribute in ("id", "arn") and self.plan.planned_value(address, attribute) == value:
                    return Ref(address=address, attribute=attribute)
        return value

    def apply(self, value: Any, unknown: Any, expr: Any, depth: int = 0) -> Any:
        if depth > 64:
            return value
        if unknown is True:
            return self.unknown(expr)
        if isinstance(unknown, dict):
            if not isinstance(value, dict) and not _any_true(unknown):
                return self.link_known(value, expr, depth + 1)
            out = dict(value) if isinstance(value, dict) else {}
            for key in list(dict.fromkeys([*out, *unknown])):
                sub = _sub_expr(expr, key)
                if key in unknown:
                    out[key] = self.apply(out.get(key), unknown[key], sub, depth + 1)
                else:
                    out[key] = self.link_known(out[key], sub, depth + 1)
            return out
        if isinstance(unknown, list):
            if not isinstance(value, list) and not _any_true(unknown):
                return self.link_known(value, expr, depth + 1)
            items = list(value) if isinstance(value, list) else []
            while len(items) < len(unknown):
                items.append(None)
            return [self.apply(items[i], unknown[i] if i < len(unknown) else False, _sub_expr(expr, i), depth + 1) for i in range(len(items))]
        return self.link_known(value, expr, depth + 1)

    def link_known(self, value: Any, expr: Any, depth: int) -> Any:
        if depth > 64:
            return value
        if isinstance(value, dict):
            return {k: self.link_known(v, _sub_expr(expr, k), depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.link_known(v, _sub_expr(expr, i), depth + 1) for i, v in enumerate(value)]
        return self.known(value, expr)


# ----------------------------------------------------------------------------------------- providers


def _provider_type(provider_name: str) -> str:
    """`registry.terraform.io/hashicorp/aws` -> `aws`."""
    return provider_name.rsplit("/", 1)[-1] if provider_name else ""


def _provider(plan: Plan, key: str, provider_name: str, instance: str) -> ProviderConfig:
    ptype = _provider_type(provider_name) or key.rsplit(":", 1)[-1].split(".", 1)[0]
    pconf = plan.provider_config.get(key)
    hops = 0
    while ":" in key and (not isinstance(pconf, dict) or not pconf.get("expressions")) and hops < MAX_HOPS:
        # Older plans key module resources `module.net:aws` even when the module has no provider block of
        # its own (newer ones name the configuration they inherit): the parent's configuration applies.
        module_address, local = key.rsplit(":", 1)
        parent, _ = _parent(module_address)
        key = f"{parent}:{local}" if parent else local
        pconf = plan.provider_config.get(key) if isinstance(plan.provider_config.get(key), dict) else pconf
        hops += 1
    if not isinstance(pconf, dict):
        return ProviderConfig(
            type=ptype,
            attrs={},
            origin=f'no provider "{ptype}" configuration in the plan ({plan.rel}); provider defaults apply',
        )
    alias = pconf.get("alias") if isinstance(pconf.get("alias"), str) else None
    configured_address = pconf.get("module_address")
    module_address = configured_address if isinstance(configured_address, str) else ""
    # the module instance whose variables the provider block sees
    scope = module_address if module_address else ""
    if module_address and instance and config_path(instance) == module_address:
        scope = instance
    attrs: dict[str, Any] = {}
    described: list[str] = []
    for name, expr in _as_dict(pconf.get("expressions")).items():
        if not _leaf_expr(expr):
            continue  # nested blocks (assume_role, default_tags...) say nothing about the place
        value = plan.expression_value(expr, scope)
        attrs[name] = value
        if name in ("region", "location", "partition", "environment") and not isinstance(value, Unknown):
            refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
            via = f" = {refs[0]}" if refs and "constant_value" not in expr else ""
            described.append(f'{name}{via} = "{value}"')
    label = f'provider "{pconf.get("name", ptype)}"' + (f' alias "{alias}"' if alias else "")
    if module_address:
        label += f" in {module_address}"
    origin = f"{label} (plan {plan.rel}" + (f"; {', '.join(described)}" if described else "") + ")"
    return ProviderConfig(type=ptype, alias=alias, attrs=attrs, origin=origin)


# ----------------------------------------------------------------------------------------- sources


class _Sources:
    """Finds `resource "TYPE" "NAME"` and `module "NAME"` blocks in the .tf files of the scanned tree."""

    def __init__(self, ctx: Any, plan_rel: str, plan: Plan) -> None:
        self.ctx = ctx
        self.plan = plan
        self._files: dict[str, list[tuple[str, str]]] = {}
        self.root_dir = self._find_root(posixpath.dirname(plan_rel))

    def _tf_files(self, rel_dir: str) -> list[tuple[str, str]]:
        if rel_dir in self._files:
            return self._files[rel_dir]
        out: list[tuple[str, str]] = []
        base: Path = self.ctx.abs(rel_dir) if rel_dir else self.ctx.root
        try:
            entries = sorted(base.iterdir())
        except OSError:
            entries = []
        for p in entries:
            if p.name.endswith((".tf", ".tofu")):
                try:
                    data = reading.read_bytes(p, 5 * 1024 * 1024)  # confined, regular files only
                    out.append((_join_rel(rel_dir, p.name), data.decode("utf-8", errors="replace")))
                except OSError:
                    continue
        self._files[rel_dir] = out
        return out

    def _find_root(self, start: str) -> str | None:
        """The root module: the plan's directory or an ancestor holding a root resource block."""
        root_mod = self.plan.modules.get("")
        keys = [(t, n) for (mode, t, n) in (root_mod.resources if root_mod else {}) if mode == "managed"]
        calls = list(_as_dict(root_mod.body.get("module_calls")) if root_mod else {})
        d: str | None = start
        while d is not None:
            for _rel, text in self._tf_files(d):
                if any(_block_line(text, "resource", t, n) for t, n in keys) or any(_block_line(text, "module", c) for c in calls):
                    return d
            d = posixpath.dirname(d) if d else None
        return None

    def module_dir(self, path: str) -> str | None:
        """The directory of a configuration module, when its source is a local path inside the scanned tree."""
        if not path:
            return self.root_dir
        mod = self.plan.modules.get(path)
        if mod is None or not mod.source.startswith(("./", "../")):
            return None
        parent_path = path.rsplit(".module.", 1)[0] if ".module." in path else ""
        parent_dir = self.module_dir(parent_path)
        if parent_dir is None:
            return None
        joined = posixpath.normpath(posixpath.join(parent_dir or ".", mod.source))
        if joined == ".":
            return ""
        if joined.startswith("../") or joined == ".." or joined.startswith("/"):
            return None
        return joined

    def find(self, path: str, kind: str, *labels: str) -> Location | None:
        rel_dir = self.module_dir(path)
        if rel_dir is None:
            return None
        for rel, text in self._tf_files(rel_dir):
            hit = _block_line(text, kind, *labels)
            if hit:
                line, col = hit
                label = "Terraform source" if kind == "resource" else f'module call "{labels[0]}"'
                return Location(rel, line, col, line, col, label)
        return None


def _join_rel(rel_dir: str, name: str) -> str:
    return f"{rel_dir}/{name}" if rel_dir else name


def _block_line(text: str, kind: str, *labels: str) -> tuple[int, int] | None:
    pattern = r"^[ \t]*" + re.escape(kind) + "".join(r'[ \t]+"' + re.escape(label) + '"' for label in labels) + r"[ \t]*\{"
    m = re.search(pattern, text, re.MULTILINE)
    if not m:
        return None
    line = text.count("\n", 0, m.start()) + 1
    line_start = text.rfind("\n", 0, m.start()) + 1
    col = len(text[line_start : m.end()]) - len(text[line_start : m.end()].lstrip()) + 1
    return line, col


# ----------------------------------------------------------------------------------------- loading


def _loc(rel: str, node: JNode, label: str = "") -> Location:
    return Location(rel, node.line, node.col, node.end_line or node.line, node.end_col or node.col, label)


def load_plan(text: str, rel: str, ctx: Any) -> LoadResult:
    result = LoadResult()
    text = text.removeprefix("\ufeff")
    try:
        # the plan is read as plain data (`Plan`) but for resource entries' spans and their values' members
        root = parse_json(text, lazy=2)
    except JsonSyntaxError as e:
        result.errors.append(ScanError(rel, e.line, f"Terraform plan: {e}"))
        return result
    except RecursionError:
        result.errors.append(ScanError(rel, 1, "Terraform plan: nested too deeply"))
        return result
    if root.kind != "object":
        result.errors.append(ScanError(rel, 1, "Terraform plan: the file is not a JSON object"))
        return result
    fv = root.get("format_version")
    version = fv.value if fv is not None and fv.kind == "string" else ""
    if version.split(".", 1)[0] not in ("0", "1"):
        line = fv.line if fv is not None else 1
        result.errors.append(
            ScanError(rel, line, f'Terraform plan: unsupported format_version "{version}" (xborder reads 1.x, from terraform show -json)')
        )
        return result
    plan = Plan(root, rel)
    _partial_plan(root, rel, result)
    sources = _Sources(ctx, rel, plan) if ctx is not None and getattr(ctx, "root", None) is not None else None
    providers: dict[tuple[str, str, str], ProviderConfig] = {}

    addresses = list(plan.planned)
    for address, (rc, _node) in plan.changes.items():
        if address in plan.planned:
            continue
        change = _as_dict(rc.get("change"))
        if isinstance(change.get("after"), dict):
            addresses.append(address)
        elif address in plan.deferred and change.get("actions") != ["delete"]:
            addresses.append(address)  # its values are all unknown: a resource with unknown ends, never dropped
        elif address in plan.forgotten:
            addresses.append(address)  # it stays in place, unmanaged: judged as the prior state has it
    for address in addresses:
        try:
            resource = _resource(plan, address, rel, sources, providers)
        except (TypeError, ValueError, AttributeError, KeyError) as e:  # a malformed entry; the rest goes on
            entry = plan.planned.get(address) or plan.changes.get(address)
            line = entry[1].line if entry else 1
            result.errors.append(ScanError(rel, line, f"Terraform plan: cannot read resource {address}: {e}"))
            continue
        if resource is not None:
            result.resources.append(resource)
    return result


def _partial_plan(root: JNode, rel: str, result: LoadResult) -> None:
    """A plan Terraform says is partial: `errored` (planning stopped at an error: a scan error, the resources it
    holds still judged) and `complete: false` (-target, or changes deferred to a later round: an XB002 part not
    read at the plan, which an approval can accept)."""
    errored = root.get("errored")
    if errored is not None and errored.kind == "bool" and errored.value is True:
        result.errors.append(ScanError(rel, errored.line, "Terraform plan: errored is true: Terraform stopped planning at "
                                       "an error, so the plan holds only the resources planned before it; fix the error "
                                       "and plan again (the resources it holds are still judged)"))
    complete = root.get("complete")
    if complete is not None and complete.kind == "bool" and complete.value is False:
        deferred = root.get("deferred_changes")
        why = ("it lists changes Terraform deferred to a later round (deferred_changes, read here with what they "
               "hold)" if deferred is not None and deferred.kind == "array" and deferred.value else
               "it was made with -target, or Terraform will plan more in a later round")
        address = f"{rel}: complete false"
        result.links.append(part_not_read(
            _loc(rel, complete), address, "the plan (complete: false)",
            f"the plan is incomplete: {why}; resources outside it are not judged",
            "scan a complete plan (without -target, after the deferred changes are applied), or the configuration",
            f"an approval for rule XB002 in .xborder.yaml with this plan's path and `resource: \"{address}\"`", SOURCE))


def _resource(
    plan: Plan, address: str, rel: str, sources: _Sources | None, providers: dict[tuple[str, str, str], ProviderConfig]
) -> Resource | None:
    planned = plan.planned.get(address)
    change = plan.changes.get(address)
    info: dict[str, Any] = planned[0] if planned else change[0]  # type: ignore[index]
    if info.get("mode", "managed") != "managed":
        return None  # data sources are read, not created
    node = planned[1] if planned else change[1]  # type: ignore[index]
    instance = planned[2] if planned else str(info.get("module_address") or split_module(address)[0])
    rtype, name = str(info.get("type", "")), str(info.get("name", ""))
    values: dict[str, Any] = dict(_as_dict(info.get("values")))
    unknown: Any = {}
    forgotten = address in plan.forgotten
    if forgotten:
        before = _as_dict(change[0].get("change")).get("before") if change else None  # type: ignore[index]
        values = dict(before) if isinstance(before, dict) else dict(plan.prior.get(address, {}))
        change = None  # no `after`: what stays is what was
    if change is not None:
        ch = _as_dict(change[0].get("change"))
        after = ch.get("after")
        if isinstance(after, dict):
            for key, value in after.items():
                if key not in values or values[key] is None:
                    values[key] = value
        unknown = ch.get("after_unknown") or {}
    config = plan.config_resource(instance, "managed", rtype, name)
    expressions = _as_dict(config.get("expressions")) if config else {}
    attrs = _Resolver(plan, instance).apply(values, unknown if isinstance(unknown, dict) else {}, expressions)
    if not isinstance(attrs, dict):
        attrs = {}
    if forgotten:  # no configuration block is left to say what an id refers to: the id of a resource of the plan does
        attrs = {k: _by_id(plan, v) for k, v in attrs.items()}

    provider_name = str(info.get("provider_name") or (change[0].get("provider_name") if change else "") or "")
    key = str(config.get("provider_config_key")) if config and config.get("provider_config_key") else _provider_type(provider_name)
    cache_key = (key, provider_name, instance)
    if cache_key not in providers:
        providers[cache_key] = _provider(plan, key, provider_name, instance)

    attr_locations: dict[str, Location] = {}
    values_node = node.get("values") if planned else None
    if values_node is None and change is not None:
        ch_node = change[1].get("change")
        values_node = ch_node.get("after") if ch_node is not None else None
    if values_node is None and forgotten:
        ch_node = node.get("change")
        values_node = ch_node.get("before") if ch_node is not None else None
    if values_node is not None and values_node.kind == "object":
        for k, v in values_node.value:
            attr_locations[k] = Location(rel, v.key_line or v.line, v.key_col or v.col, v.end_line, v.end_col, k)

    related: list[Location] = []
    notes: list[str] = []
    if forgotten:
        notes.append("Terraform stops managing this resource (removed with destroy = false): the object stays, unmanaged; "
                     "judged as it is in the prior state")
    if address in plan.deferred:
        notes.append(f"Terraform deferred this change to a later round ({plan.deferred[address]}): what it will be "
                     "is read from deferred_changes, unknown values are unknown ends")
    if sources is not None:
        cpath = config_path(instance)
        src = sources.find(cpath, "resource", rtype, name)
        if src is not None:
            related.append(src)
        if cpath:
            parent_path = cpath.rsplit(".module.", 1)[0] if ".module." in cpath else ""
            call = sources.find(parent_path, "module", cpath.rsplit("module.", 1)[-1])
            if call is not None:
                related.append(call)
    return Resource(
        source=SOURCE,
        type=rtype,
        name=name,
        address=address,
        attrs=attrs,
        location=_loc(rel, node),
        provider=providers[cache_key],
        related=related,
        notes=notes,
        attr_locations=attr_locations,
    )
