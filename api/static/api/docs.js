/* Swagger UI for /api/v1/docs/, from our own static files. Requests made with the session
   (a signed-in back-office user trying the write endpoints) carry the CSRF token. */
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  window.ui = SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      var token = csrfToken();
      if (token && request.method && request.method !== "GET") { request.headers["X-CSRFToken"] = token; }
      return request;
    }
  });
})();
