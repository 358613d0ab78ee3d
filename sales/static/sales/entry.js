/* Month entry: after a refused save, move focus to the list of errors (screen readers read it). */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
