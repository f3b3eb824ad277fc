"""Optional dependencies, progress bars and dask detection, in one place."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any, TypeVar

__all__ = ["import_optional", "is_dask", "progress", "progress_bar"]

T = TypeVar("T")


def import_optional(name: str, extra: str | None = None) -> ModuleType:
    """Import `name`, or raise an ImportError that says how to install it.

    `extra` names the afghangeo extra that installs it; None means it is one of
    afghangeo's own dependencies, missing from a broken installation.
    """
    try:
        return importlib.import_module(name)
    except ImportError as err:
        fix = f"pip install 'afghangeo[{extra}]'" if extra else f"pip install {name.split('.')[0]}"
        msg = f"{name!r} is needed here: {fix}"
        raise ImportError(msg) from err


def is_dask(obj: Any) -> bool:
    """Whether `obj` is a dask (or dask-geopandas) collection, without importing dask."""
    return hasattr(obj, "map_partitions") and hasattr(obj, "npartitions")


def _want(show: bool | None) -> bool:
    """``None`` means: show a bar only when standard error is a terminal."""
    if show is None:
        return bool(getattr(sys.stderr, "isatty", lambda: False)())
    return bool(show)


def progress_bar(show: bool | None, *, total: int | None, desc: str, unit: str = "it") -> Any:
    """A tqdm bar on standard error, or None (not wanted, or tqdm not installed)."""
    if not _want(show):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover - tqdm is optional
        return None
    scale = unit == "B"
    return tqdm(
        total=total, desc=desc, unit=unit, unit_scale=scale, unit_divisor=1024 if scale else 1000,
        file=sys.stderr,
    )  # fmt: skip


def progress(
    items: Iterable[T], show: bool | None, *, total: int | None = None, desc: str, unit: str = "it"
) -> Iterator[T]:
    """Iterate over `items`, with a progress bar when `show` (see :func:`progress_bar`)."""
    bar = progress_bar(show, total=total, desc=desc, unit=unit)
    if bar is None:
        yield from items
        return
    with bar:
        for item in items:
            yield item
            bar.update(1)
