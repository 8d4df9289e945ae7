// Drafts: what a member types into a long form survives a reload, a crash or a rate-limit page.
//
// A form opts in with data-draft="<key>" (e.g. "ask", "answer-12") and data-draft-owner="<token>" (an HMAC
// of the member's id, forum/templatetags/drafts.py: the next member on a shared computer is never offered
// it). Its fields are kept in this browser's localStorage, never sent anywhere, while typing (debounced) and
// when the page is left. data-draft-exclude lists fields never kept (e.g. the terms checkbox: consent is
// given each time).
//
// - On load, a draft is put back only into an empty form that the server did not send back with errors
//   (a rejected form keeps what was typed already), with a notice and a "Discard draft" button.
// - Submitting marks the draft as sent but keeps it: if the post fails (rate limit, lost connection), it
//   is still there. The page after a successful post names the draft in data-draft-sent (the success
//   message, the thank-you page), and only then is it removed.
// - Drafts expire after MAX_AGE_DAYS.
(function () {
  "use strict";

  var PREFIX = "forum-draft:v1:";
  var MAX_AGE_DAYS = 7;
  var SAVE_DELAY_MS = 500;
  var SKIPPED_TYPES = ["hidden", "password", "file", "submit", "button", "reset", "image"];
  var TEXT_TYPES = ["text", "search", "email", "url", "tel", "number", "textarea"];

  function storage() {
    try {
      var s = window.localStorage;
      s.getItem(PREFIX);
      return s;
    } catch (e) { return null; } // storage disabled (private mode, policy): forms work as before
  }

  function now() { return Date.now(); }

  function expired(draft) {
    return !draft || typeof draft.savedAt !== "number" || now() - draft.savedAt > MAX_AGE_DAYS * 86400000;
  }

  function read(key) {
    var s = storage();
    if (!s) { return null; }
    var draft = null;
    try { draft = JSON.parse(s.getItem(key) || "null"); } catch (e) { draft = null; }
    if (draft && expired(draft)) { s.removeItem(key); return null; }
    return draft;
  }

  function write(key, draft) {
    var s = storage();
    if (!s) { return; }
    try { s.setItem(key, JSON.stringify(draft)); } catch (e) { /* full: the form still works */ }
  }

  function remove(key) {
    var s = storage();
    if (s) { s.removeItem(key); }
  }

  function sweep() {
    var s = storage();
    if (!s) { return; }
    var keys = [];
    for (var i = 0; i < s.length; i++) {
      var k = s.key(i);
      if (k && k.indexOf(PREFIX) === 0) { keys.push(k); }
    }
    keys.forEach(read); // reading an expired draft removes it
  }

  function keyFor(owner, name) { return PREFIX + owner + ":" + name; }

  function fields(form) {
    var excluded = (form.getAttribute("data-draft-exclude") || "").split(/[\s,]+/);
    return Array.prototype.filter.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      return el.name && el.name !== "csrfmiddlewaretoken" && !el.disabled &&
        SKIPPED_TYPES.indexOf(type) === -1 && excluded.indexOf(el.name) === -1 &&
        el.tagName !== "BUTTON" && el.tagName !== "FIELDSET";
    });
  }

  function isText(el) {
    return el.tagName === "TEXTAREA" || TEXT_TYPES.indexOf((el.type || "text").toLowerCase()) !== -1;
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
    return el.value;
  }

  function collect(form) {
    var values = {};
    var typed = false;
    fields(form).forEach(function (el) {
      var id = el.type === "radio" ? el.name + "=" + el.value : el.name;
      values[id] = valueOf(el);
      if (isText(el) && el.value.trim()) { typed = true; }
    });
    return { values: values, typed: typed };
  }

  function textEmpty(form) {
    return fields(form).every(function (el) { return !isText(el) || !el.value.trim(); });
  }

  function hasErrors(form) {
    return !!form.querySelector(".field-error, .form-errors, .error[role=alert]");
  }

  function fire(el) {
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore(form, draft) {
    var restored = [];
    fields(form).forEach(function (el) {
      var id = el.type === "radio" ? el.name + "=" + el.value : el.name;
      if (!Object.prototype.hasOwnProperty.call(draft.values, id)) { return; }
      var value = draft.values[id];
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked === !!value) { return; }
        el.checked = !!value;
      } else if (el.tagName === "SELECT") {
        var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
        if (!known || el.value === value) { return; }
        el.value = value;
      } else {
        if (typeof value !== "string" || !value) { return; }
        el.value = value;
      }
      restored.push(el);
    });
    // Let the editor preview, the crisis check and the similar questions see the text.
    restored.forEach(fire);
    return restored;
  }

  function notice(form) {
    var region = document.createElement("div");
    region.className = "draft-notice";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    form.parentNode.insertBefore(region, form);
    return region;
  }

  function showRestored(region, onDiscard) {
    var text = document.createElement("span");
    text.textContent = "We restored your unsaved draft. ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.setAttribute("data-draft-discard", "");
    button.textContent = "Discard draft";
    button.addEventListener("click", onDiscard);
    region.replaceChildren(text, button);
    region.classList.add("draft-notice-shown");
  }

  function discard(form, key, restored, region) {
    remove(key);
    restored.forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = el.defaultChecked;
      } else if (el.tagName === "SELECT") {
        var chosen = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; })[0];
        el.value = chosen ? chosen.value : (el.options[0] ? el.options[0].value : "");
      } else {
        el.value = "";
      }
      fire(el);
    });
    remove(key); // the events above saved nothing (the form is empty), but be sure
    region.textContent = "Draft discarded.";
    var first = fields(form).filter(isText)[0];
    if (first) { first.focus(); }
  }

  function attach(form) {
    if (form.hasAttribute("data-draft-ready")) { return; }
    form.setAttribute("data-draft-ready", "");
    var owner = form.getAttribute("data-draft-owner");
    var name = form.getAttribute("data-draft");
    if (!owner || !name || !storage()) { return; }
    var key = keyFor(owner, name);
    var region = notice(form);
    var timer = null;

    function save(extra) {
      clearTimeout(timer);
      timer = null;
      var current = collect(form);
      if (!current.typed) { remove(key); return; }
      var draft = { savedAt: now(), values: current.values };
      if (extra && extra.submittedAt) { draft.submittedAt = extra.submittedAt; }
      write(key, draft);
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    }

    var draft = read(key);
    if (draft && hasErrors(form)) {
      save(); // sent back with errors: the server kept the text, which is the draft from now on
    } else if (draft && textEmpty(form) && draft.values) {
      var restored = restore(form, draft);
      if (restored.length) {
        showRestored(region, function () { discard(form, key, restored, region); });
      }
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function () { save({ submittedAt: now() }); });
    window.addEventListener("pagehide", function () { if (timer) { save(); } });
  }

  function clearSent(root) {
    var markers = root.querySelectorAll ? root.querySelectorAll("[data-draft-sent]") : [];
    Array.prototype.forEach.call(markers, function (marker) {
      if (marker.hasAttribute("data-draft-cleared")) { return; }
      marker.setAttribute("data-draft-cleared", "");
      var owner = marker.getAttribute("data-draft-owner");
      var name = marker.getAttribute("data-draft-sent");
      if (!owner || !name) { return; }
      var key = keyFor(owner, name);
      var draft = read(key);
      // A one-shot success message always means the post went through; a page one can revisit (the
      // thank-you page) only clears a draft that was submitted, not one begun since.
      if (draft && (marker.hasAttribute("data-draft-once") || draft.submittedAt)) { remove(key); }
    });
  }

  function init(root) {
    root = root && root.querySelectorAll ? root : document;
    clearSent(root);
    Array.prototype.forEach.call(root.querySelectorAll("form[data-draft]"), attach);
  }

  function start() { sweep(); init(document); }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
