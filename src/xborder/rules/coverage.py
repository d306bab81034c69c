"""What xborder could not judge: reported as findings so that a clean run means "nothing left unjudged"."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind
from xborder.rules.base import RuleInfo
from xborder.rules.common import finding


@dataclass
class UnjudgedRule:
    """Links of one kind that no crossing rule can judge: a part not read (a module not on disk or a part of a
    template or config xborder does not analyse, XB002; a device config in a format xborder does not read,
    XB003) or a connectivity type whose ends xborder cannot place (XB004).

    `cases` maps a link's resource type (None: any type) to (message, acceptance). The message may use
    `{label}` (the link's first end) and `{type}` (its resource type); the acceptance says how to accept the
    finding deliberately and may use `{rule}` (empty: the link's own notes say it, as where it depends on the part).
    """

    info: RuleInfo
    kind: LinkKind
    cases: dict[str | None, tuple[str, str]]

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        out = []
        for link in links:
            if link.kind is not self.kind:
                continue
            case = self.cases.get(link.resource_type) or self.cases.get(None)
            if case is None:
                continue
            message, accept = case
            label = link.a.label if link.a else link.address
            extra = [*link.notes] + ([accept.format(rule=self.info.id)] if accept else [])
            out.append(finding(self.info, replace(link, notes=[]),
                               message.format(label=label, type=link.resource_type), extra=extra))
        return out


def accept_by_approval_or_comment(what: str, block: str, prefix: str = "") -> str:
    """The acceptance text of a finding on a block: an approval in .xborder.yaml or an ignore comment above it."""
    return (f"{prefix}to accept it deliberately: an approval for rule {{rule}} with this {what} in .xborder.yaml, "
            f"or `# xborder:ignore {{rule}} reason=\"...\"` above the {block}")
