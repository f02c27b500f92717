// The codebook rearranged in place: drag a code onto another (before it, or inside it when
// dropped on its right part), or use each code's buttons (up, down, inside, out); the server
// sends the tree back and says where the code is now, which a live region announces.
(function () {
  "use strict";
  const announce = document.getElementById("codebook-announce");
  let last = null; // the move just made: its code and button, to give the focus back

  // The move is told before the new tree is in place: focus goes back to the same button (or
  // the code's link once that button no longer applies), then the move is announced.
  document.body.addEventListener("codebook-moved", (event) => {
    last = event.detail;
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (!last || event.detail.target.id !== "code-tree") return;
    const row = document.querySelector(`#code-tree li[data-code="${last.code}"]`);
    const button = row && row.querySelector(`button[data-shift="${last.shift}"]`);
    const focus = button && !button.disabled ? button : row && row.querySelector("a");
    if (focus) focus.focus();
    if (announce) announce.textContent = last.message;
    last = null;
  });

  let dragged = null;
  const rowOf = (node) => node && node.closest && node.closest("#code-tree li[data-code]");
  const inside = (row, event) => {
    const box = row.getBoundingClientRect();
    return event.clientX > box.left + box.width * 0.6;
  };
  const clear = () => document.querySelectorAll("#code-tree li").forEach((li) => {
    li.classList.remove("drop-before", "drop-inside", "dragging");
  });

  document.addEventListener("dragstart", (event) => {
    const row = rowOf(event.target);
    if (!row) return;
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.code);
  });
  document.addEventListener("dragover", (event) => {
    const row = rowOf(event.target);
    if (!row || !dragged || row === dragged) return;
    event.preventDefault();
    const nest = inside(row, event);
    row.classList.toggle("drop-inside", nest);
    row.classList.toggle("drop-before", !nest);
  });
  document.addEventListener("dragleave", (event) => {
    const row = rowOf(event.target);
    if (row) row.classList.remove("drop-before", "drop-inside");
  });
  document.addEventListener("dragend", clear);
  document.addEventListener("drop", (event) => {
    const row = rowOf(event.target);
    if (!row || !dragged || row === dragged) return;
    event.preventDefault();
    let parent = row.dataset.parent;
    let index = Number(row.dataset.index);
    if (inside(row, event)) {
      parent = row.dataset.code;
      index = 1e6; // last among its sub-codes
    } else if (parent === dragged.dataset.parent && Number(dragged.dataset.index) < index) {
      index -= 1; // the dragged code leaves the place above
    }
    const tree = document.getElementById("code-tree");
    const token = dragged.querySelector("input[name=csrfmiddlewaretoken]").value;
    const url = tree.dataset.arrangeUrl.replace(/\/0\/ranger\/$/, `/${dragged.dataset.code}/ranger/`);
    clear();
    dragged = null;
    window.htmx.ajax("POST", url, {
      target: "#code-tree",
      swap: "outerHTML",
      values: { parent: parent, index: index, csrfmiddlewaretoken: token },
    });
  });
})();
