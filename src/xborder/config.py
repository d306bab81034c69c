"""`.xborder.yaml`: the user's site inventory, CloudFormation regions, approvals and licensed operators.

The file is validated strictly: every error names the file and the line of the bad key or value and says
what is wrong. An invalid file still yields a `Config` holding whatever was valid, so the scan goes on.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import ipaddress
import json
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, Union

import yaml

from xborder.context import SKIP_DIRS
from xborder import yaml_budget
from xborder.globs import compile_glob
from xborder.inputs import reading
from xborder.model import ScanError

CONFIG_NAMES = (".xborder.yaml", ".xborder.yml")
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

_MAX_WALK_FILES = 200_000
MAX_CONFIG_BYTES = 1024 * 1024  # an inventory is a few KB; this bounds validation work
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z0-9]+)*-\d+$")
_COUNTRY_HINTS = {"UK": "GB", "EL": "GR", "CHN": "CN", "HKG": "HK", "MAC": "MO", "TWN": "TW", "USA": "US"}


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
    paths: list[str]
    region: str
    line: int = 0

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
    data = json.loads(resources.files("xborder").joinpath("schemas/iso3166.json").read_text(encoding="utf-8"))
    return frozenset(data["codes"])


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


_TOP_KEYS = ("sites", "cloudformation", "approvals", "licensed_operators", "max_approval_days", "exclude")
_SITE_KEYS = ("name", "country", "paths", "cidrs", "hosts")
_CFN_KEYS = ("paths", "region")
_APPROVAL_KEYS = ("rule", "resource", "path", "reason", "reference", "expires")
_OPERATOR_KEYS = ("name", "aliases", "source")


class _Validator:
    def __init__(self, display: str, base_dir: Path | None) -> None:
        self.display = display
        self.base_dir = base_dir
        self.errors: list[ScanError] = []
        self._files: list[str] | None = None
        self._countries: frozenset[str] | None = None

    # -- helpers
    def err(self, node: yaml.Node, message: str) -> None:
        self.errors.append(ScanError(self.display, node.start_mark.line + 1, message))

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode):
            self.err(node, f"{where} must be a mapping with keys {', '.join(allowed)}")
            return None
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.err(key, f"{where}: keys must be plain names")
                continue
            name = key.value
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.5)
                hint = f"; did you mean '{close[0]}'?" if close else f"; valid keys: {', '.join(allowed)}"
                self.err(key, f"{where}: unknown key '{name}'{hint}")
                continue
            if name in out:
                self.err(key, f"{where}: duplicate key '{name}'")
                continue
            out[name] = (key, value)
        return out

    def sequence(self, node: yaml.Node, where: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.err(node, f"{where} must be a list")
            return None
        return list(node.value)

    def string(self, node: yaml.Node, where: str, required_nonempty: bool = True) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.err(node, f"{where} must be a string")
            return None
        if required_nonempty and not node.value.strip():
            self.err(node, f"{where} must not be empty")
            return None
        return node.value.strip()

    def strings(self, node: yaml.Node, where: str) -> list[tuple[yaml.Node, str]]:
        items = self.sequence(node, where)
        out: list[tuple[yaml.Node, str]] = []
        for i, item in enumerate(items or []):
            s = self.string(item, f"{where}[{i}]")
            if s is not None:
                out.append((item, s))
        return out

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

    def globs(self, node: yaml.Node, where: str) -> list[str]:
        out = []
        for item, pattern in self.strings(node, where):
            p = _normalise_glob(pattern)
            if p.startswith("/") or re.match(r"^[A-Za-z]:/", p) or ".." in PurePosixPath(p).parts:
                self.err(item, f"{where}: '{pattern}' must be a path relative to the directory of {self.display} (no '..', not absolute)")
                continue
            if self.base_dir is not None:
                rx = compile_glob(p)
                if not any(rx.match(f) for f in self.files()):
                    self.err(item, f"warning: {where}: '{pattern}' matches no file under the directory of {self.display}")
            out.append(p)
        return out

    # -- sections
    def top(self, node: yaml.Node, config: Config) -> None:
        keys = self.mapping(node, "the top level", _TOP_KEYS)
        if keys is None:
            return
        if "sites" in keys:
            names: dict[str, int] = {}
            for i, item in enumerate(self.sequence(keys["sites"][1], "sites") or []):
                site = self.site(item, i, names)
                if site is not None:
                    config.sites.append(site)
        if "cloudformation" in keys:
            for i, item in enumerate(self.sequence(keys["cloudformation"][1], "cloudformation") or []):
                setting = self.cloudformation(item, i)
                if setting is not None:
                    config.cloudformation.append(setting)
        if "approvals" in keys:
            for i, item in enumerate(self.sequence(keys["approvals"][1], "approvals") or []):
                approval = self.approval(item, i)
                if approval is not None:
                    config.approvals.append(approval)
        if "exclude" in keys:
            config.exclude = self.globs(keys["exclude"][1], "exclude")
        if "max_approval_days" in keys:
            vnode = keys["max_approval_days"][1]
            raw = vnode.value if isinstance(vnode, yaml.ScalarNode) else ""
            if vnode.tag == "tag:yaml.org,2002:int" and str(raw).isdigit() and 1 <= int(raw) <= 3660:
                config.max_approval_days = int(raw)
            else:
                self.err(vnode, f"max_approval_days: '{raw}' must be a whole number of days from 1 to 3660")
        if "licensed_operators" in keys:
            for i, item in enumerate(self.sequence(keys["licensed_operators"][1], "licensed_operators") or []):
                op = self.operator(item, i)
                if op is not None:
                    config.licensed_operators.append(op)

    def site(self, node: yaml.Node, i: int, names: dict[str, int]) -> Site | None:
        where = f"sites[{i}]"
        keys = self.mapping(node, where, _SITE_KEYS)
        if keys is None:
            return None
        ok = True
        for req in ("name", "country"):
            if req not in keys:
                self.err(node, f"{where}: '{req}' is required")
                ok = False
        name = self.string(keys["name"][1], f"{where}.name") if "name" in keys else None
        if name is not None:
            if name in names:
                self.err(keys["name"][1], f"{where}: site name '{name}' is already used on line {names[name]}")
                ok = False
            else:
                names[name] = node.start_mark.line + 1
        label = f"site '{name}'" if name else where
        country = self.country(keys["country"][1], f"{label}: country") if "country" in keys else None
        if name is None or country is None:
            ok = False
        paths = self.globs(keys["paths"][1], f"{label}: paths") if "paths" in keys else []
        cidrs = self.cidrs(keys["cidrs"][1], f"{label}: cidrs") if "cidrs" in keys else []
        hosts = self.hosts(keys["hosts"][1], f"{label}: hosts") if "hosts" in keys else []
        if not ok:
            return None
        return Site(name=name or "", country=country or "", paths=paths, cidrs=cidrs, hosts=hosts, line=node.start_mark.line + 1)

    def country(self, node: yaml.Node, where: str) -> str | None:
        s = self.string(node, where)
        if s is None:
            return None
        if self._countries is None:
            self._countries = iso_country_codes()
        code = s.upper()
        if code in self._countries:
            return code
        hint = _COUNTRY_HINTS.get(code)
        extra = f"; did you mean '{hint}'?" if hint else ""
        self.err(node, f"{where}: '{s}' is not an ISO 3166-1 alpha-2 country code (CN is mainland China; HK, MO, TW are separate codes){extra}")
        return None

    def known_region(self, node: yaml.Node, where: str, region: str) -> None:
        """A region missing from the AWS table is a typo or newer than the table: say so, with the closest names."""
        from xborder.jurisdiction.regions import did_you_mean  # noqa: PLC0415
        from xborder.policy import load_policies  # noqa: PLC0415

        table = load_policies().tables.get("aws")
        if table is not None and table.lookup(region) is None:
            self.err(node, f"{where}: '{region}' is not an AWS region listed in policies/regions/aws.yaml"
                           f"{did_you_mean(region, table)} (templates matched by this entry get an unknown region)")

    def cidrs(self, node: yaml.Node, where: str) -> list[IPNetwork]:
        out: list[IPNetwork] = []
        for item, text in self.strings(node, where):
            try:
                out.append(ipaddress.ip_network(text, strict=True))
                continue
            except ValueError:
                pass
            try:
                net = ipaddress.ip_network(text, strict=False)
            except ValueError:
                self.err(item, f"{where}: '{text}' is not a CIDR block (like 58.247.0.0/24 or 2400:da00::/32)")
                continue
            self.err(item, f"warning: {where}: '{text}' has host bits set; read as {net}")
            out.append(net)
        return out

    def hosts(self, node: yaml.Node, where: str) -> list[str]:
        out = []
        for item, text in self.strings(node, where):
            h = text.lower().rstrip(".")
            if "*" in h:
                self.err(item, f"{where}: '{text}': wildcards are not supported; list each host name")
                continue
            if not _HOSTNAME.match(h):
                self.err(item, f"{where}: '{text}' is not a host name")
                continue
            out.append(h)
        return out

    def cloudformation(self, node: yaml.Node, i: int) -> CloudFormationSetting | None:
        where = f"cloudformation[{i}]"
        keys = self.mapping(node, where, _CFN_KEYS)
        if keys is None:
            return None
        missing = [k for k in _CFN_KEYS if k not in keys]
        for k in missing:
            self.err(node, f"{where}: '{k}' is required")
        paths = self.globs(keys["paths"][1], f"{where}.paths") if "paths" in keys else []
        region = self.string(keys["region"][1], f"{where}.region") if "region" in keys else None
        if region is not None and not _REGION.match(region):
            self.err(keys["region"][1], f"{where}.region: '{region}' does not look like a region name (like cn-north-1 or ap-east-1)")
            region = None
        elif region is not None:
            self.known_region(keys["region"][1], f"{where}.region", region)
        if missing or region is None:
            return None
        return CloudFormationSetting(paths=paths, region=region, line=node.start_mark.line + 1)

    def approval(self, node: yaml.Node, i: int) -> Approval | None:
        where = f"approvals[{i}]"
        keys = self.mapping(node, where, _APPROVAL_KEYS)
        if keys is None:
            return None
        values: dict[str, str | None] = {}
        for k in ("rule", "resource", "path", "reason", "reference"):
            if k in keys:
                values[k] = self.string(keys[k][1], f"{where}.{k}")
        ok = True
        if not any(values.get(k) for k in ("rule", "resource", "path")):
            if not any(k in keys for k in ("rule", "resource", "path")):
                self.err(node, f"{where}: name at least one of 'rule', 'resource' or 'path'")
            ok = False
        if "reason" not in keys:
            self.err(node, f"{where}: 'reason' is required (why the link is acceptable)")
            ok = False
        elif values.get("reason") is None:
            ok = False
        expires = None
        if "expires" in keys:
            vnode = keys["expires"][1]
            raw = vnode.value if isinstance(vnode, yaml.ScalarNode) else None
            try:
                if raw is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw).strip()):
                    raise ValueError
                expires = _dt.date.fromisoformat(str(raw).strip())
            except ValueError:
                self.err(vnode, f"{where}.expires: '{raw}' is not a date in the form YYYY-MM-DD")
                ok = False
        if not ok:
            return None
        return Approval(
            reason=values["reason"] or "",
            rule=values.get("rule"),
            resource=values.get("resource"),
            path=values.get("path"),
            reference=values.get("reference") or "",
            expires=expires,
            line=node.start_mark.line + 1,
        )

    def operator(self, node: yaml.Node, i: int) -> LicensedOperator | None:
        where = f"licensed_operators[{i}]"
        keys = self.mapping(node, where, _OPERATOR_KEYS)
        if keys is None:
            return None
        if "name" not in keys:
            self.err(node, f"{where}: 'name' is required")
            return None
        name = self.string(keys["name"][1], f"{where}.name")
        aliases = [s for _, s in self.strings(keys["aliases"][1], f"{where}.aliases")] if "aliases" in keys else []
        source = (self.string(keys["source"][1], f"{where}.source") or "") if "source" in keys else ""
        if name is None:
            return None
        return LicensedOperator(name=name, aliases=aliases, source=source, line=node.start_mark.line + 1)
