"""XB101/XB102/XB103 on hand-built resources: each VPN resource type, positive, negative and traps."""

from __future__ import annotations

import pytest

from xborder.model import Ref, Side, Unknown

from core_helpers import findings_for, links_for, provider, resource, rule_ids


def aws_vpn(region: str | None, peer: object) -> list:
    p = provider("aws", region=region) if region else provider("aws")
    cgw = resource("aws_customer_gateway", "office", {"ip_address": peer, "type": "ipsec.1"}, p, line=1)
    conn = resource("aws_vpn_connection", "this", {"customer_gateway_id": Ref("aws_customer_gateway.office")}, p, line=10)
    return [cgw, conn]


@pytest.mark.parametrize(
    ("region", "peer", "expected"),
    [
        ("cn-north-1", "203.186.1.1", ["XB101"]),  # Beijing - Hong Kong
        ("cn-northwest-1", "8.8.8.8", ["XB101"]),  # Ningxia - US
        ("ap-east-1", "114.114.114.114", ["XB101"]),  # Hong Kong - mainland
        ("cn-north-1", "58.247.0.10", []),  # both mainland
        ("ap-east-1", "202.45.84.58", []),  # both Hong Kong
        ("ap-east-1", "168.95.1.1", []),  # Hong Kong - Taipei
        ("ap-east-1", "202.175.3.3", []),  # Hong Kong - Macau
        ("cn-north-1", "10.1.2.3", ["XB102"]),  # private peer
        ("cn-north-1", Unknown('variable "office_ip" has no value'), ["XB102"]),
    ],
)
def test_aws_vpn_connection(region: str, peer: object, expected: list[str]) -> None:
    assert rule_ids(findings_for(aws_vpn(region, peer))) == expected


def test_finding_anchors_at_the_connection_and_names_both_ends_with_evidence() -> None:
    [f] = findings_for(aws_vpn("cn-north-1", "203.186.1.1"))
    assert f.resource == "aws_vpn_connection.this"
    assert f.location.start_line == 10
    assert "mainland China" in f.message and "outside mainland China" in f.message
    joined = "\n".join(f.evidence)
    assert "region cn-north-1 (AWS: Beijing" in joined
    assert "IP 203.186.1.1 registered in HK, Hong Kong" in joined
    assert "compliant setup:" in joined
    assert any(r.label == "aws_customer_gateway.office" for r in f.related)


def test_unknown_reason_reaches_the_finding() -> None:
    [f] = findings_for(aws_vpn("cn-north-1", Unknown('variable "office_ip" has no default and no tfvars value')))
    assert f.rule_id == "XB102" and f.severity == "low"
    assert 'variable "office_ip" has no default and no tfvars value' in "\n".join(f.evidence)


def test_existing_gateway_id_literal_is_an_unknown_end() -> None:
    p = provider("aws", region="cn-north-1")
    conn = resource("aws_vpn_connection", "x", {"customer_gateway_id": "cgw-0abc"}, p)
    [f] = findings_for([conn])
    assert f.rule_id == "XB102"
    assert "cgw-0abc" in "\n".join(f.evidence)


def test_provider_default_region_is_assumed_and_said() -> None:
    p = provider("alicloud")
    cgw = resource("alicloud_vpn_customer_gateway", "dc", {"ip_address": "185.199.108.1"}, p)
    conn = resource("alicloud_vpn_connection", "c", {"customer_gateway_id": Ref("alicloud_vpn_customer_gateway.dc")}, p)
    [f] = findings_for([cgw, conn])
    assert f.rule_id == "XB101"
    assert "provider default cn-beijing assumed" in "\n".join(f.evidence)


def test_tencent_default_region_is_mainland() -> None:
    p = provider("tencentcloud")
    cgw = resource("tencentcloud_vpn_customer_gateway", "g", {"public_ip_address": "203.186.1.1"}, p)
    conn = resource("tencentcloud_vpn_connection", "c", {"customer_gateway_id": Ref("tencentcloud_vpn_customer_gateway.g")}, p)
    assert rule_ids(findings_for([cgw, conn])) == ["XB101"]


