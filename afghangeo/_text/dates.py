"""Dates in news text, relative ones resolved against the publication date.

Date arithmetic that would leave the calendar ("800000 days" before 2020, "yesterday"
on 1 January of year 1) gives no date rather than an error.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from afghangeo._text.caseless import Caseless, fold_case, lowered
from afghangeo._text.counting import parse_number
from afghangeo._text.lexicon import MONTH, MONTHS, WEEKDAY, WEEKDAYS
from afghangeo.errors import InvalidInputError

__all__ = ["DateSpan", "article_date", "find_dates", "publication_date"]

_WS = re.compile(r"\s+")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
# "April 11", "Oct. 12, 2020"
_MDY = re.compile(rf"\b{MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?",
                  re.IGNORECASE)  # fmt: skip
# "3 March 2019", "11th of April"
_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?!\w)(?:,?\s+(?P<y>\d{{4}})\b)?",
    re.IGNORECASE,
)
# "late Thursday", "since Friday", "last Monday night"
_WEEKDAY = re.compile(
    rf"\b(?P<since>since\s+)?(?:(?P<last>last|this\s+past|past)\s+)?{WEEKDAY}\b"
    r"(?:\s+(?:night|morning|evening|afternoon))?",
    re.IGNORECASE,
)
# "last night", "this week", "in the past 24 hours", "over the past week", "two days ago"
_N = r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|thirty"
_RELATIVE = re.compile(
    r"\b(?P<rel>last\s+night|overnight|yesterday|today|this\s+morning|tonight|"
    r"this\s+week|last\s+week|this\s+month|last\s+month|this\s+year|"
    rf"(?:(?:in|over|during)\s+)?the\s+(?:past|last)\s+(?:(?P<n>{_N}|few|24|48)\s+)?"
    r"(?P<unit>hours|days|weeks|day|week|month)|"
    rf"(?P<ago>{_N})\s+(?P<agounit>days?|weeks?)\s+ago)\b",
    re.IGNORECASE,
)
# days counted from the date of the sentence before or of the report: "a day earlier",
# "the night before", "two days later", "the same night"
_ANCHORED = Caseless(
    r"\b(?:(?P<before>the\s+(?:night|day|evening)\s+before|the\s+previous\s+(?:day|night|"
    rf"evening)|(?P<nb>{_N})\s+days?\s+(?:earlier|before))|(?P<after>the\s+(?:next|following)\s+"
    rf"(?:day|night|morning)|(?P<na>{_N})\s+days?\s+later)|(?P<same>the\s+same\s+(?:day|night|"
    r"evening|morning|afternoon)))\b",
)
# a date the report was made, not the event: "officials said on Sunday", "said today"
_REPORT_BEFORE = Caseless(
    r"\b(?:said|says|told(?:\s+[\w.]+){0,3}?|reported|announced|confirmed|added|stated|"
    r"claimed|statement|tweeted|wrote)\s+(?:(?:on|late|early|in|a)\s+)*$",
)
_REPORT_AFTER = re.compile(
    r"^(?:\s+(?:night|morning|evening|afternoon))?\s*,?\s*(?:said|told|announced|reported|"
    r"confirmed|issued|released)\b",
    re.IGNORECASE,
)
# "after a three-day siege": the event began days before the date given
_DURATION = Caseless(
    rf"\b(?P<n>{_N})-day\s+(?:siege|battle|offensive|fight|fighting|assault|operation|"
    r"clash(?:es)?|standoff|blockade)\b",
)
_DATELINE_DATE = Caseless(
    rf"^\s*(?:(?:updated|published)\s*:?\s*)?{MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\s*$",
    re.MULTILINE,
)

Span = tuple[dt.date, dt.date]


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date or a range of dates that a piece of text refers to."""

    first: dt.date
    last: dt.date
    start: int
    end: int
    text: str
    reported: bool = False  # the date of a report ("said on Sunday"), not of an event


