// Crisis resources while writing: forms marked data-crisis-check hold a hidden crisis panel
// (forum/_crisis_panel.html). The phrase list is data (forum.CrisisPhrase), served as JSON; matching
// mirrors forum/crisis.py: case-insensitive, whole words, any whitespace between words. Nothing typed
// leaves the browser for this check.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-crisis-check]");
  if (!forms.length) { return; }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"); }

  function buildPattern(phrases) {
    var parts = phrases
      .filter(function (p) { return p && p.trim(); })
      .sort(function (a, b) { return b.length - a.length; })
      .map(function (p) { return p.trim().split(/\s+/).map(escapeRegExp).join("\\s+"); });
    if (!parts.length) { return null; }
    return new RegExp("(?<![\\w-])(?:" + parts.join("|") + ")(?![\\w-])", "i");
  }

  function watch(form, pattern) {
    var panel = form.querySelector("[data-crisis-panel]");
    if (!panel) { return; }
    var fields = form.querySelectorAll("textarea, input[type=text], input:not([type])");
    var timer = null;
    function check() {
      var text = Array.prototype.map.call(fields, function (f) { return f.value; }).join("\n");
      var show = pattern.test(text);
      if (show && panel.hidden) {
        panel.hidden = false;
        panel.setAttribute("data-shown", "true");
      } else if (!show && !panel.hasAttribute("data-server-shown")) {
        panel.hidden = true;
      }
    }
    Array.prototype.forEach.call(fields, function (field) {
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(check, 250);
      });
    });
    check();
  }

  var url = forms[0].getAttribute("data-crisis-check");
  fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) { return response.ok ? response.json() : { phrases: [] }; })
    .then(function (data) {
      var pattern = buildPattern(data.phrases || []);
      if (!pattern) { return; }
      Array.prototype.forEach.call(forms, function (form) { watch(form, pattern); });
    })
    .catch(function () { /* the server still marks the post urgent and shows the panel afterwards */ });
})();
