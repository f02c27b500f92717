// Searchable pickers: every <select data-picker> (and the many-valued filters of the map and the
// agenda) becomes a tom-select box where one types a few letters and chooses, without Ctrl-click.
// Without JavaScript, or if tom-select failed to load, the plain select keeps working.
(function () {
  "use strict";
  if (typeof window.TomSelect === "undefined") return;
  // The words, translated by the page: base.html puts them on this script's tag.
  var words = (document.currentScript && document.currentScript.dataset) || {};
  var SELECTOR = "select[data-picker], .map-filters select[multiple], .agenda-filters select[multiple]";

  function attach(select) {
    if (select.tomselect) return;
    var multiple = select.multiple;
    new window.TomSelect(select, {
      // A choice is removed by its cross; an optional single choice is emptied by a clear button.
      plugins: multiple
        ? { remove_button: { title: words.remove || "×" } }
        : select.required ? {} : { clear_button: { title: words.clear || "×" } },
      maxOptions: null,
      // Closed after each choice: an open list would cover the fields and buttons below it.
      closeAfterSelect: true,
      // The select's empty option ("---------") is the placeholder, not an item one chooses.
      allowEmptyOption: false,
      placeholder: words.placeholder || "",
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          // Inside the listbox: an option that cannot be chosen, so the list is never empty.
          div.setAttribute("role", "option");
          div.setAttribute("aria-disabled", "true");
          div.textContent = words.noResults || "—";
          return div;
        },
      },
      onInitialize: function () {
        // The label still names the box one types into (screen readers, clicks on the label).
        var label = select.id && document.querySelector('label[for="' + select.id + '"]');
        if (label && this.control_input) {
          this.control_input.setAttribute("aria-label", label.textContent.replace(/\s*:\s*$/, ""));
        }
        // The select stays in the page for the form; people use the box, so only it is announced.
        select.setAttribute("aria-hidden", "true");
      },
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll(SELECTOR).forEach(attach);
  }
  attachAll(document);
  // Forms brought in by htmx get their pickers too.
  document.body.addEventListener("htmx:afterSettle", function (event) { attachAll(event.target); });
})();
