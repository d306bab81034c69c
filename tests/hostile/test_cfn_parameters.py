"""A parameters file says what a CloudFormation stack is deployed with, as tfvars do for Terraform.

Before: a template whose `CgwIp` lists a Hong Kong address among its AllowedValues was reported XB101 "with
parameter CgwIp = 203.186.1.1" although the team deploys it with the mainland value only, and there was no way to
say so but a suppression. Now `.xborder.yaml` maps a parameters file to templates (`cloudformation: [{paths, region,
parameters}]`): a pinned parameter takes the file's value and makes no world; what CloudFormation would refuse is an
error at the file.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from .conftest import scan_json, xborder

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
    Default: 223.5.5.5
    AllowedValues: [223.5.5.5, 58.247.0.30, 203.186.1.1]
  Env:
    Type: String
{env_default}Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties:
      Type: ipsec.1
      BgpAsn: 65000
      IpAddress: !Ref CgwIp
      Tags: [{{Key: env, Value: !Ref Env}}]
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties:
      Type: ipsec.1
      CustomerGatewayId: !Ref Cgw
      VpnGatewayId: !Ref Vgw
"""
CONFIG = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n{parameters}'
WITH_FILE = "    parameters: deploy/prod.json\n"


def _tree(tmp_path: Path, params: object | None, *, config_parameters: str = WITH_FILE,
          env_default: str = "    Default: prod\n") -> Path:
    (tmp_path / "stack").mkdir(exist_ok=True)
    (tmp_path / "deploy").mkdir(exist_ok=True)
    (tmp_path / "stack" / "vpn.yaml").write_text(TEMPLATE.format(env_default=env_default))
    (tmp_path / ".xborder.yaml").write_text(CONFIG.format(parameters=config_parameters))
    if params is not None:
        (tmp_path / "deploy" / "prod.json").write_text(params if isinstance(params, str) else json.dumps(params, indent=2))
    return tmp_path


def _cli(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]


def _scan(tmp_path: Path, *args: str):  # noqa: ANN202
    return scan_json("stack", "--no-cache", *args, cwd=tmp_path)


def _found(run) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(f["rule_id"], f["resource"]) for f in run.doc["findings"]]


@pytest.mark.parametrize("form", ["cli", "codepipeline"])
def test_a_pinned_mainland_value_makes_no_world(tmp_path: Path, form: str) -> None:
    values = {"CgwIp": "58.247.0.30", "Env": "prod"}
    _tree(tmp_path, _cli(values) if form == "cli" else {"Parameters": values, "Tags": {"team": "net"}})
    run = _scan(tmp_path)
    assert run.doc["findings"] == [] and run.doc["errors"] == [] and run.rc == 0, run.doc


def test_without_a_parameters_file_the_hong_kong_value_is_a_world(tmp_path: Path) -> None:
    """Negative twin: the same template and config without `parameters`."""
    _tree(tmp_path, None, config_parameters="")
    run = _scan(tmp_path)
    assert _found(run) == [("XB101", "Vpn")]
    assert "with parameter CgwIp = 203.186.1.1" in run.doc["findings"][0]["message"]


def test_a_pinned_hong_kong_value_is_what_is_deployed(tmp_path: Path) -> None:
    """Pinned to Hong Kong: XB101 from the deployed values, not from a world (no world text, no `world` key)."""
    _tree(tmp_path, {"Parameters": {"CgwIp": "203.186.1.1", "Env": "prod"}})
    run = _scan(tmp_path)
    (f,) = run.doc["findings"]
    assert f["rule_id"] == "XB101" and "with parameter" not in f["message"] and "world" not in f, f
    assert any("IP 203.186.1.1 registered in HK" in e for e in f["evidence"]), f["evidence"]


