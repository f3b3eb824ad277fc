"""Maps of incidents and counts: folium maps, self-contained offline HTML, static figures.

:func:`choropleth_map` shades provinces (or districts) by a count; :func:`incident_map`
draws incidents, with each one's precision honoured (an incident known only to its
province shades the province and is never drawn as an exact point); :func:`save_map`
writes one HTML file that opens with no network; :func:`plot_counts` draws a
matplotlib figure for reports.

The data of a map is embedded once, as compact JSON read by one small script, not as
one folium object per feature: 10,000 incidents with popups fit in well under 2 MB.
"""

from __future__ import annotations

import functools
import html
import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import numpy as np
import pandas as pd

from afghangeo import _data, _html
from afghangeo._compat import import_optional
from afghangeo.admin import normalize_provinces
from afghangeo.errors import InvalidInputError, UnknownPlaceError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    from matplotlib.figure import Figure

__all__ = ["choropleth_map", "incident_map", "plot_counts", "save_map"]

logger = logging.getLogger(__name__)

_SCHEMES = {
    "quantiles": "Quantiles",
    "naturalbreaks": "NaturalBreaks",
    "equalinterval": "EqualInterval",
    "fisherjenks": "FisherJenks",
}
_UNLOCATED = "unlocated"
_PROVINCE_ONLY = ("(province only)", "")
_ZERO, _NO_DATA = "#ffffff", "#d0d0d0"
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
_POINT, _PROVINCE_AREA, _DISTRICT_AREA = "#d7301f", "#6a3d9a", "#e66101"
_DEFAULT_POPUP = ("date", "place", "district", "province", "precision", "fatalities",
                  "killed", "wounded", "notes")  # fmt: skip
_LAYERS = {"province": ("provinces", 0.01), "district": ("districts", 0.004)}
_CANVAS_ABOVE = 20_000  # unclustered points beyond this are drawn on a canvas


# --- data preparation -----------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    level: Literal["province", "district"]
    frame: pd.DataFrame  # one row per polygon of the layer, in layer order; NaN = no data
    column: str
    extras: list[str]
    unlocated: float | None  # None: the input had no 'unlocated' row
    province_only: float


@functools.cache
def _shapes(level: str) -> tuple[dict[str, Any], ...]:
    """Simplified, rounded GeoJSON geometries of the province or district layer."""
    import shapely

    layer, tolerance = _LAYERS[level]
    geoms = shapely.simplify(_data.read_layer(layer).geometry.to_numpy(), tolerance)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, 3))
    return tuple(shapely.geometry.mapping(g) for g in geoms)


def _collection(level: str, rows: Sequence[int], props: Sequence[dict[str, Any]]) -> Any:
    shapes = _shapes(level)
    features = [
        {"type": "Feature", "geometry": shapes[i], "properties": p}
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


def _provinces_of(values: pd.Series) -> pd.Series:
    """Canonical province of each value (None where missing/'unlocated'); raise if unknown."""
    text = values.astype(object).where(values.notna(), None)
    missing = text.isna() | text.map(lambda v: isinstance(v, str) and v.lower() == _UNLOCATED)
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
    return text.isna() | text.map(lambda v: isinstance(v, str) and v.strip() in _PROVINCE_ONLY)


def _counts_from_incidents(data: pd.DataFrame, column: str, by: str) -> pd.DataFrame:
    """A count_by_province/district-shaped table from incidents (conserves the total)."""
    if column == "count":
        weight = pd.Series(1, index=data.index)
    else:
        weight = pd.to_numeric(data[column], errors="coerce").fillna(0)
    province = _provinces_of(data["province"]).fillna(_UNLOCATED)
    keys = [province]
    if by == "district":
        district = data["district"] if "district" in data else pd.Series(None, index=data.index)
        if "precision" in data:
            district = district.where(data["precision"].isin(["place", "district"]))
        keys.append(district.astype(object).where(district.notna(), "(province only)"))
    out = weight.groupby(keys, sort=False).sum().rename(column).reset_index()
    out.columns = ["province", *(["district"] if by == "district" else []), column]
    return out


def _prepare(data: Any, column: str, by: str | None) -> _Counts:
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
    if "precision" in data.columns or (column == "count" and "count" not in data.columns):
        data = _counts_from_incidents(data, column, by or "province")
    if column not in data.columns:
        msg = f"No column {column!r} to map; the table has {list(data.columns)!r}."
        raise InvalidInputError(msg)
    level: Literal["province", "district"] = (
        "district" if (by or ("district" if "district" in data else "province")) == "district"
        else "province"
    )  # fmt: skip
    values = pd.to_numeric(data[column], errors="coerce")
    province = _provinces_of(data["province"])
    unlocated_rows = province.isna()
    unlocated = float(values[unlocated_rows].sum()) if unlocated_rows.any() else None
    layer = _data.read_layer(_LAYERS[level][0])
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
    return _Counts(level, frame, column, extras, unlocated, province_only)


# --- classes, labels, colours ---------------------------------------------------------


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "no data"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}" if abs(x) >= 1 else f"{x:.3g}"


