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
