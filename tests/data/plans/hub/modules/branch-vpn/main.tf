variable "peer_ip" {
  type = string
}

variable "name" {
  type = string
}

resource "aws_ec2_transit_gateway" "this" {
  description = var.name
}

resource "aws_customer_gateway" "this" {
  bgp_asn    = 65100
  ip_address = var.peer_ip
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "this" {
  count               = 1
  customer_gateway_id = aws_customer_gateway.this.id
  transit_gateway_id  = aws_ec2_transit_gateway.this.id
  type                = "ipsec.1"
}

output "transit_gateway_id" {
  value = aws_ec2_transit_gateway.this.id
}
