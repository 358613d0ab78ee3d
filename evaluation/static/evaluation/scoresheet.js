// Score sheet: recompute the total, each star level's minimum marks and the result as options are
// picked (the server computes the same on save: evaluation/scoring_view.py and evaluation/stars.py).
(function () {
  "use strict";
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  function list(codes, text) {
    if (codes.length <= 1) return codes.join("");
    return fill(text.and, { first: codes.slice(0, -1).join(", "), last: codes[codes.length - 1] });
  }
  function init() {
    var specNode = document.getElementById("scoresheet-spec");
    var form = document.getElementById("scoresheet");
    var live = document.getElementById("live");
    if (!specNode || !form || !live) return;
    var spec = JSON.parse(specNode.textContent);
    var text = spec.text;

    function picked(code) {
      var input = form.querySelector('input[type=radio][name="c-' + CSS.escape(code) + '"]:checked');
      return input ? input.value : null;
    }

    function update() {
      var total = 0, stopAt = null, choice = {};
      spec.criteria.forEach(function (c) {
        var fieldset = document.getElementById("c-" + c.code);
        if (fieldset) fieldset.classList.toggle("stopped", stopAt !== null);
        if (stopAt !== null) return; // not assessed after a stop rule
        var code = picked(c.code);
        var option = c.options.find(function (o) { return o.code === code; });
        if (!option) return;
        choice[c.code] = option;
        total += option.points;
        if (option.stops) stopAt = c.code;
      });
      var missing = {};
      spec.levels.forEach(function (level) {
        missing[level] = [];
        spec.criteria.forEach(function (c) {
          var have = choice[c.code];
          var marks = c.options.filter(function (o) {
            return o.min_star === level && (!have || o.list === have.list || !c.options.some(function (x) { return x.list !== o.list; }));
          });
          if (!marks.length) return;
          var points = have ? have.points : 0;
          if (marks.some(function (m) { return points < m.points; })) missing[level].push(c.code);
        });
      });
      var band = spec.bands.find(function (b) { return total >= b[1]; })[0];
      var blocked = spec.levels.filter(function (level) { return level <= band && missing[level].length; });
      var stars = stopAt !== null ? 0 : blocked.length ? blocked[0] - 1 : band;
      var head = fill(text.head, { score: total, stars: stars });
      var sentence = head;
      if (stopAt !== null) sentence = fill(text.knocked, { head: head });
      else if (blocked.length) {
        sentence = fill(text.criteria, { head: head, codes: list(missing[blocked[0]], text), level: blocked[0] });
      }
      document.getElementById("live-total").textContent = total;
      document.getElementById("live-text").firstElementChild.textContent = sentence;
      document.getElementById("live-stop").hidden = stopAt === null;
      live.querySelectorAll("[data-level]").forEach(function (item) {
        var level = Number(item.dataset.level);
        var codes = missing[level] || [];
        item.className = codes.length ? "missing" : "met";
        item.querySelector(".state").textContent = codes.length
          ? text.missing + " – " + text.criterion + " " + codes.join(", ")
          : text.met;
      });
    }
    form.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
