"""A template's `Rules` narrow the values its parameters may take: a world (another allowed value, judged as its own
deployment: test_cfn_worlds.py) that a rule forbids cannot be deployed and is not judged.

Before: `CgwIp` AllowedValues [223.5.5.5, 203.186.1.1 (Hong Kong)], and a rule whose assertion is
`Fn::Contains: [[223.5.5.5], !Ref CgwIp]`: CloudFormation refuses the Hong Kong value before creating anything, yet
xborder reported XB101 "with parameter CgwIp = 203.186.1.1". A rule xborder cannot evaluate statically leaves the
world judged, and the finding says the rule may forbid it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .conftest import scan_json, xborder

CONFIG = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
{default}    AllowedValues: [{allowed}]
  Env:
    Type: String
    Default: {env}
    AllowedValues: [prod, dev]
Rules:
{rules}Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: !Ref CgwIp
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
"""

MAINLAND_ONLY = """\
  MainlandGateways:
{condition}    Assertions:
      - Assert:
          {assertion}
        AssertDescription: our gateways are in mainland China
"""
CONTAINS = "Fn::Contains: [[223.5.5.5, 58.247.0.30], !Ref CgwIp]"
NOT_EQUALS = "Fn::Not: [{Fn::Equals: [!Ref CgwIp, 203.186.1.1]}]"
IN_PROD = "    RuleCondition: !Equals [!Ref Env, prod]\n"
HONG_KONG = ("XB101", "Vpn")


def _scan(tmp_path: Path, *, rules: str, default: str | None = "223.5.5.5", allowed: str = "223.5.5.5, 203.186.1.1",
          env: str = "prod"):  # noqa: ANN202
    (tmp_path / "stack").mkdir(exist_ok=True)
    text = TEMPLATE.format(default=f"    Default: {default}\n" if default is not None else "", allowed=allowed, env=env,
                           rules=rules)
    (tmp_path / "stack" / "vpn.yaml").write_text(text)
    (tmp_path / ".xborder.yaml").write_text(CONFIG)
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert run.doc["errors"] == [], run.doc["errors"]
    return run


def _found(run) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f["rule_id"], f["resource"]) for f in run.doc["findings"]]


@pytest.mark.parametrize("assertion", [CONTAINS, NOT_EQUALS])
@pytest.mark.parametrize("condition", ["", IN_PROD])
def test_a_value_a_rule_forbids_is_not_a_deployment(tmp_path: Path, assertion: str, condition: str) -> None:
    """No RuleCondition, or one that holds in the world (Env stays prod): the Hong Kong value cannot be deployed."""
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition=condition, assertion=assertion))
    assert run.doc["findings"] == [] and run.rc == 0, run.doc["findings"]
    assert ("stack/vpn.yaml: parameter CgwIp = 203.186.1.1 is not judged as a deployment: template rule MainlandGateways "
            "forbids it (our gateways are in mainland China)") in run.doc["notes"], run.doc["notes"]


def test_without_the_rule_the_value_is_judged(tmp_path: Path) -> None:
    """Negative twin: the same template without Rules reports the Hong Kong world."""
    run = _scan(tmp_path, rules="  Other:\n    Assertions: []\n")
    assert _found(run) == [HONG_KONG]
    assert "with parameter CgwIp = 203.186.1.1, one of its AllowedValues;" in run.doc["findings"][0]["message"]


def test_a_rule_whose_condition_does_not_hold_forbids_nothing(tmp_path: Path) -> None:
    """Env defaults to dev: the rule applies to prod only, so the Hong Kong value deploys (with Env = dev)."""
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition=IN_PROD, assertion=CONTAINS), env="dev")
    assert _found(run) == [HONG_KONG], run.doc
    assert not any("not judged as a deployment" in n for n in run.doc["notes"])


def test_a_rule_allowing_the_value_forbids_nothing(tmp_path: Path) -> None:
    """Macau is in the rule's list: judged (XB101, offshore)."""
    assertion = "Fn::Contains: [[223.5.5.5, 202.175.3.3], !Ref CgwIp]"
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion), allowed="223.5.5.5, 202.175.3.3")
    assert _found(run) == [HONG_KONG]
    assert "CgwIp = 202.175.3.3, one of its AllowedValues;" in run.doc["findings"][0]["message"]


