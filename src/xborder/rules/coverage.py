"""What xborder could not judge: reported as findings so that a clean run means "nothing left unjudged"."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind
from xborder.rules.base import RuleInfo
from xborder.rules.common import finding


@dataclass
class UnjudgedRule:
    """Links of one kind that no crossing rule can judge: a part not read (a module not on disk, XB002; a device
    config in a format xborder does not read, XB003) or a connectivity type whose ends xborder cannot place (XB004).

    `message` may use `{label}` (the link's first end) and `{type}` (its resource type); `accept` says how to accept
    the finding deliberately and may use `{rule}`. `resource_type` None takes every link of `kind`.
    """

    info: RuleInfo
    kind: LinkKind
    resource_type: str | None
    message: str
    accept: str

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        accept = self.accept.format(rule=self.info.id)
        return [
            finding(self.info, replace(link, notes=[]),
                    self.message.format(label=link.a.label if link.a else link.address, type=link.resource_type),
                    extra=[*link.notes, accept])
            for link in links
            if link.kind is self.kind and self.resource_type in (None, link.resource_type)
        ]


def accept_by_approval_or_comment(what: str, block: str, prefix: str = "") -> str:
    """The acceptance text of a finding on a block: an approval in .xborder.yaml or an ignore comment above it."""
    return (f"{prefix}to accept it deliberately: an approval for rule {{rule}} with this {what} in .xborder.yaml, "
            f"or `# xborder:ignore {{rule}} reason=\"...\"` above the {block}")
