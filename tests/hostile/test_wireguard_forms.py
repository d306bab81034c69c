"""WireGuard configs as wg(8) reads them: a peer is never dropped or miscounted because of how it is written.

Each positive case was silent or wrong before its fix:
- `AllowedIPs` on several lines adds to the peer's list (wg(8)); only the last line was kept, so a site peer
  whose last line is a host route became a "client" and the file a remote-access service: with the device in
  an offshore site (or no site at all) that is no finding, and the site-to-site peer (XB102) was gone;
- `[ Peer ]` / `[ Interface ]` with blanks inside the brackets (wg(8) drops every blank): a file without an
  exact `[Interface]`/`[Peer]` header was not detected at all (0 findings, nothing said).
"""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_json

INVENTORY = "sites:\n  - name: {name}\n    country: {country}\n    paths: [\"**/wg0*\"]\n"


def _scan(tmp_path: Path, text: str, name: str = "wg0.conf", country: str | None = None):  # noqa: ANN202
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(text)
    args = ["--no-cache"]
    if country:
        (tmp_path / ".xborder.yaml").write_text(INVENTORY.format(name="dc", country=country))
    else:
        args.append("--no-config")
    return scan_json(".", *args, cwd=tmp_path)


SITE_THEN_HOST = (
    "[Interface]\nPrivateKey = aaaa\nListenPort = 51820\n\n"
    "[Peer]\nPublicKey = bbbb\nAllowedIPs = 10.1.0.0/16\nAllowedIPs = 10.9.9.9/32\n"
)


def test_allowed_ips_on_several_lines_keep_the_site_peer(tmp_path: Path) -> None:
    run = _scan(tmp_path, SITE_THEN_HOST, country="HK")
    assert run.doc["errors"] == []
    [f] = run.doc["findings"]
    assert f["rule_id"] == "XB102" and "10.1.0.0/16" in f["message"], f


def test_allowed_ips_of_hosts_only_on_several_lines_stay_clients(tmp_path: Path) -> None:
    text = "[Interface]\nPrivateKey = aaaa\nListenPort = 51820\n[Peer]\nPublicKey = b\nAllowedIPs = 10.9.9.8/32\nAllowedIPs = 10.9.9.9/32\n"
    run = _scan(tmp_path, text, country="CN")
    assert run.rules == ["XB103"], run.doc


def test_blanks_inside_section_brackets_are_detected(tmp_path: Path) -> None:
    text = "[ Interface ]\nPrivateKey = aaaa\n\n[ Peer ]\nPublicKey = bbbb\nEndpoint = 8.8.8.8:51820\nAllowedIPs = 10.1.0.0/16\n"
    run = _scan(tmp_path, text, name="wg0", country="CN")
    assert run.doc["errors"] == [] and run.rules == ["XB101"], run.doc


def test_blanks_inside_brackets_to_the_mainland_stay_quiet(tmp_path: Path) -> None:
    text = "[ Peer ]\nPublicKey = bbbb\nEndpoint = 58.247.0.20:51820\nAllowedIPs = 10.1.0.0/16\n"
    run = _scan(tmp_path, text, name="wg0", country="CN")
    assert run.doc["errors"] == [] and run.rules == [] and run.doc["summary"]["inputs_read"] == 1, run.doc


def test_malformed_endpoint_is_still_an_error(tmp_path: Path) -> None:
    text = "[Interface]\nPrivateKey = aaaa\n[Peer]\nPublicKey = bbbb\nEndpoint = 2001:db8::1\nAllowedIPs = ::/0\n"
    run = _scan(tmp_path, text, country="CN")
    assert run.rc == 2 and "Endpoint" in run.doc["errors"][0]["message"], run.doc
