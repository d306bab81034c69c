"""SARIF 2.1.0 for GitHub code scanning.

The output is meant to be uploaded as it is (by `github/codeql-action/upload-sarif` or the REST API)
and to pass the SARIF multitool's SARIF and GitHub rules without a warning:

* one run; `tool.driver.rules` lists every known rule, sorted by id, with help text and markdown,
  `security-severity` and the `security` tag, so that results show as security alerts;
* each result has a full region (lines and columns, all >= 1), a repo-relative percent-encoded URI
  with `uriBaseId` `%SRCROOT%`, the resource address as a logical location, the related locations,
  `partialFingerprints.primaryLocationLineHash` computed like codeql-action (see `fingerprints.py`)
  and xborder's own line-independent fingerprint in `properties`;
* `%SRCROOT%` is declared in `originalUriBaseIds` with a description only: the absolute root of the
  machine that ran the scan never appears, so the file is byte-identical wherever it is produced;
* scan errors are `toolExecutionNotifications` (level `error`), "read nothing" and skipped folders `warning`,
  scan notes `note` (up to MAX_NOTES, in the report's order); suppressed findings are left out (GitHub ignores
  `suppressions` and would open alerts for them) unless `sarif_include_suppressed` is set.

No timestamps, no absolute paths, a fixed key order: two renders of the same scan are byte-identical.
"""

from __future__ import annotations

import dataclasses

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from xborder.digest import sha256
from xborder.inputs import reading
from xborder.reports import jsontext
from xborder.reports.escape import sarif_text
from xborder.reports.fingerprints import LineHasher

if TYPE_CHECKING:
    from xborder.model import Finding, Location, ScanError
    from xborder.reports.base import ReportSettings, ScanResult
    from xborder.rules.base import RuleInfo

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "xborder"
SRCROOT = "%SRCROOT%"
AUTOMATION_ID = "xborder/"

# GitHub's documented limits (docs "SARIF support for code scanning").
MAX_RESULTS = 25_000
MAX_NOTES = 1_000  # scan notes shown as notifications; the rest are counted
MAX_TAGS = 10  # GitHub keeps only 10 of up to 20
MAX_DESCRIPTION = 1024  # shortDescription.text, fullDescription.text
MAX_NAME = 255
MAX_HELP = 60_000  # not documented; keeps one rule's help within reason
MAX_LOCATIONS = 100  # related locations GitHub shows per result (1,000 accepted)

LEVELS = {"high": "error", "medium": "warning", "low": "note"}
SECURITY_SEVERITY = {"high": "8.0", "medium": "5.5", "low": "2.0"}  # no boundary values (9.0)
PRECISIONS = ("very-high", "high", "medium", "low")
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}

# https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


# --------------------------------------------------------------------------------------------- text


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "\u2026"


def rule_help(rule: RuleInfo) -> tuple[str, str]:
    """`help.text` and `help.markdown`: the rule documentation `xborder explain` prints, clipped."""
    from xborder.docs import rule_markdown, rule_text

    return _clip(rule_text(rule), MAX_HELP), _clip(rule_markdown(rule), MAX_HELP)


def result_message(finding: Finding) -> str:
    """The finding message followed by its evidence, one `- ` line each."""
    lines = [finding.message.strip() or finding.rule_id]
    lines += [f"- {e.strip()}" for e in finding.evidence if e.strip()]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------- locations


