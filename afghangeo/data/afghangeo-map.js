// afghangeo: draws one map spec S (compact JSON, data stored once) on a Leaflet map.
// Inlined into each saved map by afghangeo._folium; every text reaches the page as
// text (textContent) or as HTML escaped in Python (legend, tooltips).
function afghangeoMap(map, S) {
  "use strict";
  if (S.background) map.getContainer().style.background = S.background;
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
