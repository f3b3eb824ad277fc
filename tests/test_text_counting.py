"""Counts and lists of victims (afghangeo/_text/counting.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from afghangeo._text import counting
from afghangeo._text.counting import MAX_FIGURE, parse_number, victims


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two dozen", 24), ("three hundred", 300), ("a dozen", 12), ("seventy-five", 75),
        ("dozen dozen", None), ("hundred two", None), ("nine", 9),
    ],
)  # fmt: skip
def test_parse_number_multiples(words: str, value: int | None) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("seven soldiers", 7, 7, ""),
        ("at least seven soldiers", 7, 7, "at least"),
        ("between 7 and 9 soldiers", 7, 9, ""),
        ("7 to 9 soldiers and 2 police", 9, 11, ""),
        ("a mother and her two children", 3, 3, ""),
        ("the driver and four passengers", 5, 5, ""),
        ("three soldiers, a police officer and a civilian", 5, 5, ""),
        ("three soldiers, a spokesman said", 3, 3, ""),
        ("13 people, 10 of them civilians", 13, 13, ""),
        ("dozens of people", None, None, "dozens of"),
        ("two soldiers and dozens of civilians", None, None, "dozens of"),
        ("some 300 villagers", 300, 300, "some"),
        ("an estimated 40 villagers", 40, 40, "an estimated"),
    ],
)
def test_victims(text: str, low: int | None, high: int | None, qualifier: str) -> None:
    count = victims(text, 0, len(text))
    assert count is not None
    assert (count.low, count.high, count.qualifier) == (low, high, qualifier)


@pytest.mark.parametrize(
    "text", ["the attack", "three attacks", "two hours", "2019", "a bomb", "in Kabul", ""]
)
def test_not_victims(text: str) -> None:
    assert victims(text, 0, len(text), persons=True) is None


def test_sides() -> None:
    count = victims("four police and two Taliban fighters", 0, 36)
    assert count is not None and count.sides == {"security", "attackers"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "a an the his her two 12 dozen dozens of to and or between , soldiers people "
            "of them attacks 99999999999999999999 at least".split()
        ),
        max_size=20,
    ).map(" ".join)
)
def test_victims_are_total_and_bounded(text: str) -> None:
    count = victims(text, 0, len(text))
    if count is not None:
        assert 0 <= count.end <= len(text)
        assert (count.low is None) == (count.high is None)
        assert count.low is None or 0 <= count.low <= count.high <= 20 * MAX_FIGURE  # type: ignore[operator]


_count_words = st.sampled_from(
    "a an at least more than over about some up to as many between and to or - – dozen "
    "dozens hundred hundreds of several many few handful couple number total estimated "
    "two Twenty five forty-two 13 1,500 2.5 10^400 year-old years soldiers Panama data "
    "tota totals ſome İ".split()
)
_count_text = st.lists(
    st.tuples(_count_words, st.sampled_from([" ", "  ", "", "\n", "-", ", ", "x"])).map("".join),
    max_size=14,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_count_text | st.text(max_size=60))
@example("between 5 and 6 soldiers, at least 13, some 300, a total of 40, dozens of")
@example("Panama total of 7, as many as 9, dataround 5, Up To 3, An estimated 12")
@example("fewer than 4 or less than 5, roughly 6, nearly seven, almost eight, over 9, MORE THAN 2")
@example("several, many, scores, hundreds, thousands, tens, a few, a dozen, an hundred")
def test_count_look_ahead_changes_no_match(text: str) -> None:
    # COUNT starts with a look-ahead for the words a count can start with: the same matches
    for flags, subject in ((re.IGNORECASE, text), (0, text.lower())):
        fast = re.compile(counting.COUNT, flags).finditer(subject)
        slow = re.compile(counting._COUNT, flags).finditer(subject)
        assert [(m.span(), m.groupdict()) for m in fast] == [
            (m.span(), m.groupdict()) for m in slow
        ]
