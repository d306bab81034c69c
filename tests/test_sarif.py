"""The SARIF report: schema, GitHub's rules (SARIF multitool), a consumer (sarif-tools), fingerprints."""

from __future__ import annotations

import hashlib

import importlib.util
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sarif_support import assert_valid_sarif, sarif_schema_errors

from xborder.model import Finding, Location, ScanError
from xborder.reports import sarif as sarif_mod
from xborder.reports.base import ReportSettings, ScanResult
from xborder.reports.fingerprints import line_hashes, primary_location_line_hash
from xborder.reports.sarif import SarifReporter, artifact_uri, build_sarif, render_sarif
from xborder.rules.base import RuleInfo

TOOLS = Path(__file__).parent / "tools"


def _load_multitool_module():
    spec = importlib.util.spec_from_file_location(
        "xborder_test_sarif_multitool", TOOLS / "sarif_multitool.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------ fixtures

MAIN_TF = """\
provider "aws" {
  alias  = "cn"
  region = "cn-north-1"
}

resource "aws_customer_gateway" "hk" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10" # Hong Kong office
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "hq" {
  provider            = aws.cn
  customer_gateway_id = aws_customer_gateway.hk.id
  vpn_gateway_id      = aws_vpn_gateway.cn.id
  type                = "ipsec.1"
}
"""

GW_TF = """\
module "dx" {
  source = "../dx"
}

resource "alicloud_express_connect_physical_connection" "sh_hk" {
  access_point_id = "ap-cn-shanghai-ep-A"
  peer_location   = "香港 Hong Kong, 100% owned, tel: +852"
  line_operator   = "CT"
}
"""

IPSEC_CONF = """\
conn hq-sha
    left=10.0.0.1
    right=198.51.100.7
    auto=start
"""

RULES = [
    RuleInfo(
        id="XB101",
        name="cross-border-vpn",
        title="cross-border VPN",
        severity="high",
        summary="A site-to-site VPN connects mainland China with a network outside it.",
        description=(
            "Reports IPsec site-to-site VPN connections (cloud VPN gateways, customer gateways and "
            "device configurations) whose two ends are on different sides of the mainland China border."
        ),
        rationale=(
            "Under MIIT Circular [2017] No. 32, cross-border private lines and VPNs may only be set up "
            "through a basic telecommunications operator licensed for international connections."
        ),
        remediation=(
            "Carry the traffic over a licensed cross-border circuit (for example a carrier IPLC or a "
            "cloud provider's compliant cross-border product), or keep both ends on one side."
        ),
        evidence="Each end's jurisdiction and where it was decided (region table, IP registry, inventory).",
        example='resource "aws_vpn_connection" "hq" {\n  provider = aws.cn\n  customer_gateway_id = aws_customer_gateway.hk.id\n}',
        references=("https://www.miit.gov.cn/", "MIIT Circular [2017] No. 32"),
        help_uri="https://example.invalid/xborder/rules/XB101",
        precision="high",
        tags=("security", "network", "compliance", "china"),
    ),
    RuleInfo(
        id="XB201",
        name="cross-border-circuit",
        title="cross-border leased circuit",
        severity="medium",
        summary="A dedicated circuit or virtual interface links the mainland with an offshore site.",
        description="Reports Express Connect, Direct Connect and similar circuits crossing the border.",
        rationale="Cross-border circuits must be leased from a licensed basic telecommunications operator.",
        remediation="Check the operator holds the licence and record it with `line_operator`.",
        example='```hcl\nline_operator = "CT"\n```',
        precision="medium",
        tags=("security", "network"),
    ),
    RuleInfo(
        id="XB301",
        name="unlicensed-provider-presence",
        title="network provider without a licence",
        severity="low",
        summary="A network provider without a mainland licence has a presence in mainland China.",
        description="Reports resources of network providers that are not licensed in mainland China.",
        rationale="Only licensed operators may provide network services in mainland China.",
        remediation="Use a licensed local partner.",
        precision="low",
        tags=("security",) + tuple(f"tag{i}" for i in range(15)),
    ),
    RuleInfo(
        id="XB102",
        name="cross-border-remote-access",
        title="cross-border remote access",
        severity="medium",
        summary="A client VPN service lets users reach across the border.",
        description="Reports remote-access VPN services on one side used from the other.",
        rationale="See XB101.",
        remediation="Use a licensed service.",
    ),
]


def _findings() -> list[Finding]:
    return [
        Finding(
            rule_id="XB101",
            severity="high",
            message="VPN aws_vpn_connection.hq connects mainland China (cn-north-1) with Hong Kong (203.0.113.10).",
            location=Location("main.tf", 12, 1, 17, 2),
            resource="aws_vpn_connection.hq",
            evidence=[
                "AWS end: region cn-north-1 (AWS China, Beijing) from provider aws.cn (main.tf:1)",
                "customer gateway aws_customer_gateway.hk: 203.0.113.10, HK (IP registry)",
            ],
            related=[
                Location("main.tf", 6, 1, 10, 2, label="customer gateway aws_customer_gateway.hk"),
                Location("main.tf", 1, 1, 4, 2, label="provider aws.cn"),
            ],
            fingerprint="XB101:aws_vpn_connection.hq:cn-north-1>HK:0f3a",
        ),
        Finding(
            rule_id="XB201",
            severity="medium",
            message="Express Connect sh_hk links Shanghai with Hong Kong.",
            location=Location("modules/vpn gw/gateway.tf", 5, 1, 9, 2),
            resource='module.dx.alicloud_express_connect_physical_connection.sh_hk["a"]',
            evidence=["access point ap-cn-shanghai-ep-A: mainland", "peer 香港 Hong Kong: offshore"],
            related=[Location("main.tf", 1, 1, 3, 2, label="module call")],
            fingerprint="XB201:sh_hk",
        ),
        Finding(
            rule_id="XB301",
            severity="low",
            message="Tunnel hq-sha goes to 198.51.100.7 (US).",
            # zero and negative positions must be clamped to 1
            location=Location("devices/edge 1/ipsec.conf", 0, 0, 0, -3),
            resource="ipsec.conf: conn hq-sha",
            evidence=["right=198.51.100.7: US (IP registry)"],
            fingerprint="XB301:hq-sha",
        ),
        Finding(
            rule_id="XB201",
            severity="medium",
            message="Suppressed circuit.",
            location=Location("modules/vpn gw/gateway.tf", 6, 3, 6, 40),
            resource="alicloud_express_connect_physical_connection.sh_hk",
            evidence=["suppressed by # xborder:ignore=XB201"],
            fingerprint="XB201:suppressed",
            suppressed=True,
            justification="Approved by legal (ticket LEG-42), expires 2027-01-01",
        ),
        Finding(
            rule_id="XB102",
            severity="medium",
            message="Client VPN in a file that cannot be read.",
            location=Location("./gone/missing.tf", 3, 1, 3, 10),
            resource="aws_ec2_client_vpn_endpoint.x",
            evidence=[],
        ),
    ]


def make_result(findings: list[Finding] | None = None, version: str = "0.1.0") -> ScanResult:
    return ScanResult(
        findings=_findings() if findings is None else findings,
        errors=[
            ScanError("broken.tf", 7, 'Unexpected token "}" at 7:3'),
            ScanError("plans/plan with space.json", 0, "not a Terraform plan: missing format_version"),
        ],
        rules=sorted(RULES, key=lambda r: r.id),
        version=version,
        files_scanned=5,
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "repo root"
    (r / "modules" / "vpn gw").mkdir(parents=True)
    (r / "devices" / "edge 1").mkdir(parents=True)
    (r / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    (r / "modules" / "vpn gw" / "gateway.tf").write_text(GW_TF, encoding="utf-8")
    (r / "devices" / "edge 1" / "ipsec.conf").write_text(IPSEC_CONF, encoding="utf-8")
    return r


def render(root: Path, include_suppressed: bool = False, result: ScanResult | None = None) -> str:
    settings = ReportSettings(sarif_include_suppressed=include_suppressed)
    return SarifReporter(root).render(result or make_result(), settings)


def doc_of(root: Path, include_suppressed: bool = False) -> dict:
    return json.loads(render(root, include_suppressed))


# ------------------------------------------------------------------------------------------- schema


@pytest.mark.parametrize("include_suppressed", [False, True])
def test_schema_valid_with_format_checks(root: Path, include_suppressed: bool) -> None:
    assert_valid_sarif(doc_of(root, include_suppressed))


def test_schema_validation_catches_bad_uri_and_start_line(root: Path) -> None:
    doc = doc_of(root)
    phys = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    phys["artifactLocation"]["uri"] = "C:\\bad path\\main.tf"
    phys["region"]["startLine"] = 0
    errors = sarif_schema_errors(doc)
    assert any("uri-reference" in e for e in errors), errors
    assert any("startLine" in e or "minimum" in e for e in errors), errors


def test_empty_scan_is_valid(root: Path) -> None:
    result = ScanResult(findings=[], errors=[], rules=sorted(RULES, key=lambda r: r.id), version="0.1.0")
    doc = json.loads(SarifReporter(root).render(result, ReportSettings()))
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    assert run["results"] == []
    assert "toolExecutionNotifications" not in run["invocations"][0]


# ---------------------------------------------------------------------------------------- structure


def test_log_and_driver(root: Path) -> None:
    doc = doc_of(root)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert doc["version"] == "2.1.0"
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "xborder"
    assert driver["version"] == "0.1.0" and driver["semanticVersion"] == "0.1.0"
    if "informationUri" in driver:  # only when the package declares a real home page
        assert driver["informationUri"].startswith("https://")
    assert run["automationDetails"] == {"id": "xborder/"}
    assert run["originalUriBaseIds"] == {
        "%SRCROOT%": {"description": {"text": "The root of the scanned repository"}}
    }
    assert run["invocations"][0]["executionSuccessful"] is True


def test_non_semver_version_has_no_semantic_version(root: Path) -> None:
    doc = json.loads(SarifReporter(root).render(make_result(version="0.2.dev3+gabc"), ReportSettings()))
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["version"] == "0.2.dev3+gabc"
    assert "semanticVersion" not in driver


def test_rules(root: Path) -> None:
    rules = doc_of(root)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["XB101", "XB102", "XB201", "XB301"]
    by_id = {r["id"]: r for r in rules}
    xb101 = by_id["XB101"]
    assert xb101["name"] == "cross-border-vpn"
    assert xb101["shortDescription"]["text"] == RULES[0].summary
    assert xb101["fullDescription"]["text"] == RULES[0].description
    assert xb101["helpUri"] == "https://example.invalid/xborder/rules/XB101"
    assert xb101["defaultConfiguration"] == {"level": "error"}
    assert xb101["properties"] == {
        "tags": ["security", "network", "compliance", "china"],
        "security-severity": "8.0",
        "precision": "high",
    }
    for text in (RULES[0].description, RULES[0].rationale, RULES[0].remediation, RULES[0].evidence):
        assert text in xb101["help"]["text"]
        assert text in xb101["help"]["markdown"]
    assert "https://www.miit.gov.cn/" in xb101["help"]["text"]
    assert "<https://www.miit.gov.cn/>" in xb101["help"]["markdown"]
    assert "```\n" + RULES[0].example + "\n```" in xb101["help"]["markdown"]
    # an example holding a code fence is wrapped in a longer fence
    assert "````\n```hcl" in by_id["XB201"]["help"]["markdown"]
    assert by_id["XB201"]["defaultConfiguration"] == {"level": "warning"}
    assert by_id["XB201"]["properties"]["security-severity"] == "5.5"
    assert by_id["XB301"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["XB301"]["properties"]["security-severity"] == "2.0"
    assert by_id["XB301"]["properties"]["precision"] == "low"
    for r in rules:
        tags = r["properties"]["tags"]
        assert tags[0] == "security" and len(tags) <= 10 and len(set(tags)) == len(tags)
        assert isinstance(r["properties"]["security-severity"], str)
        assert "helpUri" in r or r["id"] != "XB101"
        assert len(r["shortDescription"]["text"]) <= 1024 and len(r["fullDescription"]["text"]) <= 1024
        assert len(r["name"]) <= 255
        assert r["help"]["text"] and r["help"]["markdown"]
    assert "helpUri" not in by_id["XB201"]


def test_long_rule_texts_are_clipped(root: Path) -> None:
    long_rule = replace(RULES[1], summary="s" * 2000, description="d " * 1000, name="n" * 300)
    result = make_result()
    result.rules = sorted([RULES[0], long_rule, RULES[2], RULES[3]], key=lambda r: r.id)
    doc = json.loads(SarifReporter(root).render(result, ReportSettings()))
    assert_valid_sarif(doc)
    rule = next(r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "XB201")
    assert len(rule["shortDescription"]["text"]) == 1024
    assert len(rule["fullDescription"]["text"]) <= 1024
    assert len(rule["name"]) == 255


def test_results(root: Path) -> None:
    run = doc_of(root)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["XB101", "XB201", "XB301", "XB102"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not loc["artifactLocation"]["uri"].startswith(("./", "/"))
        region = loc["region"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert all(v >= 1 for v in region.values())
        assert ":" in r["partialFingerprints"]["primaryLocationLineHash"]
    vpn, circuit, tunnel, client = results
    assert vpn["level"] == "error" and circuit["level"] == "warning" and tunnel["level"] == "note"
    assert vpn["message"]["text"] == (
        "VPN aws_vpn_connection.hq connects mainland China (cn-north-1) with Hong Kong (203.0.113.10).\n"
        "- AWS end: region cn-north-1 (AWS China, Beijing) from provider aws.cn (main.tf:1)\n"
        "- customer gateway aws_customer_gateway.hk: 203.0.113.10, HK (IP registry)"
    )
    assert client["message"]["text"] == "Client VPN in a file that cannot be read."
    assert vpn["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 12, "startColumn": 1, "endLine": 17, "endColumn": 2},
    }
    assert vpn["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "aws_vpn_connection.hq", "kind": "resource"}
    ]
    assert vpn["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 6, "startColumn": 1, "endLine": 10, "endColumn": 2},
            },
            "message": {"text": "customer gateway aws_customer_gateway.hk"},
        },
        {
            "id": 2,
            "physicalLocation": {
                "artifactLocation": {"uri": "main.tf", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 1, "startColumn": 1, "endLine": 4, "endColumn": 2},
            },
            "message": {"text": "provider aws.cn"},
        },
    ]
    assert vpn["properties"] == {
        "xborder/fingerprint": "XB101:aws_vpn_connection.hq:cn-north-1>HK:0f3a",
        "evidence": _findings()[0].evidence,
    }
    assert (
        circuit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "modules/vpn%20gw/gateway.tf"
    )
    assert circuit["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        'module.dx.alicloud_express_connect_physical_connection.sh_hk["a"]'
    )
    assert tunnel["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1,
    }  # fmt: skip
    assert client["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "gone/missing.tf"
    assert "suppressions" not in vpn
    assert client["properties"] == {"evidence": []}


def test_primary_location_line_hash_matches_the_source(root: Path) -> None:
    results = doc_of(root)["runs"][0]["results"]
    main = (root / "main.tf").read_bytes()
    gateway = (root / "modules" / "vpn gw" / "gateway.tf").read_bytes()
    conf = (root / "devices" / "edge 1" / "ipsec.conf").read_bytes()
    # a module instance mixes its address into the line's hash (one alert per instance; see test_sarif_instances)
    instance = results[1]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    assert instance.startswith("module.")
    value, _, occurrence = line_hashes(gateway)[5].partition(":")
    expected = [
        line_hashes(main)[12],
        hashlib.sha256(f"{value}\n{instance}".encode()).hexdigest()[:16] + ":" + occurrence,
        line_hashes(conf)[1],
        "c129715d7a2bc9a3:1",  # unreadable file: hashed as empty content
    ]
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in results] == expected


def test_notifications_for_scan_errors(root: Path) -> None:
    notes = doc_of(root)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [
        {
            "level": "error",
            "message": {"text": 'Unexpected token "}" at 7:3'},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "broken.tf", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 7},
                    }
                }
            ],
        },
        {
            "level": "error",
            "message": {"text": "not a Terraform plan: missing format_version"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "plans/plan%20with%20space.json",
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": 1},
                    }
                }
            ],
        },
    ]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("main.tf", "main.tf"),
        ("./main.tf", "main.tf"),
        ("././a/./b.tf", "a/b.tf"),
        ("modules/vpn gw/main.tf", "modules/vpn%20gw/main.tf"),
        ("env/prod:cn/a#b?.tf", "env/prod%3Acn/a%23b%3F.tf"),
        ("上海/vpn.tf", "%E4%B8%8A%E6%B5%B7/vpn.tf"),
        ("100%/x.tf", "100%25/x.tf"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_odd_paths_stay_schema_valid(root: Path) -> None:
    findings = [
        Finding("XB101", "high", "m", Location(p, 1, 1, 1, 5), "r", ["e"])
        for p in ("env/prod:cn/a#b?.tf", "上海/vpn.tf", "100%/x y.tf", "./x.tf")
    ]
    result = make_result(findings)
    doc = json.loads(SarifReporter(root).render(result, ReportSettings()))
    assert_valid_sarif(doc)


# ------------------------------------------------------------------------------------- suppressions


def test_suppressed_findings_left_out_by_default(root: Path) -> None:
    results = doc_of(root)["runs"][0]["results"]
    assert len(results) == 4
    assert all("suppressions" not in r for r in results)
    assert "Suppressed circuit." not in json.dumps(results)


def test_suppressed_findings_included_with_flag(root: Path) -> None:
    results = doc_of(root, include_suppressed=True)["runs"][0]["results"]
    assert len(results) == 5
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["message"]["text"].startswith("Suppressed circuit.")
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "Approved by legal (ticket LEG-42), expires 2027-01-01",
        }
    ]


