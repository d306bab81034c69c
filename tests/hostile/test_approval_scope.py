"""An approval covers the link it was written for, not a same-named link of another root module.

A block of a shared local module has the same address under every root module that calls it
(`module.vpn.alicloud_vpn_connection.c` in `envs/prod` and in `envs/staging`). Before: a directive above
that block, even with `address=`, suppressed both roots' links (one instance per address was counted), and a
`.xborder.yaml` approval whose `path:` was the module's own file covered both. Now each is ambiguous (XB001)
and suppresses nothing; the module call of one root, or `path:` naming the root's directory, says which.
"""

from __future__ import annotations

from pathlib import Path

from tests.tree_support import write_tree

from .conftest import scan_json

MODULE = (
    'variable "peer" {}\n'
    'resource "alicloud_vpn_customer_gateway" "cgw" {\n  ip_address = var.peer\n}\n'
    "{directive}"
    'resource "alicloud_vpn_connection" "c" {\n'
    "  customer_gateway_id = alicloud_vpn_customer_gateway.cgw.id\n"
    '  vpn_gateway_id = "vpn-1"\n}\n'
)
ROOT = (
    'provider "alicloud" {{\n  region = "cn-shanghai"\n}}\n'
    '{call_directive}module "vpn" {{\n  source = "../../modules/vpn"\n  peer = "{peer}"\n}}\n'
)
ADDRESS = "module.vpn.alicloud_vpn_connection.c"


def _tree(tmp_path: Path, directive: str = "", prod_call: str = "", roots: tuple[str, ...] = ("prod", "staging"),
          config: str | None = None) -> None:
    files = {"modules/vpn/main.tf": MODULE.replace("{directive}", directive)}
    peers = {"prod": "203.186.1.1", "staging": "8.8.8.8"}
    for r in roots:
        files[f"envs/{r}/main.tf"] = ROOT.format(call_directive=prod_call if r == "prod" else "", peer=peers[r])
    write_tree(tmp_path, files)
    if config is not None:
        (tmp_path / ".xborder.yaml").write_text(config)


def _open(run) -> dict[str, list[str]]:  # noqa: ANN001
    """Rule id -> the root modules (units) of its unsuppressed findings."""
    out: dict[str, list[str]] = {}
    for f in run.doc["findings"]:
        if not f["suppressed"]:
            out.setdefault(f["rule_id"], []).append(_unit_of(f))
    return {k: sorted(v) for k, v in out.items()}


def _unit_of(f: dict) -> str:
    """The root module of a finding: where its module call is (JSON has no unit key), else its own file."""
    calls = [r["path"] for r in f["related"] if r["label"].startswith("module call")]
    return calls[0].rsplit("/", 1)[0] if calls else f["path"]


def _scan(tmp_path: Path, *extra: str):  # noqa: ANN202
    return scan_json(".", "--no-cache", *extra, cwd=tmp_path)


