"""Suppressions and approvals: inline `xborder:ignore` comments and `.xborder.yaml` approvals.

Applied after the rules, so a rule never needs to know about them. An approval is a legal record for one
specific link: every rule here errs on the side of bringing a finding back, and says why.

Inline syntax, only inside a real comment of the scanned format: `#`, `//`, `/* */` in Terraform (never
inside a string or heredoc); `#` in YAML (never inside a quoted or block scalar); a `"//"` key in
Terraform JSON (`.tf.json`); `#`, `!`, `;`, `//` at the start of a line (or `#` after a blank) in
network device configs (never inside Cisco `banner` text)::

    # xborder:ignore XB101 reason="Approved IPLC, China Unicom contract CU-2025-118" until=2027-06-30
    # xborder:ignore XB101,XB201 reason="..."            (several rules; `until` is optional)
    # xborder:ignore XB101 reason="..." address=module.hk_a.aws_vpn_connection.this   (one instance)
    "//": "xborder:ignore XB101 reason=\"CU-2025-118\""   (Terraform JSON, inside the resource object)

Accepted spellings: `xborder:ignore=XB101`, `exp=` or `expires=` for `until=`, and `reason='...'`.
Lines are counted on `\n` only, like the parsers (a form feed is not a line break).

A directive applies to a finding of one of its rules when it is

* inside the finding's location span (e.g. inside the `resource` block, or on its first line), or
* in the run of comment lines directly above the span's first line (no blank line in between), or
* inside or directly above the `module` call through which the resource was instantiated (so one
  instance of a module can be suppressed and another not). Other related locations (the customer
  gateway a VPN references) do not count: a directive above a shared gateway would otherwise approve
  every VPN that uses it, including ones added later.

One directive, one link: when a directive covers several instances of the same block (a `for_each` or
`count` resource, or a resource in a module called more than once), it is ambiguous and suppresses none
of them, and is reported; name the instance(s) with `address=GLOB[,GLOB]`, put the directive on the
module call, or approve by address in `.xborder.yaml`. A module used once can carry a directive; when a
second caller is added, the directive becomes ambiguous and both instances are reported again.

CloudFormation templates may also carry the directive as data, in the resource::

    Metadata:
      xborder:
        ignore:
          - id: XB101            # or "XB101,XB201", or ids: [XB101, XB201]
            reason: Approved IPLC, China Unicom contract CU-2025-118
            until: 2027-06-30

A directive without a reason, with an unknown rule id (`*` is not a rule), with a bad date or one more
than `max_approval_days` (default 731, two years) ahead, that cannot be parsed, that is ambiguous, or that matches
no finding of a rule it names does not suppress anything and is itself reported as a finding of the
meta rule XB001 `invalid-suppression` (severity low), at the directive's line. These are findings, not
scan errors, so that a bad comment fails the build like any finding (exit 1) and can be listed,
baselined and shown in SARIF; scan errors (exit 2) stay reserved for files that cannot be read.

A directive naming a real rule that its block does not have (XB201 above a VPN with XB101) is reported.
The one exception: when this scan could not determine the block's ends (it has an XB102/XB203/XB402 finding,
as a module scanned without its caller does), a directive for another rule is not judged.

After `until` (the last day it is valid), the directive no longer suppresses: the finding comes back
with `expired suppression (until 2025-01-01): <reason>` in its evidence.

Approvals in `.xborder.yaml` (`ctx.config.approvals`) match by rule id, resource address and path
glob (every field given must match; `*` and `?` are wildcards, `**` spans directories in paths; paths
are relative to the directory of `.xborder.yaml`, like `sites:` paths), set the justification to
`approval <reference>: <reason>` and stop applying after `expires` (the finding then carries `expired
approval ...` evidence). Approvals apply even with `--no-inline-suppressions`. Reported as XB001 at
the approval's line: an unknown or wildcard rule, `expires` beyond the horizon, a `resource:` without
`path:` that matches links in more than one root module (envs/prod copied to envs/staging: say which
with `path:`), and an approval that matches nothing (or expired and matches nothing) when the scan
covered its scope (the whole directory of `.xborder.yaml`, or a file its `path:` names), so that a
pre-commit run over a few files does not report every approval of the rest of the repository.

`XBORDER_TODAY=YYYY-MM-DD` fixes today's date (for tests and reproducible builds).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder.context import ScanContext
from xborder.dates import datetime as _dt
from xborder.digest import sha256
from xborder.inputs import reading
from xborder.model import HOLDER, Finding, Location, ScanError

json = lazy.module("json")  # for a few directive values: a run seldom needs it

META_RULE = "XB001"
META_SEVERITY = "low"
UNDETERMINED_RULES = frozenset({"XB102", "XB203", "XB402"})  # "...-undeterminable-end": other rules cannot be judged there
DEFAULT_MAX_DAYS = 731  # two years: long enough for a contract term, short enough to force a review

_IDS = lazy.regex(r"^(?:=|[ \t]+)(?P<ids>[A-Za-z0-9_*-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_*-]+)*)(?![A-Za-z0-9_*=-])")
_PARAM = lazy.regex(r"""(?P<key>[A-Za-z_]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))""")
_IN_COMMENT = lazy.regex(r"^[ \t*]*(?P<token>xborder:ignore)(?P<rest>.*)$")
_HEREDOC = lazy.regex(r"<<-?\s*(?P<q>\"?)(?P<marker>[A-Za-z_][A-Za-z0-9_-]*)(?P=q)\s*$")
_YAML_BLOCK = lazy.regex(r"""(?:^|[:\-]\s)\s*[|>][0-9+-]*\s*(?:#.*)?$""")
_DATE = lazy.regex(r"^\d{4}-\d{2}-\d{2}$")
_BANNER = lazy.regex(r"^banner\s+\S+\s+(\S)(\S?)")  # `netconf.cisco._BANNER`: `banner motd ^C`
_UNTIL_KEYS = ("until", "exp", "expires")
_CFN_SUFFIXES = (".yaml", ".yml", ".json", ".template")
_HCL_SUFFIXES = (".tf", ".tofu", ".tfvars", ".hcl")
_TFJSON_SUFFIXES = (".tf.json", ".tofu.json", ".tfvars.json")
# Files the inline scan reads even without findings (to report unused directives), by suffix.
_TEXT_SUFFIXES = (".tf", ".tofu", ".tfvars", ".hcl", ".conf", ".cfg", ".txt", ".ios", ".junos", *_CFN_SUFFIXES)


# ctx.cache key of the files `apply` read, by path (a whole-scan entry keeps those with findings: `covers` reads them)
FILES_KEY = "xborder.suppress.files"
APPROVAL_PROBLEMS_KEY = "xborder.suppress.approval_problems"  # approval index -> why it is XB001


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
    addresses: list[str] = field(default_factory=list)  # `address=` globs: the instances it is written for
    used_rules: set[str] = field(default_factory=set)  # rules it suppressed (or, expired, would have)
    undetermined: bool = False  # placed on a block this scan could not judge (XB102/XB203/XB402)
    matches: list[Finding] = field(default_factory=list)


@dataclass
class FileInfo:
    """The suppression comments of one file and which of its lines hold only a comment."""

    comment_only: list[bool]  # index 0 unused; True when line i holds only a comment
    directives: list[Directive]


def max_days(ctx: Any) -> int:
    value = getattr(getattr(ctx, "config", None), "max_approval_days", None)
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_DAYS


def apply(findings: list[Finding], ctx: ScanContext) -> tuple[list[Finding], list[ScanError]]:
    """Mark suppressed findings; report malformed, ambiguous, unknown or unused suppressions as XB001 findings.

    Returns the findings (the same objects, some marked `suppressed`, plus XB001 findings) and no errors.
    """
    now = today()
    horizon = max_days(ctx)
    known = _known_rules(ctx)
    rules = getattr(getattr(ctx, "policies", None), "rules", None) or {}
    undetermined = UNDETERMINED_RULES | {rid for rid, info in rules.items() if "undeterminable" in str(getattr(info, "name", ""))}
    inline = bool(getattr(getattr(ctx, "options", None), "inline_suppressions", True))
    cache: dict[str, FileInfo | None] = ctx.cache.setdefault(FILES_KEY, {}) if isinstance(getattr(ctx, "cache", None), dict) else {}
    limits = (now, horizon)

    if inline:
        candidates = {id(f): _candidates(f, ctx, cache, known, limits, undetermined) for f in findings if f.rule_id != META_RULE}
        for ds in candidates.values():
            for d in ds:
                _check_ambiguity(d)
        for f in findings:
            if f.rule_id != META_RULE:
                _apply_inline(f, candidates[id(f)], now)
    meta = _apply_approvals(findings, ctx, now, horizon, known)

    if inline:
        paths = set(cache)
        todo = [rel for rel in dict.fromkeys(_scanned_files(ctx)) if rel.endswith(_TEXT_SUFFIXES) and rel not in paths]
        cache.update(zip(todo, _files(ctx, todo, known, limits)))
        paths.update(todo)
        for rel in sorted(paths):
            info = cache.get(rel)
            if info is None:
                continue
            for d in info.directives:
                problems = list(d.problems)
                unused = [r for r in d.rule_ids if r not in d.used_rules]
                if not problems and unused and not d.undetermined:
                    if len(unused) == len(d.rule_ids):
                        problems.append(
                            f"it matches no finding of {', '.join(unused)} (it must be inside or directly above the flagged block, "
                            "and name a rule that block has)" + _reported_elsewhere(d, unused, findings, info)
                        )
                    else:
                        problems.append(f"{', '.join(unused)}: no finding of {'these rules' if len(unused) > 1 else 'this rule'} on the block")
                if problems:
                    meta.append(_meta_finding(d, problems))
    return findings + meta, []


def _reported_elsewhere(d: Directive, rules: list[str], findings: list[Finding], info: FileInfo) -> str:
    """Where the link is reported when the directive sits on another resource of it (one link, one finding:
    a bandwidth plan or an accepter is a related location of the resource that creates the link)."""
    for f in findings:
        if f.rule_id not in rules:
            continue
        for r in f.related:
            if r.path != d.path:
                continue
            inside = r.start_line <= d.line <= r.end_line
            above = d.line < r.start_line and all(
                0 < i < len(info.comment_only) and info.comment_only[i] for i in range(d.line, r.start_line))
            if inside or above:
                return f"; this block is part of the link reported at {f.location.path}:{f.location.start_line} ({f.resource}): put it there"
    return ""


# --------------------------------------------------------------------------------------------------
# inline directives


def _candidates(
    f: Finding, ctx: ScanContext, cache: dict[str, FileInfo | None], known: set[str], limits: tuple[_dt.date, int],
    undetermined: frozenset[str] = UNDETERMINED_RULES,
) -> list[Directive]:
    """Directives placed on the finding's block or on its module call, whose rules include the finding's."""
    out: list[Directive] = []
    for loc in _spots(f):
        info = _file(ctx, cache, loc.path, known, limits)
        if info is None:
            continue
        for d in info.directives:
            if not _covers(d, loc, f, info):
                continue
            if f.rule_id in undetermined:
                d.undetermined = True
            if d.problems or f.rule_id not in d.rule_ids:
                continue
            if not _names(d, f):
                continue
            if d not in out:
                out.append(d)
                d.matches.append(f)
    return out


def _spots(f: Finding) -> list[Location]:
    """Where a directive for `f` may sit: its block, and the module call it was instantiated through; for a tunnel
    of a VPN configuration written in a string, the resource block holding the string (no comment can sit inside a
    heredoc). Not its other related locations: a directive above a shared gateway would otherwise approve every VPN
    that uses it."""
    return [f.location, *[r for r in f.related if r.path and r.label.startswith(("module call", HOLDER))]]


def _names(d: Directive, f: Finding) -> bool:
    """Whether the directive's `address=` (none: every address) names the finding's resource."""
    return not d.addresses or any(_glob(p, f.resource, paths=False) for p in d.addresses)


def _check_ambiguity(d: Directive) -> None:
    """A directive without `address=` that covers several links suppresses none of them: several instances of
    one block, or several blocks inside the module call it is on (a link added to the module later must not
    inherit an approval written for another). An instance is an address in a root module: a shared module's
    block has the same address under every root that calls it, which `address=` cannot tell apart."""
    if d.problems or len(d.matches) < 2:
        return
    blocks: dict[tuple[str, int, int, str], set[tuple[str, str]]] = {}
    for f in d.matches:
        blocks.setdefault((f.location.path, f.location.start_line, f.location.start_col, f.rule_id), set()).add(
            (f.resource, f.unit or ""))
    many = sorted(max(blocks.values(), key=len))
    units = {u for _r, u in many}
    if d.addresses and len({r for r, _u in many}) == len(many):
        return  # the named addresses are the links it was written for
    if len(many) > 1:
        shown = _first_few([f"{r} (root module {u or '.'})" if len(units) > 1 else r for r, u in many])
        where = (f"{len(many)} instances of one block in {len(units)} root modules" if len(units) > 1
                 else f"{len(many)} instances of one block")
        remedy = ("put it on the module call of the root module it approves, or approve by address and path in "
                  ".xborder.yaml" if len(units) > 1 else
                  "name the instance(s) with address=ADDRESS[,ADDRESS], put it on the module call, or approve by "
                  "address in .xborder.yaml")
        d.problems.append(f"ambiguous: it covers {where} ({shown}); {remedy}")
        return
    if d.addresses:
        return  # `address=` names the links it covers through the module call
    links = sorted({f.resource for f in d.matches})
    if len(links) > 1:
        shown = _first_few(links)
        d.problems.append(
            f"ambiguous: it covers {len(links)} links through the module call ({shown}); name the link(s) with "
            "address=ADDRESS[,ADDRESS], or put a directive on each link's own block"
        )


def _apply_inline(f: Finding, candidates: list[Directive], now: _dt.date) -> None:
    chosen: Directive | None = None
    expired: list[Directive] = []
    for d in candidates:
        if d.problems:
            continue
        d.used_rules.add(f.rule_id)
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
        # minified Terraform JSON puts several resource objects on one line: the directive's column says whose it is
        return not (loc.path.endswith(".json") and _outside_columns(d, loc))
    if d.line >= start:
        return False
    # the run of comment-only lines directly above the start
    line = start - 1
    while line >= 1 and line < len(info.comment_only) and info.comment_only[line]:
        if line == d.line:
            return True
        line -= 1
    return False


def _outside_columns(d: Directive, loc: Location) -> bool:
    """Whether a directive on the first or last line of a span lies before its start or after its end column."""
    if d.line == loc.start_line and d.col < loc.start_col:
        return True
    return d.line == loc.end_line and loc.end_col > 1 and d.col > loc.end_col


def _names_logical_id(resource: str, logical_id: str) -> bool:
    return resource == logical_id or resource.endswith(("." + logical_id, "/" + logical_id, ":" + logical_id))


def _files(ctx: ScanContext, rels: list[str], known: set[str], limits: tuple[_dt.date, int]) -> list[FileInfo | None]:
    """`_file` of each file no finding pointed at (to report unused directives): every scanned text file, read
    once more, so on every core for a large tree (`parallel.map_items`; small results, in order)."""
    from xborder import parallel

    jobs = getattr(getattr(ctx, "options", None), "jobs", 0) or 0
    out: list[FileInfo | None] = [None] * len(rels)
    todo: list[int] = []
    for i, rel in enumerate(rels):
        if _read_without_directive(ctx, rel):
            out[i] = FileInfo(comment_only=[], directives=[])
        else:
            todo.append(i)
    done = parallel.map_items([rels[i] for i in todo], ctx, lambda rel: _file(ctx, {}, rel, known, limits), jobs)
    for i, info in zip(todo, done.results):
        if isinstance(info, BaseException):
            raise info
        out[i] = info
    return out


def _read_without_directive(ctx: ScanContext, rel: str) -> bool:
    """Whether this scan already read `rel` whole and found no directive word in it (no `Path` per file on POSIX)."""
    return reading.holds_no_directive(f"{os.fspath(ctx.root).rstrip('/')}/{rel}" if os.sep == "/" else ctx.root / rel)


def _file(ctx: ScanContext, cache: dict[str, FileInfo | None], rel: str, known: set[str], limits: tuple[_dt.date, int]) -> FileInfo | None:
    if rel in cache:
        return cache[rel]
    info: FileInfo | None = None
    if _read_without_directive(ctx, rel):
        cache[rel] = info = FileInfo(comment_only=[], directives=[])
        return info
    try:
        # a directory, device, FIFO, missing file or link leaving the repository is an OSError here
        # (`ReadRefused`), as `reading.is_regular_file` would have answered False: no info either way
        data = reading.read_bytes(ctx.root / rel, 20 * 1024 * 1024)
        if reading.DIRECTIVE_WORD in data:
            info = _parse_file(rel, data.decode("utf-8-sig", errors="replace"), known)
            for d in info.directives:
                _check_horizon(d, *limits)
        else:
            info = FileInfo(comment_only=[], directives=[])
    except OSError:
        info = None
    cache[rel] = info
    return info


def _check_horizon(d: Directive, now: _dt.date, days: int) -> None:
    if d.until is not None and (d.until - now).days > days:
        d.problems.append(
            f"until={d.until.isoformat()} is more than {days} days ahead (max_approval_days in .xborder.yaml); "
            "review approvals at least that often"
        )


def _parse_file(rel: str, text: str, known: set[str]) -> FileInfo:
    lower = rel.lower()
    is_tfjson = lower.endswith(_TFJSON_SUFFIXES)
    is_cfn = lower.endswith(_CFN_SUFFIXES) and not is_tfjson
    if "xborder:ignore" not in text and not (is_cfn and "xborder" in text):
        return FileInfo(comment_only=[], directives=[])
    # `\n` only, like the parsers: `str.splitlines` also breaks on form feeds and would shift every line
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if is_tfjson:
        comment_only, comments = [False] * (len(lines) + 1), _json_comments(lines)
    elif lower.endswith(_HCL_SUFFIXES):
        comment_only, comments = _hcl_comments(lines)
    elif is_cfn:
        comment_only, comments = _yaml_comments(lines)
    else:
        comment_only, comments = _config_comments(lines)
    directives: list[Directive] = []
    for line_no, col, body in comments:
        if "xborder:ignore" not in body:
            continue
        m = _IN_COMMENT.match(body)
        if m is None:
            continue
        directives.append(_parse_directive(rel, line_no, col + m.start("token"), m.group("rest"), known))
    if is_cfn and "xborder" in text:
        directives.extend(_cfn_metadata(rel, text, known))
    return FileInfo(comment_only=comment_only, directives=directives)


Comments = list[tuple[int, int, str]]  # (line, column of the comment's text, text)


def _skip_string(line: str, k: int) -> int:
    """Index after the HCL string whose body starts at `k` (templates `${ }` may hold nested strings)."""
    n = len(line)
    while k < n:
        ch = line[k]
        if ch == "\\":
            k += 2
        elif ch == '"':
            return k + 1
        elif line.startswith(("${", "%{"), k):
            k = _skip_template(line, k + 2)
        else:
            k += 1
    return n


def _skip_template(line: str, k: int) -> int:
    depth, n = 1, len(line)
    while k < n:
        ch = line[k]
        if ch == '"':
            k = _skip_string(line, k + 1)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return n


def _hcl_comments(lines: list[str]) -> tuple[list[bool], Comments]:
    """Comments of an HCL file: `#`, `//`, `/* */` outside strings and heredocs."""
    comment_only = [False] * (len(lines) + 1)
    out: Comments = []
    in_block = False
    heredoc: str | None = None
    for i, line in enumerate(lines, start=1):
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        j, n, code, had = 0, len(line), False, False
        if in_block:
            end = line.find("*/")
            out.append((i, 1, line if end < 0 else line[:end]))
            had = True
            if end < 0:
                comment_only[i] = True
                continue
            in_block, j = False, end + 2
        while j < n:
            ch = line[j]
            if ch in " \t\f\v\r":
                j += 1
            elif ch == "#" or line.startswith("//", j):
                start = j + (1 if ch == "#" else 2)
                out.append((i, start + 1, line[start:]))
                had = True
                break
            elif line.startswith("/*", j):
                end = line.find("*/", j + 2)
                out.append((i, j + 3, line[j + 2 :] if end < 0 else line[j + 2 : end]))
                had = True
                if end < 0:
                    in_block = True
                    break
                j = end + 2
            elif ch == '"':
                code = True
                j = _skip_string(line, j + 1)
            elif line.startswith("<<", j) and (m := _HEREDOC.match(line, j)):
                code = True
                heredoc = m.group("marker")
                break
            else:
                code = True
                j += 1
        comment_only[i] = had and not code
    return comment_only, out


def _yaml_comments(lines: list[str]) -> tuple[list[bool], Comments]:
    """Comments of a YAML file: `#` at the start or after a blank, outside quotes and block scalars."""
    comment_only = [False] * (len(lines) + 1)
    out: Comments = []
    block_indent: int | None = None  # inside a `|`/`>` block scalar deeper than this indentation
    for i, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        quote: str | None = None
        j, n = 0, len(line)
        found = -1
        while j < n:
            ch = line[j]
            if quote is not None:
                if ch == quote:
                    if quote == "'" and line.startswith("''", j):
                        j += 2
                        continue
                    quote = None
                elif ch == "\\" and quote == '"':
                    j += 1
            elif ch in "\"'" and (j == 0 or line[j - 1] in " \t:[{,-"):
                quote = ch
            elif ch == "#" and (j == 0 or line[j - 1] in " \t"):
                found = j
                break
            j += 1
        code_part = line if found < 0 else line[:found]
        if found >= 0:
            out.append((i, found + 2, line[found + 1 :]))
            comment_only[i] = not code_part.strip()
        if _YAML_BLOCK.search(code_part.rstrip()):
            block_indent = indent
    return comment_only, out


def _config_comments(lines: list[str]) -> tuple[list[bool], Comments]:
    """Comments of a network device config: `#`, `!`, `;`, `//`, `/* */` starting a line, or `#` after a blank outside quotes."""
    comment_only = [False] * (len(lines) + 1)
    out: Comments = []
    in_block = False
    banner_end: str | None = None
    for i, line in enumerate(lines, start=1):
        stripped = line.lstrip(" \t")
        col = len(line) - len(stripped) + 1
        if banner_end is not None:  # Cisco banner text is shown at login: data, never a comment
            if banner_end in line:
                banner_end = None
            continue
        if not in_block and (m := _BANNER.match(stripped.rstrip())):
            delim = m.group(1) + m.group(2) if m.group(1) == "^" else m.group(1)  # as `netconf.cisco` reads it
            if delim not in stripped.rstrip()[m.end():]:
                banner_end = delim
            continue
        if in_block:
            end = line.find("*/")
            out.append((i, 1, line if end < 0 else line[:end]))
            comment_only[i] = True
            in_block = end < 0
            continue
        if stripped.startswith("/*"):
            end = stripped.find("*/", 2)
            out.append((i, col + 2, stripped[2:] if end < 0 else stripped[2:end]))
            comment_only[i] = True
            in_block = end < 0
            continue
        marker = next((m for m in ("//", "#", "!", ";") if stripped.startswith(m)), None)
        if marker is not None:
            out.append((i, col + len(marker), stripped[len(marker) :]))
            comment_only[i] = True
            continue
        quote = False
        for j, ch in enumerate(line):
            if ch == '"':
                quote = not quote
            elif ch == "#" and not quote and j > 0 and line[j - 1] in " \t":
                out.append((i, j + 2, line[j + 1 :]))
                break
    return comment_only, out


def _json_comments(lines: list[str]) -> Comments:
    """Terraform JSON's comments: the string value of a `"//"` key (Terraform ignores such keys)."""
    out: Comments = []
    for i, line in enumerate(lines, start=1):
        for m in re.finditer(r'"//"\s*:\s*(?P<value>"(?:[^"\\]|\\.)*")', line):
            try:
                value = json.loads(m.group("value"))
            except ValueError:
                continue
            if isinstance(value, str):
                out.append((i, m.start("value") + 2, value))
    return out


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
        if pm.group("bare") is not None and tail[pm.end():pm.end() + 1] in ('"', "'") and pm.group("key").lower() == "address":
            # a bare value ends at the first quote: `address=x["a"]` would name `x[`, which matches nothing
            problems.append(f"address={value}... holds a quote: write it in single quotes "
                            f"(address='{value.split('[', 1)[0]}[\"KEY\"]'), or it names no instance")
    reason = " ".join((params.get("reason") or "").split())
    until_text = next((params[k] for k in _UNTIL_KEYS if k in params), None)
    d = _directive(rel, line, col, text, ids, reason, until_text, known, problems)
    d.addresses = [a.strip() for a in (params.get("address") or "").split(",") if a.strip()]
    return d


def _directive(
    rel: str, line: int, col: int, text: str, ids: list[str], reason: str, until_text: str | None, known: set[str], problems: list[str]
) -> Directive:
    if any("*" in i for i in ids):
        problems.append("a wildcard is not a rule id: name each rule the directive is written for")
    unknown = [i for i in ids if i not in known and "*" not in i]
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


def _apply_approvals(findings: list[Finding], ctx: ScanContext, now: _dt.date, horizon: int, known: set[str]) -> list[Finding]:
    """Suppress what approvals cover; return XB001 findings for approvals that are wrong, ambiguous or unused."""
    config = getattr(ctx, "config", None)
    approvals = list(getattr(config, "approvals", None) or [])
    if not approvals:
        return []
    display = str(getattr(config, "display", "") or ".xborder.yaml")
    problems: dict[int, list[str]] = {i: _approval_problems(a, now, horizon, known) for i, a in enumerate(approvals)}
    matched: dict[int, list[Finding]] = {i: [] for i in range(len(approvals))}
    targets = [f for f in findings if f.rule_id != META_RULE]
    partial: dict[int, list[tuple[Finding, list[tuple[str, str]]]]] = {i: [] for i in range(len(approvals))}
    for f in targets:
        for i, a in enumerate(approvals):
            if not problems[i] and _approval_fits(a, f, ctx, near=True):
                left = _uncovered(a, f)
                if left:  # pinned to this link's ends, but the same link deploys other ends too (links/worlds.py)
                    partial[i].append((f, left))
                else:
                    matched[i].append(f)
    for i, a in enumerate(approvals):
        if not problems[i]:
            problems[i].extend(_ambiguity(a, matched[i] + [f for f, _left in partial[i]]))
    if isinstance(getattr(ctx, "cache", None), dict):
        ctx.cache[APPROVAL_PROBLEMS_KEY] = problems
    for f in targets:
        if f.suppressed:
            continue
        for i, a in enumerate(approvals):
            if problems[i] or f not in matched[i]:
                continue
            expires = _as_date(getattr(a, "expires", None))
            if expires is not None and now > expires:
                note = _expired_note(a, expires)
                if note not in f.evidence:
                    f.evidence.append(note)
                continue
            f.suppressed = True
            f.justification = f"{_label(a)}: {_reason(a)}" + (f" (expires {expires.isoformat()})" if expires else "")
            break
    partial = {i: found if not problems[i] else [] for i, found in partial.items()}  # an ambiguous one covers nothing
    for i, a in enumerate(approvals):
        for f, left in partial[i]:
            if not f.suppressed:
                expires = _as_date(getattr(a, "expires", None))
                lapsed = expires if expires is not None and now > expires else None
                notes = [_expired_note(a, lapsed)] if lapsed else []  # as a pin naming every twin would say
                for note in (*notes, _not_covered(a, display, left, lapsed, f)):
                    if note not in f.evidence:
                        f.evidence.append(note)
    _not_added_up(targets, approvals, partial, display)
    meta: list[Finding] = []
    formers = _formers(targets)
    for i, a in enumerate(approvals):
        found = list(problems[i])
        if not found and not matched[i] and not partial[i] and _approval_in_scope(a, ctx):  # a partial one: its finding says why
            expires = _as_date(getattr(a, "expires", None))
            stale = _former_pins(a, formers)
            if expires is not None and now > expires:
                found.append(f"it expired on {expires.isoformat()} and matches no finding in this scan; "
                             + (f"{stale}; renew it (`expires:`) if the link is still approved, else remove it" if stale else "remove it"))
            elif stale:
                found.append(f"it matches no finding in this scan; {stale}")
            else:
                found.append("it matches no finding in this scan (check the rule id, the resource address and the path)")
        if found:
            meta.append(_approval_meta(a, i, display, found))
    return meta


def _formers(findings: list[Finding]) -> dict[str, list[tuple[Finding, str, str, str]]]:
    """Former fingerprint -> each (finding, which of its deployments: "" for the finding itself, else the twin's
    world, fingerprint now, why it moved) it was the former of (`Finding.former`, rules/common.py). Several findings
    can share a former fingerprint: the deployments of a circuit with a carrier of each verdict were one link before
    the carrier counted."""
    out: dict[str, list[tuple[Finding, str, str, str]]] = {}
    for f in findings:
        twins = {t.fingerprint: t for t in f.twins}
        for old, new, why in f.former:
            twin = twins.get(new)
            entry = (f, twin.world.phrase() if twin is not None else "", new, why)
            if entry not in out.setdefault(old, []):
                out[old].append(entry)
    return out


def _former_pins(a: Any, formers: dict[str, list[tuple[Finding, str, str, str]]]) -> str:
    """What to pin now, when an approval that matches nothing pins the former fingerprint of a link: it was written
    for that link, whose fingerprint moved. Each stale pin is named after the finding (or twin) it was the former of,
    with why that fingerprint moved (only the reason that applies to it) and its fingerprint now; pins of several
    findings become one approval per finding (an approval is written for one link)."""
    pins = _pins(a)
    stale = [p for p in pins if p in formers]
    if not stale:
        return ""
    links: dict[int, list[str]] = {}  # finding -> the fingerprints to pin for it now, in the approval's order
    by_id: dict[int, Finding] = {}
    named: Finding | None = None  # the finding the previous label named: "the same link" refers to it
    said: list[str] = []  # the previous pin's reason: "for the same reason" refers to it
    which: list[str] = []
    for p in stale:
        labels = []
        for f, world, new, why in formers[p]:
            by_id[id(f)] = f
            links.setdefault(id(f), [])
            if new not in links[id(f)]:
                links[id(f)].append(new)
            if not world:
                label = _named(f)
            elif f is named:
                label = f"the same link {world}"
            else:
                label = f"{_named(f)} {world}"
            labels.append((label, why))
            named = f
        whys = list(dict.fromkeys(why for _label_, why in labels))
        if len(whys) == 1:  # said once for the findings that share it (a circuit's deployments)
            why = "for the same reason" if whys == said else whys[0]
            which.append(f"{p}, the former fingerprint of {' and of '.join(x for x, _ in labels)}, {why}")
        else:
            which.append(f"{p}, the former fingerprint of " + " and of ".join(f"{x}, {why}" for x, why in labels))
        said = whys
    if len(links) == 1:
        now = ", ".join(dict.fromkeys(new for p in pins for new in ([e[2] for e in formers[p]] if p in formers else [p])))
        now = f"pin `fingerprint: {now}`"
    else:
        for key, news in links.items():  # the approval's other pins that name one of these links as it is now
            f = by_id[key]
            news.extend(p for p in pins if p not in formers and p not in news
                        and (p == f.fingerprint or any(t.fingerprint == p for t in f.twins)))
        now = ("approve each finding in an approval of its own (an approval is written for one link): "
               + "; ".join(f"`fingerprint: {', '.join(news)}` for {_named(by_id[key])}" for key, news in links.items()))
    return f"it pins {'; '.join(which)}; if the link as it is now is what was approved, {now}"


def _named(f: Finding) -> str:
    """A finding as a stale pin's message names it: rule, address, place and, for a world's own finding, its world."""
    world = f" {replace(f.world, contrast='').phrase()}" if f.world else ""
    return f"{f.rule_id} {f.resource} ({f.location.path}:{f.location.start_line}){world}"


def _ambiguity(a: Any, matched: list[Finding]) -> list[str]:
    """One approval, one link: a new link must never inherit an approval written for another.

    An approval that names a `resource:` covers what that address (or glob) names, but not in several root
    modules (a copied `envs/prod`, or a shared module's block, which has one address under every root that
    calls it: a `path:` that is the module's own file does not say which root); one without `resource:` (a
    rule and/or a path) covers one link only, so a second link added under the same path or rule (or the
    same block reached from a second root) makes it ambiguous instead of silently approved. One pinned by
    fingerprints names one link's (its finding's and its twins', or the findings of one resource's deployments):
    pins of two links' findings (`fingerprint: A, B`, A one resource's and B another's) are ambiguous too, and
    cover neither.
    """
    if getattr(a, "fingerprint", None):  # the fingerprints of one link: its deployments (twins, worlds) are one link
        pinned = sorted({(f.location.path, f.resource, f.unit or "") for f in matched})
        if len({(r, u) for _p, r, u in pinned}) < 2:
            return []
        several_roots = len({u for _p, _r, u in pinned}) > 1
        shown = _first_few([f"{path}: {resource}" + (f" (root module {unit})" if several_roots else "")
                            for path, resource, unit in pinned])
        return [f"ambiguous: it pins fingerprints of {len({(r, u) for _p, r, u in pinned})} links ({shown}); write one "
                "approval per link"]
    if getattr(a, "resource", None):
        units = sorted({f.unit for f in matched})
        if len(units) > 1 and (not getattr(a, "path", None) or _one_address(a, matched)):
            return [f"ambiguous: resource {a.resource!r} matches links in {len(units)} root modules ({', '.join(units)}); "
                    "add path: to say which one it approves (the root module's directory, e.g. envs/prod/**)"]
        return []
    links = sorted({(f.location.path, f.resource, f.unit or "") for f in matched})
    if len(links) < 2:
        return []
    several_roots = len({u for _p, _r, u in links}) > 1
    shown = _first_few([f"{path}: {resource}" + (f" (root module {unit})" if several_roots else "") for path, resource, unit in links])
    return [f"ambiguous: it names no resource and covers {len(links)} links ({shown}); "
            "write one approval per link with its resource: address"]


def _one_address(a: Any, matched: list[Finding]) -> bool:
    """Whether an approval names resources without wildcards and matched one address in several root modules
    (a block of a shared module): it was written for one link, and matches others of the same name."""
    patterns = _listify(getattr(a, "resource", None))
    if any("*" in p or "?" in p for p in patterns):
        return False  # written to cover many
    by_address: dict[str, set[str]] = {}
    for f in matched:
        by_address.setdefault(f.resource, set()).add(f.unit or "")
    return any(len(units) > 1 for units in by_address.values())


def _first_few(items: list[str]) -> str:
    """The first four items of a problem message, and "..." when there are more."""
    return ", ".join(items[:4]) + (", ..." if len(items) > 4 else "")


def _approval_rules(a: Any) -> list[str]:
    """The rule ids an approval names (`rule: XB101, XB102` or a list)."""
    return [r.strip().upper() for r in _listify(getattr(a, "rule", None)) for r in r.split(",") if r.strip()]


def _approval_problems(a: Any, now: _dt.date, horizon: int, known: set[str]) -> list[str]:
    out: list[str] = []
    rules = _approval_rules(a)
    if not (rules or _listify(getattr(a, "resource", None)) or _listify(getattr(a, "path", None)) or getattr(a, "fingerprint", None)):
        out.append("it says nothing about what it approves (give rule, resource, path or fingerprint)")
    if any("*" in r for r in rules):
        out.append("a wildcard is not a rule id: name the rule(s) the approval is for")
    unknown = [r for r in rules if r not in known and "*" not in r]
    if unknown:
        out.append(f"unknown rule id{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} (see `xborder rules`)")
    expires = _as_date(getattr(a, "expires", None))
    if expires is not None and (expires - now).days > horizon:
        out.append(f"expires {expires.isoformat()} is more than {horizon} days ahead (max_approval_days); review approvals at least that often")
    return out


def _approval_in_scope(a: Any, ctx: ScanContext) -> bool:
    """Whether this scan covered what the approval is about, so that "matches nothing" means something."""
    config = getattr(ctx, "config", None)
    base = getattr(config, "base_dir", None)
    scanned = ctx.cache.get("scan_paths") if isinstance(getattr(ctx, "cache", None), dict) else None
    if base is None or not scanned:
        return True
    base = Path(base)
    if any(p == base or p in base.parents for p in scanned):
        return True
    paths = _listify(getattr(a, "path", None))
    if not paths:
        return False
    for rel in _scanned_files(ctx):
        r = config.relative_to_base(rel, ctx.root)
        if r is not None and any(_glob(_strip_dot(p), r, paths=True) for p in paths):
            return True
    return False


def _approval_meta(a: Any, index: int, display: str, problems: list[str]) -> Finding:
    line = int(getattr(a, "line", 0) or 0) or 1
    what = ", ".join(
        f"{k}: {getattr(a, k)}" for k in ("rule", "resource", "path", "fingerprint") if getattr(a, k, None)
    ) or "(empty)"
    message = f"Invalid approval {display} approvals[{index}] ({what}): " + "; ".join(problems)
    digest = sha256("\n".join([META_RULE, display, what, *problems]).encode())[:32]
    return Finding(
        rule_id=META_RULE,
        severity=META_SEVERITY,
        message=message,
        location=Location(display, line, 1, line, 1),
        resource=f"{display}:approvals[{index}]",
        evidence=[f"approval at {display}:{line}: {what}", "an approval must name a rule, resource and/or path that this scan finds"],
        fingerprint=digest,
    )


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


def _strip_dot(p: str) -> str:
    while p.startswith("./"):
        p = p[2:]
    return p


def _pins(a: Any) -> tuple[str, ...]:
    """The fingerprints an approval pins: `fingerprint: 0123...cdef` or several, separated by commas. Asked for each
    finding and approval: the text is split once."""
    raw = getattr(a, "fingerprint", None)
    return _split_pins(raw) if isinstance(raw, str) else tuple(p for item in _listify(raw) for p in _split_pins(item))


@functools.lru_cache(maxsize=256)
def _split_pins(text: str) -> tuple[str, ...]:
    return tuple(p for p in re.split(r"[\s,]+", text) if p)


def _uncovered(a: Any, f: Finding) -> list[tuple[str, str]]:
    """(which ends, fingerprint) of the finding's link, and of each of its twins (the same link deployed with other
    ends by another allowed value: links/worlds.py), that a pinned approval does not name: it was written for other
    ends, so it does not cover the finding. An approval by rule, resource or path pins no ends and covers the link
    whatever the world."""
    pins = _pins(a)
    if not pins:
        return []
    out = [] if f.fingerprint in pins else [("this finding's own ends" + (f" ({f.world.phrase()})" if f.world else ""), f.fingerprint)]
    out += [(f"the same link {t.world.phrase()}", t.fingerprint) for t in getattr(f, "twins", None) or () if t.fingerprint not in pins]
    return out


def _reason(a: Any) -> str:
    """An approval's reason on one line (as every evidence line and justification quotes it)."""
    return " ".join(str(getattr(a, "reason", "") or "").split())


def _label(a: Any) -> str:
    reference = str(getattr(a, "reference", "") or "").strip()
    return f"approval {reference}" if reference else "approval"


def _expired_note(a: Any, expires: _dt.date) -> str:
    """The evidence line of an approval that would cover a finding (or part of it) but has expired."""
    return f"expired {_label(a)} (expires {expires.isoformat()}): {_reason(a)}"


def _not_covered(a: Any, display: str, left: list[tuple[str, str]], lapsed: _dt.date | None = None,
                 f: Finding | None = None) -> str:
    """Why a pinned approval does not cover a finding, and how to approve the other deployments too (an expired
    one must be renewed as well: naming the fingerprints alone would not make it cover). A pin of a former
    fingerprint of the finding (`Finding.former`) is left out of what to pin."""
    pins = _pins(a)
    ends = "; ".join(f"{what} (fingerprint {fp})" for what, fp in left[:5])
    more = f"; and {len(left) - 5} more" if len(left) > 5 else ""
    former = {old for old, _new, _why in (f.former if f is not None else ())}
    wanted = ", ".join(dict.fromkeys([*(p for p in pins if p not in former), *(fp for _, fp in left)]))
    fix = f"if those deployments are approved too, name their fingerprints in it: `fingerprint: {wanted}`"
    if lapsed is not None:
        fix = f"it also expired on {lapsed.isoformat()}: renew it (`expires:`) if the link is still approved, and {fix}"
    return (f"not covered by {_label(a)} ({display}:{getattr(a, 'line', 0)}): it pins fingerprint {', '.join(pins)} (the ends "
            f"it was written for), not {ends}{more}; {fix}")


def _not_added_up(targets: list[Finding], approvals: list[Any], partial: dict[int, list[tuple[Finding, list[tuple[str, str]]]]],
                  display: str) -> None:
    """A finding that two or more pinned approvals cover only together stays reported, and says so plainly: an
    approval is one decision (its reason, reference and expiry), so each deployment it covers must be in the same
    one; adding two up would give the finding a reason and an expiry nobody wrote for the whole of it."""
    by_finding: dict[int, list[int]] = {}
    for i in partial:
        for f, _left in partial[i]:
            by_finding.setdefault(id(f), []).append(i)
    for f in targets:
        some = by_finding.get(id(f), [])
        if f.suppressed or len(some) < 2:
            continue
        wanted = [f.fingerprint, *(t.fingerprint for t in f.twins)]
        named = {p for i in some for p in _pins(approvals[i])}
        if not all(fp in named for fp in wanted):
            continue
        named_by = [f"{_label(approvals[i])} ({display}:{getattr(approvals[i], 'line', 0)})" for i in some]
        which = ", ".join(named_by[:-1]) + f" and {named_by[-1]}"
        note = (f"not covered: {which} together name every fingerprint of this finding, but approvals do not add up "
                f"(each is one decision with its own reason and expiry); one approval must name them all: "
                f"`fingerprint: {', '.join(dict.fromkeys(wanted))}`")
        if note not in f.evidence:
            f.evidence.append(note)


def _approval_matches(a: Any, f: Finding, ctx: Any = None) -> bool:
    """Every field given must match; paths are relative to the directory of `.xborder.yaml`; an approval pinned by
    fingerprint names the finding's and every twin's."""
    return _approval_fits(a, f, ctx) and not _uncovered(a, f)


def _approval_fits(a: Any, f: Finding, ctx: Any = None, near: bool = False) -> bool:
    """Every field given matches `f` itself (its twins aside); `near`: a pin naming one of its twins is enough."""
    rules = _approval_rules(a)
    resources = _listify(getattr(a, "resource", None))
    paths = _listify(getattr(a, "path", None))
    pins = _pins(a)
    if not (rules or resources or paths or pins):
        return False  # an approval must say what it approves
    if pins and f.fingerprint not in pins and not (near and any(t.fingerprint in pins for t in getattr(f, "twins", None) or ())):
        return False  # written for a link with other ends (or another rule, address or root module)
    if rules and f.rule_id not in rules:
        return False
    if resources and not any(_glob(p, f.resource, paths=False) for p in resources):
        return False
    if paths:
        candidates = [f.location.path] + [r.path for r in f.related if r.path]
        config = getattr(ctx, "config", None)
        if config is not None and hasattr(config, "relative_to_base"):
            candidates = [c for c in (config.relative_to_base(c, ctx.root) for c in candidates) if c is not None]
        if not any(_glob(_strip_dot(p), c, paths=True) for p in paths for c in candidates):
            return False
    return True


_GLOB_CACHE: dict[tuple[str, bool], Any] = {}


def _glob(pattern: str, value: str, paths: bool) -> bool:
    """`*` and `?` wildcards (not `[...]`: resource addresses contain brackets); `**` spans `/` in paths.

    Matched in linear time: by RE2 (Go's engine), or by `_glob_states` for a text that is not valid Unicode (a lone
    surrogate from a `\\uD800` escape, which RE2 cannot take). Python's backtracking `re` took minutes for an approval
    `resource: "*a*a*a*a*a*a*a*a*c"` against a 100-letter address (the approval is in `.xborder.yaml`, the address
    and directives' `address=` in the scanned tree). The whole value must match: `$` of Python's `re` also matched
    before a final newline, so `aws_vpn_connection.x` covered a resource named `"x\\n"` in JSON.
    """
    if pattern == value:
        return True
    key = (pattern, paths)
    rx = _GLOB_CACHE.get(key)
    if rx is None:
        out = []
        for kind, text in _glob_tokens(pattern, paths):
            if kind == "lit":
                out.append("".join(c if c.isascii() and (c.isalnum() or c == "_") else "\\x{%x}" % ord(c) for c in text))
            else:
                out.append({"any": "[^/]" if paths else ".", "star": "[^/]*" if paths else ".*", "dstar": ".*",
                            "dir": "(?:.*/)?"}[kind])
        suffix = "(?:/.*)?" if paths else ""  # a directory pattern covers what is below it
        rx = _GLOB_CACHE[key] = lazy.linear_regex("^" + "".join(out) + suffix + "$")
    try:
        return rx.match(value) is not None
    except UnicodeEncodeError:  # a lone surrogate in the pattern or the value
        return _glob_states(_glob_tokens(pattern, paths), value, paths)


def _glob_tokens(pattern: str, paths: bool) -> list[tuple[str, str]]:
    """A glob as (kind, text): lit (one character), any (`?`), star (`*`), dstar (`**`), dir (`**/` in paths)."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**", i):
            if paths and pattern.startswith("**/", i):
                out.append(("dir", ""))
                i += 3
            else:
                out.append(("dstar", ""))
                i += 2
            continue
        out.append(("star", "") if ch == "*" else ("any", "") if ch == "?" else ("lit", ch))
        i += 1
    return out


def _glob_states(tokens: list[tuple[str, str]], value: str, paths: bool) -> bool:
    """The glob of `_glob` as a set of states over the text: linear in len(tokens) * len(value), any characters.
    State i: before token i; -1 - i: inside the `(.*/)` of a `dir` token i; `end + 1`: inside the path suffix `/...`."""
    end = len(tokens)

    def close(states: set[int]) -> set[int]:
        todo, seen = list(states), set(states)
        while todo:
            i = todo.pop()
            if 0 <= i < end and tokens[i][0] in ("star", "dstar", "dir") and i + 1 not in seen:
                seen.add(i + 1)
                todo.append(i + 1)
        return seen

    states = close({0})
    for c in value:
        dot = c != "\n"  # `.` of the RE2 pattern
        slashless = c != "/"  # `[^/]`
        nxt: set[int] = set()
        for i in states:
            if i < 0:  # inside a `dir` group `(?:.*/)?`: left after a `/`
                if dot:
                    nxt.add(i)
                if c == "/":
                    nxt.add(-i)
                continue
            if i == end + 1:  # the path suffix `(?:/.*)?`
                if dot:
                    nxt.add(i)
                continue
            if i == end:
                if paths and c == "/":
                    nxt.add(end + 1)
                continue
            kind, text = tokens[i]
            if kind == "lit":
                if c == text:
                    nxt.add(i + 1)
            elif kind == "any":
                if slashless if paths else dot:
                    nxt.add(i + 1)
            elif kind == "star":
                if slashless if paths else dot:
                    nxt.add(i)
            elif kind == "dstar":
                if dot:
                    nxt.add(i)
            elif c == "/":  # dir: the group's text ends here
                nxt.add(i + 1)
                nxt.add(-1 - i)
            elif dot:
                nxt.add(-1 - i)
        states = close(nxt)
        if not states:
            return False
    return end in states or end + 1 in states


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
    digest = sha256("\n".join([META_RULE, d.path, d.text, *problems]).encode())[:32]
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
    cache = ctx.cache.get(FILES_KEY, {}) if isinstance(getattr(ctx, "cache", None), dict) else {}
    if bool(getattr(getattr(ctx, "options", None), "inline_suppressions", True)):
        for loc in _spots(f):  # where `apply` looks: a directive it does not honour covers nothing
            info = cache.get(loc.path)
            if info is None:
                continue
            for d in info.directives:
                if d.problems or f.rule_id not in d.rule_ids or not _covers(d, loc, f, info) or not _names(d, f):
                    continue
                cover = Cover("inline", d.reason, "", d.until, f"{d.path}:{d.line}", d.until is None or now <= d.until)
                if cover not in out:
                    out.append(cover)
    config = getattr(ctx, "config", None)
    display = getattr(config, "display", ".xborder.yaml")
    approvals = list(getattr(config, "approvals", None) or [])
    invalid = ctx.cache.get(APPROVAL_PROBLEMS_KEY) if isinstance(getattr(ctx, "cache", None), dict) else None
    if invalid is None and approvals:
        horizon, known = max_days(ctx), _known_rules(ctx)
        invalid = {i: _approval_problems(a, now, horizon, known) for i, a in enumerate(approvals)}
    for i, a in enumerate(approvals):
        if invalid and invalid.get(i):
            continue  # reported as XB001 and suppresses nothing: it covers nothing either
        if _approval_matches(a, f, ctx):
            expires = _as_date(getattr(a, "expires", None))
            reason = _reason(a)
            where = f"{display}:{getattr(a, 'line', 0)}"
            out.append(Cover("approval", reason, str(getattr(a, "reference", "") or "").strip(), expires, where, expires is None or now <= expires))
    return out
