"""Rows of Python values to a DataFrame, column by column, without pandas' slow paths.

pandas infers each column's type from Python objects one value at a time; for small
tables built often (the incidents of one article) that inference is most of the cost.
:func:`typed_frame` builds the columns whose values have the expected simple types
directly (numpy arrays, ``Int64`` from data and mask, ``str`` arrays) and leaves
anything else to pandas, so the table is the same as pandas would make.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = ["typed_frame"]


try:  # the option "future.infer_string" itself warns that it is deprecated when read
    from pandas._config import using_string_dtype  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another pandas: let pandas infer text

    def using_string_dtype() -> bool:
        return False


def _str_dtype() -> Any:
    """The dtype pandas infers for text (``str`` since pandas 3), or None for object."""
    return pd.api.types.pandas_dtype("str") if using_string_dtype() else None


def _ints(values: list[Any]) -> Any:
    """``Int64`` values (None is <NA>), as ``pd.array(values, dtype="Int64")`` makes."""
    if all(type(v) is int or v is None for v in values):
        try:
            data = np.fromiter((0 if v is None else v for v in values), np.int64, len(values))
        except OverflowError:
            pass
        else:
            mask = np.fromiter((v is None for v in values), bool, len(values))
            return pd.arrays.IntegerArray(data, mask)
    return pd.array(values, dtype="Int64")


def _dates(values: list[Any]) -> Any:
    """datetime64 values, as ``pd.to_datetime(values)`` makes from dates and None."""
    if values and all(type(v) is dt.date or v is None for v in values):
        return np.array(values, dtype="datetime64[s]")
    return pd.to_datetime(values)


_INT64 = range(-(2**63), 2**63)


def _fit_int64(values: list[Any]) -> bool:
    """Whether every int fits int64 (else pandas keeps the column as objects)."""
    return all(v in _INT64 for v in values if type(v) is int)


def _inferred(values: list[Any], *, number: bool, strings: Any) -> Any:
    """The values as pandas infers them from a list: numbers, ``str``, or as they are."""
    kinds = {type(v) for v in values}
    if number and values and kinds <= {int, float} and _fit_int64(values):
        try:
            return np.array(values, dtype=np.int64 if kinds == {int} else np.float64)
        except OverflowError:
            return values
    if strings is not None and str in kinds and kinds <= {str, type(None)}:
        return pd.array(values, dtype=strings)
    return values


def _column(name: str, values: list[Any] | None, kinds: _Kinds) -> Any:
    if values is None:  # no rows: object columns, as pandas makes them
        empty = np.array([], dtype=object)
        if name in kinds.ints:
            return pd.array(empty, dtype="Int64")
        return pd.to_datetime(empty) if name in kinds.dates else empty
    if name in kinds.ints:
        return _ints(values)
    if name in kinds.dates:
        return _dates(values)
    return _inferred(values, number=name in kinds.numbers, strings=kinds.strings)


# builds the frame from finished columns, skipping the checks and inference of
# ``pd.DataFrame(dict)`` (a third of the cost of a small table); absent, pandas builds it
_FROM_ARRAYS = getattr(pd.DataFrame, "_from_arrays", None)


def _array(values: Any) -> Any:
    """A column as an array: a list left to pandas is inferred as ``pd.Series`` does."""
    if not isinstance(values, list):
        return values
    if all(v is None for v in values):  # as pandas infers it: object, None kept
        return np.array(values, dtype=object)
    series = pd.Series(values)
    return series.to_numpy() if isinstance(series.dtype, np.dtype) else series.array


def _is_text(values: list[Any]) -> bool:
    """Whether pandas infers the values as text (``str``, with None as missing)."""
    kinds = {type(v) for v in values}
    return str in kinds and kinds <= {str, type(None)}


def _arrays(lists: list[list[Any]], columns: Sequence[str], kinds: _Kinds) -> list[Any]:
    """The columns as arrays, the text columns sliced from one ``str`` array.

    One conversion to ``str`` costs about as much as eight small ones.
    """
    out: list[Any] = []
    text_at: list[int] = []
    for k, name in enumerate(columns):
        plain = name not in kinds.ints and name not in kinds.dates
        if plain and kinds.strings is not None and _is_text(lists[k]):
            text_at.append(k)
            out.append(None)
        else:
            out.append(_array(_column(name, lists[k], kinds)))
    if text_at:
        n = len(lists[0])
        joined = pd.array([v for k in text_at for v in lists[k]], dtype=kinds.strings)
        for i, k in enumerate(text_at):
            out[k] = joined[i * n : (i + 1) * n]
    return out


class _Kinds(NamedTuple):
    ints: Collection[str]
    dates: Collection[str]
    numbers: Collection[str]
    strings: Any  # the dtype pandas infers for text, None if object


def typed_frame(
    rows: Sequence[Sequence[Any]],
    columns: Sequence[str],
    *,
    ints: Collection[str] = (),
    dates: Collection[str] = (),
    numbers: Collection[str] = (),
) -> pd.DataFrame:
    """A DataFrame of `rows`: `ints` as ``Int64``, `dates` as datetime64, the rest inferred.

    Other columns are as ``pd.DataFrame(rows, columns=columns)`` infers them; with no
    rows, they are object columns. Text that a ``str`` column cannot hold (a lone
    surrogate) makes the text columns object, and `numbers` numeric.

    Examples
    --------
    >>> table = typed_frame([[1, "a", None], [2, None, 3]], ["n", "s", "k"], ints=["k"])
    >>> [str(t) for t in table.dtypes]
    ['int64', 'str', 'Int64']
    """
    lists = [list(col) for col in zip(*rows, strict=True)] if rows else None
    kinds = _Kinds(ints, dates, numbers, _str_dtype())
    try:
        if lists is not None and _FROM_ARRAYS is not None:
            arrays = _arrays(lists, columns, kinds)
            index = pd.RangeIndex(len(rows))
            frame: pd.DataFrame = _FROM_ARRAYS(
                arrays, pd.Index(list(columns)), index, verify_integrity=False
            )
            return frame
        data = {
            name: _column(name, None if lists is None else lists[k], kinds)
            for k, name in enumerate(columns)
        }
        return pd.DataFrame(data, columns=list(columns))
    except UnicodeEncodeError:  # a lone surrogate: str columns cannot hold it
        assert lists is not None  # no rows, no text
        data = {}
        for name, raw in zip(columns, lists, strict=True):
            if name in ints or name in dates:
                data[name] = _column(name, raw, kinds)
            else:
                data[name] = pd.to_numeric(raw) if name in numbers else pd.Series(raw, dtype=object)
        return pd.DataFrame(data, columns=list(columns))
