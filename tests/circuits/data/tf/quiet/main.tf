provider "aws" {
  region = "cn-north-1"
}

resource "aws_ec2_transit_gateway_peering_attachment" "bj_nx" {
  peer_region             = "cn-northwest-1"
  peer_transit_gateway_id = "tgw-2"
  transit_gateway_id      = "tgw-1"
}

resource "alicloud_cen_bandwidth_package" "china_china" {
  bandwidth              = 5
  geographic_region_a_id = "China"
  geographic_region_b_id = "China"
}
