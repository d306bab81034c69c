"""Guarded: an internal error costs the smallest unit, names file:line, and never the whole scan (D13,
D24, D25). Each case puts the trigger next to an ordinary XB101 that must still be reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CONN, scan_json, vpn, xborder

TRIGGERS = {
    "include-400-segments": ("ipsec.conf", "include " + "/".join(["d/*"] * 400) + "\n" + CONN),
    "include-long-name": ("ipsec.conf", "include " + "a" * 300 + "\n" + CONN),
    "include-star-star-star": ("ipsec.conf", "include ***\n" + CONN),
    "hcl-lone-surrogate": ("main.tf", vpn(name="vpn\\uD800")),
    "module-long-source": ("main.tf", 'module "m" {\n  source = "./' + "a" * 300 + '"\n}\n' + vpn()),
    "attribute-and-block": ("main.tf", vpn() + 'resource "null_resource" "unrelated" {\n  triggers = "x"\n  triggers {}\n}\n'),
    "cfn-control-char": ("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nDescription: \"page\x0cbreak\"\nResources:\n  V:\n    Type: AWS::EC2::VPNGateway\n    Properties: {Type: ipsec.1}\n"),
    "cfn-huge-int": ("t.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"V": {"Type": "AWS::EC2::VPNGateway", "Properties": {"N": ' + "9" * 5000 + "}}}}"),
    "tfjson-huge-int": ("x.tf.json", '{"locals": {"n": ' + "9" * 5000 + "}}"),
    "strongswan-also-chain": ("ipsec.conf", "".join(f"conn c{i}\n\talso=c{i + 1}\n" for i in range(5000)) + CONN),
    "netplan-deep": ("01-net.yaml", "network:\n  version: 2\n  x: " + "[" * 2000 + "]" * 2000 + "\n"),
}


@pytest.mark.parametrize("case", sorted(TRIGGERS))
def test_d13_d24_d25_trigger_costs_only_its_unit(tmp_path: Path, case: str) -> None:
    name, text = TRIGGERS[case]
    (tmp_path / "trigger").mkdir()
    (tmp_path / "trigger" / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path, timeout=40)
    other = [f for f in run.doc["findings"] if f["path"] == "other/ipsec.conf"]
    assert [f["rule_id"] for f in other] == ["XB101"], run.doc
    for err in run.doc["errors"]:
        assert "/tmp/" not in err["message"] and str(tmp_path) not in err["message"]  # no runner paths


def test_d24_attribute_and_block_keep_the_module(tmp_path: Path) -> None:
    """The VPN in the same root module as the odd resource is still judged."""
    (tmp_path / "main.tf").write_text(vpn() + 'resource "null_resource" "unrelated" {\n  triggers = "x"\n  triggers {}\n}\n')
    run = scan_json(".", cwd=tmp_path)
    assert "XB101" in run.rules, run.doc


def test_d13_bad_glob_in_config(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / ".xborder.yaml").write_text('cloudformation:\n  - paths: ["[z-a]"]\n    region: cn-north-1\n')
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == ["XB101"]


def test_d13_deep_baseline_is_an_error_not_an_abort(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / "base.json").write_text("[" * 100_000 + "]" * 100_000)
    run = scan_json(".", "--baseline", "base.json", cwd=tmp_path)
    assert run.rc == 2 and run.rules == ["XB101"] and run.errors_for("base.json")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_d13_lone_surrogates_in_every_format(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "main.tf").write_text(vpn(name="vpn\\uD800"))
    (tmp_path / "t.json").write_text(
        '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"V\\ud800": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}}}}'
    )
    run = xborder("scan", ".", "--format", fmt, cwd=tmp_path)
    assert run.rc in (1, 2) and run.out
