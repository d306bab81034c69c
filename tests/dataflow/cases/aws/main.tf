# AWS data-flow cases (`# expect:` as in alicloud/main.tf). Attribute names follow hashicorp/terraform-provider-aws
# website/docs/r/. AWS China (aws-cn: cn-north-1 Beijing, cn-northwest-1 Ningxia) is its own partition: a copy
# between Beijing and Ningxia is domestic; the exits are generic endpoints (XB403).

provider "aws" {
  region = "cn-north-1"
}

provider "aws" {
  alias  = "ningxia"
  region = "cn-northwest-1"
}

provider "aws" {
  alias  = "hk"
  region = "ap-east-1"
}

resource "aws_s3_bucket" "dr_ningxia" {
  provider = aws.ningxia
  bucket   = "orders-dr-zhy"
}

# --- S3 replication: the destination bucket ARN names the partition ---
# same-partition copy Beijing -> Ningxia (by reference)
# expect: none
resource "aws_s3_bucket_replication_configuration" "beijing_to_ningxia" {
  role   = "arn:aws-cn:iam::123456789012:role/replication"
  bucket = "orders-bjs"
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket        = aws_s3_bucket.dr_ningxia.arn
      storage_class = "STANDARD"
    }
  }
}

# a destination in the global partition (which has no mainland region)
# expect: XB401
resource "aws_s3_bucket_replication_configuration" "beijing_to_global" {
  role   = "arn:aws-cn:iam::123456789012:role/replication"
  bucket = "orders-bjs"
  rule {
    id     = "to-fra"
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::orders-frankfurt"
    }
  }
}

# expect: none
resource "aws_s3_bucket_replication_configuration" "beijing_to_ningxia_literal" {
  role   = "arn:aws-cn:iam::123456789012:role/replication"
  bucket = "invoices-bjs"
  rule {
    id     = "dr"
    status = "Enabled"
    destination {
      bucket = "arn:aws-cn:s3:::invoices-zhy"
    }
  }
}

# --- RDS read replica: replicate_source_db is an identifier (same region) or an ARN ---
# a Hong Kong replica of a Beijing database
# expect: XB401
resource "aws_db_instance" "replica_hongkong" {
  provider            = aws.hk
  identifier          = "orders-replica-hk"
  instance_class      = "db.t3.medium"
  replicate_source_db = "arn:aws-cn:rds:cn-north-1:123456789012:db:orders"
}

# Ningxia replica of a Beijing database
# expect: none
resource "aws_db_instance" "replica_ningxia" {
  provider            = aws.ningxia
  identifier          = "orders-replica-zhy"
  instance_class      = "db.t3.medium"
  replicate_source_db = "arn:aws-cn:rds:cn-north-1:123456789012:db:orders"
}

# expect: none
resource "aws_db_instance" "replica_same_region" {
  identifier          = "orders-replica"
  instance_class      = "db.t3.medium"
  replicate_source_db = "orders"
}

# a primary is no flow
# expect: none
resource "aws_db_instance" "primary" {
  identifier        = "orders"
  engine            = "mysql"
  instance_class    = "db.t3.medium"
  allocated_storage = 20
}

# --- RDS automated backups replication: created in the destination region ---
# expect: XB401
resource "aws_db_instance_automated_backups_replication" "to_hongkong" {
  provider               = aws.hk
  source_db_instance_arn = "arn:aws-cn:rds:cn-north-1:123456789012:db:orders"
  retention_period       = 14
}

# expect: none
resource "aws_db_instance_automated_backups_replication" "to_ningxia" {
  provider               = aws.ningxia
  source_db_instance_arn = "arn:aws-cn:rds:cn-north-1:123456789012:db:orders"
}

# --- DynamoDB replicas (global tables replicate both ways) ---
# expect: XB401
resource "aws_dynamodb_table" "sessions_with_hk_replica" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "ap-east-1"
  }
}

# expect: none
resource "aws_dynamodb_table" "sessions_with_ningxia_replica" {
  name         = "sessions-cn"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "cn-northwest-1"
  }
}

# Hong Kong table with a Singapore replica
# expect: none
resource "aws_dynamodb_table" "hongkong_singapore" {
  provider     = aws.hk
  name         = "sessions-apac"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
  replica {
    region_name = "ap-southeast-1"
  }
}

# --- AWS Backup copy actions ---
# expect: none
resource "aws_backup_plan" "copy_to_ningxia" {
  name = "daily"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 12 * * ? *)"
    copy_action {
      destination_vault_arn = "arn:aws-cn:backup:cn-northwest-1:123456789012:backup-vault:dr"
    }
  }
}

