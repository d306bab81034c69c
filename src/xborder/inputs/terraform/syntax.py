"""Files -> blocks and attributes with positions, for both `.tf` (tree-sitter) and `.tf.json`.

Expressions are not evaluated here: attributes keep either the tree-sitter `expression` node
(`HclExpr`) or the positioned JSON value (`JsonExpr`), so one evaluator serves both syntaxes.
Every read is guarded: a bad file yields `ScanError`s, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xborder import lazy
from xborder.inputs import reading
from xborder.inputs.terraform.jsonpos import JNode, JsonSyntaxError, parse_json
from xborder.model import Location, ScanError

MAX_FILE_SIZE = 10 * 1024 * 1024
# tree-sitter-hcl needs 70-170 bytes of memory per source byte (the most for long string literals and
# heredocs: a 9 MB literal took 1.6 GB). Nothing larger than this reaches it: a native-syntax file, a
# `.tf.json` template string or a --var value. The largest .tf file in the real-code corpora is 130 KB.
MAX_HCL_SOURCE_BYTES = 2 * 1024 * 1024
MAX_BLOCK_DEPTH = 48
_JSON_TEMPLATE_END = "XBORDER_JSON_TEMPLATE_END"

# .tf.json keys whose object value is a map argument, not a nested block (there is no schema).
JSON_MAP_ATTRS = frozenset(
    {"tags", "tags_all", "labels", "metadata", "environment", "variables", "default_tags",
     "triggers", "parameters", "options", "annotations", "attributes", "properties", "settings"}
)

_PARSER: Any = None


def parser() -> Any:
    """One tree-sitter parser per process, imported lazily so non-Terraform scans start fast."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter_hcl
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_hcl.language()))
    return _PARSER


@dataclass(eq=False)
class HclExpr:
    """A native-syntax expression: a tree-sitter `expression` node and its file's bytes."""

    node: Any
    src: bytes
    path: str
    json_template: bool = False  # parsed from a .tf.json string: drop the heredoc's final newline
    broken: str | None = field(default=None, init=False, repr=False)  # line_break()'s answer once known

    @property
    def line(self) -> int:
        return int(self.node.start_point[0]) + 1

    def text(self) -> str:
        return self.src[self.node.start_byte : self.node.end_byte].decode("utf-8", "replace")

    def line_break(self) -> str | None:
        """Why Terraform rejects this value's file for a line break in it (see `line_break_error`), or None.
        Checked when the value is first evaluated, not at parse time: the walk costs ~0.1 ms per value over
        lines, and most values of a scan are never read."""
        why = self.broken
        if why is None:
            bad = None if self.json_template else line_break_error(self.node, self.src)
            why = self.broken = "" if bad is None else _line_break_text(self.path, self.src, *bad)
        return why or None


@dataclass(eq=False)
class JsonExpr:
    """A `.tf.json` value. mode: "expr" (strings are templates), "literal", or "block" (wrap in a list)."""

    node: JNode
    path: str
    mode: str = "expr"

    @property
    def line(self) -> int:
        return self.node.line

    def text(self) -> str:
        return self.node.value if self.node.kind == "string" else ""


@dataclass(eq=False)
class BadExpr:
    """An argument Terraform itself rejects (set twice in one block): it evaluates to Unknown."""

    path: str
    line: int
    reason: str

    def text(self) -> str:
        return ""


@dataclass(eq=False)
class LiteralExpr:
    """A value read by the literal-only variables reader (`literals.py`): already what the evaluator gives."""

    value: Any
    path: str
    line: int
    settled: bool = False  # checked: converting any part of the value to a type cannot raise (conversion_safe)

    def text(self) -> str:
        return ""


Expr = Any  # HclExpr | JsonExpr | BadExpr | LiteralExpr


@dataclass(eq=False)
class Attribute:
    """One `name = expression` argument, with where it was written."""

    name: str
    expr: Expr
    location: Location


@dataclass(eq=False)
class Block:
    """One block (`resource "t" "n" { ... }`): labels, arguments and nested blocks."""

    type: str
    labels: list[str]
    attrs: dict[str, Attribute]
    blocks: list[Block]
    location: Location
    path: str
    # VPN configurations its strings hold whole and literally (a resource block's: `inputs.embedded`), read with the
    # resource as their local end: `inputs.embedded.EmbeddedConfig`s, and `Template`s read where an instance's value
    # renders them. Plain class attributes (tuples), set on the few blocks that hold one: as fields they would cost
    # every block built an assignment in `__init__` (a cold scan builds hundreds of thousands), and an annotation
    # as ClassVar would keep the class from its dataclass plan (`classcode`: compiled at every start)
    configs = ()
    templates = ()


@dataclass(eq=False)
class ParsedFile:
    """One file's blocks and top-level arguments, its errors, and the syntax trees they come from."""

    path: str  # relative to the scan root
    blocks: list[Block] = field(default_factory=list)
    attrs: dict[str, Attribute] = field(default_factory=dict)  # top-level arguments (tfvars)
    errors: list[ScanError] = field(default_factory=list)
    trees: list[Any] = field(default_factory=list, repr=False)  # keep tree-sitter trees alive
    # VPN configurations written in a string of an argument and not read: (line of the argument, its address, format
    # key, why it is not read)
    embedded: list[tuple[int, str, str, str]] = field(default_factory=list)


# OpenTofu also reads `.tofu` and `.tofu.json` (and prefers `x.tofu` to `x.tf`: `modules.list_module_files`).
TERRAFORM_SUFFIXES = (".tf", ".tf.json")
TOFU_SUFFIXES = (".tofu", ".tofu.json")
CONFIG_SUFFIXES = TERRAFORM_SUFFIXES + TOFU_SUFFIXES


