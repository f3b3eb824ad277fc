"""Relations the text states between places: cues that locate one name by another.

"Nawa, a district neighboring Lashkar Gah", "Nawa district of Helmand", "Nawa in Ghazni
Province", "the suburbs of Babaji and Chahanjir" (of the city just named), "the village
of Sar Chashma in Darzab district", "Nangarhar's Achin district", "Ghor's capital,
Chaghcharan". The located name is asked of the geocoder again with the anchor as its
hint; a name the gazetteer lacks is added when the text says it is a place.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from afghangeo._text.ask import (
    ask,
    choose,
    geocode_surface,
    identity,
    km,
    options,
    province_spelling,
    text_place,
)
from afghangeo._text.lexicon import DIRECTIONS, FUNCTION_WORDS, NEVER_PLACES
from afghangeo._text.mentions import Draft, DraftIndex, SentenceFacts, sentence_start
from afghangeo._text.roles import role
from afghangeo.names import fold_name
from afghangeo.place import Place

__all__ = ["apply_cues"]

_NEAR_KM = 30.0  # a name the text puts "near" a place is within this distance of it
_NEAR_MIN_SCORE = 0.8  # ... and must match the name at least this well

# A capitalised name of up to four words, never starting inside a word: "Lashkar Gah",
# "Qala-e Naw"; _NAMES is a list of them: "Babaji, Chahanjir and Nad Ali".
_NAME = (
    r"(?:[A-Z](?<![\w'’`][A-Z])[\w'’`]++"
    r"(?:(?:[ -](?:e|i|ye|y|a|o|u)[ -]?|[ -])[A-Z][\w'’`]++){0,3})"
)
_PLACE_WORD = (
    r"(?:district|province|village|valley|area|city|town|region|neighbou?rhood|quarter|"
    r"suburb|bazaar|market|base|airport|prison)"
)
_NAMES = rf"{_NAME}(?:(?:,\s*|,?\s+and\s+|,?\s+or\s+){_NAME})*"
# "the suburbs of Babaji and Chahanjir", "outposts in of ..."
_CUE_SUBURBS = re.compile(
    r"\b(?:suburbs?|outskirts|villages?|areas?|neighbou?rhoods?|localit(?:y|ies)|"
    rf"outposts?\s+in)\s+of\s+(?:the\s+)?(?P<names>{_NAMES})"
)
_RELATION = (
    r"(?:neighbou?ring|near|outside|bordering|adjacent\s+to|close\s+to|next\s+to|"
    r"(?:just\s+)?(?:north|south|east|west|northeast|northwest|southeast|southwest)\s+of)"
)
# "Nawa, a district neighboring Lashkar Gah", "Nawa, near the city of Lashkar Gah"
_CUE_NEAR = re.compile(
    rf"(?P<name>{_NAME}),?\s+(?:an?\s+(?:[\w-]+\s+){{0,2}}?(?:district|village|town|area|"
    rf"suburb|city|bazaar|valley)\s+(?:[\w-]+\s+){{0,2}}?)?{_RELATION}\s+(?:the\s+)?"
    rf"(?:city\s+of\s+|provincial\s+capital,?\s+|capital,?\s+)?(?P<anchor>{_NAME})"
)
# "Nawa district of Helmand"
_CUE_OF = re.compile(
    rf"(?P<name>{_NAME})\s+(?:district|village|area|town)\s+(?:of|in)\s+(?:the\s+)?"
    rf"(?P<anchor>{_NAME})"
)
# "Nawa in Ghazni Province", "Nawa, in southern Helmand Province"
_CUE_IN = re.compile(
    rf"(?P<name>{_NAME}),?\s+in\s+(?:the\s+)?(?:\w+ern\s+)?(?P<anchor>{_NAME}\s+[Pp]rovince)"
)
# "the village of Sar Chashma in Darzab district", "the village of Sra Ghar, Mizan district"
_CUE_VILLAGE = re.compile(
    rf"\bvillages?\s+of\s+(?P<name>{_NAME})(?:,\s*(?:in\s+(?:the\s+)?)?|\s+in\s+(?:the\s+)?)"
    rf"(?P<anchor>{_NAME})"
)
# "Nangarhar's Achin district", "Ghor's capital, Chaghcharan" (from the apostrophe on)
_PROVINCE_OWNS = (" province's", " province’s", " Province's", " Province’s")
_CUE_POSSESSIVE = re.compile(
    rf"(?:\s+[Pp]rovince)?['’‘][sS]\s+(?:(?:provincial\s+)?capital,?\s+(?P<capital>{_NAME})|"
    rf"(?:(?:\w+ern|restive|remote|volatile|neighbou?ring)\s+)?(?P<name>{_NAME})\s+{_PLACE_WORD})"
)
# "Ruy-e Doab district", "eastern Nangahar province" (the name before the word, searched
# in a window that ends there), "the Sherzad district of eastern Nangahar"
_PLAIN_NAME = _NAME.replace("'’", "")  # a name without apostrophes: not "Kunduz's Archi"
_NAME_BEFORE = re.compile(rf"(?P<name>{_PLAIN_NAME})\s+$")
_KIND_BEFORE = re.compile(
    rf"(?:district|province)\s+of\s+(?:(?:\w+ern|central)\s+)?(?P<name>{_NAME})"
)
# a quick test that a cue can be in the text at all: words one of which it holds
_GATES = (
    (_CUE_NEAR, ("neighbo", "near", "outside", "border", "adjacent", "close to", "next to",
                 "th of", "st of")),
    (_CUE_OF, ("district ", "village ", "area ", "town ")),
    (_CUE_IN, ("rovince",)),
    (_CUE_VILLAGE, ("village",)),
)  # fmt: skip
# no cue pattern holds one of these characters: each is looked for between them
_STRETCH = re.compile(r"[^.!?;:]+")
_SUBURB_WORDS = ("suburb", "outskirts", "village", "area", "neighbo", "localit", "outpost")
_APOSTROPHES = "'’‘"
# between a place and the unit it is in: "Khak-e Safed in Farah", "Dand district, in Kandahar"
_IN_UNIT = re.compile(
    r"^(?:(?:\s+(?:district|village|area|valley|base|airport|airfield|crossing|pass|"
    r"neighbou?rhood|bazaar|market))?,?\s+in\s+(?:the\s+)?(?:\w+ern\s+)?|\s+district,\s+)$"
)
_FIRST_WORDS = FUNCTION_WORDS | NEVER_PLACES | DIRECTIONS
# the word before a name that says it is a place: "in X", "near X", "X, "
_LOCATIVE = re.compile(r"\b(?:in|at|of|on|near|around|outside|from|into|and|or)\s+$|,\s*$")


def apply_cues(
    text: str, index: DraftIndex, facts: list[SentenceFacts], sent_of: Callable[[int], int]
) -> None:
    """Relations the text states: "X, a district neighboring Y", "suburbs of X and Y".

    A name the gazetteer lacks is only added when the text says it is a place: after
    "suburbs of", "village of", or after a preposition in "X, near Y" and "X district of
    Y"; or when the text calls it a district or province and the geocoder knows it as
    one ("Nangahar province").
    """
    near = _Near(text, index, facts, sent_of)
    for word, kind in (("istrict", "district"), ("rovince", "province")):
        at = text.find(word)
        while at > 0:
            if text[at - 1] in "DdPp" and not text[at + 7 : at + 8].isalpha():
                near.kind(at - 1, kind)
            at = text.find(word, at + 7)
    stretches = _Stretches(text)
    for pattern, words in _GATES:
        for m in stretches.finditer(pattern, words):
            near.cue(m.span("anchor"), m.span("name"), pattern is _CUE_IN, said=pattern is _CUE_OF)
    _possessives(text, index, near)
    _units(text, index)
    _suburbs(text, index, near, stretches)


class _Stretches:
    """The stretches of a text between the characters no cue pattern matches across.

    A cue is looked for only in the stretches that hold one of its words (found with
    ``str.find``): the same matches as a search of the whole text, in a fraction of the
    time, since the patterns start at every capitalised word.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        spans = [m.span() for m in _STRETCH.finditer(text)]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def finditer(self, pattern: re.Pattern[str], words: Iterable[str]) -> Iterator[re.Match[str]]:
        """The matches of `pattern` in the stretches holding one of `words`, in order."""
        text, held = self.text, set()
        for w in words:
            at = text.find(w)
            while at >= 0:
                held.add(bisect.bisect_right(self.starts, at) - 1)
                at = text.find(w, at + 1)
        for k in sorted(held):
            yield from pattern.finditer(text, self.starts[k], self.ends[k])


