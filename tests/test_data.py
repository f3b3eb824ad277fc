"""The bundled boundary data: complete, valid, consistent, and what the docs promise."""

from __future__ import annotations

import hashlib
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
import shapely

import afghangeo as ag
from afghangeo import _data

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_and_packaged_provinces_are_identical() -> None:
    packaged = (files("afghangeo") / "data" / "provinces.geojson").read_bytes()
    assert (ROOT / "data" / "provinces.geojson").read_bytes() == packaged


def test_34_valid_provinces_in_wgs84() -> None:
    p = ag.provinces()
    assert len(p) == 34
    assert p.crs.to_epsg() == 4326
    assert p["name"].is_unique
    assert p["iso_3166_2"].is_unique
    assert p["pcode"].is_unique
    assert p.geometry.is_valid.all()
    assert not p.geometry.is_empty.any()
    assert set(p.geom_type) == {"Polygon"}
    xmin, ymin, xmax, ymax = p.total_bounds
    assert 60 < xmin < xmax < 75.5
    assert 29 < ymin < ymax < 39


def test_iso_codes_match_pycountry() -> None:
    pycountry = pytest.importorskip("pycountry")
    official = {s.code for s in pycountry.subdivisions.get(country_code="AF")}
    assert set(ag.provinces()["iso_3166_2"]) == official


def test_districts_carry_their_province() -> None:
    d = ag.districts()
    assert len(d) == 398
    assert set(d["province"]) == set(ag.provinces()["name"])
    assert d.geometry.is_valid.all()
    assert d["code"].is_unique
    counts = d.groupby("province").size()
    assert counts["Badakhshan"] == 28
    assert counts["Helmand"] == 13
    assert counts["Ghazni"] == 19
    iso = ag.provinces().set_index("name")["iso_3166_2"]
    assert (d["iso_3166_2"] == d["province"].map(iso)).all()


def test_layers_do_not_overlap_and_have_no_gaps() -> None:
    for layer in (ag.provinces(), ag.districts()):
        geoms = layer.to_crs(6933).geometry
        union = shapely.union_all(geoms.values)
        assert geoms.area.sum() == pytest.approx(union.area, rel=1e-9)
        assert union.geom_type == "Polygon"
        assert len(union.interiors) == 0
        assert 640_000 < union.area / 1e6 < 660_000


def test_provinces_are_the_union_of_their_districts() -> None:
    d = ag.districts().to_crs(6933).dissolve("province")
    p = ag.provinces().to_crs(6933).set_index("name")
    diff = shapely.symmetric_difference(
        d.geometry.sort_index().values, p.geometry.sort_index().values
    )
    assert (shapely.area(diff) < 1e6).all()  # < 1 km² of snapping differences


def test_grid_was_built_from_the_shipped_polygons() -> None:
    for layer in _data.LAYERS:
        shipped = (files("afghangeo") / "data" / f"{layer}.geojson").read_bytes()
        grid = _data.read_grid(layer)
        assert str(grid["sha256"]) == hashlib.sha256(shipped).hexdigest()
        assert grid["label"].max() == len(_data.read_layer(layer)) - 1
        assert np.all(np.diff(grid["border_cells"]) > 0)


def test_public_layers_are_copies() -> None:
    p = ag.provinces()
    p.loc[0, "name"] = "changed"
    assert ag.provinces().loc[0, "name"] != "changed"


def test_attribution_ships_with_the_data() -> None:
    sources = (files("afghangeo") / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert "geoBoundaries" in sources
    assert "Runfola" in sources
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "geoBoundaries" in readme