def is_tf_file(name: str) -> bool:
    """A configuration file of Terraform or OpenTofu (`.tf`, `.tf.json`, `.tofu`, `.tofu.json`)."""
    return name.endswith(CONFIG_SUFFIXES)


def is_tofu_file(name: str) -> bool:
    """A configuration file only OpenTofu reads (Terraform ignores `.tofu` and `.tofu.json`)."""
    return name.endswith(TOFU_SUFFIXES)


def config_stem(name: str) -> str:
    """The name without its configuration extension: `a_override.tofu.json` -> `a_override`."""
    for suffix in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def is_override_file(name: str) -> bool:
    """`override.tf`, `x_override.tf` (and their `.tf.json`, `.tofu`, `.tofu.json` twins) merge into other blocks."""
    stem = config_stem(name)
    return stem == "override" or stem.endswith("_override")


def is_tfvars_file(name: str) -> bool:
    return name.endswith((".tfvars", ".tfvars.json"))


# ---------------------------------------------------------------------------------------------
# reading


def read_text(abs_path: Path, rel: str, confine: bool = True) -> tuple[str | None, list[ScanError]]:
    """The file's text, or None with the reason; BOM stripped, size/binary/encoding checked.

    Reads go through `inputs.reading`: regular files inside the repository only, size checked on the
    open file. `confine=False` only for files the user named (`--var-file`).
    """
    try:
        data = reading.read_bytes(abs_path, MAX_FILE_SIZE, confine=confine)
    except reading.ReadRefused as e:
        if e.size is not None:
            return None, [ScanError(rel, 1, f"file is {e.size} bytes ({e.size / (1024 * 1024):.1f} MB), over the 10 MB limit; skipped")]
        return None, [ScanError(rel, 1, f"cannot read file: {e}")]
    except OSError as e:
        return None, [ScanError(rel, 1, f"cannot read file: {e.strerror or e}")]
    return decode_text(data, rel)


