"""The incident record (afghangeo/_text/incidents.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from afghangeo._text.dates import DateSpan
from afghangeo._text.figures import Figure
from afghangeo._text.incidents import Incident, default_dates, event_dates, merge, most_precise


@dataclass(frozen=True)
class _M:
    name: str | None
    province: str | None
    precision: str | None
    near: str | None = None


def test_figures_keep_the_largest_of_each_kind() -> None:
    inc: Incident[_M] = Incident([_M("Kabul", "Kabul", "place")])
    inc.add(0, [Figure("killed", 3, "", 0, 1), Figure("wounded", 5, "", 2, 3)])
    inc.add(1, [Figure("killed", 13, "at least", 0, 1), Figure("wounded", 2, "", 2, 3)])
    assert {k: f.value for k, f in inc.figures.items()} == {"killed": 13, "wounded": 5}
    other: Incident[_M] = Incident([_M("Kabul", "Kabul", "province")])
    other.add(4, [Figure("killed", 20, "", 0, 1)])
    other.add(5, [])
    inc.absorb(other)
    assert inc.sentences == [0, 1, 4, 5] and inc.figures["killed"].value == 20
    assert inc.precise() and not other.precise() and inc.provinces() == {"Kabul"}


def test_most_precise() -> None:
    helmand = _M("Helmand", "Helmand", "province")
    nawa = _M("Nawa", "Helmand", "district")
    badghis = _M("Badghis", "Badghis", "province")
    babaji = _M("Babaji", "Helmand", "province", near="Lashkar Gah")
    assert most_precise([helmand, nawa, badghis, nawa]) == [nawa, badghis]
    assert most_precise([helmand, babaji]) == [babaji]


def test_default_dates() -> None:
    day = dt.date(2020, 4, 24)
    span = DateSpan(dt.date(2020, 4, 20), dt.date(2020, 4, 21), 0, 1, "x")
    assert default_dates([], day) == (day, day) and default_dates([], None) == (None, None)
    assert default_dates([span], day) == (dt.date(2020, 4, 20), day)
    assert default_dates([span], None) == (dt.date(2020, 4, 20), dt.date(2020, 4, 21))


def _f(value: int | None, **kw: object) -> Figure:
    return Figure("killed", value, str(kw.pop("qualifier", "")), 0, 1, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "value", "high"),
    [
        (None, _f(4), 4, None),
        (_f(4), _f(9), 9, None),  # a toll restated or revised: the larger
        (_f(9), _f(4), 9, None),
        (_f(4), _f(2, additive=True), 6, None),  # "two attackers were also killed"
        (_f(4, sides=frozenset({"security"})), _f(2, sides=frozenset({"attackers"})), 6, None),
        (_f(4, sides=frozenset({"security"})), _f(2, sides=frozenset({"security"})), 4, None),
        (_f(4, sides=frozenset({"security"})), _f(2), 4, None),  # "people": any side
        (_f(None, qualifier="dozens of"), _f(30), 30, None),  # a number beats none
        (_f(30), _f(None, qualifier="dozens of"), 30, None),
        (_f(10, high=15), _f(3, additive=True), 13, 18),  # ranges add up
        (_f(0, qualifier="none"), _f(3, additive=True), 3, None),
    ],
)
def test_merge(old: Figure | None, new: Figure, value: int | None, high: int | None) -> None:
    merged = merge(old, new)
    assert (merged.value, merged.high) == (value, high)


def test_event_dates() -> None:
    event = DateSpan(dt.date(2020, 4, 20), dt.date(2020, 4, 20), 0, 1, "Monday")
    report = DateSpan(dt.date(2020, 4, 21), dt.date(2020, 4, 21), 5, 6, "Tuesday", True)
    assert event_dates([report, event]) == [event]
    assert event_dates([report]) == [report]
