"""One vocabulary: precision levels, kinds of places, statuses and sentinel rows.

Every module imports these names instead of spelling the words (or numbers) again,
so that a level, a status or a sentinel is decided in one place.

>>> from afghangeo._vocab import Level, level_of
>>> Level.DISTRICT.word, level_of("airport").word, Level.from_word("province")
('district', 'place', <Level.PROVINCE: 3>)
>>> Level.PLACE < Level.DISTRICT < Level.PROVINCE
True
"""

from __future__ import annotations

import enum
from typing import Literal

__all__ = [
    "AREA_KINDS",
    "DISTRICT_KINDS",
    "KINDS",
    "LOCATE_STATUSES",
    "MATCH_STATUSES",
    "PLACED_STATUSES",
    "PLACEMENT_STATUSES",
    "PLACE_KINDS",
    "PRECISIONS",
    "PROVINCE_ONLY",
    "UNLOCATED",
    "Level",
    "MatchStatus",
    "PlacementStatus",
    "Precision",
    "level_of",
]

#: The precision of a place, as a word: an exact place, or only its district/province.
Precision = Literal["place", "district", "province"]
#: The words of :data:`Precision`, finest first.
PRECISIONS: tuple[Precision, ...] = ("place", "district", "province")


class Level(enum.IntEnum):
    """A precision level as a number: 0 unknown, 1 place, 2 district, 3 province.

    Larger is coarser, so ``max`` of two levels is the coarser one. ``word`` gives the
    :data:`Precision` word (``None`` for :attr:`NONE`).
    """

    NONE = 0
    PLACE = 1
    DISTRICT = 2
    PROVINCE = 3

    @property
    def word(self) -> Precision | None:
        """The precision word, or None for :attr:`NONE`."""
        return None if self is Level.NONE else PRECISIONS[self - 1]

    @classmethod
    def from_word(cls, word: str) -> Level:
        """The level of a precision word (``"place"``, ``"district"``, ``"province"``)."""
        try:
            return cls(PRECISIONS.index(word) + 1)  # type: ignore[arg-type, unused-ignore]
        except ValueError:
            return cls.NONE


#: Kinds of gazetteer entries, from the largest to the most specific. ``new_district``
#: is a district created after the boundary layer was drawn (Marjah): a district-level
#: place inside the district it was carved from.
AREA_KINDS = ("province", "district", "new_district")
DISTRICT_KINDS = ("district", "new_district")
PLACE_KINDS = (
    "capital", "town", "village", "quarter", "base", "airport", "crossing", "pass",
    "valley", "dam", "mountain", "area", "site",
)  # fmt: skip
KINDS = AREA_KINDS + PLACE_KINDS

_KIND_LEVEL = {
    "province": Level.PROVINCE,
    "district": Level.DISTRICT,
    "new_district": Level.DISTRICT,
}


def level_of(kind: str) -> Level:
    """The precision level of a kind of place: provinces and districts are areas.

    >>> level_of("province"), level_of("new_district"), level_of("village")
    (<Level.PROVINCE: 3>, <Level.DISTRICT: 2>, <Level.PLACE: 1>)
    """
    return _KIND_LEVEL.get(kind, Level.PLACE)


#: Statuses of one geocoded name (``geocode_many``): ``matched`` clears the documented
#: threshold with no close rival; ``uncertain`` is the best answer below it;
#: ``ambiguous`` has rivals that tie; ``not_found`` below ``min_score``; ``invalid``
#: is not a name at all.
MatchStatus = Literal["matched", "uncertain", "ambiguous", "not_found", "invalid"]
MATCH_STATUSES: tuple[MatchStatus, ...] = (
    "matched",
    "uncertain",
    "ambiguous",
    "not_found",
    "invalid",
)

#: Statuses of one incident row (``read_incidents``): how it was placed.
PlacementStatus = Literal["located", "geocoded", "province_only", "unlocated", "invalid"]
PLACEMENT_STATUSES: tuple[PlacementStatus, ...] = (
    "located", "geocoded", "province_only", "unlocated", "invalid",
)  # fmt: skip
#: The placement statuses of rows that count for a province.
PLACED_STATUSES: tuple[PlacementStatus, ...] = ("located", "geocoded", "province_only")

#: Statuses of a point looked up in the boundaries (``locate``).
LOCATE_STATUSES = ("ok", "outside", "invalid", "swapped?")

#: The row of a count table that holds what could not be placed in any province.
UNLOCATED = "unlocated"
#: The district row of a province that holds incidents known only to that province.
PROVINCE_ONLY = "(province only)"
