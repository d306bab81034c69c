"""Instance addresses write a string key as Terraform does (`terraform state list`, plans): printable Unicode as it
is, `${` and `%{` doubled. Before, xborder wrote JSON (`["\\u65e5\\u672c"]`, `["a${b}"]`), so such an address did
not match Terraform's, and the fingerprint moved with the fix: an approval pinned to the former one is an XB001
that names the finding and what to pin now (never silent)."""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_json

CONFIG = """\
provider "aws" {
  region = "cn-northwest-1"
}

resource "aws_customer_gateway" "office" {
  for_each   = { "日本" = "203.186.1.1", "a$${b}" = "168.95.1.1", "tab\\tx" = "168.95.1.2" }
  ip_address = each.value
  bgp_asn    = 65000
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "office" {
  for_each            = aws_customer_gateway.office
  customer_gateway_id = each.value.id
  type                = "ipsec.1"
}
"""

# what xborder (session-start install of session 26) gave the findings of CONFIG's two first keys
FORMER = {'aws_vpn_connection.office["日本"]': "03e6c6ff28e83a46e8b6b572f96dc6e4",
          'aws_vpn_connection.office["a$${b}"]': "180657bb9165c305d9c4131892a06396"}


def _write(tmp_path: Path, pins: list[str]) -> None:
    (tmp_path / "main.tf").write_text(CONFIG, encoding="utf-8")
    approvals = "".join(f"  - fingerprint: {p}\n    reason: leased line, contract CT-1\n    reference: CT-1\n" for p in pins)
    (tmp_path / ".xborder.yaml").write_text(f"approvals:\n{approvals}" if pins else "sites: []\n", encoding="utf-8")


def test_addresses_write_keys_as_terraform_does(tmp_path: Path) -> None:
    _write(tmp_path, [])
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    got = sorted(f["resource"] for f in run.doc["findings"])
    assert got == ['aws_vpn_connection.office["a$${b}"]', 'aws_vpn_connection.office["tab\\tx"]',
                   'aws_vpn_connection.office["日本"]']
    ev = [e for f in run.doc["findings"] for e in f["evidence"] if "日本" in e]
    assert ev and all('aws_customer_gateway.office["日本"]' in e for e in ev)


def test_an_approval_pinned_to_the_former_fingerprint_says_what_to_pin_now(tmp_path: Path) -> None:
    _write(tmp_path, list(FORMER.values()))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    now = {f["resource"]: f["fingerprint"] for f in run.doc["findings"] if f["rule_id"] == "XB101"}
    assert all(now[a] != FORMER[a] for a in FORMER)
    metas = [f["message"] for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert len(metas) == 2
    for address, former in FORMER.items():
        (m,) = [m for m in metas if f"it pins {former}, the former fingerprint of XB101 {address} (main.tf:" in m]
        assert f"pin `fingerprint: {now[address]}`" in m, m
    assert not any(f["suppressed"] for f in run.doc["findings"])
