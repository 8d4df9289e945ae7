// Live updates (issue #4). Dependency-free; every page works without it.
//
// The page declares what it follows: every element with data-stream="<name>" (and data-stream-seq, the
// stream's last sequence when the page was rendered). This script opens one WebSocket (/ws/live/), subscribes
// with those sequences, applies events in place, and after a drop reconnects with exponential backoff and
// jitter, asking for what it missed; the server replays it or says "refetch", and then the page reloads the
// affected part with a GET. Protocol: forum/consumers.py. Event format: forum/events.py.
//
// Hooks for tests and other scripts: <body data-live-state="connecting|open|reconnecting|closed">
// ("open" once every stream is subscribed and caught up), and a "live:event" DOM event per applied event.
(function () {
  "use strict";
  if (!("WebSocket" in window) || !document.body) { return; }

  var body = document.body;
  var STORAGE_KEY = "hc.live.seqs";
  var MAX_DELAY = 30000;
  var streams = {}; // name -> {seq: number|null, refetching: bool, buffer: []}
  var socket = null;
  var attempt = 0;
  var retryTimer = null;
  var stopped = false;
  var awaiting = 0;
  var refetchWanted = {};
  var refetchTimer = null;
  var heldAnswers = [];
  var newQuestionIds = {};
  var statusTimer = null;

  // --- Streams and their sequences ------------------------------------------------------------------------

  function parseSeq(raw) {
    if (raw === null || raw === undefined || raw === "") { return null; }
    var n = parseInt(raw, 10);
    return isNaN(n) || n < 0 ? null : n;
  }

  function loadStored() {
    try { return JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "{}") || {}; } catch (e) { return {}; }
  }

  function save() {
    var out = loadStored();
    Object.keys(streams).forEach(function (name) {
      if (streams[name].seq !== null) { out[name] = streams[name].seq; }
    });
    try { window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(out)); } catch (e) { /* private mode */ }
  }

  function collectStreams() {
    var stored = loadStored();
    document.querySelectorAll("[data-stream]").forEach(function (el) {
      var name = el.getAttribute("data-stream");
      if (!name) { return; }
      var seq = parseSeq(el.getAttribute("data-stream-seq"));
      var s = streams[name];
      if (!s) {
        streams[name] = {seq: seq, refetching: false, buffer: []};
      } else if (seq !== null && (s.seq === null || seq < s.seq)) {
        s.seq = seq; // two elements, two reads: replay from the earlier one (events apply idempotently)
      }
    });
    // A page rendered while Redis was unreachable has no sequence: fall back to what this tab last saw.
    Object.keys(streams).forEach(function (name) {
      if (streams[name].seq === null && typeof stored[name] === "number") { streams[name].seq = stored[name]; }
    });
  }

  // --- Connection -----------------------------------------------------------------------------------------

  function setState(state) {
    body.setAttribute("data-live-state", state);
    var status = document.getElementById("live-status");
    if (!status) { return; }
    window.clearTimeout(statusTimer);
    if (state === "reconnecting") {
      // Only say so when it lasts: a quick reconnect needs no announcement.
      statusTimer = window.setTimeout(function () {
        status.textContent = "Reconnecting… live updates are paused.";
        status.hidden = false;
      }, 800);
    } else if (state === "open" && !status.hidden) {
      status.textContent = "Live updates resumed.";
      statusTimer = window.setTimeout(function () { status.hidden = true; status.textContent = ""; }, 2500);
    }
  }

  function connect() {
    retryTimer = null;
    if (stopped) { return; }
    var names = Object.keys(streams);
    if (!names.length) { return; }
    setState(attempt ? "reconnecting" : "connecting");
    var url = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + "/ws/live/";
    try {
      socket = new WebSocket(url);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.onopen = function () {
      var since = {};
      names = Object.keys(streams);
      names.forEach(function (name) {
        if (streams[name].seq !== null) { since[name] = streams[name].seq; }
      });
      awaiting = names.length;
      socket.send(JSON.stringify({subscribe: names, since: since}));
    };
    socket.onmessage = function (message) {
      var msg;
      try { msg = JSON.parse(message.data); } catch (e) { return; }
      if (msg && typeof msg === "object") { handle(msg); }
    };
    socket.onerror = function () { /* onclose follows and reconnects */ };
    socket.onclose = function () {
      socket = null;
      Object.keys(pendingVotes).forEach(voteLost);
      if (stopped) { return; }
      setState("reconnecting");
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (retryTimer || stopped) { return; }
    var ceiling = Math.min(MAX_DELAY, 500 * Math.pow(2, attempt));
    attempt += 1;
    var delay = ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": spreads a restart's reconnects
    retryTimer = window.setTimeout(connect, delay);
  }

  function subscriptionAnswered() {
    awaiting -= 1;
    if (awaiting <= 0) {
      attempt = 0;
      setState("open");
    }
  }

  // --- Messages -------------------------------------------------------------------------------------------

  function handle(msg) {
    if (msg.voted || msg.vote_refused) { voteAnswered(msg); return; }
    if (typeof msg.subscribed === "string") {
      var s = streams[msg.subscribed];
      if (s && s.seq === null && typeof msg.seq === "number") { s.seq = msg.seq; save(); }
      subscriptionAnswered();
      return;
    }
    if (typeof msg.denied === "string") {
      delete streams[msg.denied];
      subscriptionAnswered();
      return;
    }
    if (typeof msg.unsubscribed === "string") {
      delete streams[msg.unsubscribed];
      return;
    }
    if (typeof msg.stream !== "string" || typeof msg.event !== "string") { return; }
    var stream = streams[msg.stream];
    if (!stream) { return; }
    if (msg.event === "refetch") {
      requestRefetch(msg.stream);
      return;
    }
    if (stream.refetching) { stream.buffer.push(msg); return; }
    if (stream.seq !== null && typeof msg.seq === "number" && msg.seq <= stream.seq) { return; }
    applySafely(msg);
    if (typeof msg.seq === "number") { stream.seq = msg.seq; save(); }
  }

  function applySafely(msg) {
    try {
      apply(msg);
    } catch (e) {
      // A page that cannot apply an event is reloaded from the server instead: never left wrong.
      requestRefetch(msg.stream);
      return;
    }
    document.dispatchEvent(new CustomEvent("live:event", {detail: msg}));
  }

  function apply(msg) {
    var data = msg.data || {};
    switch (msg.event) {
      case "answer.new":
      case "answer.updated":
        upsertAnswer(msg);
        break;
      case "answer.removed":
        removeAnswer(data.answer_id);
        setAnswerCount(data.answer_count);
        break;
      case "question.removed":
        questionRemoved(msg.stream, data.question_id);
        break;
      case "question.updated":
        // An edit of the question was applied: reload its text (and the rest of the page's live parts).
        requestRefetch(msg.stream);
        break;
      case "score":
        setScore(data.kind, data.id, data.score);
        break;
      case "accepted":
      case "answer.accepted":
        markAccepted(data.answer_id, msg.html);
        break;
      case "featured":
      case "answer.featured":
        markFeatured(data.answer_id, data.featured, msg.html, msg.stream);
        break;
      case "question.new":
        newQuestion(data.question_id);
        break;
      case "queue.new":
        queueNew(msg);
        break;
      case "queue.decided":
        queueDecided(data);
        break;
      case "notification":
        notificationNew(msg);
        break;
      case "notifications.read":
        notificationsRead(data);
        break;
      default:
        break;
    }
    if (typeof data.pending_count === "number") { setCount("pending-count", data.pending_count); }
    if (typeof data.unread === "number") { setCount("unread-count", data.unread); }
  }

  // --- DOM helpers ----------------------------------------------------------------------------------------

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]:not([value=''])");
    if (input && input.value) { return input.value; }
    try { return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }

  // Fragments from live events are rendered for everyone: add this viewer's bits here.
  function enhance(el) {
    var token = csrfToken();
    el.querySelectorAll("input[data-csrf]").forEach(function (input) { input.value = token; });
    var me = body.getAttribute("data-user");
    el.querySelectorAll("[data-owner-only]").forEach(function (owned) {
      var holder = owned.closest("[data-author-id]");
      if (me && holder && holder.getAttribute("data-author-id") === me) { owned.hidden = false; }
    });
    if (window.htmx && typeof window.htmx.process === "function") { window.htmx.process(el); }
    return el;
  }

  // Keep what the reader is looking at (the focused field, else the element in the middle of the screen)
  // where it is on screen while content above or around it changes.
  function preserveScroll(change) {
    var anchor = document.activeElement;
    if (!anchor || anchor === body || !anchor.getBoundingClientRect || !isVisible(anchor)) {
      anchor = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2);
    }
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) {
      var delta = anchor.getBoundingClientRect().top - before;
      if (Math.abs(delta) >= 1) { window.scrollBy(0, delta); }
    }
  }

  function isVisible(el) {
    var r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }

  function highlight(el) {
    el.classList.add("live-new");
    window.setTimeout(function () { el.classList.remove("live-new"); }, 4000);
  }

  function setCount(id, value) {
    var el = document.getElementById(id);
    if (!el || typeof value !== "number") { return; }
    el.textContent = String(value);
    el.classList.toggle("count-zero", value === 0);
  }

  // A count and the word after it: the template gives the word's singular and plural
  // (<span data-one="answer" data-other="answers">), so "1 answer", "2 answers" stay right as counts change.
  function setCountText(el, count) {
    el.textContent = String(count);
    var word = el.nextElementSibling;
    if (word && word.hasAttribute("data-one")) {
      word.textContent = word.getAttribute(count === 1 ? "data-one" : "data-other");
    }
  }

  function showNotice(selector, count) {
    var notice = document.querySelector(selector);
    if (!notice) { return; }
    var counter = notice.querySelector("[data-count]");
    if (counter) { setCountText(counter, count); }
    notice.setAttribute("role", "status");
    notice.hidden = count === 0;
  }

  // --- Question page --------------------------------------------------------------------------------------

  function answerList() { return document.getElementById("answer-list"); }

  function listEndVisible(list) {
    var r = list.getBoundingClientRect();
    return r.bottom >= 0 && r.bottom <= window.innerHeight;
  }

  function upsertAnswer(msg) {
    var list = answerList();
    var data = msg.data || {};
    if (!list || !msg.html) { return; }
    var el = enhance(fragment(msg.html));
    var existing = document.getElementById("answer-" + data.answer_id);
    if (existing) {
      preserveScroll(function () { existing.replaceWith(el); });
    } else {
      var held = heldAnswers.findIndex(function (a) { return a.id === el.id; });
      if (held >= 0) {
        heldAnswers[held] = el;
      } else if (msg.event === "answer.new") {
        if (!heldAnswers.length && listEndVisible(list)) {
          insertAnswers([el]);
        } else {
          heldAnswers.push(el); // the reader is elsewhere: a notice instead of a jump
          showNotice("[data-new-answers]", heldAnswers.length);
        }
      }
    }
    setAnswerCount(data.answer_count);
  }

  function insertAnswers(elements) {
    var list = answerList();
    preserveScroll(function () {
      var empty = list.querySelector("[data-empty]");
      if (empty) { empty.remove(); }
      elements.forEach(function (el) {
        if (!document.getElementById(el.id)) { list.appendChild(el); highlight(el); }
      });
    });
  }

  function showHeldAnswers() {
    var elements = heldAnswers;
    heldAnswers = [];
    showNotice("[data-new-answers]", 0);
    if (!elements.length) { return; }
    insertAnswers(elements);
    elements[0].scrollIntoView({block: "start"});
    elements[0].setAttribute("tabindex", "-1");
    elements[0].focus({preventScroll: true});
  }

  function removeAnswer(answerId) {
    heldAnswers = heldAnswers.filter(function (a) { return a.id !== "answer-" + answerId; });
    showNotice("[data-new-answers]", heldAnswers.length);
    var el = document.getElementById("answer-" + answerId);
    if (el) { preserveScroll(function () { el.remove(); }); }
  }

  function setAnswerCount(count) {
    if (typeof count !== "number") { return; }
    document.querySelectorAll("[data-answer-count]").forEach(function (el) { setCountText(el, count); });
  }

  function setScore(kind, id, score) {
    if (typeof score !== "number") { return; }
    document.querySelectorAll('[data-score-for="' + kind + "-" + id + '"]').forEach(function (el) {
      setCountText(el, score);
    });
    var article = document.getElementById(kind + "-" + id);
    if (article && article.hasAttribute("data-score")) { article.setAttribute("data-score", String(score)); }
  }

  function replaceAnswerIfShown(html) {
    if (!html) { return; }
    var el = enhance(fragment(html));
    var existing = document.getElementById(el.id);
    if (existing) { preserveScroll(function () { existing.replaceWith(el); }); }
  }

  function markAccepted(answerId, html) {
    preserveScroll(function () {
      document.querySelectorAll(".answer-accepted").forEach(function (el) {
        if (el.id === "answer-" + answerId) { return; }
        el.classList.remove("answer-accepted");
        el.querySelectorAll(".mark-accepted").forEach(function (mark) { mark.remove(); });
      });
    });
    replaceAnswerIfShown(html);
  }

  function markFeatured(answerId, featured, html, stream) {
    if (stream.indexOf("question.") !== 0) { return; }
    if (html) { replaceAnswerIfShown(html); return; }
    var el = document.getElementById("answer-" + answerId);
    if (el && !featured) {
      el.classList.remove("answer-featured");
      el.querySelectorAll(".mark-featured").forEach(function (mark) { mark.remove(); });
    }
  }

  function questionRemoved(stream, questionId) {
    if (stream.indexOf("question.") === 0) {
      var main = document.getElementById("main");
      if (main && !document.getElementById("question-removed-notice")) {
        var notice = document.createElement("p");
        notice.id = "question-removed-notice";
        notice.className = "status status-rejected";
        notice.setAttribute("role", "status");
        notice.textContent = "This question is no longer public.";
        preserveScroll(function () { main.insertBefore(notice, main.firstChild); });
      }
      return;
    }
    var row = document.getElementById("question-row-" + questionId);
    if (row) { preserveScroll(function () { row.remove(); }); }
    if (newQuestionIds[questionId]) {
      delete newQuestionIds[questionId];
      showNotice("[data-new-questions]", Object.keys(newQuestionIds).length);
    }
  }

  // --- Feeds ----------------------------------------------------------------------------------------------

  function newQuestion(questionId) {
    if (!questionId || document.getElementById("question-row-" + questionId)) { return; }
    newQuestionIds[questionId] = true;
    showNotice("[data-new-questions]", Object.keys(newQuestionIds).length);
  }

  // --- Moderation queue -----------------------------------------------------------------------------------

  function onQueuePage() { return document.getElementById("queue") || document.getElementById("queue-empty"); }

  function queueMatchesFilter(data) {
    var params = new URLSearchParams(window.location.search);
    var kind = params.get("kind");
    var category = params.get("category");
    return (!kind || kind === data.kind) && (!category || category === data.category);
  }

  function queueNew(msg) {
    var data = msg.data || {};
    if (!onQueuePage() || !msg.html || !queueMatchesFilter(data)) { return; }
    if (document.querySelector('[data-queue-item="' + data.kind + "-" + data.id + '"]')) { return; }
    var queue = document.getElementById("queue");
    if (!queue) {
      var empty = document.getElementById("queue-empty");
      queue = document.createElement("ol");
      queue.className = "queue";
      queue.id = "queue";
      queue.setAttribute("aria-live", "polite");
      preserveScroll(function () { empty.replaceWith(queue); });
    }
    var el = enhance(fragment(msg.html));
    preserveScroll(function () { queue.appendChild(el); }); // oldest first: new items go last
    highlight(el);
  }

  function queueDecided(data) {
    var item = document.querySelector('[data-queue-item="' + data.kind + "-" + data.id + '"]');
    if (!item || item.classList.contains("queue-item-decided")) { return; }
    var me = body.getAttribute("data-user");
    var who = me && String(data.by_id) === me ? "you" : (data.by || "another moderator");
    var verb = data.status === "approved" ? "Approved" : data.status === "rejected" ? "Rejected" : "Decided";
    var note = document.createElement("p");
    note.className = "queue-decided";
    note.setAttribute("role", "status");
    note.textContent = verb + " by " + who + ".";
    if (data.status === "replaced") { note.textContent = "The author replaced this edit with a newer one."; }
    if (data.status === "withdrawn") { note.textContent = "The author withdrew this edit."; }
    preserveScroll(function () {
      item.classList.add("queue-item-decided");
      item.replaceChildren(note);
    });
  }

  // --- Notifications --------------------------------------------------------------------------------------

  function notificationNew(msg) {
    var list = document.querySelector("[data-unread-list]");
    var data = msg.data || {};
    if (!list || !msg.html || document.getElementById("notification-" + data.id)) { return; }
    var el = enhance(fragment(msg.html));
    preserveScroll(function () {
      list.insertBefore(el, list.firstChild);
      var empty = document.querySelector("#notification-centre [data-empty]");
      if (empty) { empty.hidden = true; }
    });
    highlight(el);
  }

  function notificationsRead(data) {
    var items = data.all
      ? document.querySelectorAll(".notification-unread")
      : (data.ids || []).map(function (id) { return document.getElementById("notification-" + id); });
    Array.prototype.forEach.call(items, function (el) {
      if (!el) { return; }
      el.classList.remove("notification-unread");
      el.querySelectorAll("form").forEach(function (form) { form.remove(); });
    });
  }

  // --- Refetch: reload what an event stream can no longer replay --------------------------------------------

  function requestRefetch(name) {
    var s = streams[name];
    if (!s) { return; }
    if (!s.refetching) { s.refetching = true; s.buffer = []; }
    refetchWanted[name] = true;
    // Jitter: after a Redis restart every open page refetches; spread them out.
    if (!refetchTimer) { refetchTimer = window.setTimeout(refetch, 100 + Math.random() * 1400); }
  }

  function refetch() {
    refetchTimer = null;
    var names = Object.keys(refetchWanted);
    refetchWanted = {};
    if (!names.length) { return; }
    window.fetch(window.location.href, {credentials: "same-origin", headers: {"X-Live-Refetch": "1"}})
      .then(function (response) {
        if (response.status === 404 || response.status === 403) { return null; }
        if (!response.ok) { throw new Error("refetch " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var doc = html === null ? null : new DOMParser().parseFromString(html, "text/html");
        names.forEach(function (name) { finishRefetch(name, doc); });
        document.dispatchEvent(new CustomEvent("live:refetched", {detail: {streams: names}}));
      })
      .catch(function () {
        names.forEach(function (name) { refetchWanted[name] = true; });
        refetchTimer = window.setTimeout(refetch, 2000 + Math.random() * 3000);
      });
  }

  function seqIn(doc, name) {
    var seq = null;
    doc.querySelectorAll("[data-stream]").forEach(function (el) {
      if (el.getAttribute("data-stream") !== name) { return; }
      var value = parseSeq(el.getAttribute("data-stream-seq"));
      if (value !== null && (seq === null || value < seq)) { seq = value; }
    });
    return seq;
  }

  function finishRefetch(name, doc) {
    var s = streams[name];
    if (!s) { return; }
    if (doc === null) {
      if (name.indexOf("question.") === 0) { questionRemoved(name, null); }
      delete streams[name];
      return;
    }
    reconcile(name, doc);
    var fetched = seqIn(doc, name);
    var buffered = s.buffer;
    s.refetching = false;
    s.buffer = [];
    if (fetched !== null) { s.seq = fetched; }
    buffered.forEach(function (msg) {
      if (s.seq === null || typeof msg.seq !== "number" || msg.seq > s.seq) {
        applySafely(msg);
        if (typeof msg.seq === "number") { s.seq = msg.seq; }
      }
    });
    save();
  }

  function copyText(doc, id) {
    var fresh = doc.getElementById(id);
    var mine = document.getElementById(id);
    if (fresh && mine) { mine.textContent = fresh.textContent; mine.className = fresh.className; }
  }

  function replaceInner(doc, selector) {
    var fresh = doc.querySelector(selector);
    var mine = document.querySelector(selector);
    if (!fresh || !mine) { return; }
    preserveScroll(function () { mine.innerHTML = fresh.innerHTML; });
    enhance(mine);
  }

  function reconcile(name, doc) {
    copyText(doc, "pending-count");
    copyText(doc, "unread-count");
    if (name.indexOf("question.") === 0) {
      heldAnswers = [];
      showNotice("[data-new-answers]", 0);
      replaceInner(doc, "#answer-list");
      replaceInner(doc, "article.question");
      var count = doc.querySelector("[data-answer-count]");
      if (count) { setAnswerCount(parseInt(count.textContent, 10)); }
      doc.querySelectorAll("[data-score-for]").forEach(function (el) {
        var mine = document.querySelector('[data-score-for="' + el.getAttribute("data-score-for") + '"]');
        if (mine) { mine.textContent = el.textContent; }
      });
    } else if (name.indexOf("feed.") === 0) {
      doc.querySelectorAll(".question-list > li[id^='question-row-']").forEach(function (row) {
        newQuestion(row.id.replace("question-row-", ""));
      });
    } else if (name === "moderation" && onQueuePage()) {
      var fresh = {};
      doc.querySelectorAll("[data-queue-item]").forEach(function (el) { fresh[el.getAttribute("data-queue-item")] = el; });
      document.querySelectorAll("[data-queue-item]").forEach(function (el) {
        var key = el.getAttribute("data-queue-item");
        if (!fresh[key]) {
          var parts = key.split("-");
          queueDecided({kind: parts[0], id: parts[1], status: "", by: "another moderator"});
        }
        delete fresh[key];
      });
      Object.keys(fresh).forEach(function (key) {
        var parts = key.split("-");
        queueNew({html: fresh[key].outerHTML, data: {kind: parts[0], id: parts[1]}});
      });
    } else if (name.indexOf("user.") === 0 && document.getElementById("notification-centre")) {
      var centre = doc.getElementById("notification-centre");
      var current = document.getElementById("notification-centre");
      if (centre && current) {
        preserveScroll(function () { current.innerHTML = centre.innerHTML; });
        enhance(current);
      }
    }
  }

  // --- Votes on the socket --------------------------------------------------------------------------------
  // A member's vote button sends the vote on the open socket instead of a form POST (forum/consumers.py:
  // the server writes everyone's votes in batches and answers once this one is committed). Without an
  // open socket, or for visitors (who are sent to log in), the button posts its form as before.

  var pendingVotes = {}; // ref -> {widget, timer}
  var voteRef = 0;

  function voteOverSocket(event) {
    var button = event.target.closest && event.target.closest(".vote-form button[name=value]");
    if (!button || !body.getAttribute("data-user")) { return; }
    if (!socket || socket.readyState !== 1 || body.getAttribute("data-live-state") !== "open") { return; }
    var widget = button.closest("[data-vote-for]");
    if (!widget) { return; }
    event.preventDefault(); // the socket carries this vote; no POST
    if (widget.getAttribute("aria-busy") === "true") { return; } // one vote in flight per post
    var target = widget.getAttribute("data-vote-for").split("-"); // "answer-12"
    voteRef += 1;
    var ref = voteRef;
    widget.setAttribute("aria-busy", "true");
    pendingVotes[ref] = {widget: widget, timer: window.setTimeout(function () { voteLost(ref); }, 8000)};
    socket.send(JSON.stringify({vote: {kind: target[0], id: Number(target[1]), value: button.value}, ref: ref}));
  }

  function voteAnswered(msg) {
    var pending = pendingVotes[msg.ref];
    if (!pending) { return; }
    delete pendingVotes[msg.ref];
    window.clearTimeout(pending.timer);
    var widget = pending.widget;
    widget.removeAttribute("aria-busy");
    var old = widget.querySelector(".vote-error");
    if (old) { old.remove(); }
    if (msg.voted) {
      setScore(msg.voted.kind, msg.voted.id, msg.voted.score);
      widget.querySelectorAll(".vote-up").forEach(function (b) { b.setAttribute("aria-pressed", String(msg.voted.my_vote === 1)); });
      widget.querySelectorAll(".vote-down").forEach(function (b) { b.setAttribute("aria-pressed", String(msg.voted.my_vote === -1)); });
      document.dispatchEvent(new CustomEvent("live:voted", {detail: msg.voted}));
    } else {
      voteError(widget, String(msg.vote_refused.error || "Your vote was not counted."));
    }
  }

  function voteLost(ref) {
    // No answer: the vote may or may not have been saved, so say so rather than send it again (a second
    // identical vote would remove it).
    var pending = pendingVotes[ref];
    if (!pending) { return; }
    delete pendingVotes[ref];
    pending.widget.removeAttribute("aria-busy");
    voteError(pending.widget, "The connection dropped: your vote may not have been saved. Reload the page to check.");
  }

  function voteError(widget, text) {
    var p = document.createElement("p");
    p.className = "vote-error";
    p.setAttribute("role", "alert");
    p.textContent = text;
    widget.appendChild(p);
  }

  document.addEventListener("click", voteOverSocket, true); // before the form submits (and htmx posts it)

  // --- Start ----------------------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-new-answers] button");
    if (button) { event.preventDefault(); showHeldAnswers(); }
  });

  window.addEventListener("pagehide", function () {
    stopped = true;
    window.clearTimeout(retryTimer);
    retryTimer = null;
    if (socket) { socket.close(1000); }
    save();
    body.setAttribute("data-live-state", "closed");
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { stopped = false; attempt = 0; connect(); } // back/forward cache: catch up
  });

  collectStreams();
  if (Object.keys(streams).length) {
    body.setAttribute("data-live-streams", Object.keys(streams).join(" "));
    connect();
  } else {
    body.setAttribute("data-live-state", "off");
  }
})();
