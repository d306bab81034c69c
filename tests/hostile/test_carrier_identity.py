"""The carrier a circuit names is part of its identity, and no finding is dropped for sharing a fingerprint.

Before: the fingerprint was rule, unit, address and ends. An ExpressRoute circuit (Beijing - Hong Kong) whose
`service_provider_name` is a variable (China Telecom by default, Equinix allowed by its validation) is judged
twice: medium with the licensed China Telecom, high with Equinix (another verdict, so its own world). Both findings
had the same fingerprint and line, and the scan's de-duplication kept one: the high Equinix finding was never
reported. And a pin written for the China Telecom circuit still covered it after the carrier was edited to Equinix.
"""

from __future__ import annotations

import json
from pathlib import Path

from xborder.model import Finding, Location
from xborder.scan import dedupe_and_sort

from .conftest import scan_json

CIRCUIT = """\
variable "carrier" {{
  type    = string
  default = "China Telecom"
  validation {{
    condition     = contains(["China Telecom", "Equinix"], var.carrier)
    error_message = "not an allowed carrier"
  }}
}}

resource "azurerm_express_route_circuit" "hk" {{
  name                  = "er-hk"
  resource_group_name   = "rg-network"
  location              = "chinanorth2"
  service_provider_name = {carrier}
  peering_location      = "Hong Kong"
  bandwidth_in_mbps     = 200
  sku {{
    tier   = "Standard"
    family = "MeteredData"
  }}
}}
"""

ADDRESS = "azurerm_express_route_circuit.hk"
# what xborder gave both findings of `_write(tmp_path, "var.carrier")` before the carrier counted
FORMER = "7e5a3acd88f1c137e3f89ffe1b181b2d"


def _write(tmp_path: Path, carrier: str, approvals: str = "") -> None:
    (tmp_path / "net").mkdir(exist_ok=True)
    (tmp_path / "net" / "main.tf").write_text(CIRCUIT.format(carrier=carrier))
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{approvals}" if approvals else "sites: []\n")


def _pinned(fingerprint: str) -> str:
    return f"  - fingerprint: {fingerprint}\n    reason: leased line, contract CT-1\n    reference: CT-1\n"


def _circuits(tmp_path: Path) -> list[dict]:
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return [f for f in run.doc["findings"] if f["resource"] == ADDRESS]


def test_a_carrier_another_allowed_value_names_is_reported_too(tmp_path: Path) -> None:
    _write(tmp_path, "var.carrier")
    found = _circuits(tmp_path)
    assert sorted((f["rule_id"], f["severity"]) for f in found) == [("XB201", "high"), ("XB201", "medium")], found
    (high,) = [f for f in found if f["severity"] == "high"]
    assert "Equinix" in high["message"] and "carrier = Equinix" in high["message"], high
    assert len({f["fingerprint"] for f in found}) == 2


def test_editing_the_carrier_moves_the_fingerprint_and_ends_a_pin(tmp_path: Path) -> None:
    _write(tmp_path, '"China Telecom"')
    (telecom,) = _circuits(tmp_path)
    _write(tmp_path, '"China Telecom"', _pinned(telecom["fingerprint"]))
    assert [f["suppressed"] for f in _circuits(tmp_path)] == [True]
    _write(tmp_path, '"Equinix"', _pinned(telecom["fingerprint"]))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 1
    (equinix,) = [f for f in run.doc["findings"] if f["resource"] == ADDRESS]
    assert equinix["suppressed"] is False and equinix["severity"] == "high"
    assert equinix["fingerprint"] != telecom["fingerprint"]


def test_an_approval_pinned_to_the_former_fingerprint_says_what_to_pin_now(tmp_path: Path) -> None:
    _write(tmp_path, '"China Telecom"')
    (telecom,) = _circuits(tmp_path)
    assert telecom["fingerprint"] != FORMER
    _write(tmp_path, '"China Telecom"', _pinned(FORMER))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 1
    assert [f["suppressed"] for f in run.doc["findings"] if f["resource"] == ADDRESS] == [False]
    (meta,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert f"{FORMER}, the former fingerprint of XB201 {ADDRESS} (net/main.tf:" in meta["message"], meta["message"]
    assert "carrier the configuration names" in meta["message"]
    assert f"pin `fingerprint: {telecom['fingerprint']}`" in meta["message"], meta["message"]


def test_findings_sharing_a_fingerprint_are_both_kept_unless_equal() -> None:
    """The de-duplication drops a finding only when the kept one has the same severity, message, world..."""
    where = Location("net/main.tf", 10, 1, 20, 2)

    def one(severity: str, message: str) -> Finding:
        return Finding("XB201", severity, message, where, ADDRESS, ["evidence"], fingerprint="f" * 32)

    kept = dedupe_and_sort([one("medium", "leased from China Telecom"), one("high", "leased from Equinix")])
    assert sorted(f.severity for f in kept) == ["high", "medium"]
    assert len(dedupe_and_sort([one("high", "same"), one("high", "same")])) == 1


def test_the_fixture_circuit_naming_equinix_has_the_fingerprint_with_its_carrier() -> None:
    """The one fingerprint of `fixtures/` that moved (595cae28... before the carrier counted)."""
    repo = Path(__file__).resolve().parents[2]
    run = scan_json("fixtures", "--no-cache", cwd=repo)
    prints = {(f["rule_id"], f["resource"]): f["fingerprint"] for f in run.doc["findings"]}
    assert prints[("XB201", ADDRESS)] == "814a7f1c004722c41fa01f072db68f6d"


def test_a_baseline_holding_the_former_fingerprint_reports_the_finding_and_says_why(tmp_path: Path) -> None:
    _write(tmp_path, '"China Telecom"')
    base = tmp_path.parent / f"{tmp_path.name}-baseline.json"  # outside the scanned tree
    base.write_text(json.dumps({"version": 1, "findings": [{"fingerprint": FORMER, "rule_id": "XB201", "resource": ADDRESS}]}))
    run = scan_json(".", "--no-cache", "--baseline", str(base), cwd=tmp_path)
    assert run.rc == 1 and run.doc["summary"]["baseline_matched"] == 0, run.doc
    (telecom,) = [f for f in run.doc["findings"] if f["resource"] == ADDRESS]
    (note,) = [e for e in telecom["evidence"] if FORMER in e]
    assert "from before the carrier the configuration names" in note and "xborder baseline --update" in note, note
    assert telecom["evidence"][-1].startswith("compliant setup:")
    # recorded again, under the fingerprint it has now: matched, and nothing is said of the former one
    base.write_text(json.dumps({"version": 1, "findings": [{"fingerprint": telecom["fingerprint"]}]}))
    run = scan_json(".", "--no-cache", "--baseline", str(base), cwd=tmp_path)
    assert run.doc["summary"]["baseline_matched"] == 1
    assert [f for f in run.doc["findings"] if f["resource"] == ADDRESS] == []


def test_a_former_fingerprint_both_carriers_shared_names_both_findings_now(tmp_path: Path) -> None:
    """Before the carrier counted, the China Telecom and the Equinix deployment had one fingerprint: a pin of it
    names both findings' fingerprints now (before, only the first finding's)."""
    _write(tmp_path, "var.carrier")
    found = _circuits(tmp_path)
    _write(tmp_path, "var.carrier", _pinned(FORMER))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    (meta,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert "with variable carrier = Equinix" in meta["message"], meta["message"]
    for f in found:
        assert f"`fingerprint: {f['fingerprint']}`" in meta["message"], meta["message"]
