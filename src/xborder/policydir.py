"""Where the policy data shipped with xborder (`policies/`) is: a module of its own, so the scan key's policy
digest (`cache.policy_digest`) finds the folder without importing the policy loader."""

from __future__ import annotations

import functools
import os
from pathlib import Path  # imported by the command line already; here, not in read_text, run for each policy file
from typing import Any


@functools.lru_cache(maxsize=1)
def policy_folder() -> Any:
    """`importlib.resources.files("xborder.policies")`: the same `Path` for an installed folder, without
    importing `importlib.resources` (and the zip, tempfile and shutil modules it pulls in) at every start."""
    import xborder.policies as package

    folder = os.path.dirname(package.__file__ or "")
    if folder and os.path.isdir(folder):
        return Path(folder)
    import importlib.resources  # a zip or another loader: its own resource reader

    return importlib.resources.files("xborder.policies")


def read_text(item: Any) -> str:
    """`item.read_text(encoding="utf-8")` (text mode: `\r\n` and `\r` read as `\n`), for a file on disk without
    a text stream: every run reads the ~75 policy files to compare them with what its kept policies were built
    from (`snapshot`), and a text stream per file cost about twice the reading itself."""
    if not isinstance(item, Path):  # a resource of a zip or another loader, a plugin's own kind of file
        return str(item.read_text(encoding="utf-8"))
    with open(item, "rb", buffering=0) as fh:
        text = fh.readall().decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
