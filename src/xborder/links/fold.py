"""One link, one finding: a link made of several resources is judged once, at the resource that creates it.

A declaration's `related` entries with `absorb: true` name resources whose own links are part of this one
(the bandwidth plan a CEN inter-region connection draws from, the accepter of a peering). Once both ends of
the creating link are placed, those links are dropped; their resources stay as related locations of the
creating link, so they show in every report and in the inventory row. This runs after the jurisdiction
stage because it must not hide anything: a creating link with an end that cannot be placed keeps the
absorbed links (they may be the only place the configuration states), and an absorbed link that crosses
the border is kept when the creating link does not.

The absorbed links a creating link reports are kept on it (`Link.folded`): their addresses and ends are part of its
fingerprint, so an approval pinned to it covers the parts as they were when it was written.
"""

from __future__ import annotations

import dataclasses

from xborder.model import Endpoint, Link, Side, World


def _side(end: Endpoint | None) -> Side:
    return end.jurisdiction.side if end is not None and end.jurisdiction is not None else Side.UNKNOWN


def _placed(link: Link) -> bool:
    return all(_side(e) is not Side.UNKNOWN for e in (link.a, link.b) if e is not None) and link.b is not None


def _crosses(link: Link) -> bool:
    return {_side(link.a), _side(link.b)} == {Side.MAINLAND, Side.OFFSHORE}


def _world(link: Link) -> object:
    return None if link.world is None else (link.world.parameter, link.world.values[0])


def fold(links: list[Link]) -> list[Link]:
    """The links with every absorbed link removed where its creating link can stand for it."""
    absorbing = [link for link in links if link.absorbs]
    if not absorbing:
        return links
    # a world's link (another allowed parameter value, links/worlds.py) absorbs only links of the same world
    by_key: dict[tuple[str, object, str], list[Link]] = {}
    for link in links:
        by_key.setdefault((link.unit, _world(link), link.address), []).append(link)
    creators = {(link.unit, _world(link), link.address) for link in absorbing}
    in_worlds: dict[tuple[str, str], list[Link]] = {}  # a creating link's own world links (another verdict)
    for link in absorbing:
        if link.world is not None:
            in_worlds.setdefault((link.unit, link.address), []).append(link)
    dropped: set[int] = set()
    judged: list[Link] = []  # parts' twins judged in a world where the creating link has its own verdict
    for link in absorbing:
        for address in link.absorbs:
            key = (link.unit, _world(link), address)
            if key in creators:
                continue  # a creating link is never folded into another one
            parts = [p for p in by_key.get(key, []) if p.kind is link.kind]
            if not parts:
                continue
            decided = [(p, _decide(link, p)) for p in parts]
            if any(why == _UNPLACED for _p, why in decided):  # the creating link's own ends: every part alike
                link.notes.append(_unplaced_note(address))
                continue
            kept = [p for p, why in decided if why]
            if kept:
                link.notes.append(_both_judged_note(address))
            for p in parts:
                if p not in kept:
                    dropped.add(id(p))
                    link.folded.append(p)  # part of its identity (rules/common.fingerprint)
                    _carry_twins(link, p, in_worlds.get((link.unit, link.address), []) if link.world is None else [], judged)
            if len(kept) < len(parts):
                link.notes.append(_reported_here_note(address))
    return [link for link in links if id(link) not in dropped] + judged


_UNPLACED, _CROSSES = "unplaced", "crosses"


def _decide(creator: Link, part: Link) -> str:
    """Why `part` is judged on its own instead of being reported by `creator` (fold's one rule, for its own loop and
    for a world's part, `_join`): an end of `creator` cannot be placed (the part may be the only place the
    configuration states), or `part` crosses the border where `creator` does not (a crossing never hides behind a
    link that does not cross); "" when `creator` stands for it."""
    if not _placed(creator):
        return _UNPLACED
    if _crosses(part) and not _crosses(creator):
        return _CROSSES
    return ""


def _unplaced_note(address: str) -> str:
    return (f"{address} is part of this link; it is judged on its own as well because an end of this link "
            "cannot be placed")


def _both_judged_note(address: str) -> str:
    return f"{address} is part of this link but crosses the border where this link does not; both are judged"


def _reported_here_note(address: str) -> str:
    return f"{address} is part of this link and is reported here, not on its own"


