"""What xborder could not read: reported as findings so that a clean run means "nothing unread"."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xborder.context import ScanContext
from xborder.model import Finding, Link, LinkKind
from xborder.rules.base import RuleInfo
from xborder.rules.common import finding


@dataclass
class NotCoveredRule:
    """A connectivity resource of a type whose ends xborder cannot place (policies/links/not-covered.yaml)."""

    info: RuleInfo

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        accept = (f"after checking it by hand, to accept it deliberately: an approval for rule {self.info.id} with this "
                  f"resource's address or path in .xborder.yaml, or `# xborder:ignore {self.info.id} reason=\"...\"` "
                  "above the resource block")
        return [
            finding(self.info, replace(link, notes=[]),
                    f"Connectivity not covered: {link.resource_type} creates network connectivity whose ends xborder "
                    "cannot place, so the links it makes are not judged",
                    extra=[*link.notes, accept])
            for link in links
            if link.kind is LinkKind.NOT_COVERED
        ]


@dataclass
class NotReadRule:
    """A part of the configuration (a module not on disk, a config in a format xborder does not read) whose
    links cannot be judged at all. One rule per kind of part (`resource_type` of the NOT_READ link)."""

    info: RuleInfo
    resource_type: str = "module"
    noun: str = "Module not read"
    accept: str = ("to accept it deliberately: an approval for rule XB002 with this module's address or path in "
                   ".xborder.yaml, or `# xborder:ignore XB002 reason=\"...\"` above the module block")

    def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
        return [
            finding(self.info, replace(link, notes=[]),
                    f"{self.noun}: {link.a.label} was not read, so the links inside it are not judged",
                    extra=[*link.notes, self.accept])
            for link in links
            if link.kind is LinkKind.NOT_READ and link.resource_type == self.resource_type
        ]
