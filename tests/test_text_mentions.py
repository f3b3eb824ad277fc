"""Words, the phrase look-up, not-a-place rules and roles (afghangeo/_text/mentions.py)."""

from __future__ import annotations

import pytest

from afghangeo._text.mentions import (
    Draft,
    DraftIndex,
    Rules,
    SentenceFacts,
    active_gazetteer,
    match_phrases,
    sentence_start,
    tokens,
)
from afghangeo._text.roles import role
from afghangeo._text.sentences import sentences


def _phrases(text: str) -> list[str]:
    toks = tokens(text)
    return [
        text[toks[i].start : toks[j - 1].end]
        for i, j, _ in match_phrases(text, toks, active_gazetteer()[1])
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Qala-e Naw and Lashkar Gāh", ["Qala", "e", "Naw", "Lashkar", "Gāh"]),
        ("the attack in Kabul", ["Kabul"]),
        ("لشکرگاه و هرات", ["لشکرگاه", "و", "هرات"]),
        ("O'Brien's KABUL", ["O'Brien's", "KABUL"]),
    ],
)
def test_tokens(text: str, words: list[str]) -> None:
    toks = tokens(text)
    assert [t.text for t in toks] == words
    assert all(text[t.start : t.end] == t.text for t in toks)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("A blast in Lashkar Gah and Mazar-i-Sharif.", ["Lashkar Gah", "Mazar-i-Sharif"]),
        ("Talks in Doha went on.", ["Doha"]),
        ("The U.S. said so.", ["U.S"]),
        ("Nothing here.", []),
    ],
)
def test_match_phrases_longest_first(text: str, phrases: list[str]) -> None:
    assert _phrases(text) == phrases


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("A blast in Kabul.", False),
        ("Western Badghis saw fighting.", False),
        ("Kunduz City fell.", False),
        ("The Kabul Kandahar highway.", False),
        ("Ataullah Kabul spoke.", True),
        ("Mr. Herat spoke.", True),
        ("Governor Helmandi spoke.", True),
        ("He met students at Kabul University.", True),
    ],
)
def test_not_a_place(text: str, not_a_place: bool) -> None:
    toks = tokens(text)
    matches = match_phrases(text, toks, active_gazetteer()[1])
    rules = Rules(text, toks, matches)
    assert matches
    assert any(rules.not_a_place(i, j) for i, j, _ in matches) == not_a_place


def test_rules_on_a_long_run_of_names_is_one_pass() -> None:
    text = "Kabul " * 5000
    toks = tokens(text)
    matches = match_phrases(text, toks, active_gazetteer()[1])
    rules = Rules(text, toks, matches)
    assert rules.run_start[-1] == 0 and rules.run_stop[1] == len(toks)
    assert not any(rules.not_a_place(i, j) for i, j, _ in matches)


@pytest.mark.parametrize(
    ("text", "pos", "expected"),
    [
        ("Kabul", 0, True),
        ('He left. "Kabul', 10, True),
        ("in Kabul", 3, False),
        ("—Kabul", 1, True),
    ],
)
def test_sentence_start(text: str, pos: int, expected: bool) -> None:
    assert sentence_start(text, pos) == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("KABUL, Afghanistan — The Taliban attacked a base.", "KABUL", "dateline"),
        ("Mujib Mashal reported from Kabul.", "Kabul", "reporting"),
        ("A bomb killed two people in Kabul.", "Kabul", "event"),
        ("A delegation visited Kabul.", "Kabul", "other"),
    ],
)
def test_role(text: str, surface: str, expected: str) -> None:
    sents = sentences(text)
    facts = SentenceFacts.of(sents, lambda s: "killed" in s or "attacked" in s)
    start = text.index(surface)
    draft = Draft(start, start + len(surface), surface, False, 0)
    assert role(text, draft, facts[0])[0] == expected


def test_draft_index() -> None:
    drafts = [Draft(0, 5, "Kabul", False, 0), Draft(10, 14, "Nawa", False, 0)]
    index = DraftIndex(drafts)
    assert index.at(2, 3) is drafts[0] and index.at(12, 20) is drafts[1]
    assert index.at(5, 10) is None and index.at(0, 20) is drafts[0]
    index.add(Draft(6, 8, "Ab", False, 0))
    assert [d.start for d in index.drafts] == [0, 6, 10] and index.at(7, 8) is not None
