from __future__ import annotations

import html
import io
import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import afghangeo as ag
from afghangeo.errors import InvalidInputError, UnknownPlaceError

gpd = pytest.importorskip("geopandas")
folium = pytest.importorskip("folium")
pytest.importorskip("mapclassify")
shapely = pytest.importorskip("shapely")

from afghangeo._folium import AfghangeoLayer  # noqa: E402
from afghangeo.maps import choropleth_map, incident_map, save_map  # noqa: E402

EVIL = "</script><script>window.__pwned=1</script><b>bold</b> & 'quotes'"


def spec_of(m: Any) -> dict[str, Any]:
    """The JSON spec an afghangeo map embeds (once)."""
    layers = [c for c in m._children.values() if isinstance(c, AfghangeoLayer)]
    assert len(layers) == 1
    return json.loads(layers[0].payload)


def province_counts(values: list[int] | None = None, unlocated: int = 5) -> pd.DataFrame:
    p = ag.provinces()
    counts = list(range(34)) if values is None else values
    return pd.DataFrame(
        {
            "province": [*p["name"], "unlocated"],
            "iso_3166_2": [*p["iso_3166_2"], None],
            "count": [*counts, unlocated],
            "fatalities": [*(2 * c for c in counts), 1],
        }
    )


def make_incidents(n_place: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """n_place exact incidents plus two province-, two district-level and two unlocated rows."""
    rng = np.random.default_rng(seed)
    d = ag.districts()
    d = d[d["province"] != "Helmand"].reset_index(drop=True)
    idx = rng.integers(0, len(d), n_place)
    reps = d.geometry.representative_point()
    points = [shapely.Point(reps.iloc[i].x, reps.iloc[i].y) for i in idx]
    rows = {
        "place": [*(d["name"].iloc[idx]), "Badghis", "Kandahar", "Nawa", "Lashkar Gah", "?", ""],
        "province": [
            *(d["province"].iloc[idx]),
            "Badghis",
            "Kandahar",
            "Ghazni",
            "Helmand",
            None,
            None,
        ],
        "district": [*(d["name"].iloc[idx]), None, None, "Nawa", "Lashkar Gah", None, None],
        "precision": ["place"] * n_place
        + ["province", "province", "district", "district"]
        + [None, None],
        "date": pd.Timestamp("2020-01-01")
        + pd.to_timedelta(rng.integers(0, 365, n_place + 6), unit="D"),
        "fatalities": rng.integers(0, 12, n_place + 6),
        "notes": [f"Incident {i}: an attack near the district centre." for i in range(n_place + 6)],
    }
    # province-level rows carry a representative point: it must still not be drawn
    geometry = [*points, shapely.Point(63.0, 35.0), shapely.Point(65.7, 31.6), None, None]
    return gpd.GeoDataFrame(rows, geometry=[*geometry, None, None], crs=4326)


# --- choropleth ---------------------------------------------------------------------


def test_choropleth_joins_every_province_and_states_unlocated() -> None:
    m = choropleth_map(province_counts(), k=5)
    spec = spec_of(m)
    features = spec["base"]["features"]
    assert len(features) == 34
    tips = " ".join(f["properties"]["t"] for f in features)
    for name in ag.provinces()["name"]:
        assert f"<b>{name}</b>" in tips
    assert "Unlocated (not on the map): 5" in spec["legend"]
    assert "share" in tips and "fatalities" in tips
    helmand = next(f for f in features if "<b>Helmand</b>" in f["properties"]["t"])
    idx = list(ag.provinces()["name"]).index("Helmand")
    assert f"incidents: {idx}<br>" in helmand["properties"]["t"]
    assert "count" not in tips and "deaths (fatalities)" in tips


def test_zero_provinces_are_visibly_zero() -> None:
    values = [0] * 10 + list(range(1, 25))
    spec = spec_of(choropleth_map(province_counts(values)))
    fills = [f["properties"]["f"] for f in spec["base"]["features"]]
    assert fills[:10] == ["#ffffff"] * 10
    assert all(f not in (None, "#ffffff", "#d0d0d0") for f in fills[10:])
    assert '"#ffffff"></i>0<br>' in spec["legend"].replace("background:", "")


def test_missing_provinces_are_no_data_not_zero() -> None:
    counts = pd.DataFrame({"province": ["Helmand", "Kandahar"], "count": [3, 0]})
    spec = spec_of(choropleth_map(counts))
    fills = {f["properties"]["f"] for f in spec["base"]["features"]}
    assert "#d0d0d0" in fills
    assert "no data" in spec["legend"]
    assert "Unlocated" not in spec["legend"]


@pytest.mark.parametrize(
    "scheme", ["quantiles", "natural_breaks", "NaturalBreaks", "equal-interval", "fisher_jenks"]
)
def test_schemes_make_at_most_k_classes_with_limits(scheme: str) -> None:
    spec = spec_of(choropleth_map(province_counts(), scheme=scheme, k=4))
    labels = re.findall(r"</i>([^<]+)<br>", spec["legend"])
    assert labels[0] == "0"
    assert 2 <= len(labels) - 1 <= 4
    # integer counts get integer limits that tile the range 1..33
    bounds = [tuple(map(int, lab.replace(",", "").split(" – "))) for lab in labels[1:]]
    assert bounds[0][0] == 1 and bounds[-1][-1] == 33
    for (_, hi), (lo, _) in itertools.pairwise(bounds):
        assert lo == hi + 1


def test_user_bins_and_few_values_do_not_warn() -> None:
    spec = spec_of(choropleth_map(province_counts(), scheme=[5, 10, 40]))
    assert re.findall(r"</i>([^<]+)<br>", spec["legend"]) == ["0", "1 – 5", "6 – 10", "11 – 33"]
    few = province_counts([0] * 32 + [3, 3])
    spec = spec_of(choropleth_map(few, scheme="quantiles", k=5))  # k shrinks, silently
    assert re.findall(r"</i>([^<]+)<br>", spec["legend"]) == ["0", "3"]


def test_province_spellings_and_codes_join() -> None:
    counts = pd.DataFrame({"province": ["Hilmand", "AF-KAN", "unlocated"], "count": [4, 2, 1]})
    tips = [
        f["properties"].get("t", "") for f in spec_of(choropleth_map(counts))["base"]["features"]
    ]
    assert any("<b>Helmand</b><br>incidents: 4" in t for t in tips)
    assert any("<b>Kandahar</b><br>incidents: 2" in t for t in tips)


def test_one_unmatched_row_raises_unknown_place() -> None:
    counts = province_counts()
    counts.loc[3, "province"] = "Helmandshire"
    with pytest.raises(UnknownPlaceError, match=r"'Helmandshire'\. Did you mean 'Helmand'"):
        choropleth_map(counts)


def test_several_unmatched_rows_are_all_named() -> None:
    counts = pd.DataFrame({"province": ["Atlantis", "Gondor", "Helmand"], "count": [1, 2, 3]})
    with pytest.raises(InvalidInputError, match=r"'Atlantis'.*'Gondor'"):
        choropleth_map(counts)


def test_duplicate_and_missing_columns_raise() -> None:
    counts = pd.DataFrame({"province": ["Helmand", "Hilmand"], "count": [1, 2]})
    with pytest.raises(InvalidInputError, match="more than once"):
        choropleth_map(counts)
    with pytest.raises(InvalidInputError, match="No column 'killed'"):
        choropleth_map(province_counts(), "killed")
    with pytest.raises(InvalidInputError, match=r"Unknown scheme 'jenks'.*boxplot.*quantiles"):
        choropleth_map(province_counts(), scheme="jenks")
    with pytest.raises(InvalidInputError, match="colormap"):
        choropleth_map(province_counts(), cmap="NoSuchMap")


def test_district_counts_join_on_province_and_district() -> None:
    counts = pd.DataFrame(
        {
            "province": ["Helmand", "Ghazni", "Helmand", "Kabul", "unlocated"],
            "district": ["Nawa-i-Barakzayi", "Nawa", "(province only)", None, None],
            "count": [3, 1, 4, 2, 6],
        }
    )
    spec = spec_of(choropleth_map(counts))
    features = spec["base"]["features"]
    assert len(features) == len(ag.districts())
    tips = [f["properties"]["t"] for f in features]
    assert any(t.startswith("<b>Nawa-i-Barakzayi (Helmand)</b><br>incidents: 3") for t in tips)
    assert any(t.startswith("<b>Nawa (Ghazni)</b><br>incidents: 1") for t in tips)
    assert "Known only to a province (not shaded): 6" in spec["legend"]
    assert "Unlocated (not on the map): 6" in spec["legend"]
    bad = counts.assign(district=["Nawa", "Springfield", None, None, None])
    with pytest.raises(InvalidInputError, match=r"Helmand / Nawa'.*Ghazni / Springfield"):
        choropleth_map(bad)


def test_choropleth_of_incidents_counts_them_conserving_the_total() -> None:
    inc = make_incidents(40)
    spec = spec_of(choropleth_map(inc))
    counted = sum(
        int(re.search(r"incidents: (\d+)", f["properties"]["t"]).group(1))  # type: ignore[union-attr]
        for f in spec["base"]["features"]
        if "incidents: no data" not in f["properties"]["t"]
    )
    unlocated = int(re.search(r"Unlocated \(not on the map\): (\d+)", spec["legend"]).group(1))  # type: ignore[union-attr]
    assert counted + unlocated == len(inc)
    assert unlocated == 2
    weighted = spec_of(choropleth_map(inc, "fatalities"))
    assert "deaths (fatalities) by province" in weighted["legend"]


# --- incident map -------------------------------------------------------------------


def test_only_place_precision_rows_are_points() -> None:
    inc = make_incidents(30)
    spec = spec_of(incident_map(inc, cluster=False))
    assert len(spec["points"]["lat"]) == 30
    assert (63.0, 35.0) not in zip(spec["points"]["lon"], spec["points"]["lat"], strict=True)
    areas = {a["className"]: a for a in spec["areas"]}
    provinces = [f["properties"]["t"] for f in areas["ag-province-only"]["fc"]["features"]]
    assert sorted(t.split("</b>")[0] for t in provinces) == ["<b>Badghis", "<b>Kandahar"]
    districts = [f["properties"]["t"] for f in areas["ag-district-only"]["fc"]["features"]]
    assert sorted(t.split("</b>")[0] for t in districts) == [
        "<b>Lashkar Gah (Helmand)",
        "<b>Nawa (Ghazni)",
    ]
    assert "Unlocated (not on the map): 2" in spec["legend"]
    assert "known only to province (2)" in spec["legend"]


def test_popup_text_is_data_and_cannot_break_out_of_the_script(tmp_path: Path) -> None:
    inc = make_incidents(5)
    inc.loc[0, "notes"] = EVIL
    m = incident_map(inc)
    spec = spec_of(m)
    notes = spec["points"]["cols"][spec["points"]["names"].index("notes")]
    assert EVIL in notes.get("v", notes.get("k"))
    page = save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    assert "window.__pwned" in page
    assert "<script>window.__pwned" not in page
    assert "</script><b>" not in page
    assert page.count("<script") == page.count("</script>")


@pytest.mark.parametrize("text", ["{{ 7*7 }}", "{% raw %}", "{# x", "{{ cycler.__init__ }}"])
def test_data_is_never_run_as_a_template(text: str, tmp_path: Path) -> None:
    inc = make_incidents(5)
    inc.loc[0, "notes"] = text
    page = save_map(incident_map(inc, title=text), tmp_path / "m.html").read_text()
    assert json.dumps(text)[1:-1] in page  # in the spec, as written
    assert f"<title>{html.escape(text)}</title>" in page
    counts = pd.DataFrame({"province": ["Helmand"], "count": [3], text: [1]})
    assert (
        json.dumps(text)[1:-1] in save_map(choropleth_map(counts), tmp_path / "c.html").read_text()
    )


def test_popup_columns_options_and_errors() -> None:
    inc = make_incidents(5)
    spec = spec_of(incident_map(inc, popup=["place", "fatalities"]))
    assert spec["points"]["names"] == ["place", "deaths (fatalities)"]
    assert spec_of(incident_map(inc, popup=[]))["points"]["cols"] == []
    with pytest.raises(InvalidInputError, match="No column \\['victims'\\]"):
        incident_map(inc, popup=["victims"])
    with pytest.raises(InvalidInputError, match="GeoDataFrame"):
        incident_map(pd.DataFrame(inc.drop(columns="geometry")))
    for bad in ([["place"]], [{"a": 1}]):
        with pytest.raises(InvalidInputError, match="must be str"):
            incident_map(inc, popup=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="must be str"):
        incident_map(inc, color_by=["province"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="tiles="):
        incident_map(inc, tiles="https://tiles.invalid/{z}/{x}/{y}.png")


def test_color_heat_and_time_layers() -> None:
    inc = make_incidents(50)
    spec = spec_of(incident_map(inc, heat="fatalities", time=True, color_by="province"))
    pts = spec["points"]
    assert len(pts["w"]) == len(pts["t"]) == len(pts["g"]) == 50
    assert pts["wmax"] == max(pts["w"])
    assert pts["dates"] == sorted(pts["dates"])
    assert max(pts["t"]) <= pts["tmax"]
    assert "province: " in spec["legend"] and "Heat" in spec["legend"]
    with pytest.raises(InvalidInputError, match="'when'"):
        incident_map(inc, time="when")


def test_projected_input_is_reprojected() -> None:
    inc = make_incidents(3)
    spec = spec_of(incident_map(inc.to_crs(32642)))
    assert np.allclose(spec["points"]["lon"], inc.geometry.x[:3], atol=1e-4)


@pytest.mark.slow
def test_ten_thousand_incidents_with_popups_fit_in_two_megabytes(tmp_path: Path) -> None:
    inc = make_incidents(10_000)
    inc["notes"] = [
        f"Report {i}: gunmen attacked a checkpoint; residents said the clashes went on for hours."
        for i in range(len(inc))
    ]
    path = save_map(incident_map(inc, cluster=True), tmp_path / "big.html")
    assert path.stat().st_size <= 2_000_000


# --- saving -------------------------------------------------------------------------


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "map.html"
    path.write_text("old")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        save_map(choropleth_map(province_counts()), path)
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    monkeypatch.undo()
    save_map(choropleth_map(province_counts()), path)
    assert path.read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    fresh = save_map(choropleth_map(province_counts()), tmp_path / "fresh.html")
    umask = os.umask(0o022)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_save_map_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="does not exist"):
        save_map(choropleth_map(province_counts()), tmp_path / "nope" / "m.html")
    with pytest.raises(InvalidInputError, match="folium map"):
        save_map("not a map", tmp_path / "m.html")
    m = choropleth_map(province_counts())
    for bad, message in [(None, "file path"), ("", "file path"), ("a\0b.html", "file path"),
                         (tmp_path, "is a folder")]:  # fmt: skip
        with pytest.raises(InvalidInputError, match=message):
            save_map(m, bad)  # type: ignore[arg-type]


def test_weight_column_missing_from_incidents_is_an_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="No column 'victims'"):
        choropleth_map(make_incidents(5), "victims")


