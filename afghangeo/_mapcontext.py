"""What an offline map shows around the data, its areas, and the words its legends use.

The context of a map comes from bundled data only, so it needs no tiles: the
neighbouring countries (``context.geojson``, from Natural Earth), province names,
district lines and names (from zoom 8), towns (the gazetteer's capitals and towns, from
zoom 9) and a scale bar, each an entry of the layer control. :func:`density` shades
districts by the number of incidents in them, the default of a large incident map.
:func:`words` turns a column name into what a legend says ("incidents", "deaths
(best)"). :func:`incident_areas` draws the incidents known only to a district or
province as those areas, with popups that list them. Nothing here imports folium;
:mod:`afghangeo.maps` puts the parts in a spec.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._columns import ROLES
from afghangeo._mapdata import (
    DISTRICT,
    PROVINCE,
    classify,
    fmt,
)
from afghangeo._mapshapes import coarse_districts, collection, rounded

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "AREA",
    "ATTRIBUTION",
    "DENSE_ABOVE",
    "POINTS_ZOOM",
    "area_list",
    "areas",
    "context",
    "dense_layer",
    "density",
    "districts_of",
    "incident_areas",
    "tip",
    "words",
]

#: The colour of incidents known only to an area, by level.
AREA: dict[str, str] = {
    PROVINCE: "#6a3d9a",
    DISTRICT: "#e66101",
}
#: More incidents at a place than this: the incident map shades districts instead.
DENSE_ABOVE = 5_000
#: The zoom from which a dense map shows its points, and the towns appear.
POINTS_ZOOM = 9
_DISTRICT_ZOOM = 8
_TOWN_KINDS = ("capital", "town")
_AREA_LIST = 10  # incidents listed in an area's popup, then "and N more"
ATTRIBUTION = "Boundaries: geoBoundaries; neighbouring countries: Made with Natural Earth"
_FATALITY = ROLES["weight"]  # the fatality columns read_incidents detects
_WORDS = {"count": "incidents", "wounded": "wounded", "injured": "injured"}
_LAYER_WORDS = {
    "countries": "Neighbouring countries",
    "provinces": "Province names",
    "districts": f"District lines and names (zoom {_DISTRICT_ZOOM}+)",
    "towns": f"Towns (zoom {POINTS_ZOOM}+)",
    "scale": "Scale bar",
}


def words(column: str) -> str:
    """What a legend or tooltip calls a column of counts.

    >>> words("count"), words("best"), words("civilian_deaths")
    ('incidents', 'deaths (best)', 'civilian deaths')
    >>> words("fatalities_missing")
    'incidents with no figure for deaths (fatalities)'
    """
    if column.endswith("_missing") and column != "_missing":
        return f"incidents with no figure for {words(column.removesuffix('_missing'))}"
    if column in _WORDS:
        return _WORDS[column]
    if column.lower() in _FATALITY:
        return f"deaths ({column})"
    return column.replace("_", " ") if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", column) else column


def _table(names: Any, points: Any) -> dict[str, Any]:
    xy = np.round(np.asarray(points, dtype=float), 3)
    return {"names": [str(n) for n in names], "lat": xy[:, 1].tolist(), "lon": xy[:, 0].tolist()}


@functools.cache
def _coarse_shapes() -> tuple[dict[str, Any], ...]:
    """District polygons for lines and shading; their borders meet the province outlines."""
    return rounded(coarse_districts())


def _coarse_districts(props: Sequence[dict[str, Any]]) -> dict[str, Any]:
    features = [
        {"type": "Feature", "geometry": g, "properties": p}
        for g, p in zip(_coarse_shapes(), props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def _label_points(layer: str) -> Any:
    import shapely

    geoms = _data.read_layer(layer).geometry.to_numpy()
    return shapely.get_coordinates(shapely.point_on_surface(geoms))


@functools.cache
def _context(district_lines: bool) -> str:
    """The context part of a spec, as JSON text (built once per process)."""
    from afghangeo._offline import js_json

    provinces = _data.read_layer("provinces")
    districts = _data.read_layer("districts")
    towns = pd.DataFrame(list(_data.read_csv_rows("gazetteer.csv")))
    towns = towns[towns["kind"].isin(_TOWN_KINDS)].sort_values(["kind", "name"], kind="stable")
    lines = _coarse_districts([{} for _ in range(len(districts))])
    spec = {
        "countries": json.loads(_data.read_text("context.geojson")),
        "attribution": ATTRIBUTION,
        "words": _LAYER_WORDS,
        "provinces": _table(provinces["name"], _label_points("provinces")),
        "districts": {
            **_table(districts["name"], _label_points("districts")),
            "zoom": _DISTRICT_ZOOM,
            "fc": lines if district_lines else None,
        },
        "towns": {
            **_table(towns["name"], towns[["lon", "lat"]].to_numpy(float)),
            "capital": (towns["kind"] == "capital").tolist(),
            "zoom": POINTS_ZOOM,
        },
    }
    return js_json(spec)


def context(*, district_lines: bool = True) -> dict[str, Any]:
    """The context of a map: countries, province and district names, towns, the words.

    `district_lines` False leaves the district lines out (a district choropleth or a
    density layer draws them already).

    >>> c = context()
    >>> sorted(c), len(c["provinces"]["names"]), c["towns"]["zoom"]
    (['attribution', 'countries', 'districts', 'provinces', 'towns', 'words'], 34, 9)
    >>> [f["properties"]["name"] for f in c["countries"]["features"]][:2]
    ['Iran', 'Pakistan']
    """
    return dict(json.loads(_context(district_lines)))


def _text(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M").removesuffix(" 00:00")
    return str(value)


def area_list(rows: pd.DataFrame, columns: Sequence[str]) -> str:
    """The incidents behind an area's shading as escaped HTML: the first ten, then a count.

    >>> frame = pd.DataFrame({"date": [f"2021-01-{d:02}" for d in range(1, 13)],
    ...                       "notes": ["<b>x</b>"] * 12})
    >>> text = area_list(frame, ["date", "notes"])
    >>> text.count("<li>"), "and 2 more" in text, "&lt;b&gt;" in text
    (10, True, True)
    """
    items = []
    for rec in rows.head(_AREA_LIST)[list(columns)].itertuples(index=False):
        parts = [_text(v) for v in rec if v is not None and not pd.isna(v) and str(v) != ""]
        items.append(f"<li>{html.escape(' · '.join(parts) or 'incident')}</li>")
    more = len(rows) - _AREA_LIST
    tail = f"<br><small>and {more:,} more</small>" if more > 0 else ""
    return f'<ul class="ag-area-list">{"".join(items)}</ul>{tail}' if items else ""


def density(dpos: np.ndarray, *, label: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Districts shaded by incidents (district row of each one): (spec part, legend rows)."""
    layer = _data.read_layer("districts")
    counts = np.bincount(dpos[dpos >= 0], minlength=len(layer)).astype(float)
    colors, rows = classify(counts, "quantiles", k=5, cmap="Blues")
    props = []
    for i, rec in enumerate(layer[["name", "province"]].itertuples(index=False)):
        name = html.escape(f"{rec.name} ({rec.province})")
        props.append(
            {"f": colors[i], "t": f"<b>{name}</b><br>incidents at a place: {fmt(counts[i])}"}
        )
    return {"fc": _coarse_districts(props), "label": label, "fadeZoom": POINTS_ZOOM}, rows


