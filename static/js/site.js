// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Buttons show they are working while a form submits (plain POST or htmx).
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) { button.setAttribute("aria-busy", "true"); }
  });
  // Refusals (400 bad input, 403 not allowed, 409 already decided, 429 too fast) come back as a fragment
  // that says why; show it in place instead of htmx's default of ignoring error responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if ([400, 403, 409, 429].indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var buttons = event.target.querySelectorAll ? event.target.querySelectorAll("[aria-busy=true]") : [];
    buttons.forEach(function (b) { b.removeAttribute("aria-busy"); });
  });
})();
