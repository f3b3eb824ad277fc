"""Reading news text: sentences, dates relative to publication, casualty figures.

Pure text functions with no knowledge of places; :mod:`afghangeo.extract` combines them
with the gazetteer. Every function is total on ``str`` input.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DateSpan",
    "Figure",
    "Sentence",
    "article_date",
    "find_dates",
    "find_facts",
    "find_figures",
    "parse_number",
    "sentences",
]

# --- sentences -------------------------------------------------------------------------

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj capt sgt cpl adm gov sen rep st jr sr prof rev "
    "no vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k a.m p.m "
    "e.g i.e approx dept est".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+|\n\s*\n|\n(?=\s*\S)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SHORT_LINE = 50  # shorter lines in a wrapped text are titles, bylines or dates


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a text: its span and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int
    text: str


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``text[stop]`` follows an abbreviation or an initial."""
    match = re.search(r"([A-Za-z.]+)\.$", text[max(0, stop - 12) : stop + 1])
    if not match:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentences(text: str) -> list[Sentence]:
    r"""Split `text` into sentences with character spans.

    Sentences end at ``.``, ``!`` or ``?`` followed by white space, except after
    abbreviations (Mr., Gen., Oct., U.S.) and initials (Austin S. Miller). In a text
    with blank lines between paragraphs, a single line break inside a paragraph is a
    space (hard-wrapped text) unless the line is short (a title, a byline, a date);
    without blank lines, every line is a paragraph.

    Examples
    --------
    >>> [s.text for s in sentences("Mr. Afghan said so. Gen. S. Miller agreed.\nNext.")]
    ['Mr. Afghan said so.', 'Gen. S. Miller agreed.', 'Next.']
    >>> wrapped = "A long line of a paragraph that was hard-wrapped near the\nend. Two."
    >>> text = "Title\n\n" + wrapped + "\n\nThree."
    >>> [(s.paragraph, s.text[-9:]) for s in sentences(text)]
    [(0, 'Title'), (1, ' the\nend.'), (1, 'Two.'), (2, 'Three.')]
    """
    blank_lines = _BLANK_LINE.search(text) is not None
    out: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in _BOUNDARY.finditer(text):
        piece = match.group()
        if piece[0] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        new_paragraph = "\n" in piece and (not blank_lines or _BLANK_LINE.search(piece) is not None)
        if piece[0] == "\n" and blank_lines and not new_paragraph:
            line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
            if len(line.strip()) >= _SHORT_LINE:  # a wrapped line, not a title
                continue
        end = match.end() - (len(piece) - len(piece.rstrip()))
        _add(out, text, start, end, paragraph)
        if new_paragraph:
            paragraph += 1
        start = match.end()
    _add(out, text, start, len(text), paragraph)
    return out


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        first = start + lead
        out.append(Sentence(first, first + len(stripped), paragraph, stripped))


# --- numbers ---------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "no": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12, "a dozen": 12, "hundred": 100, "a hundred": 100,
}  # fmt: skip
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|a\s+dozen|a\s+hundred|(?:twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|dozen|hundred)"
)


def parse_number(text: str) -> int | None:
    """An integer written in digits (``1,500``) or words (``thirteen``, ``forty-two``).

    Examples
    --------
    >>> parse_number("1,500"), parse_number("thirteen"), parse_number("forty-two")
    (1500, 13, 42)
    >>> parse_number("many") is None
    True
    """
    words = re.sub(r"[\s-]+", " ", text.strip().lower())
    digits = words.replace(",", "")
    if digits.isdigit():
        return int(digits)
    if words in _UNITS:
        return _UNITS[words]
    parts = words.split(" ")
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS:
        tens, ones = _UNITS[parts[0]], _UNITS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 0 < ones < 10:
            return tens + ones
    return None


# --- casualty figures ------------------------------------------------------------------

_QUALIFIER = (
    r"(?P<qual>at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to|"
    r"as\s+many\s+as|roughly|approximately|an\s+estimated|fewer\s+than|less\s+than)"
)
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


@dataclass(frozen=True, slots=True)
class Figure:
    """A number of people killed or wounded, or of families displaced, in a text."""

    what: str  # "killed", "wounded" or "displaced_families"
    value: int
    qualifier: str  # "", "at least", "about", ... or "none" for "no casualties"
    start: int
    end: int


