"""typed_frame makes the table pandas makes from the same rows, only faster."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from afghangeo._columnar import typed_frame

COLUMNS = ["n", "x", "s", "k", "d"]
INTS, DATES, NUMBERS = ("k",), ("d",), ("n", "x")


def _reference(rows: list[list[Any]]) -> pd.DataFrame:
    """What pandas makes: infer, then the figures as Int64 and the dates as datetime64."""
    try:
        table = pd.DataFrame(rows, columns=COLUMNS)
    except UnicodeEncodeError:
        table = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
        for col in NUMBERS:
            table[col] = pd.to_numeric(table[col])
    table["k"] = table["k"].astype("Int64")
    table["d"] = pd.to_datetime(table["d"])
    return table


def _check(rows: list[list[Any]]) -> None:
    mine = typed_frame(rows, COLUMNS, ints=INTS, dates=DATES, numbers=NUMBERS)
    expected = _reference(rows)
    pd.testing.assert_frame_equal(mine, expected, check_exact=True)
    assert list(mine.dtypes) == list(expected.dtypes)


D = dt.date(2020, 4, 23)
CASES = {
    "simple": [[1, 0.5, "a", 3, D], [2, math.nan, None, None, None]],
    "all None text": [[1, 0.5, None, None, D], [2, 1.5, None, None, D]],
    "ints as floats": [[1, 1, "a", 1, D], [2, 0.5, "b", 2, D]],
    "mixed text column": [[1, 0.5, "a", 1, D], [2, 0.5, 3, 2, D]],
    "bools": [[True, 0.5, "a", 1, D], [False, 0.5, "b", 2, D]],
    "huge ints": [[2**70, 0.5, "a", 1, D]],
    "huge int among floats": [
        [0, None, None, None, None],
        [-(2**63) - 1, None, None, None, None],
        [0.0, None, None, None, None],
    ],
    "None number": [[None, 0.5, "a", 1, D], [1, None, "b", 2, D]],
    "datetimes": [[1, 0.5, "a", 1, dt.datetime(2020, 1, 1, 5)], [2, 0.5, "b", 2, None]],
    "timestamps": [[1, 0.5, "a", 1, pd.Timestamp("2020-01-01")], [2, 0.5, "b", 2, D]],
    "all dates None": [[1, 0.5, "a", 1, None]],
    "surrogate": [[1, 0.5, "a\ud800", 1, D], [2, 0.5, "b", None, None]],
    "no rows": [],
}


@pytest.mark.parametrize("rows", CASES.values(), ids=CASES.keys())
def test_same_table_as_pandas(rows: list[list[Any]]) -> None:
    _check(rows)


_VALUE = st.one_of(
    st.none(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.text(max_size=4),
    st.booleans(), st.dates(), st.sampled_from(["\ud800", "", math.nan]),
)  # fmt: skip
_INT = st.one_of(st.none(), st.integers(-(10**6), 10**6))
_DATE = st.one_of(st.none(), st.dates(min_value=dt.date(1700, 1, 1)))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_VALUE, _VALUE, _VALUE, _INT, _DATE).map(list), max_size=5))
def test_any_rows_give_the_table_of_pandas(rows: list[list[Any]]) -> None:
    try:
        expected = _reference(rows)
    except (ValueError, TypeError, OverflowError) as err:  # pandas cannot: neither may we
        with pytest.raises(type(err)):
            typed_frame(rows, COLUMNS, ints=INTS, dates=DATES, numbers=NUMBERS)
        return
    mine = typed_frame(rows, COLUMNS, ints=INTS, dates=DATES, numbers=NUMBERS)
    pd.testing.assert_frame_equal(mine, expected, check_exact=True)
