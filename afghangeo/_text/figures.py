"""Numbers and casualty figures in news text.

A figure larger than :data:`MAX_FIGURE` ("99999999999999999999 killed", "10^400 people
killed") is not a casualty figure: it is left out rather than reported.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from afghangeo._text.lexicon import NUMBER, NUMBERS, QUALIFIER

__all__ = ["MAX_FIGURE", "Figure", "find_facts", "find_figures", "parse_number"]

#: The largest number read as a count of people or families (more than live in
#: Afghanistan would be a typo or a joke, not a figure).
MAX_FIGURE = 50_000_000
_MAX_DIGITS = len(str(MAX_FIGURE)) + 2  # longer digit strings are never parsed
_SPACES = re.compile(r"[\s-]+")
_WS = re.compile(r"\s+")


def parse_number(text: str) -> int | None:
    """An integer written in digits (``1,500``) or words (``thirteen``, ``forty-two``).

    Digit strings longer than a count of people can be are not numbers here.

    Examples
    --------
    >>> parse_number("1,500"), parse_number("thirteen"), parse_number("forty-two")
    (1500, 13, 42)
    >>> parse_number("many") is None, parse_number("9" * 5000) is None
    (True, True)
    """
    words = _SPACES.sub(" ", text.strip().lower())
    digits = words.replace(",", "")
    if digits.isdecimal():
        return int(digits) if len(digits) <= _MAX_DIGITS else None
    if words in NUMBERS:
        return NUMBERS[words]
    parts = words.split(" ")
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        tens, ones = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 0 < ones < 10:
            return tens + ones
    return None


def _count(text: str) -> int | None:
    """A number that can be a count of people: at most :data:`MAX_FIGURE`."""
    value = parse_number(text)
    return value if value is not None and value <= MAX_FIGURE else None


def _qualifier(match: re.Match[str]) -> str:
    return _WS.sub(" ", (match.group("qual") or "").lower())


@dataclass(frozen=True, slots=True)
class Figure:
    """A number of people killed or wounded, or of families displaced, in a text."""

    what: str  # "killed", "wounded" or "displaced_families"
    value: int
    qualifier: str  # "", "at least", "about", ... or "none" for "no casualties"
    start: int
    end: int


_KILL_WORDS = {
    "killed": r"(?:killed|dead|died|slain|lost\s+their\s+lives|martyred)",
    "wounded": r"(?:wounded|injured|hurt)",
}
_VERB_FIRST = {
    "killed": r"(?:killed|killing|kills|kill|left|leaving)",
    "wounded": r"(?:wounded|wounding|wounds|injured|injuring|injures)",
}
# a word between a number and "killed" that is neither another number nor a casualty word
_FILLER = r"(?!\d)(?!(?:killed|dead|died|wounded|injured|hurt)\b)"
_BE = r"(?:(?:were|was|have\s+been|had\s+been|are|is|been|being)\s+)?"
_NOT_AFTER_VERB = r"(?!\s*(?:%|percent|per\s*cent|years?\b|days?\b|hours?\b|km\b|miles?\b))"


class _Pattern(NamedTuple):
    what: str
    regex: re.Pattern[str]
    after_number: bool  # matched right after each number (else searched in the text)


def _figure_patterns() -> list[_Pattern]:
    pats: list[tuple[str, str, bool]] = []
    for what, words in _KILL_WORDS.items():
        # "[at least] 13 | members of the militia were killed", "13 | people killed"
        # (commas allowed: "13 people, including women and children, were killed")
        pats.append((what, rf"\s+(?:{_FILLER}[\w'’-]+,?\s+){{0,8}}?{_BE}{words}\b", True))
        # "killed at least 13 members", "killing 13"
        verb = _VERB_FIRST[what]
        pats.append(
            (what, rf"\b{verb}\s+(?:{QUALIFIER}\s+)?(?P<num>{NUMBER}){_NOT_AFTER_VERB}", False)
        )
    # "the death toll rose to 40"
    pats.append(
        ("killed", rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:of|to|at|is|was|rose\s+to)\s+"
                   rf"(?:{QUALIFIER}\s+)?(?P<num>{NUMBER})", False)
    )  # fmt: skip
    # "displaced about 1,500 families", "[about] 200 | families have fled"
    pats.append(
        ("displaced_families",
         rf"\bdisplac\w*\s+(?:{QUALIFIER}\s+)?(?P<num>{NUMBER})\s+families\b", False)
    )  # fmt: skip
    pats.append(
        ("displaced_families",
         r"\s+families\s+(?:\w+\s+){0,3}?(?:displaced|fled|forced\s+to\s+flee|uprooted)\b", True)
    )  # fmt: skip
    return [_Pattern(what, re.compile(p, re.IGNORECASE), after) for what, p, after in pats]


_FIGURES = _figure_patterns()
# "no casualties", "no one was killed", "caused no casualties": a figure of zero
_NONE_KILLED = re.compile(
    r"\b(?:no\s+(?:casualties|deaths|fatalities|one\s+was\s+(?:killed|hurt|injured|wounded)|"
    r"(?:one|body)\s+(?:was|were)\s+(?:killed|hurt|injured|wounded)|(?:reports?\s+of\s+)?"
    r"(?:casualties|injuries)\s+(?:were\s+)?reported)|without\s+(?:any\s+)?casualties|"
    r"caused\s+no\s+casualties)\b",
    re.IGNORECASE,
)
# what follows a number that counts something other than people: "13 attacks killed"
_NOT_PEOPLE = re.compile(
    r"^\s*(?:\w+\s+){0,2}(?:attacks?|provinces?|districts?|days?|hours?|weeks?|months?|"
    r"years?|troops?\s+(?:left|withdrawn)|percent|%|vehicles?|checkpoints?|outposts?)\b",
    re.IGNORECASE,
)


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether `pos` falls in one of the sorted, disjoint `spans`."""
    k = bisect.bisect_right(spans, (pos, sys.maxsize)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


_NUMBER = re.compile(NUMBER, re.IGNORECASE)
# a qualifier right before a number, looked for in the few characters before it
_QUALIFIED = re.compile(rf"\b{QUALIFIER}\s+$", re.IGNORECASE)
_QUALIFIER_REACH = 24


class _Hit(NamedTuple):
    start: int
    num_start: int
    num_end: int
    end: int
    qualifier: str


def _hits(text: str, numbers: list[re.Match[str]], pattern: _Pattern) -> Iterator[_Hit]:
    """The matches of `pattern`, each number read once (as one regex search would)."""
    if not pattern.after_number:
        for m in pattern.regex.finditer(text):
            yield _Hit(m.start(), m.start("num"), m.end("num"), m.end(), _qualifier(m))
        return
    until = 0
    for num in numbers:
        tail = pattern.regex.match(text, num.end()) if num.start() >= until else None
        if tail is None:
            continue
        until = tail.end()
        q = _QUALIFIED.search(text, max(0, num.start() - _QUALIFIER_REACH), num.start())
        start = num.start() if q is None else q.start()
        yield _Hit(start, num.start(), num.end(), tail.end(), _qualifier(q) if q else "")


# the next part of a compound figure: ", three police officers", " and a sailor"
_PART = re.compile(
    rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<num>{NUMBER}|an?)\s+(?!(?:attacks?|days?|hours?)\b)"
    r"(?:[A-Za-z’'-]+\s+){0,2}?(?:soldiers?|police(?:men|man)?|officers?|civilians?|people|"
    r"children|women|men|fighters?|militants?|insurgents?|guards?|members?|troops?|"
    r"sailors?|marines?|contractors?|workers?|students?|afghans?|commandos?|officials?)\b"
    r"(?:\s+(?:officers?|personnel|members|guards?|soldiers?|troops|forces|men))?",
    re.IGNORECASE,
)


