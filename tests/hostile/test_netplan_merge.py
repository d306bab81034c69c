"""netplan merges its files: every `*.yaml` of a directory in file-name order (`lib`, `etc` and `run`
together, a same-named file in a preferred directory shadowing the other), a later definition of a tunnel
replacing the keys it sets and adding its peers; repeated keys in one file are applied in turn as well.

Each positive case gave 0 findings (or only an unknown end) when each file was read alone: a later file
changing only `local` hid a cross-border tunnel. Negative twins: files of different tunnels, `.yml` (netplan
does not read it), a merge that stays inside one side.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import scan_json

HEAD = "network:\n  version: 2\n  tunnels:\n"
BASE = HEAD + "    gre-hk:\n      mode: gre\n      local: 8.8.8.8\n      remote: 203.186.1.1\n"  # US -> HK: no finding
LOCAL_SHANGHAI = HEAD + "    gre-hk:\n      local: 58.247.0.30\n"  # the device is in Shanghai after all


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / "t" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "t"


def _findings(root: Path, *args: str) -> list[tuple[str, str]]:
    run = scan_json(*(args or (".",)), "--no-config", "--no-cache", cwd=root)
    assert run.doc["errors"] == [], run.doc["errors"]
    return sorted((f["rule_id"], f["resource"]) for f in run.doc["findings"])


MERGED = ("XB101", "np/90-local.yaml: tunnels.gre-hk (as netplan merges np/10-base.yaml + np/90-local.yaml)")


@pytest.mark.parametrize("named", [None, "np/90-local.yaml", "np/10-base.yaml"])
def test_a_later_file_changing_local_is_merged(tmp_path: Path, named: str | None) -> None:
    """Directory scan, and pre-commit naming either file: the files beside it are merged as on the device."""
    root = _tree(tmp_path, {"np/10-base.yaml": BASE, "np/90-local.yaml": LOCAL_SHANGHAI})
    assert _findings(root, *([named] if named else [])) == [MERGED]


def test_merged_link_says_where_each_value_comes_from(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"np/10-base.yaml": BASE, "np/90-local.yaml": LOCAL_SHANGHAI})
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    (f,) = run.doc["findings"]
    assert (f["path"], f["start_line"]) == ("np/90-local.yaml", 4)
    evidence = "\n".join(f["evidence"])
    assert "local in np/90-local.yaml line 5" in evidence and "remote in np/10-base.yaml line 7" in evidence
    assert [r["path"] for r in f["related"]] == ["np/10-base.yaml", "np/90-local.yaml"]
    assert any("netplan merges tunnel gre-hk" in n for n in run.doc["notes"])


def test_a_later_file_changing_remote_is_merged(tmp_path: Path) -> None:
    """Alone, the override's tunnel has no local end (unknown); merged it is Shanghai -> Hong Kong."""
    base = HEAD + "    t1:\n      mode: gre\n      local: 58.247.0.30\n      remote: 223.5.5.5\n"
    later = HEAD + "    t1:\n      remote: 203.186.1.1\n"
    root = _tree(tmp_path, {"np/01-a.yaml": base, "np/02-b.yaml": later})
    assert ("XB101", "np/02-b.yaml: tunnels.t1 (as netplan merges np/01-a.yaml + np/02-b.yaml)") in _findings(root)


def test_order_is_by_file_name_not_by_directory(tmp_path: Path) -> None:
    """`/run/netplan/10-x.yaml` is updated by `/lib/netplan/20-y.yaml` (netplan-generate(8)); a same-named file in
    `etc` shadows the one in `lib` (still judged alone, with a note)."""
    root = _tree(tmp_path, {
        "rootfs/run/netplan/10-base.yaml": BASE,
        "rootfs/lib/netplan/20-local.yaml": HEAD + "    gre-hk:\n      local: 8.8.4.4\n",
        "rootfs/etc/netplan/20-local.yaml": LOCAL_SHANGHAI,
    })
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    got = sorted((f["rule_id"], f["resource"]) for f in run.doc["findings"])
    assert got == [("XB101", "rootfs/etc/netplan/20-local.yaml: tunnels.gre-hk (as netplan merges "
                             "rootfs/run/netplan/10-base.yaml + rootfs/etc/netplan/20-local.yaml)")]
    assert any(n.startswith("rootfs/lib/netplan/20-local.yaml: netplan does not read this file") for n in run.doc["notes"])


