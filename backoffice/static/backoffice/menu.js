// The back-office menu is a <details> served open, so that it works without JavaScript. On a
// narrow screen it starts folded (its summary is the button that opens it); on a wide screen it
// is always open (the summary is hidden).
(function () {
  var menu = document.getElementById("menu");
  if (!menu || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 640px)");
  function fit() { menu.open = !narrow.matches; }
  fit();
  if (narrow.addEventListener) narrow.addEventListener("change", fit);
})();
