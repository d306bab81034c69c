# Alibaba Cloud data-flow cases. Each resource is preceded by `# expect:` and the rules it must raise
# (`none`: no data-flow finding). Attribute names follow aliyun/terraform-provider-alicloud website/docs/r/.

provider "alicloud" {
  region = "cn-shanghai"
}

provider "alicloud" {
  alias  = "hk"
  region = "cn-hongkong"
}

provider "alicloud" {
  alias  = "frankfurt"
  region = "eu-central-1"
}

provider "alicloud" {
  alias  = "beijing"
  region = "cn-beijing"
}

variable "dr_region" {
  type = string
}

# --- OSS cross-region replication: destination.location is an OSS location (oss-<region>) ---
# expect: XB401
resource "alicloud_oss_bucket_replication" "shanghai_to_hongkong" {
  bucket = "orders-sh"
  action = "ALL"
  destination {
    bucket        = "orders-hk"
    location      = "oss-cn-hongkong"
    transfer_type = "oss_acc"
  }
  sync_role = "oss-replication"
}

# expect: XB401
resource "alicloud_oss_bucket_replication" "shanghai_to_frankfurt" {
  bucket = "orders-sh"
  destination {
    bucket   = "orders-fra"
    location = "oss-eu-central-1"
  }
}

# transfer_type only chooses the transfer link; a domestic destination stays domestic
# expect: none
resource "alicloud_oss_bucket_replication" "shanghai_to_beijing_acc" {
  bucket = "orders-sh"
  destination {
    bucket        = "orders-bj"
    location      = "oss-cn-beijing"
    transfer_type = "oss_acc"
  }
}

# Hong Kong to Singapore: both outside mainland China
# expect: none
resource "alicloud_oss_bucket_replication" "hongkong_to_singapore" {
  provider = alicloud.hk
  bucket   = "media-hk"
  destination {
    bucket   = "media-sg"
    location = "oss-ap-southeast-1"
  }
}

# Frankfurt to Shanghai brings data in: not an outbound transfer
# expect: none
resource "alicloud_oss_bucket_replication" "frankfurt_to_shanghai" {
  provider = alicloud.frankfurt
  bucket   = "eu-orders"
  destination {
    bucket   = "orders-sh-copy"
    location = "oss-cn-shanghai"
  }
}

# the destination is a variable without a value
# expect: XB402
resource "alicloud_oss_bucket_replication" "shanghai_to_unknown" {
  bucket = "orders-sh"
  destination {
    bucket   = "orders-dr"
    location = var.dr_region
  }
}

# --- DTS: source_endpoint_region / destination_endpoint_region ---
# expect: XB401
resource "alicloud_dts_synchronization_instance" "shanghai_to_hongkong" {
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_endpoint_region           = "cn-shanghai"
  destination_endpoint_engine_name = "MySQL"
  destination_endpoint_region      = "cn-hongkong"
  instance_class                   = "small"
  sync_architecture                = "oneway"
}

# one-way from Singapore into Beijing: an import
# expect: none
resource "alicloud_dts_synchronization_instance" "singapore_to_beijing_oneway" {
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_endpoint_region           = "ap-southeast-1"
  destination_endpoint_engine_name = "MySQL"
  destination_endpoint_region      = "cn-beijing"
  sync_architecture                = "oneway"
}

# the same pair two-way: data also flows from Beijing to Singapore
# expect: XB401
resource "alicloud_dts_synchronization_instance" "singapore_beijing_bidirectional" {
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_endpoint_region           = "ap-southeast-1"
  destination_endpoint_engine_name = "MySQL"
  destination_endpoint_region      = "cn-beijing"
  sync_architecture                = "bidirectional"
}

# expect: XB401
resource "alicloud_dts_migration_instance" "hangzhou_to_frankfurt" {
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_endpoint_region           = "cn-hangzhou"
  destination_endpoint_engine_name = "MySQL"
  destination_endpoint_region      = "eu-central-1"
  instance_class                   = "small"
}

# expect: none
resource "alicloud_dts_migration_instance" "hangzhou_to_shenzhen" {
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_endpoint_region           = "cn-hangzhou"
  destination_endpoint_engine_name = "MySQL"
  destination_endpoint_region      = "cn-shenzhen"
}

# expect: XB401
resource "alicloud_dts_instance" "sync_beijing_to_hongkong" {
  type                             = "sync"
  payment_type                     = "Subscription"
  instance_class                   = "large"
  source_endpoint_engine_name      = "MySQL"
  source_region                    = "cn-beijing"
  destination_endpoint_engine_name = "MySQL"
  destination_region               = "cn-hongkong"
}

# a subscription instance has no destination region: not a flow between regions
# expect: none
resource "alicloud_dts_instance" "subscribe_beijing" {
  type                        = "subscribe"
  payment_type                = "PayAsYouGo"
  source_endpoint_engine_name = "MySQL"
  source_region               = "cn-beijing"
}