def decode_text(data: bytes, rel: str) -> tuple[str | None, list[ScanError]]:
    """A file's bytes as text, or None with the reason (BOM stripped; NUL bytes and bad UTF-8 refused)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [ScanError(rel, line, "binary file (contains NUL bytes); skipped")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, [ScanError(rel, line, f"not valid UTF-8 (byte 0x{data[e.start]:02x}); skipped")]


def parse_file(abs_path: Path, rel: str, cache: dict[str, Any] | None = None, variables: bool = False,
               confine: bool = True) -> ParsedFile:
    """Parse a .tf / .tf.json / .tfvars / .tfvars.json file, memoised on path, mtime and size.

    `variables`: a variables file named on the command line (`-var-file=prod.json`), which Terraform reads as
    JSON variables whenever its name ends in `.json`, not only `.tfvars.json`.
    """
    key = None
    if cache is not None:
        try:
            st = abs_path.stat()
            kind = "vars" if variables else "parse"  # a .json read as variables is not the same parse
            key = f"terraform:{kind}:{abs_path}:{st.st_mtime_ns}:{st.st_size}"
        except OSError:
            key = None
        if key is not None and key in cache:
            return cache[key]
    pf = ParsedFile(rel)
    try:
        text, errs = read_text(abs_path, rel, confine)
        pf.errors.extend(errs)
        if text is not None and text.strip():
            if rel.endswith(".json") or (variables and abs_path.name.endswith(".json")):
                _parse_json_file(text, pf, variables)
                # a string's `\n` escapes and a signature on one of its lines (`embeds`) before its values are read
                if pf.blocks and may_embed(text) and embeds(text.encode("utf-8")):
                    pf.embedded = _embedded(pf)
            elif variables and _read_literal_vars(text, pf):
                pass  # plain data, read without a syntax tree
            else:
                _parse_hcl_file(text, pf)
                if may_embed(text):
                    pf.embedded = _embedded(pf)
    except Exception as e:  # noqa: BLE001 - a bad file must never abort the unit
        pf.errors.append(ScanError(rel, 1, f"could not be parsed: {type(e).__name__}: {e}"))
    if cache is not None and key is not None:
        cache[key] = pf
    return pf


# Words one of the embedded signatures (policies/unread_configs.yaml, `only_in: strings`) needs, and the marks of a
# string that spans lines: a file without both holds no embedded VPN configuration (most files: two `find`s)
EMBED_WORDS = ("[Peer]", "Endpoint", "right", "remote", "tunnel", "set peer", "ike gateway", "#cloud-config")
_EMBED_WORDS_B = tuple(w.encode() for w in EMBED_WORDS)


def may_embed(text: str | bytes) -> bool:
    """Whether the text may hold a VPN configuration in a heredoc or a quoted string with `\\n` escapes.

    `<` and the backslash are looked for first: a one-byte find is a `memchr`, several times cheaper than the
    search for `<<` or `\\n`, and most files hold neither byte (`precheck.holds`)."""
    if isinstance(text, bytes):
        return ((text.find(b"<") >= 0 and text.find(b"<<") >= 0) or (text.find(b"\\") >= 0 and text.find(b"\\n") >= 0)) \
            and any(text.find(w) >= 0 for w in _EMBED_WORDS_B)
    return ((text.find("<") >= 0 and text.find("<<") >= 0) or (text.find("\\") >= 0 and text.find("\\n") >= 0)) \
        and any(text.find(w) >= 0 for w in EMBED_WORDS)


def names_embed_word(src: bytes, start: int, end: int) -> bool:
    """Whether src[start:end] holds one of `EMBED_WORDS` or a `\\u`/`\\U` escape: an argument without either holds no
    string an embedded signature or the cloud-config header can match (decoding a string's escapes other than these
    joins no letters), so its syntax tree is not walked (perf corpus: 7 files of up to 37 KB pass `may_embed` on
    one word, `remote` in a variable's description, `right`, `Endpoint`; most of their arguments name none)."""
    return (any(src.find(w, start, end) >= 0 for w in _EMBED_WORDS_B) or src.find(b"\\u", start, end) >= 0
            or src.find(b"\\U", start, end) >= 0)


def embeds(data: bytes) -> bool:
    """Whether a file's text may hold a VPN configuration in a string, for the quick paths that do not parse it
    (a directory is then loaded in full, which reads its strings: `_embedded`). Generous: the text with its
    `\\n` escapes as line breaks and each quote as a line break is matched, which finds every string the full
    load would find (a heredoc's lines, a quoted string's, each element of a list of strings)."""
    if not may_embed(data):
        return False
    from xborder.inputs import embedded  # noqa: PLC0415 - the signatures are read on first use

    text = data.decode("utf-8", "replace").replace("\\n", "\n").replace('"', "\n")
    if "#cloud-config" in text:
        from xborder.inputs.netconf import cloudinit  # noqa: PLC0415

        if cloudinit.names_vpn(text):
            return True  # boot commands that may set up a tunnel: the full load reads them
    # only the lines holding one of the words: every signature is a one-line pattern naming one of them
    lines: dict[int, str] = {}
    for m in _EMBED_WORD.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start not in lines:
            end = text.find("\n", m.end())
            lines[start] = text[start:] if end < 0 else text[start:end]
    return embedded.found_in("\n".join(lines.values())) is not None


_EMBED_WORD = lazy.regex("|".join(re.escape(w) for w in EMBED_WORDS))


def _embedded(pf: ParsedFile) -> list[tuple[int, str, str, str]]:
    """`strings.embedded` (imported only for a file that may hold a configuration in a string)."""
    from xborder.inputs.terraform import strings  # noqa: PLC0415 - most files hold none

    return strings.embedded(pf)


def file_errors(abs_path: Path, rel: str, data: bytes | None = None) -> list[ScanError]:
    """Exactly `parse_file(abs_path, rel).errors`, for a file nothing will read blocks from.

    A native-syntax file is parsed but not turned into blocks: only what building them would report (an
    argument set twice, blocks nested too deeply) is checked, on the syntax tree, which is then dropped.
    `data`: the file's bytes when the caller has read them already (through `reading`, size-checked).
    """
    if rel.endswith(".json"):
        return parse_file(abs_path, rel).errors
    return _errors_and_modules(abs_path, rel, data, None)


def module_blocks(abs_path: Path, rel: str, data: bytes) -> tuple[list[ScanError], list[Block]]:
    """Exactly `parse_file(abs_path, rel)`'s errors and the `module` blocks among its blocks, building no
    other block (root detection needs the module calls and the exact errors, nothing else)."""
    if rel.endswith(".json"):
        pf = parse_file(abs_path, rel)
        return pf.errors, [b for b in pf.blocks if b.type == "module"]
    modules: list[Block] = []
    try:
        return _errors_and_modules(abs_path, rel, data, modules), modules
    except Exception:  # noqa: BLE001 - a surprise while building a module block: parse_file says what it says
        pf = parse_file(abs_path, rel)
        return pf.errors, [b for b in pf.blocks if b.type == "module"]


def _errors_and_modules(abs_path: Path, rel: str, data: bytes | None, modules: list[Block] | None) -> list[ScanError]:
    pf = ParsedFile(rel)
    try:
        text, errs = read_text(abs_path, rel) if data is None else decode_text(data, rel)
        pf.errors.extend(errs)
        if text is not None and text.strip():
            src = text.encode("utf-8")
            try:
                tree, src = parse_source(src)
            except HclTooLarge as e:  # as `_parse_hcl_file` reports it
                pf.errors.append(ScanError(pf.path, 1, f"file is {e}; skipped"))
                return pf.errors
            body = _checked_body(tree, pf)
            if body is not None:
                _hcl_body_errors(body, src, pf, 0)
                if modules is not None:
                    _module_nodes(body, src, rel, modules)
    except Exception as e:  # noqa: BLE001 - as parse_file
        if modules is not None:
            raise
        pf.errors.append(ScanError(rel, 1, f"could not be parsed: {type(e).__name__}: {e}"))
    return pf.errors


def _module_nodes(body: Any, src: bytes, rel: str, out: list[Block]) -> None:
    """The top-level `module` blocks `_hcl_body` would build, in order (their errors are counted elsewhere)."""
    scratch = ParsedFile(rel)
    for n in body.named_children:
        if n.type != "block":
            continue
        kids = n.named_children
        if kids and kids[0].type == "identifier" and _txt(src, kids[0]) == "module":
            b = _hcl_block(n, src, scratch, 0)
            if b is not None:
                out.append(b)


def _hcl_body_errors(body: Any, src: bytes, pf: ParsedFile, depth: int) -> None:
    """The errors `_hcl_body` reports for `body`, without building anything (same walk, same order)."""
    first_line: dict[str, int] = {}
    for n in body.named_children:
        t = n.type
        if t == "attribute":
            if n.has_error:
                continue
            kids = n.named_children
            if not any(c.type == "expression" for c in kids):
                continue
            name = _txt(src, kids[0])
            line = n.start_point[0] + 1
            first = first_line.get(name)
            if first is not None:
                why = f'argument "{name}" is set twice in one block (lines {first} and {line}); Terraform rejects this'
                pf.errors.append(ScanError(pf.path, line, why))
                continue
            first_line[name] = line
        elif t == "block":
            if depth >= MAX_BLOCK_DEPTH:
                pf.errors.append(ScanError(pf.path, n.start_point[0] + 1, "blocks nested too deeply; inner blocks skipped"))
                continue
            kids = n.named_children
            if not kids or kids[0].type != "identifier":
                continue
            inner = None
            broken = False
            for k in kids[1:]:
                kt = k.type
                if kt == "body":
                    inner = k
                elif kt == "ERROR" and inner is None:
                    broken = True
                    break
            if not broken and inner is not None:
                _hcl_body_errors(inner, src, pf, depth + 1)


# ---------------------------------------------------------------------------------------------
# native syntax


def _loc(node: Any, path: str) -> Location:
    (sl, sc), (el, ec) = node.start_point, node.end_point
    return Location(path, sl + 1, sc + 1, el + 1, ec + 1)


def _txt(src: bytes, node: Any) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8", "replace")


def _syntax_errors(root: Any) -> list[tuple[int, int, str]]:
    """(line, column, what) of each error site; a missing token is placed where its construct starts."""
    stack, out = [root], []
    while stack:
        n = stack.pop()
        if n.is_missing:
            anchor = n
            while anchor.parent is not None and anchor.parent.type not in ("config_file", "body") \
                    and anchor.start_byte >= n.start_byte:
                anchor = anchor.parent
            out.append((anchor.start_point[0] + 1, anchor.start_point[1] + 1, f"missing {'a value' if n.type == 'identifier' else repr(n.type)} in what starts here"))
        elif n.is_error:
            out.append((n.start_point[0] + 1, n.start_point[1] + 1, "unexpected input"))
        elif n.has_error:
            stack.extend(n.children)
    return sorted(out)


_EXPONENT = lazy.regex(rb"(?<![\w.])(\d+)([eE][+-]?\d+)(?![\w.])")
MAX_EXPONENT_FIXES = 64
# an odd run of `%` (`$`), three or more, before `{`: HCL's lexer reads a lone `%` and then the escape `%%{`
# (`$${`), so no directive (interpolation) starts there; tree-sitter-hcl starts one after the first sign
_ODD_ESCAPE_RUN = lazy.regex(rb"(?<!%)%(?:%%)+\{|(?<!\$)\$(?:\$\$)+\{")


class HclTooLarge(ValueError):
    """Source over MAX_HCL_SOURCE_BYTES: refused before the parser, which would need gigabytes for it."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size / (1024 * 1024):.1f} MB of HCL, over the {MAX_HCL_SOURCE_BYTES // (1024 * 1024)} MB limit "
                         "for HCL syntax (its parser needs up to 170 bytes of memory per byte)")
        self.size = size


# The trees of the most recently parsed small sources, by content (most recent last). The same text recurs
# in real trees: copies of `versions.tf` and of wrappers across module directories, a file parsed for its
# `module` calls and then whole. A tree is never changed once parsed, so two files with the same bytes can
# share one (each file builds its own blocks and locations from it). On the perf corpus a memo of 128 KB of
# source (~9 MB of trees) spared ~500 of 1,900 file parses (0.67 of 6.0 MB); all of it would have spared 0.86 MB.
TREE_MEMO_BYTES = 128 * 1024
TREE_MEMO_SOURCE = 16 * 1024  # larger sources are not kept: few recur
_TREES: dict[bytes, tuple[Any, bytes]] = {}
_tree_bytes = 0


def parse_source(src: bytes) -> tuple[Any, bytes]:
    """Parse HCL (the tree of the same bytes parsed recently, when there is one: `_TREES`).

    Raises `HclTooLarge` for a source over `MAX_HCL_SOURCE_BYTES`, before the parser sees it."""
    global _tree_bytes
    if len(src) > MAX_HCL_SOURCE_BYTES:
        raise HclTooLarge(len(src))
    if len(src) > TREE_MEMO_SOURCE:
        return _parse_source(src)
    hit = _TREES.pop(src, None)
    if hit is None:
        hit = _parse_source(src)
        _tree_bytes += len(src)
        while _tree_bytes > TREE_MEMO_BYTES and _TREES:
            oldest = next(iter(_TREES))
            del _TREES[oldest]
            _tree_bytes -= len(oldest)
    _TREES[src] = hit
    return hit


def _parse_source(src: bytes) -> tuple[Any, bytes]:
    """Parse HCL, working around tree-sitter-hcl's one known tokenising gap: `1e3`.

    HCL accepts an exponent without a fraction (`1e3`, `1E-7`); the grammar only reads `1.0e3`.
    When the file does not parse, each such literal the parser met as a number gets `.0`
    inserted (columns after it on that line move by two) and the file is parsed again.
    """
    tree = parser().parse(src)
    if not tree.root_node.has_error:
        return tree, src
    if not _EXPONENT.search(src):
        return _escape_runs_as_hcl(tree, src), src
    pos = 0
    for _ in range(MAX_EXPONENT_FIXES):
        fixed = False
        for m in _EXPONENT.finditer(src, pos):
            n = tree.root_node.descendant_for_byte_range(m.start(), m.start() + 1)
            if n is None or n.type not in ("numeric_lit", "ERROR", "identifier"):
                continue
            src = src[: m.end(1)] + b".0" + src[m.end(1) :]
            tree = parser().parse(src)
            pos = m.end() + 2
            fixed = True
            break
        if not fixed or not tree.root_node.has_error:
            break
    return _escape_runs_as_hcl(tree, src), src


def _escape_runs_as_hcl(tree: Any, src: bytes) -> Any:
    """The tree HCL's lexer implies where tree-sitter read a directive after `%%%{` (`"%%%{a}"` is the text
    `%%{a}` in Terraform, a syntax error for tree-sitter): the file is parsed again with the first sign of each
    odd run masked, and that tree is kept when it has fewer error sites. The masked byte only steers the
    parser (same length, so every offset holds): values are read from the original text, which decodes the
    run as HCL does. Outside strings and comments such a run is a syntax error either way."""
    if not tree.root_node.has_error or (b"%%%{" not in src and b"$$${" not in src):
        return tree
    masked = _ODD_ESCAPE_RUN.sub(lambda m: b"_" + m.group(0)[1:], src)
    retry = parser().parse(masked)
    if len(_syntax_errors(retry.root_node)) < len(_syntax_errors(tree.root_node)):
        return retry
    return tree


def _parse_hcl_file(text: str, pf: ParsedFile) -> None:
    src = text.encode("utf-8")
    try:
        tree, src = parse_source(src)
    except HclTooLarge as e:
        pf.errors.append(ScanError(pf.path, 1, f"file is {e}; skipped"))
        return
    pf.trees.append(tree)
    body = _checked_body(tree, pf)
    if body is not None:
        pf.attrs, pf.blocks = _hcl_body(body, src, pf, 0)


def _checked_body(tree: Any, pf: ParsedFile) -> Any:
    """The file's top-level body node, once its first syntax error (if any) is recorded in `pf`."""
    root = tree.root_node
    err = _syntax_error(root, pf.path)
    if err is not None:
        pf.errors.append(err)
    return next((c for c in root.named_children if c.type == "body"), None)


