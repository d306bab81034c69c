"""swanctl.conf section references (`hk : connections.base {`, strongSwan 5.7+) are read, not errors.

Before: the reference form was "not understood": an error, the connection's braces unbalanced, and the
connection itself lost (its remote_addrs landed in the enclosing section). Now a connection inherits what
it does not set from the sections it names, in order; a reference to nothing or a loop is an error at its
line, and diamonds of references stay linear.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import scan_json


def _scan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / "swanctl.conf").write_text(text)
    return scan_json("swanctl.conf", "--no-config", "--no-cache", cwd=tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "defaults {\n  local_addrs = 58.247.0.10\n}\nconnections {\n  hk : defaults {\n    remote_addrs = 8.8.8.8\n  }\n}\n",
        "tpl {\n  remote_addrs = 8.8.8.8\n}\nlocal {\n  local_addrs = 58.247.0.10\n}\n"
        "connections {\n  hk : tpl, local {\n    version = 2\n  }\n}\n",
    ],
    ids=["local-from-a-template", "both-ends-from-two-references"],
)
def test_connection_inherits_from_referenced_sections(tmp_path: Path, text: str) -> None:
    run = _scan(tmp_path, text)
    assert run.doc["errors"] == [] and run.rules == ["XB101"], run.doc


def test_own_value_wins_over_the_reference(tmp_path: Path) -> None:
    text = "tpl {\n  remote_addrs = 8.8.8.8\n}\nconnections {\n  hk : tpl {\n    local_addrs = 58.247.0.10\n    remote_addrs = 58.247.0.20\n  }\n}\n"
    run = _scan(tmp_path, text)
    assert run.doc["errors"] == [] and run.rules == [], run.doc


def test_reference_to_nothing_is_an_error_and_the_connection_is_still_judged(tmp_path: Path) -> None:
    text = "connections {\n  hk : missing {\n    local_addrs = 58.247.0.10\n    remote_addrs = 8.8.8.8\n  }\n}\n"
    run = _scan(tmp_path, text)
    assert run.rules == ["XB101"]
    assert [(e["line"], "no section of that name" in e["message"]) for e in run.doc["errors"]] == [(2, True)], run.doc


def test_reference_loop_is_an_error(tmp_path: Path) -> None:
    text = "a : b {\n}\nb : a {\n}\nconnections {\n  hk : a {\n    local_addrs = 58.247.0.10\n    remote_addrs = 8.8.8.8\n  }\n}\n"
    run = _scan(tmp_path, text)
    assert run.rules == ["XB101"] and any("loop" in e["message"] for e in run.doc["errors"]), run.doc


def test_diamond_of_references_is_linear(tmp_path: Path) -> None:
    text = "".join(f"d{i} : d{i + 1}, d{i + 1} {{\n}}\n" for i in range(30))
    text += "d30 {\n  remote_addrs = 8.8.8.8\n}\nconnections {\n  hk : d0 {\n    local_addrs = 58.247.0.10\n  }\n}\n"
    run = _scan(tmp_path, text)
    assert run.doc["errors"] == [] and run.rules == ["XB101"], run.doc
