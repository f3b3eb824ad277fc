from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo.errors import AfghangeoError

PROVINCE_VARIANTS = {
    "Helmand": [
        "Hilmand",
        "helmand",
        "HELMAND",
        "Helmand Province",
        "Hilmand Wilayat",
        "هلمند",
        "ولایت هلمند",
        "AF-HEL",
        "af-hel",
        "AF30",
    ],
    "Uruzgan": ["Urozgan", "Oruzgan", "Ruzgan", "ارزگان", "روزگان", "AF-URU"],
    "Nimroz": ["Nimruz", "نیمروز", "AF-NIM"],
    "Sar-e Pol": ["Sar-i-Pul", "Sari Pul", "Sar-e Pul", "Saripul", "سرپل", "Sar-e Pol Province"],
    "Wardak": ["Maidan Wardak", "Maydan Wardak", "Vardak", "وردک", "میدان وردک"],
    "Daykundi": ["Daikundi", "Dai Kundi", "Daykondi", "دایکندی"],
    "Jowzjan": ["Jawzjan", "Jozjan", "جوزجان"],
    "Paktia": ["Paktiya", "Paktya", "پکتیا", "AF-PIA"],
    "Paktika": ["پکتیکا", "AF-PKA"],
    "Kunar": ["Kunarha", "Konar", "کنر", "کنرها"],
    "Nangarhar": ["Nangrahar", "Ningarhar", "ننگرهار"],
    "Bamyan": ["Bamian", "Bamiyan", "بامیان"],
    "Panjshir": ["Panjsher", "پنجشیر"],
    "Kunduz": ["Kondoz", "Qunduz", "کندز"],
    "Herat": ["Hirat", "هرات", "Herat province"],
    "Badghis": ["بادغیس", "بادغيس", "Badghis Province", "AF-BDG", "AF31"],
    "Kandahar": ["Qandahar", "قندهار", "کندهار", "KANDAHAR"],
    "Kabul": ["کابل", "Kabul Province", "AF-KAB", "AF01"],
    "Badakhshan": ["Badakshan", "بدخشان", "AF17"],
    "Ghor": ["Ghowr", "Ghur", "غور"],
    "Logar": ["Lowgar", "لوگر"],
    "Zabul": ["Zabol", "زابل"],
    "Parwan": ["Parvan", "پروان"],
    "Nuristan": ["Nurestan", "Nooristan"],
    "Laghman": ["Lagman", "لغمان"],
    "Khost": ["Khowst", "خوست"],
    "Faryab": ["Fariab", "فاریاب"],
}


@pytest.mark.parametrize(
    ("canonical", "variant"), [(c, v) for c, vs in PROVINCE_VARIANTS.items() for v in vs]
)
def test_normalize_province_maps_every_variant(canonical: str, variant: str) -> None:
    assert ag.normalize_province(variant) == canonical


@pytest.mark.parametrize("name", ag.provinces()["name"].tolist())
def test_canonical_names_map_to_themselves(name: str) -> None:
    assert ag.normalize_province(name) == name


def test_unknown_province_suggests_nearest() -> None:
    with pytest.raises(ag.UnknownPlaceError, match="Did you mean 'Helmand'") as info:
        ag.normalize_province("Helmandshire")
    assert info.value.suggestions == ("Helmand",)
    assert isinstance(info.value, LookupError)


@pytest.mark.parametrize("name", ["Springfield", "Doha", "Qatar", "", "   ", "AF-XYZ", "Quetta"])
def test_unknown_province_raises(name: str) -> None:
    with pytest.raises(ag.UnknownPlaceError, match="Unknown province"):
        ag.normalize_province(name)


def test_normalize_province_rejects_non_strings() -> None:
    with pytest.raises(ag.InvalidInputError, match="must be a str"):
        ag.normalize_province(None)  # type: ignore[arg-type]


@given(st.one_of(st.text(), st.none(), st.integers(), st.floats()))
def test_normalize_province_only_raises_afghangeo_errors(value: object) -> None:
    try:
        result = ag.normalize_province(value)  # type: ignore[arg-type]
    except AfghangeoError:
        return
    assert result in set(ag.provinces()["name"])
    assert ag.normalize_province(result) == result  # idempotent


