"""`.tf.json` files: blocks, templates, locations, mixed with `.tf` in one module."""

from __future__ import annotations

import json

from xborder.model import Ref, Unknown


def test_json_resources_and_templates(load) -> None:
    doc = {
        "variable": {"site": {"default": "sha"}, "n": {"default": 2}, "lit": {"default": "${not_evaluated}"}},
        "locals": {"name": "hq-${var.site}"},
        "provider": {"aws": [{"region": "us-east-1"}, {"alias": "cn", "region": "cn-north-1"}]},
        "resource": {
            "aws_customer_gateway": {
                "hq": {"ip_address": "203.0.113.1", "tags": {"Name": "${local.name}"}, "n": "${var.n}",
                       "lit": "${var.lit}", "provider": "aws.cn"}
            },
            "aws_vpn_connection": {
                "this": {"customer_gateway_id": "${aws_customer_gateway.hq.id}",
                         "peer": "${aws_customer_gateway.hq.ip_address}",
                         "count": "${var.n}",
                         "tunnel": {"cidr": "169.254.10.0/30"},
                         "dynamic": {"link": {"for_each": ["a", "b"], "content": {"name": "${link.value}"}}}}
            },
        },
    }
    text = json.dumps(doc, indent=2)
    r = load({"main.tf.json": text, "other.tf": 'resource "x_t" "t" { v = aws_customer_gateway.hq.tags.Name }\n'})
    assert r.errors == []
    cgw = r["aws_customer_gateway.hq"]
    assert cgw.attrs == {"ip_address": "203.0.113.1", "tags": {"Name": "hq-sha"}, "n": 2, "lit": "${not_evaluated}"}
    assert (cgw.provider.alias, cgw.provider.attrs) == ("cn", {"region": "cn-north-1"})
    assert cgw.location.path == "main.tf.json"
    lines = text.splitlines()
    assert '"ip_address"' in lines[cgw.attr_locations["ip_address"].start_line - 1]
    assert '"hq"' in lines[cgw.location.start_line - 1]
    vpn0 = r["aws_vpn_connection.this[0]"]
    assert vpn0.attrs["customer_gateway_id"] == Ref("aws_customer_gateway.hq", "id")
    assert vpn0.attrs["peer"] == "203.0.113.1"
    assert vpn0.attrs["tunnel"] == [{"cidr": "169.254.10.0/30"}]
    assert vpn0.attrs["link"] == [{"name": "a"}, {"name": "b"}]
    assert "aws_vpn_connection.this[1]" in r.addresses
    assert r["x_t.t"].attrs["v"] == "hq-sha"


def test_json_module_and_data(load) -> None:
    r = load({
        "main.tf.json": json.dumps({
            "provider": {"aws": {"alias": "hk", "region": "ap-east-1"}},
            "module": {"net": {"source": "./net", "providers": {"aws": "aws.hk"}, "ip": "${data.aws_eip.x.public_ip}"}},
        }),
        "net/main.tf.json": json.dumps({
            "variable": {"ip": {}},
            "resource": {"aws_customer_gateway": {"gw": {"ip_address": "${var.ip}"}}},
        }),
    })
    gw = r["module.net.aws_customer_gateway.gw"]
    assert gw.provider.alias == "hk"
    assert gw.attrs["ip_address"] == Unknown("data source data.aws_eip.x is read at plan time")
    assert gw.related[0].label == "module call module.net"


def test_json_escapes_and_non_object_top(load) -> None:
    r = load({"a.tf.json": json.dumps({"resource": {"x_t": {"t": {"s": "a\"b\nc $${x}", "q": 'say "${upper("hi")}"'}}}}),
              "b.tf.json": "[1, 2]"})
    assert r["x_t.t"].attrs == {"s": 'a"b\nc ${x}', "q": 'say "HI"'}
    assert [(e.path, e.line) for e in r.errors] == [("b.tf.json", 1)]
