"""Reported paths: POSIX, relative to the scan root, `../` when a module lives outside it.

`ScanContext.rel` falls back to absolute paths for files outside the root; reports must never
carry this machine's absolute paths, so Terraform input uses this helper instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from xborder.inputs.reading import real_path


def is_local_source(source: str) -> bool:
    """A module `source` Terraform reads as a directory of this repository (`./x`, `../x`, `.`, `..`), not a
    registry address or a URL."""
    return source.startswith(("./", "../")) or source in (".", "..")


def relpath(root: Path | str, path: Path | str) -> str:
    root_s = real_path(root)
    path_s = real_path(path)
    try:
        rel = os.path.relpath(path_s, root_s)
    except ValueError:  # another drive on Windows
        return Path(path_s).name
    if os.sep != "/":
        rel = Path(rel).as_posix()
    return "." if rel in ("", ".") else rel


def absolute(base: Path | str, *parts: str) -> str:
    """`os.fspath(Path(os.path.normpath(Path(base).joinpath(*parts))))` without a `Path`: normpath removes what `Path`
    would (empty and "." parts, a trailing "/") and keeps a leading "//" as it does. Module directories are named so
    for every unit, module call and local source (a `Path` each, three per name, was a tenth of root detection)."""
    return os.path.normpath(os.path.join(os.fspath(base), *parts))


def join_rel(dir_rel: str, name: str) -> str:
    return name if dir_rel in ("", ".") else f"{dir_rel}/{name}"
