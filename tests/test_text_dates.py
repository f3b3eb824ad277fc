"""Dates relative to publication (afghangeo/_text/dates.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._text import dates
from afghangeo._text.dates import article_date, find_dates, publication_date
from afghangeo.errors import InvalidInputError

FRIDAY = dt.date(2020, 4, 24)


@pytest.mark.parametrize(
    ("phrase", "first", "last"),
    [
        ("late Thursday", "2020-04-23", "2020-04-23"),
        ("on Friday", "2020-04-24", "2020-04-24"),
        ("last Friday", "2020-04-17", "2020-04-17"),
        ("since Monday", "2020-04-20", "2020-04-24"),
        ("Sunday night", "2020-04-19", "2020-04-19"),
        ("last night", "2020-04-23", "2020-04-23"),
        ("yesterday", "2020-04-23", "2020-04-23"),
        ("today", "2020-04-24", "2020-04-24"),
        ("this week", "2020-04-20", "2020-04-24"),
        ("last week", "2020-04-13", "2020-04-19"),
        ("this month", "2020-04-01", "2020-04-24"),
        ("on April 11", "2020-04-11", "2020-04-11"),
        ("on Dec. 30", "2019-12-30", "2019-12-30"),
        ("on Sept. 3", "2019-09-03", "2019-09-03"),
        ("on 3 March 2019", "2019-03-03", "2019-03-03"),
        ("on 3 Jan. 2019", "2019-01-03", "2019-01-03"),
        ("on 2019-06-01", "2019-06-01", "2019-06-01"),
        ("in the past 24 hours", "2020-04-23", "2020-04-24"),
        ("in the past two weeks", "2020-04-10", "2020-04-24"),
        ("last month", "2020-03-01", "2020-03-31"),
        ("earlier this month", "2020-04-01", "2020-04-24"),
        ("this year", "2020-01-01", "2020-04-24"),
        ("over the past week", "2020-04-17", "2020-04-24"),
        ("in the last few days", "2020-04-21", "2020-04-24"),
        ("two days ago", "2020-04-22", "2020-04-22"),
        ("a week ago", "2020-04-17", "2020-04-17"),
        ("Thursday's attack", "2020-04-23", "2020-04-23"),
        ("overnight", "2020-04-23", "2020-04-23"),
    ],
)
def test_dates_relative_to_publication(phrase: str, first: str, last: str) -> None:
    (found,) = find_dates(f"It happened {phrase}.", FRIDAY)
    assert (found.first.isoformat(), found.last.isoformat()) == (first, last)


def test_without_publication_only_dated_dates() -> None:
    found = find_dates("on Friday, on April 11 and on 3 March 2019", None)
    assert [d.text for d in found] == ["3 March 2019"]


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("in the past 800000 days", FRIDAY),
        ("in the past " + "9" * 5000 + " days", FRIDAY),
        ("yesterday", dt.date.min),
        ("late Thursday", dt.date.min),
        ("last Monday", dt.date.min),
        ("last week", dt.date.min),
        ("last month", dt.date.min),
        ("on Dec. 30", dt.date.min),
        ("on 2019-02-30", FRIDAY),
        ("on 0000-01-01", FRIDAY),
        ("on February 30, 2020", FRIDAY),
    ],
)
def test_dates_outside_the_calendar_are_left_out(text: str, published: dt.date) -> None:
    assert find_dates(text, published) == []


def test_dates_at_the_end_of_the_calendar() -> None:
    (found,) = find_dates("since Monday", dt.date.max)
    assert found.last == dt.date.max
    assert [d.first for d in find_dates("today and on Dec. 30", dt.date.max)] == [
        dt.date.max,
        dt.date(9999, 12, 30),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline\n\nBy A. Writer\n\nOct. 12, 2020\n\nKABUL — ...", dt.date(2020, 10, 12)),
        ("Updated: April 24, 2020\nText", dt.date(2020, 4, 24)),
        ("Feb 30, 2020\n", None),
        ("Jan 1, 0000\n", None),
        ("No date here.", None),
    ],
)
def test_article_date(text: str, expected: dt.date | None) -> None:
    assert article_date(text) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            "since last past Monday Friday night yesterday this week month the in 24 hours "
            "days 800000 April 11 Dec. 30 3 March 2019 2019-06-01 0001-01-01".split()
        ),
        max_size=30,
    ).map(" ".join),
    st.dates() | st.none(),
)
def test_dates_are_total(text: str, published: dt.date | None) -> None:
    for d in find_dates(text, published):
        assert d.first <= d.last
        assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None), (pd.NaT, None), ("", None), ("2020-10-12", dt.date(2020, 10, 12)),
        (dt.date(1, 1, 1), dt.date(1, 1, 1)), (dt.datetime(9999, 12, 31, 23), dt.date.max),
        (pd.Timestamp("2020-10-12 23:00", tz="Asia/Kabul"), dt.date(2020, 10, 12)),
        (np.datetime64("2020-10-12"), dt.date(2020, 10, 12)), (np.datetime64("NaT"), None),
    ],
)  # fmt: skip
def test_publication_date(value: object, expected: dt.date | None) -> None:
    assert publication_date(value) == expected


@pytest.mark.parametrize("value", ["-31.5", "someday", "\ud800", 5, 1.5, True, b"2020-01-01"])
def test_publication_date_rejects(value: object) -> None:
    with pytest.raises(InvalidInputError, match="published"):
        publication_date(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (first day, reported) of each date found
        ("Police said on Wednesday that the attack on Monday killed two.",
         [("2020-04-22", True), ("2020-04-20", False)]),
        ("The ministry on Thursday said the raid took place late Tuesday.",
         [("2020-04-23", True), ("2020-04-21", False)]),
        ("Officials said Monday that an attack Sunday killed seven.",
         [("2020-04-20", True), ("2020-04-19", False)]),
        ("The attack on Friday night killed nine, the hospital director said today.",
         [("2020-04-24", False), ("2020-04-24", True)]),
        ("An airstrike on Wednesday killed four, officials told reporters in Kabul on Thursday.",
         [("2020-04-22", False), ("2020-04-23", True)]),
    ],
)  # fmt: skip
def test_report_dates_are_flagged(text: str, expected: list[tuple[str, bool]]) -> None:
    found = find_dates(text, FRIDAY)
    assert [(d.first.isoformat(), d.reported) for d in found] == expected


def test_weekdays_fall_before_the_report() -> None:
    # published on a Friday; reported on Monday: "Thursday" is the Thursday before that
    (report, event) = find_dates("Police said on Monday that the attack on Thursday ...", FRIDAY)
    assert report.first == dt.date(2020, 4, 20) and event.first == dt.date(2020, 4, 16)


@pytest.mark.parametrize(
    ("text", "anchor", "day"),
    [
        ("Police said on Thursday that the post was attacked the night before.", None,
         "2020-04-22"),
        ("A day earlier, gunmen had attacked a bus.", dt.date(2020, 4, 21), "2020-04-20"),
        ("Two days later, the insurgents returned.", dt.date(2020, 4, 20), "2020-04-22"),
        ("The same night, a second bomb went off.", dt.date(2020, 4, 21), "2020-04-21"),
        ("The previous day, a bomb went off.", None, "2020-04-23"),
    ],
)  # fmt: skip
def test_days_counted_from_an_anchor(text: str, anchor: dt.date | None, day: str) -> None:
    found = [d for d in find_dates(text, FRIDAY, anchor=anchor) if not d.reported]
    assert [d.first.isoformat() for d in found] == [day]


def test_a_siege_of_days_ends_on_the_date_given() -> None:
    (d,) = find_dates("The town fell on Thursday after a four-day siege.", FRIDAY)
    assert (d.first, d.last) == (dt.date(2020, 4, 20), dt.date(2020, 4, 23))


# --- the quick tests and scans give the dates of the patterns as written ---------------


def _reference_dates(text: str, published: dt.date | None, anchor: dt.date | None) -> list:
    """find_dates as first written: every pattern over the whole text, one quick test each."""
    quick = [
        (dates._ISO, dates._iso, ("-",)),
        (dates._MDY, dates._calendar, tuple("0123456789")),
        (dates._DMY, dates._calendar, tuple("0123456789")),
        (dates._WEEKDAY, dates._weekday, ("day",)),
        (dates._RELATIVE, dates._relative, dates._RELATIVE_WORDS),
    ]
    found: list[dates.DateSpan] = []
    taken: list[tuple[int, int]] = []
    lower = text.lower()
    for pattern, read, words in quick:
        if not any(w in lower for w in words):
            continue
        new = []
        for m in pattern.finditer(text):
            if dates._overlaps(taken, m.start(), m.end()):
                continue
            span = read(m, published)
            if span is None:
                continue
            new.append((m.start(), m.end()))
            before = dates._REPORT_BEFORE.search(text, max(0, m.start() - 40), m.start())
            reported = before is not None or dates._REPORT_AFTER.match(text[m.end() : m.end() + 40])
            found.append(dates.DateSpan(*span, m.start(), m.end(), m.group(), bool(reported)))
        taken = sorted(taken + new)
    report = next((d.first for d in found if d.reported and d.first == d.last), None)
    if report is not None:
        found = [dates._before_report(d, report) for d in found]
    day = report or anchor or published
    anchor_words = ("before", "previous", "earlier", "later", "next", "following", "same")
    if any(w in lower for w in anchor_words) and day is not None:
        found += dates._anchored(text, taken, day)
    found.sort(key=lambda d: d.start)
    return dates._durations(text, found) if "-day" in lower else found


_DATE_WORDS = (
    "since last this past Monday TUESDAY wednesday Thursday Friday's saturday Sundays "
    "night nights morning evening afternoon yesterday today tonight overnight week weeks "
    "month year hours hour day days 24 48 two a an few ago the in over during said says "
    "told reporters officials on late early statement added, before previous earlier "
    "later next following same three-day siege April Oct. oct Sept. May mar 11 11th of 3 "
    "30 2020 2019 2019-06-01 2020-02-30 ٢٠١٩ ٢٠١٩-٠٦-٠١ ٣ Thurſday nıght İ THİS SİNCE ſince K"
).split()
_SPACE = st.sampled_from([" ", " ", " ", "  ", "\n", "\u00a0", "\u2009", "\t", " \n "])
_GLUE = _SPACE | st.sampled_from(["", ", ", " — ", ". ", "; "])


def _phrase(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Words, each maybe left out, with white space of any kind between them."""
    words = st.tuples(*(st.one_of(st.just(""), p) for p in parts))
    return st.tuples(words, st.lists(_SPACE, min_size=len(parts), max_size=len(parts))).map(
        lambda ws: "".join(w + sp for w, sp in zip(*ws, strict=True) if w)
    )