def test_import_afghangeo_does_not_import_folium() -> None:
    lazy = "{'folium', 'branca', 'mapclassify', 'matplotlib'}"
    code = f"import sys, afghangeo; print(sorted({lazy} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_empty_and_odd_incident_tables() -> None:
    empty = gpd.GeoDataFrame(
        {"province": [], "precision": [], "date": pd.to_datetime([])}, geometry=[], crs=4326
    )
    spec = spec_of(incident_map(empty, time=True, heat=True))
    assert spec["points"]["lat"] == [] and spec["areas"] == []
    odd = gpd.GeoDataFrame(
        {"province": ["Helmand", "Helmand", None], "precision": ["place", "place", None]},
        geometry=[shapely.Point(64.37, 31.59), shapely.box(64, 31, 64.5, 31.5), None],
        crs=4326,
        index=[5, 5, 7],  # a duplicated index must not confuse the joins
    )
    spec = spec_of(incident_map(odd))
    assert spec["points"]["lat"] == [31.59]  # a polygon is no exact place
    assert "known only to province (1)" in spec["legend"]


# --- the options of 0.2: level=, scheme= (any mapclassify scheme), title=, m= ------


def legend_labels(spec: dict[str, Any]) -> list[str]:
    return re.findall(r"</i>([^<]+)<br>", spec["legend"])