def _figure_patterns() -> list[tuple[str, re.Pattern[str]]]:
    pats: list[tuple[str, re.Pattern[str]]] = []
    for what, words in _KILL_WORDS.items():
        # "at least 13 members of the militia were killed", "13 people killed"
        pats.append(
            (
                what,
                re.compile(
                    rf"(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})\s+(?:{_FILLER}[\w'’-]+\s+){{0,6}}?"
                    rf"(?:(?:were|was|have\s+been|had\s+been|are|is|been|being)\s+)?{words}\b",
                    re.IGNORECASE,
                ),
            )
        )
        # "killed at least 13 members", "killing 13"
        pats.append(
            (
                what,
                re.compile(
                    rf"\b{_VERB_FIRST[what]}\s+(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})\b"
                    rf"(?!\s*(?:%|percent|per\s*cent|years?\b|days?\b|hours?\b|km\b|miles?\b))",
                    re.IGNORECASE,
                ),
            )
        )
    pats.append(
        (
            "killed",
            re.compile(
                rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:of|to|at|is|was|rose\s+to)\s+"
                rf"(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})\b",
                re.IGNORECASE,
            ),
        )
    )
    pats.append(
        (
            "displaced_families",
            re.compile(
                rf"\bdisplac\w*\s+(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})\s+families\b",
                re.IGNORECASE,
            ),
        )
    )
    pats.append(
        (
            "displaced_families",
            re.compile(
                rf"(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})\s+families\s+(?:\w+\s+){{0,3}}?"
                r"(?:displaced|fled|forced\s+to\s+flee|uprooted)\b",
                re.IGNORECASE,
            ),
        )
    )
    return pats


_FIGURES = _figure_patterns()
_NONE_KILLED = re.compile(
    r"\b(?:no\s+(?:casualties|deaths|fatalities|one\s+was\s+(?:killed|hurt|injured|wounded)|"
    r"(?:one|body)\s+(?:was|were)\s+(?:killed|hurt|injured|wounded)|(?:reports?\s+of\s+)?"
    r"(?:casualties|injuries)\s+(?:were\s+)?reported)|without\s+(?:any\s+)?casualties|"
    r"caused\s+no\s+casualties)\b",
    re.IGNORECASE,
)
_NOT_PEOPLE = re.compile(
    r"^\s*(?:\w+\s+){0,2}(?:attacks?|provinces?|districts?|days?|hours?|weeks?|months?|"
    r"years?|troops?\s+(?:left|withdrawn)|percent|%|vehicles?|checkpoints?|outposts?)\b",
    re.IGNORECASE,
)


def find_figures(text: str) -> list[Figure]:
    """Casualty and displacement figures in `text`, in order of position.

    ``"no casualties"`` and ``"no one was killed"`` give ``killed = 0`` (and
    ``wounded = 0``) with qualifier ``"none"``.

    Examples
    --------
    >>> [(f.what, f.value, f.qualifier) for f in find_figures(
    ...     "That attack killed at least 13 members; 4 were wounded.")]
    [('killed', 13, 'at least'), ('wounded', 4, '')]
    >>> [(f.what, f.value) for f in find_figures("It has displaced about 1,500 families.")]
    [('displaced_families', 1500)]
    """
    found: dict[tuple[str, int], Figure] = {}
    nones = [(m.start(), m.end()) for m in _NONE_KILLED.finditer(text)]
    for what, pattern in _FIGURES:
        for m in pattern.finditer(text):
            value = parse_number(m.group("num"))
            if value is None or any(a <= m.start("num") < b for a, b in nones):
                continue
            between = text[m.end("num") : m.end()]
            if what != "displaced_families" and _NOT_PEOPLE.match(between):
                continue
            qual = re.sub(r"\s+", " ", (m.group("qual") or "").lower())
            key = (what, m.start("num"))
            if key not in found:
                found[key] = Figure(what, value, qual, m.start(), m.end())
    for m in _NONE_KILLED.finditer(text):
        for what in ("killed", "wounded"):
            found.setdefault((what, m.start()), Figure(what, 0, "none", m.start(), m.end()))
    return sorted(found.values(), key=lambda f: (f.start, f.what))


