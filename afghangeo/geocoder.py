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

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from afghangeo import _calibration, _compat, user_gazetteer
from afghangeo._geo import great_circle_km
from afghangeo._query import combine, is_demonym, kinds_for, parse
from afghangeo._vocab import KINDS, MATCH_STATUSES, Level, MatchStatus, level_of
from afghangeo.admin import normalize_district, normalize_province
from afghangeo.errors import InvalidInputError
from afghangeo.gazetteer import Candidate, Gazetteer, Row, is_foreign
from afghangeo.names import fold_name, is_arabic_script, name_key
from afghangeo.place import Place

__all__ = ["STATUSES", "geocode", "geocode_many"]

STATUSES = MATCH_STATUSES
SAME_PLACE_KM = 12.0
_SPECIFIC = {kind: rank for rank, kind in enumerate(KINDS)}  # higher = more specific
_MATCH_RANK = {"exact": 2, "key": 1, "fuzzy": 0}
Hints = tuple[str | None, str | None, tuple[str, ...] | None]


@dataclass(frozen=True, slots=True)
class Option:
    """One place a name may mean: a group of entries (one place at several scales)."""

    place: Place
    entries: tuple[int, ...]
    features: tuple[float, ...]
    match: str


@dataclass(frozen=True, slots=True)
class Answer:
    """The decision for one query: the answer (or None), its status, the options' total."""

    place: Place | None
    status: MatchStatus
    total: float = 0.0
    match: str = ""


_NONE = Answer(None, "not_found")
_INVALID = Answer(None, "invalid")


def _build() -> int:
    """Number of the gazetteer build in use; caches of answers are keyed on it."""
    return user_gazetteer.active()[0]


def _entry_place(row: Row) -> Place:
    level = level_of(row.kind)
    return Place(
        name=row.name, province=row.province, district=row.district, lat=row.lat,
        lon=row.lon, precision=level.word or "place", kind=row.kind, score=0.0,
        source=row.source, source_id=row.source_id,
    )  # fmt: skip


def _keep(cand: Candidate) -> bool:
    """Drop key matches whose spellings differ too much (Doha vs Dehi share a key)."""
    return cand.match == "exact" or cand.similarity >= (0.7 if cand.match == "key" else 0.75)