SQUARES = [i * i for i in range(34)]  # distinct values and gaps: every scheme can classify


@pytest.mark.parametrize("scheme", sorted(__import__("mapclassify").CLASSIFIERS))
def test_every_mapclassify_scheme_draws_classes(scheme: str) -> None:
    options = {"bins": [10, 100, 500]} if scheme == "UserDefined" else None
    spec = spec_of(
        choropleth_map(province_counts(SQUARES), scheme=scheme, classification_kwds=options)
    )
    labels = legend_labels(spec)
    assert labels[0] == "0" and len(labels) >= 3
    assert labels[-1].endswith("1,089")  # the largest value is in the last class
    fills = [f["properties"]["f"] for f in spec["base"]["features"]]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", f) for f in fills)
    assert f"Classes: {scheme}" in spec["legend"]


@pytest.mark.parametrize(
    "scheme", ["natural_breaks", "fisher_jenks_sampled", "jenks_caspall_sampled"]
)
def test_random_schemes_give_the_same_classes_every_time(scheme: str) -> None:
    state = np.random.get_state()
    first = spec_of(choropleth_map(province_counts(SQUARES), scheme=scheme))
    np.random.seed(12345)  # whatever the caller's random state
    again = spec_of(choropleth_map(province_counts(SQUARES), scheme=scheme))
    assert legend_labels(first) == legend_labels(again)
    np.random.set_state(state)
    choropleth_map(province_counts(SQUARES), scheme=scheme)
    assert np.array_equal(np.random.get_state()[1], state[1])  # the caller's state is kept


