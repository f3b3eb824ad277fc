"""Dates in news text, relative ones resolved against the publication date.

Date arithmetic that would leave the calendar ("800000 days" before 2020, "yesterday"
on 1 January of year 1) gives no date rather than an error.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from afghangeo._text.figures import parse_number
from afghangeo._text.lexicon import MONTH, MONTHS, WEEKDAY, WEEKDAYS
from afghangeo.errors import InvalidInputError

__all__ = ["DateSpan", "article_date", "find_dates", "publication_date"]

_DAY = dt.timedelta(days=1)
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
# "last night", "this week", "in the past 24 hours"
_RELATIVE = re.compile(
    r"\b(?P<rel>last\s+night|overnight|yesterday|today|this\s+morning|tonight|"
    r"this\s+week|last\s+week|this\s+month|last\s+month|"
    r"(?:in\s+)?the\s+past\s+(?P<n>\d+|two|three|four|five|six|seven|24|48)\s+"
    r"(?P<unit>hours|days|weeks))\b",
    re.IGNORECASE,
)
_DATELINE_DATE = re.compile(
    rf"^\s*(?:(?:updated|published)\s*:?\s*)?{MONTH}\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\s*$",
    re.IGNORECASE | re.MULTILINE,
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


def _before(day: dt.date, days: float) -> dt.date | None:
    """`day` minus `days` days, or None outside the calendar."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        return None


def _month_day(month: str, day: str, year: str | None, published: dt.date | None) -> dt.date | None:
    m = MONTHS.get(month.lower().rstrip("."))
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
    back = (published.weekday() - WEEKDAYS.index(m.group("wd").lower())) % 7
    if m.group("last") and back == 0:
        back = 7
    d = _before(published, back)
    if d is None:
        return None
    return (d, published) if m.group("since") else (d, d)


def _this_or_last(rel: str, published: dt.date) -> Span | None:
    if rel == "this week":
        monday = _before(published, published.weekday())
        return (monday, published) if monday else None
    if rel == "last week":
        monday = _before(published, published.weekday() + 7)
        return (monday, monday + 6 * _DAY) if monday else None
    if rel == "this month":
        return published.replace(day=1), published
    last = _before(published.replace(day=1), 1)  # "last month"
    return (last.replace(day=1), last) if last else None


def _relative(m: re.Match[str], published: dt.date | None) -> Span | None:
    if published is None:
        return None
    rel = _WS.sub(" ", m.group("rel").lower())
    if rel in ("last night", "overnight", "yesterday"):
        d = _before(published, 1)
        return (d, d) if d else None
    if rel in ("today", "this morning", "tonight"):
        return published, published
    if m.group("n") is None:
        return _this_or_last(rel, published)
    n = parse_number(m.group("n"))
    if n is None:
        return None
    days = {"hours": n / 24, "days": n, "weeks": 7 * n}[m.group("unit").lower()]
    d = _before(published, max(int(days), 1))
    return (d, published) if d else None


_Reader = Callable[[re.Match[str], dt.date | None], Span | None]
_PATTERNS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_ISO, _iso),
    (_MDY, _calendar),
    (_DMY, _calendar),
    (_WEEKDAY, _weekday),
    (_RELATIVE, _relative),
)


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, disjoint spans `taken`."""
    k = bisect.bisect_left(taken, (end, -sys.maxsize))
    return k > 0 and taken[k - 1][1] > start


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
    >>> find_dates("in the past 800000 days", published), find_dates("yesterday", dt.date.min)
    ([], [])
    """
    found: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in _PATTERNS:
        new: list[tuple[int, int]] = []
        for m in pattern.finditer(text):
            if _overlaps(taken, m.start(), m.end()):
                continue
            span = read(m, published)
            if span is None:
                continue
            new.append((m.start(), m.end()))
            found.append(DateSpan(span[0], span[1], m.start(), m.end(), m.group()))
        taken = sorted(taken + new)
    return sorted(found, key=lambda d: d.start)


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
