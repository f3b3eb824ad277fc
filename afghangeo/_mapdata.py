"""The data behind the maps: counts joined to the boundaries, classes, incident levels.

Everything here is independent of how a map is drawn (no folium, no HTML): it turns a
table of counts, or incidents counted by :mod:`afghangeo.counts`, into one value per
polygon of the province or district layer (:func:`prepare`), those values into
colour classes and legend labels through ``mapclassify.classify`` (:func:`classify`),
and incidents into the precision each one is drawn at (:func:`levels`).
:mod:`afghangeo.maps` and :mod:`afghangeo.plot` draw the result; imports go that way.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn, cast

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._compat import import_optional
from afghangeo._vocab import PRECISIONS, PROVINCE_ONLY, UNLOCATED
from afghangeo.admin import normalize_provinces
from afghangeo.counts import count_by_district, count_by_province
from afghangeo.errors import InvalidInputError, UnknownPlaceError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DISTRICT",
    "LAYERS",
    "NO_DATA",
    "PLACE",
    "PROVINCE",
    "ZERO",
    "Counts",
    "MapLevel",
    "classify",
    "fmt",
    "levels",
    "notes_of",
    "prepare",
    "provinces_of",
]

PLACE, DISTRICT, PROVINCE = PRECISIONS
#: The polygons a choropleth can shade.
MapLevel = Literal["province", "district"]
ZERO, NO_DATA = "#ffffff", "#d0d0d0"
# level -> (bundled layer, simplification tolerance in degrees for the web maps; the
# provinces' is unused: they are unions of districts, see afghangeo._mapshapes)
LAYERS: dict[str, tuple[str, float]] = {
    PROVINCE: ("provinces", 0.01),
    DISTRICT: ("districts", 0.004),
}
_NOT_EXTRA = ("province", "district", "iso_3166_2", "geometry")
_K_SHRINKS = "Not enough unique values"  # mapclassify's warning when k must shrink
_NO_NUMBA = "Numba not installed"  # same classes, only slower: no news for a map's user
# The sampled schemes sample 10% of the values by default; a map has at most 433 values,
# so they sample as many values as there are (mapclassify caps a sample at 1,000).
_SAMPLED = ("fisherjenkssampled", "jenkscaspallsampled")
_SEED = 0


@dataclass(frozen=True)
class Counts:
    """One value (and the extra numeric columns) per polygon of a layer, from a table."""

    level: MapLevel
    frame: pd.DataFrame  # one row per polygon of the layer, in layer order; NaN = no data
    column: str
    extras: list[str]
    unlocated: float | None  # None: the input had no 'unlocated' row
    province_only: float


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
        f"Use the names of afghangeo.{kind}s() or {UNLOCATED!r}."
    )
    raise InvalidInputError(msg)


def provinces_of(values: pd.Series, *, strict: bool = True) -> pd.Series:
    """Canonical province of each value (None where missing/'unlocated').

    An unknown name raises when `strict` (a table of counts must name real provinces)
    and is None otherwise (an incident in no known province is unlocated, as in counts).
    """
    text = values.astype(object).where(values.notna(), None)
    missing = text.isna() | text.map(lambda v: isinstance(v, str) and v.lower() == UNLOCATED)
    keep = ~missing.to_numpy(bool)
    table = normalize_provinces(text.to_numpy(object)[keep].tolist())
    bad = table[table["status"] != "matched"]
    if strict and len(bad):
        hints = dict(zip(bad["input"].astype(str), bad["suggestion"], strict=True))
        _unmatched(list(dict.fromkeys(bad["input"].astype(str))), PROVINCE, hints)
    out = np.full(len(values), None, dtype=object)
    out[keep] = table["province"].to_numpy(object)
    return pd.Series(out, index=values.index, dtype=object)


def _is_province_only(values: pd.Series) -> pd.Series:
    text = values.astype(object)
    return text.isna() | text.map(lambda v: isinstance(v, str) and v.strip() in (PROVINCE_ONLY, ""))


def _is_incidents(data: pd.DataFrame, column: str) -> bool:
    """Incidents (to be counted) rather than a table of counts."""
    has = set(data.columns)
    return bool({"status", "precision"} & has) or (column == "count" and column not in has)


def _check(data: Any, column: str, level: str | None) -> None:
    if not isinstance(data, pd.DataFrame):
        msg = f"Expected a DataFrame of counts or incidents, got {type(data).__name__}."
        raise InvalidInputError(msg)
    if level not in (None, PROVINCE, DISTRICT):
        msg = f"level must be {PROVINCE!r} or {DISTRICT!r}, not {level!r}."
        raise InvalidInputError(msg)
    if column != "count" and column not in data.columns:
        msg = f"No column {column!r} to map; the table has {list(data.columns)!r}."
        raise InvalidInputError(msg)


def _sum_districts(data: pd.DataFrame, column: str) -> pd.DataFrame:
    """A count_by_district-shaped table summed to one row per province."""
    data = data.assign(**{column: pd.to_numeric(data[column], errors="coerce")})
    numeric = [
        c for c in data.columns
        if c not in _NOT_EXTRA and pd.api.types.is_numeric_dtype(data[c])
    ]  # fmt: skip
    key = provinces_of(data["province"]).fillna(UNLOCATED)
    return data[numeric].groupby(key.rename("province"), sort=False).sum().reset_index()


def prepare(data: Any, column: str, level: MapLevel | None) -> Counts:
    """Join a table of counts (or incidents, counted first) to the province/district layer.

    Incidents are counted by ``count_by_province``/``count_by_district`` (`column` is
    their weight unless it is "count"); without `level`, a table with a ``district``
    column is mapped by district. A district table mapped by province is summed.
    """
    _check(data, column, level)
    data = data.reset_index(drop=True)
    if _is_incidents(data, column):
        counter = count_by_district if level == DISTRICT else count_by_province
        data = counter(data, weight=None if column == "count" else column)
    elif "province" not in data.columns:
        msg = f"The table needs a 'province' column; it has {list(data.columns)!r}."
        raise InvalidInputError(msg)
    chosen = cast(MapLevel, level or (DISTRICT if "district" in data.columns else PROVINCE))
    if chosen == PROVINCE and "district" in data.columns:
        data = _sum_districts(data, column)
    return _join(data, column, chosen)


def _keys(
    data: pd.DataFrame, province: pd.Series, level: MapLevel
) -> tuple[pd.Series, pd.Index, pd.Series]:
    """(join key of each row on a polygon, keys of the layer, rows known only to a province)."""
    located = province.notna()
    layer = _data.read_layer(LAYERS[level][0])
    if level == PROVINCE:
        return province[located], pd.Index(layer["name"]), located & False
    if "district" not in data.columns:
        msg = "A district map needs a 'district' column in the table."
        raise InvalidInputError(msg)
    only = located & _is_province_only(data["district"])
    rows = located & ~only
    keys = province[rows] + "|" + data.loc[rows, "district"].astype(str)
    return keys, pd.Index(layer["province"] + "|" + layer["name"]), only


def _join(data: pd.DataFrame, column: str, level: MapLevel) -> Counts:
    values = pd.to_numeric(data[column], errors="coerce")
    province = provinces_of(data["province"])
    unlocated = float(values[province.isna()].sum()) if province.isna().any() else None
    keys, layer_keys, only = _keys(data, province, level)
    position = layer_keys.get_indexer(pd.Index(keys))
    if (position < 0).any():
        bad = keys[position < 0].tolist()
        names = [k.replace("|", " / ") for k in bad] if level == DISTRICT else bad
        _unmatched(list(dict.fromkeys(names)), level, {})
    dup = keys[keys.duplicated()]
    if len(dup):
        msg = f"{level.capitalize()} {dup.iloc[0]!r} appears more than once in the table."
        raise InvalidInputError(msg)
    layer = _data.read_layer(LAYERS[level][0])
    frame = pd.DataFrame({"name": layer["name"], "province": layer.get("province", layer["name"])})
    extras = [
        c for c in data.columns
        if c != column and c not in _NOT_EXTRA and pd.api.types.is_numeric_dtype(data[c])
    ]  # fmt: skip
    for name, source in [("value", values), *((c, data[c]) for c in extras)]:
        frame[name] = np.nan
        frame.loc[position, name] = pd.to_numeric(source[keys.index]).to_numpy(float)
    return Counts(level, frame, column, extras, unlocated, float(values[only].sum()))


def notes_of(counts: Counts, *, unit: str = "") -> list[str]:
    """The legend notes of a choropleth: what is counted but not shaded, in `unit`."""
    after = f" {unit}" if unit else ""
    notes = []
    if counts.level == DISTRICT and counts.province_only:
        notes.append(f"Known only to a province (not shaded): {fmt(counts.province_only)}{after}")
    if counts.unlocated is not None:
        notes.append(f"Unlocated (not on the map): {fmt(counts.unlocated)}{after}")
    return notes


# --- classes, labels, colours ---------------------------------------------------------


def fmt(x: float) -> str:
    """A number for a legend or tooltip: 1,234 / 12.50 / 0.0123, or "no data".

    >>> fmt(1234.0), fmt(12.5), fmt(0.01234), fmt(float("nan"))
    ('1,234', '12.50', '0.0123', 'no data')
    """
    if not np.isfinite(x):
        return "no data"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}" if abs(x) >= 1 else f"{x:.3g}"


def _scheme_options(
    scheme: str | Sequence[float], options: Mapping[str, Any] | None
) -> tuple[str, dict[str, Any]]:
    """(mapclassify scheme name, its keyword arguments) from `scheme`; raise if unknown."""
    mapclassify = import_optional("mapclassify")
    kwds = dict(options or {})
    if isinstance(scheme, str):
        folded = scheme.lower().replace("_", "").replace("-", "").replace(" ", "")
        choices = sorted(name.lower() for name in mapclassify.CLASSIFIERS)
        if folded not in choices:
            msg = (
                f"Unknown scheme {scheme!r}; choose one of mapclassify's "
                f"{', '.join(choices)}, or pass the upper bounds of the classes."
            )
            raise InvalidInputError(msg)
        if folded in _SAMPLED:
            kwds.setdefault("pct_sampled", 1.0)
        return folded, kwds
    try:
        kwds["bins"] = sorted(float(b) for b in scheme)
    except (TypeError, ValueError):
        msg = f"scheme must be a mapclassify scheme name or a list of numbers, not {scheme!r}."
        raise InvalidInputError(msg) from None
    return "userdefined", kwds


@contextlib.contextmanager
def _seeded() -> Iterator[None]:
    """Fix numpy's global random state for a moment, then restore it.

    mapclassify's random schemes (natural breaks, the sampled ones) draw from it; fixed,
    they give the same classes in every run.
    """
    state = np.random.get_state()
    np.random.seed(_SEED)
    try:
        yield
    finally:
        np.random.set_state(state)


def _classes(
    y: np.ndarray, scheme: str | Sequence[float], k: int, options: Mapping[str, Any] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(class of each value, upper bound of each class), through mapclassify.classify."""
    mapclassify = import_optional("mapclassify")
    name, kwds = _scheme_options(scheme, options)
    distinct = len(np.unique(y))
    if distinct == 1 and name != "userdefined":  # one value, one class, whatever the scheme
        return np.zeros(len(y), dtype=int), y[:1].astype(float)
    with warnings.catch_warnings(), _seeded():
        for quiet in (_K_SHRINKS, _NO_NUMBA):
            warnings.filterwarnings("ignore", message=quiet, category=UserWarning)
        try:
            classes = mapclassify.classify(y, name, k=min(k, distinct), **kwds)
        except (TypeError, ValueError) as err:
            msg = f"Cannot classify the values with scheme {scheme!r} ({err})."
            raise InvalidInputError(msg) from err
    return np.asarray(classes.yb, dtype=int), np.asarray(classes.bins, dtype=float)


