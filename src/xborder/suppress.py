"""Suppressions and approvals: inline `xborder:ignore` comments and `.xborder.yaml` approvals.

Applied after the rules, so a rule never needs to know about them.

Inline syntax, in any comment of the scanned format (`#`, `//`, `/* */` in Terraform; `#`, `!`, `;` in
network configs; `#` in CloudFormation YAML)::

    # xborder:ignore XB101 reason="Approved IPLC, China Unicom contract CU-2025-118" until=2027-06-30
    # xborder:ignore XB101,XB201 reason="..."            (several rules; `until` is optional)

Accepted spellings: `xborder:ignore=XB101`, `exp=` or `expires=` for `until=`, and `reason='...'`.

A directive applies to a finding of one of its rules when it is

* inside the finding's location span (e.g. inside the `resource` block, or on its first line), or
* in the run of comment lines directly above the span's first line (no blank line in between), or
* inside or directly above one of the finding's related locations (e.g. the `module` call through which
  the resource was instantiated, so one instance of a module can be suppressed and another not).

CloudFormation templates may also carry the directive as data, in the resource::

    Metadata:
      xborder:
        ignore:
          - id: XB101            # or "XB101,XB201", or ids: [XB101, XB201]
            reason: Approved IPLC, China Unicom contract CU-2025-118
            until: 2027-06-30

A directive without a reason, with an unknown rule id, with a bad date, that cannot be parsed or that
matches no finding does not suppress anything and is itself reported as a finding of the meta rule
XB001 `invalid-suppression` (severity low), at the directive's line. These are findings, not scan
errors, so that a bad comment fails the build like any finding (exit 1) and can be listed, baselined
and shown in SARIF; scan errors (exit 2) stay reserved for files that cannot be read.

"Matches no finding" means: not inside or directly above any finding's block. A directive for XB101 on a
block that only has an XB102 finding is not reported: a partial scan (pre-commit scanning a module
directory without its caller) can judge a block differently from the full scan it was written for.

After `until` (the last day it is valid), the directive no longer suppresses: the finding comes back
with `expired suppression (until 2025-01-01): <reason>` in its evidence.

Approvals in `.xborder.yaml` (`ctx.config.approvals`) match by rule id, resource address and path
glob (every field given must match; `*` and `?` are wildcards, `**` spans directories in paths), set
the justification to `approval <reference>: <reason>` and stop applying after `expires` (the finding
then carries `expired approval ...` evidence). Approvals apply even with `--no-inline-suppressions`.
An approval that matches nothing in a scan is not reported: a scan of part of a repository (a
pre-commit run) would report every approval of the other parts.

`XBORDER_TODAY=YYYY-MM-DD` fixes today's date (for tests and reproducible builds).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from xborder.context import ScanContext
from xborder.model import Finding, Location, ScanError

META_RULE = "XB001"
META_SEVERITY = "low"

# A directive starts right after a comment marker: `#`, `//`, `/*`, `!`, `;`, or a `*` continuing a block comment.
_DIRECTIVE = re.compile(r"(?:#|//|/\*|!|;|^\s*\*)[ \t]*(?P<token>xborder:ignore)(?P<rest>.*)$")
_IDS = re.compile(r"^(?:=|[ \t]+)(?P<ids>[A-Za-z0-9_*-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_*-]+)*)(?![A-Za-z0-9_*=-])")
_PARAM = re.compile(r"""(?P<key>[A-Za-z_]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*|!|;)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNTIL_KEYS = ("until", "exp", "expires")
_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# Files the inline scan reads even without findings (to report unused directives), by suffix.
_TEXT_SUFFIXES = (".tf", ".tfvars", ".hcl", ".conf", ".cfg", ".txt", ".ios", ".junos", *_CFN_SUFFIXES)


def today() -> _dt.date:
    value = os.environ.get("XBORDER_TODAY", "").strip()
    if value:
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    return _dt.date.today()


@dataclass
class Directive:
    """One `xborder:ignore` (a comment or a CloudFormation Metadata entry)."""

    path: str
    line: int
    col: int
    text: str  # the directive as written, for messages and fingerprints
    rule_ids: list[str]
    reason: str
    until: _dt.date | None
    problems: list[str] = field(default_factory=list)
    # Lines the directive covers directly (a CloudFormation resource span); None: placement rules apply.
    cover: tuple[int, int] | None = None
    logical_id: str = ""  # CloudFormation resource the Metadata belongs to
    used: bool = False  # suppressed (or, expired, would have suppressed) a finding
    near: bool = False  # placed on a block that has a finding of any rule


