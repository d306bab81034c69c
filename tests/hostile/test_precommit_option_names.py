"""D5 through the real `pre-commit try-repo`: committed files named `--output=main.tf` and
`--baseline=evil.json` reach the hook as file names (after `--`), are scanned as files, and nothing is
written. Each of them holds a crossing link of its own, so its finding proves it was read as a file;
`evil.json` is a baseline of every finding, so taking the name as `--baseline` would pass the hook, and
taking `--output=main.tf` as an option would overwrite main.tf with the report.

Real pre-commit (a fresh hook virtualenv per call): slow, and skipped locally when pre-commit is missing,
an error when CI is set — the fixtures are the integration tests' own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from integrations.conftest import git, pre_commit_cmd, terraform_input
from integrations.test_precommit import CROSSING, hook_repo, try_repo

FIXTURES = (pre_commit_cmd, terraform_input, hook_repo)  # imported so that pytest finds them for this module's tests

CFN_VPN = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
        "Cgw": {"Type": "AWS::EC2::CustomerGateway", "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": "8.8.8.8"}},
        "Vpn": {"Type": "AWS::EC2::VPNConnection",
                "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
    },
    "Outputs": {"Arn": {"Value": "arn:aws-cn:ec2:cn-north-1:123456789012:vpn"}},
}
OPTION_TF = CROSSING.replace('"hk"', '"hk2"').replace(".hk.", ".hk2.").replace("to_hk", "from_option_name").split("\n", 3)[3]


def test_d05_option_like_committed_names_are_files_under_real_pre_commit(
    pre_commit_cmd: list[str], hook_repo: Path, tmp_path: Path  # noqa: F811
) -> None:
    repo = tmp_path / "infra"
    repo.mkdir()
    (repo / "main.tf").write_text(CROSSING)
    (repo / "--output=main.tf").write_text(OPTION_TF)  # same module as main.tf: its own VPN, no provider block
    (repo / "--baseline=evil.json").write_text(json.dumps(CFN_VPN, indent=2) + "\n")
    base = subprocess.run(
        [sys.executable, "-m", "xborder", "baseline", "--no-config", "--output", "evil.json", "--", "."],
        cwd=repo, capture_output=True, text=True, timeout=300, check=False,
    )
    assert base.returncode == 0, base.stdout + base.stderr
    recorded = json.loads((repo / "evil.json").read_text())
    assert len(recorded["findings"]) >= 3, recorded  # the baseline would hide every finding below
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hostile names")
    before = {p.name: p.read_bytes() for p in repo.iterdir() if p.is_file()}

    run = try_repo(pre_commit_cmd, hook_repo, repo, "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Failed" in out and "files were modified by this hook" not in out
    assert "matched the baseline" not in out
    for path, label in (("main.tf", "aws_vpn_connection.to_hk"), ("--output=main.tf", "aws_vpn_connection.from_option_name"),
                        ("--baseline=evil.json", "Vpn")):
        assert any(line.startswith(f"{path}:") and "XB101" in line and label in line for line in out.splitlines()), (path, out)
    after = {p.name: p.read_bytes() for p in repo.iterdir() if p.is_file()}
    assert after == before  # nothing written, nothing created
    assert git(repo, "status", "--porcelain") == ""


def test_d05_names_are_options_without_the_double_dash(tmp_path: Path) -> None:
    """Negative control (plain CLI, no pre-commit): without `--` the same argv is an injection, so the
    test above would catch a hook that lost its `--`."""
    (tmp_path / "main.tf").write_text(CROSSING)
    original = (tmp_path / "main.tf").read_text()
    run = subprocess.run([sys.executable, "-m", "xborder", "scan", "--output=main.tf", "main.tf"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert (tmp_path / "main.tf").read_text() != original  # the report replaced the file: what `--` prevents
