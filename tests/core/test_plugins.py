"""Third-party extensions take the same path as the built-ins: hooks on the plugin manager."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xborder.context import ScanContext
from xborder.hookspecs import hookimpl
from xborder.model import Endpoint, Fact, Finding, Jurisdiction, Link, LinkKind, LoadResult, Location, Side
from xborder.plugins import BUILTIN_PLUGINS, ENTRY_POINT_GROUP, make_plugin_manager
from xborder.reports.base import ReportSettings, ScanResult
from xborder.rules.base import RuleInfo
from xborder.scan import ScanRequest, run_scan


class TunnelListUnit:
    """A toy input format: each line `name local-ip peer-ip` is a VPN."""

    def __init__(self, name: str) -> None:
        self.name = name

    def load(self, ctx: ScanContext) -> LoadResult:
        links = []
        for n, line in enumerate(ctx.abs(self.name).read_text().splitlines(), 1):
            label, local, peer = line.split()
            loc = Location(self.name, n, 1, n, len(line) + 1)
            links.append(Link(LinkKind.VPN, "tunnel list", f"{self.name}: {label}", loc, Endpoint("local", Fact("address", local)), Endpoint("peer", Fact("address", peer))))
        return LoadResult(links=links)


class ToyPlugin:
    @hookimpl
    def xborder_collect(self, files: list[str], ctx: ScanContext) -> list[Any]:
        return [TunnelListUnit(f) for f in files if f.endswith(".tunnels")]

    @hookimpl(tryfirst=True)
    def xborder_resolve(self, fact: Fact, ctx: ScanContext) -> Jurisdiction | None:
        if fact.kind == "address" and fact.value == "192.0.2.1":
            return Jurisdiction(Side.MAINLAND, "CMDB: Chengdu office", "cmdb")
        return None

    @hookimpl
    def xborder_rules(self) -> list[Any]:
        class EveryTunnel:
            info = RuleInfo("XT900", "every-tunnel", "Every tunnel", "low", "s", "d", "r", "f")

            def check(self, links: list[Link], ctx: ScanContext) -> list[Finding]:
                return [Finding("XT900", "low", f"tunnel {link.address}", link.location, link.address, []) for link in links]

        return [EveryTunnel()]

    @hookimpl
    def xborder_reporters(self) -> dict[str, Any]:
        class Count:
            name = "count"

            def __init__(self, root: Path) -> None:
                pass

            def render(self, result: ScanResult, settings: ReportSettings) -> str:
                return f"{len(result.findings)}\n"

        return {"count": Count}


def test_a_plugin_adds_an_input_a_jurisdiction_source_and_a_rule(tmp_path: Path) -> None:
    (tmp_path / "office.tunnels").write_text("hk 192.0.2.1 203.186.1.1\nlocal 192.0.2.1 114.114.114.114\n")
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(ToyPlugin(), name="toy")
    result = run_scan(ScanRequest(paths=[tmp_path], root=tmp_path, use_config=False), pm)
    by_rule = sorted((f.rule_id, f.resource) for f in result.findings)
    assert by_rule == [
        ("XB101", "office.tunnels: hk"),  # the built-in rule judges the plugin's links with the plugin's CMDB
        ("XT900", "office.tunnels: hk"),
        ("XT900", "office.tunnels: local"),
    ]
    xb101 = next(f for f in result.findings if f.rule_id == "XB101")
    assert "CMDB: Chengdu office" in "\n".join(xb101.evidence)
    assert "XT900" in {r.id for r in result.rules}


def test_builtins_are_registered_through_the_same_manager() -> None:
    pm = make_plugin_manager(load_entry_points=False)
    assert [name for name in BUILTIN_PLUGINS if pm.get_plugin(name) is None] == []
    assert ENTRY_POINT_GROUP == "xborder"


def test_a_plugin_report_format_is_selectable(tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    import pluggy

    from xborder import cli

    def load_toy(self: Any, group: str, name: str | None = None) -> int:  # what an installed entry point does
        assert group == ENTRY_POINT_GROUP
        self.register(ToyPlugin(), name="toy")
        return 1

    # an installed distribution declares an `xborder` entry point (tests/perf/test_startup.py installs a real one)
    monkeypatch.setattr("xborder.plugins.may_have_entry_points", lambda group, path=None: True)
    monkeypatch.setattr(pluggy.PluginManager, "load_setuptools_entrypoints", load_toy)
    (tmp_path / "a.tunnels").write_text("x 192.0.2.1 8.8.8.8\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["scan", ".", "--format", "count", "--no-config"]) == 1
    assert capsys.readouterr().out == "2\n"
