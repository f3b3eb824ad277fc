"""The saved offline maps, opened in a real browser (Playwright driving Debian's chromium).

Every request that is not for a file: or data: URL is aborted and fails the test; the
browser is launched by its executable path and never downloaded. Screenshots are kept
in ``test-artifacts/``. Tests wait on conditions (``expect``, ``wait_for_function``),
never for a fixed time.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import afghangeo as ag

pytest.importorskip("folium")
pytest.importorskip("mapclassify")
gpd = pytest.importorskip("geopandas")
shapely = pytest.importorskip("shapely")
sync_api = pytest.importorskip("playwright.sync_api")
Image = pytest.importorskip("PIL.Image")

from afghangeo.maps import choropleth_map, incident_map, save_map  # noqa: E402

expect = sync_api.expect

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVIL = "<script>window.__pwned=1</script><b>bold</b> & more"


def _chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        pytest.skip("no chromium binary (install Debian's: apt-get install -y chromium)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A page that blocks and records every non-local request and every console error."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1000, "height": 760})
        self.page = self.context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("request", self._request)
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))

    def _local(self, url: str) -> bool:
        return url.startswith(("file:", "data:", "about:", "blob:"))

    def _route(self, route: Any) -> None:
        if self._local(route.request.url):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if not self._local(request.url) and request.url not in self.external:
            self.external.append(request.url)

    def open(self, path: Path) -> Any:
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_selector(".ag-legend")
        self.settled()
        return self.page

    def settled(self) -> None:
        """Wait until no zoom or fade animation is running (fitBounds, popups)."""
        self.page.wait_for_function(
            """() => !document.querySelector(".leaflet-zoom-anim")
                  && [...document.querySelectorAll(".leaflet-popup")]
                       .every(e => getComputedStyle(e).opacity === "1")"""
        )

    def screenshot(self, name: str) -> np.ndarray:
        self.settled()
        ARTIFACTS.mkdir(exist_ok=True)
        png = self.page.screenshot(path=str(ARTIFACTS / name))
        return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    p = Page(browser)
    yield p
    p.close()
    assert p.external == [], f"the offline map tried to reach the network: {p.external}"
    assert p.errors == [], f"console errors: {p.errors}"


def _incidents() -> gpd.GeoDataFrame:
    """40 exact incidents away from Helmand, one in Lashkar Gah with a hostile note, and
    province-, district-level and unlocated rows."""
    d = ag.districts()
    d = d[~d["province"].isin(["Helmand", "Nimroz", "Kandahar"])].reset_index(drop=True)
    idx = np.random.default_rng(1).choice(len(d), 40, replace=False)
    reps = d.geometry.representative_point().iloc[idx]
    rows = pd.DataFrame(
        {
            "place": ["Lashkar Gah", *d["name"].iloc[idx], "Badghis", "Nawa", None],
            "province": ["Helmand", *d["province"].iloc[idx], "Badghis", "Ghazni", None],
            "district": ["Lashkar Gah", *d["name"].iloc[idx], None, "Nawa", None],
            "precision": ["place", *["place"] * 40, "province", "district", None],
            "notes": [EVIL, *[f"note {i}" for i in range(40)], "x", "y", "z"],
            "date": pd.to_datetime(["2021-01-01"] * 11 + ["2021-02-01"] * 30 + [None] * 3),
        }
    )
    geometry = [shapely.Point(64.37, 31.59), *reps, shapely.Point(63.5, 35.0), None, None]
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=4326)


def test_incident_map_offline_in_chromium(page: Page, tmp_path: Path) -> None:
    path = save_map(incident_map(_incidents(), cluster=False), tmp_path / "incidents.html")
    p = page.open(path)
    expect(p.locator("path.ag-province")).to_have_count(34)
    expect(p.locator("path.ag-point")).to_have_count(41)  # the province-level row is no point
    expect(p.locator("path.ag-province-only")).to_have_count(1)
    expect(p.locator("path.ag-district-only")).to_have_count(1)
    expect(p.locator(".ag-legend")).to_contain_text("Unlocated (not on the map): 1")
    p.locator("path.ag-point").first.click()
    popup = p.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(EVIL)
    assert popup.locator("b").count() == 0 and popup.locator("script").count() == 0
    assert p.evaluate("window.__pwned") is None
    pixels = page.screenshot("incident_map.png")
    assert pixels.std() > 10


def test_clustered_incident_map_offline_in_chromium(page: Page, tmp_path: Path) -> None:
    m = incident_map(_incidents(), heat=True)
    p = page.open(save_map(m, tmp_path / "clustered.html"))
    expect(p.locator(".marker-cluster").first).to_be_visible()
    clusters = p.locator(".marker-cluster").count()
    points = p.locator("path.ag-point").count()
    assert clusters >= 1 and clusters + points < 41
    assert p.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert page.screenshot("incident_map_clustered.png").std() > 10


def test_choropleth_offline_in_chromium(page: Page, tmp_path: Path) -> None:
    names = ag.provinces()["name"]
    counts = pd.DataFrame(
        {"province": [*names, "unlocated"], "count": [*(i % 7 for i in range(34)), 3]}
    )
    p = page.open(save_map(choropleth_map(counts, k=4), tmp_path / "choropleth.html"))
    paths = p.locator("path.ag-province.leaflet-interactive")
    expect(paths).to_have_count(34)
    fills = {paths.nth(i).get_attribute("fill") for i in range(34)}
    assert "#ffffff" in fills and len(fills) == 5  # zero + 4 classes
    legend = p.locator(".ag-legend").inner_text()
    assert "Unlocated (not on the map): 3" in legend and "4 – 5" in legend
    pixels = page.screenshot("choropleth.png")
    assert pixels.std() > 10


def test_time_slider_filters_points_in_chromium(page: Page, tmp_path: Path) -> None:
    m = incident_map(_incidents(), cluster=False, time=True, heat=True)
    p = page.open(save_map(m, tmp_path / "time.html"))
    points = p.locator("path.ag-point")
    expect(points).to_have_count(41)
    slider = p.locator(".ag-time input")
    slider.fill("0")
    expect(points).to_have_count(11)
    expect(p.locator(".ag-time")).to_contain_text("to 2021-01-01: 11 shown")
    slider.fill("1")
    expect(points).to_have_count(41)
    assert page.screenshot("incident_map_time.png").std() > 10


def test_title_is_visible_text_in_chromium(page: Page, tmp_path: Path) -> None:
    m = incident_map(_incidents(), cluster=False, title=EVIL)
    p = page.open(save_map(m, tmp_path / "title.html"))
    title = p.locator(".ag-title")
    expect(title).to_have_text(EVIL)
    expect(title).to_be_visible()
    assert title.locator("b").count() == 0 and title.locator("script").count() == 0
    assert p.title() == EVIL
    assert p.evaluate("window.__pwned") is None
    assert page.screenshot("incident_map_title.png").std() > 10


def test_two_layers_drawn_onto_one_folium_map_in_chromium(page: Page, tmp_path: Path) -> None:
    folium = pytest.importorskip("folium")
    mine = folium.Map(location=[34, 66], zoom_start=5, tiles=None)
    counts = pd.DataFrame({"province": ag.provinces()["name"], "count": range(34)})
    choropleth_map(counts, m=mine, legend=False)
    incident_map(_incidents(), cluster=False, m=mine)
    p = page.open(save_map(mine, tmp_path / "mine.html"))
    expect(p.locator("path.ag-province")).to_have_count(2 * 34)
    expect(p.locator("path.ag-point")).to_have_count(41)
    assert page.screenshot("two_layers.png").std() > 10


# --- maps composed with the user's own folium elements, the context, the dense default --


def _compose(m: Any) -> Any:
    """A folium Marker with a Popup, a GeoJson and a LayerControl on map `m`."""
    folium = pytest.importorskip("folium")
    folium.Marker([34.53, 69.17], popup=folium.Popup("<i>Kabul</i> office")).add_to(m)
    icon = folium.Icon(prefix="fa", icon="house", color="green")
    folium.Marker([31.6, 65.7], icon=icon, tooltip="Kandahar office").add_to(m)
    square = shapely.geometry.mapping(shapely.box(61.5, 30.5, 62.5, 31.5))
    folium.GeoJson(square, name="My square", tooltip="my square").add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _choropleth() -> Any:
    counts = pd.DataFrame({"province": ag.provinces()["name"], "count": range(34)})
    return choropleth_map(counts)


@pytest.mark.parametrize("kind", ["incident_map", "choropleth_map"])
def test_composed_folium_elements_work_offline_in_chromium(
    kind: str, page: Page, tmp_path: Path
) -> None:
    m = incident_map(_incidents(), cluster=False) if kind == "incident_map" else _choropleth()
    p = page.open(save_map(_compose(m), tmp_path / f"{kind}.html"))
    icon = p.locator("img.leaflet-marker-icon")
    expect(icon).to_have_count(1)
    expect(p.locator(".awesome-marker i.fa-house")).to_have_count(1)
    p.wait_for_function(
        """() => document.fonts.ready.then(() =>
             document.fonts.check('900 14px "Font Awesome 6 Free"'))"""
    )
    p.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon, img.leaflet-marker-shadow')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    icon.click()
    popup = p.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Kabul office")
    expect(popup.locator("i")).to_have_count(1)  # the user's own HTML, as folium renders it
    expect(p.locator("path.leaflet-interactive[stroke='#3388ff']")).to_have_count(1)
    expect(p.locator(".leaflet-control-layers-overlays").first).to_be_visible()
    assert page.screenshot(f"composed_{kind}.png").std() > 10


def test_context_appears_by_zoom_and_toggles_in_chromium(page: Page, tmp_path: Path) -> None:
    p = page.open(save_map(incident_map(_incidents()), tmp_path / "context.html"))
    expect(p.locator(".ag-country-label")).to_have_count(6)
    expect(p.locator(".ag-country-label", has_text="Pakistan")).to_be_visible()
    expect(p.locator(".ag-province-label")).to_have_count(34)
    expect(p.locator(".leaflet-control-scale")).to_have_count(1)
    expect(p.locator(".ag-town-label")).to_have_count(0)
    expect(p.locator(".ag-district-label")).to_have_count(0)
    expect(p.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    page.screenshot("incident_map_default.png")
    p.locator("path.ag-province-only").click(force=True)
    popup = p.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("1 incident known only to the province")
    expect(popup.locator("li")).to_have_count(1)
    expect(popup.locator("li")).to_contain_text("Badghis")
    p.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    map_name = p.evaluate("Object.keys(window).find(k => k.startsWith('map_'))")
    p.evaluate(f"() => {{ window['{map_name}'].setView([34.52, 69.18], 10, {{animate: false}}); }}")
    expect(p.locator(".ag-town-label", has_text="Kabul").first).to_be_visible()
    assert p.locator(".ag-district-label").count() > 0
    assert page.screenshot("incident_map_zoomed_context.png").std() > 10
    p.get_by_label("Scale bar").uncheck()
    expect(p.locator(".leaflet-control-scale")).to_have_count(0)
    p.get_by_label("Towns (zoom 9+)").uncheck()
    expect(p.locator(".ag-town-label")).to_have_count(0)


def test_dense_incident_map_shades_districts_until_zoom_9_in_chromium(
    page: Page, tmp_path: Path
) -> None:
    d = ag.districts()
    idx = np.random.default_rng(2).integers(0, len(d), 6_000)
    points = d.geometry.representative_point().iloc[idx].to_numpy()
    inc = gpd.GeoDataFrame(
        {"precision": ["place"] * len(idx), "province": d["province"].iloc[idx].to_numpy()},
        geometry=points,
        crs=4326,
    )
    p = page.open(save_map(incident_map(inc), tmp_path / "dense.html"))
    expect(p.locator("path.ag-density")).to_have_count(len(d))
    expect(p.locator(".ag-legend")).to_contain_text("the points appear from zoom 9")
    assert p.locator("path.ag-point").count() == 0 and p.locator("canvas").count() == 0
    assert page.screenshot("incident_map_dense.png").std() > 10
    map_name = p.evaluate("Object.keys(window).find(k => k.startsWith('map_'))")
    p.evaluate(f"() => {{ window['{map_name}'].setView([34.52, 69.18], 9, {{animate: false}}); }}")
    expect(p.locator("canvas").first).to_be_attached()
    expect(p.locator(".ag-town-label", has_text="Kabul").first).to_be_visible()
    assert page.screenshot("incident_map_dense_zoom9.png").std() > 10


def test_folium_cluster_and_heat_plugins_work_offline_in_chromium(
    page: Page, tmp_path: Path
) -> None:
    folium = pytest.importorskip("folium")
    plugins = pytest.importorskip("folium.plugins")
    m = incident_map(_incidents(), cluster=False)
    cluster = plugins.MarkerCluster(name="My cluster").add_to(m)
    for lat, lon in [(34.5, 69.2), (34.51, 69.21), (34.52, 69.19)]:
        folium.Marker([lat, lon]).add_to(cluster)
    plugins.HeatMap([[31.6, 65.7, 1.0], [31.61, 65.71, 1.0]], name="My heat").add_to(m)
    p = page.open(save_map(m, tmp_path / "plugins.html"))
    expect(p.locator(".marker-cluster", has_text="3")).to_have_count(1)
    expect(p.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    assert page.screenshot("composed_plugins.png").std() > 10
