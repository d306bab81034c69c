"""Region tables are keyed by (provider, region); addresses by registry data; names are never resolved."""

from __future__ import annotations

import pytest

from xborder.jurisdiction.addresses import resolve_address
from xborder.jurisdiction.regions import resolve_code
from xborder.model import Fact, Side
from xborder.policy import load_policies


@pytest.mark.parametrize(
    ("table", "region", "side", "place"),
    [
        ("aws", "cn-north-1", Side.MAINLAND, "Beijing"),
        ("aws", "cn-northwest-1", Side.MAINLAND, "Ningxia"),
        ("aws", "ap-east-1", Side.OFFSHORE, "Hong Kong"),
        ("aws", "ap-southeast-1", Side.OFFSHORE, "Singapore"),
        ("huaweicloud", "ap-southeast-1", Side.OFFSHORE, "Hong Kong"),
        ("huaweicloud", "cn-north-4", Side.MAINLAND, "Beijing"),
        ("alicloud", "ap-southeast-1", Side.OFFSHORE, "Singapore"),
        ("alicloud", "cn-hongkong", Side.OFFSHORE, "Hong Kong"),
        ("alicloud", "cn-beijing", Side.MAINLAND, "Beijing"),
        ("volcengine", "cn-hongkong", Side.OFFSHORE, "Hong Kong"),
        ("ksyun", "cn-taipei-1", Side.OFFSHORE, "Taipei"),
        ("ksyun", "cn-hongkong-2", Side.OFFSHORE, "Hong Kong"),
        ("tencentcloud", "ap-hongkong", Side.OFFSHORE, "Hong Kong"),
        ("tencentcloud", "ap-taipei", Side.OFFSHORE, "Taipei"),
        ("tencentcloud", "ap-guangzhou", Side.MAINLAND, "Guangzhou"),
        ("azurerm", "China North 2", Side.MAINLAND, "Beijing"),
        ("azurerm", "chinaeast2", Side.MAINLAND, "Shanghai"),
        ("azurerm", "East Asia", Side.OFFSHORE, "Hong Kong"),
        ("google", "asia-east1", Side.OFFSHORE, "Taiwan"),
        ("google", "asia-east2", Side.OFFSHORE, "Hong Kong"),
        ("baiducloud", "hkg", Side.OFFSHORE, "Hong Kong"),
        ("ucloud", "tw-tp", Side.OFFSHORE, "Taipei"),
        ("jdcloud", "cn-north-1", Side.MAINLAND, "Beijing"),
        ("ctyun", "200000002533", Side.OFFSHORE, "Macau"),
    ],
)
def test_region_tables(table: str, region: str, side: Side, place: str) -> None:
    j = resolve_code(Fact("region", region, table), load_policies())
    assert j.side is side
    assert place in j.evidence
    assert region in j.evidence


def test_unlisted_region_of_a_chinese_cloud_is_unknown_not_offshore() -> None:
    j = resolve_code(Fact("region", "cn-nowhere-9", "alicloud"), load_policies())
    assert j.side is Side.UNKNOWN
    assert "policies/regions/alicloud.yaml" in j.evidence


def test_unlisted_aws_region_is_unknown_and_says_new_regions_are_most_likely_offshore() -> None:
    """A region newer than the table is not guessed: unknown, with why it is most likely offshore and what to do."""
    j = resolve_code(Fact("region", "ap-southeast-9", "aws"), load_policies())
    assert j.side is Side.UNKNOWN
    assert "unlisted region ap-southeast-9 for provider aws" in j.evidence
    assert "aws-cn" in j.evidence and "add it to policies/regions/aws.yaml" in j.evidence


def test_secondary_sources_are_flagged_in_evidence() -> None:
    j = resolve_code(Fact("region", "cn-hongkong-2", "ksyun"), load_policies())
    assert "[secondary source]" in j.evidence


@pytest.mark.parametrize(
    ("ip", "side", "country"),
    [
        ("114.114.114.114", Side.MAINLAND, "CN"),
        ("2400:da00::6666", Side.MAINLAND, "CN"),
        ("202.45.84.58", Side.OFFSHORE, "HK"),
        ("202.175.3.3", Side.OFFSHORE, "MO"),
        ("168.95.1.1", Side.OFFSHORE, "TW"),
        ("8.8.8.8", Side.OFFSHORE, "US"),
        ("::ffff:223.5.5.5", Side.MAINLAND, "CN"),
    ],
)
def test_addresses_use_registry_data(ip: str, side: Side, country: str) -> None:
    j = resolve_address(Fact("address", ip))
    assert j.side is side
    assert f"registered in {country}" in j.evidence
    assert j.source == "ip-registry"


@pytest.mark.parametrize("ip", ["10.0.0.1", "192.168.1.1", "100.64.0.1", "203.0.113.5", "fe80::1"])
def test_non_public_addresses_have_no_location(ip: str) -> None:
    j = resolve_address(Fact("address", ip))
    assert j.side is Side.UNKNOWN
    assert "non-public" in j.evidence


def test_host_names_are_not_resolved() -> None:
    j = resolve_address(Fact("address", "vpn.example.com"))
    assert j.side is Side.UNKNOWN
    assert "host names are not resolved" in j.evidence
    assert "hosts" in j.evidence


def test_garbage_is_not_mistaken_for_an_address() -> None:
    j = resolve_address(Fact("address", "${var.x}"))
    assert j.side is Side.UNKNOWN
    assert "not an IP address" in j.evidence
