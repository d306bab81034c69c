"""Terraform plans exported with `terraform show -json`: plugin (finding plans), loader (reading them into Resources)."""