# ------------------------------------------------------------------------------------- determinism


def test_byte_identical_and_free_of_machine_paths(root: Path, tmp_path: Path, monkeypatch) -> None:
    first = render(root, include_suppressed=True)
    second = render(root, include_suppressed=True)
    assert first == second
    assert first.endswith("}\n") and not first.endswith("\n\n")
    assert json.dumps(json.loads(first), indent=2, ensure_ascii=False) + "\n" == first
    # The same repository somewhere else, rendered from another working directory: same bytes.
    elsewhere = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(root, elsewhere)
    monkeypatch.chdir(tmp_path)
    assert render(elsewhere, include_suppressed=True) == first
    assert str(tmp_path) not in first and "file:" not in first
    assert os.path.expanduser("~") not in first or os.path.expanduser("~") in ("/", "")
    assert "香港" in first  # ensure_ascii=False


def test_render_sarif_function_equals_reporter(root: Path) -> None:
    settings = ReportSettings()
    assert render_sarif(make_result(), settings, root) == SarifReporter(root).render(make_result(), settings)
    assert SarifReporter.name == "sarif"


def test_reporter_default_root_is_working_directory(root: Path, monkeypatch) -> None:
    monkeypatch.chdir(root)
    assert SarifReporter().render(make_result(), ReportSettings()) == render(root)


