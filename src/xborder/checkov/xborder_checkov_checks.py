"""xborder's rules as Checkov checks (loaded by `checkov --external-checks-dir "$(xborder checkov-dir)"`).

How it works: the first time a check runs for a Checkov root directory (`-d DIR`), xborder's own engine
scans that directory once (cached per directory for the process) exactly like `xborder scan DIR`
would, with the same `.xborder.yaml`, inline suppressions and approvals. Each check then reports, on
the Terraform resource Checkov is looking at, the verdict xborder reached for that resource:

* FAILED  - xborder has an unsuppressed finding of that rule for the resource; Checkov's `details`
            carry the finding's message and evidence lines.
* SKIPPED - every finding of that rule for the resource is suppressed in xborder (`xborder:ignore`
            or an approval); the justification becomes Checkov's suppress comment.
* PASSED  - the resource type is one the rule covers and xborder found nothing.
* (none)  - the rule does not cover the resource type (UNKNOWN: Checkov leaves it out).

Resources are matched on file (relative to the Checkov root) and module-qualified address
(`module.x.aws_vpn_connection.this`), so a module instantiated twice gets a verdict per instance.

Check ids as Checkov shows them: `CKV_XB_101` for XB101, `CKV_XB_102` for XB102, and so on for every
rule in policies/rules.yaml that judges links (XB001, invalid suppressions, is xborder-only). XB002 (a module
whose source is not on disk) is a Checkov *module* check, `CKV_XB_002`, on the `module` block.
`#checkov:skip=CKV_XB_101:reason` inside the resource block works as for any Checkov check.
Checkov only runs Terraform through these checks: network device configs and CloudFormation stay
with `xborder scan` (Checkov cannot take a new file format from outside).

No `hcl2` import: Checkov's bundled `hcl2` is Bridgecrew's fork, and xborder parses with tree-sitter.
"""

from __future__ import annotations

import inspect
import os
import sys
import threading
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.module.base_module_check import BaseModuleCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

try:  # severities are an internal module of Checkov; without them checks simply have none
    from checkov.common.bridgecrew.severities import BcSeverities, Severities
except ImportError:  # pragma: no cover - older or newer Checkov
    BcSeverities = None  # type: ignore[assignment]
    Severities = None  # type: ignore[assignment]

CHECK_PREFIX = "CKV_XB_"
# Rules whose findings sit on `module` blocks, not resources: they are Checkov module checks (XB002, a module
# whose source is not on disk), matched on the module block's file and first line.
MODULE_RULES = ("XB002",)
# Where each check's `guideline` (Checkov's SARIF helpUri) points: the rule's `help_uri` in
# policies/rules.yaml, else XBORDER_GUIDELINE_URL with the rule id as a fragment (an organisation's
# own rule documentation), else none: a guideline must be a real page, and xborder has no public one yet.
GUIDELINE_BASE = os.environ.get("XBORDER_GUIDELINE_URL", "")


def guideline_for(rule_id: str) -> str | None:
    from xborder.policy import load_policies

    info = load_policies().rules.get(rule_id)
    if info is not None and info.help_uri:
        return info.help_uri
    return f"{GUIDELINE_BASE}#{rule_id.lower()}" if GUIDELINE_BASE else None
_RANK = {"low": 0, "medium": 1, "high": 2}
_LOCK = threading.Lock()
_SCANS: dict[str, _RootScan] = {}


def checkov_id(rule_id: str) -> str:
    """XB101 -> CKV_XB_101."""
    return CHECK_PREFIX + rule_id[2:] if rule_id.upper().startswith("XB") else CHECK_PREFIX + rule_id


def _strip_index(address: str) -> str:
    out, depth = [], 0
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out)


