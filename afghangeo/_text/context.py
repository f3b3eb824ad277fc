"""Places read in the light of each other: the pipeline, and homonyms chosen by scope.

:func:`read_places` runs the pipeline over a text: sentences, words, the phrase look-up,
the not-a-place rules (:mod:`~afghangeo._text.mentions`), the geocoder once per distinct
name (:mod:`~afghangeo._text.ask`), roles (:mod:`~afghangeo._text.roles`), the relations
the text states (:mod:`~afghangeo._text.cues`), then homonyms: the other places of a
sentence, paragraph or text choose among places of the same name. The choice is passed
to the geocoder as a hint (``province=``, ``near=``); the score and status of the answer
are the geocoder's own.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from afghangeo._text.ask import (
    BUILD,
    TEXT_SCORE,
    ask,
    choose,
    geocode_surface,
    identity,
    is_unsure,
    province_spelling,
)
from afghangeo._text.cues import apply_cues
from afghangeo._text.lexicon import is_event
from afghangeo._text.mentions import (
    Draft,
    DraftIndex,
    Rules,
    SentenceFacts,
    Token,
    active_gazetteer,
    match_phrases,
    tokens,
    without_possessives,
)
from afghangeo._text.roles import role, settle
from afghangeo._text.sentences import Sentence, sentence_finder, sentences
from afghangeo.gazetteer import Gazetteer
from afghangeo.place import Place

__all__ = ["TEXT_SCORE", "disambiguate", "geocode_surface", "is_unsure", "read_places"]

Match = tuple[int, int, bool]  # a phrase found: its tokens i:j, and whether foreign
_MIN_MISSPELT = 6  # the shortest word read as a misspelt province
# "in eastern ", "of ", "across ": before a name that can only be a place (and how
# such words end, a cheaper test first)
_LOCATIVE_ENDS = ("in ", "of ", "across ", "near ", "from ", "into ", "throughout ", "ern ")
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|of|across|near|from|into|throughout)\s+(?:(?:\w+ern|central)\s+)?$"
)


class _Scope:
    """The distinct sure places of a sentence, a paragraph or the text."""

    def __init__(self) -> None:
        self.places: dict[tuple[Any, ...], Place] = {}
        self._key: frozenset[tuple[Any, ...]] | None = None

    def add(self, p: Place) -> None:
        self.places.setdefault(identity(p), p)
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
            key = (d.query, scope.key)
            if key not in memo:
                chosen = choose(d.place, list(scope.places.values()))
                memo[key] = ask(d.query, d.place, *chosen) if chosen else None
            if memo[key] is not None:
                d.place = memo[key]
                break


@functools.lru_cache(maxsize=4096)  # boilerplate sentences recur across articles
def _is_event(sentence: str) -> bool:
    return is_event(sentence)


def read_places(text: str) -> tuple[list[Draft], list[Sentence], list[SentenceFacts]]:
    """The place names of `text`, resolved and related, with its sentences.

    The pipeline: sentences, words, the phrase look-up, the not-a-place rules, the
    geocoder (once per distinct name), roles, the text's cues, then homonyms.
    """
    build, gaz = active_gazetteer()
    token = BUILD.set(build)
    try:
        return _read_places(text, gaz)
    finally:
        BUILD.reset(token)


def _read_places(
    text: str, gaz: Gazetteer
) -> tuple[list[Draft], list[Sentence], list[SentenceFacts]]:
    sents = sentences(text)
    facts = SentenceFacts.of(sents, _is_event)
    toks = without_possessives(text, tokens(text))
    matches = match_phrases(text, toks, gaz)
    rules = Rules(text, toks, matches)
    sent_of = sentence_finder(sents)
    drafts: list[Draft] = []
    resolved: dict[str, Place | None] = {}
    people: set[str] = set()  # names seen as a person's: "Rahim Wardak", "Mr. Kabuli"
    for i, j, foreign in matches:
        if not foreign and rules.not_a_place(i, j):
            if rules.named(i):
                people.add(toks[j - 1].fold)
            continue
        if not foreign and toks[i].fold in people and rules.speaks(j):
            continue  # "Wardak said", after "Rahim Wardak"
        draft = _draft(text, toks, (i, j, foreign), sent_of)
        if not foreign:
            if draft.surface not in resolved:
                resolved[draft.surface] = geocode_surface(draft.surface)
            draft.place = resolved[draft.surface]
            if draft.place is None:
                continue
        draft.role, draft.why = role(text, draft, facts[draft.sentence])
        drafts.append(draft)
    index = DraftIndex(drafts)
    for draft in _misspelt(text, toks, matches, sent_of):
        draft.role, draft.why = role(text, draft, facts[draft.sentence])
        index.add(draft)
    apply_cues(text, index, facts, sent_of)
    disambiguate(index.drafts, sents)
    settle(text, index.drafts, facts)
    return index.drafts, sents, facts


def _misspelt(
    text: str,
    toks: list[Token],
    matches: list[tuple[int, int, bool]],
    sent_of: Callable[[int], int],
) -> list[Draft]:
    """Single words the gazetteer lacks, after "in" or "of", that are misspelt provinces.

    "Fighting in eastern Nangahar": the word is asked as the province it is closest to
    (:func:`~afghangeo._text.ask.province_spelling`); the place is the geocoder's
    answer for that province.
    """
    starts = [i for i, _, _ in matches]
    out = []
    long_words = [k for k, t in enumerate(toks) if t.capital and len(t.text) >= _MIN_MISSPELT]
    for k in long_words:
        t = toks[k]
        if not text.endswith(_LOCATIVE_ENDS, max(0, t.start - 12), t.start):
            continue
        m = bisect.bisect_right(starts, k) - 1
        if m >= 0 and k < matches[m][1]:
            continue  # part of a name found
        if (k > 0 and toks[k - 1].end + 1 >= t.start) or (
            k + 1 < len(toks) and toks[k + 1].start <= t.end + 1
        ):
            continue  # part of a longer name
        if _LOCATIVE_BEFORE.search(text, max(0, t.start - 24), t.start) is None:
            continue
        spelt = province_spelling(t.text)
        place = geocode_surface(spelt, kinds=("province",)) if spelt else None
        if place is not None:
            out.append(Draft(t.start, t.end, t.text, False, sent_of(t.start), place=place))
    return out


def _draft(
    text: str, toks: list[Token], span: tuple[int, int, bool], sent_of: Callable[[int], int]
) -> Draft:
    """The draft of match `span` (token range and whether foreign)."""
    i, j, foreign = span
    start, end = toks[i].start, toks[j - 1].end
    if j - i > 1 and len(toks[j - 1].text) == 1 and text[end : end + 1] == ".":
        end += 1  # the last full stop of "U.S."
    return Draft(start, end, text[start:end], foreign, sent_of(start))
