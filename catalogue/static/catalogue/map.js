/* Leaflet maps of the public portal: the small map of a product or producer page, and the
   clustered map of /ban-do/ fed by its GeoJSON. Data is never inserted as HTML: popups and
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

  function pinIcon(kind, label, lapsed) {
    var inner = document.createElement("span");
    inner.textContent = label;
    return L.divIcon({
      className: "ocop-pin ocop-pin-" + kind + (lapsed ? " ocop-pin-lapsed" : ""),
      html: inner,
      iconSize: [30, 30],
      iconAnchor: [15, 15],
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

  function bigMap(el) {
    el.textContent = "";
    var map = L.map(el).setView(LANG_SON, 9);
    var notice = document.getElementById("map-notice");
    tileLayer(map, el, function () { if (notice) { notice.hidden = false; } });
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 });
    map.addLayer(cluster);
    if (window.OCOPAreas && el.dataset.areasGeojson) { window.OCOPAreas.addLayer(map, el.dataset.areasGeojson); }
    fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var markers = data.features.map(function (feature) {
          var p = feature.properties;
          var c = feature.geometry.coordinates;
          var lapsed = p.kind === "product" && (p.status === "expired" || p.status === "revoked" || p.status === "none");
          var label = p.stars ? p.stars + "★" : (p.kind === "producer" ? "⌂" : "•");
          var marker = L.marker([c[1], c[0]], { icon: pinIcon(p.kind, label, lapsed), title: p.name, alt: p.name });
          marker.bindPopup(popupFor(el, p));
          return marker;
        });
        cluster.addLayers(markers);
        if (markers.length) {
          // No animation: the first view is where the markers are, and a marker clicked while
          // the map still zooms would move from under the pointer.
          map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 13, animate: false });
        }
        el.dataset.loaded = String(markers.length);
      })
      .catch(function () { if (notice) { notice.hidden = false; } });
  }

  document.querySelectorAll(".minimap").forEach(miniMap);
  var big = document.getElementById("map");
  if (big && big.dataset.geojson && L.markerClusterGroup) { bigMap(big); }
})();
