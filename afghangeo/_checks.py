"""Argument checks for the public functions: a wrong type is an InvalidInputError.

Each check names the argument and says what it takes, so that
``count_by_province(t, freq=1)`` says so in one line instead of failing deep inside
pandas with an AttributeError.
"""

from __future__ import annotations

import math
import os
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from afghangeo.errors import InvalidInputError

__all__ = ["check_choice", "check_column_name", "check_number", "check_path", "check_str"]


def check_str(value: object, name: str, *, optional: bool = False) -> str | None:
    """`value` if it is a str (or None when `optional`)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        what = "a str or None" if optional else "a str"
        msg = f"{name} must be {what}, got {type(value).__name__} {_short(value)}."
        raise InvalidInputError(msg)
    return value


def check_number(
    value: object, name: str, *, low: float | None = None, high: float | None = None
) -> float:
    """`value` as a float, if it is a real number (not a bool) within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        msg = f"{name} must be a number, got {type(value).__name__} {_short(value)}."
        raise InvalidInputError(msg)
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"between {low} and {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        msg = f"{name} must be {bounds}, got {value!r}."
        raise InvalidInputError(msg)
    return float(value)


def check_choice(value: object, name: str, choices: tuple[object, ...]) -> Any:
    """`value` if it is one of `choices`."""
    if not isinstance(value, Hashable) or value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        msg = f"{name} must be one of {listed}; got {_short(value)}."
        raise InvalidInputError(msg)
    return value


def check_column_name(value: object, name: str) -> Hashable | None:
    """`value` if it can name a column (hashable: a str, a number, a tuple) or is None."""
    if value is not None and (not isinstance(value, Hashable) or isinstance(value, bool)):
        msg = f"{name} must be one column name, got {type(value).__name__} {_short(value)}."
        raise InvalidInputError(msg)
    return value


def check_path(value: object, name: str) -> Path:
    """`value` as a Path, if it is a non-empty str or path-like without NUL bytes."""
    if not isinstance(value, (str, os.PathLike)):
        msg = f"{name} must be a file path, got {type(value).__name__} {_short(value)}."
        raise InvalidInputError(msg)
    text = os.fspath(value)
    if not isinstance(text, str) or not text.strip() or "\x00" in text:
        msg = f"{name} must be a file path, got {_short(value)}."
        raise InvalidInputError(msg)
    return Path(text)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
