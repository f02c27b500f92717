/* The directory: filters folded away on a phone; after htmx changes the page of results, focus follows. */
(function () {
  "use strict";
  var filters = document.getElementById("filters");
  // Open by default so that the page works without JavaScript; on a phone, results come first.
  if (filters && window.matchMedia("(max-width: 56rem)").matches) {
    filters.open = false;
  }
  // Empty fields ("any year", the default sort) stay out of the URL that htmx pushes.
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.closest || !event.detail.elt.closest(".directory")) {
      return;
    }
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      var values = params.getAll(name);
      var kept = values.filter(function (value) {
        return value !== "";
      });
      if (kept.length !== values.length) {
        params[name] = kept;
      }
    });
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    // A page link sat in the replaced results: move focus to their heading, not to the top.
    if (target && target.id === "directory-results" && source && source.closest(".pagination")) {
      var heading = document.getElementById("results-title");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });
})();
