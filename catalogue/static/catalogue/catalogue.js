/* Catalogue page. On wide screens the filters start open (on phones they stay folded behind
   their summary so the results come first). Requests made by htmx leave out empty fields
   and the default order, so the address pushed to the history stays short enough to share. */
(function () {
  "use strict";
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(min-width: 60rem)").matches) {
    panel.open = true;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data) { return; }
    var names = [];
    data.forEach(function (value, name) { if (names.indexOf(name) < 0) { names.push(name); } });
    names.forEach(function (name) {
      var values = data.getAll(name);
      var blank = values.every(function (value) { return value === ""; });
      if (blank || (name === "sort" && values.length === 1 && values[0] === "relevance")) {
        data.delete(name);
      }
    });
  });
})();