def test_a_value_not_allowed_is_an_error_and_unknown(tmp_path: Path) -> None:
    """CloudFormation refuses 8.8.8.8 (not in AllowedValues): an error at the file's line, the value unknown."""
    _tree(tmp_path, '[\n  {"ParameterKey": "Env", "ParameterValue": "prod"},\n'
                    '  {"ParameterKey": "CgwIp", "ParameterValue": "8.8.8.8"}\n]\n')
    run = _scan(tmp_path)
    assert run.rc == 2
    assert [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]] == [
        ("deploy/prod.json", 3, "parameter CgwIp = 8.8.8.8 is not one of its AllowedValues in stack/vpn.yaml; "
                                "CloudFormation refuses to deploy the stack, xborder reads it as unknown")]
    assert _found(run) == [("XB102", "Vpn")], run.doc  # never judged as the US address it is not allowed to be


def test_what_cloudformation_refuses_is_an_error_at_the_file(tmp_path: Path) -> None:
    """A parameter the template does not declare; a parameter without Default the file leaves out."""
    _tree(tmp_path, _cli({"CgwIp": "58.247.0.30", "Typo": "x"}), env_default="")
    run = _scan(tmp_path)
    assert run.rc == 2
    assert sorted((e["line"], e["message"]) for e in run.doc["errors"]) == [
        (1, "parameter Env of stack/vpn.yaml has no Default and no value in this file; CloudFormation refuses to "
            "deploy the stack"),
        (7, "parameter Typo is not declared by stack/vpn.yaml; CloudFormation refuses to deploy the stack with it")]
    assert run.doc["findings"] == []  # CgwIp is pinned to Shanghai


@pytest.mark.parametrize("text, line, message", [
    ("[{\"ParameterKey\": \"CgwIp\",\n \"ParameterValue\": }]", 2, "invalid JSON"),
    ('{"CgwIp": "58.247.0.30"}', 1, "neither"),
    (None, 0, "does not exist"),
])
def test_a_parameters_file_that_cannot_be_read_pins_nothing(tmp_path: Path, text: str | None, line: int, message: str) -> None:
    """An error at the file; the template is judged as without it (its worlds too: nothing is hidden)."""
    _tree(tmp_path, text)
    run = _scan(tmp_path)
    assert run.rc == 2
    ((path, at, msg),) = [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]]
    assert (path, at) == ("deploy/prod.json", line) and message in msg and "nothing is pinned" in msg, msg
    assert _found(run) == [("XB101", "Vpn")]