def _either(words: str) -> st.SearchStrategy[str]:
    """One of `words` in any case, or with a letter that lowercasing does not match."""
    odd = {"s": "ſ", "i": "ı", "I": "İ"}
    return st.sampled_from(words.split()).flatmap(
        lambda w: st.sampled_from([w, w.upper(), w.capitalize(), w.translate(str.maketrans(odd))])
    )


_DATE_PHRASE = st.one_of(
    _phrase(
        _either("since"),
        _either("last this past"),
        _either("past"),
        _either("monday tuesday wednesday thursday friday saturday sunday mondays"),
        _either("night morning evening"),
    ),
    _phrase(
        _either("in over during"),
        _either("the"),
        _either("past last"),
        _either("24 two few a 800000"),
        _either("hours days weeks day week month hour"),
    ),
    _phrase(_either("two a an 3"), _either("days day weeks"), _either("ago later earlier")),
    _phrase(
        _either("3 11th ٣ 30"),
        _either("of"),
        _either("april oct. may mar"),
        _either("2019 ٢٠١٩ 11"),
    ),
    _phrase(
        _either("said told announced"),
        _either("reporters on late in a"),
        _either("friday today yesterday"),
    ),
    _phrase(_either("last this the"), _either("night week month year same previous next")),
)
_DATE_TEXT = st.lists(
    st.tuples(_DATE_PHRASE | st.sampled_from(_DATE_WORDS), _GLUE), max_size=12
).map(lambda parts: "".join(w + g for w, g in parts))
_DAYS = st.sampled_from(
    [None, FRIDAY, dt.date(2020, 4, 20), dt.date(2020, 1, 1), dt.date.min, dt.date.max]
)