# ------------------------------------------------------------------------------------ limits, edge


def test_results_are_capped_keeping_the_most_severe(root: Path, monkeypatch) -> None:
    monkeypatch.setattr(sarif_mod, "MAX_RESULTS", 2)
    doc = build_sarif(make_result(), ReportSettings(), root)
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["XB101", "XB201"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[-1]["level"] == "warning"
    assert notes[-1]["message"]["text"].startswith("2 results were left out")


def test_unknown_rule_gets_a_descriptor(root: Path) -> None:
    finding = Finding("XB999", "high", "From a plugin rule.", Location("main.tf", 2, 3, 2, 9), "r", [])
    doc = build_sarif(make_result([finding]), ReportSettings(), root)
    assert_valid_sarif(doc)
    run = doc["runs"][0]
    rule = run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]
    assert rule["id"] == "XB999"
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(
        r["id"] for r in run["tool"]["driver"]["rules"]
    )


def test_registered_as_plugin(root: Path) -> None:
    from xborder.reports import plugin
    from xborder.reports.github import GithubReporter

    reporters = plugin.xborder_reporters()
    # the core builds reporters as `make(root)`: a class or a factory
    sarif_reporter = reporters["sarif"](root)
    github_reporter = reporters["github"](root)
    assert isinstance(sarif_reporter, SarifReporter) and sarif_reporter.root == root
    assert isinstance(github_reporter, GithubReporter)
    assert sarif_reporter.render(make_result(), ReportSettings()) == render(root)


