"""The data behind the maps: counts joined to the boundaries, classes, incident levels.

Everything here is independent of how a map is drawn (no folium, no HTML): it turns a
table of counts or incidents into one value per polygon of the province or district
layer (:func:`prepare`), those values into colour classes and legend labels
(:func:`classify`), and incidents into the precision each one is drawn at
(:func:`levels`). :mod:`afghangeo.maps` renders the result with folium or matplotlib;
imports go that way only.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._compat import import_optional
from afghangeo.admin import normalize_provinces
from afghangeo.errors import InvalidInputError, UnknownPlaceError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "LAYERS",
    "NO_DATA",
    "ZERO",
    "Counts",
    "classify",
    "collection",
    "fmt",
    "levels",
    "prepare",
    "provinces_of",
    "shapes",
]

SCHEMES = {
    "quantiles": "Quantiles",
    "naturalbreaks": "NaturalBreaks",
    "equalinterval": "EqualInterval",
    "fisherjenks": "FisherJenks",
}
UNLOCATED = "unlocated"
PROVINCE_ONLY = ("(province only)", "")
ZERO, NO_DATA = "#ffffff", "#d0d0d0"
# level -> (bundled layer, simplification tolerance in degrees for the web maps)
LAYERS = {"province": ("provinces", 0.01), "district": ("districts", 0.004)}


@dataclass(frozen=True)
class Counts:
    """One value (and the extra numeric columns) per polygon of a layer, from a table."""

    level: Literal["province", "district"]
    frame: pd.DataFrame  # one row per polygon of the layer, in layer order; NaN = no data
    column: str
    extras: list[str]
    unlocated: float | None  # None: the input had no 'unlocated' row
    province_only: float


@functools.cache
def shapes(level: str) -> tuple[dict[str, Any], ...]:
    """Simplified, rounded GeoJSON geometries of the province or district layer."""
    import shapely

    layer, tolerance = LAYERS[level]
    geoms = shapely.simplify(_data.read_layer(layer).geometry.to_numpy(), tolerance)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 3))
    return tuple(shapely.geometry.mapping(g) for g in geoms)


def collection(level: str, rows: Sequence[int], props: Sequence[dict[str, Any]]) -> Any:
    """A GeoJSON FeatureCollection of the layer's polygons `rows`, with properties `props`."""
    geometries = shapes(level)
    features = [
        {"type": "Feature", "geometry": geometries[i], "properties": p}
        for i, p in zip(rows, props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _unmatched(names: list[str], kind: str, suggestions: dict[str, str | None]) -> NoReturn:
    if len(names) == 1:
        hint = suggestions.get(names[0])
        raise UnknownPlaceError(names[0], [hint] if hint else [], kind=kind)
    listed = ", ".join(
        f"{n!r} (did you mean {suggestions[n]!r}?)" if suggestions.get(n) else repr(n)
        for n in names
    )
    msg = (
        f"{len(names)} rows name no known {kind}: {listed}. "
        f"Use the names of afghangeo.{kind}s() or 'unlocated'."
    )
    raise InvalidInputError(msg)


def provinces_of(values: pd.Series) -> pd.Series:
    """Canonical province of each value (None where missing/'unlocated'); raise if unknown."""
    text = values.astype(object).where(values.notna(), None)
    missing = text.isna() | text.map(lambda v: isinstance(v, str) and v.lower() == UNLOCATED)
    keep = ~missing.to_numpy(bool)
    table = normalize_provinces(text.to_numpy(object)[keep].tolist())
    bad = table[table["status"] != "matched"]
    if len(bad):
        hints = dict(zip(bad["input"].astype(str), bad["suggestion"], strict=True))
        _unmatched(list(dict.fromkeys(bad["input"].astype(str))), "province", hints)
    out = np.full(len(values), None, dtype=object)
    out[keep] = table["province"].to_numpy(object)
    return pd.Series(out, index=values.index, dtype=object)


def _is_province_only(values: pd.Series) -> pd.Series:
    text = values.astype(object)
    return text.isna() | text.map(lambda v: isinstance(v, str) and v.strip() in PROVINCE_ONLY)


def _counts_from_incidents(data: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
    """A count_by_province/district-shaped table from incidents (conserves the total)."""
    if column == "count":
        weight = pd.Series(1, index=data.index)
    else:
        weight = pd.to_numeric(data[column], errors="coerce").fillna(0)
    province = provinces_of(data["province"]).fillna(UNLOCATED)
    keys = [province]
    if by == "district":
        district = data["district"] if "district" in data else pd.Series(None, index=data.index)
        if "precision" in data:
            district = district.where(data["precision"].isin(["place", "district"]))
        keys.append(district.astype(object).where(district.notna(), "(province only)"))
    out = weight.groupby(keys, sort=False).sum().rename(column).reset_index()
    out.columns = ["province", *(["district"] if by == "district" else []), column]
    return out


def prepare(data: Any, column: str, by: str | None) -> Counts:
    """Join a table of counts (or incidents, counted first) to the province/district layer."""
    if not isinstance(data, pd.DataFrame):
        msg = f"Expected a DataFrame of counts or incidents, got {type(data).__name__}."
        raise InvalidInputError(msg)
    if "province" not in data.columns:
        msg = f"The table needs a 'province' column; it has {list(data.columns)!r}."
        raise InvalidInputError(msg)
    if by not in (None, "province", "district"):
        msg = f"by must be 'province' or 'district', not {by!r}."
        raise InvalidInputError(msg)
    data = data.reset_index(drop=True)
    if column != "count" and column not in data.columns:
        msg = f"No column {column!r} to map; the table has {list(data.columns)!r}."
        raise InvalidInputError(msg)
    if "precision" in data.columns or (column == "count" and "count" not in data.columns):
        data = _counts_from_incidents(data, column, by or "province")
    level: Literal["province", "district"] = (
        "district" if (by or ("district" if "district" in data else "province")) == "district"
        else "province"
    )  # fmt: skip
    values = pd.to_numeric(data[column], errors="coerce")
    province = provinces_of(data["province"])
    unlocated_rows = province.isna()
    unlocated = float(values[unlocated_rows].sum()) if unlocated_rows.any() else None
    layer = _data.read_layer(LAYERS[level][0])
    extras = [
        c for c in data.columns
        if c not in (column, "province", "district", "iso_3166_2", "geometry")
        and pd.api.types.is_numeric_dtype(data[c])
    ]  # fmt: skip
    province_only = 0.0
    if level == "province":
        keys = province[~unlocated_rows]
        layer_keys = pd.Index(layer["name"])
    else:
        if "district" not in data.columns:
            msg = "A district map needs a 'district' column in the table."
            raise InvalidInputError(msg)
        only = ~unlocated_rows & _is_province_only(data["district"])
        province_only = float(values[only].sum())
        rows = ~unlocated_rows & ~only
        keys = province[rows] + "|" + data.loc[rows, "district"].astype(str)
        layer_keys = pd.Index(layer["province"] + "|" + layer["name"])
    position = layer_keys.get_indexer(keys)
    if (position < 0).any():
        bad = keys[position < 0].tolist()
        names = [k.replace("|", " / ") for k in bad] if level == "district" else bad
        _unmatched(list(dict.fromkeys(names)), level, {})
    dup = keys[keys.duplicated()]
    if len(dup):
        msg = f"{level.capitalize()} {dup.iloc[0]!r} appears more than once in the table."
        raise InvalidInputError(msg)
    frame = pd.DataFrame({"name": layer["name"], "province": layer.get("province", layer["name"])})
    frame["value"] = np.nan
    frame.loc[position, "value"] = values[keys.index].to_numpy(float)
    for extra in extras:
        frame[extra] = np.nan
        frame.loc[position, extra] = pd.to_numeric(data.loc[keys.index, extra]).to_numpy(float)
    return Counts(level, frame, column, extras, unlocated, province_only)


# --- classes, labels, colours ---------------------------------------------------------


def fmt(x: float) -> str:
    """A number for a legend or tooltip: 1,234 / 12.50 / 0.0123, or "no data"."""
    if not np.isfinite(x):
        return "no data"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}" if abs(x) >= 1 else f"{x:.3g}"


def classify(
    values: np.ndarray, scheme: str | Sequence[float], k: int, cmap: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """(colour of each value, legend rows (colour, label)); zero gets its own class."""
    mapclassify = import_optional("mapclassify", extra="maps")
    matplotlib = import_optional("matplotlib", extra="maps")
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        msg = f"k must be a positive int, got {k!r}."
        raise InvalidInputError(msg)
    try:
        colormap = matplotlib.colormaps[cmap]
    except KeyError:
        msg = f"Unknown colormap {cmap!r}; use a matplotlib name such as 'YlOrRd'."
        raise InvalidInputError(msg) from None
    present = np.isfinite(values)
    zero_class = bool((values[present] >= 0).all())
    ranked = present & (values > 0) if zero_class else present
    y = values[ranked]
    colors = [NO_DATA] * len(values)
    rows: list[tuple[str, str]] = []
    if present.sum() < len(values):
        rows.append((NO_DATA, "no data"))
    if zero_class and (values[present] == 0).any():
        rows.append((ZERO, "0"))
        for i in np.flatnonzero(present & (values == 0)):
            colors[i] = ZERO
    if len(y) == 0:
        return colors, rows
    if isinstance(scheme, str):
        folded = scheme.lower().replace("_", "").replace("-", "").replace(" ", "")
        if folded not in SCHEMES:
            msg = f"Unknown scheme {scheme!r}; choose one of {sorted(SCHEMES)} or pass bins."
            raise InvalidInputError(msg)
        n = min(k, len(np.unique(y)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classes = getattr(mapclassify, SCHEMES[folded])(y, k=n)
    else:
        bins = sorted(float(b) for b in scheme)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classes = mapclassify.UserDefined(y, bins=bins)
    bins_ = np.asarray(classes.bins, dtype=float)
    used = sorted(set(np.asarray(classes.yb).tolist()))
    integral = bool(np.all(np.mod(y, 1) == 0))
    shades = np.linspace(0.25, 1.0, len(used)) if len(used) > 1 else np.array([0.65])
    hexes = {c: matplotlib.colors.to_hex(colormap(s)) for c, s in zip(used, shades, strict=True)}
    for c in used:
        low = float(y.min()) if c == 0 else float(bins_[c - 1])
        high = min(float(bins_[c]), float(y.max()))
        if integral:
            high = float(np.floor(high))
            low = float(np.floor(low) + 1) if c > 0 else low
        low = max(low, float(y[np.asarray(classes.yb) == c].min()))
        label = fmt(high) if low == high else f"{fmt(low)} – {fmt(high)}"
        rows.append((hexes[c], label))
    for i, c in zip(np.flatnonzero(ranked), np.asarray(classes.yb).tolist(), strict=True):
        colors[i] = hexes[c]
    return colors, rows


# --- incidents: the precision each one is drawn at --------------------------------


def levels(incidents: gpd.GeoDataFrame) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """(level of each row: place/district/province/unlocated, province, district key)."""
    import shapely

    geoms = incidents.geometry.to_numpy()
    point = np.asarray(shapely.get_type_id(geoms)) == 0
    point &= ~np.asarray(shapely.is_empty(geoms), dtype=bool)
    n = len(incidents)
    precision = (
        incidents["precision"].astype(object)
        if "precision" in incidents
        else pd.Series("place", index=incidents.index)
    )
    if "province" in incidents:
        province = provinces_of(incidents["province"])
    else:
        province = pd.Series(None, index=incidents.index, dtype=object)
    district = (
        incidents["district"].astype(object)
        if "district" in incidents
        else pd.Series(None, index=incidents.index, dtype=object)
    )
    dlayer = _data.read_layer("districts")
    dkeys = pd.Index(dlayer["province"] + "|" + dlayer["name"])
    dpos = dkeys.get_indexer(province.fillna("") + "|" + district.fillna("").astype(str))
    level = np.full(n, "unlocated", dtype=object)
    is_place = (precision == "place").to_numpy()
    level[is_place & point] = "place"
    coarse = (precision.isin(["place", "district", "province"]).to_numpy()) & (level != "place")
    level[coarse & province.notna().to_numpy()] = "province"
    level[coarse & (precision != "province").to_numpy() & (dpos >= 0)] = "district"
    return level, province, pd.Series(dpos, index=incidents.index)
