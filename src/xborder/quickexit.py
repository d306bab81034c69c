"""Ending the command's process without tearing the interpreter down.

Once a command has written everything, CPython's shutdown still clears every module and walks the
objects start-up made (classes, compiled code, policy tables) for a process about to end: about 9 M
instructions, 3% of a pre-commit run that names one file. `leave` does what that shutdown does that
anyone can see (flushes the standard streams, runs the `atexit` handlers: the class-code file, a
process pool's shutdown, `weakref.finalize` callbacks, logging), then ends the process with `os._exit`.

It takes the ordinary way out (`SystemExit`) whenever shutdown could still matter: a thread besides the
main one is alive (shutdown would wait for it), or a standard stream cannot be flushed (the interpreter
reports that, as before).
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def leave(code: int) -> NoReturn:
    """Exit with `code` as `sys.exit(code)` would, without the interpreter's teardown when that is safe."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        raise SystemExit(code)
    if not _flushed():
        raise SystemExit(code)
    atexit._run_exitfuncs()  # what shutdown runs first; the handlers are cleared, so none runs twice
    if not _flushed():  # a handler may have written
        raise SystemExit(code)
    os._exit(code)


def _flushed() -> bool:
    for stream in (sys.stdout, sys.stderr):
        if stream is None:
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: the ordinary exit reports it as it always did
            return False
    return True


def run() -> NoReturn:
    """The `xborder` command (console script and `python -m xborder`)."""
    from xborder import gcpause

    gcpause.pause()  # already for the command line's own imports (`gcpause`); `main` restores the collector
    from xborder.cli import main

    leave(main())