@pytest.mark.parametrize(("region", "expected"), [("cn-hongkong", []), ("cn-shanghai", ["XB101"])])
def test_alibaba_cn_hongkong_is_offshore(region: str, expected: list[str]) -> None:
    p = provider("alicloud", region=region)
    cgw = resource("alicloud_vpn_customer_gateway", "g", {"ip_address": "202.45.84.58"}, p)
    conn = resource("alicloud_vpn_connection", "c", {"customer_gateway_id": Ref("alicloud_vpn_customer_gateway.g")}, p)
    assert rule_ids(findings_for([cgw, conn])) == expected


def test_alibaba_tunnel_options_customer_gateway() -> None:
    p = provider("alicloud", region="cn-shanghai")
    cgw = resource("alicloud_vpn_customer_gateway", "g", {"ip_address": "8.8.8.8"}, p)
    att = resource(
        "alicloud_vpn_gateway_vpn_attachment",
        "a",
        {"tunnel_options_specification": [{"customer_gateway_id": Ref("alicloud_vpn_customer_gateway.g")}]},
        p,
    )
    assert rule_ids(findings_for([cgw, att])) == ["XB101"]


@pytest.mark.parametrize(("region", "peer", "expected"), [("ap-southeast-1", "223.5.5.5", ["XB101"]), ("cn-north-4", "1.2.4.8", []), ("ap-southeast-1", "202.45.84.58", [])])
def test_huawei_ap_southeast_1_is_hong_kong(region: str, peer: str, expected: list[str]) -> None:
    p = provider("huaweicloud", region=region)
    cgw = resource("huaweicloud_vpn_customer_gateway", "g", {"id_type": "ip", "id_value": peer}, p)
    conn = resource("huaweicloud_vpn_connection", "c", {"customer_gateway_id": Ref("huaweicloud_vpn_customer_gateway.g")}, p)
    assert rule_ids(findings_for([cgw, conn])) == expected


def test_huawei_vpnaas_site_connection_with_host_name_peer() -> None:
    p = provider("huaweicloud", region="cn-east-3")
    conn = resource("huaweicloud_vpnaas_site_connection_v2", "c", {"peer_address": "vpn.example.com"}, p)
    [f] = findings_for([conn])
    assert f.rule_id == "XB102"
    assert "host names are not resolved" in "\n".join(f.evidence)


@pytest.mark.parametrize(("peer", "expected"), [("114.114.114.114", ["XB101"]), ("168.95.1.1", [])])
def test_google_vpn_tunnel_peer_ip(peer: str, expected: list[str]) -> None:
    p = provider("google", region="asia-east2")
    tunnel = resource("google_compute_vpn_tunnel", "t", {"peer_ip": peer}, p)
    assert rule_ids(findings_for([tunnel])) == expected


def test_google_vpn_tunnel_external_gateway_interfaces() -> None:
    p = provider("google", region="asia-east1")
    gw = resource("google_compute_external_vpn_gateway", "peer", {"interface": [{"id": 0, "ip_address": "223.5.5.5"}, {"id": 1, "ip_address": "202.45.84.58"}]}, p)
    tunnels = [
        resource("google_compute_vpn_tunnel", f"t{i}", {"peer_external_gateway": Ref("google_compute_external_vpn_gateway.peer"), "peer_external_gateway_interface": i}, p)
        for i in (0, 1)
    ]
    # one interface in mainland China, one in Hong Kong: only the tunnel on interface 0 crosses, once
    assert [(f.rule_id, f.resource) for f in findings_for([gw, *tunnels])] == [("XB101", "google_compute_vpn_tunnel.t0")]


def test_azure_ipsec_connection_and_china_environment() -> None:
    p = provider("azurerm", environment="china")
    lng = resource("azurerm_local_network_gateway", "lng", {"gateway_address": "203.186.1.1", "location": "China North 2"}, p)
    conn = resource(
        "azurerm_virtual_network_gateway_connection",
        "c",
        {"type": "IPsec", "location": "chinanorth2", "local_network_gateway_id": Ref("azurerm_local_network_gateway.lng")},
        p,
    )
    assert rule_ids(findings_for([lng, conn])) == ["XB101"]