def test_repeated_keys_in_one_file_are_applied_in_turn(tmp_path: Path) -> None:
    """libyaml keeps repeated keys and netplan applies each: the last `remote` wins, a second `network:` adds
    its tunnels, a tunnel named twice is amended."""
    twice_remote = HEAD + "    t1:\n      mode: gre\n      local: 58.247.0.30\n      remote: 223.5.5.5\n      remote: 203.186.1.1\n"
    twice_network = HEAD + "    t0:\n      mode: gre\n      local: 58.247.0.30\n      remote: 223.5.5.5\n" + HEAD + \
        "    t2:\n      mode: gre\n      local: 58.247.0.30\n      remote: 203.186.1.1\n"
    twice_tunnel = BASE + "    gre-hk:\n      local: 58.247.0.30\n"
    root = _tree(tmp_path, {"a/n.yaml": twice_remote, "b/n.yaml": twice_network, "c/n.yaml": twice_tunnel})
    assert _findings(root) == [
        ("XB101", "a/n.yaml: tunnels.t1"),
        ("XB101", "b/n.yaml: tunnels.t2"),
        ("XB101", "c/n.yaml: tunnels.gre-hk (as netplan merges c/n.yaml)"),
    ]


def test_wireguard_peers_of_a_later_file_get_the_merged_local(tmp_path: Path) -> None:
    base = HEAD + "    wg0:\n      mode: wireguard\n      local: 58.247.0.30\n      peers:\n        - endpoint: 223.5.5.5:51820\n"
    later = HEAD + "    wg0:\n      peers:\n        - endpoint: 203.186.1.1:51820\n"
    root = _tree(tmp_path, {"np/10-wg.yaml": base, "np/20-wg.yaml": later})
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    got = {(f["rule_id"], f["resource"]) for f in run.doc["findings"]}
    assert ("XB101", "np/20-wg.yaml: tunnels.wg0 peer 203.186.1.1:51820 (as netplan merges np/10-wg.yaml + np/20-wg.yaml)") in got
    assert not any("223.5.5.5" in r for _, r in got)  # mainland -> mainland, alone or merged


def test_negative_files_of_different_tunnels_are_read_as_before(tmp_path: Path) -> None:
    other = HEAD + "    gre-sh:\n      mode: gre\n      local: 58.247.0.30\n      remote: 223.5.5.5\n"
    root = _tree(tmp_path, {"np/10-base.yaml": BASE, "np/20-other.yaml": other})
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.doc["findings"] == [] and not any("merges" in n for n in run.doc["notes"])


def test_negative_yml_is_not_merged(tmp_path: Path) -> None:
    """netplan reads `*.yaml` only: a `.yml` file is read alone, as before."""
    root = _tree(tmp_path, {"np/10-base.yaml": BASE, "np/90-local.yml": LOCAL_SHANGHAI})
    assert _findings(root) == []