def _before(day: dt.date, days: float) -> dt.date | None:
    """`day` minus `days` days, or None outside the calendar."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        return None


def _month_day(month: str, day: str, year: str | None, published: dt.date | None) -> dt.date | None:
    m = MONTHS.get(fold_case(month).rstrip("."))
    y = int(year) if year else None if published is None else published.year
    if m is None or y is None:
        return None
    try:
        out = dt.date(y, m, int(day))
        if not year and published is not None and out > published:
            out = out.replace(year=y - 1)
    except ValueError:
        return None
    return out


def _iso(m: re.Match[str], published: dt.date | None) -> Span | None:
    try:
        d = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return d, d


def _calendar(m: re.Match[str], published: dt.date | None) -> Span | None:
    d = _month_day(m.group("month"), m.group("d"), m.group("y"), published)
    return (d, d) if d is not None else None


def _weekday(m: re.Match[str], published: dt.date | None) -> Span | None:
    if published is None:
        return None
    back = (published.weekday() - WEEKDAYS.index(fold_case(m.group("wd")))) % 7
    if m.group("last") and back == 0:
        back = 7
    d = _before(published, back)
    return None if d is None else (d, published) if m.group("since") else (d, d)


def _this_or_last(rel: str, published: dt.date) -> Span | None:
    if rel == "this week":
        monday = _before(published, published.weekday())
        return (monday, published) if monday else None
    if rel == "last week":
        monday = _before(published, published.weekday() + 7)
        return (monday, monday + dt.timedelta(days=6)) if monday else None
    if rel == "this month":
        return published.replace(day=1), published
    if rel == "this year":
        return published.replace(month=1, day=1), published
    last = _before(published.replace(day=1), 1)  # "last month"
    return (last.replace(day=1), last) if last else None


def _days(n: str | None, unit: str) -> float | None:
    """The days of "two weeks", "24 hours", "few days" (3), "week" (7)."""
    count = 3 if n and fold_case(n) == "few" else parse_number(n) if n else 1
    if count is None:
        return None
    return count * {"hour": 1 / 24, "day": 1, "week": 7, "month": 30}[fold_case(unit).rstrip("s")]


def _relative(m: re.Match[str], published: dt.date | None) -> Span | None:
    if published is None:
        return None
    rel = _WS.sub(" ", fold_case(m.group("rel")))
    if rel in ("last night", "overnight", "yesterday"):
        d = _before(published, 1)
        return (d, d) if d else None
    if rel in ("today", "this morning", "tonight"):
        return published, published
    if m.group("ago"):
        days = _days(m.group("ago"), m.group("agounit"))
        d = _before(published, days) if days is not None else None
        return (d, d) if d else None
    if m.group("unit") is None:
        return _this_or_last(rel, published)
    days = _days(m.group("n"), m.group("unit"))
    d = _before(published, max(int(days), 1)) if days is not None else None
    return (d, published) if d else None


_Reader = Callable[[re.Match[str], dt.date | None], Span | None]
_Scan = tuple[_Reader, Iterable[re.Match[str]]]
_Found = tuple[list[DateSpan], list[tuple[int, int]]]
# Words one of which a text must have for a pattern to match; where lowercasing keeps every
# match (caseless.lowered), sharper ones (a month, "this week" ...) and scans of it.
_DIGIT, _MONTH_KEYS = re.compile("[0-9]"), tuple(sorted({name[:3] for name in MONTHS}))
_RELATIVE_WORDS = tuple("night yesterday today morning week month year past last ago".split())
_MDY_LOW, _DMY_LOW, _RELATIVE_LOW = (Caseless(p.pattern) for p in (_MDY, _DMY, _RELATIVE))
_WEEKDAY_NAME = re.compile("|".join(WEEKDAYS))  # after the letters of since, last, this, past
_PREFIX_CHARS = "sincelathp" + "".join(filter(str.isspace, map(chr, range(0x3001))))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans `taken`."""
    k = bisect.bisect_left(taken, (end, -sys.maxsize))
    return k > 0 and taken[k - 1][1] > start