# ------------------------------------------------------------------------------------- fingerprints


def test_fingerprint_hand_computed_tiny_input() -> None:
    # "a": the 100-unit window of line 1 is 'a', the end marker 65535, then 98 zeros.
    expected = (ord("a") * 37**99 + 65535 * 37**98) % 2**64
    assert line_hashes(b"a") == {1: f"{expected:x}:1"}
    assert line_hashes(b"a") == {1: "53b5d4aabe50d64:1"}
    # Blanks are skipped, and CRLF, CR and LF are the same line end.
    assert line_hashes(b" \ta\t ") == line_hashes(b"a")
    assert line_hashes(b"x\r\ny") == line_hashes(b"x\ry") == line_hashes(b"x\ny")


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # codeql-action src/fingerprints.test.ts
        ("", ["c129715d7a2bc9a3:1"]),
        (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
        (
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
            [
                "e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1",
            ],
        ),
        (
            "Lorem ipsum dolor sit amet.\n" * 10,
            [
                "a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3", "a7f2ff13bc495cf2:4",
                "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6", "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
                "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1",
            ],
        ),
    ],
)  # fmt: skip
def test_fingerprint_matches_codeql_action_vectors(text: str, expected: list[str]) -> None:
    hashes = line_hashes(text.encode("utf-8"))
    assert [hashes[i] for i in range(1, len(expected) + 1)] == expected
    assert len(hashes) == len(expected)