def test_azure_environment_china_without_location_is_mainland() -> None:
    p = provider("azurerm", environment="china")
    lng = resource("azurerm_local_network_gateway", "lng", {"gateway_address": "8.8.8.8"}, p)
    conn = resource("azurerm_virtual_network_gateway_connection", "c", {"type": "IPsec", "local_network_gateway_id": Ref("azurerm_local_network_gateway.lng")}, p)
    [f] = findings_for([lng, conn])
    assert 'environment = "china"' in "\n".join(f.evidence)


def test_azure_vnet2vnet_east_asia_to_china_east() -> None:
    p = provider("azurerm")
    peer = resource("azurerm_virtual_network_gateway", "cn", {"location": "China East 2"}, p)
    conn = resource(
        "azurerm_virtual_network_gateway_connection",
        "v2v",
        {"type": "Vnet2Vnet", "location": "eastasia", "peer_virtual_network_gateway_id": Ref("azurerm_virtual_network_gateway.cn")},
        p,
    )
    assert rule_ids(findings_for([peer, conn])) == ["XB101"]


def test_azure_expressroute_connection_type_is_not_a_vpn() -> None:
    p = provider("azurerm")
    conn = resource("azurerm_virtual_network_gateway_connection", "er", {"type": "ExpressRoute", "location": "chinanorth2"}, p)
    assert [link for link in links_for([conn]) if link.kind.value == "vpn"] == []


def test_azure_vwan_site_links() -> None:
    p = provider("azurerm")
    gw = resource("azurerm_vpn_gateway", "hub", {"location": "chinaeast2"}, p)
    site = resource("azurerm_vpn_site", "branch", {"link": [{"name": "a", "ip_address": "202.45.84.58"}, {"name": "b", "fqdn": "branch.example.com"}]}, p)
    conn = resource("azurerm_vpn_gateway_connection", "c", {"vpn_gateway_id": Ref("azurerm_vpn_gateway.hub"), "remote_vpn_site_id": Ref("azurerm_vpn_site.branch")}, p)
    assert rule_ids(findings_for([gw, site, conn])) == ["XB101", "XB102"]


@pytest.mark.parametrize(
    ("rtype", "ptype", "attrs", "expected"),
    [
        ("aws_ec2_client_vpn_endpoint", "aws", {"region": "cn-northwest-1"}, ["XB103"]),
        ("aws_ec2_client_vpn_endpoint", "aws", {"region": "ap-east-1"}, []),
        ("alicloud_ssl_vpn_server", "alicloud", {}, ["XB103"]),  # default cn-beijing
        ("alicloud_ssl_vpn_server", "alicloud", {"region": "cn-hongkong"}, []),
        ("tencentcloud_vpn_ssl_server", "tencentcloud", {"region": "ap-shanghai"}, ["XB103"]),
        ("tencentcloud_vpn_ssl_server", "tencentcloud", {"region": "ap-hongkong"}, []),
        ("huaweicloud_vpn_server", "huaweicloud", {"region": "cn-north-4"}, ["XB103"]),
        ("huaweicloud_vpn_server", "huaweicloud", {"region": "ap-southeast-1"}, []),
        ("azurerm_point_to_site_vpn_gateway", "azurerm", {"location": "chinanorth3"}, ["XB103"]),
        ("azurerm_point_to_site_vpn_gateway", "azurerm", {"location": "eastasia"}, []),
    ],
)
def test_remote_access_services(rtype: str, ptype: str, attrs: dict, expected: list[str]) -> None:
    region = attrs.pop("region", None)
    p = provider(ptype, region=region) if region else provider(ptype)
    assert rule_ids(findings_for([resource(rtype, "svc", attrs, p)])) == expected


def test_azure_gateway_without_client_configuration_is_not_remote_access() -> None:
    p = provider("azurerm")
    gw = resource("azurerm_virtual_network_gateway", "s2s", {"location": "chinanorth2", "type": "Vpn"}, p)
    assert findings_for([gw]) == []


