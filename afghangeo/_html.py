"""Offline HTML for the maps: vendored Leaflet assets, safe JSON in scripts, atomic writes.

The map elements of :mod:`afghangeo.maps` link Leaflet and its plugins by their CDN
address (as folium does); :func:`inline_assets` swaps every such link for the vendored
copy in ``afghangeo/data/vendor/`` (see ``VERSIONS.md`` there), so a saved file, and a
map shown in Jupyter, work with no network at all.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import re
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

from afghangeo.errors import InvalidInputError

__all__ = [
    "CSS",
    "JS",
    "inline_assets",
    "js_json",
    "map_element",
    "write_atomic",
]

_CDN = "https://cdn.jsdelivr.net/npm"
_MC = f"{_CDN}/leaflet.markercluster@1.5.3/dist"
# name -> CDN address; the vendored file has the address's base name.
JS = {
    "leaflet": f"{_CDN}/leaflet@1.9.4/dist/leaflet.js",
    "markercluster": f"{_MC}/leaflet.markercluster.js",
    "heat": f"{_CDN}/leaflet.heat@0.2.0/dist/leaflet-heat.js",
}
CSS = {
    "leaflet_css": f"{_CDN}/leaflet@1.9.4/dist/leaflet.css",
    "markercluster_css": f"{_MC}/MarkerCluster.css",
    "markercluster_default_css": f"{_MC}/MarkerCluster.Default.css",
}
_VENDORED = {url.rsplit("/", 1)[1] for url in (*JS.values(), *CSS.values())}
# folium's default page assets that no afghangeo map uses (Bootstrap, jQuery, icon fonts):
# dropped from an offline file rather than fetched.
_DROPPABLE = re.compile(r"jquery|bootstrap|awesome|font-?awesome|glyphicons", re.IGNORECASE)
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["'][^>]*>\s*</script>""")
_LINK_CSS = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*/?>""")
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def js_json(value: Any) -> str:
    r"""Compact JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\u003c``-style escapes, so no string in the data
    can close the script (``</script>``) or open a comment; the value is unchanged
    for JavaScript.

    Examples
    --------
    >>> from afghangeo._html import js_json
    >>> js_json({"note": "</script><b>"})
    '{"note":"\\u003c/script\\u003e\\u003cb\\u003e"}'
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return _UNSAFE_RE.sub(lambda m: _UNSAFE[m.group()], text)


@functools.cache
def _asset(name: str) -> str:
    """A vendored asset's text, ready to inline (source maps dropped, images inlined)."""
    folder = files("afghangeo") / "data" / "vendor"
    text = (folder / name).read_text(encoding="utf-8")
    text = _SOURCE_MAP.sub("", text)
    if name.endswith(".css"):

        def data_uri(match: re.Match[str]) -> str:
            png = (folder / match.group(2)).read_bytes()
            return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

        text = _CSS_URL.sub(data_uri, text)
    return text


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE))


