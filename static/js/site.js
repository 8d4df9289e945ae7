// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Buttons show they are working while a form submits (plain POST or htmx).
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) { button.setAttribute("aria-busy", "true"); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var buttons = event.target.querySelectorAll ? event.target.querySelectorAll("[aria-busy=true]") : [];
    buttons.forEach(function (b) { b.removeAttribute("aria-busy"); });
  });
})();