def _outcome(find, *args):  # the dates, or the error, of a call
    try:
        return [(d.first, d.last, d.start, d.end, d.text, d.reported) for d in find(*args)]
    except Exception as exc:  # a crash must stay the same crash
        return type(exc).__name__


@pytest.mark.parametrize(
    "text",
    ["on ٣ April", "on ٢٠١٩-٠٦-٠١", "late Thurſday", "SİNCE Monday", "since \u00a0 last\nMonday",
     "this past Friday's", "past Monday", "in the past 24 hours", "two days ago", "Mondays",
     "officials told reporters in Kabul on Thursday", "the night before", "oct 3, 2019"],
)  # fmt: skip
def test_same_dates_as_the_patterns_as_written_on(text: str) -> None:
    for published, anchor in ((FRIDAY, None), (None, None), (FRIDAY, dt.date(2020, 4, 20))):
        dates._dates_of.cache_clear()
        new = _outcome(lambda *a: find_dates(*a[:2], anchor=a[2]), text, published, anchor)
        assert new == _outcome(_reference_dates, text, published, anchor)


@settings(max_examples=600, deadline=None)
@given(_DATE_TEXT | st.text(max_size=200), _DAYS, _DAYS)
def test_same_dates_as_the_patterns_as_written(text: str, published, anchor) -> None:
    dates._dates_of.cache_clear()
    new = _outcome(lambda *a: find_dates(*a[:2], anchor=a[2]), text, published, anchor)
    assert new == _outcome(_reference_dates, text, published, anchor)


@settings(max_examples=400, deadline=None)
@given(_DATE_TEXT)
def test_quick_tests_hold_for_every_match(text: str) -> None:
    low = text.lower()
    if not (text.isascii() or dates.lowered(text) is not None):
        return
    relative = [m.group() for m in dates._RELATIVE.finditer(text)]
    assert not relative or dates._may_be_relative(low), relative
    assert [m.span() for m in dates._weekdays(text, low)] == [
        m.span() for m in dates._WEEKDAY.finditer(text)
    ]
    for end in range(len(text) + 1):
        if dates._REPORT_BEFORE.search(text, max(0, end - 40), end) is not None:
            assert dates._has_report_word(low[max(0, end - 40) : end])
    digits = any(c in "0123456789" for c in low)
    assert (
        not digits
        or any(key in low for key in dates._MONTH_KEYS)
        or not (dates._MDY.search(text) or dates._DMY.search(text))
    )
