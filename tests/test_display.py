"""Rich Jupyter display: Place, mention lists, counts that map in one step."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

import afghangeo as ag


def test_place_shows_its_alternatives_as_a_table() -> None:
    place = ag.geocode("Nawa", min_score=0)
    assert place is not None
    html = place._repr_html_()
    assert html.count("<tr>") == 1 + 1 + len(place.alternatives)
    assert "alternative" in html and "Ghazni" in html and "Helmand" in html


def test_mentions_show_highlighted_escaped_text() -> None:
    text = "<script>x</script> Fighters attacked Nawa, near Lashkar Gah, said officials in Doha."
    mentions = ag.extract_places(text)
    assert isinstance(mentions, list) and mentions.text == text
    html = mentions._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == len(mentions) >= 3
    assert "Lashkar Gah</mark>" in html and "foreign" in html


def test_counts_with_geometry_map_in_one_step() -> None:
    incidents = ag.read_incidents(
        pd.DataFrame({"place": ["Lashkar Gah", "Nawa", "Badghis", "Atlantis"],
                      "province": ["Helmand", "Helmand", None, None]})
    )  # fmt: skip
    by_province = ag.count_by_province(incidents, geometry=True)
    assert isinstance(by_province, gpd.GeoDataFrame) and by_province.crs.to_epsg() == 4326
    assert by_province.geometry.notna().sum() == 34
    assert by_province.set_index("province").geometry["unlocated"] is None
    by_district = ag.count_by_district(incidents, geometry=True)
    assert by_district.geometry.notna().sum() == 398
    assert by_district["count"].sum() == 4
    assert not by_district.loc[by_district["district"] == "(province only)"].geometry.notna().any()