def _read_literal_vars(text: str, pf: ParsedFile) -> bool:
    """A variables file of literal values only, read by the fast reader; False: take tree-sitter."""
    from xborder.inputs.terraform.literals import conversion_safe, read_literal_vars

    found = read_literal_vars(text)
    if found is None:
        return False
    settled = conversion_safe(text, found)

    def point(off: int) -> tuple[int, int]:
        """1-based line and byte column, as tree-sitter counts them."""
        line_start = text.rfind("\n", 0, off) + 1
        return text.count("\n", 0, off) + 1, len(text[line_start:off].encode("utf-8")) + 1

    for name, value, start, end in found:
        (sl, sc), (el, ec) = point(start), point(end)
        pf.attrs[name] = Attribute(name, LiteralExpr(value, pf.path, sl, settled), Location(pf.path, sl, sc, el, ec))
    return True


def _syntax_error(root: Any, path: str) -> ScanError | None:
    """The one error a file with syntax errors reports: its first site and how many there are."""
    if not root.has_error:
        return None
    errs = _syntax_errors(root)
    if not errs:
        return None
    line, col, what = errs[0]
    more = f"; {len(errs)} error sites in the file" if len(errs) > 1 else ""
    return ScanError(path, line, f"HCL syntax error at line {line}, column {col} ({what}{more}); "
                     "the blocks and attributes that parsed were still analysed")


