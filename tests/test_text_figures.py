"""Numbers and casualty figures (afghangeo/_text/figures.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._text.figures import MAX_FIGURE, find_facts, find_figures, parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("13", 13), ("1,500", 1500), ("thirteen", 13), ("forty-two", 42), ("forty two", 42),
        ("a dozen", 12), ("no", 0), ("١٢", 12), ("many", None), ("", None), ("²", None),
        ("9" * 5000, None), ("twenty-ten", None),
    ],
)  # fmt: skip
def test_parse_number(words: str, value: int | None) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("That attack killed at least 13 members; 4 were wounded.",
         [("killed", 13, "at least"), ("wounded", 4, "")]),
        ("It has displaced about 1,500 families.", [("displaced_families", 1500, "about")]),
        ("200 families have fled.", [("displaced_families", 200, "")]),
        ("The death toll rose to 40.", [("killed", 40, "")]),
        ("Gunmen attacked, killing thirteen.", [("killed", 13, "")]),
        ("The blast caused no casualties.", [("killed", 0, "none"), ("wounded", 0, "none")]),
        ("13 attacks killed people.", []),
        ("Someone was killed.", []),
    ],
)  # fmt: skip
def test_find_figures(text: str, expected: list[tuple[str, int, str]]) -> None:
    assert [(f.what, f.value, f.qualifier) for f in find_figures(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Taliban attacked Kabul, killing 100000000000000000000 people.",
        "Taliban attacked Kabul, killing " + "9" * 5000 + " people.",
        "10^400 people killed",
        "killing 10^400 people",
        "1e400 people were killed",
        "99999999999999999999 killed",
        f"{MAX_FIGURE + 1} people were killed",
        "The attack displaced 123456789012 families.",
    ],
)
def test_absurd_numbers_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_the_largest_figure() -> None:
    (f,) = find_figures(f"{MAX_FIGURE:,} people were killed")
    assert f.value == MAX_FIGURE


def test_find_facts() -> None:
    facts = find_facts("about 50 attacks per day; 25 to 40 Afghan forces killed each day", 10)
    assert [(f["what"], f["value"], f["upper"], f["qualifier"]) for f in facts] == [
        ("attacks", 50, None, "about"),
        ("afghan forces", 25, 40, None),
    ]
    assert facts[0]["start"] == 10
    assert find_facts("10^400 attacks and 99999999999999999999 provinces") == []


_words = st.sampled_from(
    "killed wounded at least 13 1,500 thirteen forty-two dozen a no one was families "
    "displaced people were death toll rose to 10^400 99999999999999999999 , .".split()
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_words, max_size=40).map(" ".join) | st.text(max_size=300))
def test_figures_are_total_and_bounded(text: str) -> None:
    for f in find_figures(text):
        assert 0 <= f.value <= MAX_FIGURE
        assert 0 <= f.start < f.end <= len(text)
    for fact in find_facts(text):
        assert 0 <= fact["value"] <= MAX_FIGURE


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Five soldiers and two police officers were killed.", 7),
        ("Seven soldiers, three police officers and a civilian were killed.", 11),
        ("The assault had killed five soldiers and two police officers.", 7),
        ("Four soldiers and a police officer were killed when a bomb went off.", 5),
        ("At least 13 people, including women and children, were killed.", 13),
        ("5 soldiers were killed and 7 wounded.", 5),
        ("Insurgents attacked a post, killing two officers, a council member told reporters.", 2),
    ],
)
def test_compound_figures_sum(text: str, killed: int) -> None:
    found = [f for f in find_figures(text) if f.what == "killed"]
    assert [f.value for f in found] == [killed]
