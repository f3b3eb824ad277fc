r"""Writing tables: CSV, JSON, GeoJSON, GeoPackage, Parquet, Excel, or a terminal display.

The same table always gives the same bytes. What :func:`write_table` does to the cells:

- Text for people (``csv``, ``xlsx``, ``table``): a text cell or column name that
  starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, and is not a
  number such as ``-5`` or ``+1.5e3``, gets a ``'`` in front, so that a spreadsheet
  shows it instead of running it as a formula (OWASP "CSV injection"). Pass
  ``neutralize=False`` for files that programs read.
- Line breaks in a text cell: ``\n`` in ``csv`` (a carriage return would end the row
  for most readers), a space in ``table``. A NUL character in ``csv`` becomes U+FFFD
  (readers take it for a binary file).
- Every format: a lone surrogate (text that cannot be encoded as UTF-8, e.g. from
  bytes decoded with ``surrogateescape``) becomes U+FFFD; ``xlsx`` also replaces the
  control characters that Excel files cannot hold.
- Geometry: ``geojson``, ``gpkg`` and ``parquet`` keep it (GeoJSON in EPSG:4326); the
  others write each geometry column as WKT text (6 decimals), empty where missing.
- Numbers stay numbers; missing values are empty cells (``null`` in JSON); an Excel
  sheet cannot hold time zones, so times are written as the local time they show.
- ``table`` (for terminals) shows at most 60 characters of a cell.
- The index is not written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd

from afghangeo._cells import FORMULA_PREFIXES, neutralize_formula, prepared
from afghangeo._compat import import_optional
from afghangeo._files import write_atomic
from afghangeo.errors import AfghangeoError, DataError, InvalidInputError

__all__ = [
    "FORMATS",
    "FORMULA_PREFIXES",
    "SUFFIXES",
    "neutralize_formula",
    "output_format",
    "render_table",
    "write_table",
]

FORMATS = ("csv", "json", "geojson", "gpkg", "parquet", "xlsx", "table")
SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".geojson": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}
_WIDEST = 60  # characters of a cell shown by format="table"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # in Excel files, instead of the time of writing
_FIXED_DATE = "2000-01-01T00:00:00Z"  # in Excel properties and GeoPackages
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def output_format(target: Any, format: str | None = None) -> str:
    """The format `write_table` would use for `target`.

    Given `format` wins; a path goes by its suffix; standard output (``"-"`` or a
    stream) gets ``"table"`` when it is a terminal and ``"csv"`` otherwise.

    Raises
    ------
    InvalidInputError
        If `format` is unknown, or the path's suffix names no format.

    Examples
    --------
    >>> output_format("counts.geojson"), output_format("x.txt", "table")
    ('geojson', 'table')
    """
    if format is not None:
        if format not in FORMATS:
            msg = f"Unknown output format {format!r}; use one of {', '.join(FORMATS)}."
            raise InvalidInputError(msg)
        return format
    if target == "-" or hasattr(target, "write"):
        stream = sys.stdout if target == "-" else target
        isatty = getattr(stream, "isatty", None)
        return "table" if callable(isatty) and isatty() else "csv"
    if not isinstance(target, (str, os.PathLike)):
        msg = f"Write a table to a path, '-' or a text stream, not {type(target).__name__}."
        raise InvalidInputError(msg)
    suffix = Path(os.fspath(target)).suffix.lower()
    if suffix not in SUFFIXES:
        msg = (
            f"Cannot tell the output format of {os.fspath(target)!r} from its suffix "
            f"{suffix!r}; end the name with one of {', '.join(SUFFIXES)}, or choose a "
            f"format ({', '.join(FORMATS)})."
        )
        raise InvalidInputError(msg)
    return SUFFIXES[suffix]


# --- rendering ---------------------------------------------------------------------------


def _table_text(frame: pd.DataFrame) -> str:
    if frame.shape[1] == 0:
        return ""
    if frame.empty:
        return "  ".join(map(str, frame.columns)) + "\n"
    shown = frame.astype(object).where(frame.notna(), "")  # None and NaN alike: empty
    return str(shown.to_string(index=False, max_colwidth=_WIDEST)) + "\n"


def _json_text(frame: pd.DataFrame) -> str:
    if frame.columns.has_duplicates:
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        msg = f"JSON needs distinct column names; rename {', '.join(map(repr, dupes))}."
        raise InvalidInputError(msg)
    text = frame.to_json(
        orient="records", force_ascii=False, date_format="iso", double_precision=15
    )
    return f"{text}\n"


def _geojson_text(frame: Any) -> str:
    wgs84 = frame.crs is not None and frame.crs.to_epsg() != 4326
    text: str = frame.to_json(drop_id=True, to_wgs84=wgs84, ensure_ascii=False)
    return f"{text}\n"


def _fixed_zip(data: bytes) -> bytes:
    """The xlsx `data` with the time of writing replaced by a fixed one."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>" + _FIXED_DATE.encode(), body)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            dst.writestr(entry, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    import_optional("openpyxl")
    limit = 1_048_575  # rows of an Excel sheet, less the header
    if len(frame) > limit:
        msg = (
            f"An Excel sheet holds at most {limit:,} rows, this table has {len(frame):,}; "
            "use csv or parquet."
        )
        raise InvalidInputError(msg)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return _fixed_zip(buffer.getvalue())


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    import_optional("pyarrow", extra="parquet")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


@contextlib.contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    import pyogrio

    before = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_DATE})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": before})


