"""What every device-config parser shares: lines, spans, peer values and the Links they make."""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from xborder import lazy
from xborder.globs import compile_glob, has_magic
from xborder.inputs import reading
from xborder.model import Endpoint, Fact, Link, LinkKind, LoadResult, Location, ScanError, part_not_read

SOURCE = "netconf"
_LINE_SPLIT = lazy.regex(r"\r\n|\r|\n")
_HOSTNAME = lazy.regex(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z][A-Za-z0-9-]*\.?$")
# values that mean "whoever connects": the device is a responder, the value is not an endpoint
_RESPONDER = {"%any", "%any4", "%any6", "%opportunistic", "%opportunisticgroup", "%group", "%oppo", "*", "any", "dynamic", "%defaultroute"}
_LOCAL_UNSET = {"", "%any", "%any4", "%any6", "%defaultroute", "%defaultroute6", "0.0.0.0", "::", "dynamic"}


# template syntax: Jinja/Ansible `{{ x }}`, `{% if %}`, `{# #}`; Terraform templatefile `${x}`, `%{ if }`
_TEMPLATE_EXPR = lazy.regex(r"(\{\{.*?\}\}|\$\{.*?\})")
_TEMPLATE_TAG = lazy.regex(r"(\{%.*?%\}|\{#.*?#\}|%\{.*?\})")
# placeholders substituted by test harnesses and scripts: PH_IP_MOON (strongSwan's tests), REMOTEEIP, __PEER__, <peer-ip>
_PLACEHOLDER = lazy.regex(r"^([A-Z][A-Z0-9]*(_[A-Z0-9]+)+|[A-Z]{4,}[0-9]*|__\w+__|@@\w+@@|<[\w .:-]+>)$")
_TEMPLATE_HOW = ("the value is filled in when the template is rendered: scan the rendered configuration, or give the "
                 "peer's address and list it in a site's cidrs or hosts in .xborder.yaml")
RESPONDER_HOW = ("the far end of this site-to-site tunnel is whoever connects, so it is not in the configuration: "
                 "name the peer (its address or host name) instead, and list it in a site's cidrs or hosts in .xborder.yaml")


def untemplate(text: str) -> str:
    """A template made readable line by line: each `{{ expr }}` becomes one token without spaces (an unknown
    value later), `{% %}` / `{# #}` tags are blanked; line numbers stay the same."""
    if "{{" not in text and "{%" not in text and "{#" not in text and "${" not in text and "%{" not in text:
        return text
    text = _TEMPLATE_EXPR.sub(lambda m: "".join(m.group(0).split()), text)
    return _TEMPLATE_TAG.sub("", text)


def is_placeholder(value: str) -> bool:
    """A template expression or a placeholder token: a value nobody wrote yet, never a host name."""
    v = value.strip().strip('"').strip("'")
    return bool(_TEMPLATE_EXPR.search(v) or "{{" in v or _PLACEHOLDER.match(v))


def peer_fact(peer: str, origin: str = "") -> Fact:
    """The far end's fact: an address or host, or unknown for a template placeholder or a responder value."""
    kind, why = classify_peer(peer)
    if kind == "responder":
        return Fact("unknown", f"{why}; {RESPONDER_HOW}", origin=origin)
    if kind == "template":
        return Fact("unknown", f"{peer} is a template placeholder; {_TEMPLATE_HOW}", origin=origin)
    return Fact("address", peer, origin=origin)


def split_lines(text: str) -> list[str]:
    """Lines as editors count them (\\n, \\r\\n or \\r), without the line ends."""
    return _LINE_SPLIT.split(text)


def span(path: str, lines: list[str], start: int, end: int | None = None, start_col: int = 1) -> Location:
    """A span from the start of line `start` to the end of line `end` (1-based, end column exclusive)."""
    end = start if end is None else max(end, start)
    last = lines[end - 1] if 0 < end <= len(lines) else ""
    return Location(path, start, start_col, end, max(len(last.rstrip()) + 1, 1))


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        addr = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def is_hostname(text: str) -> bool:
    return bool(_HOSTNAME.match(text)) and not re.fullmatch(r"[\d.]+", text)


