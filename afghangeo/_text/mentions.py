"""Place names in a text: the phrase look-up over its words, and what is not a place.

Only capitalised or Arabic-script words (and the connectors between them) are looked
at. Each run of such words is looked up under its :func:`~afghangeo.names.name_key`
in the gazetteer, longest phrase first; rules then take out people ("Mr. Afghan",
"Ataullah Afghan"), organisations ("Afghan Peace Talks") and demonyms. Everything here
is one pass over the words, with look-ups that do not rescan the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate, pairwise

from afghangeo import registry
from afghangeo._text.caseless import Caseless
from afghangeo._text.drafts import Draft, DraftIndex, Role
from afghangeo._text.lexicon import (
    BEFORE_PLACES,
    DIRECTIONS,
    FUNCTION_WORDS,
    NEVER_PLACES,
    OFFICES,
    PLACE_TAILS,
    TITLES,
)
from afghangeo._text.sentences import Sentence
from afghangeo._text.words import Token, tokens, without_possessives
from afghangeo.gazetteer import Gazetteer, is_foreign
from afghangeo.names import CONNECTORS, GENERIC_WORDS, fold_name, is_arabic_script, name_key

__all__ = [
    "Draft",
    "DraftIndex",
    "Role",
    "Rules",
    "SentenceFacts",
    "Token",
    "active_gazetteer",
    "match_phrases",
    "sentence_start",
    "tokens",
    "without_possessives",
]


_MAX_WORDS = 6  # the longest phrase looked up, in words

_REPORT_WORD = Caseless(r"\breport")
# "Wardak said", "Kabuli told reporters": a person speaking
_SPEAKS = re.compile(
    r"(?:['’]s\s+(?:spokesman|office|aides?|comments?|remarks?)\b|\s+(?:said|says|told|added|"
    r"stated|warned|explained|noted|confirmed|claimed|denied|insisted|wrote|tweeted)\b)"
)
_JOINING_GAPS = frozenset((" ", "-", "‐", "‑", "\u00a0", "\u200c"))
_HYPHENS = "-‐‑"
_OPENERS = " \t\"“‘'("
_ENDERS = ".!?\n:;—–"


def active_gazetteer() -> tuple[int, Gazetteer]:
    """(build number, gazetteer) in use: the bundle plus the user's gazetteers.

    The one call into the registry of user gazetteers.
    """
    return registry.registry().current()


def _good_match(gaz: Gazetteer, phrase: str, key: str) -> bool:
    """A key hit close enough to a real spelling to be that name in running text."""
    if gaz.has_spelling(fold_name(phrase)):
        return True
    if len(key) < 4 and not is_arabic_script(phrase):
        return False
    return any(c.similarity >= 0.8 for c in gaz.candidates(phrase, fuzzy=False))


def _phrase_end(text: str, toks: list[Token], i: int) -> int:
    """The end (exclusive) of the longest run of joined tokens from `i` worth looking up.

    Tokens join across a space or hyphen (or the stop of "U.S."); after the first,
    each is capitalised, a connector, or follows a hyphen.
    """
    j, stop, prev = i + 1, min(len(toks), i + _MAX_WORDS), toks[i]
    while j < stop:
        tok = toks[j]
        gap = text[prev.end : tok.start] if tok.start - prev.end <= 2 else ""
        if gap not in _JOINING_GAPS and not (gap == "." and len(prev.text) == len(tok.text) == 1):
            break
        if not (tok.capital or tok.fold in CONNECTORS or text[prev.end] in _HYPHENS):
            break
        j, prev = j + 1, tok
    return j


class _Lookup:
    """What a phrase names: a foreign place, an Afghan one, or nothing (memoized).

    The answers depend on the phrase and the gazetteer only, so one memo serves every
    text read with the same gazetteer (see :func:`_lookup_for`).
    """

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.memo: dict[str, bool | None] = {}

    def __call__(self, phrase: str) -> bool | None:
        """True for a foreign place, False for a gazetteer place, None for neither."""
        if phrase not in self.memo:
            answer: bool | None = None
            if is_foreign(phrase):
                answer = True
            else:
                key = name_key(phrase)
                if self.gaz.has_key(key) and _good_match(self.gaz, phrase, key):
                    answer = False
            self.memo[phrase] = answer
        return self.memo[phrase]


_MEMO_LIMIT = 200_000  # phrases remembered for one gazetteer, across texts
_LOOKUPS: dict[int, _Lookup] = {}  # the memo of the gazetteer used last (one entry)


def _lookup_for(gaz: Gazetteer) -> _Lookup:
    """The memoized look-up of `gaz`, shared by the texts read with it."""
    found = _LOOKUPS.get(id(gaz))
    if found is None or found.gaz is not gaz or len(found.memo) > _MEMO_LIMIT:
        _LOOKUPS.clear()  # another gazetteer (a user gazetteer added), or memo full
        found = _LOOKUPS[id(gaz)] = _Lookup(gaz)
    return found


def match_phrases(text: str, toks: list[Token], gaz: Gazetteer) -> list[tuple[int, int, bool]]:
    """Token ranges (i, j, foreign) that name a gazetteer or foreign place, longest first."""
    lookup = _lookup_for(gaz)
    memo = lookup.memo
    found: list[tuple[int, int, bool]] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not (tok.capital and tok.fold not in FUNCTION_WORDS and tok.fold not in GENERIC_WORDS):
            i += 1
            continue
        hit = _longest(text, toks, i, memo, lookup)
        if hit is None or sum(len(t.text) for t in toks[i : hit[0]]) < 2:
            i += 1
            continue
        found.append((i, *hit))
        i = hit[0]
    return found


def _longest(
    text: str, toks: list[Token], i: int, memo: dict[str, bool | None], lookup: _Lookup
) -> tuple[int, bool] | None:
    """(end, foreign) of the longest phrase from token `i` that names a place."""
    start = toks[i].start
    for end in range(_phrase_end(text, toks, i), i, -1):
        last = toks[end - 1]
        if last.fold in CONNECTORS:
            continue
        phrase = text[start : last.end]
        answer = memo[phrase] if phrase in memo else lookup(phrase)
        if answer is not None:
            return end, answer
    return None


def sentence_start(text: str, pos: int) -> bool:
    """Whether only quotes, brackets or spaces lie between `pos` and a sentence's start."""
    k = pos
    while k > 0 and text[k - 1] in _OPENERS:
        k -= 1
    return k == 0 or text[k - 1] in _ENDERS