def test_a_rule_reading_the_account_may_forbid_the_value(tmp_path: Path) -> None:
    """Fn::ValueOfAll reads AWS at deploy time: the world stays judged and says the rule may forbid it."""
    assertion = "Fn::EachMemberIn: [[!Ref CgwIp], {Fn::ValueOfAll: ['AWS::EC2::VPC::Id', Tags.Office]}]"
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion))
    assert _found(run) == [HONG_KONG]
    assert ("(with parameter CgwIp = 203.186.1.1, one of its AllowedValues (template rule MainlandGateways may forbid "
            "it: an assertion is not known statically (Fn::ValueOfAll reads the AWS account at deploy time)); with its "
            "Default 223.5.5.5 the ends are mainland, mainland)") in run.doc["findings"][0]["message"]


def test_a_rule_that_does_not_name_the_parameter_adds_no_doubt(tmp_path: Path) -> None:
    """Negative: a rule about Env only (not known statically) says nothing about CgwIp's world."""
    assertion = "Fn::Contains: [{Fn::ValueOfAll: ['AWS::EC2::VPC::Id', Tags.Env]}, !Ref Env]"
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion))
    assert _found(run) == [HONG_KONG]
    assert "template rule" not in run.doc["findings"][0]["message"]


def test_a_condition_not_known_statically_leaves_a_forbidding_assertion_doubtful(tmp_path: Path) -> None:
    condition = "    RuleCondition: {Fn::Equals: [{Fn::ValueOf: [Env, Tags.Team]}, net]}\n"
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition=condition, assertion=CONTAINS))
    assert _found(run) == [HONG_KONG]
    assert ("template rule MainlandGateways may forbid it: an assertion is false, its RuleCondition is not known "
            "statically (Fn::ValueOf reads the AWS account at deploy time)") in run.doc["findings"][0]["message"]


def test_no_default_and_a_rule_keeping_mainland_values_is_clean(tmp_path: Path) -> None:
    """No Default: each allowed value is a world. The rule leaves only the mainland value: nothing can cross, and
    the "cannot be determined" of the unset parameter is replaced as when every value is judged."""
    rules = MAINLAND_ONLY.format(condition="", assertion=CONTAINS)
    run = _scan(tmp_path, rules=rules, default=None, allowed="58.247.0.30, 203.186.1.1")
    assert run.doc["findings"] == [] and run.rc == 0, run.doc["findings"]
    # negative: a value the rule does not forbid is judged
    run = _scan(tmp_path, rules=rules.replace("58.247.0.30]", "58.247.0.30, 203.186.1.1]"), default=None,
                allowed="58.247.0.30, 203.186.1.1")
    assert _found(run) == [HONG_KONG], run.doc


def test_long_member_lists_are_checked_in_linear_time(tmp_path: Path) -> None:
    """`Fn::EachMemberIn` of one 20,000-value list against another compared every pair (4e8 comparisons for each
    world: minutes); each list is read once now. The outcome is the same: the Hong Kong value is in neither list,
    so the rule forbids the world."""
    left = ", ".join([f"v{i}" for i in range(20000)] + ["!Ref CgwIp"])
    right = ", ".join([f"v{i}" for i in range(20000)] + ["223.5.5.5"])
    assertion = f"Fn::EachMemberIn: [[{left}], [{right}]]"
    started = time.monotonic()
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion))
    assert time.monotonic() - started < 30
    assert run.doc["findings"] == [] and run.rc == 0, run.doc["findings"]
    assert any("template rule MainlandGateways forbids it" in n for n in run.doc["notes"]), run.doc["notes"]


