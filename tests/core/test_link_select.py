"""Google HA VPN: a tunnel reaches the one interface of its external gateway that it names, never all of them.

The link engine's `select` (policies/links/google-vpn.yaml) keeps the `interface` block whose `id` equals the
tunnel's `peer_external_gateway_interface`; a missing or unmatched index is an unknown end (XB102), never a guess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xborder.links.declarations import DeclarationError, parse_declarations

# interface 0 in mainland China (Alibaba public DNS range), interface 1 in Hong Kong (offshore, a trap)
GATEWAY = """\
provider "google" {
  project = "corp-net"
  region  = "asia-east2"
}

variable "peer_iface" {
  type = number
}

resource "google_compute_ha_vpn_gateway" "ha" {
  name    = "ha-vpn"
  network = "corp"
}

resource "google_compute_external_vpn_gateway" "peer" {
  name            = "peer-gw"
  redundancy_type = "TWO_IPS_REDUNDANCY"
  interface {
    id         = 1
    ip_address = "202.45.84.58"
  }
  interface {
    id         = 0
    ip_address = "223.5.5.5"
  }
}
"""

TUNNEL = """
resource "google_compute_vpn_tunnel" "{name}" {{
  name                  = "{name}"
  vpn_gateway           = google_compute_ha_vpn_gateway.ha.id
  vpn_gateway_interface = 0
  peer_external_gateway = google_compute_external_vpn_gateway.peer.id
  shared_secret         = "s3cret"
  {iface}
}}
"""


def scan(tmp_path: Path, tunnels: str, *args: str) -> dict:
    (tmp_path / "main.tf").write_text(GATEWAY + tunnels, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "xborder", "scan", ".", "--no-config", "-f", "json", *args],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def by_resource(doc: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in doc["findings"]:
        out.setdefault(f["resource"], []).append(f["rule_id"])
    return out


def test_each_tunnel_is_judged_by_its_own_interface(tmp_path: Path) -> None:
    tunnels = TUNNEL.format(name="t0", iface="peer_external_gateway_interface = 0") + TUNNEL.format(
        name="t1", iface="peer_external_gateway_interface = 1"
    )
    doc = scan(tmp_path, tunnels)
    # t0 reaches 223.5.5.5 (mainland) from Hong Kong: one crossing; t1 reaches Hong Kong: none (not a duplicate)
    assert by_resource(doc) == {"google_compute_vpn_tunnel.t0": ["XB101"]}, doc["findings"]
    text = json.dumps(doc["findings"][0])
    assert "223.5.5.5" in text and "202.45.84.58" not in text
    assert "interface id 0" in text


def test_count_index_picks_the_interface_per_instance(tmp_path: Path) -> None:
    tunnel = TUNNEL.format(name="t", iface="peer_external_gateway_interface = count.index").replace(
        '  name                  = "t"', '  count                 = 2\n  name                  = "t-${count.index}"'
    )
    doc = scan(tmp_path, tunnel)
    assert by_resource(doc) == {"google_compute_vpn_tunnel.t[0]": ["XB101"]}, doc["findings"]


def test_index_given_as_string_matches_the_numeric_id(tmp_path: Path) -> None:
    doc = scan(tmp_path, TUNNEL.format(name="t1", iface='peer_external_gateway_interface = "1"'))
    assert doc["findings"] == []


@pytest.mark.parametrize(
    ("iface", "reason"),
    [
        ("", "peer_external_gateway_interface is not set on google_compute_vpn_tunnel.t"),
        ("peer_external_gateway_interface = 3", "names no interface of google_compute_external_vpn_gateway.peer (ids: 0, 1)"),
        ("peer_external_gateway_interface = var.peer_iface", "peer_iface"),
    ],
)
def test_missing_or_unknown_index_is_an_unknown_end_never_a_guess(tmp_path: Path, iface: str, reason: str) -> None:
    doc = scan(tmp_path, TUNNEL.format(name="t", iface=iface))
    # never XB101 from the mainland interface, never silence from the Hong Kong one: one XB102
    assert by_resource(doc) == {"google_compute_vpn_tunnel.t": ["XB102"]}, doc["findings"]
    assert reason in json.dumps(doc["findings"][0])


def test_index_from_a_var_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "prod.tfvars").write_text("peer_iface = 0\n", encoding="utf-8")
    doc = scan(tmp_path, TUNNEL.format(name="t", iface="peer_external_gateway_interface = var.peer_iface"), "--var-file", "prod.tfvars")
    assert by_resource(doc) == {"google_compute_vpn_tunnel.t": ["XB101"]}, doc["findings"]


def test_classic_vpn_with_peer_ip_is_unaffected(tmp_path: Path) -> None:
    tunnel = """
resource "google_compute_vpn_tunnel" "classic" {
  name          = "classic"
  peer_ip       = "114.114.114.114"
  shared_secret = "s3cret"
}
"""
    assert by_resource(scan(tmp_path, tunnel)) == {"google_compute_vpn_tunnel.classic": ["XB101"]}


@pytest.mark.parametrize(
    "select",
    [
        "{block: interface, key: id}",  # no `equals`
        "{block: interface, key: id, equals: x, extra: y}",
        "interface",
    ],
)
def test_a_malformed_select_is_a_declaration_error(select: str) -> None:
    text = f"provider: google\nresources:\n  t:\n    kind: vpn\n    a: {{region: self}}\n    b: {{follow: g, select: {select}, then: {{address: interface.ip_address}}}}\n"
    with pytest.raises(DeclarationError, match="select"):
        parse_declarations(text, "x.yaml")


def test_select_applies_to_follow_only() -> None:
    text = "provider: google\nresources:\n  t:\n    kind: vpn\n    a: {region: self}\n    b: {address: ip, select: {block: a, key: b, equals: c}}\n"
    with pytest.raises(DeclarationError, match="`select` applies to follow"):
        parse_declarations(text, "x.yaml")
