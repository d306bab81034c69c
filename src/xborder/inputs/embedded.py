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
from dataclasses import dataclass
from typing import Any

from xborder import lazy
from xborder.globs import Glob, compile_glob
from xborder.inputs.netconf import cloudinit, unread
from xborder.model import HOLDER, PART, Endpoint, Fact, Link, LinkKind, Location, Resource, ScanError, part_not_read

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


def link(rel: str, line: int, address: str, fmt: unread.UnreadFormat, where: str, source: str, why: str = "") -> Link:
    """The XB003 one-ended link of a configuration embedded at `address` (`where` says in what; `why`: why it is
    not read, a note)."""
    label = f"{address} ({what(fmt)} embedded in {where})"
    return Link(
        kind=LinkKind.NOT_READ,
        resource_type="device-config",
        address=label,
        location=Location(rel, line, 1, line, 1),
        a=Endpoint(label, Fact("unknown", f"not read: VPN configuration embedded, not read ({what(fmt)})",
                               origin="string value")),
        notes=([f"why it is not read: {why}"] if why else []) + [
            "to judge it: review its tunnels' peers by hand, or keep the configuration in a file of its own in the "
            "scanned tree (xborder reads strongSwan, swanctl, WireGuard, OpenVPN, Cisco IOS/ASA, Junos and netplan "
            "files)"],
        source=source,
        unit=rel,
    )


def boot_commands(text: str) -> int:
    """How many `runcmd`/`bootcmd` entries of a `#cloud-config` text write a VPN configuration or change a
    tunnel (`netconf.cloudinit`, `policies/boot_commands.yaml`); 0 for any other text."""
    if not cloudinit.may_change_vpn(text):  # (PyYAML is imported only to read one that may)
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


# ---------------------------------------------------------------------------------------------
# configurations written whole and literally: read with their family's reader, the resource holding them being the
# local end of their tunnels

FAMILIES = {"wireguard": "WireGuard", "strongswan": "strongSwan ipsec.conf", "swanctl": "strongSwan swanctl.conf",
            "openvpn": "OpenVPN"}
# the first statement of a whole configuration of each family (comments and blank lines before it aside): a boot
# script or a cloud-config that writes one somewhere inside is not one (patterns compiled on first use: a scan
# whose strings hold no configuration never compiles them)
_FIRST: dict[str, re.Pattern[str] | None] = {
    "wireguard": lazy.regex(r"[ \t]*\[[ \t]*(Interface|Peer)[ \t]*\][ \t]*(#.*)?$", re.I),
    "swanctl": lazy.regex(r"[ \t]*(connections|secrets|pools|authorities)[ \t]*\{"),
    "strongswan": lazy.regex(r"(config[ \t]+setup|conn[ \t]+\S+|ca[ \t]+\S+|include[ \t]+\S+|version[ \t]+\S+)[ \t]*(#.*)?$"),
    "openvpn": None,  # one of the directives the detector counts (`detect._OPENVPN`)
}
_SHELL_HEREDOC = lazy.regex(
    r"^[ \t]*(?:sudo[ \t]+)?(?:cat[ \t]*>[ \t]*(?P<p1>/[^\s;&|<>$`'\"]+)[ \t]*<<(?P<d1>-?)[ \t]*(?P<q1>['\"]?)(?P<t1>\w+)(?P=q1)"
    r"|cat[ \t]*<<(?P<d2>-?)[ \t]*(?P<q2>['\"]?)(?P<t2>\w+)(?P=q2)[ \t]*>[ \t]*(?P<p2>/[^\s;&|<>$`'\"]+)"
    r"|tee[ \t]+(?P<p3>/[^\s;&|<>$`'\"]+)[ \t]*<<(?P<d3>-?)[ \t]*(?P<q3>['\"]?)(?P<t3>\w+)(?P=q3)([ \t]*>[ \t]*/dev/null)?)"
    r"[ \t]*$")
_ANY_HEREDOC = lazy.regex(r"<<-?[ \t]*['\"]?\w+")


