"""Point → province and district: exactly a ``within`` spatial join, on a grid index.

:func:`locate` takes points as geometries (a GeoSeries, GeoDataFrame, shapely points or
a DataFrame with longitude/latitude columns) or as ``lon=``/``lat=`` keywords, the same
names the command line uses (``afghangeo locate --lon 64.37 --lat 31.59``).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._grid import GridIndex
from afghangeo._vocab import LOCATE_STATUSES
from afghangeo.errors import InvalidInputError

__all__ = ["locate"]

_LON_NAMES = ("longitude", "lon", "lng", "long", "x")
_LAT_NAMES = ("latitude", "lat", "y")


@functools.cache
def _index(layer: str) -> tuple[GridIndex, pd.Index, np.ndarray]:
    """(grid index, unique names, code of each polygon's name; code -1 for 'no polygon')."""
    gdf = _data.read_layer(layer)
    codes, names = pd.factorize(gdf["name"])
    return GridIndex(gdf.geometry.values, _data.read_grid(layer)), names, np.r_[codes, -1]


def _names(layer: str, polygon: np.ndarray) -> pd.Categorical:
    _, names, codes = _index(layer)
    return pd.Categorical.from_codes(codes[polygon], categories=names)


def _from_geometries(geoms: Any) -> tuple[np.ndarray, np.ndarray, pd.Index | None, np.ndarray]:
    import shapely

    index = geoms.index if isinstance(geoms, (pd.Series, pd.DataFrame)) else None
    if getattr(geoms, "crs", None) is not None and not geoms.crs.equals("EPSG:4326"):
        geoms = geoms.to_crs(4326)
    values = np.asarray(geoms.to_numpy() if hasattr(geoms, "to_numpy") else geoms, dtype=object)
    values = np.atleast_1d(values).ravel()
    is_geom = np.array([isinstance(v, shapely.Geometry) for v in values], dtype=bool)
    geom: Any = np.where(is_geom, values, np.array(None, dtype=object))
    point = is_geom & (np.asarray(shapely.get_type_id(geom)) == 0)
    point &= ~np.asarray(shapely.is_empty(geom), dtype=bool)
    pts: Any = np.where(point, geom, np.array(None, dtype=object))
    x = np.where(point, shapely.get_x(pts), np.nan)
    y = np.where(point, shapely.get_y(pts), np.nan)
    return x.astype(float), y.astype(float), index, ~point


def _from_frame(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index | None, np.ndarray]:
    cols = {c.lower(): c for c in frame.columns if isinstance(c, str)}
    xcol = next((cols[c] for c in _LON_NAMES if c in cols), None)
    ycol = next((cols[c] for c in _LAT_NAMES if c in cols), None)
    if xcol is None or ycol is None:
        msg = (
            f"Cannot find longitude/latitude columns among {list(frame.columns)!r}; "
            "name them 'longitude' and 'latitude' or call locate(lon=df[x], lat=df[y])."
        )
        raise InvalidInputError(msg)
    xs, ys = _as_float(frame[xcol]), _as_float(frame[ycol])
    return xs, ys, frame.index, np.zeros(len(frame), bool)


def _coordinates(
    points: Any, lon: Any, lat: Any
) -> tuple[np.ndarray, np.ndarray, pd.Index | None, np.ndarray]:
    """(x, y, index, bad) from any accepted input form of :func:`locate`."""
    if points is not None:
        if lon is not None or lat is not None:
            msg = "Pass either points or lon=/lat=, not both."
            raise InvalidInputError(msg)
        if hasattr(points, "geometry") or type(points).__name__ == "GeoSeries":
            return _from_geometries(getattr(points, "geometry", points))
        if isinstance(points, pd.DataFrame):
            return _from_frame(points)
        return _from_geometries(points)
    if lon is None or lat is None:
        msg = "locate() needs points, or both lon= and lat= (degrees)."
        raise InvalidInputError(msg)
    index = lon.index if isinstance(lon, pd.Series) else None
    xs, ys = _as_float(lon), _as_float(lat)
    if len(xs) != len(ys):
        msg = f"lon and lat differ in length ({len(xs)} and {len(ys)}); pass one value per point."
        raise InvalidInputError(msg)
    return xs, ys, index, np.zeros(len(xs), bool)


def _as_float(values: Any) -> np.ndarray:
    """1-d float array; anything that is not a number becomes NaN."""
    try:
        return np.atleast_1d(np.asarray(values, dtype=float)).ravel()
    except (TypeError, ValueError):
        objects = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)).ravel())
        return pd.to_numeric(objects, errors="coerce").to_numpy(float)


def locate(points: Any = None, *, lon: Any = None, lat: Any = None) -> pd.DataFrame:
    """Province and district of points, exactly as a ``within`` spatial join.

    Parameters
    ----------
    points : GeoSeries, GeoDataFrame, shapely geometries or DataFrame, optional
        Points (reprojected to EPSG:4326 if needed; anything but a point is
        ``invalid``), or a DataFrame with ``longitude``/``latitude`` (or
        ``lon``/``lat``) columns.
    lon, lat : float or array-like, optional
        Longitudes (degrees east) and latitudes (degrees north), instead of `points`.

    Returns
    -------
    pandas.DataFrame
        One row per point, in input order (keeping a pandas input's index):
        ``province``, ``district`` (canonical names or None) and ``status``:
        ``ok``; ``outside`` (not in Afghanistan); ``invalid`` (NaN, infinite,
        out of range, not a point); ``swapped?`` (outside, but inside if lat and
        lon are swapped).

    See Also
    --------
    afghangeo.geocode : a place name to a point, district and province.
    afghangeo.districts : the polygons themselves.

    Notes
    -----
    The answer is exactly that of ``geopandas.sjoin(points, layer, predicate="within")``:
    a point on a boundary belongs to no polygon (``outside``). A precomputed 0.01° grid
    answers points well inside one polygon without a geometric test; only points in
    border cells are tested, with prepared ``contains_xy``.

    Examples
    --------
    >>> ag.locate(lon=64.3716, lat=31.5938).iloc[0].tolist()
    ['Helmand', 'Lashkar Gah', 'ok']
    >>> ag.locate(lon=[59.6, float("nan"), 31.59], lat=[36.3, 0.0, 64.37])["status"].tolist()
    ['outside', 'invalid', 'swapped?']
    >>> import shapely
    >>> ag.locate([shapely.Point(69.17, 34.53)])["district"].tolist()
    ['Kabul']
    """
    x, y, index, bad = _coordinates(points, lon, lat)
    with np.errstate(invalid="ignore"):
        bad |= ~(np.isfinite(x) & np.isfinite(y)) | (np.abs(x) > 180) | (np.abs(y) > 90)
    x = np.where(bad, np.nan, x)
    y = np.where(bad, np.nan, y)
    p = _index("provinces")[0].query(x, y)
    d = _index("districts")[0].query(x, y)
    # codes into LOCATE_STATUSES: ok, outside, invalid, swapped?
    status = np.where(bad, 2, np.where(p >= 0, 0, 1)).astype(np.int8)
    outside = np.flatnonzero(status == 1)
    if len(outside):
        swapped = _index("provinces")[0].query(y[outside], x[outside]) >= 0
        status[outside[swapped]] = 3
    return pd.DataFrame(
        {
            "province": _names("provinces", p),
            "district": _names("districts", d),
            "status": pd.Categorical.from_codes(status, categories=pd.Index(LOCATE_STATUSES)),
        },
        index=index,
    )
