from __future__ import annotations

import pytest

import afghangeo as ag
from afghangeo._generic import RECURRING_CAP, is_recurring


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("deh now", True), ("chinar", True), ("aliabad", True), ("ali khel", True),
        ("bazarak", True), ("mulla kalay", True), ("qala naw", True),
        ("lashkar gah", False), ("kabul", False), ("gardez", False), ("chaghcharan", False),
        ("tora bora", False), ("", False),
    ],
)  # fmt: skip
def test_recurring_names(folded: str, expected: bool) -> None:
    assert is_recurring(folded) is expected


def test_a_recurring_village_name_is_not_sure_without_a_hint() -> None:
    place = ag.geocode("Chinar", min_score=0)
    if place is not None and place.kind in ("town", "village"):
        assert place.score <= RECURRING_CAP and place.status != "matched"


def test_capitals_and_districts_of_such_names_keep_their_score() -> None:
    place = ag.geocode("Sar-e Pul")
    assert place is not None and place.province == "Sar-e Pol" and place.status == "matched"
