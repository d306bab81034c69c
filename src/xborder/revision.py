"""A git revision of the scanned tree, materialised in a temporary directory outside it.

Used by `xborder scan --diff-base REV` (findings new relative to REV) and by anything else that needs
to scan the code as it was at a revision. Only git's command line is used (`git archive`), nothing is
fetched over the network, and nothing is written into the scanned tree or the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


_SAFE = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


class RevisionError(Exception):
    """git is missing, the path is not in a repository, or the revision does not exist."""


@dataclass(frozen=True)
class Materialised:
    """A git revision's files laid out like the working tree, to scan it as it was."""

    top: Path  # the repository's top level (the working tree)
    tree: Path  # the revision's files, laid out like `top`

    def map(self, path: Path) -> Path:
        """Where `path` (inside the working tree) is in the materialised revision."""
        return self.tree / Path(os.path.abspath(path)).resolve().relative_to(self.top)


def _git(args: list[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except OSError as exc:
        raise RevisionError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        raise RevisionError((proc.stderr or proc.stdout).strip().splitlines()[-1] if (proc.stderr or proc.stdout).strip()
                            else f"git {' '.join(args)} failed")
    return proc.stdout


@contextmanager
def materialise(inside: Path, rev: str) -> Iterator[Materialised]:
    """The files of revision `rev` of the repository holding `inside`, in a temporary directory."""
    start = inside if inside.is_dir() else inside.parent
    top = Path(_git(["rev-parse", "--show-toplevel"], start).strip()).resolve()
    if rev.startswith("-"):
        raise RevisionError(f"not a revision: {rev!r}")
    commit = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top).strip()
    tmp = Path(tempfile.mkdtemp(prefix="xborder-rev-"))
    try:
        proc = subprocess.Popen(["git", "archive", "--format=tar", commit], cwd=top,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            for member in archive:
                if member.issym() or member.islnk() or member.isdev():
                    continue  # links are not followed by a scan either; devices never belong in code
                if member.name.startswith(("/", "..")) or "/../" in member.name:
                    continue
                archive.extract(member, tmp, set_attrs=False, **_SAFE)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        if proc.wait() != 0:
            raise RevisionError(err.strip() or f"git archive {rev} failed")
        yield Materialised(top, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
