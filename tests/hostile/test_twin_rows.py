"""A twin (another allowed value deploying the same link with other ends and the same verdict) has its own
inventory row, right after its link's row, in every format.

Before: a template whose `Peer` allows Taiwan beside the Hong Kong Default had one inventory row (Hong Kong); the
Taiwan deployment was only a note of it, with no place in the map, the suppliers view or the tables' ends. Now the
twin is a row of its own: its world, its ends, its suppliers, the host's verdict and approvals, `twin_of` (JSON,
CSV's last column) naming the host row, and as id the fingerprint an approval pinned by fingerprint must name.
The host row is unchanged, and twins are not counted among the links (a separate count says how many there are).
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import jsonschema

from .conftest import xborder
from .test_world_approvals import HK, MAINLAND, TW, _cfn, _pinned, _scan, _the_finding


def _inventory(tmp_path: Path, fmt: str = "json") -> str:
    run = xborder("inventory", "stack", "--no-cache", "--format", fmt, cwd=tmp_path)
    assert run.rc in (0, 1), run.err
    return run.out


def _rows(tmp_path: Path) -> tuple[dict, list[dict]]:
    doc = json.loads(_inventory(tmp_path))
    return doc, [r for r in doc["links"] if r["address"] == "Vpn"]


def test_a_twin_is_a_row_after_its_link_in_json(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin_print = f["twins"][0]["fingerprint"]
    doc, rows = _rows(tmp_path)
    ids = [r["id"] for r in rows]
    host, twin = rows[ids.index(f["fingerprint"])], rows[ids.index(twin_print)]
    assert ids.index(twin_print) == ids.index(f["fingerprint"]) + 1, ids  # right after its link
    assert twin["twin_of"] == host["id"] and twin["world"] == f"parameter Peer = {TW}", twin
    assert "twin_of" not in host and "world" not in host, host
    assert [e["place"] for e in twin["ends"]][1].startswith(TW) and [e["place"] for e in host["ends"]][1].startswith(HK)
    assert twin["verdict"] == host["verdict"] == "XB101" and twin["class"] == "unapproved crossing"
    assert twin["findings"] == [{"rule_id": "XB101", "severity": "high", "fingerprint": twin_print, "suppressed": False}]
    assert doc["summary"]["links"] == 2 and doc["summary"]["twins"] == 1, doc["summary"]  # the domestic world, HK
    assert doc["summary"]["by_class"]["unapproved crossing"] == 1 and doc["summary"]["by_kind"] == {"vpn": 2}
    (aws,) = doc["suppliers"]
    assert aws["crossing_links"] == [f["fingerprint"]] and aws["twin_links"] == [twin_print], aws
    schema = json.loads(resources.files("xborder").joinpath("schemas/inventory.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)


def test_the_twin_row_in_table_markdown_csv_and_mermaid(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin_print = f["twins"][0]["fingerprint"]
    table = _inventory(tmp_path, "table")
    assert f"  + twin: parameter Peer = {TW}" in table and f"{TW} (TW) [" in table, table
    assert "2 links: 1 unapproved crossing, 1 domestic; 1 other deployment of them (twins" in table, table
    markdown = _inventory(tmp_path, "markdown")
    assert f"| `{twin_print[:12]}` | `stack/vpn.yaml:" in markdown and "| + twin of Vpn | vpn |" in markdown, markdown
    rows = list(csv.DictReader(io.StringIO(_inventory(tmp_path, "csv").lstrip("\ufeff"))))
    assert list(rows[0])[-1] == "twin_of"
    (twin,) = [r for r in rows if r["id"] == twin_print]
    assert twin["twin_of"] == f["fingerprint"] and twin["b_place"].startswith(TW), twin
    assert all(r["twin_of"] == "" for r in rows if r["id"] != twin_print)
    mermaid = _inventory(tmp_path, "mermaid")
    assert f'vpn (twin, parameter Peer = {TW})' in mermaid and f'"{TW} (TW)"' in mermaid, mermaid


def test_the_twin_row_is_approved_only_with_its_link(tmp_path: Path) -> None:
    _cfn(tmp_path, HK, [HK, TW, MAINLAND])
    f = _the_finding(_scan(tmp_path))
    twin_print = f["twins"][0]["fingerprint"]
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"]))
    _, rows = _rows(tmp_path)
    assert {r["class"] for r in rows if r["id"] in (f["fingerprint"], twin_print)} == {"unapproved crossing"}
    _cfn(tmp_path, HK, [HK, TW, MAINLAND], _pinned(f["fingerprint"], twin_print))
    _, rows = _rows(tmp_path)
    twin = next(r for r in rows if r["id"] == twin_print)
    assert twin["class"] == "approved crossing" and twin["covers"] and twin["findings"][0]["suppressed"] is True, twin


def test_no_twin_no_new_row_or_key(tmp_path: Path) -> None:
    """Negative twin: values with the same ends (or no other value) add no row, and no `twins`/`twin_links` key."""
    _cfn(tmp_path, HK, [HK, MAINLAND])
    doc, rows = _rows(tmp_path)
    assert len(rows) == 2 and not any("twin_of" in r for r in rows), rows
    assert "twins" not in doc["summary"] and all("twin_links" not in s for s in doc["suppliers"])
    assert "twin" not in _inventory(tmp_path, "table")
