"""Count incidents per province, district and period.

Counts always add up: every input row is counted once, in its province, or in the
explicit ``unlocated`` row (status ``unlocated`` or ``invalid``). Per district,
incidents known only to their province go to that province's ``(province only)``
row, never to a district. Weights (e.g. fatalities) are summed with missing values
taken as 0, and the number of rows without a value is reported in
``<weight>_missing``, so that a total of 0 can be told apart from "no figures".

All count functions also accept a dask DataFrame from :func:`read_incidents`:
each partition is tallied on its own and only the small tallies are combined.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._checks import check_column_name, check_str
from afghangeo._columns import parse_dates
from afghangeo._compat import is_dask
from afghangeo._frames import date_column, default_weight, prepare, weight_values
from afghangeo._vocab import PLACED_STATUSES, PRECISIONS, PROVINCE_ONLY, UNLOCATED, Level
from afghangeo.admin import admin_index
from afghangeo.errors import InvalidInputError

__all__ = ["PROVINCE_ONLY", "UNLOCATED", "count_by_district", "count_by_province"]

_NAT = np.iinfo(np.int64).min


def _tally(
    frame: pd.DataFrame,
    *,
    level: str,
    weight: Hashable | None,
    date: Hashable | None,
    freq: str | None,
) -> pd.DataFrame:
    """Sparse counts of one in-memory table: key, [period], count, [wsum, wmissing]."""
    index = admin_index()
    pnames, dnames = index.provinces, index.district_names
    dprov, dname = index.district_province, index.district_name
    placed = frame["status"].isin(PLACED_STATUSES).to_numpy(bool)
    prov = np.where(placed, index.codes(frame["province"], pnames), -1)
    key = np.where(prov >= 0, prov, len(pnames))
    if level == "district":
        nd = len(dprov)
        lookup = np.full((len(pnames), len(dnames)), -1, np.int32)
        lookup[dprov, dname] = np.arange(nd)
        dist = index.codes(frame["district"], dnames)
        fine = placed & (prov >= 0) & (dist >= 0)
        lv = index.codes(frame["precision"], pd.Index(PRECISIONS)) + 1
        fine &= (lv == Level.PLACE) | (lv == Level.DISTRICT)
        row = np.where(fine, lookup[np.maximum(prov, 0), np.maximum(dist, 0)], -1)
        key = np.where(row >= 0, row, np.where(prov >= 0, nd + prov, nd + len(pnames)))
    columns: dict[str, Any] = {"key": key, "count": np.ones(len(frame), np.int64)}
    if freq is not None and date is not None:
        dates = parse_dates(frame[date], date)
        columns["period"] = dates.dt.to_period(freq).array.asi8
    if weight is not None:
        values = weight_values(frame, weight)
        columns["wsum"] = np.nan_to_num(values)
        columns["wmissing"] = np.isnan(values).astype(np.int64)
    table = pd.DataFrame(columns)
    keys = ["key", "period"] if "period" in columns else ["key"]
    return table.groupby(keys, dropna=False, sort=False).sum().reset_index()


def _period_freq(freq: str) -> str:
    """A period alias pandas accepts ("ME" and "YE", offset spellings, become "M", "Y")."""
    for candidate in (freq, freq[:-1] if freq.endswith("E") else freq):
        try:
            pd.PeriodDtype(candidate)
            return candidate
        except (ValueError, TypeError, AttributeError):
            continue
    msg = f"freq={freq!r} is no pandas period alias; use e.g. 'D', 'W', 'M', 'Q' or 'Y'."
    raise InvalidInputError(msg)


def _check(frame: Any, weight: Hashable | None, unit: str) -> None:
    if weight is not None and weight not in frame.columns:
        msg = f"No weight column {weight!r} among {list(frame.columns)!r}."
        raise InvalidInputError(msg)
    if unit not in ("report", "event"):
        msg = f"unit must be 'report' or 'event', got {unit!r}."
        raise InvalidInputError(msg)
    if unit == "event" and "event_id" not in frame.columns:
        msg = "unit='event' needs an event_id column: call ag.dedupe_incidents() first."
        raise InvalidInputError(msg)
    if unit == "event" and is_dask(frame):
        msg = "unit='event' is not supported on dask; compute() the table first."
        raise InvalidInputError(msg)


def _events(frame: pd.DataFrame, weight: Hashable | None) -> pd.DataFrame:
    """One row per event: its most precise report, with the largest weight."""
    rank = admin_index().codes(frame["precision"], pd.Index(PRECISIONS)).astype(float)
    rank[rank < 0] = 9
    rank[~frame["status"].isin(PLACED_STATUSES).to_numpy(bool)] = 10
    order = np.lexsort((np.arange(len(frame)), rank))
    first = frame.iloc[order].drop_duplicates("event_id", keep="first")
    if weight is not None:
        peak = pd.Series(weight_values(frame, weight), index=frame.index)
        peak = peak.groupby(frame["event_id"].to_numpy()).max()
        first = first.copy()
        first[weight] = peak.reindex(first["event_id"].to_numpy()).to_numpy()
    return first


def _counts(
    incidents: Any,
    *,
    level: str,
    weight: Hashable | bool | None,
    freq: str | None,
    unit: str,
    date: Hashable | None,
) -> pd.DataFrame:
    if not isinstance(weight, bool):
        check_column_name(weight, "weight")
    check_column_name(date, "date")
    check_str(freq, "freq", optional=True)
    frame = prepare(incidents)
    weight = default_weight(frame, weight)
    _check(frame, weight, unit)
    date = date_column(frame, date) if freq is not None else None
    freq = _period_freq(freq) if freq is not None else None
    options: dict[str, Any] = {"level": level, "weight": weight, "date": date, "freq": freq}
    if is_dask(frame):
        meta = _tally(frame._meta, **options)
        tally = frame.map_partitions(_tally, meta=meta, **options).compute()
        keys = ["key", "period"] if "period" in tally.columns else ["key"]
        tally = tally.groupby(keys, dropna=False, sort=False).sum().reset_index()
    else:
        if unit == "event":
            frame = _events(frame, weight)
        tally = _tally(frame, **options)
    return _assemble(tally, level=level, weight=weight, freq=freq)


def _assemble(
    tally: pd.DataFrame, *, level: str, weight: Hashable | None, freq: Any
) -> pd.DataFrame:
    """The full table: every province (district) and period, zeros filled."""
    provinces = _data.read_layer("provinces")
    names = [*provinces["name"], UNLOCATED]
    iso = [*provinces["iso_3166_2"], None]
    if level == "district":
        layer = _data.read_layer("districts")
        frame = pd.DataFrame(
            {
                "province": [*layer["province"], *provinces["name"], UNLOCATED],
                "district": [*layer["name"], *[PROVINCE_ONLY] * len(provinces), None],
                "iso_3166_2": [*layer["iso_3166_2"], *provinces["iso_3166_2"], None],
            }
        )
    else:
        frame = pd.DataFrame({"province": names, "iso_3166_2": iso})
    frame["key"] = np.arange(len(frame))
    if "period" in tally.columns:
        ordinals = tally["period"].to_numpy(np.int64)
        dated = ordinals[ordinals != _NAT]
        span = np.arange(dated.min(), dated.max() + 1) if len(dated) else np.zeros(0, np.int64)
        if (ordinals == _NAT).any():
            span = np.r_[span, _NAT]
        grid = pd.MultiIndex.from_product([frame["key"], span], names=["key", "period"])
        frame = frame.set_index("key").reindex(grid.get_level_values("key"))
        ordinals = grid.get_level_values("period").to_numpy(np.int64)
        frame["period"] = pd.arrays.PeriodArray(ordinals, dtype=pd.PeriodDtype(freq))
        frame = frame.reset_index()
        filled = tally.set_index(["key", "period"]).reindex(grid, fill_value=0)
        values = filled.reset_index(drop=True)
    else:
        values = tally.set_index("key").reindex(frame["key"], fill_value=0).reset_index(drop=True)
    frame["count"] = values["count"].to_numpy(np.int64)
    if weight is not None:
        frame[str(weight)] = values["wsum"].to_numpy(float)
        frame[f"{weight}_missing"] = values["wmissing"].to_numpy(np.int64)
    return frame.drop(columns="key").reset_index(drop=True)


def count_by_province(
    incidents: Any,
    *,
    weight: Hashable | bool | None = None,
    freq: str | None = None,
    unit: str = "report",
    date: Hashable | None = None,
    geometry: bool = False,
) -> pd.DataFrame:
    """Number of incidents per province: all 34, plus one ``unlocated`` row.

    Parameters
    ----------
    incidents : GeoDataFrame, DataFrame, path or dask DataFrame
        Usually the result of :func:`read_incidents`; anything else is read with it.
    weight : str or bool, optional
        A numeric column to sum as well. By default the fatality column that
        :func:`read_incidents` detected (ACLED ``fatalities``, UCDP ``best``,
        ``killed`` ...), if any; ``False`` counts incidents only. Missing values (and
        a stray non-number) count as 0 and are counted in ``<weight>_missing``; a
        column of text is an error.
    freq : str, optional
        A pandas period alias (``"M"``, ``"W"``, ``"Y"`` ...): one row per province
        and period, from the first period to the last, zeros filled. Rows without a
        date are counted in a ``NaT`` period.
    unit : {"report", "event"}, default "report"
        Count rows (reports) or events from :func:`dedupe_incidents` (each event
        where its most precise report puts it, with the largest weight reported).
    date : str, optional
        The date column for `freq`; detected when not given.
    geometry : bool, default False
        Return a GeoDataFrame with each row's polygon (None for ``unlocated``, and
        for ``(province only)`` rows per district), ready for ``.explore()`` or
        ``.plot()``.

    Returns
    -------
    pandas.DataFrame
        ``province`` (canonical, then ``unlocated``), ``iso_3166_2``, [``period``],
        ``count`` and, with `weight`, its sum and ``<weight>_missing``. ``count``
        sums to the number of rows (events).

    Examples
    --------
    >>> incidents = ag.read_incidents(pd.DataFrame(
    ...     {"place": ["Lashkar Gah", "Badghis", "Atlantis"], "killed": [3, 13, None]}))
    >>> counts = ag.count_by_province(incidents, weight="killed")
    >>> len(counts), int(counts["count"].sum()), float(counts["killed"].sum())
    (35, 3, 16.0)
    >>> counts.set_index("province").loc[["Badghis", "unlocated"], ["count", "killed_missing"]]
               count  killed_missing
    province
    Badghis        1               0
    unlocated      1               1
    """
    table = _counts(incidents, level="province", weight=weight, freq=freq, unit=unit, date=date)
    return _with_geometry(table, "province") if geometry else table


def count_by_district(
    incidents: Any,
    *,
    weight: Hashable | bool | None = None,
    freq: str | None = None,
    unit: str = "report",
    date: Hashable | None = None,
    geometry: bool = False,
) -> pd.DataFrame:
    """Number of incidents per district, with a ``(province only)`` row per province.

    Parameters are those of :func:`count_by_province`. Incidents known only to their
    province are counted in its ``(province only)`` row, never in a district; the
    last row (province ``unlocated``) holds the rest.

    Returns
    -------
    pandas.DataFrame
        ``province``, ``district``, ``iso_3166_2`` (of the province), [``period``],
        ``count`` [, weight sum, ``<weight>_missing``]: 398 districts + 34 + 1 rows.

    Examples
    --------
    >>> incidents = ag.read_incidents(pd.DataFrame(
    ...     {"place": ["Nawa", "Helmand"], "province": ["Helmand", "Helmand"]}))
    >>> counts = ag.count_by_district(incidents)
    >>> counts[counts["count"] > 0][["province", "district", "count"]].values.tolist()
    [['Helmand', 'Nawa-i-Barakzayi', 1], ['Helmand', '(province only)', 1]]
    """
    table = _counts(incidents, level="district", weight=weight, freq=freq, unit=unit, date=date)
    order = {name: i for i, name in enumerate([*admin_index().provinces, UNLOCATED])}
    rank = table["province"].map(order).to_numpy() * 2 + (table["district"] == PROVINCE_ONLY)
    table = table.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)
    return _with_geometry(table, "district") if geometry else table


def _with_geometry(table: pd.DataFrame, level: str) -> Any:
    """`table` as a GeoDataFrame with the polygon of each row's province or district."""
    import geopandas

    if level == "province":
        layer = _data.read_layer("provinces")
        keys = pd.Index(layer["name"]).get_indexer(table["province"].astype(object))
    else:
        layer = _data.read_layer("districts")
        index = pd.MultiIndex.from_arrays([layer["province"], layer["name"]])
        pairs = pd.MultiIndex.from_arrays([table["province"], table["district"].astype(object)])
        keys = index.get_indexer(pairs)
    shapes = np.where(keys >= 0, layer.geometry.to_numpy()[np.maximum(keys, 0)], None)
    return geopandas.GeoDataFrame(table, geometry=geopandas.GeoSeries(shapes, crs=4326))
