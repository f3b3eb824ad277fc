"""Places read in the light of each other: cues, places located near others, homonyms.

The text's relations ("Nawa, a district neighboring Lashkar Gah", "the suburbs of
Babaji and Chahanjir", "Nawa in Ghazni Province") and the other places of a sentence,
paragraph or text choose among places of the same name. The choice is passed to the
geocoder as a hint (``province=``, ``near=``); the score and status of the answer are
the geocoder's own.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from afghangeo._geo import great_circle_km
from afghangeo._text.lexicon import EVENT, FUNCTION_WORDS, NEVER_PLACES
from afghangeo._text.mentions import (
    Draft,
    DraftIndex,
    Rules,
    SentenceFacts,
    active_gazetteer,
    match_phrases,
    role,
    sentence_start,
    tokens,
)
from afghangeo._text.sentences import Sentence, sentence_finder, sentences
from afghangeo.gazetteer import Gazetteer
from afghangeo.geocoder import geocode_with_rivals as geocode
from afghangeo.names import fold_name
from afghangeo.place import Place

__all__ = [
    "TEXT_SCORE",
    "apply_cues",
    "disambiguate",
    "geocode_surface",
    "is_unsure",
    "read_places",
]

#: Score of a place the gazetteer lacks that the text puts near another ("the suburbs
#: of Babaji"): it gets that place's point and province.
TEXT_SCORE = 0.8
_NEAR_KM = 30.0  # a name the text puts "near" a place is within this distance of it
_NEAR_MIN_SCORE = 0.8  # ... and must match the name at least this well
_CHOICE_KM = 150.0  # homonyms farther than this from every other place are not chosen
_OTHER_PROVINCE_KM = 50.0  # a homonym in another province counts as this much farther
_KIND_WORDS = {"province": ("province",), "provincial": ("province",), "district": ("district",)}

# A capitalised name of up to four words, never starting inside a word: "Lashkar Gah",
# "Qala-e Naw"; _NAMES is a list of them: "Babaji, Chahanjir and Nad Ali".
_NAME = (
    r"(?:[A-Z](?<![\w'’`][A-Z])[\w'’`]++(?:(?:[ -](?:e|i|ye|y|a|o|u)-?|[ -])[A-Z][\w'’`]++){0,3})"
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
# a quick test that a cue can be in the text at all
_CUE_WORDS = {
    _CUE_NEAR: re.compile(_RELATION),
    _CUE_OF: re.compile(r"\b(?:district|village|area|town)\s+(?:of|in)\b"),
    _CUE_IN: re.compile(r"\b[Pp]rovince\b"),
}
# the word before a name that says it is a place: "in X", "near X", "X, "
_LOCATIVE = re.compile(r"\b(?:in|at|of|on|near|around|outside|from|into|and|or)\s+$|,\s*$")


# The registry version of the text being read: answers for one phrase and its hints
# are cached per version (a phrase is at most four words, so the cache stays small).
_BUILD: ContextVar[int | None] = ContextVar("afghangeo_text_build", default=None)


def geocode_surface(surface: str, **hints: Any) -> Place | None:
    """Geocode a name as written; "Ghazni Province" is the province, not the city."""
    build = _BUILD.get()
    key = tuple(sorted(hints.items()))
    return _geocode_surface(surface, key) if build is None else _cached(build, surface, key)


@functools.lru_cache(maxsize=65536)
def _cached(build: int, surface: str, hints: tuple[tuple[str, Any], ...]) -> Place | None:
    return _geocode_surface(surface, hints)


def _geocode_surface(surface: str, hints: tuple[tuple[str, Any], ...]) -> Place | None:
    kinds = _KIND_WORDS.get(surface.rsplit(None, 1)[-1].lower())
    if kinds is not None:
        place = geocode(surface, kinds=kinds, **dict(hints))
        if place is not None:
            return place
    return geocode(surface, **dict(hints))


def is_unsure(place: Place) -> bool:
    """Whether the geocoder could not tell `place` from other places of its name."""
    return place.status == "ambiguous"


def _km(a: Place, b: Place) -> float:
    return great_circle_km(a.lat, a.lon, b.lat, b.lon)


def _options(place: Place) -> list[Place]:
    return [place, *place.alternatives]


def _choose(
    place: Place, anchors: list[Place], limit_km: float = _CHOICE_KM
) -> tuple[Place, Place] | None:
    """(option, anchor): the option of `place` nearest to one of `anchors`, if near."""
    best: tuple[float, Place, Place] | None = None
    for option in _options(place):
        for anchor in anchors:
            if option.province is not None and option.province == anchor.province:
                d = 0.0 if anchor.precision == "province" else _km(option, anchor)
            else:
                d = _km(option, anchor) + _OTHER_PROVINCE_KM
            if best is None or d < best[0]:
                best = (d, option, anchor)
    if best is None or best[0] > limit_km:
        return None
    return best[1], best[2]


def _same(a: Place, b: Place) -> bool:
    return _identity(a) == _identity(b)


def _ask(surface: str, place: Place, option: Place, anchor: Place) -> Place:
    """The geocoder's answer for `surface` given the hint that chose `option`.

    The other places the name may mean stay in ``alternatives``.
    """
    near = None if anchor.precision == "province" else (anchor.lat, anchor.lon)
    found = geocode_surface(surface, province=option.province, near=near) or option
    others = tuple(o for o in _options(place) if not _same(o, found))
    return replace(found, alternatives=others)


def apply_cues(
    text: str, index: DraftIndex, facts: list[SentenceFacts], sent_of: Callable[[int], int]
) -> None:
    """Relations the text states: "X, a district neighboring Y", "suburbs of X and Y".

    A name the gazetteer lacks is only added when the text says it is a place: after
    "suburbs of", or after a preposition in "X, near Y" and "X district of Y".
    """
    near = _Near(text, index, facts, sent_of)
    for pattern in (_CUE_NEAR, _CUE_OF, _CUE_IN):
        if _CUE_WORDS[pattern].search(text):
            for m in pattern.finditer(text):
                near.cue(m, pattern is _CUE_IN)
    for m in _CUE_SUBURBS.finditer(text):
        city = index.town_before(m.start())
        if city is None:
            continue
        for name in re.finditer(_NAME, m.group("names")):
            offset = m.start("names")
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

    def cue(self, m: re.Match[str], province_cue: bool) -> None:
        anchor = self.index.at(m.start("anchor"), m.end("anchor"))
        if anchor is None or anchor.place is None:
            return
        start, end = m.start("name"), m.end("name")
        if self.index.at(start, end) is None and (
            province_cue
            or sentence_start(self.text, start)
            or not _LOCATIVE.search(self.text[max(0, start - 12) : start])
        ):
            return
        if anchor.role == "event":
            anchor.role = "other"
        self.locate(start, end, anchor)

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
        key = (surface, known and _identity(known), _identity(a), a.precision)
        if key not in self.memo:  # the same name near the same place: the same answer
            found = _known(known, surface, a) if known is not None else None
            self.memo[key] = found or _near_geocode(surface, a) or _text_place(surface, a)
        found = self.memo[key]
        if existing is None:
            existing = Draft(start, end, surface, False, self.sent_of(start))
            existing.role = "event" if self.facts[existing.sentence].event else "other"
            self.index.add(existing)
        self.index.set_place(existing, found)
        existing.near = a.name


def _identity(p: Place) -> tuple[Any, ...]:
    return p.name, p.province, p.lat, p.lon


def _known(place: Place, surface: str, a: Place) -> Place | None:
    """Which of the places an already resolved name may mean lies near `a`."""
    chosen = _choose(place, [a], limit_km=60.0)
    if chosen is None:  # far from the anchor's point, but in its province
        same = [o for o in _options(place) if o.province == a.province]
        if len(same) != 1:
            return None
        chosen = same[0], replace(a, precision="province")
    return _ask(surface, place, *chosen)


def _near_geocode(surface: str, a: Place) -> Place | None:
    """The geocoder's place for `surface` with `a` as the hint, if it lies near `a`."""
    if a.precision == "province":
        return geocode_surface(surface, province=a.province)
    found = geocode_surface(surface, near=(a.lat, a.lon), min_score=_NEAR_MIN_SCORE)
    return found if found is not None and _km(found, a) <= _NEAR_KM else None