def _carry_twins(link: Link, part: Link, worlds: list[Link], judged: list[Link]) -> None:
    """The absorbed `part`'s twins (its deployments in other worlds with the same verdict and other ends,
    links/worlds.py) become twins of `link`, which now reports it: a finding's approval pinned by fingerprint must
    name them too, as it would had the part been judged on its own. Each world is stated once, with the verdict
    that world gets:
    - where `link` has its own world link (`worlds`: another verdict there, links/worlds.py), the part's twin is
      that world's part, joined to that world link as `fold` joins any part (`_join`), not a twin of `link`; it
      remembers the twin it was before (`twin_of`: its former fingerprint, rules/common.py);
    - where `link` has a twin of its own in the same world (same verdict, other ends), that twin is the world's one
      deployment: the part's twin goes into it (`folded`: its fingerprint and ends name the part as it is there)
      instead of being a second twin of the same world, for the values both stand for (`_split`)."""
    for twin in part.twins:
        world = twin.world
        if world is None:
            continue
        left = list(world.values)
        for other in worlds:
            if other.world is None or other.world.parameter != world.parameter or other.kind is not link.kind:
                continue
            common = [v for v in left if v in other.world.values]
            if common:
                left = [v for v in left if v not in common]
                there = _with_values(world, common, contrast=_contrast(world, link))
                _join(other, dataclasses.replace(twin, world=there, twins=[], notes=list(twin.notes), twin_of=(link, part)),
                      part, judged)
        for own in list(link.twins):
            if own.part_of is not None or own.world is None or own.world.parameter != world.parameter:
                continue
            common = [v for v in own.world.values if v in left]
            if common:
                left = [v for v in left if v not in common]
                _split(link, own, common).folded.append(
                    dataclasses.replace(twin, part_of=part, twins=[], world=_with_values(world, common)))
        if left:
            link.twins.append(dataclasses.replace(twin, part_of=part, twins=[], world=_with_values(world, left)))


def _split(link: Link, own: Link, values: list[str]) -> Link:
    """`link`'s own twin for `values` only: `own` itself when it stands for no other, else a twin of its own split
    from `own` (which keeps the other values). One twin stands for several values only while every part is the
    same in each: a part that differs in some of them makes those another deployment, with its own fingerprint."""
    assert own.world is not None
    rest = [v for v in own.world.values if v not in values]
    if not rest:
        return own
    split = dataclasses.replace(own, world=_with_values(own.world, values), folded=list(own.folded),
                                notes=list(own.notes), related=list(own.related), twins=list(own.twins))
    at = next(i for i, t in enumerate(link.twins) if t is own)
    first = own.world.values.index(values[0]) < own.world.values.index(rest[0])  # in the values' order
    own.world = _with_values(own.world, rest)
    link.twins.insert(at if first else at + 1, split)
    return split


def _join(creator: Link, part: Link, address_of: Link, judged: list[Link]) -> None:
    """`part` (a world's deployment of an absorbed link) with `creator`, that world's own link: folded into it as
    `fold` does, or judged on its own (`judged`) when `creator` cannot stand for it."""
    address = address_of.address
    decided = _decide(creator, part)
    note = {_UNPLACED: _unplaced_note, _CROSSES: _both_judged_note}.get(decided, _reported_here_note)(address)
    if note not in creator.notes:
        creator.notes.append(note)
    if not decided:
        creator.folded.append(part)
        return
    why = (f"an end of {creator.address} cannot be placed there" if decided == _UNPLACED
           else f"{creator.address} does not cross the border there")
    assert part.world is not None
    part.notes.append(f"judged {part.world.phrase()}: a value the configuration allows at deploy time")
    part.notes.append(f"part of {creator.address}, judged on its own in this deployment: {why}")
    judged.append(part)


def _with_values(world: World, values: list[str], contrast: str | None = None) -> World:
    if len(values) == len(world.values) and contrast is None:
        return world
    return dataclasses.replace(world, values=tuple(values), doubts=tuple(d for d in world.doubts if d[0] in values),
                               **({} if contrast is None else {"contrast": contrast}))


def _contrast(world: World, link: Link) -> str:
    """What the defaults give for a part judged in a world of its own: it is part of the creating link there."""
    if world.default is None:
        return f"the {world.noun} has no {world.default_word}"
    return f"with its {world.default_word} {world.default} it is judged as part of {link.address}"
