"""Input plugin: CloudFormation templates (YAML or JSON), found by their content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xborder.context import SKIP_DIRS
from xborder.hookspecs import hookimpl
from xborder.inputs.cloudformation.loader import load_cloudformation
from xborder.inputs.reading import read_unit_text
from xborder.model import LoadResult, ScanError

EXTENSIONS = (".yaml", ".yml", ".json", ".template")
HEAD_BYTES = 4096
MAX_BYTES = 10 * 1024 * 1024

# Cheap look at the head: anything that could start a template.
_HEAD_HINT = re.compile(r"AWSTemplateFormatVersion|AWS::|^[\"']?(?:Resources|Parameters|Mappings|Conditions|Metadata|Transform|Description|Rules|Outputs)[\"']?\s*:", re.MULTILINE)
# Strong evidence, on the whole text.
_VERSION = re.compile(r"^[ \t]*[\"']?AWSTemplateFormatVersion[\"']?[ \t]*:", re.MULTILINE)
_RESOURCES = re.compile(r"^[ \t]*[\"']?Resources[\"']?[ \t]*:", re.MULTILINE)
_AWS_TYPE = re.compile(r"[\"']?Type[\"']?[ \t]*:[ \t]*[\"']?AWS::")
_PLAN = re.compile(r"\"format_version\"\s*:")


def looks_like_template(text: str) -> bool:
    if _PLAN.search(text[:HEAD_BYTES]) and text.lstrip().startswith("{"):
        return False  # a Terraform plan that embeds a template body
    return bool(_VERSION.search(text)) or bool(_RESOURCES.search(text) and _AWS_TYPE.search(text))


@dataclass
class TemplateUnit:
    name: str  # path relative to the scan root
    explicit: bool = False
    error: str = ""  # set when the file is one of ours but cannot be read

    def load(self, ctx: Any) -> LoadResult:
        if self.error:
            return LoadResult(errors=[ScanError(self.name, 1, self.error)])
        text = read_unit_text(ctx, self.name, "CloudFormation template")
        if isinstance(text, ScanError):
            return LoadResult(errors=[text])
        return load_cloudformation(text, self.name, ctx, explicit=self.explicit)


def _skipped_dir(rel: str) -> bool:
    return any(part in SKIP_DIRS for part in rel.split("/")[:-1])


def sniff(path: Path, rel: str, explicit: bool) -> TemplateUnit | None:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    if not _HEAD_HINT.search(head):
        return None
    if size > MAX_BYTES:
        if _VERSION.search(head) or _AWS_TYPE.search(head):
            return TemplateUnit(rel, explicit, f"CloudFormation template larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
        return None
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    if looks_like_template(text):
        return TemplateUnit(rel, explicit)
    return None


@hookimpl
def xborder_collect(files: list[str], ctx: Any) -> list[Any]:
    explicit_files = getattr(getattr(ctx, "options", None), "explicit_files", None) or set()
    units = []
    for rel in files:
        if not rel.lower().endswith(EXTENSIONS) or rel.rsplit("/", 1)[-1] in (".xborder.yaml", ".xborder.yml"):
            continue
        explicit = rel in explicit_files
        if _skipped_dir(rel) and not explicit:
            continue
        unit = sniff(ctx.abs(rel), rel, explicit)
        if unit is not None:
            units.append(unit)
    return units
