"""Textual pre-checks: can a Terraform file matter to a link, without parsing it?

Parsing is the largest cost of a scan (tree-sitter-hcl reads ~2.6 MB/s), and most files of a real
repository hold nothing a link depends on. These checks look at the raw bytes and may only err one way:
a "no" must be certain, every doubt is a "yes" (a false "yes" costs time; a false "no" would hide a link).

- `names_any`: the text names a resource type of interest anywhere (in a label, a comment, a string...),
  or holds a `\\u`/`\\U` escape (HCL and JSON decode escapes in quoted labels and keys, so an escaped
  type name is not in the text as such).
- `may_declare_module`: the text may hold a `module` block (a call of another module directory).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from typing import Any, TypeVar

from xborder import lazy

# `module` as a keyword: not part of a longer name, not the `module` of `path.module` or `module.x.y`
# (a block header's keyword is followed by a label, never by a dot). The byte before is checked apart:
# a look-behind at the start of a pattern costs the regex engine its fast literal search (30x slower).
_MODULE_WORD = lazy.regex(rb"module(?![\w.-])")
_SPACE = frozenset(b" \t\r\n\f\v")
_NAME = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_NOT_BEFORE = _NAME | frozenset(b".")
_PLAIN_HEADER = lazy.regex(rb'(?m)^[ \t]*module[ \t]+"[\w-]*"[ \t]*\{')


def _headers(data: bytes) -> bool:
    """Whether some `module` keyword in `data` is followed by what may be a block header's labels and `{`."""
    for m in _MODULE_WORD.finditer(data):
        start = m.start()
        if (start == 0 or data[start - 1] not in _NOT_BEFORE) and _header_follows(data, m.end()):
            return True
    return False


# Answers by text, for this process (`may_declare_module`, `lexical_doubt`, `calltext.guess_calls`): root
# detection, the quick checks and module calls ask about one file several times, and a repository holds many
# copies of one file (the `versions.tf` and `providers.tf` of every example). Perf corpus: `may_declare_module` was
# asked 12,176 times for 4,480 texts, `lexical_doubt` 5,390 times for 3,923, `guess_calls` 709 times for 650. An
# answer depends on the text alone. Texts are kept as keys within `TEXTS_BYTES` for all three (the scan's reads
# hold the same bytes objects anyway).
_MODULES: dict[bytes, bool] = {}
_DOUBTS: dict[bytes, bool] = {}
TEXTS_BYTES = 32 * 1024 * 1024
_texts_held = 0

_T = TypeVar("_T")


def kept(memo: dict[bytes, Any], data: bytes, answer: _T) -> _T:
    """`answer`, remembered in `memo` for the text `data` while the texts kept stay within `TEXTS_BYTES`."""
    global _texts_held
    if _texts_held + len(data) <= TEXTS_BYTES:
        memo[data] = answer
        _texts_held += len(data)
    return answer


def may_declare_module(data: bytes, json: bool = False) -> bool:
    """True unless the text certainly holds no `module` block header (in JSON: no `"module"` key).

    A candidate in the raw text (the keyword, then labels and `{` with spaces or comments between) is
    looked at again with comments and quoted strings blanked out: "this module creates a VPC {" in a
    comment is no call. A file with a `lexical_doubt` counts as "may".
    """
    if json:
        return data.find(b'"module"') >= 0 or _escape(data)
    if type(data) is not bytes:
        return _may_declare_module(data)
    known = _MODULES.get(data)
    return kept(_MODULES, data, _may_declare_module(data)) if known is None else known


def _may_declare_module(data: bytes) -> bool:
    if not _headers(data):
        return False
    if _PLAIN_HEADER.search(data):
        return True  # the usual spelling at a line start: "yes" without looking closer ("yes" is always safe)
    return lexical_doubt(data) or _headers(_SKIP.sub(_blank, data))


def _header_follows(data: bytes, i: int) -> bool:
    """Whether labels and an opening brace may follow the keyword at `i` (comments and spaces between).

    Deterministic scan, no backtracking; anything unusual (a byte outside ASCII) counts as a header.
    """
    n = len(data)
    labels = 0
    while i < n:
        c = data[i]
        if c in _SPACE:
            i += 1
        elif c == 0x23 or (c == 0x2F and data[i + 1 : i + 2] == b"/"):  # `#` or `//` comment
            j = data.find(b"\n", i)
            i = n if j < 0 else j + 1
        elif c == 0x2F and data[i + 1 : i + 2] == b"*":  # `/* */` comment
            j = data.find(b"*/", i + 2)
            if j < 0:
                return False  # an unclosed comment runs to the end of the file: no block follows
            i = j + 2
        elif c == 0x7B:  # `{`
            return labels > 0
        elif c == 0x22:  # a quoted label; escapes do not end it
            i += 1
            while i < n and data[i] != 0x22:
                i += 2 if data[i] == 0x5C else 1
            i += 1
            labels += 1
        elif c in _NAME:
            while i < n and data[i] in _NAME:
                i += 1
            labels += 1
        else:
            return c >= 0x80  # a Unicode space or name character: not sure
    return False


