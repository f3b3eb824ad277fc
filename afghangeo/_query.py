"""Queries that name several places or describe one: parsing, and the unit that holds them.

A report may name a place as "Babaji and Chahanjir", "between Gereshk and Sangin", "the
Kabul–Jalalabad highway", "the outskirts of Kunduz" or "Arghandab valley". :func:`parse`
splits such a query into its parts and says how they relate; the geocoder resolves the
parts and answers the smallest unit that holds them all (:func:`common_unit`). A road,
a stretch between two places or a vicinity is never an exact point: it is answered at
district precision at best.

>>> parse("Babaji and Chah-e Anjir")
Query(parts=('Babaji', 'Chah-e Anjir'), relation='all', word='')
>>> parse("the outskirts of Kunduz city")
Query(parts=('Kunduz city',), relation='vicinity', word='outskirts')
>>> parse("Kabul–Jalalabad highway")
Query(parts=('Kabul', 'Jalalabad'), relation='road', word='highway')
>>> parse("Lashkar Gah") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from afghangeo._calibration import load
from afghangeo._vocab import DISTRICT_KINDS, KINDS, Level, MatchStatus
from afghangeo.names import fold_name
from afghangeo.place import Place

if TYPE_CHECKING:
    from afghangeo.gazetteer import Gazetteer

__all__ = ["DEMONYMS", "Query", "combine", "is_demonym", "kinds_for", "parse"]

Relation = Literal["all", "either", "road", "vicinity", "described"]

#: Words for people, not places: "Afghan", "Kabuli", "Hazara" ... (folded forms).
DEMONYMS = frozenset(
    (
        "afghan afghans afghani afghanis afghanistani afghanistan kabuli kabulis kandahari "
        "kandaharis herati heratis helmandi helmandis panjshiri panjshiris badakhshani "
        "logari logaris wardaki wardakis ghaznawi ghaznavi kunduzi mazari jalalabadi "
        "nangarhari nangarharis paktiawal paktiwal khosti khostai kunari laghmani "
        "nuristani nuristanis parwani kapisai samangani baghlani balkhi faryabi "
        "jawzjani jowzjani badghisi farahi nimrozi uruzgani zabuli ghori bamiyani bamyani "
        "pashtun pashtuns pashtoon pashtoons pukhtun pathan pathans "
        "tajik tajiks hazara hazaras uzbek uzbeks turkmen turkmens baloch baluch "
        "aimaq aimaqs taliban talib talibs mujahideen mujahidin"
    ).split()
)

_DIRECTION = (
    r"north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
    r"northern|southern|eastern|western|north-?eastern|north-?western|"
    r"south-?eastern|south-?western|central"
)
_VICINITY = re.compile(
    rf"^(?:the\s+)?(?P<word>outskirts|vicinity|suburbs|environs|periphery|"
    rf"(?:{_DIRECTION})(?:\s+(?:part|parts|side|edge|outskirts|suburbs))?)\s+of\s+"
    rf"(?:the\s+)?(?P<rest>.+)$",
    re.IGNORECASE,
)
_NEAR = re.compile(r"^(?P<word>near|outside|around)\s+(?:the\s+)?(?P<rest>.+)$", re.IGNORECASE)
_BETWEEN = re.compile(r"^between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$", re.IGNORECASE)
_ROAD_WORDS = r"highway|road|motorway|route|corridor"
_ROAD = re.compile(
    rf"^(?:the\s+)?(?P<a>.+?)\s*[-–—]\s*(?P<b>[^-–—]+?)\s+(?P<word>{_ROAD_WORDS})$",
    re.IGNORECASE,
)
_ONE_ROAD = re.compile(rf"^(?:the\s+)?(?P<a>.+?)\s+(?P<word>{_ROAD_WORDS})$", re.IGNORECASE)
_AND = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", re.IGNORECASE)
_OR = re.compile(r"\s+or\s+|\s*/\s*", re.IGNORECASE)
_DESCRIBED = re.compile(
    r"^(?:the\s+)?(?P<rest>.+?)\s+(?P<word>area|areas|region|valley|bazaar|bazar|village|"
    r"district|city|town|airport|airfield|air\s+base|base|province)$",
    re.IGNORECASE,
)

#: Descriptor words → the kinds of places they ask for (None: any kind).
_WORD_KINDS: dict[str, tuple[str, ...] | None] = {
    "district": DISTRICT_KINDS,
    "province": ("province",),
    "city": ("capital", "town"),
    "town": ("capital", "town"),
    "village": ("village", "town"),
    "airport": ("airport", "base"),
    "airfield": ("airport", "base"),
    "air base": ("base", "airport"),
    "base": ("base", "airport"),
    "valley": ("valley", *DISTRICT_KINDS),
}
#: Descriptor words whose answer is an area around the place, not its point.
AREA_WORDS = frozenset(("area", "areas", "region", "valley"))


@dataclass(frozen=True, slots=True)
class Query:
    """A query split into the places it names and how they relate.

    ``relation`` is ``all`` (A and B), ``either`` (A or B), ``road`` (the A–B road,
    between A and B), ``vicinity`` (near / the outskirts of / north of A) or
    ``described`` (A valley, A airport ...); ``word`` is the descriptor or direction.
    """

    parts: tuple[str, ...]
    relation: Relation
    word: str = ""

    @property
    def coarsest_exact(self) -> Level:
        """The finest level this query can be answered at (a road is never a point)."""
        if self.relation in ("road", "vicinity") or self.word.lower() in AREA_WORDS:
            return Level.DISTRICT
        return Level.PLACE


def _clean(part: str) -> str:
    return part.strip(" \t,;.:()\"'")


def _split(text: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    parts = tuple(p for p in (_clean(x) for x in pattern.split(text)) if fold_name(p))
    return parts if len(parts) > 1 else ()


def parse(text: str) -> Query | None:
    """Split a query that names several places or describes one; None for a plain name.

    Parameters
    ----------
    text : str
        The query as written.

    Returns
    -------
    Query or None
        The parts and their relation; None when `text` is (as far as words show) the
        name of one place.

    Examples
    --------
    >>> parse("Nawa, Marjah and Nad Ali").parts
    ('Nawa', 'Marjah', 'Nad Ali')
    >>> parse("Sangin or Musa Qala").relation
    'either'
    >>> parse("between Gereshk and Sangin")
    Query(parts=('Gereshk', 'Sangin'), relation='road', word='between')
    >>> parse("north of Lashkar Gah")
    Query(parts=('Lashkar Gah',), relation='vicinity', word='north')
    >>> parse("Bagram airfield")
    Query(parts=('Bagram',), relation='described', word='airfield')
    """
    text = _clean(text)
    for pattern in (_VICINITY, _NEAR):
        if m := pattern.match(text):
            return Query((_clean(m["rest"]),), "vicinity", m["word"].lower())
    if m := _BETWEEN.match(text) or _ROAD.match(text):
        word = m.groupdict().get("word") or "between"
        return Query((_clean(m["a"]), _clean(m["b"])), "road", word.lower())
    splitters: tuple[tuple[re.Pattern[str], Relation], ...] = ((_AND, "all"), (_OR, "either"))
    for splitter, relation in splitters:
        if parts := _split(text, splitter):
            return Query(parts, relation)
    singles: tuple[tuple[re.Pattern[str], Relation], ...] = (
        (_ONE_ROAD, "road"),
        (_DESCRIBED, "described"),
    )
    for pattern, relation in singles:
        if m := pattern.match(text):
            part = m.groupdict().get("rest") or m["a"]
            return Query((_clean(part),), relation, " ".join(m["word"].lower().split()))
    return None


def kinds_for(word: str) -> tuple[str, ...] | None:
    """The kinds of places a descriptor word asks for (None: any kind).

    >>> kinds_for("district"), kinds_for("area")
    (('district', 'new_district'), None)
    """
    kinds = _WORD_KINDS.get(word)
    return tuple(k for k in kinds if k in KINDS) if kinds else None


def is_demonym(name: str) -> bool:
    """Whether `name` names people (Afghan, Kabuli, Hazara ...) rather than a place.

    >>> is_demonym("Afghans"), is_demonym("Kabuli"), is_demonym("Kabul")
    (True, True, False)
    """
    return fold_name(name) in DEMONYMS


def _total(place: Place) -> float:
    return place.score + sum(a.score for a in place.alternatives)


def _anchor(parts: list[Place]) -> list[Place]:
    """Resolve a part that is not sure by the provinces of the parts that are."""
    sure = {p.province for p in parts if p.status == "matched"}
    out = []
    for part in parts:
        if part.status != "matched" and part.province not in sure:
            near = [a for a in part.alternatives if a.province in sure]
            if near:
                part = replace(near[0], status="uncertain", alternatives=(part,))
        out.append(part)
    return out


def _unit_place(gaz: Gazetteer, of: Place, level: Level) -> Place | None:
    """The district (or province) entry holding `of`, at that precision."""
    if of.province is None:
        return None
    entry = gaz.unit(of.province, of.district) if level == Level.DISTRICT else None
    if entry is None:
        entry = gaz.unit(of.province)
        level = Level.PROVINCE
    if entry is None:
        return None
    row = gaz.rows[entry]
    return Place(
        name=row.name, province=row.province, district=row.district if level < 3 else None,
        lat=row.lat, lon=row.lon, precision=level.word or "province", kind=row.kind,
        score=of.score, source=row.source, source_id=row.source_id,
    )  # fmt: skip


def _holder(gaz: Gazetteer, query: Query, found: list[Place]) -> Place | None:
    """The smallest unit holding all `found` parts (None when they span provinces)."""
    if len({p.province for p in found}) > 1:
        return None
    districts = {p.district for p in found}
    level = max(query.coarsest_exact, *(Level.from_word(p.precision) for p in found))
    if len(query.parts) == 1 and level == Level.PLACE:
        return found[0]
    if len(districts) > 1 or None in districts:
        level = Level.PROVINCE
    return _unit_place(gaz, found[0], max(level, Level.DISTRICT))


def combine(
    gaz: Gazetteer, query: Query, parts: list[Place | None]
) -> tuple[Place | None, MatchStatus, float]:
    """The answer to a parsed query from the answers to its parts.

    Returns the smallest district or province holding every part found (with
    ``parts`` set), its status and total score; or, when the parts lie in different
    provinces, the best part's province as ``ambiguous`` with the others as
    alternatives.
    """
    found = _anchor([p for p in parts if p is not None])
    if not found:
        return None, "not_found", 0.0
    if query.relation == "described" and found[0].kind not in (kinds_for(query.word) or KINDS):
        query = replace(query, relation="vicinity")
    score = min(p.score for p in found)
    total = min(_total(p) for p in found)
    model = load()
    if query.relation == "vicinity" or (query.relation == "road" and len(query.parts) == 1):
        # "north of X", "the X road": X's unit holds it only probably
        score = min(score, model.unsure_cap)
    holder = _holder(gaz, query, found)
    if holder is None:
        units = [u for u in (_unit_place(gaz, p, Level.PROVINCE) for p in found) if u]
        if not units:
            return None, "not_found", 0.0
        best = replace(units[0], score=round(score / len(units), 3), status="ambiguous")
        others = tuple(replace(u, score=best.score) for u in units[1:])
        return replace(best, alternatives=others, parts=tuple(found)), "ambiguous", total
    sure = len(found) == len(parts) and all(p.status == "matched" for p in found)
    status: MatchStatus = "matched" if sure and score >= model.matched else "uncertain"
    shown = () if holder is found[0] and len(found) == 1 else tuple(found)
    return replace(holder, score=round(score, 3), status=status, parts=shown), status, total
