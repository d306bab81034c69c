"""Which device-config format a file is, from its name AND its content (`.conf` alone means nothing).

`detect(relpath, text)` is pure; `sniff(path, relpath)` reads at most the head of a file and skips
binaries, huge files and extensions other inputs own, cheaply.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from xborder import lazy
from xborder.inputs import reading
from xborder.inputs.netconf import abbrev, cloudinit, unread  # (cloudinit imports PyYAML only to read a document)

MAX_SIZE = 10 * 1024 * 1024
HEAD = 256 * 1024

# prefix of a format xborder recognises but does not read (policies/unread_configs.yaml): "unread:KEY:LINE",
# LINE being where its first VPN statement is, so the load need not read the file again
UNREAD = "unread:"
FORMATS = ("strongswan", "swanctl", "wireguard", "openvpn", "cisco", "junos", "netplan")

# formats other inputs read, source code, documents and data: never device configs
SKIP_EXTENSIONS = frozenset(
    """
    .tf .tofu .tfvars .hcl .tfstate .tftpl .json .jsonc .json5 .py .pyc .pyi .md .markdown .rst .adoc .html .htm .css .js .mjs
    .ts .tsx .jsx .go .rs .java .kt .c .h .cc .cpp .hpp .cs .rb .php .pl .lua .swift .scala .sql .toml .lock .csv .tsv
    .xml .xsd .svg .png .jpg .jpeg .gif .ico .webp .bmp .pdf .zip .gz .tgz .bz2 .xz .7z .tar .jar .war .so .dll .exe
    .bin .whl .egg .db .sqlite .pem .crt .cer .der .key .p12 .pfx .csr .pub .ipynb .sum .mod .gradle .properties
    .template .sarif .env
    """.split()
)
# template suffixes: `ipsec.conf.j2` is detected as `ipsec.conf` with its `{{ }}` expressions as unknown values
TEMPLATE_EXTENSIONS = frozenset({".j2", ".jinja", ".jinja2", ".tmpl", ".tpl"})
YAML_EXTENSIONS = frozenset({".yaml", ".yml"})

# wg(8) and wg-quick drop everything after `#`: `[Peer] # hk office` is a section header
# (wg(8) drops every blank inside a line, so `[ Peer ]` is a section header too)
_WG_SECTION = lazy.regex(r"^[ \t]*\[[ \t]*(Interface|Peer)[ \t]*\][ \t]*(#.*)?$", re.M | re.I)
_WG_KEY = lazy.regex(r"^[ \t]*(PrivateKey|PublicKey|Endpoint|AllowedIPs|ListenPort|PresharedKey)[ \t]*=", re.M | re.I)
# netplan files are YAML: the block form, quoted keys and the flow form (`network: {version: 2, ...}`) alike
_NETPLAN_TOP = lazy.regex(r"^[\"']?network[\"']?[ \t]*:[ \t]*(#.*|\{.*)?$", re.M)
# a whole document in flow form or JSON (netplan reads any YAML): `{network: {...}}`, `{"network": {...}}`
_NETPLAN_FLOW_TOP = lazy.regex(r"\A[ \t\n]*(---[ \t]*\n[ \t\n]*)?\{[ \t\n]*[\"']?network[\"']?[ \t]*:")
_NETPLAN_KEY = lazy.regex(
    r"(^[ \t]+|[{,][ \t]*)[\"']?(tunnels|version|ethernets|bridges|bonds|vlans|wifis|renderer)[\"']?[ \t]*:", re.M)
_SWANCTL = lazy.regex(r"^[ \t]*(connections|secrets|pools|authorities)[ \t]*\{", re.M)
# the Junos CLI (`load set|merge terminal`) ignores indentation: snippets kept indented are configs too
_JUNOS_SET = lazy.regex(r"^[ \t]*(set|deactivate)[ \t]+(security|interfaces|system|routing-options|protocols|policy-options|firewall|snmp|groups|apply-groups|routing-instances|version|chassis|logical-systems|tenants)(?=[ \t]|$)", re.M)
_JUNOS_CURLY = lazy.regex(r"^[ \t]*(system|interfaces|security|routing-options|protocols|policy-options|firewall|routing-instances|chassis|snmp|logical-systems)[ \t]*\{", re.M)
_STRONGSWAN = lazy.regex(r"^(conn[ \t]+\S+|config[ \t]+setup)[ \t]*(#.*)?$", re.M)
# IOS keywords are case-insensitive; a snippet of tunnel interfaces has no other strong or second weak signal
_CISCO_STRONG = lazy.regex(
    r"^(crypto[ \t]+(map|isakmp|ikev1|ikev2|ipsec|keyring)\b|tunnel-group[ \t]+\S+|ASA Version|: Saved|"
    r"[ \t]+tunnel[ \t]+destination[ \t]+\S|[ \t]+ip[ \t]+nhrp[ \t]+(nhs|map)[ \t]+\S)",
    re.M | re.I,
)
_CISCO = lazy.regex(
    r"^(interface[ \t]+\S+|hostname[ \t]+\S+|ip[ \t]+route[ \t]|router[ \t]+(bgp|ospf|eigrp|rip)\b|version[ \t]+\d|"
    r"access-list[ \t]|line[ \t]+(con|vty|aux)\b|object[ \t]+network\b|service[ \t]+timestamps|enable[ \t]+secret|end$|!)",
    re.M,
)
# a tunnel interface typed without indentation (a snippet pasted at the CLI): its header and a destination on a
# line of its own, both at the margin; neither alone, so prose mentioning a tunnel destination stays quiet
_CISCO_TUNNEL_IF = lazy.regex(r"^interface[ \t]+tunnel\S*[ \t]*$", re.M | re.I)
_CISCO_TUNNEL_DEST = lazy.regex(r"^tunnel[ \t]+destination[ \t]+\S+[ \t]*$", re.M | re.I)
# an option may keep its command-line `--` in a config file (openvpn(8): "this prefix can be removed")
_OPENVPN = lazy.regex(
    r"^[ \t]*(?:--)?(client|remote[ \t]+\S+|dev[ \t]+(tun|tap)\S*|proto[ \t]+(udp|tcp)\S*|ca[ \t]+\S+|cert[ \t]+\S+|<ca>|<connection>|"
    r"server[ \t]+\d|mode[ \t]+server|tls-(client|server|auth|crypt)\b|cipher[ \t]+\S+|data-ciphers\b|auth-user-pass|persist-(key|tun)|nobind|"
    r"verb[ \t]+\d|port[ \t]+\d+|lport[ \t]+\d+|ifconfig[ \t]+\S+|secret[ \t]+\S+|comp-lzo|keepalive[ \t]+\d|resolv-retry|remote-cert-tls)\b",
    re.M,
)


def detect(relpath: str, text: str) -> str | None:
    """The format of a file, or None."""
    p = PurePosixPath(relpath)
    if _config_template(p):
        from xborder.inputs.netconf.common import untemplate  # noqa: PLC0415

        p, text = p.with_suffix(""), untemplate(text)
        if not p.suffix:  # `wg0.j2`, `router.tmpl`: the content decides
            p = p.with_suffix(".conf")
    ext = p.suffix.lower()
    name = p.name.lower()
    if name in (".xborder.yaml", ".xborder.yml"):
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if ext in YAML_EXTENSIONS:
        if (_NETPLAN_TOP.search(text) or _NETPLAN_FLOW_TOP.search(text)) and _NETPLAN_KEY.search(text):
            return "netplan"
        if cloudinit.may_change_vpn(text):
            return "cloudinit"  # boot commands that set up a tunnel (XB002); its write_files are still XB003
        # a device config embedded in YAML (cloud-init write_files, a ConfigMap, Ansible `lines:`): XB003; in a
        # CloudFormation template the template's reader reports it, at the property holding it
        found = unread.match(text, ext, skipped=True)
        if found and _cloudformation(text):
            return None
        return f"{UNREAD}{found[0].key}:{found[1]}" if found else None
    if ext in SKIP_EXTENSIONS:
        if ext in unread.extra_extensions():
            found = unread.match(text, ext, skipped=True)
            return f"{UNREAD}{found[0].key}:{found[1]}" if found else None
        return None
    found = unread.match(text, ext, skipped=False)
    if found:  # a VPN config in a format no reader reads: rule XB003, never skipped as "not a config"
        return f"{UNREAD}{found[0].key}:{found[1]}"
    if _WG_SECTION.search(text) and _WG_KEY.search(text):
        return "wireguard"
    if _SWANCTL.search(text):
        return "swanctl"
    if _JUNOS_SET.search(text) or _JUNOS_CURLY.search(text):
        return "junos"
    if _STRONGSWAN.search(text):
        return "strongswan"
    if _cisco(text):
        return "cisco"
    full = abbrev.expand_text(text)  # IOS keywords typed abbreviated (`cry map`, `tun dest`): read as written out
    if full is not text and _cisco(full):
        return "cisco"
    hits = {m.group(1).split()[0] for m in _OPENVPN.finditer(text)}
    if ext == ".ovpn" or len(hits) >= 2:
        return "openvpn"
    return None


def _cloudformation(text: str) -> bool:
    """Whether a YAML text is a CloudFormation template (asked only of texts holding an embedded VPN config)."""
    from xborder.inputs.cloudformation.plugin import looks_like_template  # noqa: PLC0415 - rarely needed

    return looks_like_template(text)


def _cisco(text: str) -> bool:
    return bool(_CISCO_STRONG.search(text) or len({m.group(1).split()[0] for m in _CISCO.finditer(text)}) >= 2
                or (_CISCO_TUNNEL_DEST.search(text) and _CISCO_TUNNEL_IF.search(text)))


def _config_template(p: PurePosixPath) -> bool:
    """`x.j2`, `x.tmpl`, ...; and `ipsec.conf.template` (envsubst and Docker entrypoints render such files): a
    `.template` with a suffix before it is read like the file it renders; a bare `x.template` is CloudFormation's."""
    ext = p.suffix.lower()
    return ext in TEMPLATE_EXTENSIONS or (ext == ".template" and PurePosixPath(p.stem).suffix.lower() not in ("", ".json"))