_FACT = re.compile(
    rf"(?:{_QUALIFIER}\s+)?(?P<num>{_NUMBER})(?:\s+to\s+(?P<hi>{_NUMBER}))?\s+"
    r"(?P<unit>(?:[\w-]+\s+){0,2}?(?:attacks?|provinces|districts|troops|soldiers|forces|"
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
        value = parse_number(m.group("num"))
        if value is None:
            continue
        out.append(
            {
                "what": re.sub(r"\s+", " ", m.group("unit").lower()),
                "value": value,
                "upper": parse_number(m.group("hi")) if m.group("hi") else None,
                "qualifier": re.sub(r"\s+", " ", (m.group("qual") or "").lower()) or None,
                "sentence": sentence,
                "start": offset + m.start(),
                "end": offset + m.end(),
            }
        )
    return out


# --- dates -----------------------------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|"
    r"june?|july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|"
    r"dec(?:ember|\.)?)"
)
_DATE_PATTERNS = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    (
        "mdy",
        re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?",
                   re.IGNORECASE),
    ),
    (
        "dmy",
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?P<y>\d{{4}}))?",
                   re.IGNORECASE),
    ),
    (
        "weekday",
        re.compile(
            r"\b(?P<since>since\s+)?(?:(?P<last>last|this\s+past|past)\s+)?"
            r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
            r"(?:\s+(?:night|morning|evening|afternoon))?",
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>last\s+night|overnight|yesterday|today|this\s+morning|tonight|"
            r"this\s+week|last\s+week|this\s+month|last\s+month|"
            r"(?:in\s+)?the\s+past\s+(?P<n>\d+|two|three|four|five|six|seven|24|48)\s+"
            r"(?P<unit>hours|days|weeks))\b",
            re.IGNORECASE,
        ),
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date or a range of dates that a piece of text refers to."""

    first: dt.date
    last: dt.date
    start: int
    end: int
    text: str


def _month_day(month: str, day: str, year: str | None, published: dt.date | None) -> dt.date | None:
    m = _MONTHS.get(month.lower().rstrip("."))
    if m is None:
        return None
    if year:
        y = int(year)
    elif published is not None:
        y = published.year
    else:
        return None
    try:
        out = dt.date(y, m, int(day))
    except ValueError:
        return None
    if not year and published is not None and out > published:
        try:
            out = out.replace(year=y - 1)
        except ValueError:
            return None
    return out


def _relative(m: re.Match[str], published: dt.date) -> tuple[dt.date, dt.date] | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    day = dt.timedelta(days=1)
    if rel in ("last night", "overnight", "yesterday"):
        return published - day, published - day
    if rel in ("today", "this morning", "tonight"):
        return published, published
    if rel == "this week":
        return published - dt.timedelta(days=published.weekday()), published
    if rel == "last week":
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday, monday + 6 * day
    if rel == "this month":
        return published.replace(day=1), published
    if rel == "last month":
        last = published.replace(day=1) - day
        return last.replace(day=1), last
    n = parse_number(m.group("n") or "")
    if n is None:
        return None
    unit = m.group("unit").lower()
    days = {"hours": n / 24, "days": n, "weeks": 7 * n}[unit]
    return published - dt.timedelta(days=max(int(days), 1)), published


def find_dates(text: str, published: dt.date | None) -> list[DateSpan]:
    """Dates in `text`, relative ones ("late Thursday", "since Friday") resolved.

    A weekday means the latest such day on or before `published` ("last Monday" one
    week earlier when `published` is a Monday); "since Friday" is the range from that
    day to `published`. A day and month without a year takes the latest such date on
    or before `published`. Without `published`, only dates with a year are found.

    Examples
    --------
    >>> published = dt.date(2020, 4, 24)  # a Friday
    >>> [(d.first.isoformat(), d.last.isoformat()) for d in find_dates(
    ...     "an assault late Thursday; since Monday; on April 11", published)]
    [('2020-04-23', '2020-04-23'), ('2020-04-20', '2020-04-24'), ('2020-04-11', '2020-04-11')]
    """
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            span: tuple[dt.date, dt.date] | None = None
            if kind == "iso":
                try:
                    d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                except ValueError:
                    continue
                span = (d, d)
            elif kind in ("mdy", "dmy"):
                d0 = _month_day(m.group("month"), m.group("d"), m.group("y"), published)
                span = (d0, d0) if d0 is not None else None
            elif published is None:
                continue
            elif kind == "weekday":
                back = (published.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
                if m.group("last") and back == 0:
                    back = 7
                d = published - dt.timedelta(days=back)
                span = (d, published) if m.group("since") else (d, d)
            else:
                span = _relative(m, published)
            if span is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateSpan(span[0], span[1], m.start(), m.end(), m.group()))
    return sorted(found, key=lambda d: d.start)


_DATELINE_DATE = re.compile(
    rf"^\s*(?:(?:updated|published)\s*:?\s*)?{_MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\s*$",
    re.IGNORECASE | re.MULTILINE,
)


def article_date(text: str) -> dt.date | None:
    r"""The publication date printed on a line of its own near the top, if any.

    Examples
    --------
    >>> article_date("Headline\n\nBy A. Writer\n\nOct. 12, 2020\n\nKABUL — ...")
    datetime.date(2020, 10, 12)
    """
    head = text[:2000]
    m = _DATELINE_DATE.search(head)
    if m is None:
        return None
    return _month_day(m.group("month"), m.group("d"), m.group("y"), None)
