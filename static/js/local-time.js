// Show meeting times in the viewer's own time zone. The server writes them in the organizer's
// zone, named; this rewrites every <time data-local-time datetime="…Z" data-end="…Z"> with
// Intl.DateTimeFormat and says which zone it now uses. Without script the organizer's time stays.
(function () {
  "use strict";

  function zoneName() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function rewrite(root) {
    var zone = zoneName();
    var language = document.documentElement.lang || undefined;
    var elements = root.querySelectorAll("time[data-local-time]");
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var start = new Date(element.getAttribute("datetime"));
      var endValue = element.getAttribute("data-end");
      if (isNaN(start.getTime())) {
        continue;
      }
      var full = new Intl.DateTimeFormat(language, {
        weekday: "short", year: "numeric", month: "long", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZone: zone || undefined
      });
      var timeOnly = new Intl.DateTimeFormat(language, {
        hour: "2-digit", minute: "2-digit", timeZone: zone || undefined
      });
      var day = new Intl.DateTimeFormat("en-CA", { timeZone: zone || undefined });
      var text = full.format(start);
      if (endValue) {
        var end = new Date(endValue);
        text += "–" + (day.format(end) === day.format(start) ? timeOnly.format(end) : full.format(end));
      }
      element.textContent = text;
      element.setAttribute("data-viewer-zone", zone);
      var label = element.parentNode.querySelector("[data-organizer-zone]");
      if (label && zone) {
        var template = label.getAttribute("data-your-time") || "({zone})";
        label.textContent = template.replace("{zone}", zone);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    rewrite(document);
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    rewrite(event.detail.target);
  });
})();
