"""Every case of data/circuit_cases.py: exact finding counts per rule, severities, wording and anchors."""

from __future__ import annotations

import dataclasses
from collections import Counter

from xborder.policy import Policies, RegionEntry

RULES = ("XB101", "XB102", "XB103", "XB201", "XB202", "XB203", "XB301")


def _with_codes(policies: Policies, codes: dict) -> Policies:
    tables = dict(policies.tables)
    for name, extra in codes.items():
        table = tables[name]
        entries = dict(table.entries)
        entries.update({code: RegionEntry(side=side, place=place) for code, (side, place) in extra.items()})
        tables[name] = dataclasses.replace(table, entries=entries)
    return dataclasses.replace(policies, tables=tables)


def test_case(case, harness, monkeypatch):
    if case.codes:
        monkeypatch.setattr(harness, "policies", _with_codes(harness.policies, case.codes))
    findings = harness.findings(case.resources)
    got = Counter(f.rule_id for f in findings if f.rule_id in RULES)
    want = Counter(case.expect)
    assert got == want, "\n".join(f"{f.rule_id} {f.severity} {f.message} | {f.evidence}" for f in findings)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule_id, f)
    for rule, severity in case.severity.items():
        assert by_rule[rule].severity == severity, by_rule[rule]
    for rule, text in case.message.items():
        assert text in by_rule[rule].message, by_rule[rule].message
    for rule, text in case.evidence.items():
        assert any(text in line for line in by_rule[rule].evidence), by_rule[rule].evidence
    for rule, address in case.anchor.items():
        assert by_rule[rule].resource == address
    for f in findings:
        assert "illegal" not in f.message.lower() and "illegal" not in " ".join(f.evidence).lower()
