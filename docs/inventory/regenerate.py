#!/usr/bin/env python3
"""Regenerate the inventory of the bundled example repository shown in the README.

Writes, next to this script:
- fixtures-inventory.md: `xborder inventory fixtures --format markdown` (what a job summary shows);
- fixtures-map.mmd: the Mermaid map alone;
- fixtures-map.png: that map rendered by Mermaid's own renderer (mermaid-cli from package.json, run by
  `npm ci`) in the system's Chromium (Debian: `apt-get install chromium`), so the README shows a picture.

Usage: python docs/inventory/regenerate.py [--check]   (run from anywhere; --check only compares the text files)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TODAY = "2026-06-01"  # fixed, so expiry flags do not change with the calendar
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def markdown() -> str:
    env = {**os.environ, "XBORDER_TODAY": TODAY}
    proc = subprocess.run(
        [sys.executable, "-m", "xborder", "inventory", "fixtures", "--format", "markdown"],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"xborder inventory failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


def mermaid_block(md: str) -> str:
    return md.split("```mermaid\n", 1)[1].split("```", 1)[0]


def browser() -> str | None:
    found = os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    if found:
        return found
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def render_png(mmd: Path, png: Path) -> None:
    """mermaid-cli with the system browser; no sandbox (containers), white background, fixed width."""
    mmdc = REPO / "node_modules" / ".bin" / "mmdc"
    chrome = browser()
    if not mmdc.exists() or chrome is None:
        sys.exit("rendering needs `npm ci` (mermaid-cli) and Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "puppeteer.json"
        config.write_text(json.dumps({"executablePath": chrome, "args": ["--no-sandbox", "--disable-gpu"]}), encoding="utf-8")
        subprocess.run(
            [str(mmdc), "--quiet", "-i", str(mmd), "-o", str(png), "-p", str(config), "-b", "white", "-w", "1600", "-s", "1"],
            check=True, cwd=REPO,
        )


def main(argv: list[str]) -> int:
    md = markdown()
    files = {HERE / "fixtures-inventory.md": md, HERE / "fixtures-map.mmd": mermaid_block(md)}
    if "--check" in argv:
        stale = [p.name for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"out of date: {', '.join(stale)}; run python docs/inventory/regenerate.py", file=sys.stderr)
            return 1
        return 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    render_png(HERE / "fixtures-map.mmd", HERE / "fixtures-map.png")
    print(f"wrote {', '.join(p.name for p in files)} and fixtures-map.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
