"""Maps of incidents and counts: folium maps and self-contained offline HTML.

:func:`choropleth_map` shades provinces (or districts) by a count; :func:`incident_map`
draws incidents, with each one's precision honoured (an incident known only to its
province shades the province and is never drawn as an exact point); :func:`save_map`
writes one HTML file that opens with no network, byte for byte the same for the same
input. The maps display offline in Jupyter too. :mod:`afghangeo.plot` draws the
static figure.

A new map needs no tiles to be read: it shows, from bundled data, the neighbouring
countries (Natural Earth), province names, district lines and names from zoom 8, towns
from zoom 9 and a scale bar, each an entry of the layer control. folium elements added
to a map (a Marker with a Popup, a GeoJson, a LayerControl, the MarkerCluster and
HeatMap plugins, Font Awesome icons) still work offline: ``save_map`` inlines what they
need, and refuses, in one line, a map with assets it cannot ship.

The data of a map is embedded once, as compact JSON read by one small script, not as
one folium object per feature: 10,000 incidents with popups fit in well under 2 MB.
Joining the counts to the boundaries and classifying them is done by
:mod:`afghangeo._mapdata`; folium itself is used by :mod:`afghangeo._folium`, imported
only when a map is drawn.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from afghangeo import _data, _offline
from afghangeo._compat import import_optional
from afghangeo._files import write_atomic
from afghangeo._mapcontext import DENSE_ABOVE, POINTS_ZOOM, dense_layer, incident_areas, words
from afghangeo._mapdata import (
    PLACE,
    PROVINCE,
    MapLevel,
    classify,
    levels,
    notes_of,
    prepare,
)
from afghangeo._mapshapes import collection
from afghangeo._vocab import UNLOCATED
from afghangeo.errors import InvalidInputError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = ["choropleth_map", "incident_map", "save_map"]

logger = logging.getLogger(__name__)

_DEFAULT_POPUP = ("date", "place", "district", "province", "precision", "fatalities",
                  "killed", "wounded", "notes")  # fmt: skip
_CANVAS_ABOVE = 20_000  # unclustered points beyond this are drawn on a canvas


def _folium() -> ModuleType:
    """afghangeo._folium, imported on first use (folium is optional)."""
    import_optional("folium")
    from afghangeo import _folium

    return _folium


def choropleth_map(
    data: pd.DataFrame,
    column: str = "count",
    *,
    level: MapLevel | None = None,
    scheme: str | Sequence[float] = "quantiles",
    k: int = 5,
    classification_kwds: Mapping[str, Any] | None = None,
    cmap: str = "YlOrRd",
    legend: bool | str = True,
    tooltip: bool | Sequence[str] = True,
    title: str | None = None,
    tiles: str | None = None,
    m: folium.Map | None = None,
) -> folium.Map:
    """Provinces (or districts) shaded by a count, as a folium map.

    Parameters
    ----------
    data : pandas.DataFrame
        The output of ``count_by_province`` (``province``, `column`, an optional
        ``unlocated`` row), of ``count_by_district`` (with ``district``; rows with
        no district are known only to their province), or incidents (with a
        ``status`` or ``precision`` column), counted first by ``count_by_province``
        / ``count_by_district``. Province names in any spelling or ISO 3166-2
        code; provinces without a row show as "no data".
    column : str, default "count"
        The numbers to map. For incidents, "count" counts rows and any other
        column is summed (its weight).
    level : {"province", "district"}, optional
        The polygons; by default districts when the table has a ``district``
        column. A district table mapped by province is summed per province.
    scheme : str or sequence of float, default "quantiles"
        Any ``mapclassify.classify`` scheme ("quantiles", "natural_breaks",
        "fisher_jenks", "box_plot", "headtail_breaks" ...), or the upper bounds
        of user-defined classes. Zero always has a class of its own.
    k : int, default 5
        The number of classes (fewer when there are fewer distinct values).
    classification_kwds : mapping, optional
        More keyword arguments for mapclassify (``{"hinge": 3}``, ``{"pct": [...]}``).
    cmap : str, default "YlOrRd"
        A matplotlib colormap name.
    legend : bool or str, default True
        Show a legend with the class limits and the unlocated count; a str is
        its title.
    tooltip : bool or sequence of str, default True
        Show the name, value, share of the total and the table's other numeric
        columns on hover; a sequence chooses those other columns.
    title : str, optional
        A title shown on top of the map (as text) and as the page's title.
    tiles : str, optional
        A folium basemap name (needs the network to show); none by default.
    m : folium.Map, optional
        Draw onto this map (its tiles and controls kept) instead of a new one.

    Returns
    -------
    folium.Map
        `m`, or a new map; save it with :func:`save_map` for a file that opens offline.

    Raises
    ------
    UnknownPlaceError
        If one row of a count table names no province/district (two or more:
        InvalidInputError). Incidents in no known province are unlocated.
    InvalidInputError
        If `column` is missing, a place appears twice, or an option is invalid.

    Examples
    --------
    >>> import pandas as pd
    >>> import afghangeo as ag
    >>> from afghangeo.maps import choropleth_map
    >>> counts = pd.DataFrame({"province": [*ag.provinces()["name"], "unlocated"],
    ...                        "count": [*range(34), 5]})
    >>> m = choropleth_map(counts, scheme="equal_interval", k=3, title="Attacks")
    >>> type(m).__name__
    'Map'
    >>> choropleth_map(pd.DataFrame({"province": ["Atlantis"], "count": [1]}))
    Traceback (most recent call last):
    ...
    afghangeo.errors.UnknownPlaceError: Unknown province 'Atlantis'. ...
    """
    draw = _folium()
    target = draw.target_map(m, tiles)
    counts = prepare(data, column, level)
    colors, rows = classify(
        counts.frame["value"].to_numpy(float), scheme, k=k, cmap=cmap,
        classification_kwds=classification_kwds,
    )  # fmt: skip
    base = collection(
        counts.level, range(len(counts.frame)), draw.choropleth_props(counts, colors, tooltip)
    )
    heading = legend if isinstance(legend, str) else f"{words(column)} by {counts.level}"
    scheme_name = scheme if isinstance(scheme, str) else "user-defined bins"
    notes = [*notes_of(counts, unit=words(column)), f"Classes: {scheme_name}"]
    legend_html = draw.legend_html(heading, [("", c, t) for c, t in rows], notes) if legend else ""
    spec = draw.style(m is not None, tiles, base, counts.level, legend_html)
    return draw.add_layer(  # type: ignore[no-any-return]
        target, spec, title=title, cluster=False, heat=False
    )


def _columns(
    incidents: gpd.GeoDataFrame, popup: Sequence[str] | None, *named: str | None
) -> list[str]:
    """The popup columns; raise if a named column is missing."""
    columns = list(popup) if popup is not None else [c for c in _DEFAULT_POPUP if c in incidents]
    wrong = [c for c in [*columns, *named] if c is not None and not isinstance(c, str)]
    if wrong:
        msg = f"Column names must be str, got {wrong[0]!r}; popup= takes a list of names."
        raise InvalidInputError(msg)
    missing = [c for c in dict.fromkeys([*columns, *filter(None, named)]) if c not in incidents]
    if missing:
        msg = f"No column {missing!r} among the incidents' columns {list(incidents.columns)!r}."
        raise InvalidInputError(msg)
    return columns


def _incidents(incidents: Any) -> gpd.GeoDataFrame:
    gpd = import_optional("geopandas")
    if not isinstance(incidents, gpd.GeoDataFrame):
        msg = f"incident_map needs a GeoDataFrame of incidents, got {type(incidents).__name__}."
        raise InvalidInputError(msg)
    incidents = incidents.reset_index(drop=True)
    if incidents.crs is not None and not incidents.crs.equals("EPSG:4326"):
        incidents = incidents.to_crs(4326)
    return incidents


def incident_map(
    incidents: gpd.GeoDataFrame,
    *,
    popup: Sequence[str] | None = None,
    cluster: bool | None = None,
    heat: bool | str = False,
    time: bool | str = False,
    color_by: str | None = None,
    title: str | None = None,
    tiles: str | None = None,
    m: folium.Map | None = None,
) -> folium.Map:
    """Incidents on a map, each drawn at the precision it is known to.

    Incidents located to a place are points (clustered by default); incidents known
    only to a district or a province shade that district or province (dashed) and
    are never drawn as exact points, and their popups list the incidents behind the
    shading (the first ten, then how many more); the legend says how many incidents
    have no location. With more than 5,000 incidents at a place (and `cluster` not
    given), districts are shaded by their number of incidents and the points appear
    from zoom 9, as the legend says.

    Parameters
    ----------
    incidents : geopandas.GeoDataFrame
        The output of ``read_incidents``: Point geometries (or None), ``precision``
        ("place", "district", "province" or None), ``province``, ``district`` and
        any other columns. Without ``precision``, every point is a place; a
        province that names no province is unlocated (as in counts).
    popup : sequence of str, optional
        Columns shown in a point's popup, in order; all text is shown as text,
        never run as HTML, and empty cells are left out. By default the usual
        incident columns present (date, place, district, province, precision,
        fatalities, killed, wounded, notes); ``[]`` for no popups.
    cluster : bool, optional
        Group nearby points into clusters (Leaflet.markercluster). By default
        clusters, but with more than 5,000 incidents at a place the map shades
        districts by their number instead and shows the points (unclustered) from
        zoom 9, as its legend says; ``True`` or ``False`` chooses.
    heat : bool or str, default False
        Add a heat layer of the points; a str names the column that weighs it.
    time : bool or str, default False
        Add a time slider over the ``date`` column (or the column named): points
        and heat up to the chosen day are shown (undated ones only at the end);
        the province and district shading always counts every incident.
    color_by : str, optional
        Colour points by this column (its 9 commonest values, then "other").
    title : str, optional
        A title shown on top of the map (as text) and as the page's title.
    tiles : str, optional
        A folium basemap name (needs the network to show); none by default.
    m : folium.Map, optional
        Draw onto this map (its tiles and controls kept) instead of a new one.

    Returns
    -------
    folium.Map
        `m`, or a new map; the data is embedded once as JSON; save with :func:`save_map`.

    Raises
    ------
    InvalidInputError
        If `incidents` is not a GeoDataFrame or a named column is missing.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from afghangeo.maps import incident_map
    >>> gdf = gpd.GeoDataFrame(
    ...     {"place": ["Lashkar Gah", None], "province": ["Helmand", "Badghis"],
    ...      "precision": ["place", "province"], "notes": ["<b>3 killed</b>", None]},
    ...     geometry=[Point(64.37, 31.59), None], crs=4326)
    >>> type(incident_map(gdf, heat=True, title="Helmand")).__name__
    'Map'
    """
    draw = _folium()
    target = draw.target_map(m, tiles)
    incidents = _incidents(incidents)
    time_col = "date" if time is True else time or None
    heat_col = heat if isinstance(heat, str) else None
    columns = _columns(incidents, popup, time_col, heat_col, color_by)
    level, province, dpos = levels(incidents)
    pts = incidents[level == PLACE]
    n = len(pts)
    dense = cluster is None and n > DENSE_ABOVE
    cluster = not dense if cluster is None else cluster
    xy = np.column_stack([pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()]).round(5)
    points: dict[str, Any] = {
        "lat": xy[:, 1].tolist(), "lon": xy[:, 0].tolist(),
        "names": [words(c) for c in columns],
        "cols": [draw.json_column(pts[c]) for c in columns], "cluster": bool(cluster),
        "canvas": dense or (not cluster and n > _CANVAS_ABOVE),
        "label": f"Incidents at a place ({n:,})", "colors": [draw.POINT],
        "minZoom": POINTS_ZOOM if dense else 0,
    }  # fmt: skip
    if color_by:
        legend_rows = draw.color_groups(points, pts, color_by)
    else:
        legend_rows = [("ag-dot", draw.POINT, f"incidents at a place ({n:,})")]
    if time_col:
        draw.time_steps(points, pts[time_col])
    if heat:
        draw.heat_weights(points, pts[heat_col] if heat_col else pd.Series(1.0, index=pts.index))
    areas = incident_areas(incidents, columns, level, province, dpos, legend_rows)
    notes = [f"Unlocated (not on the map): {int((level == UNLOCATED).sum()):,}"]
    spec_density = dense_layer(pts, dpos[level == PLACE], legend_rows, notes) if dense else None
    if cluster:
        notes.append("Numbered circles: clusters of incidents; zoom in or click to open.")
    if heat:
        notes.append(f"Heat: incidents at a place, weighted by {words(heat_col or 'count')}.")
    outlines = range(len(_data.read_layer("provinces")))
    base = collection(PROVINCE, outlines, [{} for _ in outlines])
    spec = draw.style(
        m is not None, tiles, base, PROVINCE, draw.legend_html("Incidents", legend_rows, notes)
    )
    spec["areas"] = areas
    spec["points"] = points
    if spec_density:
        spec["density"] = spec_density
        if "context" in spec:  # the shaded districts show their lines already
            spec["context"]["districts"]["fc"] = None
    return draw.add_layer(  # type: ignore[no-any-return]
        target, spec, title=title, cluster=bool(cluster), heat=bool(heat)
    )


def _target(path: Any) -> Path:
    """`path` as a Path in an existing folder; raise InvalidInputError otherwise."""
    if not isinstance(path, (str, PathLike)) or not os.fspath(path) or "\0" in os.fspath(path):
        msg = f"save_map needs a file path, got {path!r}."
        raise InvalidInputError(msg)
    target = Path(path)
    if target.is_dir():
        msg = f"{str(target)!r} is a folder; give a file name such as 'map.html'."
        raise InvalidInputError(msg)
    if not target.parent.is_dir():
        msg = f"Folder {str(target.parent)!r} does not exist; create it first."
        raise InvalidInputError(msg)
    return target


def save_map(m: Any, path: str | PathLike[str], *, offline: bool = True) -> Path:
    """Write a map to one file, atomically; the same map gives the same bytes.

    Parameters
    ----------
    m : folium.Map or matplotlib.figure.Figure
        A map from :func:`choropleth_map`, :func:`incident_map` or folium (written
        as HTML), or a figure from ``plot_counts`` (written in the format of the
        suffix, e.g. ``.png`` or ``.svg``, without a timestamp).
    path : str or os.PathLike
        The file to write; its folder must exist. Replaced in one step, so a reader
        never sees half a file.
    offline : bool, default True
        Inline Leaflet, its plugins and what folium's own elements use (jQuery,
        Bootstrap, awesome-markers, Font Awesome, the marker images; vendored in
        ``afghangeo/data/vendor``) so the file opens with no network. A basemap
        (``tiles=``) still needs it. ``False`` links them from their CDNs, for a
        map with a plugin afghangeo does not ship.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InvalidInputError
        If `m` is not a folium map or figure, the path or its folder is not
        usable, or (offline) the map links an asset afghangeo does not ship.

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
    target = _target(path)
    if hasattr(m, "savefig"):
        from afghangeo.plot import save_figure

        return save_figure(m, target)
    if not hasattr(m, "get_root"):
        msg = f"save_map needs a folium map or a matplotlib figure, got {type(m).__name__}."
        raise InvalidInputError(msg)
    root = m.get_root()
    _folium().stable_ids(root)
    page = root.render()
    if offline:
        page = _offline.inline_assets(page)
    write_atomic(target, page)
    logger.debug("wrote %s (%d bytes)", target, len(page.encode()))
    return target
