"""Rule and coverage documentation, generated from policies/ (one source for explain, README and SARIF)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, TypedDict

from xborder.model import LinkKind
from xborder.policy import load_policies
from xborder.rules.base import RuleInfo

if TYPE_CHECKING:
    from collections.abc import Mapping

    from xborder.links.declarations import Declaration


class _RowReason(TypedDict, total=False):
    reason: str  # not-covered types only: why xborder cannot judge them


class ResourceRow(_RowReason):
    """One resource type in the coverage listing (`xborder resources`)."""

    type: str
    provider: str
    terraform_provider: str
    kinds: list[str]
    rules: list[str]
    policy_file: str


def declarations() -> Mapping[str, list[Declaration]]:
    from xborder.links.declarations import load_declarations
    from xborder.plugins import make_plugin_manager

    pm = make_plugin_manager()
    return load_declarations([s for batch in pm.hook.xborder_link_declarations() for s in batch])


def _no_link_of_their_own() -> dict[str, tuple[str, str, str]]:
    """Types a declaration file lists under `no_link_of_their_own`: type -> (provider, reason, file)."""
    from xborder import yamlfast
    from xborder.plugins import make_plugin_manager

    out: dict[str, tuple[str, str, str]] = {}
    for src in (s for batch in make_plugin_manager().hook.xborder_link_declarations() for s in batch):
        data = yamlfast.safe_load(src.read_text(encoding="utf-8")) or {}
        for rtype, reason in (data.get("no_link_of_their_own") or {}).items():
            out[str(rtype)] = (str(data.get("provider", "")), " ".join(str(reason).split()), str(getattr(src, "name", src)))
    return out


def _rules_by_kind(rules: dict[str, RuleInfo]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for info in sorted(rules.values(), key=lambda r: r.id):
        for kind in info.link_kinds:
            out[kind].append(info.id)
    return out


def resource_rows() -> list[ResourceRow]:
    rules = load_policies().rules
    by_kind = _rules_by_kind(rules)
    rows: list[ResourceRow] = []
    for rtype, decls in sorted(declarations().items()):
        kinds = sorted({d.kind.value for d in decls})
        rule_ids = sorted({r for k in kinds for r in by_kind.get(k, [])})
        row: ResourceRow = {
            "type": rtype,
            "provider": decls[0].provider,
            "terraform_provider": rtype.split("_", 1)[0] if "::" not in rtype else "cloudformation",
            "kinds": kinds,
            "rules": rule_ids,
            "policy_file": decls[0].origin,
        }
        if LinkKind.NOT_COVERED.value in kinds:
            row["reason"] = decls[0].note
        rows.append(row)
    for rtype, (provider, reason, origin) in sorted(_no_link_of_their_own().items()):
        rows.append({"type": rtype, "provider": provider, "terraform_provider": rtype.split("_", 1)[0],
                     "kinds": [LinkKind.NOT_COVERED.value], "rules": [], "policy_file": origin, "reason": reason})
    declared = {row["type"] for row in rows}
    for rtype, (provider, kind) in sorted(_group_types().items()):
        if rtype in declared:
            continue
        rows.append(
            {
                "type": rtype,
                "provider": provider,
                "terraform_provider": rtype.split("_", 1)[0],
                "kinds": [kind],
                "rules": sorted(by_kind.get(kind, [])),
                "policy_file": "xborder.links.groups",
            }
        )
    return sorted(rows, key=lambda row: row["type"])


def _group_types() -> dict[str, tuple[str, str]]:
    """Types judged only as members of a group link (src/xborder/links/groups.py)."""
    from xborder.links.groups import group_types

    return group_types()


def resources_listing(fmt: str) -> str:
    rows = resource_rows()
    if fmt == "json":
        return json.dumps({"resource_types": rows}, indent=2) + "\n"
    width = max((len(r["type"]) for r in rows), default=10)
    lines = [f"{r['type']:<{width}}  {','.join(r['kinds']):<14} {' '.join(r['rules'])}".rstrip() for r in rows]
    providers = sorted({r["terraform_provider"] for r in rows})
    uncovered = [r for r in rows if "reason" in r]
    if uncovered:
        lines.append(f"not covered ({len(uncovered)}): xborder cannot place their ends; a scan reports them as XB004 when they make a link")
        lines.extend(f"  {r['type']}: {r.get('reason', '')}" for r in uncovered)
    lines.append(f"{len(rows)} resource types across {len(providers)} providers")
    return "\n".join(lines) + "\n"


def rules_listing(fmt: str) -> str:
    rules = sorted(load_policies().rules.values(), key=lambda r: r.id)
    if fmt == "json":
        return json.dumps([{"id": r.id, "name": r.name, "severity": r.severity, "title": r.title} for r in rules], indent=2) + "\n"
    return "".join(f"{r.id}  {r.severity:<6}  {r.name:<34} {r.title}\n" for r in rules)


def _sections(info: RuleInfo, types: list[str] | None) -> list[tuple[str, str, bool]]:
    """(heading, body, is_code) of a rule's documentation, in reading order; empty parts left out."""
    suppress = (
        f'`# xborder:ignore {info.id} reason="approval or contract number" until=YYYY-MM-DD` in or directly '
        "above the block, or an approval in .xborder.yaml."
    )
    parts = [
        ("What it finds", info.description, False),
        ("Why it matters", info.rationale, False),
        ("What a compliant setup looks like", info.remediation, False),
        ("Evidence", info.evidence, False),
        ("Example", info.example.strip("\n"), True),
        ("Resource types", ", ".join(f"`{t}`" for t in types or ()), False),
        ("Suppressing", suppress if info.id != "XB001" else "", False),
        ("References", "\n".join(f"- {r.strip()}" for r in info.references if r.strip()), False),
    ]
    return [(h, b, code) for h, b, code in parts if b.strip()]


