from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from geopy.distance import great_circle
from hypothesis import given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo import _calibration
from afghangeo.geocoder import STATUSES

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gazetteer" / "testonly"
LASHKAR_GAH = (31.5938, 64.3716)


@pytest.mark.parametrize(
    ("name", "province", "lat", "lon", "precision"),
    [
        ("Lashkar Gah", "Helmand", 31.59, 64.37, "place"),
        ("Kabul", "Kabul", 34.53, 69.17, "place"),
        ("Herat", "Herat", 34.35, 62.20, "place"),
        ("Kandahar", "Kandahar", 31.61, 65.71, "place"),
        ("Mazar-i-Sharif", "Balkh", 36.71, 67.11, "place"),
        ("Qala-i-Naw", "Badghis", 34.99, 63.13, "place"),
        ("Bagram", "Parwan", 34.95, 69.25, None),
        ("Jalalabad", "Nangarhar", 34.43, 70.45, "place"),
        ("Badghis", "Badghis", None, None, "province"),
        ("Helmand", "Helmand", None, None, "province"),
    ],
)
def test_seed_places(
    name: str, province: str, lat: float | None, lon: float | None, precision: str | None
) -> None:
    place = ag.geocode(name)
    assert place is not None
    assert place.province == province
    if precision is None:  # Bagram: the town GeoNames calls Ghulam Ali, and Bagrami (Kabul)
        assert place.status in ("uncertain", "ambiguous")
        return
    assert place.precision == precision
    assert place.status == "matched" and place.score >= 0.8
    if lat is not None:
        assert great_circle((place.lat, place.lon), (lat, lon)).km < 5


VARIANTS = {
    "Lashkar Gah": [
        "Lashkargah",
        "Lashkar Gāh",
        "LASHKAR GAH",
        "Lashkar-Gah",
        "لشکرگاه",
        "لشكرگاه",
        "Lashkar Gah city",
    ],
    "Qala-i-Naw": ["Qala-e-Naw", "Qala e Naw", "Qal'ah-ye Now", "Qalai Naw", "Qala i Naw"],
    "Mazar-i-Sharif": ["Mazar-e Sharif", "Mazār-e Sharīf", "Mazari Sharif", "Mazar i Sharif"],
    "Kandahar": ["Qandahar", "Kandahār", "کندهار"],
    "Herat": ["Hirat", "Herāt", "هرات"],
    "Kabul": ["Kabul City", "کابل", "KABUL"],
    "Jalalabad": ["Jalālābād", "Jalal Abad", "جلال آباد"],
    "Pul-e Khumri": ["Pul-i-Khumri", "Puli Khumri", "Pol-e Khomri"],
    "Sheberghan": ["Shibirghan", "Shiberghan"],
    "Tarin Kot": ["Tarinkot", "Tirin Kot", "Tarin Kowt"],
    "Gereshk": ["Girishk", "Gerishk"],
    "Musa Qala": ["Musa Qalah", "Mūsá Qal‘ah"],
    "Sangin": ["Sangīn"],
    "Nad Ali": ["Nad-e Ali", "Nād ‘Alī"],
    "Ghazni": ["Ghazni City", "غزنی"],
    "Kunduz": ["Kondoz", "Qunduz", "کندز"],
    "Zaranj": ["Zarang", "زرنج"],
    "Gardez": ["Gardiz", "گردیز"],
    "Khost": ["Khowst", "Khōst"],
    "Taloqan": ["Taluqan", "Taleqan"],
}


@pytest.mark.parametrize(
    ("canonical", "variant"), [(c, v) for c, vs in VARIANTS.items() for v in vs]
)
def test_spelling_variants_resolve_to_the_same_place(canonical: str, variant: str) -> None:
    expected = ag.geocode(canonical)
    got = ag.geocode(variant)
    assert expected is not None and got is not None, variant
    assert (got.province, got.district) == (expected.province, expected.district)
    assert great_circle((got.lat, got.lon), (expected.lat, expected.lon)).km < 15


