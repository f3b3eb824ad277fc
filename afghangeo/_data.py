"""Package data, loaded through importlib.resources and cached.

Loaders are private and cached; public functions hand out copies so that no caller
can corrupt the cache.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib.resources import as_file, files
from typing import TYPE_CHECKING

import numpy as np

from afghangeo.errors import DataError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import geopandas as gpd

__all__ = ["has_resource", "read_csv_rows", "read_grid", "read_layer", "read_text"]

LAYERS = ("provinces", "districts")


def _resource(name: str) -> Traversable:
    return files("afghangeo") / "data" / name


@functools.cache
def read_layer(layer: str) -> gpd.GeoDataFrame:
    """The bundled ``provinces`` or ``districts`` layer (cached; do not mutate)."""
    import geopandas as gpd

    if layer not in LAYERS:
        msg = f"Unknown layer {layer!r}; choose one of {LAYERS}."
        raise ValueError(msg)
    try:
        with as_file(_resource(f"{layer}.geojson")) as path:
            gdf = gpd.read_file(path, engine="pyogrio")
    except OSError as err:  # pragma: no cover - a broken installation
        msg = f"Cannot read afghangeo's bundled {layer} layer ({err}); reinstall afghangeo."
        raise DataError(msg) from err
    return gdf


@functools.cache
def read_grid(layer: str) -> dict[str, np.ndarray]:
    """The precomputed locate grid of `layer` (see ``afghangeo._grid``)."""
    with _resource("locate_grid.npz").open("rb") as fh:
        arrays = np.load(io.BytesIO(fh.read()))
        prefix = f"{layer}/"
        return {k.removeprefix(prefix): arrays[k] for k in arrays.files if k.startswith(prefix)}


def has_resource(name: str) -> bool:
    """Whether the package data folder has a file `name`."""
    return bool(_resource(name).is_file())


def read_text(name: str) -> str:
    """A text file from the package data folder."""
    return str(_resource(name).read_text(encoding="utf-8"))


@functools.cache
def read_csv_rows(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a small CSV file from the package data folder."""
    return tuple(csv.DictReader(io.StringIO(read_text(name))))
