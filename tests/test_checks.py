"""Wrong argument types give one clear AfghangeoError, never an unrelated TypeError (F16)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import afghangeo as ag


@pytest.fixture(scope="module")
def incidents() -> Any:
    return ag.read_incidents(
        pd.DataFrame({"place": ["Kabul", "Herat"], "date": ["2020-01-01", "2020-01-02"]})
    )


CALLS: list[tuple[str, Callable[[Any], object], str]] = [
    ("count freq=1", lambda g: ag.count_by_province(g, freq=1), "freq must be a str"),
    ("count weight=list", lambda g: ag.count_by_province(g, weight=["a"]), "one column name"),
    ("count date=dict", lambda g: ag.count_by_district(g, date={}), "one column name"),
    ("count unit=x", lambda g: ag.count_by_province(g, unit="x"), "unit must be"),
    ("dedupe days=str", lambda g: ag.dedupe_incidents(g, days="1"), "days must be a number"),
    ("dedupe km=-1", lambda g: ag.dedupe_incidents(g, km=-1), "km must be at least 0"),
    ("dedupe weight=list", lambda g: ag.dedupe_incidents(g, weight=[1]), "one column name"),
    ("add None", lambda g: ag.add_gazetteer(None), "path must be a file path"),
    ("add ''", lambda g: ag.add_gazetteer(""), "path must be a file path"),
    ("add NUL", lambda g: ag.add_gazetteer("a\x00b.csv"), "path must be a file path"),
    ("read columns=list", lambda g: ag.read_incidents(g, columns=["place"]), "mapping"),
    ("locate nothing", lambda g: ag.locate(), "needs points"),
    ("locate both", lambda g: ag.locate(g, lon=1, lat=2), "either points or lon="),
    ("normalize 5", lambda g: ag.normalize_province(5), "must be a str"),
    ("geocode min_score str", lambda g: ag.geocode("Kabul", min_score="0.9"), "min_score"),
    ("geocode min_score 2", lambda g: ag.geocode("Kabul", min_score=2), "between 0"),
    ("geocode near 5", lambda g: ag.geocode("Nawa", near=5), "near must be"),
    ("geocode kinds 5", lambda g: ag.geocode("Kabul", kinds=5), "kinds must be"),
    ("geocode kinds bad", lambda g: ag.geocode("Kabul", kinds=["city"]), "Unknown kinds"),
    ("geocode_many 5", lambda g: ag.geocode_many(5), "names must be a list"),
    ("geocode_many provinces 5", lambda g: ag.geocode_many(["Nawa"], provinces=5), "provinces"),
    (
        "geocode_many provinces n",
        lambda g: ag.geocode_many(["a"], provinces=["x", "y"]),
        "2 values",
    ),
    ("extract 5", lambda g: ag.extract_places(5), "str"),
    ("map 5", lambda g: ag.incident_map(5), "GeoDataFrame"),
    ("save None", lambda g: ag.save_map(None, "x.html"), "folium map"),
    ("district 5", lambda g: ag.normalize_district(5), "must be a str"),
]


@pytest.mark.parametrize(("what", "call", "message"), CALLS, ids=[c[0] for c in CALLS])
def test_wrong_arguments_are_invalid_input(
    incidents: Any, what: str, call: Callable[[Any], object], message: str
) -> None:
    with pytest.raises(ag.InvalidInputError, match=message) as info:
        call(incidents)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("size", [10_000, 10_000_000])
def test_over_long_names_are_unknown_quickly(size: int) -> None:
    name = "Kabul " * (size // 6)
    with pytest.raises(ag.UnknownPlaceError) as info:
        ag.normalize_province(name)
    assert len(str(info.value)) < 300
    with pytest.raises(ag.UnknownPlaceError):
        ag.normalize_district(name)
    assert ag.normalize_provinces([name])["status"].tolist() == ["not_found"]


def test_caches_never_keep_over_long_names() -> None:  # F14
    from afghangeo.names import _fold_cached, _key_cached
    from afghangeo.registry import registry

    before = (_fold_cached.cache_info().currsize, _key_cached.cache_info().currsize)
    long_names = [f"{i} " + "Kabul " * 5_000 for i in range(20)]
    for name in long_names:
        ag.geocode(name)
        ag.name_key(name)
    assert (_fold_cached.cache_info().currsize, _key_cached.cache_info().currsize) == before
    assert not any(len(q.name) > 300 for q in registry().cache("geocoder"))


def test_name_key_of_the_audit_example_is_idempotent() -> None:  # F20
    key = ag.name_key("لشکرگاه ፳")
    assert ag.name_key(key) == key