def _possessives(text: str, index: DraftIndex, near: _Near) -> None:
    """Places a possessive puts in another: "Nangarhar's Achin district"."""
    for d in list(index.drafts):
        if d.foreign or d.end >= len(text):
            continue
        if text[d.end] in _APOSTROPHES or text.startswith(_PROVINCE_OWNS, d.end):
            owned = _CUE_POSSESSIVE.match(text, d.end)
            if owned is not None:
                span = owned.span("capital" if owned["capital"] else "name")
                near.cue((d.start, d.end), span, False)


def _units(text: str, index: DraftIndex) -> None:
    """The unit a place is said to be in: "Khak-e Safed in Farah", "the Green Zone in Kabul".

    The unit is not the event's place, the place in it is; a province's name after a
    place in another district of it is the province.
    """
    for d, unit in itertools.pairwise(index.drafts):
        p, u = d.place, unit.place
        if p is None or u is None or unit.start - d.end > 30 or p.province != u.province:
            continue
        if identity(p) == identity(u) or not _IN_UNIT.match(text[d.end : unit.start]):
            continue
        if d.role == "event" and unit.role == "event":
            unit.role = "other"
        if u.kind == "capital" and p.district != u.district and unit.query == unit.surface:
            found = geocode_surface(f"{unit.surface} province")
            if found is not None and found.kind == "province" and found.province == u.province:
                index.set_place(unit, found)


