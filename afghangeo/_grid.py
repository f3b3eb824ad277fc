"""A regular-grid point-in-polygon index that is exact.

Every grid cell is classified once (at build time, see ``tools/build_boundaries.py``):

* ``label >= 0``: the cell, slightly enlarged, lies in the *interior* of exactly one
  polygon (``contains_properly``), so any point in it is within that polygon;
* ``label == -1``: no polygon touches the enlarged cell, so no point in it is within
  any polygon;
* ``label == -2``: a border cell; its candidate polygons are listed in CSR form and
  its points are tested exactly with prepared ``shapely.contains_xy``.

``contains_xy`` has the semantics of ``within`` for points (a point on a boundary is
not within), so answers equal ``geopandas.sjoin(predicate="within")`` on the same,
non-overlapping polygons.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

OUTSIDE = -1
BORDER = -2
_EPS = 1e-9  # cells are enlarged by this many degrees to absorb floating-point error


def build_grid(geoms: Any, *, cell: float) -> dict[str, np.ndarray]:
    """Classify the cells of a grid of size `cell` degrees over `geoms`' bounds."""
    geoms = np.asarray(geoms)
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    x0 = np.floor(xmin / cell) * cell - cell
    y0 = np.floor(ymin / cell) * cell - cell
    nx = int(np.ceil((xmax - x0) / cell)) + 1
    ny = int(np.ceil((ymax - y0) / cell)) + 1
    iy, ix = np.divmod(np.arange(nx * ny), nx)
    boxes = shapely.box(
        x0 + ix * cell - _EPS, y0 + iy * cell - _EPS,
        x0 + (ix + 1) * cell + _EPS, y0 + (iy + 1) * cell + _EPS,
    )  # fmt: skip
    tree = shapely.STRtree(geoms)
    cell_idx, geom_idx = tree.query(boxes, predicate="intersects")
    shapely.prepare(geoms)
    inside = shapely.contains_properly(geoms[geom_idx], boxes[cell_idx])
    n_hits = np.bincount(cell_idx, minlength=nx * ny)
    label = np.full(nx * ny, OUTSIDE, dtype=np.int16)
    single = n_hits[cell_idx] == 1
    label[cell_idx[single & inside]] = geom_idx[single & inside]
    border = (n_hits > 0) & (label == OUTSIDE)
    label[border] = BORDER
    keep = border[cell_idx]
    order = np.lexsort((geom_idx[keep], cell_idx[keep]))
    border_cells = np.flatnonzero(border)
    counts = n_hits[border_cells]
    return {
        "origin": np.array([x0, y0, cell]),
        "label": label.reshape(ny, nx),
        "border_cells": border_cells.astype(np.int64),
        "offsets": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "candidates": geom_idx[keep][order].astype(np.int16),
    }


class GridIndex:
    """Query side of :func:`build_grid`: polygon index per point, -1 when outside."""

    def __init__(self, geoms: Any, arrays: dict[str, np.ndarray]) -> None:
        self.geoms = np.asarray(geoms)
        shapely.prepare(self.geoms)
        self.x0, self.y0, self.cell = (float(v) for v in arrays["origin"])
        self.label = arrays["label"]
        self.border_cells = arrays["border_cells"]
        self.offsets = arrays["offsets"]
        self.candidates = arrays["candidates"]

    def query(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the polygon each (x, y) lies within, or -1; NaN gives -1."""
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ny, nx = self.label.shape
        with np.errstate(invalid="ignore"):
            fx = np.floor((x - self.x0) / self.cell)
            fy = np.floor((y - self.y0) / self.cell)
            on_grid = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)
        out = np.full(x.shape, OUTSIDE, dtype=np.int64)
        pts = np.flatnonzero(on_grid)
        flat = fy[pts].astype(np.int64) * nx + fx[pts].astype(np.int64)
        labels = self.label.ravel()[flat]
        out[pts] = labels
        border = labels == BORDER
        if border.any():
            out[pts[border]] = OUTSIDE
            self._refine(out, pts[border], flat[border], x, y)
        return out

    def _refine(
        self, out: np.ndarray, pts: np.ndarray, flat: np.ndarray, x: np.ndarray, y: np.ndarray
    ) -> None:
        pos = np.searchsorted(self.border_cells, flat)
        start = self.offsets[pos]
        counts = self.offsets[pos + 1] - start
        total = int(counts.sum())
        first = np.repeat(np.cumsum(counts) - counts, counts)
        pair_cand = self.candidates[np.repeat(start, counts) + np.arange(total) - first]
        pair_pt = np.repeat(pts, counts)
        order = np.argsort(pair_cand, kind="stable")
        pair_cand, pair_pt = pair_cand[order], pair_pt[order]
        bounds = np.flatnonzero(np.diff(pair_cand)) + 1
        for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, total], strict=True):
            p = pair_pt[lo:hi]
            hit = shapely.contains_xy(self.geoms[pair_cand[lo]], x[p], y[p])
            # polygons do not overlap; keep the lowest index as sjoin's first match would
            p = p[hit & (out[p] == OUTSIDE)]
            out[p] = pair_cand[lo]
