"""Reads link declarations (policies/links/*.yaml): how each resource type yields a link.

The format is documented in policies/links/README.md. Declarations are checked when loaded so that a
typo in a policy file is a clear error, not a silent miss.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from xborder import yamlfast

from xborder.model import LinkKind

SPEC_KEYS = ("region", "address", "url", "arn", "code", "country", "coordinates", "side", "unknown", "follow")
SPEC_EXTRA = {"label", "table", "default", "because", "then", "pattern", "match", "select"}
SELECT_KEYS = {"block", "key", "equals"}
DECL_KEYS = {"kind", "a", "b", "when", "operator", "provider", "note", "direction", "clients", "related"}
RELATED_KEYS = {"follow", "type", "key", "same", "then", "ends", "absorb", "label"}
DIRECTIONS = ("one-way", "both")
CONDITION_OPS = ("equals", "in", "not_in", "present")


class DeclarationError(ValueError):
    pass


@dataclass(frozen=True)
class EndpointSpec:
    """Where one end of a declared link is read from: an attribute, the resource's own region, or a stated side."""

    key: str  # one of SPEC_KEYS
    value: str  # attribute path, "self", or side
    label: str = ""
    table: str = ""
    default: str = ""  # "self": fall back to the resource's own region; any other value: that literal (assumed)
    because: str = ""
    then: EndpointSpec | None = None
    pattern: str = ""  # regex whose group `value` (else the whole match) is the region or host inside a longer string
    match: str = ""  # follow: a literal value names the resource of the configuration whose attribute `match` equals it
    # follow: (BLOCK, KEY, ATTR) keeps only the nested BLOCK of the followed resource whose KEY equals this resource's
    # ATTR (a Google HA VPN tunnel uses one `interface` of its external gateway, chosen by its interface index)
    select: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Condition:
    """An attribute test (`when:`) a resource must pass for its declaration to apply."""

    attr: str
    op: str
    value: Any


@dataclass(frozen=True)
class RelatedSpec:
    """Other resources that are part of the same link: shown as related locations, never judged on their own
    when `absorb` is set (one link, one finding).

    Either `follow: ATTR` (the resource ATTR refers to) or `type` + `key` + `same` (resources of `type` whose
    `key` refers to what this resource's `same` attribute refers to, or to this resource when `same: self`).
    `then: ATTR` takes the resource that the found one's ATTR refers to instead (a bandwidth plan through its
    attachment to the CEN); `ends: ATTR` keeps only those whose ATTR is the place of one of the link's ends.
    """

    follow: str = ""
    type: str = ""
    key: str = ""
    same: str = ""
    then: str = ""
    ends: str = ""
    absorb: bool = False
    label: str = ""


@dataclass(frozen=True)
class Declaration:
    """One `policies/links` entry: a resource type, the kind of link it makes and how to find both ends."""

    resource_type: str
    kind: LinkKind
    provider: str  # provider-registry key
    a: EndpointSpec
    b: EndpointSpec | None = None
    when: tuple[Condition, ...] = ()
    operator: str = ""
    note: str = ""
    clients: str = ""  # remote access: attribute path of the client address pools (shown by the inventory)
    direction: str = "one-way"  # data flows: "both" when data moves either way (two-way sync, multi-write replicas)
    related: tuple[RelatedSpec, ...] = ()  # other resources of the same link (see RelatedSpec)
    origin: str = ""  # policy file name, for messages
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _spec(raw: Any, where: str) -> EndpointSpec:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: an endpoint spec must be a mapping")
    keys = [k for k in SPEC_KEYS if k in raw]
    unknown = set(raw) - set(SPEC_KEYS) - SPEC_EXTRA
    if len(keys) != 1 or unknown:
        raise DeclarationError(f"{where}: needs exactly one of {', '.join(SPEC_KEYS)}; unknown keys: {sorted(unknown)}")
    key = keys[0]
    if key == "code" and "table" not in raw:
        raise DeclarationError(f"{where}: `code` needs `table`")
    if key == "side" and raw["side"] not in ("mainland", "offshore"):
        raise DeclarationError(f"{where}: `side` is mainland or offshore")
    if key == "coordinates" and len(str(raw["coordinates"]).split(",")) != 2:
        raise DeclarationError(f"{where}: `coordinates` is `LATITUDE_ATTR,LONGITUDE_ATTR`")
    pattern = str(raw.get("pattern", ""))
    if pattern:
        if key not in ("region", "address", "code"):
            raise DeclarationError(f"{where}: `pattern` applies to region, address or code")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise DeclarationError(f"{where}: `pattern` is not a regular expression: {exc}") from None
    then = None
    if "match" in raw and key != "follow":
        raise DeclarationError(f"{where}: `match` applies to follow")
    select = None
    if "select" in raw:
        sel = raw["select"]
        if key != "follow":
            raise DeclarationError(f"{where}: `select` applies to follow")
        if not isinstance(sel, dict) or set(sel) != SELECT_KEYS or not all(isinstance(v, str) and v for v in sel.values()):
            raise DeclarationError(f"{where}: `select` is {{block: BLOCK, key: KEY, equals: ATTR}}")
        select = (sel["block"], sel["key"], sel["equals"])
    if key == "follow":
        if "then" not in raw:
            raise DeclarationError(f"{where}: `follow` needs `then`")
        then = _spec(raw["then"], f"{where}.then")
    return EndpointSpec(
        key=key,
        value=str(raw[key]),
        label=str(raw.get("label", "")),
        table=str(raw.get("table", "")),
        default=str(raw.get("default", "")),
        because=str(raw.get("because", "")),
        then=then,
        pattern=pattern,
        match=str(raw.get("match", "")),
        select=select,
    )


