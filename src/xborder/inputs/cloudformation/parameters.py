"""The parameter values a stack is deployed with, from the parameters file `.xborder.yaml` maps to its template.

A template's Default only pre-fills the console, so each other AllowedValue is judged as its own world (`worlds.py`).
A team that knows what it deploys says so as Terraform users do with tfvars: `cloudformation: [{paths, region,
parameters: FILE}]`, FILE being what `aws cloudformation create-stack --parameters file://FILE` takes
(`[{"ParameterKey": "CgwIp", "ParameterValue": "223.5.5.5"}]`) or a CodePipeline template configuration
(`{"Parameters": {"CgwIp": "223.5.5.5"}}`). A pinned parameter takes that value and makes no world. CloudFormation
refuses a stack whose value is not one of the parameter's AllowedValues, does not match its AllowedPattern, is out of
its MinLength/MaxLength or MinValue/MaxValue, is not a number for a Number, or that names a parameter the template
does not declare: each is an error at the parameters file, and a refused value reads as unknown (`_refused`). A check
xborder cannot make (an AllowedPattern RE2 cannot read as Java reads it; MinLength/MaxLength on a list parameter,
where CloudFormation does not document them) is an error too, and the value is unknown.
"""

from __future__ import annotations

import json
import os
import re
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


def read(ctx: Any, path: str) -> tuple[dict[str, tuple[Any, int]], list[ScanError]]:
    """{parameter: (value, line)} of a parameters file (value None: `UsePreviousValue`, the stack's current value,
    one of those the template allows: judged as worlds; an `Unknown`: several different values), and its errors."""
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
        doc = json.loads(text, object_pairs_hook=_Object)
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
    elif isinstance(doc, _Object) and isinstance(doc.get("Parameters"), _Object):
        if sum(1 for k, _ in doc.pairs if k == "Parameters") > 1:
            return {}, [ScanError(path, _string_lines(text).get("Parameters", 1), "CloudFormation parameters file: "
                                  "\"Parameters\" is given more than once; nothing is pinned")]
        pairs = list(doc["Parameters"].pairs)
    else:
        return {}, [ScanError(path, 1, "CloudFormation parameters file: neither [{\"ParameterKey\": ..., \"ParameterValue\": "
                                       "...}] nor {\"Parameters\": {name: value}}; nothing is pinned")]
    out: dict[str, tuple[Any, int]] = {}
    errors: list[ScanError] = []
    lines = _string_lines(text)
    given: dict[str, list[Any]] = {}  # every value each key is given, duplicates included
    for key, value in pairs:
        given.setdefault(key, []).append(None if value is previous else _Text(world_text(value)))
    for key, values in given.items():
        line = lines.get(key, 1)
        if len(set(values)) > 1:  # which one the deployment takes is not known: neither is judged as the value
            shown = ", ".join("UsePreviousValue" if v is None else "a value that is not a string" if v.text is None
                              else _short(v.text) for v in values[:10])
            errors.append(ScanError(path, line, f"CloudFormation parameters file: {key} is given {len(values)} times, "
                                                f"with different values ({shown}); xborder reads it as unknown"))
            out[key] = (Unknown(f"parameter {key}: {path} gives it several different values"), line)
            continue
        value = values[0]
        if value is None:
            out[key] = (None, line)
            continue
        if value.text is None:
            errors.append(ScanError(path, line, f"CloudFormation parameters file: the value of {key} is not a string; "
                                                "it is not pinned"))
            continue
        out[key] = (value.text, line)
    return out, errors


class _Object(dict):  # type: ignore[type-arg]
    """A JSON object that also keeps its key/value pairs as written, a key given twice included (a dict keeps the
    last: a parameters file giving Hong Kong then Shanghai was read as Shanghai alone)."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.pairs = pairs


class _Text:
    """A given value's text (None: not a plain value), compared by text."""

    __slots__ = ("text",)

    def __init__(self, text: str | None) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Text) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


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


def pin(doc: Any, rel: str, path: str, given: dict[str, tuple[Any, int]],
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
        if isinstance(value, Unknown):  # given several different values
            pinned[name] = value
            continue
        refused = _refused(name, spec, value, rel)
        if refused is not None:
            message, why = refused
            errors.append(ScanError(path, line, message))
            pinned[name] = Unknown(f"parameter {name}: its value in {path} {why}")
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


_REFUSES = "CloudFormation refuses to deploy the stack, xborder reads it as unknown"
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # an integer or float, as written
_WHOLE = re.compile(r"[0-9]+")
# What Java's Double.parseDouble also reads (surrounding control characters and spaces, a d/f suffix, NaN,
# Infinity, hexadecimal): whether CloudFormation's Number check is that is not documented, so such a value is
# neither accepted nor called refused: xborder reads it as unknown and says why
_JAVA_NUMBER = re.compile(r"[\x00-\x20]*[+-]?(?:NaN|Infinity|(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                          r"|0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+)[fFdD]?)[\x00-\x20]*")
UNSURE_NUMBER = "may not be read as a number"


