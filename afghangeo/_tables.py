"""Reading table files leniently, and saying plainly what is wrong with a bad one.

Text tables (``.csv``, ``.tsv``, ``.tab``, ``.txt``, or ``"-"`` for standard input):

- Encoding: UTF-8 with or without a byte-order mark, UTF-16/UTF-32 with one, and
  UTF-16 without one when its ASCII characters show it.
  Anything else is refused with one line that says "save it as UTF-8" and which
  ``encoding=`` would read it, unless the caller passes ``encoding=``.
- Delimiter: the one the suffix implies (comma, tab for ``.tsv``/``.tab``), unless
  the first 64 KB read consistently with another of tab, ``;`` or ``|``.
- A delimiter at the end of every row (or of some rows) adds no column; the first
  column is never taken as the index.
- Rows with fewer fields than the header are padded with empty cells. Rows with more
  are "bad rows": by default the file is refused with their count and first line
  numbers (a line is a row of the file counting the header as line 1 and blank lines;
  a cell that spans lines counts once); with ``on_bad_rows="skip"`` they are left out
  and a :class:`~afghangeo.errors.DroppedRowsWarning` says how many and where.

Other files (Excel, Parquet, GeoJSON, GeoPackage ...) that are damaged raise a
one-line :class:`~afghangeo.errors.DataError` naming the file. Lone surrogates in the
text cells or names of a DataFrame (which pandas cannot store as strings) become
U+FFFD.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd

from afghangeo._compat import import_optional
from afghangeo.errors import AfghangeoError, DataError, DroppedRowsWarning, InvalidInputError

__all__ = [
    "BAD_ROWS",
    "TEXT_SUFFIXES",
    "load_table",
    "read_csv",
    "replace_surrogates",
    "without_surrogates",
]

BadRows = Literal["raise", "skip"]
BAD_ROWS: tuple[BadRows, ...] = ("raise", "skip")
TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_PARQUET = (".parquet", ".pq")
_VECTOR = (".geojson", ".json", ".gpkg", ".shp", ".fgb", ".gml", ".kml")
_SAMPLE = 1 << 16  # bytes read to choose the encoding and the delimiter
_SNIFF_ROWS = 200
_SHOWN_LINES = 5
_DELIMITERS = (",", "\t", ";", "|")
_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_EXTRA = "\x00afghangeo-extra-field-"  # + a number: fields past the header
_SKIPPED = re.compile(r"Skipping line (\d+)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TOO_MANY = "have more fields than the header"


def replace_surrogates(text: str) -> str:
    r"""`text` with each lone surrogate (not encodable as UTF-8) replaced by U+FFFD.

    Examples
    --------
    >>> replace_surrogates("Kab\ud800ul")
    'Kab\ufffdul'
    """
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _has_surrogates(values: Any) -> bool:
    texts = [v for v in values if isinstance(v, str) and not v.isascii()]
    return bool(texts) and _SURROGATE.search("".join(texts)) is not None


def without_surrogates(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`, or a copy whose text cells and column names hold no lone surrogate.

    Only object columns can hold them (pandas' string columns refuse them).
    """
    fixed = [
        pos
        for pos, dtype in enumerate(frame.dtypes)
        if dtype == np.dtype(object) and _has_surrogates(frame.iloc[:, pos].to_numpy())
    ]
    names = [replace_surrogates(c) if isinstance(c, str) else c for c in frame.columns]
    if not fixed and names == list(frame.columns):
        return frame
    frame = frame.copy()
    for pos in fixed:
        column = frame.iloc[:, pos].map(
            lambda v: replace_surrogates(v) if isinstance(v, str) else v
        )
        frame.isetitem(pos, column.to_numpy(dtype=object))
    frame.columns = pd.Index(names, dtype=object)
    return frame


# --- text tables ----------------------------------------------------------------------


def _label(source: Any, name: str | None) -> str:
    return name or (repr(os.fspath(source)) if not isinstance(source, bytes) else "the table")


def _head(source: str | os.PathLike[str] | bytes) -> tuple[bytes, bool]:
    """The first bytes of `source`, and whether that is all of it."""
    if isinstance(source, bytes):
        return source[:_SAMPLE], len(source) <= _SAMPLE
    with open(source, "rb") as fh:
        head = fh.read(_SAMPLE)
        return head, not fh.read(1)


