"""Inventory rows: approvals (active, expiring, expired), traps (ap-southeast-1), unreadable files, large maps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_inventory_formats import REPO, inventory_json, parse_mermaid, xborder

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture()
def approvals(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(DATA / "approvals", target)
    return target


def rows_by_address(inv: dict) -> dict[str, dict]:
    return {row["address"]: row for row in inv["links"]}


def test_approvals_active_expiring_and_expired(approvals: Path) -> None:
    rows = rows_by_address(inventory_json(".", cwd=approvals))  # XBORDER_TODAY=2026-06-01
    hk, au, tw = rows["aws_vpn_connection.hk"], rows["aws_vpn_connection.au"], rows["aws_vpn_connection.tw"]
    assert hk["class"] == "approved crossing" and hk["cover_flag"] == ""
    assert hk["covers"] == [
        {
            "kind": "approval",
            "reason": "IPLC from China Unicom, internal office use",
            "reference": "CU-2025-118",
            "expires": "2027-12-31",
            "where": ".xborder.yaml:2",
            "status": "active",
        }
    ]
    # expired: the finding is back, the row says why
    assert au["class"] == "unapproved crossing" and au["cover_flag"] == "expired"
    assert au["covers"][0]["status"] == "expired" and au["covers"][0]["reference"] == "CT-2024-001"
    assert [f["suppressed"] for f in au["findings"]] == [False]
    # expiring within 30 days (19 days left): still approved, but flagged
    assert tw["class"] == "approved crossing" and tw["cover_flag"] == "expiring"
    # the same approval with a shorter horizon is not flagged
    tw_short = rows_by_address(inventory_json(".", "--expiring-days", "10", cwd=approvals))["aws_vpn_connection.tw"]
    assert tw_short["cover_flag"] == "" and tw_short["covers"][0]["status"] == "active"


def test_ap_southeast_1_is_singapore_on_aws(approvals: Path) -> None:
    row = rows_by_address(inventory_json(".", cwd=approvals))["aws_vpn_connection.singapore_hangzhou"]
    ends = {e["role"]: e for e in row["ends"]}
    assert ends["a"]["place"] == "AWS ap-southeast-1 (Singapore)"
    assert ends["a"]["side"] == "offshore" and ends["a"]["territory"] == ""
    assert ends["b"]["side"] == "mainland" and ends["b"]["decided_by"] == "ip-registry"
    assert row["verdict"] == "XB101" and row["class"] == "unapproved crossing"


def test_markdown_flags_expired_and_expiring_approvals(approvals: Path) -> None:
    md = xborder("inventory", ".", "--format", "markdown", cwd=approvals).stdout
    assert "2 approvals expired or expiring within 30 days (as of 2026-06-01)" in md
    assert "**EXPIRED**" in md and "**EXPIRING**" in md
    table = xborder("inventory", ".", "--color", "never", cwd=approvals).stdout
    assert "EXPIRED: approval CT-2024-001" in table


def test_unreadable_file_is_visible_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.tf").write_text('resource "aws_vpn_connection" "x" {\n  customer_gateway_id = \n', encoding="utf-8")
    shutil.copy(DATA / "approvals" / "infra" / "main.tf", tmp_path / "good.tf")
    proc = xborder("inventory", ".", "--format", "json", "--no-config", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    inv = json.loads(proc.stdout)
    assert any(e["path"] == "bad.tf" and e["line"] >= 1 for e in inv["errors"])
    assert inv["summary"]["errors"] == len(inv["errors"]) >= 1
    good = {"aws_vpn_connection.hk", "aws_vpn_connection.au", "aws_vpn_connection.tw", "aws_vpn_connection.singapore_hangzhou"}
    assert good <= {row["address"] for row in inv["links"]}, "the rest of the scan goes on"
    md = xborder("inventory", ".", "--format", "markdown", "--no-config", cwd=tmp_path)
    assert md.returncode == 2 and "could not be read" in md.stdout and "`bad.tf:" in md.stdout
    assert "Traceback" not in md.stderr


def test_usage_errors() -> None:
    proc = xborder("inventory", "fixtures", "--format", "xml")
    assert proc.returncode == 2 and "unknown --format 'xml'" in proc.stderr
    proc = xborder("inventory", "fixtures", "--expiring-days", "-1")
    assert proc.returncode == 2 and "--expiring-days" in proc.stderr


def test_large_map_groups_places_and_stays_valid(tmp_path: Path) -> None:
    """Hundreds of links to distinct addresses: the map groups ends by city or country and Mermaid still parses it."""
    lines = ['provider "aws" {\n  region = "cn-north-1"\n}\n']
    for i in range(240):
        # addresses in several registries: mainland (CN), Hong Kong and elsewhere
        ip = ("202.96.128.", "203.186.1.", "1.1.1.", "168.95.1.")[i % 4] + str(1 + i // 4)
        lines.append(
            f'resource "aws_customer_gateway" "g{i}" {{\n  bgp_asn = 65000\n  ip_address = "{ip}"\n  type = "ipsec.1"\n}}\n'
            f'resource "aws_vpn_connection" "v{i}" {{\n  customer_gateway_id = aws_customer_gateway.g{i}.id\n  type = "ipsec.1"\n}}\n'
        )
    (tmp_path / "main.tf").write_text("".join(lines), encoding="utf-8")
    inv = inventory_json(".", "--no-config", cwd=tmp_path)
    assert len(inv["links"]) == 240
    places = {e["place_key"] for r in inv["links"] for e in r["ends"]}
    assert len(places) > 200
    text = xborder("inventory", ".", "--no-config", "--format", "mermaid", cwd=tmp_path).stdout
    parsed = parse_mermaid(text)
    names = {v["text"] for v in parsed["vertices"]}
    assert {"Hong Kong", "Taiwan", "mainland China addresses", "addresses registered in AU"} <= names
    assert len(parsed["edges"]) <= 10
    counts = sum(int(e["text"].rsplit("×", 1)[1]) if "×" in e["text"] else 1 for e in parsed["edges"])
    assert counts == 240
    md = xborder("inventory", ".", "--no-config", "--format", "markdown", cwd=tmp_path).stdout
    assert "Ends are grouped by city" in md
    places = xborder("inventory", ".", "--no-config", "--format", "mermaid", "--map-detail", "places", cwd=tmp_path).stdout
    assert len(parse_mermaid(places)["edges"]) == 240, "every address its own node when asked"
    assert REPO.is_dir()


def test_findings_about_no_link_are_listed(tmp_path: Path) -> None:
    """An invalid suppression (XB001) is no link, but the reader still sees it in every format."""
    text = (DATA / "approvals" / "infra" / "main.tf").read_text(encoding="utf-8")
    text = text.replace('resource "aws_vpn_connection" "hk" {', '# xborder:ignore XB101\nresource "aws_vpn_connection" "hk" {')
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    inv = inventory_json(".", "--no-config", cwd=tmp_path)
    [other] = inv["other_findings"]
    assert other["rule_id"] == "XB001" and other["path"] == "main.tf" and other["line"] == 16
    assert inv["summary"]["findings"] == 4, "XB001 is not counted as a link finding"
    md = xborder("inventory", ".", "--no-config", "--format", "markdown", cwd=tmp_path).stdout
    assert "## Findings about no link" in md and "`main.tf:16` XB001" in md
    table = xborder("inventory", ".", "--no-config", cwd=tmp_path).stdout
    assert "finding about no link: main.tf:16: XB001" in table


def test_remote_access_client_pools_when_the_configuration_says() -> None:
    inv = inventory_json("fixtures")
    clients = {r["address"].rsplit(": ", 1)[-1]: r["clients"] for r in inv["remote_access"]}
    assert clients["aws_ec2_client_vpn_endpoint.staff"] == "10.250.0.0/22"  # client_cidr_block
    assert clients["azurerm_virtual_network_gateway.p2s"] == "172.31.0.0/24"  # vpn_client_configuration.address_space
    assert clients["server 10.8.0.0 255.255.255.0"] == "10.8.0.0/24"  # OpenVPN server directive
    md = xborder("inventory", "fixtures", "--format", "markdown").stdout
    assert "| 10.250.0.0/22 | XB103 |" in md


def test_remote_access_pool_from_a_variable_without_value(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "ap-east-1"\n}\nvariable "pool" {}\n'
        'resource "aws_ec2_client_vpn_endpoint" "x" {\n  client_cidr_block = var.pool\n  server_certificate_arn = "arn"\n}\n',
        encoding="utf-8",
    )
    [row] = inventory_json(".", "--no-config", cwd=tmp_path)["remote_access"]
    assert row["side"] == "offshore" and row["place"] == "AWS ap-east-1 (Hong Kong)" and row["verdict"] == "offshore only"
    assert row["clients"].startswith("unknown (") and "pool" in row["clients"]
