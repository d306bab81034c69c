"""`xborder inventory`: every format read back by a real reader (csv module, JSON Schema, Mermaid's own parser),
and the inventory agreeing with the scan's findings on every fixture."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
PARSER = REPO / "tests" / "tools" / "mermaid_parse.mjs"
# Every fixture folder on its own (a partial scan judges differently) and the whole example repository.
FIXTURE_DIRS = sorted(
    {p.parent.relative_to(REPO).as_posix() for p in FIXTURES.rglob("*") if p.is_file() and p.name != ".xborder.yaml"}
    | {"fixtures"}
) + ["tests/dataflow/cases", "tests/circuits/data/tf"]  # more link kinds: data flows, circuits


def xborder(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "XBORDER_TODAY": "2026-06-01", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "xborder", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=full_env
    )


def inventory_json(*args: str, cwd: Path = REPO) -> dict:
    proc = xborder("inventory", *args, "--format", "json", cwd=cwd)
    assert proc.returncode in (0, 2), proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("xborder").joinpath("schemas/inventory.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fixtures_inventory() -> dict:
    return inventory_json("fixtures")


def mermaid_available() -> bool:
    return bool(shutil.which("node")) and (REPO / "node_modules" / "mermaid").is_dir() and (REPO / "node_modules" / "jsdom").is_dir()


def parse_mermaid(text: str) -> dict:
    """What the real Mermaid library understood of `text`; fails the test with Mermaid's message if invalid."""
    if not mermaid_available():
        message = "node with the npm packages mermaid and jsdom is needed (run `npm ci`)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI is set, so this is an error, not a skip", pytrace=False)
        pytest.skip(message)
    proc = subprocess.run(["node", str(PARSER)], input=text, capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=120)
    assert proc.returncode == 0, f"Mermaid rejected the map: {proc.stderr}\n{text}"
    return json.loads(proc.stdout)


# ----------------------------------------------------------------------------------------------------------
# JSON


def test_json_validates_against_its_schema(fixtures_inventory: dict, schema: dict) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(fixtures_inventory)
    assert fixtures_inventory["$schema"] == schema["$id"]


