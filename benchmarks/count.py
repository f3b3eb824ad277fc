"""read_incidents + count_by_province vs geopandas.sjoin + groupby, and geocoding speed.

Part 1: N incidents with coordinates (default 1,000,000, uniform over Afghanistan,
2 % without coordinates or outside): afghangeo's read + count against the plain
geopandas way on the same polygons (``ag.provinces()``), both starting from the
same lat/lon table, in the same run. Prints times, the ratio and whether the counts
are identical. Part 2: M incidents that need geocoding (default 100,000), a realistic
mix of names from ``examples/make_synthetic.py``; prints rows per second.

Usage: python benchmarks/count.py [N] [M]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from _timing import best_of  # benchmarks/_timing.py (scripts run from benchmarks/)

import afghangeo as ag
from afghangeo.counts import count_by_province
from afghangeo.incidents import read_incidents

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from make_synthetic import random_points, synthetic_incidents


def with_coordinates(n: int) -> None:
    rng = np.random.default_rng(42)
    lon, lat = random_points(n, rng)
    table = pd.DataFrame(
        {
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(366, size=n), "D"),
            "latitude": lat,
            "longitude": lon,
            "fatalities": rng.poisson(1.5, size=n).astype(float),
        }
    )
    table.loc[::100, ["latitude", "longitude"]] = np.nan
    table.loc[1::100, ["latitude", "longitude"]] = 0.0
    polygons = ag.provinces()
    read_incidents(table.head(10))  # load boundaries and index once, as any session would

    def ours() -> pd.DataFrame:
        return count_by_province(read_incidents(table, geocode=False))

    def baseline() -> pd.DataFrame:
        points = gpd.GeoDataFrame(
            table, geometry=gpd.points_from_xy(table["longitude"], table["latitude"]), crs=4326
        )
        joined = gpd.sjoin(points, polygons[["name", "geometry"]], predicate="within", how="left")
        joined = joined[~joined.index.duplicated()]  # a point on a shared border
        counts = joined["name"].fillna("unlocated").value_counts()
        return counts.reindex([*polygons["name"], "unlocated"], fill_value=0)

    t_ours, got = best_of(ours)
    t_base, expected = best_of(baseline)
    same = np.array_equal(got["count"].to_numpy(), expected.to_numpy())
    print(f"{n:,} incidents with coordinates")
    print(f"  afghangeo read_incidents + count_by_province: {t_ours:.3f} s")
    print(f"  geopandas points_from_xy + sjoin + groupby:   {t_base:.3f} s")
    print(f"  ratio: {t_base / t_ours:.1f}x   identical counts: {same}")
    if not same:
        raise SystemExit("counts differ")


def with_names(m: int) -> None:
    table = synthetic_incidents(m, seed=5, coordinates=0.0, province_only=0.2, bad=0.05)
    start = time.perf_counter()
    incidents = read_incidents(table, progress=False)
    elapsed = time.perf_counter() - start
    counts = count_by_province(incidents)
    names = table[["place", "province", "district"]].astype(str).drop_duplicates()
    shares = incidents["status"].value_counts(normalize=True).round(3).to_dict()
    print(f"{m:,} incidents needing geocoding ({len(names):,} distinct name/hint triples)")
    print(f"  read_incidents: {elapsed:.2f} s = {m / elapsed:,.0f} rows/s; status shares {shares}")
    print(f"  counts add up: {int(counts['count'].sum()) == m}")


if __name__ == "__main__":
    with_coordinates(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
    with_names(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
