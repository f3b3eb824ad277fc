"""Dates relative to publication (afghangeo/_text/dates.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