def _refused(name: str, spec: dict[str, Any], value: str, rel: str) -> tuple[str, str] | None:
    """(error, why the value reads as unknown) when CloudFormation refuses `value` for the parameter, or when xborder
    cannot tell whether it does (a constraint it cannot read); None when it accepts it. The checks are those of
    CloudFormation's Parameters section: `AllowedValues` (String; each member of a list), `AllowedPattern` (the whole
    String, each member of a CommaDelimitedList), `MinLength`/`MaxLength` (String and the AWS-specific types such as
    AWS::EC2::VPC::Id; on a list parameter, where CloudFormation does not document them, `_list_lengths`), the Number type (an integer or float; each member of a
    List<Number>) and `MinValue`/`MaxValue` (Number)."""
    ptype = str(spec.get("Type", "String")).strip()
    listed = ptype == "CommaDelimitedList" or ptype.startswith("List<")
    members = list(dict.fromkeys(part.strip() for part in value.split(","))) if listed else [value]  # each once
    shown = f"parameter {name} = {_short(value)}"

    def which(member: str) -> str:
        return f"{shown}: {_short(member)}" if listed else shown

    if ptype in ("Number", "List<Number>"):
        for member in members:
            if _JAVA_NUMBER.fullmatch(member) and not _NUMBER.fullmatch(member):
                return (f"{which(member)}: Java reads {_short(member)!r} as a number, but it is not written as the "
                        f"integer or float CloudFormation documents for Type {ptype} in {rel}; xborder cannot tell "
                        "whether CloudFormation accepts it and reads it as unknown", UNSURE_NUMBER)
            if not _NUMBER.fullmatch(member):
                return f"{which(member)} is not a number (Type {ptype}) in {rel}; {_REFUSES}", "is not a number"
    allowed = spec.get("AllowedValues")
    if isinstance(allowed, list):
        texts = {world_text(a) for a in allowed}
        for member in members:
            if member not in texts:
                return (f"{which(member)} is not one of its AllowedValues in {rel}; {_REFUSES}",
                        "is not one of its AllowedValues")
    if ptype in ("String", "CommaDelimitedList") and "AllowedPattern" in spec:
        pattern = world_text(spec["AllowedPattern"])
        compiled = _pattern(pattern)  # once per parameter, not per member (a 33 KB pattern took 20 ms to compile)
        for member in members:
            why = _pattern_refuses(pattern, member, compiled)
            if why is None:
                continue
            if why:
                return (f"{which(member)}: xborder cannot check it against its AllowedPattern {_short(str(pattern))} in "
                        f"{rel} ({why}); xborder reads it as unknown", "cannot be checked against its AllowedPattern")
            return (f"{which(member)} does not match its AllowedPattern {_short(str(pattern))} in {rel}; {_REFUSES}",
                    "does not match its AllowedPattern")
    if not listed and ptype != "Number" and not ptype.startswith("AWS::SSM::Parameter::Value"):
        # String, and each AWS-specific type (AWS::EC2::VPC::Id...) whose value is the ID or name itself: the console
        # checks their lengths as a String's (cfn-lint accepts MinLength/MaxLength on them, PR 2193); an SSM type's
        # value is read from SSM at deploy time and is unknown to xborder anyway
        for key, shorter in (("MinLength", True), ("MaxLength", False)):
            if key not in spec:
                continue
            bound = _length_bound(spec, key)
            if bound is None:
                return _not_whole(spec, key, rel, shown)
            size = len(value)
            if (size < int(bound)) if shorter else (size > int(bound)):
                return (f"{shown} is {size} character{'s' if size != 1 else ''} long, {'shorter' if shorter else 'longer'} "
                        f"than its {key} {bound.strip()} in {rel}; {_REFUSES}", f"is {'shorter' if shorter else 'longer'} "
                        f"than its {key}")
    elif listed:
        undocumented = _list_lengths(spec, ptype, value, rel, shown)
        if undocumented is not None:
            return undocumented
    if ptype == "Number":
        from decimal import Decimal  # noqa: PLC0415 - only for Number parameters with bounds

        for key, less in (("MinValue", True), ("MaxValue", False)):
            if key not in spec:
                continue
            bound = world_text(spec[key]) if not isinstance(spec[key], bool) else None
            if bound is None or not _NUMBER.fullmatch(bound.strip()):
                return (f"{shown}: its {key} {_short(str(spec[key]))} in {rel} is not a number; xborder cannot check "
                        "the value and reads it as unknown", f"cannot be checked against its {key}")
            number, limit = Decimal(value), Decimal(bound.strip())
            if (number < limit) if less else (number > limit):
                return (f"{shown} is {'less' if less else 'greater'} than its {key} {bound.strip()} in {rel}; {_REFUSES}",
                        f"is {'less' if less else 'greater'} than its {key}")
    return None


