"""Loads the reviewable knowledge in `policies/` (region tables, provider registry, rule texts).

Loaded once per process and cached: the YAML is small, but parsing it on every call would not be.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

from xborder import yamlfast
from xborder.policydir import policy_folder, read_text  # noqa: F401 - re-exported: where the policy data is
from xborder.rules.base import RuleInfo


@dataclass(frozen=True)
class RegionEntry:
    """One code of a region table: its side, place and how sure the source is."""

    side: str  # "mainland" | "offshore"
    place: str
    note: str = ""
    confidence: str = "V"


@dataclass
class RegionTable:
    """A table of region or location codes of one namespace (usually a Terraform provider type)."""

    name: str
    display: str
    entries: dict[str, RegionEntry]
    unlisted: str = "unknown"  # side of a code missing from the table: "offshore" or "unknown"
    unlisted_note: str = ""
    normalize: str = ""  # "", "lower", "lower-nospace"
    terraform_providers: tuple[str, ...] = ()
    provider_region_attrs: tuple[str, ...] = ("region",)
    resource_region_attrs: tuple[str, ...] = ()
    default_region: str | None = None
    default_region_source: str = ""
    mainland_environments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    union_of: tuple[str, ...] = ()  # tables whose codes this one also knows, where they agree on the side

    def key(self, code: str) -> str:
        code = code.strip()
        if self.normalize in ("lower", "lower-nospace"):
            code = code.lower()
        if self.normalize == "lower-nospace":
            code = code.replace(" ", "")
        return code

    def lookup(self, code: str) -> RegionEntry | None:
        """Exact code first, then the longest prefix pattern (a table key ending in `*`, e.g. `ap-cn-*`)."""
        key = self.key(code)
        if key in self._index:
            return self._index[key]
        for prefix, entry in self._patterns:
            if key.startswith(prefix):
                return entry
        return None

    def __post_init__(self) -> None:
        self._index = {self.key(k): v for k, v in self.entries.items() if not k.endswith("*")}
        self._patterns = sorted(
            ((self.key(k[:-1]), v) for k, v in self.entries.items() if k.endswith("*")),
            key=lambda kv: -len(kv[0]),
        )

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the kept policies of `snapshot`) with its codes as one inner pickle, unpickled when the table
        is first used (`__getattr__`): a run that names one file looks in one or two of the ~33 tables, and
        unpickling the ~1,000 codes of all of them was ~3% of its instructions."""
        from xborder import snapshot

        state = dict(self.__dict__)
        if _KEPT not in state:
            state[_KEPT] = snapshot.nested({name: state.pop(name) for name in _CODES})
        return state

    def __getattr__(self, name: str) -> Any:
        """The codes of a table unpickled from the kept policies, on first use (only attributes not set come here)."""
        kept = self.__dict__.get(_KEPT) if name in _CODES else None
        if kept is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        from xborder import snapshot

        try:
            codes = snapshot.unnested(kept, "policies")
        except Exception:  # noqa: BLE001 - a damaged kept file: checked below, built again
            codes = None
        if not (isinstance(codes, dict) and sorted(codes) == sorted(_CODES)):
            built = _build_policies(_policy_texts()).tables[self.name]  # the policy files are what the table was kept from
            codes = {code: getattr(built, code) for code in _CODES}
        self.__dict__.update(codes)
        del self.__dict__[_KEPT]
        return self.__dict__[name]


_CODES = ("entries", "_index", "_patterns")  # a region table's codes: what its kept form unpickles on first use
_KEPT = "_kept_codes"


@dataclass(frozen=True)
class ProviderInfo:
    """One provider-registry entry: whether it holds a licence in mainland China, and on what basis."""

    key: str
    name: str
    licensed: bool
    basis: str
    source: str
    aliases: tuple[str, ...] = ()
    offshore_carrier: bool = False  # as a line_operator value, names a carrier outside mainland China
    network: bool = False  # a network / connectivity provider or vendor (XB301 judges these), not a cloud


@dataclass
class Policies:
    """The policy data of `policies/`, loaded once per process."""

    tables: dict[str, RegionTable]
    providers: dict[str, ProviderInfo]
    rules: dict[str, RuleInfo]
    references: dict[str, str] = field(default_factory=dict)

    def table_for_provider(self, provider_type: str) -> RegionTable | None:
        """The region table of a Terraform provider type (`aws`, `google-beta`, ...)."""
        for table in self.tables.values():
            if provider_type in table.terraform_providers:
                return table
        return self.tables.get(provider_type)

    def operator(self, name: str) -> ProviderInfo | None:
        """Find a registry entry by key, name or alias, ignoring case, spaces and dashes."""
        wanted = fold_name(name)
        for info in self.providers.values():
            if wanted in {fold_name(info.key), fold_name(info.name), *map(fold_name, info.aliases)}:
                return info
        return None


