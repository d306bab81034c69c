"""Command line: parse arguments, run the pipeline, choose a reporter. No analysis happens here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from xborder.context import Options
    from xborder.scan import ScanRequest

from xborder import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_LEVELS = {"high": ("high",), "medium": ("high", "medium"), "low": ("high", "medium", "low"), "never": ()}


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xborder", description="Find network links that cross the border of mainland China.")
    parser.add_argument("--version", action="version", version=f"xborder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    scan = sub.add_parser("scan", help="scan paths and report findings")
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    scan.add_argument("--format", "-f", default="text", help="text (default), json, sarif, github")
    scan.add_argument("--output", "-o", type=Path, help="write the report to FILE instead of standard output")
    scan.add_argument("--var-file", action="append", default=[], type=Path, help="Terraform variable file (repeatable)")
    scan.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable (repeatable)")
    scan.add_argument("--env-vars", action="store_true", help="read TF_VAR_* variables from the environment")
    scan.add_argument("--fail-on", choices=list(FAIL_LEVELS), default="low", help="lowest severity that fails (default low)")
    scan.add_argument("--config", type=Path, help="site inventory and approvals (default: .xborder.yaml found upwards)")
    scan.add_argument("--no-config", action="store_true", help="do not read .xborder.yaml")
    scan.add_argument("--root", type=Path, help="directory that reported paths are relative to (default: current directory)")
    scan.add_argument("--quiet", "-q", action="store_true", help="findings only, no evidence or notes")
    scan.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    scan.add_argument("--show-suppressed", action="store_true", help="list suppressed findings in text output")
    scan.add_argument("--sarif-include-suppressed", action="store_true", help="keep suppressed results in SARIF")
    scan.add_argument("--no-inline-suppressions", action="store_true", help="ignore xborder:ignore comments")
    scan.add_argument("--baseline", type=Path, help="report only findings not recorded in this baseline file")
    scan.add_argument("--diff-base", metavar="REV",
                      help="report only findings new relative to git revision REV (matched by fingerprint; uses git, no network)")
    scan.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                      help="processes for large trees (default 0: every core when there are many units, else one)")
    scan.add_argument("--no-cache", action="store_true",
                      help="do not read or write the result cache (in the user's cache directory, or $XBORDER_CACHE_DIR)")

    inv = sub.add_parser("inventory", help="list every link (crossing or not) with suppliers, approvals and a map")
    inv.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    inv.add_argument("--format", "-f", default="table", help="table (default), csv, json, markdown, mermaid")
    inv.add_argument("--output", "-o", type=Path, help="write the inventory to FILE instead of standard output")
    inv.add_argument("--var-file", action="append", default=[], type=Path, help="Terraform variable file (repeatable)")
    inv.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="Terraform variable (repeatable)")
    inv.add_argument("--env-vars", action="store_true", help="read TF_VAR_* variables from the environment")
    inv.add_argument("--config", type=Path, help="site inventory and approvals (default: .xborder.yaml found upwards)")
    inv.add_argument("--no-config", action="store_true", help="do not read .xborder.yaml")
    inv.add_argument("--root", type=Path, help="directory that reported paths are relative to (default: current directory)")
    inv.add_argument("--no-inline-suppressions", action="store_true", help="ignore xborder:ignore comments")
    inv.add_argument("--expiring-days", type=int, default=30, metavar="N", help="flag approvals that expire within N days (default 30)")
    inv.add_argument("--diff-base", metavar="REV", help="mark links added, changed or removed since this git revision")
    inv.add_argument("--no-cache", action="store_true", help="do not read or write the result cache (as for scan)")
    inv.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (as for scan)")
    inv.add_argument("--map-detail", choices=["auto", "places", "areas"], default="auto",
                     help="map nodes: every place, areas (city or registry country), or auto: areas above 60 places")
    inv.add_argument("--color", choices=["auto", "always", "never"], default="auto")

    base = sub.add_parser("baseline", help="record current findings so that later scans report only new ones")
    base.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    base.add_argument("--output", "-o", type=Path, default=Path(".xborder-baseline.json"))
    base.add_argument("--var-file", action="append", default=[], type=Path)
    base.add_argument("--var", action="append", default=[], metavar="NAME=VALUE")
    base.add_argument("--config", type=Path)

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    explain = sub.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule_id")
    resources = sub.add_parser("resources", help="list the resource types xborder understands")
    resources.add_argument("--format", choices=["text", "json"], default="text")
    sub.add_parser("checkov-dir", help="print the folder to pass to checkov --external-checks-dir")
    ckv = sub.add_parser("checkov", help="run checkov with xborder's checks added (args go to checkov; files after --)")
    ckv.add_argument("checkov_args", nargs=argparse.REMAINDER, metavar="CHECKOV_ARGS")
    return parser


def _options(args: argparse.Namespace) -> Options:
    from xborder.context import Options

    variables = {}
    for item in args.var:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"--var expects NAME=VALUE, got {item!r}")
        variables[name.strip()] = value
    for vf in args.var_file:
        if not vf.is_file():
            raise UsageError(f"--var-file {vf}: no such file")
    return Options(var_files=list(args.var_file), variables=variables, env_vars=getattr(args, "env_vars", False))


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


def cmd_scan(args: argparse.Namespace) -> int:
    from xborder.plugins import make_plugin_manager
    from xborder.reports.base import ReportSettings
    from xborder.scan import ScanRequest, run_scan

    pm = make_plugin_manager()
    reporters = {name: make for batch in pm.hook.xborder_reporters() for name, make in batch.items()}
    if args.format not in reporters:
        raise UsageError(f"unknown --format {args.format!r}; choose from {', '.join(sorted(reporters))}")
    request = ScanRequest(
        paths=[Path(p) for p in args.paths],
        options=_options(args),
        root=args.root,
        config_path=args.config,
        use_config=not args.no_config,
    )
    if not args.no_cache:
        from xborder.cache import default_dir

        request.cache_dir = default_dir()
    request.options.inline_suppressions = not args.no_inline_suppressions
    request.options.jobs = max(0, args.jobs)
    result = run_scan(request, pm)
    if args.diff_base:
        from xborder import diffbase

        result = diffbase.new_since(result, request, args.diff_base)
    if args.baseline is not None:
        from xborder import baseline

        result = baseline.filter_result(result, args.baseline)
    color = args.color == "always" or (args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    settings = ReportSettings(
        color=color,
        show_suppressed=args.show_suppressed,
        sarif_include_suppressed=args.sarif_include_suppressed,
        quiet=args.quiet,
    )
    root = request.root.resolve() if request.root else _root_of(request)
    _write(reporters[args.format](root).render(result, settings), args.output)
    failing = FAIL_LEVELS[args.fail_on]
    if result.errors:
        return EXIT_ERROR
    if any(not f.suppressed and f.severity in failing for f in result.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def cmd_inventory(args: argparse.Namespace) -> int:
    from xborder.reports import inventory
    from xborder.reports.inventory.model import build
    from xborder.scan import ScanRequest, run_scan

    if args.format not in inventory.FORMATS:
        raise UsageError(f"unknown --format {args.format!r}; choose from {', '.join(inventory.FORMATS)}")
    if args.expiring_days < 0:
        raise UsageError("--expiring-days expects a number of days, 0 or more")
    request = ScanRequest(
        paths=[Path(p) for p in args.paths],
        options=_options(args),
        root=args.root,
        config_path=args.config,
        use_config=not args.no_config,
    )
    if not args.no_cache:
        from xborder.cache import default_dir

        request.cache_dir = default_dir()
    request.options.inline_suppressions = not args.no_inline_suppressions
    request.options.jobs = max(0, args.jobs)
    result = run_scan(request)
    inv = build(result, args.expiring_days)
    if args.diff_base:
        from xborder.reports.inventory.changes import InventoryDiffError, compare_with_base

        try:
            compare_with_base(inv, request, args.diff_base)
        except InventoryDiffError as exc:
            raise UsageError(str(exc)) from None
    render = inventory.renderer(args.format)
    areas = {"auto": None, "places": False, "areas": True}[args.map_detail]
    if args.format == "table":
        color = args.color == "always" or (args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        text = render(inv, color=color)
    elif args.format in ("markdown", "mermaid"):
        text = render(inv, areas=areas)
    else:
        text = render(inv)
    _write(text, args.output)
    return EXIT_ERROR if result.errors else EXIT_OK


def _root_of(request: ScanRequest) -> Path:
    from xborder.scan import choose_root

    return choose_root(request.paths, request.root)


def cmd_baseline(args: argparse.Namespace) -> int:
    from xborder import baseline
    from xborder.scan import ScanRequest, run_scan

    request = ScanRequest(paths=[Path(p) for p in args.paths], options=_options(args), config_path=args.config)
    result = run_scan(request)
    _write(baseline.render(result), args.output)
    print(f"recorded {sum(1 for f in result.findings if not f.suppressed)} findings in {args.output}", file=sys.stderr)
    return EXIT_ERROR if result.errors else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from xborder import docs

    _write(docs.rules_listing(args.format), None)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from xborder import docs

    text = docs.explain(args.rule_id.upper())
    if text is None:
        raise UsageError(f"unknown rule {args.rule_id!r}; see `xborder rules`")
    _write(text, None)
    return EXIT_OK


def cmd_resources(args: argparse.Namespace) -> int:
    from xborder import docs

    _write(docs.resources_listing(args.format), None)
    return EXIT_OK


def cmd_checkov_dir(args: argparse.Namespace) -> int:
    print(Path(__file__).resolve().parent / "checkov")
    return EXIT_OK


def cmd_checkov(args: argparse.Namespace) -> int:
    from xborder.checkov import run_checkov  # the wrapper only; it never imports checkov

    return run_checkov(list(args.checkov_args))


COMMANDS = {
    "scan": cmd_scan,
    "inventory": cmd_inventory,
    "baseline": cmd_baseline,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "resources": cmd_resources,
    "checkov-dir": cmd_checkov_dir,
    "checkov": cmd_checkov,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["checkov"]:  # everything after it belongs to checkov, options included
            return cmd_checkov(argparse.Namespace(checkov_args=argv[1:]))
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_ERROR
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly; the traceback only on request
        if os.environ.get("XBORDER_DEBUG"):
            raise
        print(f"xborder: internal error: {type(exc).__name__}: {exc} (set XBORDER_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_ERROR
