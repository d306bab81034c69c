"""XB002 `part-not-read`: a part of a template or config that xborder does not analyse is a finding at the part,
in text, JSON, SARIF and GitHub annotations, and can be accepted; informational notes stay notes, and notes reach
SARIF (notifications of level `note`) and GitHub (one `::notice`).

Before: a CloudFormation `Transform` macro, AWS::Include, an `Fn::ForEach` over deploy-time values, a nested stack
and a strongSwan `include` of a device path were notes only (text and JSON), or nothing at all (a `Transform` in
its mapping form, `Fn::Transform` in `Resources` was an error "has no Type"): code scanning showed a clean run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sarif_support import assert_valid_sarif  # noqa: E402
from tree_support import write_tree  # noqa: E402

HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'
VPN = """\
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {Type: ipsec.1, BgpAsn: 65000, IpAddress: 8.8.8.8}
"""


def xborder(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "xborder", *args, "--no-cache", "--no-config"], cwd=cwd,
                          capture_output=True, text=True, env=env)


def scan(tmp_path: Path, files: dict[str, str], *args: str) -> dict:
    write_tree(tmp_path, files)
    proc = xborder(tmp_path, "scan", ".", "-f", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def parts(doc: dict) -> list[tuple[str, int, str]]:
    return [(f["path"], f["start_line"], f["resource"]) for f in doc["findings"] if f["rule_id"] == "XB002" and not f["suppressed"]]


@pytest.mark.parametrize(
    ("template", "line", "address", "says"),
    [
        (HEAD + "Transform: MyCompanyMacro\nResources:\n" + VPN, 2, "Transform:MyCompanyMacro",
         "macro MyCompanyMacro rewrites the template at deploy time"),
        (HEAD + "Transform:\n  Name: AWS::Include\n  Parameters: {Location: 's3://b/vpns.yaml'}\nResources:\n" + VPN, 2,
         "Transform:AWS::Include", "AWS::Include inserts s3://b/vpns.yaml at deploy time"),
        (HEAD + "Transform: [AWS::Serverless-2016-10-31, Shared]\nResources:\n" + VPN, 2, "Transform:Shared",
         "macro Shared"),
        (HEAD + "Resources:\n  Fn::Transform:\n    Name: AWS::Include\n    Parameters: {Location: 's3://b/more.yaml'}\n" + VPN,
         3, "Fn::Transform:AWS::Include", "inserts s3://b/more.yaml at deploy time"),
        (HEAD + "Resources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: 'https://s3.amazonaws.com/b/net.yaml'}\n",
         3, "Net", "its template (https://s3.amazonaws.com/b/net.yaml) is a separate file"),
        (HEAD + "Transform: AWS::Serverless-2016-10-31\nResources:\n  App:\n    Type: AWS::Serverless::Application\n"
         "    Properties: {Location: {ApplicationId: 'arn:aws:serverlessrepo:us-east-1:1:applications/x', SemanticVersion: 1.0.0}}\n",
         4, "App", "nested stack App (AWS::Serverless::Application)"),
        (HEAD + "Transform: AWS::LanguageExtensions\nParameters:\n  Peers: {Type: CommaDelimitedList}\nResources:\n"
         "  Fn::ForEach::Gw:\n    - P\n    - !Ref Peers\n    - Cgw${P}: {Type: AWS::EC2::CustomerGateway, Properties: {IpAddress: !Ref P}}\n",
         6, "Fn::ForEach::Gw", "its collection is not known statically (parameter Peers has no default)"),
    ],
    ids=["custom-macro", "include-mapping-form", "macro-in-a-list", "fn-transform-in-resources", "nested-stack",
         "sam-application", "for-each-unknown"],
)
def test_cloudformation_part_not_read_is_xb002_at_the_part(tmp_path: Path, template: str, line: int, address: str, says: str) -> None:
    doc = scan(tmp_path, {"stack.yaml": template})
    assert doc["errors"] == [], doc["errors"]
    assert parts(doc) == [("stack.yaml", line, address)], doc["findings"]
    (f,) = [f for f in doc["findings"] if f["rule_id"] == "XB002"]
    assert f["severity"] == "medium" and f["message"].startswith("Part not read: ")
    text = "\n".join(f["evidence"])
    assert says in text and "to have it analysed: " in text and "to accept it deliberately: " in text
    assert not any("not analysed" in n or "nested stack" in n for n in doc["notes"]), doc["notes"]


@pytest.mark.parametrize(
    "template",
    [
        HEAD + "Transform: AWS::Serverless-2016-10-31\nResources:\n" + VPN,
        HEAD + "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources:\n"
        "  Fn::ForEach::Gw:\n    - P\n    - [Fra, Sha]\n    - Cgw${P}: {Type: AWS::EC2::CustomerGateway, Properties: {IpAddress: 8.8.8.8}}\n",
        HEAD + "Transform: {Name: AWS::LanguageExtensions}\nResources:\n" + VPN,
        HEAD + "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
        "      Fn::Transform: {Name: AWS::Include, Parameters: {Location: 's3://b/tags.yaml'}}\n",
    ],
    ids=["sam", "language-extensions-known-collection", "mapping-form-known", "properties-level-include"],
)
def test_what_xborder_expands_is_not_xb002(tmp_path: Path, template: str) -> None:
    """Negative: SAM and LanguageExtensions (loops over known values) are expanded; an include of properties of a
    resource that makes no link cannot add a resource."""
    doc = scan(tmp_path, {"stack.yaml": template})
    assert parts(doc) == [] and doc["errors"] == [], doc


def test_informational_notes_stay_notes(tmp_path: Path) -> None:
    """Negative: a resource whose condition is false is not created (a note, not a finding)."""
    template = (HEAD + "Conditions:\n  Never: !Equals [a, b]\nResources:\n  Stack:\n    Type: AWS::CloudFormation::Stack\n"
                "    Condition: Never\n    Properties: {TemplateURL: 'https://s3.amazonaws.com/b/x.yaml'}\n")
    doc = scan(tmp_path, {"stack.yaml": template, "ipsec.conf": "conn off\n  left=58.247.0.10\n  right=8.8.8.8\n  auto=ignore\n"})
    assert doc["findings"] == [] and doc["errors"] == []
    assert doc["notes"] == ["ipsec.conf:1: conn off has auto=ignore (disabled); skipped",
                            "stack.yaml: resource Stack is not created (condition Never is false)"]


STRONGSWAN = "config setup\n\n# shared tunnels\ninclude {pattern}\n\nconn hq\n  left=58.247.0.10\n  right=58.247.0.20\n  auto=start\n"


@pytest.mark.parametrize(
    ("pattern", "says"),
    [("/etc/ipsec.d/*.conf", "is an absolute path on the device"), ("../outside.conf", "leads outside the scanned root")],
    ids=["absolute", "outside-root"],
)
def test_strongswan_include_not_followed_is_xb002(tmp_path: Path, pattern: str, says: str) -> None:
    doc = scan(tmp_path / "repo", {"ipsec.conf": STRONGSWAN.format(pattern=pattern)})
    assert parts(doc) == [("ipsec.conf", 4, f"ipsec.conf: include {pattern}")], doc
    (f,) = doc["findings"]
    assert any(says in e for e in f["evidence"]) and doc["notes"] == []


def test_strongswan_include_in_the_tree_is_read(tmp_path: Path) -> None:
    """Negative: a relative include inside the tree is followed; its cross-border conn is judged, no XB002."""
    doc = scan(tmp_path, {"ipsec.conf": STRONGSWAN.format(pattern="tunnels/*.conf"),
                          "tunnels/fra.conf": "conn fra\n  left=58.247.0.10\n  right=8.8.8.8\n  auto=start\n"})
    assert [f["rule_id"] for f in doc["findings"]] == ["XB101"] and doc["notes"] == [], doc


def test_accepted_parts_are_suppressed(tmp_path: Path) -> None:
    """An inline comment above `Transform:`, a nested stack's Metadata entry and an approval by address each accept."""
    template = ('AWSTemplateFormatVersion: "2010-09-09"\n'
                '# xborder:ignore XB002 reason="macro reviewed, NET-9"\n'
                "Transform: Shared\nResources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n"
                "    Metadata:\n      xborder:\n        ignore:\n          - {id: XB002, reason: nested template scanned in CI}\n"
                "    Properties: {TemplateURL: 'https://s3.amazonaws.com/b/net.yaml'}\n"
                "  Fn::ForEach::Gw:\n    - P\n    - !Ref AWS::NotificationARNs\n    - Cgw${P}: {Type: AWS::EC2::CustomerGateway}\n")
    write_tree(tmp_path, {"stack.yaml": template, ".xborder.yaml":
                          "approvals:\n  - rule: XB002\n    resource: Fn::ForEach::Gw\n    path: stack.yaml\n"
                          "    reason: loop reviewed\n    reference: NET-10\n"})
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "xborder", "scan", ".", "-f", "json", "--no-cache", "--show-suppressed"],
                          cwd=tmp_path, capture_output=True, text=True, env=env)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, doc
    got = sorted((f["resource"], f["suppressed"]) for f in doc["findings"])
    assert got == [("Fn::ForEach::Gw", True), ("Net", True), ("Transform:Shared", True)], doc["findings"]