def skipped_by_name(relpath: str) -> bool:
    """Whether `sniff` answers (None, "") for the file's name alone: most files of a repository (source code,
    Terraform, documents), asked without building a path for each."""
    if relpath.endswith(("/", "/.")) or relpath in ("", "."):
        return False  # not a walked file's name: let `sniff` decide
    name = relpath.rpartition("/")[2]
    i = name.rfind(".")
    ext = name[i:].lower() if 0 < i < len(name) - 1 else ""  # PurePosixPath(relpath).suffix.lower()
    return (ext in SKIP_EXTENSIONS and ext != ".template" and ext not in YAML_EXTENSIONS
            and ext not in TEMPLATE_EXTENSIONS and ext not in unread.extra_extensions())


def sniff(path: Path, relpath: str) -> tuple[str | None, str]:
    """(format, why-not): format is None when the file is not a device config; why-not says why when
    that is not just "no format matched" (too large, binary, unreadable)."""
    ext = PurePosixPath(relpath).suffix.lower()
    if (ext in SKIP_EXTENSIONS and ext not in YAML_EXTENSIONS and ext not in unread.extra_extensions()
            and not _config_template(PurePosixPath(relpath))):
        return None, ""
    try:
        size = os.stat(reading.confined(path)).st_size
        if size > MAX_SIZE:
            return None, f"larger than {MAX_SIZE // (1024 * 1024)} MB"
        head = reading.read_bytes(path, HEAD, head=True)
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if _binary(head):
        found = _config_with_nuls(relpath, head)
        if found:  # never a silent skip: the device drops what follows a NUL on its line and reads the rest
            return None, (f"cannot read: a {found[0]} configuration with NUL bytes (the first on line {found[1]}); "
                          "not read: remove them")
        return None, "a binary file"
    text = _decode(head)
    fmt = detect(relpath, text)
    if fmt is None and len(head) >= HEAD and (_only_comments(text) or ext not in YAML_EXTENSIONS):
        # a long licence header, or statements the device accepts (a big ACL or `ca` sections, a banner) before
        # the first one detection knows: look at the whole file (at most MAX_SIZE, read once). Netplan YAML
        # has nothing but `network:` at the top, so a YAML file's head decides unless it is all comments.
        try:
            text = _decode(reading.read_bytes(path, MAX_SIZE))
        except OSError as exc:
            return None, f"cannot read: {exc.strerror or exc}"
        fmt = detect(relpath, _strip_leading_comments(text))
    return fmt, ""


