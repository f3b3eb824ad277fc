"""Tables with village, district and province columns; district names with a province hint.

Cases are written from general knowledge of Afghan district names. The last test runs
``benchmarks/tables.py`` on the dev half of the test-only reference (skipped without it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import afghangeo as ag
from afghangeo import _districtnames
from afghangeo.admin import admin_index

ROOT = Path(__file__).resolve().parents[1]
_TESTONLY = Path("shared", "data", "gazetteer", "testonly", "af_gazetteer_test.csv")
REFERENCE = next(
    (p / _TESTONLY for p in ROOT.parents[:3] if (p / _TESTONLY).exists()),
    None,
)

# --- a district of the stated province, misspelled -----------------------------------------

NEAR_MISSES = [
    ("Nahre Sirraj", "Helmand", "Nahri Sarraj"),
    ("Nad Aly", "Helmand", "Nad Ali"),
    ("Garmseer", "Helmand", "Garmser"),
    ("Musa Qalla", "Helmand", "Musa Qala"),
    ("Panjwaiy", "Kandahar", "Panjwayi"),
    ("Urghistan", "Kandahar", "Arghistan"),  # shares its name key with Registan
    ("Spin Boldack", "Kandahar", "Spin Boldak"),
    ("Chaharasyab", "Kabul", "Chahar Asyab"),
    ("Paghmaan", "Kabul", "Paghman"),
    ("Surkh Rod distict", "Nangarhar", "Surkh Rod"),  # a misspelled generic word
    ("Shinwaar", "Nangarhar", "Shinwar"),
    ("Zurmaat", "Paktia", "Zurmat"),
    ("Imam Saheb district", "Kunduz", "Imam Sahib"),
    ("Chahar Darra", "Kunduz", "Chahar Dara"),
    ("Shindandd", "Herat", "Shindand"),
    ("Aliigar", "Laghman", "Alingar"),
    ("Qaisaar", "Faryab", "Qaysar"),
]

NOT_NEAR = [
    ("Sangin", "Kabul"),  # a Helmand district, not a misspelling of a Kabul one
    ("Behsud", "Wardak"),  # two Behsud districts in Wardak
    ("Kohistan", "Kapisa"),  # Kohistan 1 and Kohistan 2
    ("Nawa", "Kandahar"),  # too far from every Kandahar district
    ("Kot", "Nangarhar"),  # too short to be matched approximately
    ("Springfield", "Helmand"),
    ("کابل", "Kabul"),  # Arabic script is matched by its own spellings only
]


@pytest.mark.parametrize(("name", "province", "district"), NEAR_MISSES)
def test_near_miss_finds_the_district_of_its_province(
    name: str, province: str, district: str
) -> None:
    assert _districtnames.near_miss(name, province) == district
    index = admin_index()
    row = index.district_row(name, province=index.province_code(province))
    assert index.district_names[index.district_name[row]] == district


@pytest.mark.parametrize(("name", "province"), NOT_NEAR)
def test_near_miss_abstains(name: str, province: str) -> None:
    assert _districtnames.near_miss(name, province) is None


def test_a_near_miss_needs_the_province() -> None:
    assert admin_index().district_row("Aliigar") == -1
    index = admin_index()
    assert index.district_row("Aliigar", province=index.province_code("Laghman")) >= 0


@pytest.mark.parametrize(
    ("name", "province", "district"),
    [
        ("Aliigar district", "Laghman", "Alingar"),
        ("Khakrez distrct", "Kandahar", "Khakrez"),
    ],
)
def test_geocode_with_a_province_hint_finds_a_near_miss(
    name: str, province: str, district: str
) -> None:
    place = ag.geocode(name, province=province)
    assert place is not None and place.district == district
    assert place.precision == "district"
    similarity = _districtnames.near_miss_similarity(name, province)
    assert similarity is not None and place.score <= similarity[1]


def test_geocode_reads_a_name_as_a_near_miss_only_when_close_or_said_a_district() -> None:
    # a village named after its district (Choraka, by Chora) is not the district
    assert ag.geocode("Aliigar", province="Laghman") is None
    assert ag.geocode("Aliigar district", province="Laghman") is not None
    assert ag.geocode("Aliigar district") is None


@pytest.mark.parametrize(
    ("name", "kind", "district"),
    [
        ("Balkh", "town", "Balkh"),  # the town, as "Kandahar" in Kandahar is the city
        ("Baghlan", "town", "Baghlani Jadid"),
        ("Kandahar", "capital", "Kandahar"),
        ("Helmand", "province", None),  # no town is called so
        ("Parwan", "province", None),  # only an alternate name of a town: no guess
    ],
)
def test_a_province_name_asked_within_it_is_its_namesake_town(
    name: str, kind: str, district: str | None
) -> None:
    place = ag.geocode(name, province=name)
    assert place is not None and (place.kind, place.district) == (kind, district)
    assert ag.geocode(name) is not None and ag.geocode(name).province == name


def test_a_respelled_province_name_within_it_is_its_namesake_town_too() -> None:
    place = ag.geocode("Balk", province="Balkh")
    assert place is not None and (place.kind, place.district) == ("town", "Balkh")


# --- placement rules of read_incidents ----------------------------------------------------

# location, admin2, admin1 -> district, precision, status, words in the issue ("" none)
RULES = [
    # the district column is read within the province, near misses too
    ("Sangin", "Sangin", "Helmand", "Sangin", "place", "geocoded", ""),
    ("Xqwzt", "Nahre Sirraj", "Helmand", "Nahri Sarraj", "district", "geocoded", "not found"),
    ("Xqwzt", "Nawa", "Helmand", "Nawa-i-Barakzayi", "district", "geocoded", "not found"),
    ("Xqwzt", "Nawa", "Ghazni", "Nawa", "district", "geocoded", "not found"),
    ("Xqwzt", "Qarabagh", "Kabul", "Qarabagh", "district", "geocoded", "not found"),
    # a district created after the boundaries, or named by its centre town
    ("Xqwzt", "Marja", "Helmand", "Nad Ali", "district", "geocoded", "'Marja' read as Nad Ali"),
    ("Xqwzt", "Takhta Pul", "Kandahar", "Spin Boldak", "district", "geocoded", "read as"),
    # an unknown village is placed at its district's precision
    ("Kalay Xqwzt", "Nad Ali", "Helmand", "Nad Ali", "district", "geocoded", "not found"),
    ("Kalay Xqwzt", "Nad-e Ali District", "Hilmand", "Nad Ali", "district", "geocoded", "Nad Ali"),
    # a name that is only the province yields to the stated district
    ("Helmand", "Nad Ali", "Helmand", "Nad Ali", "district", "geocoded", "only as the province"),
    # ... but a town named like its province is that town
    ("Balkh", "Balkh", "Balkh", "Balkh", "place", "geocoded", ""),
    ("Kandahar", "Daman", "Kandahar", "Daman", "district", "geocoded", "province"),
    # a place of another district: the district column is kept, the issue says where
    ("Sangin", "Nad Ali", "Helmand", "Nad Ali", "district", "geocoded", "lies in Sangin"),
    # a place text that says "district" is the district, not its namesake town
    ("Sangin district", None, "Helmand", "Sangin", "district", "geocoded", ""),
    ("Nad Ali Woluswali", None, None, "Nad Ali", "district", "geocoded", ""),
    ("Sangin District Centre", None, "Helmand", "Sangin", "place", "geocoded", ""),
    # no usable district: the village within the province, else the province
    ("Xqwzt", "Atlantis", "Helmand", None, "province", "province_only", "district 'Atlantis'"),
    ("Xqwzt", "Kohistan", "Kapisa", None, "province", "province_only", "Hisa-i-Awali Kohistan"),
    ("Xqwzt", "Sangin", "Kandahar", None, "province", "province_only", "in Helmand, not"),
    ("Xqwzt", "Nawa", None, None, None, "unlocated", "give its province"),
]


@pytest.mark.parametrize(
    ("location", "admin2", "admin1", "district", "precision", "status", "issue"), RULES
)
def test_placement_combines_the_columns(
    location: str,
    admin2: str | None,
    admin1: str | None,
    district: str | None,
    precision: str | None,
    status: str,
    issue: str,
) -> None:
    frame = pd.DataFrame({"location": [location], "admin2": [admin2], "admin1": [admin1]})
    row = ag.read_incidents(frame).iloc[0]
    got = [v if isinstance(v, str) else None for v in row[["district", "precision", "status"]]]
    assert got == [district, precision, status], row
    text = row["issue"] or ""
    assert issue in text if issue else not text, text


def test_a_table_of_a_province_with_district_and_village_columns() -> None:
    frame = pd.DataFrame(
        {
            "village": ["Kalay Xqwzt", "Gereshk", "Marjah", "Xqwzt"],
            "district": ["Garmsir", "Nahr-e Saraj", "Nad-e Ali", "Nawa"],
        }
    )
    out = ag.read_incidents(frame, default_province="Helmand")
    assert out["district"].astype(object).tolist() == [
        "Garmser", "Nahri Sarraj", "Nad Ali", "Nawa-i-Barakzayi",
    ]  # fmt: skip
    # Marjah, carved from Nad Ali after the boundaries were drawn, is a district-level place
    assert out["precision"].astype(object).tolist() == ["district", "place", "district", "district"]


# --- the benchmark on the dev half of the test-only reference -----------------------------


@pytest.mark.skipif(REFERENCE is None, reason="../shared/data/gazetteer/testonly is not present")
def test_table_benchmarks_reach_their_goals_on_the_dev_half() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import tables as bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    ref = bench.load(REFERENCE)
    assert ref is not None
    hinted = bench.hinted(ref.part("dev", "ADM2"))
    assert sum(r.right for r in hinted) / len(hinted) >= bench.GOALS["hinted"]
    rows, _ = bench.table(ref.part("dev", "PPL"))
    assert sum(r.right for r in rows) / len(rows) >= bench.GOALS["table"]
    respelled = bench.hinted(bench.respelled(ref.part("dev", "ADM2"), "name"))
    assert sum(r.right for r in respelled) / len(respelled) >= bench.GOALS["hinted'"]


def test_a_district_level_name_stands_at_the_district_point() -> None:
    out = ag.read_incidents(pd.DataFrame({"place": ["Sangin district", "Sangin"]}))
    district, town = out["point"]
    assert district.distance(town) > 0.01
    assert out["geometry"].iloc[0].geom_type in ("Polygon", "MultiPolygon")
    assert ag.locate(lon=district.x, lat=district.y)["district"].iloc[0] == "Sangin"