def test_fingerprint_of_non_ascii_matches_node() -> None:
    # Values computed with Node (Buffer.toString() + charCodeAt): BOM kept, CJK, an astral character
    # as a surrogate pair, invalid UTF-8 as U+FFFD.
    data = '\ufeffresource "aws_vpn" "上海" {\n  name = "😀 x"\n\tbad=\xff\n}\n'.encode().replace(
        b"\xc3\xbf", b"\xff\xfe\xc0\x80"
    )
    assert line_hashes(data) == {
        1: "647d264de9a9d98:1",
        2: "23b258cb391a0455:1",
        3: "183dd0d8a94f2e38:1",
        4: "32dce9ccfdbc9d3e:1",
        5: "c129715d7a2bc9a3:1",
    }


def test_fingerprint_stable_when_lines_are_added_far_away() -> None:
    body = [f'resource "aws_vpn_connection" "v{i}" {{ type = "ipsec.1" }}' for i in range(60)]
    data = "\n".join(body).encode()
    target = 30
    before = primary_location_line_hash(data, target)
    # lines appended at the end
    appended = "\n".join(body + [f"# note {i}" for i in range(40)]).encode()
    assert primary_location_line_hash(appended, target) == before
    # lines inserted at the top: the finding moves down, its hash stays
    prepended = "\n".join([f"# header {i}" for i in range(25)] + body).encode()
    assert primary_location_line_hash(prepended, target + 25) == before
    # a change right after the line (within 100 characters) does change it
    changed = "\n".join(body[:target] + ["# edited"] + body[target:]).encode()
    assert primary_location_line_hash(changed, target) != before


