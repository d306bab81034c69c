provider "alicloud" {
  region = "cn-shanghai"
}

resource "alicloud_cen_instance" "cen" {
  cen_instance_name = "corp"
}

resource "alicloud_cen_bandwidth_package" "cross" {
  bandwidth              = 5
  geographic_region_a_id = "China"
  geographic_region_b_id = "Asia-Pacific"
}

resource "alicloud_cen_instance_attachment" "sh" {
  instance_id              = alicloud_cen_instance.cen.id
  child_instance_id        = "vpc-sh"
  child_instance_type      = "VPC"
  child_instance_region_id = "cn-shanghai"
}

resource "alicloud_cen_instance_attachment" "hk" {
  instance_id              = alicloud_cen_instance.cen.id
  child_instance_id        = "vpc-hk"
  child_instance_type      = "VPC"
  child_instance_region_id = "cn-hongkong"
}
