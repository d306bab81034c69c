"""Code scanning alerts per module instance; findings in downloaded modules located where the user can act."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xborder import cli
from tree_support import VPN_MODULE as MODULE, write  # noqa: E402

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n'


def sarif(root: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    cli.main(["scan", str(root), "--root", str(root), "--no-config", "--format", "sarif"])
    return [r for r in json.loads(capsys.readouterr().out)["runs"][0]["results"] if r["ruleId"] == "XB101"]


def test_two_instances_of_a_module_are_two_alerts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "modules/vpn/main.tf", MODULE)
    calls = "".join(f'module "{n}" {{\n  source = "../modules/vpn"\n  ip     = "{ip}"\n}}\n' for n, ip in (("a", "203.186.1.1"), ("b", "203.186.1.2")))
    write(tmp_path, "live/main.tf", PROVIDER + calls)
    results = sarif(tmp_path, capsys)
    assert len(results) == 2
    hashes = {r["partialFingerprints"]["primaryLocationLineHash"] for r in results}
    assert len(hashes) == 2, "one alert per instance: a dismissal of one must not cover the other"
    names = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for r in results}
    assert names == {"module.a.aws_vpn_connection.this", "module.b.aws_vpn_connection.this"}
    # stable: the same instance keeps its hash when another instance is added
    first = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in results}
    write(tmp_path, "live/main.tf", PROVIDER + calls + 'module "c" {\n  source = "../modules/vpn"\n  ip     = "203.186.1.3"\n}\n')
    again = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif(tmp_path, capsys)}
    assert {k: again[k] for k in first} == first and len(set(again.values())) == 3


def test_finding_in_a_downloaded_module_points_at_the_module_call(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, ".terraform/modules/vpn/main.tf", MODULE)
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."}, {"Key": "vpn", "Source": "git::https://example.com/vpn.git", "Dir": ".terraform/modules/vpn"}]}
    write(tmp_path, ".terraform/modules/modules.json", json.dumps(manifest))
    write(tmp_path, "main.tf", PROVIDER + '\nmodule "vpn" {\n  source = "git::https://example.com/vpn.git"\n  ip     = "203.186.1.1"\n}\n')
    [result] = sarif(tmp_path, capsys)
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "main.tf" and loc["region"]["startLine"] == 5
    related = [r["physicalLocation"]["artifactLocation"]["uri"] for r in result["relatedLocations"]]
    assert ".terraform/modules/vpn/main.tf" in related
    assert any("downloaded by terraform init" in r.get("message", {}).get("text", "") for r in result["relatedLocations"])
