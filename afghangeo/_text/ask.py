"""Questions to the geocoder about the names of a text, and the answers it keeps.

Every place of a text is the geocoder's answer for its name with the hints the text
gives (``province=``, ``district=``, ``near=``, ``kinds=``): its score and status are the
geocoder's own. The one exception is a name the gazetteer lacks that the text locates
("the village of Sar Kalay in Sangin district"): it gets the point of the place it is
put in, ``source="text"`` and the score :data:`TEXT_SCORE`.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from afghangeo._geo import great_circle_km
from afghangeo._query import is_demonym
from afghangeo.admin import normalize_province, provinces
from afghangeo.errors import UnknownPlaceError
from afghangeo.geocoder import geocode_with_rivals as geocode
from afghangeo.names import fold_name
from afghangeo.place import Place

__all__ = [
    "BUILD",
    "TEXT_SCORE",
    "ask",
    "choose",
    "geocode_surface",
    "identity",
    "is_unsure",
    "km",
    "options",
    "province_spelling",
    "text_place",
]

#: Score of a place the gazetteer lacks that the text puts in or near another ("the
#: suburbs of Babaji", "the village of Sar Kalay in Sangin district").
TEXT_SCORE = 0.8
_CHOICE_KM = 150.0  # homonyms farther than this from every other place are not chosen
_OTHER_PROVINCE_KM = 50.0  # a homonym in another province counts as this much farther
_MIN_FUZZY, _MAX_FUZZY = 5, 16  # the lengths of words read as misspelt provinces
_KIND_WORDS = {"province": ("province",), "provincial": ("province",), "district": ("district",)}

# The registry version of the text being read: answers for one phrase and its hints
# are cached per version (a phrase is at most four words, so the cache stays small).
BUILD: ContextVar[int | None] = ContextVar("afghangeo_text_build", default=None)


def geocode_surface(surface: str, **hints: Any) -> Place | None:
    """Geocode a name as written; "Ghazni Province" is the province, not the city."""
    build = BUILD.get()
    key = tuple(sorted(hints.items()))
    return _geocode_surface(surface, key) if build is None else _cached(build, surface, key)


@functools.lru_cache(maxsize=65536)
def _cached(build: int, surface: str, hints: tuple[tuple[str, Any], ...]) -> Place | None:
    return _geocode_surface(surface, hints)


def _geocode_surface(surface: str, hints: tuple[tuple[str, Any], ...]) -> Place | None:
    words = surface.rsplit(None, 1)
    kinds = _KIND_WORDS.get(words[-1].lower()) if len(words) == 2 else None
    try:
        if kinds is not None:  # "Dasht-e Archi district": the district of that name
            place = geocode(words[0], kinds=kinds, **dict(hints))
            if place is not None:
                return place
        return geocode(surface, **dict(hints))
    except UnknownPlaceError:  # a hint the admin tables spell otherwise: no answer
        return None


@functools.lru_cache(maxsize=4096)
def province_spelling(word: str) -> str | None:
    """The province a misspelt name in a province's place means ("Nangahar"), if clear.

    Only a word as long as a province name, close to one (rapidfuzz ratio of the
    folded forms at least 85) and not a word for people ("Parwani") counts; the
    answer is then the single close suggestion of
    :func:`~afghangeo.admin.normalize_province`.

    >>> province_spelling("Nangahar"), province_spelling("Nagar"), province_spelling("Parwani")
    ('Nangarhar', None, None)
    """
    from rapidfuzz import fuzz, process

    folded = fold_name(word)
    if not _MIN_FUZZY <= len(folded) <= _MAX_FUZZY or is_demonym(word):
        return None
    if process.extractOne(folded, _province_folds(), scorer=fuzz.ratio, score_cutoff=85) is None:
        return None
    try:
        return normalize_province(word)
    except UnknownPlaceError as exc:
        close = [s for s in exc.suggestions if fuzz.ratio(folded, fold_name(s)) >= 85]
        return close[0] if len(close) == 1 else None


@functools.cache
def _province_folds() -> tuple[str, ...]:
    return tuple(fold_name(name) for name in provinces()["name"])


def is_unsure(place: Place) -> bool:
    """Whether the geocoder could not tell `place` from other places of its name."""
    return place.status == "ambiguous"


def km(a: Place, b: Place) -> float:
    return _km(a.lat, a.lon, b.lat, b.lon)


@functools.lru_cache(maxsize=65536)  # the same pairs of places come up again and again
def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return great_circle_km(lat1, lon1, lat2, lon2)


def options(place: Place) -> list[Place]:
    return [place, *place.alternatives]


def choose(
    place: Place, anchors: list[Place], limit_km: float = _CHOICE_KM
) -> tuple[Place, Place] | None:
    """(option, anchor): the option of `place` nearest to one of `anchors`, if near."""
    best: tuple[float, Place, Place] | None = None
    for option in options(place):
        for anchor in anchors:
            if option.province is not None and option.province == anchor.province:
                d = 0.0 if anchor.precision == "province" else km(option, anchor)
            else:
                d = km(option, anchor) + _OTHER_PROVINCE_KM
            if best is None or d < best[0]:
                best = (d, option, anchor)
    if best is None or best[0] > limit_km:
        return None
    return best[1], best[2]


def same(a: Place, b: Place) -> bool:
    return identity(a) == identity(b)


def ask(surface: str, place: Place, option: Place, anchor: Place) -> Place:
    """The geocoder's answer for `surface` given the hint that chose `option`.

    The other places the name may mean stay in ``alternatives``.
    """
    near = None if anchor.precision == "province" else (anchor.lat, anchor.lon)
    found = geocode_surface(surface, province=option.province, near=near) or option
    others = tuple(o for o in options(place) if not same(o, found))
    return replace(found, alternatives=others)


def identity(p: Place) -> tuple[Any, ...]:
    """What tells two places apart: name, province and point."""
    return p.name, p.province, p.lat, p.lon


def text_place(surface: str, a: Place) -> Place:
    """A place the gazetteer lacks, put by the text in or near `a`: its point and units.

    In a district ("the village of Sar Kalay in Sangin district") it is known to the
    district; near a town ("the suburbs of Lashkar Gah", which may spill into the next
    district) or in a province, to the province.
    """
    district = a.district if a.precision == "district" or a.kind == "district" else None
    return Place(
        name=surface, province=a.province, district=district, lat=a.lat, lon=a.lon,
        precision="district" if district else "province", kind="site", score=TEXT_SCORE,
        source="text", source_id=f"in {a.name}" if district else f"near {a.name}",
        status="uncertain",
    )  # fmt: skip
