"""The decision for one name in one gazetteer: candidates → options → scores → status.

See :mod:`afghangeo.geocoder` for the steps; this module holds them, over a given
:class:`~afghangeo.gazetteer.Gazetteer`, with no caching and no hint normalization
(both are the geocoder's).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from afghangeo import _calibration
from afghangeo._generic import RECURRING_CAP, is_recurring
from afghangeo._geo import great_circle_km
from afghangeo._query import Query as Parsed
from afghangeo._query import combine, is_demonym, kinds_for, parse
from afghangeo._vocab import KINDS, MATCH_STATUSES, Level, MatchStatus, level_of
from afghangeo.errors import InvalidInputError
from afghangeo.gazetteer import Candidate, Gazetteer, Row, is_foreign
from afghangeo.names import fold_name, is_arabic_script, name_key
from afghangeo.place import Place

__all__ = ["Answer", "Hints", "Option", "accept", "decide", "options", "resolve_in"]

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
#: A candidate whose own name is at least this similar to the query (rapidfuzz ratio)
#: is called so; below it, only another of its names matched.
_OWN_NAME = 0.6


def _representative(group: list[Member], query: str) -> Row:
    rows = [row for _, row in group]
    capital = [r for r in rows if r.kind == "capital"]
    province = [r for r in rows if r.kind == "province"]
    if province and not capital:
        return province[0]

    # the entry called (nearly) what was asked for: "Khogyani" is the district, not the
    # town GeoNames also calls so; then a place (town, village ...) over the district
    # around it; then the entry that matched best
    def rank(m: Member) -> tuple[bool, bool, int, float, bool, int]:
        cand, row = m
        return (
            cand.primary >= _OWN_NAME, level_of(row.kind) == Level.PLACE,
            _MATCH_RANK[cand.match], cand.similarity, fold_name(row.name) == query,
            _SPECIFIC.get(row.kind, 0),
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
    common = [math.log1p(len(provinces - {rep.province})) for _, provinces in query.word_counts]
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
    word_counts: tuple[tuple[str, frozenset[str]], ...]
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
    words = tuple((w, gaz.word_provinces(w)) for w in folded.split(" "))
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
    raw = model.scores([o.features for o in opts])
    scores = [_capped(o, s, model) for o, s in zip(opts, raw, strict=True)]
    order = sorted(range(len(opts)), key=lambda i: (-scores[i], i))
    ranked = [replace(opts[i].place, score=round(scores[i], 3)) for i in order]
    status = _status([scores[i] for i in order], model)
    best = replace(ranked[0], status=status, alternatives=tuple(ranked[1:]))
    return Answer(best, status, sum(scores), opts[order[0]].match)


_FEATURE = {f: i for i, f in enumerate(_calibration.FEATURES)}
_SURE_KINDS = tuple(_FEATURE[f] for f in ("hinted", "province", "capital"))
#: A hinted answer is not confirmed when the spelling it matched is this dissimilar to
#: the query (1 - rapidfuzz ratio), or when only another name of the entry, this far
#: from its own name, matched (GeoNames gives Qarghah'i the name "Deh Mazang"); the
#: names of afghangeo's own tables (district aliases, notable places) are checked and
#: exempt. Both thresholds were chosen on the leave-one-out world.
_DISSIMILAR = 0.15
_OFF_PRIMARY = 0.4
_CHECKED_SOURCES = ("afghangeo ", "geoBoundaries")


def _off_name(option: Option) -> bool:
    """Whether only another, unchecked name of the entry matched, far from its own."""
    checked = option.place.source.startswith(_CHECKED_SOURCES)
    return not checked and option.features[_FEATURE["off_primary"]] > _OFF_PRIMARY


def _capped(option: Option, score: float, model: _calibration.Model) -> float:
    """Cap the score of an answer that context did not confirm.

    With no hint, a name the index holds once may still be another place of that
    name which it lacks (even a provincial capital's name: villages are named
    Ghazni or Khost too): such answers (all but provinces) stay below ``unsure_cap``,
    and so do hinted ones that matched only a dissimilar spelling. A town, village or
    district named like hundreds of villages (Deh Naw, Aliabad, Chinar) is not even
    likely to be the one meant: with no hint it stays below ``RECURRING_CAP``
    (provinces and provincial capitals such as Sar-e Pul are exempt).
    """
    x = option.features
    if x[_FEATURE["hinted"]]:
        unconfirmed = x[_FEATURE["dissimilarity"]] > _DISSIMILAR or _off_name(option)
    else:
        unconfirmed = not x[_FEATURE["province"]]
    if unconfirmed:
        score = min(score, model.unsure_cap)
    if any(x[i] for i in _SURE_KINDS):
        return score
    if is_recurring(fold_name(option.place.name)):
        return min(score, RECURRING_CAP)
    return score


def _near_point(gaz: Gazetteer, near: tuple[float, float] | str) -> tuple[float, float]:
    if isinstance(near, str):
        found = resolve_in(gaz, near)
        place = found.place if found.total >= _calibration.load().min_total else None
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
    """The decision for `name` in the gazetteer `gaz` (hints already normalized).

    With no province, district or ``near`` hint, only a province may score above
    ``unsure_cap``: a descriptor or a ``kinds`` filter ("Nawa village") says what kind
    of place is meant, not which one.
    """
    answer = _resolve(gaz, name, hints, near, near_km)
    geographic = hints[0] is not None or hints[1] is not None or near is not None
    if geographic or answer.place is None or answer.place.precision == "province":
        return answer
    return _unconfirmed(answer)


def _resolve(
    gaz: Gazetteer, name: str, hints: Hints, near: tuple[float, float] | str | None, near_km: float
) -> Answer:
    """:func:`resolve_in` before the cap on answers with no geographic hint."""
    if not fold_name(name):
        return _INVALID
    if is_foreign(name) or is_demonym(name):
        return _NONE
    province, district, kinds = hints
    point = _near_point(gaz, near) if near is not None else None

    def one(text: str, kinds_: tuple[str, ...] | None) -> Answer:
        return decide(options(gaz, text, (province, district, kinds_), point, near_km))

    whole = one(name, kinds)
    query = parse(name)
    if query is None or (whole.match == "exact" and _fits(whole, query)):
        return whole
    if query.relation == "described":
        parts = [_described(query, kinds, one)]
    else:
        parts = [resolve_in(gaz, p, hints, near, near_km) for p in query.parts]
        if province is None:
            parts = _anchored(gaz, query.parts, parts, hints, (near, near_km))
    place, status, total = combine(gaz, query, [accept(p, None, rivals=True) for p in parts])
    return Answer(place, status, total, "parts") if place is not None else whole


def _described(
    query: Parsed, kinds: tuple[str, ...] | None, one: Callable[[str, Any], Answer]
) -> Answer:
    """The place a described query names ("Fayzabad airport", "Nawa village").

    Asked among the kinds the descriptor wants; when a place of another kind matches
    better (the town for its airport; the district Nawa, exactly, for "Nawa village"
    rather than a village whose key only is alike), it stands for it, unconfirmed.
    """
    wanted = kinds_for(query.word)
    part = one(query.parts[0], wanted or kinds)
    if wanted and (part.place is None or part.match != "exact"):
        plain = one(query.parts[0], kinds)
        rank = _MATCH_RANK.get
        if plain.place is not None and rank(plain.match, 0) > rank(part.match, -1):
            return _unconfirmed(plain)
    return part


def _fits(answer: Answer, query: Parsed) -> bool:
    """Whether an answer is of the kind a descriptor asks for ("Herat Province").

    An entry called with the descriptor (the area "Logar Valley") fits whatever its kind.
    """
    if answer.place is None:
        return False
    wanted = kinds_for(query.word) if query.relation == "described" else None
    named = fold_name(query.word) in fold_name(answer.place.name).split(" ")
    return not wanted or answer.place.kind in wanted or named


def _unconfirmed(answer: Answer) -> Answer:
    """The answer with its score capped at the calibration's ``unsure_cap``."""
    cap = _calibration.load().unsure_cap
    if answer.place is None or answer.place.score <= cap:
        return answer
    return replace(answer, place=replace(answer.place, score=cap))


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


def _same_province(answer: Answer, model: _calibration.Model) -> bool:
    """Whether the rivals close to the answer all lie in its province (it is right there)."""
    assert answer.place is not None
    close = model.rival_ratio * answer.place.score
    rivals = [a for a in answer.place.alternatives if a.score >= close]
    return all(a.province == answer.place.province for a in rivals)


def accept(answer: Answer, min_score: float | None, *, rivals: bool = False) -> Place | None:
    """The answer, or None when it falls below `min_score` (default: the calibration's).

    By default an answer is given when the options together score at least
    ``min_total`` and the answer itself does too, or its close rivals all lie in its
    province: an answer more likely wrong than right even to the province (Nawa:
    Ghazni's or Helmand's) is not given. With `rivals`, such an answer is
    kept, for callers that settle rivals from context (the text extractor).
    """
    if answer.place is None:
        return None
    if min_score is None:
        model = _calibration.load()
        sure = rivals or answer.place.score >= model.min_total or _same_province(answer, model)
        return answer.place if answer.total >= model.min_total and sure else None
    return answer.place if answer.place.score >= min_score else None
