"""Reports of the same event: :func:`dedupe_incidents` gives them one ``event_id``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from afghangeo._checks import check_column_name, check_number
from afghangeo._columns import parse_dates
from afghangeo._compat import is_dask
from afghangeo._frames import date_column, prepare, weight_values
from afghangeo._geo import great_circle_km
from afghangeo._vocab import PLACED_STATUSES
from afghangeo.admin import admin_index
from afghangeo.errors import InvalidInputError

__all__ = ["dedupe_incidents"]


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
    >>> reports = ag.read_incidents(pd.DataFrame({
    ...     "date": ["2020-04-23", "2020-04-24", "2020-04-23"],
    ...     "place": ["Badghis", "Badghis", "Lashkar Gah"], "killed": [13, 14, 2]}))
    >>> ag.dedupe_incidents(reports)["event_id"].tolist()
    [0, 0, 2]
    """
    days = check_number(days, "days", low=0)
    km = check_number(km, "km", low=0)
    check_column_name(weight, "weight")
    check_column_name(date, "date")
    frame = prepare(incidents)
    if is_dask(frame):
        msg = "dedupe_incidents() needs the whole table in memory; call .compute() first."
        raise InvalidInputError(msg)
    date = date_column(frame, date)
    if weight is None:
        weight = frame.attrs.get("afghangeo_columns", {}).get("weight")
    n = len(frame)
    dates = parse_dates(frame[date], date)
    when = ((dates - pd.Timestamp(0)).dt.total_seconds() / 86400.0).to_numpy(float, na_value=np.nan)
    geoms = frame["point"] if "point" in frame.columns else frame.geometry
    ok = (
        frame["status"].isin(PLACED_STATUSES).to_numpy(bool)
        & ~np.isnan(when)
        & ~geoms.isna().to_numpy()
    )
    lat = np.where(ok, geoms.y.fillna(0).to_numpy(float), np.nan) if n else np.zeros(0)
    lon = np.where(ok, geoms.x.fillna(0).to_numpy(float), np.nan) if n else np.zeros(0)
    coarse = (frame["precision"].astype(object) == "province").to_numpy(bool)
    index = admin_index()
    prov = index.codes(frame["province"], index.provinces)
    figure = (
        weight_values(frame, weight)
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
        great_circle_km(lat[a], lon[a], lat[b], lon[b]) <= km,
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
