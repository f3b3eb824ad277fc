"""Offline pages: vendored assets inlined, JSON safe in a script, the Jupyter display."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afghangeo._offline import inline_assets, js_json
from afghangeo.errors import InvalidInputError

folium = pytest.importorskip("folium")
pytest.importorskip("mapclassify")

from test_maps import make_incidents, province_counts  # noqa: E402

from afghangeo._folium import AfghangeoLayer  # noqa: E402
from afghangeo.maps import choropleth_map, incident_map, save_map  # noqa: E402

# --- js_json and inline_assets ------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_js_json_round_trips_and_never_closes_a_script(value: object) -> None:
    text = js_json(value)
    assert json.loads(text) == value
    assert not re.search(r"[<>&\u2028\u2029]", text)


FA_CSS = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
GLYPH_CSS = "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"


def test_inline_assets_inlines_vendored_links_and_drops_unused_icon_fonts() -> None:
    page = (
        '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"></script>'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"/>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
        f'<link rel="stylesheet" href="{FA_CSS}"/><link rel="stylesheet" href="{GLYPH_CSS}"/>'
        '<script src="local.js"></script>'
    )
    out = inline_assets(page)
    assert not re.search(r"<(?:script|link)[^>]*(?:src|href)=.https", out)
    assert "jQuery v3.7.1" in out  # inlined, not dropped: folium's popups need it
    assert "Font Awesome" not in out and "glyphicon" not in out  # unused: dropped
    assert 'L.Icon.Default.imagePath = ""' in out  # the marker icons as data URIs
    assert '<script src="local.js"></script>' in out  # a relative link is left alone
    assert "data:image/png;base64," in out  # the css images are inlined too
    with pytest.raises(InvalidInputError, match="offline=False"):
        inline_assets('<script src="https://example.invalid/plugin.js"></script>')


def test_font_awesome_is_inlined_with_its_fonts_when_an_icon_uses_it() -> None:
    out = inline_assets(f'<link rel="stylesheet" href="{FA_CSS}"/><script>{{"prefix": "fa"}}')
    assert "Font Awesome Free 6.2.0" in out and "data:font/woff2;base64," in out
    assert "webfonts/" not in out and ".ttf" not in out


@pytest.mark.parametrize(
    ("used", "listed"),
    [('"prefix": "glyphicon"', "bootstrap-glyphicons.css"), ("fa-rotate-90", "rotate")],
)
def test_icons_that_cannot_be_shipped_are_listed_on_one_line(used: str, listed: str) -> None:
    rotate = "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css"
    links = "".join(f'<link rel="stylesheet" href="{u}"/>' for u in (GLYPH_CSS, rotate))
    with pytest.raises(InvalidInputError, match=listed) as err:
        inline_assets(f"{links}<script>{used}</script>")
    assert "\n" not in str(err.value) and "offline=False" in str(err.value)
    assert ("prefix='fa'" in str(err.value)) is (listed != "rotate")


# --- saved files -------------------------------------------------------------------


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
    from folium.plugins import Fullscreen

    m = choropleth_map(province_counts())
    Fullscreen().add_to(m)
    with pytest.raises(InvalidInputError, match="offline=False"):
        save_map(m, tmp_path / "m.html")
    plain = folium.Map(tiles=None)  # folium's own defaults are inlined (icon fonts dropped)
    page = save_map(plain, tmp_path / "p.html").read_text()
    assert external_refs(page) == [] and "jQuery v3.7.1" in page and "Bootstrap v5.2.2" in page


def test_an_afghangeo_map_links_folium_defaults_only_once_composed(tmp_path: Path) -> None:
    alone = save_map(incident_map(make_incidents(5)), tmp_path / "a.html").read_text()
    assert "jQuery" not in alone and "Bootstrap" not in alone
    m = incident_map(make_incidents(5))
    folium.Marker([34.5, 69.2], popup=folium.Popup("hi")).add_to(m)
    composed = save_map(m, tmp_path / "b.html").read_text()
    assert external_refs(composed) == [] and "jQuery v3.7.1" in composed
    assert "L.AwesomeMarkers" in composed


# --- the Jupyter display -------------------------------------------------------------


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
        layer = next(c for c in m._children.values() if isinstance(c, AfghangeoLayer))
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


def test_online_basemap_is_optional(tmp_path: Path) -> None:
    m = incident_map(make_incidents(3), tiles="OpenStreetMap")
    page = save_map(m, tmp_path / "m.html").read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page
    assert external_refs(page) == []


def test_map_script_and_style_are_package_data_inlined_once_per_layer(tmp_path: Path) -> None:
    from importlib.resources import files

    data = files("afghangeo") / "data"
    script = data.joinpath("afghangeo-map.js").read_text(encoding="utf-8")
    style = data.joinpath("afghangeo-map.css").read_text(encoding="utf-8")
    assert "function afghangeoMap(map, S)" in script and ".ag-legend" in style
    page = save_map(choropleth_map(province_counts()), tmp_path / "m.html").read_text()
    assert page.count(script.strip()) == 1 and page.count(style.strip()) == 1


def test_vendored_assets_match_their_recorded_checksums() -> None:
    import hashlib
    from importlib.resources import files

    vendor = files("afghangeo") / "data" / "vendor"
    listed = re.findall(
        r"^([0-9a-f]{64})  (\S+)$", vendor.joinpath("VERSIONS.md").read_text(), re.M
    )
    assert len(listed) == 25
    for digest, name in listed:
        assert hashlib.sha256(vendor.joinpath(name).read_bytes()).hexdigest() == digest, name
    licences = ["LICENSE.leaflet", "LICENSE.leaflet.markercluster", "LICENSE.leaflet.heat"]
    licences += ["LICENSE.jquery", "LICENSE.bootstrap", "LICENSE.leaflet.awesome-markers"]
    for licence in [*licences, "LICENSE.fontawesome"]:
        assert "Copyright" in vendor.joinpath(licence).read_text()


def test_notebook_display_of_a_composed_map_is_offline() -> None:
    m = incident_map(make_incidents(5))
    folium.Marker([34.5, 69.2], popup=folium.Popup("hi")).add_to(m)
    folium.GeoJson({"type": "Point", "coordinates": [66.0, 33.0]}).add_to(m)
    folium.LayerControl().add_to(m)
    page = srcdoc_of(m._repr_html_())
    assert external_refs(page) == [] and "jQuery v3.7.1" in page
    assert 'L.Icon.Default.imagePath = ""' in page