def test_normalize_provinces_never_raises_and_keeps_order() -> None:
    names = ["Hilmand", "Atlantis", None, float("nan"), "AF-KAB", "", "Helmandshire", 7]
    out = ag.normalize_provinces(names)
    assert out["status"].tolist() == [
        "matched",
        "not_found",
        "invalid",
        "invalid",
        "matched",
        "invalid",
        "not_found",
        "invalid",
    ]
    assert out["province"].iloc[0] == "Helmand"
    assert out["province"].iloc[4] == "Kabul"
    assert out["suggestion"].iloc[6] == "Helmand"
    assert len(out) == len(names)


def test_normalize_provinces_accepts_a_series() -> None:
    out = ag.normalize_provinces(pd.Series(["Hirat", "Nimruz"]))
    assert out["province"].tolist() == ["Herat", "Nimroz"]


@pytest.mark.parametrize(
    ("name", "province", "expected"),
    [
        ("Nawa", "Helmand", "Nawa-i-Barakzayi"),
        ("Nawa", "Hilmand", "Nawa-i-Barakzayi"),
        ("Nawa", "AF-HEL", "Nawa-i-Barakzayi"),
        ("Nawa-e-Barakzai", None, "Nawa-i-Barakzayi"),
        ("Nawa", "Ghazni", "Nawa"),
        ("Qarabagh", "Kabul", "Qarabagh"),
        ("Qarabagh", "Ghazni", "Qarabagh"),
        ("Arghandab", "Kandahar", "Arghandab"),
        ("Arghandab", "Zabul", "Arghandab"),
        ("Lashkargah", None, "Lashkar Gah"),
        ("Nad-e Ali", None, "Nad Ali"),
        ("Garmsir", None, "Garmser"),
        ("Khanshin", None, "Reg (Khanshin)"),
        ("Qala-e-Naw", None, "Qala-i-Naw"),
        ("Hirat", None, "Herat"),
        ("Bala Murghab", None, "Bala Murghab"),
        ("Bagram", None, "Bagram"),
        ("Spin Buldak", None, "Spin Boldak"),
    ],
)
def test_normalize_district(name: str, province: str | None, expected: str) -> None:
    assert ag.normalize_district(name, province=province) == expected


@pytest.mark.parametrize("name", ["Nawa", "Qarabagh", "Arghandab", "Kohistan"])
def test_shared_district_names_need_a_province(name: str) -> None:
    with pytest.raises(ag.AmbiguousPlaceError, match="Pass province=") as info:
        ag.normalize_district(name)
    assert len(info.value.candidates) >= 2


def test_district_outside_its_province_is_unknown() -> None:
    with pytest.raises(ag.UnknownPlaceError, match="Unknown district 'Nawa'"):
        ag.normalize_district("Nawa", province="Kabul")
    with pytest.raises(ag.UnknownPlaceError, match="Unknown province"):
        ag.normalize_district("Nawa", province="Atlantis")


# --- locate ---------------------------------------------------------------------------

KNOWN_POINTS = [
    # (lat, lon, province, district)
    (31.5938, 64.3716, "Helmand", "Lashkar Gah"),
    (34.9874, 63.1289, "Badghis", "Qala-i-Naw"),
    (34.5281, 69.1723, "Kabul", "Kabul"),
    (34.946, 69.265, "Parwan", "Bagram"),
    (31.52, 64.12, "Helmand", "Nad Ali"),  # Marjah
    (34.3482, 62.1997, "Herat", "Herat"),
    (33.5535, 68.4209, "Ghazni", "Ghazni"),
    (36.709, 67.111, "Balkh", "Mazar-i-Sharif"),
    (31.6133, 65.7101, "Kandahar", "Kandahar"),
]


@pytest.mark.parametrize(("lat", "lon", "province", "district"), KNOWN_POINTS)
def test_locate_known_points(lat: float, lon: float, province: str, district: str) -> None:
    row = ag.locate(lon=lon, lat=lat).iloc[0]
    assert (row["province"], row["district"], row["status"]) == (province, district, "ok")


@pytest.mark.parametrize(
    ("lat", "lon", "status"),
    [
        (36.2970, 59.6062, "outside"),  # Mashhad
        (30.1798, 66.9750, "outside"),  # Quetta
        (25.2854, 51.5310, "outside"),  # Doha
        (float("nan"), 64.37, "invalid"),
        (31.59, float("inf"), "invalid"),
        (95.0, 64.37, "invalid"),
        (31.59, 200.0, "invalid"),
        (64.3716, 31.5938, "swapped?"),  # Lashkar Gah with lat and lon swapped
    ],
)
def test_locate_status(lat: float, lon: float, status: str) -> None:
    row = ag.locate(lon=lon, lat=lat).iloc[0]
    assert row["status"] == status
    assert pd.isna(row["province"])
    assert pd.isna(row["district"])