def _conditions(raw: Any, where: str) -> tuple[Condition, ...]:
    out = []
    for i, cond in enumerate(raw or ()):
        ops = [op for op in CONDITION_OPS if op in cond]
        if "attr" not in cond or len(ops) != 1:
            raise DeclarationError(f"{where}.when[{i}]: needs `attr` and one of {', '.join(CONDITION_OPS)}")
        out.append(Condition(str(cond["attr"]), ops[0], cond[ops[0]]))
    return tuple(out)


def _related(raw: Any, where: str) -> tuple[RelatedSpec, ...]:
    out = []
    for i, item in enumerate(raw or ()):
        at = f"{where}.related[{i}]"
        if not isinstance(item, dict):
            raise DeclarationError(f"{at}: must be a mapping")
        unknown = set(item) - RELATED_KEYS
        if unknown:
            raise DeclarationError(f"{at}: unknown keys {sorted(unknown)}")
        by_follow = "follow" in item
        by_type = all(k in item for k in ("type", "key", "same"))
        if by_follow == by_type or (by_follow and any(k in item for k in ("type", "key", "same"))):
            raise DeclarationError(f"{at}: needs either `follow` or all of `type`, `key`, `same`")
        if not isinstance(item.get("absorb", False), bool):
            raise DeclarationError(f"{at}: `absorb` is true or false")
        out.append(RelatedSpec(**{k: (v if k == "absorb" else str(v)) for k, v in item.items()}))
    return tuple(out)


def parse_declarations(text: str, origin: str) -> dict[str, list[Declaration]]:
    """Declarations by resource type; a type may have several (e.g. one per `type` attribute value)."""
    data = yamlfast.safe_load(text) or {}
    default_provider = str(data.get("provider", ""))
    out: dict[str, list[Declaration]] = {}
    for rtype, raws in (data.get("resources") or {}).items():
        out[str(rtype)] = [
            _declaration(str(rtype), raw, f"{origin}: {rtype}", origin, default_provider)
            for raw in (raws if isinstance(raws, list) else [raws])
        ]
    return out


def _declaration(rtype: str, raw: Any, where: str, origin: str, default_provider: str) -> Declaration:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{where}: a declaration must be a mapping")
    unknown = set(raw) - DECL_KEYS
    if unknown:
        raise DeclarationError(f"{where}: unknown keys {sorted(unknown)}")
    try:
        kind = LinkKind(raw["kind"])
    except (KeyError, ValueError):
        raise DeclarationError(f"{where}: `kind` must be one of {[k.value for k in LinkKind]}") from None
    b = _spec(raw["b"], f"{where}.b") if "b" in raw else None
    if b is None and kind in (LinkKind.VPN, LinkKind.CIRCUIT, LinkKind.BACKBONE, LinkKind.DATA_FLOW, LinkKind.DATA_ENDPOINT):
        raise DeclarationError(f"{where}: a {kind.value} link needs `b`")
    direction = str(raw.get("direction", "one-way"))
    if direction not in DIRECTIONS:
        raise DeclarationError(f"{where}: `direction` is one-way or both")
    if direction == "both" and kind not in (LinkKind.DATA_FLOW,):
        raise DeclarationError(f"{where}: `direction: both` applies to data-flow declarations")
    return Declaration(
        resource_type=rtype,
        kind=kind,
        provider=str(raw.get("provider", default_provider)),
        a=_spec(raw.get("a"), f"{where}.a"),
        b=b,
        when=_conditions(raw.get("when"), where),
        operator=str(raw.get("operator", "")),
        note=" ".join(str(raw.get("note", "")).split()),
        clients=str(raw.get("clients", "")),
        direction=direction,
        related=_related(raw.get("related"), where),
        origin=origin,
    )


