"""afghangeo.locate vs geopandas.sjoin(predicate="within") on the same polygons.

Prints wall times and the speed ratio for N random points over Afghanistan's bounding
box (default 1,000,000), for the province and the district layer, and checks that the
answers are identical. Usage: python benchmarks/locate.py [N]
"""

from __future__ import annotations

import sys

import geopandas as gpd
import numpy as np
import pandas as pd
from _timing import best_of  # benchmarks/_timing.py (scripts run from benchmarks/)

import afghangeo as ag


def main(n: int) -> None:
    rng = np.random.default_rng(42)
    x = rng.uniform(60.0, 75.5, n)
    y = rng.uniform(29.0, 39.0, n)
    ag.locate(lon=x[:10], lat=y[:10])  # load data and index once, as any session would
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4326)
    layers = {"province": ag.provinces(), "district": ag.districts()}

    t_ours, ours = best_of(lambda: ag.locate(lon=x, lat=y))
    print(f"{n:,} random points; afghangeo.locate (both layers): {t_ours:.3f} s")
    t_base_total = 0.0
    for column, layer in layers.items():

        def baseline(layer: gpd.GeoDataFrame = layer) -> pd.Series:
            joined = gpd.sjoin(points, layer[["name", "geometry"]], predicate="within", how="left")
            return joined["name"]

        t_base, expected = best_of(baseline)
        t_base_total += t_base
        same = np.array_equal(
            pd.Series(expected).astype(object).fillna("").to_numpy(str),
            ours[column].astype(object).fillna("").to_numpy(str),
        )
        print(f"  sjoin {column:8s}: {t_base:.3f} s   identical answers: {same}")
        if not same:
            raise SystemExit("answers differ")
    print(f"ratio (sjoin for both layers / locate): {t_base_total / t_ours:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
