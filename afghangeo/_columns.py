"""Reading incident tables: file formats, and which column plays which role.

:func:`load_table` reads a file by its suffix. Text tables go through
:func:`afghangeo._csv.read_csv` (encodings, delimiters, trailing commas, bad rows);
a damaged Excel, Parquet, GeoJSON or GeoPackage file raises one
:class:`~afghangeo.errors.DataError` line naming the file, never the reading
library's own exception. Lone surrogates in text cells become U+FFFD.

Detection knows ACLED exports (``event_date``, ``location``, ``admin1``, ``admin2``,
``latitude``, ``longitude``, ``geo_precision``, ``fatalities``, ``notes``), UCDP GED
(``date_start``, ``where_coordinates``, ``adm_1``, ``adm_2``, ``where_prec``,
``best``) and plain tables (``place``, ``province``, ``district``, ``date``,
``killed`` ...). Column names are compared case-insensitively with spaces, dashes
and dots read as underscores.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from afghangeo._compat import import_optional
from afghangeo._csv import SAMPLE_BYTES, BadRows, one_line, read_csv, without_surrogates
from afghangeo.errors import AfghangeoError, DataError, InvalidInputError

__all__ = [
    "ROLES",
    "TEXT_SUFFIXES",
    "detect_columns",
    "load_table",
    "parse_dates",
    "precision_codes",
]

TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_PARQUET = (".parquet", ".pq")
_VECTOR = {  # suffix: what the file is, for messages
    ".geojson": "GeoJSON file",
    ".json": "GeoJSON file",
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".fgb": "FlatGeobuf file",
    ".gml": "GML file",
    ".kml": "KML file",
}

# Each role and the column names that take it, most specific first.
ROLES: dict[str, tuple[str, ...]] = {
    "date": ("event_date", "date_start", "date", "incident_date", "start_date", "day"),
    "place": (
        "location",
        "where_coordinates",
        "place",
        "place_name",
        "location_name",
        "village",
        "town",
        "city",
        "where",
    ),
    "province": ("admin1", "adm_1", "province", "province_name", "prov", "wilayat", "adm1"),
    "district": ("admin2", "adm_2", "district", "district_name", "wuluswali", "adm2"),
    "lat": ("latitude", "lat", "y"),
    "lon": ("longitude", "lon", "lng", "long", "x"),
    "precision": ("geo_precision", "where_prec", "precision", "geo_prec"),
    "weight": ("fatalities", "best", "killed", "deaths", "dead", "casualties"),
    "notes": ("notes", "description", "summary", "source_article"),
}
_WHERE_FIRST = ("place", "province", "district", "lat", "lon")


def _fold(column: object) -> str:
    return re.sub(r"[\s\-.]+", "_", str(column).strip().lower())


def _check_overrides(overrides: Mapping[str, Hashable], present: list[Hashable]) -> None:
    for role, column in overrides.items():
        if role not in ROLES:
            msg = f"Unknown column role {role!r} in columns=; use one of {sorted(ROLES)}."
            raise InvalidInputError(msg)
        if column is not None and column not in present:
            msg = f"columns= maps {role!r} to {column!r}, which is not among {present!r}."
            raise InvalidInputError(msg)


def _check_found(found: Mapping[str, Hashable], present: list[Hashable]) -> None:
    has_coords = "lat" in found and "lon" in found
    if not has_coords and not any(r in found for r in ("place", "province", "district")):
        msg = (
            f"Cannot tell where the incidents are: no place, province, district or "
            f"latitude/longitude column among {present!r}. Name the columns (e.g. "
            "'location', 'province', 'latitude', 'longitude') or map them with "
            "columns={'place': ..., 'province': ..., 'lat': ..., 'lon': ...}."
        )
        raise InvalidInputError(msg)
    if ("lat" in found) != ("lon" in found):
        have, miss = ("lat", "lon") if "lat" in found else ("lon", "lat")
        msg = (
            f"Found a {have} column ({found[have]!r}) but no {miss} column among "
            f"{present!r}; map it with columns={{{miss!r}: ...}} or drop it with "
            f"columns={{{have!r}: None}}."
        )
        raise InvalidInputError(msg)


def detect_columns(
    columns: pd.Index | list[Hashable], overrides: Mapping[str, Hashable] | None = None
) -> dict[str, Hashable]:
    """Map roles to column names; `overrides` (role -> column, or None to drop) win.

    Raises
    ------
    InvalidInputError
        If an override names an unknown role or a missing column, or if the table has
        neither a place/province/district column nor latitude and longitude.

    Examples
    --------
    >>> detect_columns(["event_date", "location", "admin1", "latitude", "longitude"])
    {'date': 'event_date', 'place': 'location', 'province': 'admin1', 'lat': 'latitude',
     'lon': 'longitude'}
    >>> detect_columns(["Where", "Killed"], {"place": "Where"})
    {'place': 'Where', 'weight': 'Killed'}
    """
    present = list(columns)
    folded: dict[str, Hashable] = {}
    for column in present:
        folded.setdefault(_fold(column), column)
    found: dict[str, Hashable] = {}
    taken: set[Hashable] = set()
    overrides = dict(overrides or {})
    _check_overrides(overrides, present)
    for role, names in ROLES.items():
        if role in overrides:
            if overrides[role] is not None:
                found[role] = overrides[role]
                taken.add(overrides[role])
            continue
        for name in names:
            column = folded.get(name)
            if column is not None and column not in taken and column not in overrides.values():
                found[role] = column
                taken.add(column)
                break
    _check_found(found, present)
    return {role: found[role] for role in ROLES if role in found}


def precision_codes(values: pd.Series, column: Hashable) -> tuple[np.ndarray, np.ndarray]:
    """(precision code 0 none/1 place/2 district/3 province, source says unlocated).

    Numbers follow the scale the column name announces: UCDP ``where_prec`` (1-2
    place, 3 district, 4 province, 5+ only a region or the country: unlocated); any
    other numeric column follows ACLED ``geo_precision`` (1 place, 2 district, 3
    province). Words (place, district, province ...) are read as such.
    """
    n = len(values)
    code = np.zeros(n, np.int8)
    unlocated = np.zeros(n, bool)
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(float, na_value=np.nan)
    if _fold(column) == "where_prec":
        table = {1: 1, 2: 1, 3: 2, 4: 3}
        with np.errstate(invalid="ignore"):
            unlocated = numbers >= 5
    else:
        table = {1: 1, 2: 2, 3: 3}
    for number, value in table.items():
        code[numbers == number] = value
    words = {"place": 1, "point": 1, "exact": 1, "district": 2, "province": 3}
    texts = values[np.isnan(numbers)]
    if len(texts):
        mapped = texts.astype(object).map(
            lambda v: words.get(v.strip().lower(), 0) if isinstance(v, str) else 0
        )
        code[np.isnan(numbers)] = mapped.to_numpy(np.int8)
    return code, unlocated


def parse_dates(values: Any, column: Hashable = "date") -> pd.Series:
    """Dates of `values` as datetime64 (NaT where empty).

    Raises
    ------
    InvalidInputError
        If some non-empty values are not dates; the message quotes a few.

    Examples
    --------
    >>> parse_dates(pd.Series(["2020-04-23", "23 April 2020", None])).dt.day.tolist()
    [23.0, 23.0, nan]
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.dt.tz_localize(None) if series.dt.tz is not None else series
    try:
        out = pd.to_datetime(series, errors="coerce")
    except (ValueError, TypeError):  # pragma: no cover - pandas version dependent
        out = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    empty = series.isna() | series.astype(str).str.strip().eq("")
    failed = out.isna() & ~empty
    if failed.any():
        # mixed formats: the inferred format fitted the first value, not all of them
        retry = pd.to_datetime(series[failed], errors="coerce", format="mixed")
        out = out.astype("datetime64[ns]")
        out[failed] = retry.astype("datetime64[ns]")
        failed = out.isna() & ~empty
    if failed.any():
        bad = list(dict.fromkeys(series[failed].astype(str)))[:3]
        msg = (
            f"{int(failed.sum())} value(s) of column {column!r} are not dates, e.g. "
            f"{', '.join(map(repr, bad))}; write them as YYYY-MM-DD or map another "
            "column with columns={'date': ...}."
        )
        raise InvalidInputError(msg)
    return out


