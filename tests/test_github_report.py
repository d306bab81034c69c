"""The GitHub Actions annotation format (workflow commands)."""

from __future__ import annotations

import re
from pathlib import Path

from xborder.model import Finding, Location, ScanError
from xborder.reports.base import ReportSettings, ScanResult
from xborder.reports.github import GithubReporter, escape_data, escape_property
from xborder.rules.base import RuleInfo

RULES = [
    RuleInfo(
        id="XB101",
        name="cross-border-vpn",
        title="cross-border VPN",
        severity="high",
        summary="A site-to-site VPN crosses the border.",
        description="d",
        rationale="r",
        remediation="m",
    ),
    RuleInfo(
        id="XB201",
        name="cross-border-circuit",
        title="cross-border circuit: leased, dedicated",
        severity="medium",
        summary="s",
        description="d",
        rationale="r",
        remediation="m",
    ),
    RuleInfo(
        id="XB301",
        name="unlicensed-provider",
        title="unlicensed provider",
        severity="low",
        summary="s",
        description="d",
        rationale="r",
        remediation="m",
    ),
]


def _result(findings, errors=()) -> ScanResult:
    return ScanResult(findings=list(findings), errors=list(errors), rules=RULES, version="0.1.0")


def render(findings, errors=(), root: Path | None = None) -> str:
    return GithubReporter(root or Path(".")).render(_result(findings, errors), ReportSettings())


VPN = Finding(
    rule_id="XB101",
    severity="high",
    message="VPN aws_vpn_connection.hq connects mainland China (cn-north-1) with Hong Kong.",
    location=Location("main.tf", 12, 3, 17, 2),
    resource="aws_vpn_connection.hq",
    evidence=["AWS end: region cn-north-1", "customer gateway: 203.0.113.10 (HK)"],
)


def test_one_annotation_per_finding() -> None:
    out = render([VPN])
    assert out == (
        "::error file=main.tf,line=12,endLine=17,col=3,title=XB101 cross-border VPN::"
        "VPN aws_vpn_connection.hq connects mainland China (cn-north-1) with Hong Kong."
        "%0A- AWS end: region cn-north-1%0A- customer gateway: 203.0.113.10 (HK)\n"
    )


def test_levels() -> None:
    findings = [
        Finding("XB101", "high", "h", Location("a.tf", 1, 1, 1, 2), "r", []),
        Finding("XB201", "medium", "m", Location("b.tf", 2, 1, 2, 2), "r", []),
        Finding("XB301", "low", "l", Location("c.tf", 3, 1, 3, 2), "r", []),
    ]
    lines = render(findings).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]


def test_escaping() -> None:
    finding = Finding(
        rule_id="XB201",
        severity="medium",
        message="100% cross-border:\r\nline two, with comma",
        location=Location("env/prod,cn/a:b 50%.tf", 4, 2, 4, 9),
        resource="r",
        evidence=["peer: HK, 100%"],
    )
    line = render([finding])
    assert line == (
        "::warning file=env/prod%2Ccn/a%3Ab 50%25.tf,line=4,endLine=4,col=2,"
        "title=XB201 cross-border circuit%3A leased%2C dedicated::"
        "100%25 cross-border:%0D%0Aline two, with comma%0A- peer: HK, 100%25\n"
    )
    assert line.count("\n") == 1
    # The property list parses back the way the runner parses it.
    props = line.split("::")[1].split(" ", 1)[1]
    assert [p.split("=", 1)[0] for p in props.split(",")] == ["file", "line", "endLine", "col", "title"]


def test_escape_functions() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    # % first, so nothing is escaped twice
    assert escape_property("%3A") == "%253A"


def test_suppressed_findings_are_left_out() -> None:
    suppressed = Finding(
        "XB101", "high", "quiet", Location("x.tf", 1, 1, 1, 1), "r", [], suppressed=True, justification="ok"
    )
    assert render([suppressed]) == ""
    settings = ReportSettings(show_suppressed=True, sarif_include_suppressed=True)
    assert GithubReporter(Path(".")).render(_result([suppressed]), settings) == ""


def test_scan_errors() -> None:
    errors = [
        ScanError("broken.tf", 7, 'Unexpected token "}"'),
        ScanError("plans/p, 1.json", 0, "not JSON:\nline 1"),
        ScanError("", 0, "no inputs found"),
    ]
    assert render([], errors) == (
        '::error file=broken.tf,line=7::Unexpected token "}"\n'
        "::error file=plans/p%2C 1.json,line=1::not JSON:%0Aline 1\n"
        "::error::no inputs found\n"
    )


def test_positions_are_clamped_and_unknown_rule_titled_by_id() -> None:
    finding = Finding("XB999", "high", "plugin", Location("z.tf", 0, 0, 0, 0), "r", [])
    assert render([finding]) == "::error file=z.tf,line=1,endLine=1,col=1,title=XB999::plugin\n"


def test_every_line_is_a_workflow_command() -> None:
    findings = [VPN, Finding("XB301", "low", "x\ny", Location("a b.tf", 2, 1, 3, 1), "r", ["e"])]
    out = render(findings, [ScanError("c.tf", 3, "bad")])
    command = re.compile(r"^::(error|warning|notice)( [^:\r\n]+)?::[^\r\n]*$")
    lines = out.split("\n")
    assert lines[-1] == ""
    assert all(command.match(line) for line in lines[:-1]), out


def test_empty_and_deterministic(tmp_path: Path) -> None:
    assert render([]) == ""
    assert render([VPN], root=tmp_path) == render([VPN], root=Path("."))
    assert GithubReporter.name == "github"


def test_notes_are_one_notice_after_findings_and_errors(monkeypatch) -> None:
    """The scan's notes (informational) are one `::notice` listing them, after the findings and errors; past
    MAX_NOTES the rest are counted. Before: notes never reached the annotations."""
    import xborder.reports.github as github

    result = _result([], [ScanError("b.tf", 2, "bad")])
    result.notes = ["a.yaml: resource X is not created (condition C is false)", "b: 50% done"]
    out = GithubReporter().render(result, ReportSettings()).splitlines()
    assert out == ["::error file=b.tf,line=2::bad",
                   "::notice title=xborder%3A 2 notes::- a.yaml: resource X is not created (condition C is false)%0A- b: 50%25 done"]
    monkeypatch.setattr(github, "MAX_NOTES", 1)
    capped = GithubReporter().render(result, ReportSettings()).splitlines()[-1]
    assert capped.endswith("::- a.yaml: resource X is not created (condition C is false)%0A- 1 more in the text or JSON report")
    result.notes = []
    assert "::notice" not in GithubReporter().render(result, ReportSettings())