def _classify(
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
    colors = [_NO_DATA] * len(values)
    rows: list[tuple[str, str]] = []
    if present.sum() < len(values):
        rows.append((_NO_DATA, "no data"))
    if zero_class and (values[present] == 0).any():
        rows.append((_ZERO, "0"))
        for i in np.flatnonzero(present & (values == 0)):
            colors[i] = _ZERO
    if len(y) == 0:
        return colors, rows
    if isinstance(scheme, str):
        folded = scheme.lower().replace("_", "").replace("-", "").replace(" ", "")
        if folded not in _SCHEMES:
            msg = f"Unknown scheme {scheme!r}; choose one of {sorted(_SCHEMES)} or pass bins."
            raise InvalidInputError(msg)
        n = min(k, len(np.unique(y)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            classes = getattr(mapclassify, _SCHEMES[folded])(y, k=n)
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
        label = _fmt(high) if low == high else f"{_fmt(low)} – {_fmt(high)}"
        rows.append((hexes[c], label))
    for i, c in zip(np.flatnonzero(ranked), np.asarray(classes.yb).tolist(), strict=True):
        colors[i] = hexes[c]
    return colors, rows


def _legend_html(title: str, rows: Sequence[tuple[str, str, str]], notes: Sequence[str]) -> str:
    """Legend from (css class, colour, label) rows and notes; every text escaped."""
    out = [f"<b>{html.escape(title)}</b>"]
    for css, color, label in rows:
        style = f"border-color:{color}" if css == "ag-dash" else f"background:{color}"
        out.append(f'<i class="{css}" style="{style}"></i>{html.escape(label)}<br>')
    out += [f"<small>{html.escape(n)}</small>" for n in notes]
    return "".join(out)


def _tip(title: str, pairs: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<br>{html.escape(k)}: {html.escape(v)}" for k, v in pairs)
    return f"<b>{html.escape(title)}</b>{body}"


def _notes(counts: _Counts) -> list[str]:
    notes = []
    if counts.level == "district" and counts.province_only:
        notes.append(f"Known only to a province (not shaded): {_fmt(counts.province_only)}")
    if counts.unlocated is not None:
        notes.append(f"Unlocated (not on the map): {_fmt(counts.unlocated)}")
    return notes


# --- folium maps ----------------------------------------------------------------------


def _base_map(tiles: str | None) -> folium.Map:
    lib = import_optional("folium", extra="maps")
    m: folium.Map = lib.Map(
        location=[34.0, 66.0], zoom_start=6, tiles=tiles, control_scale=True, max_zoom=18
    )
    # only Leaflet: folium's default jQuery/Bootstrap/icon fonts are not used by these maps
    m.default_js = [("leaflet", _html.JS["leaflet"])]
    m.default_css = [("leaflet_css", _html.CSS["leaflet_css"])]
    return m


def _spec(tiles: str | None, base: Any, base_class: str, legend: str) -> dict[str, Any]:
    return {
        "background": "#e4e9ed",
        "stroke": "#555555",
        "weight": 0.8,
        "land": "#fbfaf7",
        "landOpacity": 0.0 if tiles else 1.0,
        "fillOpacity": 0.6 if tiles else 0.9,
        "baseClass": base_class,
        "base": base,
        "legend": legend,
    }


def choropleth_map(
    data: pd.DataFrame,
    column: str = "count",
    *,
    scheme: str | Sequence[float] = "quantiles",
    k: int = 5,
    cmap: str = "YlOrRd",
    legend: bool | str = True,
    tooltip: bool | Sequence[str] = True,
    by: Literal["province", "district"] | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Provinces (or districts) shaded by a count, as a folium map.

    Parameters
    ----------
    data : pandas.DataFrame
        The output of ``count_by_province`` (``province``, `column`, an optional
        ``unlocated`` row), of ``count_by_district`` (with ``district``; rows with
        no district are known only to their province), or incidents (with a
        ``precision`` column), which are counted first. Province names in any
        spelling or ISO 3166-2 code; provinces without a row show as "no data".
    column : str, default "count"
        The numbers to map. For incidents, "count" counts rows and any other
        column is summed.
    scheme : str or sequence of float, default "quantiles"
        "quantiles", "natural_breaks", "equal_interval" or "fisher_jenks"
        (mapclassify), or the upper bounds of user-defined classes. Zero always
        has a class of its own.
    k : int, default 5
        The number of classes (fewer when there are fewer distinct values).
    cmap : str, default "YlOrRd"
        A matplotlib colormap name.
    legend : bool or str, default True
        Show a legend with the class limits and the unlocated count; a str is
        its title.
    tooltip : bool or sequence of str, default True
        Show the name, value, share of the total and the table's other numeric
        columns on hover; a sequence chooses those other columns.
    by : {"province", "district"}, optional
        The polygons; by default districts when the table has a ``district``
        column.
    tiles : str, optional
        A folium basemap name (needs the network to show); none by default.

    Returns
    -------
    folium.Map
        Save it with :func:`save_map` for a file that opens offline.

    Raises
    ------
    UnknownPlaceError
        If one row names no province/district (two or more: InvalidInputError).
    InvalidInputError
        If `column` is missing, a place appears twice, or an option is invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> from afghangeo.maps import choropleth_map
    >>> counts = pd.DataFrame({"province": [*ag.provinces()["name"], "unlocated"],
    ...                        "count": [*range(34), 5]})
    >>> m = choropleth_map(counts, scheme="equal_interval", k=3)
    >>> type(m).__name__
    'Map'
    >>> choropleth_map(pd.DataFrame({"province": ["Atlantis"], "count": [1]}))
    Traceback (most recent call last):
    ...
    afghangeo.errors.UnknownPlaceError: Unknown province 'Atlantis'. ...
    """
    counts = _prepare(data, column, by)
    frame = counts.frame
    colors, rows = _classify(frame["value"].to_numpy(float), scheme, k, cmap)
    if tooltip is True:
        extras = counts.extras
    elif tooltip is False:
        extras = []
    else:
        extras = list(tooltip)
        missing = [c for c in extras if c not in frame.columns]
        if missing:
            msg = f"Tooltip columns {missing!r} are not numeric columns of the table."
            raise InvalidInputError(msg)
    values = frame["value"].to_numpy(float)
    total = np.nansum(values) + (counts.unlocated or 0.0) + counts.province_only
    share = bool(np.all(np.mod(values[np.isfinite(values)], 1) == 0)) and total > 0
    props = []
    for i, rec in enumerate(frame.itertuples(index=False)):
        prop: dict[str, Any] = {"f": colors[i]}
        if tooltip is not False:
            title = rec.name if counts.level == "province" else f"{rec.name} ({rec.province})"
            pairs = [(column, _fmt(values[i]))]
            if share and np.isfinite(values[i]):
                pairs.append(("share", f"{100 * values[i] / total:.1f}%"))
            pairs += [(c, _fmt(frame[c].to_numpy(float)[i])) for c in extras]
            prop["t"] = _tip(str(title), pairs)
        props.append(prop)
    base = _collection(counts.level, range(len(frame)), props)
    title = legend if isinstance(legend, str) else f"{column} by {counts.level}"
    scheme_name = scheme if isinstance(scheme, str) else "user-defined bins"
    notes = [*_notes(counts), f"Classes: {scheme_name}"]
    legend_html = _legend_html(title, [("", c, t) for c, t in rows], notes) if legend else ""
    m = _base_map(tiles)
    spec = _spec(tiles, base, f"ag-{counts.level}", legend_html)
    m.add_child(_html.map_element(spec))
    return m


def _json_values(s: pd.Series) -> dict[str, Any]:
    """A column as JSON-ready values, dictionary-encoded when it repeats a lot."""
    if pd.api.types.is_datetime64_any_dtype(s):
        s = s.dt.strftime("%Y-%m-%d %H:%M").str.removesuffix(" 00:00")
    elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        f = pd.to_numeric(s, errors="coerce").astype(float)
        out = [None if not np.isfinite(v) else int(v) if v.is_integer() else v for v in f]
        return {"v": out}
    s = s.astype(object).where(s.notna(), None)
    s = s.map(lambda v: v if v is None or isinstance(v, str) else str(v))
    codes, uniques = pd.factorize(s)
    if 2 * len(uniques) <= len(s):
        return {"k": uniques.tolist(), "c": codes.tolist()}
    return {"v": s.tolist()}


def _levels(incidents: gpd.GeoDataFrame) -> tuple[np.ndarray, pd.Series, pd.Series]:
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
        province = _provinces_of(incidents["province"])
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


def _areas(
    level: np.ndarray, province: pd.Series, dpos: pd.Series, kind: str
) -> dict[str, Any] | None:
    mask = level == kind
    if not mask.any():
        return None
    if kind == "province":
        names = pd.Index(_data.read_layer("provinces")["name"])
        rows = pd.Series(names.get_indexer(province[mask])).value_counts(sort=False)
        label, color, what = "Known only to province", _PROVINCE_AREA, "province"
    else:
        rows = dpos[mask].value_counts(sort=False)
        label, color, what = "Known only to district", _DISTRICT_AREA, "district"
    layer = _data.read_layer(f"{what}s")
    top = float(rows.max())
    props = []
    for row, n in zip(rows.index.tolist(), rows.tolist(), strict=True):
        rec = layer.iloc[row]
        title = rec["name"] if kind == "province" else f"{rec['name']} ({rec['province']})"
        text = f"{n:,} incident{'s' * (n != 1)} known only to the {what}, not to a place"
        props.append({"o": round(0.12 + 0.38 * n / top, 3), "t": _tip(title, [("", text)])})
    fc = _collection(kind, rows.index.to_numpy(int).tolist(), props)
    return {"fc": fc, "label": label, "color": color, "className": f"ag-{kind}-only"}


def incident_map(
    incidents: gpd.GeoDataFrame,
    *,
    popup: Sequence[str] | None = None,
    cluster: bool = True,
    heat: bool | str = False,
    time: bool | str = False,
    color_by: str | None = None,
    tiles: str | None = None,
) -> folium.Map:
    """Incidents on a map, each drawn at the precision it is known to.

    Incidents located to a place are points (clustered by default); incidents known
    only to a district or a province shade that district or province (dashed) and
    are never drawn as exact points; the legend says how many incidents have no
    location.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The output of ``read_incidents``: Point geometries (or None), ``precision``
        ("place", "district", "province" or None), ``province``, ``district`` and
        any other columns. Without ``precision``, every point is a place.
    popup : sequence of str, optional
        Columns shown in a point's popup, in order; all text is shown as text,
        never run as HTML. By default the usual incident columns present (date,
        place, district, province, precision, fatalities, killed, wounded, notes);
        ``[]`` for no popups.
    cluster : bool, default True
        Group nearby points into clusters (Leaflet.markercluster).
    heat : bool or str, default False
        Add a heat layer of the points; a str names the column that weighs it.
    time : bool or str, default False
        Add a time slider over the ``date`` column (or the column named): points
        and heat up to the chosen day are shown (undated ones only at the end);
        the province and district shading always counts every incident.
    color_by : str, optional
        Colour points by this column (its 9 commonest values, then "other").
    tiles : str, optional
        A folium basemap name (needs the network to show); none by default.

    Returns
    -------
    folium.Map
        The data is embedded once as compact JSON; save with :func:`save_map`.

    Raises
    ------
    InvalidInputError
        If `incidents` is not a GeoDataFrame or a named column is missing.
    UnknownPlaceError
        If a row names a province that does not exist.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from afghangeo.maps import incident_map
    >>> gdf = gpd.GeoDataFrame(
    ...     {"place": ["Lashkar Gah", None], "province": ["Helmand", "Badghis"],
    ...      "precision": ["place", "province"], "notes": ["<b>3 killed</b>", ""]},
    ...     geometry=[Point(64.37, 31.59), None], crs=4326)
    >>> type(incident_map(gdf, heat=True)).__name__
    'Map'
    """
    gpd = import_optional("geopandas", extra="maps")
    if not isinstance(incidents, gpd.GeoDataFrame):
        msg = f"incident_map needs a GeoDataFrame of incidents, got {type(incidents).__name__}."
        raise InvalidInputError(msg)
    incidents = incidents.reset_index(drop=True)
    if incidents.crs is not None and not incidents.crs.equals("EPSG:4326"):
        incidents = incidents.to_crs(4326)
    columns = list(popup) if popup is not None else [c for c in _DEFAULT_POPUP if c in incidents]
    time_col = "date" if time is True else time or None
    heat_col = heat if isinstance(heat, str) else None
    wanted = [*columns, *(c for c in (time_col, heat_col, color_by) if c)]
    missing = [c for c in dict.fromkeys(wanted) if c not in incidents.columns]
    if missing:
        msg = f"No column {missing!r} among the incidents' columns {list(incidents.columns)!r}."
        raise InvalidInputError(msg)
    level, province, dpos = _levels(incidents)
    pts = incidents[level == "place"]
    xy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()]).round(5)
    n = len(pts)
    points: dict[str, Any] = {
        "lat": xy[:, 1].tolist(),
        "lon": xy[:, 0].tolist(),
        "names": columns,
        "cols": [_json_values(pts[c]) for c in columns],
        "cluster": bool(cluster),
        "canvas": not cluster and n > _CANVAS_ABOVE,
        "label": f"Incidents at a place ({n:,})",
        "colors": [_POINT],
    }
    legend_rows: list[tuple[str, str, str]] = []
    if color_by:
        groups = pts[color_by].astype(object).where(pts[color_by].notna(), "unknown").astype(str)
        top = groups.value_counts().index[:9].tolist()
        if groups.nunique() > len(top):
            groups = groups.where(groups.isin(top), "other")
            top.append("other")
        points["g"] = pd.Index(top).get_indexer(groups).tolist()
        points["colors"] = list(_PALETTE[: len(top)])
        legend_rows += [
            ("ag-dot", c, f"{color_by}: {g}") for c, g in zip(_PALETTE, top, strict=False)
        ]
    else:
        legend_rows.append(("ag-dot", _POINT, f"at a place ({n:,})"))
    if time_col:
        dates = pd.to_datetime(pts[time_col], errors="coerce").dt.normalize()
        days = pd.Index(sorted(dates.dropna().unique()))
        points["dates"] = [d.strftime("%Y-%m-%d") for d in days]
        points["t"] = np.where(dates.isna(), len(days), days.get_indexer(dates)).tolist()
        points["tmax"] = len(days) if dates.isna().any() else max(len(days) - 1, 0)
    if heat:
        w = pts[heat_col] if heat_col else pd.Series(1.0, index=pts.index)
        w = pd.to_numeric(w, errors="coerce").fillna(0).clip(lower=0)
        points["w"] = [int(v) if float(v).is_integer() else round(float(v), 3) for v in w]
        points["wmax"] = float(w.max()) if n and w.max() > 0 else 1.0
    areas = [a for a in (_areas(level, province, dpos, k) for k in ("province", "district")) if a]
    for a in areas:
        count = int((level == a["className"][3:-5]).sum())
        legend_rows.append(("ag-dash", a["color"], f"{a['label'].lower()} ({count:,})"))
    notes = [f"Unlocated (not on the map): {int((level == 'unlocated').sum()):,}"]
    if cluster:
        notes.append("Numbered circles: clusters of incidents; zoom in or click to open.")
    if heat:
        notes.append(f"Heat: incidents at a place, weighted by {heat_col or 'count'}.")
    base = _collection("province", range(34), [{} for _ in range(34)])
    spec = _spec(tiles, base, "ag-province", _legend_html("Incidents", legend_rows, notes))
    spec["areas"] = areas
    spec["points"] = points
    m = _base_map(tiles)
    m.add_child(_html.map_element(spec, cluster=bool(cluster), heat=bool(heat)))
    return m


def save_map(m: folium.Map, path: str | PathLike[str], *, offline: bool = True) -> Path:
    """Write a map to one HTML file, atomically.

    Parameters
    ----------
    m : folium.Map
        A map from :func:`choropleth_map`, :func:`incident_map` or folium.
    path : str or os.PathLike
        The file to write; its folder must exist. Replaced in one step, so a reader
        never sees half a file.
    offline : bool, default True
        Inline Leaflet and its plugins (vendored in ``afghangeo/data/vendor``) so
        the file opens with no network. A basemap (``tiles=``) still needs it.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InvalidInputError
        If `m` is not a folium map, the folder does not exist, or (offline) the
        map links an asset afghangeo does not ship.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from afghangeo.maps import choropleth_map, save_map
    >>> m = choropleth_map(pd.DataFrame({"province": ["Helmand"], "count": [3]}))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     text = save_map(m, pathlib.Path(tmp) / "map.html").read_text()
    >>> "<script src=" in text, "Helmand" in text
    (False, True)
    """
    if not hasattr(m, "get_root"):
        msg = f"save_map needs a folium map, got {type(m).__name__}."
        raise InvalidInputError(msg)
    target = Path(path)
    if not target.parent.is_dir():
        msg = f"Folder {str(target.parent)!r} does not exist; create it first."
        raise InvalidInputError(msg)
    page = m.get_root().render()
    if offline:
        page = _html.inline_assets(page)
    _html.write_atomic(target, page)
    logger.debug("wrote %s (%d bytes)", target, len(page.encode()))
    return target


# --- static figure --------------------------------------------------------------------


def _patches(geometry: Any) -> list[Any]:
    """Paths for matplotlib (one per polygon, holes included) of a (Multi)Polygon."""
    from matplotlib.path import Path as MplPath

    polygons = getattr(geometry, "geoms", [geometry])
    out = []
    for poly in polygons:
        rings = [np.asarray(poly.exterior.coords)[:, :2]]
        rings += [np.asarray(r.coords)[:, :2] for r in poly.interiors]
        codes = np.concatenate(
            [
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY]
                for r in rings
            ]
        )
        out.append(MplPath(np.concatenate(rings), codes))
    return out


def plot_counts(
    counts: pd.DataFrame,
    column: str = "count",
    *,
    scheme: str | Sequence[float] = "quantiles",
    k: int = 5,
    cmap: str = "YlOrRd",
    title: str | None = None,
    source: str | None = None,
    figsize: tuple[float, float] = (8.0, 6.5),
) -> Figure:
    """A static choropleth of counts, as a matplotlib figure for reports.

    Parameters
    ----------
    counts : pandas.DataFrame
        As for :func:`choropleth_map` (counts by province or district, or incidents).
    column : str, default "count"
        The numbers to map.
    scheme, k, cmap
        Classes and colours, as for :func:`choropleth_map`.
    title : str, optional
        The figure title; by default "<column> by province".
    source : str, optional
        A source note printed under the map (with the unlocated count).
    figsize : tuple of float, default (8.0, 6.5)
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; ``fig.savefig("map.png")`` or ``.svg``.

    Examples
    --------
    >>> import pandas as pd
    >>> from afghangeo.maps import plot_counts
    >>> fig = plot_counts(pd.DataFrame({"province": ["Helmand", "unlocated"], "count": [4, 1]}))
    >>> fig.axes[0].get_title()
    'count by province'
    """
    import_optional("matplotlib", extra="maps")
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    data = _prepare(counts, column, None)
    colors, rows = _classify(data.frame["value"].to_numpy(float), scheme, k, cmap)
    layer = _data.read_layer(_LAYERS[data.level][0])
    paths, faces = [], []
    for geom, color in zip(layer.geometry, colors, strict=True):
        shapes = _patches(geom)
        paths += shapes
        faces += [color] * len(shapes)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors="#555555", linewidths=0.4))
    minx, miny, maxx, maxy = layer.total_bounds
    ax.set_xlim(minx - 0.3, maxx + 0.3)
    ax.set_ylim(miny - 0.3, maxy + 0.3)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    ax.set_title(title if title is not None else f"{column} by {data.level}")
    handles = [Patch(facecolor=c, edgecolor="#555555", label=t) for c, t in rows]
    if handles:
        ax.legend(handles=handles, loc="lower right", fontsize="small", title=column)
    note = " · ".join([*([source] if source else []), *_notes(data)])
    if note:
        fig.text(0.01, 0.01, note, fontsize="x-small", color="#444444")
    return fig
