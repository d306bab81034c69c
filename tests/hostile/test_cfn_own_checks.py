"""A parameter's own constraints (AllowedPattern, MinLength/MaxLength, Number, MinValue/MaxValue) apply to the values
the template lists too, and a Number written as only Java reads it is unknown, never called refused.

Before: a pinned value (parameters file) was checked, but an AllowedValues member the AllowedPattern refuses was
judged as a deployment (its finding or twin named a stack CloudFormation never creates), a Default the pattern refuses
was judged without a word, and `1d`, ` 5 ` or `Infinity` for a Number were errors saying CloudFormation refuses them,
which is not documented (its Number check may be Java's Double.parseDouble, which reads them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cfn_parameters import MAINLAND_ONLY, _checked
from .test_world_approvals import HK, MAINLAND, TW, VPN, _scan, _the_finding

REGION = 'cloudformation:\n  - paths: ["stack/**"]\n    region: cn-north-1\n'


def _template(tmp_path: Path, default: str, allowed: list[str], constraint: str) -> None:
    (tmp_path / "stack").mkdir(exist_ok=True)
    text = VPN.format(default=default, allowed=", ".join(allowed))
    text = text.replace("    AllowedValues:", f"{constraint}    AllowedValues:")
    (tmp_path / "stack" / "vpn.yaml").write_text(text)
    (tmp_path / ".xborder.yaml").write_text(REGION)


NOT_TAIWAN = '    AllowedPattern: "(203|223)\\\\.[0-9.]+"\n'


def test_an_allowed_value_its_pattern_refuses_is_no_deployment(tmp_path: Path) -> None:
    _template(tmp_path, HK, [HK, TW, MAINLAND], NOT_TAIWAN)
    run = _scan(tmp_path)
    f = _the_finding(run)
    assert "twins" not in f and TW not in f["message"], f  # before: a Taiwan twin, a stack never created
    assert (f"stack/vpn.yaml: parameter Peer = {TW} is not judged as a deployment: CloudFormation refuses it (the value "
            "does not match its AllowedPattern)") in run.doc["notes"], run.doc["notes"]


def test_an_allowed_value_longer_than_its_max_length_is_no_deployment(tmp_path: Path) -> None:
    _template(tmp_path, MAINLAND, [MAINLAND, HK], "    MaxLength: 9\n")  # 223.5.5.5 fits, 203.186.1.1 does not
    run = _scan(tmp_path)
    assert [f["rule_id"] for f in run.doc["findings"]] == [], run.doc["findings"]
    assert any(f"parameter Peer = {HK} is not judged as a deployment: CloudFormation refuses it (the value is longer "
               "than its MaxLength)" in n for n in run.doc["notes"]), run.doc["notes"]


def test_values_the_constraints_accept_are_judged_as_before(tmp_path: Path) -> None:
    """Negative twin: a pattern every listed value matches changes nothing (the Taiwan twin is there)."""
    _template(tmp_path, HK, [HK, TW, MAINLAND], '    AllowedPattern: "[0-9.]+"\n')
    run = _scan(tmp_path)
    f = _the_finding(run)
    assert [t["world"]["values"] for t in f["twins"]] == [[TW]], f
    assert not any("refuses" in n for n in run.doc["notes"]), run.doc["notes"]


def test_a_default_its_pattern_refuses_is_judged_and_says_so(tmp_path: Path) -> None:
    _template(tmp_path, TW, [HK, TW, MAINLAND], NOT_TAIWAN)
    run = _scan(tmp_path)
    assert (f"stack/vpn.yaml: parameter Peer's Default {TW} is judged although CloudFormation refuses it (the value does "
            "not match its AllowedPattern): a stack is created with another value") in run.doc["notes"], run.doc["notes"]


@pytest.mark.parametrize("asn", ["65000d", " 65000 ", "Infinity", "0x1p4", "65000F"])
def test_a_number_only_java_reads_is_unknown_not_refused(tmp_path: Path, asn: str) -> None:
    run, errors = _checked(tmp_path, {"Asn": asn}, MAINLAND_ONLY)
    ((path, line, message),) = errors
    assert (path, line) == ("deploy/prod.json", 2), errors
    assert f"Java reads {asn!r} as a number" in message and "xborder cannot tell whether CloudFormation accepts it" in message
    assert "refuses" not in message, message


@pytest.mark.parametrize("asn", ["65k", "1,000", "0x10", "--1"])
def test_what_no_reader_takes_for_a_number_is_still_refused(tmp_path: Path, asn: str) -> None:
    run, errors = _checked(tmp_path, {"Asn": asn}, MAINLAND_ONLY)
    ((_path, _line, message),) = errors
    assert "is not a number (Type Number)" in message and "CloudFormation refuses" in message, message


def _listed(tmp_path: Path, default: str, allowed: list[str], constraint: str) -> None:
    """The VPN template with Peer a CommaDelimitedList whose first member is the customer gateway's address."""
    _template(tmp_path, default, allowed, constraint)
    path = tmp_path / "stack" / "vpn.yaml"
    path.write_text(path.read_text().replace("    Type: String\n", "    Type: CommaDelimitedList\n", 1)
                    .replace("IpAddress: !Ref Peer", "IpAddress: !Select [0, !Ref Peer]"))


