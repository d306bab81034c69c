"""The real `pre-commit try-repo` of this repository against temporary git repositories.

`try-repo` never caches (a fresh virtualenv and `pip install .` each call, 15-35 s), so these tests
are slow on purpose: they prove the hook as users install it. The hook repository is a snapshot of
this working tree (tracked and untracked, not ignored files) committed into a temporary git repo, so
the test sees exactly the code under test, whatever is committed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from .conftest import REPO_ROOT, git

pytestmark = pytest.mark.usefixtures("terraform_input")

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n'
MODULE_MAIN = PROVIDER + textwrap.dedent(
    """
    resource "aws_customer_gateway" "office" {
      ip_address = var.office_ip
      type       = "ipsec.1"
      bgp_asn    = 65000
    }

    resource "aws_vpn_connection" "office" {
      customer_gateway_id = aws_customer_gateway.office.id
      vpn_gateway_id      = "vgw-0123"
      type                = "ipsec.1"
    }
    """
)
VARIABLES = 'variable "office_ip" {\n  type    = string\n  default = "%s"\n}\n'
SHANGHAI_IP = "202.96.128.86"  # registered in mainland China: Beijing to Shanghai does not cross
HONG_KONG_IP = "203.186.1.1"  # registered in Hong Kong: crosses
CROSSING = PROVIDER + textwrap.dedent(
    """
    resource "aws_customer_gateway" "hk" {
      ip_address = "203.186.1.1"
      type       = "ipsec.1"
      bgp_asn    = 65001
    }

    resource "aws_vpn_connection" "to_hk" {
      customer_gateway_id = aws_customer_gateway.hk.id
      vpn_gateway_id      = "vgw-0456"
      type                = "ipsec.1"
    }
    """
)


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed into a temporary repository."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode().split("\0")
    dest = tmp_path_factory.mktemp("hookrepo")
    for rel in filter(None, listed):
        src = REPO_ROOT / rel
        if not src.is_file() or rel.startswith(("node_modules/", ".ci/.venv")):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture()
def infra(tmp_path: Path) -> Path:
    repo = tmp_path / "infra"
    (repo / "net").mkdir(parents=True)
    (repo / "net" / "main.tf").write_text(MODULE_MAIN)
    (repo / "net" / "variables.tf").write_text(VARIABLES % SHANGHAI_IP)
    (repo / "README.md").write_text("# infra\n")
    (repo / "values.yaml").write_text("replicas: 2\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def try_repo(pre_commit_cmd: list[str], hook_repo: Path, target: Path, *selection: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(target.parent / "pc-home"), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    env.pop("XBORDER_DEBUG", None)
    return subprocess.run(
        [*pre_commit_cmd, "try-repo", str(hook_repo), "xborder", "--verbose", *selection],
        cwd=target,
        env=env,
        check=False, capture_output=True,
        text=True,
        timeout=600,
    )


def test_manifest_is_valid(pre_commit_cmd: list[str]) -> None:
    run = subprocess.run([*pre_commit_cmd, "validate-manifest", str(REPO_ROOT / ".pre-commit-hooks.yaml")], check=False, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"xborder", "xborder-checkov"}
    assert all(h["language"] == "python" and h["require_serial"] for h in hooks.values())


def test_violating_change_fails_with_the_finding(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    (infra / "hk").mkdir()
    (infra / "hk" / "main.tf").write_text(CROSSING)
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "Failed" in out
    assert "hk/main.tf" in out and "XB101" in out and "aws_vpn_connection.to_hk" in out
    assert "aws_vpn_connection.office" not in out  # Beijing to Shanghai stays inside mainland China


def test_clean_change_passes(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    (infra / "net" / "outputs.tf").write_text('output "vpn_id" {\n  value = aws_vpn_connection.office.id\n}\n')
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--all-files")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "Passed" in out


def test_variables_change_alone_rechecks_the_module(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    (infra / "net" / "variables.tf").write_text(VARIABLES % HONG_KONG_IP)
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--files", "net/variables.tf")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "net/main.tf" in out and "XB101" in out and "aws_vpn_connection.office" in out


def test_config_change_alone_rechecks_what_it_governs(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    """Removing an approval from .xborder.yaml turns a clean repository into a violating one: the hook sees it."""
    (infra / "hk").mkdir()
    (infra / "hk" / "main.tf").write_text(CROSSING)
    approval = "approvals:\n  - rule: XB101\n    resource: aws_vpn_connection.to_hk\n    path: hk/**\n    reason: IPLC CU-1\n"
    (infra / ".xborder.yaml").write_text(approval)
    git(infra, "add", "-A")
    git(infra, "commit", "-q", "-m", "approved link")
    (infra / ".xborder.yaml").write_text("sites: []\n")
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--files", ".xborder.yaml")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "hk/main.tf" in out and "XB101" in out and "aws_vpn_connection.to_hk" in out


def test_utf16_config_without_extension_reaches_the_hook(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    """`router-confg` exported as UTF-16 with a BOM (Windows tools) is `binary` to identify: with `types: [text]`
    the hook never got it and passed. Now it is passed and judged: Shanghai to Hong Kong fails."""
    config = ("hostname r1\r\n!\r\ncrypto isakmp policy 10\r\n encr aes\r\ncrypto map CM 10 ipsec-isakmp\r\n"
              f" set peer {HONG_KONG_IP}\r\n match address 101\r\ninterface Gi0/0\r\n ip address 58.247.0.10 255.255.255.0\r\n"
              " crypto map CM\r\n!\r\nend\r\n")
    (infra / "router-confg").write_bytes(config.encode("utf-16"))
    git(infra, "add", "-A")
    from identify import identify

    assert "binary" in identify.tags_from_path(str(infra / "router-confg"))  # the trap: not "text"
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--files", "router-confg")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "router-confg" in out and "XB101" in out and "crypto map CM 10" in out


def test_binary_file_named_like_a_config_is_not_a_failure(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    """Negative: a binary file the pattern takes (no BOM, NUL bytes) reaches xborder, which notes it and passes."""
    (infra / "backup-confg").write_bytes(b"\x00\x01\x02binary\x00" * 20)
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--files", "backup-confg")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "a binary file: not a network configuration; not read" in out


def test_parameters_file_change_alone_rechecks_the_stacks_it_pins(pre_commit_cmd: list[str], hook_repo: Path, infra: Path) -> None:
    """A CloudFormation parameters file (`.xborder.yaml` `cloudformation[].parameters`) moves the customer gateway
    from Shanghai to Hong Kong; only that file is staged. The hook got it alone and read nothing: a silent pass."""
    (infra / "stack").mkdir()
    (infra / "deploy").mkdir()
    (infra / "stack" / "vpn.yaml").write_text(textwrap.dedent(
        """\
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          CgwIp:
            Type: String
            AllowedValues: [202.96.128.86, 203.186.1.1]
        Resources:
          Vgw:
            Type: AWS::EC2::VPNGateway
            Properties: {Type: ipsec.1}
          Cgw:
            Type: AWS::EC2::CustomerGateway
            Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: !Ref CgwIp}
          Vpn:
            Type: AWS::EC2::VPNConnection
            Properties: {Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}
        """))
    (infra / ".xborder.yaml").write_text('cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'
                                         "    parameters: deploy/prod.json\n")
    (infra / "deploy" / "prod.json").write_text('{"Parameters": {"CgwIp": "%s"}}\n' % SHANGHAI_IP)
    git(infra, "add", "-A")
    git(infra, "commit", "-q", "-m", "stack in Shanghai")
    (infra / "deploy" / "prod.json").write_text('{"Parameters": {"CgwIp": "%s"}}\n' % HONG_KONG_IP)
    git(infra, "add", "-A")
    run = try_repo(pre_commit_cmd, hook_repo, infra, "--files", "deploy/prod.json")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "stack/vpn.yaml" in out and "XB101" in out and "203.186.1.1" in out
