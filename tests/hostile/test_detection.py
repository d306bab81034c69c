"""Visible: a link cannot be made to disappear by formatting, includes or size.

D12 self-includes and include cycles, D14 minified / CR-only CloudFormation JSON, D15 templates
behind a 4 KB comment header, D16 large or comment-headed device configs in directory scans.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CONN, scan_json

ROOT = Path(__file__).resolve().parents[2]

TEMPLATE = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
        "Cgw": {"Type": "AWS::EC2::CustomerGateway", "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": "8.8.8.8"}},
        "Vpn": {"Type": "AWS::EC2::VPNConnection", "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
    },
    "Outputs": {"Arn": {"Value": "arn:aws-cn:ec2:cn-north-1:123456789012:vpn"}},
}


@pytest.mark.parametrize(
    "name,text",
    [
        ("ipsec.conf", "include ipsec.*\n" + CONN),
        ("swanctl.conf", "include *.conf\nconnections { x { local_addrs = 58.247.0.10\n remote_addrs = 8.8.8.8 } }\n"),
    ],
)
def test_d12_self_include_keeps_the_file(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / name).write_text(text)
    for target in ("a", f"a/{name}"):
        run = scan_json(target, cwd=tmp_path)
        assert run.rules == ["XB101"], (target, run.doc)


def test_d12_mutual_includes_keep_both_files_once(tmp_path: Path) -> None:
    (tmp_path / "a.conf").write_text("include b.conf\n" + CONN)
    (tmp_path / "b.conf").write_text("include a.conf\n" + CONN.replace("conn x", "conn y").replace("8.8.8.8", "8.8.4.4"))
    run = scan_json(".", cwd=tmp_path)
    assert sorted((f["path"], f["rule_id"]) for f in run.doc["findings"]) == [("a.conf", "XB101"), ("b.conf", "XB101")]
    assert run.rc == 2  # the loop itself is reported


def test_d12_plain_include_is_still_read_once(tmp_path: Path) -> None:
    """Negative case: a file included by another is read through it, not also on its own."""
    (tmp_path / "ipsec.conf").write_text("include ipsec.d/*.conf\nconfig setup\n")
    (tmp_path / "ipsec.d").mkdir()
    (tmp_path / "ipsec.d" / "x.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path)
    assert [(f["path"], f["rule_id"]) for f in run.doc["findings"]] == [("ipsec.d/x.conf", "XB101")]


@pytest.mark.parametrize(
    "render",
    [
        lambda t: json.dumps(t),  # minified, one line
        lambda t: json.dumps(t, indent=2).replace("\n", "\r"),  # old Mac line ends
        lambda t: json.dumps(t, indent=2).replace("\n", "\r\n"),
        lambda t: "  " + json.dumps(t, separators=(",", ":")),
    ],
    ids=["minified", "cr-only", "crlf", "compact"],
)
def test_d14_cloudformation_json_recognised_whatever_the_layout(tmp_path: Path, render) -> None:  # noqa: ANN001
    (tmp_path / "min.json").write_text(render(TEMPLATE), newline="")
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == ["XB101"], run.doc
    run = scan_json("min.json", cwd=tmp_path)
    assert run.rules == ["XB101"]


def test_d14_other_json_is_not_a_template(tmp_path: Path) -> None:
    """Negative case: package.json-like JSON and a JSON with a 'Resources' key of other shape stay quiet."""
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "Resources": ["a", "b"]}))
    (tmp_path / "data.json").write_text(json.dumps({"Resources": {"a": {"Type": "Thing"}}}))
    run = scan_json(".", cwd=tmp_path)
    assert run.doc["findings"] == [] and run.doc["errors"] == [] and run.rc == 0


def test_d15_comment_header_longer_than_4kb(tmp_path: Path) -> None:
    original = (ROOT / "fixtures" / "cloudformation" / "ningxia-vpn.yaml").read_text()
    header = "".join(f"# licence header text line {i:03d}, copyright notices and more words here.............\n" for i in range(60))
    assert len(header) > 4096
    (tmp_path / "ningxia-vpn.yaml").write_text(header + original)
    plain = scan_json(str(ROOT / "fixtures" / "cloudformation" / "ningxia-vpn.yaml"), "--no-config", "--root", str(ROOT), cwd=ROOT)
    run = scan_json(".", "--no-config", cwd=tmp_path)
    assert run.rules == plain.rules and run.rules, (plain.doc, run.doc)


def test_d16_oversized_device_config_is_reported_in_directory_scans(tmp_path: Path) -> None:
    (tmp_path / "padded").mkdir()
    with open(tmp_path / "padded" / "ipsec.conf", "w") as fh:
        fh.write(CONN)
        fh.write("# padding padding padding padding padding padding padding padding padding padding padding\n" * 120_000)
    run = scan_json("padded", cwd=tmp_path)
    assert run.rc == 2 and any("larger than 10 MB" in m for m in run.errors_for("padded/ipsec.conf"))


def test_d16_config_behind_a_long_comment_header(tmp_path: Path) -> None:
    (tmp_path / "nethead").mkdir()
    header = "# licence header licence header licence header licence header licence header licence header\n" * 2900
    assert len(header) > 256 * 1024
    (tmp_path / "nethead" / "ipsec.conf").write_text(header + CONN)
    run = scan_json("nethead", cwd=tmp_path)
    assert run.rules == ["XB101"]
    assert run.doc["findings"][0]["start_line"] == 2901


def test_d16_large_non_config_text_stays_quiet(tmp_path: Path) -> None:
    """Negative case: a big log file in the tree is not a device config and not an error."""
    with open(tmp_path / "build.log", "w") as fh:
        fh.write("2026-01-01 12:00:00 INFO compiling module number 12345 of the project tree\n" * 150_000)
    run = scan_json(".", cwd=tmp_path)
    assert run.doc["errors"] == [] and run.rc == 0


def _cfn_tree(root: Path) -> None:
    body = json.dumps(TEMPLATE)
    (root / "min.json").write_text(body)
    (root / "pretty.json").write_text(json.dumps(TEMPLATE, indent=2))
    (root / "headed.yaml").write_text("# licence header\n" * 400 + (ROOT / "fixtures/cloudformation/ningxia-vpn.yaml").read_text())
    (root / "broken.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n")
    (root / "latin1.json").write_bytes(body.replace("ipsec.1", "ipsec.1\xe9").encode("latin-1"))  # not UTF-8
    (root / "values.yaml").write_text("replicas: 2\n")


def _scan_in_process(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    from xborder.cli import main

    capsys.readouterr()
    rc = main(["scan", str(root), "--root", str(root), "--no-config", "--no-cache", "--format", "json", "--fail-on", "never"])
    assert rc == 2  # broken.yaml and latin1.json are errors
    return capsys.readouterr().out


def test_cloudformation_templates_are_parsed_once_with_the_same_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recognition parses every candidate; the load reuses that document (each template is parsed once).
    With no room to keep documents the load parses again: the report is byte-identical either way."""
    from xborder.inputs.cloudformation import plugin, syntax

    _cfn_tree(tmp_path)
    parsed: list[int] = []
    for name in ("load_json", "load_yaml"):
        real = getattr(syntax, name)
        monkeypatch.setattr(syntax, name, lambda text, _real=real: (parsed.append(len(text)), _real(text))[1])
    once = _scan_in_process(tmp_path, capsys)
    parses_once = len(parsed)
    parsed.clear()
    monkeypatch.setattr(plugin, "KEEP_PARSED_BYTES", 0)
    twice = _scan_in_process(tmp_path, capsys)
    assert once == twice
    doc = json.loads(once)
    paths = sorted({f["path"] for f in doc["findings"]})
    assert paths == ["headed.yaml", "min.json", "pretty.json"], doc["findings"]
    errors = {e["path"] for e in doc["errors"]}
    assert {"broken.yaml", "latin1.json"} <= errors, doc["errors"]
    # min, pretty, headed and broken (its syntax error is kept for the load to report): once each;
    # latin1.json: once (its load stops at the encoding); values.yaml: never (no '::', no template key)
    assert parses_once == 4 + 1, parses_once
    assert len(parsed) == parses_once + 4