@dataclass
class FileInfo:
    comment_only: list[bool]  # index 0 unused; True when line i holds only a comment
    directives: list[Directive]


def apply(findings: list[Finding], ctx: ScanContext) -> tuple[list[Finding], list[ScanError]]:
    """Mark suppressed findings; report malformed, unknown or unused suppressions as XB001 findings.

    Returns the findings (the same objects, some marked `suppressed`, plus XB001 findings) and no errors.
    """
    now = today()
    known = _known_rules(ctx)
    inline = bool(getattr(getattr(ctx, "options", None), "inline_suppressions", True))
    cache: dict[str, FileInfo | None] = ctx.cache.setdefault("xborder.suppress.files", {}) if isinstance(getattr(ctx, "cache", None), dict) else {}

    if inline:
        for f in findings:
            if f.rule_id == META_RULE:
                continue
            _apply_inline(f, ctx, cache, known, now)
    _apply_approvals(findings, ctx, now)

    meta: list[Finding] = []
    if inline:
        paths = set(cache)
        for rel in _scanned_files(ctx):
            if rel.endswith(_TEXT_SUFFIXES) and rel not in paths:
                _file(ctx, cache, rel, known)
                paths.add(rel)
        for rel in sorted(paths):
            info = cache.get(rel)
            if info is None:
                continue
            for d in info.directives:
                problems = list(d.problems)
                if not problems and not d.used and not d.near:
                    problems.append("it matches no finding (it must be inside or directly above the flagged block)")
                if problems:
                    meta.append(_meta_finding(d, problems))
    return findings + meta, []


# --------------------------------------------------------------------------------------------------
# inline directives


def _apply_inline(f: Finding, ctx: ScanContext, cache: dict[str, FileInfo | None], known: set[str], now: _dt.date) -> None:
    spots = [f.location, *[r for r in f.related if r.path]]
    chosen: Directive | None = None
    expired: list[Directive] = []
    for loc in spots:
        info = _file(ctx, cache, loc.path, known)
        if info is None:
            continue
        for d in info.directives:
            if d.problems or not _covers(d, loc, f, info):
                continue
            d.near = True
            if f.rule_id not in d.rule_ids:
                continue
            d.used = True
            if d.until is not None and now > d.until:
                expired.append(d)
            elif chosen is None:
                chosen = d
    if chosen is not None:
        f.suppressed = True
        f.justification = chosen.reason + (f" (until {chosen.until.isoformat()})" if chosen.until else "")
        return
    for d in expired:
        note = f"expired suppression (until {d.until.isoformat() if d.until else ''}): {d.reason} [{d.path}:{d.line}]"
        if note not in f.evidence:
            f.evidence.append(note)


def _covers(d: Directive, loc: Location, f: Finding, info: FileInfo) -> bool:
    if d.cover is not None:  # CloudFormation Metadata: the resource it sits in
        lo, hi = d.cover
        if lo <= loc.start_line <= hi:
            return True
        return bool(d.logical_id) and _names_logical_id(f.resource, d.logical_id)
    start, end = loc.start_line, max(loc.end_line, loc.start_line)
    if start <= d.line <= end:
        return True
    if d.line >= start:
        return False
    # the run of comment-only lines directly above the start
    line = start - 1
    while line >= 1 and line < len(info.comment_only) and info.comment_only[line]:
        if line == d.line:
            return True
        line -= 1
    return False


def _names_logical_id(resource: str, logical_id: str) -> bool:
    return resource == logical_id or resource.endswith(("." + logical_id, "/" + logical_id, ":" + logical_id))


def _file(ctx: ScanContext, cache: dict[str, FileInfo | None], rel: str, known: set[str]) -> FileInfo | None:
    if rel in cache:
        return cache[rel]
    info: FileInfo | None = None
    try:
        path = ctx.root / rel
        if path.is_file() and path.stat().st_size <= 20 * 1024 * 1024:
            data = path.read_bytes()
            if b"xborder" in data:
                info = _parse_file(rel, data.decode("utf-8-sig", errors="replace"), known)
            else:
                info = FileInfo(comment_only=[], directives=[])
    except OSError:
        info = None
    cache[rel] = info
    return info


