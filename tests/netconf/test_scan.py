"""A whole scan of device configs with a site inventory: the right rules fire on the right lines."""

from __future__ import annotations

import shutil
from pathlib import Path

from xborder.context import Options
from xborder.scan import ScanRequest, run_scan

DATA = Path(__file__).parent / "data"


def test_scan_with_site_inventory(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(DATA / "config" / "network", root / "network")
    shutil.copy(DATA / "wireguard" / "wg0.conf", root / "network" / "sha-1" / "wg0.conf")
    shutil.copy(DATA / "negative" / "nginx.conf", root / "nginx.conf")
    (root / ".xborder.yaml").write_text(
        "sites:\n"
        "  - name: shanghai-dc\n    country: CN\n    paths: [\"network/sha-*/**\"]\n"
        "  - name: hong-kong\n    country: HK\n    paths: [network/hk-1/ipsec.conf]\n"
    )
    result = run_scan(ScanRequest(paths=[root], root=root, options=Options()))
    got = sorted((f.rule_id, f.location.path, f.location.start_line) for f in result.findings)
    # Shanghai -> Beijing (both mainland) and Hong Kong -> Taipei (both offshore): nothing.
    # The Shanghai WireGuard box: Hong Kong and the IPv6 peer cross; the host-name peer cannot be decided.
    assert ("XB101", "network/sha-1/wg0.conf", 8) in got
    assert ("XB101", "network/sha-1/wg0.conf", 13) in got
    assert any(r != "XB101" and p == "network/sha-1/wg0.conf" and line == 25 for r, p, line in got)
    assert not any(p.endswith("ipsec.conf") for _, p, _ in got)
    assert not any(e.path == "nginx.conf" for e in result.errors)
    hostname = next(f for f in result.findings if f.location.start_line == 25)
    assert any("host names are not resolved" in e for e in hostname.evidence)
    device = next(f for f in result.findings if f.location.start_line == 8)
    assert any("site inventory: shanghai-dc (CN, .xborder.yaml)" in e for e in device.evidence)