def fold_name(text: str) -> str:
    """An operator name for comparison: case, spaces and punctuation ignored (`China Unicom` = `ChinaUnicom`)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _files(sub: str = "") -> Any:
    root = policy_folder()
    return root / sub if sub else root


def _load_yaml(traversable: Any) -> Any:
    return yamlfast.safe_load(traversable.read_text(encoding="utf-8"))


def _table(data: dict[str, Any]) -> RegionTable:
    entries = {
        str(code): RegionEntry(
            side=str(e["side"]),
            place=str(e.get("place", "")),
            note=str(e.get("note", "")),
            confidence=str(e.get("confidence", "V")),
        )
        for code, e in (data.get("regions") or {}).items()
    }
    return RegionTable(
        name=data["table"],
        display=data.get("display", data["table"]),
        entries=entries,
        unlisted=data.get("unlisted", "unknown"),
        unlisted_note=data.get("unlisted_note", ""),
        normalize=data.get("normalize", ""),
        terraform_providers=tuple(data.get("terraform_providers", ())),
        provider_region_attrs=tuple(data.get("provider_region_attrs", ("region",))),
        resource_region_attrs=tuple(data.get("resource_region_attrs", ())),
        default_region=data.get("default_region"),
        default_region_source=data.get("default_region_source", ""),
        mainland_environments=tuple(data.get("mainland_environments", ())),
        sources=tuple(data.get("sources", ())),
        union_of=tuple(data.get("union_of", ())),
    )


def _with_union(table: RegionTable, tables: dict[str, RegionTable]) -> RegionTable:
    """A table of codes "of any cloud" knows every code its source tables list, so that only a code no cloud
    lists (a typo, a region newer than the tables) is unlisted. A code the sources place on different sides
    is left out: unknown, never a guess. The table's own entries come first."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name in table.union_of:
        for code, entry in tables[name].entries.items():
            if not code.endswith("*"):
                found.setdefault(table.key(code), []).append((entry.side, f"{entry.place} ({tables[name].display})"))
    own = {table.key(k) for k in table.entries}
    entries = dict(table.entries)
    for code, seen in sorted(found.items()):
        sides = {side for side, _ in seen}
        if code not in own and len(sides) == 1:
            entries[code] = RegionEntry(side=sides.pop(), place="; ".join(dict.fromkeys(place for _, place in seen)))
    return dataclasses.replace(table, entries=entries)


def _rules(data: dict[str, Any]) -> tuple[dict[str, RuleInfo], dict[str, str]]:
    refs = {k: " ".join(str(v).split()) for k, v in (data.get("references") or {}).items()}
    rules = {}
    for rule_id, r in data["rules"].items():
        rules[rule_id] = RuleInfo(
            id=rule_id,
            name=r["name"],
            title=r["title"],
            severity=r["severity"],
            summary=" ".join(r["summary"].split()),
            description=" ".join(r["description"].split()),
            rationale=" ".join(r["rationale"].split()),
            remediation=" ".join(r["remediation"].split()),
            compliant=" ".join(str(r.get("compliant", "")).split()),
            evidence=" ".join(str(r.get("evidence", "")).split()),
            example=str(r.get("example", "")).rstrip(),
            references=tuple(refs.get(ref, ref) for ref in r.get("references", ())),
            help_uri=r.get("help_uri", ""),
            precision=r.get("precision", "high"),
            tags=tuple(r.get("tags", ("security", "compliance", "network", "china"))),
            link_kinds=tuple(r.get("link_kinds", ())),
        )
    return rules, refs


@functools.lru_cache(maxsize=1)
def load_policies() -> Policies:
    """The policy data, built from the YAML or, for byte-identical files and code, as an earlier run built it."""
    from xborder import snapshot

    texts = _policy_texts()
    return snapshot.load("policies", texts, lambda: _build_policies(texts))


def _policy_texts() -> list[tuple[str, str]]:
    """(name, text) of every file the policies are built from: region tables by name, then the registry and rules."""
    texts = [(f"regions/{item.name}", read_text(item))
             for item in sorted(_files("regions").iterdir(), key=lambda p: p.name) if item.name.endswith(".yaml")]
    return [*texts, *((name, read_text(_files(name))) for name in ("providers.yaml", "rules.yaml"))]


def _build_policies(texts: list[tuple[str, str]]) -> Policies:
    data = dict(texts)
    tables: dict[str, RegionTable] = {}
    for name, text in texts:
        if name.startswith("regions/"):
            table = _table(yamlfast.safe_load(text))
            tables[table.name] = table
    for name, table in tables.items():
        if table.union_of:
            tables[name] = _with_union(table, tables)
    providers = {
        key: ProviderInfo(
            key=key,
            name=p["name"],
            licensed=bool(p["licensed"]),
            basis=p.get("basis", ""),
            source=p.get("source", ""),
            aliases=tuple(p.get("aliases", ())),
            offshore_carrier=bool(p.get("offshore_carrier", False)),
            network=bool(p.get("network", False)),
        )
        for key, p in (yamlfast.safe_load(data["providers.yaml"])["providers"] or {}).items()
    }
    rules, refs = _rules(yamlfast.safe_load(data["rules.yaml"]))
    return Policies(tables=tables, providers=providers, rules=rules, references=refs)
