"""CloudFormation templates -> Resources.

A template is evaluated as far as it can be without deploying it: parameters take their defaults (like
Terraform variables), and each other value of a parameter's `AllowedValues` that a link may depend on is a
world evaluated again (`worlds.py`), `Mappings` and `Conditions` are evaluated, `Ref`/`Fn::GetAtt` to a resource of
the template become `Ref`s the link engine follows, and everything known only at deploy time becomes
an `Unknown` with the reason.

A template does not name its region. It comes from `.xborder.yaml` (`cloudformation: [{paths, region}]`),
or, when the template names an `arn:aws-cn:` ARN, the provider gets `partition: aws-cn` (AWS China, all
of whose regions are mainland); otherwise the region is Unknown with the reason.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import posixpath
import re
from collections.abc import Iterator
from typing import Any

from xborder import lazy
from xborder.globs import glob_match
from xborder.inputs.cloudformation import worlds
from xborder.inputs.cloudformation.syntax import (
    CfnList,
    CfnMap,
    Span,
    TemplateSyntaxError,
    load_template,
    sub_variables,
)
from xborder.model import (
    LoadResult,
    Location,
    ProviderConfig,
    Ref,
    Resource,
    ScanError,
    Unknown,
    part_not_read,
    report_worlds,
)

SOURCE = "cloudformation"
NO_REGION = (
    "CloudFormation templates do not name their region; "
    "set it in .xborder.yaml (cloudformation: [{paths: [...], region: ...}])"
)
KNOWN_TRANSFORMS = ("AWS::Serverless-2016-10-31", "AWS::LanguageExtensions")
MAX_DEPTH = 100
MAX_STEPS = 200_000  # evaluation budget: YAML aliases can make a small file a huge tree

_ARN_CN = re.compile(r"arn:aws-cn:")
_DEPLOY_TIME = ("AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs")


class _NoValue:
    """`AWS::NoValue`: the property is removed."""

    def __repr__(self) -> str:  # pragma: no cover
        return "AWS::NoValue"


NOVALUE = _NoValue()


class _Budget(Exception):
    pass


# ------------------------------------------------------------------------------------------ detection


def is_template(doc: Any) -> bool:
    """A mapping with AWSTemplateFormatVersion, or a Resources mapping holding `Type: AWS::...` entries."""
    if not isinstance(doc, dict):
        return False
    if "AWSTemplateFormatVersion" in doc:
        return True
    resources = doc.get("Resources")
    if not isinstance(resources, dict):
        return False
    return any(
        isinstance(body, dict) and isinstance(body.get("Type"), str) and body["Type"].startswith("AWS::")
        for body in resources.values()
    )


# ------------------------------------------------------------------------------------------ region


def path_matches(pattern: str, rel: str) -> bool:
    """Does the glob match the file, or a directory holding it?"""
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return glob_match(pattern, rel)


def _config_region(ctx: Any, rel: str) -> tuple[str, str] | None:
    """The region `.xborder.yaml` gives this file, with the glob that matched."""
    config = getattr(ctx, "config", None)
    lookup = getattr(config, "cloudformation_region", None)
    if callable(lookup) and getattr(ctx, "root", None) is not None:
        try:
            setting = lookup(rel, ctx.root)
        except Exception:  # noqa: BLE001 - a config problem is reported by the config loader, not here
            setting = None
        if setting is not None and getattr(setting, "region", None):
            paths = getattr(setting, "paths", None) or []
            return str(setting.region), ", ".join(str(p) for p in paths)
        return None
    entries = getattr(config, "cloudformation", None) or []
    for entry in entries:
        paths = entry.get("paths") if isinstance(entry, dict) else getattr(entry, "paths", None)
        region = entry.get("region") if isinstance(entry, dict) else getattr(entry, "region", None)
        if isinstance(paths, str):
            paths = [paths]
        if not region or not paths:
            continue
        for pattern in paths:
            if path_matches(str(pattern), rel):
                return str(region), str(pattern)
    return None


def template_provider(text: str, rel: str, ctx: Any) -> ProviderConfig:
    """Where the template's stack lives, as an `aws` provider configuration."""
    arn = _ARN_CN.search(text)
    arn_line = text.count("\n", 0, arn.start()) + 1 if arn else 0
    configured = _config_region(ctx, rel)
    if configured is not None:
        region, pattern = configured
        origin = f'the stack of {rel} (.xborder.yaml cloudformation paths "{pattern}": region {region})'
        if arn and not region.startswith("cn-"):
            origin += f"; note: the template names an arn:aws-cn: ARN (line {arn_line}), an AWS China partition"
        return ProviderConfig(type="aws", attrs={"region": region}, origin=origin)
    if arn:
        origin = f"the stack of {rel} (the template names an arn:aws-cn: ARN at line {arn_line}, so it is deployed in AWS China)"
        return ProviderConfig(
            type="aws",
            attrs={
                "partition": "aws-cn",
                "region": Unknown(
                    "the template is for AWS China (it names an arn:aws-cn: ARN) but not whether cn-north-1 or cn-northwest-1; "
                    "set it in .xborder.yaml (cloudformation: [{paths: [...], region: ...}])"
                ),
            },
            location=Location(rel, arn_line, 1, arn_line, 1, "arn:aws-cn: ARN"),
            origin=origin,
        )
    return ProviderConfig(type="aws", attrs={"region": Unknown(NO_REGION)}, origin=f"the stack of {rel}")


# ------------------------------------------------------------------------------------------ evaluation


def _is_unknownish(value: Any) -> bool:
    return isinstance(value, (Unknown, Ref))


def _why(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Ref):
        return f"{value.address}.{value.attribute} is known only after deployment"
    return "not a usable value"


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