@dataclass(frozen=True)
class EmbeddedConfig:
    """A whole VPN configuration written literally in a string of a resource (a Terraform heredoc, a cloud-init
    `write_files` entry, a boot script's `cat > FILE <<EOF`): read by its family's reader, the resource being the
    local end of its tunnels (`inputs/embedded.py`)."""

    family: str  # the netconf reader: "wireguard", "strongswan", "swanctl", "openvpn"
    text: str
    path: str  # the scanned file holding the string
    lines: tuple[int, ...]  # the file's line of each line of `text`
    where: str  # what holds it: "user_data", "user_data, write_files /etc/wireguard/wg0.conf"
    name: str  # the file name the machine reads it as ("wg0.conf"), or the argument's name
    block: Location  # the block of the resource holding it (inline directives there cover its tunnels)
    file: str = ""  # the machine's file a boot writes it to ("/etc/wireguard/wg0.conf"); "": the string itself

    @property
    def argument(self) -> str:
        """The resource's top-level argument or nested block type holding it (`user_data`), as an override file
        names what it replaces."""
        return self.where.split(",")[0].split(" ")[0].split(".")[0]


@dataclass(frozen=True)
class Piece:
    """A whole configuration found in a string: its family, text, the file line of each of its lines, and where
    the machine keeps it ("" for the string itself, else the file a boot writes)."""

    family: str
    text: str
    lines: tuple[int, ...]
    file: str = ""
    how: str = ""  # "write_files", "a boot script's heredoc"


def pieces(text: str, lines: tuple[int, ...]) -> tuple[list[Piece], str, list[str]]:
    """The configurations `text` (a literal string whose line i is the file's line `lines[i]`) holds whole: the
    string itself, a `#cloud-config` `write_files` entry, or a boot script's `cat > FILE <<'EOF'` whose path is
    a file of a family (`policies/boot_commands.yaml` `files`). Returns them, the text with their lines blanked
    (what the embedded signatures are still matched on) and why each candidate part was not read."""
    family = _whole(text)
    if family is not None:
        return [Piece(family, text, lines)], "", []
    out: list[Piece] = []
    why: list[str] = []
    rows = text.split("\n")
    if text.startswith(("#cloud-config", "\ufeff#cloud-config")):
        _write_files(text, rows, lines, out, why)
        if not why:
            why.append("the #cloud-config holds it elsewhere than in a write_files entry's content")
    elif text.startswith("#!"):
        _heredocs(rows, lines, out, why)
        if not why:
            why.append("the boot script holds it elsewhere than in a heredoc writing a whole file (cat > FILE <<'EOF')")
    else:
        why.append("the string is not a whole configuration (its first statement is not one of WireGuard, strongSwan "
                   "or OpenVPN), nor a #cloud-config or a boot script (#!) writing one")
    return out, "\n".join(rows), why


def _whole(text: str) -> str | None:
    """The family of a string that is one whole configuration, else None."""
    if text.lstrip().startswith(("#!", "#cloud-config", "\ufeff")):
        return None
    first = next((ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith(("#", ";"))), None)
    if first is None:
        return None
    from xborder.inputs.netconf.detect import _OPENVPN, detect  # noqa: PLC0415 - only for a string holding one

    family = detect("embedded.conf", text)
    if family not in _FIRST:
        return None
    pattern = _FIRST[family or ""] or _OPENVPN
    return family if pattern.match(first) else None


def family_of(path: str) -> str | None:
    """The reader of the file a boot writes at `path` (`policies/boot_commands.yaml` `files`), else None."""
    for family, pattern in _file_patterns():
        if pattern.match(path):
            return family
    return None


@functools.lru_cache(maxsize=1)
def _file_patterns() -> tuple[tuple[str, Glob], ...]:
    """`files` of policies/boot_commands.yaml (read on first use), by xborder's one path-glob matcher."""
    return tuple((family, compile_glob(glob, prefix=False))
                 for family, globs in cloudinit._data()["files"].items() for glob in globs)


