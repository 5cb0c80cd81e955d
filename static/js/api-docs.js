// The API documentation page: Swagger UI over the served OpenAPI document.
(function () {
  "use strict";
  var root = document.getElementById("api-docs");
  if (!root || !window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null  // never ask swagger.io to validate the document
  });
}());