def find_dates(
    text: str, published: dt.date | None, *, anchor: dt.date | None = None
) -> list[DateSpan]:
    """Dates in `text`, relative ones ("late Thursday", "since Friday") resolved.

    A weekday means the latest such day on or before `published` ("last Monday" one
    week earlier when `published` is a Monday), or on or before the date of the report
    when the text gives one ("said on Tuesday that the attack on Saturday ..."); "since
    Friday" is the range from that day to `published`. A day and month without a year
    takes the latest such date on or before `published`. Dates of a report ("officials
    said on Sunday") are flagged ``reported``. "The night before", "a day earlier", "two
    days later" and "the same night" count from the date of the report, else from
    `anchor` (the date of the sentence before), else from `published`; "after a
    three-day siege" starts the date two days earlier. Without `published`, only dates
    with a year are found.

    Examples
    --------
    >>> published = dt.date(2020, 4, 24)  # a Friday
    >>> [(d.first.isoformat(), d.last.isoformat()) for d in find_dates(
    ...     "an assault late Thursday; since Monday; on April 11", published)]
    [('2020-04-23', '2020-04-23'), ('2020-04-20', '2020-04-24'), ('2020-04-11', '2020-04-11')]
    >>> [(d.first.isoformat(), d.reported) for d in find_dates(
    ...     "Police said on Wednesday that the attack the night before killed two", published)]
    [('2020-04-22', True), ('2020-04-21', False)]
    >>> find_dates("in the past 800000 days", published), find_dates("yesterday", dt.date.min)
    ([], [])
    """
    return list(_dates_of(text, published, anchor))


@functools.lru_cache(maxsize=4096, typed=True)  # boilerplate sentences recur across articles
def _dates_of(text: str, published: dt.date | None, anchor: dt.date | None) -> tuple[DateSpan, ...]:
    lower = low if (low := lowered(text)) is not None else text.lower()  # kept, shared
    found, taken = _found(text, lower, low is not None, published)
    report = next((d.first for d in found if d.reported and d.first == d.last), None)
    if report is not None:
        found = [_before_report(d, report) for d in found]
    day = report or anchor or published
    if day is not None and _has_anchor_word(lower):
        found += _anchored(text, taken, day)
    found.sort(key=lambda d: d.start)
    return tuple(_durations(text, found) if "-day" in lower else found)


def _found(text: str, lower: str, exact: bool, published: dt.date | None) -> _Found:
    """The dates of the patterns in turn, each outside those before, and their spans."""
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for read, matches in _scans(text, lower, exact, published):
        for m in matches:  # never overlapping one another: only those before are tested
            start, end = m.span()
            if taken and _overlaps(taken, start, end):
                continue
            span = read(m, published)
            if span is None:
                continue
            bisect.insort(taken, (start, end))
            reported = _reported(text, start, end, low=lower if exact else None)
            found.append(DateSpan(span[0], span[1], start, end, m.group(), reported))
    return found, taken


def _scans(text: str, lower: str, exact: bool, published: dt.date | None) -> Iterator[_Scan]:
    """The patterns that may match `text` (if `exact`, as `lower`), their readers, matches."""
    digits = _DIGIT.search(lower) is not None  # calendar dates need ASCII digits
    if "-" in lower and (digits or not lower.isascii() or not exact):  # \d is any digit
        yield _iso, _ISO.finditer(text)
    if digits and (not exact or any(map(lower.__contains__, _MONTH_KEYS))):
        yield _calendar, _MDY_LOW.finditer(text)
        yield _calendar, _DMY_LOW.finditer(text)
    if published is None:  # weekdays and relative dates need it
        return
    if "day" in lower:
        yield _weekday, _weekdays(text, lower) if exact else _WEEKDAY.finditer(text)
    if _may_be_relative(lower) if exact else any(map(lower.__contains__, _RELATIVE_WORDS)):
        yield _relative, _RELATIVE_LOW.finditer(text)


def _has_anchor_word(low: str) -> bool:  # a word of _ANCHORED: "before", "later" ...
    return ("before" in low or "previous" in low or "earlier" in low or "later" in low
            or "next" in low or "following" in low or "same" in low)  # fmt: skip


def _has_report_word(low: str) -> bool:  # a word of _REPORT_BEFORE: "said", "told" ...
    return ("said" in low or "says" in low or "told" in low or "reported" in low or "stat" in low
            or "announced" in low or "confirmed" in low or "added" in low or "claimed" in low
            or "tweeted" in low or "wrote" in low)  # fmt: skip


