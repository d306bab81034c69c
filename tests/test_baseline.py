"""`xborder baseline` and `xborder scan --baseline`: stable fingerprints, only new findings, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xborder import baseline, cli
from xborder.model import Finding, Location, ScanError
from xborder.reports.base import ScanResult

TF = """\
provider "aws" {
  region = "cn-north-1"
}

resource "aws_customer_gateway" "hk" {
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
  bgp_asn    = 65000
}

resource "aws_customer_gateway" "fra" {
  ip_address = "185.199.108.1"
  type       = "ipsec.1"
  bgp_asn    = 65001
}

resource "aws_vpn_connection" "old" {
  customer_gateway_id = aws_customer_gateway.hk.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""

NEW = """
resource "aws_vpn_connection" "new" {
  customer_gateway_id = aws_customer_gateway.fra.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""


def finding(rule: str, resource: str, fp: str, suppressed: bool = False) -> Finding:
    return Finding(rule, "high", "m", Location("main.tf", 1, 1, 2, 1), resource, [], fingerprint=fp, suppressed=suppressed)


def result(*findings: Finding) -> ScanResult:
    return ScanResult(findings=list(findings), errors=[], rules=[], version="0")


def test_render_is_sorted_deduplicated_and_leaves_out_suppressed() -> None:
    text = baseline.render(
        result(finding("XB201", "b", "f2"), finding("XB101", "z", "f1"), finding("XB101", "z", "f1"), finding("XB101", "a", "f3", suppressed=True))
    )
    doc = json.loads(text)
    assert doc == {
        "version": 1,
        "findings": [
            {"fingerprint": "f1", "rule_id": "XB101", "resource": "z", "path": "main.tf", "unit": ""},
            {"fingerprint": "f2", "rule_id": "XB201", "resource": "b", "path": "main.tf", "unit": ""},
        ],
    }
    assert text.endswith("\n") and "line" not in text


def test_filter_counts_matches_and_keeps_suppressed(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text(baseline.render(result(finding("XB101", "z", "f1"))))
    out = baseline.filter_result(result(finding("XB101", "z", "f1"), finding("XB101", "y", "f9"), finding("XB101", "s", "f1", suppressed=True)), path)
    assert [f.resource for f in out.findings] == ["y", "s"]
    assert out.baseline_matched == 1 and out.errors == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{not json", "not valid JSON"),
        ('{"version": 2, "findings": []}', "unsupported baseline version"),
        ('["x"]', "not an xborder baseline"),
        ('{"version": 1, "findings": [{"rule_id": "XB101"}]}', "has no fingerprint"),
    ],
)
def test_bad_baseline_is_a_scan_error(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    original = result(finding("XB101", "z", "f1"))
    original.errors = [ScanError("a.tf", 3, "syntax")]
    out = baseline.filter_result(original, path)
    assert len(out.findings) == 1 and out.baseline_matched == 0
    assert any(message in e.message and e.path == path.as_posix() for e in out.errors)
    assert ScanError("a.tf", 3, "syntax") in out.errors


def test_baseline_flow_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("xborder.inputs.terraform.plugin")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text(TF)
    base = tmp_path / ".xborder-baseline.json"
    assert cli.main(["baseline", str(repo), "-o", str(base)]) == 0
    capsys.readouterr()
    first = base.read_text()
    doc = json.loads(first)
    assert [(f["rule_id"], f["resource"]) for f in doc["findings"]] == [("XB101", "aws_vpn_connection.old")]

    # the same tree again: byte-identical
    cli.main(["baseline", str(repo), "-o", str(base)])
    assert base.read_text() == first

    # moving the resource (other line numbers) changes nothing; a new crossing is reported alone
    (repo / "main.tf").write_text("# a comment that moves every line\n\n" + TF + NEW)
    code = cli.main(["scan", str(repo), "--root", str(repo), "--no-config", "--baseline", str(base), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert [f["resource"] for f in out["findings"]] == ["aws_vpn_connection.new"]
    assert out["summary"]["baseline_matched"] == 1
    assert code == 1

    cli.main(["scan", str(repo), "--root", str(repo), "--no-config", "--baseline", str(base)])
    assert "1 matched the baseline" in capsys.readouterr().out

    # a changed endpoint is a new finding (the fingerprint includes the ends)
    (repo / "main.tf").write_text(TF.replace("aws_customer_gateway.hk.id", "aws_customer_gateway.fra.id"))
    cli.main(["scan", str(repo), "--root", str(repo), "--no-config", "--baseline", str(base), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert [f["resource"] for f in out["findings"]] == ["aws_vpn_connection.old"]
    assert out["summary"]["baseline_matched"] == 0


def test_missing_baseline_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("xborder.inputs.terraform.plugin")
    (tmp_path / "main.tf").write_text(TF)
    code = cli.main(["scan", str(tmp_path), "--root", str(tmp_path), "--no-config", "--baseline", str(tmp_path / "nope.json")])
    assert code == 2
    assert "baseline file not found" in capsys.readouterr().out


# ------------------------------------------------------------------ the same inputs as scan, never a silent overwrite


def _vpn(name: str, gateway: str = "hk") -> str:
    return NEW.replace('"new"', f'"{name}"').replace("aws_customer_gateway.fra", f"aws_customer_gateway.{gateway}")


def test_baseline_takes_the_scan_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """--var decides whether the far end is offshore: the baseline must see what the scan sees."""
    (tmp_path / "main.tf").write_text(TF.replace('"203.186.1.1"', "var.peer") + 'variable "peer" {}\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TF_VAR_peer", "203.186.1.1")
    for flags in (["--var", "peer=203.186.1.1"], ["--no-config", "--root", ".", "--env-vars", "--exclude", "nothing"]):
        assert cli.main(["baseline", ".", "-o", "b.json", "--force", *flags]) == 0
        assert "recorded 1 finding in b.json" in capsys.readouterr().err
        assert cli.main(["scan", ".", *flags, "--baseline", "b.json", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["summary"]["baseline_matched"] == 1


def test_baseline_never_overwrites_silently(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.tf").write_text(TF)
    (tmp_path / "b" / "main.tf").write_text(TF + _vpn("second"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["baseline", ".", "-o", "b.json"]) == 0
    assert "recorded 3 findings in b.json" in capsys.readouterr().err
    before = (tmp_path / "b.json").read_text()
    # a second run refuses: scanning one sub-directory must not replace the repository-wide baseline
    assert cli.main(["baseline", "a", "-o", "b.json"]) == 2
    assert "b.json exists; use --update" in capsys.readouterr().err
    assert (tmp_path / "b.json").read_text() == before
    # --update replaces what a/ holds (the fixed VPN leaves) and keeps b/
    (tmp_path / "a" / "main.tf").write_text(TF.replace('"203.186.1.1"', '"202.96.128.86"'))
    assert cli.main(["baseline", "a", "-o", "b.json", "--update"]) == 0
    assert "updated b.json: 2 findings recorded (0 new, 1 no longer found, 2 kept outside the scanned paths)" in capsys.readouterr().err
    entries = json.loads((tmp_path / "b.json").read_text())["findings"]
    assert {e["path"] for e in entries} == {"b/main.tf"}
    # --force replaces
    assert cli.main(["baseline", "a", "-o", "b.json", "--force"]) == 0
    assert json.loads((tmp_path / "b.json").read_text())["findings"] == []
    assert "recorded 0 findings" in capsys.readouterr().err


def test_baseline_is_not_written_when_a_file_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text(TF + "resource {{{\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["baseline", ".", "-o", "b.json"]) == 2
    assert not (tmp_path / "b.json").exists()
    assert "b.json was not written" in capsys.readouterr().err
