"""What xborder could not read: reported as findings so that a clean run means "nothing unread"."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind
from xborder.rules.base import RuleInfo
from xborder.rules.common import finding


@dataclass
class NotReadRule:
    """A part of the configuration (a module not on disk) whose links cannot be judged at all."""

    info: RuleInfo
    noun: str = "Module not read"

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        accept = ("to accept it deliberately: an approval for rule XB002 with this module's address or path in "
                  ".xborder.yaml, or `# xborder:ignore XB002 reason=\"...\"` above the module block")
        return [
            finding(self.info, replace(link, notes=[]),
                    f"{self.noun}: {link.a.label} was not read, so the links inside it are not judged",
                    extra=[*link.notes, accept])
            for link in links
            if link.kind is LinkKind.NOT_READ
        ]
