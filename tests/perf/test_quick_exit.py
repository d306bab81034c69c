"""The command ends its process without the interpreter's teardown (`quickexit`), yet everything a normal exit
does that anyone can see still happens: the exit code, all output flushed, `atexit` handlers run once; with a
thread alive or a stream that cannot be flushed it exits the ordinary way."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "terraform"

# `python -m xborder` with two probes: an atexit handler (must run) and an object whose __del__ only the
# interpreter's teardown of the module dictionaries would call (must not, when the process leaves early)
_PROBED = textwrap.dedent("""
    import atexit, os, runpy, sys, types
    atexit.register(lambda: print("ATEXIT", file=sys.stderr))

    class Probe:
        def __del__(self, _write=os.write):
            _write(2, b"TEARDOWN\\n")

    probes = types.ModuleType("xborder_teardown_probe")  # its dictionary is cleared by the teardown alone
    probes.probe = Probe()
    sys.modules[probes.__name__] = probes
    del probes, Probe
    sys.argv = ["xborder", *{args!r}]
    runpy.run_module("xborder", run_name="__main__", alter_sys=True)
""")


def _run(args: list[str], tmp_path: Path, extra: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", extra + _PROBED.format(args=args)], cwd=FIXTURES, env=env,
                          capture_output=True, text=True, timeout=120)


def _direct(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XBORDER_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    code = "import sys; from xborder.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=FIXTURES, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("args", [["scan", "alibaba/main.tf", "--no-config", "--no-cache"],
                                  ["scan", "alibaba/main.tf", "--no-config", "--no-cache", "--format", "json"],
                                  ["explain", "XB101"], ["scan", "--no-such-option"]])
def test_the_command_leaves_without_teardown_and_with_everything_written(tmp_path, args):
    quick = _run(args, tmp_path)
    plain = _direct(args, tmp_path)
    assert quick.returncode == plain.returncode and quick.stdout == plain.stdout, quick.stderr
    assert quick.stdout or quick.stderr
    assert quick.stderr.count("ATEXIT") == 1
    assert "TEARDOWN" not in quick.stderr
    assert quick.stderr.replace("ATEXIT\n", "") == plain.stderr


def test_output_to_a_file_is_complete(tmp_path):
    out = tmp_path / "report.json"
    quick = _run(["scan", "alibaba/main.tf", "--no-config", "--no-cache", "--format", f"json:{out}",
                  "--format", "text"], tmp_path)
    plain_out = tmp_path / "plain.json"
    plain = _direct(["scan", "alibaba/main.tf", "--no-config", "--no-cache", "--format", f"json:{plain_out}",
                     "--format", "text"], tmp_path)
    assert quick.returncode == plain.returncode == 1
    assert out.read_text(encoding="utf-8") == plain_out.read_text(encoding="utf-8")
    assert quick.stdout == plain.stdout


def test_a_live_thread_means_the_ordinary_exit(tmp_path):
    # a non-daemon thread alive until the main thread ends: the interpreter's shutdown waits for it (and tears down)
    extra = textwrap.dedent("""
        import threading
        threading.Thread(target=lambda: (threading.main_thread().join(), print("THREAD DONE", file=sys.stderr))).start()
    """)
    quick = _run(["explain", "XB101"], tmp_path, "import sys\n" + extra)
    assert quick.returncode == 0
    assert "THREAD DONE" in quick.stderr and "TEARDOWN" in quick.stderr and quick.stderr.count("ATEXIT") == 1


def test_a_stream_that_cannot_be_flushed_means_the_ordinary_exit():
    from xborder import quickexit

    class Closed:
        def flush(self):
            raise ValueError("I/O operation on closed file")

    saved = sys.stdout
    sys.stdout = Closed()
    try:
        with pytest.raises(SystemExit) as exc:
            quickexit.leave(3)
    finally:
        sys.stdout = saved
    assert exc.value.code == 3
