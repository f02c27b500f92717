// Profile radar of the latest published assessment (the table beside it holds the same data).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("assessment-radar-data");
    var canvas = document.getElementById("assessment-radar-chart");
    if (!source || !canvas || typeof Chart === "undefined") return;
    var rows = JSON.parse(source.textContent);
    var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new Chart(canvas, {
      type: "radar",
      data: {
        labels: rows.map(function (row) { return row.label; }),
        datasets: [{
          label: canvas.getAttribute("aria-label"),
          data: rows.map(function (row) { return row.value; }),
          backgroundColor: "rgba(31, 111, 100, 0.25)",
          borderColor: "#1f6f64",
          pointBackgroundColor: "#1f6f64",
        }],
      },
      options: {
        animation: reduced ? false : undefined,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { r: { min: 0, max: parseFloat(canvas.dataset.scale) || undefined, ticks: { stepSize: 1 } } },
      },
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