def _write_files(text: str, rows: list[str], lines: tuple[int, ...], out: list[Piece], why: list[str]) -> None:
    """The `write_files` entries of a cloud-config whose path is a family's file and whose content is a literal
    block (`content: |`), its lines then blanked in `rows`."""
    import yaml  # noqa: PLC0415 - only for a cloud-config holding a configuration

    from xborder import yaml_budget  # noqa: PLC0415

    try:
        doc = yaml_budget.compose(text)
    except yaml.YAMLError as exc:
        why.append(f"the #cloud-config is not valid YAML ({getattr(exc, 'problem', None) or type(exc).__name__})")
        return
    if not isinstance(doc, yaml.MappingNode):
        return
    for key, value in doc.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value == "write_files" and isinstance(value, yaml.SequenceNode)):
            continue
        for item in value.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            path, content = fields.get("path"), fields.get("content")
            if not isinstance(path, yaml.ScalarNode) or not isinstance(content, yaml.ScalarNode):
                continue
            family = family_of(str(path.value))
            if family is None:
                why.append(f"write_files {path.value}: not a file xborder reads as a configuration "
                           "(policies/boot_commands.yaml files)")
                continue
            encoding = fields.get("encoding")
            append = fields.get("append")
            if isinstance(encoding, yaml.ScalarNode) and str(encoding.value).lower() not in ("text/plain", ""):
                why.append(f"write_files {path.value}: its content is encoded ({encoding.value})")
            elif isinstance(append, yaml.ScalarNode) and str(append.value).lower() in ("true", "yes", "on", "1"):
                why.append(f"write_files {path.value}: appended to the file (append: true), so only part of it")
            elif content.style != "|":
                why.append(f"write_files {path.value}: its content is not a literal block (content: |)")
            else:
                first = content.start_mark.line + 1  # the line after the `|` indicator
                body = str(content.value)
                count = len(body.split("\n"))
                at = [lines[min(first + j, len(lines) - 1)] for j in range(count)]
                out.append(Piece(family, body, tuple(at), str(path.value), "write_files"))
                for j in range(first, min(first + count, len(rows))):
                    rows[j] = ""


def _heredocs(rows: list[str], lines: tuple[int, ...], out: list[Piece], why: list[str]) -> None:
    """A boot script's `cat > FILE <<'EOF'` (or `cat <<'EOF' > FILE`, `tee FILE <<'EOF'`) of a family's file: the
    text up to the delimiter, when the shell leaves it as written (a quoted delimiter, or no `$`, backquote or
    backslash in it); its lines are then blanked in `rows`."""
    i = 0
    while i < len(rows):
        m = _SHELL_HEREDOC.match(rows[i])
        if m is None:
            if _ANY_HEREDOC.search(rows[i]) and any(p in rows[i] for p in ("/etc/", ">>")):
                why.append(f"line {lines[min(i, len(lines) - 1)]}: a heredoc xborder does not read as a whole file (it "
                           "reads `cat > FILE <<'EOF'`, `cat <<'EOF' > FILE` and `tee FILE <<'EOF'`)")
            i += 1
            continue
        k = next(n for n in "123" if m.group(f"p{n}"))
        path, dash, quoted, tag = m.group(f"p{k}"), m.group(f"d{k}"), m.group(f"q{k}"), m.group(f"t{k}")
        end = next((j for j in range(i + 1, len(rows)) if (rows[j].lstrip("\t") if dash else rows[j]) == tag), None)
        family = family_of(path)
        if end is None:
            why.append(f"the heredoc writing {path} is not closed by {tag}")
            break
        body_rows = [r.lstrip("\t") if dash else r for r in rows[i + 1:end]]
        body = "\n".join(body_rows) + "\n"
        if family is None:
            why.append(f"the heredoc writes {path}: not a file xborder reads as a configuration "
                       "(policies/boot_commands.yaml files)")
        elif not quoted and any(c in body for c in "$`\\"):
            why.append(f"the heredoc writing {path} has an unquoted delimiter and holds $, ` or \\: the shell expands "
                       "them when the script runs")
        else:
            at = tuple(lines[min(j, len(lines) - 1)] for j in range(i + 1, end)) + (lines[min(end, len(lines) - 1)],)
            out.append(Piece(family, body, at, path, "a boot script's heredoc"))
            for j in range(i + 1, end):
                rows[j] = ""
        i = end + 1