@pytest.mark.parametrize("items", [[], ["a"], ["a", "b"], ["a", None], [None, "b"], [None], "x", None])
@pytest.mark.parametrize("item", ["a", "b", "c", None])
def test_membership_is_one_comparison_with_each_member(items: object, item: object) -> None:
    """`_membership(items)(item)` gives what comparing `item` with each member in turn gives (`_same`), reasons included
    (None stands for a value that is not known)."""
    from xborder.inputs.cloudformation.rules import _membership, _same
    from xborder.model import Unknown

    def value(v: object) -> object:
        return Unknown(f"not known: {v!r}") if v is None else v

    items_v = [value(x) for x in items] if isinstance(items, list) else value(items)
    got = _membership(items_v)(value(item))
    if not isinstance(items_v, list):
        expected: object = items_v if isinstance(items_v, Unknown) else Unknown("not a list of strings")
    else:
        found = [_same(value(item), x) for x in items_v]
        expected = True if any(f is True for f in found) else next((f for f in found if isinstance(f, Unknown)), False)
    assert got == expected or (isinstance(got, Unknown) and isinstance(expected, Unknown) and got.reason == expected.reason)


def test_rule_checks_per_template_are_bounded(tmp_path: Path) -> None:
    """Each value a rule forbids took no room among the worlds, so every allowed value was checked, each check
    evaluating the rules again (5,000 forbidden values against a 5,000-value rule list: 29 s). At most
    MAX_RULE_CHECKS values are checked now; the values not checked are an XB002 at the parameter, never silent."""
    from xborder.inputs.cloudformation.worlds import MAX_RULE_CHECKS

    allowed = ["223.5.5.5"] + [f"10.0.{i // 250}.{i % 250}" for i in range(300)]
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion="Fn::Contains: [[223.5.5.5], !Ref CgwIp]"),
                allowed=", ".join(allowed))
    assert _found(run) == [("XB002", "Parameters.CgwIp")], run.doc["findings"]
    (evidence,) = [e for e in run.doc["findings"][0]["evidence"] if "are not judged" in e]
    assert f"10.0.0.{MAX_RULE_CHECKS}, " in evidence and f"and {300 - MAX_RULE_CHECKS - 10} more are not judged" in evidence
    assert f"at most {MAX_RULE_CHECKS} are checked against its Rules" in evidence
    assert sum("forbids it" in n for n in run.doc["notes"]) == MAX_RULE_CHECKS


def test_defaults_a_rule_forbids_are_judged_and_their_findings_say_so(tmp_path: Path) -> None:
    """The Default is the Hong Kong gateway and the rule allows mainland gateways only: CloudFormation refuses the
    stack as its defaults give it. The defaults are still judged (XB101: what is written is reported), and the
    finding says which rule forbids them. Before: judged with no word of the rule."""
    rules = MAINLAND_ONLY.format(condition="", assertion=CONTAINS)
    run = _scan(tmp_path, rules=rules, default="203.186.1.1")
    assert _found(run) == [HONG_KONG], run.doc
    (f,) = run.doc["findings"]
    assert "world" not in f
    assert ("note: judged with the template's Defaults, although template rule MainlandGateways forbids them (our "
            "gateways are in mainland China): CloudFormation refuses the stack with them, so a deployment gives other "
            "values") in f["evidence"], f["evidence"]
    # negatives: defaults the rule allows, or a rule whose condition does not hold with the defaults, say nothing
    for kw in ({"default": "223.5.5.5"}, {"default": "203.186.1.1", "env": "dev"}):
        rules_kw = MAINLAND_ONLY.format(condition=IN_PROD if "env" in kw else "", assertion=CONTAINS)
        run = _scan(tmp_path, rules=rules_kw, **kw)
        assert not any("judged with the template's Defaults" in e for f in run.doc["findings"] for e in f["evidence"]), run.doc


def _nested(depth: int) -> str:
    """`Fn::Not` twice per level around NOT_EQUALS: `depth` rule functions deep, the same truth."""
    node = "{Fn::Equals: [!Ref CgwIp, 203.186.1.1]}"
    for _ in range(depth):
        node = "{Fn::Not: [" + node + "]}"
    return node if depth % 2 else "{Fn::Not: [" + node + "]}"


