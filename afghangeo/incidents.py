"""Read tables of reported incidents and place every row: located, geocoded or not.

:func:`read_incidents` accepts ACLED exports, UCDP GED extracts and plain tables
(see :mod:`afghangeo._columns` for the column names it recognises). Each row ends up
with one ``status``:

``located``
    Coordinates inside Afghanistan; province and district come from the boundaries.
``geocoded``
    No usable coordinates; the place name (or the stated district) was resolved.
``province_only``
    Only the province is known (stated, named, or the source's precision code says
    so). The point is a representative point of the province and means nothing finer.
``unlocated``
    Nothing to go on, or the name could not be resolved.
``invalid``
    The row had coordinates, but they were unusable (outside Afghanistan, swapped,
    not numbers) and nothing else placed it.

Problems are described in ``issue`` and never fixed silently: when a stated province
disagrees with the coordinates, the coordinates' province is kept and the issue says
"stated province Kandahar but coordinates fall in Helmand".

Scaling out with dask
---------------------
:func:`read_incidents` and the count functions also accept a dask (or dask-geopandas)
DataFrame and work partition by partition (``pip install 'afghangeo[dask]'``)::

    import dask.dataframe as dd
    from dask.distributed import Client

    client = Client("tcp://scheduler-host:8786")  # or Client() for a local cluster
    ddf = dd.read_parquet("s3://bucket/incidents/*.parquet")
    incidents = ag.read_incidents(ddf)             # lazy dask-geopandas GeoDataFrame
    counts = ag.count_by_province(incidents)       # computed on the cluster

Once a ``Client`` exists, dask sends the work to that cluster; the workers need
afghangeo installed (its boundaries are package data, so nothing else to ship).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

import afghangeo.geocoder as _geocode
from afghangeo import _data
from afghangeo._columns import detect_columns, load_table, precision_codes
from afghangeo._compat import import_optional
from afghangeo.admin import locate, normalize_district, normalize_provinces
from afghangeo.errors import AmbiguousPlaceError, InvalidInputError, UnknownPlaceError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ADDED_COLUMNS", "PRECISIONS", "STATUSES", "read_incidents"]

STATUSES = ("located", "geocoded", "province_only", "unlocated", "invalid")
PRECISIONS = ("place", "district", "province")
ADDED_COLUMNS = ("place", "province", "district", "precision", "score", "status", "issue")
PROGRESS_MIN_ROWS = 2000
_LOCATED, _GEOCODED, _PROVINCE_ONLY, _UNLOCATED, _INVALID = range(5)
_NONE = np.array(None, dtype=object)
_GEO_COLUMNS = ("name", "province", "district", "lat", "lon", "precision", "score", "status")


@functools.cache
def _admin() -> tuple[pd.Index, pd.Index, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Province names, district names, district -> province, district -> name, points.

    The points are representative x and y of the provinces, then of the districts.
    """
    prov = _data.read_layer("provinces")
    dist = _data.read_layer("districts")
    pnames = pd.Index(prov["name"])
    dnames = pd.Index(sorted(dist["name"].unique()))
    points = pd.concat([prov.geometry, dist.geometry]).representative_point()
    return (
        pnames,
        dnames,
        pnames.get_indexer(dist["province"]),
        dnames.get_indexer(dist["name"]),
        points.x.to_numpy(),
        points.y.to_numpy(),
    )


def _codes(values: Any, names: pd.Index) -> np.ndarray:
    """Codes of canonical names (-1 for anything else); fast for categoricals."""
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if isinstance(series.dtype, pd.CategoricalDtype):
        mapping = np.r_[names.get_indexer(series.cat.categories), -1]
        out: np.ndarray = mapping[series.cat.codes.to_numpy()].astype(np.int32)
        return out
    return names.get_indexer(pd.Index(series.astype(object))).astype(np.int32)


