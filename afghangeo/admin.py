"""Afghanistan's 34 provinces and 398 districts: names, codes, aliases, point lookup.

Province and district polygons come from geoBoundaries' ADM2 layer (ESOC/AGCHO 398
districts); provinces are those districts dissolved by province, so a point's
province and district always agree. Canonical province names are the ``name``
column of ``data/provinces.geojson``.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._grid import GridIndex
from afghangeo.errors import AmbiguousPlaceError, InvalidInputError, UnknownPlaceError
from afghangeo.names import fold_name, name_key

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "districts",
    "locate",
    "normalize_district",
    "normalize_province",
    "normalize_provinces",
    "provinces",
]

_CODE = re.compile(r"^\s*AF(?:[-_ .]?)([A-Z]{3}|\d{2})\s*$", re.IGNORECASE)
# Status values of locate(), in the order they are decided.
LOCATE_STATUS = ("ok", "outside", "invalid", "swapped?")


def provinces() -> gpd.GeoDataFrame:
    """The 34 provinces of Afghanistan, one row each, sorted by name (EPSG:4326).

    Columns: ``name`` (canonical spelling), ``iso_3166_2``, ``pcode`` (OCHA/AGCHO),
    ``name_fa`` (Dari), ``n_districts``, ``area_km2``, ``adm1_source_id``, ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        A fresh copy; changing it does not change what later calls return.

    Examples
    --------
    >>> p = ag.provinces()
    >>> len(p), p.crs.to_epsg()
    (34, 4326)
    >>> p.set_index("name").loc["Helmand", "iso_3166_2"]
    'AF-HEL'
    """
    return _data.read_layer("provinces").copy()


def districts() -> gpd.GeoDataFrame:
    """The 398 districts of Afghanistan with their province (EPSG:4326).

    Columns: ``name`` (canonical spelling), ``province``, ``iso_3166_2``, ``code``,
    ``area_km2``, ``aliases`` (``|``-separated other spellings), ``province_method``,
    ``source_name``, ``source_objectid``, ``source_id``, ``geometry``.

    Returns
    -------
    geopandas.GeoDataFrame
        A fresh copy, sorted by province and name.

    Examples
    --------
    >>> d = ag.districts()
    >>> len(d), d["province"].nunique()
    (398, 34)
    """
    return _data.read_layer("districts").copy()


@functools.cache
def _province_table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(name key -> canonical, ISO/P-code suffix -> canonical, folded alias -> canonical)."""
    layer = _data.read_layer("provinces")
    by_key: dict[str, str] = {}
    by_code: dict[str, str] = {}
    folded: dict[str, str] = {}
    aliases = [(r["province"], r["alias"]) for r in _data.read_csv_rows("province_aliases.csv")]
    for rec in layer.itertuples():
        by_code[rec.iso_3166_2.split("-")[1]] = rec.name
        by_code[rec.pcode[2:]] = rec.name
        aliases += [(rec.name, rec.name), (rec.name, rec.name_fa)]
    for canonical, alias in aliases:
        key = name_key(alias)
        if by_key.setdefault(key, canonical) != canonical:  # pragma: no cover - data error
            msg = f"Province alias {alias!r} is claimed by {by_key[key]} and {canonical}."
            raise AssertionError(msg)
        folded[fold_name(alias)] = canonical
    return by_key, by_code, folded