def test_directive_in_a_shared_module_is_ambiguous(tmp_path: Path) -> None:
    _tree(tmp_path, directive='# xborder:ignore XB101 reason="CT-1 prod HK office"\n')
    run = _scan(tmp_path, "--no-config")
    assert _open(run) == {"XB001": ["modules/vpn/main.tf"], "XB101": ["envs/prod", "envs/staging"]}, run.doc
    [meta] = [f for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert "2 root modules" in meta["message"], meta


def test_directive_with_address_in_a_shared_module_is_ambiguous(tmp_path: Path) -> None:
    """`address=` cannot tell two root modules' instances apart: they have the same address."""
    _tree(tmp_path, directive=f'# xborder:ignore XB101 reason="CT-1" address={ADDRESS}\n')
    run = _scan(tmp_path, "--no-config")
    assert _open(run) == {"XB001": ["modules/vpn/main.tf"], "XB101": ["envs/prod", "envs/staging"]}, run.doc


def test_directive_on_one_roots_module_call_covers_that_root_only(tmp_path: Path) -> None:
    _tree(tmp_path, prod_call='# xborder:ignore XB101 reason="CT-1 prod HK office"\n')
    run = _scan(tmp_path, "--no-config")
    assert _open(run) == {"XB101": ["envs/staging"]}, run.doc


def test_directive_in_a_module_with_one_caller_applies(tmp_path: Path) -> None:
    _tree(tmp_path, directive='# xborder:ignore XB101 reason="CT-1 prod HK office"\n', roots=("prod",))
    run = _scan(tmp_path, "--no-config")
    assert _open(run) == {} and run.rc == 0, run.doc


def _approval(path: str, resource: str = ADDRESS) -> str:
    return (f"approvals:\n  - rule: XB101\n    resource: '{resource}'\n    path: '{path}'\n"
            "    reason: prod HK office\n    reference: CT-1\n")


def test_approval_whose_path_is_the_shared_module_file_is_ambiguous(tmp_path: Path) -> None:
    _tree(tmp_path, config=_approval("modules/vpn/main.tf"))
    run = _scan(tmp_path)
    assert _open(run) == {"XB001": [".xborder.yaml"], "XB101": ["envs/prod", "envs/staging"]}, run.doc


def test_approval_naming_the_root_directory_covers_that_root_only(tmp_path: Path) -> None:
    _tree(tmp_path, config=_approval("envs/prod/**"))
    run = _scan(tmp_path)
    assert _open(run) == {"XB101": ["envs/staging"]}, run.doc


def test_approval_without_resource_on_the_shared_module_file_is_ambiguous(tmp_path: Path) -> None:
    """One approval, one link: a path-only approval of the module's file matches the block under two roots."""
    _tree(tmp_path, config="approvals:\n  - rule: XB101\n    path: modules/vpn/main.tf\n    reason: prod\n"
                           "    reference: CT-1\n")
    run = _scan(tmp_path)
    assert _open(run) == {"XB001": [".xborder.yaml"], "XB101": ["envs/prod", "envs/staging"]}, run.doc


def test_wildcard_approval_covers_what_it_says(tmp_path: Path) -> None:
    """A pattern is written to cover many: `module.vpn.*` in the module's file approves both roots' links."""
    _tree(tmp_path, config=_approval("modules/vpn/main.tf", resource="module.vpn.*"))
    run = _scan(tmp_path)
    assert _open(run) == {} and run.rc == 0, run.doc


def _minified(directive_on: str) -> str:
    import json

    conn = {name: {"customer_gateway_id": f"${{alicloud_vpn_customer_gateway.{name}.id}}", "vpn_gateway_id": "v"}
            for name in ("a", "b")}
    if directive_on:
        conn[directive_on] = {"//": 'xborder:ignore XB101 reason="CT-3 for this one only"', **conn[directive_on]}
    return json.dumps({"provider": {"alicloud": {"region": "cn-shanghai"}}, "resource": {
        "alicloud_vpn_customer_gateway": {"a": {"ip_address": "8.8.8.8"}, "b": {"ip_address": "8.8.4.4"}},
        "alicloud_vpn_connection": conn}})


def test_directive_in_minified_terraform_json_covers_its_own_object(tmp_path: Path) -> None:
    """Both resource objects are on line 1: the directive's column says it is `a`'s (was: "ambiguous")."""
    (tmp_path / "main.tf.json").write_text(_minified("a"))
    run = _scan(tmp_path, "--no-config")
    open_ = [f["resource"] for f in run.doc["findings"] if not f["suppressed"]]
    assert open_ == ["alicloud_vpn_connection.b"], run.doc


def test_directive_in_minified_terraform_json_second_object(tmp_path: Path) -> None:
    (tmp_path / "main.tf.json").write_text(_minified("b"))
    run = _scan(tmp_path, "--no-config")
    open_ = [f["resource"] for f in run.doc["findings"] if not f["suppressed"]]
    assert open_ == ["alicloud_vpn_connection.a"], run.doc


def test_one_approval_pinning_two_links_is_ambiguous_and_covers_neither(tmp_path: Path) -> None:
    """`fingerprint: A, B` is meant for one link's finding and its twins. Before: with A the CEN limit's finding and
    B the bandwidth plan's (judged on its own in the Europe world), one approval suppressed both links. Now it is
    an ambiguous XB001 naming both links, and both findings are reported."""
    from .test_fold_twins import LIMIT, PLAN, _cen_with_limit, _pinned, _write

    tf = _cen_with_limit('["cn-shanghai", "cn-beijing"]')
    _write(tmp_path, tf)
    prints = {f["resource"]: f["fingerprint"] for f in scan_json(".", "--no-cache", cwd=tmp_path).doc["findings"]}
    assert sorted(prints) == sorted([LIMIT, PLAN]), prints
    _write(tmp_path, tf, _pinned(prints[LIMIT], prints[PLAN]))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 1 and not any(f["suppressed"] for f in run.doc["findings"]), run.doc["findings"]
    (meta,) = [f for f in run.doc["findings"] if f["rule_id"] == "XB001"]
    assert (f"ambiguous: it pins fingerprints of 2 links (net/main.tf: {LIMIT}, net/main.tf: {PLAN}); write one approval "
            "per link") in meta["message"], meta["message"]
    _write(tmp_path, tf, _pinned(prints[LIMIT]) + _pinned(prints[PLAN]).replace("CT-9", "CT-10"))  # one per link
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 0 and all(f["suppressed"] for f in run.doc["findings"]), run.doc["findings"]


def test_one_approval_pinning_the_deployments_of_one_resource_covers_them(tmp_path: Path) -> None:
    """Negative twin: a circuit whose carrier variable allows China Telecom and Equinix has two findings (two
    verdicts) of one resource; one approval naming both fingerprints is one link's, and covers both."""
    from .test_carrier_identity import _circuits, _pinned, _write

    _write(tmp_path, "var.carrier")
    found = _circuits(tmp_path)
    assert len(found) == 2
    _write(tmp_path, "var.carrier", _pinned(", ".join(f["fingerprint"] for f in found)))
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.rc == 0 and [f["suppressed"] for f in run.doc["findings"]] == [True, True], run.doc["findings"]
