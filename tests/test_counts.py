"""Tests for afghangeo.counts: counts that add up, periods, districts, events, dask."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _synthetic import synthetic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo.counts import (
    PROVINCE_ONLY,
    UNLOCATED,
    count_by_district,
    count_by_province,
)
from afghangeo.errors import InvalidInputError
from afghangeo.events import dedupe_incidents
from afghangeo.incidents import read_incidents

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
N_DISTRICTS = 398


def test_examples_counts() -> None:
    counts = count_by_province(read_incidents(EXAMPLES / "incidents.csv"), weight="killed")
    assert len(counts) == 35
    assert counts["province"].tolist() == [*ag.provinces()["name"], UNLOCATED]
    by = counts.set_index("province")
    assert by.loc["Helmand", "count"] == 4
    assert by.loc["Badghis", "count"] == 1
    assert by.loc["Badghis", "iso_3166_2"] == "AF-BDG"
    assert by.loc["Badghis", "killed"] == 13
    assert by.loc["Helmand", "killed_missing"] == 4
    assert by.loc[UNLOCATED, "count"] == 0
    assert pd.isna(by.loc[UNLOCATED, "iso_3166_2"])


def test_count_accepts_a_path_or_plain_table() -> None:
    counts = count_by_province(EXAMPLES / "incidents.csv")
    assert counts["count"].sum() == 5
    plain = count_by_province(pd.DataFrame({"place": ["Kabul", "Atlantis"]}))
    assert plain.set_index("province").loc[["Kabul", UNLOCATED], "count"].tolist() == [1, 1]


def test_empty_table_gives_all_zero_rows() -> None:
    empty = read_incidents(pd.DataFrame({"place": pd.Series([], dtype=object)}))
    counts = count_by_province(empty)
    assert len(counts) == 35
    assert counts["count"].sum() == 0
    assert len(count_by_district(empty)) == N_DISTRICTS + 34 + 1


PLACES = ["Kabul", "Lashkar Gah", "Nawa", "Badghis", "Hilmand", "Springfield", "", None,
          np.nan, "Nad-e Ali district", "Qala-i-Naw", "Doha", "kandahar city"]  # fmt: skip
PROVINCES = ["Helmand", "Kandahar", "Badghis", "Atlantis", None, "Ghazni", "AF-HER"]
POINTS = [(np.nan, np.nan), (64.3716, 31.5938), (69.2, 34.5), (0.0, 0.0), (31.59, 64.37),
          (np.nan, 34.5), (62.2, 34.35), (-500.0, 12.0)]  # fmt: skip
rows = st.tuples(
    st.sampled_from(PLACES),
    st.sampled_from(PROVINCES),
    st.sampled_from(POINTS),
    st.one_of(st.just(np.nan), st.integers(0, 50).map(float)),
    st.one_of(st.none(), st.dates(pd.Timestamp("2019-01-01").date(),
                                  pd.Timestamp("2020-12-31").date())),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows, max_size=30))
def test_totals_are_conserved(table_rows: list[tuple[object, ...]]) -> None:
    table = pd.DataFrame(
        {
            "place": pd.Series([r[0] for r in table_rows], dtype=object),
            "province": pd.Series([r[1] for r in table_rows], dtype=object),
            "lon": [r[2][0] for r in table_rows],  # type: ignore[index]
            "lat": [r[2][1] for r in table_rows],  # type: ignore[index]
            "killed": pd.Series([r[3] for r in table_rows], dtype=float),
            "date": pd.Series([r[4] for r in table_rows], dtype=object),
        }
    )
    incidents = read_incidents(table)
    assert len(incidents) == len(table)
    counts = count_by_province(incidents, weight="killed")
    assert len(counts) == 35
    assert counts["count"].sum() == len(table)
    assert counts["killed"].sum() == pytest.approx(np.nansum(table["killed"]))
    assert counts["killed_missing"].sum() == table["killed"].isna().sum()
    placed = incidents["status"].isin(["located", "geocoded", "province_only"]).sum()
    assert counts.set_index("province").loc[UNLOCATED, "count"] == len(table) - placed
    districts = count_by_district(incidents, weight="killed")
    assert len(districts) == N_DISTRICTS + 34 + 1
    assert districts["count"].sum() == len(table)
    pd.testing.assert_series_equal(
        districts.groupby("province", sort=False)["count"].sum(),
        counts.set_index("province")["count"],
        check_names=False,
    )
    monthly = count_by_province(incidents, freq="M")
    assert monthly["count"].sum() == len(table)
    assert len(monthly) % 35 == 0
    events = dedupe_incidents(incidents)
    assert len(events) == len(table)
    assert events.index.equals(incidents.index)
    by_event = count_by_province(events, unit="event")
    assert by_event["count"].sum() == events["event_id"].nunique()


def test_freq_fills_zero_periods() -> None:
    table = pd.DataFrame({"date": ["2020-01-15", "2020-03-02", "2020-03-30"],
                          "place": ["Kabul", "Kabul", "Badghis"]})  # fmt: skip
    monthly = count_by_province(read_incidents(table), freq="M")
    assert len(monthly) == 35 * 3
    kabul = monthly[monthly["province"] == "Kabul"]
    assert kabul["period"].astype(str).tolist() == ["2020-01", "2020-02", "2020-03"]
    assert kabul["count"].tolist() == [1, 0, 1]
    # "ME" (the offset alias) is accepted too, and so is a weekly period
    assert count_by_province(read_incidents(table), freq="ME")["count"].sum() == 3
    assert count_by_province(read_incidents(table), freq="W")["count"].sum() == 3


def test_freq_counts_undated_rows_in_nat_period() -> None:
    table = pd.DataFrame({"date": ["2020-01-15", None], "place": ["Kabul", "Kabul"]})
    monthly = count_by_province(read_incidents(table), freq="M")
    assert monthly["count"].sum() == 2
    assert monthly["period"].isna().sum() == 35


def test_freq_errors() -> None:
    incidents = read_incidents(pd.DataFrame({"place": ["Kabul"]}))
    with pytest.raises(InvalidInputError, match="no date column"):
        count_by_province(incidents, freq="M")
    dated = read_incidents(pd.DataFrame({"date": ["soon"], "place": ["Kabul"]}))
    assert dated["issue"].tolist() == ["date 'soon' is not a date"]
    monthly = count_by_province(dated, freq="M")  # counted, in the NaT period
    assert monthly["count"].sum() == 1 and monthly["period"].isna().all()
    with pytest.raises(InvalidInputError, match="not dates"):
        count_by_province(dated, freq="M", date="date_input")
    dated = read_incidents(pd.DataFrame({"date": ["2020-01-01"], "place": ["Kabul"]}))
    with pytest.raises(InvalidInputError, match="no pandas period alias"):
        count_by_province(dated, freq="fortnightly")
    with pytest.raises(InvalidInputError, match="No weight column"):
        count_by_province(dated, weight="deaths")
    with pytest.raises(InvalidInputError, match="dedupe_incidents"):
        count_by_province(dated, unit="event")


def test_province_only_never_in_a_district() -> None:
    table = pd.DataFrame({"place": ["Helmand", None, "Lashkar Gah"],
                          "province": ["Helmand", "Helmand", None]})  # fmt: skip
    counts = count_by_district(read_incidents(table))
    helmand = counts[counts["province"] == "Helmand"].set_index("district")["count"]
    assert helmand[PROVINCE_ONLY] == 2
    assert helmand["Lashkar Gah"] == 1
    assert helmand.sum() == 3
    # the province-only row comes right after that province's districts
    assert counts["district"].iloc[-2] == PROVINCE_ONLY
    assert counts["province"].iloc[-1] == UNLOCATED


def test_districts_with_the_same_name_stay_apart() -> None:
    table = pd.DataFrame({"place": ["Qarabagh", "Qarabagh"], "province": ["Kabul", "Ghazni"]})
    counts = count_by_district(read_incidents(table))
    hits = counts[counts["count"] > 0][["province", "district"]].values.tolist()
    assert sorted(hits) == [["Ghazni", "Qarabagh"], ["Kabul", "Qarabagh"]]


def test_synthetic_generator_is_realistic() -> None:
    table = synthetic().synthetic_incidents(3000, seed=3, layout="acled")
    incidents = read_incidents(table)
    shares = incidents["status"].value_counts(normalize=True)
    assert shares["located"] > 0.3
    assert shares["geocoded"] > 0.2
    assert shares["province_only"] > 0.1
    assert 0 < shares["invalid"] + shares["unlocated"] < 0.1
    counts = count_by_province(incidents, weight="fatalities", freq="Q")
    assert counts["count"].sum() == 3000


@pytest.mark.slow
# dask's parquet reader itself calls reset_index(inplace=True), deprecated in pandas 3.1
@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_dask_counts_equal_pandas_on_a_million_rows(tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    pytest.importorskip("dask_geopandas")
    pytest.importorskip("pyarrow")
    n = 1_000_000
    rng = np.random.default_rng(7)
    lon, lat = synthetic().random_points(n, rng)
    table = pd.DataFrame(
        {
            "date": (pd.Timestamp("2020-01-01")
                     + pd.to_timedelta(rng.integers(366, size=n), unit="D")).strftime("%Y-%m-%d"),
            "longitude": lon,
            "latitude": lat,
            "fatalities": rng.poisson(1.5, size=n).astype(float),
        }
    )  # fmt: skip
    table.loc[::101, ["latitude", "longitude"]] = np.nan
    table.loc[::103, "latitude"] = 0.0
    table.loc[::7, "fatalities"] = np.nan
    path = tmp_path / "incidents.parquet"
    dd.from_pandas(table, npartitions=8).to_parquet(path, write_index=False)
    assert len(list(path.glob("*.parquet"))) == 8

    incidents = read_incidents(table, geocode=False)
    expected = {
        "province": count_by_province(incidents, weight="fatalities"),
        "monthly": count_by_province(incidents, weight="fatalities", freq="M"),
        "district": count_by_district(incidents),
    }
    with dask.config.set(scheduler="threads", num_workers=2):
        lazy = read_incidents(dd.read_parquet(path), geocode=False)
        got = {
            "province": count_by_province(lazy, weight="fatalities"),
            "monthly": count_by_province(lazy, weight="fatalities", freq="M"),
            "district": count_by_district(lazy),
        }
    for key, value in expected.items():
        pd.testing.assert_frame_equal(got[key], value)
    assert expected["province"]["count"].sum() == n
    assert expected["province"]["fatalities"].sum() == pytest.approx(table["fatalities"].sum())