def test_fingerprint_ignores_lines_but_not_ends() -> None:
    a = findings_for(aws_vpn("cn-north-1", "203.186.1.1"))[0]
    moved = aws_vpn("cn-north-1", "203.186.1.1")
    moved[1].location = type(moved[1].location)("main.tf", 40, 1, 44, 2)
    b = findings_for(moved)[0]
    c = findings_for(aws_vpn("cn-north-1", "8.8.8.8"))[0]
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_link_sides_are_resolved_for_every_end() -> None:
    links = links_for(aws_vpn("cn-north-1", "203.186.1.1"))
    assert [(link.a.jurisdiction.side, link.b.jurisdiction.side) for link in links] == [(Side.MAINLAND, Side.OFFSHORE)]


def test_azure_vwan_site_on_the_same_side_is_clean() -> None:
    p = provider("azurerm")
    gw = resource("azurerm_vpn_gateway", "hub", {"location": "eastasia"}, p)
    site = resource("azurerm_vpn_site", "branch", {"link": [{"name": "a", "ip_address": "168.95.1.1"}]}, p)
    conn = resource("azurerm_vpn_gateway_connection", "c", {"vpn_gateway_id": Ref("azurerm_vpn_gateway.hub"), "remote_vpn_site_id": Ref("azurerm_vpn_site.branch")}, p)
    assert findings_for([gw, site, conn]) == []


def test_alibaba_attachment_on_the_same_side_is_clean() -> None:
    p = provider("alicloud", region="cn-hangzhou")
    cgw = resource("alicloud_vpn_customer_gateway", "g", {"ip_address": "223.5.5.5"}, p)
    att = resource("alicloud_vpn_gateway_vpn_attachment", "a", {"customer_gateway_id": Ref("alicloud_vpn_customer_gateway.g")}, p)
    assert findings_for([cgw, att]) == []


@pytest.mark.parametrize(("region", "peer", "expected"), [("cn-east-3", "203.186.1.1", ["XB101"]), ("cn-east-3", "180.76.76.76", []), ("ap-southeast-1", "8.8.8.8", [])])
def test_huawei_vpnaas_site_connection(region: str, peer: str, expected: list[str]) -> None:
    p = provider("huaweicloud", region=region)
    conn = resource("huaweicloud_vpnaas_site_connection_v2", "c", {"peer_address": peer}, p)
    assert rule_ids(findings_for([conn])) == expected


def test_google_external_gateway_all_offshore_is_clean() -> None:
    p = provider("google", region="asia-east2")
    gw = resource("google_compute_external_vpn_gateway", "peer", {"interface": [{"id": 0, "ip_address": "202.45.84.58"}, {"id": 1, "ip_address": "8.8.8.8"}]}, p)
    tunnels = [
        resource("google_compute_vpn_tunnel", f"t{i}", {"peer_external_gateway": Ref("google_compute_external_vpn_gateway.peer"), "peer_external_gateway_interface": i}, p)
        for i in (0, 1)
    ]
    assert findings_for([gw, *tunnels]) == []


def test_module_instantiated_twice_with_different_providers() -> None:
    """The same module body under aws.cn and aws.hk: only the Beijing instance crosses to Hong Kong."""
    resources = []
    for prefix, region in (("module.cn.", "cn-north-1"), ("module.hk.", "ap-east-1")):
        p = provider("aws", region=region)
        cgw = resource("aws_customer_gateway", "office", {"ip_address": "202.45.84.58"}, p)
        conn = resource("aws_vpn_connection", "this", {"customer_gateway_id": Ref(f"{prefix}aws_customer_gateway.office")}, p)
        cgw.address, conn.address = prefix + cgw.address, prefix + conn.address
        resources += [cgw, conn]
    assert [(f.rule_id, f.resource) for f in findings_for(resources)] == [("XB101", "module.cn.aws_vpn_connection.this")]


def test_an_unknown_alternative_attribute_does_not_double_the_end() -> None:
    p = provider("azurerm")
    lng = resource("azurerm_local_network_gateway", "lng", {"gateway_address": "203.186.1.1", "gateway_fqdn": Unknown("variable fqdn has no value")}, p)
    conn = resource("azurerm_virtual_network_gateway_connection", "c", {"type": "IPsec", "location": "chinanorth2", "local_network_gateway_id": Ref("azurerm_local_network_gateway.lng")}, p)
    assert rule_ids(findings_for([lng, conn])) == ["XB101"]