def read_incidents(
    source: Any,
    *,
    columns: Mapping[str, Hashable | None] | None = None,
    geocode: bool = True,
    progress: bool | None = None,
) -> gpd.GeoDataFrame:
    """Read a table of incidents and place each row in a province and district.

    Parameters
    ----------
    source : path, DataFrame, GeoDataFrame or dask DataFrame
        A CSV, TSV, Excel, GeoJSON, GeoPackage or Parquet file, or a table. Point
        geometries serve as coordinates when there are no latitude/longitude columns.
    columns : mapping, optional
        Role -> column, overriding detection; roles are ``date``, ``place``,
        ``province``, ``district``, ``lat``, ``lon``, ``precision``, ``weight`` and
        ``notes``; map a role to None to ignore a column.
    geocode : bool, default True
        Resolve place names of rows without usable coordinates. With False, those
        rows are placed only by their stated district or province.
    progress : bool, optional
        Show a progress bar (tqdm, if installed) while geocoding. By default, only
        for more than a few thousand distinct names on a terminal or in a notebook.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per input row, in order (EPSG:4326), with the input columns (one
        named like an added column is renamed ``<name>_input``) and ``place`` (the
        name as written), ``province``, ``district`` (canonical), ``precision``
        (place/district/province), ``score`` (0-1), ``status`` (located, geocoded,
        province_only, unlocated, invalid), ``issue`` and a point ``geometry``. The
        detected roles are in ``.attrs["afghangeo_columns"]``.

    Raises
    ------
    InvalidInputError
        If no column says where the incidents are, or `columns` is wrong.
    DataError
        If the file is missing or unreadable.

    Examples
    --------
    >>> table = pd.DataFrame({"location": ["Lashkar Gah", "Badghis", "Springfield"],
    ...                       "admin1": ["Helmand", None, None],
    ...                       "latitude": [31.5938, None, None],
    ...                       "longitude": [64.3716, None, None]})
    >>> out = read_incidents(table)
    >>> out[["province", "precision", "status"]].astype(object).values.tolist()
    [['Helmand', 'place', 'located'], ['Badghis', 'province', 'province_only'],
     [nan, nan, 'unlocated']]
    """
    if hasattr(source, "map_partitions") and hasattr(source, "npartitions"):
        return _read_dask(source, columns=columns, geocode=geocode)
    frame = load_table(source)
    roles = detect_columns(_coordinate_columns(frame), columns)
    return _resolve(frame, roles, geocode=geocode, progress=progress)


def _coordinate_columns(frame: pd.DataFrame) -> list[Hashable]:
    """Column names, without the active geometry (handled on its own)."""
    geometry = getattr(frame, "_geometry_column_name", None)
    return [c for c in frame.columns if c != geometry]


def _read_dask(source: Any, *, columns: Any, geocode: bool) -> Any:
    import_optional("dask_geopandas", extra="dask")
    roles = detect_columns(_coordinate_columns(source._meta), columns)
    meta = _resolve(source._meta, roles, geocode=False, progress=False)
    return source.map_partitions(_resolve, roles, geocode=geocode, progress=False, meta=meta)


def _strings(values: pd.Series) -> np.ndarray:
    """Stripped strings as an object array; None for anything empty or not a str."""
    out = values.astype(object).to_numpy()
    text = np.array([v.strip() if isinstance(v, str) else "" for v in out], dtype=object)
    text[text == ""] = None
    return text


