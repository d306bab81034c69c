"""Command-line conventions: no abbreviations, helpful --help, clear errors, colour, plurals, excludes, formats."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from xborder import cli

VPN = """\
provider "aws" {
  region = "cn-north-1"
}

resource "aws_customer_gateway" "hk" {
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
  bgp_asn    = 65000
}

resource "aws_vpn_connection" "a" {
  customer_gateway_id = aws_customer_gateway.hk.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "net").mkdir()
    (tmp_path / "net" / "main.tf").write_text(VPN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def test_abbreviated_option_is_rejected_with_the_closest_flag(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["scan", ".", "--sarif"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: --sarif" in err and "did you mean --sarif-include-suppressed?" in err
    assert not list(repo.glob("*.sarif"))
    assert cli.main(["scan", ".", "--fail"]) == 2
    assert "did you mean --fail-on?" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["scan", "baseline"])
def test_help_has_examples_exit_codes_and_files_read(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for needle in ("examples:", "exit codes:", "files read automatically:", "terraform.tfvars", "*.auto.tfvars", ".xborder.yaml", "--exclude"):
        assert needle in out, needle
    assert "--var-file" in out and "--env-vars" in out and "--no-config" in out and "--root" in out


def test_output_to_a_directory_is_a_clear_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "out").mkdir()
    assert cli.main(["scan", ".", "-o", "out"]) == 2
    err = capsys.readouterr().err
    assert "--output out: is a directory; give a file name" in err and "internal error" not in err


def test_no_line_zero_in_messages(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["scan", "missing-dir"]) == 2
    out = capsys.readouterr().out
    assert "missing-dir: error: no such file or directory" in out and ":0:" not in out


@pytest.mark.parametrize("name", ["XB101", "xb101", "cross-border-vpn", "CROSS-BORDER-VPN"])
def test_explain_accepts_ids_and_names(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain", name]) == 0
    assert "XB101" in capsys.readouterr().out


def test_explain_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain", "cross-border-nothing"]) == 2
    assert "unknown rule" in capsys.readouterr().err


def test_force_color_and_no_color(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    cli.main(["scan", "."])
    assert "\033[" not in capsys.readouterr().out  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    cli.main(["scan", "."])
    assert "\033[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    cli.main(["scan", "."])
    assert "\033[" not in capsys.readouterr().out
    cli.main(["scan", ".", "--color", "always"])
    assert "\033[" in capsys.readouterr().out


def test_singular_and_plural(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["baseline", ".", "-o", "b.json"]) == 0
    assert "recorded 1 finding in b.json" in capsys.readouterr().err
    cli.main(["scan", "."])
    assert "1 finding (1 high, 0 medium, 0 low)" in capsys.readouterr().out


def test_exclude_option_and_config_key(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "examples" / "demo").mkdir(parents=True)
    (repo / "examples" / "demo" / "main.tf").write_text(VPN)
    (repo / "test" / "fixtures").mkdir(parents=True)
    (repo / "test" / "fixtures" / "main.tf").write_text(VPN)

    def paths(*args: str, target: str = ".") -> set[str]:
        cli.main(["scan", target, "--format", "json", *args])
        return {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}

    assert paths() == {"net/main.tf", "examples/demo/main.tf", "test/fixtures/main.tf"}
    assert paths("--exclude", "examples", "--exclude", "test/fixtures/**") == {"net/main.tf"}
    # a named file is excluded too, so pre-commit agrees with a full scan
    assert paths("--exclude", "examples", target="examples/demo/main.tf") == set()
    (repo / ".xborder.yaml").write_text("exclude:\n  - examples\n  - test/fixtures\n")
    assert paths() == {"net/main.tf"}


def test_several_formats_from_one_scan(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["scan", ".", "--format", "text", "--format", "sarif:out/x.sarif", "-f", "junit:out/x.xml", "-f", "gitlab:out/cq.json"])
    assert code == 1
    assert "net/main.tf:11:1: XB101 [high]" in capsys.readouterr().out
    sarif = json.loads((repo / "out/x.sarif").read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "XB101"
    suites = ET.parse(repo / "out/x.xml").getroot()
    assert suites.tag == "testsuites" and suites.get("failures") == "1"
    [case] = suites.iter("testcase")
    assert case.get("file") == "net/main.tf" and case.find("failure").get("type") == "high"
    [issue] = json.loads((repo / "out/cq.json").read_text())
    assert issue["check_name"] == "XB101" and issue["severity"] == "critical"
    assert issue["location"] == {"path": "net/main.tf", "lines": {"begin": 11, "end": 15}}
    assert len(issue["fingerprint"]) == 32


def test_two_formats_to_standard_output_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["scan", ".", "--format", "text", "--format", "json"]) == 2
    assert "give all but one a :FILE" in capsys.readouterr().err


def test_clean_scan_still_has_a_passing_junit_case(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "cn-north-1"\n}\n')
    monkeypatch.chdir(tmp_path)
    assert cli.main(["scan", ".", "--format", "junit"]) == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_unreadable_input_is_visible_in_junit_and_gitlab(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text("resource {{{\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["scan", ".", "--format", "junit"]) == 2
    root = ET.fromstring(capsys.readouterr().out)
    assert root.get("errors") == "1" and root.find(".//error") is not None
    assert cli.main(["scan", ".", "--format", "gitlab"]) == 2
    [issue] = json.loads(capsys.readouterr().out)
    assert issue["check_name"] == "xborder/input-error" and issue["location"]["path"] == "main.tf"