def _guarded(path: str, kind: str, read: Any) -> pd.DataFrame:
    """`read()`, with any failure of the reading library as one DataError line."""
    try:
        frame: pd.DataFrame = read()
    except (ImportError, AfghangeoError, MemoryError):
        raise
    except Exception as err:  # the parsers raise all sorts (BadZipFile, DataSourceError ...)
        msg = (
            f"Cannot read {path!r}: it is not a readable {kind} ({one_line(err)}); check "
            "that the file is complete, or export it again."
        )
        raise DataError(msg) from err
    return frame


def _read_parquet(path: str) -> pd.DataFrame:
    import_optional("pyarrow", extra="parquet")
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    if b"geo" in (pq.read_schema(path).metadata or {}):
        import geopandas

        geo: pd.DataFrame = geopandas.read_parquet(path)
        return geo
    return pd.read_parquet(path)


def _read_other(path: str, suffix: str) -> pd.DataFrame | None:
    if suffix in _EXCEL:
        import_optional("openpyxl")
        return _guarded(path, "Excel workbook", lambda: pd.read_excel(path))
    if suffix in _PARQUET:
        return _guarded(path, "Parquet file", lambda: _read_parquet(path))
    if suffix == ".json":
        with open(path, "rb") as fh:
            records = fh.read(SAMPLE_BYTES).lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"[")
        if records:  # a list of records, as write_table(format="json") writes
            return _guarded(path, "JSON file", lambda: pd.read_json(path, orient="records"))
    if suffix in _VECTOR:
        import geopandas

        read = lambda: geopandas.read_file(path, engine="pyogrio")  # noqa: E731
        return _guarded(path, _VECTOR[suffix], read)
    return None