def _parse_file(rel: str, text: str, known: set[str]) -> FileInfo:
    is_cfn = rel.lower().endswith(_CFN_SUFFIXES)
    if "xborder:ignore" not in text and not (is_cfn and "xborder" in text):
        return FileInfo(comment_only=[], directives=[])
    lines = text.splitlines()
    comment_only = [False] * (len(lines) + 1)
    directives: list[Directive] = []
    in_block = False
    block_comments = not is_cfn  # `/* */` is a comment in Terraform and Junos, not in YAML (`arn:...:bucket/*`)
    for i, line in enumerate(lines, start=1):
        started_in_block = in_block
        comment_only[i] = started_in_block or bool(_COMMENT_LINE.match(line))
        if block_comments:
            in_block = _block_state(line, in_block)
        if "xborder:ignore" not in line:
            continue
        m = _DIRECTIVE.search(line)
        if m is None and started_in_block:
            m = re.search(r"(?P<token>xborder:ignore)(?P<rest>.*)$", line)
        if m is None:
            continue
        directives.append(_parse_directive(rel, i, m.start("token") + 1, m.group("rest"), known))
    if is_cfn and "xborder" in text:
        directives.extend(_cfn_metadata(rel, text, known))
    return FileInfo(comment_only=comment_only, directives=directives)


def _block_state(line: str, in_block: bool) -> bool:
    """Whether a `/* */` comment is open after this line (`#` and `//` comments end at the line end)."""
    i = 0
    n = len(line)
    while i < n:
        if in_block:
            j = line.find("*/", i)
            if j < 0:
                return True
            in_block, i = False, j + 2
            continue
        candidates = [(line.find(tok, i), tok) for tok in ("/*", "#", "//", '"')]
        candidates = [(pos, tok) for pos, tok in candidates if pos >= 0]
        if not candidates:
            return False
        pos, tok = min(candidates)
        if tok == "/*":
            in_block, i = True, pos + 2
        elif tok == '"':
            end = pos + 1
            while end < n and line[end] != '"':
                end += 2 if line[end] == "\\" else 1
            i = end + 1
        else:
            return False
    return in_block


def _parse_directive(rel: str, line: int, col: int, rest: str, known: set[str]) -> Directive:
    rest = rest.split("*/", 1)[0].rstrip()
    text = ("xborder:ignore" + rest).strip()
    problems: list[str] = []
    m = _IDS.match(rest)
    if m is None:
        return Directive(rel, line, col, text, [], "", None, ["no rule id after xborder:ignore (expected e.g. XB101)"])
    ids = [i.strip().upper() for i in m.group("ids").split(",") if i.strip()]
    params: dict[str, str] = {}
    tail = rest[m.end() :]
    for pm in _PARAM.finditer(tail):
        value = pm.group("dq") if pm.group("dq") is not None else pm.group("sq") if pm.group("sq") is not None else pm.group("bare")
        params[pm.group("key").lower()] = value
    reason = " ".join((params.get("reason") or "").split())
    until_text = next((params[k] for k in _UNTIL_KEYS if k in params), None)
    return _directive(rel, line, col, text, ids, reason, until_text, known, problems)


def _directive(
    rel: str, line: int, col: int, text: str, ids: list[str], reason: str, until_text: str | None, known: set[str], problems: list[str]
) -> Directive:
    unknown = [i for i in ids if i not in known]
    if unknown:
        problems.append(f"unknown rule id{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (see `xborder rules`)")
    if not ids:
        problems.append("no rule id (expected e.g. XB101)")
    if not reason:
        problems.append('no reason (add reason="..." with the approval or contract number)')
    until: _dt.date | None = None
    if until_text is not None:
        until_text = str(until_text).strip()
        try:
            if not _DATE.match(until_text):
                raise ValueError(until_text)
            until = _dt.date.fromisoformat(until_text)
        except ValueError:
            problems.append(f"bad date until={until_text!r} (expected YYYY-MM-DD)")
    return Directive(rel, line, col, text, ids, reason, until, problems)


# --------------------------------------------------------------------------------------------------
# CloudFormation Metadata: {xborder: {ignore: [{id, reason, until}]}}


