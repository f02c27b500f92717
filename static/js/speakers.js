// Speaker turns in the reader: tick a segment, Shift+click another, and every segment between
// them is ticked too; then one click on a speaker's name gives the whole run to that speaker.
(function () {
  "use strict";
  const form = document.getElementById("speaker-form");
  if (!form) return;
  let last = null; // the checkbox clicked last, where a Shift+click range starts

  document.addEventListener("click", (event) => {
    const box = event.target.closest && event.target.closest(".turn-pick");
    if (!box) return;
    const boxes = Array.from(document.querySelectorAll(".turn-pick"));
    if (event.shiftKey && last && boxes.includes(last)) {
      const [from, to] = [boxes.indexOf(last), boxes.indexOf(box)].sort((a, b) => a - b);
      boxes.slice(from, to + 1).forEach((b) => { b.checked = box.checked; });
    }
    last = box;
  });

  // A refusal (400) carries its reason: show it in the status line as any answer.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (form.contains(event.target) && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Once assigned, the swapped segments come back unticked: the next run starts afresh.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (form.contains(event.target)) last = null;
  });
})();