def _label(c: int, y: np.ndarray, yb: np.ndarray, bins: np.ndarray, integral: bool) -> str:
    """The legend label of class `c`: the range of its values, "low – high"."""
    low = float(y.min()) if c == 0 else float(bins[c - 1])
    high = min(float(bins[c]), float(y.max()))
    if integral:
        high = float(np.floor(high))
        low = float(np.floor(low) + 1) if c > 0 else low
    low = max(low, float(y[yb == c].min()))
    return fmt(high) if low == high else f"{fmt(low)} – {fmt(high)}"


def _colormap(cmap: str) -> Any:
    matplotlib = import_optional("matplotlib")
    try:
        return matplotlib.colormaps[cmap]
    except KeyError:
        msg = f"Unknown colormap {cmap!r}; use a matplotlib name such as 'YlOrRd'."
        raise InvalidInputError(msg) from None


def classify(
    values: np.ndarray,
    scheme: str | Sequence[float],
    *,
    k: int,
    cmap: str,
    classification_kwds: Mapping[str, Any] | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """(colour of each value, legend rows (colour, label)); zero gets its own class.

    `scheme` is any ``mapclassify.classify`` scheme (``_``, ``-``, spaces and case
    ignored) or the upper bounds of user-defined classes; `classification_kwds` are
    passed on to mapclassify.
    """
    from matplotlib.colors import to_hex

    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        msg = f"k must be a positive int, got {k!r}."
        raise InvalidInputError(msg)
    colormap = _colormap(cmap)
    present = np.isfinite(values)
    zero_class = bool((values[present] >= 0).all())
    ranked = present & (values > 0) if zero_class else present
    colors = [NO_DATA] * len(values)
    rows: list[tuple[str, str]] = [(NO_DATA, "no data")] if not present.all() else []
    if zero_class and (values[present] == 0).any():
        rows.append((ZERO, "0"))
        for i in np.flatnonzero(present & (values == 0)):
            colors[i] = ZERO
    y = values[ranked]
    if len(y) == 0:
        return colors, rows
    yb, bins = _classes(y, scheme, k, classification_kwds)
    used = sorted(set(yb.tolist()))
    shades = np.linspace(0.25, 1.0, len(used)) if len(used) > 1 else np.array([0.65])
    hexes = {c: to_hex(colormap(s)) for c, s in zip(used, shades, strict=True)}
    integral = bool(np.all(np.mod(y, 1) == 0))
    rows += [(hexes[c], _label(c, y, yb, bins, integral)) for c in used]
    for i, c in zip(np.flatnonzero(ranked), yb.tolist(), strict=True):
        colors[i] = hexes[c]
    return colors, rows


# --- incidents: the precision each one is drawn at -----------------------------


def levels(incidents: gpd.GeoDataFrame) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """(level of each row: place/district/province/unlocated, province, district row).

    A row is a place when its precision is "place" and it has a point; otherwise it
    is drawn as its district or province when those are known (a province that names
    no province is unlocated, as in counts), else it is unlocated.
    """
    import shapely

    geoms = incidents.geometry.to_numpy()
    point = np.asarray(shapely.get_type_id(geoms)) == 0
    point &= ~np.asarray(shapely.is_empty(geoms), dtype=bool)
    none = pd.Series(None, index=incidents.index, dtype=object)
    precision = incidents["precision"].astype(object) if "precision" in incidents else none
    if "precision" not in incidents:
        precision = none.fillna(PLACE)
    province = (
        provinces_of(incidents["province"], strict=False) if "province" in incidents else none
    )
    district = incidents["district"].astype(object) if "district" in incidents else none
    dlayer = _data.read_layer("districts")
    dkeys = pd.Index(dlayer["province"] + "|" + dlayer["name"])
    dpos = dkeys.get_indexer(pd.Index(province.fillna("") + "|" + district.fillna("").astype(str)))
    level = np.full(len(incidents), UNLOCATED, dtype=object)
    level[(precision == PLACE).to_numpy() & point] = PLACE
    coarse = precision.isin(PRECISIONS).to_numpy() & (level != PLACE)
    level[coarse & province.notna().to_numpy()] = PROVINCE
    level[coarse & (precision != PROVINCE).to_numpy() & (dpos >= 0)] = DISTRICT
    return level, province, pd.Series(dpos, index=incidents.index)
