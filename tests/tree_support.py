"""Writing small trees of input files for tests (one helper, so every test writes files the same way), and input texts several tests share."""

from __future__ import annotations

import textwrap
from pathlib import Path


# a module creating one VPN from `aws_vpn_connection.this` to the caller's `ip`
VPN_MODULE = """\
variable "ip" {}
resource "aws_customer_gateway" "cg" {
  ip_address = var.ip
  type       = "ipsec.1"
  bgp_asn    = 65000
}
resource "aws_vpn_connection" "this" {
  customer_gateway_id = aws_customer_gateway.cg.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""


def write(root: Path, name: str, text: str) -> Path:
    """`text` as the UTF-8 file `root/name`, creating its folders."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Each `relative path: text` (dedented, so tests can indent it) below `root`."""
    for rel, text in files.items():
        write(root, rel, textwrap.dedent(text))
