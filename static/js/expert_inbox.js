// "I'm answering this" (forum/inbox/claims.py): when another expert presses or stops it, the experts-only
// live stream carries an "expert.claim" event; live.js applies the stream and dispatches "live:event", and
// this script rewrites the claim line of that question wherever this page shows it (inbox row, question page).
(function () {
  "use strict";
  document.addEventListener("live:event", function (e) {
    var msg = e.detail || {};
    if (msg.event !== "expert.claim") { return; }
    var data = msg.data || {};
    document.querySelectorAll('[data-claim-for="' + String(data.question_id) + '"]').forEach(function (box) {
      var status = box.querySelector("[data-claim-status]");
      if (!status) { return; }
      if (!data.claimed) {
        status.textContent = "";
      } else if (String(data.by_id) === box.getAttribute("data-claim-viewer")) {
        status.textContent = "You are answering this (since just now).";
      } else {
        status.textContent = String(data.by) + " is answering this (since just now).";
      }
    });
  });
})();
