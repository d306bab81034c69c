"""The README's inventory example: committed output matches the code, and the map really renders."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "inventory"


def _script():
    spec = importlib.util.spec_from_file_location("regenerate", DOCS / "regenerate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regenerate_script_writes_what_the_command_prints(tmp_path: Path) -> None:
    """The script's Markdown is the command's output and its map block is the committed kind of text.

    (test_committed_example_is_current compares the committed example byte for byte.)
    """
    md = _script().markdown()
    assert md.startswith("# xborder inventory\n")
    block = _script().mermaid_block(md)
    assert block.startswith("flowchart LR\n") and "subgraph mainland" in block
    committed = (DOCS / "fixtures-map.mmd").read_text(encoding="utf-8")
    assert committed.startswith("flowchart LR\n") and 'subgraph hk["Hong Kong"]' in committed


def test_committed_example_is_current() -> None:
    """The README links the committed example: a stale one shows readers ids and counts the tool no longer gives
    (it happened: fingerprints changed and the example kept the old ids)."""
    script = _script()
    md = script.markdown()
    for name, text in (("fixtures-inventory.md", md), ("fixtures-map.mmd", script.mermaid_block(md))):
        assert (DOCS / name).read_text(encoding="utf-8") == text, (
            f"docs/inventory/{name} is out of date: run python docs/inventory/regenerate.py")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("```markdown\n# xborder inventory\n", 1)[1].split("```", 1)[0]
    for line in excerpt.splitlines():
        assert line == "..." or line in md.splitlines(), f"README inventory excerpt line not in the output: {line}"


def test_readme_shows_the_map_picture_and_markdown() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "](docs/inventory/fixtures-map.png)" in readme
    assert "xborder inventory fixtures/ --format markdown" in readme
    png = (DOCS / "fixtures-map.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 800 and height >= 600


def test_map_renders_with_mermaid_cli(tmp_path: Path) -> None:
    """Mermaid's own renderer in a real browser; skipped where mermaid-cli or Chromium is not installed."""
    script = _script()
    if not (REPO / "node_modules" / ".bin" / "mmdc").exists() or script.browser() is None:
        pytest.skip("needs `npm ci` (mermaid-cli) and Chromium (apt-get install chromium)")
    out = tmp_path / "map.png"
    script.render_png(DOCS / "fixtures-map.mmd", out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 600, (width, height)