def inline_assets(html: str) -> str:
    """Replace every external ``<script src>``/``<link href>`` by the vendored copy.

    Parameters
    ----------
    html : str
        A page as rendered by folium.

    Returns
    -------
    str
        The same page with Leaflet, MarkerCluster and Leaflet.heat inlined and
        folium's unused defaults (jQuery, Bootstrap, icon fonts) removed.

    Raises
    ------
    InvalidInputError
        If the page links an asset that afghangeo does not ship (a folium plugin
        added by hand); save it with ``offline=False`` instead.
    """
    unknown: list[str] = []

    def replace(match: re.Match[str], *, tag: str) -> str:
        url = match.group(1)
        if not _is_external(url):
            return match.group(0)
        name = url.split("?", 1)[0].rsplit("/", 1)[-1]
        if name in _VENDORED:
            return f"<{tag}>\n{_asset(name)}\n</{tag}>"
        if _DROPPABLE.search(url):
            return ""
        unknown.append(url)
        return match.group(0)

    html = _SCRIPT_SRC.sub(functools.partial(replace, tag="script"), html)
    html = _LINK_CSS.sub(functools.partial(replace, tag="style"), html)
    if unknown:
        listed = ", ".join(map(repr, unknown))
        msg = (
            f"Cannot save this map offline: it links assets afghangeo does not ship ({listed}). "
            "Remove the plugin that needs them or call save_map(..., offline=False)."
        )
        raise InvalidInputError(msg)
    return html


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, then rename."""
    try:
        mode = path.stat().st_mode & 0o777  # keep an existing file's permissions
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask  # as open() would create it (mkstemp makes 0600)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


_STYLE = (
    ".ag-legend{background:#fff;padding:6px 9px;font:12px/1.45 sans-serif;color:#222;"
    "box-shadow:0 0 4px rgba(0,0,0,.35);border-radius:4px;max-width:280px}"
    ".ag-legend b{display:block;margin-bottom:3px}"
    ".ag-legend i{display:inline-block;width:14px;height:12px;margin-right:6px;"
    "vertical-align:middle;border:1px solid #666}"
    ".ag-legend i.ag-dot{width:10px;height:10px;border-radius:50%}"
    ".ag-legend i.ag-dash{border:2px dashed;background:none}"
    ".ag-legend small{display:block;color:#555;margin-top:4px}"
    ".ag-popup th{text-align:left;padding-right:8px;vertical-align:top;color:#555}"
    ".ag-popup td{white-space:pre-wrap;min-width:140px;max-width:300px;overflow-wrap:break-word}"
    ".ag-time{background:#fff;padding:4px 8px;font:12px sans-serif;border-radius:4px;"
    "box-shadow:0 0 4px rgba(0,0,0,.35)}.ag-time input{width:220px;vertical-align:middle}"
)

# One function draws every afghangeo map from a JSON spec `S`; data is stored once.
MAP_JS = r"""function (map, S) {
  "use strict";
  map.getContainer().style.background = S.background;
  if (map.options.maxZoom === undefined) map.setMaxZoom(18);
  var overlays = {};
  map.createPane("agBase").style.zIndex = 350;  // under heat, areas and points
  var base = L.geoJSON(S.base, {
    pane: "agBase",
    style: function (f) {
      var p = f.properties;
      return {color: S.stroke, weight: S.weight, fillColor: p.f || S.land,
              fillOpacity: p.f ? S.fillOpacity : S.landOpacity, className: S.baseClass};
    },
    onEachFeature: function (f, layer) {
      if (f.properties.t) layer.bindTooltip(f.properties.t, {sticky: true});
    }
  }).addTo(map);
  (S.areas || []).forEach(function (a) {
    var layer = L.geoJSON(a.fc, {
      style: function (f) {
        return {color: a.color, weight: 2, dashArray: "5 4", fillColor: a.color,
                fillOpacity: f.properties.o, className: a.className};
      },
      onEachFeature: function (f, layer) { layer.bindPopup(f.properties.t); }
    }).addTo(map);
    overlays[a.label] = layer;
  });
  var P = S.points;
  if (P) {
    var n = P.lat.length;
    var get = P.cols.map(function (c) {
      return c.k ? function (i) { var v = c.c[i]; return v < 0 ? null : c.k[v]; }
                 : function (i) { return c.v[i]; };
    });
    var content = function (layer) {
      var i = layer.options.i, t = L.DomUtil.create("table", "ag-popup");
      for (var j = 0; j < get.length; j++) {
        var v = get[j](i);
        if (v === null || v === "") continue;
        var r = t.insertRow(), h = document.createElement("th");
        h.textContent = P.names[j];
        r.appendChild(h);
        r.insertCell().textContent = String(v);
      }
      return t;
    };
    var renderer = P.canvas ? L.canvas({padding: 0.5}) : L.svg();
    var markers = new Array(n);
    for (var i = 0; i < n; i++) {
      var m = L.circleMarker([P.lat[i], P.lon[i]], {
        i: i, renderer: renderer, radius: 5, weight: 1, color: "#333",
        fillColor: P.colors[P.g ? P.g[i] : 0], fillOpacity: 0.9, className: "ag-point"});
      if (get.length) m.bindPopup(content, {minWidth: 220, maxWidth: 380});
      markers[i] = m;
    }
    var group = P.cluster
      ? L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false,
                              maxClusterRadius: 45})
      : L.layerGroup();
    group.addTo(map);
    overlays[P.label] = group;
    var heat = null;
    if (P.w) {
      heat = L.heatLayer([], {radius: 18, blur: 15, minOpacity: 0.35, max: P.wmax}).addTo(map);
      overlays["Heat"] = heat;
    }
    var show = function (limit) {
      var sel = [], pts = [];
      for (var i = 0; i < n; i++) {
        if (!P.t || P.t[i] <= limit) {
          sel.push(markers[i]);
          if (P.w) pts.push([P.lat[i], P.lon[i], P.w[i]]);
        }
      }
      group.clearLayers();
      if (P.cluster) group.addLayers(sel);
      else for (var j = 0; j < sel.length; j++) group.addLayer(sel[j]);
      if (heat) heat.setLatLngs(pts);
      return sel.length;
    };
    if (P.t) {
      var tc = L.control({position: "bottomleft"});
      tc.onAdd = function () {
        var d = L.DomUtil.create("div", "ag-time");
        var s = L.DomUtil.create("input", "", d), lab = L.DomUtil.create("span", "", d);
        s.type = "range"; s.min = 0; s.max = P.tmax; s.step = 1; s.value = P.tmax;
        var update = function () {
          var v = +s.value, c = show(v);
          lab.textContent = (v < P.dates.length ? " to " + P.dates[v] : " all dates") +
            ": " + c + " shown";
        };
        L.DomEvent.on(s, "input", update);
        L.DomEvent.disableClickPropagation(d);
        update();
        return d;
      };
      tc.addTo(map);
    } else {
      show(Infinity);
    }
  }
  if (S.legend) {
    var lg = L.control({position: "bottomright"});
    lg.onAdd = function () {
      var d = L.DomUtil.create("div", "ag-legend");
      d.innerHTML = S.legend;
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      return d;
    };
    lg.addTo(map);
  }
  if (Object.keys(overlays).length > 1) {
    L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);
  }
  map.fitBounds(base.getBounds(), {padding: [8, 8]});
}"""


@functools.cache
def _element_class() -> type:
    from branca.element import MacroElement
    from folium.elements import JSCSSMixin
    from jinja2 import Template

    class AfghangeoLayer(JSCSSMixin, MacroElement):
        """Draws one afghangeo map spec on its parent folium map."""

        _template = Template(
            "{% macro header(this, kwargs) %}<style>{{ this.style }}</style>{% endmacro %}"
            "{% macro script(this, kwargs) %}"
            "({{ this.code }})({{ this._parent.get_name() }}, {{ this.payload }});"
            "{% endmacro %}"
        )

        def __init__(self, payload: str, js: list[tuple[str, str]], css: list[tuple[str, str]]):
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "AfghangeoLayer"
            self.payload = payload
            self.code = MAP_JS
            self.style = _STYLE
            self.default_js = js
            self.default_css = css

    return AfghangeoLayer


def map_element(spec: dict[str, Any], *, cluster: bool = False, heat: bool = False) -> Any:
    """A folium element that draws `spec` with :data:`MAP_JS` (the data embedded once)."""
    js = [("leaflet", JS["leaflet"])]
    css = [("leaflet_css", CSS["leaflet_css"])]
    if cluster:
        js.append(("markercluster", JS["markercluster"]))
        css += [(k, CSS[k]) for k in ("markercluster_css", "markercluster_default_css")]
    if heat:
        js.append(("heat", JS["heat"]))
    layer: Any = _element_class()
    return layer(js_json(spec), js, css)
