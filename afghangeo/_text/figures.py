"""Casualty and displacement figures in news text.

A figure is a list of victims (:func:`~afghangeo._text.counting.victims`) tied to a word for
killing or wounding, in one of the ways news prose ties them:

- the victims after the verb: "killing at least 13 people", "shot dead a prosecutor", "killed
  him", "the death of 40 Afghans, three US soldiers and a sailor" (44);
- the victims before it: "five soldiers and two police officers were killed" (7), "at least 13
  people, including women and children, were killed" (13), "twelve others wounded", "a
  journalist was shot dead" (1);
- killed and wounded together: "killed and wounded 22", "22 killed or wounded", "left 14 dead
  or wounded", "17 casualties" give a ``casualties`` figure, never ``killed``;
- "the death toll rose to 40", "no one was killed" (0), families displaced.

A range ("25 to 40") is a figure whose ``value`` is its lower bound and ``high`` its upper one;
a count with no number ("dozens of") has ``value`` None and the phrase as its qualifier. A
figure larger than :data:`MAX_FIGURE` ("99999999999999999999 killed", "10^400 people killed")
is not a casualty figure: it is left out.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from afghangeo._text.caseless import Caseless, lowered
from afghangeo._text.counting import COUNT, MAX_FIGURE, Count, find_facts, parse_number, victims
from afghangeo._text.lexicon import QUALIFIER

__all__ = ["MAX_FIGURE", "Figure", "find_facts", "find_figures", "may_hold_figures", "parse_number"]

_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Figure:
    """A number of people killed, wounded or both, or of families displaced, in a text.

    ``what`` is ``"killed"``, ``"wounded"``, ``"casualties"`` (killed and wounded
    together) or ``"displaced_families"``; ``value`` the number (the lower bound of a
    range, None for "dozens of"), ``high`` the upper bound of a range (else None);
    ``qualifier`` the hedge ("at least", "dozens of") or ``"none"`` for "no one was
    killed"; ``start``/``end`` the span of the words that give it; ``additive`` whether
    it adds to a figure given before ("two attackers were *also* killed"); ``sides``
    who the victims are, when the words say so ("security", "attackers", "civilians").
    """

    what: str
    value: int | None
    qualifier: str
    start: int
    end: int
    high: int | None = None
    additive: bool = False
    sides: frozenset[str] = frozenset()


_KILL = (
    r"killed|killing|kills|kill|shot\s+dead|shooting\s+dead|shoots?\s+dead|gunned\s+down|"
    r"gunning\s+down|beheaded|beheading|executed|executing|assassinated|assassinating|"
    r"murdered|murdering|massacred|slaughtered|"
    r"(?:claimed|claiming|took|taking|cost|costing)\s+the\s+"
    r"lives\s+of|(?:the\s+)?(?:deaths?|killings?)\s+of"
)
_WOUND = r"wounded|wounding|wounds|wound|injured|injuring|injures|injure|hurt|hurting|maimed"
_PASSIVE_KILLED = (
    r"killed|dead|died|slain|lost\s+their\s+lives|lost\s+his\s+life|martyred|shot\s+dead|"
    r"gunned\s+down|beheaded|executed|assassinated|murdered|perished"
)
_PASSIVE_WOUNDED = r"wounded|injured|hurt"
_WOUNDED = frozenset(_PASSIVE_WOUNDED.split("|"))
# a passive or adjective that is transitive: followed by its victims it is a verb
_TRANSITIVE = re.compile(rf"^(?:{_KILL}|{_WOUND})$", re.IGNORECASE)
_BE = (
    r"(?:(?:may|might|could|would|will|must)\s+have\s+been|(?:will|would)\s+be|were|was|"
    r"have\s+been|had\s+been|has\s+been|are|is|been|being|got)"
)
_ADVERB = (
    r"(?:also|reportedly|later|all|both|allegedly|confirmed|reported|feared|believed|"
    r"found|subsequently|then|initially|either)"
)
_I = re.IGNORECASE
# "killed 13", "shot dead a prosecutor", "the death of 40 Afghans" (not "were killed in")
_OBJECT = Caseless(
    rf"(?<!\w)(?=[kwishgbeamclotdKWISHGBEAMCLOTD])(?:(?P<both>(?:killed|killing|kills|kill)"
    rf"\s+(?:and|or)\s+(?:{_WOUND}))|"
    rf"(?P<kill>{_KILL})|(?P<wound>{_WOUND})|(?P<lose>lost|losing|loses|lose))"
    r"(?:\s+himself\s+and)?\s+",
)
_AFTER_BE = Caseless(rf"\b{_BE}(?:\s+{_ADVERB}){{0,2}}\s+$")
_PRONOUN = re.compile(r"(?:him|her)\b", _I)
# what may follow the victims before the verb: ", including women and children,",
# "of the attackers", then "were (also) killed"
_SUBJECT_TAIL = re.compile(
    rf"(?:\s+(?:and(?=\s+(?-i:[A-Z]))|(?!(?:and|or|but|nor|said|says|told|when|while|after|as|"
    rf"who|which|a|an|{_PASSIVE_KILLED}|{_WOUND})\b)[A-Za-z][\w'’-]*)){{0,8}}?"
    r"(?:\s*,[^,;.]{1,80}?,|\s*\([^)]{0,80}\)|\s+[-–—][^-–—,;.]{1,80}?[-–—])?"
    rf"\s+(?:(?P<be>{_BE})\s+)?(?:{_ADVERB}\s+){{0,2}}"
    rf"(?P<cas>{_PASSIVE_KILLED}|{_PASSIVE_WOUNDED})\b"
    rf"(?:\s+(?:and|or)\s+(?P<both>{_PASSIVE_WOUNDED}|killed|dead)\b)?",
    _I,
)
_VICTIMS_NEXT = re.compile(rf"\s+(?:{QUALIFIER}\s+)?(?:\d|an?\b|the\b|him\b|her\b|them\b)", _I)
# "left 14 people dead or wounded", "leaving 5 dead"
_LEFT = Caseless(r"le(?<!\w..)(?:ft|aving|aves)\s+")  # "\bleft": "le" first, searched for
_LEFT_STATE = re.compile(
    r"\s+(?:(?P<k>dead|killed)|(?P<w>wounded|injured|hurt))"
    r"(?:\s+(?:and|or)\s+(?P<both>wounded|injured|hurt|dead)\b(?!\s+\S*\d))?",
    _I,
)
_NOUNS = re.compile(
    rf"(?P<count>{COUNT})\s+(?:[A-Za-z-]+\s+){{0,2}}?"
    r"(?:(?P<c>casualties)|(?P<k>deaths|fatalities))\b",
    _I,
)
# "claimed 17 lives", "cost the lives of ..." (the second is a verb in _KILL)
_LIVES = re.compile(
    rf"\b(?:claim|took|tak|cost)\w*\s+(?P<count>{COUNT})\s+(?:[\w-]+\s+)?lives\b", _I
)
# "casualties numbered 19", "the deaths rose to 40"
_NOUN_FIRST = re.compile(
    r"\b(?:(?P<c>casualties)|(?P<k>deaths|fatalities))\s+(?:[\w'’-]+\s+){0,2}?(?:numbered|"
    r"stood\s+at|reached|rose\s+to|climbed\s+to|totall?ed|were|was|is|are)\s+"
    rf"(?P<count>{COUNT})",
    _I,
)
# "the death toll rose to 40", "put the number of soldiers killed at 16 to 18"
_TOLL = re.compile(
    r"\b(?:(?:death\s+)?toll|number\s+of\s+(?:[\w-]+\s+){0,3}?(?:(?P<k>killed|dead|deaths|"
    r"fatalities)|(?P<w>wounded|injured)|(?P<c>casualties)))\s+(?:[\w'’-]+\s+){0,6}?"
    rf"(?:of|to|at|is|was|reached|stood\s+at)\s+(?P<count>{COUNT})",
    _I,
)
_FLED = (
    r"families\s+(?:\w+\s+){0,3}?(?:displaced|fled|forced\s+to\s+flee|uprooted|"
    r"left\s+their\s+homes|reached|arrived|sought\s+shelter)\b"
)
_DISPLACED = (
    re.compile(
        rf"\b(?:displac\w*|forc\w*|dr[io]ve\w*|uproot\w*)\s+(?P<count>{COUNT})\s+families\b", _I
    ),
    re.compile(rf"(?P<count>{COUNT})\s+{_FLED}", _I),
)
# "no casualties", "no one was killed": a figure of zero
_NONE = Caseless(
    r"\b(?:no\s+(?:one|body|civilians?|people)\s+(?:was|were|has\s+been|had\s+been)\s+"
    r"(?:(?P<k>killed)|(?P<w>hurt|injured|wounded))|(?:there\s+were\s+|caused\s+|without\s+"
    r"(?:any\s+)?|with\s+)?no\s+(?:(?P<k2>deaths|fatalities)|casualties|injuries)"
    r"(?:\s+(?:were\s+)?reported)?|without\s+(?:any\s+)?casualties)\b",
)
_IN, _TOLLS, _FAMILIES = map(
    re.compile, ("casualties|deaths|fatalities", "toll|number", "families")
)
# a pattern, the word around which it is read, the words one of which each match holds,
# how many words before that one a match can start (a count has at most _C), what follows
_C = 14  # "a total of as many as between twenty one dozen and twenty two dozen"
_Noun = tuple[re.Pattern[str], str, re.Pattern[str], int, re.Pattern[str] | None]
_NOUN_PATTERNS: tuple[_Noun, ...] = (
    *((_NOUNS, w, _IN, _C + 2, None) for w in _IN.pattern.split("|")),
    (_TOLL, "toll", _TOLLS, 1, None), (_TOLL, "number", _TOLLS, 1, None),
    (_LIVES, "lives", re.compile("lives"), _C + 2, None),
    *((_NOUN_FIRST, w, _IN, 0, None) for w in _IN.pattern.split("|")),
    (_DISPLACED[0], "families", _FAMILIES, _C + 1, None),
    (_DISPLACED[1], "families", _FAMILIES, _C, re.compile(_FLED, _I)),
)  # fmt: skip
_NOUN_WORDS = frozenset(n[1] for n in _NOUN_PATTERNS)
_NO = re.compile(r"no\s|without")
_ADDITIVE = Caseless(r"\b(?:also|another|further|additional)\b|\bmore\b(?!\s+than)")
# not after "U.S" or "S"; the mark first, so that the search skips to one
_SENTENCE_END = re.compile(r"[.;!?](?<![.\s][A-Z].)(?:\s|$)")
# how far a list of victims is read, and how far before "casualties", "families" a count
_REACH, _NOUN_REACH = 200, 120


_Raw = tuple[str, int | None, str, int, int, int | None, bool, frozenset[str]]  # a Figure at 0


class _Found:
    """The figures of a text, each span read once."""

    def __init__(self, text: str) -> None:
        self.text, self.lower = text, lowered(text) or text.lower()  # lowercased once
        self.exact = lowered(text) is not None  # a match of a word in text is one in lower
        self.out: list[_Raw] = []
        self.taken: list[tuple[int, int]] = []
        self.chunks: list[int] = []  # where its words (runs of non-space) start, when asked

    def scan(self, noun: _Noun, a: int, b: int) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, a, b)`` of a `noun`, searched a few words before its keys."""
        pattern, _, keys, back, tail = noun
        if not self.exact:
            yield from pattern.finditer(self.text, a, b)
            return
        pos = look = a  # matches start from pos and hold a key from look
        self.chunks = self.chunks or [m.start() for m in re.finditer(r"\S+", self.lower)]
        while (key := keys.search(self.lower, look, b)) is not None:
            if tail is not None and not tail.match(self.text, key.start(), b):
                look = key.start() + 1  # no match holds this one
                continue
            word = max(0, bisect.bisect_right(self.chunks, key.start()) - 1 - back)
            if (m := pattern.search(self.text, max(pos, self.chunks[word]), b)) is None:
                return
            yield m
            pos = look = m.end()

    def free(self, pos: int, end: int | None = None) -> bool:
        """Whether `pos` (or [pos, end)) is in no figure found so far."""
        end = pos + 1 if end is None else end
        return not any(a < end and pos < b for a, b in self.taken)

    def add(self, what: str, count: Count | None, start: int, end: int) -> None:
        if count is None:
            return
        high = count.high if count.high != count.low else None
        # "were also killed", "also killed two", "four more soldiers"
        additive = _ADDITIVE.search(self.text, max(0, start - 6), end) is not None
        self.out.append((what, count.low, count.qualifier, start, end, high, additive, count.sides))
        self.taken.append((start, end))

    def until(self, pos: int) -> int:
        stop = _SENTENCE_END.search(self.text, pos, pos + _REACH)
        return stop.start() if stop else min(len(self.text), pos + _REACH)


