"""VPN configurations inside Terraform strings are XB003 ("VPN configuration embedded, not read") at the
argument that holds them, never silence.

Before: `user_data = <<-EOF ... [Peer] ... Endpoint = ${var.peer}:51820 ... EOF` (an instance that writes
/etc/wireguard/wg0.conf at boot), a quoted `"client\\ndev tun\\nremote vpn.example.com 1194"` or a
`join("\\n", [...])` of such lines scanned clean, in a root module and in a called module. Now each heredoc and
quoted string of every argument is looked at with the embedded signatures of policies/unread_configs.yaml
(`only_in: strings`); `templatefile()` inputs are not read (decided with the lead: fine). A directory whose files
may hold one is loaded in full rather than skipped by the quick pre-check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

MAIN = '''\
provider "aws" {
  region = "cn-north-1"
}

resource "aws_instance" "vpn" {
  ami       = "ami-1"
  user_data = <<-EOF
    #!/bin/bash
    cat > /etc/wireguard/wg0.conf <<CONF
    [Interface]
    PrivateKey = x
    [Peer]
    Endpoint = ${var.peer}:51820
    CONF
  EOF
}

resource "aws_instance" "plain" {
  ami       = "ami-1"
  user_data = <<-EOF
    #!/bin/bash
    echo "remote access is off"
  EOF
}

variable "peer" {
  type = string  # no value: the template's is not known (with one it is read: test_embedded_read)
}
'''


def _scan(tmp_path: Path, *args: str):  # noqa: ANN202
    run = scan_json(".", "--no-config", *args, cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def _found(run) -> list[tuple[str, str, int, str]]:  # noqa: ANN001
    return sorted((f["rule_id"], f["path"], f["start_line"], f["resource"].split(" (")[0]) for f in run.doc["findings"])


def test_heredoc_user_data_is_reported_at_the_argument(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(MAIN)
    run = _scan(tmp_path, "--no-cache")
    assert _found(run) == [("XB003", "main.tf", 7, "aws_instance.vpn.user_data")], run.doc["findings"]
    assert "WireGuard configuration embedded in a Terraform string" in run.doc["findings"][0]["resource"]


@pytest.mark.parametrize("expr", [
    '"client\\ndev tun\\nremote vpn.example.com 1194 udp\\n${var.extra}"',  # a template (a literal one is read: test_embedded_read)
    'base64encode(join("\\n", ["[Interface]", "[Peer]", "Endpoint = 8.8.8.8:51820"]))',
])
def test_quoted_strings_in_a_called_module_are_reported(tmp_path: Path, expr: str) -> None:
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./mod"\n}\n')
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(f'resource "aws_launch_template" "t" {{\n  user_data = {expr}\n}}\n')
    assert _found(_scan(tmp_path, "--no-cache")) == [("XB003", "mod/main.tf", 2, "aws_launch_template.t.user_data")]


def test_reported_once_for_a_module_called_twice_and_the_same_warm(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('module "a" {\n  source = "./mod"\n}\nmodule "b" {\n  source = "./mod"\n}\n')
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "main.tf").write_text(MAIN.split("variable")[0])
    cold = _found(_scan(tmp_path))
    assert cold == [("XB003", "mod/main.tf", 7, "aws_instance.vpn.user_data")], cold
    assert _found(_scan(tmp_path)) == cold  # a warm (cached) scan says the same


def test_templatefile_and_plain_scripts_stay_quiet(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_instance" "x" {\n  ami = "ami-1"\n  user_data = templatefile("${path.module}/wg.txt", { peer = "8.8.8.8" })\n}\n'
        + MAIN.split('resource "aws_instance" "vpn"')[0] + 'resource "aws_instance" "plain"' + MAIN.split('resource "aws_instance" "plain"')[1])
    run = _scan(tmp_path, "--no-cache")
    assert run.rc == 0 and run.doc["findings"] == [], run.doc["findings"]


def test_only_arguments_naming_a_signature_word_are_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that passes the embedded gate on one word (`remote` in one description) has its strings walked only
    in the arguments whose text names one of the words (or holds a `\\u` escape, which may spell one): the others
    cannot hold a string a signature or the cloud-config header matches. Perf corpus: 7 files, up to 37 KB, each
    walked whole before. The findings stay those of the whole walk (here the escaped WireGuard configuration is
    found and read, its resource the local end)."""
    from xborder.inputs.terraform import strings, syntax

    text = '''\
variable "a" {
  description = "remote access"
  default     = <<-EOT
    plain text
  EOT
}
variable "b" {
  description = "plain"
  default     = ["x", "y"]
}
resource "aws_instance" "w" {
  user_data = "[Interface]\\nPrivateKey = x\\n\\u005bPeer]\\n\\u0045ndpoint = 8.8.8.8:51820\\n"
}
'''
    (tmp_path / "main.tf").write_text(text)
    walked: list[str] = []
    string_nodes = strings._string_nodes

    def counting(node, src):  # noqa: ANN001, ANN202
        walked.append(src[node.start_byte : node.end_byte].decode())
        return string_nodes(node, src)

    monkeypatch.setattr(strings, "_string_nodes", counting)
    pf = syntax.parse_file(tmp_path / "main.tf", "main.tf")
    assert walked == ['"remote access"', walked[1]] and walked[1].startswith('"[Interface]')
    assert pf.embedded == [] and len(pf.blocks[-1].configs) == 1  # (a literal whole configuration: read)