def test_fingerprint_of_line_past_the_end_or_unreadable() -> None:
    assert primary_location_line_hash(b"", 5) == "c129715d7a2bc9a3:1"
    assert primary_location_line_hash(b"a\nb\n", 99) == line_hashes(b"a\nb\n")[3]
    assert primary_location_line_hash(b"a\nb\n", 0) == line_hashes(b"a\nb\n")[1]


# --------------------------------------------------------------------------- external tools: multitool


def _multitool_or_skip():
    module = _load_multitool_module()
    binary = module.find_multitool()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the SARIF multitool is required in CI: run `npm ci` at the repository root")
        pytest.skip("node or @microsoft/sarif-multitool not installed (npm ci)")
    return module, binary


def test_multitool_reports_no_errors_or_warnings(root: Path, tmp_path: Path, monkeypatch) -> None:
    module, binary = _multitool_or_skip()
    files = []
    # Edge cases in one more log: a capped run (its warning notification), a scan error without a
    # file, a related location without a label, odd characters in paths.
    edge = make_result(
        _findings()
        + [
            Finding(
                "XB101",
                "high",
                "Odd path.",
                Location("env/prod:cn/上海 #1.tf", 2, 4, 2, 4),
                "r",
                ["e"],
                related=[Location("main.tf", 3, 1, 3, 9)],
            )
        ]
    )
    edge.errors.insert(0, ScanError("", 0, "no inputs found"))
    edge.notes = ["stack.yaml: resource Off is not created (condition Never is false)", "a note with <odd> `text` ✓"]
    monkeypatch.setattr(sarif_mod, "MAX_RESULTS", 3)
    capped = SarifReporter(root).render(edge, ReportSettings(sarif_include_suppressed=True))
    monkeypatch.undo()
    assert "left out" in capped
    assert_valid_sarif(json.loads(capped))
    docs = {
        "default.sarif": render(root),
        "with suppressed.sarif": render(root, include_suppressed=True),
        "edge.sarif": capped,
        "empty.sarif": SarifReporter(root).render(
            ScanResult(findings=[], errors=[], rules=sorted(RULES, key=lambda r: r.id), version="0.1.0"),
            ReportSettings(),
        ),
    }
    allow = []
    for name, text in docs.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
        if "informationUri" not in json.loads(text)["runs"][0]["tool"]["driver"]:
            # The product omits informationUri while the project has no public home page; the
            # multitool's SARIF2005 warns about exactly that and nothing else is tolerated.
            allow = ["SARIF2005/Warning_ProvideToolnformationUri"]
    problems = module.validate(files, multitool=binary, allow=allow)
    assert problems == []


