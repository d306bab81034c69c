"""Module `version` constraints against the version `.terraform/modules/modules.json` records: Terraform refuses to
plan when the recorded version no longer meets the call's constraint ("Module version requirements have changed"),
when the call has a constraint and the record no version, and when the constraint is not one it reads ("Invalid
version constraint"). xborder read the recorded module anyway (a module of another version could hide a VPN); now
such a call is XB002, as a changed source is.

`inputs/terraform/goversion.py` ports hashicorp/go-version's rules (Terraform's library); the unit cases below are
go-version's own test cases (constraint_test.go, version_test.go).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from xborder.inputs.terraform import goversion

from .conftest import scan_json, vpn

# go-version's TestConstraintCheck, plus cases of `!=`, `<`, `<=`, `>`, comma lists and padded segments
CHECKS = [
    (">= 1.0, < 1.2", "1.1.5", True), ("< 1.0, < 1.2", "1.1.5", False), ("= 1.0", "1.1.5", False),
    ("= 1.0", "1.0.0", True), ("1.0", "1.0.0", True), ("~> 1.0", "2.0", False), ("~> 1.0", "1.1", True),
    ("~> 1.0", "1.2.3", True), ("~> 1.0.0", "1.2.3", False), ("~> 1.0.0", "1.0.7", True), ("~> 1.0.0", "1.1.0", False),
    ("~> 1.0.7", "1.0.4", False), ("~> 1.0.7", "1.0.7", True), ("~> 1.0.7", "1.0.8", True), ("~> 1.0.7", "1.0.7.5", True),
    ("~> 1.0.7", "1.0.6.99", False), ("~> 1.0.7", "1.0.8.0", True), ("~> 1.0.9.5", "1.0.9.5", True),
    ("~> 1.0.9.5", "1.0.9.4", False), ("~> 1.0.9.5", "1.0.9.6", True), ("~> 1.0.9.5", "1.0.9.5.0", True),
    ("~> 1.0.9.5", "1.0.9.5.1", True), ("~> 2.0", "2.1.0-beta", False), ("~> 2.1.0-a", "2.2.0", False),
    ("~> 2.1.0-a", "2.1.0", False), ("~> 2.1.0-a", "2.1.0-beta", True), ("~> 2.1.0-a", "2.2.0-alpha", False),
    ("> 2.0", "2.1.0-beta", False), (">= 2.1.0-a", "2.1.0-beta", True), (">= 2.1.0-a", "2.1.1-beta", False),
    (">= 2.0.0", "2.1.0-beta", False), (">= 2.1.0-a", "2.1.1", True), (">= 2.1.0-a", "2.1.0", True),
    ("<= 2.1.0-a", "2.0.0", True),
    ("!= 3.0.1", "3.0.1", False), ("!= 3.0.1", "3.0.2", True), ("!=3.0", "3.0.0", False), ("< 2", "1.9.9", True),
    ("< 2", "2.0.0", False), ("<= 2", "2.0.0", True), ("> 2", "2.0.1", True), (">2", "2.0.0", False),
    (" >= 5.0 , < 6.0 ", "5.9.1", True), (">= 5.0, < 6.0", "6.0.0", False), ("~> 1", "2.5.0", True),
    ("= 2.0.0-rc1", "2.0.0-rc1", True), ("2.0.0-rc1", "2.0.0", False), ("= 2.0.0", "2.0.0+build.5", True),
    ("v1.2.3", "1.2.3", True), ("~> 5.1", "5.1.0", True), ("~> 5.1", "5.0.9", False), ("~> 5.1", "6.0.0", False),
]

# go-version's TestVersionCompare and TestComparePreReleases
COMPARES = [
    ("1.2.3", "1.4.5", -1), ("1.2-beta", "1.2-beta", 0), ("1.2", "1.1.4", 1), ("1.2", "1.2-beta", 1),
    ("1.2+foo", "1.2+beta", 0), ("v1.2", "v1.2-beta", 1), ("v1.2+foo", "v1.2+beta", 0), ("v1.2.3.4", "v1.2.3.4", 0),
    ("v1.2.0.0", "v1.2", 0), ("v1.2.0.0.1", "v1.2", 1), ("v1.2", "v1.2.0.0", 0), ("v1.2", "v1.2.0.0.1", -1),
    ("v1.2.0.0", "v1.2.0.0.1", -1), ("v1.2.3.0", "v1.2.3.4", -1), ("1.7rc2", "1.7rc1", 1), ("1.7rc2", "1.7", -1),
    ("1.2.0", "1.2.0-X-1.2.0+metadata~dist", 1), ("1.0.2alpha", "1.0.2-alpha", 0), ("v1.0.3-", "v1.0.3", -1),
    ("1.2-beta.2", "1.2-beta.2", 0), ("1.2-beta.1", "1.2-beta.2", -1), ("1.2-beta.2", "1.2-beta.11", -1),
    ("3.2-alpha.1", "3.2-alpha", 1), ("1.2-beta.2", "1.2-beta.1", 1), ("1.2-beta.11", "1.2-beta.2", 1),
    ("1.2-beta", "1.2-beta.3", -1), ("1.2-alpha", "1.2-beta.3", -1), ("1.2-beta", "1.2-alpha.3", 1),
    ("3.0-alpha.3", "3.0-rc.1", -1), ("3.0-alpha3", "3.0-rc1", -1), ("3.0-alpha.1", "3.0-alpha.beta", -1),
    ("5.4-alpha", "5.4-alpha.beta", 1), ("v3.2-rc.1-1-g123", "v3.2-rc.2", 1),
]

# go-version's TestNewVersion: (text, parses)
VERSIONS = [
    ("", False), ("1.2.3", True), ("1.0", True), ("1", True), ("1.2.beta", False), ("1.21.beta", False), ("foo", False),
    ("1.2-5", True), ("1.2-beta.5", True), ("\n1.2", False), ("1.2.0-x.Y.0+metadata", True),
    ("1.2.0-x.Y.0+metadata-width-hyphen", True), ("1.2.3-rc1-with-hyphen", True), ("1.2.3.4", True),
    ("1.2.0.4-x.Y.0+metadata", True), ("1.2.0-X-1.2.0+metadata~dist", True), ("v1.2.3", True), ("foo1.2.3", False),
    ("1.7rc2", True), ("v1.7rc2", True), ("1.0-", True), ("1.4.9223372036854775807", True),
    ("1.4.9223372036854775808", False), ("1.2.3\n", False), ("1.2.3 ", False),
]


@pytest.mark.parametrize("constraint,version,ok", CHECKS)
def test_constraint_check_as_go_version(constraint: str, version: str, ok: bool) -> None:
    c, v = goversion.parse_constraints(constraint), goversion.parse_version(version)
    assert c is not None and v is not None
    assert goversion.allows(c, v) is ok


@pytest.mark.parametrize("a,b,expected", COMPARES)
def test_compare_as_go_version(a: str, b: str, expected: int) -> None:
    va, vb = goversion.parse_version(a), goversion.parse_version(b)
    assert va is not None and vb is not None
    assert goversion.compare(va, vb) == expected
    assert goversion.compare(vb, va) == -expected


@pytest.mark.parametrize("text,parses", VERSIONS)
def test_versions_parse_as_go_version(text: str, parses: bool) -> None:
    assert (goversion.parse_version(text) is not None) is parses


@pytest.mark.parametrize("text", [">= 1.x", "", "^1.0", ">= 1.0,", "=> 1.0", "~1.0", "1.0 || 2.0",
                                  "11387778780781445675529500000000000000000", ">= 1.0 < 2.0"])
def test_constraints_go_version_refuses(text: str) -> None:
    assert goversion.parse_constraints(text) is None


def test_constraints_it_reads() -> None:
    assert len(goversion.parse_constraints(">= 1.2, < 1.0") or ()) == 2
    assert goversion.parse_constraints("\t~>  1.2.3-beta+meta ") is not None


# ---- end to end: a registry module call whose recorded version the constraint does not allow

def _tree(tmp_path: Path, constraint: str | None, recorded: str | None, peer: str = '"203.186.1.1"') -> Path:
    root = tmp_path / "t"
    mod = root / ".terraform" / "modules" / "vpn"
    mod.mkdir(parents=True)
    (mod / "main.tf").write_text(vpn(peer))
    version = f'  version = "{constraint}"\n' if constraint is not None else ""
    (root / "main.tf").write_text(f'module "vpn" {{\n  source  = "example-corp/vpn/aws"\n{version}}}\n')
    entry = {"Key": "vpn", "Source": "registry.terraform.io/example-corp/vpn/aws", "Dir": ".terraform/modules/vpn"}
    if recorded is not None:
        entry["Version"] = recorded
    (root / ".terraform" / "modules" / "modules.json").write_text(json.dumps(
        {"Modules": [{"Key": "", "Source": "", "Dir": "."}, entry]}))
    return root


@pytest.mark.parametrize("constraint,recorded,why", [
    ("~> 2.0", "1.4.0", 'holds version 1.4.0 of it, which its version constraint "~> 2.0" does not allow'),
    (">= 1.0, < 1.4", "1.4.0", 'holds version 1.4.0 of it, which its version constraint ">= 1.0, < 1.4" does not allow'),
    (">= 1.0", "2.0.0-beta1", 'holds version 2.0.0-beta1 of it, which its version constraint ">= 1.0" does not allow'),
    ("1.4.0", None, 'holds it without a version, and its version constraint is "1.4.0"'),
    ("^1.4", "1.4.0", 'its version constraint "^1.4" is not one Terraform reads'),
])
def test_a_recorded_version_the_constraint_refuses_is_not_read(tmp_path: Path, constraint: str, recorded: str | None,
                                                               why: str) -> None:
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, constraint, recorded))
    assert run.rules == ["XB002"], run.doc["findings"]
    (finding,) = run.doc["findings"]
    assert why in finding["message"] + " ".join(finding["evidence"]), finding
    assert run.rc == 1


def test_a_hostile_version_text_is_read_in_linear_time(tmp_path: Path) -> None:
    """A 200,000-letter pre-release in the call's constraint and in modules.json: Go's regexp (RE2) reads it in
    linear time; Python's backtracking `re` took 33 s at 16,000 letters (quadratic), so the scan hung. The
    constraint does not parse: Terraform refuses it, XB002 (the texts quoted in it are cut)."""
    long = "1.0-" + "a" * 200_000 + "!"
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, long, long))
    assert run.rules == ["XB002"], run.doc["findings"]
    text = " ".join(run.doc["findings"][0]["evidence"])
    assert 'its version constraint "1.0-aaa' in text and len(text) < 3000, len(text)  # quoted, cut


@pytest.mark.parametrize("constraint,recorded,peer,rules", [
    ("~> 1.4", "1.4.2", '"203.186.1.1"', ["XB101"]),  # Hong Kong: offshore, a cross-border link
    ("~> 1.4", "1.4.2", '"58.247.0.30"', []),  # Shanghai: mainland
    (">= 1.0, < 2.0", "1.9.9", '"202.175.3.3"', ["XB101"]),  # Macau: offshore
    ("= 2.0.0-rc1", "2.0.0-rc1", '"203.186.1.1"', ["XB101"]),
    ("1.4", "1.4.0", '"203.186.1.1"', ["XB101"]),
    (None, "1.4.0", '"203.186.1.1"', ["XB101"]),  # no constraint: any recorded version
    (None, None, '"203.186.1.1"', ["XB101"]),
])
def test_a_recorded_version_the_constraint_allows_is_read(tmp_path: Path, constraint: str | None, recorded: str | None,
                                                          peer: str, rules: list[str]) -> None:
    run = scan_json(".", "--no-config", "--no-cache", cwd=_tree(tmp_path, constraint, recorded, peer))
    assert run.rules == rules, run.doc["findings"]
    assert run.doc["errors"] == []


def test_a_module_naming_no_link_type_is_still_checked(tmp_path: Path) -> None:
    """A call whose module cannot matter to a link is skipped unread; a refused version is reported all the same
    (Terraform refuses the whole configuration), beside the root's own cross-border VPN."""
    root = _tree(tmp_path, "~> 2.0", "1.4.0")
    (root / ".terraform" / "modules" / "vpn" / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    (root / "vpn.tf").write_text(vpn('"203.186.1.1"', name="own"))
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.rules == ["XB002", "XB101"], run.doc["findings"]


ORACLE = [("~> 2.0", "1.4.0"), ("~> 1", "2.5.0"), (">= 1.0", "2.0.0-beta1"), ("= 2.0.0", "2.0.0+build.5"),
          ("1.4", "1.4.0"), ("v1.2.3", "1.2.3"), ("~> 2.1.0-a", "2.1.0-beta"), ("~> 1.0.7", "1.0.7.5"),
          ("2.0.0-rc1", "2.0.0"), ("^1.4", "1.4.0"), ("1.4.0", None), ("!=3.0", "3.0.0"), (">= 1.0, < 1.4", "1.3.9")]


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH (go-version's cases used)")
def test_terraform_refuses_exactly_what_xborder_reports(tmp_path: Path) -> None:
    """`terraform validate` (offline: the module needs no provider) on each (constraint, recorded version)."""
    for i, (constraint, recorded) in enumerate(ORACLE):
        root = _tree(tmp_path / str(i), constraint, recorded)
        (root / ".terraform" / "modules" / "vpn" / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
        proc = subprocess.run([shutil.which("terraform") or "terraform", "validate", "-no-color"], cwd=root,
                              capture_output=True, text=True, timeout=120, check=False)
        refused = "Module version requirements have changed" in proc.stderr or "Invalid version constraint" in proc.stderr
        assert refused == (proc.returncode != 0), proc.stderr
        run = scan_json(".", "--no-config", "--no-cache", cwd=root)
        assert (run.rules == ["XB002"]) is refused, (constraint, recorded, run.doc["findings"], proc.stderr)
