"""Tests for afghangeo.incidents: reading, column roles, locating and geocoding rows."""

from __future__ import annotations

import importlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import afghangeo as ag
from afghangeo._columns import detect_columns, parse_dates
from afghangeo._vocab import PLACEMENT_STATUSES as STATUSES
from afghangeo.errors import DataError, InvalidInputError
from afghangeo.incidents import read_incidents

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def acled() -> pd.DataFrame:
    """An ACLED-like export (made up), one row per case worth checking."""
    return pd.DataFrame(
        {
            "event_id_cnty": ["AFG1", "AFG2", "AFG3", "AFG4", "AFG5", "AFG6", "AFG7"],
            "event_date": ["12 October 2020", "11 October 2020", "23 April 2020",
                           "10 October 2020", "09 October 2020", "01 May 2020", "02 May 2020"],
            "country": ["Afghanistan"] * 7,
            "admin1": ["Helmand", "Kandahar", "Badghis", "Hilmand", "Helmand", None, "Atlantis"],
            "admin2": ["Lashkar Gah", None, None, None, None, None, None],
            "location": ["Lashkar Gah", "Lashkar Gah", "Qala-i-Naw", "Lashkar Gah", "Nawa",
                         None, "Springfield"],
            "latitude": [31.5938, 31.5938, 35.0, 64.3716, np.nan, 0.0, np.nan],
            "longitude": [64.3716, 64.3716, 63.1, 31.5938, np.nan, 0.0, np.nan],
            "geo_precision": [1, 1, 3, 1, 2, 1, 1],
            "fatalities": [3, 0, 13, 1, np.nan, 2, 0],
            "notes": ["made-up row"] * 7,
        }
    )  # fmt: skip


@pytest.fixture
def ucdp() -> pd.DataFrame:
    """A UCDP GED-like extract (made up)."""
    return pd.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "date_start": ["2020-10-12 00:00:00.000", "2020-10-11 00:00:00.000",
                           "2020-04-23 00:00:00.000", "2020-04-24 00:00:00.000"],
            "where_coordinates": ["Lashkar Gah town", "Nad Ali district", "Badghis province",
                                  "Afghanistan"],
            "adm_1": ["Helmand province", "Helmand province", "Badghis province", None],
            "adm_2": ["Lashkar Gah district", "Nad Ali district", None, None],
            "latitude": [31.5938, 31.64, 35.16, 33.94],
            "longitude": [64.3716, 64.24, 63.58, 67.71],
            "where_prec": [1, 3, 4, 6],
            "best": [3, 5, 13, 2],
        }
    )  # fmt: skip


def test_result_shape_and_columns(acled: pd.DataFrame) -> None:
    out = read_incidents(acled)
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs.to_epsg() == 4326
    assert len(out) == len(acled)
    assert out.index.equals(acled.index)
    assert list(out.columns[: len(acled.columns)]) == list(acled.columns)
    for column in ("place", "province", "district", "precision", "score", "status", "issue"):
        assert column in out.columns
    assert set(out["status"].astype(str)) <= set(STATUSES)
    assert out["event_id_cnty"].tolist() == acled["event_id_cnty"].tolist()


def test_acled_rows(acled: pd.DataFrame) -> None:
    out = read_incidents(acled)
    rows = out[["province", "district", "precision", "status"]].astype(object)
    assert rows.iloc[0].tolist() == ["Helmand", "Lashkar Gah", "place", "located"]
    # province precision (geo_precision 3): counted for the province, no district
    assert rows.iloc[2].tolist()[0] == "Badghis"
    assert pd.isna(rows.iloc[2]["district"])
    assert rows.iloc[2]["precision"] == "province"
    assert rows.iloc[2]["status"] == "province_only"
    # geocoded from the name with its province: Nawa in Helmand, not Ghazni's Nawa
    assert rows.iloc[4]["province"] == "Helmand"
    assert rows.iloc[4]["district"] == "Nawa-i-Barakzayi"
    assert rows.iloc[4]["status"] == "geocoded"
    assert rows.iloc[4]["precision"] in ("place", "district")
    # nothing usable at all: (0, 0) coordinates and no names
    assert rows.iloc[5]["status"] == "invalid"
    assert "outside Afghanistan" in out["issue"].iloc[5]
    assert rows.iloc[6]["status"] == "unlocated"
    assert "unknown province 'Atlantis'" in out["issue"].iloc[6]


def test_disagreement_is_flagged_not_overwritten(acled: pd.DataFrame) -> None:
    out = read_incidents(acled)
    assert out["province"].iloc[1] == "Helmand"  # the coordinates' province is kept
    assert out["issue"].iloc[1] == "stated province Kandahar but coordinates fall in Helmand"
    assert out["admin1"].iloc[1] == "Kandahar"  # and the stated one is still there
    assert out["issue"].iloc[0] is None or pd.isna(out["issue"].iloc[0])


def test_swapped_coordinates_are_not_used_silently(acled: pd.DataFrame) -> None:
    out = read_incidents(acled)
    assert "lat/lon look swapped" in out["issue"].iloc[3]
    # placed by its names instead, and the point is not the swapped one
    assert out["province"].iloc[3] == "Helmand"
    assert out["status"].iloc[3] != "located"