def artifact_uri(path: str) -> str:
    """A repo-relative POSIX path as a relative URI reference: no `./`, percent-encoded."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    path = re.sub(r"/(?:\./)+", "/", path)
    # Only unreserved characters and "/" stay as they are; ":" is encoded so that a first segment
    # can never be read as a scheme. codeql-action decodes with decodeURIComponent.
    return quote(path, safe="/")


def _artifact(path: str) -> dict[str, Any]:
    return {"uri": artifact_uri(path), "uriBaseId": SRCROOT}


def _region(loc: Location) -> dict[str, int]:
    start_line = max(1, int(loc.start_line or 1))
    start_col = max(1, int(loc.start_col or 1))
    end_line = max(start_line, int(loc.end_line or start_line))
    end_col = max(1, int(loc.end_col or 1))
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _physical(loc: Location) -> dict[str, Any]:
    return {"artifactLocation": _artifact(loc.path), "region": _region(loc)}


# ------------------------------------------------------------------------------------------ objects


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    help_text, help_md = rule_help(rule)
    desc: dict[str, Any] = {
        "id": rule.id,
        "name": _clip(rule.name or rule.id, MAX_NAME),
        "shortDescription": {"text": _clip(rule.summary or rule.title or rule.id, MAX_DESCRIPTION)},
        "fullDescription": {
            "text": _clip(rule.description or rule.summary or rule.title or rule.id, MAX_DESCRIPTION)
        },
        "help": {"text": help_text, "markdown": help_md},
    }
    if rule.help_uri.strip():
        desc["helpUri"] = rule.help_uri.strip()
    desc["defaultConfiguration"] = {"level": LEVELS.get(rule.severity, "warning")}
    tags: list[str] = ["security"]
    for tag in rule.tags:
        tag = tag.strip()
        if tag and tag not in tags:
            tags.append(tag)
    props: dict[str, Any] = {"tags": tags[:MAX_TAGS]}
    if rule.severity in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.precision in PRECISIONS:
        props["precision"] = rule.precision
    desc["properties"] = props
    return desc


def _placeholder_rule(rule_id: str, severity: str) -> RuleInfo:
    """A descriptor for a finding whose rule is not in `result.rules` (GitHub needs every rule)."""
    from xborder.rules.base import RuleInfo

    text = f"Finding reported by xborder rule {rule_id}."
    return RuleInfo(
        id=rule_id,
        name=rule_id,
        title=rule_id,
        severity=severity if severity in LEVELS else "medium",
        summary=text,
        description=text,
        rationale="",
        remediation="",
        precision="medium",
    )


def _outside_repository(path: str) -> bool:
    """Files `terraform init` downloaded (`.terraform/modules/...`): not in the repository, no alert can point there."""
    return path.startswith(".terraform/") or "/.terraform/" in path


def _placed(finding: Finding) -> Finding:
    """A finding in a downloaded module is located at the module call in the repository (the innermost
    call the user can edit), with the module file as a related location."""
    if not _outside_repository(finding.location.path):
        return finding
    calls = [r for r in finding.related if r.label.startswith("module call") and not _outside_repository(r.path)]
    if not calls:
        return finding
    call = calls[-1]
    source = dataclasses.replace(finding.location, label=f"module source, downloaded by terraform init (not in the repository): {finding.location.path}")
    related = [r for r in finding.related if r is not call] + [source]
    primary = dataclasses.replace(call, label="")
    return dataclasses.replace(finding, location=primary, related=related)


def _instance_hash(line_hash: str, resource: str) -> str:
    """Module and `count`/`for_each` instances share a line: mix the instance address into the line hash,
    so each instance is its own alert (and dismissing one never dismisses another)."""
    if "[" not in resource and not resource.startswith("module."):
        return line_hash
    value, _, occurrence = line_hash.partition(":")
    mixed = sha256(f"{value}\n{resource}".encode())[:16]
    return f"{mixed}:{occurrence or 1}"


def _result(finding: Finding, rule_index: int, hasher: LineHasher, include_suppression: bool) -> dict:
    finding = _placed(finding)
    region = _region(finding.location)
    logical = []
    if finding.resource.strip():
        logical.append({"fullyQualifiedName": finding.resource.strip(), "kind": "resource"})
    location: dict[str, Any] = {"physicalLocation": _physical(finding.location)}
    if logical:
        location["logicalLocations"] = logical
    res: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": sarif_text(result_message(finding))},
        "locations": [location],
    }
    related = []
    for i, loc in enumerate(finding.related[:MAX_LOCATIONS], start=1):
        rel: dict[str, Any] = {"id": i, "physicalLocation": _physical(loc)}
        if loc.label.strip():
            rel["message"] = {"text": sarif_text(loc.label.strip())}
        related.append(rel)
    if related:
        res["relatedLocations"] = related
    res["partialFingerprints"] = {
        "primaryLocationLineHash": _instance_hash(hasher(finding.location.path, region["startLine"]), finding.resource.strip())
    }
    if include_suppression and finding.suppressed:
        suppression: dict[str, Any] = {"kind": "inSource", "status": "accepted"}
        if finding.justification.strip():
            suppression["justification"] = finding.justification.strip()
        res["suppressions"] = [suppression]
    props: dict[str, Any] = {}
    if finding.fingerprint:
        props["xborder/fingerprint"] = finding.fingerprint
    props["evidence"] = list(finding.evidence)
    if finding.world is not None:
        props["xborder/world"] = finding.world.as_dict()
    if finding.twins:
        props["xborder/twins"] = [t.as_dict() for t in finding.twins]
    res["properties"] = props
    return res


def _notification(error: ScanError) -> dict[str, Any]:
    note: dict[str, Any] = {"level": "error", "message": {"text": sarif_text(error.message.strip() or "scan error")}}
    if error.path:
        note["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(error.path),
                    "region": {"startLine": max(1, int(error.line or 1))},
                }
            }
        ]
    return note


def _note_notifications(notes: list[str]) -> list[dict[str, Any]]:
    """Scan notes (informational: what "not read" means is an XB002/XB003 finding) as notifications of level
    `note`, in the report's order; past MAX_NOTES one more says how many were left out (text and JSON have all)."""
    out: list[dict[str, Any]] = [{"level": "note", "message": {"text": sarif_text(n)}} for n in notes[:MAX_NOTES]]
    if len(notes) > MAX_NOTES:
        out.append({"level": "note", "message": {"text": f"{len(notes) - MAX_NOTES} more notes are in the text and JSON reports"}})
    return out


