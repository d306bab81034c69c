"""Positive and negative cases for every resource type of issue 3, plus the traps.

Each case is a list of resources built directly (no input format) and the exact number of findings each rule
must give. `covers` names the resource type the case is about; `pos` says whether that type is expected to
raise its rule (True) or stay silent for it (False). `codes` adds entries to a code table for the case, the
way an organisation extends policies/regions/ (for tables that ship without mainland entries).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from xborder.model import Location, ProviderConfig, Ref, Resource, Unknown

CN_IP = "114.114.114.114"  # registered in CN
CN_IP2 = "223.5.5.5"  # registered in CN
HK_IP = "203.186.1.1"  # registered in HK
US_IP = "8.8.8.8"  # registered in US

_lines = itertools.count(1)


def P(ptype: str, **attrs: Any) -> ProviderConfig:
    return ProviderConfig(ptype, attrs=attrs, origin=f'provider "{ptype}"')


def R(rtype: str, name: str, provider: ProviderConfig | None = None, **attrs: Any) -> Resource:
    n = next(_lines) * 10
    return Resource(
        source="terraform",
        type=rtype,
        name=name,
        address=f"{rtype}.{name}",
        attrs=attrs,
        location=Location("main.tf", n, 1, n + 5, 2),
        provider=provider,
    )


def ref(res: Resource, attr: str = "id") -> Ref:
    return Ref(res.address, attr)


@dataclass
class Case:
    id: str
    covers: str
    pos: bool
    resources: list[Resource]
    expect: dict[str, int] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # rule -> severity of its (first) finding
    message: dict[str, str] = field(default_factory=dict)  # rule -> text the message contains
    evidence: dict[str, str] = field(default_factory=dict)  # rule -> text one evidence line contains
    anchor: dict[str, str] = field(default_factory=dict)  # rule -> resource address the finding anchors on
    codes: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


CASES: list[Case] = []


def case(id: str, covers: str, pos: bool, resources: list[Resource], expect: dict[str, int] | None = None, **kw: Any) -> None:
    CASES.append(Case(id, covers, pos, resources, dict(expect or {}), **kw))


# --------------------------------------------------------------------------------------------- AWS
AWS_CN = P("aws", region="cn-north-1")
AWS_NX = P("aws", region="cn-northwest-1")
AWS_US = P("aws", region="us-east-1")
AWS_HK = P("aws", region="ap-east-1")
AWS_SG = P("aws", region="ap-southeast-1")

DX_TYPES = [
    "aws_dx_connection", "aws_dx_lag", "aws_dx_hosted_connection", "aws_dx_private_virtual_interface",
    "aws_dx_public_virtual_interface", "aws_dx_transit_virtual_interface", "aws_dx_hosted_private_virtual_interface",
    "aws_dx_hosted_public_virtual_interface", "aws_dx_hosted_transit_virtual_interface",
    "aws_dx_hosted_private_virtual_interface_accepter", "aws_dx_hosted_public_virtual_interface_accepter",
    "aws_dx_hosted_transit_virtual_interface_accepter",
]
for t in DX_TYPES:
    cn_dx = R("aws_dx_connection", f"cn_{t}", AWS_CN, location="CNBJ1", bandwidth="1Gbps")
    glob = R(t, "global", AWS_US, connection_id="dxcon-1")
    case(f"{t}-both-partitions", t, True, [cn_dx, glob], {"XB201": 1}, anchor={"XB201": glob.address},
         message={"XB201": "in mainland China"}, evidence={"XB201": "aws-cn"} if False else {})
    case(f"{t}-one-partition", t, False, [R(t, "cn", AWS_CN, connection_id="dxcon-1"), R(t, "nx", AWS_NX)])

vgw = R("aws_vpn_gateway", "g", AWS_US)
case("aws_dx_gateway_association-both-partitions", "aws_dx_gateway_association", True,
     [R("aws_dx_connection", "cn", AWS_CN), vgw, R("aws_dx_gateway_association", "a", AWS_US, associated_gateway_id=ref(vgw))],
     {"XB201": 1})
vgw2 = R("aws_vpn_gateway", "g", AWS_CN)
case("aws_dx_gateway_association-same-partition", "aws_dx_gateway_association", False,
     [vgw2, R("aws_dx_gateway_association", "a", AWS_CN, associated_gateway_id=ref(vgw2))])
case("aws_dx_connection-region-unknown", "aws_dx_connection", True,
     [R("aws_dx_connection", "x", P("aws", region=Unknown("var.region has no value")))], {"XB203": 1})

case("aws_tgw_peering-beijing-hongkong", "aws_ec2_transit_gateway_peering_attachment", True,
     [R("aws_ec2_transit_gateway_peering_attachment", "p", AWS_CN, peer_region="ap-east-1")], {"XB202": 1},
     message={"XB202": "outside mainland China"}, evidence={"XB202": "Hong Kong"})
case("aws_tgw_peering-beijing-ningxia-trap", "aws_ec2_transit_gateway_peering_attachment", False,
     [R("aws_ec2_transit_gateway_peering_attachment", "p", AWS_CN, peer_region="cn-northwest-1")])
case("aws_tgw_peering-hongkong-singapore-trap", "aws_ec2_transit_gateway_peering_attachment", False,
     [R("aws_ec2_transit_gateway_peering_attachment", "p", AWS_HK, peer_region="ap-southeast-1")])
att = R("aws_ec2_transit_gateway_peering_attachment", "req", AWS_HK, peer_region="cn-north-1")
case("aws_tgw_peering_accepter-cross", "aws_ec2_transit_gateway_peering_attachment_accepter", True,
     [att, R("aws_ec2_transit_gateway_peering_attachment_accepter", "acc", AWS_CN, transit_gateway_attachment_id=ref(att))],
     {"XB202": 1}, anchor={"XB202": att.address}, evidence={"XB202": "accepter.acc is part of this link"})
# the accepter alone (the requester is in another account's configuration): its own link
case("aws_tgw_peering_accepter-alone", "aws_ec2_transit_gateway_peering_attachment_accepter", True,
     [R("aws_ec2_transit_gateway_peering_attachment_accepter", "acc", AWS_CN, transit_gateway_attachment_id="tgw-attach-0a1b2c3d4e5f60718")],
     {"XB203": 1})
# the requester's peer region is unknown: the accepter still says where the far end is, both are judged
att3 = R("aws_ec2_transit_gateway_peering_attachment", "req", AWS_HK, peer_region=Unknown("var.peer_region has no value"))
case("aws_tgw_peering_accepter-requester-unknown", "aws_ec2_transit_gateway_peering_attachment_accepter", True,
     [att3, R("aws_ec2_transit_gateway_peering_attachment_accepter", "acc", AWS_CN, transit_gateway_attachment_id=ref(att3))],
     {"XB202": 1, "XB203": 1}, anchor={"XB202": "aws_ec2_transit_gateway_peering_attachment_accepter.acc"})
att2 = R("aws_ec2_transit_gateway_peering_attachment", "req", AWS_NX, peer_region="cn-north-1")
case("aws_tgw_peering_accepter-mainland", "aws_ec2_transit_gateway_peering_attachment_accepter", False,
     [att2, R("aws_ec2_transit_gateway_peering_attachment_accepter", "acc", AWS_CN, transit_gateway_attachment_id=ref(att2))])
case("aws_vpc_peering-resource-region", "aws_vpc_peering_connection", True,
     [R("aws_vpc_peering_connection", "p", AWS_US, region="ap-east-1", peer_region="cn-northwest-1")], {"XB202": 1})
case("aws_vpc_peering-same-region", "aws_vpc_peering_connection", False,
     [R("aws_vpc_peering_connection", "p", AWS_CN, peer_vpc_id="vpc-1")])
pc = R("aws_vpc_peering_connection", "req", AWS_SG, peer_region="cn-north-1")
case("aws_vpc_peering_accepter-cross", "aws_vpc_peering_connection_accepter", True,
     [pc, R("aws_vpc_peering_connection_accepter", "acc", AWS_CN, vpc_peering_connection_id=ref(pc))], {"XB202": 1},
     anchor={"XB202": pc.address})
pc2 = R("aws_vpc_peering_connection", "req", AWS_SG, peer_region="ap-east-1")
case("aws_vpc_peering_accepter-offshore", "aws_vpc_peering_connection_accepter", False,
     [pc2, R("aws_vpc_peering_connection_accepter", "acc", AWS_HK, vpc_peering_connection_id=ref(pc2))])

# --------------------------------------------------------------------------------------------- Azure
AZ = P("azurerm")
case("azurerm_er_circuit-licensed-operator", "azurerm_express_route_circuit", True,
     [R("azurerm_express_route_circuit", "c", AZ, location="eastasia", peering_location="Shanghai 2",
        service_provider_name="China Telecom Global", bandwidth_in_mbps=50)],
     {"XB201": 1}, severity={"XB201": "medium"}, message={"XB201": "approval record is still needed"},
     evidence={"XB201": "carrier named by the configuration: China Telecom Global"})
case("azurerm_er_circuit-offshore-operator", "azurerm_express_route_circuit", True,
     [R("azurerm_express_route_circuit", "c", AZ, location="China North 2", peering_location="Hong Kong2",
        service_provider_name="Equinix")],
     {"XB201": 1}, severity={"XB201": "high"}, message={"XB201": "outside mainland China"})
case("azurerm_er_circuit-china-normalised", "azurerm_express_route_circuit", False,
     [R("azurerm_express_route_circuit", "c", P("azurerm", environment="china"), location="chinanorth2",
        peering_location="beijing2", service_provider_name="China Unicom")])
case("azurerm_er_circuit-unknown-location", "azurerm_express_route_circuit", True,
     [R("azurerm_express_route_circuit", "c", AZ, location="southeastasia", peering_location="Atlantis 3")],
     {"XB203": 1}, evidence={"XB203": "azurerm_expressroute"})
port = R("azurerm_express_route_port", "p", AZ, location="eastasia", peering_location="Hong Kong2")
case("azurerm_er_circuit-via-port", "azurerm_express_route_circuit", False,
     [port, R("azurerm_express_route_circuit", "c", AZ, location="eastasia", express_route_port_id=ref(port))])
case("azurerm_er_port-cross", "azurerm_express_route_port", True,
     [R("azurerm_express_route_port", "p", AZ, location="China East 2", peering_location="Hong Kong2")], {"XB201": 1})
case("azurerm_er_port-same", "azurerm_express_route_port", False,
     [R("azurerm_express_route_port", "p", AZ, location="chinaeast2", peering_location="Shanghai 2")])


def _global_reach(loc1: str, pl1: str, loc2: str, pl2: str) -> list[Resource]:
    c1 = R("azurerm_express_route_circuit", "one", AZ, location=loc1, peering_location=pl1)
    c2 = R("azurerm_express_route_circuit", "two", AZ, location=loc2, peering_location=pl2)
    p1 = R("azurerm_express_route_circuit_peering", "one", AZ, express_route_circuit_name=ref(c1, "name"))
    p2 = R("azurerm_express_route_circuit_peering", "two", AZ, express_route_circuit_name=ref(c2, "name"))
    return [c1, c2, p1, p2, R("azurerm_express_route_circuit_connection", "gr", AZ, peering_id=ref(p1), peer_peering_id=ref(p2))]


case("azurerm_er_circuit_connection-cross", "azurerm_express_route_circuit_connection", True,
     _global_reach("eastasia", "Hong Kong", "chinanorth", "Beijing"), {"XB202": 1})
case("azurerm_er_circuit_connection-offshore", "azurerm_express_route_circuit_connection", False,
     _global_reach("eastasia", "Hong Kong", "southeastasia", "Singapore"))

# --------------------------------------------------------------------------------------------- Alibaba
ALI_HZ = P("alicloud", region="cn-hangzhou")
ALI_SH = P("alicloud", region="cn-shanghai")
ALI_HK = P("alicloud", region="cn-hongkong")
ALI_SG = P("alicloud", region="ap-southeast-1")
ALI_DEFAULT = P("alicloud")
PC = "alicloud_express_connect_physical_connection"

case("alicloud_pconn-licensed-carrier", PC, True,
     [R(PC, "p", ALI_HZ, access_point_id="ap-cn-hangzhou-yh-B", peer_location="Hong Kong", line_operator="CU")],
     {"XB201": 1}, severity={"XB201": "medium"}, message={"XB201": "China Unicom is a licensed operator"})
case("alicloud_pconn-offshore-carrier-heuristic", PC, True,
     [R(PC, "p", ALI_DEFAULT, access_point_id="ap-cn-beijing-cy-A", peer_location="Equinix SH2 cage 5", line_operator="Equinix")],
     {"XB201": 1, "XB203": 1}, severity={"XB201": "high"}, evidence={"XB201": "[unverified]"})
case("alicloud_pconn-unlisted-mainland-prefix", PC, True,
     [R(PC, "p", ALI_HZ, access_point_id="ap-cn-wuhan-xx-A", peer_location="Singapore", line_operator="Other")],
     {"XB201": 1}, severity={"XB201": "high"}, evidence={"XB201": "[unverified]"})
case("alicloud_pconn-mainland", PC, False,
     [R(PC, "p", ALI_SH, access_point_id="ap-cn-shanghai-pd-D", peer_location="Shanghai", line_operator="CT")])
case("alicloud_pconn-hongkong-prefix-trap", PC, False,
     [R(PC, "p", ALI_HK, access_point_id="ap-cn-hongkong-x-A", peer_location="Hong Kong", line_operator="Other")])

pc_hz = R(PC, "parent", ALI_HZ, access_point_id="ap-cn-hangzhou-yh-B", peer_location="Hangzhou", line_operator="CT")
case("alicloud_vpconn-cross", "alicloud_express_connect_virtual_physical_connection", True,
     [pc_hz, R("alicloud_express_connect_virtual_physical_connection", "v", ALI_HK, parent_physical_connection_id=ref(pc_hz))],
     {"XB201": 1})
case("alicloud_vpconn-same", "alicloud_express_connect_virtual_physical_connection", False,
     [pc_hz, R("alicloud_express_connect_virtual_physical_connection", "v", ALI_HZ, parent_physical_connection_id=ref(pc_hz))])
case("alicloud_vbr-cross", "alicloud_express_connect_virtual_border_router", True,
     [pc_hz, R("alicloud_express_connect_virtual_border_router", "v", ALI_SG, physical_connection_id=ref(pc_hz))], {"XB201": 1})
case("alicloud_vbr-same", "alicloud_express_connect_virtual_border_router", False,
     [pc_hz, R("alicloud_express_connect_virtual_border_router", "v", ALI_HZ, physical_connection_id=ref(pc_hz))])
pc_sg = R(PC, "sg", ALI_SG, access_point_id="ap-sg-singpore-A", peer_location="Singapore", line_operator="Other")
vbr_sg = R("alicloud_express_connect_virtual_border_router", "sg", ALI_SG, physical_connection_id=ref(pc_sg))
case("alicloud_vbr_pconn_association-cross", "alicloud_express_connect_vbr_pconn_association", True,
     [pc_hz, pc_sg, vbr_sg, R("alicloud_express_connect_vbr_pconn_association", "a", ALI_SG, vbr_id=ref(vbr_sg), physical_connection_id=ref(pc_hz))],
     {"XB201": 1})
case("alicloud_vbr_pconn_association-same", "alicloud_express_connect_vbr_pconn_association", False,
     [pc_sg, vbr_sg, R("alicloud_express_connect_vbr_pconn_association", "a", ALI_SG, vbr_id=ref(vbr_sg), physical_connection_id=ref(pc_sg))])
case("alicloud_ec_router_interface-hongkong-cn-prefix", "alicloud_express_connect_router_interface", True,
     [R("alicloud_express_connect_router_interface", "r", ALI_SH, opposite_region_id="cn-hongkong")], {"XB201": 1})
case("alicloud_ec_router_interface-mainland", "alicloud_express_connect_router_interface", False,
     [R("alicloud_express_connect_router_interface", "r", ALI_SH, opposite_region_id="cn-beijing")])
case("alicloud_router_interface-cross", "alicloud_router_interface", True,
     [R("alicloud_router_interface", "r", ALI_DEFAULT, opposite_region="ap-southeast-1")], {"XB201": 1},
     evidence={"XB201": "assumed"})
case("alicloud_router_interface-mainland", "alicloud_router_interface", False,
     [R("alicloud_router_interface", "r", ALI_HZ, opposite_region="cn-qingdao")])

CBP = "alicloud_cen_bandwidth_package"
case("alicloud_cen_bwp-china-asia", CBP, True,
     [R(CBP, "b", ALI_HZ, geographic_region_a_id="China", geographic_region_b_id="Asia-Pacific", bandwidth=5)], {"XB202": 1})
case("alicloud_cen_bwp-china-china-trap", CBP, False,
     [R(CBP, "b", ALI_HZ, geographic_region_a_id="China", geographic_region_b_id="China", bandwidth=5)])
case("alicloud_cen_bwp-deprecated-ids", CBP, True,
     [R(CBP, "b", ALI_HZ, geographic_region_ids=["China", "North-America"])], {"XB202": 1})
case("alicloud_cen_bwp-deprecated-offshore", CBP, False,
     [R(CBP, "b", ALI_HZ, geographic_region_ids=["Asia-Pacific", "Europe"])])
case("alicloud_cen_bandwidth_limit-cn-hongkong", "alicloud_cen_bandwidth_limit", True,
     [R("alicloud_cen_bandwidth_limit", "l", ALI_HZ, region_ids=["cn-hangzhou", "cn-hongkong"], bandwidth_limit=4)], {"XB202": 1},
     evidence={"XB202": "Hong Kong"})
case("alicloud_cen_bandwidth_limit-hk-sg-trap", "alicloud_cen_bandwidth_limit", False,
     [R("alicloud_cen_bandwidth_limit", "l", ALI_HZ, region_ids=["cn-hongkong", "ap-southeast-1"])])
case("alicloud_tr_peer-cross", "alicloud_cen_transit_router_peer_attachment", True,
     [R("alicloud_cen_transit_router_peer_attachment", "p", P("alicloud", region="cn-beijing"), peer_transit_router_region_id="us-west-1")],
     {"XB202": 1})
case("alicloud_tr_peer-mainland", "alicloud_cen_transit_router_peer_attachment", False,
     [R("alicloud_cen_transit_router_peer_attachment", "p", P("alicloud", region="cn-beijing"), peer_transit_router_region_id="cn-shanghai")])
case("alicloud_vpc_peer-cross", "alicloud_vpc_peer_connection", True,
     [R("alicloud_vpc_peer_connection", "p", ALI_HK, accepting_region_id="cn-shenzhen")], {"XB202": 1})
case("alicloud_vpc_peer-same-region", "alicloud_vpc_peer_connection", False,
     [R("alicloud_vpc_peer_connection", "p", ALI_HK, accepting_ali_uid=1)])
apc = R("alicloud_vpc_peer_connection", "req", ALI_HK, accepting_region_id="cn-beijing")
case("alicloud_vpc_peer_accepter-cross", "alicloud_vpc_peer_connection_accepter", True,
     [apc, R("alicloud_vpc_peer_connection_accepter", "acc", P("alicloud", region="cn-beijing"), instance_id=ref(apc))], {"XB202": 1},
     anchor={"XB202": apc.address})
apc2 = R("alicloud_vpc_peer_connection", "req", ALI_SH, accepting_region_id="cn-beijing")
case("alicloud_vpc_peer_accepter-mainland", "alicloud_vpc_peer_connection_accepter", False,
     [apc2, R("alicloud_vpc_peer_connection_accepter", "acc", P("alicloud", region="cn-beijing"), instance_id=ref(apc2))])
for t in ("alicloud_ga_accelerator", "alicloud_ga_basic_accelerator"):
    case(f"{t}-cross-border-status", t, True, [R(t, "a", ALI_HZ, cross_border_status=True, bandwidth_billing_type="CDT")],
         {"XB202": 1}, evidence={"XB202": "cross_border_status = true"})
    case(f"{t}-no-cross-border", t, False, [R(t, "a", ALI_HZ, cross_border_status=False)])
case("alicloud_ga_accelerator-status-unknown", "alicloud_ga_accelerator", True,
     [R("alicloud_ga_accelerator", "a", ALI_HZ, cross_border_status=Unknown("var.cross_border has no value"))], {"XB203": 1})
case("alicloud_ga_bwp-crossdomain-defaults", "alicloud_ga_bandwidth_package", True,
     [R("alicloud_ga_bandwidth_package", "b", ALI_HZ, type="CrossDomain", bandwidth=100)], {"XB202": 1},
     evidence={"XB202": "assumed"})
case("alicloud_ga_bwp-basic", "alicloud_ga_bandwidth_package", False,
     [R("alicloud_ga_bandwidth_package", "b", ALI_HZ, type="Basic", bandwidth=100)])

cen = R("alicloud_cen_instance", "cen", ALI_HZ)
a1 = R("alicloud_cen_instance_attachment", "sh", ALI_HZ, instance_id=ref(cen), child_instance_region_id="cn-shanghai")
a2 = R("alicloud_cen_instance_attachment", "hk", ALI_HZ, instance_id=ref(cen), child_instance_region_id="cn-hongkong")
case("alicloud_cen_group-spans-border", "alicloud_cen_instance_attachment", True, [cen, a1, a2], {"XB202": 1},
     anchor={"XB202": a2.address})
a3 = R("alicloud_cen_instance_attachment", "bj", ALI_HZ, instance_id=ref(cen), child_instance_region_id="cn-beijing")
case("alicloud_cen_group-china-china", "alicloud_cen_instance_attachment", False, [cen, a1, a3])
t1 = R("alicloud_cen_transit_router", "hz", ALI_HZ, cen_id=ref(cen))
t2 = R("alicloud_cen_transit_router", "sg", ALI_SG, cen_id=ref(cen))
t3 = R("alicloud_cen_transit_router", "sh", ALI_SH, cen_id=ref(cen))
# Enterprise Edition transit routers in two regions are not connected without an inter-region connection
case("alicloud_cen_tr_group-no-peer-attachment", "alicloud_cen_transit_router", False, [cen, t1, t2])
case("alicloud_cen_tr_group-mainland", "alicloud_cen_transit_router", False, [cen, t1, t3])
tpa = R("alicloud_cen_transit_router_peer_attachment", "hz_sg", ALI_HZ, cen_id=ref(cen), transit_router_id=ref(t1, "transit_router_id"),
        peer_transit_router_id=ref(t2, "transit_router_id"), peer_transit_router_region_id="ap-southeast-1")
case("alicloud_cen_tr_peer-one-finding", "alicloud_cen_transit_router_peer_attachment", True, [cen, t1, t2, tpa], {"XB202": 1},
     anchor={"XB202": tpa.address})
ecr = R("alicloud_express_connect_router_express_connect_router", "ecr", ALI_HZ)
ev = R("alicloud_express_connect_router_vbr_child_instance", "v", ALI_HZ, ecr_id=ref(ecr), child_instance_region_id="cn-hangzhou")
evpc = R("alicloud_express_connect_router_vpc_association", "us", ALI_HZ, ecr_id=ref(ecr), association_region_id="us-east-1")
evpc_cn = R("alicloud_express_connect_router_vpc_association", "cn", ALI_HZ, ecr_id=ref(ecr), association_region_id="cn-beijing")
etr = R("alicloud_express_connect_router_tr_association", "hk", ALI_HZ, ecr_id=ref(ecr), association_region_id="cn-hongkong")
etr_cn = R("alicloud_express_connect_router_tr_association", "sh", ALI_HZ, ecr_id=ref(ecr), association_region_id="cn-shanghai")
case("alicloud_ecr-vpc-abroad", "alicloud_express_connect_router_vpc_association", True, [ecr, ev, evpc], {"XB201": 1})
case("alicloud_ecr-vpc-mainland", "alicloud_express_connect_router_vpc_association", False, [ecr, ev, evpc_cn])
case("alicloud_ecr-tr-hongkong", "alicloud_express_connect_router_tr_association", True, [ecr, ev, etr], {"XB201": 1})
case("alicloud_ecr-tr-mainland", "alicloud_express_connect_router_tr_association", False, [ecr, ev, etr_cn])
ev_hk = R("alicloud_express_connect_router_vbr_child_instance", "hk", ALI_HZ, ecr_id=ref(ecr), child_instance_region_id="cn-hongkong")
case("alicloud_ecr-vbr-hongkong", "alicloud_express_connect_router_vbr_child_instance", True, [ecr, evpc_cn, ev_hk], {"XB201": 1})
case("alicloud_ecr-vbr-mainland", "alicloud_express_connect_router_vbr_child_instance", False, [ecr, evpc_cn, ev])
case("alicloud_ecr-unknown-region", "alicloud_express_connect_router_vbr_child_instance", True,
     [ecr, evpc_cn, R("alicloud_express_connect_router_vbr_child_instance", "x", ALI_HZ, ecr_id=ref(ecr), child_instance_region_id="xx-nowhere-1")],
     {"XB203": 1})
acc = R("alicloud_ga_accelerator", "acc", ALI_HZ, cross_border_status=False)
for ip_t, eg_t in (("alicloud_ga_ip_set", "alicloud_ga_endpoint_group"), ("alicloud_ga_basic_ip_set", "alicloud_ga_basic_endpoint_group")):
    ip_cn = R(ip_t, "cn", ALI_HZ, accelerator_id=ref(acc), accelerate_region_id="cn-hangzhou")
    ip_sg = R(ip_t, "sg", ALI_HZ, accelerator_id=ref(acc), accelerate_region_id="ap-southeast-1")
    eg_hk = R(eg_t, "hk", ALI_HZ, accelerator_id=ref(acc), endpoint_group_region="cn-hongkong")
    eg_sh = R(eg_t, "sh", ALI_HZ, accelerator_id=ref(acc), endpoint_group_region="cn-shanghai")
    ip_late = R(ip_t, "late", ALI_HZ, accelerator_id=ref(acc), accelerate_region_id="cn-beijing")  # after eg_hk in the file
    case(f"{ip_t}-mainland-to-hk", ip_t, True, [acc, eg_hk, ip_late], {"XB202": 1}, anchor={"XB202": ip_late.address})
    case(f"{ip_t}-offshore-ingress-same-role", ip_t, False, [acc, ip_cn, ip_sg])
    case(f"{eg_t}-hk-endpoint", eg_t, True, [acc, ip_cn, eg_hk], {"XB202": 1}, anchor={"XB202": eg_hk.address})
    case(f"{eg_t}-mainland-endpoint", eg_t, False, [acc, ip_cn, eg_sh])

# --------------------------------------------------------------------------------------------- Tencent
TC_SH = P("tencentcloud", region="ap-shanghai")
TC_HK = P("tencentcloud", region="ap-hongkong")
TC_DEFAULT = P("tencentcloud")
case("tencentcloud_dc_instance-licensed", "tencentcloud_dc_instance", True,
     [R("tencentcloud_dc_instance", "d", TC_SH, access_point_id="ap-shanghai-b-ft", location="Hong Kong", line_operator="ChinaTelecom")],
     {"XB201": 1}, severity={"XB201": "medium"}, message={"XB201": "approval record is still needed"})
case("tencentcloud_dc_instance-international-operator", "tencentcloud_dc_instance", True,
     [R("tencentcloud_dc_instance", "d", TC_SH, access_point_id="ap-shanghai-b-ft", location="Tower 3 IDC", line_operator="InternationalOperator")],
     {"XB201": 1, "XB203": 1}, severity={"XB201": "high"}, evidence={"XB201": "outside mainland China on a mainland access point"})
case("tencentcloud_dc_instance-hongkong", "tencentcloud_dc_instance", False,
     [R("tencentcloud_dc_instance", "d", TC_HK, location="Hong Kong", line_operator="InternationalOperator")])
case("tencentcloud_dcx-cross", "tencentcloud_dcx", True, [R("tencentcloud_dcx", "x", TC_DEFAULT, dc_id="dc-1", network_region="ap-hongkong")],
     {"XB201": 1}, evidence={"XB201": "assumed"})
case("tencentcloud_dcx-same", "tencentcloud_dcx", False, [R("tencentcloud_dcx", "x", TC_SH, dc_id="dc-1")])
case("tencentcloud_ccn_bwl-cross", "tencentcloud_ccn_bandwidth_limit", True,
     [R("tencentcloud_ccn_bandwidth_limit", "l", TC_SH, ccn_id="ccn-1", region="ap-shanghai", dst_region="ap-singapore")], {"XB202": 1})
case("tencentcloud_ccn_bwl-outer-limit", "tencentcloud_ccn_bandwidth_limit", False,
     [R("tencentcloud_ccn_bandwidth_limit", "l", TC_SH, ccn_id="ccn-1", region="ap-shanghai")])
case("tencentcloud_ccn_bwl-mainland", "tencentcloud_ccn_bandwidth_limit", False,
     [R("tencentcloud_ccn_bandwidth_limit", "l", TC_SH, ccn_id="ccn-1", region="ap-beijing", dst_region="ap-shanghai")])
case("tencentcloud_vpc_peer-cross", "tencentcloud_vpc_peer_connect_manager", True,
     [R("tencentcloud_vpc_peer_connect_manager", "p", TC_HK, destination_region="ap-shenzhen")], {"XB202": 1})
case("tencentcloud_vpc_peer-offshore", "tencentcloud_vpc_peer_connect_manager", False,
     [R("tencentcloud_vpc_peer_connect_manager", "p", TC_HK, destination_region="ap-singapore")])
case("tencentcloud_gaap-cross", "tencentcloud_gaap_proxy", True,
     [R("tencentcloud_gaap_proxy", "g", TC_SH, access_region="Shanghai", realserver_region="Hongkong")], {"XB202": 1})
case("tencentcloud_gaap-offshore", "tencentcloud_gaap_proxy", False,
     [R("tencentcloud_gaap_proxy", "g", TC_SH, access_region="Hongkong", realserver_region="SoutheastAsia")])
case("tencentcloud_gaap-unknown-region", "tencentcloud_gaap_proxy", True,
     [R("tencentcloud_gaap_proxy", "g", TC_SH, access_region="Shanghai", realserver_region="Atlantis")], {"XB203": 1})
ccn = R("tencentcloud_ccn", "c", TC_SH)
for t in ("tencentcloud_ccn_attachment", "tencentcloud_ccn_attachment_v2"):
    g1 = R(t, "gz", TC_SH, ccn_id=ref(ccn), instance_region="ap-guangzhou", instance_type="VPC")
    g2 = R(t, "hk", TC_SH, ccn_id=ref(ccn), instance_region="ap-hongkong", instance_type="VPC")
    g3 = R(t, "bj", TC_SH, ccn_id=ref(ccn), instance_region="ap-beijing", instance_type="VPC")
    case(f"{t}-spans-border", t, True, [ccn, g1, g2], {"XB202": 1}, anchor={"XB202": g2.address})
    case(f"{t}-mainland", t, False, [ccn, g1, g3])

# --------------------------------------------------------------------------------------------- Huawei
HW_BJ = P("huaweicloud", region="cn-north-4")
HW_HK = P("huaweicloud", region="ap-southeast-1")  # Hong Kong on Huawei Cloud
case("huaweicloud_dc_gg_peer_link-cross", "huaweicloud_dc_global_gateway_peer_link", True,
     [R("huaweicloud_dc_global_gateway_peer_link", "l", HW_BJ, peer_site=[{"gateway_id": "g", "region_id": "ap-southeast-1"}])],
     {"XB201": 1}, evidence={"XB201": "Hong Kong"})
case("huaweicloud_dc_gg_peer_link-hk-sg", "huaweicloud_dc_global_gateway_peer_link", False,
     [R("huaweicloud_dc_global_gateway_peer_link", "l", HW_HK, peer_site=[{"gateway_id": "g", "region_id": "ap-southeast-3"}])])
case("huaweicloud_dc_hosted-cross", "huaweicloud_dc_hosted_connect", True,
     [R("huaweicloud_dc_hosted_connect", "h", P("huaweicloud", region="cn-east-3"), peer_location="Singapore")], {"XB201": 1})
case("huaweicloud_dc_hosted-same", "huaweicloud_dc_hosted_connect", False,
     [R("huaweicloud_dc_hosted_connect", "h", P("huaweicloud", region="cn-east-3"), peer_location="Shanghai")])
hosted_hk = R("huaweicloud_dc_hosted_connect", "hk", HW_HK, peer_location="Hong Kong")
case("huaweicloud_dc_vif-connection-in-hong-kong", "huaweicloud_dc_virtual_interface", True,
     [hosted_hk, R("huaweicloud_dc_virtual_interface", "v", HW_BJ, direct_connect_id=ref(hosted_hk), type="private")],
     {"XB201": 1}, anchor={"XB201": "huaweicloud_dc_virtual_interface.v"})
case("huaweicloud_dc_vif-console-connection", "huaweicloud_dc_virtual_interface", False,  # same region, assumed
     [R("huaweicloud_dc_virtual_interface", "v", HW_HK, direct_connect_id="2a8f1b7c-0000-4000-8000-000000000001", type="private")])
case("huaweicloud_dc_vif-same-region", "huaweicloud_dc_virtual_interface", False,
     [hosted_hk, R("huaweicloud_dc_virtual_interface", "v", HW_HK, direct_connect_id=ref(hosted_hk), type="private")])
case("huaweicloud_cc_bwp-cross", "huaweicloud_cc_bandwidth_package", True,
     [R("huaweicloud_cc_bandwidth_package", "b", HW_BJ, local_area_id="Chinese-Mainland", remote_area_id="Asia-Pacific")], {"XB202": 1})
case("huaweicloud_cc_bwp-mainland", "huaweicloud_cc_bandwidth_package", False,
     [R("huaweicloud_cc_bandwidth_package", "b", HW_BJ, local_area_id="Chinese-Mainland", remote_area_id="Chinese-Mainland")])
case("huaweicloud_cc_irb-cross", "huaweicloud_cc_inter_region_bandwidth", True,
     [R("huaweicloud_cc_inter_region_bandwidth", "b", HW_BJ, inter_region_ids=["cn-north-4", "ap-southeast-1"])], {"XB202": 1})
case("huaweicloud_cc_irb-mainland", "huaweicloud_cc_inter_region_bandwidth", False,
     [R("huaweicloud_cc_inter_region_bandwidth", "b", HW_BJ, inter_region_ids=["cn-north-4", "cn-east-3"])])
case("huaweicloud_cc_gcb-bordercross", "huaweicloud_cc_global_connection_bandwidth", True,
     [R("huaweicloud_cc_global_connection_bandwidth", "g", HW_BJ, bordercross=True, type="Region", size=10)], {"XB202": 1},
     evidence={"XB202": "bordercross = true"})
case("huaweicloud_cc_gcb-bordercross-false-trap", "huaweicloud_cc_global_connection_bandwidth", False,
     [R("huaweicloud_cc_global_connection_bandwidth", "g", HW_BJ, bordercross=False, type="Region", size=10)])


def _hw_ga(area: str, region: str) -> list[Resource]:
    a = R("huaweicloud_ga_accelerator", "a", HW_BJ, ip_sets=[{"area": area, "ip_type": "IPV4"}])
    lst = R("huaweicloud_ga_listener", "l", HW_BJ, accelerator_id=ref(a))
    return [a, lst, R("huaweicloud_ga_endpoint_group", "e", HW_BJ, region_id=region, listeners=[{"id": ref(lst)}])]


case("huaweicloud_ga_eg-cross", "huaweicloud_ga_endpoint_group", True, _hw_ga("CM", "ap-southeast-3"), {"XB202": 1})
case("huaweicloud_ga_eg-offshore", "huaweicloud_ga_endpoint_group", False, _hw_ga("OUTOFCM", "ap-southeast-1"))
conn = R("huaweicloud_cc_connection", "c", HW_BJ)
n1 = R("huaweicloud_cc_network_instance", "bj", HW_BJ, cloud_connection_id=ref(conn), region_id="cn-north-4")
n2 = R("huaweicloud_cc_network_instance", "hk", HW_BJ, cloud_connection_id=ref(conn), region_id="ap-southeast-1")
n3 = R("huaweicloud_cc_network_instance", "gz", HW_BJ, cloud_connection_id=ref(conn), region_id="cn-south-1")
case("huaweicloud_cc_group-spans-border", "huaweicloud_cc_network_instance", True, [conn, n1, n2], {"XB202": 1})
case("huaweicloud_cc_group-mainland", "huaweicloud_cc_network_instance", False, [conn, n1, n3])

# --------------------------------------------------------------------------------------------- Volcengine, Baidu, UCloud, Kingsoft
VE_BJ = P("volcengine", region="cn-beijing")
cgw_hk = R("volcengine_customer_gateway", "hk", VE_BJ, ip_address=HK_IP)
cgw_cn = R("volcengine_customer_gateway", "cn", VE_BJ, ip_address=CN_IP)
case("volcengine_vpn-cross", "volcengine_vpn_connection", True, [cgw_hk, R("volcengine_vpn_connection", "v", VE_BJ, customer_gateway_id=ref(cgw_hk))], {"XB101": 1})
case("volcengine_vpn-mainland", "volcengine_vpn_connection", False, [cgw_cn, R("volcengine_vpn_connection", "v", VE_BJ, customer_gateway_id=ref(cgw_cn))])
case("volcengine_ssl_vpn-mainland", "volcengine_ssl_vpn_server", True, [R("volcengine_ssl_vpn_server", "s", P("volcengine", region="cn-shanghai"))], {"XB103": 1})
case("volcengine_ssl_vpn-hongkong", "volcengine_ssl_vpn_server", False, [R("volcengine_ssl_vpn_server", "s", P("volcengine", region="cn-hongkong"))])
case("volcengine_dc-licensed", "volcengine_direct_connect_connection", True,
     [R("volcengine_direct_connect_connection", "d", VE_BJ, peer_location="Singapore", line_operator="ChinaUnicom")],
     {"XB201": 1}, severity={"XB201": "medium"})
case("volcengine_dc-same", "volcengine_direct_connect_connection", False,
     [R("volcengine_direct_connect_connection", "d", VE_BJ, peer_location="Beijing", line_operator="ChinaTelecom")])
for t in ("volcengine_cen_bandwidth_package", "volcengine_transit_router_bandwidth_package"):
    case(f"{t}-china-asia", t, True, [R(t, "b", VE_BJ, local_geographic_region_set_id="China", peer_geographic_region_set_id="Asia", line_operator="ChinaUnicom")],
         {"XB202": 1}, severity={"XB202": "medium"}, evidence={"XB202": "[unverified]"})
    case(f"{t}-china-china", t, False, [R(t, "b", VE_BJ, local_geographic_region_set_id="China", peer_geographic_region_set_id="China")])
case("volcengine_cen_irb-cross", "volcengine_cen_inter_region_bandwidth", True,
     [R("volcengine_cen_inter_region_bandwidth", "b", VE_BJ, local_region_id="cn-beijing", peer_region_id="cn-hongkong")], {"XB202": 1})
case("volcengine_cen_irb-mainland", "volcengine_cen_inter_region_bandwidth", False,
     [R("volcengine_cen_inter_region_bandwidth", "b", VE_BJ, local_region_id="cn-beijing", peer_region_id="cn-shanghai")])
case("volcengine_tr_peer-cross", "volcengine_transit_router_peer_attachment", True,
     [R("volcengine_transit_router_peer_attachment", "p", P("volcengine", region="cn-shanghai"), peer_transit_router_region_id="ap-southeast-1")], {"XB202": 1})
case("volcengine_tr_peer-mainland", "volcengine_transit_router_peer_attachment", False,
     [R("volcengine_transit_router_peer_attachment", "p", P("volcengine", region="cn-shanghai"), peer_transit_router_region_id="cn-guangzhou")])
BD = P("baiducloud", region="bj")
case("baiducloud_vpn-cross", "baiducloud_vpn_conn", True, [R("baiducloud_vpn_conn", "v", BD, remote_ip=HK_IP)], {"XB101": 1})
case("baiducloud_vpn-mainland", "baiducloud_vpn_conn", False, [R("baiducloud_vpn_conn", "v", BD, remote_ip=CN_IP)])
case("baiducloud_peer-cross", "baiducloud_peer_conn", True, [R("baiducloud_peer_conn", "p", BD, peer_region="hkg")], {"XB202": 1})
case("baiducloud_peer-mainland", "baiducloud_peer_conn", False, [R("baiducloud_peer_conn", "p", BD, peer_region="gz")])
UC = P("ucloud", region="cn-sh2")
ucg_us = R("ucloud_vpn_customer_gateway", "us", UC, ip_address=US_IP)
ucg_cn = R("ucloud_vpn_customer_gateway", "cn", UC, ip_address=CN_IP2)
case("ucloud_vpn-cross", "ucloud_vpn_connection", True, [ucg_us, R("ucloud_vpn_connection", "v", UC, customer_gateway_id=ref(ucg_us))], {"XB101": 1})
case("ucloud_vpn-mainland", "ucloud_vpn_connection", False, [ucg_cn, R("ucloud_vpn_connection", "v", UC, customer_gateway_id=ref(ucg_cn))])
case("ucloud_udpn-cross", "ucloud_udpn_connection", True, [R("ucloud_udpn_connection", "u", UC, peer_region="hk")], {"XB202": 1})
case("ucloud_udpn-mainland", "ucloud_udpn_connection", False, [R("ucloud_udpn_connection", "u", UC, peer_region="cn-bj2")])
case("ucloud_vpc_peering-cross", "ucloud_vpc_peering_connection", True, [R("ucloud_vpc_peering_connection", "p", UC, peer_region="tw-tp")], {"XB202": 1})
case("ucloud_vpc_peering-same", "ucloud_vpc_peering_connection", False, [R("ucloud_vpc_peering_connection", "p", UC, peer_vpc_id="v")])
KS = P("ksyun", region="cn-beijing-6")
kcg_hk = R("ksyun_vpn_customer_gateway", "hk", KS, customer_gateway_address=HK_IP)
kcg_cn = R("ksyun_vpn_customer_gateway", "cn", KS, customer_gateway_address=CN_IP)
case("ksyun_vpn-cross", "ksyun_vpn_tunnel", True, [kcg_hk, R("ksyun_vpn_tunnel", "t", KS, customer_gateway_id=ref(kcg_hk))], {"XB101": 1})
case("ksyun_vpn-mainland", "ksyun_vpn_tunnel", False, [kcg_cn, R("ksyun_vpn_tunnel", "t", KS, customer_gateway_id=ref(kcg_cn))])
case("ksyun_dci-region-unknown", "ksyun_direct_connect_interface", True,
     [R("ksyun_direct_connect_interface", "i", P("ksyun", region=Unknown("var.region has no value")))], {"XB203": 1})
case("ksyun_dci-region-known", "ksyun_direct_connect_interface", False, [R("ksyun_direct_connect_interface", "i", KS)])

# --------------------------------------------------------------------------------------------- Equinix
EQ = P("equinix")


def _fabric(a: str, z: str, **z_extra: Any) -> Resource:
    return R("equinix_fabric_connection", "c", EQ, type="EVPL_VC", bandwidth=50,
             a_side=[{"access_point": [{"type": "COLO", "location": [{"metro_code": a}]}]}],
             z_side=[{"access_point": [{"type": "SP", "location": [{"metro_code": z}], **z_extra}]}])


case("equinix_fabric-sh-hk", "equinix_fabric_connection", True, [_fabric("SH", "HK")], {"XB201": 1, "XB301": 1},
     message={"XB301": "Equinix is not in the licensed-operator registry"}, evidence={"XB201": "[unverified]"})
case("equinix_fabric-sg-hk", "equinix_fabric_connection", False, [_fabric("SG", "HK")])
case("equinix_fabric-unknown-metro", "equinix_fabric_connection", True, [_fabric("SG", "ZZ")], {"XB203": 1},
     evidence={"XB203": "equinix_metro"})
case("equinix_fabric-seller-region", "equinix_fabric_connection", True, [_fabric("SG", "SG", seller_region="cn-north-1")],
     {"XB201": 1, "XB301": 1})
case("equinix_fabric-seller-region-hongkong", "equinix_fabric_connection", False, [_fabric("SG", "HK", seller_region="cn-hongkong")])
# Any cloud's region: a typo is unknown (before: offshore); codes every listing cloud places offshore stay offshore.
case("equinix_fabric-seller-region-typo", "equinix_fabric_connection", True,
     [_fabric("SH", "SH", seller_region="us-est-1")], {"XB203": 1, "XB301": 1},
     evidence={"XB203": "unlisted location us-est-1 in the cloud regions (any provider) table"})
case("equinix_fabric-seller-region-ap-southeast-1", "equinix_fabric_connection", False,
     [_fabric("SG", "SG", seller_region="ap-southeast-1")])
case("equinix_fabric-seller-region-azure", "equinix_fabric_connection", True,
     [_fabric("SH", "SH", seller_region="eastus")], {"XB201": 1, "XB301": 1}, evidence={"XB201": "Virginia (Azure)"})
d1 = R("equinix_network_device", "sh", EQ, metro_code="SH")
d2 = R("equinix_network_device", "hk", EQ, metro_code="HK")
d3 = R("equinix_network_device", "sg", EQ, metro_code="SG")
case("equinix_device_link-cross", "equinix_network_device_link", True,
     [d1, d2, R("equinix_network_device_link", "l", EQ, device=[{"id": ref(d1, "uuid")}, {"id": ref(d2, "uuid")}])],
     {"XB201": 1, "XB301": 2})
case("equinix_device_link-offshore", "equinix_network_device_link", False,
     [d3, d2, R("equinix_network_device_link", "l", EQ, device=[{"id": ref(d3, "uuid")}, {"id": ref(d2, "uuid")}])])
case("equinix_device-shanghai", "equinix_network_device", True, [R("equinix_network_device", "d", EQ, metro_code="SH")], {"XB301": 1},
     severity={"XB301": "medium"})
case("equinix_device-singapore", "equinix_network_device", False, [R("equinix_network_device", "d", EQ, metro_code="SG")])
for t in ("equinix_fabric_cloud_router", "equinix_fabric_port"):
    case(f"{t}-shanghai", t, True, [R(t, "x", EQ, location=[{"metro_code": "SH"}])], {"XB301": 1})
    case(f"{t}-silicon-valley", t, False, [R(t, "x", EQ, location=[{"metro_code": "SV"}])])

# --------------------------------------------------------------------------------------------- Megaport, PacketFabric
MP = P("megaport")
MP_CODES = {"megaport_location": {"901": ("mainland", "test: mainland location"), "902": ("offshore", "test: Hong Kong")}}
for t in ("megaport_port", "megaport_lag_port", "megaport_mcr", "megaport_mve"):
    case(f"{t}-mainland-location", t, True, [R(t, "x", MP, location_id=901)], {"XB301": 1}, codes=MP_CODES)
    case(f"{t}-unlisted-location", t, False, [R(t, "x", MP, location_id=3)])
mp1 = R("megaport_port", "a", MP, location_id=901)
mp2 = R("megaport_port", "b", MP, location_id=902)
mp3 = R("megaport_port", "c", MP, location_id=902)
case("megaport_vxc-cross", "megaport_vxc", True,
     [mp1, mp2, R("megaport_vxc", "v", MP, a_end=[{"requested_product_uid": ref(mp1, "product_uid")}], b_end=[{"requested_product_uid": ref(mp2, "product_uid")}])],
     {"XB201": 1, "XB301": 2}, codes=MP_CODES)
case("megaport_vxc-offshore", "megaport_vxc", False,
     [mp2, mp3, R("megaport_vxc", "v", MP, a_end=[{"requested_product_uid": ref(mp2, "product_uid")}], b_end=[{"requested_product_uid": ref(mp3, "product_uid")}])],
     codes=MP_CODES)
case("megaport_vxc-unlisted-locations", "megaport_vxc", True,
     [R("megaport_port", "p", MP, location_id=5), R("megaport_vxc", "v", MP, a_end=[{"requested_product_uid": Ref("megaport_port.p", "product_uid")}],
                                                    b_end=[{"requested_product_uid": "uid-of-partner-port"}])],
     {"XB203": 1})
PF = P("packetfabric")
PF_CODES = {"packetfabric_pop": {"PEK1": ("mainland", "test: mainland POP")}}
case("packetfabric_port-mainland-pop", "packetfabric_port", True, [R("packetfabric_port", "p", PF, pop="PEK1")], {"XB301": 1}, codes=PF_CODES)
case("packetfabric_port-us", "packetfabric_port", False, [R("packetfabric_port", "p", PF, pop="NYC5")])
case("packetfabric_cloud_router-mainland-region", "packetfabric_cloud_router", True,
     [R("packetfabric_cloud_router", "r", PF, regions=["US", "PEK1"])], {"XB301": 1}, codes=PF_CODES)
case("packetfabric_cloud_router-us-uk", "packetfabric_cloud_router", False, [R("packetfabric_cloud_router", "r", PF, regions=["US", "UK"])])
case("packetfabric_p2p-cross", "packetfabric_point_to_point", True,
     [R("packetfabric_point_to_point", "p", PF, endpoints=[{"pop": "PEK1"}, {"pop": "LON1"}])], {"XB201": 1, "XB301": 1}, codes=PF_CODES)
case("packetfabric_p2p-offshore", "packetfabric_point_to_point", False,
     [R("packetfabric_point_to_point", "p", PF, endpoints=[{"pop": "NYC5"}, {"pop": "LON1"}])])
pf1 = R("packetfabric_port", "a", PF, pop="PEK1")
pf2 = R("packetfabric_port", "b", PF, pop="LON1")
pf3 = R("packetfabric_port", "c", PF, pop="NYC1")
case("packetfabric_bvc-cross", "packetfabric_backbone_virtual_circuit", True,
     [pf1, pf2, R("packetfabric_backbone_virtual_circuit", "v", PF, interface_a=[{"port_circuit_id": ref(pf1)}], interface_b=[{"port_circuit_id": ref(pf2)}])],
     {"XB201": 1, "XB301": 2}, codes=PF_CODES)
case("packetfabric_bvc-offshore", "packetfabric_backbone_virtual_circuit", False,
     [pf3, pf2, R("packetfabric_backbone_virtual_circuit", "v", PF, interface_a=[{"port_circuit_id": ref(pf3)}], interface_b=[{"port_circuit_id": ref(pf2)}])])
case("packetfabric_ipsec-cross", "packetfabric_cloud_router_connection_ipsec", True,
     [R("packetfabric_cloud_router_connection_ipsec", "i", PF, pop="NYC1", gateway_address=CN_IP)], {"XB101": 1, "XB301": 1})
case("packetfabric_ipsec-us", "packetfabric_cloud_router_connection_ipsec", False,
     [R("packetfabric_cloud_router_connection_ipsec", "i", PF, pop="NYC1", gateway_address=US_IP)])
for t in ("packetfabric_cs_aws_hosted_connection", "packetfabric_cs_aws_dedicated_connection"):
    case(f"{t}-aws-china", t, True, [R(t, "c", PF, pop="NYC1", aws_region="cn-north-1")], {"XB201": 1, "XB301": 1})
    case(f"{t}-aws-us", t, False, [R(t, "c", PF, pop="NYC1", aws_region="us-east-1")])

# --------------------------------------------------------------------------------------------- Cloudflare
CF = P("cloudflare")
case("cloudflare_ipsec-mainland-customer", "cloudflare_magic_wan_ipsec_tunnel", True,
     [R("cloudflare_magic_wan_ipsec_tunnel", "t", CF, customer_endpoint=CN_IP, cloudflare_endpoint="162.159.64.1")],
     {"XB101": 1, "XB301": 1}, evidence={"XB301": "JD Cloud"})
case("cloudflare_ipsec-hk-customer", "cloudflare_magic_wan_ipsec_tunnel", False,
     [R("cloudflare_magic_wan_ipsec_tunnel", "t", CF, customer_endpoint=HK_IP, cloudflare_endpoint="162.159.64.1")])
case("cloudflare_gre-mainland-customer", "cloudflare_magic_wan_gre_tunnel", True,
     [R("cloudflare_magic_wan_gre_tunnel", "t", CF, customer_gre_endpoint=CN_IP2)], {"XB101": 1, "XB301": 1})
case("cloudflare_gre-us-customer", "cloudflare_magic_wan_gre_tunnel", False,
     [R("cloudflare_magic_wan_gre_tunnel", "t", CF, customer_gre_endpoint=US_IP)])
case("cloudflare_site-shanghai", "cloudflare_magic_transit_site", True,
     [R("cloudflare_magic_transit_site", "s", CF, location={"lat": 31.23, "lon": 121.47})], {"XB301": 1},
     evidence={"XB301": "coarse outline of mainland China"})
case("cloudflare_site-hong-kong", "cloudflare_magic_transit_site", False,
     [R("cloudflare_magic_transit_site", "s", CF, location={"lat": 22.32, "lon": 114.17})])
case("cloudflare_site-taipei", "cloudflare_magic_transit_site", False,
     [R("cloudflare_magic_transit_site", "s", CF, location={"lat": "25.03", "lon": "121.56"})])

# --------------------------------------------------------------------------------------------- Aviatrix
AV = P("aviatrix")
for t, ct in (("aviatrix_transit_gateway", 1024), ("aviatrix_spoke_gateway", 2048), ("aviatrix_gateway", 1024)):
    case(f"{t}-china-cloud", t, True, [R(t, "g", AV, cloud_type=ct, gw_name="gw", vpc_reg="cn-north-1")], {"XB301": 1})
    case(f"{t}-global-cloud", t, False, [R(t, "g", AV, cloud_type=1, gw_name="gw", vpc_reg="us-east-1")])
gw_cn = R("aviatrix_transit_gateway", "cn", AV, cloud_type=1024, gw_name="cn")
gw_az = R("aviatrix_transit_gateway", "az", AV, cloud_type=2048, gw_name="az")
gw_us = R("aviatrix_transit_gateway", "us", AV, cloud_type=1, gw_name="us")
gw_eu = R("aviatrix_transit_gateway", "eu", AV, cloud_type=8, gw_name="eu")
case("aviatrix_transit_peering-cross", "aviatrix_transit_gateway_peering", True,
     [gw_cn, gw_us, R("aviatrix_transit_gateway_peering", "p", AV, transit_gateway_name1=ref(gw_cn, "gw_name"), transit_gateway_name2=ref(gw_us, "gw_name"))],
     {"XB202": 1, "XB301": 2})
case("aviatrix_transit_peering-china-clouds", "aviatrix_transit_gateway_peering", False,
     [gw_cn, gw_az, R("aviatrix_transit_gateway_peering", "p", AV, transit_gateway_name1=ref(gw_cn, "gw_name"), transit_gateway_name2=ref(gw_az, "gw_name"))],
     {"XB301": 3})
case("aviatrix_transit_peering-unknown-gateway", "aviatrix_transit_gateway_peering", True,
     [gw_us, R("aviatrix_transit_gateway_peering", "p", AV, transit_gateway_name1=ref(gw_us, "gw_name"), transit_gateway_name2="existing-gw")],
     {"XB203": 1})
sp_us = R("aviatrix_spoke_gateway", "us", AV, cloud_type=1, gw_name="sp")
case("aviatrix_spoke_attach-cross", "aviatrix_spoke_transit_attachment", True,
     [gw_cn, sp_us, R("aviatrix_spoke_transit_attachment", "a", AV, spoke_gw_name=ref(sp_us, "gw_name"), transit_gw_name=ref(gw_cn, "gw_name"))],
     {"XB202": 1, "XB301": 2})
case("aviatrix_spoke_attach-global", "aviatrix_spoke_transit_attachment", False,
     [gw_us, sp_us, R("aviatrix_spoke_transit_attachment", "a", AV, spoke_gw_name=ref(sp_us, "gw_name"), transit_gw_name=ref(gw_us, "gw_name"))])
case("aviatrix_site2cloud-cross", "aviatrix_site2cloud", True,
     [gw_cn, R("aviatrix_site2cloud", "s", AV, primary_cloud_gateway_name=ref(gw_cn, "gw_name"), remote_gateway_ip=HK_IP)],
     {"XB101": 1, "XB301": 2})
case("aviatrix_site2cloud-global", "aviatrix_site2cloud", False,
     [gw_us, R("aviatrix_site2cloud", "s", AV, primary_cloud_gateway_name=ref(gw_us, "gw_name"), remote_gateway_ip=US_IP)])
for t in ("aviatrix_transit_external_device_conn", "aviatrix_spoke_external_device_conn"):
    case(f"{t}-mainland-device", t, True, [gw_eu, R(t, "c", AV, gw_name=ref(gw_eu, "gw_name"), remote_gateway_ip=CN_IP)], {"XB101": 1, "XB301": 1})
    case(f"{t}-us-device", t, False, [gw_eu, R(t, "c", AV, gw_name=ref(gw_eu, "gw_name"), remote_gateway_ip=US_IP)])

# --------------------------------------------------------------------------------------------- Zscaler, NetBird, overlays
ZS = P("zia")
case("zia_location-china", "zia_location_management", True, [R("zia_location_management", "l", ZS, country="CHINA", tz="CHINA_ASIA_SHANGHAI")],
     {"XB202": 1, "XB301": 1}, evidence={"XB202": "[unverified"})
case("zia_location-hong-kong", "zia_location_management", False, [R("zia_location_management", "l", ZS, country="HONG_KONG")])
case("zia_gre-mainland", "zia_traffic_forwarding_gre_tunnel", True, [R("zia_traffic_forwarding_gre_tunnel", "g", ZS, source_ip=CN_IP)],
     {"XB101": 1, "XB301": 1})
case("zia_gre-within-country", "zia_traffic_forwarding_gre_tunnel", True,
     [R("zia_traffic_forwarding_gre_tunnel", "g", ZS, source_ip=CN_IP, within_country=True)], {"XB301": 1})
case("zia_gre-us", "zia_traffic_forwarding_gre_tunnel", False, [R("zia_traffic_forwarding_gre_tunnel", "g", ZS, source_ip=US_IP)])
case("zia_static_ip-mainland", "zia_traffic_forwarding_static_ip", True, [R("zia_traffic_forwarding_static_ip", "s", ZS, ip_address=CN_IP)], {"XB301": 1})
case("zia_static_ip-hk", "zia_traffic_forwarding_static_ip", False, [R("zia_traffic_forwarding_static_ip", "s", ZS, ip_address=HK_IP)])
case("zia_vpn_credentials-mainland", "zia_traffic_forwarding_vpn_credentials", True,
     [R("zia_traffic_forwarding_vpn_credentials", "c", ZS, type="IP", ip_address=CN_IP2)], {"XB301": 1})
case("zia_vpn_credentials-ufqdn", "zia_traffic_forwarding_vpn_credentials", False,
     [R("zia_traffic_forwarding_vpn_credentials", "c", ZS, type="UFQDN", fqdn="a@example.com")])
NB = P("netbird")
case("netbird_posture-cn", "netbird_posture_check", True,
     [R("netbird_posture_check", "p", NB, geo_location_check=[{"action": "allow", "locations": [{"country_code": "CN"}]}])], {"XB301": 1})
case("netbird_posture-hk", "netbird_posture_check", False,
     [R("netbird_posture_check", "p", NB, geo_location_check=[{"action": "allow", "locations": [{"country_code": "HK"}]}])])
for t, ptype in (("tailscale_device_subnet_routes", "tailscale"), ("tailscale_acl", "tailscale"), ("tailscale_tailnet_key", "tailscale"),
                 ("netbird_route", "netbird"), ("netbird_network_router", "netbird"), ("netbird_peer", "netbird"),
                 ("zerotier_network", "zerotier"), ("zerotier_member", "zerotier")):
    ov = R(t, "o", P(ptype))
    case(f"{t}-with-mainland-resource", t, True, [R("alicloud_instance", "web", ALI_HZ), ov], {"XB301": 1}, anchor={"XB301": ov.address},
         evidence={"XB301": "[unverified"})
    case(f"{t}-with-hongkong-resource", t, False, [R("alicloud_instance", "web", ALI_HK), R(t, "o", P(ptype))])

# --------------------------------------------------------------------------------------------- FortiOS, PAN-OS, SD-WAN
for t in ("fortios_vpnipsec_phase1interface", "fortios_vpnipsec_phase1"):
    case(f"{t}-mainland-peer", t, True, [R(t, "p", P("fortios"), remote_gw=CN_IP, interface="port1")], {"XB102": 1, "XB301": 1},
         message={"XB301": "Fortinet (FortiOS) is not in the licensed-operator registry"})
    case(f"{t}-dialup", t, False, [R(t, "p", P("fortios"), type="dynamic", remote_gw="0.0.0.0")])
case("panos_ike-mainland-peer", "panos_ike_gateway", True, [R("panos_ike_gateway", "g", P("panos"), peer_address=[{"ip": CN_IP}])],
     {"XB102": 1, "XB301": 1})
case("panos_ike-us-peer", "panos_ike_gateway", False, [R("panos_ike_gateway", "g", P("panos"), peer_address=[{"ip": US_IP}])], {"XB102": 1})
for t in ("sdwan_cisco_vpn_interface_ipsec_feature_template", "sdwan_cisco_vpn_interface_gre_feature_template"):
    case(f"{t}-mainland-destination", t, True, [R(t, "f", P("sdwan"), tunnel_destination=CN_IP)], {"XB102": 1, "XB301": 1})
    case(f"{t}-hk-destination", t, False, [R(t, "f", P("sdwan"), tunnel_destination=HK_IP)], {"XB102": 1})