def test_ucdp_rows(ucdp: pd.DataFrame) -> None:
    out = read_incidents(ucdp)
    assert out["province"].astype(object).tolist()[:3] == ["Helmand", "Helmand", "Badghis"]
    assert out["precision"].astype(object).tolist()[:3] == ["place", "district", "province"]
    assert out["district"].iloc[1] == "Nad Ali"
    assert out["status"].astype(object).tolist() == [
        "located", "located", "province_only", "unlocated"
    ]  # fmt: skip
    assert "only a region or the country" in out["issue"].iloc[3]
    assert out.attrs["afghangeo_columns"]["weight"] == "best"


def test_detect_columns_layouts() -> None:
    acled = detect_columns(["event_date", "admin1", "admin2", "location", "latitude",
                            "longitude", "geo_precision", "fatalities", "notes"])  # fmt: skip
    assert acled == {
        "date": "event_date", "place": "location", "province": "admin1", "district": "admin2",
        "lat": "latitude", "lon": "longitude", "precision": "geo_precision",
        "weight": "fatalities", "notes": "notes",
    }  # fmt: skip
    ucdp = detect_columns(["date_start", "where_coordinates", "adm_1", "adm_2", "latitude",
                           "longitude", "where_prec", "best"])  # fmt: skip
    assert ucdp["place"] == "where_coordinates"
    assert ucdp["province"] == "adm_1"
    assert ucdp["weight"] == "best"
    plain = detect_columns(["Date", "Place", "Province", "District", "Killed", "Wounded"])
    assert plain["place"] == "Place"
    assert plain["weight"] == "Killed"


def test_unrecognised_layout_lists_columns_and_how_to_map() -> None:
    table = pd.DataFrame({"when": ["2020-01-01"], "spot": ["Kabul"]})
    with pytest.raises(InvalidInputError, match=r"\['when', 'spot'\].*columns=\{'place'"):
        read_incidents(table)
    out = read_incidents(table, columns={"place": "spot"})
    assert out["province"].iloc[0] == "Kabul"


def test_bad_columns_override() -> None:
    table = pd.DataFrame({"place": ["Kabul"]})
    with pytest.raises(InvalidInputError, match="not among"):
        read_incidents(table, columns={"place": "nope"})
    with pytest.raises(InvalidInputError, match="Unknown column role"):
        read_incidents(table, columns={"where": "place"})


def test_lat_without_lon_is_an_error() -> None:
    with pytest.raises(InvalidInputError, match="no lon column"):
        read_incidents(pd.DataFrame({"place": ["Kabul"], "latitude": [34.5]}))


def test_missing_file_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="No such file"):
        read_incidents(tmp_path / "nope.csv")
    other = tmp_path / "incidents.xyz"
    other.write_text("x")
    with pytest.raises(InvalidInputError, match="unknown file type"):
        read_incidents(other)
    with pytest.raises(InvalidInputError, match="needs a path"):
        read_incidents(42)


def test_examples_table() -> None:
    out = read_incidents(EXAMPLES / "incidents.csv")
    assert len(out) == 5
    assert out["province"].astype(object).tolist() == ["Helmand"] * 4 + ["Badghis"]
    assert out["status"].iloc[4] == "province_only"
    assert out["district"].iloc[0] == "Lashkar Gah"
    assert out["district"].iloc[3] == "Nawa-i-Barakzayi"
    # input column "precision" is kept under another name
    assert "precision_input" in out.columns


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".xlsx", ".parquet", ".geojson", ".gpkg"])
def test_file_formats(tmp_path: Path, suffix: str) -> None:
    table = pd.DataFrame(
        {"date": ["2020-10-12", "2020-04-23"], "place": ["Lashkar Gah", "Badghis"],
         "latitude": [31.5938, np.nan], "longitude": [64.3716, np.nan]}
    )  # fmt: skip
    path = tmp_path / f"incidents{suffix}"
    if suffix == ".csv":
        table.to_csv(path, index=False)
    elif suffix == ".tsv":
        table.to_csv(path, sep="\t", index=False)
    elif suffix == ".xlsx":
        pytest.importorskip("openpyxl")
        table.to_excel(path, index=False)
    elif suffix == ".parquet":
        pytest.importorskip("pyarrow")
        table.to_parquet(path)
    else:
        points = gpd.points_from_xy(table["longitude"], table["latitude"])
        geo = gpd.GeoDataFrame(table[["date", "place"]], geometry=points, crs=4326)
        geo.loc[1, "geometry"] = None
        geo.to_file(path, engine="pyogrio")
    out = read_incidents(path)
    assert out["province"].astype(object).tolist() == ["Helmand", "Badghis"]
    assert out["status"].astype(object).tolist() == ["located", "province_only"]


def test_geodataframe_points_in_another_crs() -> None:
    geo = gpd.GeoDataFrame(
        {"place": ["x"]}, geometry=gpd.points_from_xy([64.3716], [31.5938]), crs=4326
    ).to_crs(3857)
    out = read_incidents(geo)
    assert out["district"].iloc[0] == "Lashkar Gah"
    assert out.geometry.iloc[0].x == pytest.approx(64.3716)