def classify_peer(raw: str) -> tuple[str, str]:
    """("address", value) for an IP or host name; ("responder", why) for values that accept any peer;
    ("invalid", why) for anything else."""
    v = raw.strip().strip('"').strip("'").strip()
    low = v.lower()
    if v and is_placeholder(v):
        return "template", v
    if low in _RESPONDER or not v:
        return "responder", f"{v or 'no address'} accepts connections from any peer"
    if low.startswith("%"):
        v = v[1:]  # strongSwan/Libreswan %fqdn: a host name resolved at run time
    if "/" in v:
        try:
            net = ipaddress.ip_network(v, strict=False)
        except ValueError:
            return "invalid", f"'{raw}' is not an address"
        if net.num_addresses == 1:
            return "address", str(net.network_address)
        return "responder", f"{v} accepts peers from a range"
    addr = parse_ip(v)
    if addr is not None:
        if addr.is_unspecified:
            return "responder", f"{v} accepts connections from any peer"
        return "address", str(addr)
    if re.fullmatch(r"[0-9a-fA-F.:]+-[0-9a-fA-F.:]+", v):
        return "responder", f"{v} accepts peers from a range"
    host = v.rstrip(".")
    if is_hostname(host):
        return "address", host.lower()
    return "invalid", f"'{raw}' is not an IP address or host name"


def local_value(raw: str | None) -> str:
    """The device's own address when the configuration states one, else ""."""
    if raw is None:
        return ""
    v = raw.strip().strip('"').strip()
    if "," in v:
        v = v.split(",")[0].strip()
    if v.lower() in _LOCAL_UNSET:
        return ""
    if v.startswith("%"):
        v = v[1:]
    if "/" in v:
        try:
            net = ipaddress.ip_interface(v)
            return str(net.ip)
        except ValueError:
            return ""
    addr = parse_ip(v)
    if addr is not None:
        return "" if addr.is_unspecified else str(addr)
    return v.lower().rstrip(".") if is_hostname(v.rstrip(".")) else ""


def device_fact(relpath: str, local: str, origin: str = "") -> Fact:
    return Fact("device", local, namespace=relpath, origin=origin)


def vpn_link(
    resource_type: str,
    address: str,
    location: Location,
    local: str,
    local_label: str,
    device_path: str,
    peer: str,
    peer_label: str,
    local_origin: str = "",
    peer_origin: str = "",
    notes: list[str] | None = None,
    related: list[Location] | None = None,
) -> Link:
    return Link(
        kind=LinkKind.VPN,
        resource_type=resource_type,
        address=address,
        location=location,
        a=Endpoint(label=local_label, fact=device_fact(device_path, local, local_origin)),
        b=Endpoint(label=peer_label, fact=peer_fact(peer, peer_origin)),
        related=list(related or []),
        notes=list(notes or []),
        source=SOURCE,
    )


def remote_access_link(
    resource_type: str,
    address: str,
    location: Location,
    local: str,
    label: str,
    device_path: str,
    local_origin: str = "",
    notes: list[str] | None = None,
) -> Link:
    return Link(
        kind=LinkKind.REMOTE_ACCESS,
        resource_type=resource_type,
        address=address,
        location=location,
        a=Endpoint(label=label, fact=device_fact(device_path, local, local_origin)),
        notes=list(notes or []),
        source=SOURCE,
    )


