// Installable on a phone: register the service worker (forum.discovery), which only shows the offline page
// when a page cannot be loaded; it keeps no copy of any health content.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript;
  var url = script && script.dataset.serviceWorker;
  if (!url) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      // Not fatal: the site works without it (private windows, old browsers).
    });
  });
})();
