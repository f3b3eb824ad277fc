"""Count incidents per province, district and period; group reports into events.

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
from afghangeo._columns import ROLES, parse_dates
from afghangeo.errors import InvalidInputError
from afghangeo.incidents import PRECISIONS, _admin, _codes, read_incidents

__all__ = [
    "PROVINCE_ONLY",
    "UNLOCATED",
    "count_by_district",
    "count_by_province",
    "dedupe_incidents",
]

UNLOCATED = "unlocated"
PROVINCE_ONLY = "(province only)"
_PLACED = ("located", "geocoded", "province_only")
_NAT = np.iinfo(np.int64).min


def _is_dask(obj: Any) -> bool:
    return hasattr(obj, "map_partitions") and hasattr(obj, "npartitions")


def _prepare(incidents: Any) -> Any:
    if isinstance(incidents, pd.DataFrame) and {"province", "status"} <= set(incidents.columns):
        return incidents
    if _is_dask(incidents):
        if {"province", "status"} <= set(incidents.columns):
            return incidents
        return read_incidents(incidents)
    return read_incidents(incidents)


def _date_column(frame: Any, date: Hashable | None) -> Hashable:
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


def _weight_values(frame: pd.DataFrame, weight: Hashable) -> np.ndarray:
    return pd.to_numeric(frame[weight], errors="coerce").to_numpy(float, na_value=np.nan)


def _tally(
    frame: pd.DataFrame,
    *,
    level: str,
    weight: Hashable | None,
    date: Hashable | None,
    freq: str | None,
) -> pd.DataFrame:
    """Sparse counts of one in-memory table: key, [period], count, [wsum, wmissing]."""
    pnames, dnames, dprov, dname, _, _ = _admin()
    placed = frame["status"].isin(_PLACED).to_numpy(bool)
    prov = np.where(placed, _codes(frame["province"], pnames), -1)
    key = np.where(prov >= 0, prov, len(pnames))
    if level == "district":
        nd = len(dprov)
        lookup = np.full((len(pnames), len(dnames)), -1, np.int32)
        lookup[dprov, dname] = np.arange(nd)
        dist = _codes(frame["district"], dnames)
        fine = placed & (prov >= 0) & (dist >= 0)
        level_code = _codes(frame["precision"], pd.Index(PRECISIONS))
        fine &= (level_code >= 0) & (level_code < 2)
        row = np.where(fine, lookup[np.maximum(prov, 0), np.maximum(dist, 0)], -1)
        key = np.where(row >= 0, row, np.where(prov >= 0, nd + prov, nd + len(pnames)))
    columns: dict[str, Any] = {"key": key, "count": np.ones(len(frame), np.int64)}
    if freq is not None and date is not None:
        dates = parse_dates(frame[date], date)
        columns["period"] = dates.dt.to_period(freq).array.asi8
    if weight is not None:
        values = _weight_values(frame, weight)
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


def _check(frame: Any, weight: Hashable | None, by: str | None) -> None:
    if weight is not None and weight not in frame.columns:
        msg = f"No weight column {weight!r} among {list(frame.columns)!r}."
        raise InvalidInputError(msg)
    if by not in (None, "report", "event"):
        msg = f"by must be 'report' or 'event', got {by!r}."
        raise InvalidInputError(msg)
    if by == "event" and "event_id" not in frame.columns:
        msg = "by='event' needs an event_id column: call ag.dedupe_incidents() first."
        raise InvalidInputError(msg)
    if by == "event" and _is_dask(frame):
        msg = "by='event' is not supported on dask; compute() the table first."
        raise InvalidInputError(msg)


def _events(frame: pd.DataFrame, weight: Hashable | None) -> pd.DataFrame:
    """One row per event: its most precise report, with the largest weight."""
    rank = _codes(frame["precision"], pd.Index(PRECISIONS)).astype(float)
    rank[rank < 0] = 9
    rank[~frame["status"].isin(_PLACED).to_numpy(bool)] = 10
    order = np.lexsort((np.arange(len(frame)), rank))
    first = frame.iloc[order].drop_duplicates("event_id", keep="first")
    if weight is not None:
        peak = pd.Series(_weight_values(frame, weight), index=frame.index)
        peak = peak.groupby(frame["event_id"].to_numpy()).max()
        first = first.copy()
        first[weight] = peak.reindex(first["event_id"].to_numpy()).to_numpy()
    return first


def _counts(
    incidents: Any,
    *,
    level: str,
    weight: Hashable | None,
    freq: str | None,
    by: str | None,
    date: Hashable | None,
) -> pd.DataFrame:
    frame = _prepare(incidents)
    _check(frame, weight, by)
    date = _date_column(frame, date) if freq is not None else None
    freq = _period_freq(freq) if freq is not None else None
    options: dict[str, Any] = {"level": level, "weight": weight, "date": date, "freq": freq}
    if _is_dask(frame):
        meta = _tally(frame._meta, **options)
        tally = frame.map_partitions(_tally, meta=meta, **options).compute()
        keys = ["key", "period"] if "period" in tally.columns else ["key"]
        tally = tally.groupby(keys, dropna=False, sort=False).sum().reset_index()
    else:
        if by == "event":
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
    weight: Hashable | None = None,
    freq: str | None = None,
    by: str | None = None,
    date: Hashable | None = None,
) -> pd.DataFrame:
    """Number of incidents per province: all 34, plus one ``unlocated`` row.

    Parameters
    ----------
    incidents : GeoDataFrame, DataFrame, path or dask DataFrame
        Usually the result of :func:`read_incidents`; anything else is read with it.
    weight : str, optional
        A numeric column (e.g. ``"fatalities"``) to sum as well. Missing or
        non-numeric values count as 0 and are counted in ``<weight>_missing``.
    freq : str, optional
        A pandas period alias (``"M"``, ``"W"``, ``"Y"`` ...): one row per province
        and period, from the first period to the last, zeros filled. Rows without a
        date are counted in a ``NaT`` period.
    by : {"report", "event"}, optional
        Count rows (default) or events from :func:`dedupe_incidents` (each event
        where its most precise report puts it, with the largest weight reported).
    date : str, optional
        The date column for `freq`; detected when not given.

    Returns
    -------
    pandas.DataFrame
        ``province`` (canonical, then ``unlocated``), ``iso_3166_2``, [``period``],
        ``count`` and, with `weight`, its sum and ``<weight>_missing``. ``count``
        sums to the number of rows (events).

    Examples
    --------
    >>> incidents = read_incidents(pd.DataFrame(
    ...     {"place": ["Lashkar Gah", "Badghis", "Atlantis"], "killed": [3, 13, None]}))
    >>> counts = count_by_province(incidents, weight="killed")
    >>> len(counts), int(counts["count"].sum()), float(counts["killed"].sum())
    (35, 3, 16.0)
    >>> counts.set_index("province").loc[["Badghis", "unlocated"], ["count", "killed_missing"]]
               count  killed_missing
    province
    Badghis        1               0
    unlocated      1               1
    """
    return _counts(incidents, level="province", weight=weight, freq=freq, by=by, date=date)


def count_by_district(
    incidents: Any,
    *,
    weight: Hashable | None = None,
    freq: str | None = None,
    by: str | None = None,
    date: Hashable | None = None,
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
    >>> incidents = read_incidents(pd.DataFrame(
    ...     {"place": ["Nawa", "Helmand"], "province": ["Helmand", "Helmand"]}))
    >>> counts = count_by_district(incidents)
    >>> counts[counts["count"] > 0][["province", "district", "count"]].values.tolist()
    [['Helmand', 'Nawa-i-Barakzayi', 1], ['Helmand', '(province only)', 1]]
    """
    table = _counts(incidents, level="district", weight=weight, freq=freq, by=by, date=date)
    order = {name: i for i, name in enumerate([*_admin()[0], UNLOCATED])}
    rank = table["province"].map(order).to_numpy() * 2 + (table["district"] == PROVINCE_ONLY)
    return table.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def _haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return np.asarray(6371.0088 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


def dedupe_incidents(
    incidents: Any,
    *,
    days: float = 1,
    km: float = 10,
    weight: Hashable | None = None,
    date: Hashable | None = None,
) -> Any:
    """Give reports of the same event a shared ``event_id``; nothing is dropped.

    Two reports are of one event when their dates are at most `days` apart, their
    points at most `km` apart (province-only reports: the same province, and both
    known only to it), and their `weight` figures, when both give one, within a
    factor of two (or 2 apart). Reports without a date or a place are events alone.

    Parameters
    ----------
    incidents : GeoDataFrame
        The result of :func:`read_incidents` (anything else is read with it).
    days, km : float
        How close in time and space reports of one event are.
    weight : str, optional
        A figure to compare (e.g. ``"fatalities"``); detected when not given.
    date : str, optional
        The date column; detected when not given.

    Returns
    -------
    GeoDataFrame
        A copy with ``event_id`` (the position of the event's first report) and
        ``n_reports`` (reports of that event).

    Examples
    --------
    >>> reports = read_incidents(pd.DataFrame({
    ...     "date": ["2020-04-23", "2020-04-24", "2020-04-23"],
    ...     "place": ["Badghis", "Badghis", "Lashkar Gah"], "killed": [13, 14, 2]}))
    >>> dedupe_incidents(reports)["event_id"].tolist()
    [0, 0, 2]
    """
    frame = _prepare(incidents)
    if _is_dask(frame):
        msg = "dedupe_incidents() needs the whole table in memory; call .compute() first."
        raise InvalidInputError(msg)
    date = _date_column(frame, date)
    if weight is None:
        weight = frame.attrs.get("afghangeo_columns", {}).get("weight")
    n = len(frame)
    dates = parse_dates(frame[date], date)
    when = ((dates - pd.Timestamp(0)).dt.total_seconds() / 86400.0).to_numpy(float, na_value=np.nan)
    geoms = frame.geometry
    ok = frame["status"].isin(_PLACED).to_numpy(bool) & ~np.isnan(when) & ~geoms.isna().to_numpy()
    lat = np.where(ok, geoms.y.fillna(0).to_numpy(float), np.nan) if n else np.zeros(0)
    lon = np.where(ok, geoms.x.fillna(0).to_numpy(float), np.nan) if n else np.zeros(0)
    coarse = (frame["precision"].astype(object) == "province").to_numpy(bool)
    prov = _codes(frame["province"], _admin()[0])
    figure = (
        _weight_values(frame, weight)
        if weight is not None and weight in frame.columns
        else np.full(n, np.nan)
    )
    table = pd.DataFrame(
        {
            "pos": np.arange(n),
            "day": np.floor(np.nan_to_num(when) / max(days, 1e-9)).astype(np.int64),
            "cx": np.where(coarse, -1 - prov, np.floor(np.nan_to_num(lon) * 86.0 / km)).astype(
                np.int64
            ),
            "cy": np.where(coarse, 0, np.floor(np.nan_to_num(lat) * 111.0 / km)).astype(np.int64),
        }
    )[ok]
    pairs = []
    for dd in (0, 1):
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                shifted = table.assign(
                    day=table["day"] + dd, cx=table["cx"] + dx, cy=table["cy"] + dy
                )
                m = table.merge(shifted, on=["day", "cx", "cy"], suffixes=("", "_b"))
                other = m["pos"] < m["pos_b"] if dd == 0 else m["pos"] != m["pos_b"]
                pairs.append(m.loc[other, ["pos", "pos_b"]].to_numpy())
    a, b = np.concatenate(pairs).T if pairs else (np.zeros(0, int), np.zeros(0, int))
    keep = np.abs(when[a] - when[b]) <= days
    keep &= np.where(
        coarse[a] | coarse[b],
        coarse[a] & coarse[b] & (prov[a] == prov[b]),
        _haversine_km(lat[a], lon[a], lat[b], lon[b]) <= km,
    )
    fa, fb = figure[a], figure[b]
    with np.errstate(invalid="ignore"):
        close = (np.abs(fa - fb) <= 2) | (np.maximum(fa, fb) <= 2 * np.minimum(fa, fb))
    keep &= np.isnan(fa) | np.isnan(fb) | close
    label = _components(n, a[keep], b[keep])
    out = frame.copy()
    out["event_id"] = label
    out["n_reports"] = pd.Series(label).map(pd.Series(label).value_counts()).to_numpy(np.int64)
    return out


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Smallest position in each connected group of the pairs (a, b)."""
    label = np.arange(n)
    while len(a):
        low = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, low)
        np.minimum.at(label, b, low)
        label = label[label]
        if np.array_equal(label, before):
            break
    return label
