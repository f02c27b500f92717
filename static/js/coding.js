// The transcript reader: player and text in sync both ways, search, and coding by selection.
(function () {
  "use strict";
  const reader = document.getElementById("reader");
  if (!reader) return;
  const player = document.getElementById("player");
  // Looked up each time: a coded segment is replaced by the server's fresh rendering.
  const segmentRows = () => Array.from(document.querySelectorAll(".segment"));
  const panel = document.getElementById("coding-panel");
  const status = document.getElementById("coding-status");
  const announce = document.getElementById("coding-done");
  let selection = null;

  // Click a segment's time: the player seeks there and plays.
  reader.addEventListener("click", (event) => {
    const button = event.target.closest("[data-seek]");
    if (!button || !player) return;
    // Before its metadata the player cannot seek: do it as soon as it can.
    const go = () => {
      player.currentTime = Number(button.dataset.seek) / 1000;
      player.play().catch(() => {});
    };
    if (player.readyState >= 1) go();
    else player.addEventListener("loadedmetadata", go, { once: true });
  });

  // While playing, the current segment is highlighted (and announced to assistive technology).
  let current = null;
  function highlight() {
    const ms = player.currentTime * 1000;
    const found = segmentRows().find(
      (s) => ms >= Number(s.dataset.start) && ms < Math.max(Number(s.dataset.end), Number(s.dataset.start) + 1)
    );
    if (found === current) return;
    if (current) { current.classList.remove("playing"); current.removeAttribute("aria-current"); }
    current = found || null;
    if (current) { current.classList.add("playing"); current.setAttribute("aria-current", "true"); }
  }
  if (player) {
    player.addEventListener("timeupdate", highlight);
    player.addEventListener("seeked", highlight);
  }

  // Coding a time range of the recording: "Start here" and "End here" take the player's time.
  const stamp = (seconds) => {
    const tenths = Math.round(Math.max(0, seconds) * 10);
    const s = Math.floor(tenths / 10);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h + ":" + String(m).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0") + "." + (tenths % 10);
  };
  document.querySelectorAll("[data-range-mark]").forEach((button) => {
    button.addEventListener("click", () => {
      const field = document.getElementById(button.dataset.rangeMark === "start" ? "range-start" : "range-end");
      if (field && player) field.value = stamp(player.currentTime);
    });
  });

  // Search inside the transcript: matching turns are marked, the others dimmed.
  const search = document.getElementById("transcript-search");
  const count = document.getElementById("search-count");
  if (search) {
    search.addEventListener("input", () => {
      const query = search.value.trim().toLocaleLowerCase();
      let n = 0;
      const segments = segmentRows();
      segments.forEach((s) => {
        const text = s.querySelector(".segment-text").textContent.toLocaleLowerCase();
        const hit = query && text.includes(query);
        s.classList.toggle("match", Boolean(hit));
        s.classList.toggle("dim", Boolean(query) && !hit);
        if (hit) n += 1;
      });
      count.textContent = query ? n + " / " + segments.length : "";
    });
  }

  // Offsets count Unicode code points, as the server (Python) does.
  const length = (text) => Array.from(text).length;

  const textBoxes = () => Array.from(document.querySelectorAll(".segment-text"));
  const boxOf = (node) => {
    const element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".segment-text") : null;
  };
  const offsetIn = (box, container, offset) => {
    const before = document.createRange();
    before.setStart(box, 0);
    before.setEnd(container, offset);
    return length(before.toString());
  };

  // The selection as the server keeps a passage: from an offset in one turn's text to an offset
  // in the same or a later turn's text. A selection that starts or ends outside the texts (on a
  // time, a speaker, a list of excerpts) starts at the next text or ends with the last one.
  function readSelection() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
    const range = sel.getRangeAt(0);
    const boxes = textBoxes();
    const reached = boxes.filter((b) => range.intersectsNode(b));
    let first = boxOf(range.startContainer);
    let last = boxOf(range.endContainer);
    let from = 0;
    let to = 0;
    if (first) from = offsetIn(first, range.startContainer, range.startOffset);
    else first = reached[0];
    if (last) to = offsetIn(last, range.endContainer, range.endOffset);
    else {
      last = reached[reached.length - 1];
      to = last ? length(last.textContent) : 0;
    }
    if (!first || !last) return null;
    const i = boxes.indexOf(first);
    const j = boxes.indexOf(last);
    if (j < i || (i === j && to <= from)) return null;
    const parts = boxes.slice(i, j + 1).map((box, k) => {
      const chars = Array.from(box.textContent);
      return chars.slice(k === 0 ? from : 0, i + k === j ? to : chars.length).join("");
    });
    return {
      segment: first.dataset.segment,
      end_segment: last.dataset.segment,
      start: from,
      end: to,
      text: parts.join("\n"),
    };
  }

  function openPanel() {
    selection = readSelection();
    if (!selection || !panel) return;
    panel.hidden = false;
    document.getElementById("coding-selection").textContent = selection.text;
    status.textContent = "";
    const first = panel.querySelector("input[name=codes]");
    if (first) first.focus({ preventScroll: true });
  }

  document.addEventListener("mouseup", (event) => {
    if (panel && panel.contains(event.target)) return;
    if (readSelection()) openPanel();
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.matches("input[type=search], input:not([type]), textarea, select");
    if (!typing && (event.key === "c" || event.key === "C") && readSelection()) {
      event.preventDefault();
      openPanel();
      return;
    }
    if (!panel || panel.hidden || !panel.contains(event.target)) return;
    if (event.key === "Escape") { panel.hidden = true; return; }
    if (/^[1-9]$/.test(event.key) && !typing) {
      const box = panel.querySelector(`input[data-key="${event.key}"]`);
      if (box) { box.checked = !box.checked; event.preventDefault(); }
    }
    if (event.key === "Enter" && event.target.id === "new-code-name") {
      event.preventDefault();
      document.getElementById("new-code-add").click();
      return;
    }
    if (event.key === "Enter") { event.preventDefault(); panel.requestSubmit(); }
  });

  // A code created from the panel (htmx adds its box, ticked) is applied to the selection at once.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (!panel || event.detail.target.id !== "code-choices") return;
    // A name the codebook already has comes back as that code: tick its box, keep one box.
    const boxes = Array.from(event.detail.target.querySelectorAll("input[name=codes]"));
    const added = boxes[boxes.length - 1];
    const earlier = added && boxes.find((box) => box !== added && box.value === added.value);
    if (earlier) {
      added.closest("label").remove();
      earlier.checked = true;
    }
    const name = document.getElementById("new-code-name");
    if (name) name.value = "";
    if (selection) panel.requestSubmit();
  });
  document.body.addEventListener("htmx:responseError", (event) => {
    if (panel && event.detail.elt.id === "new-code-add") status.textContent = event.detail.xhr.responseText;
  });

  function csrf() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  if (panel) {
    panel.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!selection) return;
      const codes = Array.from(panel.querySelectorAll("input[name=codes]:checked")).map((i) => i.value);
      const response = await fetch(reader.dataset.codeUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({
          segment: selection.segment, end_segment: selection.end_segment,
          start: selection.start, end: selection.end, codes,
        }),
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({ error: response.statusText }));
      if (!response.ok) { status.textContent = data.error; return; }
      // Swap in the segment as the server renders it now (coded passages marked), then give
      // the keyboard back to that segment's text, so the next passage can be selected from there.
      (data.segments || []).forEach((item) => {
        const row = document.getElementById("segment-" + item.segment);
        if (!row) return;
        const fresh = document.createRange().createContextualFragment(item.html).firstElementChild;
        fresh.classList.toggle("playing", row.classList.contains("playing"));
        if (row === current) current = fresh;
        row.replaceWith(fresh);
        // Its "Edit" brings the segment's form through htmx, as the rows of the page do.
        if (window.htmx) window.htmx.process(fresh);
      });
      panel.querySelectorAll("input[name=codes]").forEach((box) => { box.checked = false; });
      panel.hidden = true;
      selection = null;
      window.getSelection().removeAllRanges();
      announce.textContent = data.codes.join(", ") + " — « " + data.text + " »";
      const text = document.querySelector(`#segment-${data.segment} .segment-text`);
      if (text) text.focus();
    });
  }
})();