def _cfn_metadata(rel: str, text: str, known: set[str]) -> list[Directive]:
    """Directives from each resource's `Metadata.xborder.ignore`, read from the node tree with positions.

    `yaml.compose` builds nodes without constructing values, so CloudFormation's short-form tags
    (`!Ref`) need no constructor; JSON templates are YAML too.
    """
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - the input plugin reports syntax errors; here they only mean "no metadata"
        return []
    resources = _get(root, "Resources")
    if not isinstance(resources, yaml.MappingNode):
        return []
    out: list[Directive] = []
    for key, res in resources.value:
        if not isinstance(res, yaml.MappingNode):
            continue
        ignore = _get(_get(_get(res, "Metadata"), "xborder"), "ignore")
        if ignore is None:
            continue
        span = (key.start_mark.line + 1, _end_line(res))
        entries = ignore.value if isinstance(ignore, yaml.SequenceNode) else [ignore]
        for entry in entries:
            line, col = entry.start_mark.line + 1, entry.start_mark.column + 1
            if not isinstance(entry, yaml.MappingNode):
                d = Directive(rel, line, col, "Metadata.xborder.ignore", [], "", None, ["an entry must be a mapping with id, reason and until"])
            else:
                values = {str(k.value).lower(): v for k, v in entry.value if isinstance(k, yaml.ScalarNode)}
                ids: list[str] = []
                for key_name in ("id", "ids", "rule", "rules"):
                    node = values.get(key_name)
                    if isinstance(node, yaml.ScalarNode):
                        ids += [s.strip().upper() for s in str(node.value).split(",") if s.strip()]
                    elif isinstance(node, yaml.SequenceNode):
                        ids += [str(n.value).strip().upper() for n in node.value if isinstance(n, yaml.ScalarNode)]
                reason_node = values.get("reason")
                reason = " ".join(str(reason_node.value).split()) if isinstance(reason_node, yaml.ScalarNode) else ""
                until_node = next((values[k] for k in _UNTIL_KEYS if k in values), None)
                until_text = str(until_node.value) if isinstance(until_node, yaml.ScalarNode) else None
                shown = f"Metadata.xborder.ignore {','.join(ids)}"
                d = _directive(rel, line, col, shown, ids, reason, until_text, known, [])
            d.cover = span
            d.logical_id = str(key.value)
            out.append(d)
    return out


def _get(node: Any, name: str) -> Any:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == name:
            return v
    return None


def _end_line(node: Any) -> int:
    """The last line of a node's own text (PyYAML's end mark of a block collection is where the next key starts)."""
    import yaml

    while True:
        if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
            node = node.value[-1][1]
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            node = node.value[-1]
        else:
            break
    mark = node.end_mark
    return mark.line + 1 if mark.column > 0 or mark.line == node.start_mark.line else mark.line


# --------------------------------------------------------------------------------------------------
# approvals from .xborder.yaml


def _apply_approvals(findings: list[Finding], ctx: ScanContext, now: _dt.date) -> None:
    approvals = list(getattr(getattr(ctx, "config", None), "approvals", None) or [])
    if not approvals:
        return
    for f in findings:
        if f.suppressed or f.rule_id == META_RULE:
            continue
        for a in approvals:
            if not _approval_matches(a, f):
                continue
            reason = " ".join(str(getattr(a, "reason", "") or "").split())
            reference = str(getattr(a, "reference", "") or "").strip()
            label = f"approval {reference}" if reference else "approval"
            expires = _as_date(getattr(a, "expires", None))
            if expires is not None and now > expires:
                note = f"expired {label} (expires {expires.isoformat()}): {reason}"
                if note not in f.evidence:
                    f.evidence.append(note)
                continue
            f.suppressed = True
            f.justification = f"{label}: {reason}" + (f" (expires {expires.isoformat()})" if expires else "")
            break


def _as_date(value: Any) -> _dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return _dt.date.min  # an unreadable date never keeps an approval alive