@dataclass
class Collector:
    """Accumulates what one file yields."""

    relpath: str
    result: LoadResult = field(default_factory=LoadResult)

    def error(self, line: int, message: str, path: str | None = None) -> None:
        self.result.errors.append(ScanError(path or self.relpath, max(line, 1), message))

    def note(self, message: str) -> None:
        self.result.notes.append(message)

    def link(self, link: Link) -> None:
        self.result.links.append(link)

    def peer(self, raw: str, line: int, note: str, error: str, path: str | None = None,
             responder_link: bool = True) -> str | None:
        """The peer address or host of `raw`, or None after reporting an invalid value.

        A template placeholder or a responder value (`%any`, a range) is returned as written: `vpn_link` makes
        it an unknown end (XB102), never a dropped connection. With `responder_link=False` (peers named only
        by keys, where a wildcard is no tunnel of its own) a responder is noted and None returned.
        `note` and `error` are message prefixes, separator included; the classification's reason follows them.
        """
        kind, value = classify_peer(raw)
        if kind == "template":
            return value  # an unknown end (peer_fact), never a dropped connection
        if kind == "responder":
            if not responder_link:
                self.note(note + value)
                return None
            # a site-to-site tunnel whose far end is whoever connects: an unknown end (XB102), never dropped;
            # callers that know the conn is a remote-access service (a client address pool) check that first
            return raw.strip().strip('"').strip("'").strip() or "%any"
        if kind == "invalid":
            self.error(line, error + value, path)
            return None
        return value


MAX_INCLUDE_ENTRIES = 10_000  # directory entries one `include` pattern may examine
MAX_PATTERN_SHOWN = 120


def _shown(pat: str) -> str:
    return pat if len(pat) <= MAX_PATTERN_SHOWN else pat[:MAX_PATTERN_SHOWN] + "..."


def resolve_include(root: Path | None, including: str, pattern: str) -> tuple[list[str], str]:
    """Relative POSIX paths (to `root`) an `include` names, relative to the including file's directory.

    Returns (paths, problem). Absolute paths and anything that leaves the scanned root are not followed.
    The pattern is matched segment by segment (`xborder.globs`, linear time) and never walks more than
    `MAX_INCLUDE_ENTRIES` directory entries; directories reached twice through symbolic links are
    visited once, so `ln -s . a` loops cannot multiply the work.
    """
    pat = pattern.strip().strip('"').strip("'")
    if root is None:
        return [], f"include {_shown(pat)} is not followed (no scan root)"
    if pat.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", pat) or pat.startswith("~"):
        return [], f"include {_shown(pat)} is an absolute path on the device; not followed"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(including), pat))
    if joined == ".." or joined.startswith("../"):
        return [], f"include {_shown(pat)} leads outside the scanned root; not followed"
    try:
        root_res = Path(os.path.realpath(root))
        found, problem = _glob_files(root_res, joined.split("/"))
    except (OSError, RuntimeError, ValueError) as exc:
        return [], f"include {_shown(pat)} cannot be resolved ({type(exc).__name__}); not followed"
    if problem:
        return [], f"include {_shown(pat)}: {problem}; not followed"
    out: list[str] = []
    outside = False
    for rel in found:
        try:
            real = Path(os.path.realpath(root_res / rel, strict=True))
            real.relative_to(root_res)
        except ValueError:
            outside = True
            continue
        except (OSError, RuntimeError):
            continue
        if stat.S_ISREG(os.stat(real).st_mode):
            out.append(real.relative_to(root_res).as_posix())
    out = sorted(dict.fromkeys(out))
    if outside and not out:
        return [], f"include {_shown(pat)} leads outside the scanned root; not followed"
    if not out and not has_magic(pat):
        return [], f"include {_shown(pat)}: no such file"
    return out, ""


