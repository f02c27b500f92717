// Assessment radars (the tables beside them hold the same data): the profile's latest published
// assessment (#assessment-radar-data: one row per dimension), and the staff comparison of a
// subject's assessments (canvas[data-radar]: its data names labels, one dataset per assessment).
(function () {
  "use strict";
  var PALETTE = ["#1f6f64", "#c0622d", "#4a6fa5", "#8a5a9e", "#b58b00", "#5c7c3a", "#8a1f11"];
  // Long dimension names are wrapped on words, narrower on a phone, so none is clipped by the edge.
  function wrap(label, width) {
    var lines = [];
    String(label).split(/\s+/).forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    });
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function translucent(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", 0.2)";
  }

  function radar(canvas, labels, datasets, scale) {
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var narrow = canvas.parentNode.clientWidth < 480;
    return new Chart(canvas, {
      type: "radar",
      data: {
        labels: labels.map(function (label) { return wrap(label, narrow ? 12 : 18); }),
        datasets: datasets.map(function (set, index) {
          var colour = PALETTE[index % PALETTE.length];
          return {
            label: set.label,
            data: set.data,
            spanGaps: true,
            backgroundColor: translucent(colour),
            borderColor: colour,
            pointBackgroundColor: colour,
          };
        }),
      },
      options: {
        animation: reduced ? false : undefined,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || undefined,
        layout: { padding: 12 },
        plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
        scales: {
          r: {
            min: 0,
            max: scale || undefined,
            ticks: { stepSize: 1, precision: 0, backdropColor: "transparent" },
            pointLabels: { font: { size: narrow ? 11 : 12 }, padding: 4 },
          },
        },
      },
    });
  }

  function draw() {
    if (typeof Chart === "undefined") return;
    var profile = document.getElementById("assessment-radar-chart");
    var rows = document.getElementById("assessment-radar-data");
    if (profile && rows) {
      rows = JSON.parse(rows.textContent);
      radar(
        profile,
        rows.map(function (row) { return row.label; }),
        [{ label: profile.getAttribute("aria-label"), data: rows.map(function (row) { return row.value; }) }],
        parseFloat(profile.dataset.scale)
      );
    }
    document.querySelectorAll("canvas[data-radar]").forEach(function (canvas) {
      var data = JSON.parse(document.getElementById(canvas.dataset.radar).textContent);
      radar(canvas, data.labels, data.datasets, data.scale);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
