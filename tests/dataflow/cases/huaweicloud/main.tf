# Huawei Cloud data-flow cases (`# expect:` as in alicloud/main.tf). Attribute names follow
# huaweicloud/terraform-provider-huaweicloud docs/resources/. Trap: ap-southeast-1 is Hong Kong on Huawei Cloud.

provider "huaweicloud" {
  region = "cn-north-4"
}

provider "huaweicloud" {
  alias  = "hk"
  region = "ap-southeast-1"
}

variable "dr_bucket" {
  type = string
}

resource "huaweicloud_obs_bucket" "dr_hk" {
  provider = huaweicloud.hk
  bucket   = "orders-dr-hk"
}

resource "huaweicloud_obs_bucket" "dr_guangzhou" {
  region = "cn-south-1"
  bucket = "orders-dr-gz"
}

# --- OBS cross-region replication: destination_bucket names a bucket, placed where that bucket is ---
# expect: XB401
resource "huaweicloud_obs_bucket_replication" "beijing_to_hongkong" {
  bucket             = "orders-bj"
  destination_bucket = huaweicloud_obs_bucket.dr_hk.bucket
  agency             = "obs-replication"
}

# expect: none
resource "huaweicloud_obs_bucket_replication" "beijing_to_guangzhou" {
  bucket             = "orders-bj"
  destination_bucket = huaweicloud_obs_bucket.dr_guangzhou.bucket
  agency             = "obs-replication"
}

# a variable without a value
# expect: XB402
resource "huaweicloud_obs_bucket_replication" "beijing_to_unknown" {
  bucket             = "orders-bj"
  destination_bucket = var.dr_bucket
  agency             = "obs-replication"
}

# --- DRS: direction up (into the cloud) / down (out of the cloud) ---
# out of the cloud to a database at an address registered in Hong Kong
# expect: XB401
resource "huaweicloud_drs_job" "down_to_hongkong" {
  name        = "down-hk"
  type        = "sync"
  engine_type = "mysql"
  direction   = "down"
  net_type    = "eip"
  source_db {
    engine_type = "mysql"
    ip          = "192.168.0.10"
    port        = 3306
    user        = "root"
    password    = "x"
    region      = "cn-north-4"
    instance_id = "rds-0001"
    subnet_id   = "subnet-0001"
  }
  destination_db {
    engine_type = "mysql"
    ip          = "203.186.1.1"
    port        = 3306
    user        = "root"
    password    = "x"
  }
}

# into the cloud from an on-premises database registered in the US: an import
# expect: none
resource "huaweicloud_drs_job" "up_from_us" {
  name        = "up-us"
  type        = "migration"
  engine_type = "mysql"
  direction   = "up"
  net_type    = "eip"
  source_db {
    engine_type = "mysql"
    ip          = "8.8.8.8"
    port        = 3306
    user        = "root"
    password    = "x"
  }
  destination_db {
    engine_type = "mysql"
    ip          = "192.168.0.20"
    port        = 3306
    user        = "root"
    password    = "x"
    region      = "cn-north-4"
    instance_id = "rds-0002"
  }
}

# out of the cloud to a private address: cannot be placed
# expect: XB402
resource "huaweicloud_drs_job" "down_to_private" {
  name        = "down-private"
  type        = "sync"
  engine_type = "mysql"
  direction   = "down"
  net_type    = "vpn"
  source_db {
    engine_type = "mysql"
    ip          = "192.168.0.10"
    port        = 3306
    user        = "root"
    password    = "x"
  }
  destination_db {
    engine_type = "mysql"
    ip          = "10.20.0.5"
    port        = 3306
    user        = "root"
    password    = "x"
  }
}

# --- CBR replication policy ---
# expect: XB401
resource "huaweicloud_cbr_policy" "replicate_to_hongkong" {
  name                   = "to-hk"
  type                   = "replication"
  destination_region     = "ap-southeast-1"
  destination_project_id = "0123456789abcdef"
  backup_quantity        = 20
  backup_cycle {
    frequency       = "DAILY"
    interval        = 5
    execution_times = ["21:00"]
  }
}

# expect: none
resource "huaweicloud_cbr_policy" "replicate_to_shanghai" {
  name                   = "to-sh"
  type                   = "replication"
  destination_region     = "cn-east-3"
  destination_project_id = "0123456789abcdef"
  backup_cycle {
    frequency       = "DAILY"
    interval        = 1
    execution_times = ["21:00"]
  }
}

# a backup policy copies nothing to another region
# expect: none
resource "huaweicloud_cbr_policy" "local_backup" {
  name        = "daily"
  type        = "backup"
  time_period = 20
  backup_cycle {
    frequency       = "WEEKLY"
    days            = "MO,TH"
    execution_times = ["06:00"]
  }
}

# --- RDS cross-region backup ---
# expect: XB401
resource "huaweicloud_rds_cross_region_backup_strategy" "to_singapore" {
  instance_id            = "rds-0001"
  backup_type            = "all"
  keep_days              = 5
  destination_region     = "ap-southeast-3"
  destination_project_id = "0123456789abcdef"
}

# Hong Kong to Singapore
# expect: none
resource "huaweicloud_rds_cross_region_backup_strategy" "hongkong_to_singapore" {
  provider               = huaweicloud.hk
  instance_id            = "rds-0003"
  backup_type            = "all"
  keep_days              = 5
  destination_region     = "ap-southeast-3"
  destination_project_id = "0123456789abcdef"
}

# --- CDN: sources.origin to service_area ---
# expect: XB401
resource "huaweicloud_cdn_domain" "obs_origin_outside" {
  name         = "static.example.cn"
  type         = "web"
  service_area = "outside_mainland_china"
  sources {
    origin      = "static-bj.obs.cn-north-4.myhuaweicloud.com"
    origin_type = "obs_bucket"
    active      = 1
  }
}

# expect: none
resource "huaweicloud_cdn_domain" "obs_origin_mainland" {
  name         = "img.example.cn"
  type         = "web"
  service_area = "mainland_china"
  sources {
    origin      = "img-bj.obs.cn-north-4.myhuaweicloud.com"
    origin_type = "obs_bucket"
    active      = 1
  }
}