def _text_place(surface: str, a: Place) -> Place:
    """A place the gazetteer lacks, put by the text near `a`: its point and province."""
    return Place(
        name=surface, province=a.province, district=None, lat=a.lat, lon=a.lon,
        precision="province", kind="site", score=TEXT_SCORE, source="text",
        source_id=f"near {a.name}", status="uncertain",
    )  # fmt: skip


class _Scope:
    """The distinct sure places of a sentence, a paragraph or the text."""

    def __init__(self) -> None:
        self.places: dict[tuple[Any, ...], Place] = {}
        self._key: frozenset[tuple[Any, ...]] | None = None

    def add(self, p: Place) -> None:
        self.places.setdefault(_identity(p), p)
        self._key = None

    @property
    def key(self) -> frozenset[tuple[Any, ...]]:
        """The scope's places as a set: scopes naming the same places choose alike."""
        if self._key is None:
            self._key = frozenset(self.places)
        return self._key


def _scopes(
    drafts: list[Draft], sents: list[Sentence]
) -> tuple[dict[int, _Scope], dict[int, _Scope], _Scope]:
    """The scopes of each sentence, each paragraph and the whole text."""
    by_sentence: dict[int, _Scope] = {}
    by_paragraph: dict[int, _Scope] = {}
    whole = _Scope()
    for d in drafts:
        p = d.place
        if p is None or is_unsure(p) or p.status != "matched":
            continue
        by_sentence.setdefault(d.sentence, _Scope()).add(p)
        by_paragraph.setdefault(sents[d.sentence].paragraph, _Scope()).add(p)
        whole.add(p)
    return by_sentence, by_paragraph, whole


