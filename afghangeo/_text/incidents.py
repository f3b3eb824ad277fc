"""What an incident is made of while a text is read: its places, sentences, figures, dates.

:mod:`afghangeo.extract` groups the sentences of a text into these; the rules here
merge figures (the largest of each kind wins, unless the later one adds to it: "two
attackers were *also* killed") and choose the places and dates that count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Generic, Protocol, TypeVar

from afghangeo._text.dates import DateSpan
from afghangeo._text.figures import MAX_FIGURE, Figure

__all__ = ["Incident", "Key", "Located", "default_dates", "event_dates", "merge", "most_precise"]

#: A place as (name, province): two mentions of one place share it.
Key = tuple[str | None, str | None]


class Located(Protocol):
    """A place mention: what :class:`~afghangeo.extract.Mention` offers."""

    @property
    def name(self) -> str | None: ...
    @property
    def province(self) -> str | None: ...
    @property
    def precision(self) -> str | None: ...
    @property
    def near(self) -> str | None: ...


M = TypeVar("M", bound=Located)


def _precise(m: Located) -> bool:
    """Whether a mention says more than its province: a district, a place, or "near X"."""
    return m.precision != "province" or m.near is not None


@dataclass
class Incident(Generic[M]):
    """One reported attack or clash: where, in which sentences, how many, when."""

    places: list[M]
    sentences: list[int] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    dates: list[DateSpan] = field(default_factory=list)

    def add(self, k: int, figures: Iterable[Figure], dates: Iterable[DateSpan] = ()) -> None:
        """Sentence `k` continues this incident with its figures and dates (see `merge`)."""
        self.sentences.append(k)
        self.dates.extend(dates)
        for f in figures:
            self.figures[f.what] = merge(self.figures.get(f.what), f)

    def absorb(self, other: Incident[M]) -> None:
        """Take the sentences, figures and dates of `other` (a province-only incident)."""
        self.add(other.sentences[0], other.figures.values(), other.dates)
        self.sentences.extend(other.sentences[1:])

    def precise(self) -> bool:
        """Whether some place of the incident says more than its province."""
        return any(_precise(m) for m in self.places)

    def provinces(self) -> set[str | None]:
        """The provinces of its places."""
        return {m.province for m in self.places}


def merge(old: Figure | None, new: Figure) -> Figure:
    """One figure from two of a kind for one incident.

    A figure that adds to the one before ("two attackers were also killed") or counts
    another side ("seven soldiers were killed ... the Taliban lost 12 fighters") is
    added to it; otherwise the larger stands (a toll restated, or revised upwards),
    and a number beats a count without one ("dozens of").
    """
    if old is None or old.value is None:
        return new if new.value is not None or old is None else old
    if new.value is None:
        return old
    other_side = bool(old.sides and new.sides) and old.sides.isdisjoint(new.sides)
    if (new.additive or other_side) and old.qualifier != "none":
        high = (
            None
            if old.high is None and new.high is None
            else ((old.high or old.value) + (new.high or new.value))
        )
        qualifier = old.qualifier or new.qualifier
        value, sides = old.value + new.value, old.sides | new.sides
        if max(value, high or 0) <= MAX_FIGURE:
            return replace(old, value=value, high=high, qualifier=qualifier, sides=sides)
    return new if new.value > old.value else old


def event_dates(dates: list[DateSpan]) -> list[DateSpan]:
    """The dates of the events among `dates`: those not of a report, if any, else all."""
    events = [d for d in dates if not d.reported]
    return events or dates


def most_precise(places: list[M]) -> list[M]:
    """Drop a province mention when a place in that province is named beside it."""
    precise = {m.province for m in places if _precise(m)}
    out: list[M] = []
    seen: set[Key] = set()
    for m in places:
        if not _precise(m) and m.province in precise:
            continue
        key = (m.name, m.province)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def default_dates(
    period: list[DateSpan], day: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """The dates of an incident whose sentences give none: those of the article."""
    if period:
        return min(d.first for d in period), max(max(d.last for d in period), day or dt.date.min)
    return day, day