# expect: XB402
resource "alicloud_dts_instance" "sync_beijing_to_unknown" {
  type                             = "sync"
  payment_type                     = "PayAsYouGo"
  source_endpoint_engine_name      = "MySQL"
  source_region                    = "cn-beijing"
  destination_endpoint_engine_name = "MySQL"
  destination_region               = var.dr_region
}

# --- RDS cross-region backup ---
# expect: XB401
resource "alicloud_rds_instance_cross_backup_policy" "to_singapore" {
  instance_id         = "rm-uf6wjk5xxxxxxx"
  cross_backup_region = "ap-southeast-1"
}

# expect: none
resource "alicloud_rds_instance_cross_backup_policy" "to_beijing" {
  instance_id         = "rm-uf6wjk5xxxxxxx"
  cross_backup_region = "cn-beijing"
}

# --- HBR replication vault: created in the provider region, copies from replication_source_region_id ---
# expect: XB401
resource "alicloud_hbr_replication_vault" "hangzhou_copied_to_hongkong" {
  provider                     = alicloud.hk
  replication_source_region_id = "cn-hangzhou"
  replication_source_vault_id  = "v-0001"
  vault_name                   = "dr-hk"
}

# Hong Kong vault copied into Beijing: an import
# expect: none
resource "alicloud_hbr_replication_vault" "hongkong_copied_to_beijing" {
  provider                     = alicloud.beijing
  replication_source_region_id = "cn-hongkong"
  replication_source_vault_id  = "v-0002"
  vault_name                   = "dr-bj"
}

# --- Container Registry EE sync ---
# expect: XB401
resource "alicloud_cr_ee_sync_rule" "images_to_frankfurt" {
  instance_id           = "cri-source"
  namespace_name        = "apps"
  name                  = "to-fra"
  target_region_id      = "eu-central-1"
  target_instance_id    = "cri-target"
  target_namespace_name = "apps"
  tag_filter            = ".*"
}

# expect: none
resource "alicloud_cr_ee_sync_rule" "images_to_hangzhou" {
  instance_id           = "cri-source"
  namespace_name        = "apps"
  name                  = "to-hz"
  target_region_id      = "cn-hangzhou"
  target_instance_id    = "cri-target2"
  target_namespace_name = "apps"
  tag_filter            = ".*"
}

# --- SLS data transformation: the sink is a log endpoint host ---
# expect: XB401
resource "alicloud_log_etl" "ship_to_frankfurt" {
  etl_name     = "to-fra"
  project      = "app-logs"
  display_name = "to-fra"
  script       = "e_set('copied','yes')"
  logstore     = "access"
  etl_sinks {
    name     = "fra"
    endpoint = "eu-central-1.log.aliyuncs.com"
    project  = "eu-logs"
    logstore = "access"
  }
}

# expect: none
resource "alicloud_log_etl" "ship_to_hangzhou" {
  etl_name     = "to-hz"
  project      = "app-logs"
  display_name = "to-hz"
  script       = "e_set('copied','yes')"
  logstore     = "access"
  etl_sinks {
    name     = "hz"
    endpoint = "cn-hangzhou.log.aliyuncs.com"
    project  = "central-logs"
    logstore = "access"
  }
}

# a custom endpoint name is not a known log host
# expect: XB402
resource "alicloud_log_etl" "ship_to_custom_host" {
  etl_name     = "to-custom"
  project      = "app-logs"
  display_name = "to-custom"
  script       = "e_set('copied','yes')"
  logstore     = "access"
  etl_sinks {
    name     = "custom"
    endpoint = "logs.partner.example"
    project  = "p"
    logstore = "access"
  }
}

# --- CDN: origin (sources.content) to acceleration scope ---
# expect: XB401
resource "alicloud_cdn_domain_new" "mainland_origin_global" {
  domain_name = "static.example.cn"
  cdn_type    = "web"
  scope       = "global"
  sources {
    type     = "ipaddr"
    content  = "114.114.114.114"
    priority = 20
    port     = 80
    weight   = 10
  }
}

# scope defaults to domestic (Mainland China only)
# expect: none
resource "alicloud_cdn_domain_new" "mainland_origin_default_scope" {
  domain_name = "img.example.cn"
  cdn_type    = "web"
  sources {
    type    = "oss"
    content = "img-bucket.oss-cn-hangzhou.aliyuncs.com"
    port    = 80
  }
}

# an origin in Hong Kong served overseas: no data leaves mainland China
# expect: none
resource "alicloud_cdn_domain_new" "hongkong_origin_overseas" {
  domain_name = "www.example.hk"
  cdn_type    = "web"
  scope       = "overseas"
  sources {
    type    = "ipaddr"
    content = "203.186.1.1"
    port    = 443
  }
}

# a domain origin is never resolved
# expect: XB402
resource "alicloud_cdn_domain_new" "domain_origin_overseas" {
  domain_name = "cdn.example.com"
  cdn_type    = "web"
  scope       = "overseas"
  sources {
    type    = "domain"
    content = "origin.example.com"
    port    = 443
  }
}
