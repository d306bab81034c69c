"""Generate a synthetic infra repository of N Terraform module directories for benchmarks.

Each directory mixes VPN resources (some cross-border, some not), variables with tfvars, and filler
resources, so parsing, evaluation and rules all do real work. Deterministic for a given N.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

REGIONS = ["cn-north-1", "cn-northwest-1", "ap-east-1", "eu-central-1", "us-east-1", "ap-southeast-1"]
PEERS = ["203.186.1.1", "58.247.0.10", "114.114.114.114", "8.8.8.8", "168.95.1.1", "202.175.3.3"]

FILLER = """
resource "aws_security_group" "sg_{i}" {{
  name        = "${{var.name}}-sg-{i}"
  description = "filler {i}"
  vpc_id      = var.vpc_id

  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["10.{i}.0.0/16"]
  }}

  tags = merge(local.tags, {{ Index = "{i}" }})
}}
"""


def module_dir(path: Path, n: int, rng: random.Random) -> None:
    path.mkdir(parents=True, exist_ok=True)
    region = rng.choice(REGIONS)
    (path / "providers.tf").write_text('provider "aws" {\n  region = var.region\n}\n')
    (path / "variables.tf").write_text(
        'variable "region" {\n  type = string\n}\n\n'
        'variable "name" {\n  type    = string\n  default = "svc"\n}\n\n'
        'variable "vpc_id" {\n  type    = string\n  default = "vpc-0123456789abcdef0"\n}\n\n'
        'variable "peer_ip" {\n  type = string\n}\n'
    )
    (path / "terraform.tfvars").write_text(f'region  = "{region}"\npeer_ip = "{rng.choice(PEERS)}"\n')
    (path / "main.tf").write_text(
        'locals {\n  tags = { Owner = "network", Name = var.name }\n}\n\n'
        'resource "aws_customer_gateway" "office" {\n  bgp_asn    = 65000\n  ip_address = var.peer_ip\n  type       = "ipsec.1"\n}\n\n'
        'resource "aws_vpn_gateway" "gw" {\n  vpc_id = var.vpc_id\n}\n\n'
        'resource "aws_vpn_connection" "office" {\n  customer_gateway_id = aws_customer_gateway.office.id\n'
        '  vpn_gateway_id      = aws_vpn_gateway.gw.id\n  type                = "ipsec.1"\n  tags                = local.tags\n}\n'
    )
    (path / "security.tf").write_text("".join(FILLER.format(i=i, port=1000 + i) for i in range(rng.randint(3, 12))))


def generate(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(count):
        module_dir(root / f"team-{n % 20:02d}" / f"stack-{n:05d}", n, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--modules", "-n", type=int, default=200)
    args = parser.parse_args()
    generate(args.root, args.modules)
    print(f"generated {args.modules} module directories under {args.root}")


if __name__ == "__main__":
    main()