def _unsure(drafts: list[Draft]) -> Iterator[Draft]:
    for d in drafts:
        if d.place is not None and d.near is None and d.place.alternatives and is_unsure(d.place):
            yield d


def disambiguate(drafts: list[Draft], sents: list[Sentence]) -> None:
    """Choose among same-name places by the other places of the sentence, paragraph, text."""
    by_sentence, by_paragraph, whole = _scopes(drafts, sents)
    memo: dict[tuple[str, frozenset[tuple[Any, ...]]], Place | None] = {}
    for d in _unsure(drafts):
        assert d.place is not None
        paragraph = sents[d.sentence].paragraph
        for scope in (by_sentence.get(d.sentence), by_paragraph.get(paragraph), whole):
            if scope is None or not scope.places:
                continue
            key = (d.surface, scope.key)
            if key not in memo:
                chosen = _choose(d.place, list(scope.places.values()))
                memo[key] = _ask(d.surface, d.place, *chosen) if chosen else None
            if memo[key] is not None:
                d.place = memo[key]
                break


@functools.lru_cache(maxsize=4096)  # boilerplate sentences recur across articles
def _is_event(sentence: str) -> bool:
    return EVENT.search(sentence) is not None


def read_places(text: str) -> tuple[list[Draft], list[Sentence], list[SentenceFacts]]:
    """The place names of `text`, resolved and related, with its sentences.

    The pipeline: sentences, words, the phrase look-up, the not-a-place rules, the
    geocoder (once per distinct name), roles, the text's cues, then homonyms.
    """
    build, gaz = active_gazetteer()
    token = _BUILD.set(build)
    try:
        return _read_places(text, gaz)
    finally:
        _BUILD.reset(token)


def _read_places(
    text: str, gaz: Gazetteer
) -> tuple[list[Draft], list[Sentence], list[SentenceFacts]]:
    sents = sentences(text)
    facts = SentenceFacts.of(sents, _is_event)
    toks = tokens(text)
    matches = match_phrases(text, toks, gaz)
    rules = Rules(text, toks, matches)
    sent_of = sentence_finder(sents)
    drafts: list[Draft] = []
    resolved: dict[str, Place | None] = {}
    for i, j, foreign in matches:
        if not foreign and rules.not_a_place(i, j):
            continue
        start, end = toks[i].start, toks[j - 1].end
        if j - i > 1 and len(toks[j - 1].text) == 1 and text[end : end + 1] == ".":
            end += 1  # the last full stop of "U.S."
        draft = Draft(start, end, text[start:end], foreign, sent_of(start))
        if not foreign:
            if draft.surface not in resolved:
                resolved[draft.surface] = geocode_surface(draft.surface)
            draft.place = resolved[draft.surface]
            if draft.place is None:
                continue
        draft.role = role(text, draft, facts[draft.sentence])
        drafts.append(draft)
    index = DraftIndex(drafts)
    apply_cues(text, index, facts, sent_of)
    disambiguate(index.drafts, sents)
    return index.drafts, sents, facts
