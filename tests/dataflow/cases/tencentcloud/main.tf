# Tencent Cloud data-flow cases (`# expect:` as in alicloud/main.tf). Attribute names follow
# tencentcloudstack/terraform-provider-tencentcloud website/docs/r/.

provider "tencentcloud" {
  region = "ap-shanghai"
}

provider "tencentcloud" {
  alias  = "hk"
  region = "ap-hongkong"
}

locals {
  replica_region = "ap-hongkong"
}

resource "tencentcloud_cos_bucket" "replica_hk" {
  provider = tencentcloud.hk
  bucket   = "replica-hk-1250000000"
  acl      = "private"
}

# --- COS cross-region replication: destination_bucket = "qcs::cos:<region>::<bucket>" ---
# expect: XB401
resource "tencentcloud_cos_bucket" "shanghai_to_hongkong" {
  bucket            = "orders-1250000000"
  acl               = "private"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "to-hk"
    status             = "Enabled"
    prefix             = "dist"
    destination_bucket = "qcs::cos:${local.replica_region}::${tencentcloud_cos_bucket.replica_hk.bucket}"
  }
}

# expect: XB401
resource "tencentcloud_cos_bucket" "shanghai_to_frankfurt" {
  bucket            = "invoices-1250000000"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "to-fra"
    status             = "Enabled"
    destination_bucket = "qcs::cos:eu-frankfurt::invoices-fra-1250000000"
  }
}

# Taiwan is outside mainland China
# expect: XB401
resource "tencentcloud_cos_bucket" "shanghai_to_taipei" {
  bucket            = "catalog-1250000000"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "to-tpe"
    status             = "Enabled"
    destination_bucket = "qcs::cos:ap-taipei::catalog-tpe-1250000000"
  }
}

# expect: none
resource "tencentcloud_cos_bucket" "shanghai_to_beijing" {
  bucket            = "media-1250000000"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "to-bj"
    status             = "Enabled"
    destination_bucket = "qcs::cos:ap-beijing::media-bj-1250000000"
  }
}

# Hong Kong to Singapore
# expect: none
resource "tencentcloud_cos_bucket" "hongkong_to_singapore" {
  provider          = tencentcloud.hk
  bucket            = "media-hk-1250000000"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "to-sg"
    status             = "Enabled"
    destination_bucket = "qcs::cos:ap-singapore::media-sg-1250000000"
  }
}

# a bucket without replica_rules is no flow
# expect: none
resource "tencentcloud_cos_bucket" "plain" {
  bucket = "plain-1250000000"
  acl    = "private"
}

# a destination that is not a qcs::cos string
# expect: XB402
resource "tencentcloud_cos_bucket" "malformed_destination" {
  bucket            = "logs-1250000000"
  versioning_enable = true
  replica_role      = "qcs::cam::uin/100000000001:uin/100000000001"
  replica_rules {
    id                 = "odd"
    status             = "Enabled"
    destination_bucket = "logs-copy-1250000000"
  }
}

# --- DTS sync job: src_region / dst_region ---
# expect: XB401
resource "tencentcloud_dts_sync_job" "guangzhou_to_hongkong" {
  pay_mode          = "PostPay"
  src_database_type = "mysql"
  src_region        = "ap-guangzhou"
  dst_database_type = "mysql"
  dst_region        = "ap-hongkong"
  instance_class    = "micro"
}

# expect: none
resource "tencentcloud_dts_sync_job" "guangzhou_to_beijing" {
  pay_mode          = "PostPay"
  src_database_type = "mysql"
  src_region        = "ap-guangzhou"
  dst_database_type = "cynosdbmysql"
  dst_region        = "ap-beijing"
}

# from Frankfurt into Guangzhou: an import
# expect: none
resource "tencentcloud_dts_sync_job" "frankfurt_to_guangzhou" {
  pay_mode          = "PostPay"
  src_database_type = "mysql"
  src_region        = "eu-frankfurt"
  dst_database_type = "mysql"
  dst_region        = "ap-guangzhou"
}

# --- DTS sync config: src_info / dst_info ---
# expect: XB401
resource "tencentcloud_dts_sync_config" "shanghai_to_frankfurt" {
  job_id          = "sync-0001"
  src_access_type = "cdb"
  dst_access_type = "cdb"
  objects {
    mode = "All"
  }
  src_info {
    region      = "ap-shanghai"
    instance_id = "cdb-0001"
  }
  dst_info {
    region      = "eu-frankfurt"
    instance_id = "cdb-0002"
  }
}

# expect: none
resource "tencentcloud_dts_sync_config" "shanghai_to_guangzhou" {
  job_id          = "sync-0002"
  src_access_type = "cdb"
  dst_access_type = "cdb"
  objects {
    mode = "All"
  }
  src_info {
    region      = "ap-shanghai"
    instance_id = "cdb-0003"
  }
  dst_info {
    region      = "ap-guangzhou"
    instance_id = "cdb-0004"
  }
}

# public network (extranet) destination: the database is at dst_info.ip, here an address registered in the US,
# although DTS reaches it from ap-shanghai
# expect: XB401
resource "tencentcloud_dts_sync_config" "shanghai_to_extranet_us" {
  job_id          = "sync-0003"
  src_access_type = "cdb"
  dst_access_type = "extranet"
  objects {
    mode = "All"
  }
  src_info {
    region      = "ap-shanghai"
    instance_id = "cdb-0005"
  }
  dst_info {
    region = "ap-shanghai"
    ip     = "8.8.8.8"
    port   = 3306
  }
}

# --- CDN: origin.origin_list to area ---
# expect: XB401
resource "tencentcloud_cdn_domain" "mainland_origin_overseas" {
  domain       = "static.example.cn"
  service_type = "web"
  area         = "overseas"
  origin {
    origin_type          = "ip"
    origin_list          = ["223.5.5.5"]
    origin_pull_protocol = "follow"
  }
}

# expect: none
resource "tencentcloud_cdn_domain" "mainland_origin_mainland" {
  domain       = "img.example.cn"
  service_type = "web"
  area         = "mainland"
  origin {
    origin_type          = "cos"
    origin_list          = ["img-1250000000.cos.ap-guangzhou.myqcloud.com"]
    origin_pull_protocol = "follow"
  }
}

# a Hong Kong COS origin accelerated globally: the data starts outside mainland China
# expect: none
resource "tencentcloud_cdn_domain" "hongkong_origin_global" {
  domain       = "www.example.hk"
  service_type = "web"
  area         = "global"
  origin {
    origin_type          = "cos"
    origin_list          = ["web-1250000000.cos.ap-hongkong.myqcloud.com"]
    origin_pull_protocol = "follow"
  }
}
