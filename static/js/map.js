/* The map of initiatives: what is in view, as counts per grid cell or as points, with the page's filters. */
(function () {
  "use strict";

  const element = document.getElementById("map");
  if (!element || !window.L) {
    return;
  }
  const data = element.dataset;
  const lang = document.documentElement.lang || "fr";
  const embedded = data.embedded === "true";
  const status = document.getElementById(data.status);
  const FRANCE = L.latLngBounds([41.3, -5.2], [51.1, 9.6]);
  const MAX_ZOOM = 19;
  const ENTER = 13;

  // Words come translated from the template; {count} is replaced here.
  function format(template, count) {
    return template.replace("{count}", count.toLocaleString(lang));
  }
  function counted(count) {
    const form = new Intl.PluralRules(lang).select(count);
    return format(form === "one" ? data.textOne : data.textOther, count);
  }
  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }
  function clamp(value, limit) {
    return Math.max(-limit, Math.min(limit, value));
  }
  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // Whoever asked their system for less motion gets a map that jumps instead of gliding.
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const map = L.map(element, {
    zoomControl: false,
    maxZoom: MAX_ZOOM,
    worldCopyJump: true,
    fadeAnimation: !still,
    zoomAnimation: !still,
    markerZoomAnimation: !still,
  });
  L.control.zoom({ zoomInTitle: data.textZoomIn, zoomOutTitle: data.textZoomOut }).addTo(map);
  // Tiles are decoration: without them (offline, blocked) the markers still show and work.
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: MAX_ZOOM,
    attribution:
      '&copy; <a href="https://www.openstreetmap.org/copyright">' + escapeHtml(data.textOsm) + "</a>",
  }).addTo(map);

  const compact = new Intl.NumberFormat(lang, { notation: "compact" });
  function clusterIcon(count) {
    const size = count < 10 ? 36 : count < 100 ? 42 : count < 1000 ? 50 : 58;
    return L.divIcon({
      className: "map-cluster",
      iconSize: [size, size],
      html:
        '<span aria-hidden="true">' + escapeHtml(compact.format(count)) + "</span>" +
        '<span class="visually-hidden">' + escapeHtml(format(data.textCluster, count)) + "</span>",
    });
  }

  // Counts computed by the server when there are too many initiatives in view to send them all.
  const cells = L.layerGroup().addTo(map);
  // Points, grouped in the browser; kept by id so that a popup survives the map moving.
  const points = L.markerClusterGroup({
    iconCreateFunction: function (cluster) {
      return clusterIcon(cluster.getChildCount());
    },
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    animate: !still,
  }).addTo(map);
  const markers = new Map();

  function zoomInto(bounds) {
    const fitted = map.getBoundsZoom(bounds, false, L.point(40, 40));
    map.setView(bounds.getCenter(), Math.min(Math.max(fitted, map.getZoom() + 1), MAX_ZOOM));
  }

  function cellMarker(feature) {
    const [lng, lat] = feature.geometry.coordinates;
    const [west, south, east, north] = feature.bbox;
    const bounds = L.latLngBounds([south, west], [north, east]);
    const marker = L.marker([lat, lng], { icon: clusterIcon(feature.properties.count) });
    marker.on("click", function () {
      zoomInto(bounds);
    });
    marker.on("keypress", function (event) {
      if (event.originalEvent.keyCode === ENTER) {
        zoomInto(bounds);
        element.focus();
      }
    });
    return marker;
  }

  function popupFor(feature) {
    const properties = feature.properties;
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("p");
    title.className = "map-popup-title";
    const link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.name;
    if (embedded) {
      link.target = "_blank";
      link.rel = "noopener";
    }
    title.appendChild(link);
    const meta = document.createElement("p");
    meta.className = "map-popup-meta";
    meta.textContent = [properties.territory, properties.stage].filter(Boolean).join(" · ");
    box.append(title, meta);
    if (properties.themes && properties.themes.length) {
      const themes = document.createElement("p");
      themes.className = "map-popup-themes";
      themes.textContent = properties.themes.join(", ");
      box.appendChild(themes);
    }
    return box;
  }

  function pointMarker(feature) {
    const [lng, lat] = feature.geometry.coordinates;
    const marker = L.marker([lat, lng], { alt: feature.properties.name, title: feature.properties.name });
    marker.bindPopup(function () {
      return popupFor(feature);
    });
    return marker;
  }

  function showCells(features) {
    points.clearLayers();
    markers.clear();
    cells.clearLayers();
    features.forEach(function (feature) {
      cells.addLayer(cellMarker(feature));
    });
  }

  function showPoints(features) {
    cells.clearLayers();
    const wanted = new Set();
    const added = [];
    features.forEach(function (feature) {
      wanted.add(feature.id);
      if (!markers.has(feature.id)) {
        const marker = pointMarker(feature);
        markers.set(feature.id, marker);
        added.push(marker);
      }
    });
    const removed = [];
    markers.forEach(function (marker, id) {
      if (!wanted.has(id) && !marker.isPopupOpen()) {
        removed.push(marker);
        markers.delete(id);
      }
    });
    points.removeLayers(removed);
    points.addLayers(added);
  }

  function show(collection) {
    if (collection.kind === "clusters") {
      showCells(collection.features);
    } else {
      showPoints(collection.features);
    }
    const sentences = [counted(collection.total)];
    if (collection.truncated) {
      sentences.push(format(data.textTruncated, collection.features.length));
    }
    element.dataset.kind = collection.kind;
    element.dataset.total = collection.total;
    say(sentences.concat(collection.messages || []).join(" "));
  }

  // The page's filters travel with every request; the view adds bbox and zoom.
  const url = new URL(data.geojsonUrl, window.location.href);
  let pending = null;
  function load() {
    const bounds = map.getBounds();
    const west = clamp(bounds.getWest(), 180);
    const east = clamp(bounds.getEast(), 180);
    if (west >= east) {
      return;
    }
    const bbox = [west, clamp(bounds.getSouth(), 90), east, clamp(bounds.getNorth(), 90)];
    url.searchParams.set("bbox", bbox.map((value) => value.toFixed(5)).join(","));
    url.searchParams.set("zoom", String(Math.round(map.getZoom())));
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    element.setAttribute("aria-busy", "true");
    fetch(url, { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(show)
      .catch(function (error) {
        if (error.name !== "AbortError") {
          say(data.textError);
        }
      })
      .finally(function () {
        element.removeAttribute("aria-busy");
      });
  }

  // The view lives in the URL's fragment (#zoom/lat/lng), so a shared link or embed opens on it.
  const snippet = document.getElementById("embed-code");
  function remember() {
    const center = map.getCenter();
    const fragment =
      "#" + map.getZoom() + "/" + center.lat.toFixed(4) + "/" + center.lng.toFixed(4);
    if (!embedded) {
      history.replaceState(null, "", fragment);
    }
    if (snippet) {
      snippet.value = snippet.value.replace(/src="([^"#]*)(#[^"]*)?"/, 'src="$1' + fragment + '"');
    }
  }

  map.on("moveend", function () {
    load();
    remember();
  });

  const view = /^#(\d+)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
  const extent = data.extent ? data.extent.split(",").map(Number) : null;
  if (view) {
    map.setView([Number(view[2]), Number(view[3])], Math.min(Number(view[1]), MAX_ZOOM));
  } else if (extent) {
    const bounds = L.latLngBounds([extent[1], extent[0]], [extent[3], extent[2]]);
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
  } else {
    map.fitBounds(FRANCE);
  }
  window.observatoireMap = map; // for people debugging, and for the browser tests

  // The embed snippet's copy button.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const field = document.getElementById(button.dataset.copy);
    const feedback = button.parentElement.querySelector(".copy-feedback");
    function tell(text) {
      if (feedback) {
        feedback.textContent = text;
      }
    }
    function fallback() {
      field.focus();
      field.select();
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      tell(copied ? button.dataset.copied : button.dataset.copyFailed);
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          tell(button.dataset.copied);
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();