def _sentence_end(text: str, pos: int) -> int:
    found = re.compile(r"[.;!?](?:\s|$)").search(text, pos)
    return found.start() if found else len(text)


def _compound(text: str, hit: _Hit, *, until: int) -> tuple[int, int]:
    """(sum of the further parts of a compound figure, where they end).

    "five soldiers and two police officers were killed" is 5 + 2, "seven soldiers,
    three police officers and a civilian" 7 + 3 + 1: parts joined by commas or "and",
    each a number (or "a") and a word for people, read up to `until`.
    """
    extra = 0
    # skip the first part's noun: "five soldiers| and two police officers"
    head = re.match(r"\s+(?:[A-Za-z’'-]+\s+){0,2}?[A-Za-z’'-]+", text[hit.num_end : until])
    pos = hit.num_end + (head.end() if head else 0)
    while pos < until:
        part = _PART.match(text, pos, until)
        if part is None:
            break
        num = part.group("num").lower()
        article = num in ("a", "an")
        # "and a civilian" is one more; ", a council member told reporters" is not
        if article and " and " not in f" {text[pos : part.start('num')].lower()} ":
            break
        value = 1 if article else _count(num)
        if value is None:
            break
        extra, pos = extra + value, part.end()
    return extra, pos


def find_figures(text: str) -> list[Figure]:
    """Casualty and displacement figures in `text`, in order of position.

    ``"no casualties"`` and ``"no one was killed"`` give ``killed = 0`` (and
    ``wounded = 0``) with qualifier ``"none"``. Numbers above :data:`MAX_FIGURE` are
    not figures.

    Examples
    --------
    >>> [(f.what, f.value, f.qualifier) for f in find_figures(
    ...     "That attack killed at least 13 members; 4 were wounded.")]
    [('killed', 13, 'at least'), ('wounded', 4, '')]
    >>> [(f.what, f.value) for f in find_figures("It has displaced about 1,500 families.")]
    [('displaced_families', 1500)]
    >>> find_figures("The attack killed 10^400 people; 99999999999999999999 were wounded.")
    []
    """
    found: dict[tuple[str, int], Figure] = {}
    nones = [(m.start(), m.end()) for m in _NONE_KILLED.finditer(text)]
    numbers = list(_NUMBER.finditer(text))
    for pattern in _FIGURES if numbers else ():
        what = pattern.what
        for hit in _hits(text, numbers, pattern):
            value = _count(text[hit.num_start : hit.num_end])
            if value is None or _inside(nones, hit.num_start):
                continue
            sentence_end = _sentence_end(text, hit.num_end)
            value += _compound(text, hit, until=min(sentence_end, hit.num_end + 160))[0]
            between = text[hit.num_end : hit.end]
            if what != "displaced_families" and _NOT_PEOPLE.match(between):
                continue
            key = (what, hit.num_start)
            if key not in found:
                found[key] = Figure(what, value, hit.qualifier, hit.start, hit.end)
    for start, end in nones:
        for what in ("killed", "wounded"):
            found.setdefault((what, start), Figure(what, 0, "none", start, end))
    return sorted(found.values(), key=lambda f: (f.start, f.what))


