# Baidu AI Cloud and Volcengine data-flow cases (`# expect:` as in alicloud/main.tf). Attribute names follow
# baidubce/terraform-provider-baiducloud and volcengine/terraform-provider-volcengine website/docs/r/.

provider "baiducloud" {
  region = "bj"
}

provider "baiducloud" {
  alias  = "hk"
  region = "hkg"
}

provider "baiducloud" {
  alias  = "gz"
  region = "gz"
}

resource "baiducloud_bos_bucket" "replica_hk" {
  provider = baiducloud.hk
  bucket   = "orders-replica-hkg"
}

resource "baiducloud_bos_bucket" "replica_gz" {
  provider = baiducloud.gz
  bucket   = "orders-replica-gz"
}

# expect: XB401
resource "baiducloud_bos_bucket" "beijing_to_hongkong" {
  bucket = "orders-bj"
  replication_configuration {
    id                = "to-hk"
    status            = "enabled"
    resource          = ["orders-bj/*"]
    replicate_deletes = "disabled"
    destination {
      bucket = "orders-replica-hkg"
    }
  }
}

# expect: none
resource "baiducloud_bos_bucket" "beijing_to_guangzhou" {
  bucket = "orders-bj2"
  replication_configuration {
    id                = "to-gz"
    status            = "enabled"
    resource          = ["orders-bj2/*"]
    replicate_deletes = "disabled"
    destination {
      bucket = baiducloud_bos_bucket.replica_gz.bucket
    }
  }
}

provider "volcengine" {
  region = "cn-beijing"
}

# expect: XB401
resource "volcengine_cdn_domain" "mainland_origin_global" {
  domain         = "static.example.cn"
  service_type   = "web"
  service_region = "global"
  domain_config = jsonencode({
    OriginProtocol = "https"
    Origin = [{
      OriginAction = {
        OriginLines = [{
          Address      = "114.114.114.114"
          HttpPort     = "80"
          HttpsPort    = "443"
          InstanceType = "ip"
          OriginType   = "primary"
          Weight       = "1"
        }]
      }
    }]
  })
}

# expect: none
resource "volcengine_cdn_domain" "mainland_origin_mainland" {
  domain         = "img.example.cn"
  service_type   = "web"
  service_region = "chinese_mainland"
  domain_config = jsonencode({
    Origin = [{
      OriginAction = {
        OriginLines = [{
          Address      = "114.114.114.114"
          InstanceType = "ip"
          OriginType   = "primary"
        }]
      }
    }]
  })
}

# a domain-name origin is never resolved
# expect: XB402
resource "volcengine_cdn_domain" "domain_origin_outside" {
  domain         = "www.example.com"
  service_type   = "web"
  service_region = "outside_chinese_mainland"
  domain_config = jsonencode({
    Origin = [{
      OriginAction = {
        OriginLines = [{
          Address      = "origin.example.com"
          InstanceType = "domain"
          OriginType   = "primary"
        }]
      }
    }]
  })
}
