/* Draws every <canvas data-chart-source="id"> from the JSON in <script id="id">.
   The tables next to each chart hold the same figures (for screen readers and printing). */
(function () {
  "use strict";
  var PALETTE = ["#1b6b3a", "#d08c00", "#2f6fb0", "#b3261e", "#6a4c93", "#2a9d8f", "#8d6e63", "#e76f51", "#457b9d", "#7a7a7a"];
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var full = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });

  function money(v) { return full.format(v) + " đ"; }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var round = spec.type === "doughnut" || spec.type === "pie";
    spec.datasets.forEach(function (ds, i) {
      var colours = round ? spec.labels.map(function (_, k) { return PALETTE[k % PALETTE.length]; }) : PALETTE[i % PALETTE.length];
      ds.backgroundColor = colours;
      ds.borderColor = round ? "#fff" : colours;
      if (spec.type === "line") { ds.fill = false; ds.tension = 0.2; ds.pointRadius = 3; }
    });
    var format = spec.money ? money : function (v) { return full.format(v); };
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: {
        legend: { display: round || spec.datasets.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var v = round ? ctx.parsed : (spec.horizontal ? ctx.parsed.x : ctx.parsed.y);
              return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + format(v);
            }
          }
        }
      }
    };
    if (!round) {
      var valueAxis = { beginAtZero: true, ticks: { callback: function (v) { return compact.format(v); } } };
      options.scales = spec.horizontal ? { x: valueAxis } : { y: valueAxis };
    }
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options });
  }

  function init() { document.querySelectorAll("canvas[data-chart-source]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
