"""Sentences and paragraphs (afghangeo/_text/sentences.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._text.lexicon import ABBREVIATIONS
from afghangeo._text.sentences import Sentence, sentence_finder, sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three?", ["One.", "Two!", "Three?"]),
        (
            "Mr. Afghan said so. Gen. S. Miller agreed.",
            ["Mr. Afghan said so.", "Gen. S. Miller agreed."],
        ),
        ("The U.S. said so. Then more.", ["The U.S. said so.", "Then more."]),
        ("On Oct. 12 it ended. Next.", ["On Oct. 12 it ended.", "Next."]),
        ("He said: “Go.” They went.", ["He said: “Go.”", "They went."]),
        ("Wait... Then.", ["Wait...", "Then."]),
        ("A line\nAnother line", ["A line", "Another line"]),
        ("", []),
        ("   ", []),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in sentences(text)] == expected


def test_paragraphs_and_hard_wrapped_lines() -> None:
    wrapped = "A long line of a paragraph that was hard-wrapped near the\nend. Two."
    found = sentences("Title\n\n" + wrapped + "\n\nThree.")
    assert [s.paragraph for s in found] == [0, 1, 1, 2]
    assert found[1].text.endswith("the\nend.")


@pytest.mark.parametrize(
    "text",
    ["." * 20_000, "!?" * 10_000, "a." * 10_000, "\n" * 20_000, ". " * 10_000, "\n \n" * 5_000],
)
def test_runs_of_stops_and_breaks(text: str) -> None:
    for s in sentences(text):
        assert text[s.start : s.end] == s.text and s.text.strip() == s.text


def test_sentence_finder() -> None:
    text = "One. Two. Three."
    sents = sentences(text)
    find = sentence_finder(sents)
    assert [find(text.index(w)) for w in ("One", "Two", "Three")] == [0, 1, 2]
    assert find(len(text) + 10) == 2 and sentence_finder([])(5) == 0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab .!?\n\t"”)Mr'), max_size=300) | st.text(max_size=300))
def test_spans_are_exact_and_ordered(text: str) -> None:
    last_end = 0
    paragraph = 0
    for s in sentences(text):
        assert text[s.start : s.end] == s.text
        assert s.text and s.start >= last_end and s.paragraph >= paragraph
        last_end, paragraph = s.end, s.paragraph


# --- the same sentences as the first way of splitting ---------------------------------

_REF_BOUNDARY = re.compile(r"[.!?](?<![.!?]{2})[.!?]*+[\"”’')\]]*+\s+|\n\s*\n|\n(?=\s*\S)")
_REF_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_REF_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")


def _reference(text: str) -> list[tuple[int, int, int, str]]:
    """sentences() as first written: a Python test of the word before each full stop."""

    def abbreviation(stop: int) -> bool:
        match = _REF_LAST_WORD.search(text[max(0, stop - 12) : stop + 1])
        word = match.group(1).lower() if match else ""
        return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())

    def add(start: int, end: int) -> None:
        chunk = text[start:end]
        left = chunk.lstrip()
        if left:
            stripped = left.rstrip()
            first = start + len(chunk) - len(left)
            out.append((first, first + len(stripped), paragraph, stripped))

    blank_lines = _REF_BLANK_LINE.search(text) is not None
    out: list[tuple[int, int, int, str]] = []
    paragraph = start = 0
    for match in _REF_BOUNDARY.finditer(text):
        piece = match.group()
        if piece[0] == "." and abbreviation(match.start()):
            continue
        new_paragraph = "\n" in piece and (
            not blank_lines or _REF_BLANK_LINE.search(piece) is not None
        )
        wrapped = piece[0] == "\n" and blank_lines and not new_paragraph
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if wrapped and len(line.strip()) >= 50:
            continue
        add(start, match.end() - (len(piece) - len(piece.rstrip())))
        paragraph += new_paragraph
        start = match.end()
    add(start, len(text))
    return out


_WORDS = st.sampled_from(
    ["Kabul", "said", "the", "attack", "province.", "killed", "A", "s", "x", "3.5", "e.g.",
     "ab.c", "Mr.", "MR.", "mrs.", "U.S.", "u.s.", "Gen.", "S.", "approx.", "Approxx.",
     "Sept.", "no.", "etc.", "p.m.", "xMr.", "aMr.", "a.Mr.", "longwordthatgoeson.", "St"]
)  # fmt: skip
_ENDS = st.sampled_from(
    ["", "", ".", "!", "?", "...", "?!", '."', ".”", ".’)", ".')", "!]", ".\u201d\u2019"]
)
_GAPS = st.sampled_from(
    [" ", " ", " ", "", "  ", "\n", "\n\n", "\n \n", "\n\t\n", "\r\n", "\n\r\n", "\x0b",
     "\u00a0", "\u2029", "\n   ", " \n\n ", "\n\n\n"]
)  # fmt: skip
_LONG = "A long line of a paragraph that was hard-wrapped near the"
_PROSE = st.lists(st.tuples(_WORDS | st.just(_LONG), _ENDS, _GAPS), max_size=30).map(
    lambda parts: "".join(w + e + g for w, e, g in parts)
)


@settings(max_examples=1000, deadline=None)
@given(_PROSE | st.text(alphabet=st.sampled_from('ab .!?\n\t"”)Mr.SU'), max_size=200))
def test_same_sentences_as_the_first_way(text: str) -> None:
    found = sentences(text)
    assert [(s.start, s.end, s.paragraph, s.text) for s in found] == _reference(text)
    assert all(type(s) is Sentence and s == Sentence(s.start, s.end, s.paragraph, s.text)
               for s in found)  # fmt: skip
