"""Geocoding many names at once: :func:`geocode_many`, one row per input, in order."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from afghangeo import _compat
from afghangeo._checks import check_number
from afghangeo.errors import InvalidInputError
from afghangeo.geocoder import Query, accept, hints, near_key, resolve
from afghangeo.names import MAX_NAME_CHARS, fold_name
from afghangeo.place import Place

__all__ = ["COLUMNS", "geocode_many"]


def _as_list(values: object, what: str) -> list[object]:
    """`values` as a list, if it is a sequence, Series or other iterable (not a str)."""
    if isinstance(values, (pd.Series, pd.Index)):
        return list(values.tolist())
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        msg = f"{what} must be a list (or Series) of names, got {type(values).__name__}."
        raise InvalidInputError(msg)
    return list(values)


def _column(values: object, n: int, what: str) -> list[object]:
    if values is None or isinstance(values, str):
        return [values] * n
    out = _as_list(values, what)
    if len(out) != n:
        msg = f"{what} has {len(out)} values for {n} names; pass one per name, or one string."
        raise InvalidInputError(msg)
    return out


def geocode_many(
    names: Iterable[object],
    *,
    provinces: object = None,
    districts: object = None,
    near: tuple[float, float] | str | None = None,
    kinds: Iterable[str] | None = None,
    min_score: float | None = None,
    progress: bool | None = False,
    fallback: Callable[[str], Place | None] | None = None,
) -> pd.DataFrame:
    """Geocode many names; one row per input, in order, never raising for a bad name.

    Parameters
    ----------
    names : iterable
        Place names; ``None``, NaN and non-strings give status ``invalid``.
    provinces, districts : str or sequence, optional
        One hint for all names, or one per name (``None`` where unknown). An unknown
        hint gives that row status ``invalid`` instead of raising.
    near, kinds, min_score
        As for :func:`geocode`, applied to every name.
    progress : bool, default False
        Show a tqdm progress bar (None: only on a terminal).
    fallback : callable, optional
        Asked only for names the local geocoder does not answer (below `min_score`),
        e.g. :class:`~afghangeo.OnlineFallback` around Nominatim; its answers come
        with ``source_id`` and score NaN. Off by default: nothing touches the network.

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``name``, ``province``, ``district``, ``lat``, ``lon``,
        ``precision``, ``kind``, ``score``, ``status`` (``matched``, ``uncertain``,
        ``ambiguous``, ``not_found``, ``invalid``), ``alternatives``, ``parts`` and
        ``source_id``.

    Examples
    --------
    >>> ag.geocode_many(["Kabul", "Nawa", "Doha", None])["status"].tolist()
    ['matched', 'ambiguous', 'not_found', 'invalid']
    """
    values = _as_list(names, "names")
    n = len(values)
    hint_p = _column(provinces, n, "provinces")
    hint_d = _column(districts, n, "districts")
    if min_score is not None:
        check_number(min_score, "min_score", low=0, high=1)
    options = _Options(
        near_key(near), tuple(kinds) if kinds is not None else None, min_score, fallback
    )
    memo: dict[tuple[object, object, object], tuple[Any, ...]] = {}
    iterator = _compat.progress(range(n), progress, total=n, desc="geocoding", unit="name")
    rows = []
    for i in iterator:
        key = (values[i], _hashable(hint_p[i]), _hashable(hint_d[i]))
        row = memo.get(key)
        if row is None:
            row = memo[key] = _one_row(values[i], hint_p[i], hint_d[i], options)
        rows.append((values[i], *row))
    # object columns first: the inputs are kept as given, lone surrogates included
    table = pd.DataFrame(rows, columns=COLUMNS, dtype=object)
    numbers = {"lat": float, "lon": float, "score": float}
    return table.astype(numbers).astype({"status": "str"})


COLUMNS = [
    "input", "name", "province", "district", "lat", "lon", "precision", "kind", "score",
    "status", "alternatives", "parts", "source_id",
]  # fmt: skip


def _hashable(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (str, type(None))) else repr(value)


_EMPTY = (None, None, None, math.nan, math.nan, None, None, math.nan)


def _listed(places: tuple[Place, ...]) -> str:
    return "|".join(f"{a.name} ({a.province})" for a in places)


@dataclass(frozen=True)
class _Options:
    near: Any
    kinds: tuple[str, ...] | None
    min_score: float | None
    fallback: Callable[[str], Place | None] | None


def _one_row(name: object, province: object, district: object, o: _Options) -> tuple[Any, ...]:
    if isinstance(name, str) and len(name) > MAX_NAME_CHARS:
        return (*_EMPTY, "not_found", "", "", None)  # no place has such a name
    if not isinstance(name, str) or not fold_name(name):
        return (*_EMPTY, "invalid", "", "", None)
    try:
        prov, dist, _ = hints(
            province if isinstance(province, str) else None,
            district if isinstance(district, str) else None,
            o.kinds,
        )
    except (LookupError, ValueError):
        return (*_EMPTY, "invalid", "", "", None)
    answer = resolve(Query(name, prov, dist, o.near, o.kinds))
    place = accept(answer, o.min_score)
    if place is None and o.fallback is not None and answer.status != "invalid":
        place = o.fallback(name)
    if place is None and answer.status == "ambiguous" and answer.place is not None:
        # not answered, but say why: the rivals, best first
        return (*_EMPTY, "ambiguous", _listed((answer.place, *answer.place.alternatives)), "", None)
    if place is None:
        return (*_EMPTY, "invalid" if answer.status == "invalid" else "not_found", "", "", None)
    return (
        place.name, place.province, place.district, place.lat, place.lon,
        place.precision, place.kind, place.score, place.status,
        _listed(place.alternatives), _listed(place.parts), place.source_id,
    )  # fmt: skip