def test_text_coordinates_and_numbers_as_names() -> None:
    table = pd.DataFrame({"place": [12, "Kabul", None], "lat": ["n/a", "34.5", ""],
                          "lon": ["", "69.2", ""]})  # fmt: skip
    out = read_incidents(table)
    assert out["status"].astype(object).tolist() == ["invalid", "located", "unlocated"]
    assert "not numbers" in out["issue"].iloc[0]


def test_geocode_false_uses_only_admin_columns() -> None:
    table = pd.DataFrame({"place": ["Lashkar Gah", "Nawa"], "province": [None, "Helmand"]})
    out = read_incidents(table, geocode=False)
    assert out["status"].astype(object).tolist() == ["unlocated", "province_only"]


def test_stated_district_places_row() -> None:
    table = pd.DataFrame({"place": [None], "district": ["Nad-e Ali"], "province": ["Hilmand"]})
    out = read_incidents(table)
    assert out[["province", "district", "precision"]].astype(object).iloc[0].tolist() == [
        "Helmand", "Nad Ali", "district"
    ]  # fmt: skip


def test_empty_table() -> None:
    out = read_incidents(pd.DataFrame({"place": pd.Series([], dtype=object)}))
    assert len(out) == 0
    assert "status" in out.columns


def test_repeated_names_are_resolved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    geocode = importlib.import_module("afghangeo.batch")
    seen: list[object] = []
    real = geocode.geocode_many

    def spy(names: list[object], **kwargs: object) -> pd.DataFrame:
        seen.extend(names)
        return real(names, **kwargs)

    monkeypatch.setattr(geocode, "geocode_many", spy)
    table = pd.DataFrame({"place": ["Kabul", "Herat", "Kabul", "Kabul", "Herat"] * 100})
    out = read_incidents(table)
    assert sorted(seen) == ["Herat", "Kabul"]
    assert (out["province"].iloc[::5] == "Kabul").all()


def test_progress_false_is_silent(capsys: pytest.CaptureFixture[str]) -> None:
    table = pd.DataFrame({"place": [f"Kabul {i}" for i in range(3000)]})
    read_incidents(table, progress=False)
    assert capsys.readouterr().err == ""


def test_parse_dates() -> None:
    dates = parse_dates(pd.Series(["2020-04-23", "23 April 2020", "", None]))
    assert dates.dt.day.tolist()[:2] == [23, 23]
    assert dates.isna().tolist() == [False, False, True, True]
    with pytest.raises(InvalidInputError, match=r"not dates, e\.g\. 'soon'"):
        parse_dates(pd.Series(["2020-04-23", "soon"]), "date")


def test_dask_read_matches_pandas() -> None:
    dd = pytest.importorskip("dask.dataframe")
    pytest.importorskip("dask_geopandas")
    table = pd.DataFrame({"latitude": [31.5938, 34.5, np.nan, 0.0],
                          "longitude": [64.3716, 69.2, np.nan, 0.0],
                          "province": ["Helmand", "Kabul", "Badghis", None]})  # fmt: skip
    expected = read_incidents(table)
    lazy = read_incidents(dd.from_pandas(table, npartitions=2))
    got = lazy.compute()
    pd.testing.assert_frame_equal(
        pd.DataFrame(got.drop(columns="geometry")),
        pd.DataFrame(expected.drop(columns="geometry")),
        check_dtype=False,  # dask reads the input strings as pyarrow strings
    )
    assert got.geometry.equals(expected.geometry)


@pytest.mark.parametrize(
    ("areas", "expected"),
    [
        ("polygon", ["Point", "Polygon", "Polygon", None]),
        ("none", ["Point", None, None, None]),
    ],
)
def test_geometry_says_what_is_known(areas: str, expected: list[str | None]) -> None:
    table = pd.DataFrame(
        {"place": ["Lashkar Gah", "Nawa", "Badghis", "Atlantis"],
         "province": ["Helmand", "Helmand", None, None]}
    )  # fmt: skip
    out = read_incidents(table, area_geometry=areas)
    assert out["precision"].astype(object).tolist()[:3] == ["place", "district", "province"]
    kinds = [None if g is None else g.geom_type for g in out.geometry]
    assert kinds == expected
    # every located row keeps a drawable point inside its area; the unlocated none
    assert out["point"].geom_type.tolist()[:3] == ["Point"] * 3 and out["point"].iloc[3] is None
    located = out.iloc[:3]
    inside = ag.locate(located["point"])
    assert inside["province"].astype(object).tolist() == ["Helmand", "Helmand", "Badghis"]
    if areas == "polygon":
        badghis = ag.provinces().set_index("name").loc["Badghis", "geometry"]
        assert out.geometry.iloc[2].equals(badghis)


def test_area_geometry_is_checked() -> None:
    with pytest.raises(ag.InvalidInputError, match="area_geometry"):
        read_incidents(pd.DataFrame({"place": ["Kabul"]}), area_geometry="points")  # type: ignore[arg-type]