class _RootScan:
    """xborder's findings for one Checkov root, indexed by (file, address, rule)."""

    def __init__(self, root: Path) -> None:
        from xborder import docs
        from xborder.scan import ScanRequest, run_scan

        result = run_scan(ScanRequest(paths=[root], root=root))
        self.exact: dict[tuple[str, str, str], list[Any]] = {}
        self.loose: dict[tuple[str, str, str], list[Any]] = {}
        self.by_line: dict[tuple[str, int, str], list[Any]] = {}
        for f in result.findings:
            self.exact.setdefault((f.location.path, f.resource, f.rule_id), []).append(f)
            self.by_line.setdefault((f.location.path, f.location.start_line, f.rule_id), []).append(f)
            self.loose.setdefault((f.location.path, _strip_index(f.resource), f.rule_id), []).append(f)
        self.types: dict[str, set[str]] = {}
        policies_rules = {info.id: info for info in result.rules}
        from xborder.policy import load_policies

        for rid, info in {**load_policies().rules, **policies_rules}.items():
            try:
                self.types[rid] = set(docs.types_for(info))
            except Exception:  # noqa: BLE001 - a broken declaration only loses PASSED verdicts
                self.types[rid] = set()
        for f in result.findings:
            rtype = _resource_type(f.resource)
            if rtype:
                self.types.setdefault(f.rule_id, set()).add(rtype)
        for err in result.errors:
            print(f"xborder: {err.path}:{err.line}: {err.message}", file=sys.stderr)

    def lookup(self, path: str, address: str, rule_id: str) -> list[Any]:
        """xborder's findings for exactly the instance Checkov evaluates.

        An instance Checkov expanded (`aws_vpn_connection.v[1]`) gets only its own findings, never a
        sibling's. Where one side analysed a block once and the other per instance (Checkov does not
        expand `for_each` over another resource's instances; xborder analyses a block once when its
        `count` is unknown), an index missing on either side matches any index there.
        """
        found = self.exact.get((path, address, rule_id))
        if found is not None:
            return found
        mine = _segments(address)
        return [f for f in self.loose.get((path, _strip_index(address), rule_id), []) if _compatible(mine, _segments(f.resource))]


def _segments(address: str) -> list[tuple[str, str | None]]:
    """Dot-separated names with their index: `module.x["a"].aws_vpn_connection.v[0]` ->
    [("module", None), ("x", '"a"'), ("aws_vpn_connection", None), ("v", "0")]."""
    out: list[tuple[str, str | None]] = []
    name: list[str] = []
    index: list[str] = []
    depth = 0
    for ch in address:
        if depth:
            if ch == "]" and depth == 1:
                depth = 0
                continue
            depth += 1 if ch == "[" else -1 if ch == "]" else 0
            index.append(ch)
        elif ch == "[":
            depth = 1
        elif ch == ".":
            out.append(("".join(name), "".join(index) if index else None))
            name, index = [], []
        else:
            name.append(ch)
    out.append(("".join(name), "".join(index) if index else None))
    return out


def _compatible(a: list[tuple[str, str | None]], b: list[tuple[str, str | None]]) -> bool:
    if len(a) != len(b):
        return False
    return all(na == nb and (ia is None or ib is None or ia == ib) for (na, ia), (nb, ib) in zip(a, b))


def _resource_type(address: str) -> str:
    parts = _strip_index(address).split(".")
    while len(parts) >= 2 and parts[0] == "module":
        parts = parts[2:]
    if parts and parts[0] == "data":
        parts = parts[1:]
    return parts[0] if len(parts) >= 2 else ""


def _candidate_roots() -> list[str]:
    """Checkov's root folder: from the running Checkov frames, then -d arguments, then the cwd."""
    roots: list[str] = []
    frame = inspect.currentframe()
    while frame is not None:
        value = frame.f_locals.get("root_folder")
        if isinstance(value, str) and value not in roots:
            roots.append(value)
        frame = frame.f_back
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg in ("-d", "--directory") and i + 1 < len(argv):
            roots.append(argv[i + 1])
        elif arg.startswith("--directory="):
            roots.append(arg.split("=", 1)[1])
    roots.append(os.getcwd())
    return roots


def _root_and_path(scanned_file: str) -> tuple[Path, str] | None:
    rel = scanned_file.lstrip("/\\")
    for candidate in _candidate_roots():
        root = Path(candidate).resolve()
        if (root / rel).is_file():
            return root, Path(rel).as_posix()
    if os.path.isabs(scanned_file) and os.path.isfile(scanned_file):
        path = Path(scanned_file).resolve()
        return path.parent, path.name
    return None


def _scan_for(root: Path) -> _RootScan:
    key = str(root)
    with _LOCK:
        scan = _SCANS.get(key)
        if scan is None:
            scan = _RootScan(root)
            _SCANS[key] = scan
        return scan


