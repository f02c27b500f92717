/* The territory page's small map: the territory's published initiatives from the map's GeoJSON
   (/carte/initiatives.geojson with the territory as filter), as points or as counts per grid cell.

   The page embeds no marker: the first request, without a box, tells where the initiatives are
   (every point, or cells with their extent); the map fits them, and when they were cells, asks
   again for what is in view at each move, as the full map does. */
(function () {
  "use strict";
  var container = document.getElementById("territory-map");
  if (!container || typeof L === "undefined" || !window.fetch) {
    return;
  }
  var data = container.dataset;
  var ENTER = 13;
  // No scroll-wheel zoom: scrolling down the page on a laptop must not get caught by the map.
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(data.tiles, {
    maxZoom: 18,
    attribution: data.attribution,
  }).addTo(map);
  var layer = L.layerGroup().addTo(map);

  function clamp(value, limit) {
    return Math.max(-limit, Math.min(limit, value));
  }

  function pointMarker(feature) {
    var coordinates = feature.geometry.coordinates;
    var name = feature.properties.name;
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = name;
    // alt and title name the marker for screen readers and keyboard users.
    return L.marker([coordinates[1], coordinates[0]], { alt: name, title: name, keyboard: true })
      .bindPopup(link);
  }

  function cellMarker(feature) {
    var coordinates = feature.geometry.coordinates;
    var box = feature.bbox;
    var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
    var count = feature.properties.count;
    var size = count < 10 ? 36 : count < 100 ? 42 : count < 1000 ? 50 : 58;
    var label = data.textCluster.replace("{count}", count.toLocaleString(document.documentElement.lang || "fr"));
    var marker = L.marker([coordinates[1], coordinates[0]], {
      title: label,
      alt: label,
      icon: L.divIcon({ className: "map-cluster", iconSize: [size, size], html: String(count) }),
    });
    function zoomIn() {
      var fitted = map.getBoundsZoom(bounds, false, L.point(40, 40));
      map.setView(bounds.getCenter(), Math.min(Math.max(fitted, map.getZoom() + 1), 18));
    }
    marker.on("click", zoomIn);
    marker.on("keypress", function (event) {
      if (event.originalEvent.keyCode === ENTER) {
        zoomIn();
      }
    });
    return marker;
  }

  function show(collection) {
    layer.clearLayers();
    collection.features.forEach(function (feature) {
      layer.addLayer(collection.kind === "clusters" ? cellMarker(feature) : pointMarker(feature));
    });
    container.dataset.kind = collection.kind;
  }

  var url = new URL(data.geojson, window.location.href);
  var pending = null;
  function get(params) {
    var query = new URL(url);
    Object.keys(params).forEach(function (name) {
      query.searchParams.set(name, params[name]);
    });
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    return fetch(query, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      });
  }

  function load() {
    var bounds = map.getBounds();
    var west = clamp(bounds.getWest(), 180);
    var east = clamp(bounds.getEast(), 180);
    if (west >= east) {
      return;
    }
    var bbox = [west, clamp(bounds.getSouth(), 90), east, clamp(bounds.getNorth(), 90)];
    get({
      bbox: bbox.map(function (value) { return value.toFixed(5); }).join(","),
      zoom: String(Math.round(map.getZoom())),
    }).then(show).catch(function () {});
  }

  // Everything first, without a box: all the points, or cells that say where the rest lie.
  get({}).then(function (collection) {
    var extent = L.latLngBounds([]);
    collection.features.forEach(function (feature) {
      var box = feature.bbox;
      var coordinates = feature.geometry.coordinates;
      extent.extend(box ? L.latLngBounds([box[1], box[0]], [box[3], box[2]]) : [coordinates[1], coordinates[0]]);
    });
    if (!extent.isValid()) {
      return;
    }
    show(collection);
    var complete = collection.kind === "points" && !collection.truncated;
    if (!complete) {
      map.on("moveend", load);
    }
    map.fitBounds(extent, { padding: [24, 24], maxZoom: 13 });
  }).catch(function () {});
})();
