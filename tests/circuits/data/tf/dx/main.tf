provider "aws" {
  alias  = "cn"
  region = "cn-north-1"
}

provider "aws" {
  alias  = "global"
  region = "ap-east-1"
}

resource "aws_dx_connection" "beijing" {
  provider  = aws.cn
  name      = "bj"
  bandwidth = "1Gbps"
  location  = "SINNET"
}

resource "aws_dx_connection" "hongkong" {
  provider  = aws.global
  name      = "hk"
  bandwidth = "1Gbps"
  location  = "iAdvantage"
}
