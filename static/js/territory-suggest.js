// Territory inputs: fill the input's datalist from /territoires/suggestions.json as one types a
// name, a code or a postcode. Listens on the document, so inputs that htmx swaps in work too.
(function () {
  "use strict";
  var timers = new WeakMap();
  var asked = new WeakMap();

  function fill(input, query) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    asked.set(input, query);
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (asked.get(input) !== query) return; // a later query is on its way
        list.replaceChildren.apply(list, data.results.map(function (row) {
          var option = document.createElement("option");
          option.value = row.label;
          // A postcode match says which postcode: "Bruay-la-Buissière (62178, commune)" for 62700.
          if (row.hint) option.label = row.label + " · " + row.hint;
          return option;
        }));
        input.dataset.suggestionsFor = query; // the suggestions shown are those for this text
      })
      .catch(function () { /* typing still works; the field reads names, codes and postcodes */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-suggest-url]")) return;
    var query = input.value.trim();
    if (query.length < 2 || query === asked.get(input)) return;
    var list = document.getElementById(input.getAttribute("list"));
    var picked = list && Array.prototype.some.call(list.options, function (option) {
      return option.value === input.value;
    });
    if (picked) return; // a suggestion was just chosen: nothing more to suggest
    window.clearTimeout(timers.get(input));
    timers.set(input, window.setTimeout(function () { fill(input, query); }, 200));
  });
})();
