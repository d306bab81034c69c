"""The strings of a Terraform file's arguments, looked at for VPN configurations (`inputs.embedded`): a resource's
configuration written whole and literally is read (`Block.configs`), anything else holding one is XB003.

Why a module of its own: only a file that may hold such a string (`syntax.may_embed`) needs it, so the code is not
loaded with `syntax` by every scan.
"""

from __future__ import annotations

from typing import Any

from xborder import lazy
from xborder.inputs.terraform.jsonpos import JNode
from xborder.inputs.terraform.syntax import Block, HclExpr, JsonExpr, ParsedFile, decode_quoted, names_embed_word

# only for a `<<-` heredoc's text: importing it compiles its patterns
textwrap = lazy.module("textwrap")


def embedded(pf: ParsedFile) -> list[tuple[int, str, str, str]]:
    """(line, address, format key, why it is not read) of each argument whose strings hold a VPN configuration
    (`inputs.embedded`): a heredoc's text as written (`${...}` kept), a quoted string with its escapes decoded.
    A configuration a resource's argument holds whole and literally is read instead (`Block.configs` of the
    resource block), the resource being the local end of its tunnels; what is left of the string is matched again."""
    from xborder.inputs import embedded  # noqa: PLC0415 - the signatures are read on first use

    out: list[tuple[int, str, str, str]] = []
    todo: list[tuple[Block, str, Block | None]] = [(b, _block_address(b), b if b.type == "resource" else None)
                                                   for b in reversed(pf.blocks)]
    while todo:
        block, address, holder = todo.pop()
        for name, attr in block.attrs.items():
            expr = attr.expr
            wraps: dict[int, str] | None = None  # a JSON string's wrap, found with it
            if isinstance(expr, HclExpr):
                if not names_embed_word(expr.src, expr.node.start_byte, expr.node.end_byte):
                    continue  # (no string of it can match a signature or the cloud-config header: not walked)
                strings: list[tuple[str, Any]] = _string_nodes(expr.node, expr.src)
            elif isinstance(expr, JsonExpr):
                strings, wraps = _json_strings(expr.node)
            else:
                continue
            where = f"{address}.{name}" if address else name
            boot = False
            for text, node in strings:
                fmt = embedded.found_in(text)
                if fmt is not None:
                    wrap = wraps[id(node)] if wraps is not None else _wrap(node, expr.node, expr.src)
                    why = _read_whole(pf, holder, where.partition(".")[2].partition(".")[2] if holder else where,
                                      node if isinstance(node, JNode) else (node, expr.src), wrap,
                                      (pf.path, attr.location.start_line, where))
                    if why is not None:
                        out.append((attr.location.start_line, where, fmt.key, why))
                        break
                count = 0 if boot else embedded.boot_commands(text)
                if count:
                    boot = True
                    out.append((attr.location.start_line, where, f"{embedded.BOOT}:{count}", ""))
        todo.extend((b, f"{address}.{b.type}" if address else b.type, holder) for b in reversed(block.blocks))
    return out


def _read_whole(pf: ParsedFile, holder: Block | None, where: str, node: Any, wrap: str,
                key: tuple[str, int, str]) -> str | None:
    """Read the configurations a string holds whole (into `holder.configs`); None when nothing of it is left
    unread, else why (what the embedded signatures still find). `node`: (syntax node, source) of a native
    string, or the `JNode` of a JSON one."""
    from xborder.inputs import embedded  # noqa: PLC0415

    if holder is None:
        return "it is not written in a resource, so no machine is known to run it"
    if wrap:
        return wrap
    literal = _json_literal(node) if isinstance(node, JNode) else _literal(*node)
    if literal is None:
        if "." not in where:  # a resource argument's own value: read from each instance's value where it renders
            text_lines = _template(node)
            if text_lines is not None:
                holder.templates += (embedded.Template(key, where, *text_lines, holder.location),)
        return ("the string is a template (it holds ${...} or %{...}) whose value is not known, or not line for line "
                "(a directive, a value with line breaks)")
    text, lines = literal
    found, rest, why = embedded.pieces(text, lines)
    holder.configs += tuple(embedded.config_of(piece, pf.path, where, where.rpartition(".")[2], holder.location)
                            for piece in found)
    if found and embedded.found_in(rest) is None:
        return None
    return "; ".join(why) or "it is not a whole configuration xborder reads"


def _literal(node: Any, src: bytes) -> tuple[str, tuple[int, ...]] | None:
    """The text of a string without interpolation or directive, and the file line of each of its lines; None for a
    template."""
    if any(c.type in ("template_interpolation", "template_directive") for c in node.children):
        return None
    if node.type == "heredoc_template":
        heredoc = _heredoc(node, src)
        if heredoc is None:
            return None
        body = heredoc[0].replace("$${", "${").replace("%%{", "%{")
        return body, heredoc[1]
    raw = src[node.start_byte:node.end_byte].decode("utf-8", "replace")
    text = decode_quoted(raw[1:-1] if len(raw) >= 2 else raw)
    return text, (node.start_point[0] + 1,) * (text.count("\n") + 1)


def _heredoc(node: Any, src: bytes) -> tuple[str, tuple[int, ...]] | None:
    """A heredoc's body as written (`<<-` dedented as Terraform does) and the file line of each of its lines."""
    raw = _heredoc_raw(node, src)
    if raw is None:
        return None
    body, flush, first = raw
    body = body[2:] if body.startswith("\r\n") else body[1:] if body.startswith("\n") else body
    if flush:
        body = textwrap.dedent(body)
    return body, tuple(range(first, first + body.count("\n") + 1))