def test_locate_accepts_every_input_form() -> None:
    lons, lats = [64.3716, 69.1723], [31.5938, 34.5281]
    expected = ["Helmand", "Kabul"]
    assert ag.locate(lon=np.array(lons), lat=np.array(lats))["province"].tolist() == expected
    assert ag.locate(lon=lons, lat=lats)["province"].tolist() == expected
    series = ag.locate(lon=pd.Series(lons, index=[10, 20]), lat=pd.Series(lats, index=[10, 20]))
    assert series.index.tolist() == [10, 20]
    frame = pd.DataFrame({"Latitude": lats, "Longitude": lons}, index=["a", "b"])
    assert ag.locate(frame).index.tolist() == ["a", "b"]
    assert ag.locate(frame)["province"].tolist() == expected
    geo = gpd.GeoSeries.from_xy(lons, lats, crs=4326).to_crs(3857)  # reprojected back
    assert ag.locate(geo)["province"].tolist() == expected
    assert ag.locate(gpd.GeoDataFrame(geometry=geo))["province"].tolist() == expected
    assert ag.locate(lon=["64.3716"], lat=["31.5938"])["province"].tolist() == ["Helmand"]


def test_locate_marks_non_points_and_missing_geometries_invalid() -> None:
    geoms = gpd.GeoSeries(
        [shapely.Point(64.37, 31.59), None, shapely.Point(), shapely.box(64, 31, 65, 32)], crs=4326
    )
    assert ag.locate(geoms)["status"].tolist() == ["ok", "invalid", "invalid", "invalid"]


def test_locate_empty_and_bad_shapes() -> None:
    assert len(ag.locate(lon=[], lat=[])) == 0
    assert list(ag.locate(lon=[], lat=[]).columns) == ["province", "district", "status"]
    with pytest.raises(ag.InvalidInputError, match="differ in length"):
        ag.locate(lon=[1.0, 2.0], lat=[3.0])
    with pytest.raises(ag.InvalidInputError, match="needs points, or both lon= and lat="):
        ag.locate(lon=[64.0])
    with pytest.raises(ag.InvalidInputError, match="longitude/latitude columns"):
        ag.locate(pd.DataFrame({"a": [1]}))
    assert ag.locate(lon=["x"], lat=[None])["status"].tolist() == ["invalid"]


def _sjoin_names(points: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> list[object]:
    joined = gpd.sjoin(points, layer[["name", "geometry"]], predicate="within", how="left")
    assert not joined.index.duplicated().any()
    return [None if pd.isna(v) else v for v in joined["name"]]


@pytest.fixture(scope="module")
def sample_points() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(20201012)
    x = rng.uniform(60.0, 75.5, 20_000)
    y = rng.uniform(29.0, 39.0, 20_000)
    # plus polygon vertices and edge midpoints: points exactly on borders are "within" nothing
    coords = shapely.get_coordinates(ag.districts().geometry.values)[::25]
    mids = (coords[:-1] + coords[1:]) / 2
    x = np.concatenate([x, coords[:, 0], mids[:, 0]])
    y = np.concatenate([y, coords[:, 1], mids[:, 1]])
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4326)


@pytest.mark.parametrize(
    ("layer", "column"), [("provinces", "province"), ("districts", "district")]
)
def test_locate_equals_sjoin_within(
    sample_points: gpd.GeoDataFrame, layer: str, column: str
) -> None:
    polygons = ag.provinces() if layer == "provinces" else ag.districts()
    expected = _sjoin_names(sample_points, polygons)
    got = [None if pd.isna(v) else v for v in ag.locate(sample_points)[column]]
    assert got == expected


def test_province_and_district_agree(sample_points: gpd.GeoDataFrame) -> None:
    located = ag.locate(sample_points).dropna()
    of_district = ag.districts().set_index(["name", "province"]).index
    pairs = pd.MultiIndex.from_arrays([located["district"], located["province"]])
    assert pairs.isin(of_district).all()
