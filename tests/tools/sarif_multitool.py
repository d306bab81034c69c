"""Validate SARIF files with Microsoft's SARIF multitool and GitHub's ingestion rules.

    python tests/tools/sarif_multitool.py [--allow RULE[/MESSAGE_ID]]... FILE...

Uses the native binary of npm `@microsoft/sarif-multitool` (installed at the repository root with
`npm ci`), runs `validate --rule-kind "Sarif;Gh;Ghas"` with a strict configuration (the legacy GitHub
rules GH1001-GH1007 as errors, SARIF2006 "URIs should be reachable" off because it makes HTTP
requests) and `--level "Error;Warning"`, then reads the multitool's own SARIF output, because its exit
code is 0 even when it finds errors. Prints each error and warning with its message text and exits 1
if there is any. Only the note WRN999 (RuleExplicitlyDisabled, about SARIF2006) is ignored, plus
what `--allow` names: a rule id (`SARIF2005`) or a rule id and message id
(`SARIF2005/Warning_ProvideToolnformationUri`, the multitool's spelling), for a known, accepted warning.

Importable: `validate(paths) -> list[str]` returns the problems; `find_multitool()` returns the
binary's path or None.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

STRICT_CONFIG = {
    "GH1001.ProvideRequiredLocationProperties.Options": {"RuleEnabled": "Error"},
    "GH1002.InlineThreadFlowLocations.Options": {"RuleEnabled": "Error"},
    "GH1003.ProvideRequiredRegionProperties.Options": {"RuleEnabled": "Error"},
    "GH1004.ReviewArraysThatExceedConfigurableDefaults.Options": {"RuleEnabled": "Error"},
    "GH1005.LocationsMustBeRelativeUrisOrFilePaths.Options": {"RuleEnabled": "Error"},
    "GH1006.ProvideCheckoutPath.Options": {"RuleEnabled": "Error"},
    "GH1007.ProvideFullyFormattedMessageStrings.Options": {"RuleEnabled": "Error"},
    "SARIF2006.UrisShouldBeReachable.Options": {"RuleEnabled": "Disabled"},
}
IGNORED_RULES = {"WRN999.RuleExplicitlyDisabled", "WRN999"}


class MultitoolError(RuntimeError):
    """The multitool could not be run or gave no usable output."""


def find_multitool(cwd: Path = REPO_ROOT) -> str | None:
    """Path of the native `Sarif.Multitool` binary, made executable, or None if it is not installed."""
    node = shutil.which("node")
    if node is None:
        return None
    try:
        proc = subprocess.run(
            [node, "-p", "require('@microsoft/sarif-multitool')"],
            cwd=cwd,
            check=False,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = proc.stdout.strip()
    if proc.returncode != 0 or not path or not os.path.isfile(path):
        return None
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR)  # `npm ci --ignore-scripts` skips the package's chmod
    return path


def _message_text(result: dict, rules: list[dict]) -> str:
    """Rebuild a result's message from the rule's `messageStrings` template and its arguments."""
    message = result.get("message") or {}
    if message.get("text"):
        return message["text"]
    args = [str(a) for a in message.get("arguments") or []]
    template = None
    index = result.get("ruleIndex")
    if isinstance(index, int) and 0 <= index < len(rules):
        strings = rules[index].get("messageStrings") or {}
        template = (strings.get(message.get("id", "")) or {}).get("text")
    if template is None:
        return f"{message.get('id', '')} {args}"
    out = template
    for i, arg in enumerate(args):
        out = out.replace("{" + str(i) + "}", arg)
    return out


def _location(result: dict) -> str:
    try:
        phys = result["locations"][0]["physicalLocation"]
    except (KeyError, IndexError, TypeError):
        return "?"
    uri = (phys.get("artifactLocation") or {}).get("uri", "?")
    region = phys.get("region") or {}
    if "startLine" in region:
        return f"{uri}({region['startLine']},{region.get('startColumn', 1)})"
    return uri


def validate(paths, multitool: str | None = None, allow=()) -> list[str]:
    """Problems (errors and warnings) that the multitool finds in the SARIF files `paths`.

    `allow`: rule ids or `RULE/messageId` pairs to leave out. Raises MultitoolError if the multitool
    is missing or fails to run.
    """
    return [text for _level, text in _validate(paths, multitool, allow)]


def _validate(paths, multitool: str | None = None, allow=()) -> list[tuple[str, str]]:
    allow = set(allow)
    paths = [str(Path(p).resolve()) for p in paths]
    if not paths:
        return []
    mt = multitool or find_multitool()
    if mt is None:
        raise MultitoolError("the SARIF multitool is not installed (run `npm ci` at the repository root)")
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    with tempfile.TemporaryDirectory(prefix="xborder-multitool-") as tmp:
        config = Path(tmp, "gh-strict.config.json")
        config.write_text(json.dumps(STRICT_CONFIG, indent=2), encoding="utf-8")
        out = Path(tmp, "validation.sarif")
        cmd = [
            mt, "validate",
            "--rule-kind", "Sarif;Gh;Ghas",
            "--config", str(config),
            "--level", "Error;Warning",
            "--quiet", "true",
            "--log", "ForceOverwrite",
            "--output", str(out),
            *paths,
        ]  # fmt: skip
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0 or not out.is_file():
            raise MultitoolError(
                f"the multitool failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}".strip()
            )
        log = json.loads(out.read_text(encoding="utf-8-sig"))
    problems: list[tuple[str, str]] = []
    for run in log.get("runs") or []:
        rules = ((run.get("tool") or {}).get("driver") or {}).get("rules") or []
        for result in run.get("results") or []:
            rule_id = result.get("ruleId", "?")
            index = result.get("ruleIndex")
            name = rules[index].get("name", "") if isinstance(index, int) and index < len(rules) else ""
            if rule_id in IGNORED_RULES or f"{rule_id}.{name}" in IGNORED_RULES:
                continue
            message_id = (result.get("message") or {}).get("id", "")
            if rule_id in allow or f"{rule_id}/{message_id}" in allow:
                continue
            level = result.get("level", "warning")  # absent means warning
            if level not in ("error", "warning"):
                continue
            label = f"{rule_id}.{name}" if name else rule_id
            problems.append((level, f"{_location(result)}: {level} {label}: {_message_text(result, rules)}"))
        for inv in run.get("invocations") or []:
            for note in inv.get("toolExecutionNotifications") or []:
                if note.get("level", "warning") == "error":
                    text = (note.get("message") or {}).get("text", "")
                    problems.append(("error", f"multitool: error: {text}"))
    return problems


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if args else 2
    allow: list[str] = []
    while args and args[0] == "--allow":
        if len(args) < 2:
            print("sarif_multitool: --allow needs a value", file=sys.stderr)
            return 2
        allow.append(args[1])
        args = args[2:]
    if not args:
        print("sarif_multitool: no file given", file=sys.stderr)
        return 2
    try:
        problems = _validate(args, allow=allow)
    except MultitoolError as exc:
        print(f"sarif_multitool: {exc}", file=sys.stderr)
        return 2
    for _level, text in problems:
        print(text)
    n_err = sum(1 for level, _text in problems if level == "error")
    print(f"{len(args)} file(s): {n_err} error(s), {len(problems) - n_err} warning(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
