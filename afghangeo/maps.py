"""Maps of incidents and counts: folium maps, self-contained offline HTML, static figures.

:func:`choropleth_map` shades provinces (or districts) by a count; :func:`incident_map`
draws incidents, with each one's precision honoured (an incident known only to its
province shades the province and is never drawn as an exact point); :func:`save_map`
writes one HTML file that opens with no network; :func:`plot_counts` draws a
matplotlib figure for reports. The maps display offline in Jupyter too: their
``_repr_html_`` inlines the vendored Leaflet as :func:`save_map` does.

The data of a map is embedded once, as compact JSON read by one small script, not as
one folium object per feature: 10,000 incidents with popups fit in well under 2 MB.
Joining the counts to the boundaries and classifying them is done by
:mod:`afghangeo._mapdata`; this module draws the result.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from afghangeo import _data, _html
from afghangeo._compat import import_optional
from afghangeo._mapdata import LAYERS, Counts, classify, collection, fmt, levels, prepare
from afghangeo.errors import InvalidInputError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    from matplotlib.figure import Figure

__all__ = ["choropleth_map", "incident_map", "plot_counts", "save_map"]

logger = logging.getLogger(__name__)

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
_POINT, _PROVINCE_AREA, _DISTRICT_AREA = "#d7301f", "#6a3d9a", "#e66101"
_DEFAULT_POPUP = ("date", "place", "district", "province", "precision", "fatalities",
                  "killed", "wounded", "notes")  # fmt: skip
_CANVAS_ABOVE = 20_000  # unclustered points beyond this are drawn on a canvas

# --- legends and tooltips -----------------------------------------------------------


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


def _notes(counts: Counts) -> list[str]:
    notes = []
    if counts.level == "district" and counts.province_only:
        notes.append(f"Known only to a province (not shaded): {fmt(counts.province_only)}")
    if counts.unlocated is not None:
        notes.append(f"Unlocated (not on the map): {fmt(counts.unlocated)}")
    return notes


# --- folium maps ----------------------------------------------------------------------


def _notebook_html(m: folium.Map, default: Any, **kwargs: Any) -> str:
    """What Jupyter shows: the offline page of :func:`save_map` in an iframe, as folium does.

    folium's own display loads Leaflet from a CDN inside the iframe, so with no network
    the map is blank. `default` (folium's display) is kept for a map that links assets
    afghangeo does not ship (a folium plugin added by hand).
    """
    from branca.element import Figure as BrancaFigure

    figure = m.get_root()
    if not isinstance(figure, BrancaFigure):
        return str(default(**kwargs))
    try:
        page = _html.inline_assets(figure.render(**kwargs))
    except InvalidInputError as err:
        logger.debug("notebook display falls back to folium's (online) one: %s", err)
        return str(default(**kwargs))
    srcdoc = html.escape(page)
    if figure.height is None:  # the same markup as branca's Figure._repr_html_
        return (
            f'<div style="width:{figure.width};"><div style="position:relative;width:100%;'
            f'height:0;padding-bottom:{figure.ratio};">'
            '<span style="color:#565656">Make this Notebook Trusted to load map: '
            "File -> Trust Notebook</span>"
            f'<iframe srcdoc="{srcdoc}" style="position:absolute;width:100%;height:100%;'
            'left:0;top:0;border:none !important;" allowfullscreen webkitallowfullscreen '
            "mozallowfullscreen></iframe></div></div>"
        )
    return (
        f'<iframe srcdoc="{srcdoc}" width="{figure.width}" height="{figure.height}" '
        'style="border:none !important;" allowfullscreen webkitallowfullscreen '
        "mozallowfullscreen></iframe>"
    )


@functools.cache
def _map_class() -> Any:
    """folium.Map, displayed offline in Jupyter (created on first use: folium is optional)."""
    base: Any = import_optional("folium", extra="maps").Map

    class Map(base):  # type: ignore[misc]
        """A folium map whose notebook display needs no network (Leaflet inlined)."""

        def _repr_html_(self, **kwargs: Any) -> str:
            return _notebook_html(self, super()._repr_html_, **kwargs)

    return Map


def _base_map(tiles: str | None) -> folium.Map:
    m: folium.Map = _map_class()(
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
    >>> import afghangeo as ag
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
    counts = prepare(data, column, by)
    frame = counts.frame
    colors, rows = classify(frame["value"].to_numpy(float), scheme, k, cmap)
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
            pairs = [(column, fmt(values[i]))]
            if share and np.isfinite(values[i]):
                pairs.append(("share", f"{100 * values[i] / total:.1f}%"))
            pairs += [(c, fmt(frame[c].to_numpy(float)[i])) for c in extras]
            prop["t"] = _tip(str(title), pairs)
        props.append(prop)
    base = collection(counts.level, range(len(frame)), props)
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
    fc = collection(kind, rows.index.to_numpy(int).tolist(), props)
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
    level, province, dpos = levels(incidents)
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
    base = collection("province", range(34), [{} for _ in range(34)])
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

    data = prepare(counts, column, None)
    colors, rows = classify(data.frame["value"].to_numpy(float), scheme, k, cmap)
    layer = _data.read_layer(LAYERS[data.level][0])
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