def _suggest(name: str, choices: dict[str, str], limit: int = 3) -> list[str]:
    """Canonical names whose spellings are closest to `name` (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    hits = process.extract(fold_name(name), list(choices), scorer=fuzz.WRatio, limit=limit * 4)
    best = hits[0][1] if hits else 0.0
    out: list[str] = []
    for alias, score, _ in hits:
        # only names about as close as the best one, so that a clear answer stands alone
        if score >= max(60.0, best - 5.0) and choices[alias] not in out:
            out.append(choices[alias])
    return out[:limit]


def _lookup_province(name: object) -> str | None:
    if not isinstance(name, str):
        return None
    by_key, by_code, _ = _province_table()
    code = _CODE.match(name)
    if code:
        return by_code.get(code.group(1).upper())
    key = name_key(name)
    return by_key.get(key) if key else None


def normalize_province(name: str) -> str:
    """Canonical spelling of a province name, code or Dari/Pashto name.

    Parameters
    ----------
    name : str
        Any common spelling (Hilmand, Urozgan, Sar-i-Pul, Maidan Wardak, Kunarha ...),
        with or without "Province"/"Wilayat", in any case; an ISO 3166-2 code
        (``AF-HEL``) or OCHA P-code (``AF30``); or Dari/Pashto script (هلمند).

    Returns
    -------
    str
        The canonical name, as in the ``name`` column of :func:`provinces`.

    Raises
    ------
    UnknownPlaceError
        If `name` is no province; its ``suggestions`` lists the closest ones.
    InvalidInputError
        If `name` is not a str.

    Examples
    --------
    >>> ag.normalize_province("Hilmand Province")
    'Helmand'
    >>> ag.normalize_province("AF-URU"), ag.normalize_province("بادغیس")
    ('Uruzgan', 'Badghis')
    >>> ag.normalize_province("Helmandshire")
    Traceback (most recent call last):
    ...
    afghangeo.errors.UnknownPlaceError: Unknown province 'Helmandshire'. Did you mean 'Helmand'?
    """
    if not isinstance(name, str):
        msg = f"A province name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    found = _lookup_province(name)
    if found is None:
        raise UnknownPlaceError(name, _suggest(name, _province_table()[2]), kind="province")
    return found


def normalize_provinces(names: Iterable[object]) -> pd.DataFrame:
    """Normalize many province names; never raises for a bad name.

    Parameters
    ----------
    names : iterable
        Province names in any spelling; ``None``, NaN and non-strings are allowed.

    Returns
    -------
    pandas.DataFrame
        One row per input, in order: ``input``, ``province`` (canonical or None),
        ``status`` (``matched``, ``not_found``, ``invalid``) and ``suggestion``.

    Examples
    --------
    >>> ag.normalize_provinces(["Hilmand", "Atlantis", None])["status"].tolist()
    ['matched', 'not_found', 'invalid']
    """
    values = list(names.tolist() if isinstance(names, (pd.Series, pd.Index)) else names)
    found: dict[object, tuple[str | None, str, str | None]] = {}
    rows = []
    for value in values:
        hashable = value if isinstance(value, str) else id(value)
        if hashable not in found:
            if not isinstance(value, str) or not fold_name(value):
                found[hashable] = (None, "invalid", None)
            elif (hit := _lookup_province(value)) is not None:
                found[hashable] = (hit, "matched", None)
            else:
                near = _suggest(value, _province_table()[2], limit=1)
                found[hashable] = (None, "not_found", near[0] if near else None)
        rows.append((value, *found[hashable]))
    return pd.DataFrame(rows, columns=["input", "province", "status", "suggestion"])


@functools.cache
def _district_table() -> tuple[dict[str, list[tuple[str, str, str]]], dict[str, str]]:
    """(name key -> [(province, district, folded spelling)], folded spelling -> district)."""
    by_key: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    folded: dict[str, str] = {}
    for rec in _data.read_layer("districts").itertuples():
        for spelling in [rec.name, *filter(None, rec.aliases.split("|"))]:
            by_key[name_key(spelling)].append((rec.province, rec.name, fold_name(spelling)))
            folded[fold_name(spelling)] = rec.name
    return dict(by_key), folded


def _distinct(hits: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys((province, district) for province, district, _ in hits))


def normalize_district(name: str, *, province: str | None = None) -> str:
    """Canonical spelling of a district name, scoped by province where needed.

    Parameters
    ----------
    name : str
        A district name in any common spelling ("Nawa", "Nad-e Ali", "Lashkargah").
    province : str, optional
        The district's province in any spelling; required when the name exists in
        several provinces (Nawa: Helmand and Ghazni; Qarabagh: Kabul and Ghazni).

    Returns
    -------
    str
        The canonical name, as in the ``name`` column of :func:`districts`.

    Raises
    ------
    UnknownPlaceError
        If no district (of `province`) has that name, or `province` is unknown.
    AmbiguousPlaceError
        If the name exists in several provinces and `province` is not given.

    Examples
    --------
    >>> ag.normalize_district("Nawa", province="Hilmand")
    'Nawa-i-Barakzayi'
    >>> ag.normalize_district("Nawa", province="Ghazni")
    'Nawa'
    >>> ag.normalize_district("Nad-e Ali")
    'Nad Ali'
    """
    if not isinstance(name, str):
        msg = f"A district name must be a str, got {type(name).__name__} {name!r}."
        raise InvalidInputError(msg)
    scope = normalize_province(province) if province is not None else None
    by_key, folded = _district_table()
    hits = [h for h in by_key.get(name_key(name), []) if scope in (None, h[0])]
    # a spelling that matches exactly beats one that only shares the key (Bagram, Bagrami)
    exact = _distinct([h for h in hits if h[2] == fold_name(name)])
    found = exact or _distinct(hits)
    if len(found) == 1:
        return found[0][1]
    if len(found) > 1:
        raise AmbiguousPlaceError(name, [f"{d} ({p})" for p, d in found], kind="district")
    if scope is not None:
        choices = {
            f: d for f, d in folded.items() if any(h[0] == scope for h in by_key[name_key(f)])
        }
    else:
        choices = folded
    raise UnknownPlaceError(name, _suggest(name, choices), kind="district")


@functools.cache
def _index(layer: str) -> tuple[GridIndex, pd.Index, np.ndarray]:
    """(grid index, unique names, code of each polygon's name; code -1 for 'no polygon')."""
    gdf = _data.read_layer(layer)
    codes, names = pd.factorize(gdf["name"])
    return GridIndex(gdf.geometry.values, _data.read_grid(layer)), names, np.r_[codes, -1]


def _names(layer: str, polygon: np.ndarray) -> pd.Categorical:
    _, names, codes = _index(layer)
    return pd.Categorical.from_codes(codes[polygon], categories=names)


def _coordinates(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray, pd.Index | None, np.ndarray]:
    """(x, y, index, bad) from any accepted input form of :func:`locate`."""
    import shapely

    if lat is None and (hasattr(lon, "geometry") or type(lon).__name__ == "GeoSeries"):
        geoms = lon.geometry if hasattr(lon, "geometry") else lon
        if geoms.crs is not None and not geoms.crs.equals("EPSG:4326"):
            geoms = geoms.to_crs(4326)
        values = geoms.to_numpy()
        point = np.asarray(shapely.get_type_id(values)) == 0
        point &= ~np.asarray(shapely.is_empty(values), dtype=bool)
        x = np.where(point, shapely.get_x(np.where(point, values, None)), np.nan)
        y = np.where(point, shapely.get_y(np.where(point, values, None)), np.nan)
        return x.astype(float), y.astype(float), geoms.index, ~point
    if lat is None and isinstance(lon, pd.DataFrame):
        cols = {c.lower(): c for c in lon.columns if isinstance(c, str)}
        xcol = next((cols[c] for c in ("longitude", "lon", "lng", "long", "x") if c in cols), None)
        ycol = next((cols[c] for c in ("latitude", "lat", "y") if c in cols), None)
        if xcol is None or ycol is None:
            msg = (
                f"Cannot find longitude/latitude columns among {list(lon.columns)!r}; "
                "name them 'longitude' and 'latitude' or call locate(df[x], df[y])."
            )
            raise InvalidInputError(msg)
        return (*_coordinates(lon[xcol], lon[ycol])[:2], lon.index, np.zeros(len(lon), bool))
    if lat is None:
        msg = "locate() needs lat unless lon is a GeoSeries, GeoDataFrame or DataFrame."
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


def locate(lon: Any, lat: Any = None) -> pd.DataFrame:
    """Province and district of points, exactly as a ``within`` spatial join.

    Parameters
    ----------
    lon : float, array-like, GeoSeries, GeoDataFrame or DataFrame
        Longitudes (degrees east); or points (reprojected to EPSG:4326 if needed);
        or a DataFrame with ``longitude``/``latitude`` (or ``lon``/``lat``) columns.
    lat : float or array-like, optional
        Latitudes (degrees north), when `lon` holds longitudes.

    Returns
    -------
    pandas.DataFrame
        One row per point, in input order (keeping a pandas input's index):
        ``province``, ``district`` (canonical names or None) and ``status``:
        ``ok``; ``outside`` (not in Afghanistan); ``invalid`` (NaN, infinite,
        out of range, not a point); ``swapped?`` (outside, but inside if lat and
        lon are swapped).

    Examples
    --------
    >>> ag.locate(64.3716, 31.5938).iloc[0].tolist()
    ['Helmand', 'Lashkar Gah', 'ok']
    >>> ag.locate([59.6, float("nan"), 31.59], [36.3, 0.0, 64.37])["status"].tolist()
    ['outside', 'invalid', 'swapped?']
    """
    x, y, index, bad = _coordinates(lon, lat)
    with np.errstate(invalid="ignore"):
        bad |= ~(np.isfinite(x) & np.isfinite(y)) | (np.abs(x) > 180) | (np.abs(y) > 90)
    x = np.where(bad, np.nan, x)
    y = np.where(bad, np.nan, y)
    p = _index("provinces")[0].query(x, y)
    d = _index("districts")[0].query(x, y)
    # codes into LOCATE_STATUS: ok, outside, invalid, swapped?
    status = np.where(bad, 2, np.where(p >= 0, 0, 1)).astype(np.int8)
    outside = np.flatnonzero(status == 1)
    if len(outside):
        swapped = _index("provinces")[0].query(y[outside], x[outside]) >= 0
        status[outside[swapped]] = 3
    return pd.DataFrame(
        {
            "province": _names("provinces", p),
            "district": _names("districts", d),
            "status": pd.Categorical.from_codes(status, categories=pd.Index(LOCATE_STATUS)),
        },
        index=index,
    )
