/* The boundary of the area form, drawn on a Leaflet map with leaflet-geoman.

   The GeoJSON lives in the form's textarea (the only field the server reads): drawing, editing,
   cutting or removing writes it there, and GeoJSON pasted there is drawn on the map. Without
   JavaScript the textarea alone does the job. The area shown while drawing is an estimate on a
   sphere; the server computes the stored figure on the WGS84 ellipsoid. */
(function () {
  "use strict";
  var el = document.getElementById("area-map");
  if (!el || typeof L === "undefined" || !L.PM) { return; }
  var field = document.getElementById(el.dataset.field);
  if (!field) { return; }
  var declaredInput = document.getElementById(el.dataset.declaredField);
  var communeInput = document.getElementById(el.dataset.communeField);
  var estimate = document.getElementById("area-estimate");
  var notice = document.getElementById("area-map-notice");
  var EARTH_RADIUS = 6371008.8;
  var STYLE = { color: "#1b6b3a", weight: 2, fillColor: "#3f9b5f", fillOpacity: 0.3 };

  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  var centres = readJSON("area-communes") || {};
  var translation = readJSON("area-draw-i18n");

  el.hidden = false;
  document.querySelectorAll(".area-map-help").forEach(function (node) { node.hidden = false; });
  var details = field.closest("details");
  if (details && !details.querySelector(".error")) { details.open = false; }

  var start = [parseFloat(el.dataset.lat) || 21.85, parseFloat(el.dataset.lng) || 106.76];
  var map = L.map(el).setView(start, 10);
  if (el.dataset.tiles) {
    var failed = false;
    var tiles = L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" });
    tiles.on("tileerror", function () {
      if (!failed) { failed = true; if (notice) { notice.hidden = false; } }
    });
    tiles.addTo(map);
  }
  if (translation) { map.pm.setLang("vi", translation, "en"); }
  map.pm.addControls({
    position: "topleft",
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawCircle: false,
    drawText: false,
    rotateMode: false,
    drawRectangle: true,
    drawPolygon: true,
    editMode: true,
    dragMode: true,
    cutPolygon: true,
    removalMode: true
  });
  map.pm.setGlobalOptions({ allowSelfIntersection: false, pathOptions: STYLE });

  function polygons() {
    var found = [];
    map.eachLayer(function (layer) {
      if (layer instanceof L.Polygon && !layer._pmTempLayer) { found.push(layer); }
    });
    return found;
  }

  function currentGeometry() {
    var parts = [];
    polygons().forEach(function (layer) {
      var geometry = layer.toGeoJSON(7).geometry;
      if (geometry.type === "Polygon") {
        parts.push(geometry.coordinates);
      } else if (geometry.type === "MultiPolygon") {
        geometry.coordinates.forEach(function (part) { parts.push(part); });
      }
    });
    if (!parts.length) { return null; }
    return parts.length === 1
      ? { type: "Polygon", coordinates: parts[0] }
      : { type: "MultiPolygon", coordinates: parts };
  }

  /* Area of a ring on a sphere (the method of d3-geo and turf), in m². */
  function ringArea(ring) {
    var n = ring.length;
    if (n < 3) { return 0; }
    var rad = Math.PI / 180;
    var total = 0;
    for (var i = 0; i < n; i++) {
      var lower = ring[i];
      var middle = ring[(i + 1) % n];
      var upper = ring[(i + 2) % n];
      total += (upper[0] * rad - lower[0] * rad) * Math.sin(middle[1] * rad);
    }
    return Math.abs(total * EARTH_RADIUS * EARTH_RADIUS / 2);
  }

  function hectares(geometry) {
    if (!geometry) { return 0; }
    var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    var m2 = 0;
    polys.forEach(function (rings) {
      rings.forEach(function (ring, index) {
        // Rings are closed: drop the repeated last point for the sum.
        var open = ring.slice(0, ring.length - 1);
        m2 += (index === 0 ? 1 : -1) * ringArea(open);
      });
    });
    return m2 / 10000;
  }

  function lang() { return document.documentElement.lang || "vi"; }

  function format(value, digits) {
    try {
      return new Intl.NumberFormat(lang(), { maximumFractionDigits: digits }).format(value);
    } catch (e) {
      return value.toFixed(digits);
    }
  }

  function declaredValue() {
    if (!declaredInput || !declaredInput.value) { return null; }
    var raw = declaredInput.value.trim();
    raw = lang() === "vi" ? raw.replace(/\./g, "").replace(",", ".") : raw.replace(/,/g, "");
    var value = parseFloat(raw);
    return isFinite(value) && value > 0 ? value : null;
  }

  function showEstimate(geometry) {
    if (!estimate) { return; }
    estimate.textContent = "";
    estimate.classList.remove("area-warning");
    if (!geometry) { estimate.hidden = true; return; }
    var ha = hectares(geometry);
    var words = el.dataset.labelEstimate + ": " + format(ha, 2) + " ha";
    var declared = declaredValue();
    var warn = false;
    if (declared) {
      var pct = (ha - declared) / declared * 100;
      words += " · " + el.dataset.labelDeclared + ": " + format(declared, 2) + " ha · " +
        el.dataset.labelDifference + ": " + (pct > 0 ? "+" : "") + format(pct, 1) + "%";
      warn = Math.abs(pct) > 20;
    }
    estimate.appendChild(document.createTextNode(words));
    if (warn) {
      estimate.classList.add("area-warning");
      estimate.appendChild(document.createElement("br"));
      var strong = document.createElement("strong");
      strong.textContent = el.dataset.labelWarning;
      estimate.appendChild(strong);
    }
    estimate.hidden = false;
  }

  function write() {
    var geometry = currentGeometry();
    field.value = geometry ? JSON.stringify(geometry) : "";
    showEstimate(geometry);
  }

  function watch(layer) {
    layer.on("pm:edit pm:dragend pm:markerdragend pm:vertexremoved", write);
  }

  function draw(text, fit) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return false; }
    polygons().forEach(function (layer) { map.removeLayer(layer); });
    var added = [];
    try {
      L.geoJSON(data, { style: function () { return STYLE; } }).eachLayer(function (layer) {
        if (layer instanceof L.Polygon) {
          layer.addTo(map);
          watch(layer);
          added.push(layer);
        }
      });
    } catch (e) {
      return false;
    }
    if (fit && added.length) {
      map.fitBounds(L.featureGroup(added).getBounds(), { padding: [20, 20], maxZoom: 17 });
    }
    showEstimate(currentGeometry());
    return true;
  }

  map.on("pm:create", function (event) { watch(event.layer); write(); });
  map.on("pm:cut", function (event) { watch(event.layer); write(); });
  map.on("pm:remove", write);

  var pasteTimer = null;
  field.addEventListener("input", function () {
    window.clearTimeout(pasteTimer);
    pasteTimer = window.setTimeout(function () {
      if (!field.value.trim()) {
        polygons().forEach(function (layer) { map.removeLayer(layer); });
        showEstimate(null);
        return;
      }
      if (!draw(field.value, true) && estimate) {
        estimate.textContent = el.dataset.labelBadJson;
        estimate.hidden = false;
      }
    }, 400);
  });
  if (declaredInput) {
    declaredInput.addEventListener("input", function () { showEstimate(currentGeometry()); });
  }
  if (communeInput) {
    communeInput.addEventListener("change", function () {
      var centre = centres[communeInput.value];
      if (centre && !polygons().length) { map.setView(centre, 13); }
    });
  }

  if (field.value.trim()) {
    draw(field.value, true);
  } else if (communeInput && centres[communeInput.value]) {
    map.setView(centres[communeInput.value], 13);
  }
  el.dataset.ready = "1";
})();