def _heredoc_raw(node: Any, src: bytes) -> tuple[str, bool, int] | None:
    """A heredoc's text between its identifiers, whether it is `<<-` (flush), and the file line after `<<EOF`."""
    idents = [c for c in node.children if c.type == "heredoc_identifier"]
    if len(idents) < 2:
        return None
    flush = any(c.type == "heredoc_start" and src[c.start_byte:c.end_byte] == b"<<-" for c in node.children)
    return src[idents[0].end_byte:idents[-1].start_byte].decode("utf-8", "replace"), flush, idents[0].start_point[0] + 2


def _template(node: Any) -> tuple[str, tuple[int, ...]] | None:
    """The text of a template string as written (`<<-` dedented as Terraform does) and the file line of each of its
    lines."""
    if isinstance(node, JNode):
        return str(node.value), (node.line,) * (str(node.value).count("\n") + 1)
    n, src = node
    if n.type == "heredoc_template":
        return _heredoc(n, src)
    raw = src[n.start_byte:n.end_byte].decode("utf-8", "replace")
    body = (raw[1:-1] if len(raw) >= 2 else raw).replace("$${", "\x00d").replace("%%{", "\x00p")
    text = decode_quoted(body).replace("\x00d", "$${").replace("\x00p", "%%{")  # escapes kept as written
    return text, (n.start_point[0] + 1,) * (text.count("\n") + 1)


def _json_literal(node: JNode) -> tuple[str, tuple[int, ...]] | None:
    """The text of a `.tf.json` string that is no template (`$${` and `%%{` are escapes), on its line; None for a
    template."""
    raw = str(node.value)
    plain = raw.replace("$${", "").replace("%%{", "")
    if "${" in plain or "%{" in plain:
        return None
    text = raw.replace("$${", "${").replace("%%{", "%{")
    return text, (node.line,) * (text.count("\n") + 1)


def _json_strings(node: JNode) -> tuple[list[tuple[str, JNode]], dict[int, str]]:
    """(text, node) of each string of a `.tf.json` value (`_string_nodes`' twin), and each one's wrap by `id`
    (`_wrap`): an object's member values are the value; a list's strings are elements, not the value."""
    out: list[tuple[str, JNode]] = []
    wraps: dict[int, str] = {}
    stack: list[tuple[JNode, str]] = [(node, "")]
    while stack:
        n, wrap = stack.pop()
        if n.kind == "string":
            out.append((str(n.value), n))
            wraps[id(n)] = wrap
        elif n.kind == "object":
            stack.extend((v, wrap) for k, v in reversed(n.value) if k != "//")
        elif n.kind == "array":
            stack.extend((v, wrap or ("the string is an element of a list, not the argument's value"
                                      if v.kind == "string" else "")) for v in reversed(n.value))
    return out, wraps


_TRANSPARENT = frozenset({"expression", "template_expr", "literal_value", "collection_value", "object", "object_elem"})
_AS_WRITTEN = ("base64encode", "base64gzip")  # the machine decodes them back to the text as written


def _block_address(b: Block) -> str:
    """`aws_instance.vpn`, `data.T.N`, `module.N`, `local`, `output.N`... of a top-level block."""
    if b.type == "resource":
        return ".".join(b.labels)
    if b.type == "locals":
        return "local"
    return ".".join((b.type, *b.labels))


def _string_nodes(node: Any, src: bytes) -> list[tuple[str, Any]]:
    """(text, node) of each heredoc and quoted string inside an expression node."""
    out: list[tuple[str, Any]] = []
    stack = [node]
    while stack:
        n = stack.pop()
        t = n.type
        if t == "heredoc_template":
            raw = _heredoc_raw(n, src)
            if raw is not None:
                body = raw[0].lstrip("\r\n")  # (the signatures' text: leading blank lines too)
                out.append((textwrap.dedent(body) if raw[1] else body, n))  # `<<-` strips the common indentation
            continue
        if t in ("string_lit", "quoted_template"):
            raw = src[n.start_byte:n.end_byte].decode("utf-8", "replace")
            out.append((decode_quoted(raw[1:-1] if len(raw) >= 2 else raw), n))
            continue
        stack.extend(reversed(n.children))
    return out


def _wrap(string: Any, root: Any, src: bytes) -> str:
    """"" when the argument's value (`root`) is the string itself (as an object's member value, or in
    base64encode/base64gzip, which the machine decodes), else why not: asked, by climbing its parents, only of a
    string that holds a configuration."""
    why = ""  # the outermost reason: the one the argument's value shows
    n = string.parent
    while n is not None and n != root:
        t = n.type
        if t == "function_call":
            name = src[n.children[0].start_byte:n.children[0].end_byte].decode("utf-8", "replace") if n.children else ""
            args = [c for c in n.children if c.type == "function_arguments"]
            if name not in _AS_WRITTEN or not args or len(args[0].named_children) != 1:
                why = f"the string is an argument of {name}(...), not the argument's value as written"
        elif t not in _TRANSPARENT and t not in ("function_arguments", "identifier"):
            why = f"the string is part of a larger expression ({t.replace('_', ' ')}), not the argument's value"
        n = n.parent
    return why
