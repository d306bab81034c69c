"""Data-flow rules (XB401-XB403) on Terraform written from the providers' documented attributes.

Every resource in tests/dataflow/cases/*/main.tf is preceded by `# expect: RULES` (or `none`); the scan must
give exactly those data-flow findings for it. Every declared data-flow type needs a positive and a negative case.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from xborder.context import Options
from xborder.docs import resource_rows
from xborder.scan import ScanRequest, run_scan

CASES = Path(__file__).parent / "cases"
DATA_RULES = {"XB401", "XB402", "XB403"}
_EXPECT = re.compile(r'#\s*expect:\s*([A-Za-z0-9, ]+)\n(?:#[^\n]*\n)*resource\s+"(\w+)"\s+"([\w-]+)"')
# CloudFormation: the comment sits above the logical ID; the finding's resource is the logical ID
_EXPECT_CFN = re.compile(r"#\s*expect:\s*([A-Za-z0-9, ]+)\n(?:\s*#[^\n]*\n)*\s*(\w+):\n\s+Type:\s*(AWS::[\w:]+)")


def _rules(text: str) -> set[str]:
    return {r.strip() for r in text.split(",") if r.strip() and r.strip() != "none"}


def expectations(folder: Path) -> dict[str, set[str]]:
    """Expected data-flow rules by resource address (Terraform `type.name`, CloudFormation logical ID)."""
    return {address: rules for address, (_, rules) in typed_expectations(folder).items()}


def typed_expectations(folder: Path) -> dict[str, tuple[str, set[str]]]:
    out: dict[str, tuple[str, set[str]]] = {}
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8") if path.suffix in (".tf", ".yaml") and path.name != ".xborder.yaml" else ""
        for rules, rtype, name in _EXPECT.findall(text):
            out[f"{rtype}.{name}"] = (rtype, _rules(rules))
        for rules, logical_id, rtype in _EXPECT_CFN.findall(text):
            out[logical_id] = (rtype, _rules(rules))
    assert out, f"no `# expect:` comments in {folder}"
    return out


def scan(folder: Path):
    config = folder / ".xborder.yaml"
    request = ScanRequest(
        paths=[folder],
        options=Options(),
        root=folder,
        config_path=config if config.exists() else None,
        use_config=config.exists(),
    )
    return run_scan(request)


FOLDERS = sorted(p for p in CASES.iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_cases(folder: Path) -> None:
    result = scan(folder)
    assert not result.errors, result.errors
    got: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        if f.rule_id in DATA_RULES:
            got[f.resource].add(f.rule_id)
    want = expectations(folder)
    unexpected = set(got) - set(want)
    assert not unexpected, f"findings on resources without an expectation: {sorted(unexpected)}"
    wrong = {addr: (sorted(want[addr]), sorted(got.get(addr, set()))) for addr in want if want[addr] != got.get(addr, set())}
    assert not wrong, "\n".join(
        [f"{addr}: want {w} got {g}" for addr, (w, g) in sorted(wrong.items())]
        + [f"{f.rule_id} {f.resource}: {f.message} | {f.evidence}" for f in result.findings if f.resource in wrong]
    )
    for f in result.findings:
        text = (f.message + " ".join(f.evidence)).lower()
        assert "illegal" not in text and "you must" not in text


def test_every_data_flow_type_has_positive_and_negative_cases() -> None:
    declared = {row["type"] for row in resource_rows() if {"data-flow", "data-endpoint"} & set(row["kinds"])}
    assert len(declared) >= 30
    positive: set[str] = set()
    negative: set[str] = set()
    for folder in FOLDERS:
        for rtype, rules in typed_expectations(folder).values():
            (positive if rules & {"XB401", "XB403"} else negative).add(rtype)
    assert declared - positive == set(), f"types without a positive case: {sorted(declared - positive)}"
    assert declared - negative == set(), f"types without a negative case: {sorted(declared - negative)}"


def _by_resource(folder: str) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for f in scan(CASES / folder).findings:
        out[f.resource].append(f)
    return out


def test_generic_endpoint_severity_follows_what_is_known() -> None:
    found = _by_resource("aws")
    assert found["aws_kinesis_firehose_delivery_stream.audit_to_siem"][0].severity == "medium"
    assert found["aws_kinesis_firehose_delivery_stream.metrics_to_us_ip"][0].severity == "high"
    assert found["aws_cloudwatch_event_api_destination.to_frankfurt_api"][0].severity == "high"
    sites = _by_resource("sites")
    siem = sites["aws_kinesis_firehose_delivery_stream.audit_to_frankfurt_siem"][0]
    assert siem.severity == "high"
    assert any("site inventory: frankfurt-siem (DE" in line for line in siem.evidence)
    macau = sites["aws_kinesis_firehose_delivery_stream.audit_to_macau_office"][0]
    assert macau.severity == "high" and any("macau-office (MO" in line for line in macau.evidence)


def test_approval_records_the_mechanism_and_reference() -> None:
    (f,) = _by_resource("sites")["alicloud_oss_bucket_replication.approved_to_hongkong"]
    assert f.rule_id == "XB401" and f.suppressed
    assert "SH-SCC-2025-0173" in f.justification and "standard contract" in f.justification


def test_evidence_names_the_attribute_direction_and_mechanisms() -> None:
    found = _by_resource("tencentcloud")
    (f,) = found["tencentcloud_cos_bucket.shanghai_to_hongkong"]
    assert "Cross-border data flow" in f.message and "in mainland China" in f.message
    assert any("region ap-hongkong (Tencent Cloud: Hong Kong)" in e and "replica_rules.destination_bucket" in e for e in f.evidence)
    assert "direction: from source COS bucket (mainland) to replica COS bucket (offshore)" in f.evidence
    compliant = [e for e in f.evidence if e.startswith("compliant setup:")]
    assert compliant and "standard-contract filing number" in compliant[0] and "reference:" in compliant[0]


def test_two_way_flow_reports_the_outbound_half_only() -> None:
    found = _by_resource("alicloud")
    (f,) = found["alicloud_dts_synchronization_instance.singapore_beijing_bidirectional"]
    assert "from DTS destination database in mainland China to DTS source database outside mainland China" in f.message


def test_bundled_fixture_reports_the_outbound_flows_only() -> None:
    """The realistic example in fixtures/terraform/data-flows, through the CLI's JSON output."""
    import json
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-m", "xborder", "scan", "fixtures/terraform/data-flows", "--format", "json"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    got = {(f["rule_id"], f["resource"], f["severity"], f["start_line"]) for f in doc["findings"]}
    assert got == {
        ("XB401", "alicloud_oss_bucket_replication.orders_to_frankfurt", "high", 37),
        ("XB401", "alicloud_log_etl.access_logs_to_soc", "high", 58),
        ("XB401", "alicloud_cdn_domain_new.images", "high", 73),
        ("XB403", "aws_kinesis_firehose_delivery_stream.security_events", "medium", 111),
    }
    assert doc["errors"] == []
