"""Cues, places near others and homonyms (afghangeo/_text/context.py)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo._text.context import TEXT_SCORE, is_unsure, read_places


def test_homonyms_are_asked_again_with_the_texts_hint() -> None:
    nawa = ag.geocode("Nawa", min_score=0)
    assert nawa is not None and is_unsure(nawa)
    drafts, _, _ = read_places("Fighting in Lashkar Gah spread to Nawa.")
    (chosen,) = [d.place for d in drafts if d.surface == "Nawa"]
    assert chosen is not None and chosen.province == "Helmand"
    lashkar_gah = ag.geocode("Lashkar Gah")
    assert lashkar_gah is not None
    hinted = ag.geocode("Nawa", province="Helmand", near=(lashkar_gah.lat, lashkar_gah.lon))
    assert hinted is not None
    # the geocoder's own score and status for the hinted question, not a rewritten one
    assert (chosen.name, chosen.score, chosen.status) == (hinted.name, hinted.score, hinted.status)
    assert {a.province for a in chosen.alternatives} - {"Helmand"}  # the other Nawas stay


def test_names_the_gazetteer_lacks_get_the_citys_point() -> None:
    drafts, _, _ = read_places(
        "The Taliban pushed for Lashkar Gah. "
        "They overran the suburbs of Zarghunabad and Shinkai Bagh."
    )
    found = {d.surface: d for d in drafts}
    for name in ("Zarghunabad", "Shinkai Bagh"):  # made-up names no gazetteer holds
        place = found[name].place
        assert place is not None and place.source == "text" and place.score == TEXT_SCORE
        assert place.province == "Helmand" and found[name].near is not None


def test_many_homonyms_are_resolved_once_per_scope() -> None:
    text = "In Lashkar Gah, fighters attacked Nawa. " * 2000
    drafts, _, _ = read_places(text)
    nawas = {d.place.name for d in drafts if d.surface == "Nawa" and d.place is not None}
    assert nawas == {"Nawa-i-Barakzayi"}


# --- context and recall, sentence by sentence (sentences written for these tests) -------


def _found(text: str) -> dict[str, ag.Mention]:
    return {m.text: m for m in ag.extract_places(text)}


@pytest.mark.parametrize(
    ("text", "surface", "province"),
    [
        # the district decides, whatever province the sentence before named
        ("Officials in Balkh spoke on Monday. In Darzab district, three soldiers were killed.",
         "Darzab", "Jowzjan"),
        ("In Balkh, the police said four people were killed in Darzab district.",
         "Darzab", "Jowzjan"),
        # a homonym is read in its sentence's, then its paragraph's province
        ("Fighting raged in Ghazni province on Sunday.\n\nTwo days later, the Taliban "
         "attacked Nawa.", "Nawa", "Ghazni"),
        ("The Taliban seized the Du Ab district center in Nuristan on Sunday.", "Du Ab",
         "Nuristan"),
        ("In Samangan, the Ruy-e Doab district was calm.", "Ruy-e Doab", "Samangan"),
        ("The attack took place in Paktika's Urgun district.", "Urgun", "Paktika"),
        ("Gunmen killed a cleric in the Khak-e Safed district in Farah.", "Farah", "Farah"),
    ],
)  # fmt: skip
def test_province_context(text: str, surface: str, province: str) -> None:
    assert _found(text)[surface].province == province


def test_homonyms_in_two_provinces_of_one_text() -> None:
    text = (
        "Insurgents attacked Baharak district in Takhar, killing two. A day later, an attack "
        "in Baharak district of Badakhshan killed four."
    )
    found = [m.province for m in ag.extract_places(text) if m.text == "Baharak"]
    assert found == ["Takhar", "Badakhshan"]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Rockets landed in the Green Zone in Kabul, wounding one.", "Kabul"),
        ("Traders were killed near the Ghulam Khan crossing in Khost.", "Khost"),
        ("Rockets struck Shash Darak in Kabul, wounding three.", "Kabul"),
    ],
)
def test_the_unit_a_place_is_in_is_not_the_event(text: str, unit: str) -> None:
    table = ag.extract_incidents(text, published="2021-05-03")
    assert len(table) == 1 and table["place"].iloc[0] != unit
    assert _found(text)[unit].role == "other"


def test_a_province_name_after_a_place_in_it_is_the_province() -> None:
    farah = _found("A raid in Khak-e Safed in Farah killed four police officers.")["Farah"]
    assert farah.kind == "province" and farah.role == "other"


@pytest.mark.parametrize(
    ("text", "surface", "province", "district"),
    [
        ("The Taliban overran a checkpoint in the village of Sar Kalay in Sangin district, "
         "killing four.", "Sar Kalay", "Helmand", "Sangin"),
        ("Fighting raged in the village of Loy Manda in Nad Ali district of Helmand.",
         "Loy Manda", "Helmand", "Nad Ali"),
        ("A car bomb exploded in Kabul's Dasht-e Barchi neighborhood, killing 12.",
         "Dasht-e Barchi", "Kabul", "Kabul"),
        ("A sticky bomb killed a judge in Kabul’s Khair Khana neighborhood.", "Khair Khana",
         "Kabul", "Kabul"),
        ("An attack on Bagram Air Base killed two contractors.", "Bagram Air Base", "Parwan",
         None),
        ("Clashes erupted near the Salang Pass, killing three.", "Salang Pass", "Parwan", None),
        ("Five people were killed at the Torkham border crossing.", "Torkham", "Nangarhar",
         None),
        ("Rockets hit Kandahar Airfield, wounding two.", "Kandahar Airfield", "Kandahar", None),
        ("Fighting in eastern Nangahar province killed six insurgents.", "Nangahar",
         "Nangarhar", None),
        ("Fighting in Nangahar killed six insurgents.", "Nangahar", "Nangarhar", None),
        ("A checkpoint in Mohmand Dara district of Nangahar was attacked.", "Nangahar",
         "Nangarhar", None),
        ("Taliban fighters attacked Spin Bolak district, killing four police.", "Spin Bolak",
         "Kandahar", "Spin Boldak"),
        ("Seven people died in an explosion in Deh Yak district of Ghazni.", "Deh Yak",
         "Ghazni", "Dih Yak"),
        ("Fighters attacked outposts in Kunduz's Dasht-e Archi district, killing nine.",
         "Dasht-e Archi", "Kunduz", "Dashte Archi"),
        ("In the village of Zarghun Kalay, in Marja, five civilians were killed.",
         "Zarghun Kalay", "Helmand", None),
    ],
)  # fmt: skip
def test_recall(text: str, surface: str, province: str, district: str | None) -> None:
    m = _found(text)[surface]
    assert m.province == province and not m.foreign
    assert district is None or m.district == district


def test_a_village_the_gazetteer_lacks_is_located_by_its_district() -> None:
    text = "Gunmen stormed the village of Zarghun Kalay in Sangin district, killing two."
    village = _found(text)["Zarghun Kalay"]  # a made-up name
    sangin = ag.geocode("Sangin", kinds=["district"])
    assert village.place is not None and sangin is not None
    assert village.place.source == "text" and village.score == TEXT_SCORE
    assert (village.province, village.district, village.precision) == (
        "Helmand", "Sangin", "district"
    )  # fmt: skip
    assert (village.lat, village.lon) == (sangin.lat, sangin.lon)


@pytest.mark.parametrize(
    ("text", "surface", "query", "hints"),
    [
        ("The Taliban seized Doab district in Nuristan.", "Doab", "Doab",
         {"kinds": ["district"], "province": "Nuristan"}),
        ("Heavy fighting broke out in the Nawa district of Ghazni province.", "Nawa", "Nawa",
         {"kinds": ["district"], "province": "Ghazni"}),
        ("Fighting in Samangan province killed nine.", "Samangan", "Samangan",
         {"kinds": ["province"]}),
        ("Taliban fighters attacked Spin Bolak district.", "Spin Bolak", "Spin Bolak",
         {"kinds": ["district"]}),
    ],
)  # fmt: skip
def test_one_score_scale_the_geocoders(
    text: str, surface: str, query: str, hints: dict[str, Any]
) -> None:
    """A mention holds the geocoder's answer to the name with the text's hints, as it is."""
    m = _found(text)[surface]
    asked = ag.geocode(query, **hints)
    assert m.place is not None and asked is not None
    assert (m.name, m.score, m.status) == (asked.name, asked.score, asked.status)


# --- properties ------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["Kabul", "Nawa", "Wardak", "Rahim", "Mr.", "'s", "’s", " province", " district",
     "village of", "in", "of", "from", "south of", "the", "-", "—", ",", ".", "\n\n",
     "Nangahar", "Pakistan's", "Ruy-e", "Doab", "Kandahar", "governor", "police", "said",
     "killed", "attacked", "Sar", "Kalay", "highway", "’", "'", "Qala-e", "\ud800", "هلمند"]
)  # fmt: skip
_TEXTS = st.one_of(
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.lists(_WORDS, max_size=30).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_spans_are_exact_disjoint_and_in_order(text: str) -> None:
    mentions = ag.extract_places(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.foreign == (m.place is None)
        assert m.role in ("event", "dateline", "reporting", "other")
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start
    ag.extract_incidents(text, published="2021-05-03")  # never raises


_CUE_WORDS = [
    "Nawa", "Lashkar Gah", "Babaji", "Chahanjir", "Sar Kalay", "Sangin", "Kandahar",
    "a district", "neighboring", "near", "north of", "outside", "the suburbs of", "villages of",
    "district of", "in", "Province", "Helmand Province", "the", "and", ",", ".", ";", ":", "!",
    "?", "\n", "\n\n", "Mr.", "U.S.", "area of", "outskirts of", "village", "killed",
]  # fmt: skip


_CUES = (
    "Nawa, a district neighboring Lashkar Gah. Fighting in the suburbs of Babaji and "
    "Chahanjir; Sar Kalay district of Sangin, in Helmand Province: villages of Nawa, Sangin"
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_CUE_WORDS), max_size=40).map(" ".join) | st.just(_CUES))
def test_cues_looked_for_in_stretches_are_the_cues_of_the_whole_text(text: str) -> None:
    """Cue patterns are searched only between ``.!?;:`` and where their words are: the
    matches must be those of a search of the whole text."""
    from afghangeo._text import cues

    stretches = cues._Stretches(text)
    gated = [*cues._GATES, (cues._CUE_SUBURBS, cues._SUBURB_WORDS)]
    for pattern, words in gated:
        expected = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in stretches.finditer(pattern, words)] == expected
        assert text != _CUES or expected  # every cue pattern has matches in the example
