// afghangeo: draws one map spec S (compact JSON, data stored once) on a Leaflet map.
// Inlined into each saved map by afghangeo._folium; every text reaches the page as
// text (textContent) or as HTML escaped in Python (legend, tooltips).
function afghangeoMap(map, S) {
  "use strict";
  if (S.background) map.getContainer().style.background = S.background;
  if (map.options.maxZoom === undefined) map.setMaxZoom(18);
  var overlays = {};
  map.createPane("agContext").style.zIndex = 340;  // neighbours, under everything
  map.createPane("agBase").style.zIndex = 350;  // under heat, areas and points
  map.createPane("agLabels").style.zIndex = 450;  // names, above areas, under popups
  map.getPane("agLabels").style.pointerEvents = "none";
  // a layer shown only while its entry in the layer control is ticked and the zoom is
  // at least minZoom; the entry is an empty group that stands for it
  var zoomed = function (label, layer, minZoom, on) {
    var handle = L.layerGroup();
    var update = function () {
      var want = map.hasLayer(handle) && map.getZoom() >= minZoom;
      if (want && !map.hasLayer(layer)) layer.addTo(map);
      if (!want && map.hasLayer(layer)) map.removeLayer(layer);
    };
    handle.on("add remove", update);
    map.on("zoomend", update);
    if (on) handle.addTo(map);
    overlays[label] = handle;
    return handle;
  };
  var label = function (lat, lon, text, cls) {  // a name as text, never HTML
    var el = document.createElement("span");
    el.textContent = text;
    return L.marker([lat, lon], {pane: "agLabels", interactive: false, keyboard: false,
      icon: L.divIcon({html: el, className: "ag-label " + cls, iconSize: null})});
  };
  var labels = function (T, cls) {
    var g = L.layerGroup();
    for (var i = 0; i < T.names.length; i++) label(T.lat[i], T.lon[i], T.names[i], cls).addTo(g);
    return g;
  };
  var C = S.context;
  if (C) {
    var countries = L.geoJSON(C.countries, {pane: "agContext", interactive: false,
      style: {color: "#9a9a9a", weight: 1, fillColor: "#eeece6", fillOpacity: 1,
              className: "ag-country"}});
    C.countries.features.forEach(function (f) {
      var xy = f.properties.label;
      label(xy[1], xy[0], f.properties.name, "ag-country-label").addTo(countries);
    });
    countries.addTo(map);
    overlays[C.words.countries] = countries;
    overlays[C.words.provinces] = labels(C.provinces, "ag-province-label").addTo(map);
    var dl = L.layerGroup();
    if (C.districts.fc) {
      L.geoJSON(C.districts.fc, {pane: "agBase", interactive: false,
        style: {color: "#8c8c8c", weight: 0.6, fill: false, className: "ag-district-line"}})
        .addTo(dl);
    }
    labels(C.districts, "ag-district-label").addTo(dl);
    zoomed(C.words.districts, dl, C.districts.zoom, true);
    var tw = L.layerGroup(), T = C.towns;
    for (var ti = 0; ti < T.names.length; ti++) {
      L.circleMarker([T.lat[ti], T.lon[ti]], {pane: "agLabels", interactive: false,
        radius: T.capital[ti] ? 3.5 : 2.5, weight: 1, color: "#333", fillColor: "#fff",
        fillOpacity: 1, className: "ag-town"}).addTo(tw);
      label(T.lat[ti], T.lon[ti], T.names[ti], T.capital[ti] ? "ag-town-label ag-capital"
                                                             : "ag-town-label").addTo(tw);
    }
    zoomed(C.words.towns, tw, T.zoom, true);
    var scale = L.control.scale({imperial: false, position: "bottomleft"});
    var sh = L.layerGroup();
    sh.on("add", function () { scale.addTo(map); });
    sh.on("remove", function () { scale.remove(); });
    sh.addTo(map);
    overlays[C.words.scale] = sh;
    if (map.attributionControl) map.attributionControl.addAttribution(C.attribution);
  }
  if (S.density) {  // under the points; lighter once the points show
    map.createPane("agDensity").style.zIndex = 360;
    var D = S.density, faded = function () { return map.getZoom() >= D.fadeZoom; };
    var dens = L.geoJSON(D.fc, {
      pane: "agDensity",
      style: function (f) {
        return {color: "#777", weight: 0.6, fillColor: f.properties.f,
                fillOpacity: faded() ? 0.35 : 0.85, className: "ag-density"};
      },
      onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.t, {sticky: true}); }
    });
    map.on("zoomend", function () { dens.setStyle({fillOpacity: faded() ? 0.35 : 0.85}); });
    zoomed(D.label, dens, 0, true);
  }
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
      onEachFeature: function (f, layer) {
        layer.bindPopup(f.properties.t, {maxWidth: 380, maxHeight: 320});
      }
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
    if (P.minZoom) zoomed(P.label, group, P.minZoom, true);
    else { group.addTo(map); overlays[P.label] = group; }
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
  if (S.title) {
    var tt = L.DomUtil.create("div", "ag-title", map.getContainer());
    tt.textContent = S.title;  // text, never HTML
    L.DomEvent.disableClickPropagation(tt);
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
}
