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

  box.addEventListener("click", (event) => {
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
