"""The word lists and the regular expressions built from them (afghangeo/_text/lexicon.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert lexicon.alternation(["at", "at least"]) == r"(?:at(?:\s+least)?)"


# the event pattern as it was written by hand before the words moved to the table: the
# table, the pattern built from it and is_event must all agree with it
_EVENT_BY_HAND = re.compile(
    r"\b(?:attack(?:s|ed|ing|ers?)?|offensive|assault(?:s|ed)?|fight(?:ing|s)?|fought|"
    r"clash(?:es|ed)?|battle(?:s|d)?|kill(?:ed|ing|s)?|wound(?:ed|ing)|injur(?:ed|ing|ies)|"
    r"dead|died|overr(?:a|u)n(?:ning)?|ambush(?:ed|es)?|bomb(?:s|ed|ing|ings)?|blast(?:s)?|"
    r"explo(?:sion|sions|ded)|airstrikes?|air\s+strikes?|strikes?|shell(?:ing|ed)|"
    r"rockets?|mortars?|suicide|gunmen|besieged?|siege|captured?|seized?|overtook|"
    r"stormed|violence|under\s+fire|displac(?:ed|ing)|push(?:ed|ing)?\s+(?:for|into|toward)|"
    r"insurgents?\s+(?:took|advanced)|fir(?:ed|ing)\s+(?:on|at|upon)|opened\s+fire|gunfire|"
    r"fell\s+to|re-?took|recaptured|retaken|bl(?:ew|own)\s+up|descended\s+on|"
    r"raid(?:s|ed|ing)?|shot\s+(?:dead|down)|shootings?|grenades?|(?:land|roadside\s+)mines?)\b",
    re.IGNORECASE,
)
_EVENT_TEXT = st.lists(
    st.sampled_from(
        [
            "attack",
            "Attackers",
            "overrunning",
            "wound",
            "WOUNDED",
            "air",
            "strikes",
            "under",
            "fire",
            "re-took",
            "re",
            "took",
            "retook",
            "roadside",
            "mines",
            "landmine",
            "shot",
            "dead",
            "down",
            "pushed",
            "toward",
            "insurgents",
            "advanced",
            "fired",
            "upon",
            "x_killed",
            "killed2",
            "kılled",
            "KİLLED",
            "ſiege",
            "bombé",
            "the",
            "police",
            "said",
            "-",
            ",",
            "\n",
        ]
    ),
    max_size=12,
).map(" ".join) | st.text(max_size=40)


@settings(max_examples=500, deadline=None)
@given(_EVENT_TEXT)
def test_is_event_is_the_event_pattern(text: str) -> None:
    expected = _EVENT_BY_HAND.search(text) is not None
    assert (lexicon.EVENT.search(text) is not None) == expected
    assert lexicon.is_event(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fighters stormed the district centre.", True),
        ("The convoy came under  fire.", True),
        ("Gunmen re-took the post.", True),
        ("The wound healed.", False),  # "wound" alone is not a form of the table
        ("x_killed", False),
        ("An airstrike hit the village.", True),
        ("Peace talks resumed in Doha.", False),
    ],
)
def test_is_event_examples(text: str, expected: bool) -> None:
    assert lexicon.is_event(text) is expected


def _flat(words: list[str]) -> str:
    """The flat alternation, longest first: what the trie must match like."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("abc .", min_size=1, max_size=5), min_size=1, max_size=8),
    st.text("abc .\n", max_size=40),
)
def test_trie_alternation_matches_like_the_flat_one(words: list[str], text: str) -> None:
    for template in ("{}", r"\b{}\b", r"{}(?=c)", r"(?P<w>{})\.?"):
        trie = re.compile(template.format(lexicon.alternation(words)))
        flat = re.compile(template.format(_flat(words)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


# the pattern of national statements as first written (branches in another order)
_NATIONAL_BY_HAND = re.compile(
    r"\b(?:across\s+(?:the\s+country|afghanistan)|nationwide|(?:per|each|every)\s+day|"
    r"(?<!\bafter\s)(?<!\bfor\s)(?<!\bwithin\s)(?<!\bin\s)"
    r"a\s+day\b(?!\s+(?:of|earlier|later|before|after|ago|and|or|long|\w+ing)\b)|"
    r"daily|on\s+average|an\s+average|the\s+average|of\s+the\s+country'?s|"
    r"\d+\s+of\s+(?:the\s+)?(?:country's\s+)?\d+\s+provinces|every\s+(?:week|month))\b",
    re.IGNORECASE,
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                "A",
                "day",
                "after",
                "for",
                "within",
                "in",
                "of",
                "earlier",
                "killing",
                "per",
                "each",
                "every",
                "week",
                "daily",
                "on",
                "an",
                "average",
                "the",
                "country's",
                "country",
                "across",
                "Afghanistan",
                "nationwide",
                "20",
                "34",
                "provinces",
                "ago",
            ]
        ),
        max_size=10,
    ).map(" ".join)
)
def test_national_is_the_pattern_as_first_written(text: str) -> None:
    expected = _NATIONAL_BY_HAND.search(text) is not None
    assert (lexicon.NATIONAL.search(text) is not None) == expected
