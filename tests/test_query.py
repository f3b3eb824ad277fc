from __future__ import annotations

import pytest

import afghangeo as ag
from afghangeo._query import parse


@pytest.mark.parametrize(
    ("text", "parts", "relation"),
    [
        ("Sangin and Musa Qala", ("Sangin", "Musa Qala"), "all"),
        ("Nawa, Marjah and Nad Ali", ("Nawa", "Marjah", "Nad Ali"), "all"),
        ("Nawa, Marjah, and Nad Ali", ("Nawa", "Marjah", "Nad Ali"), "all"),
        ("Gereshk & Sangin", ("Gereshk", "Sangin"), "all"),
        ("Sangin or Musa Qala", ("Sangin", "Musa Qala"), "either"),
        ("Sangin/Musa Qala", ("Sangin", "Musa Qala"), "either"),
        ("between Gereshk and Sangin", ("Gereshk", "Sangin"), "road"),
        ("Kabul-Jalalabad highway", ("Kabul", "Jalalabad"), "road"),
        ("Kabul–Jalalabad highway", ("Kabul", "Jalalabad"), "road"),
        ("the Kandahar - Herat road", ("Kandahar", "Herat"), "road"),
        ("Ring Road", ("Ring",), "road"),
        ("outskirts of Kunduz", ("Kunduz",), "vicinity"),
        ("the outskirts of Kunduz city", ("Kunduz city",), "vicinity"),
        ("vicinity of Gereshk", ("Gereshk",), "vicinity"),
        ("suburbs of Kabul", ("Kabul",), "vicinity"),
        ("north of Lashkar Gah", ("Lashkar Gah",), "vicinity"),
        ("southern part of Ghazni", ("Ghazni",), "vicinity"),
        ("near Sangin", ("Sangin",), "vicinity"),
        ("Arghandab valley", ("Arghandab",), "described"),
        ("Sangin bazaar", ("Sangin",), "described"),
        ("Bagram airfield", ("Bagram",), "described"),
        ("Kandahar airport", ("Kandahar",), "described"),
        ("Nad Ali district", ("Nad Ali",), "described"),
        ("Marjah area", ("Marjah",), "described"),
        ("Shorabak base", ("Shorabak",), "described"),
    ],
)
def test_parse(text: str, parts: tuple[str, ...], relation: str) -> None:
    query = parse(text)
    assert query is not None and (query.parts, query.relation) == (parts, relation)


@pytest.mark.parametrize(
    "text", ["Lashkar Gah", "Pul-e Khumri", "Qala-i-Naw", "Spin Boldak", "Lash-o-Juwayn", "Do Ab"]
)
def test_plain_names_do_not_parse(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize(
    ("text", "precision", "province", "district", "n_parts"),
    [
        ("Sangin and Gereshk", "province", "Helmand", None, 2),
        ("Kunduz and Khanabad", "province", "Kunduz", None, 2),
        ("the outskirts of Kunduz", "district", "Kunduz", "Kunduz", 1),
        ("north of Lashkar Gah", "district", "Helmand", "Lashkar Gah", 1),
        ("between Gereshk and Sangin", "province", "Helmand", None, 2),
        ("Nawa and Lashkar Gah", "province", "Helmand", None, 2),
        ("Kabul airport", "place", "Kabul", "Kabul", 0),  # a notable place, whole
        ("Arghandab valley", "district", "Kandahar", "Arghandab", 1),
    ],
)
def test_several_places_answer_the_unit_that_holds_them(
    text: str, precision: str, province: str, district: str | None, n_parts: int
) -> None:
    place = ag.geocode(text, min_score=0.0)
    assert place is not None
    assert (place.precision, place.province, place.district) == (precision, province, district)
    assert len(place.parts) == n_parts


@pytest.mark.parametrize("text", ["Kabul-Jalalabad highway", "Kandahar and Herat"])
def test_parts_in_several_provinces_are_ambiguous(text: str) -> None:
    place = ag.geocode(text, min_score=0.0)
    assert place is not None and place.status == "ambiguous" and place.precision == "province"
    assert {place.province, *(a.province for a in place.alternatives)} >= {place.province}
    assert len(place.parts) == 2


@pytest.mark.parametrize(
    "text", ["Kabul-Jalalabad highway", "outskirts of Kunduz", "between Gereshk and Sangin"]
)
def test_roads_and_vicinities_are_never_points(text: str) -> None:
    place = ag.geocode(text, min_score=0.0)
    assert place is not None and place.precision != "place"


def test_parts_show_in_geocode_many() -> None:
    row = ag.geocode_many(["Sangin and Gereshk"]).iloc[0]
    assert row["precision"] == "province" and "Sang" in row["parts"]
