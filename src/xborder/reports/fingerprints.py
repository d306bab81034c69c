"""GitHub code scanning's `primaryLocationLineHash`, computed the way `github/codeql-action` does.

When `upload-sarif` finds a result without `partialFingerprints`, it computes this value from the
source file (codeql-action `src/fingerprints.ts`); uploads through the REST API get no such help, so
xborder computes it itself. The algorithm, re-implemented here:

* The file is decoded as UTF-8 (invalid bytes become U+FFFD) and read as UTF-16 code units, as
  JavaScript's `charCodeAt` does.
* Spaces and tabs are skipped everywhere; `\\r\\n` and a lone `\\r` count as `\\n`.
* Each line's hash is a polynomial rolling hash (base 37, signed 64-bit wrap-around arithmetic) of the
  first 100 kept code units starting at the line's first kept unit, looking past the end of the line
  into the following ones. The end of the input is marked by the value 65535 and followed by zeros.
* The value is the hash as unsigned lower-case hex without leading zeros, a colon, and how many times
  that hash has occurred so far in the file (1 for the first).

So a line's hash depends on the line and the text right after it (about 100 non-blank characters),
and on how often the same hash occurred earlier in the file; editing lines far away leaves it as is.
"""

from __future__ import annotations

from collections.abc import Iterator

BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, BLOCK_SIZE, 1 << 64)
_TAB = 0x09
_SPACE = 0x20
_LF = 0x0A
_CR = 0x0D
_EOF = 0xFFFF


def _code_units(data: bytes) -> Iterator[int]:
    """UTF-16 code units of `data` decoded as UTF-8, like Node's `Buffer.toString()` + `charCodeAt`."""
    text = data.decode("utf-8", errors="replace")
    for ch in text:
        cp = ord(ch)
        if cp < 0x10000:
            yield cp
        else:
            cp -= 0x10000
            yield 0xD800 + (cp >> 10)
            yield 0xDC00 + (cp & 0x3FF)


def line_hashes(data: bytes) -> dict[int, str]:
    """Return `{line number (1-based): "hash:occurrence"}` for every line of `data`.

    Lines are counted as codeql-action counts them: a line made of blanks only still counts, and an
    empty input has one line.
    """
    window = [0] * BLOCK_SIZE
    line_numbers = [-1] * BLOCK_SIZE
    value = 0  # kept in [0, 2**64): the same bits as the signed Long, read unsigned
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False
    counts: dict[str, int] = {}
    out: dict[int, str] = {}

    def output() -> None:
        hex_value = format(value, "x")
        counts[hex_value] = counts.get(hex_value, 0) + 1
        out[line_numbers[index]] = f"{hex_value}:{counts[hex_value]}"
        line_numbers[index] = -1

    def update(current: int) -> None:
        nonlocal value, index
        begin = window[index]
        window[index] = current
        value = (_MOD * value + current - _FIRST_MOD * begin) & _MASK
        index = (index + 1) % BLOCK_SIZE

    def process(current: int) -> None:
        nonlocal line_start, line_number, prev_cr
        if current in (_SPACE, _TAB) or (prev_cr and current == _LF):
            prev_cr = False
            return
        if current == _CR:
            current = _LF
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[index] != -1:
            output()
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if current == _LF:
            line_start = True
        update(current)

    for unit in _code_units(data):
        process(unit)
    process(_EOF)
    for _ in range(BLOCK_SIZE):
        if line_numbers[index] != -1:
            output()
        update(0)
    return out


def primary_location_line_hash(data: bytes, line: int) -> str:
    """The `primaryLocationLineHash` of a result whose region starts at `line` in a file holding `data`.

    codeql-action leaves the fingerprint unset when the line is past the end of the file; xborder
    always needs one, so it then uses the hash of the last line (and of line 1 when `line` < 1).
    """
    hashes = line_hashes(data)
    if line in hashes:
        return hashes[line]
    if line < 1:
        return hashes[1]
    return hashes[max(hashes)]


class LineHasher:
    """Hashes each file once and answers for any of its lines; files are read relative to `root`."""

    def __init__(self, read) -> None:  # read: Callable[[str], bytes]; returns b"" when unreadable
        self._read = read
        self._cache: dict[str, dict[int, str]] = {}

    def __call__(self, path: str, line: int) -> str:
        hashes = self._cache.get(path)
        if hashes is None:
            hashes = self._cache[path] = line_hashes(self._read(path))
        if line in hashes:
            return hashes[line]
        return hashes[1] if line < 1 else hashes[max(hashes)]
