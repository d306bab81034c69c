"""XB002: a module that is not on disk is a visible result in every format, fails the gate, and can be accepted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sarif_support import assert_valid_sarif  # noqa: E402
from tree_support import write_tree  # noqa: E402

# shapes of a root module calling the public VPN gateway module, as its README shows them
REGISTRY_ROOT = """\
provider "aws" {
  region = "cn-north-1"
}

module "vpn_gateway" {
  source  = "terraform-aws-modules/vpn-gateway/aws"
  version = "~> 3.0"

  vpn_gateway_id      = "vgw-0123456789abcdef0"
  customer_gateway_id = "cgw-0123456789abcdef0"
  vpc_id              = "vpc-0123456789abcdef0"
}
"""

LOCAL_VPN = """\
variable "office_ip" {
  type = string
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = var.office_ip
  type       = "ipsec.1"
}

resource "aws_vpn_gateway" "this" {}

resource "aws_vpn_connection" "this" {
  customer_gateway_id = aws_customer_gateway.office.id
  vpn_gateway_id      = aws_vpn_gateway.this.id
  type                = "ipsec.1"
}
"""


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    ("files", "address", "reason", "remedy"),
    [
        ({"main.tf": REGISTRY_ROOT}, "module.vpn_gateway", "not downloaded", "terraform init -backend=false"),
        ({"main.tf": 'module "office" {\n  source    = "./modules/office-vpn"\n  office_ip = "203.0.113.7"\n}\n'},
         "module.office", 'source directory "./modules/office-vpn" does not exist', "correct `source`"),
        ({"main.tf": 'module "office" {\n  source = "./modules/office-vpn"\n}\n', "modules/office-vpn/README.md": "# VPN\n"},
         "module.office", "holds no .tf or .tf.json file", "add the module's files"),
    ],
    ids=["registry-before-init", "missing-local-dir", "dir-without-tf"],
)
def test_unread_module_is_visible_everywhere(tmp_path: Path, files: dict[str, str], address: str, reason: str, remedy: str) -> None:
    write_tree(tmp_path, files)

    text = xborder(tmp_path, "scan", ".")
    assert text.returncode == 1, text.stdout + text.stderr  # fails the gate by default (--fail-on low)
    assert "main.tf:1:1: XB002 [medium]" in text.stdout or "main.tf:5:1: XB002 [medium]" in text.stdout
    assert reason in text.stdout and remedy in text.stdout and "xborder:ignore XB002" in text.stdout

    doc = json.loads(xborder(tmp_path, "scan", ".", "-f", "json").stdout)
    (f,) = doc["findings"]
    assert (f["rule_id"], f["resource"], f["path"], f["suppressed"]) == ("XB002", address, "main.tf", False)
    assert any(reason in e for e in f["evidence"])

    sarif = json.loads(xborder(tmp_path, "scan", ".", "-f", "sarif").stdout)
    assert_valid_sarif(sarif)
    run = sarif["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "XB002" and reason in result["message"]["text"]
    assert "XB002" in {r["id"] for r in run["tool"]["driver"]["rules"]}

    gh = xborder(tmp_path, "scan", ".", "-f", "github")
    assert gh.returncode == 1 and gh.stdout.startswith("::warning file=main.tf,") and "title=XB002 " in gh.stdout


def test_fail_on_high_lets_it_pass_but_still_shows_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": REGISTRY_ROOT})
    proc = xborder(tmp_path, "scan", ".", "--fail-on", "high")
    assert proc.returncode == 0 and "XB002" in proc.stdout


def test_after_terraform_init_the_module_is_judged(tmp_path: Path) -> None:
    """With the module downloaded (modules.json as terraform init writes it), the VPN inside is judged, no XB002."""
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "office", "Source": "registry.terraform.io/example/office-vpn/aws",
                             "Dir": ".terraform/modules/office"}]}
    write_tree(tmp_path, {
        "main.tf": 'provider "aws" {\n  region = "cn-north-1"\n}\n\nmodule "office" {\n'
                   '  source    = "example/office-vpn/aws"\n  office_ip = "203.186.1.1"\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
        ".terraform/modules/office/main.tf": LOCAL_VPN,
    })
    doc = json.loads(xborder(tmp_path, "scan", ".", "-f", "json").stdout)
    assert {(f["rule_id"], f["resource"]) for f in doc["findings"]} == {("XB101", "module.office.aws_vpn_connection.this")}


def test_downloaded_dir_gone_and_nested_module_address(tmp_path: Path) -> None:
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "net.vpn", "Source": "git::https://example.com/vpn.git", "Dir": ".terraform/modules/net.vpn"}]}
    write_tree(tmp_path, {
        "main.tf": 'module "net" {\n  source = "./net"\n}\n',
        "net/main.tf": 'module "vpn" {\n  source = "git::https://example.com/vpn.git?ref=v1.2.0"\n}\n',
        ".terraform/modules/modules.json": json.dumps(manifest),
    })
    doc = json.loads(xborder(tmp_path, "scan", ".", "-f", "json").stdout)
    (f,) = doc["findings"]
    assert (f["rule_id"], f["resource"], f["path"]) == ("XB002", "module.net.module.vpn", "net/main.tf")
    assert any("downloaded directory .terraform/modules/net.vpn is missing" in e for e in f["evidence"])
    assert [r["label"] for r in f["related"]] == ["module call module.net"]


def test_accepted_deliberately_by_approval_or_comment(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "main.tf": REGISTRY_ROOT,
        "branch/main.tf": '# xborder:ignore XB002 reason="module reviewed upstream, ticket NET-12"\n' + REGISTRY_ROOT.split("\n\n", 1)[1],
        ".xborder.yaml": """\
            approvals:
              - rule: XB002
                resource: module.vpn_gateway
                path: main.tf
                reason: registry module pinned and reviewed
                reference: NET-11
            """,
    })
    proc = xborder(tmp_path, "scan", ".", "-f", "json")
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout
    assert sorted((f["path"], f["suppressed"]) for f in doc["findings"]) == [("branch/main.tf", True), ("main.tf", True)]
    assert not [f for f in doc["findings"] if f["rule_id"] == "XB001"]


def test_explain_describes_not_read() -> None:
    proc = xborder(Path.cwd(), "explain", "XB002")
    assert proc.returncode == 0
    assert "terraform init -backend=false" in proc.stdout and "unknown" in proc.stdout
