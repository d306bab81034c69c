"""Provider blocks in override files follow Terraform: matched by alias, and a default one may stand alone.

Terraform accepts `provider "x" { ... }` in a `*_override.tf` when no base `provider "x"` block exists (an absent
default configuration is an empty one), and merges an aliased override only into the block with that alias.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from xborder import cli

VPN = """\
resource "alicloud_vpn_gateway" "gw" {
  name = "gw"
}

resource "alicloud_vpn_customer_gateway" "cgw" {
  ip_address = "8.8.8.8"
}

resource "alicloud_vpn_connection" "conn" {
  vpn_gateway_id      = alicloud_vpn_gateway.gw.id
  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id
}
"""


def _scan(root: Path, files: dict[str, str], capsys) -> tuple[int, dict]:
    for rel, text in files.items():
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")
    code = cli.main(["scan", str(root), "--root", str(root), "--no-config", "--no-cache", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_default_provider_only_in_override_file_is_its_configuration(tmp_path: Path, capsys) -> None:
    code, report = _scan(tmp_path, {"main.tf": VPN,
                                    "providers_override.tf": 'provider "alicloud" {\n  region = "cn-hongkong"\n}\n'},
                         capsys)
    assert report["errors"] == []
    # Hong Kong gateway to a US address: offshore on both sides, no finding, and no assumed Beijing default.
    assert report["findings"] == [] and code == 0


def test_default_provider_without_override_is_assumed_beijing(tmp_path: Path, capsys) -> None:
    """The negative case: without the override file the default region is assumed, and the link crosses."""
    code, report = _scan(tmp_path, {"main.tf": VPN}, capsys)
    assert [f["rule_id"] for f in report["findings"]] == ["XB101"]
    assert any("cn-beijing assumed" in e for e in report["findings"][0]["evidence"])
    assert code == 1


def test_aliased_override_changes_only_the_block_with_that_alias(tmp_path: Path, capsys) -> None:
    aliased = VPN.replace('name = "gw"', 'name = "gw"\n  provider = alicloud.hk').replace(
        'ip_address = "8.8.8.8"', 'ip_address = "8.8.8.8"\n  provider = alicloud.hk').replace(
        'customer_gateway_id', 'provider = alicloud.hk\n  customer_gateway_id')
    files = {
        "main.tf": aliased,
        "providers.tf": """\
            provider "alicloud" {
              region = "cn-shanghai"
            }
            provider "alicloud" {
              alias  = "hk"
              region = "cn-hongkong"
            }
            resource "alicloud_vpn_gateway" "sh" {
              name = "sh"
            }
            resource "alicloud_vpn_connection" "sh" {
              vpn_gateway_id      = alicloud_vpn_gateway.sh.id
              customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id
            }
            """,
        "providers_override.tf": 'provider "alicloud" {\n  alias  = "hk"\n  region = "cn-shenzhen"\n}\n',
    }
    code, report = _scan(tmp_path, files, capsys)
    assert report["errors"] == []
    by_resource = {f["resource"]: f for f in report["findings"]}
    # The hk alias now points at Shenzhen (mainland): its VPN to a US address crosses the border.
    assert "region cn-shenzhen" in by_resource["alicloud_vpn_connection.conn"]["evidence"][0]
    # The default provider stays in Shanghai; before the fix the override leaked into it.
    assert "region cn-shanghai" in by_resource["alicloud_vpn_connection.sh"]["evidence"][0]
    assert code == 1


def test_aliased_override_without_base_block_is_an_error_with_line(tmp_path: Path, capsys) -> None:
    code, report = _scan(tmp_path, {"main.tf": VPN,
                                    "override.tf": '\nprovider "alicloud" {\n  alias  = "hkk"\n  region = "cn-hongkong"\n}\n'},
                         capsys)
    assert [(e["path"], e["line"]) for e in report["errors"]] == [("override.tf", 2)]
    assert 'alicloud (alias "hkk")' in report["errors"][0]["message"]
    assert code == 2


HUAWEI_VIA_LOCAL_NAME = """\
provider "hw" {
  region = "%s"
}

resource "huaweicloud_vpn_gateway" "gw" {
  provider = hw
  name     = "gw"
}

resource "huaweicloud_vpn_customer_gateway" "cgw" {
  provider = hw
  ip       = "8.8.8.8"
}

resource "huaweicloud_vpn_connection" "conn" {
  provider            = hw
  gateway_id          = huaweicloud_vpn_gateway.gw.id
  customer_gateway_id = huaweicloud_vpn_customer_gateway.cgw.id
}
"""

REQUIRED_HW = """\
terraform {
  required_providers {
    hw = {
      source = "huaweicloud/huaweicloud"
    }
  }
}
"""


def test_required_providers_in_an_override_file_names_the_provider(tmp_path: Path, capsys) -> None:
    """The local name "hw" means Huawei Cloud only through the override file's required_providers."""
    code, report = _scan(tmp_path, {"main.tf": HUAWEI_VIA_LOCAL_NAME % "cn-north-4",
                                    "versions_override.tf": REQUIRED_HW}, capsys)
    assert report["errors"] == []
    assert [f["rule_id"] for f in report["findings"]] == ["XB101"] and code == 1


def test_required_providers_override_trap_ap_southeast_1_is_hong_kong_on_huawei(tmp_path: Path, capsys) -> None:
    code, report = _scan(tmp_path, {"main.tf": HUAWEI_VIA_LOCAL_NAME % "ap-southeast-1",
                                    "versions_override.tf": REQUIRED_HW}, capsys)
    assert report["errors"] == [] and report["findings"] == [] and code == 0


def test_override_local_without_base_is_an_error_and_the_base_value_stays(tmp_path: Path, capsys) -> None:
    main = VPN.replace('ip_address = "8.8.8.8"', "ip_address = local.peer") + (
        'provider "alicloud" {\n  region = "cn-shanghai"\n}\n\nlocals {\n  peer = "203.186.1.1"\n}\n'
    )
    override = 'locals {\n  peer  = "180.76.76.76"\n  peeer = "8.8.8.8"\n}\n'
    code, report = _scan(tmp_path, {"main.tf": main, "locals_override.tf": override}, capsys)
    (error,) = report["errors"]
    assert error["path"].endswith("locals_override.tf") and error["line"] == 3
    assert "peeer" in error["message"] and "no base definition" in error["message"]
    # The override of the existing local applies: Beijing address, Shanghai gateway, domestic, no finding.
    assert report["findings"] == [] and code == 2
