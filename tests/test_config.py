""".xborder.yaml: loading, strict validation with file and line, the JSON Schema, path globs."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from xborder.config import Config, Site, find_config, iso_country_codes, load_config, parse_config
from xborder.globs import compile_glob

DATA = Path(__file__).parent / "netconf" / "data" / "config"


class _NoDates(yaml.SafeLoader):
    """YAML as an editor's schema checker sees it: dates stay strings."""


_NoDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def schema():
    return json.loads(resources.files("xborder").joinpath("schemas/xborder.schema.json").read_text())


def test_empty_config_defaults():
    c = Config()
    assert c.sites == [] and c.approvals == [] and c.cloudformation == [] and c.licensed_operators == []
    assert c.site_for_address("1.2.3.4") is None and c.site_for_path("a/b", Path(".")) is None
    assert load_config(None, Path(".")) == (Config(), [])


def test_valid_file_loads():
    cfg, errors = load_config(DATA / ".xborder.yaml", DATA)
    assert errors == []
    assert cfg.display == ".xborder.yaml" and cfg.path == DATA / ".xborder.yaml"
    sha, hk = cfg.sites
    assert (sha.name, sha.country, sha.line, sha.mainland) == ("shanghai-dc", "CN", 3, True)
    assert sha.cidrs == [ipaddress.ip_network("58.247.0.0/24"), ipaddress.ip_network("2400:da00::/32")]
    assert sha.hosts == ["vpn.sha.example.com"]
    assert (hk.country, hk.mainland) == ("HK", False)
    assert cfg.cloudformation[0].region == "cn-north-1"
    a = cfg.approvals[0]
    assert (a.rule, a.reference, a.expires, a.line) == ("XB101", "SEC-1234", dt.date(2027, 6, 30), 18)
    assert not a.expired(dt.date(2027, 6, 30)) and a.expired(dt.date(2027, 7, 1))
    assert cfg.licensed_operators[0].aliases == ["ExTel", "Example Telecom Co., Ltd."]


def test_lookups_paths_cidrs_hosts():
    cfg, _ = load_config(DATA / ".xborder.yaml", DATA)
    assert cfg.site_for_path("network/sha-1/ipsec.conf", DATA).name == "shanghai-dc"
    assert cfg.site_for_path("network/hk-1/ipsec.conf", DATA).name == "hong-kong"
    assert cfg.site_for_path("network/bj-1/ipsec.conf", DATA) is None
    # scanning a sub-directory: paths stay relative to the config file's directory
    assert cfg.site_for_path("sha-1/ipsec.conf", DATA / "network").name == "shanghai-dc"
    assert cfg.site_for_address("58.247.0.9").name == "shanghai-dc"
    assert cfg.site_for_address("2400:da00::6666").name == "shanghai-dc"
    assert cfg.site_for_address("119.28.1.1").name == "hong-kong"
    assert cfg.site_for_address("8.8.8.8") is None
    assert cfg.site_for_host("VPN.SHA.example.com.").name == "shanghai-dc"
    assert cfg.site_for_host("sha.example.com") is None
    assert cfg.cloudformation_region("cfn/vpn.yaml", DATA).region == "cn-north-1"


def test_most_specific_cidr_wins():
    cfg = Config(sites=[Site("wide", "CN", cidrs=["10.0.0.0/8"]), Site("narrow", "HK", cidrs=["10.1.0.0/16"])])
    assert cfg.site_for_address("10.1.2.3").name == "narrow"
    assert cfg.site_for_address("10.2.0.1").name == "wide"


def test_every_error_names_file_and_line():
    cfg, errors = load_config(DATA / "bad.xborder.yaml", DATA)
    got = [(e.path, e.line, e.message) for e in errors]
    expected = [
        (2, "sites[0]: 'country' is required"),
        (3, "sites[0]: unknown key 'contry'; did you mean 'country'?"),
        (4, "site 'shanghai-dc': cidrs: '58.247.0.0/33' is not a CIDR block"),
        (4, "warning: site 'shanghai-dc': cidrs: '10.1.0.1/16' has host bits set; read as 10.1.0.0/16"),
        (5, "warning: site 'shanghai-dc': paths: 'nowhere/**' matches no file"),
        (8, "site 'taipei': hosts: '*.tpe.example.com': wildcards are not supported"),
        (9, "sites[2]: site name 'taipei' is already used on line 6"),
        (10, "site 'taipei': country: 'TWN' is not an ISO 3166-1 alpha-2 country code"),
        (12, "cloudformation[0]: 'region' is required"),
        (14, "approvals[0]: 'reason' is required"),
        (15, "approvals[0].expires: '30/06/2027' is not a date in the form YYYY-MM-DD"),
        (16, "approvals[1]: name at least one of 'rule', 'resource', 'path' or 'fingerprint'"),
        (17, "the top level: unknown key 'licensed_operator'; did you mean 'licensed_operators'?"),
    ]
    for line, start in expected:
        assert any(p == "bad.xborder.yaml" and ln == line and m.startswith(start) for p, ln, m in got), (line, start, got)
    assert len(got) == len(expected), got
    assert "did you mean 'TW'?" in next(m for _, ln, m in got if ln == 10)
    # what was valid is kept: the first taipei site and its valid host; not the site without a country, not the duplicate
    assert [(s.name, s.country, s.hosts) for s in cfg.sites] == [("taipei", "TW", ["vpn.tpe.example.com"])]
    assert cfg.approvals == [] and cfg.cloudformation == []


