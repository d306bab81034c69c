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

from xborder.model import Endpoint, Link, Side


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
    dropped: set[int] = set()
    for link in absorbing:
        for address in link.absorbs:
            key = (link.unit, _world(link), address)
            if key in creators:
                continue  # a creating link is never folded into another one
            parts = [p for p in by_key.get(key, []) if p.kind is link.kind]
            if not parts:
                continue
            if not _placed(link):
                link.notes.append(
                    f"{address} is part of this link; it is judged on its own as well because an end of this link "
                    "cannot be placed"
                )
                continue
            kept = [p for p in parts if _crosses(p) and not _crosses(link)]
            if kept:
                link.notes.append(
                    f"{address} is part of this link but crosses the border where this link does not; both are judged"
                )
            for p in parts:
                if p not in kept:
                    dropped.add(id(p))
                    link.folded.append(p)  # part of its identity (rules/common.fingerprint)
                    _carry_twins(link, p)
            if len(kept) < len(parts):
                link.notes.append(f"{address} is part of this link and is reported here, not on its own")
    return [link for link in links if id(link) not in dropped]


def _carry_twins(link: Link, part: Link) -> None:
    """The absorbed `part`'s twins (its deployments in other worlds with the same verdict and other ends,
    links/worlds.py) become twins of `link`, which now reports it: a finding's approval pinned by fingerprint must
    name them too, as it would had the part been judged on its own."""
    for twin in part.twins:
        link.twins.append(dataclasses.replace(twin, part_of=part, twins=[]))