def _coordinates(frame: pd.DataFrame, roles: dict[str, Hashable]) -> tuple[np.ndarray, ...]:
    """(x, y, given, bad): NaN where absent; given = some coordinate was written."""
    n = len(frame)
    if "lat" in roles:
        raw = [frame[roles["lon"]], frame[roles["lat"]]]
        x, y = (pd.to_numeric(r, errors="coerce").to_numpy(float, na_value=np.nan) for r in raw)
        if all(pd.api.types.is_numeric_dtype(r) for r in raw):
            given = ~(np.isnan(x) & np.isnan(y))
        else:
            given = np.zeros(n, bool)
            for r in raw:
                given |= ~(r.isna() | r.astype(str).str.strip().eq("")).to_numpy(bool)
        return x, y, given, given & (np.isnan(x) | np.isnan(y))
    geometry = getattr(frame, "_geometry_column_name", None)
    if geometry is not None:
        import shapely

        geoms = frame.geometry
        if geoms.crs is not None and not geoms.crs.equals("EPSG:4326"):
            geoms = geoms.to_crs(4326)
        values = geoms.to_numpy()
        given = ~(pd.isna(values) | shapely.is_empty(values))
        point = given & (shapely.get_type_id(values) == 0)
        pts: Any = np.where(point, values, _NONE)
        x = np.where(point, shapely.get_x(pts), np.nan)
        y = np.where(point, shapely.get_y(pts), np.nan)
        return x.astype(float), y.astype(float), given, given & ~point
    nan = np.full(n, np.nan)
    return nan, nan.copy(), np.zeros(n, bool), np.zeros(n, bool)


def _stated(frame: pd.DataFrame, roles: dict[str, Hashable]) -> tuple[np.ndarray, ...]:
    """(province code, district row, province text, district text) as stated."""
    pnames, _, dprov, _, _, _ = _admin()
    n = len(frame)
    ptext = _strings(frame[roles["province"]]) if "province" in roles else np.full(n, None)
    dtext = _strings(frame[roles["district"]]) if "district" in roles else np.full(n, None)
    pcode = np.full(n, -1, np.int32)
    codes, uniques = pd.factorize(ptext)
    if len(uniques):
        found = pd.Index(normalize_provinces(list(uniques))["province"].astype(object))
        pcode = np.r_[pnames.get_indexer(found), -1][codes].astype(np.int32)
    drow = np.full(n, -1, np.int32)
    some = np.flatnonzero(dtext != None)  # noqa: E711
    codes, pairs = _factorize_tuples(dtext[some], pcode[some])
    drow[some] = np.array([_district_row(name, int(p)) for name, p in pairs], np.int32)[codes]
    has_district = drow >= 0
    pcode[has_district & (pcode < 0)] = dprov[drow[has_district & (pcode < 0)]]
    return pcode, drow, ptext, dtext


@functools.cache
def _district_row(name: object, province: int) -> int:
    """Row in the districts layer of a stated district (-1 if unknown or ambiguous)."""
    if not isinstance(name, str):
        return -1
    pnames = _admin()[0]
    scope = pnames[province] if province >= 0 else None
    try:
        canonical = normalize_district(name, province=scope)
    except (UnknownPlaceError, AmbiguousPlaceError, InvalidInputError):
        return -1
    layer = _data.read_layer("districts")
    hits = np.flatnonzero(
        (layer["name"].to_numpy() == canonical)
        & ((layer["province"].to_numpy() == scope) if scope else True)
    )
    return int(hits[0]) if len(hits) == 1 else -1


def _factorize_tuples(*arrays: np.ndarray) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """(code of each row, distinct tuples in order of appearance)."""
    keys = np.empty(len(arrays[0]), dtype=object)
    keys[:] = list(zip(*arrays, strict=True))
    codes, uniques = pd.factorize(keys)
    return codes, list(uniques)


def _auto_progress(n: int) -> bool:
    if n <= PROGRESS_MIN_ROWS:
        return False
    in_notebook = "ipykernel" in sys.modules
    return in_notebook or bool(getattr(sys.stderr, "isatty", lambda: False)())


def _geocode_rows(
    places: np.ndarray, provinces: np.ndarray, districts: np.ndarray, *, progress: bool = False
) -> pd.DataFrame:
    """Resolve names with province/district hints, each distinct triple once.

    Columns as in ``_GEO_COLUMNS``, one row per input, positional index.
    """
    codes, uniques = _factorize_tuples(places, provinces, districts)
    names, hint_p, hint_d = ([u[i] for u in uniques] for i in range(3))
    table = _geocode.geocode_many(names, provinces=hint_p, districts=hint_d, progress=progress)
    table = table.reindex(columns=list(_GEO_COLUMNS))
    return table.iloc[codes].reset_index(drop=True)


