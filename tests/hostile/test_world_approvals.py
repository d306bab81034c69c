"""An approval pinned by fingerprint covers exactly the ends it was written for, never another value a parameter allows.

Before: `Peer` Default 203.186.1.1 (Hong Kong), AllowedValues [Hong Kong, 168.95.1.1 (Taiwan), 223.5.5.5
(mainland)], a VPN from cn-north-1: one XB101 (Hong Kong). The Taiwan world gives the same verdict, so it was
dropped (links/worlds.py) and nothing named Taiwan: an approval pinned to the Hong Kong finding's fingerprint also
covered deploying Taiwan. Likewise a merged world finding ("Peer = hk or tw") kept the first value's fingerprint
when a value was added to the list, and its pinned approval silently covered the new value. Now such a world is a
twin of the reported link: the finding names it (text, JSON `twins`, SARIF `xborder/twins`) with its own
fingerprint, and a pinned approval covers the finding only when it names every twin's fingerprint too
(`fingerprint: A, B`); approvals by rule, resource or path cover as before.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import all_formats, scan_json, xborder

HK, TW, MAINLAND, US = "203.186.1.1", "168.95.1.1", "223.5.5.5", "8.8.8.8"
REGION = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'

VPN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Peer:
    Type: String
    Default: {default}
    AllowedValues: [{allowed}]
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: !Ref Peer
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
"""

TF = """\
provider "aws" {{
  region = "cn-north-1"
}}
variable "peer" {{
  type    = string
  default = "{default}"
  validation {{
    condition     = contains([{allowed}], var.peer)
    error_message = "not an allowed peer"
  }}
}}
resource "aws_customer_gateway" "c" {{
  ip_address = var.peer
  bgp_asn    = 65000
  type       = "ipsec.1"
}}
resource "aws_vpn_gateway" "v" {{}}
resource "aws_vpn_connection" "vpn" {{
  customer_gateway_id = aws_customer_gateway.c.id
  vpn_gateway_id      = aws_vpn_gateway.v.id
  type                = "ipsec.1"
}}
"""


def _cfn(tmp_path: Path, default: str, allowed: list[str], approvals: str = "") -> None:
    (tmp_path / "stack").mkdir(exist_ok=True)
    (tmp_path / "stack" / "vpn.yaml").write_text(VPN.format(default=default, allowed=", ".join(allowed)))
    (tmp_path / ".xborder.yaml").write_text(REGION + (f"approvals:\n{approvals}" if approvals else ""))


def _tf(tmp_path: Path, default: str, allowed: list[str], approvals: str = "") -> None:
    (tmp_path / "net").mkdir(exist_ok=True)
    (tmp_path / "net" / "main.tf").write_text(TF.format(default=default, allowed=", ".join(f'"{v}"' for v in allowed)))
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{approvals}" if approvals else "sites: []\n")