class Evaluator:
    def __init__(self, template: dict[str, Any], provider: ProviderConfig, overrides: dict[str, Any] | None = None,
                 pinned: dict[str, Any] | None = None) -> None:
        self.template = template
        self.overrides = overrides or {}  # parameter -> the value of this world (one of its AllowedValues)
        self.pinned = pinned or {}  # parameter -> the value the parameters file deploys it with (in place of Default)
        self.region = provider.attrs.get("region")
        self.partition = provider.attrs.get("partition")
        self.parameters = _as_map(template.get("Parameters"))
        self.mappings = _as_map(template.get("Mappings"))
        self.conditions = _as_map(template.get("Conditions"))
        self.resources = _as_map(template.get("Resources"))
        self._params: dict[str, Any] = {}
        self._conds: dict[str, Any] = {}
        self._cond_stack: list[str] = []
        self.steps = 0

    # -- entry points

    def value(self, node: Any, depth: int = 0) -> Any:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()
        if depth > MAX_DEPTH:
            return Unknown(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            fn = _intrinsic(node)
            if fn is not None:
                return self._call(fn, node[fn], depth + 1)
            out = {}
            for key, child in node.items():
                v = self.value(child, depth + 1)
                if v is not NOVALUE:
                    out[key] = v
            return out
        if isinstance(node, list):
            return [v for v in (self.value(child, depth + 1) for child in node) if v is not NOVALUE]
        return node

    def parameter(self, name: str) -> Any:
        if name not in self._params:
            self._params[name] = self._parameter(name)
        return self._params[name]

    def condition(self, name: str) -> Any:
        """True, False or Unknown."""
        if name in self._conds:
            return self._conds[name]
        if name not in self.conditions:
            return Unknown(f"condition {name} is not defined in Conditions")
        if name in self._cond_stack:
            return Unknown(f"condition {name} refers to itself")
        self._cond_stack.append(name)
        try:
            result = self._bool(self.conditions[name], 0)
        finally:
            self._cond_stack.pop()
        if isinstance(result, Unknown):
            result = Unknown(f"condition {name}: {result.reason}")
        self._conds[name] = result
        return result

    # -- pieces

    def _parameter(self, name: str) -> Any:
        spec = self.parameters.get(name)
        if not isinstance(spec, dict):
            return Unknown(f"parameter {name} is not declared")
        if name in self.overrides:
            return self.overrides[name]
        ptype = str(spec.get("Type", "String"))
        if name in self.pinned:
            spec = {**spec, "Default": self.pinned[name]}
            if isinstance(spec["Default"], Unknown):
                return spec["Default"]
        if "Default" not in spec:
            allowed = spec.get("AllowedValues")
            extra = ""
            if isinstance(allowed, list) and allowed:
                extra = f" (allowed: {', '.join(str(a) for a in allowed)})"
            return Unknown(f"parameter {name} has no default{extra}")
        default = spec["Default"]
        if ptype.startswith("AWS::SSM::Parameter::Value"):
            return Unknown(f"parameter {name} is read from SSM parameter {default} at deploy time")
        if ptype == "CommaDelimitedList" or ptype.startswith("List<"):
            if isinstance(default, list):
                return [str(v) for v in default]
            return [part.strip() for part in str(default).split(",")]
        if isinstance(default, (dict, list)):
            return Unknown(f"the default of parameter {name} is not a plain value")
        if isinstance(default, bool):
            return "true" if default else "false"
        return default

    def _ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("Ref needs a name")
        if name == "AWS::NoValue":
            return NOVALUE
        if name == "AWS::Region":
            if self.region is None:
                return Unknown(NO_REGION)
            return self.region
        if name == "AWS::Partition":
            if isinstance(self.partition, str):
                return self.partition
            if isinstance(self.region, str):
                return _partition_of(self.region)
            return Unknown(f"the partition is not known: {NO_REGION}")
        if name == "AWS::URLSuffix":
            part = self._ref("AWS::Partition")
            if isinstance(part, str):
                return "amazonaws.com.cn" if part == "aws-cn" else "amazonaws.com"
            return part
        if name in _DEPLOY_TIME:
            return Unknown(f"pseudo parameter {name} is known only at deploy time")
        if name in self.parameters:
            return self.parameter(name)
        if name in self.resources:
            return Ref(address=name, attribute="Ref")
        if name.startswith("AWS::"):
            return Unknown(f"pseudo parameter {name} is not known statically")
        return Unknown(f"Ref {name} names neither a parameter nor a resource of the template")

    def _getatt(self, arg: Any, depth: int) -> Any:
        if isinstance(arg, str):
            res, _, attr = arg.partition(".")
            arg = [res, attr]
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::GetAtt needs [LogicalId, Attribute]")
        res = arg[0]
        attr = self.value(arg[1], depth)
        if not isinstance(res, str):
            return Unknown("Fn::GetAtt needs a logical id")
        if not isinstance(attr, str):
            return Unknown(f"the attribute of Fn::GetAtt {res} is not known: {_why(attr)}")
        if res not in self.resources:
            return Unknown(f"Fn::GetAtt names {res}, which is not a resource of the template")
        return Ref(address=res, attribute=attr)

    def _sub(self, arg: Any, depth: int) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, list):
            if len(arg) != 2 or not isinstance(arg[1], dict):
                return Unknown("Fn::Sub needs a string or [string, {variables}]")
            template = self.value(arg[0], depth)
            variables = {k: self.value(v, depth) for k, v in arg[1].items()}
        else:
            template = self.value(arg, depth)
        if not isinstance(template, str):
            return Unknown(f"the string of Fn::Sub is not known: {_why(template)}")
        pieces: list[Any] = []
        pos = 0
        for start, end, inner in sub_variables(template):
            pieces.append(template[pos:start])
            pos = end
            name = inner.strip()
            if name.startswith("!"):
                pieces.append("${" + name[1:] + "}")
                continue
            if name in variables:
                pieces.append(variables[name])
            elif "." in name and not name.startswith("AWS::"):
                pieces.append(self._getatt(name, depth))
            else:
                pieces.append(self._ref(name))
        pieces.append(template[pos:])
        pieces = [p for p in pieces if p != ""]
        if len(pieces) == 1 and isinstance(pieces[0], Ref):
            return pieces[0]  # "${Gateway}" is just a reference
        texts = []
        unknown = []
        for p in pieces:
            text = _scalar_text(p)
            if text is None:
                unknown.append(_why(p))
            else:
                texts.append(text)
        if unknown:
            return Unknown(f"Fn::Sub {template!r} depends on values not known statically: {'; '.join(unknown)}")
        return "".join(texts)

    def _join(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Join needs [delimiter, [values]]")
        delim = self.value(arg[0], depth)
        items = self.value(arg[1], depth)
        if not isinstance(delim, str):
            return Unknown(f"the delimiter of Fn::Join is not known: {_why(delim)}")
        if not isinstance(items, list):
            return Unknown(f"the list of Fn::Join is not known: {_why(items)}")
        texts = []
        for item in items:
            text = _scalar_text(item)
            if text is None:
                return Unknown(f"Fn::Join depends on a value not known statically: {_why(item)}")
            texts.append(text)
        return delim.join(texts)

    def _select(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Select needs [index, [values]]")
        index = self.value(arg[0], depth)
        items = self.value(arg[1], depth)
        try:
            i = int(index)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return Unknown(f"the index of Fn::Select is not known: {_why(index)}")
        if not isinstance(items, list):
            return Unknown(f"the list of Fn::Select is not known: {_why(items)}")
        if not 0 <= i < len(items):
            return Unknown(f"Fn::Select index {i} is out of range")
        return items[i]

    def _split(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("Fn::Split needs [delimiter, string]")
        delim = self.value(arg[0], depth)
        text = self.value(arg[1], depth)
        if not isinstance(delim, str) or not delim:
            return Unknown("the delimiter of Fn::Split is not known")
        if not isinstance(text, str):
            return Unknown(f"the string of Fn::Split is not known: {_why(text)}")
        return text.split(delim)

    def _find_in_map(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) not in (3, 4):
            return Unknown("Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]")
        keys = [self.value(a, depth) for a in arg[:3]]
        default = None
        if len(arg) == 4 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
            default = arg[3]["DefaultValue"]
        for k in keys:
            if _scalar_text(k) is None:
                if default is not None:
                    break
                return Unknown(f"Fn::FindInMap key is not known: {_why(k)}")
        else:
            m = self.mappings.get(str(keys[0]))
            top = m.get(_scalar_text(keys[1])) if isinstance(m, dict) else None
            if isinstance(top, dict) and _scalar_text(keys[2]) in top:
                return self.value(top[_scalar_text(keys[2])], depth)
            if default is None:
                return Unknown(f"Fn::FindInMap: {keys[0]}.{keys[1]}.{keys[2]} is not in Mappings")
        return self.value(default, depth)

    def _cidr(self, arg: Any, depth: int) -> Any:
        if not isinstance(arg, list) or len(arg) != 3:
            return Unknown("Fn::Cidr needs [ipBlock, count, cidrBits]")
        block, count, bits = (self.value(a, depth) for a in arg)
        try:
            net = ipaddress.ip_network(str(block), strict=False)
            count, bits = int(count), int(bits)  # type: ignore[arg-type]
            new_prefix = net.max_prefixlen - bits
            if not (net.prefixlen <= new_prefix <= net.max_prefixlen) or count < 1 or count > 256:
                raise ValueError
            out = []
            for i, sub in enumerate(net.subnets(new_prefix=new_prefix)):
                if i >= count:
                    break
                out.append(str(sub))
            return out
        except (TypeError, ValueError):
            return Unknown("Fn::Cidr arguments are not known or not valid")

    def _call(self, fn: str, arg: Any, depth: int) -> Any:
        if fn == "Ref":
            return self._ref(self.value(arg, depth) if isinstance(arg, dict) else arg)
        if fn == "Condition":
            return self.condition(str(arg))
        if fn == "Fn::GetAtt":
            return self._getatt(arg, depth)
        if fn == "Fn::Sub":
            return self._sub(arg, depth)
        if fn == "Fn::Join":
            return self._join(arg, depth)
        if fn == "Fn::Select":
            return self._select(arg, depth)
        if fn == "Fn::Split":
            return self._split(arg, depth)
        if fn == "Fn::FindInMap":
            return self._find_in_map(arg, depth)
        if fn == "Fn::If":
            if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
                return Unknown("Fn::If needs [ConditionName, ValueIfTrue, ValueIfFalse]")
            cond = self.condition(arg[0])
            if isinstance(cond, Unknown):
                return Unknown(f"depends on {cond.reason}")
            return self.value(arg[1] if cond else arg[2], depth)
        if fn in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not"):
            return self._bool({fn: arg}, depth)
        if fn == "Fn::GetAZs":
            return Unknown("Fn::GetAZs lists Availability Zones at deploy time")
        if fn == "Fn::ImportValue":
            name = self.value(arg, depth)
            shown = name if isinstance(name, str) else "(computed name)"
            return Unknown(f"Fn::ImportValue {shown}: the value is exported by another stack")
        if fn == "Fn::Base64":
            text = self.value(arg, depth)
            if isinstance(text, str):
                return base64.b64encode(text.encode("utf-8")).decode("ascii")
            return Unknown(f"Fn::Base64 of a value not known statically: {_why(text)}")
        if fn == "Fn::Cidr":
            return self._cidr(arg, depth)
        if fn == "Fn::Transform":
            name = arg.get("Name") if isinstance(arg, dict) else None
            return Unknown(f"Fn::Transform runs macro {name or '(unnamed)'} at deploy time")
        if fn == "Fn::Length":
            items = self.value(arg, depth)
            return len(items) if isinstance(items, list) else Unknown("Fn::Length of a list not known statically")
        if fn == "Fn::ToJsonString":
            data = self.value(arg, depth)
            if _contains_unknown(data):
                return Unknown("Fn::ToJsonString of values not known statically")
            return json.dumps(data, separators=(",", ":"))
        return Unknown(f"{fn} is not supported")

    def _bool(self, node: Any, depth: int) -> Any:
        """Three-valued: True, False or Unknown."""
        if depth > MAX_DEPTH:
            return Unknown("condition nested too deeply")
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()
        fn = _intrinsic(node) if isinstance(node, dict) else None
        if fn is None and isinstance(node, dict) and len(node) == 1 and isinstance(node.get("Condition"), str):
            fn = "Condition"
        if fn == "Condition":
            return self.condition(str(node["Condition"]))
        if fn == "Fn::Equals":
            arg = node[fn]
            if not isinstance(arg, list) or len(arg) != 2:
                return Unknown("Fn::Equals needs two values")
            left, right = (self.value(a, depth + 1) for a in arg)
            lt, rt = _scalar_text(left), _scalar_text(right)
            if lt is None or rt is None:
                why = _why(left) if lt is None else _why(right)
                return Unknown(why)
            return lt == rt
        if fn in ("Fn::And", "Fn::Or"):
            parts = [self._bool(c, depth + 1) for c in (node[fn] if isinstance(node[fn], list) else [])]
            if not parts:
                return Unknown(f"{fn} needs conditions")
            decisive = fn == "Fn::Or"  # Or: any True decides; And: any False decides
            if any(p is decisive for p in parts):
                return decisive
            unknown = [p for p in parts if isinstance(p, Unknown)]
            return unknown[0] if unknown else (not decisive)
        if fn == "Fn::Not":
            arg = node[fn]
            inner = self._bool(arg[0] if isinstance(arg, list) and len(arg) == 1 else arg, depth + 1)
            return inner if isinstance(inner, Unknown) else not inner
        value = self.value(node, depth + 1)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return Unknown(f"not a condition: {_why(value)}")


def _partition_of(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _contains_unknown(value: Any) -> bool:
    if _is_unknownish(value):
        return True
    if isinstance(value, dict):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(v) for v in value)
    return False


def _intrinsic(node: dict[str, Any]) -> str | None:
    if len(node) != 1:
        return None
    (key,) = node.keys()
    if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::") and not key.startswith("Fn::ForEach::")):
        return key
    return None


def _as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# ------------------------------------------------------------------------------------------ loading


def _loc(rel: str, span: Span | None, label: str = "") -> Location:
    if span is None:
        return Location(rel, 1, 1, 1, 1, label)
    return Location(rel, span[0], span[1], span[2], span[3], label)


def load_cloudformation(text: str, rel: str, ctx: Any, explicit: bool = False, doc: Any = None) -> LoadResult:
    """Evaluate one template; a file that is not a template yields nothing (an error when named explicitly).
    `doc` is `text` already parsed (by recognition, which parses every candidate), or its syntax error:
    not parsed again."""
    result = LoadResult()
    if doc is None:
        try:
            doc = load_template(text)
        except TemplateSyntaxError as e:
            doc = e
    if isinstance(doc, TemplateSyntaxError):
        result.errors.append(ScanError(rel, doc.line, f"CloudFormation template: {doc}"))
        return result
    if not is_template(doc):
        if explicit:
            result.errors.append(ScanError(rel, 1, "not a CloudFormation template (no AWSTemplateFormatVersion and no Resources of AWS:: types)"))
        return result
    resources = doc.get("Resources")
    if "Resources" in doc and not isinstance(resources, dict):
        line = doc.key_spans.get("Resources", (1,))[0] if isinstance(doc, CfnMap) else 1
        result.errors.append(ScanError(rel, line, "Resources must be a mapping"))
        return result
    provider = template_provider(text, rel, ctx)
    _transforms(doc, rel, result)
    configs = _embedded_configs(resources if isinstance(resources, CfnMap) else {}, rel, result, text)
    pinned = _pinned(doc, rel, ctx, result)
    ev = Evaluator(doc, provider, pinned=pinned)
    _evaluate(doc, ev, rel, provider, result, ctx)
    _read_configs(result.resources, configs, ctx, result)
    refused = _defaults_refused(doc, provider, pinned, result)
    worlds.defaults_refused(doc, rel, result, set(pinned))
    own = []
    for world, overrides in worlds.of(doc, rel, ctx, result, _rule_check(doc, provider, pinned), set(pinned),
                                      len(result.resources)):
        scratch = LoadResult()
        _evaluate(doc, Evaluator(doc, provider, overrides, pinned), rel, provider, scratch, ctx)
        _read_configs(scratch.resources, configs, ctx, scratch)
        if refused is not None:
            refused(world.parameter, scratch.resources)
        result.worlds.append((world, scratch.resources, scratch.links))
        own.append((world, scratch.errors, scratch.notes))
    report_worlds(result, own)  # what a world alone could not read, naming it
    return result


MAX_EMBEDDED_NODES = 200_000  # template values walked for embedded configurations (aliases may repeat them)


def _embedded_configs(resources: dict[str, Any], rel: str, result: LoadResult, text: str = "") -> dict[str, tuple[Any, ...]]:
    """XB003 for each VPN configuration written in a string of a resource's `Properties` or `Metadata`
    (`UserData: !Base64 |` text, `Fn::Join` parts joined, `Fn::Sub` templates, cfn-init `files` contents), at
    the line of the key that holds it, unless the resource holds it whole and literally: such configurations are
    returned by logical id (`inputs.embedded.EmbeddedConfig`), read with the resource as their local end once it
    is evaluated (`_read_configs`). `text`: the template's text, where each string's lines are found."""
    from xborder.inputs import embedded  # noqa: PLC0415 - the signatures are read on first use

    configs: dict[str, tuple[Any, ...]] = {}
    budget = [MAX_EMBEDDED_NODES]
    spans = resources.key_spans if isinstance(resources, CfnMap) else {}
    rows = text.split("\n")
    for logical_id, body in resources.items():
        if not isinstance(body, CfnMap):
            continue
        for section in ("Properties", "Metadata"):
            value = body.get(section)
            if value is None:
                continue
            line = body.key_spans.get(section, spans.get(logical_id, (1,)))[0]
            seen: set[str] = set()
            for path, at, string, own, wrap in _strings(value, f"{logical_id}.{section}", line, budget):
                if path in seen:
                    continue
                fmt = embedded.found_in(string)
                if fmt is not None:
                    seen.add(path)
                    why = _read_whole(logical_id, body, spans.get(logical_id), path, string, own, wrap, rows, rel, configs)
                    if why is not None:
                        result.links.append(embedded.link(rel, at, path, fmt, "a template string", "cloudformation", why))
                    continue
                count = embedded.boot_commands(string)
                if count:  # a #cloud-config user data whose runcmd sets up a tunnel: XB002
                    seen.add(path)
                    result.links.append(embedded.boot_link(rel, at, path, count, "a template string", "cloudformation"))
            if budget[0] < 0:  # the walk stopped inside this section: said, never a silent stop
                result.errors.append(ScanError(
                    rel, line, f"resource {logical_id}: the template holds more than {MAX_EMBEDDED_NODES:,} values "
                    f"(YAML aliases?); the strings of {logical_id}.{section} and of the resources after it were not all "
                    "looked at for VPN configurations (XB003) or cloud-init boot commands (XB002)"))
                break
        if budget[0] < 0:
            break
    return configs


_CFN_INIT_FILE = lazy.regex(r"\.AWS::CloudFormation::Init\.[^.]+\.files\.(/.+)\.content$")


def _read_whole(logical_id: str, body: Any, span: Any, path: str, string: str, own: int, wrap: str, rows: list[str],
                rel: str, configs: dict[str, tuple[Any, ...]]) -> str | None:
    """Keep the configurations a resource's string holds whole and literally (into `configs`); None when nothing of
    the string is left unread, else why (what the embedded signatures still find)."""
    from xborder.inputs import embedded  # noqa: PLC0415

    if logical_id.startswith("Fn::") or not isinstance(body.get("Type"), str):
        return "it is not written in a plain resource (a Fn::ForEach loop or a macro), so no machine is known to run it"
    if wrap:
        return wrap
    lines = _lines_of(string, own, rows)
    if lines is None:
        return "its lines could not be found in the template (only a literal block, `|`, or a one-line JSON string is)"
    cfn_init = _CFN_INIT_FILE.search(path)
    family = embedded.family_of(cfn_init.group(1)) if cfn_init else None
    if family is not None:
        found, rest, why = [embedded.Piece(family, string, lines, cfn_init.group(1), "cfn-init files")], "", []
    else:
        found, rest, why = embedded.pieces(string, lines)
    where = path.split(".", 1)[1]
    block = Location(rel, *(span or body.span))  # the resource: inline directives there cover its tunnels
    if cfn_init:
        where = "Metadata"  # (", cfn-init files PATH" follows)
    configs[logical_id] = configs.get(logical_id, ()) + tuple(
        embedded.config_of(piece, rel, where, path.rsplit(".", 1)[-1], block) for piece in found)
    if found and embedded.found_in(rest) is None:
        return None
    return "; ".join(why) or "it is not a whole configuration xborder reads"


def _lines_of(string: str, own: int, rows: list[str]) -> tuple[int, ...] | None:
    """The template line of each line of a string whose key is on line `own`: a literal block (`|`) from the next
    line, each line as written there (its indentation aside); a one-line JSON string on the key's line. None when
    neither holds, checked against the text."""
    parts = string.split("\n")
    first = own + 1
    if first - 1 + len(parts) - 1 <= len(rows):
        ok = True
        for i, part in enumerate(parts):
            row = rows[first - 1 + i] if first - 1 + i < len(rows) else ""
            if (part and not (row.endswith(part) and not row[: len(row) - len(part)].strip())) or (not part and row.strip()
                                                                                                     and i < len(parts) - 1):
                ok = False
                break
        if ok:
            return tuple(range(first, first + len(parts)))
    if 0 < own <= len(rows):
        head = next((p for p in parts if p), "")
        if json.dumps(head)[1:-1] in rows[own - 1] or json.dumps(head, ensure_ascii=False)[1:-1] in rows[own - 1]:
            return (own,) * len(parts)
    return None


def _read_configs(resources: list[Resource], configs: dict[str, tuple[Any, ...]], ctx: Any, result: LoadResult) -> None:
    """The links of the configurations resources hold whole (`_embedded_configs`), with their errors and notes."""
    if not configs:
        return
    from xborder.inputs import embedded  # noqa: PLC0415 - only where a configuration was found

    for r in resources:
        held = configs.get(r.name)
        if held:
            r.embedded = held
            links, errors, notes, _whole = embedded.read(r, ctx.policies)
            result.links.extend(links)
            result.errors.extend(e for e in errors if e not in result.errors)
            result.notes.extend(n for n in notes if n not in result.notes)


def _strings(value: Any, path: str, line: int, budget: list[int]) -> Iterator[tuple[str, int, str, int, str]]:
    """(path, line of the nearest key, text, line of its own key, wrap) of each string `value` holds: a `Fn::Join`
    as the string it joins (a part known only at deploy time as the word VALUE), `Fn::Sub` as its template, other
    intrinsics' members. `wrap` is "" when the string is the value as written (`Fn::Base64` of it, or a `Fn::Sub`
    without variables, decoded back to it), else why not.
    `budget[0]`: values left to walk, set to -1 when values were left unwalked for the lack of it."""
    stack: list[tuple[Any, str, int, int, str]] = [(value, path, line, line, "")]
    while stack:
        if budget[0] <= 0:
            budget[0] = -1  # values were left: the caller says so
            return
        budget[0] -= 1
        v, p, at, own, wrap = stack.pop()
        if isinstance(v, str):
            yield p, at, v, own, wrap
        elif isinstance(v, dict):
            join = v.get("Fn::Join") if len(v) == 1 else None
            if isinstance(join, list) and len(join) == 2 and isinstance(join[0], str) and isinstance(join[1], list):
                yield (p, at, join[0].join(part if isinstance(part, str) else "VALUE" for part in join[1]), own,
                       wrap or "the string is joined by Fn::Join, not written as one text")
                continue
            sub = v.get("Fn::Sub") if len(v) == 1 else None
            if isinstance(sub, str):
                spans = v.key_spans if isinstance(v, CfnMap) else {}
                literal = "${" not in sub.replace("${!", "")
                yield (p, at, sub.replace("${!", "${") if literal else sub, spans.get("Fn::Sub", (own,))[0],
                       wrap or ("" if literal else "the string is a Fn::Sub template with variables: its text is known "
                                                   "only when the stack is deployed"))
                continue
            spans = v.key_spans if isinstance(v, CfnMap) else {}
            for k in reversed(list(v)):
                fn = str(k).startswith("Fn::")
                key_line = spans.get(k, (at,))[0] if not fn else at
                inner = wrap or ("" if not fn or k == "Fn::Base64" else f"the string is inside {k}, not the value as written")
                stack.append((v[k], p if fn else f"{p}.{k}", key_line, spans.get(k, (own,))[0], inner))
        elif isinstance(v, list):
            stack.extend((item, p, at, own, wrap or "the string is an element of a list, not the value as written")
                         for item in reversed(v))


def _pinned(doc: Any, rel: str, ctx: Any, result: LoadResult) -> dict[str, Any]:
    """The values the parameters file `.xborder.yaml` maps to this template deploys it with (`parameters.py`)."""
    from xborder.inputs.cloudformation import parameters  # noqa: PLC0415 - only when configured

    path = parameters.configured(ctx, rel)
    if path is None:
        return {}
    given, errors = parameters.read(ctx, path)
    pinned, refused = parameters.pin(doc, rel, path, given, whole=not errors)
    result.errors.extend(errors + refused)
    return pinned


def _defaults_refused(doc: Any, provider: ProviderConfig, pinned: dict[str, Any], result: LoadResult) -> Any:
    """The defaults are judged even when a template rule forbids them (CloudFormation would refuse the stack as
    they give it, so a deployment gives other values), or may forbid them (a rule xborder cannot evaluate
    statically: it reads the account, or is nested too deeply): each resource's findings then say so (a note).
    Returns, when they are refused or doubtful, `(parameter, resources)` -> the same note on a world's resources
    when a rule that does not name the world's parameter refuses them or may (the world keeps the other
    parameters' defaults); else None."""
    check = _rule_check(doc, provider, pinned)
    if check is None:
        return None
    what = "the template's Defaults and the parameters file's values" if pinned else "the template's Defaults"
    forbidden, doubt = check(None, {}, "them")
    if not forbidden and not doubt:
        return None  # nor can a world's check of the rules not naming its parameter find more, budget aside
    tail = ": CloudFormation refuses the stack with them, so a deployment gives other values"
    note = f"judged with {what}, although {forbidden}{tail}" if forbidden else f"judged with {what}, but {doubt}"
    for resource in result.resources:
        resource.notes.append(note)

    kept_for: dict[str, str] = {}  # per parameter: the same for each of its worlds (the others keep their defaults)

    def in_world(parameter: str, resources: list[Resource]) -> None:
        if parameter not in kept_for:
            kept, doubt = check(None, {}, "them", parameter)
            # a doubt (past the budget the check is not made) is said too: the world is judged
            kept_for[parameter] = (f"judged with {what} for the other parameters, although {kept}{tail}" if kept
                                   else f"judged with {what} for the other parameters, but {doubt}" if doubt else "")
        note = kept_for[parameter]
        if note:
            for resource in resources:
                resource.notes.append(note)

    return in_world


TOO_LARGE = "the template's Rules are too large to be checked for every value"


def _rule_check(doc: Any, provider: ProviderConfig, pinned: dict[str, Any]) -> Any:
    """`worlds.of`'s check of a world against the template's `Rules` (None without Rules: nothing to check)."""
    if not isinstance(doc.get("Rules"), dict):
        return None
    from xborder.inputs.cloudformation import rules  # noqa: PLC0415 - only templates with Rules

    size = rules.size(doc["Rules"])
    spent = [0]  # rule nodes evaluated by this template's checks

    def check(parameter: str | None, overrides: dict[str, Any], it: str = "it", unless: str | None = None) -> tuple[str, str]:
        if spent[0] and spent[0] + size > rules.MAX_WORK:  # each check evaluates the rules again: bounded per template
            return "", (f"{TOO_LARGE} ({size:,} parts; checks of {rules.MAX_WORK:,} parts in all), so a rule may "
                        f"forbid {it}")
        spent[0] += size
        ev = Evaluator(doc, provider, overrides, pinned)

        def value_of(node: Any) -> Any:
            try:
                return ev.value(node)
            except _Budget:
                return Unknown("the rule expands to too many values")

        return rules.check(doc["Rules"], parameter, value_of, it, unless)

    return check


def _evaluate(doc: Any, ev: Evaluator, rel: str, provider: ProviderConfig, result: LoadResult, ctx: Any) -> None:
    """Every resource of the template, evaluated with `ev`'s parameter values, into `result`."""
    resources = doc.get("Resources")
    key_spans = resources.key_spans if isinstance(resources, CfnMap) else {}
    items = _expanded(resources or {}, key_spans, ev, rel, result)
    ev.resources = {**ev.resources, **{lid: body for lid, body, _ in items}}  # `Ref: CgwFra` names a looped resource
    for logical_id, body, span in items:
        line = span[0] if span else 1
        if logical_id == "Fn::Transform" or (isinstance(body, dict) and len(body) == 1 and "Fn::Transform" in body):
            _macro_in_resources(logical_id, body, span, rel, result)
            continue
        if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
            result.errors.append(ScanError(rel, line, f"resource {logical_id} has no Type"))
            continue
        try:
            resource = _resource(ev, rel, logical_id, body, span, provider, result, ctx)
        except _Budget:
            result.errors.append(ScanError(rel, line, f"resource {logical_id}: the template expands to too many values (YAML aliases?); not analysed"))
            ev.steps = 0
            continue
        if resource is not None:
            result.resources.append(resource)


# Resource types whose resources live in another template (the property naming it): a nested stack, a SAM application
NESTED_STACKS = {"AWS::CloudFormation::Stack": "TemplateURL", "AWS::Serverless::Application": "Location"}


_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _nested_in_scan(ctx: Any, rel: str, where: Any, attrs: dict[str, Any]) -> str | None:
    """The template a nested stack deploys, when this scan judges it exactly as deployed: a local path (as `aws
    cloudformation package` / `sam build` take it, relative to this template) to a file inside the tree that is
    a CloudFormation template of this scan, given no `Parameters` (the child is judged with its own defaults,
    which is what it gets), with the same region from `.xborder.yaml` (the child runs in the parent's region).
    Otherwise None (an XB002 finding). No cache entry can hold a stale answer: CloudFormation units are not cached
    one by one, and the whole-scan cache is keyed on the walked files and their contents."""
    templates = getattr(ctx, "cache", {}).get("cloudformation:templates") if ctx is not None else None
    if not templates or not isinstance(where, str) or not where or _URL_SCHEME.match(where) or where.startswith(("/", "\\")):
        return None
    params = attrs.get("Parameters")
    if params is not None and params != {}:
        return None
    child = posixpath.normpath(posixpath.join(posixpath.dirname(rel), where.replace("\\", "/")))
    if child.startswith("../") or child == ".." or child not in templates:
        return None
    if _config_region(ctx, child) != _config_region(ctx, rel):
        return None
    return child


def _accept(address: str, inline: str) -> str:
    return (f"an approval for rule XB002 in .xborder.yaml with this template's path and `resource: \"{address}\"`, "
            f"or {inline}")


_ABOVE = "`# xborder:ignore XB002 reason=\"...\"` on the comment lines above {} (YAML)"
_PROCESSED = "scan the processed template (`aws cloudformation get-template --template-stage Processed`) as well"


def _transforms(doc: Any, rel: str, result: LoadResult) -> None:
    """Template-level macros other than those xborder expands (SAM, LanguageExtensions) rewrite the template at
    deploy time: what they add is not analysed, an XB002 finding at the `Transform` key (`AWS::Include` names a
    snippet in S3; a custom macro runs a Lambda function)."""
    transforms = doc.get("Transform")
    span = doc.key_spans.get("Transform") if isinstance(doc, CfnMap) else None
    for item in transforms if isinstance(transforms, list) else [transforms]:
        name, location = _transform_spec(item) if isinstance(item, dict) else (item, None)
        if isinstance(name, str) and name in KNOWN_TRANSFORMS:
            continue
        if item is None:
            continue
        shown = name if isinstance(name, str) else "(a transform xborder cannot name)"
        what = (f"AWS::Include inserts {location if isinstance(location, str) else 'a snippet'} at deploy time"
                if shown == "AWS::Include" else f"macro {shown} rewrites the template at deploy time")
        result.links.append(part_not_read(
            _loc(rel, span, "Transform"), f"Transform:{shown}", f"transform {shown} in {rel}",
            f"{what}; what it adds or changes is not analysed", _PROCESSED,
            _accept(f"Transform:{shown}", _ABOVE.format("`Transform:`")), SOURCE))


def _transform_spec(spec: Any) -> tuple[Any, Any]:
    """(Name, Parameters.Location) of a transform written as a mapping (`{Name: AWS::Include, Parameters:
    {Location: ...}}`); None for what is missing or not a mapping."""
    if not isinstance(spec, dict):
        return None, None
    params = spec.get("Parameters")
    return spec.get("Name"), params.get("Location") if isinstance(params, dict) else None


def _macro_in_resources(logical_id: str, body: Any, span: Span | None, rel: str, result: LoadResult) -> None:
    """`Fn::Transform` in `Resources` (AWS::Include of resources kept in S3, or another macro): the resources it
    inserts at deploy time are not analysed."""
    name, location = _transform_spec(body if logical_id == "Fn::Transform" else body.get("Fn::Transform"))
    shown = name if isinstance(name, str) else "(unnamed)"
    what = f" inserts {location}" if isinstance(location, str) else " inserts resources"
    address = f"{logical_id}:{shown}" if logical_id == "Fn::Transform" else logical_id
    result.links.append(part_not_read(
        _loc(rel, span, logical_id), address, f"Fn::Transform {shown} in the Resources of {rel}",
        f"{shown}{what} at deploy time; they are not analysed", _PROCESSED,
        _accept(address, _ABOVE.format(f"`{logical_id}`")), SOURCE))


MAX_FOR_EACH_DEPTH = 5  # AWS::LanguageExtensions allows Fn::ForEach nested five deep
MAX_FOR_EACH_RESOURCES = 10_000


def _expanded(
    resources: dict[str, Any], key_spans: dict[str, Span], ev: Evaluator, rel: str, result: LoadResult, depth: int = 0
) -> list[tuple[str, Any, Span | None]]:
    """(logical id, body, span) of every resource, `Fn::ForEach::Loop: [Id, [values], {OutKey${Id}: body}]`
    (AWS::LanguageExtensions) expanded: a VPN written in a loop used to be a note only, so a template of looped
    VPNs scanned clean. `${Id}` / `&{Id}` (alphanumerics only) in keys and strings and `Ref: Id` take each value.
    A collection not known statically stays a note (its resources are not analysed)."""
    out: list[tuple[str, Any, Span | None]] = []
    for logical_id, body in resources.items():
        span = key_spans.get(logical_id)
        if not (isinstance(logical_id, str) and logical_id.startswith("Fn::ForEach::")):
            out.append((logical_id, body, span))
            continue
        line = span[0] if span else 1
        why = ""
        if depth >= MAX_FOR_EACH_DEPTH:
            why = f"nested more than {MAX_FOR_EACH_DEPTH} deep"
        elif not (isinstance(body, list) and len(body) == 3 and isinstance(body[0], str) and isinstance(body[2], dict)):
            why = "not [identifier, collection, {output key: template}]"
        values = ev.value(body[1]) if not why else None
        if not why and not (isinstance(values, list) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in values)):
            why = f"its collection is not known statically ({_why(values)})"
        if why:
            result.links.append(part_not_read(
                _loc(rel, span, logical_id), logical_id, f"{logical_id} (AWS::LanguageExtensions loop in {rel})",
                f"the loop is not expanded: {why}; the resources it makes are not analysed",
                "give the collection statically (a list, or a parameter with a Default), or scan the processed template "
                "(`aws cloudformation get-template --template-stage Processed`)",
                _accept(logical_id, _ABOVE.format("the loop's key")), SOURCE))
            continue
        ident, template = body[0], body[2]
        spans = template.key_spans if isinstance(template, CfnMap) else {}
        for value in values:  # type: ignore[union-attr]
            text = _loop_text(value)
            for out_key, out_body in template.items():
                key = _substitute(out_key, ident, text)
                inner = {key: _substitute(out_body, ident, text)}
                out.extend(_expanded(inner, {key: spans.get(out_key, span)}, ev, rel, result, depth + 1))
                if len(out) > MAX_FOR_EACH_RESOURCES:
                    result.errors.append(ScanError(rel, line, f"{logical_id} expands to more than {MAX_FOR_EACH_RESOURCES} "
                                                          "resources; the rest are not analysed"))
                    return out[:MAX_FOR_EACH_RESOURCES]
    return out


def _loop_text(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _substitute(node: Any, ident: str, value: str) -> Any:
    """`node` with the loop identifier replaced by `value` (a copy; positions kept)."""
    if isinstance(node, str):
        return node.replace("${" + ident + "}", value).replace("&{" + ident + "}", "".join(c for c in value if c.isalnum()))
    if isinstance(node, dict):
        if len(node) == 1 and node.get("Ref") == ident:
            return value
        copy = CfnMap() if isinstance(node, CfnMap) else {}
        for k, v in node.items():
            copy[_substitute(k, ident, value) if isinstance(k, str) else k] = _substitute(v, ident, value)
        if isinstance(node, CfnMap):
            copy.span = node.span
            copy.key_spans = {_substitute(k, ident, value): sp for k, sp in node.key_spans.items()}
        target = copy.get("Ref") if len(copy) == 1 else None
        if isinstance(target, dict) and len(target) == 1 and isinstance(target.get("Fn::Sub"), str) and "${" not in target["Fn::Sub"]:
            copy["Ref"] = target["Fn::Sub"]  # `!Ref {Fn::Sub: Cgw${Id}}` (LanguageExtensions): the name it spells
        return copy
    if isinstance(node, list):
        copy_list = CfnList() if isinstance(node, CfnList) else []
        copy_list.extend(_substitute(v, ident, value) for v in node)
        if isinstance(node, CfnList):
            copy_list.span = node.span
        return copy_list
    return node


def _resource(
    ev: Evaluator, rel: str, logical_id: str, body: dict[str, Any], span: Span | None, provider: ProviderConfig, result: LoadResult,
    ctx: Any = None,
) -> Resource | None:
    notes: list[str] = []
    cond_name = body.get("Condition")
    if isinstance(cond_name, str):
        cond = ev.condition(cond_name)
        if cond is False:
            result.notes.append(f"{rel}: resource {logical_id} is not created (condition {cond_name} is false)")
            return None
        if isinstance(cond, Unknown):
            notes.append(f"{logical_id} exists only when condition {cond_name} holds, which is not known statically ({cond.reason})")
    props = body.get("Properties")
    attrs: Any = {}
    if props is not None:
        attrs = ev.value(props)
    if not isinstance(attrs, dict):
        if attrs is not NOVALUE:
            notes.append(f"the Properties of {logical_id} are not known statically: {_why(attrs)}")
        attrs = {}
    attr_locations: dict[str, Location] = {}
    if isinstance(props, CfnMap):
        for key, kspan in props.key_spans.items():
            attr_locations[key] = _loc(rel, kspan, key)
    rtype = body["Type"]
    if rtype in NESTED_STACKS:
        where = attrs.get(NESTED_STACKS[rtype])
        shown = f" ({where})" if isinstance(where, str) else ""
        child = _nested_in_scan(ctx, rel, where, attrs)
        if child is not None:
            result.notes.append(f"{rel}: nested stack {logical_id} ({rtype}) is {child}, judged as a template of this "
                                "scan (it passes no Parameters, and .xborder.yaml gives both templates the same region)")
        else:
            result.links.append(part_not_read(
                _loc(rel, span, logical_id), logical_id, f"nested stack {logical_id} ({rtype}) in {rel}",
                f"its template{shown} is a separate file or object, deployed with this stack; its resources are not analysed here",
                "scan the nested template as well (its file in the repository, or the object it names)",
                _accept(logical_id, "an `ignore` entry for XB002 in the resource's `Metadata: {xborder: ...}`, or " +
                        _ABOVE.format("the resource")), SOURCE))
    return Resource(
        source=SOURCE,
        type=rtype,
        name=logical_id,
        address=logical_id,
        attrs=attrs,
        location=_loc(rel, span),
        provider=provider,
        notes=notes,
        attr_locations=attr_locations,
    )
