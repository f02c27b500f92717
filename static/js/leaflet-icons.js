/* Leaflet's default marker images, by their collected (hashed) names.
 *
 * Leaflet finds its images from a URL in leaflet.css ending in "marker-icon.png"; once the static
 * files are collected with hashed names ("marker-icon.2273e3d8ad92.png") it finds nothing and asks
 * for "marker-icon.png" relative to the page, a 404 on every map. The template that loads Leaflet
 * (_leaflet.html) gives the real URLs here.
 */
(function () {
  "use strict";
  var data = document.currentScript && document.currentScript.dataset;
  if (typeof L === "undefined" || !data) {
    return;
  }
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: data.icon,
    iconRetinaUrl: data.iconRetina,
    shadowUrl: data.shadow,
  });
})();
