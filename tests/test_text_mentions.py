"""Words, the phrase look-up, not-a-place rules and roles (afghangeo/_text/mentions.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afghangeo as ag
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
from afghangeo._text.roles import relation, role
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
        ("On Sunday Kandahar police said so.", False),
        ("The Helmand Province Governor spoke.", False),
        ("Helmand Governor Gulab Mangal spoke.", False),
        ("The Taliban Kandahar commander spoke.", False),
        ("Meanwhile Zabul saw fighting.", False),
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


# --- the rules, sentence by sentence (sentences written for these tests) ----------------


def _mentions(text: str) -> dict[str, ag.Mention]:
    return {m.text: m for m in ag.extract_places(text)}


def _incident_provinces(text: str) -> set[str]:
    table = ag.extract_incidents(text, published="2021-05-03")
    return {p for p in table["province"] if isinstance(p, str)}


@pytest.mark.parametrize(
    ("text", "surface", "province", "role"),
    [
        ("A spokesman for the Logar governor said a bomb killed two in Baraki Barak.",
         "Logar", "Logar", "reporting"),
        ("The Badghis police chief said insurgents killed six soldiers in Muqur.",
         "Badghis", "Badghis", "reporting"),
        ("Zabul's deputy governor said the attack in Shinkay killed four.",
         "Zabul", "Zabul", "reporting"),
        ("Zabul’s deputy governor said the attack in Shinkay killed four.",
         "Zabul", "Zabul", "reporting"),
        ("Kunduz Governor Abdul Sattar Mirzakwal said fighters killed nine in Chahar Dara.",
         "Kunduz", "Kunduz", "reporting"),
        ("The governor of Paktia said gunmen killed a teacher in Zurmat.",
         "Paktia", "Paktia", "reporting"),
        ("Police in Balkh said a blast killed three in Chimtal district.",
         "Balkh", "Balkh", "reporting"),
        ("A mine killed two boys in Laghman's Alishing district.", "Alishing", "Laghman", "event"),
        ("A mine killed two boys in Laghman’s Alishing district.", "Laghman", "Laghman", "other"),
        ("A journalist was shot dead in Paktia's capital, Gardez.", "Gardez", "Paktia", "event"),
        # alone in its sentence and paragraph, the place of a title is the event's place
        ("The Farah police chief said five officers were killed in an ambush.",
         "Farah", "Farah", "event"),
    ],
)  # fmt: skip
def test_titles_and_possessives(text: str, surface: str, province: str, role: str) -> None:
    m = _mentions(text)[surface]
    assert (m.province, m.role, m.foreign) == (province, role, False)
    assert text[m.start : m.end] == surface  # no "'s" in the span


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan's army said it had returned fire.",
        "Pakistan’s army said it had returned fire.",
        "Iran's border guards opened fire near Islam Qala, killing two.",
    ],
)
def test_foreign_possessives_are_foreign(text: str) -> None:
    first = ag.extract_places(text)[0]
    assert first.foreign and first.province is None and first.text in ("Pakistan", "Iran")


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("spokesman Attaullah Khogyani said the attack killed five in Achin.", "Khogyani"),
        ("Mr. Kabuli said the blast in Paghman killed three.", "Kabuli"),
        ("Mohammad Arif Helmandi said a bomb killed four in Nawa.", "Helmandi"),
        ("General Abdul Raziq Wardak said six soldiers were killed in Andar.", "Wardak"),
        ("Rahim Wardak said the attack killed five. Wardak said more troops were needed.",
         "Wardak"),
        ("Gen. Wardak said insurgents killed two in Sayedabad.", "Wardak"),
        ("Helmand Governor Hayatullah Hayat said ten people were killed in Sangin.", "Hayat"),
        ("Haji Nangarhari said the Taliban killed his brother in Surkh Rod.", "Nangarhari"),
    ],
)  # fmt: skip
def test_people_named_like_places_are_never_places(text: str, person: str) -> None:
    assert person not in _mentions(text)
    rows = ag.extract_incidents(text, published="2021-05-03")
    assert person not in set(rows["place"])


@pytest.mark.parametrize(
    ("text", "provinces"),
    [
        ("The city of Ghazni, two hours south of Kabul, came under attack, and 14 were killed.",
         {"Ghazni"}),
        ("Fighters who came from Helmand and Zabul attacked Chora district, killing seven.",
         {"Uruzgan"}),
        ("Insurgents based in Kandahar attacked a post in Gizab, killing three.", {"Daykundi"}),
        ("Two soldiers were killed near the border with Pakistan in Spin Boldak.", {"Kandahar"}),
        ("A bomb on the road to Kabul killed four people in Maidan Shahr.", {"Wardak"}),
        ("Gunmen on the Kabul-Jalalabad highway in Surobi killed a driver.", {"Kabul"}),
        ("Families fled to Lashkar Gah after fighting in Nad Ali killed 14.", {"Helmand"}),
        ("The wounded were taken to a hospital in Kabul after the attack in Charikar.",
         {"Parwan"}),
        ("Gunmen who followed him from Pul-i-Khumri killed an elder in Nahrin.", {"Baghlan"}),
        ("The bombing in Kunduz city, 250 kilometers north of Kabul, killed nine.", {"Kunduz"}),
        ("Taliban fighters from Zabul and Ghazni provinces attacked Arghandab district "
         "of Kandahar, killing two.", {"Kandahar"}),
        ("Rockets fired from Pakistan hit Dangam district, killing a woman.", {"Kunar"}),
    ],
)  # fmt: skip
def test_relations_that_are_not_containment(text: str, provinces: set[str]) -> None:
    assert _incident_provinces(text) == provinces
    assert all(m.province is None for m in ag.extract_places(text) if m.foreign)


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        ("Fighters who came from ", " attacked", "relation"),
        ("insurgents based in ", " crossed", "relation"),
        ("15 miles north of ", ", gunmen", "relation"),
        ("in the north of ", " province", ""),
        ("on their way to ", ", the", "relation"),
        ("officials in ", " said", "title"),
        ("the ", " police chief said", "title"),
        ("the ", "'s deputy governor said", "title"),
        ("the ", "-Herat highway", "road"),
        ("an attack in ", " on Monday", ""),
        ("crossed into ", " and", ""),
    ],
)
def test_relation_words(before: str, after: str, why: str) -> None:
    assert relation(before, after) == why


def test_draft_index_keeps_only_towns_in_its_list_of_towns() -> None:
    town, district = ag.geocode("Sangin", kinds=["town"]), ag.geocode("Sangin", kinds=["district"])
    assert town is not None and district is not None and district.kind == "district"
    draft = Draft(0, 6, "Sangin", False, 0)
    index = DraftIndex([draft])
    index.set_place(draft, town)
    assert index.towns == [0] and index.town_before(10) is draft
    index.set_place(draft, district)  # "Sangin district": no longer a town
    assert index.towns == [] and index.town_before(10) is None


# the word pattern tokens() used as one regex (led by lookarounds, so slow to scan): the
# three scans of tokens() must find exactly its words
_TOKEN_AS_ONE = re.compile(
    r"(?:(?<=[-‐‑])|(?=[A-Z\u00c0-\u00de\u0100-\u024f\u0600-\u06ff\u0750-\u077f'’‘ʿ])|"
    r"(?<![\w'’‘ʿ])(?=(?:e|i|ye|yi|y|a|o|u|wa|va|ee)\b))"
    r"['’‘ʿ]?[^\W\d_][^\W\d_\u0300-\u036f]*+(?:[\u0300-\u036f]++[^\W\d_]*+)*+"
    r"(?:['’‘`ʿʾ][^\W\d_]+)*+"
)
_PIECES = [
    "Pul", "-", "‐", "‑", "i", "e", "ee", "ye", "yi", "y", "a", "o", "u", "wa", "va", "w", "eel",
    "Khumri", "Dasht", "Qala", "Naw", "ʿAli", "ʿ", "'", "’", "‘", "`", "ʾ", "Gā", "\u0304h",
    "\u0301", "Kabul's", "O'Neil", "کابل", "،", "٣", "x_y", "_", "12", " ", "  ", ",", ".", "\n",
    "Éa", "ābād", "the", "said",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join) | st.text(max_size=60))
def test_tokens_are_the_words_of_the_one_pattern(text: str) -> None:
    expected = [(m.start(), m.end(), m[0]) for m in _TOKEN_AS_ONE.finditer(text)]
    assert [(t.start, t.end, t.text) for t in tokens(text)] == expected
