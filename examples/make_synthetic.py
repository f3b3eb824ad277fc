"""Generate realistic synthetic incident tables for demos, tests and benchmarks.

Rows are drawn like a real mixed export: places named by district names and their
aliases or by province names, written with spelling noise (Hilmand, "Nad-e Ali
district", LASHKARGAH ...); some rows with coordinates (inside a district, a few
with the stated province wrong), some known only to their province, and bad rows
(swapped or (0, 0) coordinates, "n/a", unknown names, empty cells).

Usage::

    python examples/make_synthetic.py 100000 -o incidents.csv [--layout acled] [--seed 1]

or, from Python, ``synthetic_incidents(n, seed=0)``. Nothing here is real data.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

import afghangeo as ag

__all__ = ["random_points", "synthetic_incidents"]

LAYOUTS = {
    "plain": {
        "date": "date",
        "place": "place",
        "province": "province",
        "district": "district",
        "lat": "lat",
        "lon": "lon",
        "precision": "precision",
        "weight": "killed",
    },
    "acled": {
        "date": "event_date",
        "place": "location",
        "province": "admin1",
        "district": "admin2",
        "lat": "latitude",
        "lon": "longitude",
        "precision": "geo_precision",
        "weight": "fatalities",
    },
}
UNKNOWN = ["Springfield", "Atlantis", "Gotham", "Qwerty", "Doha", "Quetta", "Peshawar"]


def _noisy(names: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Spelling noise: case, vowels, connectors, generic words, hyphens."""
    out = names.astype(object).copy()
    for i in np.flatnonzero(rng.random(len(out)) < 0.5):
        name = str(out[i])
        trick = rng.integers(7)
        if trick == 0:
            name = name.upper()
        elif trick == 1:
            name = name.lower()
        elif trick == 2:
            name = name.replace("a", "aa", 1) if "a" in name else name + " "
        elif trick == 3:
            name = name.replace("-", " ").replace("i", "e", 1)
        elif trick == 4:
            name = name.replace(" ", "").replace("-", "")
        elif trick == 5:
            name = f"{name} district"
        else:
            name = name.replace("u", "o", 1)
        out[i] = name
    return out


def random_points(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`n` random (lon, lat) inside Afghanistan (uniform over its area)."""
    xs: list[np.ndarray] = [np.zeros(0)]
    ys: list[np.ndarray] = [np.zeros(0)]
    have = 0
    while have < n:
        x = rng.uniform(60.4, 75.0, 2 * (n - have) + 100)
        y = rng.uniform(29.3, 38.5, len(x))
        inside = (ag.locate(lon=x, lat=y)["status"] == "ok").to_numpy()
        xs.append(x[inside])
        ys.append(y[inside])
        have += int(inside.sum())
    return np.concatenate(xs)[:n].round(5), np.concatenate(ys)[:n].round(5)


def synthetic_incidents(
    n: int,
    *,
    seed: int = 0,
    coordinates: float = 0.4,
    province_only: float = 0.15,
    bad: float = 0.05,
    layout: str = "plain",
    start: str = "2019-01-01",
    days: int = 730,
) -> pd.DataFrame:
    """A synthetic incident table of `n` rows (nothing in it is real).

    Parameters
    ----------
    n : int
        Number of rows.
    seed : int
        Random seed; the same seed gives the same table.
    coordinates, province_only, bad : float
        Shares of rows with coordinates, of rows known only by their province, and
        of bad rows (swapped/zero/text coordinates, unknown or empty names).
    layout : {"plain", "acled"}
        Column names as in a plain table or an ACLED export.
    start, days
        Dates are uniform over `days` days from `start`.
    """
    rng = np.random.default_rng(seed)
    dist = ag.districts()
    spellings = [
        (spelling, prov, name)
        for name, prov, aliases in dist[["name", "province", "aliases"]].itertuples(index=False)
        for spelling in [name, *filter(None, aliases.split("|"))]
    ]
    spelled = pd.DataFrame(spellings, columns=["spelling", "province", "district"])
    provinces = ag.provinces()["name"].to_numpy(object)
    kind = rng.choice(
        4, size=n, p=[coordinates, province_only, bad, 1 - coordinates - province_only - bad]
    )
    pick = spelled.iloc[rng.integers(len(spelled), size=n)].reset_index(drop=True)
    place = _noisy(pick["spelling"].to_numpy(object), rng)
    province = pick["province"].to_numpy(object).copy()
    district = np.full(n, None, dtype=object)
    lat = np.full(n, np.nan, dtype=object)
    lon = np.full(n, np.nan, dtype=object)
    precision = np.full(n, 1, dtype=object)
    # rows with coordinates; 3 % of them with a wrong stated province
    c = np.flatnonzero(kind == 0)
    x, y = random_points(len(c), rng)
    lon[c], lat[c] = x, y
    located = ag.locate(lon=x, lat=y)
    province[c] = located["province"].astype(object).to_numpy()
    place[c] = located["district"].astype(object).to_numpy()
    wrong = c[rng.random(len(c)) < 0.03]
    province[wrong] = rng.choice(provinces, size=len(wrong))
    # province only: the place is the province's name (noisy) or empty
    p = np.flatnonzero(kind == 1)
    province[p] = rng.choice(provinces, size=len(p))
    place[p] = np.where(rng.random(len(p)) < 0.5, _noisy(province[p], rng), None)
    precision[p] = 3
    # names only: half give the district column too, a third no province at all
    m = np.flatnonzero(kind == 3)
    with_district = m[rng.random(len(m)) < 0.5]
    district[with_district] = pick["district"].to_numpy(object)[with_district]
    province[m[rng.random(len(m)) < 0.33]] = None
    # bad rows
    b = np.flatnonzero(kind == 2)
    trick = rng.integers(5, size=len(b))
    bx, by = random_points(len(b), rng)
    lat[b[trick == 0]], lon[b[trick == 0]] = bx[trick == 0], by[trick == 0]  # swapped
    lat[b[trick == 1]], lon[b[trick == 1]] = 0.0, 0.0
    lat[b[trick == 2]], lon[b[trick == 2]] = "n/a", "n/a"
    nameless = b[(trick <= 2) & (rng.random(len(b)) < 0.5)]
    place[nameless], province[nameless] = None, None
    place[b[trick == 3]] = rng.choice(UNKNOWN, size=int((trick == 3).sum()))
    province[b[trick >= 3]] = None
    place[b[trick == 4]] = None
    dates = pd.Timestamp(start) + pd.to_timedelta(rng.integers(days, size=n), unit="D")
    killed = rng.poisson(2.0, size=n).astype(float)
    killed[rng.random(n) < 0.1] = np.nan
    names = LAYOUTS[layout]
    numeric = pd.api.types.infer_dtype(lat[~pd.isna(lat)]) in ("floating", "empty")
    return pd.DataFrame(
        {
            names["date"]: dates.strftime("%Y-%m-%d"),
            names["place"]: place,
            names["district"]: district,
            names["province"]: province,
            names["lat"]: lat.astype(float) if numeric else lat,
            names["lon"]: lon.astype(float) if numeric else lon,
            names["precision"]: precision,
            names["weight"]: killed,
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of rows")
    parser.add_argument("-o", "--output", required=True, help="CSV or Parquet file to write")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="plain")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    table = synthetic_incidents(args.n, seed=args.seed, layout=args.layout)
    if args.output.endswith((".parquet", ".pq")):
        table.to_parquet(args.output, index=False)
    else:
        table.to_csv(args.output, index=False)
    sys.stderr.write(f"wrote {len(table):,} rows to {args.output}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
