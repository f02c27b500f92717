/* The profile's small map: one marker where the initiative is; the page reads fine without it. */
(function () {
  "use strict";
  var container = document.getElementById("profile-map");
  if (!container || typeof L === "undefined") {
    return;
  }
  var data = container.dataset;
  var position = [parseFloat(data.lat), parseFloat(data.lng)];
  if (!isFinite(position[0]) || !isFinite(position[1])) {
    return;
  }
  // No scroll-wheel zoom: scrolling down the page must not get caught by the map.
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false }).setView(position, 12);
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  // Tiles are decoration: offline or blocked, the marker still shows.
  L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
  // alt and title name the marker for screen readers and keyboard users.
  L.marker(position, { alt: data.label, title: data.label, keyboard: false }).addTo(map);
})();