def _listify(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _approval_matches(a: Any, f: Finding) -> bool:
    rules = [r.strip().upper() for r in _listify(getattr(a, "rule", None)) for r in r.split(",") if r.strip()]
    resources = _listify(getattr(a, "resource", None))
    paths = _listify(getattr(a, "path", None))
    if not (rules or resources or paths):
        return False  # an approval must say what it approves
    if rules and not any(r in ("*", f.rule_id) for r in rules):
        return False
    if resources and not any(_glob(p, f.resource, paths=False) for p in resources):
        return False
    if paths:
        candidates = [f.location.path] + [r.path for r in f.related if r.path]
        if not any(_glob(p.lstrip("./") if p.startswith("./") else p, c, paths=True) for p in paths for c in candidates):
            return False
    return True


_GLOB_CACHE: dict[tuple[str, bool], re.Pattern[str]] = {}


def _glob(pattern: str, value: str, paths: bool) -> bool:
    """`*` and `?` wildcards (not `[...]`: resource addresses contain brackets); `**` spans `/` in paths."""
    if pattern == value:
        return True
    key = (pattern, paths)
    rx = _GLOB_CACHE.get(key)
    if rx is None:
        out = []
        i = 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "*" and pattern[i : i + 2] == "**":
                if paths and pattern[i : i + 3] == "**/":
                    out.append("(?:.*/)?")
                    i += 3
                else:
                    out.append(".*")
                    i += 2
                continue
            if ch == "*":
                out.append("[^/]*" if paths else ".*")
            elif ch == "?":
                out.append("[^/]" if paths else ".")
            else:
                out.append(re.escape(ch))
            i += 1
        suffix = "(?:/.*)?" if paths else ""  # a directory pattern covers what is below it
        rx = re.compile("^" + "".join(out) + suffix + "$")
        _GLOB_CACHE[key] = rx
    return rx.match(value) is not None


# --------------------------------------------------------------------------------------------------
# helpers


def _known_rules(ctx: ScanContext) -> set[str]:
    known: set[str] = set()
    rules = getattr(getattr(ctx, "policies", None), "rules", None) or {}
    known.update(str(r) for r in rules)
    pm = getattr(ctx, "pm", None)
    if pm is not None:
        try:
            for batch in pm.hook.xborder_rules():
                for rule in batch or []:
                    info = getattr(rule, "info", None)
                    if info is not None:
                        known.add(str(info.id))
        except Exception:  # noqa: BLE001, S110 - a broken rule pack is reported elsewhere
            pass
    known.discard(META_RULE)
    return known


def _scanned_files(ctx: ScanContext) -> list[str]:
    """Every file of the scan, when the pipeline recorded them (`ctx.cache["files"]`), else none.

    Without that list, unused directives are only reported in files that have findings.
    """
    cache = getattr(ctx, "cache", None)
    files = cache.get("files") if isinstance(cache, dict) else None
    return [str(f) for f in files] if isinstance(files, (list, tuple, set, frozenset)) else []


def _meta_finding(d: Directive, problems: list[str]) -> Finding:
    message = f"Invalid suppression: {d.text[:120]}: " + "; ".join(problems)
    digest = hashlib.sha256("\n".join([META_RULE, d.path, d.text, *problems]).encode()).hexdigest()[:32]
    return Finding(
        rule_id=META_RULE,
        severity=META_SEVERITY,
        message=message,
        location=Location(d.path, d.line, d.col, d.line, d.col + len("xborder:ignore")),
        resource=f"{d.path}:xborder:ignore",
        evidence=[
            f"directive at {d.path}:{d.line}: {d.text}",
            (
                'expected: xborder:ignore XB101[,XB201] reason="approval or contract number" [until=YYYY-MM-DD], '
                "inside or directly above the flagged block"
            ),
        ],
        fingerprint=digest,
    )


# --------------------------------------------------------------------------------------------------
# what covers a finding, for the inventory


@dataclass(frozen=True)
class Cover:
    """An approval or inline suppression that covers (or, expired, covered) a finding."""

    kind: str  # "approval" (.xborder.yaml) or "inline" (xborder:ignore)
    reason: str
    reference: str  # approval reference; "" for inline directives
    expires: _dt.date | None
    where: str  # "fixtures/.xborder.yaml:12" or "main.tf:3"
    active: bool  # False: expired


def covers(f: Finding, ctx: ScanContext) -> list[Cover]:
    """Every approval and directive that matches `f`, expired ones included, in the order `apply` tries them.

    Runs after `apply` on the same context (it reuses its parsed files); it changes nothing.
    """
    now = today()
    out: list[Cover] = []
    if f.rule_id == META_RULE:
        return out
    cache = ctx.cache.get("xborder.suppress.files", {}) if isinstance(getattr(ctx, "cache", None), dict) else {}
    if bool(getattr(getattr(ctx, "options", None), "inline_suppressions", True)):
        for loc in [f.location, *[r for r in f.related if r.path]]:
            info = cache.get(loc.path)
            if info is None:
                continue
            for d in info.directives:
                if d.problems or f.rule_id not in d.rule_ids or not _covers(d, loc, f, info):
                    continue
                cover = Cover("inline", d.reason, "", d.until, f"{d.path}:{d.line}", d.until is None or now <= d.until)
                if cover not in out:
                    out.append(cover)
    config = getattr(ctx, "config", None)
    display = getattr(config, "display", ".xborder.yaml")
    for a in list(getattr(config, "approvals", None) or []):
        if _approval_matches(a, f):
            expires = _as_date(getattr(a, "expires", None))
            reason = " ".join(str(getattr(a, "reason", "") or "").split())
            where = f"{display}:{getattr(a, 'line', 0)}"
            out.append(Cover("approval", reason, str(getattr(a, "reference", "") or "").strip(), expires, where, expires is None or now <= expires))
    return out
