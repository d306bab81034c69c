"""A property written twice in one `.tf.json` block body or `.tfvars.json` file: Terraform refuses it ("Duplicate
argument: The argument "ip_address" was already set at ..."), as the native syntax's "Attribute redefined", which
xborder already reports. The JSON reader kept the later value silently: a Hong Kong customer gateway address
followed by a Shanghai one scanned clean with exit 0. Now it is the same error as in native syntax and the
argument is unknown. A nested block type written twice is two blocks for Terraform (both are read now; only the
later was), and a block type repeated at the top level (`"resource"` twice) stays two sets of blocks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import all_formats, scan_json

VPN = """\
resource "alicloud_vpn_gateway" "gw" {
  vpc_id = "vpc-1"
}
resource "alicloud_vpn_connection" "c" {
  vpn_gateway_id      = alicloud_vpn_gateway.gw.id
  customer_gateway_id = alicloud_vpn_customer_gateway.peer.id
}
"""
PROVIDER = '"provider": {"alicloud": {"region": "cn-shanghai"}}'


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "t"
    root.mkdir()
    (root / "vpn.tf").write_text(VPN)
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def _cgw(*ips: str) -> str:
    attrs = ",\n".join(f'  "ip_address": "{ip}"' for ip in ips)
    return '{"resource": {"alicloud_vpn_customer_gateway": {"peer": {\n' + attrs + "\n}}},\n" + PROVIDER + "}\n"


@pytest.mark.parametrize("ips", [("203.186.1.1", "58.247.0.30"), ("58.247.0.30", "203.186.1.1")])
def test_an_argument_set_twice_in_a_json_block_is_an_error_and_unknown(tmp_path: Path, ips: tuple[str, str]) -> None:
    """Was (Hong Kong first): 0 findings, exit 0. Terraform refuses the file whichever value comes first."""
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, {"main.tf.json": _cgw(*ips)}))
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [
        ("main.tf.json", 3, 'argument "ip_address" is set twice in one block (lines 2 and 3); Terraform rejects this')]
    assert run.rules == ["XB102"], run.doc["findings"]  # the customer gateway is unknown: neither value is taken


def test_the_error_is_in_every_format(tmp_path: Path) -> None:
    out = all_formats(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, {"main.tf.json": _cgw("203.186.1.1", "58.247.0.30")}))
    assert out.count('argument "ip_address" is set twice in one block') >= 4, out


TFVARS_MAIN = 'variable "peer" {\n  type = string\n}\nprovider "alicloud" {\n  region = "cn-shanghai"\n}\n' \
              'resource "alicloud_vpn_customer_gateway" "peer" {\n  ip_address = var.peer\n}\n'


def test_a_variable_set_twice_in_a_tfvars_json_file_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"main.tf": TFVARS_MAIN,
                            "terraform.tfvars.json": '{"peer": "203.186.1.1",\n "peer": "58.247.0.30"}\n'})
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("terraform.tfvars.json", 2)]
    assert run.rules == ["XB102"]


@pytest.mark.parametrize("body,name", [
    ('{"locals": {"peer": "203.186.1.1", "peer": "58.247.0.30"}}', "peer"),
    ('{"variable": {"peer": {"default": "203.186.1.1", "default": "58.247.0.30"}}}', "default"),
    ('{"output": {"o": {"value": 1, "value": 2}}}', "value"),
])
def test_other_json_blocks_with_an_argument_set_twice_are_errors(tmp_path: Path, body: str, name: str) -> None:
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, {"main.tf.json": body}))
    assert [e["message"] for e in run.doc["errors"]] == [
        f'argument "{name}" is set twice in one block (lines 1 and 1); Terraform rejects this']


GOOGLE = """\
{"resource": {
  "google_compute_external_vpn_gateway": {"office": {
    "name": "office", "redundancy_type": "TWO_IPS_REDUNDANCY",
    "interface": {"id": 0, "ip_address": "58.247.0.30"},
    "interface": {"id": 1, "ip_address": "8.8.8.8"}}},
  "google_compute_vpn_tunnel": {"t0": {
    "name": "t0", "region": "asia-east2", "vpn_gateway": "gw", "shared_secret": "x", "router": "r",
    "peer_external_gateway": "${google_compute_external_vpn_gateway.office.id}",
    "peer_external_gateway_interface": INTERFACE}}}}
"""


@pytest.mark.parametrize("interface,rules", [(0, ["XB101"]), (1, [])])
def test_a_nested_block_type_written_twice_is_two_blocks(tmp_path: Path, interface: int, rules: list[str]) -> None:
    """Was: only the later `interface` block was read, so the tunnel to interface 0 (Shanghai) had an unknown far
    end (XB102). Now both are read: interface 0 is mainland (cross-border from Hong Kong's asia-east2), interface 1
    is in the US (no finding: neither end is in mainland China)."""
    root = tmp_path / "t"
    root.mkdir()
    (root / "main.tf.json").write_text(GOOGLE.replace("INTERFACE", str(interface)))
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.doc["errors"] == []
    assert run.rules == rules, run.doc["findings"]


def test_negative_a_block_type_repeated_at_the_top_level_is_read_whole(tmp_path: Path) -> None:
    """`"resource"` twice at the top level: Terraform reads both (no error); so does xborder. Comments (`//`)
    may repeat. Hong Kong is offshore: the VPN crosses the border."""
    body = ('{"//": "a", "resource": {"alicloud_vpn_customer_gateway": {"peer": {"//": "x", "//": "y", '
            '"ip_address": "203.186.1.1"}}}, "resource": {"alicloud_vpn_gateway": {"extra": {"vpc_id": "v"}}}, '
            '"//": "b", ' + PROVIDER + "}")
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, {"main.tf.json": body}))
    assert run.doc["errors"] == []
    assert run.rules == ["XB101"], run.doc["findings"]
