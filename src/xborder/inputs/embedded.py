"""VPN configurations written inside a string of a template (CloudFormation `UserData`, `Fn::Join` parts,
cfn-init file contents; a Terraform heredoc or quoted string): reported by rule XB003 at the attribute that
holds them, never silence.

Why: an instance whose user data writes `/etc/wireguard/wg0.conf` with an offshore `Endpoint` is a tunnel
like any other, but the template only holds its text. The signatures are the embedded formats of
`policies/unread_configs.yaml` (those whose `only_in` lists `strings`), the same as for YAML files.
"""

from __future__ import annotations

import functools
import re

from xborder.inputs.netconf import unread
from xborder.model import PART, Endpoint, Fact, Link, LinkKind, Location, part_not_read

STRINGS = "strings"  # the `only_in` entry of the formats that apply to string values
BOOT = "cloud-init boot commands"  # the key of a `#cloud-config` text whose boot commands set up a tunnel


@functools.lru_cache(maxsize=1)
def _formats() -> tuple[unread.UnreadFormat, ...]:
    """The formats that apply to strings, compiled alone (not the file formats: a scan of Terraform files that
    meets one heredoc should not compile every signature)."""
    return tuple(
        unread.UnreadFormat(key, str(f["name"]), re.compile(str(f["signature"]), re.M), frozenset(f.get("also_in", ())),
                            frozenset(f.get("only_in", ())))
        for key, f in sorted(unread._data().items()) if STRINGS in f.get("only_in", ())
    )


def format_of(key: str) -> unread.UnreadFormat:
    return next(f for f in _formats() if f.key == key)


def found_in(text: str) -> unread.UnreadFormat | None:
    """The embedded format whose signature occurs in `text` (a string value), or None. Each line is indented
    by one space first: the signatures expect the indentation a YAML block gives the embedded text."""
    indented = " " + text.replace("\n", "\n ")
    return next((f for f in _formats() if f.signature.search(indented)), None)


def what(fmt: unread.UnreadFormat) -> str:
    """`WireGuard configuration` of `WireGuard configuration embedded in YAML (...)`."""
    return fmt.name.split(" embedded in ")[0]


def link(rel: str, line: int, address: str, fmt: unread.UnreadFormat, where: str, source: str) -> Link:
    """The XB003 one-ended link of a configuration embedded at `address` (`where` says in what)."""
    label = f"{address} ({what(fmt)} embedded in {where})"
    return Link(
        kind=LinkKind.NOT_READ,
        resource_type="device-config",
        address=label,
        location=Location(rel, line, 1, line, 1),
        a=Endpoint(label, Fact("unknown", f"not read: VPN configuration embedded, not read ({what(fmt)})",
                               origin="string value")),
        notes=["to judge it: review its tunnels' peers by hand, or keep the configuration in a file of its own in "
               "the scanned tree (xborder reads strongSwan, swanctl, WireGuard, OpenVPN, Cisco IOS/ASA, Junos and netplan "
               "files)"],
        source=source,
        unit=rel,
    )


def boot_commands(text: str) -> int:
    """How many `runcmd`/`bootcmd` entries of a `#cloud-config` text write a VPN configuration or change a
    tunnel (`netconf.cloudinit`, `policies/boot_commands.yaml`); 0 for any other text."""
    if not text.startswith(("#cloud-config", "\ufeff#cloud-config")):  # cloudinit's header test, before importing
        return 0  # the reader (and PyYAML): most strings of a cold scan are not cloud-config texts
    from xborder.inputs.netconf import cloudinit  # noqa: PLC0415 - only for a cloud-config text

    if not cloudinit.may_change_vpn(text):
        return 0
    return sum(1 for lk in cloudinit.parse(text, "user data").links if lk.resource_type == PART)


def boot_link(rel: str, line: int, address: str, count: int, where: str, source: str) -> Link:
    """The XB002 link of a cloud-config user data whose boot commands set up a tunnel (`count` of them)."""
    label = f"{address} (cloud-init boot commands in {where})"
    return part_not_read(
        Location(rel, line, 1, line, 1), label, label,
        f"the cloud-config user data runs {count} boot command{'s' if count != 1 else ''} (runcmd/bootcmd) that write "
        "a VPN configuration or change a tunnel; xborder runs no command, so the tunnel it sets up is not judged",
        "write the configuration with write_files (or keep it as a file of its own in the scanned tree)",
        f"an approval for rule XB002 in .xborder.yaml with this file's path and `resource: \"{label}\"`, or an "
        "ignore comment on the line above it", source, unit=rel)
