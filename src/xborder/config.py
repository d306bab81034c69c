"""`.xborder.yaml`: the user's site inventory, CloudFormation regions, approvals and licensed operators.

The file is validated strictly: every error names the file and the line of the bad key or value and says
what is wrong. An invalid file still yields a `Config` holding whatever was valid, so the scan goes on.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Union

from xborder import lazy
from xborder.context import SKIP_DIRS
from xborder.dates import datetime as _dt
from xborder.globs import compile_glob
from xborder.inputs import reading
from xborder.model import ScanError

if TYPE_CHECKING:
    import yaml

    from xborder import config_schema as schema
    from xborder import yaml_budget
    from xborder.config_schema import Checked
else:  # imported when a `.xborder.yaml` is read, not at every start (PyYAML's import alone is ~30 ms)
    yaml = lazy.module("yaml")
    yaml_budget = lazy.module("xborder.yaml_budget")
    schema = lazy.module("xborder.config_schema")

CONFIG_NAMES = (".xborder.yaml", ".xborder.yml")
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

_MAX_WALK_FILES = 200_000
MAX_CONFIG_BYTES = 1024 * 1024  # an inventory is a few KB; this bounds validation work
_HOSTNAME = lazy.regex(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$")


# --------------------------------------------------------------------------------------------- globs
# Path globs (`*`, `?`, `**`, `[...]`, a directory matching what is below it) are matched by
# `xborder.globs`: linear time whatever the pattern, and no pattern raises.


def _normalise_glob(pattern: str) -> str:
    p = pattern.strip().replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


# --------------------------------------------------------------------------------------------- data


@dataclass
class Site:
    """A place the organisation runs equipment: its country and what belongs to it."""

    name: str
    country: str
    paths: list[str] = field(default_factory=list)  # globs relative to the config file's directory
    cidrs: list[Any] = field(default_factory=list)  # ip_network objects (strings are converted)
    hosts: list[str] = field(default_factory=list)  # lower case, no trailing dot
    line: int = 0

    def __post_init__(self) -> None:
        self.country = self.country.upper()
        self.cidrs = [c if not isinstance(c, str) else ipaddress.ip_network(c, strict=False) for c in self.cidrs]
        self.hosts = [h.lower().rstrip(".") for h in self.hosts]
        self.paths = [_normalise_glob(p) for p in self.paths]
        self._patterns = [compile_glob(p) for p in self.paths]

    @property
    def mainland(self) -> bool:
        return self.country == "CN"

    def matches_path(self, rel_to_base: str) -> bool:
        return any(p.match(rel_to_base) for p in self._patterns)


@dataclass
class CloudFormationSetting:
    """The region CloudFormation templates matching `paths` deploy to (templates do not say it themselves)."""

    paths: list[str]
    region: str
    line: int = 0
    parameters: str = ""  # the parameters file these stacks deploy with, relative to the config file ("": none)

    def __post_init__(self) -> None:
        self.paths = [_normalise_glob(p) for p in self.paths]
        self._patterns = [compile_glob(p) for p in self.paths]

    def matches_path(self, rel_to_base: str) -> bool:
        return any(p.match(rel_to_base) for p in self._patterns)


@dataclass
class Approval:
    """An accepted finding: which rule/resource/path it covers, why, and until when."""

    reason: str
    rule: str | None = None
    resource: str | None = None
    path: str | None = None
    reference: str = ""
    expires: _dt.date | None = None
    line: int = 0
    fingerprint: str | None = None  # pins the link's ends: a retargeted link no longer matches

    def expired(self, today: _dt.date | None = None) -> bool:
        return self.expires is not None and self.expires < (today or _dt.date.today())


@dataclass
class LicensedOperator:
    """An operator the organisation knows to be licensed in mainland China (extends the registry)."""

    name: str
    aliases: list[str] = field(default_factory=list)
    source: str = ""
    line: int = 0


@dataclass
class Config:
    """The site inventory and approvals of `.xborder.yaml`; empty when there is none (or with --no-config)."""

    sites: list[Site] = field(default_factory=list)
    cloudformation: list[CloudFormationSetting] = field(default_factory=list)
    approvals: list[Approval] = field(default_factory=list)
    licensed_operators: list[LicensedOperator] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # globs relative to the config's directory; names match at any depth
    max_approval_days: int | None = None  # horizon for `until`/`expires`; None: the default (suppress.DEFAULT_MAX_DAYS)
    path: Path | None = None  # the file it was read from
    display: str = ".xborder.yaml"  # how messages and evidence name the file (never absolute when under the root)
    base_dir: Path | None = None  # globs are relative to this directory; None: the scan root

    def relative_to_base(self, relpath: str, root: Path) -> str | None:
        """A scanned file's path (relative to `root`) relative to the config file's directory."""
        rel = PurePosixPath(relpath.replace("\\", "/")).as_posix()
        if self.base_dir is None:
            return rel
        try:
            return (Path(root) / rel).relative_to(self.base_dir).as_posix()
        except ValueError:
            try:
                return (Path(root).resolve() / rel).relative_to(self.base_dir.resolve()).as_posix()
            except (ValueError, OSError):
                return None

    def site_for_path(self, relpath: str, root: Path) -> Site | None:
        rel = self.relative_to_base(relpath, root)
        if rel is None:
            return None
        for site in self.sites:
            if site.matches_path(rel):
                return site
        return None

    def site_for_address(self, text: str) -> Site | None:
        """The site whose most specific CIDR holds the address (None for host names and garbage)."""
        from xborder.jurisdiction.addresses import parse_ip

        addr = parse_ip(text)
        if addr is None:
            return None
        best: tuple[int, Site] | None = None
        for site in self.sites:
            for net in site.cidrs:
                if net.version == addr.version and addr in net and (best is None or net.prefixlen > best[0]):
                    best = (net.prefixlen, site)
        return best[1] if best else None

    def site_for_host(self, host: str) -> Site | None:
        h = host.strip().lower().rstrip(".")
        for site in self.sites:
            if h in site.hosts:
                return site
        return None

    def cloudformation_region(self, relpath: str, root: Path) -> CloudFormationSetting | None:
        rel = self.relative_to_base(relpath, root)
        if rel is None:
            return None
        for setting in self.cloudformation:
            if setting.matches_path(rel):
                return setting
        return None


# --------------------------------------------------------------------------------------------- finding


def find_config(start: Path, stop: Path | None = None) -> Path | None:
    """The nearest `.xborder.yaml` walking up from `start`, stopping after the first directory that
    contains `.git` (the repository root), after `stop` (the scan uses the scan root when there is no
    repository, so a file planted in `/tmp` or `$HOME` is never picked up), or at the filesystem root."""
    try:
        here = Path(start).resolve()
    except OSError:
        here = Path(start).absolute()
    if not here.is_dir():
        here = here.parent
    for directory in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        if (directory / ".git").exists() or (stop is not None and directory == stop):
            return None
    return None


def iso_country_codes() -> frozenset[str]:
    return frozenset(schema.iso_country_codes())


# --------------------------------------------------------------------------------------------- loading


def load_config(path: Path | None, root: Path) -> tuple[Config, list[ScanError]]:
    """Read and validate `path`; `(Config(), [])` when there is none."""
    if path is None:
        return Config(), []
    path = Path(path)
    display = _display(path, Path(root))
    try:
        data = reading.read_bytes(path, MAX_CONFIG_BYTES, confine=False)
        text = data.decode("utf-8-sig")
    except OSError as exc:
        return Config(), [ScanError(display, 1, f"cannot read the configuration file: {exc.strerror or exc}")]
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Config(), [ScanError(display, line, "the configuration file is not UTF-8 text")]
    try:
        base = path.resolve().parent
    except OSError:
        base = path.absolute().parent
    config, errors = parse_config(text, display, base)
    config.path = path
    return config, errors


def parse_config(text: str, display: str = ".xborder.yaml", base_dir: Path | None = None) -> tuple[Config, list[ScanError]]:
    config = Config(path=None, display=display, base_dir=base_dir)
    try:
        node = yaml_budget.compose(text)  # aliases and nesting within a budget (a "billion laughs" is an error)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        return config, [ScanError(display, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return config, [ScanError(display, 1, f"YAML error: {exc}")]
    v = _Validator(display, base_dir)
    if node is None:
        return config, []
    v.top(node, config)
    return config, v.errors


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.name if path.name in CONFIG_NAMES else path.as_posix()


class _Validator:
    """The checks a schema cannot express, on values `config_schema.check` let through; builds the `Config`."""

    def __init__(self, display: str, base_dir: Path | None) -> None:
        self.display = display
        self.base_dir = base_dir
        self.errors: list[ScanError] = []
        self._files: list[str] | None = None

    def err(self, node: yaml.Node, message: str) -> None:
        self.errors.append(ScanError(self.display, node.start_mark.line + 1, message))

    def files(self) -> list[str]:
        if self._files is None:
            self._files = []
            if self.base_dir is not None and self.base_dir.is_dir():
                for dirpath, dirnames, filenames in os.walk(self.base_dir):
                    dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
                    rel_dir = Path(dirpath).relative_to(self.base_dir).as_posix()
                    for f in filenames:
                        self._files.append(f if rel_dir == "." else f"{rel_dir}/{f}")
                    if len(self._files) > _MAX_WALK_FILES:
                        break
        return self._files

    def globs(self, checked: Checked | None) -> list[str]:
        out = []
        for item in checked.value if checked else []:
            p = _normalise_glob(item.value)
            if self.base_dir is not None:
                rx = compile_glob(p)
                if not any(rx.match(f) for f in self.files()):
                    self.err(item.node, f"warning: {checked.where}: '{item.value}' matches no file under the directory of {self.display}")
            out.append(p)
        return out

    # -- sections
    def top(self, node: yaml.Node, config: Config) -> None:
        checked = schema.check(schema.CONFIG, node, "the top level", self.err)
        if checked is None:
            return
        keys: dict[str, Checked] = checked.value
        names: dict[str, int] = {}
        for item in keys["sites"].value if "sites" in keys else []:
            site = self.site(item, names)
            if site is not None:
                config.sites.append(site)
        for item in keys["cloudformation"].value if "cloudformation" in keys else []:
            setting = self.cloudformation(item)
            if setting is not None:
                config.cloudformation.append(setting)
        for item in keys["approvals"].value if "approvals" in keys else []:
            approval = self.approval(item)
            if approval is not None:
                config.approvals.append(approval)
        if "exclude" in keys:
            config.exclude = self.globs(keys["exclude"])
        if "max_approval_days" in keys:
            config.max_approval_days = keys["max_approval_days"].value
        for item in keys["licensed_operators"].value if "licensed_operators" in keys else []:
            if item.complete:
                f = item.value
                config.licensed_operators.append(LicensedOperator(
                    name=f["name"].value, aliases=[a.value for a in f["aliases"].value] if "aliases" in f else [],
                    source=f["source"].value if "source" in f else "", line=item.line))

    def site(self, item: Checked, names: dict[str, int]) -> Site | None:
        f: dict[str, Checked] = item.value
        ok = item.complete
        if "name" in f:
            name = f["name"].value
            if name in names:
                self.err(f["name"].node, f"{item.where}: site name '{name}' is already used on line {names[name]}")
                ok = False
            else:
                names[name] = item.line
        paths = self.globs(f.get("paths"))
        cidrs = self.cidrs(f.get("cidrs"))
        hosts = self.hosts(f.get("hosts"))
        if not ok:
            return None
        return Site(name=f["name"].value, country=f["country"].value, paths=paths, cidrs=cidrs, hosts=hosts, line=item.line)

    def cidrs(self, checked: Checked | None) -> list[IPNetwork]:
        out: list[IPNetwork] = []
        for item in checked.value if checked else []:
            text = item.value
            try:
                out.append(ipaddress.ip_network(text, strict=True))
                continue
            except ValueError:
                pass
            try:
                net = ipaddress.ip_network(text, strict=False)
            except ValueError:
                self.err(item.node, f"{checked.where}: '{text}' is not a CIDR block (like 58.247.0.0/24 or 2400:da00::/32)")
                continue
            self.err(item.node, f"warning: {checked.where}: '{text}' has host bits set; read as {net}")
            out.append(net)
        return out

    def hosts(self, checked: Checked | None) -> list[str]:
        out = []
        for item in checked.value if checked else []:
            h = item.value.lower().rstrip(".")
            if not _HOSTNAME.match(h):
                self.err(item.node, f"{checked.where}: '{item.value}' is not a host name")
                continue
            out.append(h)
        return out

    def known_region(self, item: Checked) -> None:
        """A region missing from the AWS table is a typo or newer than the table: say so, with the closest names."""
        from xborder.jurisdiction.regions import did_you_mean  # noqa: PLC0415
        from xborder.policy import load_policies  # noqa: PLC0415

        region = item.value
        table = load_policies().tables.get("aws")
        if table is not None and table.lookup(region) is None:
            self.err(item.node, f"{item.where}: '{region}' is not an AWS region listed in policies/regions/aws.yaml"
                                f"{did_you_mean(region, table)} (templates matched by this entry get an unknown region)")

    def cloudformation(self, item: Checked) -> CloudFormationSetting | None:
        f: dict[str, Checked] = item.value
        paths = self.globs(f.get("paths"))
        if "region" in f:
            self.known_region(f["region"])
        if not item.complete:
            return None
        return CloudFormationSetting(paths=paths, region=f["region"].value, line=item.line,
                                     parameters=f["parameters"].value if "parameters" in f else "")

    def approval(self, item: Checked) -> Approval | None:
        f: dict[str, Checked] = item.value
        expires = None
        if "expires" in f:
            try:
                expires = _dt.date.fromisoformat(f["expires"].value)
            except ValueError:
                self.err(f["expires"].node, f"{f['expires'].where}: '{f['expires'].value}' is not a date in the form YYYY-MM-DD")
                return None
        if not item.complete:
            return None
        return Approval(
            reason=f["reason"].value,
            rule=f["rule"].value if "rule" in f else None,
            resource=f["resource"].value if "resource" in f else None,
            path=f["path"].value if "path" in f else None,
            reference=f["reference"].value if "reference" in f else "",
            expires=expires,
            line=item.line,
            fingerprint=f["fingerprint"].value if "fingerprint" in f else None,
        )
