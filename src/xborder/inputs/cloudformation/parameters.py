"""The parameter values a stack is deployed with, from the parameters file `.xborder.yaml` maps to its template.

A template's Default only pre-fills the console, so each other AllowedValue is judged as its own world (`worlds.py`).
A team that knows what it deploys says so as Terraform users do with tfvars: `cloudformation: [{paths, region,
parameters: FILE}]`, FILE being what `aws cloudformation create-stack --parameters file://FILE` takes
(`[{"ParameterKey": "CgwIp", "ParameterValue": "223.5.5.5"}]`) or a CodePipeline template configuration
(`{"Parameters": {"CgwIp": "223.5.5.5"}}`). A pinned parameter takes that value and makes no world. CloudFormation
refuses a stack whose value is not one of the parameter's AllowedValues, or that names a parameter the template does
not declare: both are errors at the parameters file, and a refused value reads as unknown.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder.inputs import reading
from xborder.model import ScanError, Unknown, some_values, world_text

MAX_BYTES = 1_000_000  # a parameters file is a few lines; a larger one is refused


def configured(ctx: Any, rel: str) -> str | None:
    """The parameters file (scan-root-relative) `.xborder.yaml` maps to template `rel`, from the first
    `cloudformation` entry whose paths match it (the entry that gives its region); None without one."""
    config = getattr(ctx, "config", None)
    lookup = getattr(config, "cloudformation_region", None)
    if lookup is None:
        return None
    setting = lookup(rel, ctx.root)
    if setting is None or not getattr(setting, "parameters", ""):
        return None
    return file_of(config, setting, ctx.root)


def file_of(config: Any, setting: Any, root: Any) -> str:
    """The parameters file of a `cloudformation` entry, relative to the scan root (POSIX)."""
    root = Path(root)
    base = config.base_dir if config.base_dir is not None else root
    try:
        root = root.resolve()  # the config's directory is resolved (config.load_config)
    except OSError:
        pass
    return Path(os.path.relpath(os.path.normpath(Path(base) / setting.parameters), root)).as_posix()


def read(ctx: Any, path: str) -> tuple[dict[str, tuple[str | None, int]], list[ScanError]]:
    """{parameter: (value, line)} of a parameters file (value None: `UsePreviousValue`, the stack's current value,
    one of those the template allows: judged as worlds), and its errors."""
    try:
        data = reading.read_bytes(Path(ctx.abs(path)) if hasattr(ctx, "abs") else Path(ctx.root) / path, MAX_BYTES)
    except reading.ReadRefused as exc:
        return {}, [ScanError(path, 0, f"CloudFormation parameters file: {exc.strerror}; nothing is pinned")]
    except FileNotFoundError:
        return {}, [ScanError(path, 0, "CloudFormation parameters file named in .xborder.yaml does not exist; nothing is pinned")]
    except OSError as exc:
        return {}, [ScanError(path, 0, f"CloudFormation parameters file: cannot read: {exc.strerror or exc}; nothing is pinned")]
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text)
    except UnicodeDecodeError:
        return {}, [ScanError(path, 1, "CloudFormation parameters file: not UTF-8 text; nothing is pinned")]
    except json.JSONDecodeError as exc:
        return {}, [ScanError(path, exc.lineno, f"CloudFormation parameters file: invalid JSON ({exc.msg}); nothing is pinned")]
    except RecursionError:
        return {}, [ScanError(path, 1, "CloudFormation parameters file: nested too deeply; nothing is pinned")]
    pairs: list[tuple[str, Any]] = []
    previous = object()
    if isinstance(doc, list) and all(isinstance(p, dict) and isinstance(p.get("ParameterKey"), str) for p in doc):
        for p in doc:
            use_previous = p.get("UsePreviousValue") is True and "ParameterValue" not in p
            pairs.append((p["ParameterKey"], previous if use_previous else p.get("ParameterValue")))
    elif isinstance(doc, dict) and isinstance(doc.get("Parameters"), dict):
        pairs = list(doc["Parameters"].items())
    else:
        return {}, [ScanError(path, 1, "CloudFormation parameters file: neither [{\"ParameterKey\": ..., \"ParameterValue\": "
                                       "...}] nor {\"Parameters\": {name: value}}; nothing is pinned")]
    out: dict[str, tuple[str | None, int]] = {}
    errors: list[ScanError] = []
    lines = _string_lines(text)
    for key, value in pairs:
        line = lines.get(key, 1)
        if value is previous:
            out[key] = (None, line)
            continue
        shown = world_text(value)
        if shown is None:
            errors.append(ScanError(path, line, f"CloudFormation parameters file: the value of {key} is not a string; "
                                                "it is not pinned"))
            continue
        out[key] = (shown, line)
    return out, errors


def _string_lines(text: str) -> dict[str, int]:
    """The line of the first JSON string whose value is each text, in one pass over the tokens: looking each key up
    in the whole text was quadratic in a file of many keys, and missed a key written with escapes (`"\\u00e9"`)."""
    out: dict[str, int] = {}
    line, at = 1, 0
    for m in _STRING.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        token = m.group()
        try:
            value = json.loads(token) if "\\" in token else token[1:-1]
        except ValueError:  # not a string token after all (the text was read by json.loads: not expected)
            continue
        out.setdefault(value, line)
    return out


_STRING = lazy.regex(r'"(?:[^"\\\n]|\\.)*"')  # a JSON string token: disjoint alternatives, linear


def pin(doc: Any, rel: str, path: str, given: dict[str, tuple[str | None, int]],
        whole: bool = True) -> tuple[dict[str, Any], list[ScanError]]:
    """{parameter: value} the template is evaluated with, and what CloudFormation would refuse: a parameter the
    template does not declare, a value not among the parameter's AllowedValues (then unknown), and (`whole`: the
    file was read) a parameter without Default the file gives no value."""
    params = doc.get("Parameters") if isinstance(doc.get("Parameters"), dict) else {}
    pinned: dict[str, Any] = {}
    errors: list[ScanError] = []
    for name, (value, line) in given.items():
        spec = params.get(name)
        if not isinstance(spec, dict):
            errors.append(ScanError(path, line, f"parameter {name} is not declared by {rel}; CloudFormation refuses to "
                                                "deploy the stack with it"))
            continue
        if value is None:
            continue  # UsePreviousValue
        allowed = spec.get("AllowedValues")
        if isinstance(allowed, list) and value not in {world_text(a) for a in allowed}:
            errors.append(ScanError(path, line, f"parameter {name} = {_short(value)} is not one of its AllowedValues in "
                                                f"{rel}; CloudFormation refuses to deploy the stack, xborder reads it as unknown"))
            pinned[name] = Unknown(f"parameter {name}: its value in {path} is not one of its AllowedValues")
            continue
        pinned[name] = value
    missing = [n for n, spec in params.items() if isinstance(spec, dict) and "Default" not in spec and n not in given]
    if whole and missing:
        errors.append(ScanError(path, 1, f"parameter{'s' if len(missing) > 1 else ''} {some_values(missing)} of {rel} "
                                         f"{'have' if len(missing) > 1 else 'has'} no Default and no value in this file; "
                                         "CloudFormation refuses to deploy the stack"))
    return pinned, errors


def _short(value: str) -> str:
    return value if len(value) <= 100 else value[:97] + "..."
