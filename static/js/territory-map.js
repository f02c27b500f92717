/* The territory page's small map: the published initiatives embedded by the page, as markers. */
(function () {
  "use strict";
  var container = document.getElementById("territory-map");
  var data = document.getElementById("territory-map-data");
  if (!container || !data || typeof L === "undefined") {
    return;
  }
  var markers = JSON.parse(data.textContent);
  if (!markers.length) {
    return;
  }
  // No scroll-wheel zoom: scrolling down the page on a laptop must not get caught by the map.
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer(container.dataset.tiles, {
    maxZoom: 18,
    attribution: container.dataset.attribution,
  }).addTo(map);

  var bounds = [];
  markers.forEach(function (item) {
    var position = [item.lat, item.lng];
    bounds.push(position);
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    // alt and title name the marker for screen readers and keyboard users.
    L.marker(position, { alt: item.name, title: item.name, keyboard: true })
      .bindPopup(link)
      .addTo(map);
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
})();
