"""Reports of one event get one event_id; nothing is ever dropped."""

from __future__ import annotations

import numpy as np
import pandas as pd

from afghangeo.counts import count_by_province
from afghangeo.events import dedupe_incidents
from afghangeo.incidents import read_incidents


def test_dedupe_marks_and_never_drops() -> None:
    table = pd.DataFrame(
        {
            "date": ["2020-10-10", "2020-10-11", "2020-10-10", "2020-04-23", "2020-04-23",
                     "2020-04-23", None],
            "latitude": [31.5938, 31.60, 31.5938, np.nan, np.nan, np.nan, 31.5938],
            "longitude": [64.3716, 64.38, 64.3716, np.nan, np.nan, np.nan, 64.3716],
            "place": [None, None, None, "Badghis", "Badghis", "Kabul", None],
            "killed": [3, 4, 40, 13, 14, np.nan, 3],
        }
    )  # fmt: skip
    events = dedupe_incidents(read_incidents(table))
    assert len(events) == len(table)
    assert events["event_id"].tolist() == [0, 0, 2, 3, 3, 5, 6]
    assert events["n_reports"].tolist() == [2, 2, 1, 2, 2, 1, 1]
    counts = count_by_province(events, unit="event", weight="killed").set_index("province")
    assert counts["count"].sum() == 5
    assert counts.loc["Helmand", "count"] == 3
    assert counts.loc["Badghis", "killed"] == 14  # the largest figure of the reports
    reports = count_by_province(events).set_index("province")
    assert reports.loc["Helmand", "count"] == 4


def test_dedupe_across_midnight_and_far_apart() -> None:
    table = pd.DataFrame({"date": ["2020-10-10", "2020-10-11", "2020-10-11"],
                          "latitude": [31.5938, 31.5938, 34.5],
                          "longitude": [64.3716, 64.3716, 69.2]})  # fmt: skip
    events = dedupe_incidents(read_incidents(table), days=1, km=10)
    assert events["event_id"].tolist() == [0, 0, 2]
    apart = dedupe_incidents(read_incidents(table), days=0.5)
    assert apart["event_id"].tolist() == [0, 1, 2]


def test_dedupe_uses_the_representative_point_of_area_rows() -> None:
    # two province-only reports of Badghis: their geometry is the province polygon now
    table = pd.DataFrame({"date": ["2020-04-23", "2020-04-23"], "place": ["Badghis", "Badghis"]})
    events = dedupe_incidents(read_incidents(table))
    assert events["event_id"].tolist() == [0, 0]
