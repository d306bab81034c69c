"""The command line as argparse reads it: help, errors, every command and spelling (`scanargs` reads the common
`scan` command lines without it). Imported only when needed: importing argparse and building the parser is about
a twentieth of a run that names one file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from xborder import __version__
from xborder.cli import BASELINE_EPILOG, FAIL_LEVELS, REPORT_FORMATS, SCAN_EPILOG, UsageError


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, with the terminal width found as `shutil.get_terminal_size` finds it but without
    importing `shutil` (and the compression modules it imports) in every run, which only parses options."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)


def _columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else the terminal of standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """No prefix matching (`--sarif` must not silently mean `--sarif-include-suppressed`); errors raise."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _input_args(p: argparse.ArgumentParser) -> None:
    """What decides the findings: `scan` and `baseline` take exactly the same inputs."""
    p.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or directories to scan (default: .)")
    p.add_argument("--var-file", "-var-file", action="append", default=[], type=Path, metavar="FILE",
                   help="Terraform variable file (repeatable); a name ending in .json is read as JSON, as Terraform does")
    p.add_argument("--var", "-var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable (repeatable)")
    p.add_argument("--env-vars", action="store_true", help="read TF_VAR_* variables from the environment")
    p.add_argument("--config", type=Path, metavar="FILE", help="site inventory and approvals (default: .xborder.yaml found upwards)")
    p.add_argument("--no-config", action="store_true", help="do not read .xborder.yaml")
    p.add_argument("--root", type=Path, metavar="DIR", help="directory reported paths are relative to (default: the repository)")
    p.add_argument(
        "--exclude", action="append", default=[], metavar="GLOB",
        help="skip matching paths (repeatable): a name without / matches at any depth, like .terraform; "
        "otherwise a glob relative to the root. Also `exclude:` in .xborder.yaml",
    )
    p.add_argument("--no-inline-suppressions", action="store_true", help="ignore xborder:ignore comments (approvals still apply)")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line. With `only` (a command name) that command alone is built: `xborder scan ...` neither
    needs nor pays for the options of the seven others (the top-level help, which lists them all, needs `None`)."""
    parser = _Parser(
        prog="xborder",
        description="Find network links that cross the border of mainland China in Terraform, CloudFormation and network device configs.",
        epilog="Run `xborder COMMAND --help` for a command's options, examples and exit codes.",
    )
    parser.add_argument("--version", action="version", version=f"xborder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, add in COMMAND_PARSERS.items():
        if only is None or only == name:
            add(sub)
    return parser


def _scan_parser(sub: Any) -> None:
    scan = sub.add_parser("scan", help="scan paths and report findings", description="Scan files and directories and report links across the border.", epilog=SCAN_EPILOG)
    _input_args(scan)
    scan.add_argument(
        "--format", "-f", action="append", default=[], metavar="FMT[:FILE]",
        help=f"report format: {REPORT_FORMATS}. Repeatable; FMT:FILE writes that format to FILE, so one scan can print text and write SARIF",
    )
    scan.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report without :FILE to FILE instead of standard output")
    scan.add_argument("--fail-on", choices=list(FAIL_LEVELS), default="low", help="lowest severity that fails (default low)")
    scan.add_argument("--quiet", "-q", action="store_true", help="findings only, no evidence or notes")
    scan.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="auto: on a terminal, or when FORCE_COLOR is set (NO_COLOR wins)")
    scan.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")
    scan.add_argument("--sarif-include-suppressed", action="store_true", help="keep suppressed results in SARIF (with suppressions objects)")
    scan.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not recorded in this baseline file")
    scan.add_argument("--diff-base", metavar="REV",
                      help="report only findings new relative to git revision REV (matched by fingerprint; uses git, no network)")
    scan.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                      help="processes for large trees (default 0: every core when there are many units, else one)")
    scan.add_argument("--no-cache", action="store_true",
                      help="do not read or write the result cache (in the user's cache directory, or $XBORDER_CACHE_DIR)")


def _inventory_parser(sub: Any) -> None:
    inv = sub.add_parser("inventory", help="list every link (crossing or not) with suppliers, approvals and a map")
    _input_args(inv)
    inv.add_argument("--format", "-f", default="table", help="table (default), csv, json, markdown, mermaid")
    inv.add_argument("--output", "-o", type=Path, help="write the inventory to FILE instead of standard output")
    inv.add_argument("--expiring-days", type=int, default=30, metavar="N", help="flag approvals that expire within N days (default 30)")
    inv.add_argument("--diff-base", metavar="REV", help="mark links added, changed or removed since this git revision")
    inv.add_argument("--no-cache", action="store_true", help="do not read or write the result cache (as for scan)")
    inv.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (as for scan)")
    inv.add_argument("--map-detail", choices=["auto", "places", "areas"], default="auto",
                     help="map nodes: every place, areas (city or registry country), or auto: areas above 60 places")
    inv.add_argument("--color", choices=["auto", "always", "never"], default="auto")


def _baseline_parser(sub: Any) -> None:
    base = sub.add_parser(
        "baseline", help="record current findings so that later scans report only new ones",
        description="Record the current unsuppressed findings (by fingerprint) in a baseline file.", epilog=BASELINE_EPILOG,
    )
    _input_args(base)
    base.add_argument("--output", "-o", type=Path, default=Path(".xborder-baseline.json"), metavar="FILE", help="baseline file (default .xborder-baseline.json)")
    mode = base.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="merge into an existing baseline: replace what the scanned paths hold, keep the rest")
    mode.add_argument("--force", action="store_true", help="replace an existing baseline")


def _rules_parser(sub: Any) -> None:
    rules = sub.add_parser("rules", help="list the rules", description="List the rules: id, severity, name and title.")
    rules.add_argument("--format", choices=["text", "json"], default="text")


def _explain_parser(sub: Any) -> None:
    explain = sub.add_parser(
        "explain", help="print a rule's documentation", description="Print a rule's documentation.",
        epilog="examples:\n  xborder explain XB101\n  xborder explain cross-border-vpn",
    )
    explain.add_argument("rule_id", metavar="RULE", help="a rule id (XB101) or name (cross-border-vpn), as `xborder rules` prints them")


def _resources_parser(sub: Any) -> None:
    resources = sub.add_parser("resources", help="list the resource types xborder understands", description="List the resource types xborder understands, with provider, link kind and rules.")
    resources.add_argument("--format", choices=["text", "json"], default="text")


def _checkov_dir_parser(sub: Any) -> None:
    sub.add_parser("checkov-dir", help="print the folder to pass to checkov --external-checks-dir", description="Print the folder to pass to checkov --external-checks-dir.")


def _checkov_parser(sub: Any) -> None:
    ckv = sub.add_parser(
        "checkov", help="run checkov with xborder's checks added (args go to checkov; files after --)",
        description="Run Checkov with xborder's checks added. Every argument goes to Checkov; files after -- become one -d at their repository root.",
    )
    ckv.add_argument("checkov_args", nargs=argparse.REMAINDER, metavar="CHECKOV_ARGS")


# in the order `xborder --help` lists them
COMMAND_PARSERS = {
    "scan": _scan_parser,
    "inventory": _inventory_parser,
    "baseline": _baseline_parser,
    "rules": _rules_parser,
    "explain": _explain_parser,
    "resources": _resources_parser,
    "checkov-dir": _checkov_dir_parser,
    "checkov": _checkov_parser,
}


def suggest(parser: argparse.ArgumentParser, argv: list[str], message: str) -> str:
    """Add 'did you mean --x?' for unknown options, from the options of the command being run."""
    if "unrecognized arguments" not in message:
        return message
    options = list(parser._option_string_actions)
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        choices = getattr(action, "choices", None) or {}
        if argv and argv[0] in choices:
            options = list(choices[argv[0]]._option_string_actions)
    hints = []
    for token in message.split("unrecognized arguments:", 1)[1].split():
        if not token.startswith("-"):
            continue
        name = token.split("=", 1)[0]
        close = sorted((o for o in options if o.startswith(name)), key=len)[:1]  # what argparse would have guessed
        if not close:
            import difflib  # noqa: PLC0415 - only for a mistyped option

            close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        if close:
            hints.append(f"{name}: did you mean {close[0]}? (options are never abbreviated)")
    return message + ("; " + "; ".join(hints) if hints else "")
