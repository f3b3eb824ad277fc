"""The table of :func:`~afghangeo.extract.extract_incidents`: columns, rows, DataFrame.

The rows are Python values, one per incident and place. They come first so that a
corpus can make one table of many articles (:mod:`afghangeo.corpus`): a small table
per article costs about what reading the article does.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any, Protocol

import pandas as pd

from afghangeo._columnar import typed_frame
from afghangeo._text.context import is_unsure
from afghangeo._text.dates import DateSpan
from afghangeo._text.figures import Figure
from afghangeo._text.grouping import Placed
from afghangeo._text.incidents import Incident, default_dates, event_dates
from afghangeo._text.sentences import Sentence
from afghangeo.place import Place

__all__ = ["FIGURE_COLUMNS", "INCIDENT_COLUMNS", "figure_spans", "frame", "rows"]

#: The columns of :func:`~afghangeo.extract.extract_incidents`, in order.
INCIDENT_COLUMNS = [
    "incident", "what", "place", "province", "district", "latitude", "longitude",
    "precision", "score", "date", "date_end",
    "killed", "killed_qualifier", "killed_low", "killed_high",
    "wounded", "wounded_qualifier", "wounded_low", "wounded_high",
    "casualties", "casualties_qualifier", "displaced_families", "displaced_qualifier",
    "start", "end", "source",
]  # fmt: skip
_RANGED = ("killed", "wounded")
_FIGURE_KINDS = ("killed", "wounded", "casualties", "displaced_families")
FIGURE_COLUMNS = [c for c in INCIDENT_COLUMNS if c.startswith(_FIGURE_KINDS) and "qual" not in c]
_FIGURE_WIDTH = INCIDENT_COLUMNS.index("start") - INCIDENT_COLUMNS.index("killed")
_NUMBER_COLUMNS = ("incident", "latitude", "longitude", "score", "start", "end")


class Row(Placed, Protocol):
    """A place mention with what a row shows: what :class:`~afghangeo.extract.Mention` has."""

    @property
    def place(self) -> Place | None: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def score(self) -> float: ...


_Inc = Incident[Any]  # of Row


def _where(m: Row) -> list[Any]:
    if m.place is None or is_unsure(m.place):  # "Nawa" alone: several provinces
        return [m.text, None, None, math.nan, math.nan, None]
    return [m.name, m.province, m.district, m.lat, m.lon, m.precision]


def _figures(inc: _Inc) -> list[Any]:
    """The figure columns of an incident, from ``killed`` to ``displaced_qualifier``."""
    out: list[Any] = []
    for what in _FIGURE_KINDS:
        f = inc.figures.get(what)
        out += [f.value, _qualifier(f)] if f else [None, None]
        if what in _RANGED:
            out += [f.value, f.high] if f and f.high is not None else [None, None]
    return out


def _qualifier(f: Figure) -> str | None:
    """The hedge as written; none for a plain number, or a zero ("no one was killed")."""
    return f.qualifier if f.qualifier not in ("", "none") else None


def rows(
    incidents: list[_Inc],
    sents: list[Sentence],
    period: list[DateSpan],
    day: dt.date | None,
    source: str | None,
) -> list[list[Any]]:
    default = default_dates(period, day)
    rows = []
    for number, inc in enumerate(incidents, start=1):
        first = sents[min(inc.sentences)]
        when = default
        dates = event_dates(inc.dates)
        if dates:
            when = (min(d.first for d in dates), max(d.last for d in dates))
        figs = _figures(inc)
        for n, m in enumerate(inc.places):
            rows.append(
                [
                    number, first.text, *_where(m), m.score, when[0], when[1],
                    *(figs if n == 0 else [None] * _FIGURE_WIDTH), first.start, first.end,
                    source,
                ]
            )  # fmt: skip
    return rows


def figure_spans(incidents: list[_Inc], text: str) -> list[dict[str, Any]]:
    """Every figure of the incidents kept, with the words that give it."""
    return [
        {"incident": number, "what": f.what, "value": f.value, "high": f.high,
         "qualifier": _qualifier(f), "start": f.start, "end": f.end,
         "text": text[f.start : f.end]}
        for number, inc in enumerate(incidents, start=1)
        for f in sorted(inc.figures.values(), key=lambda f: f.start)
    ]  # fmt: skip


def frame(rows: list[list[Any]]) -> pd.DataFrame:
    """The table of `rows`: figures as Int64, dates as datetime64, the rest inferred."""
    if not rows:  # most articles of a corpus: a copy of the empty table, made once
        return _empty_frame().copy()
    dates, numbers = ("date", "date_end"), _NUMBER_COLUMNS
    return typed_frame(rows, INCIDENT_COLUMNS, ints=FIGURE_COLUMNS, dates=dates, numbers=numbers)


@functools.cache
def _empty_frame() -> pd.DataFrame:
    dates, numbers = ("date", "date_end"), _NUMBER_COLUMNS
    return typed_frame([], INCIDENT_COLUMNS, ints=FIGURE_COLUMNS, dates=dates, numbers=numbers)
