"""Incident tables ready for counting: read if needed, their date and weight columns."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from afghangeo._columns import ROLES
from afghangeo._compat import is_dask
from afghangeo.errors import InvalidInputError
from afghangeo.incidents import read_incidents

__all__ = ["date_column", "default_weight", "prepare", "weight_values"]


def prepare(incidents: Any) -> Any:
    """`incidents` as placed rows: the result of read_incidents, or read with it."""
    placed = isinstance(incidents, pd.DataFrame) or is_dask(incidents)
    if placed and {"province", "status"} <= set(incidents.columns):
        return incidents
    return read_incidents(incidents)


def date_column(frame: Any, date: Hashable | None) -> Hashable:
    """The date column: `date`, the one read_incidents detected, or a usual name."""
    if date is not None:
        if date not in frame.columns:
            msg = f"No date column {date!r} among {list(frame.columns)!r}."
            raise InvalidInputError(msg)
        return date
    if "date" in frame.columns and pd.api.types.is_datetime64_any_dtype(frame["date"].dtype):
        return "date"  # the canonical dates read_incidents adds
    roles = getattr(frame, "attrs", {}).get("afghangeo_columns", {})
    if "date" in roles and roles["date"] in frame.columns:
        return str(roles["date"])
    lower = {str(c).lower(): c for c in frame.columns}
    for name in ROLES["date"]:
        if name in lower:
            found: Hashable = lower[name]
            return found
    msg = (
        f"freq= needs dates, but no date column is among {list(frame.columns)!r}; "
        "pass date='<column>'."
    )
    raise InvalidInputError(msg)


def default_weight(frame: Any, weight: Hashable | bool | None) -> Hashable | None:
    """The weight to sum: `weight`, else the fatality column read_incidents detected.

    ``weight=False`` counts incidents only.
    """
    if weight is False:
        return None
    if weight is not None and weight is not True:
        return weight
    meta = frame._meta if is_dask(frame) else frame
    roles = getattr(meta, "attrs", {}).get("afghangeo_columns", {})
    found = roles.get("weight")
    if found is not None and found in frame.columns:
        return str(found)
    if weight is True:
        msg = (
            f"weight=True, but no fatality column ({', '.join(ROLES['weight'])}) is "
            f"among {list(frame.columns)!r}; pass weight='<column>'."
        )
        raise InvalidInputError(msg)
    return None


def weight_values(frame: pd.DataFrame, weight: Hashable) -> np.ndarray:
    """The weight column as floats (NaN where missing, or a stray non-number).

    Raises
    ------
    InvalidInputError
        If the column holds text rather than numbers (no value converts).
    """
    column = frame[weight]
    values = pd.to_numeric(column, errors="coerce").to_numpy(float, na_value=np.nan)
    if not pd.api.types.is_numeric_dtype(column.dtype) and len(column):
        given = column.notna().to_numpy(bool)
        if given.any() and np.isnan(values[given]).all():
            example = column[given].iloc[0]
            msg = (
                f"The weight column {weight!r} holds {column.dtype} values such as "
                f"{str(example)[:40]!r}, not numbers; pass a numeric column such as "
                "'fatalities'."
            )
            raise InvalidInputError(msg)
    return values
