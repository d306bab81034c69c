"""An inactive statement below a Junos IKE gateway deactivates that statement, not the gateway.

Before: any statement marked `inactive:` inside a gateway (`inactive: dead-peer-detection;`, or a statement of
an inactive sub-block) marked the whole gateway inactive: "ike gateway hk is inactive; skipped", exit 0, for a
gateway Junos keeps up. Twins: an inactive gateway (curly `inactive: gateway`, set-form `deactivate`) is still
skipped, and an inactive `address` is not a peer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json

IFACE = "interfaces {\n    ge-0/0/0 {\n        unit 0 {\n            family inet {\n                address 58.247.0.10/24;\n" \
        "            }\n        }\n    }\n}\n"


def curly(gateway_head: str, body: str) -> str:
    return IFACE + f"security {{\n    ike {{\n        {gateway_head} {{\n{body}            external-interface ge-0/0/0;\n" \
                   "        }\n    }\n}\n"


SET = ("set interfaces ge-0/0/0 unit 0 family inet address 58.247.0.10/24\n"
       "set security ike gateway hk address 8.8.8.8\nset security ike gateway hk external-interface ge-0/0/0\n"
       "set security ike gateway hk dead-peer-detection interval 10\n")


def _rules(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "srx.conf").write_text(text)
    run = scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run.rules, run.doc["notes"]


@pytest.mark.parametrize(
    "text",
    [
        curly("gateway hk", "            address 8.8.8.8;\n            inactive: dead-peer-detection;\n"),
        curly("gateway hk", "            address 8.8.8.8;\n            inactive: dead-peer-detection {\n"
                            "                interval 10;\n            }\n"),
        SET + "deactivate security ike gateway hk dead-peer-detection\n",
    ],
    ids=["curly-statement", "curly-block", "set-deactivate-statement"],
)
def test_gateway_with_an_inactive_statement_is_read(tmp_path: Path, text: str) -> None:
    assert _rules(tmp_path, text)[0] == ["XB101"]


@pytest.mark.parametrize(
    "text",
    [
        curly("inactive: gateway hk", "            address 8.8.8.8;\n"),
        SET + "deactivate security ike gateway hk\n",
    ],
    ids=["curly-inactive-gateway", "set-deactivate-gateway"],
)
def test_inactive_gateway_is_still_skipped(tmp_path: Path, text: str) -> None:
    rules, notes = _rules(tmp_path, text)
    assert rules == [] and any("is inactive; skipped" in n for n in notes), notes


def test_inactive_address_is_not_a_peer(tmp_path: Path) -> None:
    text = curly("gateway hk", "            inactive: address 8.8.8.8;\n            address 58.247.0.20;\n")
    assert _rules(tmp_path, text)[0] == []
