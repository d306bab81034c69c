"""Links of other deployments (worlds: inputs/cloudformation/worlds.py, inputs/terraform/worlds.py), kept only where they change a verdict.

A world evaluates its template again with one parameter at another allowed value, so most of its links are the
default world's links again, or differ only where no rule looks (a tag, another mainland address). After the
jurisdiction stage each world link is compared with the default world's link of the same unit, address, kind and
type: one whose ends fall on the same sides (with the same provider and carrier) says nothing new and is dropped,
as is one equal to a world link already kept (whose world then names both values). So a finding holds only in a
world exactly when it is reported with that world, and a finding equal in two worlds is reported once.

A dropped world link whose ends differ from the reported link's (a Taiwan peer where the defaults give a Hong Kong
one: the same verdict) is kept on the reported link as a twin (`Link.twins`): its finding names that world and the
twin's own fingerprint (rules/common.py), and an approval pinned by fingerprint covers the finding only when it
names every twin's fingerprint too (suppress.py): a pin covers the ends it was written for, never another value
the template allows.

A parameter without Default has no default world of its own: today's evaluation makes its value Unknown, and each
allowed value is a world. The default world's link is dropped when the worlds of such a parameter were all
judged and each of their links places an end the default world could not: the worlds then say all that can be
deployed (a template whose allowed values are all mainland is clean rather than "cannot be determined").
"""

from __future__ import annotations

import dataclasses

from xborder.model import Link, Side, ends_identity

Key = tuple[str, str, str, str]


def _key(link: Link) -> Key:
    return (link.unit, link.address, link.kind.value, link.resource_type)


def _side(end: object) -> Side:
    j = getattr(end, "jurisdiction", None)
    return j.side if j is not None else Side.UNKNOWN


def _verdict(link: Link) -> tuple[object, ...]:
    return (_side(link.a), None if link.b is None else _side(link.b), link.network_provider, link.operator)


def _unknown_ends(link: Link) -> frozenset[int]:
    return frozenset(i for i, end in enumerate((link.a, link.b)) if end is not None and _side(end) is Side.UNKNOWN)


def settle(links: list[Link]) -> list[Link]:
    """The default world's links, and each world link whose verdict no default-world or earlier world link gives."""
    if not any(link.world is not None for link in links):
        return links
    base: dict[Key, list[Link]] = {}
    per_world: dict[tuple[str, str, str], list[Link]] = {}  # (unit, parameter, value) -> its links
    for link in links:
        if link.world is None:
            base.setdefault(_key(link), []).append(link)
        else:
            per_world.setdefault((link.unit, link.world.parameter, link.world.values[0]), []).append(link)
    replaced = _replaced(base, per_world)
    kept: list[Link] = []
    first: dict[tuple[Key, tuple[object, ...]], int] = {}  # a kept world link, by key and verdict -> index in kept
    known: dict[int, dict[tuple[str, ...], Link | None]] = {}  # per reported link, the ends of it and its twins
    for link in links:
        if link.world is None:
            if id(link) not in replaced:
                kept.append(link)
            continue
        key, verdict = _key(link), _verdict(link)
        same = next((d for d in base.get(key, []) if _verdict(d) == verdict), None)
        if same is not None:  # a replaced one too: its worlds are judged
            _twin(same, link, known)
            continue
        earlier = first.get((key, verdict))
        if earlier is not None:
            other = kept[earlier]
            assert other.world is not None
            if other.world.parameter == link.world.parameter:
                other.world = dataclasses.replace(other.world, values=(*other.world.values, *link.world.values),
                                                  doubts=(*other.world.doubts, *link.world.doubts))
            _twin(other, link, known)
            continue
        link.world = dataclasses.replace(link.world, contrast=_contrast(link, base.get(key, [])))
        first[(key, verdict)] = len(kept)
        kept.append(link)
    for link in kept:
        if link.world is not None:
            link.notes.append(f"judged {link.world.phrase()}: a value the configuration allows at deploy time")
    return kept


def _twin(host: Link, link: Link, known: dict[int, dict[tuple[str, ...], Link | None]]) -> None:
    """Keep `link` (a world's) on `host` (the link with the same verdict that is reported) when its ends differ:
    a finding on `host` then names that world, and the world's own fingerprint is what a pinned approval must
    name to cover it. Ends equal to the host's or to a twin's already kept add nothing but the world's value.
    `known`: per host, the ends seen (its own -> None, each twin's -> the twin), so each link is looked up once."""
    seen = known.get(id(host))
    if seen is None:
        seen = known[id(host)] = {ends_identity(host): None}
    ends = ends_identity(link)
    if ends not in seen:
        seen[ends] = link
        host.twins.append(link)
        return
    twin = seen[ends]
    assert link.world is not None
    if twin is not None and twin.world is not None and twin.world.parameter == link.world.parameter:
        twin.world = dataclasses.replace(twin.world, values=(*twin.world.values, *link.world.values),
                                         doubts=(*twin.world.doubts, *link.world.doubts))


def _replaced(base: dict[Key, list[Link]], per_world: dict[tuple[str, str, str], list[Link]]) -> set[int]:
    """Default-world links that the worlds of a parameter without Default fully replace.

    The worlds' links are indexed by key once: looking each default-world link's twins up by scanning every world
    link was quadratic (a template of 3,000 VPNs whose parameter has no Default ran for many minutes)."""
    out: set[int] = set()
    by_param: dict[tuple[str, str], dict[Key, list[Link]]] = {}  # (unit, parameter) -> key -> its worlds' links
    for (unit, parameter, _), world_links in per_world.items():
        world = world_links[0].world
        if world is not None and world.default is None and world.all_judged:
            keyed = by_param.setdefault((unit, parameter), {})
            for w in world_links:
                keyed.setdefault(_key(w), []).append(w)
    by_unit: dict[str, list[dict[Key, list[Link]]]] = {}
    for (unit, _), keyed in by_param.items():
        by_unit.setdefault(unit, []).append(keyed)
    for key, links in base.items():
        for link in links:
            unknown = _unknown_ends(link)
            if not unknown:
                continue
            for keyed in by_unit.get(link.unit, ()):
                twins = keyed.get(key)
                if twins and all(_unknown_ends(t) < unknown for t in twins):
                    out.add(id(link))
                    break
    return out


def _contrast(link: Link, defaults: list[Link]) -> str:
    """What the default world gives for this link, for the finding's message."""
    world = link.world
    assert world is not None
    word = world.default_word
    if world.default is None:
        return f"the {world.noun} has no {word}"
    if not defaults:
        return f"with its {word} {world.default} this link is not created"
    sides = sorted({", ".join(s.value for s in _verdict(d)[:2] if s is not None) for d in defaults})
    return f"with its {word} {world.default} the ends are {' / '.join(sides)}"