def test_a_rule_naming_the_parameter_deep_inside_is_read(tmp_path: Path) -> None:
    """The parameters a rule names were looked for 50 levels deep, counting each `{Fn::Not: [...]}` as two, while the
    rule is read 50 functions deep: a rule naming CgwIp 30 functions deep was taken for one that does not name it,
    and the Hong Kong value it forbids was judged as a deployment (XB101 with no word of the rule)."""
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=_nested(30)))
    assert _found(run) == [] and run.rc == 0, run.doc
    assert any("template rule MainlandGateways forbids it" in n for n in run.doc["notes"]), run.doc["notes"]


def test_a_rule_too_deep_to_read_is_a_doubt_never_silence(tmp_path: Path) -> None:
    """Deeper than xborder reads: the world is judged, and its finding says the rule may forbid it (before: the rule
    was ignored for the world without a word)."""
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=_nested(80)))
    assert _found(run) == [HONG_KONG], run.doc
    assert "template rule MainlandGateways may forbid it" in run.doc["findings"][0]["message"], run.doc["findings"][0]


def test_a_world_keeping_defaults_a_rule_forbids_says_so(tmp_path: Path) -> None:
    """Env defaults to dev, and a rule about Env alone allows prod only: the CgwIp = Hong Kong world keeps Env = dev,
    so CloudFormation refuses it as it refuses the defaults; it is judged (XB101) and says which rule forbids its
    other values. The Env = prod world is what the rule allows: its links are the defaults' (no finding)."""
    rules = "  OnlyProd:\n    Assertions:\n      - Assert:\n          Fn::Equals: [!Ref Env, prod]\n        AssertDescription: prod only\n"
    run = _scan(tmp_path, rules=rules, env="dev")
    assert _found(run) == [HONG_KONG], run.doc
    (f,) = run.doc["findings"]
    assert "with parameter CgwIp = 203.186.1.1" in f["message"], f["message"]
    assert ("note: judged with the template's Defaults for the other parameters, although template rule OnlyProd forbids "
            "them (prod only): CloudFormation refuses the stack with them, so a deployment gives other values") in f["evidence"], f
    # negative: Env = prod by default, nothing is refused
    run = _scan(tmp_path, rules=rules, env="prod")
    assert _found(run) == [HONG_KONG] and not any("refuses the stack" in e for e in run.doc["findings"][0]["evidence"]), run.doc


def test_large_rules_are_checked_within_a_budget_per_template(tmp_path: Path) -> None:
    """Each value checked evaluates the Rules again: 30,000 assertions took 1.8 s per value (61 s for one 2.4 MB
    template). Now the rule parts evaluated per template are bounded (`rules.MAX_WORK`); the values left are judged,
    and their findings say a rule may forbid them (never dropped unchecked)."""
    import json

    mainland = [f"58.247.{i}.1" for i in range(30)]
    asserts = [{"Assert": {"Fn::Not": [{"Fn::Equals": [{"Ref": "CgwIp"}, f"203.186.{i // 250}.{i % 250}"]}]}}
               for i in range(13000)]
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"CgwIp": {"Type": "String", "Default": "223.5.5.5",
                                 "AllowedValues": ["223.5.5.5", *mainland, "203.186.1.1"]}},
        "Rules": {"NotHongKong": {"Assertions": asserts}},
        "Resources": {
            "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
            "Cgw": {"Type": "AWS::EC2::CustomerGateway",
                    "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": {"Ref": "CgwIp"}}},
            "Vpn": {"Type": "AWS::EC2::VPNConnection",
                    "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
        },
    }
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "vpn.json").write_text(json.dumps(template))
    (tmp_path / ".xborder.yaml").write_text(CONFIG)
    started = time.monotonic()
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert _found(run) == [HONG_KONG], run.doc
    message = run.doc["findings"][0]["message"]
    assert "with parameter CgwIp = 203.186.1.1" in message and "Rules are too large to be checked for every value" in message
    assert elapsed < 30, elapsed


def test_defaults_a_rule_forbids_are_checked_once_per_parameter(tmp_path: Path) -> None:
    """A world keeping defaults a rule forbids says so; the rules not naming its parameter were evaluated again for
    each world of that parameter (the same answer each time), so with large Rules the template's budget ran out and
    the third world's finding lost the note. Once per parameter now."""
    _only_prod(tmp_path, 20000, ["223.5.5.5", "58.247.0.1", "58.247.0.2", "203.186.1.1"])
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert _found(run) == [HONG_KONG], run.doc
    (f,) = run.doc["findings"]
    assert "with parameter CgwIp = 203.186.1.1" in f["message"], f["message"]
    assert any(e.startswith("note: judged with the template's Defaults for the other parameters, although template rule "
                            "OnlyProd forbids them") for e in f["evidence"]), f["evidence"]


