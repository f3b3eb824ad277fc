"""The incident record (afghangeo/_text/incidents.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from afghangeo._text.dates import DateSpan
from afghangeo._text.figures import Figure
from afghangeo._text.incidents import Incident, default_dates, most_precise


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