def _gpkg_bytes(frame: pd.DataFrame, layer: str) -> bytes:
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="afghangeo-") as folder:
        path = Path(folder) / "out.gpkg"
        with _fixed_gdal_date():
            pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
        return path.read_bytes()


def render_table(
    frame: pd.DataFrame, format: str, *, neutralize: bool = True, layer: str = "table"
) -> str | bytes:
    r"""The content `write_table` writes: text for csv/json/geojson/table, else bytes.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        The table; not changed.
    format : str
        One of :data:`FORMATS`.
    neutralize : bool, default True
        Defuse formula-like text in csv, xlsx and table output.
    layer : str, default "table"
        The layer name inside a GeoPackage.

    Raises
    ------
    InvalidInputError
        If `format` is unknown, or the table does not fit it (geojson/gpkg without
        geometry, xlsx with too many rows, Parquet with a column of mixed types ...).

    Examples
    --------
    >>> render_table(pd.DataFrame({"place": ["=1+2", "Nawa"], "killed": [-5, None]}), "csv")
    "place,killed\n'=1+2,-5.0\nNawa,\n"
    """
    fmt = output_format(None, format)
    table = prepared(frame, fmt, neutralize)
    render: dict[str, Callable[[Any], str | bytes]] = {
        "csv": lambda t: str(t.to_csv(index=False, lineterminator="\n")),
        "json": _json_text,
        "table": _table_text,
        "geojson": _geojson_text,
        "xlsx": _xlsx_bytes,
        "parquet": _parquet_bytes,
        "gpkg": lambda t: _gpkg_bytes(t, layer),
    }
    try:
        return render[fmt](table)
    except (ImportError, AfghangeoError, MemoryError):
        raise
    except Exception as err:  # pyarrow, pyogrio and openpyxl refusing a value
        text = " ".join(str(err).split())[:160]
        msg = (
            f"Cannot write this table as {fmt}: {text}. Try csv, or convert the column "
            "with .astype(str)."
        )
        raise InvalidInputError(msg) from err


def _write_stream(stream: IO[Any], data: str | bytes) -> None:
    if isinstance(data, str):
        stream.write(data)
    else:
        binary = getattr(stream, "buffer", None)
        if binary is None:
            msg = "This format is binary; give a file name, or use csv, json, geojson or table."
            raise InvalidInputError(msg)
        stream.flush()
        binary.write(data)
        binary.flush()
    stream.flush()


def write_table(
    frame: pd.DataFrame,
    target: str | os.PathLike[str] | IO[Any],
    *,
    format: str | None = None,
    neutralize: bool = True,
) -> None:
    r"""Write `frame` to a file (atomically) or to standard output.

    Parameters
    ----------
    frame : pandas.DataFrame or geopandas.GeoDataFrame
        The table; not changed. The index is not written.
    target : str, path-like or text stream
        A path, ``"-"`` for standard output, or an open text stream (binary
        formats go to its ``.buffer``).
    format : {"csv", "json", "geojson", "gpkg", "parquet", "xlsx", "table"}, optional
        Default: from the path's suffix (``.csv``, ``.json``, ``.geojson``, ``.gpkg``,
        ``.parquet``, ``.xlsx``); for standard output ``"table"`` on a terminal,
        else ``"csv"``.
    neutralize : bool, default True
        Put ``'`` before text that a spreadsheet would run as a formula, in csv,
        xlsx and table output (see the module docstring). False for programs.

    Raises
    ------
    InvalidInputError
        If the format is unknown or cannot be told from the suffix, or the table
        does not fit the format.
    DataError
        If the file cannot be written (missing folder, no permission, disk full).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> write_table(pd.DataFrame({"place": ["@SUM(A1)"], "lat": [-34.5]}), path)
    >>> path.read_text()
    "place,lat\n'@SUM(A1),-34.5\n"
    >>> write_table(pd.DataFrame({"a": [1]}), path.with_suffix(".txt"))
    Traceback (most recent call last):
    afghangeo.errors.InvalidInputError: Cannot tell the output format of '...out.txt' ...
    """
    fmt = output_format(target, format)
    if isinstance(target, (str, os.PathLike)) and target != "-":
        path = os.fspath(target)
        data = render_table(frame, fmt, neutralize=neutralize, layer=Path(path).stem or "table")
        try:
            write_atomic(path, data)
        except OSError as err:
            msg = f"Cannot write {path!r}: {err.strerror or err}."
            raise DataError(msg) from err
        return
    stream: IO[Any] = sys.stdout if isinstance(target, str) else target
    _write_stream(stream, render_table(frame, fmt, neutralize=neutralize))
