"""Bounded: tiny hostile inputs finish quickly within a memory limit, and the rest of the scan goes on.

D11 include globs through symlink loops, D17 backtracking path globs, D18 alias fan-out in
`.xborder.yaml`, D20 CloudFormation alias bombs, D21 netplan alias fan-out, D22 Junos nesting and
`delete`, D23 memory per input byte (HCL refused before the parser above 2 MB; one input budget per
scan, also across worker processes), D25 strongSwan `also=` chains, D30 plan source lookup.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .conftest import CONN, git_init, scan_json, vpn


def test_d11_include_through_symlink_loops(tmp_path: Path) -> None:
    for name in "abcd":
        (tmp_path / name).symlink_to(".", target_is_directory=True)
    (tmp_path / "ipsec.conf").write_text("include " + "/".join(["*"] * 16) + "/nonexistent.conf\n" + CONN)
    start = time.monotonic()
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert time.monotonic() - start < 30
    assert run.rules == ["XB101"]


def test_d17_backtracking_glob_in_config(tmp_path: Path) -> None:
    git_init(tmp_path)
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / ("a" * 200)).write_text("")
    (tmp_path / ".xborder.yaml").write_text('sites:\n  - name: a\n    country: CN\n    paths: ["**a**a**a**a**a**a**a**b"]\n')
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.rules == ["XB101"]


def test_d17_bad_character_range_is_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / ".xborder.yaml").write_text('sites:\n  - name: a\n    country: CN\n    paths: ["[z-a]", "ipsec.conf"]\n')
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == ["XB101"] and run.rc == 1
    assert any("[z-a]" in n and "matches no file" in n for n in run.doc["notes"]), run.doc["notes"]


def test_d18_alias_fan_out_in_config(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    paths = ", ".join(['"nomatch/**"'] * 3000)
    sites = ", ".join(["*s"] * 3000)
    (tmp_path / ".xborder.yaml").write_text(f"x-p: &p [{paths}]\nx-s: &s {{name: a, country: CN, paths: *p}}\nsites: [{sites}]\n")
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.rules == ["XB101"]
    assert any("alias" in m for m in run.errors_for(".xborder.yaml")), run.doc["errors"]


def test_d18_deeply_nested_config(tmp_path: Path) -> None:
    (tmp_path / "ipsec.conf").write_text(CONN)
    (tmp_path / ".xborder.yaml").write_text("sites: " + "[" * 2000 + "]" * 2000 + "\n")
    run = scan_json(".", cwd=tmp_path)
    assert run.rules == ["XB101"] and run.errors_for(".xborder.yaml")


def test_d20_cloudformation_alias_bomb(tmp_path: Path) -> None:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("Resources:")
    lines.append("  R0: &r {Type: 'AWS::EC2::CustomerGateway', Properties: {IpAddress: 8.8.8.8, BgpAsn: 65000, Type: ipsec.1, Tags: *a9}}")
    lines += [f"  R{i}: *r" for i in range(1, 2000)]
    (tmp_path / "bomb.yaml").write_text("\n".join(lines) + "\n")
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert run.rules == ["XB101"]
    assert any("alias" in m for m in run.errors_for("bomb.yaml")), run.doc["errors"]


def test_d20_join_doubling_bomb(tmp_path: Path) -> None:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", "  j0: &j0 " + "A" * 100_000]
    for i in range(1, 16):
        lines.append(f"  j{i}: &j{i} !Join ['', [*j{i - 1}, *j{i - 1}]]")
    lines += ["Resources:", "  Cgw:", "    Type: AWS::EC2::CustomerGateway", "    Properties:", "      IpAddress: *j15", "      BgpAsn: 65000", "      Type: ipsec.1"]
    (tmp_path / "join.yaml").write_text("\n".join(lines) + "\n")
    run = scan_json(".", cwd=tmp_path, timeout=40, mem_mb=1536)
    assert any("alias" in m for m in run.errors_for("join.yaml")), run.doc["errors"]


def test_d21_netplan_alias_fan_out(tmp_path: Path) -> None:
    peers = ", ".join(['{endpoint: "8.8.8.8:51820"}'] * 1000)
    tunnels = "\n".join(f"    t{i}: *t" for i in range(1, 1000))
    (tmp_path / "01-netplan.yaml").write_text(
        f"network:\n  version: 2\n  tunnels:\n    t0: &t {{mode: wireguard, local: 58.247.0.10, peers: [{peers}]}}\n{tunnels}\n"
    )
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert "XB101" in run.rules
    assert any("alias" in m for m in run.errors_for("01-netplan.yaml")), run.doc["errors"]


def test_d22_junos_deep_nesting(tmp_path: Path) -> None:
    n = 50_000
    (tmp_path / "srx.conf").write_text("security {\n" + "a {\n" * n + "}\n" * n + "}\n")
    (tmp_path / "ipsec.conf").write_text(CONN)
    run = scan_json(".", cwd=tmp_path, timeout=30, mem_mb=1536)
    assert run.rules == ["XB101"]


def test_d22_junos_many_deletes(tmp_path: Path) -> None:
    sets = "".join(f"set security ike gateway g{i} address 8.8.8.8\n" for i in range(20_000))
    deletes = "".join(f"delete security ike gateway x{i}\n" for i in range(20_000))
    (tmp_path / "srx.conf").write_text(sets + deletes)
    # CPU, not wall time: the parse takes about 5 s of CPU, and a loaded CI machine stretched the wall time past 40 s
    run = scan_json(".", cwd=tmp_path, timeout=300, cpu_seconds=40)
    assert run.rc in (0, 1, 2)


def test_d23_hcl_over_the_parser_limit_never_reaches_tree_sitter(tmp_path: Path) -> None:
    """A 9 MB string literal and a 9 MB heredoc (tree-sitter needed 1.6 GB for each; two in one module
    ended in SIGSEGV) are refused before the parser, each an error naming its file; under a 1 GB
    address-space limit the module's other file is still judged. The same limit holds for a `.tf.json`
    template string: its value becomes unknown with the reason, visible in the finding."""
    (tmp_path / "main.tf").write_text(vpn())
    with open(tmp_path / "big0.tf", "w") as fh:
        fh.write('locals {\n  x = "' + "A" * (9 * 1024 * 1024) + '"\n}\n')
    with open(tmp_path / "big1.tf", "w") as fh:
        fh.write("locals {\n  y = <<EOT\n" + ("B" * 99 + "\n") * (90 * 1024) + "EOT\n}\n")
    (tmp_path / "js").mkdir()
    template = "${\"8.8.8.8\"}" + "A" * (2_500_000)
    (tmp_path / "js" / "x.tf.json").write_text(json.dumps({
        "provider": {"aws": {"region": "cn-north-1"}},
        "resource": {"aws_customer_gateway": {"c": {"ip_address": template, "bgp_asn": 65000, "type": "ipsec.1"}},
                     "aws_vpn_gateway": {"v": {}},
                     "aws_vpn_connection": {"vpn": {"customer_gateway_id": "${aws_customer_gateway.c.id}",
                                                    "vpn_gateway_id": "${aws_vpn_gateway.v.id}", "type": "ipsec.1"}}}}))
    run = scan_json(".", "--no-cache", cwd=tmp_path, timeout=60, mem_mb=1024)
    assert sorted((f["rule_id"], f["path"]) for f in run.doc["findings"]) == [("XB101", "main.tf"), ("XB102", "js/x.tf.json")]
    for name in ("big0.tf", "big1.tf"):
        assert any("over the 2 MB limit for HCL syntax" in m for m in run.errors_for(name)), run.doc["errors"]
    (unknown,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB102"]
    assert any("over the 2 MB limit for HCL syntax" in e for e in unknown["evidence"]), unknown["evidence"]
    assert run.rc == 2


def test_d23_hcl_of_one_module_directory_is_bounded_together(tmp_path: Path) -> None:
    """Files under the per-file limit add up: three 1.9 MB literals in one module directory (whose
    trees are alive together) parse two and refuse the third by name; the module is still judged."""
    (tmp_path / "main.tf").write_text(vpn())
    for i in range(3):
        with open(tmp_path / f"big{i}.tf", "w") as fh:
            fh.write('locals {\n  x%d = "' % i + "A" * (1900 * 1024) + '"\n}\n')
    run = scan_json(".", "--no-cache", cwd=tmp_path, timeout=90, mem_mb=2048)
    assert run.rules == ["XB101"]
    assert [e["path"] for e in run.doc["errors"]] == ["big2.tf"], run.doc["errors"]
    assert "HCL files of this module directory exceed 4 MB" in run.doc["errors"][0]["message"]


def test_d23_scan_input_budget_holds_across_worker_processes(tmp_path: Path) -> None:
    """With several processes the scan's input budget is one budget, not one per process: 24 files of
    100 KB, a 1 MB budget and 3 forked workers read at most 1 MB together; every other file is refused
    with the budget named, and the parent's count includes what the workers read."""
    from dataclasses import dataclass
    from types import SimpleNamespace

    from xborder import parallel
    from xborder.inputs import reading

    size, budget = 100 * 1024, 1024 * 1024
    for i in range(24):
        (tmp_path / f"f{i:02}.bin").write_bytes(bytes([i]) * size)

    @dataclass
    class Unit:
        name: str

        def share_key(self, ctx: object) -> str:
            return self.name

    def load(unit: Unit) -> object:
        try:
            return len(reading.read_bytes(tmp_path / unit.name))
        except reading.ReadRefused as exc:
            return str(exc)

    units = [Unit(f"f{i:02}.bin") for i in range(24)]
    with reading.scan_scope(tmp_path, budget=budget) as scope:
        loaded = parallel.load_all(units, SimpleNamespace(cache={}), load, jobs=3)  # real forked workers
        used = scope.used
    read = [r for r in loaded.results if r == size]
    refused = [r for r in loaded.results if isinstance(r, str)]
    assert len(read) + len(refused) == 24, loaded.results  # each file whole or refused, never cut short
    assert len(read) * size <= budget and len(read) >= budget // size - 3  # one budget, nearly all used
    assert refused and all("input budget (1 MB) is used up" in r for r in refused), refused
    assert len(read) * size <= used <= budget + 3  # counted once, across the processes


