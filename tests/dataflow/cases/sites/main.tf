# The site inventory places host names and private addresses; an approval records the mechanism relied on.

provider "aws" {
  region = "cn-north-1"
}

provider "alicloud" {
  region = "cn-shanghai"
}

# the site inventory says the SIEM host is in Germany: high
# expect: XB403
resource "aws_kinesis_firehose_delivery_stream" "audit_to_frankfurt_siem" {
  name        = "audit"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://siem.example.eu/ingest"
    name = "siem"
  }
}

# an address of the Macau site: Macau is outside mainland China
# expect: XB403
resource "aws_kinesis_firehose_delivery_stream" "audit_to_macau_office" {
  name        = "audit-mo"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://202.175.0.10/ingest"
    name = "macau"
  }
}

# a mainland site's host
# expect: none
resource "aws_kinesis_firehose_delivery_stream" "audit_to_shanghai_logs" {
  name        = "audit-cn"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://logs.sha.example.cn/ingest"
    name = "logs"
  }
}

# recorded as an approval with its filing number: reported as suppressed
# expect: XB401
resource "alicloud_oss_bucket_replication" "approved_to_hongkong" {
  bucket = "orders-sh"
  destination {
    bucket   = "orders-hk"
    location = "oss-cn-hongkong"
  }
}
