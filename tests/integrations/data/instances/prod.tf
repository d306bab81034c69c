provider "aws" {
  region = "cn-north-1"
}

variable "unknown_ip" {}

locals {
  ips = ["203.186.1.1", "202.96.128.86"]
}

resource "aws_customer_gateway" "gw" {
  count      = 2
  ip_address = local.ips[count.index]
  type       = "ipsec.1"
  bgp_asn    = 65000
}

resource "aws_vpn_connection" "v" {
  count               = 2
  customer_gateway_id = aws_customer_gateway.gw[count.index].id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}

resource "aws_customer_gateway" "each" {
  for_each   = { hk = "203.186.1.1", sh = "202.96.128.86" }
  ip_address = each.value
  type       = "ipsec.1"
  bgp_asn    = 65000
}

resource "aws_vpn_connection" "e" {
  for_each            = aws_customer_gateway.each
  customer_gateway_id = each.value.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}

module "site" {
  source   = "../../modules/vpn"
  for_each = { hk = "203.186.1.1", sh = "202.96.128.86" }
  ip       = each.value
}

resource "aws_customer_gateway" "unknown" {
  ip_address = var.unknown_ip
  type       = "ipsec.1"
  bgp_asn    = 65000
}

resource "aws_vpn_connection" "unknown" {
  customer_gateway_id = aws_customer_gateway.unknown.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}

resource "aws_ec2_client_vpn_endpoint" "staff" {
  description            = "staff remote access"
  server_certificate_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0f3c"
  client_cidr_block      = "10.250.0.0/22"
  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = "arn:aws-cn:acm:cn-north-1:123456789012:certificate/9a1e"
  }
  connection_log_options {
    enabled = false
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_express_route_circuit" "c" {
  name                  = "c"
  resource_group_name   = "rg"
  location              = "eastasia"
  service_provider_name = "China Telecom Global"
  peering_location      = "Shanghai 2"
  bandwidth_in_mbps     = 50
  sku {
    tier   = "Standard"
    family = "MeteredData"
  }
}