def test_multitool_wrapper_catches_problems(root: Path, tmp_path: Path) -> None:
    module, binary = _multitool_or_skip()
    doc = doc_of(root)
    result = doc["runs"][0]["results"][0]
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "https://example.invalid/main.tf"
    del result["message"]["text"]
    result["message"]["id"] = "default"
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    problems = module.validate([bad], multitool=binary)
    text = "\n".join(problems)
    for rule in ("JSON1008", "GH1005", "GH1007", "SARIF2005"):
        assert rule in text, text
    assert all(": error " in p or ": warning " in p for p in problems)
    # The command line exits 1 on any problem.
    assert module.main([str(bad)]) == 1


# ---------------------------------------------------------------------------- external tools: consumer


def test_sarif_tools_reads_the_same_results(root: Path, tmp_path: Path) -> None:
    loader = pytest.importorskip("sarif.loader")
    for include in (False, True):
        text = render(root, include_suppressed=include)
        path = tmp_path / f"out-{include}.sarif"
        path.write_text(text, encoding="utf-8")
        doc = json.loads(text)
        expected = [
            (
                r["ruleId"],
                r["level"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in doc["runs"][0]["results"]
        ]
        sarif_file = loader.load_sarif_file(str(path))
        records = sarif_file.get_records()
        got = [(rec["Code"], rec["Severity"], rec["Location"], rec["Line"]) for rec in records]
        assert sorted(got) == sorted(expected)
        assert {rec["Tool"] for rec in records} == {"xborder"}
        report = sarif_file.get_report()
        assert report.get_issue_count_for_severity("error") == 1
        assert report.get_issue_count_for_severity("warning") == (3 if include else 2)
        assert report.get_issue_count_for_severity("note") == 1


def test_notes_are_note_notifications_after_errors_capped(root: Path, monkeypatch) -> None:
    """Scan notes (informational) are notifications of level `note`, in order, after the errors; past MAX_NOTES one
    more counts the rest. Before: notes never reached SARIF."""
    result = make_result()
    result.notes = ["a.yaml: first", "b.conf:3: second", "c: third"]
    notes = doc_of_result(root, result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "error", "note", "note", "note"]
    assert [n["message"]["text"] for n in notes[2:]] == result.notes
    monkeypatch.setattr(sarif_mod, "MAX_NOTES", 2)
    capped = doc_of_result(root, result)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in capped[2:]] == ["a.yaml: first", "b.conf:3: second",
                                                          "1 more notes are in the text and JSON reports"]
    assert_valid_sarif(doc_of_result(root, result))


def doc_of_result(root: Path, result: ScanResult) -> dict:
    return json.loads(render(root, result=result))