def test_lengths_on_a_list_parameter_are_not_documented_so_a_default_they_may_refuse_is_a_doubt(tmp_path: Path) -> None:
    """MinLength/MaxLength are documented for String parameters only; CloudFormation does not say whether it applies
    them to a CommaDelimitedList whole, to each member, or not at all (a list parameter makes no worlds: its Default
    and a parameters file's value are what is judged). Before: not checked at all for lists, so a Default they may
    refuse was judged without a word. Now it is judged with a note saying CloudFormation may refuse it, never
    called refused; a Default every reading accepts is judged as before."""
    _listed(tmp_path, HK, [MAINLAND, HK], "    MaxLength: 9\n")  # 203.186.1.1 is 11 characters
    run = _scan(tmp_path)
    assert _the_finding(run)["resource"] == "Vpn"
    assert any(f"parameter Peer's Default {HK} is judged although CloudFormation may refuse it (the value cannot be "
               "checked against its MaxLength (documented for String parameters only: whether it applies to a "
               "CommaDelimitedList, whole or to each member, is not))" in n for n in run.doc["notes"]), run.doc["notes"]
    _listed(tmp_path, HK, [MAINLAND, HK], "    MaxLength: 11\n")  # every reading accepts it
    run = _scan(tmp_path)
    assert _the_finding(run)["resource"] == "Vpn" and not any("may refuse" in n for n in run.doc["notes"]), run.doc


def test_lengths_on_a_list_parameter_pinned_by_a_parameters_file() -> None:
    from xborder.inputs.cloudformation.parameters import _refused

    spec = {"Type": "CommaDelimitedList", "MinLength": 2, "MaxLength": 11}
    assert _refused("Peers", spec, "223.5.5.5", "t.yaml") is None
    for value, what in (("223.5.5.5,8.8.8.8", "the whole value is 17 characters long, longer than its MaxLength 11"),
                        ("ab, c", "member 'c' is 1 character long, shorter than its MinLength 2")):
        error, why = _refused("Peers", spec, value, "t.yaml")
        assert what in error and "reads it as unknown" in error and why.startswith("cannot be checked"), (error, why)
    error, why = _refused("Peers", {"Type": "List<AWS::EC2::Subnet::Id>", "MaxLength": "many"}, "subnet-1", "t.yaml")
    assert "is not a whole number" in error and why == "cannot be checked against its MaxLength", error


def test_lengths_on_an_aws_specific_type_are_checked_as_a_string_s() -> None:
    """MinLength/MaxLength on AWS::EC2::VPC::Id and the other AWS-specific types: the console checks them as a
    String's (cfn-lint accepts them there, PR 2193). Before: only Type String was checked, so a value they refuse
    was judged as if CloudFormation deployed it. An SSM type's value is read at deploy time: nothing to check."""
    from xborder.inputs.cloudformation.parameters import _refused

    for ptype in ("AWS::EC2::VPC::Id", "AWS::EC2::KeyPair::KeyName", "AWS::EC2::AvailabilityZone::Name"):
        spec = {"Type": ptype, "MinLength": 6, "MaxLength": 12}
        assert _refused("Vpc", spec, "vpc-1234", "t.yaml") is None
        error, why = _refused("Vpc", spec, "vpc-1234567890", "t.yaml")
        assert "is 14 characters long, longer than its MaxLength 12" in error and "CloudFormation refuses" in error, error
        assert why == "is longer than its MaxLength", why
        error, why = _refused("Vpc", spec, "vpc-", "t.yaml")
        assert "shorter than its MinLength 6" in error and why == "is shorter than its MinLength", error
    assert _refused("Ami", {"Type": "AWS::SSM::Parameter::Value<String>", "MaxLength": 3}, "/ami/latest", "t.yaml") is None