class Rules:
    """The not-a-place rules over the tokens of one text, precomputed once.

    A phrase is not a place when a capitalised word it is written next to makes it
    part of another name: "Ataullah Afghan", "Afghan Peace Talks". Words that other
    places, directions ("Western Badghis"), place words ("Kunduz City") or a
    sentence's first word are excused. The runs of capitalised words and the counts of
    unexcused words are computed once, so each phrase is judged in constant time.
    """

    def __init__(self, text: str, toks: list[Token], matches: list[tuple[int, int, bool]]):
        self.text, self.toks = text, toks
        n = len(toks)
        in_place = [False] * n
        for i, j, _ in matches:
            in_place[i:j] = [True] * (j - i)
        # whether one space separates each token from the one before it
        spaced = [
            False,
            *(b.start == a.end + 1 and text[a.end] == " " for a, b in pairwise(toks)),
        ][:n]
        # a run grows left over capitalised words and right onto capitalised words
        self.run_start = list(range(n))
        for k in range(1, n):
            if spaced[k] and toks[k - 1].capital:
                self.run_start[k] = self.run_start[k - 1]
        self.run_stop = [*range(n), n]  # run_stop[j]: where a run grown right from j ends
        for k in range(n - 1, -1, -1):
            if spaced[k] and toks[k].capital:
                self.run_stop[k] = self.run_stop[k + 1]
        free = [p or t.fold in CONNECTORS for p, t in zip(in_place, toks, strict=True)]
        before = [
            not f and t.fold not in DIRECTIONS and t.fold not in BEFORE_PLACES
            for f, t in zip(free, toks, strict=True)
        ]
        after = [not f and t.fold not in PLACE_TAILS for f, t in zip(free, toks, strict=True)]
        self.bad_before = [0, *accumulate(before)]
        self.bad_after = [0, *accumulate(after)]
        self.before = before
        self.spaced = spaced

    def _titled(self, i: int) -> bool:
        """Whether a title stands right before token `i`: "Mr. Afghan", "Gen. Miller"."""
        if i == 0:
            return False
        prev = self.toks[i - 1]
        gap = self.text[prev.end : self.toks[i].start] if self.toks[i].start - prev.end < 8 else "x"
        return prev.fold.rstrip(".") in TITLES and gap.strip(" .") == ""

    def _office(self, j: int) -> bool:
        """Whether an office follows: "Helmand Governor Hayatullah Hayat", "Kabul Police"."""
        n = len(self.toks)
        while j < n and self.spaced[j] and self.toks[j].fold in PLACE_TAILS:
            j += 1  # "Helmand Provincial Council", "Kandahar Province Governor"
        return j < n and self.spaced[j] and self.toks[j].fold in OFFICES

    def named(self, i: int) -> bool:
        """Whether a title or a capitalised word stands right before token `i`."""
        return self._titled(i) or (self.run_start[i] < i and self.before[i - 1])

    def speaks(self, j: int) -> bool:
        """Whether a verb of speech follows the phrase ending before token `j`."""
        end = self.toks[j - 1].end
        return _SPEAKS.match(self.text, end) is not None

    def not_a_place(self, i: int, j: int) -> bool:
        """A person's or organisation's name, or a demonym, rather than a place."""
        if j - i == 1 and self.toks[i].fold in NEVER_PLACES:
            return True
        if self._titled(i):
            return True
        a, b = self.run_start[i], self.run_stop[j]
        if self.bad_after[b] - self.bad_after[j] > 0 and not self._office(j):
            return True
        unexcused = self.bad_before[i] - self.bad_before[a]
        if unexcused == 0:
            return False
        first = self.toks[a]
        opener = (
            self.before[a]
            and first.fold in FUNCTION_WORDS
            and sentence_start(self.text, first.start)
        )
        return not (unexcused == 1 and opener)


class SentenceFacts:
    """What is known of a sentence, found once (when first asked) for all its names."""

    def __init__(self, sentence: Sentence, para_start: bool, is_event: Callable[[str], bool]):
        self.sentence = sentence
        self.para_start = para_start  # the first sentence of its paragraph
        self._is_event = is_event
        # found when first asked (a plain attribute: functools.cached_property takes a
        # lock on every first access, which costs more than the answers)
        self._event: bool | None = None
        self._reported: bool | None = None

    @property
    def event(self) -> bool:
        """Whether the sentence reports violence."""
        event = self._event
        if event is None:
            event = self._event = self._is_event(self.sentence.text)
        return event

    @property
    def reported(self) -> bool:
        """Whether it has a word like "report", "reporting"."""
        reported = self._reported
        if reported is None:
            reported = self._reported = _REPORT_WORD.search(self.sentence.text) is not None
        return reported

    @classmethod
    def of(cls, sents: list[Sentence], is_event: Callable[[str], bool]) -> list[SentenceFacts]:
        """The facts of every sentence of a text."""
        starts = (k == 0 or sents[k - 1].paragraph != s.paragraph for k, s in enumerate(sents))
        return [cls(s, start, is_event) for s, start in zip(sents, starts, strict=True)]