def _objects(found: _Found) -> None:
    """Victims after a verb: "killing 13", "wounded five", "killed and wounded 22"."""
    text = found.text
    for m in _OBJECT.finditer(text):
        if not found.free(m.start()) or _AFTER_BE.search(text, max(0, m.start() - 40), m.start()):
            continue
        what = "casualties" if m.group("both") else "wounded" if m.group("wound") else "killed"
        pos = m.end()
        pronoun = _PRONOUN.match(text, pos)
        if pronoun and what == "killed":
            found.add(what, Count(1, 1, "", pronoun.end()), m.start(), pronoun.end())
            continue
        count = victims(text, pos, found.until(pos), persons=True)
        if count is not None and (not m.group("lose") or (count.sides and count.low)):
            found.add(what, count, m.start(), count.end)  # "lost 12 fighters", not "lost 2"


def _left(found: _Found) -> None:
    """Victims left in a state: "left 5 dead and 12 wounded", "leaving 14 dead or wounded"."""
    text = found.text
    if "left" not in found.lower and "leav" not in found.lower:
        return
    for m in _LEFT.finditer(text):
        count = victims(text, m.end(), found.until(m.end()), persons=True)
        state = _LEFT_STATE.match(text, count.end) if count else None
        if count is None or state is None:
            continue
        what = "casualties" if state.group("both") else "killed" if state.group("k") else "wounded"
        found.add(what, count, m.start(), state.end())


