"""Input plugin: Terraform plans exported with `terraform show -json`, found by their content (any file name)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any

from xborder import lazy
from xborder.hookmark import hookimpl
from xborder.inputs import NOT_PLAN_ENDINGS, reading
from xborder.inputs.reading import read_unit_text
from xborder.model import LoadResult, ScanError

HEAD_BYTES = 4096
MAX_BYTES = 10 * 1024 * 1024
# Never plans: Terraform sources and the formats other plugins read (`inputs.reads_no_plan` tells from them that a
# scan has no plan)
SKIP_SUFFIXES = NOT_PLAN_ENDINGS

_FORMAT_VERSION = lazy.regex(r'"format_version"\s*:\s*"')
_PLAN_KEYS = lazy.regex(r'"(?:planned_values|resource_changes)"\s*:')
# the head of a plan whose keys are sorted: `configuration` (provider_config / root_module) before `format_version`
_SORTED_PLAN_HEAD = lazy.regex(r'"configuration"\s*:\s*\{\s*"(?:provider_config|root_module)"\s*:')


@dataclass
class PlanUnit:
    """One `terraform show -json` plan file."""

    name: str  # path relative to the scan root
    error: str = ""

    def load(self, ctx: Any) -> LoadResult:
        if self.error:
            return LoadResult(errors=[ScanError(self.name, 1, self.error)])
        text = read_unit_text(ctx, self.name, "Terraform plan")
        if isinstance(text, ScanError):
            return LoadResult(errors=[text])
        from xborder.inputs.plan.loader import load_plan  # only when a plan is scanned

        return load_plan(text, self.name, ctx)


def sniff(path: Path, rel: str) -> PlanUnit | None:
    """A JSON object with `format_version` and `planned_values` or `resource_changes`.

    `terraform show -json` writes `format_version` first, but a plan passed through `jq -S` or written with
    sorted keys has it after `configuration`, far past any head; and Windows PowerShell 5.1 writes
    `terraform show -json plan > plan.json` as UTF-16. Both are plans, never skipped. A key spelt with JSON
    escapes (`"format_v\\u0065rsion"`) is the same key to every JSON reader: such a text is sniffed with its
    `\\uXXXX` escapes decoded, and a plan found that way is confirmed by a real parse (`_escaped_plan`).
    """
    try:
        size = os.stat(reading.confined(path)).st_size
        head = reading.decode_text(reading.read_bytes(path, HEAD_BYTES, head=True), head=True)
    except OSError:
        return None
    if not head.lstrip("\ufeff \t\r\n").startswith("{"):
        return None
    texts: dict[str, str | None] = {}

    def full() -> str | None:  # the whole text, read at most once
        if "t" not in texts:
            texts["t"] = _full_text(path)
        return texts["t"]

    unit = _plain_plan(rel, size, head, full)
    if unit is not None:
        return unit
    if "\\u" in head or "\\u" in (texts.get("t") or ""):  # past the head: only where the head left a doubt
        return _escaped_plan(rel, size, head, full)
    return None


def _escaped_plan(rel: str, size: int, head: str, full: Callable[[], str | None]) -> PlanUnit | None:
    """`_plain_plan` of the text with its `\\uXXXX` escapes decoded; a plan found so is a plan only when a real
    JSON parse has both keys at the top (a decoded `\\"` may have made a key out of a string value)."""
    def decoded() -> str | None:
        text = full()
        return None if text is None else _unescaped(text)

    unit = _plain_plan(rel, size, _unescaped(head), decoded)
    if unit is None or unit.error:
        return unit
    text = full()
    return unit if text is not None and _plan_at_top(text) else None


_U_ESCAPE = lazy.regex(r"\\u([0-9a-fA-F]{4})")


def _unescaped(text: str) -> str:
    """The text with every `\\uXXXX` replaced by its character (over-approximate: `\\\\u0041` too; confirmed later)."""
    return _U_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "\\u" in text else text


def _plain_plan(rel: str, size: int, head: str, full: Callable[[], str | None]) -> PlanUnit | None:
    """The sniff on a text whose keys are written plainly (or decoded: `_escaped_plan`); `full` reads it all."""
    if not _FORMAT_VERSION.search(head):
        if size > MAX_BYTES:
            if _SORTED_PLAN_HEAD.search(head):
                return PlanUnit(rel, f"Terraform plan larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
            return None
        text = full()
        if text is None or not (_FORMAT_VERSION.search(text) and _PLAN_KEYS.search(text)):
            return None
        return PlanUnit(rel) if _plan_at_top(text) else None
    if _PLAN_KEYS.search(head):
        if size > MAX_BYTES:
            return PlanUnit(rel, f"Terraform plan larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
        return PlanUnit(rel)
    if size > MAX_BYTES:
        if '"terraform_version"' in head and '"values"' not in head:
            return PlanUnit(rel, f"Terraform plan larger than {MAX_BYTES // (1024 * 1024)} MB; skipped")
        return None
    text = full()
    return PlanUnit(rel) if text is not None and _PLAN_KEYS.search(text) else None


def _full_text(path: Path) -> str | None:
    try:
        return reading.decode_text(reading.read_bytes(path, MAX_BYTES), head=True)
    except OSError:
        return None


def _plan_at_top(text: str) -> bool:
    """Are `format_version` and a plan key keys of the top-level object (not of some nested document)? A text
    that is not valid JSON counts as a plan, so the load reports its syntax error instead of skipping it."""
    import json  # noqa: PLC0415 - only for files that mention both keys past the head

    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except (ValueError, RecursionError):
        return True
    return isinstance(doc, dict) and "format_version" in doc and ("planned_values" in doc or "resource_changes" in doc)


@hookimpl
def xborder_collect(files: list[str], ctx: Any) -> list[Any]:
    """Plans among the walk's files. The walk alone decides which folders are scanned (`node_modules` is passed
    over unless named on the command line): no second skip list here."""
    units = []
    for rel in files:
        if rel.lower().endswith(SKIP_SUFFIXES):
            continue
        unit = sniff(ctx.abs(rel), rel)
        if unit is not None:
            units.append(unit)
    return units