def test_schema_rejects_a_row_without_its_verdict(fixtures_inventory: dict, schema: dict) -> None:
    broken = json.loads(json.dumps(fixtures_inventory))
    del broken["links"][0]["verdict"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_fixtures_show_every_kind_of_row(fixtures_inventory: dict) -> None:
    classes = fixtures_inventory["summary"]["by_class"]
    # the example repository has links of every class: the map legend is not theoretical
    assert all(classes[c] > 0 for c in ("unapproved crossing", "approved crossing", "domestic", "offshore only", "unknown"))
    kinds = fixtures_inventory["summary"]["by_kind"]
    assert {"vpn", "remote-access", "circuit", "backbone"} <= set(kinds)
    ids = [row["id"] for row in fixtures_inventory["links"]]
    assert len(ids) == len(set(ids)), "row ids are unique"


def test_hong_kong_macau_taiwan_are_offshore_and_named(fixtures_inventory: dict) -> None:
    ends = [end for row in fixtures_inventory["links"] for end in row["ends"]]
    by_place = {end["place"]: end for end in ends}
    # Huawei Cloud ap-southeast-1 is Hong Kong (on AWS the same code is Singapore)
    assert by_place["Huawei Cloud ap-southeast-1 (Hong Kong)"]["side"] == "offshore"
    assert by_place["Huawei Cloud ap-southeast-1 (Hong Kong)"]["territory"] == "Hong Kong"
    assert by_place["Alibaba Cloud cn-hongkong (Hong Kong)"]["territory"] == "Hong Kong"  # cn- prefix, still offshore
    assert by_place["202.175.3.3 (MO)"]["territory"] == "Macau"
    assert by_place["168.95.1.1 (TW)"]["territory"] == "Taiwan"
    assert by_place["site hong-kong-office"]["side"] == "offshore"
    assert all(end["territory"] == "" for end in ends if end["side"] != "offshore")


def test_remote_access_and_supplier_views(fixtures_inventory: dict) -> None:
    remote = {r["address"]: r for r in fixtures_inventory["remote_access"]}
    assert remote["aws_ec2_client_vpn_endpoint.staff"]["side"] == "mainland"
    assert remote["aws_ec2_client_vpn_endpoint.staff"]["place"] == "AWS cn-north-1 (Beijing)"
    assert all(r["verdict"] == "XB103" for r in remote.values() if r["side"] == "mainland")
    suppliers = {s["name"]: s for s in fixtures_inventory["suppliers"]}
    assert suppliers["Equinix"]["licensed"] is False and "carrier" in suppliers["Equinix"]["roles"]
    assert suppliers["China Telecom"]["licensed"] is True  # "Beijing Telecom Ethernet" is an alias
    assert suppliers["China Telecom"]["crossing_links"] == []
    crossing_ids = {r["id"] for r in fixtures_inventory["links"] if r["crossing"]}
    named = {r["id"] for r in fixtures_inventory["links"] if r["crossing"] and r["carrier"]}
    assert set(fixtures_inventory["no_carrier"]) == crossing_ids - named


# ----------------------------------------------------------------------------------------------------------
# counts agree with the scan


def _agree(findings: list[dict], inv: dict) -> None:
    """Every finding is a row; every crossing row without an approval is an unsuppressed finding."""
    from xborder.policy import load_policies

    no_link = {rid for rid, info in load_policies().rules.items() if not info.link_kinds}  # XB001...
    others = {(f["rule_id"], f["fingerprint"]) for f in inv["other_findings"]}
    assert all(rid in no_link for rid, _ in others), "only rules that judge no link have findings outside the rows"
    assert {(f["rule_id"], f["fingerprint"]) for f in findings if f["rule_id"] in no_link} == others
    findings = [f for f in findings if f["rule_id"] not in no_link]
    rows = inv["links"]
    in_rows = {(f["rule_id"], f["fingerprint"]): f for row in rows for f in row["findings"]}
    for f in findings:
        assert (f["rule_id"], f["fingerprint"]) in in_rows, f"finding {f['rule_id']} {f['resource']} has no inventory row"
        assert in_rows[(f["rule_id"], f["fingerprint"])]["suppressed"] == f["suppressed"]
    assert inv["summary"]["findings"] == len(findings)
    for row in rows:
        active = [c for c in row["covers"] if c["status"] != "expired"]
        if row["crossing"] and not active:
            assert any(not f["suppressed"] for f in row["findings"]), f"crossing {row['address']} has no finding"
            assert row["class"] == "unapproved crossing"
        if row["class"] == "approved crossing":
            assert row["findings"] and all(f["suppressed"] for f in row["findings"]) and active
    assert sum(inv["summary"]["by_class"].values()) == len(rows) == inv["summary"]["links"]


def test_inventory_agrees_with_the_scan_command(fixtures_inventory: dict) -> None:
    """The whole example repository, both commands run as a user runs them."""
    scan = xborder("scan", "fixtures", "--format", "json", "--fail-on", "never")
    assert scan.returncode == 0, scan.stderr
    _agree(json.loads(scan.stdout)["findings"], fixtures_inventory)


@pytest.mark.parametrize("folder", FIXTURE_DIRS)
def test_inventory_agrees_with_scan_findings(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fixture folder scanned on its own (a partial scan judges differently), in process for speed."""
    from xborder.reports.base import ReportSettings
    from xborder.reports.inventory.json_out import to_dict
    from xborder.reports.inventory.model import build
    from xborder.reports.json_report import JsonReporter
    from xborder.scan import ScanRequest, run_scan

    monkeypatch.setenv("XBORDER_TODAY", "2026-06-01")
    result = run_scan(ScanRequest(paths=[REPO / folder], root=REPO))
    findings = json.loads(JsonReporter(REPO).render(result, ReportSettings()))["findings"]
    inv = to_dict(build(result))
    assert inv["links"] or not findings
    _agree(findings, inv)


# ----------------------------------------------------------------------------------------------------------
# CSV


def test_csv_reads_back_with_the_csv_module(fixtures_inventory: dict, tmp_path: Path) -> None:
    out = tmp_path / "inventory.csv"
    proc = xborder("inventory", "fixtures", "--format", "csv", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark, so spreadsheet software reads UTF-8"
    assert b"\r\n" in data
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    assert header[:4] == ["id", "change", "kind", "verdict"]
    assert header.count("id") == 1 and not any(row == header for row in body), "one header row"
    assert len(body) == len(fixtures_inventory["links"])
    assert all(len(row) == len(header) for row in body)
    records = [dict(zip(header, row)) for row in body]
    for rec, row in zip(records, fixtures_inventory["links"]):
        assert rec["id"] == row["id"] and rec["verdict"] == row["verdict"] and rec["file"] == row["path"]
        ends = {e["role"]: e for e in row["ends"]}
        assert rec["a_label"] == ends["a"]["label"]  # labels with commas and quotes survive quoting
        if "b" in ends:
            assert rec["b_how"] == ends["b"]["how"]
    assert any("," in rec["b_label"] for rec in records), "the fixtures exercise quoting"


def test_csv_defuses_formula_cells() -> None:
    from xborder.reports.inventory.csv_out import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@cmd") == "'@cmd"
    assert _cell("-1") == "-1" and _cell("vpn") == "vpn"


# ----------------------------------------------------------------------------------------------------------
# Mermaid, parsed by Mermaid


def test_mermaid_map_is_parsed_by_mermaid(fixtures_inventory: dict) -> None:
    proc = xborder("inventory", "fixtures", "--format", "mermaid", "--map-detail", "places")
    assert proc.returncode == 0, proc.stderr
    parsed = parse_mermaid(proc.stdout)
    assert parsed["type"].startswith("flowchart")
    subgraphs = {s["title"]: s for s in parsed["subgraphs"]}
    assert {"Mainland China", "Outside mainland China", "Unknown", "Hong Kong", "Macau", "Taiwan"} <= set(subgraphs)
    offshore = subgraphs["Outside mainland China"]
    for territory in ("Hong Kong", "Macau", "Taiwan"):
        assert subgraphs[territory]["id"] in offshore["nodes"], f"{territory} sits inside 'Outside mainland China'"
    text = {v["id"]: v["text"] for v in parsed["vertices"]}
    hk_nodes = {text[n] for n in subgraphs["Hong Kong"]["nodes"] if n in text}
    mainland_nodes = {text[n] for n in subgraphs["Mainland China"]["nodes"] if n in text}
    assert "Huawei Cloud ap-southeast-1 (Hong Kong)" in hk_nodes
    assert any(t.startswith("site hong-kong-office") for t in hk_nodes)
    assert not any("Hong Kong" in t or "(HK)" in t or "(MO)" in t or "(TW)" in t for t in mainland_nodes)
    assert any(t.startswith("site shanghai-dc") for t in mainland_nodes)
    # edges: parallel links merged with a count; every two-ended link is in exactly one edge
    two_ended = [r for r in fixtures_inventory["links"] if len(r["ends"]) == 2]
    counts = [int(e["text"].rsplit("×", 1)[1]) if "×" in e["text"] else 1 for e in parsed["edges"]]
    assert sum(counts) == len(two_ended)
    assert any(c > 1 for c in counts)
    # styles by class: red for unapproved crossings, green dashes for approved ones
    red = [e for e in parsed["edges"] if "stroke:#d62728" in e["style"]]
    green = [e for e in parsed["edges"] if "stroke:#2ca02c" in e["style"]]
    assert len(green) == 1 and len(red) >= 10
    assert all(e["style"] for e in parsed["edges"]), "every edge is styled by its verdict"


def test_mermaid_rejects_broken_text() -> None:
    """The parser helper really parses: a dangling edge fails."""
    if not mermaid_available():
        pytest.skip("mermaid not installed")
    proc = subprocess.run(["node", str(PARSER)], input="flowchart LR\n  a --> \n", capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 1 and "Parse error" in proc.stderr


def test_markdown_has_counts_map_and_tables(fixtures_inventory: dict) -> None:
    proc = xborder("inventory", "fixtures", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout
    counts = fixtures_inventory["summary"]["by_class"]
    assert f"**{counts['unapproved crossing']}** unapproved crossing" in md
    block = md.split("```mermaid\n", 1)[1].split("```", 1)[0]
    parse_mermaid(block)
    for heading in ("## Map", "## Links", "## Suppliers", "## Remote-access services"):
        assert heading in md
    link_lines = [line for line in md.split("## Links", 1)[1].split("##", 1)[0].splitlines() if line.startswith("| `")]
    assert len(link_lines) == len(fixtures_inventory["links"])


def test_output_is_deterministic() -> None:
    first = xborder("inventory", "fixtures", "--format", "markdown").stdout
    second = xborder("inventory", "fixtures", "--format", "markdown").stdout
    assert first == second and first


def test_table_lists_every_link(fixtures_inventory: dict) -> None:
    proc = xborder("inventory", "fixtures", "--color", "never")
    assert proc.returncode == 0
    counts = fixtures_inventory["summary"]["by_class"]
    assert f"{len(fixtures_inventory['links'])} links: {counts['unapproved crossing']} unapproved crossing" in proc.stdout
    assert "\x1b[" not in proc.stdout
    assert "Remote-access services:" in proc.stdout and "Suppliers" in proc.stdout


def test_schema_knows_every_link_kind(schema: dict) -> None:
    from xborder.model import LinkKind

    assert set(schema["$defs"]["link"]["properties"]["kind"]["enum"]) == {k.value for k in LinkKind}


def test_data_flows_are_arrows_and_inbound_is_not_a_crossing() -> None:
    inv = inventory_json("tests/dataflow/cases", "--no-config")
    rows = {row["address"]: row for row in inv["links"]}
    inbound = rows["alicloud_oss_bucket_replication.frankfurt_to_shanghai"]
    assert inbound["directed"] and not inbound["crossing"] and inbound["class"] == "inbound data flow"
    assert [e["side"] for e in inbound["ends"]] == ["offshore", "mainland"]
    outbound = [r for r in inv["links"] if r["directed"] and r["crossing"]]
    assert outbound and all("XB401" in r["verdict"] or "XB403" in r["verdict"] for r in outbound)
    text = xborder("inventory", "tests/dataflow/cases", "--no-config", "--format", "mermaid").stdout
    parsed = parse_mermaid(text)
    kinds = {e["text"].split(" ×")[0] for e in parsed["edges"]}
    assert "data-flow" in kinds
    assert "-->|" in text and "---|" not in text.split("data-flow", 1)[0].rsplit("\n", 1)[-1]


def test_summary_separates_findings_on_links_from_findings_about_no_link(tmp_path: Path) -> None:
    """A scan's total counts a module that was not read; the inventory's summary must say where the difference is."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "cn-north-1"\n}\n'
        'resource "aws_customer_gateway" "hk" {\n  ip_address = "203.186.1.1"\n  bgp_asn = 65000\n  type = "ipsec.1"\n}\n'
        'resource "aws_vpn_gateway" "gw" {}\n'
        'resource "aws_vpn_connection" "hk" {\n  customer_gateway_id = aws_customer_gateway.hk.id\n'
        '  vpn_gateway_id = aws_vpn_gateway.gw.id\n  type = "ipsec.1"\n}\n'
        'module "vpn" {\n  source = "terraform-aws-modules/vpn-gateway/aws"\n}\n',
        encoding="utf-8",
    )
    scan = json.loads(xborder("scan", ".", "--format", "json", "--no-config", cwd=tmp_path).stdout)
    assert sorted(f["rule_id"] for f in scan["findings"]) == ["XB002", "XB101"]
    table = xborder("inventory", ".", "--no-config", cwd=tmp_path).stdout
    assert "; 1 findings on links, 1 about no link (listed below)" in table
    markdown = xborder("inventory", ".", "--no-config", "--format", "markdown", cwd=tmp_path).stdout
    assert ". 1 findings on links, 1 about no link (listed below)." in markdown
    assert "## Findings about no link" in markdown