def test_use_previous_value_pins_nothing(tmp_path: Path) -> None:
    """The stack's current value is one the template allows: every allowed value stays judged."""
    _tree(tmp_path, [{"ParameterKey": "CgwIp", "UsePreviousValue": True}, {"ParameterKey": "Env", "ParameterValue": "dev"}])
    run = _scan(tmp_path)
    assert _found(run) == [("XB101", "Vpn")] and run.doc["errors"] == [], run.doc
    assert "with parameter CgwIp = 203.186.1.1" in run.doc["findings"][0]["message"]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_parameters_file_outside_the_repository_is_not_read(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _tree(repo, None)
    (tmp_path / "secret.json").write_text(json.dumps({"Parameters": {"CgwIp": "58.247.0.30"}}))
    (repo / "deploy" / "prod.json").symlink_to(tmp_path / "secret.json")
    run = _scan(repo)
    assert [(e["path"], e["message"]) for e in run.doc["errors"]] == [
        ("deploy/prod.json", "CloudFormation parameters file: leads outside the repository (symbolic link or path); not "
                             "read; nothing is pinned")]
    assert _found(run) == [("XB101", "Vpn")]


def test_a_cached_scan_sees_a_changed_parameters_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-scan cache depends on the parameters file, even when it is outside the scanned paths."""
    _tree(tmp_path, {"Parameters": {"CgwIp": "58.247.0.30", "Env": "prod"}})
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    args = ("scan", "stack", "--format", "json")
    first = xborder(*args, cwd=tmp_path)
    assert json.loads(first.out)["findings"] == [], first.err
    again = xborder(*args, cwd=tmp_path)
    assert again.out == first.out
    (tmp_path / "deploy" / "prod.json").write_text(json.dumps({"Parameters": {"CgwIp": "203.186.1.1", "Env": "prod"}}))
    second = xborder(*args, cwd=tmp_path)
    assert [f["rule_id"] for f in json.loads(second.out)["findings"]] == ["XB101"], second.out


def test_a_cached_scan_sees_a_parameters_file_created_later(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Missing at first (an error, nothing pinned), then written: the cached result must not be reused."""
    _tree(tmp_path, None)
    monkeypatch.setenv("XBORDER_CACHE_DIR", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    first = xborder("scan", "stack", "--format", "json", cwd=tmp_path)
    assert [f["rule_id"] for f in json.loads(first.out)["findings"]] == ["XB101"], first.out
    (tmp_path / "deploy" / "prod.json").write_text(json.dumps({"Parameters": {"CgwIp": "58.247.0.30", "Env": "prod"}}))
    second = xborder("scan", "stack", "--format", "json", cwd=tmp_path)
    assert json.loads(second.out)["findings"] == [] and json.loads(second.out)["errors"] == [], second.out


def test_many_keys_are_placed_in_one_pass(tmp_path: Path) -> None:
    """Each key's line was found by searching the whole text for its JSON spelling: quadratic in a file of many keys
    (an 800 KB file of 15,000 keys written with escapes took seconds) and line 1 for a key written with escapes. One
    pass over the string tokens now; each undeclared key is an error at its own line however it is written."""
    from xborder.inputs.cloudformation import parameters

    keys = [f"\u00e9{i}" if i % 2 else f"\u00e9\\u00e9{i}" for i in range(15000)]
    text = "[\n" + ",\n".join('{"ParameterKey": "%s", "ParameterValue": "v"}' % k for k in keys) + "\n]\n"
    (tmp_path / "prod.json").write_text(text, encoding="utf-8")
    started = time.monotonic()
    given, errors = parameters.read(SimpleNamespace(root=tmp_path), "prod.json")
    elapsed = time.monotonic() - started
    assert errors == []
    assert [given[json.loads(f'"{k}"')] for k in (keys[0], keys[1], keys[-1])] == [("v", 2), ("v", 3), ("v", 15001)]
    assert elapsed < 5, elapsed


def test_naming_only_the_parameters_file_judges_the_templates_it_pins(tmp_path: Path) -> None:
    """Pre-commit passes only the changed file: a value moved from Shanghai to Hong Kong in the parameters file alone
    was `nothing read`, exit 0, a silent pass. The templates the file pins are judged again, as a full scan does."""
    _tree(tmp_path, {"Parameters": {"CgwIp": "58.247.0.30", "Env": "prod"}})
    assert scan_json("--no-cache", "deploy/prod.json", cwd=tmp_path).doc["findings"] == []
    (tmp_path / "deploy" / "prod.json").write_text(json.dumps({"Parameters": {"CgwIp": "203.186.1.1", "Env": "prod"}}))
    named = scan_json("--no-cache", "deploy/prod.json", cwd=tmp_path)
    assert named.rc == 1 and [(f["rule_id"], f["path"]) for f in named.doc["findings"]] == [
        ("XB101", "stack/vpn.yaml")], named.doc
    full = scan_json(".", "--no-cache", cwd=tmp_path)
    assert named.doc["findings"] == full.doc["findings"]
    # from the parameters file's own directory too (the root is the repository's)
    inside = scan_json("--no-cache", "prod.json", cwd=tmp_path / "deploy")
    assert inside.doc["findings"] == full.doc["findings"]


def test_a_named_parameters_file_brings_in_only_what_its_entry_matches(tmp_path: Path) -> None:
    """Negative twins: a template of an entry without that file, an excluded template, and a JSON file no entry
    names are not read; the parameters file's errors (a value not allowed) are reported from the template it pins."""
    _tree(tmp_path, {"Parameters": {"CgwIp": "8.8.8.8", "Env": "prod"}})
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "vpn.yaml").write_text(TEMPLATE.format(env_default="    Default: prod\n"))
    (tmp_path / "stack" / "old").mkdir()
    (tmp_path / "stack" / "old" / "vpn.yaml").write_text(TEMPLATE.format(env_default="    Default: prod\n"))
    (tmp_path / ".xborder.yaml").write_text(CONFIG.format(parameters=WITH_FILE) + "  - paths: [\"other/**\"]\n"
                                            "    region: cn-north-1\nexclude: [stack/old/**]\n")
    (tmp_path / "deploy" / "unused.json").write_text(json.dumps({"Parameters": {"CgwIp": "203.186.1.1"}}))
    run = scan_json("--no-cache", "deploy/prod.json", cwd=tmp_path)
    assert [(f["rule_id"], f["path"]) for f in run.doc["findings"]] == [("XB102", "stack/vpn.yaml")], run.doc
    assert [(e["path"], e["line"]) for e in run.doc["errors"]] == [("deploy/prod.json", 3)], run.doc
    unused = scan_json("--no-cache", "deploy/unused.json", cwd=tmp_path)
    assert unused.rc == 0 and unused.doc["findings"] == [] and unused.doc["summary"]["inputs_read"] == 0, unused.doc


CHECKED = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  CgwIp:
    Type: String
{cgw}  Asn:
    Type: Number
    Default: 65000
    MinValue: 64512
    MaxValue: 65534
  Cidrs:
    Type: CommaDelimitedList
    Default: 10.0.0.0/24
    AllowedValues: [10.0.0.0/24, 10.0.1.0/24]
    AllowedPattern: "10\\\\.0\\\\.[0-9]+\\\\.0/24"
Resources:
  Vgw:
    Type: AWS::EC2::VPNGateway
    Properties: {{Type: ipsec.1}}
  Cgw:
    Type: AWS::EC2::CustomerGateway
    Properties: {{Type: ipsec.1, BgpAsn: !Ref Asn, IpAddress: !Ref CgwIp}}
  Vpn:
    Type: AWS::EC2::VPNConnection
    Properties: {{Type: ipsec.1, CustomerGatewayId: !Ref Cgw, VpnGatewayId: !Ref Vgw}}
"""
MAINLAND_ONLY = '    Default: 58.247.0.30\n    AllowedPattern: "58\\\\.247\\\\.[0-9.]+"\n'


def _checked(tmp_path: Path, values: dict[str, str], cgw: str = MAINLAND_ONLY):  # noqa: ANN202
    _tree(tmp_path, '[\n' + ',\n'.join(f'  {{"ParameterKey": "{k}", "ParameterValue": {json.dumps(v)}}}'
                                       for k, v in values.items()) + '\n]\n')
    (tmp_path / "stack" / "vpn.yaml").write_text(CHECKED.format(cgw=cgw))
    run = _scan(tmp_path)
    return run, [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]]


def test_a_value_its_allowed_pattern_refuses_is_an_error_and_unknown(tmp_path: Path) -> None:
    """Before: AllowedPattern was not read, so the Hong Kong address the pattern refuses was judged as deployed (an
    XB101 for a stack CloudFormation never creates) and no error said the file is wrong. Now an error at its line, and
    the value is unknown (XB102: never a pass)."""
    run, errors = _checked(tmp_path, {"CgwIp": "203.186.1.1"})
    assert errors == [("deploy/prod.json", 2, "parameter CgwIp = 203.186.1.1 does not match its AllowedPattern "
                                              "58\\.247\\.[0-9.]+ in stack/vpn.yaml; CloudFormation refuses to deploy "
                                              "the stack, xborder reads it as unknown")], run.doc
    assert _found(run) == [("XB102", "Vpn")] and run.rc == 2


def test_values_cloudformation_accepts_are_pinned(tmp_path: Path) -> None:
    """Each constraint met (the whole value matches the pattern; a list's members each match and are each allowed,
    spaces around them trimmed; a number between its bounds) -> no error, the values are judged. Before, the list was
    an error: its whole text was looked up among the AllowedValues, which CloudFormation checks member by member."""
    run, errors = _checked(tmp_path, {"CgwIp": "58.247.0.30", "Asn": "65534", "Cidrs": "10.0.0.0/24, 10.0.1.0/24"})
    assert errors == [] and run.doc["findings"] == [] and run.rc == 0, run.doc


@pytest.mark.parametrize("values, cgw, message", [
    ({"Asn": "70000"}, MAINLAND_ONLY, "parameter Asn = 70000 is greater than its MaxValue 65534 in stack/vpn.yaml; "
                                      "CloudFormation refuses to deploy the stack, xborder reads it as unknown"),
    ({"Asn": "100"}, MAINLAND_ONLY, "parameter Asn = 100 is less than its MinValue 64512 in stack/vpn.yaml; "
                                    "CloudFormation refuses"),
    ({"Asn": "65k"}, MAINLAND_ONLY, "parameter Asn = 65k is not a number (Type Number) in stack/vpn.yaml"),
    ({"Cidrs": "10.0.0.0/24,10.0.2.0/24"}, MAINLAND_ONLY,
     "parameter Cidrs = 10.0.0.0/24,10.0.2.0/24: 10.0.2.0/24 is not one of its AllowedValues in stack/vpn.yaml"),
    ({"CgwIp": "58.247.0.300"}, '    Default: 58.247.0.30\n    MaxLength: 11\n',
     "parameter CgwIp = 58.247.0.300 is 12 characters long, longer than its MaxLength 11 in stack/vpn.yaml"),
    ({"CgwIp": "58.247.0.30"}, '    Default: 58.247.0.30\n    MinLength: 12\n',
     "parameter CgwIp = 58.247.0.30 is 11 characters long, shorter than its MinLength 12 in stack/vpn.yaml"),
], ids=["MaxValue", "MinValue", "Number", "list-AllowedValues", "MaxLength", "MinLength"])
def test_what_cloudformation_checks_of_a_value(tmp_path: Path, values: dict[str, str], cgw: str, message: str) -> None:
    run, errors = _checked(tmp_path, values, cgw)
    assert [(p, line) for p, line, _ in errors] == [("deploy/prod.json", 2)] and message in errors[0][2], errors
    assert run.rc == 2


@pytest.mark.parametrize("pattern, why", [
    ("(?=58)[0-9.]+", "RE2 cannot read it"),  # look-ahead: Java has it, RE2 does not
    ("[0-9.&&[^3]]+", "a character class intersection (&&)"),  # RE2 would read `&&[^3` as characters
    ("[[0-9].]+", "a class inside a character class"),  # a union in Java
    ("(?U)[0-9.]+", "the flags (?U) mean other things in RE2"),  # Unicode classes in Java, ungreedy in RE2
    ("\\\\p{Alpha}*[0-9.]+", "is not a Unicode general category"),
], ids=["lookahead", "intersection", "union", "U-flag", "posix-property"])
def test_a_pattern_xborder_cannot_read_as_java_does_is_never_a_pass(tmp_path: Path, pattern: str, why: str) -> None:
    """A Hong Kong value and a pattern RE2 cannot read, or would read otherwise than Java: an error saying so, and the
    value is unknown (XB102), never judged as if the pattern allowed it nor taken as refused."""
    run, errors = _checked(tmp_path, {"CgwIp": "203.186.1.1"}, f'    Default: 58.247.0.30\n    AllowedPattern: "{pattern}"\n')
    ((path, line, message),) = errors
    assert (path, line) == ("deploy/prod.json", 2) and "xborder cannot check it against its AllowedPattern" in message
    assert why in message, message
    assert _found(run) == [("XB102", "Vpn")] and run.rc == 2


def test_java_pattern_spelling() -> None:
    """`\\uXXXX` is Java's; quoted text, repetitions and flags RE2 reads alike pass through unchanged."""
    from xborder.inputs.cloudformation.parameters import _pattern_refuses, java_to_re2

    assert java_to_re2("\\u0035\\Q8.\\E[0-9]{1,3}(?i:x)?") == ("\\x{0035}\\Q8.\\E[0-9]{1,3}(?i:x)?", "", True)
    assert _pattern_refuses("\\u0035\\Q8.\\E[0-9]{1,3}", "58.2471") == ""  # the whole value must match
    assert _pattern_refuses("\\u0035\\Q8.\\E[0-9]{1,3}", "58x247") == ""  # `.` quoted: a dot only
    assert _pattern_refuses("\\u0035\\Q8.\\E[0-9]{1,3}", "58.24") is None
    assert _pattern_refuses("[a-z]+", "ab\rc").startswith("the value holds a line break")
    assert _pattern_refuses("(?i)[a-z]+", "\u00e9").startswith("a case-insensitive pattern")


@pytest.mark.parametrize("text", [
    '{"Parameters": {"CgwIp": "203.186.1.1", "Env": "prod",\n  "CgwIp": "58.247.0.30"}}',
    '[{"ParameterKey": "CgwIp", "ParameterValue": "203.186.1.1"}, {"ParameterKey": "Env", "ParameterValue": "prod"},\n'
    ' {"ParameterKey": "CgwIp", "ParameterValue": "58.247.0.30"}]',
    '[{"ParameterKey": "CgwIp", "ParameterValue": "203.186.1.1"}, {"ParameterKey": "Env", "ParameterValue": "prod"},\n'
    ' {"ParameterKey": "CgwIp", "UsePreviousValue": true}]',
], ids=["codepipeline", "cli", "use-previous"])
def test_a_parameter_given_twice_with_different_values_is_unknown(tmp_path: Path, text: str) -> None:
    """Hong Kong, then Shanghai: a JSON reader keeps the last (Shanghai) and the stack was judged clean, while which
    one the deployment takes is not known. An error at the key's line; the parameter is unknown (XB102, never a pass)."""
    _tree(tmp_path, text)
    run = _scan(tmp_path)
    ((path, line, message),) = [(e["path"], e["line"], e["message"]) for e in run.doc["errors"]]
    assert (path, line) == ("deploy/prod.json", 1) and "CgwIp is given 2 times, with different values (203.186.1.1, " in message
    assert _found(run) == [("XB102", "Vpn")] and run.rc == 2, run.doc


def test_a_parameter_given_twice_alike_and_parameters_given_twice(tmp_path: Path) -> None:
    """Negative twin: the same value twice is that value. Two "Parameters" objects: an error, nothing pinned (the
    worlds judge every allowed value)."""
    _tree(tmp_path, _cli({"CgwIp": "203.186.1.1", "Env": "prod"}) + _cli({"CgwIp": "203.186.1.1"}))
    run = _scan(tmp_path)
    assert run.doc["errors"] == [] and _found(run) == [("XB101", "Vpn")], run.doc
    _tree(tmp_path, '{"Parameters": {"CgwIp": "203.186.1.1"},\n "Parameters": {"CgwIp": "58.247.0.30", "Env": "prod"}}')
    run = _scan(tmp_path)
    assert [(e["line"], e["message"]) for e in run.doc["errors"]] == [
        (1, 'CloudFormation parameters file: "Parameters" is given more than once; nothing is pinned')], run.doc
    assert _found(run) == [("XB101", "Vpn")] and "with parameter CgwIp = 203.186.1.1" in run.doc["findings"][0]["message"]


def test_a_long_pattern_and_a_long_list_are_matched_in_linear_time() -> None:
    """The AllowedPattern was translated and compiled again for each member of a CommaDelimitedList: a 33 KB pattern
    and 2,000 members took 42 s. Compiled once per parameter now (and each distinct member matched once)."""
    from xborder.inputs.cloudformation.parameters import _refused

    pattern = "(?:" + "|".join(f"10\\.{i // 256}\\.{i % 256}\\.0/24" for i in range(2000)) + ")"
    members = [f"10.{i // 256}.{i % 256}.0/24" for i in range(2000)]
    spec = {"Type": "CommaDelimitedList", "AllowedPattern": pattern}
    started = time.monotonic()
    assert _refused("Cidrs", spec, ",".join(members), "x.yaml") is None
    refused = _refused("Cidrs", spec, ",".join([*members, "10.9.0.0/16"] * 3), "x.yaml")
    assert refused is not None and "10.9.0.0/16 does not match its AllowedPattern" in refused[0], refused
    assert time.monotonic() - started < 5
