"""What every rule's findings share: factual wording, evidence lines and stable fingerprints."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from xborder import lazy
from xborder.digest import sha256
from xborder.model import Endpoint, Finding, Link, Side, Twin, World, end_identity, ends_identity
from xborder.rules.base import RuleInfo

PLACE = {Side.MAINLAND: "in mainland China", Side.OFFSHORE: "outside mainland China", Side.UNKNOWN: "at an unknown location"}


def side(end: Endpoint | None) -> Side:
    if end is None or end.jurisdiction is None:
        return Side.UNKNOWN
    return end.jurisdiction.side


def describe(end: Endpoint) -> str:
    """One evidence line: what the end is, which side, and how that was decided."""
    j = end.jurisdiction
    where = j.side.value if j else "unknown"
    how = j.evidence if j else end.fact.value
    return f"{end.label}: {where}, {how}"


def fingerprint(rule_id: str, link: Link, parts: list[Link] | None = None) -> str:
    """Stable across line moves and reformatting: rule, root module (unit), resource address and what the ends are,
    the carrier the configuration names (as the evidence shows it), and for a link that absorbed others
    (links/fold.py) each absorbed part's address and ends (`parts`, by default `link.folded`), in a stable order.

    The unit is part of the identity: `envs/prod` copied to `envs/staging` is a new live link with the same
    address, and must not inherit the baseline entry of the original. The carrier and the parts are too: a circuit
    leased from China Telecom and the same circuit from Equinix are judged differently, and the bandwidth plan a
    CEN limit draws from decides where it goes, so editing either must not keep an approval pinned before.
    """
    return _digest(rule_id, link, link.folded if parts is None else parts, carrier=True)


def _digest(rule_id: str, link: Link, parts: list[Link], carrier: bool, legacy: bool = False) -> str:
    lines = [rule_id, link.address]
    if link.unit:
        lines.insert(1, f"unit:{link.unit}")
    lines.extend(ends_identity(link))
    if carrier and link.operator:  # nothing when none is named: the fingerprints of other links stay as they were
        lines.append(f"carrier:{link.operator}")
    for part in sorted((f"part:{p.address}", *ends_identity(p)) for p in parts):
        lines.extend(part)
    if legacy:
        lines = [_legacy_keys(x) for x in lines]
    # surrogatepass: a lone surrogate in a label (`"\uD800"` in HCL or JSON) must not abort the scan
    return sha256("\n".join(lines).encode("utf-8", "surrogatepass"))[:32]


_KEY = lazy.regex(r'\["((?:[^"\\]|\\.)*)"\]')
_UNESCAPE = lazy.regex(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|([$%])\2\{')


def _legacy_keys(text: str) -> str:
    """`text` with each string instance key written as xborder wrote it before session 26 (JSON, ASCII-escaped:
    `["\\u65e5\\u672c"]`, now `["日本"]` as Terraform writes it): the fingerprints approvals pinned then."""
    if '["' not in text:
        return text

    def one(e: Any) -> str:
        if e.group(2):
            return e.group(2) + "{"
        c = e.group(1)
        return chr(int(c[1:], 16)) if c[0] in "uU" and len(c) > 1 else {"n": "\n", "r": "\r", "t": "\t"}.get(c, c)

    return _KEY.sub(lambda m: "[" + _json_ascii(_UNESCAPE.sub(one, m.group(1))) + "]", text)


def _json_ascii(s: str) -> str:
    """Python's json.dumps(s) (ASCII-escaped): its encoder alone, without importing json's decoder into a one-file
    scan."""
    try:
        from _json import encode_basestring_ascii
    except ImportError:  # another interpreter
        from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii
    return encode_basestring_ascii(s)  # type: ignore[no-any-return]


def twin_fingerprint(rule_id: str, link: Link, twin: Link) -> str:
    """The fingerprint `link`'s finding would have in `twin`'s world (the one it gets when that value becomes the
    default). A twin carried from an absorbed part (links/fold.py) is `link` with that part's ends in that world; a
    twin of `link` itself reads the parts as they are in its world (a part's twin of that world, else the part)."""
    if twin.part_of is not None:
        return fingerprint(rule_id, link, [twin if p is twin.part_of else p for p in link.folded])
    if not link.folded:
        return fingerprint(rule_id, twin)
    return fingerprint(rule_id, twin, [_in_world(link, p, twin) for p in link.folded])


def _in_world(link: Link, part: Link, host: Link) -> Link:
    """`part` as deployed in the world of `host` (a twin of `link`): its twin of that world, joined to `host`
    (links/fold.py) or carried onto `link`, else the part itself."""
    for twin in host.folded:
        if twin.part_of is part:
            return twin
    world = host.world
    for twin in link.twins:
        if (twin.part_of is part and world is not None and twin.world is not None
                and twin.world.parameter == world.parameter and set(twin.world.values) & set(world.values)):
            return twin
    return part


def former_fingerprints(rule_id: str, link: Link) -> tuple[tuple[str, str, str], ...]:
    """(former, now, why) for the finding and each twin of a link whose fingerprint moved, with the one reason that
    moved it, for an approval or baseline entry that still pins the former: before the carrier and the absorbed parts
    counted (its own and its twins' ends only), before a part's twin of a world where the link has a twin of its own
    was joined to that twin (a second twin of that world, with the link's default ends), and before instance keys
    were written as Terraform writes them."""
    now = fingerprint(rule_id, link)
    legacy = _digest(rule_id, link, link.folded, carrier=True, legacy=True)
    # a world's deployment of a part (judged on its own there, or reported by that world's creating link) was a twin
    # of the defaults' creating link: that link with the part as deployed there
    pairs = [(fingerprint(rule_id, d, [q if p is part else p for p in d.folded]), now, _was_twin(d, part))
             for q in (link, *link.folded) if q.twin_of is not None for d, part in [q.twin_of]]
    pairs.append((legacy, now, KEY_SPELLING))
    current = {now}
    if link.folded or link.operator:
        pairs.append((_digest(rule_id, link, [], carrier=False), now, _counted(link.operator, bool(link.folded))))
        for t in link.twins:
            if t.world is None:
                continue
            now = twin_fingerprint(rule_id, link, t)
            current.add(now)
            # a twin carried from a part (part_of) had that part's own fingerprint before the parts counted
            pairs.append((_digest(rule_id, t, [], carrier=False), now,
                          _counted(t.operator, True if t.part_of else bool(link.folded))))
            pairs += [(_digest(rule_id, c, [], carrier=False), now, _counted(c.operator, True)) for c in t.folded]
            # a part's twin joined to t (links/fold.py) was a twin of its own before: `link` with that part's ends only
            pairs += [(fingerprint(rule_id, link, [c if p is c.part_of else p for p in link.folded]), now, MERGED_TWIN)
                      for c in t.folded]
    # a fingerprint one of its deployments has now is no former one (a part's twin joined to one twin of a world can
    # have the fingerprint another twin has now, where the part alone differs)
    out: dict[tuple[str, str], str] = {}
    for old, new, why in pairs:
        if old not in current:
            out.setdefault((old, new), why)
    return tuple((old, new, why) for (old, new), why in out.items())


# Why a fingerprint moved (Finding.former), as the XB001 of a stale pin and the baseline's note say it: "X, the former
# fingerprint of F, <why>"
KEY_SPELLING = ("from before instance keys were written as Terraform writes them (`[\"日本\"]`, formerly "
                "`[\"\\u65e5\\u672c\"]`), with nothing else of the link changed")
MERGED_TWIN = ("from when the deployment there of a link it absorbs was a second twin of that world, with this link's "
               "default ends (a deployment that does not exist), where that world's one deployment is one twin now")


def _was_twin(creator: Link, part: Link) -> str:
    """Why the fingerprint of a world's deployment of an absorbed part moved: it was stated as a twin of the defaults'
    creating link, a deployment that does not exist where that link has another verdict."""
    return (f"from when the deployment there of {part.address} was a twin of the finding of {creator.address} with "
            f"its default ends (a deployment that does not exist), where each world is stated once now, with the "
            f"verdict {creator.address} has there")


def _counted(carrier: str, parts: bool) -> str:
    """Why a fingerprint of a link that names a carrier or absorbs others moved: what it did not include before."""
    if carrier and parts:
        return ("from before the carrier the configuration names (its evidence shows it) and the links it absorbs (its "
                "notes name them) were part of its fingerprint, so that an edited carrier or part is a change of the link")
    if carrier:
        return ("from before the carrier the configuration names (its evidence shows it) was part of its fingerprint, "
                "so that an edited carrier is a change of the link")
    return ("from before the links it absorbs (a bandwidth plan, a peering accepter: its notes name them) were part of "
            "its fingerprint as each deployment has them, so that an edited part is a change of the link")


def finding(info: RuleInfo, link: Link, message: str, extra: list[str] | None = None, severity: str | None = None) -> Finding:
    evidence = [describe(end) for end in (link.a, link.b) if end is not None]
    if link.operator:
        evidence.append(f"carrier named by the configuration: {link.operator}")
    twins = _twins(info.id, link)
    evidence.extend(f"also {t.world.phrase()}: {'; '.join(t.ends)} (fingerprint {t.fingerprint})" for t in twins)
    evidence.extend(extra or [])
    evidence.extend(f"note: {n}" for n in link.notes)
    if info.compliant:
        evidence.append(f"compliant setup: {info.compliant}")
    if link.world is not None:  # holds only with another value the template allows (links/worlds.py)
        message = f"{message} ({link.world.phrase()})"
    also = _also(link.world, twins)
    if also:
        message = f"{message} (also {also})"
    return Finding(
        rule_id=info.id,
        severity=severity or info.severity,
        message=message,
        location=link.location,
        resource=link.address,
        evidence=evidence,
        related=list(link.related),
        fingerprint=fingerprint(info.id, link),
        unit=link.unit,
        world=link.world,
        twins=twins,
        former=former_fingerprints(info.id, link),
    )


def _twins(rule_id: str, link: Link) -> list[Twin]:
    """The link's twins (links/worlds.py): each world with its own fingerprint and the ends that differ."""
    return [Twin(replace(twin.world, contrast=""), twin_fingerprint(rule_id, link, twin), twin_ends(link, twin))
            for twin in link.twins if twin.world is not None]


def twin_ends(link: Link, twin: Link) -> tuple[str, ...]:
    """The evidence lines of the twin's ends that differ from the link's (the inventory names them too). A twin
    carried from an absorbed link (links/fold.py) differs from that link's ends, and its lines name it."""
    base = twin.part_of or link
    own = [end_identity(e) if e is not None else "" for e in (base.a, base.b)]
    lines = tuple(describe(e) for e, mine in zip((twin.a, twin.b), own) if e is not None and end_identity(e) != mine)
    if twin.part_of is not None:
        return tuple(f"{twin.address}: {line}" for line in lines)
    return lines + tuple(line for part in twin.folded for line in twin_ends(link, part))  # the parts in its world


def _also(world: World | None, twins: list[Twin]) -> str:
    """The twins' worlds a message does not name yet: "with parameter Peer = 168.95.1.1, one of its AllowedValues"."""
    named = set(world.values) if world is not None else set()
    by_parameter: dict[tuple[str, str], list[World]] = {}
    for t in twins:
        if world is not None and t.world.parameter == world.parameter and set(t.world.values) <= named:
            continue
        by_parameter.setdefault((t.world.noun, t.world.parameter), []).append(t.world)
    phrases = []
    for worlds in by_parameter.values():
        values = list(dict.fromkeys(v for w in worlds for v in w.values))
        shown = values[:5] + ([f"{len(values) - 5} more values"] if len(values) > 5 else [])
        phrases.append(f"with {replace(worlds[0], values=tuple(shown)).setting()}, {worlds[0].allows}")
    return "; ".join(phrases)


def crossing_message(title: str, link: Link) -> str:
    assert link.b is not None
    return (
        f"{title}: {link.address} connects {link.a.label} {PLACE[side(link.a)]} "
        f"with {link.b.label} {PLACE[side(link.b)]}"
    )


def unknown_message(title: str, link: Link) -> str:
    assert link.b is not None
    unknown = [end for end in (link.a, link.b) if side(end) is Side.UNKNOWN]
    known = [end for end in (link.a, link.b) if side(end) is not Side.UNKNOWN]
    if known:
        return (
            f"{title}: {link.address} has {known[0].label} {PLACE[side(known[0])]}, "
            f"but the location of {unknown[0].label} cannot be determined"
        )
    return f"{title}: {link.address}: the locations of neither {link.a.label} nor {link.b.label} can be determined"
