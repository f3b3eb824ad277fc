"""Sentences and paragraphs (afghangeo/_text/sentences.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._text.sentences import sentence_finder, sentences


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