def information_uri() -> str:
    """The project's home page from the installed package's metadata (`[project.urls]`), or "".

    SARIF's `informationUri` is only emitted when the project declares a real one; the multitool's
    SARIF2005 then stops warning about it.
    """
    try:
        from importlib.metadata import PackageNotFoundError, metadata

        urls = metadata("xborder").get_all("Project-URL") or []
    except (ImportError, PackageNotFoundError):  # pragma: no cover - not installed
        return ""
    found: dict[str, str] = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        url = url.strip()
        if url.startswith("https://"):
            found.setdefault(label.strip().lower(), url)
    for label in ("homepage", "home", "documentation", "docs", "repository", "source"):
        if label in found:
            return found[label]
    return ""


def _file_reader(root: Path):
    def read(path: str) -> bytes:
        try:
            return reading.read_bytes(root / path)  # regular files only, bounded
        except (OSError, ValueError):
            return b""

    return read


# ------------------------------------------------------------------------------------------- render


def build_sarif(result: ScanResult, settings: ReportSettings, root: Path) -> dict[str, Any]:
    """The SARIF log as a dict (see the module docstring)."""
    rules = {r.id: r for r in result.rules}
    findings = [f for f in result.findings if settings.sarif_include_suppressed or not f.suppressed]
    for f in findings:
        if f.rule_id not in rules:
            rules[f.rule_id] = _placeholder_rule(f.rule_id, f.severity)
    rule_ids = sorted(rules)
    index = {rid: i for i, rid in enumerate(rule_ids)}

    notifications: list[dict[str, Any]] = [_notification(e) for e in result.errors]
    if result.nothing_read:
        notifications.append({"level": "warning", "message": {"text": result.nothing_read}})
    if result.skipped_warning:
        notifications.append({"level": "warning", "message": {"text": sarif_text(result.skipped_warning)}})
    notifications += _note_notifications(result.notes)
    if len(findings) > MAX_RESULTS:
        # Keep the most severe ones, each group in scan order (sorted() is stable).
        kept = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 1))[:MAX_RESULTS]
        keep_ids = {id(f) for f in kept}
        left_out = len(findings) - MAX_RESULTS
        findings = [f for f in findings if id(f) in keep_ids]
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out} results were left out: GitHub accepts at most "
                    f"{MAX_RESULTS} results in a run. The most severe ones were kept."
                },
            }
        )

    hasher = LineHasher(_file_reader(root))
    results = [_result(f, index[f.rule_id], hasher, settings.sarif_include_suppressed) for f in findings]

    driver: dict[str, Any] = {"name": TOOL_NAME}
    info_uri = information_uri()
    if info_uri:
        driver["informationUri"] = info_uri
    driver["version"] = result.version
    if _SEMVER.match(result.version or ""):
        driver["semanticVersion"] = result.version
    driver["rules"] = [_rule_descriptor(rules[rid]) for rid in rule_ids]

    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": AUTOMATION_ID},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the scanned repository"}}},
        "invocations": [invocation],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(result: ScanResult, settings: ReportSettings, root: Path) -> str:
    """The SARIF log as text: 2-space indent, UTF-8 characters as they are, a trailing newline."""
    return jsontext.dumps(build_sarif(result, settings, Path(root))) + "\n"


class SarifReporter:
    """`--format sarif`. Source files are read relative to `root` for `primaryLocationLineHash`."""

    name = "sarif"

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else Path(".")

    def render(self, result: ScanResult, settings: ReportSettings) -> str:
        return render_sarif(result, settings, self.root)
