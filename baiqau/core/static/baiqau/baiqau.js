// Baiqau: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Plural category of n for the label sets rendered by the server for n = 1, 2 and 5.
  function pick(labels, n, lang) {
    if (lang === "ru") {
      var m10 = n % 10, m100 = n % 100;
      if (m10 === 1 && m100 !== 11) return labels[0];
      if (m10 >= 2 && m10 <= 4 && (m100 < 10 || m100 >= 20)) return labels[1];
      return labels[2];
    }
    return n === 1 ? labels[0] : labels[2];
  }

  function remaining(el) {
    var labels = JSON.parse(el.dataset.labels || "{}");
    var lang = el.dataset.lang;
    var ms = new Date(el.dataset.countdown).getTime() - Date.now();
    if (ms <= 0) { return; }
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440); minutes -= days * 1440;
    var hours = Math.floor(minutes / 60); minutes -= hours * 60;
    var parts = [];
    if (days) parts.push(pick(labels.day, days, lang).replace("%(n)s", days));
    if (hours && parts.length < 2) parts.push(pick(labels.hour, hours, lang).replace("%(n)s", hours));
    if (!days && (minutes || !parts.length)) parts.push(pick(labels.minute, minutes, lang).replace("%(n)s", minutes));
    var text = el.textContent;
    var current = el.dataset.current || "";
    var next = parts.join(" ");
    if (current && text.indexOf(current) >= 0) { el.textContent = text.replace(current, next); }
    el.dataset.current = next;
  }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(remaining);
  }

  // Once a form is being submitted, its pending autosave must not reach the server after the
  // save itself (it would look like someone else's edit on the next page).
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("hx-post")) event.target.dataset.leaving = "1";
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (form && form.dataset.leaving === "1") event.preventDefault();
  });

  // A second click on a submit button while the first request is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      // Remember the server's wording so later ticks replace only the numbers part.
      el.dataset.current = el.dataset.initial || "";
    });
    tick();
    setInterval(tick, 30000);
  });
})();