def test_d30_plan_source_lookup_is_not_resources_times_bytes(tmp_path: Path) -> None:
    resources = [
        {"address": f"aws_vpn_gateway.g{i}", "mode": "managed", "type": "aws_vpn_gateway", "name": f"g{i}",
         "provider_name": "registry.terraform.io/hashicorp/aws", "values": {}}
        for i in range(3000)
    ]
    plan = {"format_version": "1.2", "terraform_version": "1.9.0",
            "planned_values": {"root_module": {"resources": resources}},
            "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "cn-north-1"}}}}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    with open(tmp_path / "big.tf", "w") as fh:
        fh.write("# comment line of a large file\n" * 160_000)
    start = time.monotonic()
    scan_json(".", cwd=tmp_path, timeout=60)
    assert time.monotonic() - start < 45


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_d25_strongswan_deep_also_chain_is_cut_visibly(tmp_path: Path) -> None:
    """20,000 levels of `also=` (was a RecursionError that lost the whole file): resolved without recursion,
    cut at 64 levels with an error at the line where the cut happens; the file's other conn is still judged."""
    text = "conn top\n\talso=t0\n\tauto=start\n"
    text += "".join(f"conn t{i}\n\talso=t{i + 1}\n" for i in range(20_000))
    text += "conn t20000\n\tleft=58.247.0.10\n\tright=8.8.8.8\n" + CONN
    (tmp_path / "ipsec.conf").write_text(text)
    start = time.monotonic()
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert time.monotonic() - start < 30
    assert ("XB101", "ipsec.conf: conn x") in {(f["rule_id"], f["resource"]) for f in run.doc["findings"]}
    cut = [e for e in run.doc["errors"] if "more than 64 levels of also=" in e["message"]]
    assert [(e["path"], e["line"]) for e in cut] == [("ipsec.conf", _line_of(text, "\talso=t64"))], run.doc["errors"]
    assert run.rc == 2  # an error makes the scan fail: nothing passes quietly


def test_d25_strongswan_also_diamond_is_linear(tmp_path: Path) -> None:
    """Every level pulls the next one in twice: 2^40 paths for a recursive resolver, 40 steps with reuse.
    The link defined 40 levels down is found (positive case)."""
    text = "conn top\n\talso=d0\n\tauto=start\n"
    text += "".join(f"conn d{i}\n\talso=d{i + 1}\n\talso=d{i + 1}\n" for i in range(40))
    text += "conn d40\n\tleft=58.247.0.10\n\tright=8.8.8.8\n"
    (tmp_path / "ipsec.conf").write_text(text)
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert [(f["rule_id"], f["resource"]) for f in run.doc["findings"]] == [("XB101", "ipsec.conf: conn top")]
    assert run.doc["errors"] == []


def test_d25_strongswan_also_cycles_are_errors_and_keep_their_links(tmp_path: Path) -> None:
    """A self-reference, a pair and a 5,000-conn ring: each loop is an error at its line, each conn with
    `auto=` is still judged with the parameters that were read."""
    text = "conn self\n\talso=self\n\tauto=start\n\tleft=58.247.0.10\n\tright=8.8.8.8\n"
    text += "conn a\n\talso=b\n\tauto=start\n\tleft=58.247.0.10\n\tright=8.8.4.4\n"
    text += "conn b\n\talso=a\n\tauto=start\n\tleft=58.247.0.10\n\tright=1.1.1.1\n"
    text += "conn ring\n\talso=r0\n\tauto=start\n\tleft=58.247.0.10\n\tright=9.9.9.9\n"
    text += "".join(f"conn r{i}\n\talso=r{(i + 1) % 5000}\n" for i in range(5000))
    (tmp_path / "ipsec.conf").write_text(text)
    start = time.monotonic()
    run = scan_json(".", cwd=tmp_path, timeout=30)
    assert time.monotonic() - start < 30
    assert sorted(f["resource"] for f in run.doc["findings"] if f["rule_id"] == "XB101") == [
        "ipsec.conf: conn a", "ipsec.conf: conn b", "ipsec.conf: conn ring", "ipsec.conf: conn self"]
    errors = {(e["line"], e["message"].split(" (")[0]) for e in run.doc["errors"]}
    assert (_line_of(text, "\talso=self"), "also=self in conn self makes a loop") in errors
    assert (_line_of(text, "\talso=b"), "also=b in conn a makes a loop") in errors
    assert (_line_of(text, "\talso=a"), "also=a in conn b makes a loop") in errors
    assert any("more than 64 levels of also=" in e["message"] for e in run.doc["errors"])  # the ring is cut