def test_classification_kwds_reach_mapclassify_and_bad_ones_are_invalid_input() -> None:
    spec = spec_of(
        choropleth_map(
            province_counts(), scheme="percentiles", classification_kwds={"pct": [50, 100]}
        )
    )
    assert legend_labels(spec) == ["0", "1 – 17", "18 – 33"]
    with pytest.raises(InvalidInputError, match="Cannot classify"):
        choropleth_map(province_counts(), scheme="box_plot", classification_kwds={"nope": 1})
    for bad in (None, 5, ["a", "b"]):
        with pytest.raises(InvalidInputError, match="scheme"):
            choropleth_map(province_counts(), scheme=bad)  # type: ignore[arg-type]


def test_a_district_table_mapped_by_province_is_summed_per_province() -> None:
    inc = ag.read_incidents(make_incidents(40).drop(columns="geometry"), progress=False)
    by_district = ag.count_by_district(inc, weight="fatalities")
    by_province = ag.count_by_province(inc, weight="fatalities")
    summed = spec_of(choropleth_map(by_district, level="province"))
    direct = spec_of(choropleth_map(by_province))
    assert summed == direct
    assert len(spec_of(choropleth_map(by_district))["base"]["features"]) == len(ag.districts())


@pytest.mark.parametrize("level", ["province", "district"])
def test_incidents_are_counted_by_the_count_functions(level: str) -> None:
    inc = make_incidents(40)
    inc.loc[0, "province"] = "Atlantis"  # counts puts it with the unlocated, and so does the map
    counter = ag.count_by_district if level == "district" else ag.count_by_province
    for column, weight in [("count", None), ("fatalities", "fatalities")]:
        from_incidents = spec_of(choropleth_map(inc, column, level=level))  # type: ignore[arg-type]
        from_counts = spec_of(choropleth_map(counter(inc, weight=weight), column, level=level))  # type: ignore[arg-type]
        assert from_incidents == from_counts
    assert "Unlocated (not on the map): " in from_incidents["legend"]


