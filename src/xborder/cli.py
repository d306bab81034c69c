"""Command line: parse arguments, run the pipeline, choose a reporter. No analysis happens here."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Sequence

if TYPE_CHECKING:
    import argparse

    from xborder.context import Options
    from xborder.scan import ScanRequest

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_LEVELS = {"high": ("high",), "medium": ("high", "medium"), "low": ("high", "medium", "low"), "never": ()}


class UsageError(Exception):
    pass


EXIT_CODES = """\
exit codes:
  0  no unsuppressed finding at or above --fail-on
  1  at least one such finding (XB001 invalid suppressions and approvals included)
  2  usage error, or a file could not be read or parsed (the rest is still scanned and reported)"""

FILES_READ = """\
files read automatically:
  .xborder.yaml            nearest one upwards from the scanned paths, up to the repository (.git);
                           --config FILE to choose, --no-config to read none
  terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json)
                           in each Terraform root module, like `terraform plan`
  .terraform/modules/modules.json
                           modules downloaded by `terraform init` (never downloads anything itself)"""

SCAN_EPILOG = f"""\
examples:
  xborder scan                                   scan the current directory
  xborder scan infra/ --fail-on high             fail only on high findings
  xborder scan . --format text --format sarif:xborder.sarif
                                                 text to the log and SARIF to a file, one scan
  xborder scan envs/prod --var-file envs/prod.tfvars --baseline .xborder-baseline.json
  xborder scan . --exclude examples --exclude 'test/fixtures/**'

Reported paths are relative to the repository (the nearest directory upwards with .git), so the
results, fingerprints and approvals are the same from any directory.

{FILES_READ}

{EXIT_CODES}
"""

BASELINE_EPILOG = f"""\
examples:
  xborder baseline . -o .xborder-baseline.json             record today's findings (new file)
  xborder baseline . -o .xborder-baseline.json --update    refresh: add new, drop fixed ones in scope
  xborder baseline envs/prod --update                      refresh only what envs/prod holds

An existing baseline is never overwritten silently: --update merges (entries outside the scanned
paths are kept), --force replaces it.

{FILES_READ}

exit codes:
  0  the baseline was written
  2  usage error, the baseline exists (without --update/--force), or a file could not be read
