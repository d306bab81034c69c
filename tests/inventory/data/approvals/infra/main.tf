provider "aws" {
  region = "cn-north-1"
}

provider "aws" {
  alias  = "sg"
  region = "ap-southeast-1"
}

resource "aws_customer_gateway" "hk" {
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "hk" {
  customer_gateway_id = aws_customer_gateway.hk.id
  type                = "ipsec.1"
}

resource "aws_customer_gateway" "au" {
  bgp_asn    = 65000
  ip_address = "1.1.1.1"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "au" {
  customer_gateway_id = aws_customer_gateway.au.id
  type                = "ipsec.1"
}

resource "aws_customer_gateway" "tw" {
  bgp_asn    = 65000
  ip_address = "168.95.1.1"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "tw" {
  customer_gateway_id = aws_customer_gateway.tw.id
  type                = "ipsec.1"
}

resource "aws_customer_gateway" "hangzhou" {
  provider   = aws.sg
  bgp_asn    = 65000
  ip_address = "223.5.5.5"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "singapore_hangzhou" {
  provider            = aws.sg
  customer_gateway_id = aws_customer_gateway.hangzhou.id
  type                = "ipsec.1"
}