# expect: XB401
resource "aws_backup_plan" "copy_to_frankfurt" {
  name = "daily-eu"
  rule {
    rule_name         = "daily"
    target_vault_name = "main"
    schedule          = "cron(0 12 * * ? *)"
    copy_action {
      destination_vault_arn = "arn:aws:backup:eu-central-1:123456789012:backup-vault:fra"
    }
  }
}

# expect: none
resource "aws_backup_plan" "no_copy" {
  name = "local"
  rule {
    rule_name         = "local"
    target_vault_name = "main"
    schedule          = "cron(0 12 * * ? *)"
  }
}

# --- ECR replication ---
# expect: none
resource "aws_ecr_replication_configuration" "to_ningxia" {
  replication_configuration {
    rule {
      destination {
        region      = "cn-northwest-1"
        registry_id = "123456789012"
      }
    }
  }
}

# expect: XB401
resource "aws_ecr_replication_configuration" "to_hongkong" {
  provider = aws.ningxia
  replication_configuration {
    rule {
      destination {
        region      = "ap-east-1"
        registry_id = "210987654321"
      }
    }
  }
}

# --- Generic endpoints (XB403): Firehose, EventBridge API destinations, SNS, DMS ---
# a SIEM host name that nothing places: medium
# expect: XB403
resource "aws_kinesis_firehose_delivery_stream" "audit_to_siem" {
  name        = "audit-to-siem"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://siem.example.eu/ingest"
    name = "siem"
  }
}

# an address registered in the US: high
# expect: XB403
resource "aws_kinesis_firehose_delivery_stream" "metrics_to_us_ip" {
  name        = "metrics"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://8.8.8.8/v1/metrics"
    name = "collector"
  }
}

# expect: XB403
resource "aws_kinesis_firehose_delivery_stream" "logs_to_splunk_cloud" {
  name        = "logs"
  destination = "splunk"
  splunk_configuration {
    hec_endpoint      = "https://http-inputs-acme.splunkcloud.com:443"
    hec_token         = "token"
    hec_endpoint_type = "Raw"
  }
}

# an API Gateway endpoint in Beijing: stays in AWS China
# expect: none
resource "aws_kinesis_firehose_delivery_stream" "to_api_gateway_beijing" {
  name        = "internal"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/ingest"
    name = "internal"
  }
}

# a Hong Kong stream to anywhere: the data is not in mainland China
# expect: none
resource "aws_kinesis_firehose_delivery_stream" "hongkong_to_siem" {
  provider    = aws.hk
  name        = "apac"
  destination = "http_endpoint"
  http_endpoint_configuration {
    url  = "https://siem.example.sg/ingest"
    name = "siem"
  }
}

# an API Gateway endpoint in Frankfurt (global partition): high
# expect: XB403
resource "aws_cloudwatch_event_api_destination" "to_frankfurt_api" {
  name                = "orders-webhook"
  invocation_endpoint = "https://xyz789.execute-api.eu-central-1.amazonaws.com/prod/orders"
  http_method         = "POST"
  connection_arn      = "arn:aws-cn:events:cn-north-1:123456789012:connection/partner/abc"
}

# expect: none
resource "aws_cloudwatch_event_api_destination" "to_mainland_ip" {
  name                = "ops-webhook"
  invocation_endpoint = "https://114.114.114.114/hooks/ops"
  http_method         = "POST"
  connection_arn      = "arn:aws-cn:events:cn-north-1:123456789012:connection/ops/def"
}

# expect: XB403
resource "aws_sns_topic_subscription" "alerts_to_partner" {
  topic_arn = "arn:aws-cn:sns:cn-north-1:123456789012:alerts"
  protocol  = "https"
  endpoint  = "https://alerts.partner.example.com/sns"
}

# an SQS subscription stays inside the partition
# expect: none
resource "aws_sns_topic_subscription" "alerts_to_queue" {
  topic_arn = "arn:aws-cn:sns:cn-north-1:123456789012:alerts"
  protocol  = "sqs"
  endpoint  = "arn:aws-cn:sqs:cn-north-1:123456789012:alerts"
}

# expect: XB403
resource "aws_dms_endpoint" "target_outside" {
  endpoint_id   = "target-eu"
  endpoint_type = "target"
  engine_name   = "postgres"
  server_name   = "db.example.de"
  port          = 5432
  database_name = "orders"
  username      = "dms"
}

# a source endpoint brings data in
# expect: none
resource "aws_dms_endpoint" "source_outside" {
  endpoint_id   = "source-us"
  endpoint_type = "source"
  engine_name   = "mysql"
  server_name   = "8.8.4.4"
  port          = 3306
  username      = "dms"
}
