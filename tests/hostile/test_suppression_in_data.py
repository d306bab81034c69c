"""A suppression directive counts only inside a real comment of the file's syntax, never inside data.

Cisco `banner` text is shown at login: a `! xborder:ignore ...` line in it is banner text, not a comment
(the Cisco reader already skips it). It used to suppress the crypto map right below the banner.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_json

TAIL = (
    "crypto map CM 10 ipsec-isakmp\n set peer 8.8.8.8\n"
    "interface GigabitEthernet0/0\n ip address 58.247.0.10 255.255.255.0\n crypto map CM\n"
)
DIRECTIVE = '! xborder:ignore XB101 reason="CU-2025-118"'


def _findings(tmp_path: Path, text: str) -> list[tuple[str, bool]]:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "edge.cfg").write_text(text)
    run = scan_json("r", "--no-config", "--no-cache", cwd=tmp_path)
    return sorted((f["rule_id"], bool(f.get("suppressed"))) for f in run.doc["findings"])


def test_directive_inside_a_banner_suppresses_nothing(tmp_path: Path) -> None:
    text = f"hostname sha\nbanner motd ^C\nAuthorised access only\n{DIRECTIVE} ^C\n" + TAIL
    assert _findings(tmp_path, text) == [("XB101", False)]


def test_directive_inside_a_one_character_delimited_banner(tmp_path: Path) -> None:
    text = f"hostname sha\nbanner login #\n{DIRECTIVE}\n#\n" + TAIL
    assert _findings(tmp_path, text) == [("XB101", False)]


def test_directive_after_the_banner_still_suppresses(tmp_path: Path) -> None:
    """Negative case: the same directive as a real comment line after the banner works as documented."""
    text = f"hostname sha\nbanner motd ^C\nAuthorised access only\n^C\n{DIRECTIVE}\n" + TAIL
    assert _findings(tmp_path, text) == [("XB101", True)]