def _nouns(found: _Found) -> None:
    """Figures in nouns: "17 casualties", "five deaths", "the death toll rose to 40", families."""
    text, lower = found.text, found.lower
    if not any(map(lower.__contains__, _NOUN_WORDS)):
        return
    for noun in _NOUN_PATTERNS:
        pattern, word = noun[:2]
        at = lower.find(word)
        while at >= 0:  # read only around the word: a count is at most a few words off
            window = (max(0, at - _NOUN_REACH), min(len(text), at + len(word) + _REACH))
            at = lower.find(word, at + len(word))
            for m in found.scan(noun, *window):
                if found.free(m.start("count")):
                    count = victims(text, m.start("count"), m.end("count"))
                    found.add(_noun_kind(pattern, m), count, m.start(), m.end())


def _noun_kind(pattern: re.Pattern[str], m: re.Match[str]) -> str:
    if pattern is _LIVES or pattern in _DISPLACED:
        return "killed" if pattern is _LIVES else "displaced_families"
    words = m.groupdict()  # _NOUNS, _NOUN_FIRST, _TOLL
    return "wounded" if words.get("w") else "casualties" if words["c"] else "killed"


_PASSIVE = Caseless(
    rf"\b(?=[kdslmgbeapwihKDSLMGBEAPWIH])(?:{_PASSIVE_KILLED}|{_PASSIVE_WOUNDED})\b"
)
_START = Caseless(rf"(?:{COUNT})|\b(?:an?|the|his|her|their|another)\b")


