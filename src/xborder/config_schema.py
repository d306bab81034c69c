"""The shape of `.xborder.yaml`, described once: the loader checks YAML nodes against it and the JSON Schema
for editors (`schemas/xborder.schema.json`) is generated from it.

Why a table in Python rather than the JSON Schema as the source: the loader must keep YAML's line numbers,
read scalars as their raw text (`country: NO` is Norway, not `false`), suggest close key names, and go on
past a bad entry; and it needs checks a schema cannot express (CIDR host bits, globs that match no file,
duplicate site names, regions missing from the policy tables). Driving `jsonschema` would have made it a
runtime dependency and still needed a node map and a message table per keyword. Here every schema keyword
comes from one description, `check` enforces each of them with the line of the offending node, and
`tests/test_config.py` regenerates the schema and compares it with the committed file byte for byte.

Regenerate after editing: `python -m xborder.config_schema --write`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Union

import yaml

SCHEMA_FILE = "schemas/xborder.schema.json"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"


@lru_cache(maxsize=1)
def iso_country_codes() -> tuple[str, ...]:
    data = json.loads(resources.files("xborder").joinpath("schemas/iso3166.json").read_text(encoding="utf-8"))
    return tuple(sorted(data["codes"]))


# --------------------------------------------------------------------------------------------- description


@dataclass(frozen=True)
class Text:
    """A scalar read as its text (stripped). `invalid(value)` words the error when a constraint fails."""

    description: str = ""
    pattern: str | None = None  # must match (Python and ECMA-262 read it the same way)
    forbid: str | None = None  # must not match
    enum: Callable[[], tuple[str, ...]] | None = None  # allowed values (compared upper-cased when `upper`)
    upper: bool = False
    invalid: Callable[[str], str] = lambda v: f"'{v}' is not valid"
    name: str | None = None  # a $defs entry in the JSON Schema
    as_list: str = ""  # said after "must be a string" when a list is given (how to write several values)


@dataclass(frozen=True)
class Integer:
    """A whole-number field of `.xborder.yaml`, with its bounds and the message for a value that is not one."""

    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    invalid: Callable[[str], str] = lambda v: f"'{v}' must be a whole number"


@dataclass(frozen=True)
class Seq:
    """A list; an empty value (`sites:`) is an empty list."""

    items: "Spec"
    description: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Mapping:
    """A mapping of `.xborder.yaml`: its keys, which are required, and the texts its documentation and errors use."""

    properties: dict[str, "Spec"]
    required: tuple[str, ...] = ()
    docs: dict[str, str] = field(default_factory=dict)  # a description per key (on the key, not on a shared $defs entry)
    why: dict[str, str] = field(default_factory=dict)  # said after "'x' is required"
    any_of: tuple[str, ...] = ()  # at least one of these keys
    description: str = ""
    label: str | None = None  # how fields are named once the mapping's `name` is known: "site '{name}'"
    nullable: bool = False
    name: str | None = None
    title: str | None = None
    whole: bool = False  # an invalid field voids the mapping: a dropped field must not widen what it says (approvals)


Spec = Union[Text, Integer, Seq, Mapping]

_RELATIVE = "must be a path relative to the directory of the configuration file (no '..', not absolute)"

GLOBS = Seq(
    Text(forbid=r"^([\\/]|[A-Za-z]:[\\/])|(^|[\\/])\.\.([\\/]|$)", invalid=lambda v: f"'{v}' {_RELATIVE}"),
    description="Globs relative to the directory of .xborder.yaml; ** spans directories.",
    name="globs",
)

_COUNTRY_HINTS = {"UK": "GB", "EL": "GR", "CHN": "CN", "HKG": "HK", "MAC": "MO", "TWN": "TW", "USA": "US"}


def _country_invalid(value: str) -> str:
    hint = _COUNTRY_HINTS.get(value.upper())
    extra = f"; did you mean '{hint}'?" if hint else ""
    return (f"'{value}' is not an ISO 3166-1 alpha-2 country code "
            f"(CN is mainland China; HK, MO, TW are separate codes){extra}")


def _host_invalid(value: str) -> str:
    if "*" in value:
        return f"'{value}': wildcards are not supported; list each host name"
    return f"'{value}' is not a host name"


COUNTRY = Text(
    description="ISO 3166-1 alpha-2. CN is mainland China; HK, MO and TW are offshore.",
    enum=iso_country_codes, upper=True, invalid=_country_invalid, name="country",
)

SITE = Mapping(
    {
        "name": Text(),
        "country": COUNTRY,
        "paths": GLOBS,
        "cidrs": Seq(Text(pattern=r"^([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)(/[0-9]{1,3})?$",
                          invalid=lambda v: f"'{v}' is not a CIDR block (like 58.247.0.0/24 or 2400:da00::/32)"),
                     description="Address blocks of this site (IPv4 or IPv6 CIDR)."),
        "hosts": Seq(Text(pattern=r"^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?$", invalid=_host_invalid),
                     description="Host names of this site (exact, case-insensitive)."),
    },
    required=("name", "country"), docs={"paths": "Config files of devices at this site."},
    label="site '{name}'", name="site",
)

CLOUDFORMATION = Mapping(
    {
        "paths": GLOBS,
        "region": Text(pattern=r"^[a-z]{2}(-[a-z0-9]+)*-[0-9]+$",
                       invalid=lambda v: f"'{v}' does not look like a region name (like cn-north-1 or ap-east-1)"),
        "parameters": Text(description="The parameter values these stacks are deployed with: a JSON file, relative to this "
                                       "file, as `aws cloudformation create-stack --parameters file://...` takes it "
                                       "([{ParameterKey, ParameterValue}]) or as a CodePipeline template configuration "
                                       "({Parameters: {name: value}})."),
    },
    required=("paths", "region"), name="cloudformation",
)

APPROVAL = Mapping(
    {
        "rule": Text(),
        "resource": Text(),
        "path": Text(),
        "reason": Text(),
        "reference": Text(),
        "expires": Text(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD",
                        invalid=lambda v: f"'{v}' is not a date in the form YYYY-MM-DD"),
        "fingerprint": Text(pattern=r"^[0-9a-f]{32}( *, *[0-9a-f]{32})*$",
                            description="the finding's fingerprint (the inventory's link id), or several separated by "
                                        "commas: a finding whose link other allowed parameter values deploy with other "
                                        "ends lists their fingerprints too (its `twins`); one link's only: one approval "
                                        "per link",
                            invalid=lambda v: f"'{v}' is not a fingerprint (32 lowercase hex digits, or several separated by commas)",
                            as_list="the fingerprint of the one link it approves and of each of its twins (the other "
                                    "deployments its finding names), separated by commas: fingerprint: A, B; one "
                                    "approval per link"),
    },
    required=("reason",), why={"reason": " (why the link is acceptable)"},
    any_of=("rule", "resource", "path", "fingerprint"),
    name="approval", whole=True,
)

OPERATOR = Mapping(
    {"name": Text(), "aliases": Seq(Text()), "source": Text()},
    required=("name",), name="operator",
)

CONFIG = Mapping(
    {
        "sites": Seq(SITE, description="Sites; their cidrs and hosts take precedence over IP registry data."),
        "cloudformation": Seq(CLOUDFORMATION),
        "approvals": Seq(APPROVAL),
        "licensed_operators": Seq(OPERATOR),
        "max_approval_days": Integer(
            minimum=1, maximum=3660,
            description="Longest time ahead an inline until= or an approval's expires may be, in days (default 731).",
            invalid=lambda v: f"'{v}' must be a whole number of days from 1 to 3660"),
        "exclude": GLOBS,
    },
    docs={"exclude": "Paths the scan leaves out, like --exclude: a name without / matches at any depth."},
    nullable=True, title=".xborder.yaml",
    description="xborder configuration: where the organisation's sites are, CloudFormation regions, "
                "approved findings and licensed operators.",
)


# --------------------------------------------------------------------------------------------- JSON Schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that editors use, generated from `CONFIG`."""
    defs: dict[str, Any] = {}

    def emit(spec: Spec, doc: str = "") -> dict[str, Any]:
        name = getattr(spec, "name", None)
        if name is None:
            return body(spec, doc)
        if name not in defs:
            defs[name] = {}  # reserve the place: $defs are listed in order of first use
            defs[name] = body(spec, "")
        return {"$ref": f"#/$defs/{name}", **({"description": doc} if doc else {})}

    def body(spec: Spec, doc: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        description = doc or spec.description
        if isinstance(spec, Mapping):
            if spec.title:
                out["title"] = spec.title
            if description:
                out["description"] = description
            out["type"] = ["object", "null"] if spec.nullable else "object"
            out["additionalProperties"] = False
            if spec.required:
                out["required"] = list(spec.required)
            if spec.any_of:
                out["anyOf"] = [{"required": [k]} for k in spec.any_of]
            out["properties"] = {k: emit(v, spec.docs.get(k, "")) for k, v in spec.properties.items()}
            return out
        if isinstance(spec, Seq):
            out["type"] = ["array", "null"]  # an empty value (`sites:`) is an empty list
        else:
            out["type"] = "string" if isinstance(spec, Text) else "integer"
        if description:
            out["description"] = description
        if isinstance(spec, Seq):
            out["items"] = emit(spec.items)
        elif isinstance(spec, Integer):
            out.update({k: v for k, v in (("minimum", spec.minimum), ("maximum", spec.maximum)) if v is not None})
        else:
            out["minLength"] = 1
            if spec.pattern or spec.enum is None:
                out["pattern"] = spec.pattern or r"\S"  # not blank: the loader strips surrounding spaces
            if spec.forbid:
                out["not"] = {"pattern": spec.forbid}
            if spec.enum is not None:
                out["enum"] = list(spec.enum())
        return out

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://xborder.invalid/schemas/xborder.schema.json",
        **body(CONFIG, ""),
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------- checking


@dataclass
class Checked:
    """A node that passed its description; `value` is text, an int, a list of `Checked` or a dict of them."""

    node: yaml.Node
    value: Any
    where: str
    complete: bool = True  # for mappings: every required key present and valid

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1


Report = Callable[[yaml.Node, str], None]


def check(spec: Spec, node: yaml.Node, where: str, report: Report, said: str | None = None) -> Checked | None:
    """Check `node` against `spec`; report each violation at its node's line; None when the node is unusable.

    Lists keep their valid items, mappings their valid fields (`complete` says whether a required one is
    missing or bad), so the caller can keep whatever was valid. A list item's bad value is reported under
    the list's name (`said`): the message quotes the value, which says more than an index."""
    if isinstance(spec, Text):
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            hint = f" ({spec.as_list})" if spec.as_list and isinstance(node, yaml.SequenceNode) else ""
            report(node, f"{where} must be a string{hint}")
            return None
        text = node.value.strip()
        if not text:
            report(node, f"{where} must not be empty")
            return None
        probe = text.upper() if spec.upper else text
        if ((spec.pattern and not re.search(spec.pattern, probe)) or (spec.forbid and re.search(spec.forbid, probe))
                or (spec.enum is not None and probe not in spec.enum())):
            report(node, f"{said or where}: {spec.invalid(text)}")
            return None
        return Checked(node, probe, where)
    if isinstance(spec, Integer):
        raw = node.value if isinstance(node, yaml.ScalarNode) else ""
        ok = isinstance(node, yaml.ScalarNode) and node.tag == _INT and str(raw).isdigit()
        value = int(raw) if ok else 0
        if not ok or (spec.minimum is not None and value < spec.minimum) or (spec.maximum is not None and value > spec.maximum):
            report(node, f"{where}: {spec.invalid(str(raw))}")
            return None
        return Checked(node, value, where)
    if isinstance(spec, Seq):
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return Checked(node, [], where)
        if not isinstance(node, yaml.SequenceNode):
            report(node, f"{where} must be a list")
            return None
        items = [check(spec.items, item, f"{where}[{i}]", report, where) for i, item in enumerate(node.value)]
        return Checked(node, [c for c in items if c is not None], where)
    return _check_mapping(spec, node, where, report)


def _check_mapping(spec: Mapping, node: yaml.Node, where: str, report: Report) -> Checked | None:
    allowed = tuple(spec.properties)
    if spec.nullable and isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
        return Checked(node, {}, where)
    if not isinstance(node, yaml.MappingNode):
        report(node, f"{where} must be a mapping with keys {', '.join(allowed)}")
        return None
    pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            report(key, f"{where}: keys must be plain names")
            continue
        name = key.value
        if name not in spec.properties:
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(allowed)}"
            report(key, f"{where}: unknown key '{name}'{hint}")
            continue
        if name in pairs:
            report(key, f"{where}: duplicate key '{name}'")
            continue
        pairs[name] = (key, value)
    complete = True
    for req in spec.required:
        if req not in pairs:
            report(node, f"{where}: '{req}' is required{spec.why.get(req, '')}")
            complete = False
    if spec.any_of and not any(k in pairs for k in spec.any_of):
        names = [f"'{k}'" for k in spec.any_of]
        report(node, f"{where}: name at least one of {', '.join(names[:-1])} or {names[-1]}")
        complete = False
    fields: dict[str, Checked] = {}
    label = None
    for name, sub in spec.properties.items():  # in description order: `name` first, so later fields use the label
        if name not in pairs:
            continue
        inner = f"{label}: {name}" if label else (name if where == "the top level" else f"{where}.{name}")
        got = check(sub, pairs[name][1], inner, report)
        if got is None:
            if name in spec.required or spec.whole:
                complete = False
            continue
        fields[name] = got
        if name == "name" and spec.label and isinstance(got.value, str):
            label = spec.label.format(name=got.value)
    if spec.any_of and pairs and not any(k in fields for k in spec.any_of) and any(k in pairs for k in spec.any_of):
        complete = False
    return Checked(node, fields, where, complete)


def main(argv: list[str] | None = None) -> int:
    """`--write` regenerates the committed schema; otherwise print it."""
    args = sys.argv[1:] if argv is None else argv
    text = schema_text()
    if args == ["--write"]:
        target = Path(__file__).parent / SCHEMA_FILE
        target.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_FILE}")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