def load_declarations(sources: list[Any]) -> Declarations:
    """Merge declaration files; a later file may not silently redefine a type. Byte-identical files (and code)
    give what an earlier run built from them (`snapshot`)."""
    from xborder import snapshot
    from xborder.policydir import read_text

    texts = [(str(getattr(src, "name", src)), read_text(src))
             for src in sorted(sources, key=lambda s: str(getattr(s, "name", s)))]
    found = snapshot.load("declarations", texts, lambda: _merge(texts))
    if not isinstance(found, Declarations):  # kept by a process whose code in memory was older than its files: the
        found = _merge(texts)  # key is the loaded code's now (snapshot._key), but an older xborder still running can keep one
    found.texts = texts  # what a damaged kept type is built again from
    return found


def _merge(texts: list[tuple[str, str]]) -> Declarations:
    merged: dict[str, list[Declaration]] = {}
    for name, text in texts:
        for rtype, decl in parse_declarations(text, name).items():
            if rtype in merged:
                raise DeclarationError(f"{name}: {rtype} is already declared in {merged[rtype][0].origin}")
            merged[rtype] = decl
    return Declarations(merged)


def matches_by_name(spec: EndpointSpec | None) -> bool:
    """Whether an end is followed by name (`match`): it may land on a resource of any type."""
    while spec is not None:
        if getattr(spec, "match", ""):
            return True
        spec = getattr(spec, "then", None)
    return False


class Declarations(Mapping[str, list[Declaration]]):
    """The merged declarations by resource type, read-only, with what a scan's interest needs of all of them.

    Kept between runs (`snapshot`) with each type's list as its own inner pickle, unpickled when the type is
    first looked up: a run that names one file looks up the few types it meets, and unpickling all ~180 types
    was ~2% of it. `related_types` (the types of other resources of a link) and `by_name` (types with an end
    followed by name) are computed when built and kept, so the interest does not unpickle every type either.
    """

    def __init__(self, merged: dict[str, list[Declaration]]) -> None:
        self._lists = dict(merged)
        self._kept: dict[str, bytes] = {}
        self.texts: list[tuple[str, str]] = []
        self.related_types = frozenset(r.type for decls in merged.values() for d in decls for r in d.related if r.type)
        self.by_name = frozenset(t for t, decls in merged.items() for d in decls
                                 if matches_by_name(d.a) or matches_by_name(d.b))

    def __getstate__(self) -> dict[str, Any]:
        from xborder import snapshot

        kept = {rtype: self._kept.get(rtype) or snapshot.nested(self[rtype]) for rtype in self}
        return {"_kept": kept, "related_types": self.related_types, "by_name": self.by_name}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lists = {}
        self.texts = []

    def __getitem__(self, rtype: str) -> list[Declaration]:
        found = self._lists.get(rtype)
        if found is None:
            blob = self._kept[rtype]  # KeyError: not declared
            found = self._lists[rtype] = self._unpickled(rtype, blob)
        return found

    def _unpickled(self, rtype: str, blob: bytes) -> list[Declaration]:
        from xborder import snapshot

        try:
            found = snapshot.unnested(blob, "declarations")
        except Exception:  # noqa: BLE001 - a damaged kept file: checked below, built again
            found = None
        if not (isinstance(found, list) and all(isinstance(d, Declaration) and d.resource_type == rtype for d in found)):
            found = list(_merge(self.texts)._lists[rtype])  # the files it was kept from
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._kept or self._lists)

    def __len__(self) -> int:
        return len(self._kept or self._lists)

    def __contains__(self, rtype: object) -> bool:
        return rtype in (self._kept or self._lists)

    def __repr__(self) -> str:
        return f"Declarations({dict(self.items())!r})"
