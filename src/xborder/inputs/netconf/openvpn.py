"""OpenVPN: client `remote host [port] [proto]` lines and `<connection>` blocks (site-to-site or client
tunnels, one link per remote), and server configs (`server`, `server-bridge`, `mode server`, or a
listening `port`/`lport` with no remote): a remote-access service at the device.

Comments start with `#` or `;` at the start of a token; inline files (`<ca>`, `<tls-auth>`...) are skipped.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from xborder.inputs.netconf.common import Collector, local_value, read_text, remote_access_link, span, split_lines, vpn_link
from xborder.model import LoadResult

FORMAT = "openvpn"
RESOURCE_TYPE = "openvpn remote"
SERVER_TYPE = "openvpn server"
_TAG = re.compile(r"^\s*<(/?)([A-Za-z0-9_-]+)>\s*$")
_SERVER_DIRECTIVES = ("server", "server-ipv6", "server-bridge")


def _split_comment(line: str) -> tuple[str, str | None]:
    in_quote = ""
    prev_space = True
    for i, ch in enumerate(line):
        if in_quote:
            if ch == in_quote:
                in_quote = ""
        elif ch in "\"'":
            in_quote = ch
        elif ch in "#;" and prev_space:
            return line[:i], line[i:]
        prev_space = ch.isspace()
    return line, None


def _words(body: str) -> list[str]:
    try:
        return shlex.split(body, comments=False, posix=True)
    except ValueError:
        return body.split()


def comments(text: str) -> list[tuple[int, str]]:
    out = []
    inline: str | None = None
    for n, line in enumerate(split_lines(text), 1):
        m = _TAG.match(line)
        if inline is not None:
            if m and m.group(1) and m.group(2) == inline:
                inline = None
            continue
        if m and not m.group(1) and m.group(2) != "connection":
            inline = m.group(2)
            continue
        _, comment = _split_comment(line)
        if comment is not None:
            out.append((n, comment))
    return out


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    lines = split_lines(text)
    inline: str | None = None
    in_connection: int | None = None
    # (words, line, connection block start or None)
    directives: list[tuple[list[str], int, int | None]] = []
    blocks: dict[int, int] = {}  # connection start -> end
    for n, raw in enumerate(lines, 1):
        m = _TAG.match(raw)
        if inline is not None:
            if m and m.group(1) and m.group(2) == inline:
                inline = None
            continue
        if m:
            closing, tag = m.group(1), m.group(2)
            if tag == "connection":
                if closing:
                    if in_connection is None:
                        col.error(n, "openvpn: </connection> without <connection>")
                    else:
                        blocks[in_connection] = n
                        in_connection = None
                else:
                    if in_connection is not None:
                        col.error(n, "openvpn: <connection> inside another <connection>")
                    in_connection = n
            elif closing:
                col.error(n, f"openvpn: </{tag}> without <{tag}>")
            else:
                inline = tag
            continue
        body, _ = _split_comment(raw)
        words = _words(body.strip()) if body.strip() else []
        if not words:
            continue
        words[0] = words[0].lower().lstrip("-")
        directives.append((words, n, in_connection))
    if inline is not None:
        col.error(len(lines), f"openvpn: <{inline}> is not closed")
    if in_connection is not None:
        col.error(in_connection, "openvpn: <connection> is not closed")
        blocks[in_connection] = len(lines)

    local = ""
    local_origin = ""
    server_line: tuple[int, str] | None = None
    listen_line: tuple[int, str] | None = None
    remotes: list[tuple[list[str], int, int | None]] = []
    for words, n, conn in directives:
        d = words[0]
        if d == "local" and len(words) >= 2 and conn is None:
            local, local_origin = local_value(words[1]), f"local in {relpath} line {n}"
        elif d in _SERVER_DIRECTIVES and server_line is None:
            server_line = (n, " ".join(words))
        elif d == "mode" and len(words) >= 2 and words[1] == "server" and server_line is None:
            server_line = (n, "mode server")
        elif d in ("port", "lport") and listen_line is None:
            listen_line = (n, " ".join(words))
        elif d == "remote":
            remotes.append((words, n, conn))
    for words, n, conn in remotes:
        if len(words) < 2:
            col.error(n, "openvpn: 'remote' needs a host")
            continue
        value = col.peer(words[1], n, f"{relpath}:{n}: remote {words[1]}: ", f"openvpn: remote {words[1]}: ")
        if value is None:
            continue
        loc = span(relpath, lines, conn, blocks.get(conn, conn)) if conn is not None else span(relpath, lines, n)
        port = f" {words[2]}" if len(words) >= 3 else ""
        col.link(
            vpn_link(
                RESOURCE_TYPE,
                f"{relpath}: remote {words[1]}{port}",
                loc,
                local,
                f"local end (local {local})" if local else "local end (this OpenVPN client)",
                relpath,
                value,
                f"peer (remote {' '.join(words[1:])})",
                local_origin=local_origin,
                peer_origin=f"remote in {relpath} line {n}",
            )
        )
    anchor = server_line or (listen_line if not remotes else None)
    if anchor is not None:
        n, text_ = anchor
        service = remote_access_link(
            SERVER_TYPE,
            f"{relpath}: {text_}",
            span(relpath, lines, n),
            local,
            f"OpenVPN server ({text_}{', local ' + local if local else ''})",
            relpath,
            local_origin=local_origin,
        )
        pool = _client_pool(text_)
        if pool:
            service.details["clients"] = pool
        col.link(service)
    elif not remotes:
        col.note(f"{relpath}: no remote and no server directive: nothing to analyse")
    return col.result


def load(path: Path, relpath: str, root: Path) -> LoadResult:
    return parse(read_text(path), relpath, root)


def _client_pool(directive: str) -> str:
    """`server 10.8.0.0 255.255.255.0` / `server-ipv6 fd00::/64`: the client address pool, for the inventory."""
    import ipaddress

    words = directive.split()
    try:
        if words[0] == "server" and len(words) >= 3:
            return str(ipaddress.ip_network(f"{words[1]}/{words[2]}", strict=False))
        if words[0] == "server-ipv6" and len(words) >= 2:
            return str(ipaddress.ip_network(words[1], strict=False))
    except ValueError:
        return ""
    return ""