def test_level_replaces_by_and_options_are_keyword_only() -> None:
    counts = province_counts()
    with pytest.raises(TypeError):
        choropleth_map(counts, by="province")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        choropleth_map(counts, "count", "quantiles")  # type: ignore[misc]
    with pytest.raises(TypeError):
        incident_map(make_incidents(3), ["notes"])  # type: ignore[misc]
    with pytest.raises(InvalidInputError, match="level must be"):
        choropleth_map(counts, level="country")  # type: ignore[arg-type]


@pytest.mark.parametrize("make", ["choropleth", "incidents"])
def test_title_is_shown_as_text_and_names_the_page(make: str, tmp_path: Path) -> None:
    draw = (
        (lambda **kw: choropleth_map(province_counts(), **kw))
        if make == "choropleth"
        else (lambda **kw: incident_map(make_incidents(5), **kw))
    )
    m = draw(title=EVIL)
    assert spec_of(m)["title"] == EVIL  # data, set with textContent by the script
    page = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert f"<title>{html.escape(EVIL)}</title>" in page
    assert "<script>window.__pwned" not in page
    assert "title" not in spec_of(draw())


def test_drawing_onto_an_existing_folium_map(tmp_path: Path) -> None:
    mine = folium.Map(location=[34, 66], zoom_start=5, tiles=None)
    folium.Marker([34.5, 69.2], tooltip="Kabul").add_to(mine)
    out = choropleth_map(province_counts(), m=mine)
    assert out is mine
    incident_map(make_incidents(5), m=mine, title="Both")
    layers = [c for c in mine._children.values() if isinstance(c, AfghangeoLayer)]
    assert len(layers) == 2
    assert json.loads(layers[0].payload)["background"] is None  # the user's map keeps its look
    page = save_map(mine, tmp_path / "mine.html").read_text(encoding="utf-8")
    assert page.count("afghangeoMap(map_") == 2 and "Kabul" in page
    with pytest.raises(InvalidInputError, match="tiles= applies to a new map"):
        choropleth_map(province_counts(), m=mine, tiles="OpenStreetMap")
    with pytest.raises(InvalidInputError, match=r"folium\.Map"):
        choropleth_map(province_counts(), m="not a map")  # type: ignore[arg-type]


