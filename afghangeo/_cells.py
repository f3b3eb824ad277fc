"""Cleaning the cells of a table for one output format (see :mod:`afghangeo._output`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from afghangeo._csv import replace_surrogates
from afghangeo.errors import InvalidInputError

__all__ = ["FORMULA_PREFIXES", "KEEP_GEOMETRY", "neutralize_formula", "prepared"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FOR_PEOPLE = frozenset({"csv", "xlsx", "table"})
KEEP_GEOMETRY = frozenset({"geojson", "gpkg", "parquet"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LINE_BREAK = re.compile("\r\n?|\n")
_EXCEL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralize_formula(text: str) -> str:
    r"""`text`, with ``'`` in front if a spreadsheet would read it as a formula.

    Examples
    --------
    >>> neutralize_formula('=HYPERLINK("http://x")'), neutralize_formula("-5")
    ('\'=HYPERLINK("http://x")', '-5')
    >>> neutralize_formula("Kabul")
    'Kabul'
    """
    if text.startswith(FORMULA_PREFIXES) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _text_cleaner(fmt: str, neutralize: bool) -> tuple[Callable[[str], str], str]:
    """A function that cleans a text cell for `fmt`, and a pattern of the cells it changes.

    The pattern is for pandas string columns, which cannot hold lone surrogates.
    """
    steps: list[Callable[[str], str]] = [replace_surrogates]
    touched = []
    if fmt == "xlsx":
        steps.append(lambda text: _EXCEL_ILLEGAL.sub("\ufffd", text))
        touched.append(_EXCEL_ILLEGAL.pattern)
    if fmt == "csv":
        steps.append(lambda text: _LINE_BREAK.sub("\n", text) if "\r" in text else text)
        steps.append(lambda text: text.replace("\x00", "\ufffd"))
        touched.append("[\r\x00]")
    if fmt == "table":
        steps.append(lambda text: _LINE_BREAK.sub(" ", text))
        touched.append("[\r\n]")
    if neutralize and fmt in _FOR_PEOPLE:
        steps.append(neutralize_formula)
        touched.append("^[=+\\-@\t\r]")

    def clean(text: str) -> str:
        for step in steps:
            text = step(text)
        return text

    return clean, "|".join(touched)


def _is_geometry(values: pd.Series) -> bool:
    return str(values.dtype) == "geometry"


def _wkt(values: pd.Series) -> pd.Series:
    from shapely import is_empty, to_wkt

    geoms = values.to_numpy().copy()
    geoms[is_empty(geoms)] = None
    text = to_wkt(geoms, rounding_precision=6)
    return pd.Series(text, index=values.index, dtype=object, name=values.name)


def _clean_strings(values: pd.Series, clean: Callable[[str], str], touched: str) -> pd.Series:
    """A pandas string column cleaned: only the cells `touched` finds go through Python."""
    if not touched:
        return values
    found = values.str.contains(touched, regex=True, na=False).to_numpy(bool)
    if not found.any():
        return values
    out = values.astype(object)
    out[found] = out[found].map(clean)
    return out


def _clean_column(
    values: pd.Series, fmt: str, cleaner: tuple[Callable[[str], str], str]
) -> pd.Series:
    from shapely.geometry.base import BaseGeometry

    if _is_geometry(values):
        return _wkt(values)
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if fmt == "xlsx" and isinstance(values.dtype, pd.DatetimeTZDtype):
        naive: pd.Series = values.dt.tz_localize(None)
        return naive
    if fmt == "geojson" and pd.api.types.is_datetime64_any_dtype(values.dtype):
        iso = values.map(lambda t: None if pd.isna(t) else t.isoformat())
        return iso.astype(object)
    clean, touched = cleaner
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        return _clean_strings(values, clean, touched)
    if values.dtype == object or pd.api.types.is_string_dtype(values.dtype):

        def cell(value: Any) -> Any:
            if isinstance(value, str):
                return clean(value)
            if isinstance(value, BaseGeometry) and fmt not in KEEP_GEOMETRY:
                return value.wkt
            return value

        return values.astype(object).map(cell)
    return values


def prepared(frame: pd.DataFrame, fmt: str, neutralize: bool) -> pd.DataFrame:
    """A copy of `frame` with its cells cleaned for `fmt`, and a fresh index."""
    cleaner = _text_cleaner(fmt, neutralize)
    clean = cleaner[0]
    active = getattr(frame, "_geometry_column_name", None) if fmt in KEEP_GEOMETRY else None
    if active not in frame.columns:
        active = None
    if active is None and fmt in ("geojson", "gpkg"):
        msg = (
            f"format {fmt!r} needs a GeoDataFrame with a geometry column; write this table "
            "as csv, json, parquet or xlsx."
        )
        raise InvalidInputError(msg)
    names = [clean(c) if isinstance(c, str) else c for c in frame.columns]
    columns = {}
    for pos, name in enumerate(frame.columns):
        values = frame.iloc[:, pos]
        geometry = name == active or (fmt == "parquet" and _is_geometry(values))
        columns[pos] = (
            values if active is not None and geometry else _clean_column(values, fmt, cleaner)
        )
    out = pd.DataFrame(columns, index=frame.index).reset_index(drop=True)
    out.columns = pd.Index(names, dtype=object)
    if active is None:
        return out
    import geopandas

    geo = geopandas.GeoDataFrame(out, geometry=names[list(frame.columns).index(active)])
    crs = getattr(frame, "crs", None)
    if geo.crs is None and crs is not None:
        geo = geo.set_crs(crs)
    result: pd.DataFrame = geo
    return result