# ---------------------------------------------------------------------------------------------
# line breaks HCL's parser refuses where tree-sitter-hcl reads on
#
# In HCL a line break ends an argument's value, and inside an object constructor it separates items;
# only parentheses, brackets (tuples, indexes, function arguments), `for` expressions and template
# interpolations let an expression go on over lines. tree-sitter-hcl treats every line break as space, so
# `a = 1\n  + 2` or `{x = <<EOT ... EOT\n, y = 2}` parse there while Terraform rejects the file. A quoted
# string cannot hold a line break either ("Invalid multi-line string").

_BLOCK_COMMENT = lazy.regex(rb"/\*.*?\*/", re.S)  # a block comment is space even over lines
_AT_BREAK = {
    "value": "a line break inside the value: only brackets and parentheses let it go on over lines",
    "object": "a line break inside an object item: items are separated by commas or line breaks, and a key, "
              "its \"=\" and its value go on over lines only inside brackets or parentheses",
    "string": "a quoted string split over lines (use a heredoc or \\n)",
}
_OPEN_ENDS = ("open", "comma", "end", "single")  # an object item may start after these
_ITEM_STARTS = ("start", "single", "close")


def line_break_error(node: Any, src: bytes) -> tuple[int, str] | None:
    """(byte offset, what) of the first line break in an argument's value that HCL's parser refuses."""
    if src.find(b"\n", node.start_byte, node.end_byte) < 0:
        return None
    errors: list[tuple[int, str]] = []
    toks: list[tuple[int, int, str]] = []
    _break_tokens(node, src, toks, errors)
    for a, b in zip(toks, toks[1:]):
        if _breaks(src, a[1], b[0]):
            errors.append((b[0], _AT_BREAK["value"]))
            break
    return min(errors) if errors else None


def _breaks(src: bytes, a: int, b: int) -> bool:
    """A line break between two tokens (a block comment over lines is space; a line comment ends a line)."""
    gap = src[a:b]
    if b"\n" not in gap:
        return False
    return b"/*" not in gap or b"\n" in _BLOCK_COMMENT.sub(b" ", gap)


