"""`scanargs` reads common `scan` command lines without argparse: whatever it answers must be argparse's answer.

The table is checked against the argparse parser option by option; then both read many generated command
lines (the spellings pre-commit and scripts use, and many they do not): each time `scanargs` answers, argparse
gives the same arguments; argparse alone decides the rest (help, errors, other commands)."""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

import pytest

from xborder import cli, cliparser, scanargs

REPO = Path(__file__).resolve().parents[2]
LEFT_TO_ARGPARSE = {"-h", "--help", "-var-file", "-var"}  # options of `scan` that scanargs never reads


def _kind(action: argparse.Action) -> str:
    return {argparse._StoreTrueAction: "flag", argparse._StoreAction: "one", argparse._AppendAction: "append"}[type(action)]


def test_the_table_is_the_argparse_parsers():
    parser = cliparser.build_parser("scan")
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    scan = sub.choices["scan"]
    seen = set()
    for action in scan._actions:
        for opt in action.option_strings:
            if opt in LEFT_TO_ARGPARSE:
                continue
            option = scanargs.SCAN[opt]
            assert (option.dest, option.kind, option.convert) == (action.dest, _kind(action), action.type), opt
            assert option.choices == (tuple(action.choices) if action.choices is not None else None), opt
            assert action.nargs is None and action.const is None or action.const is True, opt
            seen.add(opt)
    assert seen == set(scanargs.SCAN)
    assert vars(parser.parse_args(["scan"])) == scanargs.DEFAULTS
    assert scanargs.FAIL_ON == tuple(cli.FAIL_LEVELS)


_PARSER: list[argparse.ArgumentParser] = []


def _argparse(argv: list[str]) -> dict | None:
    if not _PARSER:
        _PARSER.append(cliparser.build_parser("scan"))
    try:
        return vars(_PARSER[0].parse_args(argv))
    except cli.UsageError:
        return None


_PATHS = ["main.tf", "a b.tf", "envs/prod", "", ".", "-", "-1", "--output=main.tf", "x=y", "–dash.tf", "+x"]
_VALUES = ["json", "text:out.txt", "high", "never", "always", "bogus", "3", "-2", " 4", "0x1", "4.0", "", "-",
           "--", "NAME=VALUE", "=x", "a=b=c", "origin/main", "f.tfvars", "-q"]


def _options() -> list[str]:
    return [*scanargs.SCAN, *LEFT_TO_ARGPARSE - {"-h", "--help"}, "--no-cach", "--formats", "-qq", "-j4", "-fjson",
            "--quiet=1", "--", "--version"]


def command_lines(count: int, seed: int = 7) -> list[list[str]]:
    """Shapes pre-commit writes (`scan [options] -- files`), and random mixes of options, values and paths."""
    rng = random.Random(seed)
    options = _options()
    out: list[list[str]] = [["scan"], ["scan", "--"], ["scan", "--", "main.tf"], ["scan", "--", "--", "x"],
                            ["scan", "--fail-on", "high", "--", "a.tf", "--output=main.tf", "-q"],
                            ["scan", "a.tf", "--no-cache", "b.tf"], ["scan", "a.tf", "--", "b.tf"], ["scan", "--jobs=2"]]
    for _ in range(count):
        argv = ["scan"]
        for _ in range(rng.randrange(0, 7)):
            pick = rng.random()
            if pick < 0.55:
                opt = rng.choice(options)
                if opt.startswith("--") and rng.random() < 0.25:
                    argv.append(f"{opt}={rng.choice(_VALUES)}")
                else:
                    argv.append(opt)
                    if rng.random() < 0.8:
                        argv.append(rng.choice(_VALUES))
            else:
                argv.append(rng.choice(_PATHS))
        if rng.random() < 0.3:
            argv += ["--", *rng.sample(_PATHS, rng.randrange(0, 3))]
        out.append(argv)
    return out


def compare(argvs: list[list[str]]) -> tuple[int, list[str]]:
    """How many `scanargs` answered, and every command line where its answer is not argparse's."""
    answered, wrong = 0, []
    for argv in argvs:
        fast = scanargs.parse(argv)
        if fast is None:
            continue
        answered += 1
        if vars(fast) != _argparse(argv):
            wrong.append(repr(argv))
    return answered, wrong


def test_every_answer_is_argparses():
    argvs = command_lines(6000)
    answered, wrong = compare(argvs)
    assert not wrong
    assert answered > 1500  # most of the common shapes are read without argparse


@pytest.mark.parametrize("argv", [
    ["scan", "--", "main.tf", "modules/x/variables.tf"],
    ["scan", "--fail-on", "high", "--format", "sarif:out.sarif", "--", "main.tf"],
    ["scan", "main.tf", "--no-config", "--no-cache"],
    ["scan", "--var-file=prod.tfvars", "--var", "region=cn-beijing", "-j", "2", "-o", "out.json", "-f", "json", "."],
])
def test_common_command_lines_are_read_without_argparse(argv):
    fast = scanargs.parse(argv)
    assert fast is not None and vars(fast) == _argparse(argv)


@pytest.mark.parametrize("argv", [
    ["scan", "--help"], ["scan", "-h"], ["inventory"], ["scan", "--no-cach"], ["scan", "--fail-on", "bogus"],
    ["scan", "--jobs", "x"], ["scan", "a.tf", "--quiet", "b.tf"], ["scan", "--output"], ["scan", "-var", "a=b"],
    ["scan", "--format="], ["scan", "--quiet=yes"], ["scan", "-fjson"], ["scan", "--var", "-x"],
])
def test_the_rest_is_left_to_argparse(argv):
    assert scanargs.parse(argv) is None


def test_the_command_prints_what_argparse_made_it_print(tmp_path):
    """Errors, suggestions and help come from argparse as before (the CLI builds it only for them)."""
    code = ("import sys; from xborder.cli import main; rc = main(sys.argv[1:]); "
            "print('ARGPARSE', 'argparse' in sys.modules, file=sys.stderr); sys.exit(rc)")
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    typo = run("scan", "--no-cach", ".")
    assert typo.returncode == 2 and "did you mean --no-cache?" in typo.stderr and "ARGPARSE True" in typo.stderr
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "v" {\n  cidr_block = "10.0.0.0/16"\n}\n', encoding="utf-8")
    plain = run("scan", "--no-config", "--no-cache", "--", "main.tf")
    assert plain.returncode == 0 and "ARGPARSE False" in plain.stderr, plain.stderr
    bad_var = run("scan", "--var", "novalue", "--no-cache", "main.tf")
    assert bad_var.returncode == 2 and "error: --var expects NAME=VALUE, got 'novalue'" in bad_var.stderr
    assert "ARGPARSE False" in bad_var.stderr


if __name__ == "__main__":  # the same comparison under another interpreter: PYTHONPATH=src python tests/core/test_scan_args.py
    answered, wrong = compare(command_lines(6000))
    print(sys.version.split()[0], "answered", answered, "wrong", len(wrong), *wrong[:20], sep="\n")