def config_of(piece: Piece, path: str, where: str, name: str, block: Location) -> EmbeddedConfig:
    """The piece as the holding resource carries it (`where`: the argument holding the string)."""
    shown = f"{where}, {piece.how} {piece.file}" if piece.file else where
    return EmbeddedConfig(piece.family, piece.text, path, piece.lines, shown, piece.file or name, block, piece.file)


@dataclass(frozen=True)
class Template:
    """A Terraform template string (`${...}`) that is a resource argument's value (or what base64encode takes):
    read for each instance whose evaluated value renders it line for line (`render`); its XB003 (`key`: file,
    argument line, address) goes when every instance of the block renders it whole."""

    key: tuple[str, int, str]
    name: str  # the argument
    text: str  # as written (`<<-` dedented)
    lines: tuple[int, ...]
    block: Location


_INTERPOLATION = lazy.regex(r"(?<!\$)\$\{")


def render(template: Template, value: Any) -> str | None:
    """The evaluated value of a template, when its lines are the template's lines in place (every line without an
    interpolation as written, every other one with its text around the interpolations), so the file's lines stay
    exact; a base64encode(...) value is decoded first. None otherwise (unknown, a directive, lines added)."""
    if not isinstance(value, str) or "%{" in template.text.replace("%%{", ""):
        return None
    want = template.text.split("\n")
    for text in (value, _unbase64(value)):
        if text is not None and _in_place(text.split("\n"), want):
            return text
    return None


def _unbase64(value: str) -> str | None:
    import base64  # noqa: PLC0415
    import binascii  # noqa: PLC0415

    if "\n" in value or not value:
        return None
    try:
        return base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def _in_place(got: list[str], want: list[str]) -> bool:
    if len(got) != len(want):
        return False
    for g, w in zip(got, want):
        m = _INTERPOLATION.search(w)
        if m is None:
            if g != w.replace("$${", "${"):
                return False
            continue
        head, tail = w[:m.start()].replace("$${", "${"), w[w.rindex("}") + 1:].replace("$${", "${")
        if not (g.startswith(head) and g.endswith(tail) and len(g) >= len(head) + len(tail)):
            return False
    return True


def read(resource: Resource, policies: Any) -> tuple[list[Link], list[ScanError], list[str], dict[Any, bool]]:
    """The links, errors and notes of the configurations `resource` holds whole (`Resource.embedded`): each read by
    its family's reader, the resource (placed as its own links place it: its region) the local end, every location
    and line the file's own. A `Template` is read when its evaluated value renders it (`render`); the last item
    says, per template key, whether it was read whole."""
    from xborder.links.engine import region_fact  # noqa: PLC0415 - only for a resource holding a configuration

    links: list[Link] = []
    errors: list[ScanError] = []
    notes: list[str] = []
    whole: dict[Any, bool] = {}
    place = region_fact(resource, policies)
    configs: list[EmbeddedConfig] = []
    for held in resource.embedded:
        if not isinstance(held, Template):
            configs.append(held)
            continue
        text = render(held, resource.attrs.get(held.name))
        found, rest, _why = pieces(text, held.lines) if text is not None else ([], "", [])
        whole[held.key] = bool(found) and found_in(rest) is None
        configs.extend(config_of(piece, held.key[0], f"{held.name} as evaluated", held.name, held.block) for piece in found)
    for config in configs:
        lk, er, no = _read_one(resource, config, place)
        links.extend(lk)
        errors.extend(e for e in er if e not in errors)
        notes.extend(n for n in no if n not in notes)
    return links, errors, notes, whole