def test_nawa_with_a_helmand_hint_is_nawa_i_barakzayi() -> None:
    for hint in ("Helmand", "Hilmand", "AF-HEL", "هلمند"):
        place = ag.geocode("Nawa", province=hint)
        assert (
            place is not None and place.name == "Nawa-i-Barakzayi" and place.province == "Helmand"
        )
        assert place.precision == "district" and place.score >= 0.9


def test_nawa_near_lashkar_gah() -> None:
    for near in ("Lashkar Gah", LASHKAR_GAH):
        place = ag.geocode("Nawa", near=near)
        assert place is not None and place.province == "Helmand"


def test_nawa_in_ghazni() -> None:
    place = ag.geocode("Nawa", province="Ghazni")
    assert place is not None and place.province == "Ghazni" and place.name == "Nawa"


def test_unhinted_nawa_is_ambiguous() -> None:
    # more likely wrong than right even to the province: not answered by default
    assert ag.geocode("Nawa") is None
    place = ag.geocode("Nawa", min_score=0)
    assert place is not None and place.score < 0.5 and place.status == "ambiguous"
    provinces = {place.province, *(a.province for a in place.alternatives)}
    assert {"Helmand", "Ghazni"} <= provinces
    row = ag.geocode_many(["Nawa"]).iloc[0]
    listed = f"{row['province']}|{row['alternatives']}"
    assert row["status"] == "ambiguous" and "Helmand" in listed and "Ghazni" in listed
    assert pd.isna(row["lat"]) and pd.isna(row["province"])


def test_rivals_in_one_province_still_answer_it() -> None:
    # two places of one name in the hinted province: the province is right either way
    from afghangeo._decide import Answer, accept
    from afghangeo.place import Place

    def place(name: str, province: str, score: float) -> Place:
        return Place(name, province, None, 31.0, 64.0, "place", "village", score)

    rival = place("Deh Naw", "Helmand", 0.4)
    best = replace(place("Deh Naw", "Helmand", 0.45), alternatives=(rival,))
    assert accept(Answer(best, "ambiguous", 0.85), None) is best
    elsewhere = replace(best, alternatives=(replace(rival, province="Ghazni"),))
    assert accept(Answer(elsewhere, "ambiguous", 0.85), None) is None
    assert accept(Answer(elsewhere, "ambiguous", 0.85), None, rivals=True) is elsewhere


@pytest.mark.parametrize(
    "name",
    [
        "Springfield",
        "Doha",
        "Qatar",
        "Washington",
        "United States",
        "Quetta",
        "Peshawar",
        "Tehran",
        "xqzwv",
        "Ataullah Afghan",
        "Doctors Without Borders",
        "zzzzzzzz",
        "12345",
    ],
)
def test_foreign_and_unknown_names_abstain(name: str) -> None:
    assert ag.geocode(name) is None
    assert ag.geocode_many([name])["status"].iloc[0] == "not_found"


def test_hints_restrict_and_bad_hints_raise() -> None:
    assert ag.geocode("Kabul", province="Helmand") is None
    with pytest.raises(ag.UnknownPlaceError, match="Did you mean 'Helmand'"):
        ag.geocode("Nawa", province="Helmandshire")
    with pytest.raises(ag.InvalidInputError, match="Unknown kinds"):
        ag.geocode("Kabul", kinds=["planet"])
    assert ag.geocode("Kabul", kinds=["province"]).precision == "province"
    assert ag.geocode("Lashkar Gah", min_score=0.999) is None
    place = ag.geocode("Nawa", district="Nawa-i-Barakzayi")
    assert place is not None and place.province == "Helmand"