def _subjects(found: _Found) -> None:
    """Victims before the verb: "five soldiers and two police officers were killed"."""
    text = found.text
    for a, b in _windows(text):
        for m in _START.finditer(text, a, b):
            if found.free(m.start()):
                _subject(found, m)


def _windows(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` before a word for the dead or wounded, where victims are."""
    out: list[tuple[int, int]] = []
    for m in _PASSIVE.finditer(text):
        a = max(0, m.start() - _REACH)
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], m.start())
        else:
            out.append((a, m.start()))
    return out


def _subject(found: _Found, m: re.Match[str]) -> None:
    text = found.text
    count = victims(text, m.start(), found.until(m.start()), persons=True)
    tail = _SUBJECT_TAIL.match(text, count.end) if count else None
    if count is None or tail is None:
        return
    led_by_article = m.group("body") is None
    if tail.group("be") is None and (led_by_article or _bare_verb(text, tail, tail.group("cas"))):
        return
    if not found.free(m.start(), tail.end()):
        return
    cas = tail.group("cas").lower()
    what = "casualties" if tail.group("both") else "wounded" if cas in _WOUNDED else "killed"
    found.add(what, count, m.start(), tail.end())


def _bare_verb(text: str, tail: re.Match[str], cas: str) -> bool:
    """Whether a casualty word without "were" is the verb of another clause ("killed 5")."""
    return bool(_TRANSITIVE.match(_WS.sub(" ", cas))) and bool(
        _VICTIMS_NEXT.match(text, tail.end())
    )


def _nones(found: _Found) -> None:
    lower = found.lower  # each match holds "no" and a space or "without"
    if not (_NO.search(lower) if found.exact else "no" in lower or "without" in lower):
        return
    for m in _NONE.finditer(found.text):
        one = (m.group("k") or m.group("k2")) and not m.group("w")  # "no one was killed"
        for what in ("killed",) if one else ("killed", "wounded"):
            found.out.append((what, 0, "none", m.start(), m.end(), None, False, frozenset()))
        found.taken.append((m.start(), m.end()))


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """Casualty and displacement figures in `text`, in order of position.

    Spans are those in `text` plus `offset`.

    ``"no casualties"`` gives ``killed = 0`` and ``wounded = 0`` with qualifier
    ``"none"``, ``"no one was killed"`` only ``killed = 0``. Numbers above
    :data:`MAX_FIGURE` are not figures.

    Examples
    --------
    >>> [(f.what, f.value, f.qualifier) for f in find_figures(
    ...     "That attack killed at least 13 members; 4 were wounded.")]
    [('killed', 13, 'at least'), ('wounded', 4, '')]
    >>> [(f.what, f.value, f.high) for f in find_figures(
    ...     "Between 25 and 40 soldiers and a police officer were killed.")]
    [('killed', 26, 41)]
    >>> [(f.what, f.value) for f in find_figures("The blast killed and wounded 22 people.")]
    [('casualties', 22)]
    >>> [(f.what, f.value) for f in find_figures("It has displaced about 1,500 families.")]
    [('displaced_families', 1500)]
    >>> find_figures("The attack killed 10^400 people; 99999999999999999999 were wounded.")
    []
    """
    if not may_hold_figures(text):
        return []
    return [
        Figure(what, value, qualifier, start + offset, end + offset, high, additive, sides)
        for what, value, qualifier, start, end, high, additive, sides in _figures_of(text)
    ]


@functools.lru_cache(maxsize=4096)  # boilerplate sentences recur across articles
def _figures_of(text: str) -> tuple[_Raw, ...]:
    """The figures of `text` at offset 0 (spans shift with the offset, nothing else)."""
    found = _Found(text)
    _nones(found)
    _objects(found)
    _left(found)
    _nouns(found)
    _subjects(found)
    return tuple(sorted(found.out, key=lambda f: (f[3], f[0])))


# a quick test that a text may hold a figure at all: one of these is in every pattern
_STEMS = (
    "kill", "dead", "died", "slain", "wound", "injur", "hurt", "casualt", "death", "fatalit",
    "famil", "toll", "lives", "life", "martyr", "shot", "gunned", "behead", "execut",
    "assassin", "murder", "massacr", "slaughter", "perish", "maimed", "lost", "losing", "loses",
)  # fmt: skip


@functools.lru_cache(maxsize=4096)  # boilerplate sentences recur across articles
def may_hold_figures(text: str) -> bool:
    """Whether `text` has a word that a figure needs (a quick test before `find_figures`)."""
    # one `in` per stem: a regular expression of them tries them at every character
    return any(map((lowered(text) or text.lower()).__contains__, _STEMS))