class TypeNames:
    """A fast, word-bounded search for any of a set of names (resource types), grouped by provider prefix.

    One regex alternation of ~180 names costs seconds on a large repository (no literal prefix to search
    for); a substring test per provider prefix first, then one regex per prefix that starts with it, is
    about ten times faster. When the rest of each name after its prefix is made of name characters (always, for
    Terraform types), nothing is compiled: at each occurrence of the prefix, the run of name characters after
    it is looked up in the set of rests (`_held`; the regex `prefix(?:rest|...)(?![\\w-])` matches there exactly
    when that run is one of them). Compiling a prefix's alternation cost each process up to ~1.3 ms (`aws_`,
    `alicloud_`), paid by a one-file run too. Other names (CloudFormation's `AWS::...`) get a prefix's regex, compiled
    when a text first holds the prefix. Once `LINEAR_AFTER` bytes were searched so, all names become one RE2
    pattern (a DFA, no backtracking: one pass per text), with the same answers.
    """

    def __init__(self, names: Iterable[str]) -> None:
        groups: dict[bytes, list[bytes]] = {}
        for name in sorted(set(names)):
            raw = name.encode("utf-8")
            prefix, sep, rest = raw.partition(b"_")
            groups.setdefault(prefix + sep, []).append(rest)
        self._groups: list[tuple[bytes, list[bytes]]] = sorted(groups.items())
        # prefix -> its rests, when each is a run of name characters and the prefix is not empty (`_held`)
        self._runs: dict[bytes, frozenset[bytes]] = {
            prefix: frozenset(rests) for prefix, rests in self._groups if prefix and all(_is_run(r) for r in rests)}
        self._compiled: dict[bytes, re.Pattern[bytes]] = {}
        self._searched = 0  # bytes searched by prefix so far
        self._decided = False  # whether the one-pattern search was tried (`LINEAR_AFTER`)
        self._linear: Any = None  # its `search`; None before, or when RE2 refused it

    def _regex(self, prefix: bytes, rests: list[bytes]) -> re.Pattern[bytes]:
        rx = self._compiled.get(prefix)
        if rx is None:
            alternatives = b"|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
            rx = self._compiled[prefix] = re.compile(re.escape(prefix) + rb"(?:" + alternatives + rb")(?![\w-])")
        return rx

    def search(self, data: bytes) -> bool:
        """Whether some name occurs in `data` and is not followed by a name character."""
        if not self._decided:
            self._searched += len(data)
            if self._searched > LINEAR_AFTER and self._groups:
                self._decided = True
                self._linear = _linear_search(self._groups)
        if self._linear is not None:
            return self._linear(data) is not None
        return any(self._held(prefix, rests, data) for prefix, rests in self._groups)

    def _held(self, prefix: bytes, rests: list[bytes], data: bytes) -> bool:
        """Whether `prefix` followed by one of `rests` and then no name character occurs in `data`."""
        runs = self._runs.get(prefix)
        if runs is None:
            return prefix in data and self._regex(prefix, rests).search(data) is not None
        start, looked = data.find(prefix), 0
        while start >= 0:
            if _NAME_RUN.match(data, start + len(prefix)).group() in runs:  # type: ignore[union-attr]
                return True
            looked += 1
            if looked == LOOKUPS:  # a text full of the prefix: the rest by the prefix's regex, compiled once
                return self._regex(prefix, rests).search(data, start + 1) is not None
            start = data.find(prefix, start + 1)
        return False


_NAME_RUN = lazy.regex(rb"[\w-]*")  # the class of the regexes' `(?![\w-])`: ASCII letters, digits, `_`, `-`
# occurrences of a prefix in one text looked up one by one (~1 us each) before its regex (compiled once per process,
# ~0.2-1.3 ms, then ~0.2 us an occurrence) searches the rest: a text holding `aws_` thousands of times stays fast
LOOKUPS = 512


def _is_run(rest: bytes) -> bool:
    return all(c in _NAME for c in rest)