def _may_be_relative(low: str) -> bool:  # the words of every match of _RELATIVE
    return ("night" in low or "today" in low or "yesterday" in low or "ago" in low
            or (("this" in low or "last" in low or "past" in low)
                and ("day" in low or "week" in low or "month" in low or "year" in low
                     or "morning" in low or "hour" in low)))  # fmt: skip


def _weekdays(text: str, low: str) -> Iterator[re.Match[str]]:
    """``_WEEKDAY.finditer(text)``: a match has a weekday name, before it only _PREFIX_CHARS."""
    end = 0
    for name in _WEEKDAY_NAME.finditer(low):  # names never overlap one another
        if name.start() >= end:
            m = _WEEKDAY.search(text, end + len(low[end : name.start()].rstrip(_PREFIX_CHARS)))
            if m is None:
                return
            end = m.end()
            yield m


def _reported(text: str, start: int, end: int, *, low: str | None = None) -> bool:
    """Whether the date at [start, end) is when something was said (`low`: see _scans)."""
    first = max(0, start - 40)
    quick = low is None or _has_report_word(low[first:start])
    before = quick and _REPORT_BEFORE.search(text, first, start) is not None
    return before or _REPORT_AFTER.match(text[end : end + 40]) is not None


def _before_report(d: DateSpan, report: dt.date) -> DateSpan:
    """A weekday of the event is on or before the day it was reported."""
    if d.reported or not _WEEKDAY.fullmatch(d.text) or d.first <= report:
        return d
    first, last = _before(d.first, 7), _before(d.last, 7)
    return d if first is None or last is None else replace(d, first=first, last=last)


def _anchored(text: str, taken: list[tuple[int, int]], day: dt.date) -> list[DateSpan]:
    out = []
    for m in _ANCHORED.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        n = m.group("nb") or m.group("na")
        shift = parse_number(n) if n else 1 if not m.group("same") else 0
        if shift is None:
            continue
        d = _before(day, shift if m.group("before") else -shift)
        if d is not None:
            out.append(DateSpan(d, d, m.start(), m.end(), m.group()))
    return out


def _durations(text: str, found: list[DateSpan]) -> list[DateSpan]:
    """Dates with a duration: "on Saturday after a three-day siege" starts on Thursday."""
    for m in _DURATION.finditer(text):
        n = parse_number(m.group("n"))
        days = [k for k, d in enumerate(found) if d.first == d.last and not d.reported]
        if n is None or not 1 < n < 100 or not days:
            continue
        k = min(days, key=lambda k: abs(found[k].start - m.start()))
        first = _before(found[k].last, n - 1)
        if first is not None:
            found[k] = replace(found[k], first=first)
    return found


def article_date(text: str) -> dt.date | None:
    r"""The publication date printed on a line of its own near the top, if any.

    Examples
    --------
    >>> article_date("Headline\n\nBy A. Writer\n\nOct. 12, 2020\n\nKABUL — ...")
    datetime.date(2020, 10, 12)
    """
    m = _DATELINE_DATE.search(text[:2000])
    return None if m is None else _month_day(m.group("month"), m.group("d"), m.group("y"), None)


def publication_date(value: object) -> dt.date | None:
    """The publication date from a date, datetime, Timestamp, ISO string, NaT or None.

    Raises
    ------
    InvalidInputError
        For anything else, or a string that is not a date.

    Examples
    --------
    >>> publication_date("2020-10-12"), publication_date(None)
    (datetime.date(2020, 10, 12), None)
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # pandas Timestamp and NaT too
        return None if pd.isna(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str | np.datetime64):
        try:
            stamp = pd.Timestamp(value)
            return None if pd.isna(stamp) else stamp.date()
        except (ValueError, TypeError, OverflowError, NotImplementedError) as err:
            msg = f"published={_short(value)} is not a date; pass e.g. '2020-10-12' or a date."
            raise InvalidInputError(msg) from err
    msg = f"published must be a date or an ISO date string like '2020-10-12', got {_short(value)}."
    raise InvalidInputError(msg)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