def _fence(code: str) -> str:
    """A Markdown code fence longer than any backtick run inside `code`."""
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _md_links(text: str) -> str:
    """Bare URLs in a reference list as Markdown autolinks."""
    return re.sub(r"(?m)^- (https?://\S+)$", r"- <\1>", text)


def rule_markdown(info: RuleInfo, types: list[str] | None = None) -> str:
    """A rule's documentation in Markdown: `xborder explain` and SARIF `help.markdown` show the same text."""
    out = [f"# {info.id} {info.name}: {info.title}", f"Severity: **{info.severity}**"]
    for heading, body, code in _sections(info, types):
        if code:
            body = f"{_fence(body)}\n{body}\n{_fence(body)}"
        elif heading == "References":
            body = _md_links(body)
        out.append(f"## {heading}\n\n{body}")
    return "\n\n".join(out) + "\n"


def rule_text(info: RuleInfo) -> str:
    """The same documentation as plain text (SARIF `help.text`)."""
    out = [f"{info.id} {info.name}: {info.title} (severity {info.severity})"]
    out += [f"{heading}:\n{body}" for heading, body, _ in _sections(info, None)]
    return "\n\n".join(out) + "\n"


def types_for(info: RuleInfo) -> list[str]:
    kinds = set(info.link_kinds)
    types = {t for t, decls in declarations().items() if any(d.kind.value in kinds for d in decls)}
    types |= {t for t, (_, kind) in _group_types().items() if kind in kinds}
    return sorted(types)


def rule_id_for(text: str) -> str:
    """A rule id from what `xborder rules` prints: the id (any case) or the kebab-case name."""
    wanted = text.strip()
    for info in load_policies().rules.values():
        if wanted.upper() == info.id or wanted.lower() == info.name:
            return info.id
    return wanted.upper()


def explain(rule_id: str) -> str | None:
    info = load_policies().rules.get(rule_id)
    if info is None:
        return None
    return rule_markdown(info, types_for(info))


__all__ = ["LinkKind", "explain", "rule_id_for", "resources_listing", "rules_listing", "rule_markdown"]
