// The "Ask our experts" box (forum/embed): keeps its list current over the site's live WebSocket
// (forum/consumers.py protocol). It follows "feed.home", where every featured or unfeatured answer is
// announced, and the stream of each question it shows (an answer removed or edited, a question taken
// down); on any of those it fetches its list again (one GET). No cookies are needed: these streams are
// public. After a dropped connection it reconnects with backoff and refreshes once, since events may have
// been missed; a slow periodic refresh covers what no event announces (an expert's verification ending).
// Hook for tests: <body data-live-state="connecting|open|reconnecting">.
(function () {
  "use strict";
  var body = document.body;
  var itemsUrl = body.getAttribute("data-items-url");
  var list = document.getElementById("box-items");
  if (!itemsUrl || !list) { return; }
  var RELEVANT = {"answer.featured": 1, "answer.removed": 1, "answer.updated": 1, "question.removed": 1,
    "question.updated": 1, "refetch": 1};
  var PERIODIC_MS = 5 * 60 * 1000;
  var MAX_STREAMS = 20; // forum/consumers.py MAX_STREAMS
  var followed = {};
  var socket = null;
  var attempt = 0;
  var refreshTimer = null;
  var unanswered = 0;

  function wanted() {
    var names = ["feed.home"];
    list.querySelectorAll("[data-question-id]").forEach(function (el) {
      names.push("question." + el.getAttribute("data-question-id"));
    });
    return names;
  }

  function subscribe() {
    if (!socket || socket.readyState !== 1) { return; }
    var fresh = wanted().filter(function (name) { return !followed[name]; });
    if (!fresh.length) { return; }
    if (Object.keys(followed).length + fresh.length > MAX_STREAMS) {
      socket.close(); // the server follows at most 20 streams per socket: start afresh with those shown now
      return;
    }
    fresh.forEach(function (name) { followed[name] = true; });
    unanswered += fresh.length;
    socket.send(JSON.stringify({subscribe: fresh}));
  }

  function refresh() {
    refreshTimer = null;
    window.fetch(itemsUrl, {cache: "no-store", credentials: "omit"}).then(function (response) {
      if (!response.ok) { throw new Error("box " + response.status); }
      return response.text();
    }).then(function (html) {
      list.innerHTML = html; // the site's own escaped fragment (templates/embed/_items.html)
      subscribe();
      body.setAttribute("data-refreshed", String(Date.now()));
    }).catch(function () { /* keep what is shown; the next event or the periodic refresh tries again */ });
  }

  function refreshSoon() {
    if (!refreshTimer) { refreshTimer = window.setTimeout(refresh, 150 + Math.random() * 350); }
  }

  function connect() {
    body.setAttribute("data-live-state", attempt ? "reconnecting" : "connecting");
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try { socket = new WebSocket(scheme + window.location.host + "/ws/live/"); } catch (e) { retry(); return; }
    followed = {};
    unanswered = 0;
    socket.onopen = function () {
      subscribe();
      if (attempt) { refreshSoon(); } // events may have been missed while disconnected
      attempt = 0;
    };
    socket.onmessage = function (message) {
      var msg;
      try { msg = JSON.parse(message.data); } catch (e) { return; }
      if (!msg || typeof msg !== "object") { return; }
      if (typeof msg.subscribed === "string" || typeof msg.denied === "string") {
        unanswered -= 1;
        if (unanswered <= 0) { body.setAttribute("data-live-state", "open"); } // following everything asked
      } else if (typeof msg.event === "string" && RELEVANT[msg.event]) {
        refreshSoon();
      }
    };
    socket.onclose = function () { socket = null; retry(); };
  }

  function retry() {
    body.setAttribute("data-live-state", "reconnecting");
    var ceiling = Math.min(30000, 1000 * Math.pow(2, attempt));
    attempt += 1;
    window.setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
  }

  if ("WebSocket" in window) { connect(); }
  window.setInterval(refresh, PERIODIC_MS);
})();
