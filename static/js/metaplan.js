// Métaplan board: drag cards between clusters; the whole arrangement is saved after every drop.
(function () {
  "use strict";
  var board = document.getElementById("metaplan");
  if (!board) return;
  var status = document.getElementById("metaplan-status");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var dragged = null;

  // With JavaScript, dragging replaces the per-card "Move to" forms' buttons, not their menus.
  board.querySelectorAll(".move-card select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  function arrangement() {
    var result = { clusters: {}, loose: [] };
    board.querySelectorAll(".metaplan-cards").forEach(function (list) {
      var ids = Array.prototype.map.call(list.querySelectorAll(".metaplan-card"), function (card) {
        return Number(card.dataset.card);
      });
      if (list.dataset.cluster) result.clusters[list.dataset.cluster] = ids;
      else result.loose = ids;
    });
    return result;
  }

  function save() {
    status.textContent = "";
    fetch(board.dataset.saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(arrangement()),
      credentials: "same-origin",
    }).then(function (response) {
      status.textContent = response.ok ? board.dataset.saved : board.dataset.failed;
      board.dataset.state = response.ok ? "saved" : "failed";
    }).catch(function () {
      status.textContent = board.dataset.failed;
      board.dataset.state = "failed";
    });
  }

  function syncMenu(card) {
    var select = card.querySelector("select");
    if (select) select.value = card.parentElement.dataset.cluster || "";
  }

  board.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".metaplan-card");
    if (!dragged) return;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.card);
    dragged.classList.add("dragging");
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
  board.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest(".metaplan-column")) event.preventDefault();
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".metaplan-column");
    if (!dragged || !column) return;
    event.preventDefault();
    var list = column.querySelector(".metaplan-cards");
    var before = event.target.closest(".metaplan-card");
    if (before && before !== dragged && before.parentElement === list) {
      list.insertBefore(dragged, before);
    } else {
      list.appendChild(dragged);
    }
    syncMenu(dragged);
    save();
  });
})();
