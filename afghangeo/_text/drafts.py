"""A place name found in a text while its place and role are decided, and the index of them.

:class:`Draft` is what the readers of :mod:`afghangeo._text` fill in; :class:`DraftIndex`
keeps a text's drafts in order of position, with look-ups by span and of the last town
named before a position.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Literal

from afghangeo.place import Place

__all__ = ["Draft", "DraftIndex", "Role"]

Role = Literal["event", "dateline", "reporting", "other"]

_TOWN_KINDS = ("capital", "town")  # what "the suburbs of" refers back to


@dataclass
class Draft:
    """A place name found in a text, while its place and role are being decided."""

    start: int
    end: int
    surface: str
    foreign: bool
    sentence: int
    place: Place | None = None
    role: Role = "other"
    near: str | None = None
    why: str = ""  # why it is not its sentence's event place: "title", "road", "relation"
    said: str = ""  # what the text calls it right after the name: "district", "province"

    @property
    def query(self) -> str:
        """What to ask the geocoder: the name, and "district" or "province" if the text says so."""
        return f"{self.surface} {self.said}" if self.said else self.surface


class DraftIndex:
    """The drafts of a text sorted by position (disjoint spans), with fast look-ups."""

    def __init__(self, drafts: list[Draft]) -> None:
        self.drafts = drafts
        self.ends = [d.end for d in drafts]
        self.towns = [d.start for d in drafts if _is_town(d)]

    def at(self, start: int, end: int) -> Draft | None:
        """The first draft whose span overlaps [start, end)."""
        k = bisect.bisect_right(self.ends, start)
        if k < len(self.drafts) and self.drafts[k].start < end:
            return self.drafts[k]
        return None

    def add(self, draft: Draft) -> None:
        k = bisect.bisect_right(self.ends, draft.start)
        self.drafts.insert(k, draft)
        self.ends.insert(k, draft.end)

    def replace(self, old: Draft, new: Draft) -> None:
        """Put `new` in the place of `old` (a longer span over it: "Ruy-e Doab" for "Doab")."""
        k = self.drafts.index(old)
        self.drafts[k] = new
        self.ends[k] = new.end
        if _is_town(old):
            self.towns.remove(old.start)
        if _is_town(new):
            bisect.insort(self.towns, new.start)

    def set_place(self, draft: Draft, place: Place) -> None:
        """Give `draft` its place, keeping the list of towns right (no stale entries)."""
        was = _is_town(draft)
        draft.place = place
        if was and not _is_town(draft):
            k = bisect.bisect_left(self.towns, draft.start)
            if k < len(self.towns) and self.towns[k] == draft.start:
                del self.towns[k]
        elif not was and _is_town(draft):
            bisect.insort(self.towns, draft.start)

    def town_before(self, pos: int) -> Draft | None:
        """The last town or city named before `pos`."""
        k = bisect.bisect_left(self.towns, pos)
        while k > 0:
            k -= 1
            d = self.at(self.towns[k], self.towns[k] + 1)
            if d is not None and _is_town(d):
                return d
        return None


def _is_town(d: Draft) -> bool:
    return d.place is not None and d.place.kind in _TOWN_KINDS
