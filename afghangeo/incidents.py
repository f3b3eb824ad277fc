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

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from afghangeo import _placement as phase
from afghangeo._columns import detect_columns, load_table
from afghangeo._compat import import_optional, is_dask
from afghangeo._csv import without_surrogates
from afghangeo._vocab import PLACEMENT_STATUSES, PRECISIONS, Level
from afghangeo.admin import admin_index, normalize_province
from afghangeo.errors import InvalidInputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ADDED_COLUMNS", "read_incidents"]

ADDED_COLUMNS = (
    "place", "province", "district", "precision", "score", "status", "issue", "point",
)  # fmt: skip
DATE_COLUMNS = ("date", "date_end")


def read_incidents(
    source: Any,
    *,
    columns: Mapping[str, Hashable | None] | None = None,
    geocode: bool = True,
    progress: bool | None = None,
    default_province: str | None = None,
    encoding: str | None = None,
    on_bad_rows: Literal["raise", "skip"] = "raise",
    area_geometry: Literal["polygon", "none"] = "polygon",
    fallback: Any = None,
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
    default_province : str, optional
        The province (any spelling) of rows that state none, e.g. a table of one
        province's villages; rows that state a province keep theirs.
    encoding : str, optional
        The encoding of a text file that is not UTF-8 (e.g. ``"cp1256"``); by default
        UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32 are recognised
        and anything else is an error that says so.
    area_geometry : {"polygon", "none"}, default "polygon"
        The geometry of rows known only to their district or province: that area's
        polygon, or None. Either way no area-precision row gets a point that would
        pass for an exact place; the ``point`` column has a representative point
        (inside the area) for every located row, for maps and distances.
    fallback : callable, optional
        An opt-in online geocoder (:class:`~afghangeo.OnlineFallback`) asked only for
        place names the local geocoder does not answer; see
        :func:`~afghangeo.geocode_many`. Off by default.
    on_bad_rows : {"raise", "skip"}, default "raise"
        What to do with rows of a text file that cannot be read (too many fields):
        raise an error that names them, or leave them out with a
        :class:`~afghangeo.DroppedRowsWarning` that counts them.

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
    if columns is not None and not isinstance(columns, Mapping):
        msg = f"columns must be a mapping of role -> column, got {type(columns).__name__}."
        raise InvalidInputError(msg)
    fill = normalize_province(default_province) if default_province is not None else None
    if area_geometry not in ("polygon", "none"):
        msg = f"area_geometry must be 'polygon' or 'none', got {area_geometry!r}."
        raise InvalidInputError(msg)
    if is_dask(source):
        if fallback is not None:
            msg = "fallback= is not supported on dask tables; geocode the names first."
            raise InvalidInputError(msg)
        return _read_dask(source, columns=columns, geocode=geocode, fill=fill, areas=area_geometry)
    frame = without_surrogates(load_table(source, encoding=encoding, on_bad_rows=on_bad_rows))
    roles = detect_columns(_coordinate_columns(frame), columns)
    return _resolve(
        frame, roles, geocode=geocode, progress=progress, fill=fill, areas=area_geometry,
        fallback=fallback,
    )  # fmt: skip


def _coordinate_columns(frame: pd.DataFrame) -> list[Hashable]:
    """Column names, without the active geometry (handled on its own)."""
    geometry = getattr(frame, "_geometry_column_name", None)
    return [c for c in frame.columns if c != geometry]


def _read_dask(source: Any, *, columns: Any, geocode: bool, fill: str | None, areas: str) -> Any:
    import_optional("dask_geopandas", extra="dask")
    roles = detect_columns(_coordinate_columns(source._meta), columns)
    options: dict[str, Any] = {"geocode": geocode, "progress": False, "fill": fill, "areas": areas}
    meta = _resolve(source._meta, roles, **options)
    return source.map_partitions(_resolve, roles, meta=meta, **options)


def _coordinates(frame: pd.DataFrame, roles: dict[str, Hashable]) -> tuple[np.ndarray, ...]:
    """(x, y, given): NaN where absent or unusable; given = some coordinate was written."""
    n = len(frame)
    if "lat" in roles:
        raw = [frame[roles["lon"]], frame[roles["lat"]]]
        x, y = (pd.to_numeric(r, errors="coerce").to_numpy(float, na_value=np.nan) for r in raw)
        if all(pd.api.types.is_numeric_dtype(r) for r in raw):
            return x, y, ~(np.isnan(x) & np.isnan(y))
        given = np.zeros(n, bool)
        for r in raw:
            given |= ~(r.isna() | r.astype(str).str.strip().eq("")).to_numpy(bool)
        return x, y, given
    if getattr(frame, "_geometry_column_name", None) is not None:
        import shapely

        geoms = frame.geometry
        if geoms.crs is not None and not geoms.crs.equals("EPSG:4326"):
            geoms = geoms.to_crs(4326)
        values = geoms.to_numpy()
        given = ~(pd.isna(values) | shapely.is_empty(values))
        point = given & (shapely.get_type_id(values) == 0)
        pts: Any = np.where(point, values, np.array(None, dtype=object))
        x = np.where(point, shapely.get_x(pts), np.nan).astype(float)
        y = np.where(point, shapely.get_y(pts), np.nan).astype(float)
        return x, y, given
    nan = np.full(n, np.nan)
    return nan, nan.copy(), np.zeros(n, bool)


def _with_default_province(
    frame: pd.DataFrame, roles: dict[str, Hashable], fill: str
) -> tuple[pd.DataFrame, dict[str, Hashable]]:
    column = roles.get("province", "province")
    frame = frame.copy()
    if column in frame.columns:
        stated = frame[column].astype(object)
        empty = stated.map(lambda v: not (isinstance(v, str) and v.strip()))
        frame[column] = stated.where(~empty, fill)
    else:
        frame[column] = fill
    return frame, {**roles, "province": column}


def _resolve(
    frame: pd.DataFrame,
    roles: dict[str, Hashable],
    *,
    geocode: bool,
    progress: bool | None,
    fill: str | None = None,
    areas: str = "polygon",
    fallback: Any = None,
) -> gpd.GeoDataFrame:
    """The work of :func:`read_incidents` on one in-memory table."""
    source = frame
    if fill is not None:
        frame, roles = _with_default_province(frame, roles, fill)
    x, y, given = _coordinates(frame, roles)
    stated = phase.Stated.read(frame, roles)
    work = phase.Placement(len(frame))
    phase.by_coordinates(work, stated, x, y, given)
    if geocode:
        phase.by_names(work, stated, progress=progress, fallback=fallback)
    phase.by_admin_columns(work, stated)
    tried = given & ~stated.src_unlocated
    work.status[(work.status == phase.UNLOCATED) & tried] = phase.INVALID
    dates = _dates(frame, roles)
    raw = frame[roles["date"]] if "date" in dates else None
    if raw is not None and not pd.api.types.is_datetime64_any_dtype(raw.dtype):
        missing = np.flatnonzero(dates["date"].isna().to_numpy())
        given = phase.strings(raw.iloc[missing]).astype(bool)  # only the rows that failed
        bad = missing[given]
        work.add_issue(bad, [f"date {str(v)[:40]!r} is not a date" for v in raw.iloc[bad]])
    return _to_frame(source, roles, work, stated.place, dates, areas=areas)


def _dates(frame: pd.DataFrame, roles: dict[str, Hashable]) -> dict[str, pd.Series]:
    """Canonical ``date`` (and ``date_end`` where a range is given) as datetime64.

    Day precision; a value that is no date becomes NaT (the raw column is kept, as
    ``date_input`` when it was itself called ``date``).
    """
    out: dict[str, pd.Series] = {}
    sources = {"date": roles.get("date"), "date_end": _end_column(frame)}
    for name, column in sources.items():
        if column is not None and column in frame.columns:
            out[name] = _as_days(frame[column])
    return out


def _end_column(frame: pd.DataFrame) -> Hashable | None:
    lower = {str(c).lower(): c for c in frame.columns}
    return next((lower[c] for c in ("date_end", "end_date", "date_to") if c in lower), None)


def _as_days(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.dt.tz_localize(None) if values.dt.tz is not None else values
    else:
        text = values.astype(object).where(values.notna(), None)
        out = pd.to_datetime(text, errors="coerce", format="mixed")
    return out.astype("datetime64[ns]").dt.normalize()


def _honest_geometry(work: phase.Placement, points: np.ndarray, *, areas: str) -> np.ndarray:
    """The geometry each row has earned: a point, an area's polygon, or None.

    A point where the place is known; the district or province polygon where only the
    area is (None with ``areas="none"``); None where nothing is.
    """
    from afghangeo import _data

    shapes: np.ndarray = np.where(work.prec == Level.PLACE, points, np.array(None, dtype=object))
    if areas == "none":
        return shapes
    index = admin_index()
    district = np.flatnonzero((work.prec == Level.DISTRICT) & (work.dist >= 0))
    rows = index.district_rows(work.prov[district], work.dist[district])
    polygons = _data.read_layer("districts").geometry.to_numpy()
    found = rows >= 0
    shapes[district[found]] = polygons[rows[found]]
    province = np.flatnonzero(
        ((work.prec == Level.PROVINCE) | ((work.prec == Level.DISTRICT) & (work.dist < 0)))
        & (work.prov >= 0)
    )
    shapes[province] = _data.read_layer("provinces").geometry.to_numpy()[work.prov[province]]
    return shapes


def _to_frame(
    frame: pd.DataFrame,
    roles: dict[str, Hashable],
    work: phase.Placement,
    place: np.ndarray,
    dates: dict[str, pd.Series],
    *,
    areas: str,
) -> gpd.GeoDataFrame:
    """The result: the input columns, then ours, and a point geometry."""
    import geopandas
    import shapely

    index = admin_index()
    geometry_name = getattr(frame, "_geometry_column_name", None)
    out = pd.DataFrame(frame.drop(columns=geometry_name) if geometry_name else frame, copy=True)
    renamed = (*ADDED_COLUMNS, "geometry", *dates)
    out = out.rename(columns={c: f"{c}_input" for c in out.columns if c in renamed})
    added = {
        "place": pd.Series(place, index=out.index, dtype=object),
        "province": pd.Categorical.from_codes(work.prov, categories=index.provinces),
        "district": pd.Categorical.from_codes(work.dist, categories=index.district_names),
        "precision": pd.Categorical.from_codes(
            work.prec.astype(np.int16) - 1, categories=pd.Index(PRECISIONS)
        ),
        "score": work.score,
        "status": pd.Categorical.from_codes(work.status, categories=pd.Index(PLACEMENT_STATUSES)),
        "issue": pd.Series(work.issue, index=out.index, dtype=object),
    }
    added.update(dates)
    for name, values in added.items():
        out[name] = (
            pd.Series(values, index=out.index) if not isinstance(values, pd.Series) else values
        )
    points = np.full(len(out), None, dtype=object)
    has_point = ~np.isnan(work.x)
    points[has_point] = shapely.points(work.x[has_point], work.y[has_point])
    out["point"] = geopandas.GeoSeries(points, index=out.index, crs=4326)
    shapes = _honest_geometry(work, points, areas=areas)
    result = geopandas.GeoDataFrame(
        out, geometry=geopandas.GeoSeries(shapes, index=out.index, crs=4326)
    )
    result.attrs["afghangeo_columns"] = {k: str(v) for k, v in roles.items()}
    return result
