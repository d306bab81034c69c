"""`xborder scan` command lines as pre-commit and scripts write them, read without argparse.

Importing argparse (with gettext) and building the parser is about a twentieth of a run that names one file
(`xborder scan -- main.tf`, what the pre-commit hook runs). The common spellings are read here: each option of
`scan` by its exact name, `--name VALUE` or `--name=VALUE`, the paths in one run (or all after `--`). Anything
else (help, another command, an unknown or abbreviated option, a value that starts with "-", a value argparse
would refuse, paths in two places) returns None, and argparse reads the command line as before: its answers
and its error messages are the only ones. A test checks this table against the argparse parser, option by
option, and both parsers' answers on generated command lines.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable


class Option:
    """One option of `scan` as argparse declares it (a plain class: a NamedTuple costs more to define)."""

    __slots__ = ("dest", "kind", "convert", "choices")

    def __init__(self, dest: str, kind: str, convert: Callable[[str], Any] | None = None,
                 choices: tuple[str, ...] | None = None) -> None:
        self.dest = dest
        self.kind = kind  # "flag" (store_true), "one" (store: the last one wins), "append"
        self.convert = convert  # argparse's `type`
        self.choices = choices


FAIL_ON = ("high", "medium", "low", "never")
COLORS = ("auto", "always", "never")

SCAN: dict[str, Option] = {
    "--var-file": Option("var_file", "append", Path),
    "--var": Option("var", "append"),
    "--env-vars": Option("env_vars", "flag"),
    "--config": Option("config", "one", Path),
    "--no-config": Option("no_config", "flag"),
    "--root": Option("root", "one", Path),
    "--exclude": Option("exclude", "append"),
    "--no-inline-suppressions": Option("no_inline_suppressions", "flag"),
    "--format": Option("format", "append"),
    "-f": Option("format", "append"),
    "--output": Option("output", "one", Path),
    "-o": Option("output", "one", Path),
    "--fail-on": Option("fail_on", "one", None, FAIL_ON),
    "--quiet": Option("quiet", "flag"),
    "-q": Option("quiet", "flag"),
    "--color": Option("color", "one", None, COLORS),
    "--show-suppressed": Option("show_suppressed", "flag"),
    "--sarif-include-suppressed": Option("sarif_include_suppressed", "flag"),
    "--baseline": Option("baseline", "one", Path),
    "--diff-base": Option("diff_base", "one"),
    "--jobs": Option("jobs", "one", int),
    "-j": Option("jobs", "one", int),
    "--no-cache": Option("no_cache", "flag"),
}

# what argparse gives for `xborder scan` alone (a test compares)
DEFAULTS: dict[str, Any] = {
    "command": "scan", "paths": ["."], "var_file": [], "var": [], "env_vars": False, "config": None, "no_config": False,
    "root": None, "exclude": [], "no_inline_suppressions": False, "format": [], "output": None, "fail_on": "low",
    "quiet": False, "color": "auto", "show_suppressed": False, "sarif_include_suppressed": False, "baseline": None,
    "diff_base": None, "jobs": 0, "no_cache": False,
}


def parse(argv: list[str]) -> SimpleNamespace | None:
    """The arguments of `argv` (`scan ...`) as argparse would give them, or None when argparse must decide."""
    if not argv or argv[0] != "scan":
        return None
    values = {dest: list(value) if isinstance(value, list) else value for dest, value in DEFAULTS.items()}
    paths: list[str] | None = None
    paths_ended = False  # an option came after the paths: more paths would be an argparse error
    rest = argv[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--":
            tail = rest[i + 1:]
            if paths is not None or "--" in tail:
                return None
            paths = tail or None
            break
        if not token.startswith("-"):
            if paths_ended:
                return None
            paths = [*(paths or []), token]
            i += 1
            continue
        if paths is not None:
            paths_ended = True
        name, eq, inline = token.partition("=")
        option = SCAN.get(name if eq else token)
        if option is None:
            return None
        if option.kind == "flag":
            if eq:
                return None
            values[option.dest] = True
            i += 1
            continue
        if eq:
            if not name.startswith("--") or not inline or inline.startswith("-"):
                return None
            value, i = inline, i + 1
        else:
            if i + 1 >= len(rest) or rest[i + 1].startswith("-"):
                return None
            value, i = rest[i + 1], i + 2
        if option.choices is not None and value not in option.choices:
            return None
        try:
            converted = option.convert(value) if option.convert is not None else value
        except (TypeError, ValueError):
            return None
        if option.kind == "append":
            values[option.dest].append(converted)
        else:
            values[option.dest] = converted
    if paths is not None:
        values["paths"] = paths
    return SimpleNamespace(**values)