def sniff_oversized(path: Path, relpath: str) -> str | None:
    """For a file over MAX_SIZE: the format its head shows (or 'device' for a head of comments only)."""
    try:
        head = reading.read_bytes(path, HEAD, head=True)
    except OSError:
        return None
    if _binary(head):
        return None
    text = _decode(head)
    fmt = detect(relpath, text)
    if fmt is None and _only_comments(text):
        return "device"
    return fmt


def _binary(head: bytes) -> bool:
    """NUL bytes in the head, unless a byte-order mark says UTF-16/32 (an export saved by Windows PowerShell)."""
    return b"\0" in head[:8192] and reading.wide_encoding(head) is None


NUL_SPARSE = 64  # at most 8 NULs or one in this many bytes: a text with stray NULs, not UTF-16 or a binary


def _config_with_nuls(relpath: str, head: bytes) -> tuple[str, int] | None:
    """(format, line of the first NUL) when `head` is a device config but for a few NUL bytes (a NUL typed into
    a comment hid a whole WireGuard file), else None. UTF-16 without a mark and binaries have NULs too densely."""
    nuls = head.count(b"\0")
    if nuls > max(8, len(head) // NUL_SPARSE):
        return None
    fmt = detect(relpath, _decode(head.replace(b"\0", b"")))
    if fmt is None:
        return None
    if fmt.startswith(UNREAD):
        key = fmt.removeprefix(UNREAD).partition(":")[0]
        fmt = next((f.name for f in unread.formats() if f.key == key), key)
    return fmt, head.count(b"\n", 0, head.index(b"\0")) + 1


def _decode(data: bytes) -> str:
    """As `common.read_text` decodes (a cut character at the end of a head is replaced)."""
    if reading.wide_encoding(data):
        return reading.decode_text(data, head=True)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_COMMENT_PREFIXES = ("#", "!", ";", "//")


def _only_comments(text: str) -> bool:
    """Every complete line is blank or a comment in one of the device-config syntaxes."""
    lines = text.split("\n")[:-1]
    return bool(lines) and all(not ln.strip() or ln.lstrip().startswith(_COMMENT_PREFIXES) for ln in lines)


def _strip_leading_comments(text: str) -> str:
    """The text with its leading comment lines blanked (line count kept, so nothing shifts)."""
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        if ln.strip() and not ln.lstrip().startswith(_COMMENT_PREFIXES):
            break
        lines[i] = ""
    return "\n".join(lines)