def test_defaults_kept_by_a_world_past_the_rules_budget_say_they_were_not_checked(tmp_path: Path) -> None:
    """Rules so large that a second check exceeds `rules.MAX_WORK`: the defaults are checked (the first check is
    always made: the defaults' findings say rule OnlyProd forbids them), but whether the world of CgwIp keeps defaults a
    rule forbids was not checked, and its finding said nothing of it. Now it says the check was not made."""
    _only_prod(tmp_path, 40000, ["223.5.5.5", "203.186.1.1"])
    run = scan_json("stack", "--no-cache", cwd=tmp_path)
    assert _found(run) == [HONG_KONG], run.doc
    (f,) = run.doc["findings"]
    notes = [e for e in f["evidence"] if e.startswith("note: judged with the template's Defaults for the other parameters")]
    assert notes == ["note: judged with the template's Defaults for the other parameters, but the template's Rules are "
                     "too large to be checked for every value (160,003 parts; checks of 200,000 parts in all), so a rule "
                     "may forbid them"], f["evidence"]


def _only_prod(tmp_path: Path, copies: int, gateways: list[str]) -> None:
    """A JSON template: Env defaults to dev and rule OnlyProd (`copies` assertions) allows prod only; CgwIp allows
    `gateways` (Default 223.5.5.5), so each CgwIp world keeps Env = dev, which the rule forbids."""
    import json

    asserts = [{"Assert": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "AssertDescription": "prod only"}] * copies
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"CgwIp": {"Type": "String", "Default": "223.5.5.5", "AllowedValues": gateways},
                       "Env": {"Type": "String", "Default": "dev", "AllowedValues": ["prod", "dev"]}},
        "Rules": {"OnlyProd": {"Assertions": asserts}},
        "Resources": {
            "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
            "Cgw": {"Type": "AWS::EC2::CustomerGateway",
                    "Properties": {"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": {"Ref": "CgwIp"}}},
            "Vpn": {"Type": "AWS::EC2::VPNConnection",
                    "Properties": {"Type": "ipsec.1", "CustomerGatewayId": {"Ref": "Cgw"}, "VpnGatewayId": {"Ref": "Vgw"}}},
        },
    }
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "vpn.json").write_text(json.dumps(template))
    (tmp_path / ".xborder.yaml").write_text(CONFIG)


def test_defaults_a_rule_may_forbid_are_judged_and_their_findings_say_so(tmp_path: Path) -> None:
    """A rule xborder cannot evaluate statically (it reads the account) about the defaults themselves: before, its
    doubt was dropped (only a forbidding rule, or the budget, was said); now the findings judged with the defaults
    say the rule may forbid them, and a world keeping them says so too, in every output (an evidence line)."""
    assertion = "Fn::Contains: [{Fn::ValueOfAll: ['AWS::EC2::VPC::Id', Tags.Env]}, !Ref Env]"
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion), default="203.186.1.1")
    (f,) = run.doc["findings"]
    assert "world" not in f and f["resource"] == "Vpn", f
    doubt = ("template rule MainlandGateways may forbid them: an assertion is not known statically (Fn::ValueOfAll "
             "reads the AWS account at deploy time)")
    assert f"note: judged with the template's Defaults, but {doubt}" in f["evidence"], f["evidence"]
    run = _scan(tmp_path, rules=MAINLAND_ONLY.format(condition="", assertion=assertion))  # the Hong Kong world
    (f,) = run.doc["findings"]
    assert "with parameter CgwIp = 203.186.1.1" in f["message"] and "template rule" not in f["message"], f
    assert f"note: judged with the template's Defaults for the other parameters, but {doubt}" in f["evidence"], f
    text = xborder("scan", "stack", "--no-cache", cwd=tmp_path).out
    assert doubt in text, text
