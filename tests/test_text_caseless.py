"""Caseless patterns find exactly what the same pattern with re.IGNORECASE finds."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afghangeo._text
from afghangeo._text.caseless import Caseless, _Lowered, lowered


def _all_caseless() -> list[tuple[str, Caseless]]:
    found = []
    for info in pkgutil.iter_modules(afghangeo._text.__path__):
        module = importlib.import_module(f"afghangeo._text.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Caseless) and not name.startswith("__"):
                found.append((f"{info.name}.{name}", value))
    return found


PATTERNS = _all_caseless()
# words of the patterns and of reports, in any case, with the characters where
# lowercasing and IGNORECASE part ways (İ ı ſ, the Kelvin sign, ß) and some that change length
_WORDS = [
    "attack", "ATTACKED", "Killed", "killing", "wounded", "at least", "five", "Dozens of",
    "no one was", "killed", "said", "on", "Saturday", "night", "in", "the", "police",
    "officials", "last year", "per day", "across the country", "families", "fled to",
    "according to", "officials in", "also", "more", "left", "dead", "him", "13", "2,000",
    "ſaid", "KİLLED", "kılled", "\u212aILLED", "ß", "İstanbul", "’s", "—", ";", ".", ",",
]  # fmt: skip
_texts = st.lists(st.sampled_from(_WORDS), max_size=30).map(" ".join) | st.text(max_size=80)


def test_every_caseless_pattern_is_found() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"lexicon.EVENT", "lexicon.NATIONAL", "figures._OBJECT", "counting._FACT"} <= names


@settings(max_examples=300, deadline=None)
@given(text=_texts, pos=st.integers(0, 40), span=st.integers(0, 120))
def test_same_matches_as_ignorecase(text: str, pos: int, span: int) -> None:
    for name, rx in PATTERNS:
        icase = re.compile(rx.pattern, re.IGNORECASE | (rx._icase.flags & re.VERBOSE))
        end = pos + span
        expected = [(m.span(), m.groupdict(), m[0]) for m in icase.finditer(text, pos, end)]
        got = [(m.span(), m.groupdict(), m[0]) for m in rx.finditer(text, pos, end)]
        assert got == expected, name
        one, other = rx.search(text, pos, end), icase.search(text, pos, end)
        assert (one and (one.span(), one[0])) == (other and (other.span(), other[0])), name
        assert bool(rx.match(text, pos)) == bool(icase.match(text, pos)), name


@pytest.mark.parametrize(
    ("pattern", "text", "span"),
    [
        (r"\b(?:attack|ambush)(?:ed|s)?\b", "Taliban fighters AMBUSHED a convoy", (17, 25)),
        (r"[A-Z]+", "abc DEF", (0, 3)),  # [A-Z] under the flag is any case
        (r"kill", "\u212aILL", (0, 4)),  # the Kelvin sign lowercases to k
        (r"said", "ſaid", (0, 4)),  # long s: IGNORECASE alone decides
        (r"i", "İ", (0, 1)),  # lowercases to two characters: IGNORECASE alone
    ],
)
def test_known_cases(pattern: str, text: str, span: tuple[int, int]) -> None:
    m = Caseless(pattern).search(text)
    assert m is not None and m.span() == span
    assert m.string is text  # the match is on the text as written, not a lowercased copy


def test_a_cased_character_by_number_is_refused() -> None:
    with pytest.raises(ValueError, match="cased character"):
        Caseless(r"[\u00c0-\u00de]")
    assert Caseless(r"[\u0600-\u06ff]\S").search("x \u0627b") is not None  # Arabic: caseless


def test_lowered_texts_are_bounded() -> None:
    keep = _Lowered(budget=100)
    for k in range(50):
        assert keep(f"Text {k} " * 3) == f"text {k} " * 3
    assert keep.size <= 100 and len(keep.kept) <= 9
    big = "A" * 1000
    assert keep(big) == "a" * 1000 and list(keep.kept) == [big]  # one over budget stays alone
    keep.clear()
    assert keep.size == 0 and not keep.kept
    assert lowered("KİLLED") is None and lowered("Killed") == "killed"
