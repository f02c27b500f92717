// Territory inputs: as one types a name, a code or a postcode, the suggestions of
// /territoires/suggestions.json open in a list under the input (an ARIA combobox: arrows, Enter,
// Escape, or a click). Choosing one puts its label in the input, which the server reads back
// exactly. Without JavaScript the input still takes a name, a code or a postcode. Events are
// listened to on the document, so inputs that htmx swaps in work as well.
(function () {
  "use strict";
  var SELECTOR = "input[data-suggest-url]";
  var DELAY = 200;
  var count = 0;

  function setUp(input) {
    if (input.dataset.suggestReady) return input._suggest;
    input.dataset.suggestReady = "true";
    input.removeAttribute("list"); // the browser's own datalist would open beside ours
    var list = document.createElement("ul");
    list.id = (input.id || "territory-" + (count += 1)) + "-listbox";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.parentElement.classList.add("suggest-anchor");
    input.insertAdjacentElement("afterend", list);
    input._suggest = { list: list, timer: null, asked: "", picked: "" };
    return input._suggest;
  }

  function options(state) {
    return Array.prototype.slice.call(state.list.querySelectorAll("[role=option]"));
  }

  function close(input) {
    var state = input._suggest;
    if (!state) return;
    state.list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(input, index) {
    var all = options(input._suggest);
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function pick(input, option) {
    var state = input._suggest;
    input.value = option.dataset.value;
    state.picked = input.value;
    close(input);
    // The directory's form listens for "change"; other forms wait for their button.
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function show(input, rows) {
    var state = input._suggest;
    state.list.replaceChildren.apply(state.list, rows.map(function (row, i) {
      var option = document.createElement("li");
      option.id = state.list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.value = row.label;
      option.textContent = row.label;
      if (row.hint) {
        // A postcode match says which postcode: 62700 for Bruay-la-Buissière (62178, commune).
        var hint = document.createElement("span");
        hint.className = "meta";
        hint.textContent = " · " + row.hint;
        option.appendChild(hint);
      }
      return option;
    }));
    state.list.hidden = rows.length === 0;
    input.setAttribute("aria-expanded", rows.length ? "true" : "false");
    input.removeAttribute("aria-activedescendant");
  }

  function ask(input, query) {
    var state = input._suggest;
    state.asked = query;
    fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (state.asked === query && input.value.trim() === query) show(input, data.results);
      })
      .catch(function () { /* typing still works: the server reads names, codes, postcodes */ });
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) setUp(event.target);
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(SELECTOR)) return;
    var state = setUp(input);
    var query = input.value.trim();
    window.clearTimeout(state.timer);
    if (query.length < 2 || query === state.picked) {
      close(input);
      return;
    }
    state.timer = window.setTimeout(function () { ask(input, query); }, DELAY);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(SELECTOR) || !input._suggest) return;
    var state = input._suggest;
    var all = options(state);
    var current = all.findIndex(function (option) {
      return option.getAttribute("aria-selected") === "true";
    });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (state.list.hidden || !all.length) return;
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight(input, (current + step + all.length) % all.length);
    } else if (event.key === "Enter" && !state.list.hidden && current >= 0) {
      event.preventDefault(); // choose the suggestion; the form is sent by its own button
      pick(input, all[current]);
    } else if (event.key === "Escape" && !state.list.hidden) {
      event.preventDefault();
      close(input);
    }
  });

  // mousedown keeps the focus in the input, so that the list is still there for the click.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest(".suggest-list")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest(".suggest-list [role=option]");
    if (!option) return;
    var input = document.querySelector("[aria-controls='" + option.parentElement.id + "']");
    if (input) pick(input, option);
  });

  document.addEventListener("focusout", function (event) {
    if (event.target.matches && event.target.matches(SELECTOR)) close(event.target);
  });
})();