# bytes searched by prefix before the names are compiled into one RE2 pattern (google-re2, a DFA: one pass over
# a text for all ~180 names, ~4x faster than a substring test per prefix on a large tree; perf corpus, -j 1: the
# 4,719 texts `names_any` gets, 10.8 MB, 0.24 -> 0.06 s); a small run (one file) never imports RE2 for it
LINEAR_AFTER = 256 * 1024


def _linear_search(groups: list[tuple[bytes, list[bytes]]]) -> Any:
    """The `search` of the names of `groups` as one RE2 pattern over bytes (Latin-1: a byte is a character, as in
    a bytes regex), each followed by a byte that is no name character or by the end; None when RE2 refuses it
    (the search by prefix stays)."""
    import re2  # google-re2

    names = sorted((prefix + rest for prefix, rests in groups for rest in rests), key=len, reverse=True)
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    try:
        return re2.compile(b"(?:" + b"|".join(re2.escape(n) for n in names) + rb")(?:[^\w-]|\z)", options).search
    except re2.error:
        return None


_TYPE_NAMES: dict[frozenset[str], TypeNames] = {}


def type_names(names: frozenset[str]) -> TypeNames:
    """The compiled search for a set of names (memoised: the set is the same for a whole scan)."""
    hit = _TYPE_NAMES.get(names)
    if hit is None:
        hit = _TYPE_NAMES[names] = TypeNames(names)
    return hit


def names_any(data: bytes, names: frozenset[str]) -> bool:
    """True unless the text certainly names none of `names` (an escape anywhere means: not sure)."""
    return _escape(data) or type_names(names).search(data)


def _escape(data: bytes) -> bool:
    """Whether the text holds a `\\u` or `\\U` escape (or what looks like one).

    `bytes.find`, not `in`: CPython 3.11's `bytes.__contains__` first tries its argument as an integer and
    builds (then clears) a TypeError, ~1,850 instructions per test, on every file of a scan. The backslash is
    looked for first (`holds`): most texts hold none."""
    return data.find(b"\\") >= 0 and (data.find(b"\\u") >= 0 or data.find(b"\\U") >= 0)


def holds(data: bytes, token: bytes) -> bool:
    """`data.find(token) >= 0` for a token of two bytes or more, its first byte looked for first.

    Why: a one-byte find is a `memchr`, ~6x cheaper per byte than CPython's search for a longer token, and the
    tokens the per-file checks look for (`<<`, `/*`, `${`, `%{`...) start with a byte most texts hold nowhere
    (perf corpus, cold `-j 1`: these finds scanned every text several times over)."""
    return data.find(token[:1]) >= 0 and data.find(token) >= 0


# ---------------------------------------------------------------------------------------------
# a lexical check of HCL: strings, heredocs, comments and brackets close, in order

# compiled on first use (`lazy.regex`): a run whose files all pass the quick checks never needs them
# comments; quoted strings with valid escapes and interpolations that hold no quote or brace; heredocs.
# A run of plain string characters is taken whole and never given back: the same matches, as no other token of a
# string (nor its closing quote) starts with such a character, without one loop turn and backtracking point per
# character (perf corpus, -j 1: the 4,356 texts `lexical_doubt` gets, 10 MB, 0.16-0.19 -> 0.09-0.11 s). Python
# 3.11 has possessive repeats (`++`); 3.10 takes the run as an atomic group, `(?=(run))\1`. (The string's loop
# must stay backtracking: giving back `$${` lets `$` be read alone and `${...}` after it.)
_RUN_ATOMIC = rb'(?=(?P<run>[^"\\\n$%]+))(?P=run)'
_RUN_POSSESSIVE = rb'[^"\\\n$%]++'
_SKIP_PARTS = (rb"""
  \#[^\n]* | //[^\n]* | /\*.*?\*/
| "(?:""", rb"""|\\[nrt"\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\$\$\{|%%\{|[$%](?!\{)|[$%]\{[^{}"\n]*\})""", rb""""
| <<-?(?P<tag>[A-Za-z_][\w-]*)[ \t]*\r?\n(?:.*?\n)??[ \t]*(?P=tag)[ \t]*\r?(?=\n|\Z)
""")


def skip_pattern(possessive: bool) -> bytes:
    """`_SKIP`'s pattern: with possessive repeats (Python 3.11+), or the atomic-group spelling 3.10 reads."""
    head, mid, tail = _SKIP_PARTS
    return head + (_RUN_POSSESSIVE if possessive else _RUN_ATOMIC) + mid + b"*" + tail


_SKIP = lazy.regex(skip_pattern(sys.version_info >= (3, 11)), re.X | re.S)