def test_partial_config_keeps_valid_sites():
    cfg, errors = parse_config("sites:\n  - name: a\n    country: cn\n    cidrs: [bad, 1.2.3.0/24]\n  - name: b\n    country: XX\n")
    assert [(s.name, s.country, [str(c) for c in s.cidrs]) for s in cfg.sites] == [("a", "CN", ["1.2.3.0/24"])]
    assert [e.line for e in errors] == [4, 6]


def test_yaml_syntax_error_and_wrong_shapes():
    _, errors = parse_config("sites:\n  - name: a\n    country: [CN\n", "x.yaml")
    assert len(errors) == 1 and errors[0].path == "x.yaml" and errors[0].line >= 3 and errors[0].message.startswith("YAML syntax error")
    _, errors = parse_config("- 1\n")
    assert errors[0].message.startswith("the top level must be a mapping")
    _, errors = parse_config("sites: {name: a}\n")
    assert errors[0].message == "sites must be a list"
    _, errors = parse_config("sites:\n  - name: a\n    country: CN\n    hosts: vpn.example.com\n")
    assert (errors[0].line, errors[0].message) == (4, "site 'a': hosts must be a list")
    assert parse_config("") == (Config(display=".xborder.yaml"), [])
    # YAML 1.1 would read NO as false: the raw text is used, so Norway is Norway
    cfg, errors = parse_config("sites:\n  - name: oslo\n    country: NO\n")
    assert errors == [] and cfg.sites[0].country == "NO"


def test_absolute_and_parent_globs_rejected(tmp_path):
    (tmp_path / ".xborder.yaml").write_text("sites:\n  - name: a\n    country: CN\n    paths: [/etc/ipsec.conf, ../x/*]\n")
    _, errors = load_config(tmp_path / ".xborder.yaml", tmp_path)
    assert [e.line for e in errors] == [4, 4] and all("must be a path relative" in e.message for e in errors)


def test_unreadable_config_file(tmp_path):
    _, errors = load_config(tmp_path / "missing.yaml", tmp_path)
    assert errors[0].path == "missing.yaml" and "cannot read" in errors[0].message


def test_find_config_walks_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "a" / "b").mkdir(parents=True)
    (tmp_path / ".xborder.yaml").write_text("sites: []\n")
    assert find_config(repo / "a" / "b") is None  # stops at the repository root
    (repo / ".xborder.yaml").write_text("sites: []\n")
    assert find_config(repo / "a" / "b") == (repo / ".xborder.yaml").resolve()
    assert find_config(repo / "a" / "b" / "file.conf") == (repo / ".xborder.yaml").resolve()


@pytest.mark.parametrize(
    "pattern,path,ok",
    [
        ("network/sha-*/**", "network/sha-1/ipsec.conf", True),
        ("network/sha-*/**", "network/sha-1/a/b/c.cfg", True),
        ("network/sha-*/**", "network/hk-1/ipsec.conf", False),
        ("**/wg0.conf", "wg0.conf", True),
        ("**/wg0.conf", "x/y/wg0.conf", True),
        ("*.conf", "x/wg0.conf", False),
        ("network/sha-1", "network/sha-1/ipsec.conf", True),
        ("r[0-9].cfg", "r7.cfg", True),
        ("r[!0-9].cfg", "r7.cfg", False),
        ("r?.cfg", "r/.cfg", False),
    ],
)
def test_glob(pattern, path, ok):
    assert compile_glob(pattern).match(path) is ok


def test_iso_codes():
    codes = iso_country_codes()
    assert len(codes) == 249 and {"CN", "HK", "MO", "TW", "US", "GB"} <= codes and not {"UK", "EU", "XX"} & codes


def test_schema_is_valid_and_matches_the_loader():
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    assert set(s["$defs"]["country"]["enum"]) == set(iso_country_codes())
    v = jsonschema.Draft202012Validator(s)
    good = yaml.load((DATA / ".xborder.yaml").read_text(), Loader=_NoDates)
    assert list(v.iter_errors(good)) == []
    bad = yaml.load((DATA / "bad.xborder.yaml").read_text(), Loader=_NoDates)
    assert list(v.iter_errors(bad))


def _readme_examples():
    readme = Path(__file__).resolve().parents[1] / "README.md"
    if not readme.is_file():
        return []
    blocks = re.findall(r"```ya?ml\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
    return [b for b in blocks if re.search(r"^sites:", b, re.M)]


def test_readme_examples_follow_the_schema_and_the_loader():
    examples = _readme_examples()
    if not examples:
        pytest.skip("README has no .xborder.yaml example yet")
    v = jsonschema.Draft202012Validator(schema())
    for block in examples:
        assert list(v.iter_errors(yaml.load(block, Loader=_NoDates))) == []
        _, errors = parse_config(block)
        assert [e for e in errors if not e.message.startswith("warning:")] == []
