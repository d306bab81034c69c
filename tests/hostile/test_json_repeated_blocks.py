"""A nested block type written many times in one `.tf.json` resource: every block is read, in linear time.

Joining the repeated blocks copied and re-checked the blocks gathered so far at each repetition (quadratic): a
210 KB resource repeating `"ingress": {...}` 8,000 times took 4 s to parse, a 1 MB one (38,000 times) minutes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json, xborder

EXTERNAL = """\
{"resource": {
  "google_compute_external_vpn_gateway": {"office": {
    "name": "office", "redundancy_type": "FOUR_IPS_REDUNDANCY",
    "interface": {"id": 0, "ip_address": "8.8.8.8"},
    "interface": [{"id": 1, "ip_address": "8.8.4.4"}],
    "interface": {"id": 2, "ip_address": "58.247.0.30"},
    "interface": {"id": 3, "ip_address": "1.1.1.1"}}},
  "google_compute_vpn_tunnel": {"t": {
    "name": "t", "region": "asia-east2", "vpn_gateway": "gw", "shared_secret": "x", "router": "r",
    "peer_external_gateway": "${google_compute_external_vpn_gateway.office.id}",
    "peer_external_gateway_interface": INTERFACE}}}}
"""


@pytest.mark.parametrize("interface,rules", [(0, []), (1, []), (2, ["XB101"]), (3, [])])
def test_each_of_four_repeated_blocks_is_read(tmp_path: Path, interface: int, rules: list[str]) -> None:
    """Four `interface` blocks, one written as an array: the tunnel to interface 2 (Shanghai) from Hong Kong's
    asia-east2 crosses the border; the others (US, Australia) do not."""
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf.json").write_text(EXTERNAL.replace("INTERFACE", str(interface)))
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.doc["errors"] == []
    assert run.rules == rules, run.doc["findings"]


def test_a_block_type_repeated_38000_times_is_read_in_linear_time(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    body = ",".join(['"ingress":{"from_port":1}'] * 38_000)
    (root / "main.tf.json").write_text('{"resource":{"aws_customer_gateway":{"x":{"ip_address":"203.186.1.1",'
                                       '"bgp_asn":65000,"type":"ipsec.1",%s}}}}' % body)
    assert (root / "main.tf.json").stat().st_size < 1_000_000
    run = xborder("scan", ".", "--no-config", "--no-cache", "--format", "json", cwd=root, cpu_seconds=20)
    assert run.rc in (0, 1), run.err
    assert run.doc["errors"] == []