def test_place_is_a_small_honest_value() -> None:
    place = ag.geocode("Lashkargah")
    assert place is not None
    with pytest.raises(AttributeError):
        place.name = "x"  # type: ignore[misc]
    assert "Helmand" in repr(place) and "score=0.89" in repr(place)
    data = place.to_dict()
    assert data["province"] == "Helmand" and data["alternatives"] == []
    json.dumps(data)
    feature = place.__geo_interface__
    assert feature["geometry"]["coordinates"] == (place.lon, place.lat)
    assert place.point.x == place.lon


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "\x00",
        "\u200f\u200e",
        "-",
        "x" * 10_000,
        "Kabul\x00",
        "٠١٢",
        "🙂",
        "Kabul" * 2000,
    ],
)
def test_no_input_crashes(bad: str) -> None:
    place = ag.geocode(bad)
    assert place is None or isinstance(place, ag.Place)


def test_geocode_many_one_row_per_input_in_order() -> None:
    names = ["Kabul", None, "Nawa", float("nan"), "", "Hilmand", "Doha", 42, "Kabul", "Nawa"]
    out = ag.geocode_many(names, provinces=[None] * 9 + ["Helmand"])
    assert len(out) == len(names)
    assert out["status"].tolist() == [
        "matched",
        "invalid",
        "ambiguous",
        "invalid",
        "invalid",
        "matched",
        "not_found",
        "invalid",
        "matched",
        "matched",
    ]
    assert out["province"].iloc[9] == "Helmand"
    assert set(ag.geocode_many([])["status"]) == set()
    bad_hint = ag.geocode_many(["Nawa"], provinces=["Atlantis"])
    assert bad_hint["status"].iloc[0] == "invalid"
    with pytest.raises(ag.InvalidInputError, match="one per name"):
        ag.geocode_many(["Kabul", "Herat"], provinces=["Kabul"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), st.none(), st.floats()), max_size=20))
def test_geocode_many_never_raises(names: list[object]) -> None:
    out = ag.geocode_many(names)
    assert len(out) == len(names)
    assert set(out["status"]) <= set(STATUSES)
    assert out["score"].dropna().between(0, 1).all()


# --- homonyms, honest scores, abstention ---------------------------------------------

HOMONYMS = [
    # name, hint, province, district
    ("Nawa", "Helmand", "Helmand", "Nawa-i-Barakzayi"),
    ("Nawa", "Ghazni", "Ghazni", "Nawa"),
    ("Arghandab", "Kandahar", "Kandahar", "Arghandab"),
    ("Arghandab", "Zabul", "Zabul", "Arghandab"),
    ("Qarabagh", "Kabul", "Kabul", "Qarabagh"),
    ("Qarabagh", "Ghazni", "Ghazni", "Qarabagh"),
    ("Khogyani", "Nangarhar", "Nangarhar", "Khogayani"),
    ("Du Ab", "Nuristan", "Nuristan", "Du Ab"),
    ("Do Ab", "Samangan", "Samangan", "Ruyi Du Ab"),
    ("Behsud", "Nangarhar", "Nangarhar", "Bihsud"),
    ("Behsud", "Wardak", "Wardak", "Markazi Bihsud"),
    ("Chahar Bagh", "Faryab", "Faryab", "Khani Chahar Bagh"),
    ("Kohistan", "Badakhshan", "Badakhshan", "Kohistan"),
    ("Kohistan", "Faryab", "Faryab", "Kohistan"),
]


@pytest.mark.parametrize(("name", "hint", "province", "district"), HOMONYMS)
def test_homonyms_with_a_hint_reach_the_right_district(
    name: str, hint: str, province: str, district: str
) -> None:
    place = ag.geocode(name, province=hint)
    assert place is not None and (place.province, place.district) == (province, district)
    assert place.status == "matched"