def _read_one(resource: Resource, config: EmbeddedConfig, place: Fact) -> tuple[list[Link], list[ScanError], list[str]]:
    import importlib  # noqa: PLC0415

    family = FAMILIES[config.family]
    marker = config.file.lstrip("/") or config.name  # the path the reader is given (its messages name it)
    shown = f"{resource.address} {config.file}" if config.file else resource.address
    try:
        reader = importlib.import_module(f"xborder.inputs.netconf.{config.family}")
        result = reader.parse(config.text, marker)  # no root: an include is not followed (XB002)
    except Exception as e:  # noqa: BLE001 - a reader's surprise costs this configuration, said as XB003
        at = config.lines[0] if config.lines else config.block.start_line
        fmt = next(f for f in _formats() if f.key == _KEYS[config.family])
        lk = link(config.path, at, f"{resource.address}.{config.where}", fmt, "a Terraform string"
                  if resource.source == "terraform" else "a template string", resource.source,
                  f"the {family} reader failed on it ({type(e).__name__}: {e})")
        return [lk], [], []
    fix = _remap(marker, config)
    label = f"{resource.address} (runs this {family} configuration: {config.where})"
    origin = f"the configuration starts at {config.path} line {config.lines[0] if config.lines else config.block.start_line}"
    holder = Location(config.block.path, config.block.start_line, config.block.start_col, config.block.end_line,
                      config.block.end_col, f"{HOLDER} {resource.address}")
    out = []
    for lk in result.links:
        a = lk.a
        if a.fact.kind == "device":  # the machine that runs the configuration: the resource
            a = Endpoint(label, Fact(place.kind, place.value, place.namespace,
                                     f"{origin}; {place.origin}" if place.origin else origin, place.assumed))
        else:
            a = _end(a, fix)
        address = lk.address
        if address.startswith(marker):
            address = shown + address[len(marker):]
        out.append(Link(
            kind=lk.kind, resource_type=lk.resource_type, address=fix(address),
            location=_loc(lk.location, marker, config),
            a=a, b=None if lk.b is None else _end(lk.b, fix),
            related=[_loc(r, marker, config) for r in lk.related] + list(resource.related) + [holder],
            notes=[fix(n) for n in lk.notes] + list(resource.notes),
            source=resource.source, details={k: fix(v) for k, v in lk.details.items()},
        ))
    errors = [ScanError(config.path, _line(e.line, config) if e.path == marker else config.block.start_line,
                        f"{shown} ({config.where}): {fix(e.message)}") for e in result.errors]
    notes = [f"{shown} ({config.where}): {fix(n)}" for n in result.notes]
    return out, errors, notes


_KEYS = {"wireguard": "embedded_wireguard", "strongswan": "embedded_strongswan", "swanctl": "embedded_strongswan",
         "openvpn": "embedded_openvpn"}


def _line(n: int, config: EmbeddedConfig) -> int:
    """The file's line of line `n` of the configuration's text."""
    if not config.lines:
        return config.block.start_line
    return config.lines[min(max(n, 1), len(config.lines)) - 1]


def _loc(loc: Location, marker: str, config: EmbeddedConfig) -> Location:
    if loc.path != marker:
        return loc
    return Location(config.path, _line(loc.start_line, config), 1, _line(loc.end_line, config), 1, loc.label)


def _remap(marker: str, config: EmbeddedConfig) -> Any:
    """A function putting the file's path and lines where a reader's text names `marker` and its lines."""
    pattern = re.compile(re.escape(marker) + r"( line |:)(\d+)")

    def fix(text: str) -> str:
        if marker not in text:
            return text
        return pattern.sub(lambda m: f"{config.path}{m.group(1)}{_line(int(m.group(2)), config)}", text)

    return fix


def _end(end: Endpoint, fix: Any) -> Endpoint:
    f = end.fact
    return Endpoint(fix(end.label), Fact(f.kind, f.value, f.namespace, fix(f.origin), f.assumed), end.jurisdiction,
                    end.location)