def _encoding_of(head: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            msg = f"Unknown encoding {encoding!r}; use e.g. 'utf-8', 'cp1256' or 'latin-1'."
            raise InvalidInputError(msg) from None
    marked = next((name for bom, name in _BOMS if head.startswith(bom)), None)
    if marked:
        return marked
    odd, even = head[1::2].count(0), head[0::2].count(0)  # UTF-16 without a mark:
    if 3 * odd > len(head) // 2 > 0 and not even:  # the NULs of ASCII text
        return "utf-16-le"
    if 3 * even > len(head) // 2 > 0 and not odd:
        return "utf-16-be"
    return "utf-8"


def _not_text(label: str, err: UnicodeDecodeError, head: bytes, given: bool) -> DataError:
    byte = err.object[err.start : err.start + 1].hex()
    if given:
        msg = (
            f"Cannot read {label} as {err.encoding} (byte 0x{byte}); pass the encoding it "
            "was saved in, or save it as UTF-8."
        )
        return DataError(msg)
    sample = head.decode("cp1256", errors="replace")
    arabic = sum("\u0600" <= ch <= "\u06ff" for ch in sample)
    guess = "cp1256" if 2 * arabic > sum(not ch.isascii() for ch in sample) else "latin-1"
    msg = (
        f"{label} is not UTF-8 text (byte 0x{byte}); save it as UTF-8 (Excel: Save As "
        f"'CSV UTF-8'), or pass encoding= the one it was saved in (e.g. {guess!r})."
    )
    return DataError(msg)


def _rows(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    """The first non-blank rows of the sample `text` (without a last, cut-off one)."""
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [r for _, r in zip(range(_SNIFF_ROWS), reader, strict=False)]
    except csv.Error:
        return []
    return [r for r in (rows if complete else rows[:-1]) if r]


def _fit(text: str, delimiter: str, complete: bool) -> tuple[int, float]:
    """(fields in the header, share of sampled rows that fit it) for `delimiter`."""
    rows = _rows(text, delimiter, complete)
    if not rows:
        return 0, 0.0
    width = len(rows[0])
    data = rows[1:]
    fits = sum(len(r) == width or (len(r) == width + 1 and not r[-1].strip()) for r in data)
    return width, fits / len(data) if data else 1.0


def _delimiter(text: str, default: str, complete: bool) -> str:
    """The suffix's delimiter unless the sample reads consistently only with another."""
    fits = {d: _fit(text, d, complete) for d in dict.fromkeys((default, *_DELIMITERS))}
    consistent = [d for d, (width, share) in fits.items() if width > 1 and share >= 0.9]
    if consistent:
        return consistent[0]
    if fits[default][0] > 1:
        return default
    wider = [d for d, (width, _) in fits.items() if width > 1]
    return max(wider, key=lambda d: fits[d][1]) if wider else default


def _long_lines(source: Any, encoding: str, sep: str, width: int, limit: int) -> list[int]:
    """Line numbers of the first rows with a non-empty field past `width` or too many."""
    handle = (
        io.StringIO(source.decode(encoding))
        if isinstance(source, bytes)
        else open(source, encoding=encoding, newline="")  # noqa: SIM115
    )
    found: list[int] = []
    with handle:
        for line, row in enumerate(csv.reader(handle, delimiter=sep), 1):
            if len(row) > limit or any(field.strip() for field in row[width:]):
                found.append(line)
                if len(found) == _SHOWN_LINES:
                    break
    return found


def _parse(source: Any, label: str, **options: Any) -> tuple[pd.DataFrame, list[int]]:
    """Read with pandas, with its bad-line warnings turned into line numbers."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            frame = pd.read_csv(source, **options)
        except pd.errors.EmptyDataError as err:
            msg = f"{label} is empty: it has no header row. Write the column names on line 1."
            raise DataError(msg) from err
        except (pd.errors.ParserError, csv.Error) as err:
            msg = f'Cannot read {label}: {_one_line(err)}; look for an unclosed quote (").'
            raise DataError(msg) from err
    skipped: list[int] = []
    for warning in caught:
        found = _SKIPPED.findall(str(warning.message))
        if found:
            skipped.extend(map(int, found))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return frame, skipped


def _is_empty(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype(object).map(lambda v: not str(v).strip())


def _drop_bad_rows(
    frame: pd.DataFrame, skipped: list[int], lines: Any, label: str, on_bad_rows: BadRows
) -> pd.DataFrame:
    extras = [c for c in frame.columns if str(c).startswith(_EXTRA)]
    long = pd.Series(False, index=frame.index)
    for column in extras:
        long |= ~_is_empty(frame[column])
    count = len(skipped) + int(long.sum())
    if count:
        shown = sorted({*skipped, *(lines() if long.any() else [])})[:_SHOWN_LINES]
        if on_bad_rows == "raise":
            where = ", ".join(map(str, shown)) + (", ..." if count > len(shown) else "")
            msg = (
                f"{label}: {count:,} row(s) {_TOO_MANY} (line {where}); fix them, or pass "
                f"on_bad_rows='skip' to keep the {len(frame) - int(long.sum()):,} good rows."
            )
            raise DataError(msg)
        warnings.warn(DroppedRowsWarning(label, count, shown, _TOO_MANY), stacklevel=4)
        frame = frame[~long.to_numpy()].reset_index(drop=True)
    frame = frame.drop(columns=extras)
    while len(frame.columns) and str(frame.columns[-1]).startswith("Unnamed: "):
        if not _is_empty(frame.iloc[:, -1]).all():
            break
        frame = frame.iloc[:, :-1]  # a delimiter at the end of the header too
    return frame


def read_csv(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    on_bad_rows: BadRows = "raise",
    dtype: Any = None,
    keep_default_na: bool = True,
) -> pd.DataFrame:
    r"""A delimited text table from a path or bytes, read as the module docstring says.

    Parameters
    ----------
    source : str, path-like or bytes
        The file, or its content.
    name : str, optional
        How messages name the source (default: the path, quoted).
    encoding : str, optional
        The text encoding; default UTF-8, or what a byte-order mark says.
    sep : str, optional
        The delimiter; default: detected.
    on_bad_rows : {"raise", "skip"}, default "raise"
        What to do with rows that have more fields than the header.
    dtype, keep_default_na
        As for :func:`pandas.read_csv`.

    Raises
    ------
    DataError
        If the file is missing, empty, not text in the encoding, or has bad rows.
    InvalidInputError
        If `encoding` or `on_bad_rows` is unknown.

    Examples
    --------
    >>> read_csv(b"place;killed\nNawa;3;\n").to_dict("list")
    {'place': ['Nawa'], 'killed': [3]}
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     read_csv(b"place,killed\nNawa,3\nHerat,1,2\n", on_bad_rows="skip").shape
    (1, 2)
    >>> print(caught[0].message)
    the table: left out 1 row(s) that have more fields than the header (line 3).
    """
    if on_bad_rows not in BAD_ROWS:
        msg = f"on_bad_rows must be one of {BAD_ROWS!r}, got {on_bad_rows!r}."
        raise InvalidInputError(msg)
    label = _label(source, name)
    try:
        head, complete = _head(source)
    except OSError as err:
        msg = f"Cannot read {label}: {err.strerror or err}."
        raise DataError(msg) from err
    codec = _encoding_of(head, encoding)
    try:
        text = codecs.getincrementaldecoder(codec)("strict").decode(head, final=complete)
    except UnicodeDecodeError as err:
        raise _not_text(label, err, head, encoding is not None) from err
    if "\x00" in text:
        msg = f"{label} is not a text table (it holds NUL bytes); save it as UTF-8 CSV."
        raise DataError(msg)
    if not text.strip():
        msg = f"{label} is empty: it has no header row. Write the column names on line 1."
        raise DataError(msg)
    suffix = "" if isinstance(source, bytes) else os.path.splitext(source)[1].lower()
    sep = sep or _delimiter(text, "\t" if suffix in (".tsv", ".tab") else ",", complete)
    header = list(_parse(io.StringIO(text), label, sep=sep, nrows=0, index_col=False)[0])
    rows = _rows(text, sep, complete)
    # pandas wants as many names as the first data row has fields; more are bad rows
    first = len(rows[1]) if len(rows) > 1 else len(header)
    names = [*header, *(f"{_EXTRA}{i}" for i in range(first - len(header)))]
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        frame, skipped = _parse(
            stream, label, sep=sep, encoding=codec, encoding_errors="strict", header=0,
            names=names, index_col=False, on_bad_lines="warn", low_memory=False,
            dtype=dtype, keep_default_na=keep_default_na,
        )  # fmt: skip
    except AfghangeoError:
        raise
    except UnicodeDecodeError as err:
        raise _not_text(label, err, head, encoding is not None) from err
    except OSError as err:
        msg = f"Cannot read {label}: {err.strerror or err}."
        raise DataError(msg) from err

    def lines() -> list[int]:
        return _long_lines(source, codec, sep, len(header), len(names))

    return _drop_bad_rows(frame, skipped, lines, label, on_bad_rows)


# --- any table ------------------------------------------------------------------------


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _guarded(path: str, kind: str, read: Any) -> pd.DataFrame:
    """`read()`, with any failure of the reading library as one DataError line."""
    try:
        frame: pd.DataFrame = read()
    except (ImportError, AfghangeoError, MemoryError):
        raise
    except Exception as err:  # the parsers raise all sorts (BadZipFile, DataSourceError ...)
        msg = (
            f"Cannot read {path!r}: it is not a readable {kind} ({_one_line(err)}); check "
            "that the file is complete, or export it again."
        )
        raise DataError(msg) from err
    return frame


def _read_parquet(path: str) -> pd.DataFrame:
    import_optional("pyarrow", extra="io")
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    if b"geo" in (pq.read_schema(path).metadata or {}):
        import geopandas

        geo: pd.DataFrame = geopandas.read_parquet(path)
        return geo
    return pd.read_parquet(path)


def _read_other(path: str, suffix: str) -> pd.DataFrame | None:
    if suffix in _EXCEL:
        import_optional("openpyxl", extra="io")
        return _guarded(path, "Excel workbook", lambda: pd.read_excel(path))
    if suffix in _PARQUET:
        return _guarded(path, "Parquet file", lambda: _read_parquet(path))
    if suffix == ".json":
        with open(path, "rb") as fh:
            records = fh.read(_SAMPLE).lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(b"[")
        if records:  # a list of records, as write_table(format="json") writes
            return _guarded(path, "JSON file", lambda: pd.read_json(path, orient="records"))
    if suffix in _VECTOR:
        import geopandas

        kind = "GeoPackage" if suffix == ".gpkg" else f"{suffix[1:].upper()} file"
        return _guarded(path, kind, lambda: geopandas.read_file(path, engine="pyogrio"))
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
