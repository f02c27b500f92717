// Territory inputs: fill the input's datalist from /territoires/suggestions.json as one types.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = query;
        fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (row) {
              var option = document.createElement("option");
              option.value = row.label;
              return option;
            }));
          })
          .catch(function () { /* typing still works; the field checks the name */ });
      }, 200);
    });
  }
  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
