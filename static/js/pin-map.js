// The initiative form's map: a pin where the latitude and longitude say. Choosing a territory
// asks /initiatives/position.json where its commune's centre is and puts the pin (and the two
// numbers) there; dragging the pin or clicking the map moves it and writes the numbers back.
// Without JavaScript the two number inputs still take the position, and the server fills them
// from the commune when they are left empty.
(function () {
  "use strict";
  var container = document.getElementById("pin-map");
  var latitude = document.querySelector("input[data-pin=latitude]");
  var longitude = document.querySelector("input[data-pin=longitude]");
  var territory = document.querySelector("input[data-pin-territory]");
  if (!container || !latitude || !longitude || typeof L === "undefined") return;
  var data = container.dataset;
  var FRANCE = [46.6, 2.4];

  function typed() {
    var lat = parseFloat(latitude.value);
    var lng = parseFloat(longitude.value);
    return isFinite(lat) && isFinite(lng) ? [lat, lng] : null;
  }

  var start = typed();
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false })
    .setView(start || FRANCE, start ? 13 : 5);
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  // Tiles are decoration: offline or blocked, the pin still moves and writes the numbers.
  L.tileLayer(data.tiles, { maxZoom: 18, attribution: data.attribution }).addTo(map);
  var marker = L.marker(start || FRANCE, {
    draggable: true,
    alt: data.label,
    title: data.label,
    opacity: start ? 1 : 0.5,
  }).addTo(map);

  function write(position) {
    // Six decimals: about ten centimetres, more than any address needs.
    latitude.value = position.lat.toFixed(6);
    longitude.value = position.lng.toFixed(6);
    marker.setOpacity(1);
    container.dataset.pinned = latitude.value + "," + longitude.value;
  }

  function place(position, zoom) {
    marker.setLatLng(position);
    map.setView(position, zoom || map.getZoom());
  }

  marker.on("dragend", function () { write(marker.getLatLng()); });
  map.on("click", function (event) {
    marker.setLatLng(event.latlng);
    write(event.latlng);
  });
  [latitude, longitude].forEach(function (input) {
    input.addEventListener("change", function () {
      var position = typed();
      if (position) place(position);
    });
  });

  if (territory) {
    territory.addEventListener("change", function () {
      var value = territory.value.trim();
      if (!value) return;
      fetch(data.positionUrl + "?territoire=" + encodeURIComponent(value), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : { found: false }; })
        .then(function (found) {
          if (!found.found) return;
          var position = L.latLng(found.latitude, found.longitude);
          write(position);
          place(position, 13);
        })
        .catch(function () { /* the numbers can still be typed, or left for the server */ });
    });
  }
})();
