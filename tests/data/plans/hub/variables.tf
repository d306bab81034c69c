variable "region" {
  type    = string
  default = "eu-central-1"
}

variable "hq_ip" {
  type = string
}

variable "branch_ip" {
  type = string
}