def left_over(rest: bytes) -> bool:
    """Whether `rest` (a text with its comments, quoted strings and heredocs removed or masked) holds a `"`,
    `<<`, `/*`, `${` or `%{`: something the lexical pass could not consume."""
    return (rest.find(b'"') >= 0 or holds(rest, b"<<") or holds(rest, b"/*") or holds(rest, b"${")
            or holds(rest, b"%{"))


_NOT_BRACKET = bytes(b for b in range(256) if b not in b"{}[]()")
_CONFLICT = lazy.regex(rb"(?m)^(?:<{7}|={7}|>{7})(?:[ \t]|\r?$)")


def conflict_marks(data: bytes) -> bool:
    """Whether a merge conflict marker stands at a line start (`bytes.find` first: see `_escape`)."""
    return (holds(data, b"<<<<<<<") or data.find(b"=======") >= 0 or holds(data, b">>>>>>>")) and \
        _CONFLICT.search(data) is not None


def lexical_doubt(data: bytes) -> bool:
    """True when the text may not be well-formed HCL as far as its tokens show; False when it certainly is.

    Comments, quoted strings and heredocs are removed by one regex pass; what the pass cannot consume (an
    unclosed string, heredoc or comment, a newline or an unknown escape in a quoted string, an
    interpolation holding quotes or braces) stays behind and counts as a doubt, and so does a merge
    conflict marker at a line start or brackets that do not close in order. Not a validator: a file
    without doubt may still have grammar errors (`x = ` with no value, `} junk`, a line of bare words, an
    argument set twice); those are not looked for here.
    """
    if type(data) is not bytes:
        return _lexical_doubt(data)
    known = _DOUBTS.get(data)  # (see `_MODULES`)
    return kept(_DOUBTS, data, _lexical_doubt(data)) if known is None else known


def _lexical_doubt(data: bytes) -> bool:
    if conflict_marks(data):
        return True
    return _rest_doubt(_SKIP.sub(b"", data))


def _rest_doubt(rest: bytes) -> bool:
    """`_lexical_doubt` of a text without conflict markers, given what its `_SKIP` pass leaves."""
    return left_over(rest) or not balanced(rest)


def known_doubt(data: bytes, conflict: bool, rest: bytes) -> None:
    """Remember `lexical_doubt(data)` from a `_SKIP` pass made elsewhere (`calltext.guess_calls`, which masks the
    same matches): `conflict` is `conflict_marks(data)`, `rest` the text between the pass's matches. Root
    detection guesses the calls of a file before the quick checks ask its doubt (perf corpus: 281 texts, 1.4 MB
    of the 10 MB the lexical check reads)."""
    if type(data) is bytes and data not in _DOUBTS:
        kept(_DOUBTS, data, conflict or _rest_doubt(rest))


def balanced(code: bytes) -> bool:
    """Every bracket of `code` (comments and strings removed or masked) closes in the order it opened."""
    brackets = code.translate(None, _NOT_BRACKET)
    while brackets:
        inner = brackets.replace(b"{}", b"").replace(b"[]", b"").replace(b"()", b"")
        if inner == brackets:
            return False
        brackets = inner
    return True


def _blank(m: re.Match[bytes]) -> bytes:
    """A comment becomes a space, a quoted string `""`; a heredoc is kept (its text may look like code)."""
    t = m.group()
    return b'""' if t[:1] == b'"' else t if t[:1] == b"<" else b" "


# ---------------------------------------------------------------------------------------------
# the same check with quoted strings read as templates (`template_doubt`)

_CODE_RUN = lazy.regex(rb'[^"#/<{}\[\]()$%\n]+')  # code bytes that start nothing
_TOP_RUN = lazy.regex(rb'[^"#/<{}\[\]()$%]+')  # the same outside interpolations, where a line break is space
_STRING_RUN = lazy.regex(rb'[^"\\\n$%]+')  # string bytes that start nothing
# the bytes that start something (each run above starts with any other byte, so its match cannot fail)
_CODE_STARTS = frozenset(b'"#/<{}[]()$%\n')
_TOP_STARTS = frozenset(b'"#/<{}[]()$%')
_STRING_STARTS = frozenset(b'"\\\n$%')
_ESCAPE = lazy.regex(rb'\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})')
_HEREDOC = lazy.regex(rb"<<-?([A-Za-z_][\w-]*)[ \t]*\r?\n(?:.*?\n)??[ \t]*\1[ \t]*\r?(?=\n|\Z)", re.S)
_CLOSE = {0x7B: 0x7D, 0x5B: 0x5D, 0x28: 0x29}
_INTERPOLATION = -1  # on the bracket stack: the `}` that ends an interpolation and goes back into its string