@pytest.mark.parametrize(
    ("name", "provinces"),
    [
        ("Nawa", {"Helmand", "Ghazni"}),
        ("Arghandab", {"Kandahar", "Zabul"}),
        ("Qarabagh", {"Kabul", "Ghazni"}),
        ("Do Ab", {"Nuristan", "Samangan"}),
        ("Behsud", {"Nangarhar", "Wardak"}),
        ("Kohistan", {"Badakhshan", "Faryab"}),
        ("Khugyani", {"Kandahar", "Nangarhar"}),
    ],
)
def test_homonyms_without_a_hint_are_not_matched_and_list_the_others(
    name: str, provinces: set[str]
) -> None:
    place = ag.geocode(name, min_score=0.0)
    assert place is not None
    assert place.status in ("ambiguous", "uncertain")
    assert place.score < 0.8
    assert provinces <= {place.province, *(a.province for a in place.alternatives)}


@pytest.mark.parametrize(
    "name", ["Aman", "Garga", "Chine", "Chinar", "Aliabad", "Khogyani", "Behsud"]
)
def test_open_world_traps_are_not_matched(name: str) -> None:
    place = ag.geocode(name, min_score=0.0)
    assert place is None or place.status != "matched"


@pytest.mark.parametrize("name", ["Afghan", "Afghans", "Kabuli", "Hazara", "Taliban"])
def test_words_for_people_are_not_places(name: str) -> None:
    assert ag.geocode(name) is None
    assert ag.geocode_many([name])["status"].iloc[0] == "not_found"


@pytest.mark.parametrize("name", ["Pul-e Khumri", "Qala-i-Naw", "Spin Boldak", "Lash-o-Juwayn"])
def test_names_with_query_words_still_resolve_whole(name: str) -> None:
    place = ag.geocode(name)
    assert place is not None and place.precision == "place" and place.parts == ()


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(
        ["Nawa", "Kabul", "Qarabagh", "Kohistan", "Chakar", "Garga", "Khost", "Dara", "Deh"]
    ),
    st.sampled_from(["", "a", "e", "-i", " district", "h"]),
)
def test_alternatives_never_outscore_the_answer_and_sum_to_at_most_one(
    stem: str, suffix: str
) -> None:
    place = ag.geocode(stem + suffix, min_score=0.0)
    if place is None:
        return
    scores = [a.score for a in place.alternatives]
    assert all(s <= place.score for s in scores)
    assert place.score + sum(scores) <= 1.0 + 1e-6
    assert place.status in STATUSES


def test_min_score_none_abstains_by_the_calibration() -> None:
    place = ag.geocode("Aman", min_score=0.0)
    assert place is not None and place.score < 0.5
    assert ag.geocode("Aman") is None
    row = ag.geocode_many(["Aman", "Kabul"])
    assert row["status"].tolist() == ["not_found", "matched"]


# Answers context did not confirm stay below the calibration's unsure_cap (0.89); the
# 0.9 band is kept for answers right >= 99 % of the time in every world measured.
@pytest.mark.parametrize(
    ("query", "hints", "confirmed"),
    [
        ("Sangin", {}, False),  # a district town, no hint: may be another Sangin
        ("Sangin", {"province": "Helmand"}, True),
        ("Lashkar Gah", {}, False),  # even a provincial capital (villages share names)
        ("Lashkar Gah", {"province": "Helmand"}, True),
        ("Helmand", {}, True),  # a province is its name
        ("Herat Province", {}, True),
        ("north of Lashkar Gah", {}, False),  # a vicinity is X's unit only probably
        ("the outskirts of Kunduz", {"province": "Kunduz"}, False),
        ("Farah road", {}, False),
        ("Torkham", {}, False),
        ("Torkham", {"province": "Nangarhar"}, True),
    ],
)
def test_unconfirmed_answers_stay_below_the_09_band(
    query: str, hints: dict[str, str], confirmed: bool
) -> None:
    place = ag.geocode(query, **hints)
    cap = _calibration.load().unsure_cap
    assert place is not None and place.status == "matched"
    assert (place.score > cap) is confirmed, place