def _break_tokens(n: Any, src: bytes, toks: list[tuple[int, int, str]], errors: list[tuple[int, str]]) -> None:
    """The tokens of `n` as its enclosing newline-sensitive context sees them (a bracketed part is one
    token), checking the newline-sensitive contexts nested in them (objects, quoted strings)."""
    s, e = n.start_byte, n.end_byte
    if src.find(b"\n", s, e) < 0:
        toks.append((s, e, "mid"))
        return
    t = n.type
    if t == "comment":
        return
    if t == "object":
        toks.append((s, e, "mid"))
        _object_breaks(n, src, errors)
        return
    if t in ("tuple", "for_expr", "new_index", "heredoc_template", "quoted_template", "string_lit", "full_splat"):
        toks.append((s, e, "mid"))
        _nested_breaks(n, src, errors)
        return
    kids = n.children
    if not kids:
        toks.append((s, e, "mid"))
        return
    opened = -1  # parentheses (a call's, or grouping) are one token: line breaks are free inside
    for c in kids:
        ct = c.type
        if opened >= 0:
            if ct == ")":
                toks.append((opened, c.end_byte, "mid"))
                opened = -1
            else:
                _nested_breaks(c, src, errors)
        elif ct == "(":
            opened = c.start_byte
        else:
            _break_tokens(c, src, toks, errors)
    if opened >= 0:
        toks.append((opened, e, "mid"))


def _nested_breaks(n: Any, src: bytes, errors: list[tuple[int, str]]) -> None:
    """Check the objects and quoted strings in `n`, a part where line breaks are free."""
    if src.find(b"\n", n.start_byte, n.end_byte) < 0:
        return
    t = n.type
    if t == "object":
        _object_breaks(n, src, errors)
    elif t == "quoted_template" or t == "string_lit":
        _quoted_breaks(n, src, errors)
    else:
        for c in n.children:
            _nested_breaks(c, src, errors)


_TEMPLATE_CODE = frozenset({"template_interpolation", "template_if_intro", "template_else_intro", "template_if_end",
                            "template_for_start", "template_for_end"})


def _quoted_breaks(n: Any, src: bytes, errors: list[tuple[int, str]]) -> None:
    """A quoted string: a line break only inside `${...}` or `%{...}`."""
    pos, stack = n.start_byte, list(reversed(n.children))
    while stack:
        c = stack.pop()
        if c.type in _TEMPLATE_CODE:
            nl = src.find(b"\n", pos, c.start_byte)
            if nl >= 0:
                errors.append((nl, _AT_BREAK["string"]))
                return
            _nested_breaks(c, src, errors)
            pos = c.end_byte
        elif src.find(b"\n", c.start_byte, c.end_byte) >= 0:
            stack.extend(reversed(c.children))
    nl = src.find(b"\n", pos, n.end_byte)
    if nl >= 0:
        errors.append((nl, _AT_BREAK["string"]))


def _object_breaks(n: Any, src: bytes, errors: list[tuple[int, str]]) -> None:
    """An object constructor: a line break may only come between items (after `{`, `,` or an item's value,
    before an item's key or `}`)."""
    toks: list[tuple[int, int, str]] = []
    for c in n.children:
        t = c.type
        if t == "object_start":
            toks.append((c.start_byte, c.end_byte, "open"))
        elif t == "object_end":
            toks.append((c.start_byte, c.end_byte, "close"))
        elif t == ",":
            toks.append((c.start_byte, c.end_byte, "comma"))
        elif t == "object_elem":
            item: list[tuple[int, int, str]] = []
            _break_tokens(c, src, item, errors)
            if len(item) == 1:
                item[0] = (item[0][0], item[0][1], "single")
            elif item:
                item[0] = (item[0][0], item[0][1], "start")
                item[-1] = (item[-1][0], item[-1][1], "end")
            toks.extend(item)
        elif t != "comment":
            toks.append((c.start_byte, c.end_byte, "mid"))
    for a, b in zip(toks, toks[1:]):
        if (a[2] not in _OPEN_ENDS or b[2] not in _ITEM_STARTS) and _breaks(src, a[1], b[0]):
            errors.append((b[0], _AT_BREAK["object"]))
            return


def _line_break_text(path: str, src: bytes, off: int, what: str) -> str:
    line = src.count(b"\n", 0, off) + 1
    col = off - src.rfind(b"\n", 0, off)
    return f"HCL syntax error in {path} at line {line}, column {col} ({what}); Terraform rejects this file"


def _hcl_body(body: Any, src: bytes, pf: ParsedFile, depth: int) -> tuple[dict[str, Attribute], list[Block]]:
    attrs: dict[str, Attribute] = {}
    blocks: list[Block] = []
    for n in body.named_children:
        t = n.type
        if t == "attribute":
            if n.has_error:
                continue
            kids = n.named_children  # (a new list of new nodes at each access: taken once)
            exprs = [c for c in kids if c.type == "expression"]
            if not exprs:
                continue
            name = _txt(src, kids[0])
            first = attrs.get(name)
            if first is not None:
                # Terraform rejects the block ("Attribute redefined"); neither value is taken
                why = f'argument "{name}" is set twice in one block (lines {first.location.start_line} and {n.start_point[0] + 1}); Terraform rejects this'
                pf.errors.append(ScanError(pf.path, n.start_point[0] + 1, why))
                attrs[name] = Attribute(name, BadExpr(pf.path, first.location.start_line, why), first.location)
                continue
            attrs[name] = Attribute(name, HclExpr(exprs[-1], src, pf.path), _loc(n, pf.path))
        elif t == "block":
            if depth >= MAX_BLOCK_DEPTH:
                pf.errors.append(ScanError(pf.path, n.start_point[0] + 1, "blocks nested too deeply; inner blocks skipped"))
                continue
            b = _hcl_block(n, src, pf, depth)
            if b is not None:
                blocks.append(b)
    return attrs, blocks