def _scan(tmp_path: Path, where: str = "stack"):  # noqa: ANN202
    run = scan_json(where, "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def _pinned(*fingerprints: str, reference: str = "CT-1") -> str:
    return f"  - fingerprint: {', '.join(fingerprints)}\n    reason: approved IPLC\n    reference: {reference}\n"


def _the_finding(run) -> dict:  # noqa: ANN001
    (f,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB101"]
    return f


# ------------------------------------------------------------------------------------------ the twin is named


def test_a_same_verdict_world_with_other_ends_is_named_in_every_format(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    run = _scan(tmp_path)
    assert run.rc == 1
    assert [f["rule_id"] for f in run.doc["findings"]] == ["XB101"], run.doc
    f = _the_finding(run)
    assert f"also with parameter Peer = {TW}, one of its AllowedValues" in f["message"], f["message"]
    (twin,) = f["twins"]
    assert twin["world"] == {"kind": "parameter", "name": "Peer", "values": [TW], "default": HK}, twin
    assert twin["fingerprint"] != f["fingerprint"] and len(twin["fingerprint"]) == 32
    assert any("Taiwan" in e for e in twin["ends"]), twin
    assert any("Taiwan" in e and twin["fingerprint"] in e for e in f["evidence"]), f["evidence"]
    assert "world" not in f  # the finding itself holds with the defaults

    text = xborder("scan", "stack", "--no-cache", cwd=tmp_path)
    assert f"also with parameter Peer = {TW}" in text.out and "Taiwan" in text.out, text.out
    sarif = json.loads(xborder("scan", "stack", "--no-cache", "--format", "sarif", cwd=tmp_path).out)
    (result,) = sarif["runs"][0]["results"]
    assert TW in result["message"]["text"], result["message"]
    assert result["properties"]["xborder/twins"][0]["fingerprint"] == twin["fingerprint"], result["properties"]


def test_the_finding_fingerprint_is_that_of_the_defaults_link(tmp_path: Path) -> None:
    """Naming the twin changes nothing of the finding's identity: the same as the template without AllowedValues."""
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    with_worlds = _the_finding(_scan(tmp_path))["fingerprint"]
    _cfn(tmp_path, HK, [HK])
    assert _the_finding(_scan(tmp_path))["fingerprint"] == with_worlds
    _cfn(tmp_path, TW, [TW, HK])  # Taiwan as the Default: the twin's fingerprint is that finding's
    flipped = _the_finding(_scan(tmp_path))
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    (twin,) = _the_finding(_scan(tmp_path))["twins"]
    assert flipped["fingerprint"] == twin["fingerprint"]
    assert [t["fingerprint"] for t in flipped["twins"]] == [with_worlds]


def test_values_with_the_same_ends_make_no_twin(tmp_path: Path) -> None:
    """A world whose link has the ends of the reported one (the value is not an end) adds nothing."""
    _cfn(tmp_path, HK, [HK, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    assert "twins" not in f and "also with" not in f["message"], f


# ------------------------------------------------------------------------------------------ approvals


def test_an_approval_pinned_to_the_defaults_ends_does_not_cover_the_twin(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin = f["twins"][0]["fingerprint"]
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"]))
    run = _scan(tmp_path)
    assert run.rc == 1, run.doc
    g = _the_finding(run)
    assert g["suppressed"] is False, g
    why = [e for e in g["evidence"] if e.startswith("not covered by approval CT-1 (.xborder.yaml:")]
    assert len(why) == 1, g["evidence"]
    assert f"Peer = {TW}" in why[0] and twin in why[0] and f"fingerprint: {f['fingerprint']}, {twin}" in why[0], why
    assert [x["rule_id"] for x in run.doc["findings"]] == ["XB101"], run.doc  # not also "matches nothing" (XB001)
    assert "not covered by approval CT-1" in all_formats("stack", "--no-cache", cwd=tmp_path)


def test_an_approval_pinned_to_a_twin_only_says_why_it_does_not_cover(tmp_path: Path) -> None:
    """Written when Taiwan was the Default (its fingerprint), the Default now Hong Kong: the finding stays reported and
    says so, rather than an XB001 "matches no finding" beside an unexplained finding."""
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin = f["twins"][0]["fingerprint"]
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(twin, reference="CT-2"))
    run = _scan(tmp_path)
    assert run.rc == 1 and [x["rule_id"] for x in run.doc["findings"]] == ["XB101"], run.doc
    (why,) = [e for e in _the_finding(run)["evidence"] if e.startswith("not covered by approval CT-2")]
    assert f"not this finding's own ends (fingerprint {f['fingerprint']})" in why and f"fingerprint: {twin}, {f['fingerprint']}" in why, why


def test_an_approval_pinning_every_twin_covers_the_finding(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"], f["twins"][0]["fingerprint"]))
    run = _scan(tmp_path)
    assert run.rc == 0, run.doc
    g = _the_finding(run)
    assert g["suppressed"] is True and g["justification"].startswith("approval CT-1: approved IPLC"), g


def test_approvals_by_rule_resource_or_path_still_cover(tmp_path: Path) -> None:
    for approval in ("  - rule: XB101\n    resource: Vpn\n    reason: any peer\n",
                     "  - path: stack/vpn.yaml\n    reason: any peer\n"):
        _cfn(tmp_path, HK, [HK, TW, MAINLAND], approval)
        run = _scan(tmp_path)
        assert run.rc == 0 and _the_finding(run)["suppressed"] is True, (approval, run.doc)


def test_a_value_added_to_a_merged_world_is_not_covered_by_the_old_pin(tmp_path: Path) -> None:
    """Default mainland; the Hong Kong world is reported and approved by fingerprint; Taiwan added later to the
    list gives the same verdict (one finding "Peer = hk or tw", the Hong Kong fingerprint): it is not approved."""
    _cfn(tmp_path, MAINLAND, [MAINLAND, HK])
    f = _the_finding(_scan(tmp_path))
    _cfn(tmp_path, MAINLAND, [MAINLAND, HK], _pinned(f["fingerprint"]))
    assert _scan(tmp_path).rc == 0
    _cfn(tmp_path, MAINLAND, [MAINLAND, HK, TW], _pinned(f["fingerprint"]))
    run = _scan(tmp_path)
    assert run.rc == 1, run.doc
    g = _the_finding(run)
    assert g["fingerprint"] == f["fingerprint"] and f"Peer = {HK} or {TW}" in g["message"], g
    assert "also with" not in g["message"], g["message"]  # Taiwan is named once, by the world itself
    (twin,) = g["twins"]
    assert twin["world"]["values"] == [TW]
    assert any(e.startswith("not covered by approval CT-1") and twin["fingerprint"] in e for e in g["evidence"]), g
    _cfn(tmp_path, MAINLAND, [MAINLAND, HK, TW, US], _pinned(f["fingerprint"], twin["fingerprint"]))
    run = _scan(tmp_path)  # and so again for the next value
    assert run.rc == 1 and US in " ".join(_the_finding(run)["evidence"]), run.doc


def test_terraform_validation_worlds_are_twins_too(tmp_path: Path) -> None:
    _tf(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path, "net"))
    assert "also with variable peer = 168.95.1.1, one of the values its validation allows" in f["message"], f
    (twin,) = f["twins"]
    _tf(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"]))
    run = _scan(tmp_path, "net")
    assert run.rc == 1 and any(e.startswith("not covered by approval CT-1") for e in _the_finding(run)["evidence"]), run.doc
    _tf(tmp_path, HK, [HK, TW, MAINLAND], _pinned(twin["fingerprint"], f["fingerprint"]))
    assert _scan(tmp_path, "net").rc == 0


def test_a_list_of_fingerprints_that_is_not_one_voids_the_approval(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"], "not-a-fingerprint"))
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert run.rc != 0 and not _the_finding(run)["suppressed"], run.doc
    assert "is not a fingerprint" in json.dumps(run.doc), run.doc


def test_a_yaml_list_of_fingerprints_says_how_to_write_several(tmp_path: Path) -> None:
    """`fingerprint: [A, B]` is refused (the field is one string) and the error says how to write several; the
    approval covers nothing (before: only "must be a string")."""
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    listed = f"  - fingerprint: [{f['fingerprint']}, {f['twins'][0]['fingerprint']}]\n    reason: approved IPLC\n"
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], listed)
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert run.rc != 0 and not _the_finding(run)["suppressed"], run.doc
    assert [e["message"] for e in run.doc["errors"]] == [
        "approvals[0].fingerprint must be a string (the fingerprint of the one link it approves and of each of its "
        "twins (the other deployments its finding names), separated by commas: fingerprint: A, B; one approval per "
        "link)"], run.doc["errors"]


# ------------------------------------------------------------------------------------------ baselines and PR mode


def test_a_baseline_records_the_twins_and_a_value_added_later_is_reported(tmp_path: Path) -> None:
    """A baseline is a pin too: recorded with Hong Kong only, the finding comes back when Taiwan is added."""
    _cfn(tmp_path, HK, [HK, MAINLAND])
    assert xborder("baseline", "stack", "-o", "base.json", cwd=tmp_path).rc == 0
    assert scan_json("stack", "--no-cache", "--baseline", "base.json", cwd=tmp_path).rc == 0
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    run = scan_json("stack", "--no-cache", "--baseline", "base.json", cwd=tmp_path)
    assert run.rc == 1 and run.doc["summary"]["baseline_matched"] == 0, run.doc
    assert f"also with parameter Peer = {TW}" in _the_finding(run)["message"]
    assert xborder("baseline", "stack", "-o", "base2.json", cwd=tmp_path).rc == 0
    entries = json.loads((tmp_path / "base2.json").read_text())["findings"]
    f = _the_finding(_scan(tmp_path))
    assert sorted(e["fingerprint"] for e in entries) == sorted([f["fingerprint"], f["twins"][0]["fingerprint"]]), entries
    assert {(e["rule_id"], e["resource"], e["path"]) for e in entries} == {("XB101", "Vpn", "stack/vpn.yaml")}
    run = scan_json("stack", "--no-cache", "--baseline", "base2.json", cwd=tmp_path)
    assert run.rc == 0 and run.doc["summary"]["baseline_matched"] == 1, run.doc


def _git(cwd: Path, *args: str) -> None:
    import subprocess  # noqa: PLC0415

    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@xborder.invalid", "-c", "init.defaultBranch=main",
                    *args], cwd=cwd, check=True, capture_output=True)


def test_diff_base_reports_a_finding_whose_new_twin_the_revision_lacks(tmp_path: Path) -> None:
    """PR mode: a change adding a Taiwan peer to the AllowedValues beside the Hong Kong one is shown."""
    _cfn(tmp_path, HK, [HK, MAINLAND])
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    assert scan_json("stack", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path).rc == 0
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    run = scan_json("stack", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path)
    assert run.rc == 1 and [f["rule_id"] for f in run.doc["findings"]] == ["XB101"], run.doc
    _git(tmp_path, "commit", "-q", "-am", "taiwan")
    assert scan_json("stack", "--no-cache", "--diff-base", "HEAD", cwd=tmp_path).rc == 0


# ------------------------------------------------------------------------------------------ the inventory


def test_the_inventory_names_the_twin_and_a_new_twin_changes_the_row(tmp_path: Path) -> None:
    """The inventory row of the Hong Kong link names the Taiwan deployment (JSON and CSV notes, with the twin's
    fingerprint), and --diff-base marks the row changed when Taiwan is added to the AllowedValues (before: the
    row was "unchanged" and nothing in the inventory named Taiwan)."""
    _cfn(tmp_path, HK, [HK, MAINLAND])
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin = f["twins"][0]["fingerprint"]
    inv = json.loads(xborder("inventory", "stack", "--no-cache", "--format", "json", "--diff-base", "HEAD", cwd=tmp_path).out)
    (row,) = [link for link in inv["links"] if link["id"] == f["fingerprint"]]
    assert row["change"] == "changed", row
    assert any(n.startswith(f"also with parameter Peer = {TW}") and "Taiwan" in n and twin in n for n in row["notes"]), row
    csv_text = xborder("inventory", "stack", "--no-cache", "--format", "csv", cwd=tmp_path).out
    assert twin in csv_text and "Taiwan" in csv_text
    _git(tmp_path, "commit", "-q", "-am", "taiwan")
    inv = json.loads(xborder("inventory", "stack", "--no-cache", "--format", "json", "--diff-base", "HEAD", cwd=tmp_path).out)
    assert [link["change"] for link in inv["links"] if link["id"] == f["fingerprint"]] == ["unchanged"], inv["links"]