# --- reliability findings (#13) -----------------------------------------------------


@pytest.mark.parametrize(
    "notes",
    [
        pytest.param(["a", "b", None], id="None"),
        pytest.param(["a", "b", np.nan], id="NaN"),
        pytest.param(pd.array(["a", "b", pd.NA], dtype="string"), id="pd.NA-string"),
        pytest.param(["a", 3, np.nan], id="mixed"),
    ],
)
def test_f05_text_column_with_a_gap_maps_and_saves(notes: Any, tmp_path: Path) -> None:
    table = pd.DataFrame({"place": ["Kabul", "Herat", "Kandahar"], "notes": notes})
    inc = ag.read_incidents(table, progress=False)
    m = incident_map(inc, popup=["place", "notes"], color_by="notes")
    cols = spec_of(m)["points"]["cols"]
    assert cols[1] == {"v": ["a", "b" if notes[1] == "b" else "3", None]}
    assert save_map(m, tmp_path / "gap.html").stat().st_size > 0


def test_f05_date_gaps_and_datetimes_with_times() -> None:
    inc = make_incidents(3)
    inc["date"] = pd.to_datetime(
        ["2021-01-02 13:45", None, "2021-01-03", None, None, None, None, None, None],
        format="ISO8601",
    )
    col = spec_of(incident_map(inc, popup=["date"]))["points"]["cols"][0]
    values = col.get("v") or [col["k"][c] if c >= 0 else None for c in col["c"]]
    assert values == ["2021-01-02 13:45", None, "2021-01-03"]


