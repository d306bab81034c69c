"""Input plugin: CloudFormation templates (YAML or JSON), found by their content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder.hookmark import hookimpl
from xborder.inputs import TEMPLATE_ENDINGS, reading
from xborder.inputs.reading import read_unit_text
from xborder.model import LoadResult, ScanError

EXTENSIONS = TEMPLATE_ENDINGS  # (`inputs.reads_no_template` tells from them that a scan has no template)
HEAD_BYTES = 4096
MAX_BYTES = 10 * 1024 * 1024
KEEP_PARSED_BYTES = 32 * 1024 * 1024  # templates (source bytes) whose parsed documents wait for their load

_TYPE_PREFIXES = ("AWS::", "Custom::", "Alexa::")
# Strong textual evidence, for files that do not parse.
_VERSION = lazy.regex(r"^[ \t]*[\"']?AWSTemplateFormatVersion[\"']?[ \t]*:", re.MULTILINE)
_RESOURCES = lazy.regex(r"^[ \t]*[\"']?Resources[\"']?[ \t]*:", re.MULTILINE)
_AWS_TYPE = lazy.regex(r"[\"']?Type[\"']?[ \t]*:[ \t]*[\"']?AWS::")
_PLAN = lazy.regex(r"\"format_version\"\s*:")
# An escape that spells a colon, so `::` (in every resource type) need not be written: JSON `\u003a`, YAML
# `\x3a` / `\U0000003a`, and a YAML double-quoted line break escaped away (`"AWS:\` + newline + `:EC2::..."` is
# `AWS::EC2::...`). CloudFormation reads these as the plain text, so the cheap test must not skip such a file
# unparsed. Only colons matter: a template without a literal `::` has one of these (other escapes, as in
# translation files, do not make a file worth parsing).
_ESCAPE = lazy.regex(r"\\(?:u003[aA]|x3[aA]|U0000003[aA]|\r?\n)")


_NOT_PARSED = object()  # recognised by text only (the document did not parse)


def looks_like_template(text: str) -> bool:
    """Is the text a CloudFormation template? Decided by parsing it, whatever its layout."""
    return recognise(text)[0]


def recognise(text: str) -> tuple[bool, Any]:
    """(is it a template, the parsed document, its syntax error or `_NOT_PARSED`): recognition parses the
    text, and the load reuses the outcome instead of parsing the file a second time.

    Minified JSON, CR-only line ends and long comment headers all parse the same; a parsed document
    is a template when it has `AWSTemplateFormatVersion` or a `Resources` mapping holding a resource
    with an `AWS::`/`Custom::`/`Alexa::` type. A file that does not parse is ours only on strong
    textual evidence (so its syntax error is reported rather than the file skipped).
    """
    if "AWSTemplateFormatVersion" not in text and "::" not in text and not _ESCAPE.search(text):
        return False, _NOT_PARSED  # cheap: most YAML and JSON files are not templates
    from xborder.inputs.cloudformation.syntax import TemplateSyntaxError, load_template  # YAML: only when needed

    try:
        doc = load_template(text)
    except TemplateSyntaxError as exc:
        if _PLAN.search(text[:HEAD_BYTES]) and text.lstrip().startswith("{"):
            return False, _NOT_PARSED
        return bool(_VERSION.search(text)) or bool(_RESOURCES.search(text) and _AWS_TYPE.search(text)), exc
    except Exception:  # noqa: BLE001 - a parser surprise: the load reports it if the text looks like a template
        return bool(_VERSION.search(text)), _NOT_PARSED
    if not isinstance(doc, dict):
        return False, _NOT_PARSED
    if "format_version" in doc and ("planned_values" in doc or "resource_changes" in doc):
        return False, _NOT_PARSED  # a Terraform plan that embeds a template body
    if "AWSTemplateFormatVersion" in doc:
        return True, doc
    resources = doc.get("Resources")
    if not isinstance(resources, dict):
        return False, _NOT_PARSED
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith(_TYPE_PREFIXES)
        for r in resources.values()
    ), doc


@dataclass
class TemplateUnit:
    """One CloudFormation template; the text parsed while recognising it is kept for the load."""

    name: str  # path relative to the scan root
    explicit: bool = False
    error: str = ""  # set when the file is one of ours but cannot be read
    parsed: tuple[str, Any] | None = field(default=None, repr=False, compare=False)  # (text, document or syntax error)

    def load(self, ctx: Any) -> LoadResult:
        from xborder.inputs.cloudformation.loader import load_cloudformation  # only when a template is read

        if self.error:
            return LoadResult(errors=[ScanError(self.name, 1, self.error)])
        if self.parsed is not None:
            (text, doc), self.parsed = self.parsed, None  # used once; the tree is not kept past the load
            return load_cloudformation(text, self.name, ctx, explicit=self.explicit, doc=doc)
        text = read_unit_text(ctx, self.name, "CloudFormation template")
        if isinstance(text, ScanError):
            return LoadResult(errors=[text])
        return load_cloudformation(text, self.name, ctx, explicit=self.explicit)


def sniff(path: Path, rel: str, explicit: bool, keep: list[int] | None = None) -> TemplateUnit | None:
    """A unit when the file is a template. Its parsed document is kept for the load while `keep` (bytes of
    source whose trees may wait in memory between collection and loading) allows; beyond, the load parses again."""
    try:
        data = reading.read_bytes(path, MAX_BYTES)
    except reading.ReadRefused as exc:
        if exc.size is None:
            return None
        try:  # too large: still say so when the head shows a template
            head = reading.read_bytes(path, 64 * 1024, head=True).decode("utf-8", errors="replace")
        except OSError:
            return None
        if "AWSTemplateFormatVersion" in head or _AWS_TYPE.search(head):
            return TemplateUnit(rel, explicit, f"CloudFormation template larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
        return None
    except OSError:
        return None
    wide = reading.wide_encoding(data)
    if wide:  # UTF-16/32 (Windows PowerShell's `>`): never skipped unread, and never judged as if UTF-8
        if not recognise(data.decode(wide, errors="replace"))[0]:
            return None
        return TemplateUnit(rel, explicit, f"CloudFormation template in {wide.upper()}; CloudFormation reads UTF-8 "
                                           "templates: save it as UTF-8 to have it checked; not read")
    try:
        text, strict = data.decode("utf-8"), True
    except UnicodeDecodeError:
        text, strict = data.decode("utf-8", errors="replace"), False  # the load reports the encoding
    ours, doc = recognise(text)
    if not ours:
        return None
    unit = TemplateUnit(rel, explicit)
    if strict and doc is not _NOT_PARSED and keep is not None and keep[0] >= len(data):
        keep[0] -= len(data)
        unit.parsed = (text, doc)
    return unit


def _loaded_configs(ctx: Any) -> set[str]:
    path = getattr(getattr(ctx, "config", None), "path", None)
    if path is None:
        return set()
    try:
        return {Path(path).resolve().relative_to(Path(ctx.root).resolve()).as_posix()}
    except (ValueError, OSError):
        return set()


@hookimpl
def xborder_collect(files: list[str], ctx: Any) -> list[Any]:
    explicit_files = getattr(getattr(ctx, "options", None), "explicit_files", None) or set()
    keep = [KEEP_PARSED_BYTES]
    # the configuration this scan loaded is never a template; any other file named `.xborder.yaml` may be one
    # (CloudFormation deploys a template under any name), and content decides (a configuration never parses as one)
    configs = _loaded_configs(ctx)
    units = []
    for rel in files:
        if not rel.lower().endswith(EXTENSIONS) or rel in configs:
            continue
        explicit = rel in explicit_files  # a file below node_modules/ etc. arrives only when that folder was named
        unit = sniff(ctx.abs(rel), rel, explicit, keep)
        if unit is not None:
            units.append(unit)
    # the templates this scan reads: a nested stack whose local template is one of them is judged there (loader)
    ctx.cache["cloudformation:templates"] = frozenset(u.name for u in units if not u.error)
    return units