def _glob_files(root: Path, parts: list[str]) -> tuple[list[str], str]:
    """Paths (relative to root) matching the segment patterns; (paths, problem)."""
    level: list[tuple[str, Path]] = [("", root)]
    examined = 0
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt: list[tuple[str, Path]] = []
        seen_dirs: set[Path] = set()
        for rel, directory in level:
            if has_magic(part):
                try:
                    names = sorted(os.listdir(directory))
                except OSError:
                    continue
                examined += len(names)
                if examined > MAX_INCLUDE_ENTRIES:
                    return [], f"matches more than {MAX_INCLUDE_ENTRIES} directory entries"
                glob = compile_glob(part, prefix=False)
                matched = [n for n in names if glob.match(n)]
            elif part in ("", "."):
                matched = [""]
            else:
                matched = [part]
            for name in matched:
                child_rel = f"{rel}/{name}".strip("/") if name else rel
                child = directory / name if name else directory
                if last:
                    nxt.append((child_rel, child))
                    continue
                try:
                    real = Path(os.path.realpath(child, strict=True))
                except (OSError, RuntimeError, ValueError):
                    continue
                if real in seen_dirs or not os.path.isdir(real):
                    continue
                if real != root and root not in real.parents:
                    continue  # a link out of the root: never walked
                seen_dirs.add(real)
                nxt.append((child_rel, real))
        level = nxt
        if not level:
            break
    return [rel for rel, _ in level], ""


def read_text(path: Path) -> str:
    """A device config's text (confined, regular file, at most 10 MB: `inputs.reading`); OSError says why not."""
    data = reading.read_bytes(path)
    try:
        # UTF-16/32 with a byte-order mark: an export saved by Windows PowerShell (`> running-config.txt`)
        wide = reading.wide_encoding(data)
        text = data.decode(wide, errors="replace") if wide else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return untemplate(text)


MAX_INCLUDE_DEPTH = 10


def included_texts(
    col: Collector, root: Path | None, seen: set[str], pattern: str, path: str, line: int, depth: int
) -> list[tuple[str, str]]:
    """(relative path, text) of the files an `include` names, reporting loops, depth and unreadable files.

    Shared by the strongSwan formats, whose `include` statements behave alike.
    """
    if depth >= MAX_INCLUDE_DEPTH:
        col.error(line, f"include {pattern}: includes nested more than {MAX_INCLUDE_DEPTH} deep; not followed", path)
        return []
    targets, problem = resolve_include(root, path, pattern)
    if problem:
        if "no such file" in problem:
            col.error(line, problem, path)
        else:  # what the device includes is not read: an XB002 finding at the include, never only a note
            shown = _shown(pattern.strip().strip('"').strip("'"))
            col.link(part_not_read(
                Location(path, line, 1, line, 1), f"{path}: include {shown}", f"include {shown} in {path}",
                problem.removeprefix(f"include {shown}").lstrip(": ") + "; the connections it adds are not analysed",
                "keep the included files in the scanned tree with a relative include, or scan them as well",
                "an approval for rule XB002 in .xborder.yaml with this file's path and "
                f"`resource: \"{path}: include {shown}\"`, or `# xborder:ignore XB002 reason=\"...\"` on the "
                "comment lines above the include", "netconf"))
        return []
    out = []
    for target in targets:
        if target in seen:
            col.error(line, f"include {pattern}: {target} is already included (include loop?)", path)
            continue
        assert root is not None
        try:
            out.append((target, read_text(root / target)))
        except OSError as exc:
            col.error(line, f"include {pattern}: cannot read {target}: {exc.strerror or exc}", path)
    return out


def strip_hash_comment(line: str) -> tuple[str, str | None]:
    """Split a line at a `#` outside double quotes (strongSwan's ipsec.conf and swanctl.conf syntax)."""
    in_quote = False
    for i, ch in enumerate(line):
        if ch == '"':
            in_quote = not in_quote
        elif ch == "#" and not in_quote:
            return line[:i], line[i:]
    return line, None


def hash_comments(text: str) -> list[tuple[int, str]]:
    """(line number, comment) of every `#` comment outside quotes."""
    out = []
    for n, line in enumerate(split_lines(text), 1):
        _, comment = strip_hash_comment(line)
        if comment is not None:
            out.append((n, comment))
    return out
