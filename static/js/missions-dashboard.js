// Missions dashboard: one Chart.js chart per series of #dashboard-data (tables hold the same data).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var palette = ["#1f6f64", "#c0622d", "#4a6fa5", "#8a5a9e", "#b58b00", "#5c7c3a", "#8a1f11"];
  document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
    var rows = data[canvas.dataset.series] || [];
    var kind = canvas.dataset.kind;
    new Chart(canvas, {
      type: kind,
      data: {
        labels: rows.map(function (row) { return row.label; }),
        datasets: [{
          data: rows.map(function (row) { return row.value; }),
          backgroundColor: kind === "doughnut" ? palette : palette[0],
        }],
      },
      options: {
        animation: reduced ? false : undefined,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || undefined,
        plugins: { legend: { display: kind === "doughnut" } },
        // Counts and euros are whole numbers: no "0.5 mission" on the value axis.
        scales: kind === "bar" ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : {},
      },
    });
  });
})();
