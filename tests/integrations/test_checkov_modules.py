"""XB002 (module not read) and XB004 (connectivity not covered) inside a real Checkov ($XBORDER_CHECKOV).

XB002 sits on `module` blocks, so it is a Checkov module check (CKV_XB_002): FAILED for a module whose source
is not on disk, PASSED for a module xborder read, SKIPPED for one accepted with `# xborder:ignore XB002`.
The verdicts agree with `xborder scan` on the same tree.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from .test_checkov import checkov_verdicts, run_checkov, standalone

pytestmark = pytest.mark.usefixtures("terraform_input")

MAIN = textwrap.dedent(
    """\
    provider "aws" {
      region = "cn-north-1"
    }

    module "vpn" {
      source  = "terraform-aws-modules/vpn-gateway/aws"
      version = "~> 3.0"
    }

    module "ok" {
      source = "./modules/ok"
    }

    # xborder:ignore XB002 reason="vendored by the deploy job; reviewed in NET-77"
    module "accepted" {
      source = "git::https://example.com/net/vpn.git?ref=v1.2.0"
    }

    module "gone" {
      source = "./modules/gone"
    }

    provider "alicloud" {
      region = "cn-shanghai"
    }

    resource "alicloud_cloud_connect_network_attachment" "branch" {
      ccn_id = "ccn-7uyf8wtw4a5e0ct2ff"
      sag_id = "sag-3rje1ecf25bk5ab6qj"
    }
    """
)


def test_unread_modules_and_uncovered_connectivity_in_checkov(checkov_exe: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN)
    (tmp_path / "modules" / "ok").mkdir(parents=True)
    (tmp_path / "modules" / "ok" / "main.tf").write_text('resource "aws_vpn_gateway" "gw" {}\n')
    got = checkov_verdicts(run_checkov(checkov_exe, tmp_path, cwd=tmp_path))
    xb002 = {k[1]: v for k, v in got.items() if k[2] == "XB002"}
    assert {name: v["verdict"] for name, v in xb002.items()} == {
        "vpn": "FAILED", "gone": "FAILED", "ok": "PASSED", "accepted": "SKIPPED",
    }, xb002
    assert xb002["accepted"]["check_result"]["suppress_comment"] == "vendored by the deploy job; reviewed in NET-77"
    assert xb002["vpn"]["severity"] == "MEDIUM"

    mine = {f["resource"]: f for f in standalone(tmp_path)["findings"] if f["rule_id"] == "XB002"}
    assert sorted(mine) == ["module.accepted", "module.gone", "module.vpn"]
    for name in ("vpn", "gone"):
        f = mine[f"module.{name}"]
        assert xb002[name]["details"] == [f"{f['rule_id']} [{f['severity']}] {f['message']}", *(f"- {e}" for e in f["evidence"])]
        assert xb002[name]["file_line_range"][0] == f["start_line"]
    assert any("terraform init" in line for line in xb002["vpn"]["details"])

    sag = got[("main.tf", "alicloud_cloud_connect_network_attachment.branch", "XB004")]
    assert sag["verdict"] == "FAILED" and sag["severity"] == "LOW"