SAVE_TWICE = r"""
import sys
sys.path.insert(0, sys.argv[2])
from test_maps import make_incidents, province_counts
import afghangeo as ag
inc = make_incidents(30)
m = ag.incident_map(inc, time=True, heat=True, color_by="province", title="t")
ag.save_map(m, sys.argv[1] + "/i.html")
m = ag.choropleth_map(ag.count_by_district(inc), scheme="natural_breaks")
ag.save_map(m, sys.argv[1] + "/c.html")
"""


def test_f19_saved_maps_are_byte_identical_across_runs(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-c", SAVE_TWICE, str(folder), str(Path(__file__).parent)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        outputs.append({p.name: p.read_bytes() for p in folder.iterdir()})
    assert outputs[0] == outputs[1]
    page = outputs[0]["i.html"].decode()
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}", page)  # no uuid4 left


def test_f19_ids_are_stable_per_map_and_differ_between_maps(tmp_path: Path) -> None:
    one = save_map(choropleth_map(province_counts()), tmp_path / "a.html").read_text()
    same = save_map(choropleth_map(province_counts()), tmp_path / "b.html").read_text()
    other = save_map(choropleth_map(province_counts(SQUARES)), tmp_path / "c.html").read_text()
    assert one == same
    names = [set(re.findall(r"map_[0-9a-f]{32}", page)) for page in (one, other)]
    assert len(names[0]) == 1 and names[0] != names[1]


def test_incidents_in_no_known_province_are_unlocated_not_an_error() -> None:
    inc = make_incidents(3)
    inc.loc[3, "province"] = "Atlantis"  # was a province-level row in Badghis
    spec = spec_of(incident_map(inc))
    assert "Unlocated (not on the map): 3" in spec["legend"]
    assert "known only to province (1)" in spec["legend"]


# --- words, area popups, context and the dense default ---------------------------------


@pytest.mark.parametrize(
    ("column", "said"),
    [
        ("count", "incidents"),
        ("fatalities", "deaths (fatalities)"),
        ("best", "deaths (best)"),
        ("best_missing", "incidents with no figure for deaths (best)"),
        ("civilian_deaths", "civilian deaths"),
    ],
)
def test_legends_and_tooltips_say_words_not_column_names(column: str, said: str) -> None:
    counts = province_counts().assign(best=1, civilian_deaths=2, best_missing=3)
    spec = spec_of(choropleth_map(counts, column))
    tips = " ".join(f["properties"]["t"] for f in spec["base"]["features"])
    assert f"<b>{said} by province</b>" in spec["legend"]
    assert f"{said}: " in tips and "count:" not in tips and "_missing" not in tips


def test_area_popups_list_the_incidents_behind_the_shading() -> None:
    inc = make_incidents(3)
    extra = inc.iloc[[0] * 13].assign(
        precision="province", province="Badghis", district=None, notes=[f"n{i}" for i in range(13)]
    )
    inc = gpd.GeoDataFrame(pd.concat([inc, extra], ignore_index=True), crs=4326)
    spec = spec_of(incident_map(inc))
    (badghis,) = [a for a in spec["areas"] if a["label"] == "Known only to province"]
    text = badghis["fc"]["features"][0]["properties"]["t"]
    n = int(re.search(r"(\d+) incidents known only to the province", text)[1])  # type: ignore[index]
    assert n >= 13 and text.count("<li>") == 10 and f"and {n - 10} more" in text
    assert "00:00" not in text


