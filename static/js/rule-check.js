/*
 * Live rule check: the panel is drawn by the server with the page (the page is complete without
 * this script). When the user comes back to the page - from the tab where they edited the draft,
 * the worker registry or another case - the panel is fetched again for the case as saved, so it
 * never shows a stale verdict. If the verdict changed, a notice next to the submit button asks
 * the user to reload the page before submitting (the button's state was drawn with the page).
 */
(function () {
  "use strict";

  var panel = document.querySelector("[data-rule-check-url]");
  if (!panel || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-rule-check-url");
  var inFlight = false;

  function refresh() {
    if (inFlight || document.visibilityState === "hidden") {
      return;
    }
    inFlight = true;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("rule check: HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var incoming = document.createElement("div");
        incoming.innerHTML = html;
        // Compare what a person reads, so a change of white space alone does not count.
        if (incoming.textContent.replace(/\s+/g, " ").trim() === panel.textContent.replace(/\s+/g, " ").trim()) {
          return;
        }
        panel.replaceChildren.apply(panel, Array.prototype.slice.call(incoming.childNodes));
        var stale = document.getElementById("rule-check-stale");
        if (stale) {
          stale.hidden = false;
        }
      })
      .catch(function () {
        // The panel drawn with the page stays; the server checks the rules again on submit.
      })
      .finally(function () {
        inFlight = false;
      });
  }

  document.addEventListener("visibilitychange", refresh);
  window.addEventListener("focus", refresh);
  // Coming back with the browser's Back button shows the page from its cache.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      refresh();
    }
  });
})();