def _hcl_block(n: Any, src: bytes, pf: ParsedFile, depth: int) -> Block | None:
    kids = n.named_children
    if not kids or kids[0].type != "identifier":
        return None
    labels: list[str] = []
    inner = None
    for k in kids[1:]:
        kt = k.type
        if kt == "string_lit":
            labels.append(decode_string_lit(k, src))
        elif kt == "identifier":
            labels.append(_txt(src, k))
        elif kt == "body":
            inner = k
        elif kt == "ERROR" and inner is None:
            return None  # a broken header: the labels cannot be trusted
    attrs, blocks = _hcl_body(inner, src, pf, depth + 1) if inner is not None else ({}, [])
    return Block(_txt(src, kids[0]), labels, attrs, blocks, _loc(n, pf.path), pf.path)


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def decode_quoted(raw: str) -> str:
    """Decode the escapes of a quoted HCL string (\\n, \\uNNNN, $${, %%{), NFC-normalised like Terraform."""
    if not raw.isascii():
        raw = unicodedata.normalize("NFC", raw)
    if "\\" not in raw and "$${" not in raw and "%%{" not in raw:
        return raw
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == "\\" and i + 1 < n:
            d = raw[i + 1]
            if d in _ESCAPES:
                out.append(_ESCAPES[d])
                i += 2
                continue
            if d in "uU":
                width = 4 if d == "u" else 8
                hexs = raw[i + 2 : i + 2 + width]
                try:
                    out.append(chr(int(hexs, 16)))
                    i += 2 + width
                    continue
                except ValueError:
                    pass
            out.append(c)
            i += 1
        elif c in "$%" and raw.startswith(c + c + "{", i):
            out.append(c + "{")
            i += 3
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def decode_string_lit(node: Any, src: bytes) -> str:
    """The value of a `string_lit` node (a quoted string without interpolation)."""
    raw = src[node.start_byte : node.end_byte].decode("utf-8", "replace")
    if raw.startswith('"'):
        raw = raw[1:-1] if raw.endswith('"') and len(raw) > 1 else raw[1:]
    return decode_quoted(raw)


_TEMPLATE_CACHE: dict[str, Any] = {}


def parse_template_string(s: str, path: str) -> HclExpr | None:
    """Parse a `.tf.json` string as an HCL template (a heredoc keeps the text verbatim)."""
    hit = _TEMPLATE_CACHE.get(s)
    if hit is None:
        src = f"x = <<{_JSON_TEMPLATE_END}\n{s}\n{_JSON_TEMPLATE_END}\n".encode()
        tree, src = parse_source(src)  # HclTooLarge: the caller makes the value unknown with the reason
        root = tree.root_node
        if root.has_error:
            return None
        try:
            node = root.named_children[0].named_children[0].named_children[-1]
        except IndexError:
            return None
        hit = (tree, node, src)
        if len(_TEMPLATE_CACHE) < 20000:
            _TEMPLATE_CACHE[s] = hit
    return HclExpr(hit[1], hit[2], path, json_template=True)


def parse_expression_text(s: str, path: str = "<command line>") -> HclExpr | None:
    """Parse a standalone HCL expression (a --var value); None when it is not valid HCL."""
    src = f"x = {s}\n".encode()
    try:
        tree, src = parse_source(src)
    except HclTooLarge:
        return None
    root = tree.root_node
    if root.has_error:
        return None
    try:
        attr = root.named_children[0].named_children[0]
    except IndexError:
        return None
    if attr.type != "attribute" or len(root.named_children[0].named_children) != 1:
        return None
    if line_break_error(attr.named_children[-1], src) is not None:
        return None
    e = HclExpr(attr.named_children[-1], src, path)
    e._tree = tree  # type: ignore[attr-defined]  # keep the tree alive with the node
    return e


# ---------------------------------------------------------------------------------------------
# JSON syntax


def _parse_json_file(text: str, pf: ParsedFile, variables: bool = False) -> None:
    try:
        # attribute values (root > resource > type > name > body > value) are read when evaluated: most never are
        root = parse_json(text, lazy=4)
    except JsonSyntaxError as e:
        pf.errors.append(ScanError(pf.path, e.line, str(e)))
        return
    if root.kind != "object":
        pf.errors.append(ScanError(pf.path, root.line, "the top level of the JSON file must be an object"))
        return
    if variables or pf.path.endswith(".tfvars.json"):
        for k, v in root.value:
            first = pf.attrs.get(k)
            if first is not None:
                pf.attrs[k] = _json_twice(k, first, v, pf.path, pf.errors)
                continue
            pf.attrs[k] = Attribute(k, JsonExpr(v, pf.path, "literal"), _jloc(v, pf.path, key=True))
        return
    pf.blocks = _json_top(root, pf.path, pf.errors)


def _json_twice(name: str, first: Attribute, again: JNode, path: str, errors: list[ScanError]) -> Attribute:
    """A JSON property set twice in one block body (or variables file): Terraform rejects it ("Duplicate
    argument"), as the native syntax's "Attribute redefined"; neither value is taken (Unknown), never the later
    one alone (a Hong Kong value written first would vanish)."""
    line = again.key_line or again.line
    why = f'argument "{name}" is set twice in one block (lines {first.location.start_line} and {line}); Terraform rejects this'
    errors.append(ScanError(path, line, why))
    return Attribute(name, BadExpr(path, first.location.start_line, why), first.location)


def _jloc(n: JNode, path: str, key: bool = False) -> Location:
    if key and n.key_line:
        return Location(path, n.key_line, n.key_col, n.end_line, n.end_col)
    return Location(path, n.line, n.col, n.end_line, n.end_col)


def _members(n: JNode) -> Iterator[tuple[str, JNode]]:
    """Members of an object, or of each object in an array of objects."""
    if n.kind == "object":
        for k, v in n.value:
            if k != "//":
                yield k, v
    elif n.kind == "array":
        for item in n.value:
            yield from _members(item)