def _list_lengths(spec: dict[str, Any], ptype: str, value: str, rel: str, shown: str) -> tuple[str, str] | None:
    """MinLength/MaxLength on a list parameter (CommaDelimitedList, List<...>): CloudFormation documents them for
    String parameters only, and does not say whether it applies them to such a value whole, to each member, or not
    at all (AllowedPattern, by contrast, is documented to match each member). A value every reading accepts is
    accepted; one that a reading refuses cannot be told: unknown, with the reason (never taken as accepted or
    refused)."""
    parts = value.split(",")
    readings = [("the whole value", value), *((f"member {_short(p)!r}", p) for p in dict.fromkeys([*parts, *(p.strip() for p in parts)]))]
    for key, shorter in (("MinLength", True), ("MaxLength", False)):
        if key not in spec:
            continue
        bound = _length_bound(spec, key)
        if bound is None:
            return _not_whole(spec, key, rel, shown)
        limit = int(bound)
        for what, text in readings:
            if (len(text) < limit) if shorter else (len(text) > limit):
                return (f"{shown}: {what} is {len(text)} character{'s' if len(text) != 1 else ''} long, "
                        f"{'shorter' if shorter else 'longer'} than its {key} {limit} in {rel}, but CloudFormation "
                        f"documents {key} for String parameters only, not whether it applies it to a {ptype} (whole or "
                        "to each member); xborder cannot tell whether CloudFormation accepts it and reads it as unknown",
                        f"cannot be checked against its {key} (documented for String parameters only: whether it "
                        f"applies to a {ptype}, whole or to each member, is not)")
    return None


def _length_bound(spec: dict[str, Any], key: str) -> str | None:
    """The text of a MinLength/MaxLength that is a whole number, else None."""
    bound = world_text(spec[key]) if not isinstance(spec[key], bool) else None
    return bound if bound is not None and _WHOLE.fullmatch(bound.strip()) else None


def _not_whole(spec: dict[str, Any], key: str, rel: str, shown: str) -> tuple[str, str]:
    return (f"{shown}: its {key} {_short(str(spec[key]))} in {rel} is not a whole number; xborder cannot "
            "check the value and reads it as unknown", f"cannot be checked against its {key}")


def own_check(name: str, spec: dict[str, Any], value: str, rel: str) -> tuple[str, bool] | None:
    """(why, certain) when the parameter's own constraints refuse `value` (certain) or xborder cannot tell whether
    they do; None when they accept it. For the values a template lists (worlds, the Default), not a file's."""
    refused = _refused(name, spec, value, rel)
    if refused is None:
        return None
    why = refused[1]
    return why, not (why.startswith("cannot be checked") or why == UNSURE_NUMBER)


def _pattern(pattern: str | None) -> tuple[Any, str, bool]:
    """(the RE2 pattern of a Java `pattern`, or None; why there is none; whether part of it is case-insensitive)."""
    if pattern is None:
        return None, "the pattern is not a string", False
    translated, why, caseless = java_to_re2(pattern)
    if translated is None:
        return None, why, caseless
    rx, why = _compiled(translated)
    return rx, why, caseless


def _pattern_refuses(pattern: str | None, value: str, compiled: tuple[Any, str, bool] | None = None) -> str | None:
    """None when `value` matches the Java regular expression `pattern` whole (CloudFormation's AllowedPattern), ''
    when it does not, else why xborder cannot tell. Matched with RE2 (linear time) after `java_to_re2`; a pattern RE2
    would read otherwise than Java, or a value where the two engines differ, is never taken for a match.
    `compiled`: `_pattern(pattern)`, when the caller matches several values."""
    rx, why, caseless = compiled if compiled is not None else _pattern(pattern)
    if rx is None:
        return why
    if any(c in _ENGINES_DIFFER for c in value):
        return "the value holds a line break or vertical tab other than \\n, which Java and RE2 match differently"
    if caseless and not value.isascii():
        return "a case-insensitive pattern and a value with non-ASCII letters, which Java and RE2 fold differently"
    try:
        return None if rx.fullmatch(value) else ""
    except UnicodeEncodeError:
        return "the value holds a lone surrogate"