def test_visible_in_every_output(tmp_path: Path) -> None:
    """The finding in text, JSON, SARIF (valid) and GitHub; the informational note in SARIF as a `note`
    notification and in GitHub as one `::notice` (before: in text and JSON only)."""
    template = (HEAD + "Transform: Shared\nConditions:\n  Never: !Equals [a, b]\nResources:\n"
                "  Off:\n    Type: AWS::EC2::VPC\n    Condition: Never\n")
    write_tree(tmp_path, {"stack.yaml": template})
    text = xborder(tmp_path, "scan", ".")
    assert text.returncode == 1
    assert "stack.yaml:2:1: XB002 [medium] Part not read: transform Shared in stack.yaml" in text.stdout
    assert "note: stack.yaml: resource Off is not created (condition Never is false)" in text.stdout

    sarif = json.loads(xborder(tmp_path, "scan", ".", "-f", "sarif").stdout)
    assert_valid_sarif(sarif)
    run = sarif["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "XB002" and result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert run["invocations"][0]["toolExecutionNotifications"] == [
        {"level": "note", "message": {"text": "stack.yaml: resource Off is not created (condition Never is false)"}}]
    rule = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "XB002")
    assert rule["name"] == "part-not-read"

    gh = xborder(tmp_path, "scan", ".", "-f", "github").stdout.splitlines()
    assert len(gh) == 2
    assert gh[0].startswith("::warning file=stack.yaml,line=2,") and "title=XB002 " in gh[0]
    assert gh[1] == "::notice title=xborder%3A 1 note::- stack.yaml: resource Off is not created (condition Never is false)"
