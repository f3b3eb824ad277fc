from __future__ import annotations

import html
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

from afghangeo.maps import choropleth_map, incident_map, plot_counts, save_map  # noqa: E402

EVIL = "</script><script>window.__pwned=1</script><b>bold</b> & 'quotes'"


def spec_of(m: Any) -> dict[str, Any]:
    """The JSON spec an afghangeo map embeds (once)."""
    layers = [c for c in m._children.values() if type(c).__name__ == "AfghangeoLayer"]
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
    assert f"count: {idx}<br>" in helmand["properties"]["t"]


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
    assert any("<b>Helmand</b><br>count: 4" in t for t in tips)
    assert any("<b>Kandahar</b><br>count: 2" in t for t in tips)


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
    with pytest.raises(InvalidInputError, match="Unknown scheme 'jenks'"):
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
    assert any(t.startswith("<b>Nawa-i-Barakzayi (Helmand)</b><br>count: 3") for t in tips)
    assert any(t.startswith("<b>Nawa (Ghazni)</b><br>count: 1") for t in tips)
    assert "Known only to a province (not shaded): 6" in spec["legend"]
    assert "Unlocated (not on the map): 6" in spec["legend"]
    bad = counts.assign(district=["Nawa", "Springfield", None, None, None])
    with pytest.raises(InvalidInputError, match=r"Helmand / Nawa'.*Ghazni / Springfield"):
        choropleth_map(bad)


def test_choropleth_of_incidents_counts_them_conserving_the_total() -> None:
    inc = make_incidents(40)
    spec = spec_of(choropleth_map(inc))
    counted = sum(
        int(re.search(r"count: (\d+)", f["properties"]["t"]).group(1))  # type: ignore[union-attr]
        for f in spec["base"]["features"]
        if "count: no data" not in f["properties"]["t"]
    )
    unlocated = int(re.search(r"Unlocated \(not on the map\): (\d+)", spec["legend"]).group(1))  # type: ignore[union-attr]
    assert counted + unlocated == len(inc)
    assert unlocated == 2
    weighted = spec_of(choropleth_map(inc, "fatalities"))
    assert "fatalities by province" in weighted["legend"]


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


def test_popup_columns_options_and_errors() -> None:
    inc = make_incidents(5)
    spec = spec_of(incident_map(inc, popup=["place", "fatalities"]))
    assert spec["points"]["names"] == ["place", "fatalities"]
    assert spec_of(incident_map(inc, popup=[]))["points"]["cols"] == []
    with pytest.raises(InvalidInputError, match="No column \\['victims'\\]"):
        incident_map(inc, popup=["victims"])
    with pytest.raises(InvalidInputError, match="GeoDataFrame"):
        incident_map(pd.DataFrame(inc.drop(columns="geometry")))


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
    path = save_map(incident_map(inc), tmp_path / "big.html")
    assert path.stat().st_size <= 2_000_000


# --- saving -------------------------------------------------------------------------


def external_refs(page: str) -> list[str]:
    refs = re.findall(r"<script[^>]*\bsrc\s*=\s*[\"']([^\"']+)", page)
    refs += re.findall(r"<link[^>]*\bhref\s*=\s*[\"']([^\"']+)", page)
    refs += re.findall(r"url\(\s*[\"']?((?:https?:)?//[^)\"']+)", page)
    refs += re.findall(r"@import", page)
    return refs


def test_offline_file_has_no_external_assets_and_no_tiles(tmp_path: Path) -> None:
    for i, m in enumerate(
        [choropleth_map(province_counts()), incident_map(make_incidents(20), heat=True)]
    ):
        page = save_map(m, tmp_path / f"{i}.html").read_text(encoding="utf-8")
        assert external_refs(page) == []
        assert "cdn.jsdelivr" not in page and "tile.openstreetmap" not in page
        assert "L.tileLayer" not in page
        assert "L.markerClusterGroup" in page  # the vendored code is inlined ...
        assert "Leaflet 1.9.4" in page or 'version="1.9.4"' in page


def test_online_file_links_the_cdn(tmp_path: Path) -> None:
    path = save_map(choropleth_map(province_counts()), tmp_path / "m.html", offline=False)
    page = path.read_text(encoding="utf-8")
    assert any("leaflet@1.9.4" in ref for ref in external_refs(page))