class _FindingsAsResult:
    """What the resource and the module check share: xborder's findings on the entity as a Checkov result.

    The severity follows the finding (Checkov reads `check.severity` right after the check ran, so a medium XB201,
    licensed carrier named, is MEDIUM, not the rule's HIGH), the details are xborder's evidence, and a result
    whose every finding is suppressed in xborder becomes SKIPPED with the recorded reasons.
    """

    rule_id: str
    rule_severity: str
    _skip_comment: str | None = None

    def _set_severity(self, severity: str) -> None:
        if Severities is not None and BcSeverities is not None:
            level = {"high": BcSeverities.HIGH, "medium": BcSeverities.MEDIUM, "low": BcSeverities.LOW}.get(severity)
            if level is not None:
                self.severity = Severities[level]

    def run(self, scanned_file: str, entity_configuration: dict[str, Any], entity_name: str, entity_type: str, skip_info: Any) -> Any:
        self._skip_comment = None
        result = super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)  # type: ignore[misc]
        if self._skip_comment is not None and result.get("result") == CheckResult.PASSED:
            result["result"] = CheckResult.SKIPPED
            result["suppress_comment"] = self._skip_comment
        return result

    def _judge(self, findings: list[Any], address: str | None = None) -> CheckResult | None:
        """FAILED for active findings, PASSED (then SKIPPED by `run`) when all are suppressed, None without any.

        With `address`, a finding on another instance of the block (Checkov sees the block once) names it.
        """
        self._set_severity(self.rule_severity)
        active = [f for f in findings if not f.suppressed]
        if active:
            details: list[str] = []
            for f in active:
                details.append(f"{f.rule_id} [{f.severity}] {f.message}")
                if address is not None and f.resource != address:
                    details.append(f"- instance: {f.resource}")
                details.extend(f"- {line}" for line in f.evidence)
            self.details = details
            self._set_severity(max((f.severity for f in active), key=_RANK.get))
            return CheckResult.FAILED
        if findings:
            reasons = sorted({f.justification for f in findings if f.justification})
            self._skip_comment = "; ".join(reasons) or "suppressed in xborder"
            self.details = [f"suppressed in xborder: {r}" for r in reasons]
            return CheckResult.PASSED
        return None


class XborderCheck(_FindingsAsResult, BaseResourceCheck):
    """One xborder rule as a Checkov resource check."""

    def __init__(self, rule_id: str, title: str, severity: str) -> None:
        self.rule_id = rule_id
        super().__init__(
            name=f"{title} (xborder {rule_id})",
            id=checkov_id(rule_id),
            categories=[CheckCategories.NETWORKING],
            supported_resources=["*"],
            guideline=guideline_for(rule_id),
        )
        self.rule_severity = severity
        self._set_severity(severity)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys: list[str] = []
        scanned_file = self.entity_path.rsplit(":", 2)[0]
        located = _root_and_path(scanned_file)
        if located is None:
            return CheckResult.UNKNOWN
        root, rel = located
        scan = _scan_for(root)
        address = conf.get("__address__")
        if isinstance(address, list):
            address = address[0] if address else None
        if not isinstance(address, str) or not address:
            address = f"{self.entity_type}.{self.entity_path.rsplit(':', 1)[-1]}"
        judged = self._judge(scan.lookup(rel, address, self.rule_id), address)
        if judged is not None:
            return judged
        if self.entity_type in scan.types.get(self.rule_id, set()):
            return CheckResult.PASSED
        return CheckResult.UNKNOWN


class XborderModuleCheck(_FindingsAsResult, BaseModuleCheck):
    """An xborder rule about module calls (XB002: a module not on disk) as a Checkov module check.

    FAILED when xborder reports the rule on the module block (same file, same first line), SKIPPED when every
    such finding is suppressed (`# xborder:ignore XB002 reason=...` or an approval), PASSED when the module was read.
    """

    def __init__(self, rule_id: str, title: str, severity: str) -> None:
        self.rule_id = rule_id
        super().__init__(name=f"{title} (xborder {rule_id})", id=checkov_id(rule_id), categories=[CheckCategories.NETWORKING],
                         guideline=guideline_for(rule_id))
        self.rule_severity = severity
        self._set_severity(severity)

    def scan_module_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["source"]
        located = _root_and_path(self.entity_path.rsplit(":", 2)[0])
        line = conf.get("__start_line__")
        if located is None or not isinstance(line, int):
            return CheckResult.UNKNOWN
        root, rel = located
        return self._judge(_scan_for(root).by_line.get((rel, line, self.rule_id), [])) or CheckResult.PASSED


def _register() -> list[XborderCheck | XborderModuleCheck]:
    from xborder.policy import load_policies

    checks: list[XborderCheck | XborderModuleCheck] = []
    for rule_id, info in sorted(load_policies().rules.items()):
        if rule_id in MODULE_RULES:
            checks.append(XborderModuleCheck(rule_id, info.title, info.severity))
        elif info.link_kinds:  # meta rules (XB001) judge comments, not resources
            checks.append(XborderCheck(rule_id, info.title, info.severity))
    return checks


CHECKS = _register()
