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

  // Phones: search and the account links fold behind the Menu button. Without this script the button
  // stays hidden and everything shows, so every link is always reachable.
  var header = document.querySelector("[data-site-header]");
  var toggle = header && header.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    };
    toggle.hidden = false;
    header.classList.add("has-menu");
    // A disclosure: focus stays on the button (moving it to the search box would pop up a phone's keyboard).
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  // Bars that scroll sideways (the categories) say so: data-more="left right" shows a fade on that side.
  document.querySelectorAll("[data-scroll-hint]").forEach(function (bar) {
    var scroller = bar.firstElementChild;
    if (!scroller) { return; }
    var update = function () {
      var more = [];
      if (scroller.scrollLeft > 1) { more.push("left"); }
      if (scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1) { more.push("right"); }
      bar.setAttribute("data-more", more.join(" "));
    };
    scroller.addEventListener("scroll", update, { passive: true });
    window.addEventListener("resize", update);
    update();
  });
})();