def _resolve(
    frame: pd.DataFrame, roles: dict[str, Hashable], *, geocode: bool, progress: bool | None
) -> gpd.GeoDataFrame:
    """The work of :func:`read_incidents` on one in-memory table."""
    import geopandas
    import shapely

    pnames, dnames, dprov, dname, rep_x, rep_y = _admin()
    n = len(frame)
    x, y, given, bad = _coordinates(frame, roles)
    stated_p, stated_d, ptext, dtext = _stated(frame, roles)
    place = _strings(frame[roles["place"]]) if "place" in roles else np.full(n, None)
    src, src_unlocated = (
        precision_codes(frame[roles["precision"]], roles["precision"])
        if "precision" in roles
        else (np.zeros(n, np.int8), np.zeros(n, bool))
    )
    prov = np.full(n, -1, np.int32)
    dist = np.full(n, -1, np.int32)  # code into dnames
    prec = np.zeros(n, np.int8)  # 0 none, 1 place, 2 district, 3 province
    score = np.full(n, np.nan)
    status = np.full(n, _UNLOCATED, np.int8)
    issue = np.full(n, None, dtype=object)
    px, py = np.full(n, np.nan), np.full(n, np.nan)

    # 1. coordinates, located in one vectorized call
    usable = given & ~bad & ~src_unlocated
    idx = np.flatnonzero(usable)
    where = locate(x[idx], y[idx])
    ok = where["status"].cat.codes.to_numpy() == 0
    hit = idx[ok]
    prov[hit] = _codes(where["province"], pnames)[ok]
    dist[hit] = _codes(where["district"], dnames)[ok]
    prec[hit] = np.where(src[hit] > 0, src[hit], 1)
    dist[hit[prec[hit] == 3]] = -1
    px[hit], py[hit], score[hit] = x[hit], y[hit], 1.0
    status[hit] = np.where(prec[hit] == 3, _PROVINCE_ONLY, _LOCATED)
    differs = hit[(stated_p[hit] >= 0) & (stated_p[hit] != prov[hit])]
    issue[differs] = [
        f"stated province {pnames[s]} but coordinates fall in {pnames[p]}"
        for s, p in zip(stated_p[differs], prov[differs], strict=True)
    ]
    ddiff = hit[(stated_d[hit] >= 0) & (prec[hit] == 1) & (stated_p[hit] == prov[hit])]
    ddiff = ddiff[dname[stated_d[ddiff]] != dist[ddiff]]
    issue[ddiff] = [
        f"stated district {dnames[dname[s]]} but coordinates fall in {dnames[d]}"
        for s, d in zip(stated_d[ddiff], dist[ddiff], strict=True)
    ]
    text = {"outside": "coordinates outside Afghanistan", "swapped?": "lat/lon look swapped"}
    problems = where["status"][~ok].astype(object).map(text).fillna("coordinates are not valid")
    issue[idx[~ok]] = problems.to_numpy(object)
    issue[bad] = "coordinates are incomplete or not numbers"
    issue[given & src_unlocated] = "source precision: only a region or the country is known"
    tried_coordinates = given & ~src_unlocated
    tried_coordinates[hit] = False

    # 2. names of the remaining rows: place (geocoded), stated district, stated province
    todo = np.flatnonzero(status == _UNLOCATED)
    named = todo[place[todo] != None] if geocode else todo[:0]  # noqa: E711
    if len(named):
        hint_p: np.ndarray = np.r_[pnames.to_numpy(object), None][stated_p[named]]
        hint_d: np.ndarray = np.where(stated_d[named] >= 0, dtext[named], _NONE)
        show = _auto_progress(len(set(place[named]))) if progress is None else progress
        geo = _geocode_rows(place[named], hint_p, hint_d, progress=show)
        found = (geo["status"] == "matched").to_numpy(bool)
        levels = geo["precision"].map({"place": 1, "district": 2, "province": 3})
        level = np.maximum(levels.fillna(0).to_numpy(np.int8), src[named])
        sel = named[found]
        prov[sel] = _codes(geo["province"][found], pnames)
        dist[sel] = np.where(level[found] < 3, _codes(geo["district"][found], dnames), -1)
        prec[sel] = level[found]
        score[sel] = geo["score"][found].to_numpy(float)
        px[sel] = geo["lon"][found].to_numpy(float)
        py[sel] = geo["lat"][found].to_numpy(float)
        coarse = sel[level[found] == 3]
        px[coarse], py[coarse] = rep_x[prov[coarse]], rep_y[prov[coarse]]
        status[sel] = np.where(level[found] == 3, _PROVINCE_ONLY, _GEOCODED)
        miss = ~found
        fails = [
            f"place {name!r} is ambiguous; give its province"
            if st == "ambiguous"
            else f"place {name!r} not found" + (f" in {hint}" if hint else "")
            for name, st, hint in zip(
                place[named][miss], geo["status"][miss], hint_p[miss], strict=True
            )
        ]
        _add_issue(issue, named[miss], fails)
    todo = np.flatnonzero(status == _UNLOCATED)
    by_district = todo[(stated_d[todo] >= 0) & (src[todo] != 3)]
    prov[by_district] = dprov[stated_d[by_district]]
    dist[by_district] = dname[stated_d[by_district]]
    px[by_district] = rep_x[len(pnames) + stated_d[by_district]]
    py[by_district] = rep_y[len(pnames) + stated_d[by_district]]
    prec[by_district], score[by_district], status[by_district] = 2, 1.0, _GEOCODED
    todo = np.flatnonzero(status == _UNLOCATED)
    by_province = todo[stated_p[todo] >= 0]
    prov[by_province] = stated_p[by_province]
    px[by_province], py[by_province] = rep_x[prov[by_province]], rep_y[prov[by_province]]
    prec[by_province], score[by_province], status[by_province] = 3, 1.0, _PROVINCE_ONLY
    unknown = (ptext != None) & (stated_p < 0)  # noqa: E711
    _add_issue(issue, np.flatnonzero(unknown), [f"unknown province {t!r}" for t in ptext[unknown]])
    status[(status == _UNLOCATED) & tried_coordinates] = _INVALID

    # 3. the result: input columns, then ours
    geometry_name = getattr(frame, "_geometry_column_name", None)
    out = pd.DataFrame(frame.drop(columns=geometry_name) if geometry_name else frame, copy=True)
    out = out.rename(
        columns={c: f"{c}_input" for c in out.columns if c in (*ADDED_COLUMNS, "geometry")}
    )
    added = {
        "place": place,
        "province": pd.Categorical.from_codes(prov, categories=pnames),
        "district": pd.Categorical.from_codes(dist, categories=dnames),
        "precision": pd.Categorical.from_codes(
            prec.astype(np.int16) - 1, categories=pd.Index(PRECISIONS)
        ),
        "score": score,
        "status": pd.Categorical.from_codes(status, categories=pd.Index(STATUSES)),
        "issue": issue,
    }
    for name, values in added.items():
        dtype = object if name in ("place", "issue") else None
        out[name] = pd.Series(values, index=out.index, dtype=dtype)
    points = np.full(n, None, dtype=object)
    has_point = ~np.isnan(px)
    points[has_point] = shapely.points(px[has_point], py[has_point])
    result = geopandas.GeoDataFrame(
        out, geometry=geopandas.GeoSeries(points, index=out.index, crs=4326)
    )
    result.attrs["afghangeo_columns"] = {k: str(v) for k, v in roles.items()}
    return result


def _add_issue(issue: np.ndarray, rows: np.ndarray, texts: list[str]) -> None:
    for row, text in zip(rows, texts, strict=True):
        issue[row] = text if issue[row] is None else f"{issue[row]}; {text}"
