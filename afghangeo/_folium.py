"""The folium side of the maps: the Map class, its offline display, the layer and its spec.

This module imports folium at the top; :mod:`afghangeo.maps` imports it only when a map
is drawn, so ``import afghangeo`` stays light. An afghangeo map is a :class:`Map` (a
``folium.Map``) with one :class:`AfghangeoLayer`, which embeds the map's data once as
JSON and draws it with ``afghangeo/data/afghangeo-map.js``.

Element ids are not random: :func:`stable_ids` derives them from the map's content
and the order of its elements, so the same input saves to the same bytes. The second
half builds the parts of the spec that ``afghangeo-map.js`` reads: legends and
tooltips (HTML, every text escaped), styles, areas and point options.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, Figure, JavascriptLink

from afghangeo import _data, _offline
from afghangeo._mapcontext import context, tip, words
from afghangeo._mapdata import DISTRICT, PROVINCE, Counts, fmt
from afghangeo.errors import InvalidInputError

__all__ = [
    "POINT",
    "AfghangeoLayer",
    "Map",
    "add_layer",
    "choropleth_props",
    "color_groups",
    "heat_weights",
    "json_column",
    "legend_html",
    "new_map",
    "notebook_html",
    "stable_ids",
    "style",
    "target_map",
    "time_steps",
]

logger = logging.getLogger(__name__)

_CENTRE, _ZOOM, _MAX_ZOOM = (34.0, 66.0), 6, 18
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf")  # fmt: skip
POINT = "#d7301f"
_COLOR_GROUPS = len(_PALETTE) - 1  # the commonest values get a colour, then "other"


@functools.cache
def _code() -> tuple[str, str]:
    """The map script and style sheet, from the package data."""
    return _data.read_text("afghangeo-map.js"), _data.read_text("afghangeo-map.css")


def _tree(root: Element) -> Iterator[Element]:
    """`root` and every element below it through its children, depth first.

    An element's own header, html and script parts (a folium Popup keeps its content
    there) are walked too, except a Figure's, which grow as the page renders.
    """
    yield root
    parts = () if isinstance(root, Figure) else ("header", "html", "script")
    for part in parts:
        child = getattr(root, part, None)
        if isinstance(child, Element):
            yield from _tree(child)
    for child in list(root._children.values()):
        yield from _tree(child)


def stable_ids(root: Element) -> None:
    """Replace folium's random element ids by ids derived from the content and order.

    The seed is the kinds of elements on the map and the data of its afghangeo layers,
    so two different maps on one page do not share ids, and the same map gets the same
    ids in every run and every render. A Figure's header, html and script parts (which
    grow as the page renders) are numbered after the map's own elements.
    """
    elements = list(_tree(root))
    seed = hashlib.sha256()
    for element in elements:
        seed.update(type(element).__name__.encode())
        seed.update(getattr(element, "payload", "").encode())
    for part in ("header", "html", "script"):
        child = getattr(root, part, None)
        if isinstance(child, Element):
            elements += _tree(child)
    renamed: dict[str, str] = {}
    for i, element in enumerate(elements):
        old = element.get_name()
        digest = seed.copy()
        digest.update(str(i).encode())
        element._id = digest.hexdigest()[:32]
        renamed[old] = element.get_name()
    for element in elements:  # children named by their (old) name, as a Popup's html
        element._children = OrderedDict(
            (renamed.get(k, k), c) for k, c in element._children.items()
        )


def notebook_html(m: folium.Map, default: Any, **kwargs: Any) -> str:
    """What Jupyter shows: the offline page of ``save_map`` in an iframe, as folium does.

    folium's own display loads Leaflet from a CDN inside the iframe, so with no network
    the map is blank. `default` (folium's display) is kept for a map that links assets
    afghangeo does not ship (a folium plugin added by hand).
    """
    figure = m.get_root()
    if not isinstance(figure, Figure):
        return str(default(**kwargs))
    stable_ids(figure)
    try:
        page = _offline.inline_assets(figure.render(**kwargs))
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


class Map(folium.Map):
    """A folium map whose notebook display needs no network (Leaflet inlined).

    On its own it links only Leaflet; once the user adds folium elements of their own
    (a Marker, a Popup, a LayerControl ...) it links folium's usual page assets too
    (jQuery, Bootstrap, awesome-markers, icon fonts), which those elements rely on.
    """

    def render(self, **kwargs: Any) -> str:
        own = (AfghangeoLayer, folium.raster_layers.TileLayer)
        if any(not isinstance(c, own) for c in self._children.values()):
            self.default_js = [("leaflet", _offline.JS["leaflet"]), *folium.Map.default_js[1:]]
            self.default_css = [
                ("leaflet_css", _offline.CSS["leaflet_css"]),
                *folium.Map.default_css[1:],
            ]
        super().render(**kwargs)  # type: ignore[no-untyped-call]
        return ""

    def _repr_html_(self, **kwargs: Any) -> str:
        return notebook_html(self, super()._repr_html_, **kwargs)


class _Text(Element):
    """Text put on the page as it is.

    branca compiles what a MacroElement renders as a new Jinja template, so data
    holding ``{{ ... }}`` or ``{% ... %}`` would be run as template code; this is
    never compiled.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class AfghangeoLayer(Element):
    """Draws one afghangeo map spec (JSON in `payload`) on its parent folium map."""

    def __init__(self, payload: str, *, cluster: bool = False, heat: bool = False) -> None:
        super().__init__()
        self._name = "AfghangeoLayer"
        self.payload = payload
        self.code, self.style = _code()
        js, css = _offline.JS, _offline.CSS
        self.default_js = [("leaflet", js["leaflet"])]
        self.default_css = [("leaflet_css", css["leaflet_css"])]
        if cluster:
            self.default_js.append(("markercluster", js["markercluster"]))
            self.default_css += [
                (k, css[k]) for k in ("markercluster_css", "markercluster_default_css")
            ]
        if heat:
            self.default_js.append(("heat", js["heat"]))

    def render(self, **kwargs: Any) -> str:
        """Add the links, the style and the script to the page (as text, not templates)."""
        figure = self.get_root()
        if not isinstance(figure, Figure) or self._parent is None:
            msg = "An afghangeo layer draws only on a folium map that is part of a page."
            raise InvalidInputError(msg)
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        figure.header.add_child(_Text(f"<style>{self.style}</style>"), name=self.get_name())
        call = f"afghangeoMap({self._parent.get_name()}, {self.payload});"
        script = f"(function () {{\n{self.code}\n{call}\n}})();"
        figure.script.add_child(_Text(script), name=self.get_name())
        return ""


def new_map(tiles: str | None) -> Map:
    """An empty afghangeo :class:`Map` centred on Afghanistan, Leaflet only."""
    try:
        m = Map(
            location=list(_CENTRE), zoom_start=_ZOOM, tiles=tiles, control_scale=False,
            max_zoom=_MAX_ZOOM,
        )  # fmt: skip
    except ValueError as err:  # folium: a tile URL without attribution, an unknown name
        msg = f"Cannot use tiles={tiles!r} ({err}); give a folium basemap name."
        raise InvalidInputError(msg) from err
    # only Leaflet (the scale bar is part of the context): folium's default jQuery,
    # Bootstrap and icon fonts are linked only once the user adds folium elements
    m.default_js = [("leaflet", _offline.JS["leaflet"])]
    m.default_css = [("leaflet_css", _offline.CSS["leaflet_css"])]
    return m


def target_map(m: Any, tiles: str | None) -> folium.Map:
    """The map to draw on: `m`, checked, or a new afghangeo map with `tiles`."""
    if m is None:
        return new_map(tiles)
    if not isinstance(m, folium.Map):
        msg = f"m= must be a folium.Map to draw on, got {type(m).__name__}."
        raise InvalidInputError(msg)
    if tiles is not None:
        msg = "tiles= applies to a new map only; add the tile layer to your map m= instead."
        raise InvalidInputError(msg)
    return m


def add_layer(
    m: folium.Map, spec: dict[str, Any], *, title: str | None, cluster: bool, heat: bool
) -> folium.Map:
    """Draw `spec` (with `title`, as text) on `m` and return `m`."""
    if title is not None:
        spec["title"] = title
        root = m.get_root()
        if isinstance(root, Figure):
            root.title = html.escape(title)  # branca's template does not escape it
    m.add_child(AfghangeoLayer(_offline.js_json(spec), cluster=cluster, heat=heat))
    return m


# --- the parts of a map spec: legends, tooltips, styles, point options ----------


def legend_html(title: str, rows: Sequence[tuple[str, str, str]], notes: Sequence[str]) -> str:
    """Legend from (css class, colour, label) rows and notes; every text escaped."""
    out = [f"<b>{html.escape(title)}</b>"]
    for css, color, label in rows:
        style = f"border-color:{color}" if css == "ag-dash" else f"background:{color}"
        out.append(f'<i class="{css}" style="{style}"></i>{html.escape(label)}<br>')
    out += [f"<small>{html.escape(n)}</small>" for n in notes]
    return "".join(out)


def style(drawn_on: bool, tiles: str | None, base: Any, level: str, legend: str) -> dict[str, Any]:
    """The style part of a map spec; `drawn_on` a map of the user's (keep its look)."""
    land = bool(tiles) or drawn_on
    spec: dict[str, Any] = (
        {} if drawn_on else {"context": context(district_lines=level != DISTRICT)}
    )
    return spec | {
        "background": None if drawn_on else "#e4e9ed",
        "stroke": "#555555",
        "weight": 0.8,
        "land": "#fbfaf7",
        "landOpacity": 0.0 if land else 1.0,
        "fillOpacity": 0.6 if land else 0.9,
        "baseClass": f"ag-{level}",
        "base": base,
        "legend": legend,
    }


def _tooltip_columns(counts: Counts, tooltip: bool | Sequence[str]) -> list[str]:
    if tooltip is True:
        return counts.extras
    if tooltip is False:
        return []
    extras = list(tooltip)
    missing = [c for c in extras if c not in counts.frame.columns]
    if missing:
        msg = f"Tooltip columns {missing!r} are not numeric columns of the table."
        raise InvalidInputError(msg)
    return extras


def choropleth_props(
    counts: Counts, colors: list[str], tooltip: bool | Sequence[str]
) -> list[dict[str, Any]]:
    """One feature's properties per polygon: fill colour and (escaped) tooltip."""
    frame, extras = counts.frame, _tooltip_columns(counts, tooltip)
    values = frame["value"].to_numpy(float)
    total = np.nansum(values) + (counts.unlocated or 0.0) + counts.province_only
    share = bool(np.all(np.mod(values[np.isfinite(values)], 1) == 0)) and total > 0
    props: list[dict[str, Any]] = []
    for i, rec in enumerate(frame.itertuples(index=False)):
        prop: dict[str, Any] = {"f": colors[i]}
        if tooltip is not False:
            name = rec.name if counts.level == PROVINCE else f"{rec.name} ({rec.province})"
            pairs = [(words(counts.column), fmt(values[i]))]
            if share and np.isfinite(values[i]):
                pairs.append(("share of all", f"{100 * values[i] / total:.1f}%"))
            pairs += [(words(c), fmt(frame[c].to_numpy(float)[i])) for c in extras]
            prop["t"] = tip(str(name), pairs)
        props.append(prop)
    return props


def color_groups(points: dict[str, Any], pts: pd.DataFrame, color_by: str) -> list[Any]:
    """Colour points by their commonest values of `color_by`; the legend rows."""
    values = pts[color_by].astype(object)
    groups = values.where(values.notna(), "unknown").astype(str)
    top = groups.value_counts().index[:_COLOR_GROUPS].tolist()
    if groups.nunique() > len(top):
        groups = groups.where(groups.isin(top), "other")
        top.append("other")
    points["g"] = pd.Index(top).get_indexer(groups).tolist()
    points["colors"] = list(_PALETTE[: len(top)])
    return [("ag-dot", c, f"{words(color_by)}: {g}") for c, g in zip(_PALETTE, top, strict=False)]


def time_steps(points: dict[str, Any], dates: pd.Series) -> None:
    """A time slider's steps: one per day; undated points only at the last step."""
    dates = pd.to_datetime(dates, errors="coerce").dt.normalize()
    days = pd.Index(sorted(dates.dropna().unique()))
    points["dates"] = [d.strftime("%Y-%m-%d") for d in days]
    points["t"] = np.where(dates.isna(), len(days), days.get_indexer(pd.Index(dates))).tolist()
    points["tmax"] = len(days) if dates.isna().any() else max(len(days) - 1, 0)


def heat_weights(points: dict[str, Any], weights: pd.Series) -> None:
    w = pd.to_numeric(weights, errors="coerce").fillna(0).clip(lower=0)
    points["w"] = [int(v) if float(v).is_integer() else round(float(v), 3) for v in w]
    points["wmax"] = float(w.max()) if len(w) and w.max() > 0 else 1.0


def json_column(s: pd.Series) -> dict[str, Any]:
    """A column as JSON-ready values, dictionary-encoded when it repeats a lot.

    Gaps (None, NaN, NaT, pd.NA) become null, whatever the column's type.

    >>> json_column(pd.Series(["a", "b", float("nan")]))
    {'v': ['a', 'b', None]}
    >>> json_column(pd.Series(["x", "x", "x", None]))
    {'k': ['x'], 'c': [0, 0, 0, -1]}
    >>> json_column(pd.Series([1.0, 2.5, None]))
    {'v': [1, 2.5, None]}
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        s = s.dt.strftime("%Y-%m-%d %H:%M").str.removesuffix(" 00:00")
    elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        f = pd.to_numeric(s, errors="coerce").astype(float)
        out = [None if not np.isfinite(v) else int(v) if v.is_integer() else v for v in f]
        return {"v": out}
    gaps = s.isna().to_numpy(bool).tolist()
    values = [
        None if gap else v if isinstance(v, str) else str(v)
        for v, gap in zip(s.astype(object).tolist(), gaps, strict=True)
    ]
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    if 2 * len(uniques) <= len(values):
        return {"k": uniques.tolist(), "c": codes.tolist()}
    return {"v": values}
