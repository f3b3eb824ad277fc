"""The word lists and the regular expressions built from them (afghangeo/_text/lexicon.py)."""

from __future__ import annotations

import re

import pytest

from afghangeo._text import lexicon


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (lexicon.MONTH, "Sept."), (lexicon.MONTH, "october"), (lexicon.MONTH, "Dec"),
        (lexicon.WEEKDAY, "Thursday"), (lexicon.QUALIFIER, "at  least"),
        (lexicon.NUMBER, "1,500"), (lexicon.NUMBER, "forty-two"), (lexicon.NUMBER, "a dozen"),
    ],
)  # fmt: skip
def test_fragments_match_their_words(pattern: str, text: str) -> None:
    assert re.fullmatch(pattern, text, re.IGNORECASE)


@pytest.mark.parametrize("text", ["someone", "10^400", "2.5", "1,5000", "13th"])
def test_number_is_never_part_of_a_longer_token(text: str) -> None:
    assert re.search(lexicon.NUMBER, text, re.IGNORECASE) is None


def test_one_table() -> None:
    # months and weekdays are never places, and short months never end a sentence
    assert {"may", "thursday", "sept"} <= lexicon.NEVER_PLACES
    assert "sept" in lexicon.ABBREVIATIONS and "may" not in lexicon.ABBREVIATIONS
    assert lexicon.NUMBERS["a dozen"] == 12 and lexicon.MONTHS["sep"] == 9
    assert lexicon.alternation(["at", "at least"]) == r"(?:at\s+least|at)"