def _bodies(n: JNode) -> list[JNode]:
    if n.kind == "object":
        return [n]
    if n.kind == "array":
        return [x for x in n.value if x.kind == "object"]
    return []


def _json_top(root: JNode, path: str, errors: list[ScanError]) -> list[Block]:
    out: list[Block] = []
    for key, val in root.value:
        if key in ("resource", "data"):
            for rtype, byname in _members(val):
                for name, body in _members(byname):
                    for b in _bodies(body):
                        out.append(_json_block(key, [rtype, name], b, path, "resource", errors))
        elif key in ("module", "provider", "variable", "output"):
            for name, body in _members(val):
                for b in _bodies(body):
                    out.append(_json_block(key, [name], b, path, key, errors))
        elif key == "locals":
            for b in _bodies(val):
                out.append(_json_block("locals", [], b, path, "locals", errors))
        elif key == "terraform":
            for b in _bodies(val):
                blk = Block("terraform", [], {}, [], _jloc(b, path), path)
                rp = b.get("required_providers")
                for rb in _bodies(rp) if rp is not None else []:
                    blk.blocks.append(_json_block("required_providers", [], rb, path, "literal", errors))
                out.append(blk)
    return out


def _block_like(v: JNode, k: str) -> bool:
    """A resource or provider property read as nested blocks: an object (not a known map argument), or an array
    of objects."""
    if k in JSON_MAP_ATTRS:
        return False
    return v.kind == "object" or (v.kind == "array" and bool(v.value) and all(x.kind == "object" for x in v.value))


def _json_block(btype: str, labels: list[str], body: JNode, path: str, kind: str, errors: list[ScanError]) -> Block:
    """kind: resource (nested blocks guessed), provider, module, variable, output, locals, literal. A property set
    twice is an error (`_json_twice`), except nested blocks of a resource or provider: a block type may be
    written several times (Terraform reads every block), so those are read together."""
    blk = Block(btype, labels, {}, [], _jloc(body, path), path)
    joined: dict[str, JNode] = {}  # nested block types written several times: the array of all their blocks
    for k, v in _members(body):
        first = blk.attrs.get(k)
        if kind in ("resource", "provider"):
            if k == "dynamic":
                for label, dyn in _members(v):
                    for db in _bodies(dyn):
                        d = _json_block("dynamic", [label], db, path, "literal", errors)
                        d.attrs.pop("content", None)
                        for k2 in ("for_each", "labels"):
                            if k2 in d.attrs:
                                d.attrs[k2].expr.mode = "expr"
                        content = db.get("content")
                        for cb in _bodies(content) if content is not None else []:
                            d.blocks.append(_json_block("content", [], cb, path, "resource", errors))
                        blk.blocks.append(d)
                continue
            if k in ("lifecycle", "connection", "provisioner"):
                continue
            blocks = joined.get(k)
            if blocks is not None and blocks is getattr(first.expr, "node", None) and _block_like(v, k):
                # a third or later time: added in place (copying and re-checking the list each time was quadratic)
                blocks.value.extend(v.value if v.kind == "array" else [v])
                blocks.end_line, blocks.end_col = v.end_line, v.end_col
                continue
            if first is not None and isinstance(first.expr, JsonExpr) and _block_like(first.expr.node, k) \
                    and _block_like(v, k):
                node = first.expr.node
                both = [*(node.value if node.kind == "array" else [node]), *(v.value if v.kind == "array" else [v])]
                blocks = joined[k] = JNode("array", both, node.line, node.col, v.end_line, v.end_col, node.key_line,
                                           node.key_col)
                blk.attrs[k] = Attribute(k, JsonExpr(blocks, path, "expr"), first.location)
                continue
            if first is None and v.kind == "object" and k not in JSON_MAP_ATTRS:
                blk.attrs[k] = Attribute(k, JsonExpr(v, path, "block"), _jloc(v, path, key=True))
                continue
        if first is not None:
            blk.attrs[k] = _json_twice(k, first, v, path, errors)
            continue
        mode = "literal" if (kind == "literal" or (kind == "variable" and k == "default")) else "expr"
        blk.attrs[k] = Attribute(k, JsonExpr(v, path, mode), _jloc(v, path, key=True))
    return blk


def traversal_text(expr: Expr) -> str:
    """The source of a bare reference (`aws.hk`) as written, for provider meta-arguments."""
    if isinstance(expr, JsonExpr):
        return expr.node.value if expr.node.kind == "string" else ""
    t = expr.text().strip()
    if t.startswith('"') and t.endswith('"'):
        t = t[1:-1]
    return t


def traversal_map(expr: Expr) -> dict[str, str]:
    """A `providers = { aws = aws.cn }` map as written: child key -> parent reference text."""
    out: dict[str, str] = {}
    if isinstance(expr, BadExpr):
        return out
    if isinstance(expr, JsonExpr):
        if expr.node.kind == "object":
            for k, v in expr.node.value:
                if v.kind == "string":
                    out[k] = v.value
        return out
    node = expr.node
    src = expr.src
    obj = _find_child(node, "collection_value")
    obj = _find_child(obj, "object") if obj is not None else None
    if obj is None:
        return out
    for el in obj.named_children:
        if el.type != "object_elem":
            continue
        k, v = el.child_by_field_name("key"), el.child_by_field_name("val")
        if k is None or v is None:
            continue
        kt, vt = _txt(src, k).strip(), _txt(src, v).strip()
        out[kt.strip('"')] = vt.strip('"')
    return out


def _find_child(node: Any, t: str) -> Any:
    for c in node.named_children:
        if c.type == t:
            return c
    return None
