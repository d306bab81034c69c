"""Property-based tests (Hypothesis): no input makes a parser, the config loader, the glob matcher or
the escaping raise. Budget fixed and derandomized, so CI runs the same examples every time, quickly.

Strategies mix each format's own vocabulary (keywords, braces, quotes, anchors, tags) with arbitrary
characters, including control characters and lone surrogates, so the examples reach past the
tokenisers into the structure code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xborder.config import parse_config
from xborder.globs import compile_glob
from xborder.inputs.cloudformation.loader import load_cloudformation
from xborder.inputs.cloudformation.plugin import looks_like_template
from xborder.inputs.netconf import cisco, junos, netplan, openvpn, strongswan, swanctl, wireguard
from xborder.inputs.terraform.jsonpos import JsonSyntaxError, parse_json
from xborder.reports.escape import sarif_text, text_line, text_value

BUDGET = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

ODD = st.sampled_from(["\x00", "\x0c", "\r", "\x1b[31m", "\u2028", "\ud800", "\ufeff", "\t", "  ", "\n"])


def doc(fragments: list[str]) -> st.SearchStrategy[str]:
    """Lines built from a format's fragments, odd characters and arbitrary text."""
    piece = st.one_of(st.sampled_from(fragments), ODD, st.text(max_size=12))
    return st.lists(st.lists(piece, max_size=6).map("".join), max_size=25).map("\n".join)


NETCONF = {
    "strongswan": (strongswan, ["conn x", "\tleft=", "\tright=", "8.8.8.8", "58.247.0.10", "also=", "include ", "*.conf", "config setup", "%defaultroute", "#", '"']),
    "swanctl": (swanctl, ["connections {", "}", "x {", "local_addrs = ", "remote_addrs = ", "8.8.8.8", "include ", "children {", "#"]),
    "wireguard": (wireguard, ["[Interface]", "[Peer]", "Endpoint = ", "8.8.8.8:51820", "Address = ", "58.247.0.10/24", "AllowedIPs = ", "#"]),
    "openvpn": (openvpn, ["client", "remote ", "8.8.8.8 1194", "dev tun", "<connection>", "</connection>", "proto udp", "#", ";"]),
    "cisco": (cisco, ["crypto map M 10 ipsec-isakmp", " set peer ", "8.8.8.8", "interface Gi0/0", " ip address 58.247.0.10 255.255.255.0", "tunnel-group ", "!", "exit"]),
    "junos": (junos, ["security {", "}", "ike {", "gateway g {", "address 8.8.8.8;", "set security ike gateway g address 8.8.8.8", "delete security", "inactive:", "[", "]", ";"]),
    "netplan": (netplan, ["network:", "  version: 2", "  tunnels:", "    t: &a", "      mode: wireguard", "*a", "      peers:", "        - endpoint: 8.8.8.8:51820", "[", "{", "- ", ": "]),
}


@pytest.mark.parametrize("fmt", sorted(NETCONF))
def test_device_config_parsers_never_raise(fmt: str, tmp_path: Path) -> None:
    module, fragments = NETCONF[fmt]

    @BUDGET
    @given(doc(fragments))
    def check(text: str) -> None:
        result = module.parse(text, "x.conf", tmp_path)
        assert isinstance(result.links, list) and isinstance(result.errors, list)

    check()


CFN = ["AWSTemplateFormatVersion: '2010-09-09'", "Resources:", "  R:", "    Type: AWS::EC2::CustomerGateway", "    Properties:",
       "      IpAddress: 8.8.8.8", "!Ref", "!GetAtt R.X", "!Join", "&a", "*a", '{"Resources": {', '"Type": "AWS::EC2::VPNConnection"', "}", "[", "]", ","]


@BUDGET
@given(doc(CFN))
def test_cloudformation_never_raises(text: str) -> None:
    looks_like_template(text)
    result = load_cloudformation(text, "t.yaml", None)
    assert isinstance(result.errors, list)


@BUDGET
@given(doc(["{", "}", "[", "]", '"a"', ":", ",", "1e999", "9" * 50, "true", "null", '"\\ud800"', "-", "."]))
def test_json_reader_raises_only_its_syntax_error(text: str) -> None:
    try:
        parse_json(text)
    except JsonSyntaxError:
        pass


CONFIG = ["sites:", "  - name: a", "    country: CN", "    paths: [", "**/", "[z-a]", "]", "    cidrs: [58.247.0.0/16]",
          "approvals:", "  - rule: XB101", "    reason: x", "    expires: 2026-01-01", "&a", "*a", "cloudformation:", "    region: cn-north-1"]


@BUDGET
@given(doc(CONFIG))
def test_config_loader_never_raises(text: str) -> None:
    config, errors = parse_config(text)
    assert all(e.line >= 0 for e in errors)


@BUDGET
@given(st.text(alphabet="ab/*?[]!^-.", max_size=24), st.text(alphabet="ab/.-", max_size=40))
def test_globs_compile_and_match_without_raising(pattern: str, path: str) -> None:
    g = compile_glob(pattern)
    assert g.match(path) in (True, False)
    if not any(c in pattern for c in "*?[") and pattern.strip("/") and "//" not in pattern:
        plain = pattern.rstrip("/")
        assert g.match(path) == (path == plain or path.startswith(plain + "/"))


@BUDGET
@given(st.text(max_size=200))
def test_text_escaping_leaves_no_control_character(value: str) -> None:
    out = text_line(text_value(value))
    assert not any(ord(c) < 0x20 and c != "\t" or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in out)
    assert not out.lstrip().startswith(("::", "##["))
    assert "](" not in sarif_text(value).replace("\\](", "")


HCL = ['resource "aws_customer_gateway" "c" {', "}", "ip_address = ", '"8.8.8.8"', "var.x", 'variable "x" {', "default = ",
       'module "m" {', 'source = "./m"', "for_each = ", "[for a in range(3): a]", "${", "%{ for a in [1] }", "%{ endfor }",
       "<<EOF", "EOF", "dynamic", "content {", '"\\ud800"', "1e9", "count = 2", "#", "/*", "*/", "= {", "[", "]"]
PLAN = ['{"format_version": "1.2",', '"planned_values": {', '"root_module": {', '"resources": [', "{", "}", "]",
        '"address": "aws_vpn_connection.v",', '"type": "aws_customer_gateway",', '"values": {"ip_address": "8.8.8.8"}', ",", '"resource_changes": []']


def _scan_text(tmp: Path, name: str, text: str) -> None:
    from xborder.scan import ScanRequest, run_scan

    (tmp / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_scan(ScanRequest(paths=[tmp], root=tmp, use_config=False))
    assert result.files_scanned >= 1


@pytest.mark.parametrize("name,fragments", [("main.tf", HCL), ("main.tf.json", PLAN + ['{"resource": {', '"locals": {']), ("plan.json", PLAN)])
def test_terraform_and_plan_scans_never_raise(name: str, fragments: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    @settings(BUDGET, max_examples=25)
    @given(doc(fragments))
    def check(text: str) -> None:
        _scan_text(tmp_path_factory.mktemp("prop"), name, text)

    check()
