"""Cues, places near others and homonyms (afghangeo/_text/context.py)."""

from __future__ import annotations

import afghangeo as ag
from afghangeo._text.context import TEXT_SCORE, is_unsure, read_places


def test_homonyms_are_asked_again_with_the_texts_hint() -> None:
    nawa = ag.geocode("Nawa")
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
