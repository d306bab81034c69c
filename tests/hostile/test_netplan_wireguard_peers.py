"""A netplan WireGuard peer without `endpoint` is read as the same peer in a wg-quick file is.

Before: netplan's peer without endpoint was only a note ("a responder"): a peer routing a network (another
site, connecting from wherever it is) gave no finding and exit 0, where the same peer in `wg0.conf` is an
unknown end (XB102); clients with host routes (a remote-access service hosted in the mainland) gave nothing
where `wg0.conf` gives XB103.
"""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_json

NETPLAN = (
    "network:\n  version: 2\n  tunnels:\n    wg0:\n      mode: wireguard\n      port: 51820\n      key: aaaa\n"
    "      peers:\n{peers}"
)
SITE_PEER = "        - keys: {{public: bbbb}}\n          allowed-ips: [{ips}]\n"
ENDPOINT_PEER = "        - keys: {public: cccc}\n          allowed-ips: [10.2.0.0/16]\n          endpoint: 8.8.8.8:51820\n"
INVENTORY = 'sites:\n  - name: dc\n    country: {country}\n    paths: ["etc/netplan/**"]\n'


def _scan(tmp_path: Path, peers: str, country: str):  # noqa: ANN202
    (tmp_path / ".git").mkdir()
    (tmp_path / "etc" / "netplan").mkdir(parents=True)
    (tmp_path / "etc" / "netplan" / "60-wg.yaml").write_text(NETPLAN.format(peers=peers))
    (tmp_path / ".xborder.yaml").write_text(INVENTORY.format(country=country))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def test_site_peer_without_endpoint_is_an_unknown_end(tmp_path: Path) -> None:
    run = _scan(tmp_path, SITE_PEER.format(ips="10.1.0.0/16"), "HK")
    [f] = run.doc["findings"]
    assert f["rule_id"] == "XB102" and "10.1.0.0/16" in f["message"], f


def test_client_peers_without_endpoint_are_a_remote_access_service(tmp_path: Path) -> None:
    peers = SITE_PEER.format(ips="10.0.0.2/32") + SITE_PEER.format(ips="10.0.0.3/32")
    assert _scan(tmp_path, peers, "CN").rules == ["XB103"]


def test_client_peers_offshore_stay_quiet(tmp_path: Path) -> None:
    assert _scan(tmp_path, SITE_PEER.format(ips="10.0.0.2/32"), "HK").rules == []


def test_peer_with_endpoint_is_read_as_before(tmp_path: Path) -> None:
    assert _scan(tmp_path, ENDPOINT_PEER, "CN").rules == ["XB101"]


def test_peer_endpoint_ipv6_without_brackets_is_split_at_the_last_colon(tmp_path: Path) -> None:
    """netplan (parse.c handle_wireguard_endpoint) splits at the last colon, as wg(8): before, an error."""
    peer = ENDPOINT_PEER.replace("8.8.8.8:51820", "2001:4860:4860::8844:51820")
    run = _scan(tmp_path, peer, "CN")
    assert run.rules == ["XB101"] and "2001:4860:4860::8844" in run.doc["findings"][0]["message"]