def template_doubt(data: bytes) -> bool:
    """`lexical_doubt` with quoted strings read as templates: an interpolation (`${...}`, `%{...}`) may hold
    brackets, quoted strings and templates of its own (`"${lookup(m, "k", "")}-x"`), which one regex cannot
    match; the pass of `lexical_doubt` leaves them behind as a doubt. Everything else is as strict: escapes,
    a newline in a string, comments, heredocs (taken whole, as `lexical_doubt` takes them), brackets closing
    in order (inside interpolations too), conflict markers; and, inside an interpolation, a newline, a
    comment or a heredoc is a doubt. Asked only when `lexical_doubt` has one (perf corpus: 37 texts, 0.76 MB,
    all without a syntax error, were parsed only to find none)."""
    return _templates(data, None)


def template_spans(data: bytes) -> list[tuple[int, int, int]] | None:
    """The (start, end, kind) of each top-level quoted string (kind `STRING`, its templates inside), comment
    (`COMMENT`) and heredoc (`HEREDOC`) of `data`, in order, when `template_doubt` has no doubt; else None."""
    spans: list[tuple[int, int, int]] = []
    return None if _templates(data, spans) else spans


STRING, COMMENT, HEREDOC = 0, 1, 2


def _templates(data: bytes, spans: list[tuple[int, int, int]] | None) -> bool:
    """`template_doubt`; the spans of `template_spans` appended to `spans` when given."""
    if conflict_marks(data):
        return True
    n = len(data)
    start = 0  # where the top-level string being read started
    i = 0
    stack: list[int] = []  # closing bytes expected, and `_INTERPOLATION` marks
    interpolations = 0  # marks on the stack
    in_string = False
    # A run of bytes that start nothing is taken by one regex match, and a match is tried only at such a byte (a
    # failed `match` costs as much as a short run): the corpus texts that come here are long (perf corpus, cold
    # `-j 1`: 71 texts, 1.1 MB, 130,000 turns of this loop, ~470 M instructions before)
    code_run, top_run, string_run = _CODE_RUN.match, _TOP_RUN.match, _STRING_RUN.match
    while i < n:
        c = data[i]
        if in_string:
            if c not in _STRING_STARTS:
                i = string_run(data, i).end()
                continue
            if c == 0x22:  # the closing quote
                in_string = False
                i += 1
                if spans is not None and not interpolations:
                    spans.append((start, i, STRING))
            elif c == 0x5C:  # an escape
                m = _ESCAPE.match(data, i)
                if m is None:
                    return True
                i = m.end()
            elif c == 0x0A:
                return True  # a newline in a quoted string
            elif data[i + 1 : i + 2] == b"{":  # `${` or `%{`: code until its `}`
                stack.append(_INTERPOLATION)
                interpolations += 1
                in_string = False
                i += 2
            elif data[i + 1 : i + 3] == bytes((c, 0x7B)):  # `$${`, `%%{`: text
                i += 3
            else:
                i += 1  # a lone `$` or `%`
            continue
        if interpolations:
            if c not in _CODE_STARTS:
                i = code_run(data, i).end()
                continue
        elif c not in _TOP_STARTS:
            i = top_run(data, i).end()
            continue
        if c == 0x22:
            in_string = True
            start = i if not interpolations else start
            i += 1
        elif c in _CLOSE:
            stack.append(_CLOSE[c])
            i += 1
        elif c in (0x7D, 0x5D, 0x29):  # `}`, `]`, `)`
            if not stack:
                return True
            top = stack.pop()
            if top == _INTERPOLATION and c == 0x7D:
                interpolations -= 1
                in_string = True
            elif top != c:
                return True
            i += 1
        elif c == 0x0A:
            if interpolations:
                return True
            i += 1
        elif c == 0x23 or data[i : i + 2] == b"//":  # a line comment
            if interpolations:
                return True
            j = data.find(b"\n", i)
            if spans is not None:
                spans.append((i, n if j < 0 else j, COMMENT))
            i = n if j < 0 else j
        elif data[i : i + 2] == b"/*":
            j = data.find(b"*/", i + 2)
            if interpolations or j < 0:
                return True
            if spans is not None:
                spans.append((i, j + 2, COMMENT))
            i = j + 2
        elif data[i : i + 2] == b"<<":
            m = _HEREDOC.match(data, i)
            if interpolations or m is None:
                return True
            if spans is not None:
                spans.append((i, m.end(), HEREDOC))
            i = m.end()
        elif c in (0x24, 0x25) and data[i + 1 : i + 2] == b"{":
            return True  # `${` or `%{` outside a string
        else:
            i += 1  # a lone `/`, `<`, `$` or `%`
    return in_string or bool(stack)
