"""One identity per live link: root module in fingerprints, the repository as the default root, approvals that say when they are wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from xborder import cli
from tree_support import write  # noqa: E402

pytestmark = pytest.mark.usefixtures("fixed_today")

PROVIDER = 'provider "aws" {\n  region = "cn-north-1"\n}\n\n'
CGW = 'resource "aws_customer_gateway" "hk" {\n  ip_address = "203.186.1.1"\n  type       = "ipsec.1"\n  bgp_asn    = 65000\n}\n\n'
VPN = (
    'resource "aws_vpn_connection" "{name}" {{\n  customer_gateway_id = aws_customer_gateway.hk.id\n'
    '  vpn_gateway_id      = "vgw-1"\n  type                = "ipsec.1"\n}}\n'
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = cli.main(["scan", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def live(doc: dict, rule: str = "XB101") -> dict[tuple[str, str], bool]:
    return {(f["path"], f["resource"]): f["suppressed"] for f in doc["findings"] if f["rule_id"] == rule}


def meta(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["rule_id"] == "XB001"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a"))
    return tmp_path


def test_copied_root_module_is_a_new_identity_for_the_baseline(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    assert cli.main(["baseline", "envs", "-o", "base.json"]) == 0
    capsys.readouterr()
    write(repo, "envs/staging/main.tf", (repo / "envs/prod/main.tf").read_text())
    code, doc = run(capsys, "envs", "--baseline", "base.json")
    assert live(doc) == {("envs/staging/main.tf", "aws_vpn_connection.a"): False}
    assert doc["summary"]["baseline_matched"] == 1
    assert code == 1
    prints = {f["path"]: f["fingerprint"] for f in run(capsys, "envs")[1]["findings"]}
    assert prints["envs/prod/main.tf"] != prints["envs/staging/main.tf"]


def test_results_are_the_same_from_any_directory(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, ".xborder.yaml", "approvals:\n  - path: envs/prod/**\n    rule: XB101\n    reason: IPLC CU-1\n")
    monkeypatch.chdir(repo)
    _, top = run(capsys, "envs/prod")
    monkeypatch.chdir(repo / "envs")
    _, below = run(capsys, "prod")
    monkeypatch.chdir(repo / "envs/prod")
    _, inside = run(capsys, ".")
    assert live(top) == {("envs/prod/main.tf", "aws_vpn_connection.a"): True}
    assert top["findings"] == below["findings"] == inside["findings"]


def test_resource_approval_matching_two_root_modules_is_ambiguous(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, ".xborder.yaml", "approvals:\n  - resource: aws_vpn_connection.a\n    rule: XB101\n    reason: IPLC CU-1\n")
    monkeypatch.chdir(repo)
    _, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): True}
    write(repo, "envs/staging/main.tf", (repo / "envs/prod/main.tf").read_text())
    code, doc = run(capsys, ".")
    assert set(live(doc).values()) == {False}
    [m] = meta(doc)
    assert "ambiguous" in m["message"] and "envs/prod, envs/staging" in m["message"]
    assert (m["path"], m["start_line"]) == (".xborder.yaml", 2)
    assert code == 1


@pytest.mark.parametrize(
    ("approval", "problem"),
    [
        ("rule: XB109\n    reason: typo", "unknown rule id XB109"),
        ("resource: aws_vpn_conection.a\n    reason: typo", "matches no finding in this scan"),
        ("path: envs/dev/**\n    reason: wrong path", "matches no finding in this scan"),
        ("rule: XB201\n    resource: aws_vpn_connection.a\n    reason: wrong rule", "matches no finding in this scan"),
        ('rule: "*"\n    reason: everything', "wildcard is not a rule id"),
        ("rule: XB101\n    path: envs/nowhere\n    reason: old\n    expires: 2025-01-31", "expired on 2025-01-31"),
        ("rule: XB101\n    reason: forever\n    expires: 2099-12-31", "more than 731 days ahead"),
    ],
)
def test_approvals_that_are_wrong_are_reported(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, approval: str, problem: str) -> None:
    write(repo, ".xborder.yaml", f"approvals:\n  - {approval}\n")
    monkeypatch.chdir(repo)
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False}
    [m] = meta(doc)
    assert problem in m["message"], m["message"]
    assert m["path"] == ".xborder.yaml" and m["start_line"] == 2
    assert code == 1


def test_expired_approval_says_so_on_the_finding(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, ".xborder.yaml", "approvals:\n  - rule: XB101\n    reason: old\n    reference: CU-1\n    expires: 2025-01-31\n")
    monkeypatch.chdir(repo)
    _, doc = run(capsys, ".")
    [f] = [f for f in doc["findings"] if f["rule_id"] == "XB101"]
    assert f["suppressed"] is False and "expired approval CU-1 (expires 2025-01-31): old" in f["evidence"]


def test_partial_scan_does_not_report_approvals_of_other_parts(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "envs/other/main.tf", PROVIDER + CGW + VPN.format(name="b"))
    write(repo, ".xborder.yaml", "approvals:\n  - path: envs/other/**\n    rule: XB101\n    reason: r\n")
    monkeypatch.chdir(repo)
    _, doc = run(capsys, "envs/prod")
    assert meta(doc) == []
    _, doc = run(capsys, ".")
    assert meta(doc) == [] and live(doc)[("envs/other/main.tf", "aws_vpn_connection.b")] is True


def test_approval_paths_are_relative_to_the_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "infra/envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a"))
    write(tmp_path, "infra/.xborder.yaml", "approvals:\n  - path: envs/prod/main.tf\n    rule: XB101\n    reason: r\n")
    monkeypatch.chdir(tmp_path)
    _, doc = run(capsys, "infra")
    assert live(doc) == {("infra/envs/prod/main.tf", "aws_vpn_connection.a"): True}
    assert os.path.isdir(tmp_path / ".git")


def test_without_git_the_config_directory_above_is_the_root(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An extracted archive: `.xborder.yaml` at the top still anchors paths; one below the cwd does not."""
    write(tmp_path, "envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a"))
    write(tmp_path, ".xborder.yaml", "approvals:\n  - path: envs/prod/**\n    rule: XB101\n    reason: IPLC CU-1\n")
    monkeypatch.chdir(tmp_path / "envs")
    _, doc = run(capsys, "prod")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): True}
    write(tmp_path, "envs/prod/.xborder.yaml", "max_approval_days: 30\n")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".xborder.yaml").unlink()
    _, doc = run(capsys, "envs/prod")
    assert [f["path"] for f in doc["findings"]] == ["envs/prod/main.tf"]