"""

REPORT_FORMATS = "text (default), json, sarif, github, junit, gitlab"


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
    options = Options(var_files=list(args.var_file), variables=variables, env_vars=getattr(args, "env_vars", False))
    options.inline_suppressions = not getattr(args, "no_inline_suppressions", False)
    options.exclude = list(getattr(args, "exclude", []) or [])
    return options


def _request(args: argparse.Namespace) -> ScanRequest:
    from xborder.scan import ScanRequest

    request = ScanRequest(
        paths=[Path(p) for p in args.paths],
        options=_options(args),
        root=args.root,
        config_path=args.config,
        use_config=not args.no_config,
    )
    if not getattr(args, "no_cache", False):
        from xborder.cache import default_dir

        request.cache_dir = default_dir()
    request.options.jobs = max(0, getattr(args, "jobs", 0) or 0)
    return request


def _check_output(output: Path | None, flag: str = "--output") -> None:
    if output is not None and output.is_dir():
        raise UsageError(f"{flag} {output}: is a directory; give a file name (e.g. {output.as_posix().rstrip('/')}/xborder.sarif)")


def _write(text: str, output: Path | None) -> None:
    """Standard output, or exactly the file the user named: never through a symbolic link (a committed
    `xborder.sarif -> ../file` must not redirect the write), never into a directory or a device."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate from a label becomes "?"
    if output is None:
        sys.stdout.write(text)
        return
    _check_output(output)
    shown = output.as_posix()
    _no_links_below_cwd(output, shown)
    output.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(output, flags, 0o666)
    except OSError as exc:
        if os.path.islink(output):
            raise UsageError(f"--output {shown}: is a symbolic link; xborder does not write through links") from None
        raise UsageError(f"--output {shown}: cannot write: {exc.strerror or exc}") from None
    with os.fdopen(fd, "wb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UsageError(f"--output {shown}: not a regular file")
        fh.truncate(0)
        fh.write(text.encode("utf-8"))


def _no_links_below_cwd(output: Path, shown: str) -> None:
    """A relative --output must not pass through a symbolic link inside the working tree (`reports -> /etc`)."""
    if output.is_absolute():
        return
    here = Path(".")
    for part in output.parent.parts:
        here = here / part
        if part in ("", ".", ".."):
            continue
        if os.path.islink(here):
            raise UsageError(f"--output {shown}: {here.as_posix()} is a symbolic link; xborder does not write through links")


def _color(args: argparse.Namespace, to_terminal: bool) -> bool:
    """--color always/never decide; auto: NO_COLOR (non-empty) turns it off, FORCE_COLOR (non-empty) on, else a terminal."""
    if args.color != "auto":
        return args.color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_terminal and sys.stdout.isatty()


def _outputs(args: argparse.Namespace, known: set[str]) -> list[tuple[str, Path | None]]:
    """(format, file) pairs from repeatable --format FMT[:FILE]; at most one goes to stdout/--output."""
    specs = args.format or ["text"]
    out: list[tuple[str, Path | None]] = []
    for spec in specs:
        fmt, sep, file = spec.partition(":")
        fmt = fmt.strip().lower()
        if fmt not in known:
            raise UsageError(f"unknown --format {fmt!r}; choose from {', '.join(sorted(known))}")
        if sep and not file:
            raise UsageError(f"--format {spec}: a file name is missing after ':'")
        out.append((fmt, Path(file) if sep else args.output))
    to_default = [fmt for fmt, file in out if file is None or (args.output is not None and file == args.output)]
    if len(to_default) > 1:
        raise UsageError(f"--format: {' and '.join(to_default)} would both go to {'the same file' if args.output else 'standard output'}; give all but one a :FILE")
    files = [file for _, file in out if file is not None]
    if len(files) != len(set(files)):
        raise UsageError("--format: two formats would be written to the same file")
    for _, file in out:
        _check_output(file, "--format" if file != args.output else "--output")
    return out


def cmd_scan(args: argparse.Namespace) -> int:
    from xborder.plugins import PluginsOnDemand
    from xborder.reports.base import ReportSettings
    from xborder.scan import run_scan

    pm = PluginsOnDemand()  # a scan answered by its whole-scan cache entry never makes the plugin manager
    reporters = pm.reporters()
    outputs = _outputs(args, set(reporters))
    request = _request(args)
    result = run_scan(request, pm)  # type: ignore[arg-type]
    if args.diff_base:
        from xborder import diffbase

        result = diffbase.new_since(result, request, args.diff_base)
    if args.baseline is not None:
        from xborder import baseline

        result = baseline.filter_result(result, args.baseline)
    root = request.root.resolve() if request.root else _root_of(request)
    for fmt, output in outputs:
        settings = ReportSettings(
            color=output is None and _color(args, to_terminal=True) if fmt == "text" else False,
            show_suppressed=args.show_suppressed,
            sarif_include_suppressed=args.sarif_include_suppressed,
            quiet=args.quiet,
        )
        _write(reporters[fmt](root).render(result, settings), output)
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


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_baseline(args: argparse.Namespace) -> int:
    from xborder import baseline
    from xborder.scan import run_scan

    _check_output(args.output)
    exists = args.output.exists()
    if exists and not (args.update or args.force):
        raise UsageError(
            f"{args.output} exists; use --update to merge this scan into it (entries outside the scanned paths are kept) "
            "or --force to replace it"
        )
    request = _request(args)
    result = run_scan(request)
    if result.errors:
        for err in result.errors:
            print(f"{err.path}:{err.line}: error: {err.message}" if err.line else f"{err.path}: error: {err.message}", file=sys.stderr)
        print(f"error: {plural(len(result.errors), 'file error')}; {args.output} was not written", file=sys.stderr)
        return EXIT_ERROR
    root = request.root.resolve() if request.root else _root_of(request)
    scope = [_rel_scope(p, root) for p in request.paths]
    if exists and args.update:
        try:
            text, stats = baseline.merge(args.output, result, scope)
        except ValueError as exc:
            raise UsageError(f"{args.output}: {exc}") from None
        _write(text, args.output)
        print(
            f"updated {args.output}: {plural(stats['total'], 'finding')} recorded "
            f"({stats['added']} new, {stats['removed']} no longer found, {stats['kept']} kept outside the scanned paths)",
            file=sys.stderr,
        )
        return EXIT_OK
    _write(baseline.render(result), args.output)
    count = sum(1 for f in result.findings if not f.suppressed and f.fingerprint)
    print(f"recorded {plural(count, 'finding')} in {args.output}", file=sys.stderr)
    return EXIT_OK


def _rel_scope(path: Path, root: Path) -> str:
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def cmd_rules(args: argparse.Namespace) -> int:
    from xborder import docs

    _write(docs.rules_listing(args.format), None)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from xborder import docs

    text = docs.explain(docs.rule_id_for(args.rule_id))
    if text is None:
        raise UsageError(f"unknown rule {args.rule_id!r}; see `xborder rules` (ids like XB101 or names like cross-border-vpn)")
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


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """The argparse parser (`cliparser`): of the command being run alone, or of all for the top-level help."""
    from xborder import cliparser

    return cliparser.build_parser(argv[0] if argv and argv[0] in cliparser.COMMAND_PARSERS else None)


def _explained(message: str, argv: list[str], parser: argparse.ArgumentParser | None) -> str:
    """The message, with 'did you mean --x?' for unknown options (`cliparser.suggest`)."""
    if "unrecognized arguments" not in message:
        return message
    from xborder import cliparser

    return cliparser.suggest(parser or _parser(argv), argv, message)


def main(argv: Sequence[str] | None = None) -> int:
    from xborder import classcode, gcpause

    gcpause.pause()  # start-up makes little garbage: no collection until the scan has real work (`gcpause`)
    try:
        with classcode.cached():  # xborder's dataclasses, defined as their modules are imported, compile once
            return _main(argv)
    finally:
        gcpause.restore()  # the collector as it was before the command


def _main(argv: Sequence[str] | None) -> int:
    from xborder import scanargs

    argv = list(sys.argv[1:] if argv is None else argv)
    parser = None
    try:
        if argv[:1] == ["checkov"]:  # everything after it belongs to checkov, options included
            return cmd_checkov(SimpleNamespace(checkov_args=argv[1:]))  # type: ignore[arg-type]
        args: Any = scanargs.parse(argv)  # a common `scan` command line, read without argparse; None: argparse decides
        if args is None:
            parser = _parser(argv)
            args = parser.parse_args(argv)
            if args.command is None:
                parser.print_help()
                return EXIT_ERROR
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {_explained(str(exc), argv, parser)}", file=sys.stderr)
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
