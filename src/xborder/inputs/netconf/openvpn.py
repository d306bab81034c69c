"""OpenVPN: client `remote host [port] [proto]` lines and `<connection>` blocks (site-to-site or client
tunnels, one link per remote), and server configs (`server`, `server-bridge`, `mode server`, or a
listening `port`/`lport` with no remote): a remote-access service at the device.

Comments start with `#` or `;` at the start of a token; inline files (`<ca>`, `<tls-auth>`...) are skipped.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from xborder.inputs.netconf.common import (
    Collector,
    included_texts,
    local_value,
    read_text,
    remote_access_link,
    resolve_include,
    span,
    split_lines,
    vpn_link,
)
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


def _directives(text: str, relpath: str, col: Collector) -> tuple[list[tuple[list[str], int, int | None, str]], dict[int, int], list[str]]:
    """One file's directives (words, line, `<connection>` start or None, file), its connection blocks and lines."""
    lines = split_lines(text)
    inline: str | None = None
    in_connection: int | None = None
    directives: list[tuple[list[str], int, int | None, str]] = []
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
                        col.error(n, "openvpn: </connection> without <connection>", relpath)
                    else:
                        blocks[in_connection] = n
                        in_connection = None
                else:
                    if in_connection is not None:
                        col.error(n, "openvpn: <connection> inside another <connection>", relpath)
                    in_connection = n
            elif closing:
                col.error(n, f"openvpn: </{tag}> without <{tag}>", relpath)
            else:
                inline = tag
            continue
        body, _ = _split_comment(raw)
        words = _words(body.strip()) if body.strip() else []
        if not words:
            continue
        words[0] = words[0].lower().lstrip("-")
        directives.append((words, n, in_connection, relpath))
    if inline is not None:
        col.error(len(lines), f"openvpn: <{inline}> is not closed", relpath)
    if in_connection is not None:
        col.error(in_connection, "openvpn: <connection> is not closed", relpath)
        blocks[in_connection] = len(lines)
    return directives, blocks, lines


def parse(text: str, relpath: str, root: Path | None = None) -> LoadResult:
    col = Collector(relpath)
    top, top_blocks, top_lines = _directives(text, relpath, col)
    files: dict[str, tuple[list[str], dict[int, int]]] = {relpath: (top_lines, top_blocks)}
    seen = {relpath}
    directives: list[tuple[list[str], int, int | None, str]] = []

    def expand(found: list[tuple[list[str], int, int | None, str]], depth: int) -> None:
        """`config FILE` reads FILE's options in its place (OpenVPN's nested `--config`): followed inside the tree,
        relative to the including file; elsewhere an XB002 finding (its remotes would be unread, not absent)."""
        for words, n, conn, path in found:
            if words[0] != "config" or len(words) < 2:
                directives.append((words, n, conn, path))
                continue
            for target, sub in included_texts(col, root, seen, words[1], path, n, depth):
                seen.add(target)
                more, blocks, lines = _directives(sub, target, col)
                files[target] = (lines, blocks)
                expand(more, depth + 1)

    expand(top, 0)
    local = ""
    local_origin = ""
    server_line: tuple[int, str, str] | None = None
    listen_line: tuple[int, str, str] | None = None
    remotes: list[tuple[list[str], int, int | None, str]] = []
    for words, n, conn, path in directives:
        d = words[0]
        if d == "local" and len(words) >= 2 and conn is None:
            local, local_origin = local_value(words[1]), f"local in {path} line {n}"
        elif d in _SERVER_DIRECTIVES and server_line is None:
            server_line = (n, " ".join(words), path)
        elif d == "mode" and len(words) >= 2 and words[1] == "server" and server_line is None:
            server_line = (n, "mode server", path)
        elif d in ("port", "lport") and listen_line is None:
            listen_line = (n, " ".join(words), path)
        elif d == "remote":
            remotes.append((words, n, conn, path))
    for words, n, conn, path in remotes:
        if len(words) < 2:
            col.error(n, "openvpn: 'remote' needs a host", path)
            continue
        value = col.peer(words[1], n, f"{path}:{n}: remote {words[1]}: ", f"openvpn: remote {words[1]}: ", path)
        if value is None:
            continue
        flines, blocks = files[path]
        loc = span(path, flines, conn, blocks.get(conn, conn)) if conn is not None else span(path, flines, n)
        port = f" {words[2]}" if len(words) >= 3 else ""
        col.link(
            vpn_link(
                RESOURCE_TYPE,
                f"{path}: remote {words[1]}{port}",
                loc,
                local,
                f"local end (local {local})" if local else "local end (this OpenVPN client)",
                relpath,
                value,
                f"peer (remote {' '.join(words[1:])})",
                local_origin=local_origin,
                peer_origin=f"remote in {path} line {n}",
            )
        )
    anchor = server_line or (listen_line if not remotes else None)
    if anchor is not None:
        n, text_, path = anchor
        service = remote_access_link(
            SERVER_TYPE,
            f"{path}: {text_}",
            span(path, files[path][0], n),
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


def included_files(text: str, relpath: str, root: Path) -> list[str]:
    """Files this file reads with `config FILE` (directly), for the collector to skip as stand-alone units."""
    out: list[str] = []
    for raw in split_lines(text):
        body, _ = _split_comment(raw)
        words = _words(body.strip()) if body.strip() else []
        if len(words) >= 2 and words[0].lower().lstrip("-") == "config":
            out.extend(resolve_include(root, relpath, words[1])[0])
    return out


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