def test_a_new_map_has_context_and_a_map_of_the_user_has_none() -> None:
    spec = spec_of(incident_map(make_incidents(5)))
    context = spec["context"]
    names = [f["properties"]["name"] for f in context["countries"]["features"]]
    assert names == ["Iran", "Pakistan", "Turkmenistan", "Uzbekistan", "Tajikistan", "China"]
    assert len(context["provinces"]["names"]) == 34 and context["districts"]["zoom"] == 8
    assert "Kabul" in context["towns"]["names"] and "Natural Earth" in context["attribution"]
    mine = folium.Map(tiles=None)
    assert "context" not in spec_of(incident_map(make_incidents(5), m=mine))


@pytest.mark.parametrize(("cluster", "dense"), [(None, True), (True, False), (False, False)])
def test_more_than_5000_incidents_shade_districts_unless_told(
    cluster: bool | None, dense: bool
) -> None:
    inc = make_incidents(5_001)
    spec = spec_of(incident_map(inc, cluster=cluster))
    assert ("density" in spec) is dense
    assert (spec["points"]["minZoom"] == 9) is dense
    assert ("the points appear from zoom 9" in spec["legend"]) is dense
    if dense:  # every point at a place is counted in its district, once
        found = [
            re.search(r"incidents at a place: ([\d,]+)", f["properties"]["t"])
            for f in spec["density"]["fc"]["features"]
        ]
        total = sum(int(m[1].replace(",", "")) for m in found if m)
        assert total == len(spec["points"]["lat"])


def test_composed_maps_save_to_the_same_bytes(tmp_path: Path) -> None:
    def build() -> Any:
        m = incident_map(make_incidents(30))
        folium.Marker([34.5, 69.2], popup=folium.Popup("hi")).add_to(m)
        folium.LayerControl().add_to(m)
        return m

    a = save_map(build(), tmp_path / "a.html").read_bytes()
    b = save_map(build(), tmp_path / "b.html").read_bytes()
    assert a == b


def test_popups_and_weighted_notes_name_what_is_counted() -> None:
    inc = make_incidents(10)
    spec = spec_of(incident_map(inc, popup=["place", "fatalities"]))
    assert spec["points"]["names"] == ["place", "deaths (fatalities)"]
    weighted = spec_of(choropleth_map(inc, "fatalities"))
    assert re.search(
        r"Unlocated \(not on the map\): [\d,]+ deaths \(fatalities\)", weighted["legend"]
    )


def test_bundled_context_is_small_valid_and_outside_afghanistan() -> None:
    from importlib.resources import files

    source = files("afghangeo") / "data" / "context.geojson"
    assert len(source.read_bytes()) < 60_000
    countries = gpd.read_file(io.BytesIO(source.read_bytes()))
    assert countries.geometry.is_valid.all() and len(countries) == 6
    afghanistan = shapely.union_all(ag.provinces().geometry.to_numpy())
    for geom in countries.geometry:  # borders touch; no country covers Afghan land
        assert geom.intersection(afghanistan).area < 0.02 * afghanistan.area
        assert geom.distance(afghanistan) < 0.05


def test_area_popup_lists_are_escaped() -> None:
    inc = make_incidents(2)
    evil = inc.iloc[[0]].assign(
        precision="province",
        province="Badghis",
        district=None,
        notes="<img src=x onerror=alert(1)>",
    )
    inc = gpd.GeoDataFrame(pd.concat([inc, evil], ignore_index=True), crs=4326)
    spec = spec_of(incident_map(inc))
    texts = [f["properties"]["t"] for a in spec["areas"] for f in a["fc"]["features"]]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in t for t in texts)
    assert not any("<img" in t for t in texts)
