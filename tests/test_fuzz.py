"""Property tests over the public API with the audit's invariants (issue #13, item 7).

Whatever the input: no exception but an AfghangeoError; one output row per input row;
counts that add up; spans that are exact; name_key idempotent. The ``ci`` profile
(default) runs in about a minute; ``HYPOTHESIS_PROFILE=long`` runs 20 times longer.
"""

from __future__ import annotations

import contextlib
import io
import math
import os

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import afghangeo as ag
from afghangeo._output import write_table

_LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
FUZZ = settings(
    max_examples=1200 if _LONG else 60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# text as the audit tried it: names, HTML, formula prefixes, surrogates, control chars
_HOSTILE = st.sampled_from(
    ["Kabul", "Nawa", "Lashkar Gah", "هلمند", "<script>alert(1)</script>", "=HYPERLINK(1)",
     "+1", "-", "@x", "\ud800", "\x00", "\u202e", "NaN", "", " ", "Qala-e-Naw", "Doha",
     "10^400", "9" * 50, "late Thursday", "killed 13", "..."]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(_HOSTILE, max_size=6).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
)
CELL = st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-(10**6), 10**6), TEXT)


@FUZZ
@given(TEXT)
def test_name_key_is_idempotent_and_never_raises(name: str) -> None:
    key = ag.name_key(name)
    assert ag.name_key(key) == key
    assert ag.fold_name(ag.fold_name(name)) == ag.fold_name(name)


@FUZZ
@given(TEXT, st.sampled_from([None, "Helmand", "Ghazni"]))
def test_geocode_answers_or_abstains(name: str, province: str | None) -> None:
    place = ag.geocode(name, province=province)
    if place is not None:
        assert 0.0 <= place.score <= 1.0
        assert all(a.score <= place.score + 1e-9 for a in place.alternatives)
        assert place.province is None or place.province in set(ag.provinces()["name"])


@FUZZ
@given(st.lists(CELL, max_size=12))
def test_geocode_many_keeps_one_row_per_input(names: list[object]) -> None:
    table = ag.geocode_many(names)
    assert len(table) == len(names)
    assert set(table["status"]) <= {"matched", "uncertain", "ambiguous", "not_found", "invalid"}


@FUZZ
@given(TEXT)
def test_normalize_raises_only_afghangeo_errors(name: str) -> None:
    for call in (ag.normalize_province, ag.normalize_district):
        with contextlib.suppress(ag.AfghangeoError):  # anything else fails the test
            call(name)
    assert len(ag.normalize_provinces([name, None])) == 2


@FUZZ
@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=20),
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=20),
)
def test_locate_keeps_one_row_per_point(lons: list[float], lats: list[float]) -> None:
    n = min(len(lons), len(lats))
    out = ag.locate(lon=lons[:n], lat=lats[:n])
    assert len(out) == n
    assert set(out["status"]) <= {"ok", "outside", "invalid", "swapped?"}


_TABLE = st.lists(
    st.fixed_dictionaries(
        {"place": CELL, "province": st.one_of(st.none(), _HOSTILE, st.just("Helmand")),
         "latitude": st.one_of(st.none(), st.floats(25, 40)),
         "longitude": st.one_of(st.none(), st.floats(58, 75)),
         "fatalities": st.one_of(st.none(), st.integers(0, 500))}
    ),
    max_size=15,
)  # fmt: skip


@FUZZ
@given(_TABLE)
def test_read_incidents_keeps_every_row_and_counts_add_up(rows: list[dict[str, object]]) -> None:
    columns = ["place", "province", "latitude", "longitude", "fatalities"]
    # object columns, as pandas' own string dtype refuses lone surrogates
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    incidents = ag.read_incidents(table)
    assert len(incidents) == len(table)
    assert incidents.index.equals(table.index)
    for counter in (ag.count_by_province, ag.count_by_district):
        counts = counter(incidents)
        assert counts["count"].sum() == len(table)
        total = pd.to_numeric(table["fatalities"], errors="coerce").fillna(0).sum()
        assert math.isclose(counts["fatalities"].sum(), total)


@FUZZ
@given(st.lists(_HOSTILE, min_size=1, max_size=30).map(". ".join))
def test_extract_spans_are_exact(text: str) -> None:
    for m in ag.extract_places(text):
        assert text[m.start : m.end] == m.text
        assert not (m.foreign and m.province)
    rows = ag.extract_incidents(text, published="2020-10-12")
    assert {"place", "province", "killed"} <= set(rows.columns)


@FUZZ
@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=10))
def test_csv_output_reads_back_with_the_same_rows(rows: list[list[object]]) -> None:
    table = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    buffer = io.StringIO()
    write_table(table, buffer, format="csv")
    back = pd.read_csv(io.StringIO(buffer.getvalue())) if len(table) else table
    assert len(back) == len(table)


@FUZZ
@given(st.binary(max_size=400))
def test_any_gazetteer_file_is_added_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("gaz") / "villages.csv"
    path.write_bytes(data)
    try:
        ag.add_gazetteer(path)
    except ag.AfghangeoError as err:
        message = str(err)
        assert "\n" not in message
    assert ag.geocode("Kabul") is not None  # whatever happened, geocoding still works
