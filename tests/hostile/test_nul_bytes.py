"""A device config with a few stray NUL bytes is an error, never skipped as a binary file without a word.

Before: one NUL in a comment (`# hk office\\0`) made `wg0.conf` "a binary file": not read, nothing said, exit 0,
while wg(8) drops what follows the NUL on its line and builds the tunnel. Files with NULs are still not read
as configs (UTF-16 without a byte-order mark, binaries: NULs too dense), but a config apart from a few NULs
is now an error naming the format and the line of the first NUL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CONN, scan_json

WG = "[Interface]\nPrivateKey = aaaa\n\n[Peer]\nPublicKey = bbbb\nEndpoint = 8.8.8.8:51820\nAllowedIPs = 10.1.0.0/16\n"


def _scan(tmp_path: Path, name: str, data: bytes):  # noqa: ANN202
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / name).write_bytes(data)
    (tmp_path / "t" / "main.tf").write_text('resource "null_resource" "x" {}\n')  # the scan reads something else
    return scan_json("t", "--no-config", "--no-cache", cwd=tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "fmt", "line"),
    [
        ("wg0.conf", b"# hk office\0\n" + WG.encode(), "wireguard", 1),
        ("ipsec.conf", CONN.encode().replace(b"right=", b"right=\0", 1), "strongswan", 3),
    ],
    ids=["wireguard-comment", "strongswan-value"],
)
def test_config_with_stray_nul_bytes_is_an_error(tmp_path: Path, name: str, data: bytes, fmt: str, line: int) -> None:
    run = _scan(tmp_path, name, data)
    assert run.rc == 2, run.doc
    [msg] = run.errors_for(f"t/{name}")
    assert f"a {fmt} configuration with NUL bytes (the first on line {line})" in msg, msg


def test_utf16_without_a_mark_stays_quiet(tmp_path: Path) -> None:
    run = _scan(tmp_path, "wg0.conf", WG.encode("utf-16-le"))
    assert run.rc == 0 and run.doc["errors"] == [], run.doc


def test_binary_with_sparse_nuls_that_is_no_config_stays_quiet(tmp_path: Path) -> None:
    run = _scan(tmp_path, "blob", bytes(range(1, 256)) * 40 + b"\0" + b"plain words\n" * 50)
    assert run.rc == 0 and run.doc["errors"] == [], run.doc
