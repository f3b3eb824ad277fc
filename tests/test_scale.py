"""Tables larger than memory: the dask path on partitioned Parquet counts what pandas counts.

A small version of ``benchmarks/scale.py``: a synthetic ACLED-like dataset (place
names to geocode, coordinates, province-only and bad rows) written chunk by chunk as
Parquet files, read lazily with dask, placed partition by partition and counted; the
counts must equal those of the same rows in memory, exactly. No timing or memory is
asserted here; the benchmark measures those.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from _synthetic import synthetic

from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import InvalidInputError
from afghangeo.incidents import read_incidents

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
pytest.importorskip("dask_geopandas")
pytest.importorskip("pyarrow")

ROWS, PARTITIONS = 200_000, 8
PLACED = ["province", "district", "precision", "status", "score", "date"]

# dask's parquet reader itself calls reset_index(inplace=True), deprecated in pandas 3.1
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:The inplace keyword")]


def _chunk(rows: int, seed: int) -> pd.DataFrame:
    """One partition's rows, typed as a Parquet export has them."""
    table: pd.DataFrame = synthetic().synthetic_incidents(rows, seed=seed, layout="acled")
    for column in ("latitude", "longitude"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    table["geo_precision"] = table["geo_precision"].astype("int8")
    return table


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """A folder of PARTITIONS Parquet files, and the same rows as one table."""
    folder = tmp_path_factory.mktemp("incidents")
    chunks = []
    for i in range(PARTITIONS):
        chunk = _chunk(ROWS // PARTITIONS, seed=100 + i)
        chunk.to_parquet(folder / f"part-{i:02d}.parquet", index=False)
        chunks.append(chunk)
    return folder, pd.concat(chunks, ignore_index=True)


@pytest.fixture(scope="module")
def in_memory(dataset: tuple[Path, pd.DataFrame]) -> Any:
    return read_incidents(dataset[1], progress=False)


@pytest.fixture(scope="module")
def lazy(dataset: tuple[Path, pd.DataFrame]) -> Any:
    return read_incidents(dd.read_parquet(dataset[0]))


@pytest.fixture(autouse=True)
def _threads() -> Any:
    with dask.config.set(scheduler="threads", num_workers=2):
        yield


def test_the_dataset_is_a_realistic_mix(in_memory: Any) -> None:
    shares = in_memory["status"].value_counts(normalize=True)
    assert shares["located"] > 0.3
    assert shares["geocoded"] > 0.2
    assert shares["province_only"] > 0.1
    assert 0 < shares["unlocated"] + shares["invalid"] < 0.1


def test_read_incidents_stays_lazy(lazy: Any, in_memory: Any) -> None:
    import dask_geopandas

    assert isinstance(lazy, dask_geopandas.GeoDataFrame)
    assert lazy.npartitions == PARTITIONS
    assert list(lazy.columns) == list(in_memory.columns)
    assert lazy._meta.attrs["afghangeo_columns"] == in_memory.attrs["afghangeo_columns"]


def _codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as their codes (comparing 200k categorical values takes seconds)."""
    out = frame.reset_index(drop=True)
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].cat.codes
    return out


def test_every_row_is_placed_as_in_memory(lazy: Any, in_memory: Any) -> None:
    got = lazy[PLACED].compute()
    assert len(got) == ROWS
    expected = in_memory[PLACED]
    for column in ("province", "district", "precision", "status"):
        assert got[column].cat.categories.equals(expected[column].cat.categories)
    pd.testing.assert_frame_equal(_codes(got), _codes(expected))


COUNTS: list[tuple[str, Callable[..., pd.DataFrame], dict[str, Any]]] = [
    ("province, monthly, fatalities", count_by_province, {"weight": "fatalities", "freq": "M"}),
    ("province, default weight", count_by_province, {}),
    ("province, quarterly, no weight", count_by_province, {"weight": False, "freq": "Q"}),
    ("district, monthly, fatalities", count_by_district, {"weight": "fatalities", "freq": "M"}),
]


@pytest.mark.parametrize(
    ("count", "options"), [c[1:] for c in COUNTS], ids=[c[0] for c in COUNTS]
)  # fmt: skip
def test_dask_counts_equal_in_memory_counts(
    lazy: Any, in_memory: Any, dataset: tuple[Path, pd.DataFrame], count: Any, options: Any
) -> None:
    got = count(lazy, **options)
    expected = count(in_memory, **options)
    pd.testing.assert_frame_equal(got, expected)
    assert got["count"].sum() == ROWS
    table = dataset[1]
    if options.get("weight", True) is not False:
        assert got["fatalities"].sum() == pytest.approx(table["fatalities"].sum())
        assert got["fatalities_missing"].sum() == table["fatalities"].isna().sum()


def test_a_dataset_partitioned_by_year(tmp_path: Path) -> None:
    table = _chunk(20_000, seed=7)
    table["year"] = table["event_date"].str[:4].astype(int)
    dd.from_pandas(table, npartitions=2).to_parquet(
        tmp_path / "by_year", partition_on=["year"], write_index=False
    )
    assert sorted(p.name for p in (tmp_path / "by_year").iterdir()) == ["year=2019", "year=2020"]
    lazy = read_incidents(dd.read_parquet(tmp_path / "by_year"))
    got = count_by_province(lazy, freq="M")
    expected = count_by_province(read_incidents(table, progress=False), freq="M")
    pd.testing.assert_frame_equal(got, expected)
    assert got["count"].sum() == len(table)
    assert np.array_equal(got["period"].dt.year.unique(), [2019, 2020])


def test_counting_events_needs_the_table_in_memory(lazy: Any) -> None:
    with_events = lazy.assign(event_id=1)
    with pytest.raises(InvalidInputError, match=r"compute\(\) the table first"):
        count_by_province(with_events, unit="event")


def test_placed_rows_written_once_count_as_before(tmp_path: Path) -> None:
    import dask_geopandas

    table = _chunk(20_000, seed=8)
    dd.from_pandas(table, npartitions=2).to_parquet(tmp_path / "raw", write_index=False)
    lazy = read_incidents(dd.read_parquet(tmp_path / "raw"))
    # object columns (place, issue) have no Parquet type in dask's metadata: as strings
    lazy.astype({"place": "str", "issue": "str"}).to_parquet(tmp_path / "placed")
    placed = dask_geopandas.read_parquet(tmp_path / "placed")
    assert {"point", "geometry"} <= set(placed.columns)
    incidents = read_incidents(table, progress=False)
    for count in (count_by_province, count_by_district):
        got = count(placed, weight="fatalities", freq="M")
        pd.testing.assert_frame_equal(got, count(incidents, weight="fatalities", freq="M"))