def _suburbs(text: str, index: DraftIndex, near: _Near, stretches: _Stretches) -> None:
    """Names near the town named before: "the suburbs of Babaji and Chahanjir"."""
    for m in stretches.finditer(_CUE_SUBURBS, _SUBURB_WORDS):
        city = index.town_before(m.start())
        if city is None:
            continue
        for name in re.finditer(_NAME, m.group("names")):
            offset = m.start("names")
            found = index.at(offset + name.start(), offset + name.end())
            if found is None or found.near is None:
                near.locate(offset + name.start(), offset + name.end(), city)


class _Near:
    """Locating names near the places the text relates them to."""

    def __init__(
        self,
        text: str,
        index: DraftIndex,
        facts: list[SentenceFacts],
        sent_of: Callable[[int], int],
    ) -> None:
        self.text, self.index, self.facts, self.sent_of = text, index, facts, sent_of
        self.memo: dict[tuple[Any, ...], Place] = {}

    def cue(
        self,
        anchor_span: tuple[int, int],
        span: tuple[int, int],
        province_cue: bool,
        *,
        said: bool = False,
    ) -> None:
        """Locate the name at `span` by the place at `anchor_span`, if the text says so.

        A name the gazetteer lacks is added after a preposition ("in X, near Y"), or
        when the text calls it a place (`said`: "X district of Y").
        """
        anchor = self.index.at(*anchor_span)
        if anchor is None or anchor.place is None or anchor.foreign:
            return
        start, end = _trim(self.text, *span)
        found = self.index.at(start, end)
        if found is not None and (found.foreign or found is anchor):
            return
        if found is None and (
            start >= end
            or province_cue
            or (
                not said
                and (
                    sentence_start(self.text, start)
                    or not _LOCATIVE.search(self.text[max(0, start - 12) : start])
                )
            )
        ):
            return
        if anchor.role == "event":
            anchor.role = "other"
        self.locate(start, end, anchor)

    def kind(self, at: int, word: str) -> None:
        """Names the text calls a district or province (`word`, at `at`), asked as one.

        "Ruy-e Doab district" is asked whole when only "Doab" was found, "Samangan
        province" as the province, not the town; a name not found at all is asked as
        a district or province ("Nangahar province"), then as a misspelt province. In
        "the district of Nangahar" the name after it is a province.
        """
        after = _KIND_BEFORE.match(self.text, at)
        if after is not None:
            self._kind(after.span("name"), "province", said=False)
        before = _NAME_BEFORE.search(self.text, max(0, at - 48), at)
        if before is not None:
            self._kind(before.span("name"), word, said=True)

    def _kind(self, span: tuple[int, int], word: str, *, said: bool) -> None:
        start, end = _trim(self.text, *span)
        name = self.text[start:end]
        if start >= end or "'" in name or "’" in name:
            return
        existing = self.index.at(start, end)
        if existing is not None and (
            existing.foreign or existing.start < start or existing.end != end
        ):
            return
        if existing is not None and existing.start == start:
            if said:
                existing.said = word
            self._as_kind(existing, word)
            return
        found = geocode_surface(f"{name} {word}")
        if found is None and existing is None and word == "province":
            spelt = province_spelling(name)
            found = geocode_surface(spelt, kinds=("province",)) if spelt else None
        if found is None:
            return
        draft = Draft(start, end, name, False, self.sent_of(start), place=found)
        draft.said = word if said else ""
        draft.role, draft.why = role(self.text, draft, self.facts[draft.sentence])
        if existing is None:
            self.index.add(draft)
        else:
            self.index.replace(existing, draft)

    def _as_kind(self, draft: Draft, word: str) -> None:
        """The place of a name found whole, asked as the kind the text calls it."""
        if draft.place is None or draft.near is not None:
            return
        found = geocode_surface(f"{draft.surface} {word}")
        if found is not None and found.kind == word:
            self.index.set_place(draft, found)

    def locate(self, start: int, end: int, anchor: Draft) -> None:
        """Resolve the name at text[start:end] near `anchor`; add it if the gazetteer lacks it."""
        a = anchor.place
        existing = self.index.at(start, end)
        if a is None or (existing is not None and (existing.foreign or existing is anchor)):
            return
        surface = existing.surface if existing is not None else self.text[start:end]
        if fold_name(surface) in NEVER_PLACES or fold_name(surface) in FUNCTION_WORDS:
            return
        known = existing.place if existing is not None else None
        query = existing.query if existing is not None else surface
        key = (query, known and identity(known), identity(a), a.precision)
        if key not in self.memo:  # the same name near the same place: the same answer
            found = _known(known, query, a) if known is not None else None
            self.memo[key] = found or _near_geocode(query, a) or text_place(surface, a)
        found = self.memo[key]
        if existing is None:
            existing = Draft(start, end, surface, False, self.sent_of(start))
            existing.role, existing.why = role(self.text, existing, self.facts[existing.sentence])
            self.index.add(existing)
        self.index.set_place(existing, found)
        existing.near = a.name


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its first words if they are not names: "In Sherzad" is "Sherzad"."""
    while start < end and fold_name(text[start:end].split()[0]) in _FIRST_WORDS:
        start += len(text[start:end].split()[0]) + 1
    return start, end


def _known(place: Place, surface: str, a: Place) -> Place | None:
    """Which of the places an already resolved name may mean lies near `a`."""
    chosen = choose(place, [a], limit_km=60.0)
    if chosen is None:  # far from the anchor's point, but in its province
        same = [o for o in options(place) if o.province == a.province]
        if len(same) != 1:
            return None
        chosen = same[0], replace(a, precision="province")
    return ask(surface, place, *chosen)


def _near_geocode(surface: str, a: Place) -> Place | None:
    """The geocoder's place for `surface` with `a` as the hint, if it lies near `a`."""
    if a.precision == "province":
        return geocode_surface(surface, province=a.province)
    if a.kind == "district" and a.district is not None:
        return geocode_surface(surface, province=a.province, district=a.district)
    found = geocode_surface(surface, near=(a.lat, a.lon), min_score=_NEAR_MIN_SCORE)
    return found if found is not None and km(found, a) <= _NEAR_KM else None
