"""How many people a phrase of news text counts: numbers, ranges, lists of victims.

A *count* is a number ("13", "thirteen", "a dozen", "two dozen"), a range ("25 to 40",
"between seven and nine", "two or three"), or a phrase with no number ("dozens of",
"scores of", "several"), each with an optional hedge ("at least"). A *list of victims*
is a count, or an article or possessive before a word for a person, followed by more
such parts joined by commas or "and": "five soldiers and two police officers" (7),
"a mother and her two children" (3), "13 US service members and at least 60 Afghans"
(73), "15 to 20 fighters and three soldiers" (18 to 23). National statements count
other things too ("about 50 attacks per day"): :func:`find_facts`.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from afghangeo._text.caseless import Caseless
from afghangeo._text.lexicon import NUMBER, NUMBERS, QUALIFIER, WORDS, alternation

__all__ = ["COUNT", "MAX_FIGURE", "Count", "find_facts", "parse_number", "victims"]

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
    >>> parse_number("two dozen"), parse_number("three hundred")
    (24, 300)
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
        first, second = NUMBERS[parts[0]], NUMBERS[parts[1]]
        if first >= 20 and first % 10 == 0 and first < 100 and 0 < second < 10:
            return first + second
        multiple = parts[1] in ("dozen", "hundred") and parts[0] not in ("dozen", "hundred")
        if multiple and 0 < first < 100:
            return first * second
    return None


def _count(text: str) -> int | None:
    """A number that can be a count of people: at most :data:`MAX_FIGURE`."""
    value = parse_number(text)
    return value if value is not None and value <= MAX_FIGURE else None


# --- counts ------------------------------------------------------------------------------

_WORDS = {w: v for w, v in NUMBERS.items() if " " not in w and w not in ("no", "a", "an")}
_TENS = [w for w, v in _WORDS.items() if 20 <= v < 100 and v % 10 == 0]
_ONES = [w for w, v in _WORDS.items() if 0 < v < 10]
_SMALL = [w for w, v in _WORDS.items() if w not in _TENS and w not in ("dozen", "hundred")]
# one number, never the tail of a longer number or word ("10^400", "2.5", "someone")
_N = (
    r"(?<![\w^])(?<!\d[.,])(?:\d{1,3}(?:,\d{3})++|\d++|"
    rf"{alternation(_TENS)}(?:[\s-]{alternation(_ONES)})?|{alternation(_SMALL)})"
    r"(?![\w^*]|[.,]\d|-[A-Za-z])"
)
_MULT = r"(?:\s+(?:dozen|hundred)\b)?"
_VAGUE_WORDS = ("dozens", "scores", "hundreds", "thousands", "tens", "several", "many")
_VAGUE = (
    r"(?:dozens|scores|hundreds|thousands|tens)(?:\s+of)?|several|many|a\s+number\s+of|"
    r"a\s+(?:few|handful\s+of|couple\s+of)"
)
_COUNT = (
    rf"(?:a\s+total\s+of\s+)?(?:{QUALIFIER}\s+)?(?P<body>between\s+{_N}{_MULT}\s+and\s+{_N}{_MULT}|"
    rf"{_N}{_MULT}\s*(?:to|-|–|or)\s*{_N}{_MULT}(?![\s-]+(?:year|day|hour|week|month)s?\b)|"
    rf"an?\s+(?:dozen|hundred)\b|{_N}{_MULT}|(?<![\w-])(?:{_VAGUE})(?![\w-]))"
)
# the words a count can start with ("a", "an" and a digit aside): a look-ahead for them
# spares the count's many alternatives at every other word (same matches: a test)
_STARTS = {w.split("_")[0] for w in WORDS["qualifiers"].split()} | {"between", *_TENS, *_SMALL}
_STARTS |= {"an", *_VAGUE_WORDS}  # and their first letters before them, sooner tested
_FIRST = rf"(?=[\d{''.join(sorted({w[0] for w in _STARTS}))}])(?=\d|an?\s|{alternation(_STARTS)})"
#: A count: "at least 13", "a dozen", "two dozen", "25 to 40", "between 7 and 9",
#: "dozens of". Group ``qual`` holds the hedge.
COUNT = _FIRST + _COUNT
_RANGE = re.compile(rf"(?:between\s+)?({_N}{_MULT})\s*(?:to|-|–|or|and)\s*({_N}{_MULT})", re.I)
_VAGUE_RE = re.compile(_VAGUE, re.IGNORECASE)


class Count(NamedTuple):
    """A count: its lower bound and upper bound (None with no number), hedge and end."""

    low: int | None
    high: int | None
    qualifier: str  # "at least", ..., or the vague phrase ("dozens of"); "" if none
    end: int
    sides: frozenset[str] = frozenset()  # "security", "attackers", "civilians" named


def _read_body(body: str) -> tuple[int | None, int | None, str] | None:
    """(low, high, vague phrase) of the body of a count; None if not a number of people."""
    if body.isdecimal():  # the usual "13": what _count would make of it, sooner
        value = int(body) if len(body) <= _MAX_DIGITS else None
        return None if value is None or value > MAX_FIGURE else (value, value, "")
    text = _WS.sub(" ", body.lower())
    if _VAGUE_RE.fullmatch(text):
        return None, None, text
    rng = _RANGE.fullmatch(text)
    if rng:
        low, high = _count(rng.group(1)), _count(rng.group(2))
        if low is None or high is None or high < low:
            return None
        return low, high, ""
    value = _count(text)
    return None if value is None else (value, value, "")


# --- lists of victims ---------------------------------------------------------------------

#: Words for a person: an article or possessive before one of them counts one.
PERSONS = frozenset(
    """
    person man woman child boy girl baby infant soldier policeman policewoman officer
    civilian fighter militant insurgent guard member sailor marine contractor worker
    student commando official commander elder leader journalist reporter prosecutor judge
    doctor nurse teacher driver passenger villager farmer shepherd resident worshipper
    militiaman deminer employee mother father son daughter brother sister wife husband
    relative cleric mullah imam governor chief head spokesman engineer pilot attacker
    gunman trooper interpreter translator lawmaker mp senator councillor councilman
    mayor shopkeeper vendor cameraman photographer activist prisoner detainee guest
    groom bride mourner pilgrim tribesman nephew niece cousin uncle aunt grandson
    granddaughter teenager youth lieutenant captain colonel general sergeant major
    director manager staff principal professor lecturer ranger agent bodyguard hostage
    """.split()
)
_PLURALS = {"men": "man", "women": "woman", "children": "child", "people": "person"}
# words after a number that count something else than people ("13 attacks")
NOT_PEOPLE = frozenset(
    """
    attack provinces province district day hour week month year minute percent per
    vehicle checkpoint outpost post km kilometre kilometer mile metre meter time round
    rocket mortar bomb mine shell drone strike airstrike raid incident explosion blast
    village house home building shop car truck bus tank helicopter plane family
    families casualty casualties death fatality am pm o'clock
    """.split()
)
# words that end the words of a part: conjunctions, prepositions, verbs of the clause
_STOP = frozenset(
    """
    and or but nor in on at near outside inside into onto from to with without by for of
    off over under as when while after before during since until including among who
    whom whose which that where were was are is be been being had have has said says
    told according also reportedly late early last this these those it they he she we
    killed killing kill kills dead died die slain wounded wounding injured injuring hurt
    shot gunned beheaded executed assassinated murdered lost martyred perished massacred
    a an the his her their its
    him them dozen dozens scores hundreds
    """.split()
)
# a word of a noun phrase: "police", "24-year-old", "U.S."
_WORD_RE = r"\s+(?:(?:[A-Z]\.){2,}|(?:\d+-)?[A-Za-z][\w'’-]*)"
_DQUAL = QUALIFIER.replace("(?P<qual>", "(?P<dqual>")
_DET = r"(?P<det>an?|the|his|her|their|its|another)\b"
_PART = re.compile(
    rf"(?:(?:{COUNT})|(?:{_DQUAL}\s+)?{_DET}(?:\s+(?P<dcount>{_N}))?)"
    rf"(?P<words>(?:{_WORD_RE}){{0,5}})",
    re.IGNORECASE,
)
_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+", re.IGNORECASE)
_PARTITIVE = re.compile(r"\s+of\s+(?:them|whom|those)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD = re.compile(_WORD_RE, re.IGNORECASE)  # walks the words _PART matched, with its flag


#: Who the victims are, when a word says so: figures of different sides add up.
SIDES = {
    "security": "soldier policeman policewoman police officer guard commando militiaman "
    "trooper marine sailor pilot deminer",
    "attackers": "fighter militant insurgent attacker gunman taliban bomber",
    "civilians": "civilian child boy girl baby infant passenger villager farmer shepherd "
    "worshipper student teacher shopkeeper vendor mourner pilgrim guest",
}
_SIDE_OF = {w: side for side, words in SIDES.items() for w in words.split()}


_NO_SIDES: frozenset[str] = frozenset()
_SINGULARS = PERSONS | NOT_PEOPLE  # words whose plural in "s" is made singular


def _sides(nouns: list[str]) -> frozenset[str]:
    return frozenset(_SIDE_OF[n] for n in nouns if n in _SIDE_OF)


def _noun(w: str) -> str:
    """The singular of a lower-case word of a part ("soldiers", "policemen")."""
    w = w[:-2] if w.endswith(("'s", "’s")) else w
    if w in _PLURALS:
        return _PLURALS[w]
    if w.endswith("men") and w[:-3] + "man" in PERSONS:
        return w[:-3] + "man"
    return w[:-1] if w.endswith("s") and w[:-1] in _SINGULARS else w


def _words(words: str) -> list[str]:
    """The words of a part in lower case, up to the first that cannot be in a noun phrase."""
    out = []
    for w in words.split():
        w = w.lower()
        if w in _STOP:
            break
        out.append(w)
    return out


class _Part(NamedTuple):
    low: int | None
    high: int | None
    qualifier: str
    end: int
    person: bool  # some word of it names a person
    counted: bool  # led by a number rather than an article
    sides: frozenset[str]


_TOKEN = re.compile(r"\S+")
_OF = re.compile(
    r"\s+of\s+(?!(?:them|whom|those)\b)(?:(?:the|his|her|their|its|a|an)\s+)?"
    r"(?P<words>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3})"
)


def _complement(text: str, end: int, until: int) -> int:
    """The end of "of the provincial council" after a noun, if it follows `end`."""
    m = _OF.match(text, end, until)
    if m is None:
        return end
    kept = _words(m.group("words"))
    if not kept:
        return end
    last = list(_TOKEN.finditer(m.group("words")))[len(kept) - 1]
    return m.start("words") + last.end()


def _part(text: str, pos: int, until: int) -> _Part | None:
    m = _PART.match(text, pos, until)
    if m is None:
        return None
    end = m.start("words")
    words = _words(m.group("words")) if end < m.end() else []
    person, sides = False, _NO_SIDES
    if words:
        nouns = [_noun(w) for w in words]
        person = not PERSONS.isdisjoint(nouns)
        if nouns[-1] in NOT_PEOPLE or (nouns[0] in NOT_PEOPLE and not person):
            return None
        for _ in words:  # the end of the last word kept
            end = _WORD.match(text, end).end()  # type: ignore[union-attr]
        # "the head of the provincial council", "members of the security forces"
        end = _complement(text, end, until)
        sides = _sides(nouns)
    qual, dqual, det, dcount, body = m.group("qual", "dqual", "det", "dcount", "body")
    qual = _WS.sub(" ", (qual or dqual).lower()) if qual or dqual else ""
    if det is not None:
        n = _count(dcount) if dcount else 1
        if n is None:
            return None
        return _Part(n, n, qual, end, person, False, sides)
    read = _read_body(body)
    if read is None or (not words and _YEAR.fullmatch(body)):
        return None
    low, high, vague = read
    return _Part(low, high, vague or qual, end, person or bool(vague), True, sides)


def victims(text: str, pos: int, until: int, *, persons: bool = False) -> Count | None:
    """The people a list of victims starting at `pos` counts, read up to `until`.

    A part led by an article or possessive ("a sailor", "her two children") must name
    a person when it follows another part, or always when `persons` is true; one led
    by an article follows a comma only with "and"; a share of the part before ("two of them") is not
    added. A part with no number ("dozens of") leaves the whole count without one.

    Examples
    --------
    >>> t = "five soldiers and two police officers were killed"
    >>> victims(t, 0, len(t))
    Count(low=7, high=7, qualifier='', end=37, sides=frozenset({'security'}))
    >>> t = "killing 15 to 20 fighters, at least three soldiers and a sailor."
    >>> victims(t, 8, len(t))[:3]
    (19, 24, 'at least')
    """
    first = _part(text, pos, until)
    if first is None or (persons and not first.counted and not first.person):
        return None
    parts = [first]
    loose = [False]  # whether each part is an article after a bare comma
    while parts[-1].end < until:
        end = parts[-1].end
        sep = _SEP.match(text, end, until)
        part = _part(text, sep.end(), until) if sep else None
        if sep is None or part is None or not (part.counted or part.person):
            break
        if _PARTITIVE.match(text, part.end, until):
            break
        joined = text[end : sep.end()].lower()
        article = not part.counted and text[sep.end()] in "aAtT"  # "a", "an", "the"
        parts.append(part)
        loose.append(article and "," in joined and "and" not in joined)
    while loose[-1]:  # ", a council member said" is not one more; ", a ... and a ..." is
        parts.pop()
        loose.pop()
    if len(parts) == 1:  # the usual case: the sums below, of one part
        return _one(first)
    qual = next((p.qualifier for p in parts if p.qualifier), "")
    vague = next((p.qualifier for p in parts if p.low is None), None)
    sides = frozenset().union(*(p.sides for p in parts))
    if vague is not None:
        return Count(None, None, vague, parts[-1].end, sides)
    low = sum(p.low or 0 for p in parts)
    high = sum(p.high or 0 for p in parts)
    if high > MAX_FIGURE:  # parts that add up to more people than there are
        return None
    return Count(low, high, qual, parts[-1].end, sides)


def _one(part: _Part) -> Count | None:
    """The count of a list of victims of one part."""
    if part.low is None:
        return Count(None, None, part.qualifier, part.end, part.sides)
    high = part.high or 0
    return (
        None if high > MAX_FIGURE else Count(part.low, high, part.qualifier, part.end, part.sides)
    )


# --- national facts ------------------------------------------------------------------


def _qualifier(match: re.Match[str]) -> str:
    """The hedge of a match, lower case with single spaces."""
    return _WS.sub(" ", (match.group("qual") or "").lower())


# "about 50 attacks", "25 to 40 Afghan forces": counted things in national statements
_FACT = Caseless(
    rf"(?:{QUALIFIER}\s+)?(?P<num>{NUMBER})(?:\s+to\s+(?P<hi>{NUMBER}))?"
    r"\s+(?P<unit>(?:[\w-]+\s+){0,2}?(?:attacks?|provinces|districts|troops|soldiers|forces|"
    r"people|civilians|prisoners|families|members|police|deaths))\b",
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
