// Loads htmx (its address is this script's data-htmx) unless the page loaded it already, so that a
// panel included in any page keeps its list current. A file rather than an inline script: the
// Content-Security-Policy allows scripts from this site only.
(function () {
  if (window.htmx) { return; }
  var script = document.createElement("script");
  script.src = document.currentScript.dataset.htmx;
  document.head.appendChild(script);
})();