def _same_place(a: Row, b: Row) -> bool:
    if a.province != b.province:
        return False
    for big, small in ((a, b), (b, a)):
        level = level_of(big.kind)
        if level == Level.PROVINCE or (level == Level.DISTRICT and big.district == small.district):
            return True
    return great_circle_km(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM


Member = tuple[Candidate, Row]


def _representative(group: list[Member], query: str) -> Row:
    rows = [row for _, row in group]
    capital = [r for r in rows if r.kind == "capital"]
    province = [r for r in rows if r.kind == "province"]
    if province and not capital:
        return province[0]

    # a place (town, village ...) over the district around it; then the entry that
    # matched best and is called what was asked for
    def rank(m: Member) -> tuple[bool, int, float, bool, int]:
        cand, row = m
        return (
            level_of(row.kind) == Level.PLACE, _MATCH_RANK[cand.match], cand.similarity,
            fold_name(row.name) == query, _SPECIFIC.get(row.kind, 0),
        )  # fmt: skip

    return max(group, key=rank)[1]


def _group(members: list[Member]) -> list[list[Member]]:
    groups: list[list[Member]] = []
    order = sorted(members, key=lambda m: (-_MATCH_RANK[m[0].match], -m[0].similarity))
    for member in order:
        for group in groups:
            if any(_same_place(member[1], other) for _, other in group):
                group.append(member)
                break
        else:
            groups.append([member])
    return groups


def _best(group: list[Member]) -> Candidate:
    return max(group, key=lambda m: (_MATCH_RANK[m[0].match], m[0].similarity))[0]


def _features(group: list[Member], rep: Row, query: Query, top: int) -> Option:
    best = _best(group)
    population = max(row.population for _, row in group)
    levels = {level_of(row.kind) for _, row in group}
    # entries of this very place (Kabul the province, district and city) are not rivals
    own = [c for c, _ in group if c.match != "fuzzy"]
    sharing = max(0, query.key_count - len(own))
    common = [
        math.log1p(max(0, n - sum(w in c.spelling.split(" ") for c in own)))
        for w, n in query.word_counts
    ]
    x = (
        1.0, float(best.match == "exact"), float(best.match == "key"),
        float(best.match == "fuzzy"), 1.0 - best.similarity,
        0.0 if query.arabic else 1.0 - max(c.primary for c, _ in group),
        max(0.0, 5.0 - len(query.key)), math.log(len(query.folded)), math.log1p(sharing),
        math.log(query.n_options),
        float(Level.DISTRICT in levels), float(Level.PROVINCE in levels),
        float(any(row.kind == "capital" for _, row in group)),
        math.log10(1.0 + population), float(query.hinted), float(query.arabic),
        float(" " in query.folded), sum(common) / len(common),
        float(levels == {Level.PLACE} and not query.hinted),
        max(0.0, abs(len(query.folded) - len(best.spelling)) - 1.0),
        float(_MATCH_RANK[best.match] < top),
    )  # fmt: skip
    place = _entry_place(rep)
    return Option(place, tuple(c.entry for c, _ in group), x, best.match)


@dataclass(frozen=True, slots=True)
class Query:
    """What the features need to know of the query itself."""

    folded: str
    key: str
    key_count: int
    word_counts: tuple[tuple[str, int], ...]
    n_options: int
    hinted: bool
    arabic: bool


def options(
    gaz: Gazetteer,
    name: str,
    hints: Hints = (None, None, None),
    near: tuple[float, float] | None = None,
    near_km: float = 60.0,
) -> list[Option]:
    """The options a name may mean in `gaz`, with their match features (not yet scored)."""
    province, district, kinds = hints
    members = [(c, gaz.rows[c.entry]) for c in gaz.candidates(name) if _keep(c)]
    if kinds:
        members = [m for m in members if m[1].kind in kinds]
    if province:
        members = [m for m in members if m[1].province == province]
    if district:
        members = [m for m in members if m[1].district == district or m[1].kind == "province"]
    # a kinds filter ("Ghazni Province" → provinces only) is context, like a hint
    hinted = province is not None or district is not None or bool(kinds)
    if near is not None:
        close = [m for m in members if great_circle_km(m[1].lat, m[1].lon, *near) <= near_km]
        hinted = hinted or bool(close)
        members = close or members
    if not members:
        return []
    folded, key = fold_name(name), name_key(name)
    groups = _group(members)
    words = tuple((w, gaz.word_count(w)) for w in folded.split(" "))
    query = Query(
        folded, key, gaz.key_count(key), words, len(groups), hinted, is_arabic_script(name)
    )
    top = max(_MATCH_RANK[_best(g).match] for g in groups)
    return [_features(g, _representative(g, folded), query, top) for g in groups]


def _status(scores: Sequence[float], model: _calibration.Model) -> MatchStatus:
    if len(scores) > 1 and scores[1] >= model.rival_ratio * scores[0]:
        return "ambiguous"
    return "matched" if scores[0] >= model.matched else "uncertain"


def decide(opts: list[Option], model: _calibration.Model | None = None) -> Answer:
    """Score the options of one name and pick the answer (best first)."""
    if not opts:
        return _NONE
    model = model or _calibration.load()
    scores = model.scores([o.features for o in opts])
    order = sorted(range(len(opts)), key=lambda i: (-scores[i], i))
    ranked = [replace(opts[i].place, score=round(scores[i], 3)) for i in order]
    status = _status([scores[i] for i in order], model)
    best = replace(ranked[0], status=status, alternatives=tuple(ranked[1:]))
    return Answer(best, status, sum(scores), opts[order[0]].match)


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


def resolve_in(
    gaz: Gazetteer,
    name: str,
    hints: Hints = (None, None, None),
    near: tuple[float, float] | str | None = None,
    near_km: float = 60.0,
) -> Answer:
    """The decision for `name` in the gazetteer `gaz` (hints already normalized)."""
    if not fold_name(name):
        return _INVALID
    if is_foreign(name) or is_demonym(name):
        return _NONE
    province, district, kinds = hints
    point = _near_point(near) if near is not None else None

    def one(text: str, kinds_: tuple[str, ...] | None) -> Answer:
        return decide(options(gaz, text, (province, district, kinds_), point, near_km))

    whole = one(name, kinds)
    query = parse(name)
    if query is None or (whole.place is not None and whole.match == "exact"):
        return whole
    if query.relation == "described":
        part = one(query.parts[0], kinds_for(query.word) or kinds)
        if part.place is None and kinds_for(query.word):
            part = one(query.parts[0], kinds)
        parts = [part]
    else:
        parts = [resolve_in(gaz, p, hints, near, near_km) for p in query.parts]
        if province is None:
            parts = _anchored(gaz, query.parts, parts, hints, (near, near_km))
    place, status, total = combine(gaz, query, [_accept(p, None) for p in parts])
    return Answer(place, status, total, "parts") if place is not None else whole


def _anchored(
    gaz: Gazetteer,
    texts: tuple[str, ...],
    parts: list[Answer],
    hints: Hints,
    near: tuple[tuple[float, float] | str | None, float],
) -> list[Answer]:
    """Ask the parts that are not sure again, hinted by the one province the sure ones share.

    "Nawa and Lashkar Gah": Lashkar Gah is sure (Helmand), so Nawa is asked in Helmand.
    """
    sure = {p.place.province for p in parts if p.place is not None and p.status == "matched"}
    if len(sure) != 1:
        return parts
    (province,) = sure
    out = []
    for text, part in zip(texts, parts, strict=True):
        if part.status != "matched" and part.place is not None:
            again = resolve_in(gaz, text, (province, hints[1], hints[2]), *near)
            part = again if again.place is not None else part
        out.append(part)
    return out


def _resolve(
    build: int,
    name: str,
    province: str | None,
    district: str | None,
    near: tuple[float, float] | str | None,
    kinds: tuple[str, ...] | None,
    near_km: float,
) -> Answer:
    if not fold_name(name):
        return _INVALID
    gaz = user_gazetteer.built(build)
    return resolve_in(gaz, name, (province, district, kinds), near, near_km)


@functools.lru_cache(maxsize=100_000)
def _cached_resolve(
    build: int,
    name: str,
    province: str | None,
    district: str | None,
    near: Any,
    kinds: tuple[str, ...] | None,
    near_km: float,
) -> Answer:
    return _resolve(build, name, province, district, near, kinds, near_km)


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


def _accept(answer: Answer, min_score: float | None) -> Place | None:
    """The answer, or None when it falls below `min_score` (default: the calibration's)."""
    if answer.place is None:
        return None
    if min_score is None:
        return answer.place if answer.total >= _calibration.load().min_total else None
    return answer.place if answer.place.score >= min_score else None


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
        Abstain when the answer's score is lower. By default, abstain when the answer
        and its alternatives together score below the calibrated 0.5 (they would be
        more often wrong than right).
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
    >>> ag.geocode("Nawa").status
    'ambiguous'
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
    answer = _cached_resolve(_build(), name, prov, dist, near_key, kind_tuple, near_km)
    return _accept(answer, min_score)


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
    min_score: float | None = None,
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
        ``precision``, ``kind``, ``score``, ``status`` (``matched``, ``uncertain``,
        ``ambiguous``, ``not_found``, ``invalid``), ``alternatives``, ``parts`` and
        ``source_id``.

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
    iterator = _compat.progress(range(n), progress, total=n, desc="geocoding", unit="name")
    rows = []
    build = _build()
    for i in iterator:
        key = (values[i], _hashable(hint_p[i]), _hashable(hint_d[i]))
        row = memo.get(key)
        if row is None:
            row = memo[key] = _one_row(
                build, values[i], hint_p[i], hint_d[i], near, kind_tuple, min_score
            )
        rows.append((values[i], *row))
    return pd.DataFrame(rows, columns=COLUMNS)


COLUMNS = [
    "input", "name", "province", "district", "lat", "lon", "precision", "kind", "score",
    "status", "alternatives", "parts", "source_id",
]  # fmt: skip


def _hashable(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (str, type(None))) else repr(value)


_EMPTY = (None, None, None, math.nan, math.nan, None, None, math.nan)


def _listed(places: tuple[Place, ...]) -> str:
    return "|".join(f"{a.name} ({a.province})" for a in places)


def _one_row(
    build: int,
    name: object,
    province: object,
    district: object,
    near: Any,
    kinds: tuple[str, ...] | None,
    min_score: float | None,
) -> tuple[Any, ...]:
    if not isinstance(name, str) or not fold_name(name):
        return (*_EMPTY, "invalid", "", "", None)
    try:
        prov, dist, _ = _hints(
            province if isinstance(province, str) else None,
            district if isinstance(district, str) else None,
            kinds,
        )
    except (LookupError, ValueError):
        return (*_EMPTY, "invalid", "", "", None)
    near_key = tuple(near) if isinstance(near, Sequence) and not isinstance(near, str) else near
    answer = _cached_resolve(build, name, prov, dist, near_key, kinds, 60.0)
    place = _accept(answer, min_score)
    if place is None:
        return (*_EMPTY, "invalid" if answer.status == "invalid" else "not_found", "", "", None)
    return (
        place.name, place.province, place.district, place.lat, place.lon,
        place.precision, place.kind, place.score, place.status,
        _listed(place.alternatives), _listed(place.parts), place.source_id,
    )  # fmt: skip
