"""Geocoding: pick a place for a name, score it, say how precise it is, or abstain.

The decision, for one name:

1. Empty input is ``invalid``; foreign names (Doha, Quetta ...) and words for people
   (Afghan, Kabuli ...) are ``not_found``.
2. Candidates come from the gazetteer: same folded spelling (``exact``), same name key
   (a transliteration variant, ``key``), else a similar key (``fuzzy``).
3. Hints restrict them: ``province``/``district`` keep only entries inside; ``near`` keeps
   those within ``near_km`` of a point or of another named place; ``kinds`` filters kinds.
4. Entries that describe one place at several scales (Kabul the province, the district
   and the city) form one *option*, represented by its most specific entry — except that
   a province name stands for the province unless its namesake town is the capital.
5. Each option is scored by the shipped calibration (:mod:`afghangeo._calibration`): a
   conditional logit over match features (match kind, similarity of whole spellings,
   name length, how many entries share the key, kinds, population, hints, rivals), so
   that of the answers scored about s, about s are right — measured in the open world
   by ``benchmarks/calibration.py``. The scores of one query's options sum to less
   than 1; the rest is the probability that the name is a place the index lacks.
6. The answer is the best-scored option, the others are its ``alternatives``. Status:
   ``ambiguous`` when a rival scores at least half the answer's score; else
   ``matched`` when the score is at least the calibrated threshold (0.8); else
   ``uncertain``. With the default ``min_score``, the geocoder abstains
   (``not_found``) when the options' total score is below the calibrated ``min_total``
   (0.5): the answer and its alternatives would then be more often wrong than right.

Queries that name several places or describe one ("A and B", "the outskirts of X",
"the A–B highway") are split by :mod:`afghangeo._query` — after the whole query failed
to match as one name — and answered with the smallest unit that holds all parts.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from afghangeo import _calibration, _districtnames
from afghangeo._checks import check_number
from afghangeo._decide import Answer, accept, resolve_in
from afghangeo._vocab import KINDS, MATCH_STATUSES, MatchStatus
from afghangeo.admin import normalize_district, normalize_province
from afghangeo.errors import InvalidInputError
from afghangeo.names import CACHE_MAX_CHARS, MAX_NAME_CHARS, fold_name, name_key
from afghangeo.place import Place
from afghangeo.registry import registry

__all__ = [
    "STATUSES",
    "Query",
    "accept",
    "geocode",
    "geocode_with_rivals",
    "hints",
    "near_key",
    "resolve",
]

STATUSES = MATCH_STATUSES


@dataclass(frozen=True, slots=True)
class Query:
    """One question to the geocoder, hints normalized: the key of its answer cache."""

    name: str
    province: str | None = None
    district: str | None = None
    near: Any = None
    kinds: tuple[str, ...] | None = None
    near_km: float = 60.0


#: At most this many answers are cached per gazetteer version.
CACHE_SIZE = 100_000
_INVALID = Answer(None, "invalid")
_NOT_FOUND = Answer(None, "not_found")


def resolve(query: Query) -> Answer:
    """The answer to `query` with the gazetteers in use, cached per registry version.

    The cache belongs to the registry: a new version (a gazetteer added or removed,
    here or in another process) starts an empty one. Names too long to be a place
    are answered without a look-up and never cached.
    """
    if len(query.name) > MAX_NAME_CHARS:
        return _NOT_FOUND
    if not fold_name(query.name):
        return _INVALID
    reg = registry()
    version, gaz = reg.current()
    cache = reg.cache("geocoder", version)
    found = cache.get(query)
    if found is None:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        hints = (query.province, query.district, query.kinds)
        found = resolve_in(gaz, query.name, hints, query.near, query.near_km)
        if found.place is None and found.status != "invalid" and query.province is not None:
            found = _near_district(gaz, query) or found
        elif found.place is not None and found.place.kind == "province":
            found = _namesake_inside(gaz, query) or found
        if len(query.name) <= CACHE_MAX_CHARS:
            cache[query] = found
    assert isinstance(found, Answer)
    return found


_INSIDE = tuple(k for k in KINDS if k != "province")


def _namesake_inside(gaz: Any, query: Query) -> Answer | None:
    """A province's name asked within that province: the town or district so named.

    The hint already says the province, so "Balkh" in Balkh is the town of Balkh (as
    "Kandahar" in Kandahar is the city); only a place whose own name is a spelling of
    the one asked (same name key) counts: an alternate name would be a guess.
    """
    if query.province is None or query.kinds is not None:
        return None
    key = name_key(query.name)
    if key != name_key(query.province):
        return None
    hints = (query.province, query.district, _INSIDE)
    inside = resolve_in(gaz, query.name, hints, query.near, query.near_km)
    place = inside.place
    if place is None or place.status != "matched" or name_key(place.name) != key:
        return None
    return inside


def _near_district(gaz: Any, query: Query) -> Answer | None:
    """A name that nothing matched, as a near miss of a district of the hinted province.

    "Nahre Sirraj" in Helmand is Nahri Sarraj (:func:`afghangeo._districtnames.near_miss`:
    clearly closest to one of the province's districts), if at least 90 % similar or
    said to be a district ("Aliigar district"). Scored no higher than the spellings'
    similarity, nor than the calibration's ``unsure_cap``.
    """
    if query.district is not None or query.kinds is not None or query.near is not None:
        return None
    assert query.province is not None
    near = _districtnames.near_miss_similarity(query.name, query.province)
    if near is None:
        return None
    district, similarity = near
    if (
        not _districtnames.said_district(query.name)
        and 100 * similarity < _districtnames.MIN_SIMILARITY_UNSAID
    ):
        return None
    answer = resolve_in(gaz, district, (query.province, district, ("district",)))
    if answer.place is None:
        return None
    model = _calibration.load()
    # a near miss is a dissimilar spelling: never in the 0.9 band (see unsure_cap)
    score = round(min(answer.place.score, similarity, model.unsure_cap), 3)
    status: MatchStatus = "matched" if score >= model.matched else "uncertain"
    place = dataclasses.replace(answer.place, score=score, status=status, alternatives=())
    return Answer(place, status, score, "near_district")


def hints(
    province: str | None, district: str | None, kinds: Iterable[str] | None
) -> tuple[str | None, str | None, tuple[str, ...] | None]:
    """Province and district hints in canonical spelling, and the kinds as a tuple."""
    prov = normalize_province(province) if province is not None else None
    dist = normalize_district(district, province=prov) if district is not None else None
    if dist is not None and prov is None:
        prov = _district_province(dist)
    if isinstance(kinds, str):
        kinds = (kinds,)
    if kinds is not None and not isinstance(kinds, Iterable):
        msg = f"kinds must be a list of kinds such as ['town', 'village'], got {kinds!r}."
        raise InvalidInputError(msg)
    kind_tuple = tuple(kinds) if kinds is not None else None
    if kind_tuple is not None:
        unknown = [k for k in kind_tuple if k not in KINDS]
        if unknown:
            msg = f"Unknown kinds {unknown!r}; choose from {KINDS}."
            raise InvalidInputError(msg)
    return prov, dist, kind_tuple


@functools.cache
def _district_province(district: str) -> str:
    """Province of a district name that normalize_district found unique."""
    from afghangeo import _data

    table = _data.read_layer("districts")
    return str(table.loc[table["name"] == district, "province"].iloc[0])


def geocode(
    name: str,
    *,
    province: str | None = None,
    district: str | None = None,
    near: tuple[float, float] | str | None = None,
    kinds: Iterable[str] | None = None,
    min_score: float | None = None,
    near_km: float = 60.0,
) -> Place | None:
    """Resolve an Afghan place name to one place, or abstain.

    Parameters
    ----------
    name : str
        Name as written in a report: any common transliteration, or Dari/Pashto script;
        or a query naming several places or describing one ("Sangin and Musa Qala",
        "the outskirts of Kunduz", "the Kabul–Jalalabad highway"): then the smallest
        district or province that holds them all, with the parts in ``Place.parts``.
    province : str, optional
        Province hint in any spelling or code; restricts candidates to that province.
    district : str, optional
        District hint; restricts candidates to that district (or its province's level).
    near : (lat, lon) or str, optional
        A point, or the name of a place, that the place is near (within `near_km`);
        chooses among places of the same name ("Nawa" near "Lashkar Gah").
    kinds : iterable of str, optional
        Only these kinds (``province``, ``district``, ``capital``, ``town``, ...).
    min_score : float, optional
        Abstain when the answer's score is lower. By default, abstain when the answer,
        or the answer and its alternatives together, score below the calibrated 0.5:
        it would be more often wrong than right ("Nawa" alone may be Ghazni's or
        Helmand's; ``min_score=0`` shows both).
    near_km : float, default 60
        How far "near" reaches, in kilometres.

    Returns
    -------
    Place or None
        The best-scored option, with its ``status`` (``matched``, ``uncertain`` or
        ``ambiguous``) and ``alternatives``; None when the name is not found.

    Raises
    ------
    UnknownPlaceError
        If `province` or `district` is not a known province or district.

    Examples
    --------
    >>> ag.geocode("Lashkargah").province
    'Helmand'
    >>> ag.geocode("Nawa", province="Helmand").name
    'Nawa-i-Barakzayi'
    >>> ag.geocode("Nawa") is None
    True
    >>> ag.geocode("Nawa", min_score=0).status
    'ambiguous'
    >>> ag.geocode("Badghis").precision
    'province'
    >>> ag.geocode("Springfield") is None
    True
    """
    return accept(
        _answer(
            name,
            province=province,
            district=district,
            near=near,
            kinds=kinds,
            min_score=min_score,
            near_km=near_km,
        ),
        min_score,
    )


def _answer(
    name: object,
    *,
    province: str | None,
    district: str | None,
    near: object,
    kinds: Iterable[str] | None,
    min_score: float | None,
    near_km: float,
) -> Answer:
    """The checked query's answer, before acceptance (shared by the two geocode forms)."""
    if not isinstance(name, str):
        msg = f"A place name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    if min_score is not None:
        check_number(min_score, "min_score", low=0, high=1)
    if near_km != 60.0:
        check_number(near_km, "near_km", low=0)
    prov, dist, kind_tuple = hints(province, district, kinds)
    return resolve(Query(name, prov, dist, near_key(near), kind_tuple, near_km))


def geocode_with_rivals(
    name: str,
    *,
    province: str | None = None,
    district: str | None = None,
    near: tuple[float, float] | str | None = None,
    kinds: Iterable[str] | None = None,
    min_score: float | None = None,
    near_km: float = 60.0,
) -> Place | None:
    """:func:`geocode`, keeping an answer that rivals make more likely wrong than right.

    For callers that settle such rivals themselves (the text extractor asks "Nawa"
    and then reads "a district neighbouring Lashkar Gah"); options as for geocode.
    """
    answer = _answer(
        name,
        province=province,
        district=district,
        near=near,
        kinds=kinds,
        min_score=min_score,
        near_km=near_km,
    )
    return accept(answer, min_score, rivals=True)


def near_key(near: object) -> Any:
    """`near` as a hashable cache key: a (lat, lon) tuple or a name; checked."""
    if near is None or isinstance(near, str):
        return near
    if isinstance(near, Sequence) and len(near) == 2:
        lat, lon = near
        return (check_number(lat, "near latitude"), check_number(lon, "near longitude"))
    msg = f"near must be a (lat, lon) pair or a place name, got {type(near).__name__} {near!r}."
    raise InvalidInputError(msg)
