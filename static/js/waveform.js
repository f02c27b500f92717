// The reader's waveform: the peaks the worker computed, drawn beside the player with the part
// already played; a click (or the arrow keys, as on any slider) plays from that point.
(function () {
  "use strict";
  const box = document.getElementById("waveform");
  const player = document.getElementById("player");
  if (!box || !player) return;
  const canvas = box.querySelector("canvas");
  const PLAYED = "#b35900"; // the colour of the segment being played
  const AHEAD = "#6b6b6b"; // 3:1 against the white background, as graphics need
  const STEP = 5; // seconds per arrow key
  let peaks = [];

  const clock = (seconds) => {
    const s = Math.max(0, Math.floor(seconds || 0));
    const m = Math.floor(s / 60);
    const h = Math.floor(m / 60);
    const mm = h ? String(m % 60).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s % 60).padStart(2, "0");
  };
  const duration = () => (Number.isFinite(player.duration) ? player.duration : 0);

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(box.clientWidth * ratio));
    const height = Math.max(1, Math.round(box.clientHeight * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const context = canvas.getContext("2d");
    context.clearRect(0, 0, width, height);
    const played = duration() ? player.currentTime / duration() : 0;
    const middle = height / 2;
    const bar = width / Math.max(peaks.length, 1);
    peaks.forEach((peak, index) => {
      const x = index * bar;
      const half = Math.max(ratio, peak * middle);
      context.fillStyle = (index + 0.5) / peaks.length <= played ? PLAYED : AHEAD;
      context.fillRect(x, middle - half, Math.max(ratio, bar - ratio / 2), half * 2);
    });
    if (duration()) {
      // Passages already coded, then the range being marked, over the peaks.
      const band = (start, end, colour) => {
        context.fillStyle = colour;
        context.fillRect((start / duration()) * width, 0, Math.max(ratio, ((end - start) / duration()) * width), height);
      };
      coded.forEach(([s, e]) => band(s / 1000, e / 1000, "rgba(31, 119, 180, 0.25)"));
      if (marked) band(marked[0], marked[1], "rgba(179, 89, 0, 0.3)");
    }
    context.fillStyle = "#1a1a1a";
    context.fillRect(Math.min(played * width, width - 2 * ratio), 0, 2 * ratio, height);
    box.setAttribute("aria-valuemax", String(Math.round(duration())));
    box.setAttribute("aria-valuenow", String(Math.round(player.currentTime)));
    box.setAttribute("aria-valuetext", clock(player.currentTime) + " / " + clock(duration()));
  }

  // Seek once the player knows its duration (right away when it already does).
  function seek(seconds) {
    const go = () => {
      player.currentTime = Math.min(Math.max(seconds, 0), duration());
      draw();
    };
    if (player.readyState >= 1) go();
    else player.addEventListener("loadedmetadata", go, { once: true });
  }

  // Coding a time range: dragging across the waveform marks it (a click still plays from
  // there). The range goes into the form's fields, as h:mm:ss.d, and is drawn with the ranges
  // already coded. (The "Start here" and "End here" buttons are coding.js's: no waveform needed.)
  const startField = document.getElementById("range-start");
  const endField = document.getElementById("range-end");
  const coded = JSON.parse(box.dataset.ranges || "[]");
  let marked = null; // [start, end] in seconds
  let dragFrom = null;
  let dragged = false;
  const stamp = (seconds) => {
    const tenths = Math.round(Math.max(0, seconds) * 10);
    const s = Math.floor(tenths / 10);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h + ":" + String(m).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0") + "." + (tenths % 10);
  };
  const at = (event) => {
    const rect = box.getBoundingClientRect();
    return Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1) * duration();
  };
  function mark(start, end) {
    marked = [Math.min(start, end), Math.max(start, end)];
    if (startField) startField.value = stamp(marked[0]);
    if (endField) endField.value = stamp(marked[1]);
    draw();
  }
  box.addEventListener("pointerdown", (event) => {
    if (!duration()) return;
    dragFrom = at(event);
    dragged = false;
  });
  box.addEventListener("pointermove", (event) => {
    if (dragFrom === null || !duration()) return;
    const now = at(event);
    if (!dragged && Math.abs(now - dragFrom) / duration() * box.clientWidth < 4) return;
    dragged = true;
    mark(dragFrom, now);
  });
  box.addEventListener("pointerup", () => { dragFrom = null; });

  box.addEventListener("click", (event) => {
    if (dragged) { dragged = false; return; } // the end of a drag, not a click
    const rect = box.getBoundingClientRect();
    const fraction = (event.clientX - rect.left) / rect.width;
    const go = () => {
      seek(fraction * duration());
      player.play().catch(() => {});
    };
    if (player.readyState >= 1) go();
    else player.addEventListener("loadedmetadata", go, { once: true });
  });
  box.addEventListener("keydown", (event) => {
    const moves = {
      ArrowLeft: -STEP, ArrowDown: -STEP, ArrowRight: STEP, ArrowUp: STEP,
      PageDown: -6 * STEP, PageUp: 6 * STEP,
    };
    if (event.key in moves) seek(player.currentTime + moves[event.key]);
    else if (event.key === "Home") seek(0);
    else if (event.key === "End") seek(duration());
    else return;
    event.preventDefault();
  });

  // While playing, redraw at the screen's pace; otherwise on the player's events.
  function animate() {
    draw();
    if (!player.paused) window.requestAnimationFrame(animate);
  }
  player.addEventListener("play", () => window.requestAnimationFrame(animate));
  ["timeupdate", "seeked", "loadedmetadata", "durationchange"].forEach((name) =>
    player.addEventListener(name, draw)
  );
  window.addEventListener("resize", draw);

  fetch(box.dataset.peaksUrl, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : []))
    .then((values) => {
      peaks = Array.isArray(values) ? values : [];
      draw();
    })
    .catch(() => {});
  draw();
})();