def tip(title: str, pairs: Sequence[tuple[str, str]]) -> str:
    """A tooltip: the title in bold, then "key: value" lines (a value alone if no key)."""
    body = "".join(
        f"<br>{html.escape(k)}: {html.escape(v)}" if k else f"<br>{html.escape(v)}"
        for k, v in pairs
    )
    return f"<b>{html.escape(title)}</b>{body}"


def areas(
    level: np.ndarray,
    province: pd.Series,
    dpos: pd.Series,
    kind: str,
    *,
    incidents: pd.DataFrame,
    columns: Sequence[str],
) -> dict[str, Any] | None:
    """The spec of incidents known only to a province or district (`kind`).

    Each area's popup says how many incidents it stands for and lists them (the
    first ten, by `columns`, then how many more).
    """
    mask = level == kind
    if not mask.any():
        return None
    if kind == PROVINCE:
        names = pd.Index(_data.read_layer("provinces")["name"])
        row_of = pd.Series(names.get_indexer(province[mask]), index=province[mask].index)
    else:
        row_of = dpos[mask]
    rows = row_of.value_counts(sort=False)
    layer = _data.read_layer(f"{kind}s")
    top = float(rows.max())
    listed = [c for c in columns if c not in ("province", "district", "precision")]
    props = []
    for row, n in zip(rows.index.tolist(), rows.tolist(), strict=True):
        rec = layer.iloc[row]
        name = rec["name"] if kind == PROVINCE else f"{rec['name']} ({rec['province']})"
        text = f"{n:,} incident{'s' * (n != 1)} known only to the {kind}, not to a place"
        behind = incidents.loc[row_of.index[row_of.to_numpy() == row]]
        body = tip(name, [("", text)]) + area_list(behind, listed)
        props.append({"o": round(0.12 + 0.38 * n / top, 3), "t": body})
    fc = collection(kind, rows.index.to_numpy(int).tolist(), props)
    label = f"Known only to {kind}"
    return {"fc": fc, "label": label, "color": AREA[kind], "className": f"ag-{kind}-only"}


def districts_of(pts: gpd.GeoDataFrame, dpos: pd.Series) -> np.ndarray:
    """The district row of each point: its ``district`` column, else where it lies."""
    rows = dpos.to_numpy(int).copy()
    todo = np.flatnonzero(rows < 0)
    if len(todo):
        tree = _data.read_layer("districts").sindex
        found, where = tree.query(pts.geometry.to_numpy()[todo], predicate="intersects")
        first = pd.Series(where, index=found).groupby(level=0).min()
        rows[todo[first.index.to_numpy(int)]] = first.to_numpy(int)
    return rows


def incident_areas(
    incidents: gpd.GeoDataFrame,
    columns: list[str],
    *where: Any,
) -> list[dict[str, Any]]:
    """The province- and district-level areas; their legend rows are added.

    `where` is (level, province, district row, legend rows).
    """
    level, province, dpos, legend_rows = where
    found = (
        areas(level, province, dpos, k, incidents=incidents, columns=columns)
        for k in (PROVINCE, DISTRICT)
    )
    for kind in (PROVINCE, DISTRICT):
        if (count := int((level == kind).sum())) > 0:
            legend_rows.append(("ag-dash", AREA[kind], f"known only to {kind} ({count:,})"))
    return [a for a in found if a]


def dense_layer(
    pts: gpd.GeoDataFrame, dpos: pd.Series, legend_rows: list[Any], notes: list[str]
) -> dict[str, Any]:
    """The density layer of a large map; its legend rows and note are added."""
    spec, rows = density(districts_of(pts, dpos), label="Incidents by district")
    legend_rows += [("", c, f"{t} incidents in the district") for c, t in rows]
    notes.append(
        f"More than {DENSE_ABOVE:,} incidents: districts are shaded by the incidents at "
        f"a place in them; the points appear from zoom {POINTS_ZOOM}."
    )
    return spec
