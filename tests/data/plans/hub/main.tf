# Hong Kong hub: a VPN to the Shanghai head office and a branch VPN in Frankfurt.

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "hk"
  region = "ap-east-1"
}

resource "aws_customer_gateway" "hq" {
  provider   = aws.hk
  bgp_asn    = 65000
  ip_address = var.hq_ip
  type       = "ipsec.1"

  tags = {
    Name = "shanghai-hq"
  }
}

resource "aws_vpn_gateway" "hk" {
  provider = aws.hk
  vpc_id   = "vpc-0b5e7d1c2a3f40001"
}

resource "aws_vpn_connection" "hq" {
  provider            = aws.hk
  customer_gateway_id = aws_customer_gateway.hq.id
  vpn_gateway_id      = aws_vpn_gateway.hk.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_ec2_transit_gateway_peering_attachment" "hk_fra" {
  provider                = aws.hk
  transit_gateway_id      = "tgw-0a11b22c33d44e55f"
  peer_transit_gateway_id = module.branch.transit_gateway_id
  peer_region             = var.region
}

module "branch" {
  source  = "./modules/branch-vpn"
  peer_ip = var.branch_ip
  name    = "fra-branch"
}
