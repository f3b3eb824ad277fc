"""The polygons a web map draws: the boundaries simplified, rounded, as GeoJSON.

District polygons are simplified together (:func:`coarse_districts`), so that
neighbours keep one shared border, and a province's outline, their union, meets its
districts' lines at every zoom. :func:`collection` makes a FeatureCollection of a
layer's polygons with the properties a map script reads. Nothing here imports folium.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from afghangeo import _data
from afghangeo._mapdata import LAYERS, PROVINCE

__all__ = ["coarse_districts", "collection", "rounded", "shapes"]

_COVERAGE = 0.02  # simplification of the district coverage, in degrees (about 0.01 by RDP)


@functools.cache
def coarse_districts() -> tuple[Any, ...]:
    """The district polygons simplified together, so that neighbours keep one border.

    GEOS 3.12's coverage simplification; without it, each polygon is simplified on
    its own (and borders may not meet exactly).
    """
    import shapely

    geoms = _data.read_layer("districts").geometry.to_numpy()
    simplify = getattr(shapely, "coverage_simplify", None)
    out = simplify(geoms, _COVERAGE) if simplify else shapely.simplify(geoms, _COVERAGE / 2)
    return tuple(out)


def rounded(geoms: Any) -> tuple[dict[str, Any], ...]:
    """GeoJSON mappings of `geoms`, coordinates rounded to 3 decimals (about 100 m)."""
    import shapely

    geoms = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, 3))
    return tuple(shapely.geometry.mapping(g) for g in geoms)


@functools.cache
def shapes(level: str) -> tuple[dict[str, Any], ...]:
    """Simplified, rounded GeoJSON geometries of the province or district layer.

    Provinces are the unions of :func:`coarse_districts`; districts are simplified
    finer (for a district choropleth).
    """
    import shapely

    layer, tolerance = LAYERS[level]
    if level == PROVINCE:
        owner = _data.read_layer("districts")["province"].to_numpy()
        parts = np.asarray(coarse_districts(), dtype=object)
        names = _data.read_layer(layer)["name"]
        return rounded([shapely.union_all(parts[owner == name]) for name in names])
    return rounded(shapely.simplify(_data.read_layer(layer).geometry.to_numpy(), tolerance))


def collection(level: str, rows: Sequence[int], props: Sequence[dict[str, Any]]) -> Any:
    """A GeoJSON FeatureCollection of the layer's polygons `rows`, with properties `props`."""
    geometries = shapes(level)
    features = [
        {"type": "Feature", "geometry": geometries[i], "properties": p}
        for i, p in zip(rows, props, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
