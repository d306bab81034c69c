"""Writes only where named (D4), hook file names never options (D5), reports that cannot inject (D6, D7)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .conftest import CONN, vpn, xborder

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_d04_output_does_not_follow_a_committed_symlink(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("victim original content")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "ipsec.conf").write_text(CONN)
    (ws / "xborder.sarif").symlink_to("../victim.txt")
    run = xborder("scan", ".", "--fail-on", "never", "--format", "sarif", "--output", "xborder.sarif", cwd=ws)
    assert run.rc == 2 and "symbolic link" in run.err
    assert (tmp_path / "victim.txt").read_text() == "victim original content"


def test_d04_baseline_output_and_linked_directory(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "ipsec.conf").write_text(CONN)
    (ws / "reports").symlink_to("../elsewhere", target_is_directory=True)
    run = xborder("baseline", ".", "-o", "reports/base.json", cwd=ws)
    assert run.rc == 2 and "symbolic link" in run.err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_d04_output_to_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / "out").mkdir()
    run = xborder("scan", ".", "-o", "out", cwd=tmp_path)
    assert run.rc == 2 and "is a directory" in run.err


def test_d04_plain_output_file_still_written(tmp_path: Path) -> None:
    """Negative case: a normal --output path (with new parent directories) is written."""
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = xborder("scan", ".", "--format", "json", "-o", "reports/x.json", cwd=tmp_path)
    assert run.rc == 1
    assert json.loads((tmp_path / "reports" / "x.json").read_text())["findings"][0]["rule_id"] == "XB101"


def test_d05_hook_passes_file_names_after_double_dash() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())}
    for hook in hooks.values():
        assert hook["pass_filenames"] is True
        assert (hook.get("args") or [])[-1:] == ["--"] or hook["entry"].endswith(" --"), hook["id"]


def test_d05_option_like_file_name_is_a_file_after_double_dash(tmp_path: Path) -> None:
    """What pre-commit runs: entry + args + file names. `--output=main.tf` must not overwrite main.tf."""
    hook = next(h for h in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "xborder")
    (tmp_path / "main.tf").write_text(vpn())
    (tmp_path / "--output=main.tf").write_text("")
    (tmp_path / "evil.json").write_text('{"version": 1, "findings": []}')
    (tmp_path / "--baseline=evil.json").write_text("")
    argv = hook["entry"].split()[1:] + list(hook.get("args") or []) + ["--output=main.tf", "--baseline=evil.json", "main.tf"]
    run = xborder(*argv, cwd=tmp_path)
    assert (tmp_path / "main.tf").read_text() == vpn()
    assert run.rc == 1 and "XB101" in run.out


INJECTED = 'x\n::error file=README.md,line=1::Injected annotation\n::add-mask::x\x1b[31mRED\x1b[0m\r::stop-commands::tok'


def _injecting_tree(tmp_path: Path) -> Path:
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(vpn(name=json.dumps(INJECTED)[1:-1]))
    (tmp_path / "x\n::error file=a,line=1::from-filename\n.conf").write_text(CONN)
    (tmp_path / "osc.conf").write_text(CONN.replace("conn x", "conn a\x1b[2Kb\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"))
    return tmp_path


def test_d06_text_report_cannot_inject_workflow_commands_or_escapes(tmp_path: Path) -> None:
    _injecting_tree(tmp_path)
    run = xborder("scan", ".", "--color", "always", cwd=tmp_path)
    assert run.rc == 1 and "XB101" in run.out
    for line in run.out.splitlines():
        assert not line.lstrip().startswith(("::", "##[")), line
    body = run.out.replace("\x1b[1;31m", "").replace("\x1b[0m", "").replace("\x1b[2m", "")  # our own colours only
    assert "\x1b" not in body and "\r" not in body and "\x07" not in body
    assert "\\n::error file=README.md" in run.out  # visible, escaped


def test_d06_github_format_stays_escaped(tmp_path: Path) -> None:
    _injecting_tree(tmp_path)
    run = xborder("scan", ".", "--format", "github", cwd=tmp_path)
    lines = run.out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines), lines
    assert not any("add-mask" in line.split("::", 2)[1] for line in lines)
    assert "\x1b" not in run.out and "\x07" not in run.out


def test_d07_sarif_message_has_no_live_embedded_link(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(vpn(name="[Approved - see ticket](https://evil.example/login)"))
    run = xborder("scan", ".", "--format", "sarif", cwd=tmp_path)
    text = json.loads(run.out)["runs"][0]["results"][0]["message"]["text"]
    assert "](https://evil.example" not in text.replace("\\](", "")
    assert "\\[Approved - see ticket\\](https://evil.example/login)" in text


def test_d07_ordinary_brackets_stay_readable(tmp_path: Path) -> None:
    """Negative case: `module.x[0]`-style addresses are not escaped."""
    (tmp_path / "main.tf").write_text(vpn().replace('resource "aws_vpn_connection" "vpn" {', 'resource "aws_vpn_connection" "vpn" {\n  count = 1'))
    run = xborder("scan", ".", "--format", "sarif", cwd=tmp_path)
    text = json.loads(run.out)["runs"][0]["results"][0]["message"]["text"]
    assert "aws_vpn_connection.vpn[0]" in text