_ENGINES_DIFFER = "\x0b\r\x85\u2028\u2029"  # Java's `.`, `$` and `\s` treat these apart from RE2's


def _compiled(pattern: str) -> tuple[Any, str]:
    import re2  # noqa: PLC0415 - only with an AllowedPattern

    opts = re2.Options()
    opts.log_errors = False
    try:
        return re2.compile(pattern, opts), ""
    except re2.error as exc:
        msg = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return None, f"RE2 cannot read it: {_short(msg)}"
    except UnicodeEncodeError:
        return None, "the pattern holds a lone surrogate"


# Unicode general categories: `\p{Lu}` means the same in Java and RE2 (Java's POSIX, java* and In/Is names do not exist
# in RE2 or mean other things there)
_CATEGORIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps",
               "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf", "Co", "Cs"}
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]")
_REPEAT = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_HEX = frozenset("0123456789abcdefABCDEF")


def java_to_re2(pattern: str) -> tuple[str | None, str, bool]:
    """(the RE2 spelling of a Java regular expression, or None; why RE2 would read it otherwise than Java; whether a
    part of it is case-insensitive). RE2 refuses what it lacks (look-around, back references, possessive quantifiers,
    `\\p{Alpha}`...): `_compiled` says so. Caught here are the constructs RE2 accepts with another meaning: a class
    inside a class (a union in Java) and `&&` (an intersection), `\\v` (vertical whitespace in Java, the tab
    character in RE2), `\\0` (octal in Java), a `{` that is not a repetition (an error in Java, a literal in RE2), the
    `U` flag (Unicode classes in Java, ungreedy in RE2), property names other than general categories. Java's
    `\\uXXXX` becomes `\\x{XXXX}`."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = caseless = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None, "the pattern ends with a backslash", caseless
            d = pattern[i + 1]
            if d == "Q":  # quoted up to \E or the end, the same in both
                end = pattern.find("\\E", i + 2)
                if end < 0:
                    out.append(pattern[i:] + "\\E")
                    break
                out.append(pattern[i:end + 2])
                i = end + 2
                continue
            if d in "vV0":
                return None, f"\\{d} means something else in Java", caseless
            if d == "u":
                hexa = pattern[i + 2:i + 6]
                if len(hexa) != 4 or not set(hexa) <= _HEX:
                    return None, "a \\u escape without four hex digits", caseless
                out.append(f"\\x{{{hexa}}}")
                i += 6
                continue
            if d in "pP":
                if pattern.startswith("{", i + 2):
                    close = pattern.find("}", i + 3)
                    prop = pattern[i + 3:close] if close > 0 else ""
                    if close < 0 or prop not in _CATEGORIES:
                        return None, f"the property \\{d}{{{_short(prop)}}} is not a Unicode general category", caseless
                    out.append(pattern[i:close + 1])
                    i = close + 1
                    continue
                if i + 2 < n and pattern[i + 2] in "LMNPSZC":
                    out.append(pattern[i:i + 3])
                    i += 3
                    continue
                return None, f"the property \\{d} is not a Unicode general category", caseless
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[":
                return None, "a class inside a character class (a union in Java)", caseless
            if c == "&" and pattern.startswith("&&", i):
                return None, "a character class intersection (&&)", caseless
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            j = i + 1
            if pattern.startswith("^", j):
                j += 1
            if pattern.startswith("]", j):
                return None, "a character class starting with ]", caseless
            in_class = True
            out.append(pattern[i:j])
            i = j
            continue
        if c == "{":
            m = _REPEAT.match(pattern, i)
            if m is None:
                return None, "a { that is not a repetition", caseless
            out.append(m.group())
            i = m.end()
            continue
        if c == "(" and pattern.startswith("(?", i):
            m = _FLAGS.match(pattern, i)
            if m is not None:
                on, off = m.group(1), m.group(2) or ""
                if set(on + off) - {"i", "m", "s"}:
                    shown = f"(?{on}-{off})" if m.group(2) is not None else f"(?{on})"
                    return None, f"the flags {shown} mean other things in RE2", caseless
                caseless = caseless or "i" in on
        out.append(c)
        i += 1
    return "".join(out), "", caseless
