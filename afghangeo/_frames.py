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

__all__ = ["date_column", "prepare", "weight_values"]


def prepare(incidents: Any) -> Any:
    """`incidents` as placed rows: the result of read_incidents, or read with it."""
    if isinstance(incidents, pd.DataFrame) and {"province", "status"} <= set(incidents.columns):
        return incidents
    if is_dask(incidents):
        if {"province", "status"} <= set(incidents.columns):
            return incidents
        return read_incidents(incidents)
    return read_incidents(incidents)


def date_column(frame: Any, date: Hashable | None) -> Hashable:
    """The date column: `date`, the one read_incidents detected, or a usual name."""
    if date is not None:
        if date not in frame.columns:
            msg = f"No date column {date!r} among {list(frame.columns)!r}."
            raise InvalidInputError(msg)
        return date
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


def weight_values(frame: pd.DataFrame, weight: Hashable) -> np.ndarray:
    """The weight column as floats (NaN where missing or not a number)."""
    return pd.to_numeric(frame[weight], errors="coerce").to_numpy(float, na_value=np.nan)
