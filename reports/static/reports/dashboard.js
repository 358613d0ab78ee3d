/* Draws the dashboard's charts from the numbers in #report-data (the same numbers as the
   tables beside them, which are the accessible version). Chart.js is served from our own
   static files. Without JavaScript the tables alone remain. */
(function () {
  "use strict";
  var source = document.getElementById("report-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
  var GREEN = "#1b6b3a", GOLD = "#c99700", RED = "#b3261e";
  var PALETTE = ["#1b6b3a", "#c99700", "#4f8fc0", "#b3261e", "#7a5c99", "#5b6660", "#2f9e8f", "#d9822b"];
  var STARS = ["#7fb48f", "#1b6b3a", "#c99700"];
  Chart.defaults.font.family = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif';
  Chart.defaults.color = "#1d2421";
  Chart.defaults.locale = lang;
  Chart.defaults.animation = false;

  function integerTicks(horizontal) {
    var axis = { beginAtZero: true, ticks: { precision: 0 } };
    return horizontal ? { x: axis } : { y: axis };
  }

  function draw(canvas) {
    var key = canvas.getAttribute("data-chart");
    var kind = canvas.getAttribute("data-kind");
    var series = data[key];
    if (!series) { return; }
    var limit = parseInt(canvas.getAttribute("data-limit") || "0", 10);
    var labels = series.labels.map(function (text) {
      return text.length > 32 ? text.slice(0, 31) + "…" : text;
    });
    var values = series.values;
    if (limit && labels.length > limit) { labels = labels.slice(0, limit); values = values.slice(0, limit); }
    var config;
    if (kind === "timeline") {
      config = {
        type: "bar",
        data: {
          labels: series.labels.map(function (d) { return d.slice(-4); }),
          datasets: [
            { label: canvas.getAttribute("data-valid-label"), data: series.valid, backgroundColor: GREEN },
            { label: canvas.getAttribute("data-lapsed-label"), data: series.lapsed, backgroundColor: RED }
          ]
        },
        options: { maintainAspectRatio: false, scales: integerTicks(false), plugins: { legend: { position: "bottom" } } }
      };
    } else if (kind === "doughnut") {
      config = {
        type: "doughnut",
        data: { labels: labels, datasets: [{ data: values, backgroundColor: PALETTE }] },
        options: { maintainAspectRatio: false, plugins: { legend: { position: "right" } } }
      };
    } else {
      var horizontal = kind === "hbar";
      config = {
        type: "bar",
        data: {
          labels: labels,
          datasets: [{ data: values, backgroundColor: key === "by_star" ? STARS : (key === "by_year" ? GOLD : GREEN) }]
        },
        options: {
          indexAxis: horizontal ? "y" : "x",
          maintainAspectRatio: false,
          scales: integerTicks(horizontal),
          plugins: { legend: { display: false } }
        }
      };
    }
    new Chart(canvas, config);
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
