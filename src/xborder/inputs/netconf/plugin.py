"""Input plugin: router, firewall and VPN daemon configs, one unit per recognised file."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from xborder.hookmark import hookimpl
from xborder.inputs.netconf import unread
from xborder.inputs.netconf.detect import UNREAD, skipped_by_name, sniff, sniff_oversized
from xborder.jurisdiction.sites import site_of_address
from xborder.model import Endpoint, Fact, Link, LinkKind, LoadResult, Location, ScanError, some_values

if TYPE_CHECKING:
    from xborder.context import ScanContext

# extensions other inputs (Terraform, plans, CloudFormation) read: never an error here
OTHER_INPUTS = frozenset({".tf", ".tofu", ".tfvars", ".hcl", ".json", ".yaml", ".yml", ".template", ".tfplan"})
NOT_RECOGNISED = (
    "not a recognised network configuration (expected strongSwan ipsec.conf or swanctl.conf, WireGuard, OpenVPN, "
    "Cisco IOS/ASA, Junos or netplan)"
)


def format_module(fmt: str):  # noqa: ANN201 - one of the format modules
    return importlib.import_module(f"xborder.inputs.netconf.{fmt}")


def local_address_test(relpath: str, ctx: ScanContext) -> Callable[[str], str | None] | None:
    """For a device config: a test of whether an address or host name is one of the device's own, from the
    site inventory (those of the site whose `paths` match the file), returning why; None without such a site."""
    config = getattr(ctx, "config", None)
    if config is None or not config.sites:
        return None
    site = config.site_for_path(relpath, ctx.root)
    if site is None:
        return None
    name = site.name

    def is_local(value: str) -> str | None:
        if site_of_address(value, config) is not site:
            return None
        kind = "an address" if config.site_for_address(value) is site else "a host name"
        return f"{kind} of site {name} (this device's site)"

    return is_local


@dataclass
class NetconfUnit:
    """One device-config file, read on its own (files it includes are read through it)."""

    name: str  # the file, relative to the scan root
    fmt: str | None
    problem: str = ""  # set for explicitly named files that cannot be read as a config
    # netplan: the files netplan merges with this one, in its order, each marked whether it is a unit of this
    # scan; None: merged with no other file; (): another unit merges them (`netplan_groups`)
    group: tuple[tuple[str, bool], ...] | None = None
    shadowed_by: str = ""  # netplan: the file of the same name netplan reads instead (a preferred directory)
    outside: tuple[str, ...] = ()  # netplan: directories of its group that lead outside the tree (not listed)
    # netplan: the group's files this scan reads, named by the error of each `outside` directory (reported by
    # the first of them only: one error per link, not one per file of the group)
    outside_with: tuple[str, ...] = ()

    @property
    def reads_nothing(self) -> bool:
        """An explicitly named file that is not a config: reported, but not an input that was read."""
        return self.fmt is None

    def load(self, ctx: ScanContext) -> LoadResult:
        result = self._load(ctx)
        result.errors.extend(ScanError(d, 0, "symbolic link leads outside the repository; not read (netplan reads its "
                                       f"*.yaml files with {some_values(list(self.outside_with))})") for d in self.outside)
        return result

    def _load(self, ctx: ScanContext) -> LoadResult:
        if self.fmt is None:
            if self.problem.startswith("cannot read"):
                return LoadResult(errors=[ScanError(self.name, 1, self.problem)])
            # pre-commit passes every matched file (notes.txt, ntp.conf under network/): not infrastructure is
            # not an error, as in a directory scan; the note says it was not read
            return LoadResult(notes=[f"{self.name}: {self.problem or NOT_RECOGNISED}; not read"])
        if self.fmt.startswith(UNREAD):
            return unread_config(self.name, self.fmt)
        path = ctx.abs(self.name)
        try:
            module = format_module(self.fmt)
            if self.fmt == "strongswan":  # left/right are symmetric: the inventory says which end is this host
                return module.load(path, self.name, ctx.root, is_local=local_address_test(self.name, ctx))
            if self.fmt == "netplan":
                result = module.load(path, self.name, ctx.root, group=self.group)
                if self.shadowed_by:  # still judged: where the file is installed is the deployment's choice
                    result.notes.append(f"{self.name}: netplan does not read this file where {self.shadowed_by} is "
                                        "installed too (same name, a directory netplan prefers); judged on its own")
                return result
            return module.load(path, self.name, ctx.root)
        except OSError as exc:
            return LoadResult(errors=[ScanError(self.name, 1, f"cannot read: {exc.strerror or exc}")])
        except Exception as exc:  # a parser bug must not stop the scan
            return LoadResult(errors=[ScanError(self.name, 1, f"could not be read as {self.fmt} configuration ({type(exc).__name__}: {exc})")])


def _unread_format(fmt: str) -> tuple[str, int]:
    """(format name, line of its first VPN statement) of an "unread:KEY:LINE" format from detection."""
    key, _, line = fmt.removeprefix(UNREAD).partition(":")
    name = next((f.name for f in unread.formats() if f.key == key), key)
    return name, int(line) if line.isdigit() else 1


def unread_config(relpath: str, fmt: str) -> LoadResult:
    """A VPN configuration in a format xborder does not read: a one-ended link that rule XB003 reports."""
    name, line = _unread_format(fmt)
    link = Link(
        kind=LinkKind.NOT_READ,
        resource_type="device-config",
        address=f"{relpath} ({name})",
        location=Location(relpath, line, 1, line, 1),
        a=Endpoint(f"{relpath} ({name})", Fact("unknown", f"not read: xborder does not read {name}", origin="file content")),
        notes=["to judge it: review its tunnels' peers by hand (xborder reads strongSwan, swanctl, WireGuard, "
               "OpenVPN, Cisco IOS/ASA, Junos and netplan; policies/unread_configs.yaml lists the formats it only "
               "recognises)"],
        source="netconf",
        unit=relpath,
    )
    return LoadResult(links=[link])


@hookimpl
def xborder_collect(files: list[str], ctx: ScanContext) -> list[NetconfUnit]:
    explicit = set(getattr(ctx.options, "explicit_files", set()) or set())
    units: list[NetconfUnit] = []
    for rel in files:
        if rel not in explicit and skipped_by_name(rel):
            continue  # as sniff would answer, by its name alone
        fmt, why = sniff(ctx.abs(rel), rel)
        if fmt is not None:
            units.append(NetconfUnit(rel, fmt))
            continue
        if PurePosixPath(rel).suffix.lower() in OTHER_INPUTS and (rel in explicit or why.startswith("larger than")):
            continue  # another input reads it
        if why.startswith("larger than"):
            fmt_of_head = sniff_oversized(ctx.abs(rel), rel)
            if fmt_of_head and fmt_of_head.startswith(UNREAD):
                fmt_of_head = _unread_format(fmt_of_head)[0]
            if fmt_of_head:  # a device config too large to read: an error, never a silent skip
                units.append(NetconfUnit(rel, None, f"cannot read: a {fmt_of_head} configuration {why}; not read"))
                continue
        if why.startswith("cannot read: a "):  # a device config xborder cannot read: an error in any scan
            units.append(NetconfUnit(rel, None, why))
            continue
        if rel in explicit:
            units.append(NetconfUnit(rel, None, why if why.startswith("cannot read") else
                                     f"{why}: not a network configuration" if why else NOT_RECOGNISED))
    units = _without_included(units, explicit, ctx)
    if any(u.fmt == "netplan" for u in units):
        _netplan_groups(units, set(files), explicit, ctx)
    return units


def _netplan_groups(units: list[NetconfUnit], files: set[str], explicit: set[str], ctx: ScanContext) -> None:
    """Tell the netplan units which files netplan merges with theirs (`netplan.reading_order`): the last unit
    of a group in netplan's order merges it, the others read their file alone. The netplan files beside each
    unit on disk that the scan did not list are merged too, as the device merges them: beside a file named on
    the command line (pre-commit), and in a directory of the group the walk does not enter (a symbolic link to
    a folder of the tree, read through it as netplan reads it; one leading outside is an error, never listed)."""
    from xborder.inputs.netconf import netplan  # noqa: PLC0415 - only with netplan files

    mine = {u.name: u for u in units if u.fmt == "netplan"}
    members = set(mine)
    beside: dict[str, tuple[list[str], tuple[str, ...]]] = {}
    in_group: dict[str, list[str]] = {}  # group -> its units, by name
    for name in sorted(mine):
        key = netplan.group_of(name)
        if key is None:
            continue
        if key[0] not in beside:
            beside[key[0]] = _netplan_beside(key[0], files, ctx)
        members.update(beside[key[0]][0])
        in_group.setdefault(key[0], []).append(name)
    for group, names in in_group.items():  # a directory outside: one error, by the group's first file
        outside = beside[group][1]
        if outside:
            mine[names[0]].outside = outside
            mine[names[0]].outside_with = tuple(names)
    order, shadowed = netplan.reading_order(sorted(members))
    for group in order:
        in_scan = [m for m in group if m in mine]
        if len(group) < 2 or not in_scan:
            continue
        for m in in_scan:
            mine[m].group = ()
        mine[in_scan[-1]].group = tuple((m, m in mine) for m in group)
    for low, high in sorted(shadowed.items()):
        if low in mine:
            mine[low].shadowed_by = high


def _netplan_beside(group: str, files: set[str], ctx: ScanContext) -> tuple[list[str], tuple[str, ...]]:
    """(the netplan files of `group` (`netplan.group_of`) that this scan did not list, its directories that lead
    outside the tree): files read from disk, inside the tree, minus the configured exclusions, recognised as
    netplan by content (or not readable: then an error); a directory outside is neither listed nor read."""
    from xborder.inputs import reading  # noqa: PLC0415
    from xborder.inputs.netconf import netplan  # noqa: PLC0415
    from xborder.scan import apply_excludes  # noqa: PLC0415

    if group.endswith("/*/netplan"):
        base = group[: -len("/*/netplan")]
        dirs = [f"{base}/{d}/netplan".lstrip("/") for d in ("lib", "usr/lib", "etc", "run")]
    else:
        dirs = [group]
    found = []
    outside = []
    for d in dirs:
        where = ctx.abs(d) if d else ctx.root
        if not reading.inside(Path(where)):
            if os.path.lexists(where):
                outside.append(d)
            continue
        try:
            names = reading.list_names(where)
        except OSError:
            continue
        found += [f"{d}/{n}".lstrip("/") for n in sorted(names) if n.endswith(".yaml")]
    found = [f for f in found if f not in files and netplan.group_of(f) is not None and netplan.group_of(f)[0] == group]
    kept, _ = apply_excludes(found, set(), list(getattr(ctx.options, "exclude", []) or []), ctx.config, ctx.root, [])
    out = []
    for f in kept:
        fmt, why = sniff(ctx.abs(f), f)
        if fmt == "netplan" or why.startswith("cannot read"):  # unreadable: its load says so (the merge is partial)
            out.append(f)
    return out, tuple(outside)


def _without_included(units: list[NetconfUnit], explicit: set[str], ctx: ScanContext) -> list[NetconfUnit]:
    """Files pulled in by another file's `include` are read as part of it, not on their own.

    A file is left out only when a different file of the same format includes it and reads it that
    way. A file that includes itself stays a unit; of files that include each other (a cycle) the
    first by name stays and reads the others, so every file's own links are read exactly once.
    """
    fmt_of = {u.name: u.fmt for u in units}
    includes: dict[str, set[str]] = {}
    for unit in units:
        if unit.fmt in ("strongswan", "swanctl", "openvpn"):
            from xborder.inputs.netconf.common import read_text  # noqa: PLC0415 - only with device configs

            try:
                text = read_text(ctx.abs(unit.name))
            except OSError:
                continue
            targets = format_module(unit.fmt).included_files(text, unit.name, ctx.root)
            includes[unit.name] = {t for t in targets if fmt_of.get(t, unit.fmt) == unit.fmt}
    if not any(includes.values()):
        return units

    reached: dict[str, set[str]] = {}

    def reach(start: str) -> set[str]:
        if start not in reached:
            seen, stack = {start}, [start]
            while stack:
                for nxt in includes.get(stack.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            reached[start] = seen
        return reached[start]

    dropped: set[str] = set()
    for v, targets in includes.items():
        for u in targets - {v}:
            cycle = {w for w in reach(u) if u in reach(w)}
            if v not in cycle or u != min(cycle):
                dropped.add(u)
    return [u for u in units if u.name not in dropped or (u.name in explicit and u.fmt is None)]
