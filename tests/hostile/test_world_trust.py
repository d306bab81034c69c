"""Worlds (other deployments a template allows) never cost what the defaults read, and say what they could not read.

Before: an internal error while finding one world's links dropped the unit's default links too (one `try` around
both: a Hong Kong VPN of the defaults went unreported); a world's own errors were dropped (a resource that could
not be evaluated only with another allowed value was silent for that value).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import all_formats, scan_json, xborder

CONFIG = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'

VPN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
{default}    AllowedValues: [{allowed}]
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: !Ref CgwIp
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
"""


def _tree(tmp_path: Path, text: str, name: str = "vpn.yaml") -> Path:
    (tmp_path / "stack").mkdir(exist_ok=True)
    (tmp_path / "stack" / name).write_text(text)
    (tmp_path / ".xborder.yaml").write_text(CONFIG)
    return tmp_path


def _vpn(default: str | None, allowed: str) -> str:
    return VPN.format(default=f"    Default: {default}\n" if default is not None else "", allowed=allowed)


# ------------------------------------------------------------------------------------------ 1. a world's failure


def _scan_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing_ip: str) -> Any:
    """An in-process scan in which finding the links of any resource set holding `failing_ip` raises (a bug that
    only one parameter value reaches)."""
    from xborder import scan
    from xborder.context import Options

    real = scan.links_of

    def links_of(resources, *args, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        if any(r.attrs.get("IpAddress") == failing_ip for r in resources):
            raise RuntimeError("boom")
        return real(resources, *args, **kw)

    monkeypatch.setattr(scan, "links_of", links_of)
    monkeypatch.chdir(tmp_path)
    return scan.run_scan(scan.ScanRequest(paths=[tmp_path / "stack"], root=tmp_path, options=Options(jobs=1)))


def test_a_world_that_fails_costs_only_its_own_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults deploy a Hong Kong VPN (XB101); the mainland world fails: XB101 stays, the error names the world."""
    _tree(tmp_path, _vpn("203.186.1.1", "203.186.1.1, 223.5.5.5"))
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert [(f.rule_id, f.resource) for f in result.findings] == [("XB101", "Vpn")], result.findings
    assert "with parameter" not in result.findings[0].message
    (error,) = result.errors
    assert error.path == "stack/vpn.yaml"
    assert "internal error while finding the links with parameter CgwIp = 223.5.5.5, one of its AllowedValues" in error.message
    assert "RuntimeError: boom" in error.message and "not judged" in error.message


def test_a_failing_default_world_is_still_the_whole_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative: when the defaults themselves fail, the input is an internal error and no world is judged alone
    (its link would be reported against defaults nobody read)."""
    _tree(tmp_path, _vpn("223.5.5.5", "223.5.5.5, 203.186.1.1"))
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert result.findings == []
    (error,) = result.errors
    assert error.message.startswith("internal error while reading this input (RuntimeError: boom)"), error


def test_a_failed_world_keeps_the_unknown_of_a_parameter_without_default(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No Default, AllowedValues [Shanghai, Beijing]: clean when both worlds are judged; when one fails, the
    value not judged may be anything it lists, so the defaults' "cannot be determined" (XB102) stays."""
    _tree(tmp_path, _vpn(None, "58.247.0.30, 223.5.5.5"))
    clean = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert clean.doc["findings"] == [] and clean.rc == 0, clean.doc
    result = _scan_in_process(tmp_path, monkeypatch, "223.5.5.5")
    assert [(f.rule_id, f.resource) for f in result.findings] == [("XB102", "Vpn")], result.findings
    assert [e.message.split(" (")[0] for e in result.errors] == [
        "internal error while finding the links with parameter CgwIp = 223.5.5.5, one of its AllowedValues"]
