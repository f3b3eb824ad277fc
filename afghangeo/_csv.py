"""Reading delimited text tables leniently, and saying plainly what is wrong with one.

- Encoding: UTF-8 with or without a byte-order mark, UTF-16/UTF-32 with one, and
  UTF-16 without one when its ASCII characters show it.
  Anything else is refused with one line that says "save it as UTF-8" and which
  ``encoding=`` would read it, unless the caller passes ``encoding=``.
- Delimiter: the one the suffix implies (comma, tab for ``.tsv``/``.tab``), unless
  the first 64 KB read consistently with another of tab, ``;`` or ``|``.
- The first column is never taken as the index. A delimiter at the end of the rows
  adds no column if the first data row has one (pandas sizes the table by that row;
  otherwise a later row with one is a bad row, below).
- Rows with fewer fields than the header are padded with empty cells. Rows with more
  are "bad rows": by default the file is refused with their count and first line
  numbers (a line is a row of the file counting the header as line 1 and blank lines;
  a cell that spans lines counts once); with ``on_bad_rows="skip"`` they are left out
  and a :class:`~afghangeo.errors.DroppedRowsWarning` says how many and where.

Lone surrogates in the text cells or names of a DataFrame (which pandas cannot store
as strings) become U+FFFD: :func:`without_surrogates`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from afghangeo.errors import AfghangeoError, DataError, DroppedRowsWarning, InvalidInputError

__all__ = [
    "BAD_ROWS",
    "SAMPLE_BYTES",
    "BadRows",
    "one_line",
    "read_csv",
    "replace_surrogates",
    "without_surrogates",
]

BadRows = Literal["raise", "skip"]
BAD_ROWS: tuple[BadRows, ...] = ("raise", "skip")
SAMPLE_BYTES = 1 << 16  # bytes read to choose the encoding and the delimiter
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
        return source[:SAMPLE_BYTES], len(source) <= SAMPLE_BYTES
    with open(source, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
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
        f"'CSV UTF-8'), or pass the encoding it was saved in, e.g. encoding={guess!r}."
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
            msg = f'Cannot read {label}: {one_line(err)}; look for an unclosed quote (").'
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


def _is_empty(values: pd.Series) -> np.ndarray:
    empty = values.isna().to_numpy(bool, copy=True)
    if not empty.all():
        rest = values[~empty].astype(object).map(lambda v: not str(v).strip())
        empty[~empty] = rest.to_numpy(bool)
    return empty


def _drop_bad_rows(
    frame: pd.DataFrame, skipped: list[int], lines: Any, label: str, on_bad_rows: BadRows
) -> pd.DataFrame:
    extras = [c for c in frame.columns if str(c).startswith(_EXTRA)]
    long = np.zeros(len(frame), bool)
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
        frame = frame[~long].reset_index(drop=True)
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
    na_values: Sequence[str] | None = None,
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
    dtype, keep_default_na, na_values
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
            dtype=dtype, keep_default_na=keep_default_na, na_values=na_values,
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


def one_line(err: BaseException) -> str:
    """The message of `err` on one line of at most 120 characters, for our own messages."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= 120 else text[:117] + "..."