def load_table(
    source: Any,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    on_bad_rows: BadRows = "raise",
) -> pd.DataFrame:
    r"""A DataFrame from a path (by its suffix), ``"-"`` (CSV on standard input) or a frame.

    Parameters
    ----------
    source : str, path-like or DataFrame
        A text table (``.csv``, ``.tsv``, ``.tab``, ``.txt``), Excel, Parquet,
        GeoJSON (``.geojson``, or ``.json`` holding GeoJSON or a list of records),
        GeoPackage, Shapefile, FlatGeobuf, GML or KML file; or a (Geo)DataFrame,
        returned as it is (a copy if it held lone surrogates).
    encoding, sep, on_bad_rows
        For text tables only; see :func:`read_csv`.

    Raises
    ------
    DataError
        If the file is missing, empty, damaged or not in the expected format.
    InvalidInputError
        If `source` is not a path or a DataFrame, or its suffix is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "inc.csv"
    >>> _ = path.write_text("location,latitude,longitude\nKabul,34.53,69.17,\n")
    >>> load_table(path).to_dict("list")
    {'location': ['Kabul'], 'latitude': [34.53], 'longitude': [69.17]}
    """
    if isinstance(source, pd.DataFrame):
        return without_surrogates(source)
    if not isinstance(source, (str, os.PathLike)):
        msg = (
            f"read_incidents() needs a path or a (Geo)DataFrame, got "
            f"{type(source).__name__} {source!r}."
        )
        raise InvalidInputError(msg)
    options: dict[str, Any] = {"encoding": encoding, "sep": sep, "on_bad_rows": on_bad_rows}
    path = os.fspath(source)
    if path == "-":
        return read_csv(sys.stdin.buffer.read(), name="standard input", **options)
    if not os.path.exists(path):
        msg = f"No such file: {path!r}."
        raise DataError(msg)
    suffix = os.path.splitext(path)[1].lower()
    frame = read_csv(path, **options) if suffix in TEXT_SUFFIXES else _read_other(path, suffix)
    if frame is None:
        msg = (
            f"Cannot read {path!r}: unknown file type {suffix!r}; use CSV, TSV, Excel, "
            "GeoJSON, GeoPackage or Parquet, or pass a DataFrame."
        )
        raise InvalidInputError(msg)
    return without_surrogates(frame)
