"""The SARIF of the bundled fixtures, as GitHub and independent consumers see it.

Validated against the OASIS schema (with format checks), by Microsoft's SARIF multitool with its GitHub
rules (strict configuration: zero errors, zero warnings), and read back with sarif-tools, which must see
the same results as xborder's own JSON report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from integrations.conftest import REPO_ROOT, require_tool  # type: ignore[import-not-found]

sys.path.insert(0, str(REPO_ROOT / "tests"))
sys.path.insert(0, str(REPO_ROOT / "tests" / "tools"))
from sarif_support import assert_valid_sarif  # noqa: E402

# xborder has no public home page, so the driver has no informationUri; the multitool's best-practice
# rule SARIF2005 asks for one. It is the only waiver, and only for that message.
NO_INFORMATION_URI = "SARIF2005/Warning_ProvideToolnformationUri"
LEVELS = {"high": "error", "medium": "warning", "low": "note"}


def xborder(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=REPO_ROOT, capture_output=True, text=True)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sarif")
    paths = {}
    for name, extra in (("default", []), ("with-suppressed", ["--sarif-include-suppressed"]), ("clean", [])):
        target = out / f"{name}.sarif"
        scanned = "fixtures/terraform/tencent" if name == "clean" else "fixtures"
        proc = xborder("scan", scanned, "--format", "sarif", "--output", str(target), *extra)
        assert proc.returncode in (0, 1), proc.stderr
        paths[name] = target
    json_out = xborder("scan", "fixtures", "--format", "json")
    paths["json"] = out / "fixtures.json"
    paths["json"].write_text(json_out.stdout)
    return paths


@pytest.mark.parametrize("name", ["default", "with-suppressed", "clean"])
def test_schema_valid(reports: dict[str, Path], name: str) -> None:
    assert_valid_sarif(json.loads(reports[name].read_text()))


def test_multitool_with_github_rules_reports_nothing(reports: dict[str, Path]) -> None:
    import sarif_multitool  # type: ignore[import-not-found]

    exe = sarif_multitool.find_multitool()
    require_tool("SARIF multitool (npm @microsoft/sarif-multitool)", exe, "run `npm ci` at the repository root")
    problems = sarif_multitool.validate([reports["default"], reports["with-suppressed"], reports["clean"]], exe, allow=[NO_INFORMATION_URI])
    assert problems == []


def test_sarif_tools_sees_the_same_results_as_the_json_report(reports: dict[str, Path]) -> None:
    loader = pytest.importorskip("sarif.loader", reason="sarif-tools is in the test extra")
    doc = json.loads(reports["json"].read_text())
    active = [f for f in doc["findings"] if not f["suppressed"]]
    records = loader.load_sarif_file(str(reports["default"])).get_records()
    got = sorted((r["Location"], int(r["Line"]), r["Code"].split()[0], r["Severity"]) for r in records)
    want = sorted((f["path"], f["start_line"], f["rule_id"], LEVELS[f["severity"]]) for f in active)
    assert got == want
    assert len(active) >= 20


def test_suppressed_findings_only_with_the_flag(reports: dict[str, Path]) -> None:
    default = json.loads(reports["default"].read_text())["runs"][0]["results"]
    included = json.loads(reports["with-suppressed"].read_text())["runs"][0]["results"]
    suppressed = [r for r in included if r.get("suppressions")]
    assert len(included) == len(default) + len(suppressed) and suppressed
    assert "CU-2025-118" in suppressed[0]["suppressions"][0]["justification"]
    assert not any(r.get("suppressions") for r in default)


def test_every_result_has_what_github_needs(reports: dict[str, Path]) -> None:
    run = json.loads(reports["default"].read_text())["runs"][0]
    assert run["automationDetails"]["id"] == "xborder/"
    rule_ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    for r in run["results"]:
        assert r["ruleId"] in rule_ids
        loc = r["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith(("/", "./", "file:"))
        assert loc["region"]["startLine"] >= 1
        assert r["partialFingerprints"]["primaryLocationLineHash"]
    for rule in run["tool"]["driver"]["rules"]:
        sev = float(rule["properties"]["security-severity"])
        assert sev not in (0.0, 4.0, 7.0, 9.0) and "security" in rule["properties"]["tags"]
