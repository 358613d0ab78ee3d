/* Leaflet maps of the public portal: the small map of a product or producer page, and the
   map of /ban-do/, which asks the server for the view it shows (bbox and zoom) and gets
   points, or clusters counted in the database when the view holds many. Data is never inserted as HTML: popups and
   marker labels are built from DOM text nodes. Without tiles the markers still show. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var LANG_SON = [21.85, 106.65];

  function tileLayer(map, el, onFail) {
    var failed = false;
    var layer = L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" });
    layer.on("tileerror", function () {
      if (!failed) { failed = true; if (onFail) { onFail(); } }
    });
    layer.addTo(map);
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;
    if (className) { node.className = className; }
    return node;
  }

  function pinIcon(kind, label, lapsed, shift) {
    var inner = document.createElement("span");
    inner.textContent = label;
    return L.divIcon({
      className: "ocop-pin ocop-pin-" + kind + (lapsed ? " ocop-pin-lapsed" : ""),
      html: inner,
      iconSize: [30, 30],
      iconAnchor: [15 - (shift || 0), 15],
      popupAnchor: [0, -12]
    });
  }

  function miniMap(el) {
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
    if (isNaN(point[0]) || isNaN(point[1])) { return; }
    var map = L.map(el, { scrollWheelZoom: false }).setView(point, 12);
    tileLayer(map, el);
    L.marker(point, { icon: pinIcon("product", "★"), title: el.dataset.label, alt: el.dataset.label, keyboard: false }).addTo(map);
  }

  // A marker's name for screen readers: its icon's text ("4★") says too little. Keyboard markers
  // are focusable buttons (Leaflet: tabindex 0, role button; Enter opens the popup or zooms in).
  function named(marker, name) {
    marker.on("add", function () {
      var icon = marker.getElement();
      if (icon) { icon.setAttribute("aria-label", name); }
    });
    return marker;
  }

  function statusLabel(el, status) {
    return el.dataset["labelStatus" + status.charAt(0).toUpperCase() + status.slice(1)] || status;
  }

  function popupFor(el, p) {
    var box = document.createElement("div");
    box.className = "ocop-popup";
    var title = document.createElement("p");
    var link = text("a", p.name);
    link.href = p.url;
    title.appendChild(link);
    box.appendChild(title);
    var kind = p.kind === "producer" ? el.dataset.labelProducer : el.dataset.labelProduct;
    var facts = [kind];
    if (p.stars) { facts.push(p.stars + " " + el.dataset.labelStars); }
    if (p.kind === "product") { facts.push(statusLabel(el, p.status)); }
    box.appendChild(text("p", facts.join(" · ")));
    var where = [p.commune, p.kind === "product" ? p.producer : ""].filter(Boolean).join(" · ");
    if (where) { box.appendChild(text("p", where)); }
    return box;
  }

  function clusterIcon(count) {
    var inner = document.createElement("span");
    inner.textContent = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
    return L.divIcon({
      className: "ocop-pin ocop-pin-cluster",
      html: inner,
      iconSize: [size, size],
      iconAnchor: [size / 2, size / 2]
    });
  }

  function withView(url, map) {
    // The server answers one view: the box shown and the zoom (clusters or points, bounded).
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(4); });
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "bbox=" + bbox.join(",") + "&zoom=" + map.getZoom();
  }

  function bigMap(el) {
    el.textContent = "";
    var map = L.map(el);
    var box = (el.dataset.bbox || "").split(",").map(parseFloat);
    if (box.length === 4 && box.every(function (x) { return !isNaN(x); })) {
      map.fitBounds([[box[1], box[0]], [box[3], box[2]]], { animate: false });
    } else {
      map.setView(LANG_SON, 9);
    }
    var notice = document.getElementById("map-notice");
    tileLayer(map, el, function () { if (notice) { notice.hidden = false; } });
    var layer = L.layerGroup().addTo(map);
    if (window.OCOPAreas && el.dataset.areasGeojson) { window.OCOPAreas.addLayer(map, el.dataset.areasGeojson); }
    var latest = 0;

    var taken = {};  // pins at the same point (a product and its producer) side by side

    function marker(feature) {
      var p = feature.properties;
      var c = feature.geometry.coordinates;
      var point = [c[1], c[0]];
      if (p.cluster) {
        var name = (el.dataset.labelCluster || "{n}").replace("{n}", String(p.count));
        var group = L.marker(point, { icon: clusterIcon(p.count), title: name, keyboard: true });
        var zoomIn = function () { map.setView(point, Math.min(map.getZoom() + 2, 18)); };
        group.on("click", zoomIn);
        // A button: Enter and Space zoom in as a click does (Leaflet turns Enter into a popup only).
        group.on("keypress", function (e) {
          var key = e.originalEvent.keyCode;
          if (key === 13 || key === 32) { e.originalEvent.preventDefault(); zoomIn(); }
        });
        return named(group, name);
      }
      var lapsed = p.kind === "product" && (p.status === "expired" || p.status === "revoked" || p.status === "none");
      var label = p.stars ? p.stars + "★" : (p.kind === "producer" ? "⌂" : "•");
      var key = c[0] + "," + c[1];
      var shift = 32 * (taken[key] || 0);
      taken[key] = (taken[key] || 0) + 1;
      var m = L.marker(point, { icon: pinIcon(p.kind, label, lapsed, shift), title: p.name, keyboard: true });
      m.bindPopup(popupFor(el, p));
      m.on("keypress", function (e) {  // Space opens it too, as Enter does
        if (e.originalEvent.keyCode === 32) { e.originalEvent.preventDefault(); m.openPopup(); }
      });
      // Opened from the keyboard, the popup takes the focus to its link; Escape closes it.
      m.on("popupopen", function (e) {
        var link = e.popup.getElement().querySelector("a");
        if (link) { link.focus(); }
      });
      var kind = p.kind === "producer" ? el.dataset.labelProducer : el.dataset.labelProduct;
      return named(m, [p.name, kind, p.stars ? p.stars + " " + el.dataset.labelStars : ""].filter(Boolean).join(", "));
    }

    function load() {
      var mine = ++latest;
      fetch(withView(el.dataset.geojson, map), { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== latest) { return; }  // an older answer arriving after a newer view
          layer.clearLayers();
          taken = {};
          data.features.forEach(function (feature) { layer.addLayer(marker(feature)); });
          el.dataset.loaded = String(data.features.length);
          el.dataset.total = String(data.total);
        })
        .catch(function () { if (notice) { notice.hidden = false; } });
    }

    map.on("moveend", load);
    load();
    if (el.dataset.salesGeojson) { salesLayer(map, el); }
  }

  function salesPopup(el, p) {
    var box = document.createElement("div");
    box.className = "ocop-popup";
    var title = document.createElement("p");
    var link = text("a", p.name);
    link.href = p.url;
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(text("p", [el.dataset.labelSalesPoint, p.point_kind].filter(Boolean).join(" · ")));
    if (p.address) { box.appendChild(text("p", p.address + (p.approximate ? " (" + el.dataset.labelApproximate + ")" : ""))); }
    if (p.hours) { box.appendChild(text("p", el.dataset.labelHours + ": " + p.hours)); }
    if (p.phone) { box.appendChild(text("p", el.dataset.labelPhone + ": " + p.phone)); }
    if (p.products && p.products.length) { box.appendChild(text("p", el.dataset.labelStocks + ": " + p.products.join(", "))); }
    return box;
  }

  /* The "Điểm bán" layer: the published sales points of the view (a bounded list from the
     server, never clusters), switched on and off in the layers control. */
  function salesLayer(map, el) {
    var group = L.layerGroup().addTo(map);
    var overlays = {};
    overlays[el.dataset.labelSalesLayer] = group;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    var latest = 0;
    function load() {
      if (!map.hasLayer(group)) { return; }
      var mine = ++latest;
      fetch(withView(el.dataset.salesGeojson, map), { headers: { Accept: "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (mine !== latest) { return; }
          group.clearLayers();
          data.features.forEach(function (feature) {
            var c = feature.geometry.coordinates;
            var p = feature.properties;
            var m = L.marker([c[1], c[0]], { icon: pinIcon("sales_point", "🛒"), title: p.name, alt: p.name });
            m.bindPopup(salesPopup(el, p));
            group.addLayer(m);
          });
          el.dataset.salesLoaded = String(data.features.length);
        })
        .catch(function () { el.dataset.salesLoaded = "error"; });
    }
    map.on("moveend", load);
    map.on("overlayadd", function (event) { if (event.layer === group) { load(); } });
    load();
  }

  document.querySelectorAll(".minimap").forEach(miniMap);
  var big = document.getElementById("map");
  if (big && big.dataset.geojson) { bigMap(big); }
})();