def test_config_file_named_alone_scans_what_it_governs(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit passes only `.xborder.yaml` when only it changed; an approval removed must show the link again."""
    write(repo, ".xborder.yaml", "sites: []\n")
    monkeypatch.chdir(repo)
    code, doc = run(capsys, ".xborder.yaml")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False}
    assert code == 1


def test_approval_without_resource_covers_one_link_only(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A path or rule approval written for one link must not silently approve a second one added later."""
    write(repo, ".xborder.yaml", "approvals:\n  - path: envs/prod/**\n    rule: XB101\n    reason: IPLC CU-1\n"
                                 "  - rule: XB101\n    reason: IPLC CU-2\n")
    monkeypatch.chdir(repo)
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): True} and meta(doc) == [] and code == 0
    write(repo, "envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a") + "\n" + VPN.format(name="b"))
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False, ("envs/prod/main.tf", "aws_vpn_connection.b"): False}
    assert sorted(m["start_line"] for m in meta(doc)) == [2, 5]
    for m in meta(doc):
        assert "ambiguous: it names no resource and covers 2 links (envs/prod/main.tf: aws_vpn_connection.a, " \
               "envs/prod/main.tf: aws_vpn_connection.b)" in m["message"], m["message"]
    assert code == 1


def test_approval_by_resource_glob_covers_what_it_names(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Naming the resources (a glob is a deliberate choice, like `address=` on a directive) is not ambiguous;
    rule and path together with one link are not either."""
    write(repo, "envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a") + "\n" + VPN.format(name="b"))
    write(repo, ".xborder.yaml", "approvals:\n  - resource: aws_vpn_connection.*\n    path: envs/prod/main.tf\n"
                                 "    rule: XB101\n    reason: IPLC CU-1\n")
    monkeypatch.chdir(repo)
    code, doc = run(capsys, ".")
    assert set(live(doc).values()) == {True} and len(live(doc)) == 2 and meta(doc) == [] and code == 0


def test_inventory_lists_no_invalid_approval_as_cover(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit view must not show an approval that suppresses nothing (too far ahead, ambiguous) as covering a link,
    neither cold nor answered by the whole-scan cache entry."""
    write(repo, "envs/prod/main.tf", PROVIDER + CGW + VPN.format(name="a") + "\n" + VPN.format(name="b"))
    write(repo, ".xborder.yaml", "approvals:\n  - rule: XB101\n    resource: aws_vpn_connection.a\n    reason: r1\n"
                                 "    expires: 2099-01-01\n  - path: envs/prod/main.tf\n    reason: r2\n"
                                 "  - resource: aws_vpn_connection.b\n    reason: r3\n    reference: CU-3\n")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo.parent / "cache"))
    docs = []
    for args in (["--no-cache"], [], []):  # cold, cold storing the entry, warm hit
        cli.main(["inventory", ".", "--format", "json", *args])
        docs.append(json.loads(capsys.readouterr().out))
    assert docs[0] == docs[1] == docs[2]
    links = {link["address"]: link for link in docs[0]["links"]}
    assert links["aws_vpn_connection.a"]["covers"] == []
    assert [c["reason"] for c in links["aws_vpn_connection.b"]["covers"]] == ["r3"]


def test_approval_by_fingerprint_covers_only_the_link_with_those_ends(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`fingerprint:` (the inventory's link id) pins the ends: a tunnel retargeted to another peer loses the approval."""
    monkeypatch.chdir(repo)
    _, doc = run(capsys, ".")
    [f] = [f for f in doc["findings"] if f["rule_id"] == "XB101"]
    write(repo, ".xborder.yaml", f"approvals:\n  - fingerprint: {f['fingerprint']}\n    reason: IPLC CU-1 to 203.186.1.1\n")
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): True} and meta(doc) == [] and code == 0
    retargeted = (repo / "envs/prod/main.tf").read_text().replace("203.186.1.1", "203.186.1.2")
    write(repo, "envs/prod/main.tf", retargeted)
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False}
    [m] = meta(doc)
    assert "matches no finding in this scan" in m["message"] and f"fingerprint: {f['fingerprint']}" in m["message"]
    assert code == 1
    write(repo, ".xborder.yaml", "approvals:\n  - fingerprint: not-a-fingerprint\n    resource: aws_vpn_connection.a\n    reason: r\n")
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False} and code == 2


def test_approval_with_an_invalid_field_approves_nothing(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A `resource:` that is not text was dropped and the rest (`rule: XB101`) approved every XB101 link."""
    write(repo, ".xborder.yaml", "approvals:\n  - rule: XB101\n    resource: {name: aws_vpn_connection.other}\n    reason: r\n")
    monkeypatch.chdir(repo)
    code, doc = run(capsys, ".")
    assert live(doc) == {("envs/prod/main.tf", "aws_vpn_connection.a"): False}
    assert [(e["path"], e["line"]) for e in doc["errors"]] == [(".xborder.yaml", 3)] and code == 2
