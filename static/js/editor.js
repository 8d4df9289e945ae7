// Markdown editor: a small formatting toolbar and a live preview rendered by the server's own renderer
// (POST /preview/), so what you see is exactly what will be published. Without JavaScript the plain
// textarea still works.
(function () {
  "use strict";

  var DELAY_MS = 350;
  var counter = 0;
  var ACTIONS = [
    { name: "bold", label: "Bold", html: "<strong>B</strong>", key: "b" },
    { name: "italic", label: "Italic", html: "<em>I</em>", key: "i" },
    { name: "link", label: "Link", html: "Link" },
    { name: "list", label: "Bulleted list", html: "• List" },
    { name: "quote", label: "Quote", html: "“ Quote" },
  ];

  function csrfToken(textarea) {
    var form = textarea.form;
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  function replaceSelection(textarea, text, selectFrom, selectTo) {
    var start = textarea.selectionStart;
    textarea.focus();
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
    }
    if (selectFrom !== undefined) { textarea.setSelectionRange(start + selectFrom, start + selectTo); }
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function prefixLines(textarea, prefix) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    textarea.setSelectionRange(start, end);
    var lines = value.slice(start, end).split("\n");
    var text = lines.map(function (line) { return prefix + line; }).join("\n");
    replaceSelection(textarea, text);
  }

  function apply(textarea, name) {
    var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
    if (name === "bold" || name === "italic") {
      var mark = name === "bold" ? "**" : "_";
      var inner = selected || (name === "bold" ? "bold text" : "italic text");
      replaceSelection(textarea, mark + inner + mark, mark.length, mark.length + inner.length);
    } else if (name === "link") {
      var label = selected || "link text";
      var url = "https://";
      replaceSelection(textarea, "[" + label + "](" + url + ")", label.length + 3, label.length + 3 + url.length);
    } else if (name === "list") {
      prefixLines(textarea, "- ");
    } else if (name === "quote") {
      prefixLines(textarea, "> ");
    }
  }

  function enhance(textarea) {
    counter += 1;
    if (!textarea.id) { textarea.id = "md-editor-" + counter; }
    var box = document.createElement("div");
    box.className = "md-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "md-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Formatting");
    toolbar.setAttribute("aria-controls", textarea.id);
    ACTIONS.forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.innerHTML = action.html;
      button.setAttribute("aria-label", action.label);
      button.title = action.label + (action.key ? " (Ctrl+" + action.key.toUpperCase() + ")" : "");
      button.addEventListener("click", function () { apply(textarea, action.name); });
      toolbar.appendChild(button);
    });
    var hint = document.createElement("span");
    hint.className = "md-hint";
    hint.textContent = "Markdown supported";
    toolbar.appendChild(hint);
    textarea.parentNode.insertBefore(box, textarea);
    box.appendChild(toolbar);
    box.appendChild(textarea);

    var wrap = document.createElement("div");
    wrap.className = "md-preview-wrap";
    var label = document.createElement("p");
    label.className = "md-preview-label";
    label.id = textarea.id + "-preview-label";
    label.textContent = "Preview: how it will look";
    var preview = document.createElement("div");
    preview.className = "md-preview prose";
    preview.setAttribute("data-md-preview", "");
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-labelledby", label.id);
    wrap.appendChild(label);
    wrap.appendChild(preview);
    box.parentNode.insertBefore(wrap, box.nextSibling);

    var timer = null;
    var controller = null;
    var url = textarea.getAttribute("data-preview-url") || "/preview/";

    function showMessage(text) {
      preview.innerHTML = "";
      var p = document.createElement("p");
      p.className = "md-preview-empty";
      p.textContent = text;
      preview.appendChild(p);
    }

    function refresh() {
      if (!textarea.value.trim()) { showMessage("Nothing to preview yet."); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      var body = new URLSearchParams();
      body.set("body", textarea.value);
      preview.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea) },
        signal: controller ? controller.signal : undefined,
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        // The server sanitized this HTML with the same allow-list as stored posts.
        preview.innerHTML = html || "";
        preview.removeAttribute("aria-busy");
      }).catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        preview.removeAttribute("aria-busy");
        showMessage("The preview is not available right now. Your text is safe; you can still post it.");
      });
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
      ACTIONS.forEach(function (action) {
        if (action.key && event.key.toLowerCase() === action.key) {
          event.preventDefault();
          apply(textarea, action.name);
        }
      });
    });
    refresh();
  }

  function init() {
    var areas = document.querySelectorAll("textarea[data-markdown-editor]:not([data-md-ready])");
    Array.prototype.forEach.call(areas, function (textarea) {
      textarea.setAttribute("data-md-ready", "");
      enhance(textarea);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
  // Forms swapped in by htmx get the editor too.
  document.addEventListener("htmx:load", init);
})();
