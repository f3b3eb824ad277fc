"""Static choropleths for reports: :func:`plot_counts` draws a matplotlib figure.

matplotlib is imported only when a figure is drawn or saved. :func:`save_figure`
writes one atomically and reproducibly (no timestamp, stable SVG ids), so the same
counts give the same file; :func:`afghangeo.maps.save_map` calls it for a figure.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from afghangeo import _data
from afghangeo._compat import import_optional
from afghangeo._files import write_atomic
from afghangeo._mapcontext import words
from afghangeo._mapdata import LAYERS, MapLevel, classify, notes_of, prepare
from afghangeo.errors import InvalidInputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_counts", "save_figure"]

_EDGE = "#555555"
_MARGIN = 0.3  # degrees around the country
# metadata entries that would put the time of saving into the file, per format
_NO_DATE = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}
_SALT = "afghangeo"  # SVG element ids hashed from the content with this salt, not at random


def _text(value: Any, what: str) -> str:
    """A str for matplotlib, shown as written: ``$`` is escaped (no mathtext)."""
    if not isinstance(value, str):
        msg = f"{what} must be a str, got {type(value).__name__}."
        raise InvalidInputError(msg)
    return value.replace("$", r"\$")


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
    level: MapLevel | None = None,
    scheme: str | Sequence[float] = "quantiles",
    k: int = 5,
    classification_kwds: Mapping[str, Any] | None = None,
    cmap: str = "YlOrRd",
    title: str | None = None,
    source: str | None = None,
    figsize: tuple[float, float] = (8.0, 6.5),
) -> Figure:
    r"""A static choropleth of counts, as a matplotlib figure for reports.

    Parameters
    ----------
    counts : pandas.DataFrame
        As for :func:`afghangeo.maps.choropleth_map` (counts by province or
        district, or incidents, counted first).
    column : str, default "count"
        The numbers to map.
    level, scheme, k, classification_kwds, cmap
        Polygons, classes and colours, as for :func:`afghangeo.maps.choropleth_map`.
    title : str, optional
        The figure title; by default "<column in words> by <level>" ("incidents by
        province", "deaths (best) by district"). Shown as written
        (a ``$`` is no mathtext).
    source : str, optional
        A source note printed under the map (with the unlocated count).
    figsize : tuple of float, default (8.0, 6.5)
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; save it with :func:`save_figure` (or
        ``afghangeo.save_map``) for a reproducible ``.png``, ``.svg`` or ``.pdf``.

    Raises
    ------
    InvalidInputError
        As for ``choropleth_map``, or if `title` or `source` is not a str.

    Examples
    --------
    >>> import pandas as pd
    >>> from afghangeo.plot import plot_counts
    >>> fig = plot_counts(pd.DataFrame({"province": ["Helmand", "unlocated"], "count": [4, 1]}))
    >>> fig.axes[0].get_title()
    'incidents by province'
    >>> plot_counts(pd.DataFrame({"province": ["Helmand"], "cost": [4]}), "cost",
    ...             title="cost in $").axes[0].get_title()
    'cost in \\$'
    """
    import_optional("matplotlib")
    from matplotlib.collections import PathCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    note = _text(source, "source") if source is not None else None
    data = prepare(counts, column, level)
    heading = _text(title if title is not None else f"{words(column)} by {data.level}", "title")
    colors, rows = classify(
        data.frame["value"].to_numpy(float), scheme, k=k, cmap=cmap,
        classification_kwds=classification_kwds,
    )  # fmt: skip
    layer = _data.read_layer(LAYERS[data.level][0])
    paths, faces = [], []
    for geom, color in zip(layer.geometry, colors, strict=True):
        shapes = _patches(geom)
        paths += shapes
        faces += [color] * len(shapes)
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    ax.add_collection(PathCollection(paths, facecolors=faces, edgecolors=_EDGE, linewidths=0.4))
    minx, miny, maxx, maxy = layer.total_bounds
    ax.set_xlim(minx - _MARGIN, maxx + _MARGIN)
    ax.set_ylim(miny - _MARGIN, maxy + _MARGIN)
    ax.set_aspect(1 / np.cos(np.radians((miny + maxy) / 2)))
    ax.set_axis_off()
    ax.set_title(heading)
    handles = [Patch(facecolor=c, edgecolor=_EDGE, label=t) for c, t in rows]
    if handles:
        ax.legend(
            handles=handles,
            loc="lower right",
            fontsize="small",
            title=_text(words(column), "column"),
        )
    footer = " · ".join(
        [*([note] if note else []), *notes_of(data, unit=_text(words(column), "column"))]
    )
    if footer:
        fig.text(0.01, 0.01, footer, fontsize="x-small", color="#444444")
    return fig


def save_figure(fig: Figure, path: str | os.PathLike[str], **savefig: Any) -> Path:
    """Save a figure atomically and reproducibly: the same input gives the same bytes.

    No time of saving is written (SVG ``<dc:date>``, PDF ``CreationDate``) and SVG
    element ids are hashed from the content, not drawn at random. (A figure with a
    constrained layout may shift slightly between its first and second save; two
    figures drawn from the same counts save identically.)

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure, e.g. from :func:`plot_counts`.
    path : str or os.PathLike
        The file; its suffix chooses the format (``.png``, ``.svg``, ``.pdf`` ...).
    **savefig
        More arguments for ``Figure.savefig`` (``dpi=``, ``metadata=`` ...).

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> counts = pd.DataFrame({"province": ["Helmand"], "count": [4]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     one = save_figure(plot_counts(counts), pathlib.Path(tmp) / "a.svg").read_bytes()
    ...     two = save_figure(plot_counts(counts), pathlib.Path(tmp) / "b.svg").read_bytes()
    >>> one == two, b"<dc:date>" in one
    (True, False)
    """
    matplotlib = import_optional("matplotlib")
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower() or str(matplotlib.rcParams["savefig.format"])
    metadata = {**_NO_DATE.get(fmt, {}), **savefig.pop("metadata", {})}
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": _SALT}):
        fig.savefig(buffer, format=fmt, metadata=metadata or None, **savefig)
    return write_atomic(target, buffer.getvalue())
