"""A nested stack whose template is a local file of the same scan (`TemplateURL: ./vpn.yaml`, as `aws cloudformation
package` and `sam build` take it) is judged there: no XB002, a note names the file. Only when that judgement is the
deployed one: no `Parameters` passed (the child gets its own defaults) and the same region from `.xborder.yaml`
(the child runs in the parent's region). Anything else stays XB002 "part not read".

Before: every nested stack was XB002, even when its template was scanned in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree_support import write_tree  # noqa: E402

HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
CHILD = HEAD + """\
Resources:
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: 8.8.8.8}
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {Type: ipsec.1}
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties: {Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}
"""
CN = "cloudformation:\n  - paths: ['**']\n    region: cn-north-1\n"


def parent(url: str, extra: str = "") -> str:
    return HEAD + f"Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: {url}\n{extra}"


def scan(repo: Path, files: dict[str, str], *args: str, cache: Path | None = None) -> dict:
    write_tree(repo, files)
    env = {**os.environ, "NO_COLOR": "1"}
    flags = ["--no-cache"] if cache is None else []
    if cache is not None:
        env["XBORDER_CACHE_DIR"] = str(cache)
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", *args, "-f", "json", *flags], cwd=repo,
                          capture_output=True, text=True, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def rules(doc: dict) -> list[tuple[str, str]]:
    return sorted((f["rule_id"], f["path"]) for f in doc["findings"])


@pytest.mark.parametrize("url", ["./nested/vpn.yaml", "nested/vpn.yaml", "nested/../nested/vpn.yaml"])
def test_local_nested_template_scanned_in_the_run_is_judged_there(tmp_path: Path, url: str) -> None:
    doc = scan(tmp_path, {".xborder.yaml": CN, "stacks/main.yaml": parent(url), "stacks/nested/vpn.yaml": CHILD}, ".")
    assert rules(doc) == [("XB101", "stacks/nested/vpn.yaml")], doc["findings"]
    assert doc["notes"] == ["stacks/main.yaml: nested stack Net (AWS::CloudFormation::Stack) is stacks/nested/vpn.yaml, "
                            "judged as a template of this scan (it passes no Parameters, and .xborder.yaml gives both "
                            "templates the same region)"], doc["notes"]


def test_sam_application_with_a_local_location(tmp_path: Path) -> None:
    sam = (HEAD + "Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n    Type: AWS::Serverless::Application\n"
           "    Properties: {Location: ../apps/vpn.yaml}\n")
    doc = scan(tmp_path, {".xborder.yaml": CN, "sam/template.yaml": sam, "apps/vpn.yaml": CHILD}, ".")
    assert rules(doc) == [("XB101", "apps/vpn.yaml")], doc["findings"]


@pytest.mark.parametrize(
    ("files", "named"),
    [
        ({"stacks/main.yaml": parent("./nested/vpn.yaml")}, "."),  # the file is missing
        ({"stacks/main.yaml": parent("./nested/vpn.yaml"), "stacks/nested/vpn.yaml": CHILD}, "stacks/main.yaml"),  # not scanned
        ({"stacks/main.yaml": parent("./nested/vpn.yaml", "      Parameters: {Peer: 8.8.4.4}\n"),
          "stacks/nested/vpn.yaml": CHILD}, "."),  # the child would be judged with other values than deployed
        ({"stacks/main.yaml": parent("https://s3.amazonaws.com/b/vpn.yaml"), "stacks/nested/vpn.yaml": CHILD}, "."),
        ({"stacks/main.yaml": parent("s3://b/nested/vpn.yaml"), "stacks/nested/vpn.yaml": CHILD}, "."),
        ({"stacks/main.yaml": parent("./nested/notes.yaml"), "stacks/nested/notes.yaml": "a: 1\n"}, "."),  # no template
        ({"stacks/main.yaml": parent("../../outside.yaml")}, "."),
        ({"stacks/main.yaml": parent("!Sub './${Env}/vpn.yaml'"), "stacks/prod/vpn.yaml": CHILD}, "."),
    ],
    ids=["missing", "not-in-this-scan", "parameters-passed", "https", "s3", "not-a-template", "outside", "computed"],
)
def test_nested_stack_not_judged_in_this_scan_stays_xb002(tmp_path: Path, files: dict[str, str], named: str) -> None:
    doc = scan(tmp_path / "repo", {".xborder.yaml": CN, **files}, named)
    assert ("XB002", "stacks/main.yaml") in rules(doc), doc
    assert not any("nested stack" in n for n in doc["notes"]), doc["notes"]


def test_child_in_another_configured_region_stays_xb002(tmp_path: Path) -> None:
    """The child runs in the parent's region; judged with its own path's region it could look domestic."""
    config = ("cloudformation:\n  - paths: ['cn/**']\n    region: cn-north-1\n"
              "  - paths: ['hk/**']\n    region: ap-east-1\n")
    doc = scan(tmp_path, {".xborder.yaml": config, "cn/main.yaml": parent("../hk/vpn.yaml"), "hk/vpn.yaml": CHILD}, ".")
    assert ("XB002", "cn/main.yaml") in rules(doc), doc


def test_a_cached_scan_follows_the_child_file(tmp_path: Path) -> None:
    """Removing the nested template (or turning it into something else) brings XB002 back on a warm run."""
    repo, cache = tmp_path / "repo", tmp_path / "cache"
    files = {".xborder.yaml": CN, "stacks/main.yaml": parent("./nested/vpn.yaml"), "stacks/nested/vpn.yaml": CHILD}
    for _ in range(2):
        assert rules(scan(repo, files, ".", cache=cache)) == [("XB101", "stacks/nested/vpn.yaml")]
    (repo / "stacks" / "nested" / "vpn.yaml").write_text("a: 1\n", encoding="utf-8")
    assert rules(scan(repo, {}, ".", cache=cache)) == [("XB002", "stacks/main.yaml")]
    (repo / "stacks" / "nested" / "vpn.yaml").unlink()
    assert rules(scan(repo, {}, ".", cache=cache)) == [("XB002", "stacks/main.yaml")]
