// Mention autocomplete: typing "@" and the first letters of a name in a textarea of a form with
// data-mentions (the suggest URL) shows up to eight members in a listbox under it; arrow keys move,
// Enter or Tab (or a click) inserts "@Name#12 ", Escape closes. The textarea keeps the focus
// (aria-activedescendant, allowed on a textbox; aria-expanded is not), as in a combobox. Without JavaScript people type the handle themselves.
(function () {
  "use strict";

  var DELAY_MS = 200;
  var counter = 0;
  var TYPED = /(^|[^\w.@+-])@([^\s@#]{1,30})$/;

  function setup(form) {
    var textarea = form.querySelector("textarea[data-markdown-editor]") || form.querySelector("textarea");
    if (!textarea || textarea.hasAttribute("data-mentions-ready")) { return; }
    textarea.setAttribute("data-mentions-ready", "");
    counter += 1;
    var id = "mention-list-" + counter;
    var list = document.createElement("ul");
    list.id = id;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", id);
    var timer = null;
    var active = -1;
    var results = [];
    var typedStart = -1;
    var request = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      results = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (options[index]) { textarea.setAttribute("aria-activedescendant", options[index].id); }
    }

    function choose(index) {
      var row = results[index];
      if (!row || typedStart < 0) { return; }
      textarea.focus();
      textarea.setSelectionRange(typedStart, textarea.selectionStart);
      var text = row.insert + " ";
      if (!document.execCommand || !document.execCommand("insertText", false, text)) {
        textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      }
      close();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(rows) {
      close();
      results = rows;
      if (!rows.length) { return; }
      rows.forEach(function (row, i) {
        var option = document.createElement("li");
        option.id = id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = row.name;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      list.hidden = false;
      highlight(0);
      status.textContent = rows.length + (rows.length === 1 ? " member" : " members") + " to mention";
    }

    function lookup() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = TYPED.exec(before);
      if (!match) { close(); return; }
      typedStart = before.length - match[2].length - 1;
      var url = form.getAttribute("data-mentions");
      url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(match[2]);
      request += 1;
      var mine = request;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (mine === request) { show(data.results || []); } })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY_MS);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || !results.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % results.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + results.length) % results.length); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-mentions]").forEach(setup);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
