"""Geocoding: pick a place for a name, score it, say how precise it is, or abstain.

The decision, for one name:

1. Foreign names (Doha, Quetta, Washington ...) and empty input abstain.
2. Candidates come from the gazetteer: same folded spelling (``exact``), same name key
   (a transliteration variant, ``key``), else a similar key (``fuzzy``).
3. Hints restrict them: ``province``/``district`` keep only entries inside; ``near`` keeps
   those within ``near_km`` of a point or of another named place; ``kinds`` filters kinds.
4. Entries that describe one place at several scales (Kabul the province, the district
   and the city) form one group, represented by its most specific entry — except that
   a province name stands for the province unless its namesake town is the capital
   (Kabul → the city; Badghis, Balkh → the province).
5. Score (0–1): exact spellings 0.99, transliteration variants 0.80–0.95 by spelling
   similarity, fuzzy matches at most 0.85. Several groups at the best level with no hint
   to choose between them (Nawa in Ghazni and in Helmand) cap the score at 0.75 and
   the result is ``ambiguous``, with the others in ``alternatives``.

Scores of 0.9 and more are only given to exact or transliteration matches with one
place to choose from; ``benchmarks/geocode.py`` measures how often they are right.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from afghangeo import registry as user_gazetteer
from afghangeo._geo import great_circle_km
from afghangeo._vocab import Precision
from afghangeo.admin import normalize_district, normalize_province
from afghangeo.errors import InvalidInputError
from afghangeo.gazetteer import KINDS, Candidate, Gazetteer, is_foreign
from afghangeo.names import fold_name
from afghangeo.place import Place

__all__ = ["STATUSES", "geocode", "geocode_many"]

STATUSES = ("matched", "ambiguous", "not_found", "invalid")
_SPECIFIC = {kind: rank for rank, kind in enumerate(KINDS)}  # higher = more specific
_PRECISION: dict[str, Precision] = {"province": "province", "district": "district"}
AMBIGUOUS_CAP = 0.75
SAME_PLACE_KM = 12.0


def _build() -> int:
    """Number of the gazetteer build in use; caches of answers are keyed on it."""
    return user_gazetteer.active()[0]


def _entry_place(gaz: Gazetteer, cand: Candidate, score: float) -> Place:
    row = gaz.entries.iloc[cand.entry]
    district = row["district"] if isinstance(row["district"], str) else None
    return Place(
        name=str(row["name"]),
        province=row["province"] if isinstance(row["province"], str) else None,
        district=district,
        lat=float(row["lat"]),
        lon=float(row["lon"]),
        precision=_PRECISION.get(row["kind"], "place"),
        kind=str(row["kind"]),
        score=round(score, 3),
        source=str(row["source"]),
        source_id=str(row["source_id"]),
    )


def _score(cand: Candidate) -> float:
    if cand.match == "exact":
        return 0.99
    if cand.match == "key":
        return 0.80 + 0.15 * cand.similarity
    return min(0.85, 0.55 + 0.30 * (cand.similarity - 0.7) / 0.3)


def _keep(cand: Candidate) -> bool:
    """Drop key matches whose spellings differ too much (Doha vs Dehi share a key)."""
    return cand.match == "exact" or cand.similarity >= (0.7 if cand.match == "key" else 0.75)


def _distance_km(a: Place, lat: float, lon: float) -> float:
    return great_circle_km(a.lat, a.lon, lat, lon)


def _same_place(a: Place, b: Place) -> bool:
    if a.province != b.province:
        return False
    for big, small in ((a, b), (b, a)):
        if big.kind == "province" or (big.kind == "district" and big.district == small.district):
            return True
    return _distance_km(a, b.lat, b.lon) <= SAME_PLACE_KM


def _representative(group: list[Place], query: str) -> Place:
    capital = [p for p in group if p.kind == "capital"]
    province = [p for p in group if p.kind == "province"]
    if province and not capital:
        best = province[0]
    else:
        # a place (town, village ...) over the district around it; then the entry
        # that matched best and is called what was asked for
        def rank(p: Place) -> tuple[bool, float, bool, int]:
            return (p.precision == "place", p.score, fold_name(p.name) == query, _SPECIFIC[p.kind])

        best = max(group, key=rank)
    return replace(best, score=max(p.score for p in group))


def _group(places: list[Place], query: str) -> list[Place]:
    groups: list[list[Place]] = []
    for place in sorted(places, key=lambda p: -p.score):
        for group in groups:
            if any(_same_place(place, other) for other in group):
                group.append(place)
                break
        else:
            groups.append([place])
    return sorted((_representative(g, query) for g in groups), key=lambda p: -p.score)


def _near_point(near: tuple[float, float] | str) -> tuple[float, float]:
    if isinstance(near, str):
        place = geocode(near)
        if place is None:
            msg = f"near={near!r} is not a place afghangeo knows; pass (lat, lon) instead."
            raise InvalidInputError(msg)
        return place.lat, place.lon
    lat, lon = near
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        msg = f"near must be (lat, lon) in degrees, got {near!r}."
        raise InvalidInputError(msg)
    return float(lat), float(lon)


def _resolve(
    build: int,
    name: str,
    province: str | None,
    district: str | None,
    near: tuple[float, float] | str | None,
    kinds: tuple[str, ...] | None,
    near_km: float,
) -> tuple[Place | None, str]:
    if not fold_name(name):
        return None, "invalid"
    if is_foreign(name):
        return None, "not_found"
    gaz = user_gazetteer.built(build)
    places = [_entry_place(gaz, c, _score(c)) for c in gaz.candidates(name) if _keep(c)]
    if kinds:
        places = [p for p in places if p.kind in kinds]
    if province:
        places = [p for p in places if p.province == province]
    if district:
        places = [p for p in places if p.district == district or p.kind == "province"]
    if not places:
        return None, "not_found"
    groups = _group(places, fold_name(name))
    if near is not None and len(groups) > 1:
        lat, lon = _near_point(near)
        dist = [_distance_km(g, lat, lon) for g in groups]
        order = sorted(range(len(groups)), key=dist.__getitem__)
        if dist[order[0]] <= near_km:
            groups = [groups[i] for i in order if dist[i] <= near_km] + [
                groups[i] for i in order if dist[i] > near_km
            ]
            close = [g for g, d in zip(groups, sorted(dist), strict=True) if d <= near_km]
            if len(close) == 1:
                return replace(groups[0], alternatives=tuple(groups[1:])), "matched"
    best = groups[0]
    rivals = [g for g in groups[1:] if g.score >= best.score - 0.02]
    if rivals:
        capped = replace(best, score=min(best.score, AMBIGUOUS_CAP), alternatives=tuple(groups[1:]))
        return capped, "ambiguous"
    return replace(best, alternatives=tuple(groups[1:])), "matched"


def _hints(
    province: str | None, district: str | None, kinds: Iterable[str] | None
) -> tuple[str | None, str | None, tuple[str, ...] | None]:
    prov = normalize_province(province) if province is not None else None
    dist = normalize_district(district, province=prov) if district is not None else None
    if dist is not None and prov is None:
        prov = _district_province(dist)
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
    min_score: float = 0.0,
    near_km: float = 60.0,
) -> Place | None:
    """Resolve an Afghan place name to one place, or abstain.

    Parameters
    ----------
    name : str
        Name as written in a report: any common transliteration, or Dari/Pashto script.
    province : str, optional
        Province hint in any spelling or code; restricts candidates to that province.
    district : str, optional
        District hint; restricts candidates to that district (or its province's level).
    near : (lat, lon) or str, optional
        A point, or the name of a place, that the place is near (within `near_km`);
        chooses among places of the same name ("Nawa" near "Lashkar Gah").
    kinds : iterable of str, optional
        Only these kinds (``province``, ``district``, ``capital``, ``town``, ...).
    min_score : float, default 0.0
        Abstain when the best score is lower.
    near_km : float, default 60
        How far "near" reaches, in kilometres.

    Returns
    -------
    Place or None
        The best match, or None when no candidate is good enough.

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
    >>> ag.geocode("Badghis").precision
    'province'
    >>> ag.geocode("Springfield") is None
    True
    """
    if not isinstance(name, str):
        msg = f"A place name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    prov, dist, kind_tuple = _hints(province, district, kinds)
    near_key = tuple(near) if isinstance(near, Sequence) and not isinstance(near, str) else near
    build = _build()
    place, _ = _cached_resolve(build, name, prov, dist, near_key, kind_tuple, near_km)
    if place is None or place.score < min_score:
        return None
    return place


@functools.lru_cache(maxsize=100_000)
def _cached_resolve(
    build: int,
    name: str,
    province: str | None,
    district: str | None,
    near: Any,
    kinds: tuple[str, ...] | None,
    near_km: float,
) -> tuple[Place | None, str]:
    return _resolve(build, name, province, district, near, kinds, near_km)


def _column(values: object, n: int, what: str) -> list[object]:
    if values is None or isinstance(values, str):
        return [values] * n
    seq: Any = values
    out: list[object] = list(seq.tolist() if isinstance(seq, (pd.Series, pd.Index)) else seq)
    if len(out) != n:
        msg = f"{what} has {len(out)} values for {n} names; pass one per name, or one string."
        raise InvalidInputError(msg)
    return out


def geocode_many(
    names: Iterable[object],
    *,
    provinces: object = None,
    districts: object = None,
    near: tuple[float, float] | str | None = None,
    kinds: Iterable[str] | None = None,
    min_score: float = 0.0,
    progress: bool = False,
) -> pd.DataFrame:
    """Geocode many names; one row per input, in order, never raising for a bad name.

    Parameters
    ----------
    names : iterable
        Place names; ``None``, NaN and non-strings give status ``invalid``.
    provinces, districts : str or sequence, optional
        One hint for all names, or one per name (``None`` where unknown). An unknown
        hint gives that row status ``invalid`` instead of raising.
    near, kinds, min_score
        As for :func:`geocode`, applied to every name.
    progress : bool, default False
        Show a tqdm progress bar (if tqdm is installed).

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``name``, ``province``, ``district``, ``lat``, ``lon``,
        ``precision``, ``kind``, ``score``, ``status`` (``matched``, ``ambiguous``,
        ``not_found``, ``invalid``), ``alternatives`` and ``source_id``.

    Examples
    --------
    >>> ag.geocode_many(["Kabul", "Nawa", "Doha", None])["status"].tolist()
    ['matched', 'ambiguous', 'not_found', 'invalid']
    """
    values = list(names.tolist() if isinstance(names, (pd.Series, pd.Index)) else names)
    n = len(values)
    hint_p = _column(provinces, n, "provinces")
    hint_d = _column(districts, n, "districts")
    kind_tuple = tuple(kinds) if kinds is not None else None
    memo: dict[tuple[object, object, object], tuple[Any, ...]] = {}
    iterator: Iterable[int] = range(n)
    if progress:
        try:
            from tqdm.auto import tqdm

            iterator = tqdm(iterator, total=n, desc="geocoding", unit="name")
        except ImportError:  # pragma: no cover - tqdm is optional
            pass
    rows = []
    build = _build()
    for i in iterator:
        key = (values[i], _hashable(hint_p[i]), _hashable(hint_d[i]))
        if key not in memo:
            memo[key] = _one_row(
                build, values[i], hint_p[i], hint_d[i], near, kind_tuple, min_score
            )
        rows.append((values[i], *memo[key]))
    columns = [
        "input", "name", "province", "district", "lat", "lon", "precision", "kind", "score",
        "status", "alternatives", "source_id",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _hashable(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (str, type(None))) else repr(value)


_EMPTY = (None, None, None, math.nan, math.nan, None, None, math.nan)


def _one_row(
    build: int,
    name: object,
    province: object,
    district: object,
    near: Any,
    kinds: tuple[str, ...] | None,
    min_score: float,
) -> tuple[Any, ...]:
    if not isinstance(name, str) or not fold_name(name):
        return (*_EMPTY, "invalid", "", None)
    try:
        prov, dist, _ = _hints(
            province if isinstance(province, str) else None,
            district if isinstance(district, str) else None,
            kinds,
        )
    except (LookupError, ValueError):
        return (*_EMPTY, "invalid", "", None)
    near_key = tuple(near) if isinstance(near, Sequence) and not isinstance(near, str) else near
    place, status = _cached_resolve(build, name, prov, dist, near_key, kinds, 60.0)
    if place is None or place.score < min_score:
        return (*_EMPTY, "not_found" if status != "invalid" else "invalid", "", None)
    alternatives = "|".join(f"{a.name} ({a.province})" for a in place.alternatives)
    return (
        place.name, place.province, place.district, place.lat, place.lon,
        place.precision, place.kind, place.score, status, alternatives, place.source_id,
    )  # fmt: skip
