"""cloud-init user data (`#cloud-config`): boot commands that write or change a VPN configuration.

Why: `runcmd: - echo "Endpoint = 8.8.8.8:51820" >> /etc/wireguard/wg0.conf` sets up a tunnel when the machine
boots, but no file of the repository holds it; xborder runs no command, so such a command is a part not read
(XB002) at its line. Which commands count is data (`policies/boot_commands.yaml`). Configurations written whole
by `write_files` are recognised by the embedded signatures (XB003), as in any YAML file.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder.inputs.netconf import unread
from xborder.model import LoadResult, part_not_read

# PyYAML, the YAML budget, netplan's comment reader and netconf's common reader are imported by the functions
# that read a document (`parse`, `comments`, `load`): the header and name tests (`may_change_vpn`) run on strings
# of Terraform and CloudFormation templates and on every YAML file, and should not pay for them
# (`embedded.boot_commands`, `detect`)

FORMAT = "cloudinit"
_HEADER = lazy.regex(r"\A(?:\ufeff)?#cloud-config[ \t]*\r?$", re.M)
_RUNS = lazy.regex(r"^(runcmd|bootcmd)[ \t]*:", re.M)


def is_cloud_config(text: str) -> bool:
    """A `#cloud-config` file (cloud-init reads the header on the first line) with boot commands."""
    return bool(_HEADER.match(text)) and bool(_RUNS.search(text))


@functools.lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """`policies/boot_commands.yaml`, read once per process (paths, writes, commands)."""
    from xborder.policy import _files, _load_yaml  # noqa: PLC0415 - policy data, read on first use

    return _load_yaml(_files("boot_commands.yaml"))  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    data = _data()
    path = "(?:" + "|".join(re.escape(p) for p in paths()) + r")\S*"
    return tuple(re.compile(str(w).replace("{path}", path)) for w in data["writes"]) + tuple(
        re.compile(str(c)) for c in data["commands"])


@functools.lru_cache(maxsize=1)
def paths() -> tuple[str, ...]:
    return tuple(str(p) for p in _data()["paths"])


TOOLS = lazy.regex(r"\b(wg|nmcli)\b")


def names_vpn(text: str) -> bool:
    """Whether a text names a VPN configuration path or a tunnel tool: what a boot command that sets up a tunnel
    must name (its commands are read only then)."""
    return any(p in text for p in paths()) or bool(TOOLS.search(text))


def may_change_vpn(text: str) -> bool:
    """A `#cloud-config` file with boot commands that names a VPN configuration path or a tunnel tool (the
    commands are read only then)."""
    return is_cloud_config(text) and names_vpn(text)


def changes_vpn(command: str) -> bool:
    """Whether a boot command writes a VPN configuration file or changes a tunnel (`policies/boot_commands.yaml`)."""
    return any(p.search(command) for p in _patterns())


def comments(text: str) -> list[tuple[int, str]]:
    from xborder.inputs.netconf.netplan import comments as yaml_comments  # noqa: PLC0415 - (see the imports)

    return yaml_comments(text)


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    import yaml  # noqa: PLC0415 - only for a cloud-config document (see the imports)

    from xborder import yaml_budget  # noqa: PLC0415
    from xborder.inputs.netconf.common import Collector, span, split_lines  # noqa: PLC0415

    col = Collector(relpath)
    lines = split_lines(text)
    found = unread.match(text, ".yaml", skipped=True)
    if found:  # a configuration written whole (write_files): XB003, as for any YAML file
        from xborder.inputs.netconf.plugin import unread_config  # noqa: PLC0415 - (the plugin imports this module)

        col.result.links.extend(unread_config(relpath, f"unread:{found[0].key}:{found[1]}").links)
    try:
        doc = yaml_budget.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        col.error(mark.line + 1 if mark else 1, f"cloud-init: YAML error: {getattr(exc, 'problem', None) or exc}")
        return col.result
    if not isinstance(doc, yaml.MappingNode):
        return col.result
    for key, value in doc.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value in ("runcmd", "bootcmd")):
            continue
        if not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            command = _command(item)
            if command is None or not changes_vpn(command):
                continue
            n = item.start_mark.line + 1
            address = f"{relpath}: {key.value} {index + 1}"
            col.link(part_not_read(
                span(relpath, lines, n), address, f"{key.value} entry {index + 1}",
                f"cloud-init runs this command at boot (`{_head(command)}`), and it writes or changes a VPN "
                "configuration; xborder runs no command, so the tunnel it sets up is not judged",
                "write the configuration with write_files (or keep it as a file of its own in the scanned tree)",
                f"an approval for rule XB002 in .xborder.yaml with this file's path and `resource: \"{address}\"`, or "
                "`# xborder:ignore XB002 reason=\"...\"` on the line above it", "netconf"))
    return col.result


def _command(item: Any) -> str | None:
    """The command of a runcmd entry: a string (run by sh) or an argv list (joined with spaces)."""
    import yaml  # noqa: PLC0415 - imported by `parse` already

    if isinstance(item, yaml.ScalarNode):
        return str(item.value)
    if isinstance(item, yaml.SequenceNode) and all(isinstance(x, yaml.ScalarNode) for x in item.value):
        return " ".join(str(x.value) for x in item.value)
    return None


def _head(command: str) -> str:
    """The first words of a command, for the message (never a key or password further on)."""
    words = command.split()
    return " ".join(words[:2]) + (" ..." if len(words) > 2 else "")


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    from xborder.inputs.netconf.common import read_text  # noqa: PLC0415 - (see the imports)

    return parse(read_text(path), relpath, root)