def test_negative_merge_inside_one_side_adds_nothing_and_hides_nothing(tmp_path: Path) -> None:
    """Merged, the tunnel is Hong Kong -> Hong Kong; the first file read alone (Shanghai -> Hong Kong) is still
    judged: whether both files are installed on one device is the deployment's business."""
    base = HEAD + "    gre-hk:\n      mode: gre\n      local: 58.247.0.30\n      remote: 203.186.1.1\n"
    later = HEAD + "    gre-hk:\n      local: 203.186.1.2\n"
    root = _tree(tmp_path, {"np/10-base.yaml": base, "np/90-local.yaml": later})
    assert _findings(root) == [("XB101", "np/10-base.yaml: tunnels.gre-hk")]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_file_beside_a_named_one_that_leads_outside_is_an_error(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"np/10-base.yaml": BASE})
    outside = tmp_path / "secret.yaml"
    outside.write_text(LOCAL_SHANGHAI)
    (root / "np" / "90-local.yaml").symlink_to(outside)
    run = scan_json("np/10-base.yaml", "--no-config", "--no-cache", cwd=root)
    assert run.doc["findings"] == []
    assert any("leads outside" in m for m in run.errors_for("np/90-local.yaml")), run.doc["errors"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("named", [None, "sys/etc/netplan/10-base.yaml"])
def test_a_netplan_folder_linked_inside_the_tree_is_merged_in_a_full_scan_too(tmp_path: Path, named: str | None) -> None:
    """`sys/run/netplan` is a link to `shared/netplan` (inside the tree): the device reads its files with
    `sys/etc/netplan`. The walk does not follow links to folders, so a full scan merged nothing (0 findings,
    exit 0) while the run naming the file found the cross-border tunnel; now both merge it."""
    root = _tree(tmp_path, {"sys/etc/netplan/10-base.yaml": BASE, "shared/netplan/90-local.yaml": LOCAL_SHANGHAI})
    (root / "sys" / "run").mkdir()
    (root / "sys" / "run" / "netplan").symlink_to(Path("..") / ".." / "shared" / "netplan")
    merged = ("XB101", "sys/run/netplan/90-local.yaml: tunnels.gre-hk (as netplan merges sys/etc/netplan/10-base.yaml"
              " + sys/run/netplan/90-local.yaml)")
    assert _findings(root, *([named] if named else [])) == [merged]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("named", [None, "sys/etc/netplan/10-base.yaml"])
def test_a_netplan_folder_linked_outside_is_an_error_naming_the_folder(tmp_path: Path, named: str | None) -> None:
    """A full scan said nothing; the named run listed the outside folder and named its files. Now both give
    one error naming the link's own path, and nothing outside is listed or read."""
    root = _tree(tmp_path, {"sys/etc/netplan/10-base.yaml": BASE})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "90-secret-name.yaml").write_text(LOCAL_SHANGHAI)
    (root / "sys" / "run").mkdir()
    (root / "sys" / "run" / "netplan").symlink_to(outside)
    run = scan_json(*([named] if named else ["."]), "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "sys/run/netplan", 0, "symbolic link leads outside the repository; not read (netplan reads its *.yaml files "
        "with sys/etc/netplan/10-base.yaml)")]
    assert "secret-name" not in run.out + run.err
    assert run.doc["findings"] == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
@pytest.mark.parametrize("named", [None, ("sys/etc/netplan/10-base.yaml", "sys/lib/netplan/50-more.yaml")])
def test_a_netplan_folder_linked_outside_is_one_error_for_a_group_of_files(tmp_path: Path,
                                                                          named: tuple[str, ...] | None) -> None:
    """Two files of the group (`etc` and `lib`): was the same error twice, each naming its own file; now one error
    per link, at the link, naming the group's files this scan reads."""
    more = HEAD + "    gre-2:\n      mode: gre\n      local: 8.8.8.8\n      remote: 203.186.1.2\n"
    root = _tree(tmp_path, {"sys/etc/netplan/10-base.yaml": BASE, "sys/lib/netplan/50-more.yaml": more})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "90-secret-name.yaml").write_text(LOCAL_SHANGHAI)
    (root / "sys" / "run").mkdir()
    (root / "sys" / "run" / "netplan").symlink_to(outside)
    run = scan_json(*(named or ["."]), "--no-config", "--no-cache", cwd=root)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [(
        "sys/run/netplan", 0, "symbolic link leads outside the repository; not read (netplan reads its *.yaml files "
        "with sys/etc/netplan/10-base.yaml, sys/lib/netplan/50-more.yaml)")]
    assert "secret-name" not in run.out + run.err
    # negative: the other group (another tree) has no link outside: no error for it
    (root / "other" / "etc" / "netplan").mkdir(parents=True)
    (root / "other" / "etc" / "netplan" / "10-x.yaml").write_text(BASE)
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert [e["path"] for e in run.doc["errors"]] == ["sys/run/netplan"], run.doc["errors"]


def test_negative_a_plain_netplan_folder_beside_adds_nothing(tmp_path: Path) -> None:
    """No link: the full scan lists every file itself; `P/run/netplan` of another tree is another group."""
    root = _tree(tmp_path, {"sys/etc/netplan/10-base.yaml": BASE, "other/run/netplan/90-local.yaml": LOCAL_SHANGHAI})
    run = scan_json(".", "--no-config", "--no-cache", cwd=root)
    assert run.doc["errors"] == [] and run.doc["findings"] == []
