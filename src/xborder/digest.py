"""SHA-256 hex digests, without OpenSSL while a run has hashed little.

`import hashlib` initialises OpenSSL (about 12 M instructions, a few ms: a tenth of the instructions of
a run that names one small file, which hashes about 170 KB in all). The interpreter's own SHA-256 module
(`_sha2`, `_sha256` before 3.12) starts at once but is several times slower per byte; it hashes the
first `BUDGET` bytes of a run, OpenSSL the rest (a warm scan of a big tree hashes megabytes). The digests
are the same either way: SHA-256 is SHA-256.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_small: Callable[[bytes], Any] | None
try:
    from _sha2 import sha256 as _small  # type: ignore[import-not-found,no-redef,unused-ignore]  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256 as _small  # type: ignore[import-not-found,no-redef,unused-ignore]  # 3.11-
    except ImportError:  # an interpreter built without it
        _small = None

BUDGET = 256 * 1024  # bytes hashed without OpenSSL, per process
_left = BUDGET


def sha256(data: bytes) -> str:
    """The hex SHA-256 digest of `data`."""
    global _left
    if _small is not None and len(data) <= _left:
        _left -= len(data)
        return _small(data).hexdigest()  # type: ignore[no-any-return]
    import hashlib

    return hashlib.sha256(data).hexdigest()


def sha256_parts(parts: Iterable[bytes]) -> str:
    """The digest of the parts one after the other (what `update()` with each part gives), counted whole."""
    return sha256(b"".join(parts))


def sha256_texts(texts: Iterable[str]) -> str:
    """The digest of texts, each followed by a NUL (names from the file system may hold undecodable bytes:
    `surrogateescape`): the form of every key and folder digest xborder takes."""
    return sha256_parts(text.encode("utf-8", "surrogateescape") + b"\0" for text in texts)