def test_unknown_plugin_assets_refuse_offline(tmp_path: Path) -> None:
    folium = pytest.importorskip("folium")
    from folium.plugins import Fullscreen

    m = choropleth_map(province_counts())
    Fullscreen().add_to(m)
    with pytest.raises(InvalidInputError, match="offline=False"):
        save_map(m, tmp_path / "m.html")
    plain = folium.Map(tiles=None)  # folium's own defaults are dropped, Leaflet inlined
    assert external_refs(save_map(plain, tmp_path / "p.html").read_text()) == []


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
        save_map("not a map", tmp_path / "m.html")  # type: ignore[arg-type]


def srcdoc_of(shown: str) -> str:
    """The page inside the iframe of a notebook display."""
    match = re.fullmatch(r'(?s).*<iframe srcdoc="([^"]*)".*', shown)
    assert match is not None
    return html.unescape(match.group(1))


def test_notebook_display_is_offline() -> None:
    for m in [choropleth_map(province_counts()), incident_map(make_incidents(20), heat=True)]:
        shown = m._repr_html_()
        assert type(m).__name__ == "Map" and isinstance(m, folium.Map)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", shown)
        page = srcdoc_of(shown)
        assert external_refs(page) == []
        assert "cdn.jsdelivr" not in page
        assert "Leaflet 1.9.4" in page or 'version="1.9.4"' in page
        assert page.count("<script") == page.count("</script>")
        layer = next(c for c in m._children.values() if type(c).__name__ == "AfghangeoLayer")
        assert layer.payload in page  # the map's data, once
        assert m._repr_html_() == shown  # displaying twice shows the same map


def test_notebook_display_of_a_map_with_a_foreign_plugin_falls_back_to_folium() -> None:
    from folium.plugins import Fullscreen

    m = choropleth_map(province_counts())
    Fullscreen().add_to(m)
    page = srcdoc_of(m._repr_html_())
    assert "leaflet.fullscreen" in page.lower()
    assert any("leaflet@1.9.4" in ref for ref in external_refs(page))


def test_notebook_display_with_a_fixed_height() -> None:
    from branca.element import Figure

    m = choropleth_map(province_counts())
    Figure(width="600px", height="400px").add_child(m)
    shown = m._repr_html_()
    assert shown.startswith('<iframe srcdoc="') and 'height="400px"' in shown
    assert external_refs(srcdoc_of(shown)) == []


def test_weight_column_missing_from_incidents_is_an_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="No column 'victims'"):
        choropleth_map(make_incidents(5), "victims")


# --- static figure and imports ------------------------------------------------------


def test_plot_counts_draws_a_figure(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    fig = plot_counts(province_counts(), title="Attacks", source="Source: test data")
    ax = fig.axes[0]
    assert ax.get_title() == "Attacks"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "0" and legend[-1].endswith("33")
    notes = " ".join(t.get_text() for t in fig.texts)
    assert "Source: test data" in notes and "Unlocated (not on the map): 5" in notes
    fig.savefig(tmp_path / "counts.png")
    fig.savefig(tmp_path / "counts.svg")
    assert (tmp_path / "counts.png").stat().st_size > 10_000


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


def test_online_basemap_is_optional(tmp_path: Path) -> None:
    m = incident_map(make_incidents(3), tiles="OpenStreetMap")
    page = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page
    assert external_refs(page) == []


def test_vendored_assets_match_their_recorded_checksums() -> None:
    import hashlib
    from importlib.resources import files

    vendor = files("afghangeo") / "data" / "vendor"
    listed = re.findall(
        r"^([0-9a-f]{64})  (\S+)$", vendor.joinpath("VERSIONS.md").read_text(), re.M
    )
    assert len(listed) == 11
    for digest, name in listed:
        assert hashlib.sha256(vendor.joinpath(name).read_bytes()).hexdigest() == digest, name
    for licence in ("LICENSE.leaflet", "LICENSE.leaflet.markercluster", "LICENSE.leaflet.heat"):
        assert "Copyright" in vendor.joinpath(licence).read_text()
