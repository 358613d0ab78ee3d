/* Raw-material areas (vùng nguyên liệu) on a Leaflet map.

   window.OCOPAreas.addLayer(map, url[, options])  fetches the GeoJSON at `url` (areas_public:geojson)
       and shows it as a layer the reader can switch on and off (Leaflet layers control).
       Returns the L.FeatureGroup at once; it fills when the data arrives.
   window.OCOPAreas.addGeoJSON(map, data[, options])  the same from data already on the page
       (json_script), without the control unless options.control is true.

   options: fit (zoom to the areas once loaded), control (default true for addLayer), visible
   (default true), labels (words of the popups; default: the map container's data-areas-label-*
   attributes, else Vietnamese).

   Pages of the areas app need no code: an element with data-areas-map="<url>" or
   data-areas-source="<json_script id>" gets its own map.

   Popups are built from DOM text nodes: data is never inserted as HTML, and links are followed
   only when they are paths of this site. */
(function () {
  "use strict";

  var LANG_SON = [21.85, 106.65];
  var DEFAULT_LABELS = {
    layer: "Vùng nguyên liệu",
    crop: "Cây trồng/vật nuôi",
    commune: "Xã/phường",
    declared: "Diện tích kê khai",
    computed: "Diện tích theo ranh giới",
    producers: "Chủ thể",
    products: "Sản phẩm",
    certifications: "Chứng nhận",
    valid: "Còn hiệu lực",
    lapsed: "Hết hiệu lực",
    notYet: "Chưa có hiệu lực",
    until: "đến",
    sample: "Dữ liệu mẫu",
    none: "Chưa có"
  };
  var STYLES = {
    certified: { color: "#1b6b3a", weight: 2, fillColor: "#3f9b5f", fillOpacity: 0.35 },
    lapsed: { color: "#b45309", weight: 2, dashArray: "6 4", fillColor: "#f59e0b", fillOpacity: 0.25 },
    plain: { color: "#1d4e89", weight: 2, fillColor: "#4f86c6", fillOpacity: 0.25 }
  };

  function labelsFor(map, options) {
    var labels = {};
    var data = (map && map.getContainer && map.getContainer().dataset) || {};
    Object.keys(DEFAULT_LABELS).forEach(function (key) {
      var attr = "areasLabel" + key.charAt(0).toUpperCase() + key.slice(1);
      labels[key] = (options && options.labels && options.labels[key]) || data[attr] || DEFAULT_LABELS[key];
    });
    return labels;
  }

  function lang() {
    return document.documentElement.lang || "vi";
  }

  function hectares(value) {
    if (typeof value !== "number" || !isFinite(value)) { return "—"; }
    try {
      return new Intl.NumberFormat(lang(), { maximumFractionDigits: 2 }).format(value) + " ha";
    } catch (e) {
      return value.toFixed(2) + " ha";
    }
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content == null ? "" : String(content);
    if (className) { node.className = className; }
    return node;
  }

  function isLocalPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  function linkOrText(item) {
    if (item && isLocalPath(item.url)) {
      var link = text("a", item.name);
      link.href = item.url;
      return link;
    }
    return text("span", item ? item.name : "");
  }

  function fact(box, label, value) {
    var p = document.createElement("p");
    p.appendChild(text("b", label + ": "));
    p.appendChild(document.createTextNode(value));
    box.appendChild(p);
  }

  function list(box, label, items, render) {
    if (!items || !items.length) { return; }
    box.appendChild(text("p", label + ":", "ocop-area-list-label"));
    var ul = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      render(li, item);
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  function statusWord(labels, c) {
    if (c.status === "not_yet") { return labels.notYet; }
    return c.valid ? labels.valid : labels.lapsed;
  }

  /* The popup of one area, from its GeoJSON properties: text nodes only. */
  function popupContent(properties, labels) {
    var p = properties || {};
    labels = labels || DEFAULT_LABELS;
    var box = document.createElement("div");
    box.className = "ocop-area-popup";
    box.appendChild(text("p", p.name, "ocop-area-name"));
    if (p.sample) { box.appendChild(text("p", labels.sample, "ocop-area-sample")); }
    if (p.crop) { fact(box, p.kind_label || labels.crop, p.crop); }
    if (p.commune) { fact(box, labels.commune, p.commune); }
    if (p.computed_ha != null) { fact(box, labels.computed, hectares(p.computed_ha)); }
    if (p.declared_ha != null) { fact(box, labels.declared, hectares(p.declared_ha)); }
    list(box, labels.products, p.products, function (li, item) { li.appendChild(linkOrText(item)); });
    list(box, labels.producers, p.producers, function (li, item) { li.appendChild(linkOrText(item)); });
    list(box, labels.certifications, p.certifications, function (li, c) {
      var words = [c.label || c.kind];
      if (c.number) { words.push(c.number); }
      li.appendChild(document.createTextNode(words.join(" ") + " · " + statusWord(labels, c) +
        (c.valid_until ? " (" + labels.until + " " + c.valid_until + ")" : "")));
      li.className = c.valid ? "cert-valid" : "cert-lapsed";
    });
    return box;
  }

  function styleFor(feature) {
    var certs = (feature && feature.properties && feature.properties.certifications) || [];
    if (certs.some(function (c) { return c.valid; })) { return STYLES.certified; }
    if (certs.length) { return STYLES.lapsed; }
    return STYLES.plain;
  }

  function fill(group, map, data, labels, options) {
    var layer = L.geoJSON(data, {
      style: styleFor,
      onEachFeature: function (feature, shape) {
        var name = feature.properties && feature.properties.name;
        if (name) { shape.bindTooltip(text("span", name), { sticky: true }); }
        shape.bindPopup(function () { return popupContent(feature.properties, labels); });
      }
    });
    layer.eachLayer(function (shape) { group.addLayer(shape); });
    var count = layer.getLayers().length;
    map.getContainer().dataset.areasLoaded = String(count);
    if (options && options.fit && count) {
      map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 16 });
    }
    map.fire("ocop:areas-loaded", { count: count, layer: group });
    return count;
  }

  function newGroup(map, labels, options) {
    var group = L.featureGroup();
    if (!options || options.visible !== false) { group.addTo(map); }
    if (options && options.control) {
      var overlays = {};
      overlays[labels.layer] = group;
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    }
    return group;
  }

  function addLayer(map, url, options) {
    options = Object.assign({ control: true }, options || {});
    var labels = labelsFor(map, options);
    var group = newGroup(map, labels, options);
    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { fill(group, map, data, labels, options); })
      .catch(function () {
        map.getContainer().dataset.areasLoaded = "error";
        map.fire("ocop:areas-error");
      });
    return group;
  }

  function addGeoJSON(map, data, options) {
    options = Object.assign({ control: false }, options || {});
    var labels = labelsFor(map, options);
    var group = newGroup(map, labels, options);
    fill(group, map, data, labels, options);
    return group;
  }

  function baseMap(el) {
    el.textContent = "";
    var map = L.map(el, { scrollWheelZoom: !el.classList.contains("area-minimap") }).setView(LANG_SON, 9);
    if (el.dataset.tiles) {
      var failed = false;
      var tiles = L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" });
      tiles.on("tileerror", function () {
        if (failed) { return; }
        failed = true;
        var notice = document.getElementById(el.id + "-notice");
        if (notice) { notice.hidden = false; }
      });
      tiles.addTo(map);
    }
    return map;
  }

  function autoInit() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-areas-map]").forEach(function (el) {
      if (el.dataset.areasReady) { return; }
      el.dataset.areasReady = "1";
      var map = baseMap(el);
      addLayer(map, el.dataset.areasMap, { fit: true, control: true });
    });
    document.querySelectorAll("[data-areas-source]").forEach(function (el) {
      if (el.dataset.areasReady) { return; }
      var script = document.getElementById(el.dataset.areasSource);
      if (!script) { return; }
      var data;
      try { data = JSON.parse(script.textContent); } catch (e) { return; }
      el.dataset.areasReady = "1";
      var map = baseMap(el);
      addGeoJSON(map, data, { fit: el.dataset.fit !== "0" });
    });
  }

  window.OCOPAreas = {
    addLayer: addLayer,
    addGeoJSON: addGeoJSON,
    popupContent: popupContent,
    styleFor: styleFor,
    autoInit: autoInit
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autoInit);
  } else {
    autoInit();
  }
})();