# "about 50 attacks", "25 to 40 Afghan forces": counted things in national statements
_FACT = re.compile(
    rf"(?:{QUALIFIER}\s+)?(?P<num>{NUMBER})(?:\s+to\s+(?P<hi>{NUMBER}))?"
    r"\s+(?P<unit>(?:[\w-]+\s+){0,2}?(?:attacks?|provinces|districts|troops|soldiers|forces|"
    r"people|civilians|prisoners|families|members|police|deaths))\b",
    re.IGNORECASE,
)


def find_facts(sentence: str, offset: int = 0) -> list[dict[str, Any]]:
    """Counted things in a sentence ("about 50 attacks", "25 to 40 Afghan forces").

    Used for statements about the whole country, which are facts rather than incidents.
    Spans are those in `sentence` plus `offset`.

    Examples
    --------
    >>> [(f["what"], f["value"], f["upper"], f["qualifier"]) for f in find_facts(
    ...     "about 50 attacks per day; 25 to 40 Afghan forces killed each day")]
    [('attacks', 50, None, 'about'), ('afghan forces', 25, 40, None)]
    """
    out = []
    for m in _FACT.finditer(sentence):
        value = _count(m.group("num"))
        if value is None:
            continue
        out.append(
            {
                "what": _WS.sub(" ", m.group("unit").lower()),
                "value": value,
                "upper": _count(m.group("hi")) if m.group("hi") else None,
                "qualifier": _qualifier(m) or None,
                "sentence": sentence,
                "start": offset + m.start(),
                "end": offset + m.end(),
            }
        )
    return out
