"""The endpoint specs data flows added (arn, url, pattern, match, @json, direction) and their resolution."""

from __future__ import annotations

import pytest

from xborder.jurisdiction.endpoints import resolve_arn, resolve_host
from xborder.links.declarations import DeclarationError, parse_declarations
from xborder.links.engine import url_fact
from xborder.links.paths import get_path
from xborder.model import Fact, Side, Unknown
from xborder.policy import load_policies


@pytest.mark.parametrize(
    ("arn", "side", "text"),
    [
        ("arn:aws-cn:s3:::bucket-zhy", Side.MAINLAND, "partition aws-cn"),
        ("arn:aws-cn:backup:cn-northwest-1:123456789012:backup-vault:dr", Side.MAINLAND, "region cn-northwest-1 (Ningxia)"),
        ("arn:aws:backup:ap-east-1:123456789012:backup-vault:hk", Side.OFFSHORE, "region ap-east-1 (Hong Kong)"),
        ("arn:aws:s3:::eu-bucket", Side.OFFSHORE, "global partition"),
        ("arn:aws-us-gov:s3:::gov", Side.OFFSHORE, "GovCloud"),
        ("arn:aws-cn:rds:eu-central-1:1:db:x", Side.UNKNOWN, "is not in partition aws-cn"),
        ("arn:aws-xx:s3:::x", Side.UNKNOWN, "partition aws-xx is not known"),
        ("bucket-name", Side.UNKNOWN, "is not an ARN"),
    ],
)
def test_arn_partition_and_region(arn: str, side: Side, text: str) -> None:
    answer = resolve_arn(Fact("arn", arn), load_policies())
    assert answer.side is side and text in answer.evidence


@pytest.mark.parametrize(
    ("host", "side", "text"),
    [
        ("cn-hangzhou.log.aliyuncs.com", Side.MAINLAND, "Hangzhou"),
        ("proj.cn-hongkong-intranet.log.aliyuncs.com", Side.OFFSHORE, "Hong Kong"),
        ("img-1250000000.cos.ap-hongkong.myqcloud.com", Side.OFFSHORE, "Hong Kong"),
        ("bucket.obs.ap-southeast-1.myhuaweicloud.com", Side.OFFSHORE, "Hong Kong"),  # Huawei ap-southeast-1
        ("abc.execute-api.ap-southeast-1.amazonaws.com", Side.OFFSHORE, "Singapore"),  # AWS ap-southeast-1
        ("abc.execute-api.cn-northwest-1.amazonaws.com.cn", Side.MAINLAND, "Ningxia"),
        ("sts.amazonaws.com.cn", Side.MAINLAND, "AWS China"),
        ("myaccount.blob.core.chinacloudapi.cn", Side.MAINLAND, "Azure China"),
        ("oss-cn-nowhere-9.aliyuncs.com", Side.UNKNOWN, "not in the alicloud table"),
    ],
)
def test_endpoint_hosts(host: str, side: Side, text: str) -> None:
    answer = resolve_host(Fact("address", host), load_policies())
    assert answer is not None and answer.side is side and text in answer.evidence


def test_unknown_host_is_left_to_other_sources() -> None:
    assert resolve_host(Fact("address", "siem.example.eu"), load_policies()) is None
    assert resolve_host(Fact("address", "amazonaws.com.cn.evil.example"), load_policies()) is None


@pytest.mark.parametrize(
    ("value", "kind", "fact_value"),
    [
        ("https://siem.example.eu:8443/ingest?x=1", "address", "siem.example.eu"),
        ("cn-hangzhou.log.aliyuncs.com", "address", "cn-hangzhou.log.aliyuncs.com"),
        ("https://[2001:db8::1]/x", "address", "2001:db8::1"),
        ("https://", "unknown", ""),
        (Unknown("var.url has no value"), "unknown", ""),
    ],
)
def test_url_host(value: object, kind: str, fact_value: str) -> None:
    fact = url_fact(value, "attribute url")
    assert fact.kind == kind
    if fact_value:
        assert fact.value == fact_value


def test_json_step_reads_a_json_string() -> None:
    attrs = {"cfg": '{"Origin": [{"Lines": [{"Address": "1.2.3.4"}, {"Address": "origin.example"}]}]}', "bad": "{"}
    assert get_path(attrs, "cfg@json.Origin.Lines.Address") == ["1.2.3.4", "origin.example"]
    (bad,) = get_path(attrs, "bad@json.Origin")
    assert isinstance(bad, Unknown)


@pytest.mark.parametrize(
    ("decl", "message"),
    [
        ({"kind": "data-flow", "a": {"region": "self"}}, "needs `b`"),
        ({"kind": "data-flow", "a": {"region": "self"}, "b": {"region": "x", "pattern": "("}}, "not a regular expression"),
        ({"kind": "data-flow", "a": {"region": "self"}, "b": {"arn": "x", "pattern": "a"}}, "`pattern` applies"),
        ({"kind": "data-flow", "a": {"region": "self"}, "b": {"region": "x", "match": "bucket"}}, "`match` applies to follow"),
        ({"kind": "data-flow", "direction": "sideways", "a": {"region": "self"}, "b": {"region": "x"}}, "one-way or both"),
        ({"kind": "vpn", "direction": "both", "a": {"region": "self"}, "b": {"region": "x"}}, "applies to data-flow"),
    ],
)
def test_declaration_errors_are_clear(decl: dict, message: str) -> None:
    import yaml

    text = yaml.safe_dump({"provider": "aws", "resources": {"aws_x": decl}})
    with pytest.raises(DeclarationError, match=message.replace("(", r"\(").replace("`", "`")):
        parse_declarations(text, "test.yaml")
