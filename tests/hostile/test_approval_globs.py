"""Approval and directive globs (`resource:`, `path:`, `address=`) are matched in linear time, and only whole.

`suppress._glob` compiled globs to Python's backtracking `re`: an approval `resource: "*a*a*a*a*a*a*a*a*a*a*c"`
against a 120-letter resource name (the approval lives in `.xborder.yaml`, the name and a directive's `address=`
in the scanned tree) ran for minutes. And `re`'s `$` also matched before a final newline, so an approval written
for `aws_vpn_connection.x` suppressed a resource named `"x\\n"` in Terraform JSON.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from xborder import suppress

from .conftest import xborder

NAME = "a" * 120
TF = """\
provider "aws" {
  region = "cn-north-1"
}
resource "aws_customer_gateway" "NAME" {
  bgp_asn    = 65000
  ip_address = "203.186.1.1"
  type       = "ipsec.1"
}
DIRECTIVE
resource "aws_vpn_connection" "NAME" {
  customer_gateway_id = aws_customer_gateway.NAME.id
  vpn_gateway_id      = "vgw-1"
  type                = "ipsec.1"
}
"""
STARS = "*a" * 10 + "*c"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "t"
    (root / ".git").mkdir(parents=True)
    for rel, text in files.items():
        (root / rel).write_text(text)
    return root


def test_an_approval_glob_with_many_stars_is_matched_in_linear_time(tmp_path: Path) -> None:
    approval = f'approvals:\n  - rule: XB101\n    resource: "{STARS}"\n    reason: "CU-1"\n'
    root = _tree(tmp_path, {"main.tf": TF.replace("NAME", NAME).replace("DIRECTIVE\n", ""), ".xborder.yaml": approval})
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=root, cpu_seconds=20)
    assert sorted(f["rule_id"] for f in run.doc["findings"]) == ["XB001", "XB101"], run.doc["findings"]
    assert not any(f["suppressed"] for f in run.doc["findings"])


def test_a_directive_address_glob_with_many_stars_is_matched_in_linear_time(tmp_path: Path) -> None:
    directive = f"# xborder:ignore XB101 reason=\"CU-1\" address='{STARS}'"
    root = _tree(tmp_path, {"main.tf": TF.replace("NAME", NAME).replace("DIRECTIVE", directive)})
    run = xborder("scan", ".", "--no-cache", "--no-config", "--format", "json", cwd=root, cpu_seconds=20)
    assert sorted(f["rule_id"] for f in run.doc["findings"]) == ["XB001", "XB101"], run.doc["findings"]


def test_an_approval_does_not_cover_a_name_with_a_final_newline(tmp_path: Path) -> None:
    doc = {"provider": {"aws": {"region": "cn-north-1"}},
           "resource": {"aws_customer_gateway": {"c": {"bgp_asn": 65000, "ip_address": "203.186.1.1", "type": "ipsec.1"}},
                        "aws_vpn_connection": {"x\n": {"customer_gateway_id": "${aws_customer_gateway.c.id}",
                                                       "vpn_gateway_id": "vgw-1", "type": "ipsec.1"}}}}
    approval = 'approvals:\n  - rule: XB101\n    resource: "aws_vpn_connection.x"\n    reason: "CU-1"\n'
    root = _tree(tmp_path, {"main.tf.json": json.dumps(doc), ".xborder.yaml": approval})
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=root)
    found = {f["rule_id"]: f for f in run.doc["findings"]}
    assert sorted(found) == ["XB001", "XB101"], run.doc["findings"]
    assert found["XB101"]["resource"] == "aws_vpn_connection.x\n" and not found["XB101"]["suppressed"]
    # negative: the name it was written for is covered
    doc["resource"]["aws_vpn_connection"] = {"x": doc["resource"]["aws_vpn_connection"]["x\n"]}
    (root / "main.tf.json").write_text(json.dumps(doc))
    run = xborder("scan", ".", "--no-cache", "--format", "json", cwd=root)
    assert [(f["rule_id"], f["suppressed"]) for f in run.doc["findings"]] == [("XB101", True)], run.doc["findings"]


def _reference(pattern: str, value: str, paths: bool) -> bool:
    """The glob's meaning as a Python regular expression (small inputs only: it backtracks), anchored with `\\Z`."""
    if pattern == value:
        return True
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i) and paths:
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            ch = pattern[i]
            out.append(("[^/]*" if paths else ".*") if ch == "*" else ("[^/]" if paths else ".") if ch == "?" else re.escape(ch))
            i += 1
    return re.match("^" + "".join(out) + ("(?:/.*)?" if paths else "") + r"\Z", value) is not None


def test_both_linear_matchers_agree_with_the_reference_on_random_globs() -> None:
    """RE2 (valid Unicode) and the state-set matcher (any text, e.g. a lone surrogate from a `\\uD800` escape)."""
    rng = random.Random(22)
    alphabet = ["a", "b", "/", ".", "*", "?", "[", "]", "é", "\n", "\ud800", "\\", "$", "{"]
    for _ in range(4000):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7)))
        value = "".join(rng.choice(alphabet[:2] + alphabet[2:4] + alphabet[6:]) for _ in range(rng.randint(0, 8)))
        for paths in (False, True):
            expected = _reference(pattern, value, paths)
            assert suppress._glob(pattern, value, paths) == expected, (pattern, value, paths)
            states = suppress._glob_states(suppress._glob_tokens(pattern, paths), value, paths) or pattern == value
            assert states == expected, (pattern, value, paths)
