"""Input plugins not imported when a scan's files give them nothing to read (`plugins.INPUT_GATES`, `xborder.inputs`).

A gate may only say "nothing" when the plugin's own collect finds nothing: each gate is compared with its plugin
on files of every ending, named on the command line or found by the walk, holding what the plugin would read."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from xborder import hookspecs, inputs, plugins
from xborder.context import Options, ScanContext
from xborder.inputs.netconf import detect, unread
from xborder.inputs.netconf import plugin as netconf_plugin
from xborder.policy import load_policies

REPO = Path(__file__).resolve().parents[2]

# what each plugin reads, under names of every ending the gates know and a few they do not
_IPSEC = "config setup\nconn hk\n  left=1.2.3.4\n  right=203.186.1.1\n  auto=start\n"
_TEMPLATE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Gw:\n    Type: AWS::EC2::CustomerGateway\n"
_PLAN = json.dumps({"format_version": "1.2", "planned_values": {"root_module": {}}})
_FORTI = "config vpn ipsec phase1-interface\n    edit \"hk\"\n        set remote-gw 203.186.1.1\n    next\nend\n"
NAMES = ["main.tf", "MAIN.TF", "x.tf.json", "a.tofu", "a.tofu.json", "vars.tfvars", "vars.tfvars.json", "t.hcl",
         "ipsec.conf", "stack.yaml", "stack.yml", "stack.json", "stack.template", "plan.json", "tfplan", "notes.md",
         ".tf", "tf", "x.", "fw.xml", "sub/ipsec.conf.j2", "state.tfstate", "x.py"]


def _tree(root: Path, text: str) -> None:
    for name in NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _ctx(root: Path, explicit: set[str]) -> ScanContext:
    options = Options()
    options.explicit_files = explicit
    return ScanContext(root=root.resolve(), options=options, policies=load_policies(), config=None, pm=None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [_IPSEC, _TEMPLATE, _PLAN, _FORTI, 'resource "x" "y" {}\n'])
@pytest.mark.parametrize("explicit", [False, True])
def test_a_gate_says_nothing_only_when_its_plugin_collects_nothing(tmp_path, text, explicit):
    _tree(tmp_path, text)
    for plugin_name, gate in plugins.INPUT_GATES.items():
        collect = importlib.import_module(plugin_name).xborder_collect
        for name in NAMES:
            files = [name]
            if getattr(inputs, gate)(files, None):
                ctx = _ctx(tmp_path, set(files) if explicit else set())
                assert collect(files=files, ctx=ctx) == [], (plugin_name, name)
        every = [n for n in NAMES if not getattr(inputs, gate)([n], None)]
        assert not getattr(inputs, gate)(every + ["main.tf"], None)


def test_terraform_files_alone_need_no_other_input_plugin():
    files = ["main.tf", "modules/vpn/MAIN.TF", "a.tofu", "prod.tfvars", "t.hcl"]
    for gate in plugins.INPUT_GATES.values():
        assert getattr(inputs, gate)(files, None), gate
        assert getattr(inputs, gate)([], None), gate
    # a `.tf.json` file may be a template by its content (CloudFormation deploys one under any name)
    assert not inputs.reads_no_template(["x.tf.json"]) and inputs.reads_no_plan(["x.tf.json", "v.tfvars.json"])
    assert not inputs.reads_no_device_config(files + ["ipsec.conf"])
    assert not inputs.reads_no_template(files + ["stack.yaml"])
    assert not inputs.reads_no_plan(files + ["plan.json"])


def test_an_ending_an_unread_format_adds_is_read_for_device_configs(monkeypatch):
    """policies/unread_configs.yaml may add an ending (`also_in`) that the device-config reader then opens."""
    assert inputs.reads_no_device_config(["main.tf"])
    monkeypatch.setattr(unread, "extra_extensions", lambda: frozenset({".tf"}))
    assert not inputs.reads_no_device_config(["main.tf"])
    assert inputs.reads_no_device_config(["x.tfvars"])


def test_the_gates_endings_are_the_plugins():
    for ending in inputs._NOT_DEVICE_CONFIG:
        assert ending in detect.SKIP_EXTENSIONS and ending in netconf_plugin.OTHER_INPUTS
        assert ending not in detect.YAML_EXTENSIONS | detect.TEMPLATE_EXTENSIONS | {".template"}
        assert detect.skipped_by_name(f"d/x{ending}") == (ending not in unread.extra_extensions())
    cfn = importlib.import_module("xborder.inputs.cloudformation.plugin")
    plan = importlib.import_module("xborder.inputs.plan.plugin")
    assert cfn.EXTENSIONS is inputs.TEMPLATE_ENDINGS and plan.SKIP_SUFFIXES is inputs.NOT_PLAN_ENDINGS


def test_gated_plugins_implement_collect_alone():
    for plugin_name in plugins.INPUT_GATES:
        module = importlib.import_module(plugin_name)
        hooks = {name for name in dir(hookspecs) if name.startswith("xborder_") and hasattr(module, name)}
        assert hooks == {"xborder_collect"}, plugin_name
        assert not any(getattr(module.xborder_collect, plugins.MARK).values()), plugin_name  # no tryfirst/trylast


def test_a_scan_of_everything_still_reads_every_input(monkeypatch):
    """fixtures/ holds device configs, templates and plans: the gates let each plugin read them."""
    from xborder.scan import ScanRequest, run_scan

    monkeypatch.chdir(REPO / "fixtures")
    result = run_scan(ScanRequest(paths=[Path(".")], use_config=False), plugins.PluginsOnDemand(load_entry_points=False))
    units = {f.location.path.split("/")[1] for f in result.findings}
    assert {"network", "cloudformation", "plan", "terraform"} <= units, sorted(units)
