"""Constructs read as the real tools read them (checked against their sources), never as a guess.

- strongSwan `also=` inside `conn %default`: strongSwan 5.2+ (src/starter/parser/conf_parser.c, resolve_also:
  %default gets an empty parent list before any section is resolved, so its own also= is never followed) and
  Libreswan (confread.c loads conn %default without also= processing) ignore it. xborder ignored it too, but
  silently; it is now a note naming the conn it would have pulled in.
- netplan YAML merge keys (`<<: *base`): netplan reads YAML with libyaml's document loader, which keeps `<<`
  as an ordinary key, and its parser (src/parse.c process_mapping) refuses a key it has no handler for
  ("unknown key '<<'"): the file is refused. xborder read the tunnel without the merged keys (a tunnel without
  `remote` became a note, "a responder"); it is now an error at the key (exit 2).
"""

from __future__ import annotations

from pathlib import Path

from .conftest import scan_json

DEFAULT_ALSO = (
    "conn %default\n\talso=hk\n\tkeyexchange=ikev2\n\n"
    "conn hk\n\tright=203.186.1.1\n\tauto=ignore\n\n"
    "conn office\n\tleft=58.247.0.10\n\tauto=start\n"
)


def test_also_in_conn_default_is_ignored_as_strongswan_ignores_it_and_said(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "ipsec.conf").write_text(DEFAULT_ALSO)
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)
    # conn office takes nothing from hk: its right= is strongSwan's default %any (an unknown end), not Hong Kong
    [f] = run.doc["findings"]
    assert f["rule_id"] == "XB102" and "203.186.1.1" not in f["message"], f
    notes = [n for n in run.doc["notes"] if "in conn %default is ignored" in n]
    assert notes and notes[0].startswith("ipsec.conf:2: also=hk in conn %default is ignored"), run.doc["notes"]


def test_also_in_a_conn_still_applies(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "ipsec.conf").write_text(DEFAULT_ALSO.replace("\talso=hk\n", "").replace("auto=start", "auto=start\n\talso=hk"))
    run = scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)
    assert run.rules == ["XB101"] and not any("%default is ignored" in n for n in run.doc["notes"])


NETPLAN_MERGE = (
    "network:\n  version: 2\n  tunnels:\n"
    "    base: &base\n      mode: gre\n      local: 58.247.0.10\n      remote: 203.186.1.1\n"
    "    hk:\n      <<: *base\n      ttl: 64\n"
)


def _netplan(tmp_path: Path, text: str):  # noqa: ANN202
    (tmp_path / ".git").mkdir()
    (tmp_path / "etc" / "netplan").mkdir(parents=True)
    (tmp_path / "etc" / "netplan" / "60-t.yaml").write_text(text)
    return scan_json(".", "--no-cache", "--no-config", cwd=tmp_path)


def test_netplan_merge_key_is_an_error_as_netplan_refuses_it(tmp_path: Path) -> None:
    run = _netplan(tmp_path, NETPLAN_MERGE)
    assert run.rc == 2
    errors = [(e["path"], e["line"]) for e in run.doc["errors"] if "unknown key '<<'" in e["message"]]
    assert errors == [("etc/netplan/60-t.yaml", 9)], run.doc["errors"]


def test_netplan_merge_key_in_a_peer_is_an_error(tmp_path: Path) -> None:
    text = ("network:\n  version: 2\n  tunnels:\n    wg0:\n      mode: wireguard\n      key: aaaa\n      peers:\n"
            "        - <<: {endpoint: 8.8.8.8:51820}\n          keys: {public: bbbb}\n          allowed-ips: [10.0.0.0/8]\n")
    run = _netplan(tmp_path, text)
    assert [e["line"] for e in run.doc["errors"] if "unknown key '<<'" in e["message"]] == [8], run.doc["errors"]


def test_netplan_anchors_without_merge_keys_are_read(tmp_path: Path) -> None:
    """An alias is the same node for libyaml and netplan (only `<<` is refused)."""
    text = ("network:\n  version: 2\n  tunnels:\n    hk:\n      mode: gre\n      local: &me 58.247.0.10\n"
            "      remote: 203.186.1.1\n    hk2:\n      mode: gre\n      local: *me\n      remote: 203.186.1.2\n")
    run = _netplan(tmp_path, text)
    assert run.doc["errors"] == [] and run.rules == ["XB101", "XB101"]
