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

  // Some browsers claim Bosnian but have no Bosnian month names (they print "M08"): fall back
  // to the closest language that has them (Croatian), then to British English.
  function pickLocale(language) {
    var wanted = [language].concat(language === "bs" ? ["hr", "sr-Latn"] : [], ["en-GB"]);
    var august = new Date(Date.UTC(2020, 7, 15, 12));
    for (var i = 0; i < wanted.length; i++) {
      try {
        if (!Intl.DateTimeFormat.supportedLocalesOf([wanted[i]]).length) {
          continue;
        }
        var month = new Intl.DateTimeFormat(wanted[i], { month: "long" }).format(august);
        if (!/^M?0?8$/.test(month) && !/^M\d/.test(month)) {
          return wanted[i];
        }
      } catch (error) {
        continue;
      }
    }
    return "en-GB";
  }

  function rewrite(root) {
    var zone = zoneName();
    var language = document.documentElement.lang || "en";
    var locale = pickLocale(language);
    // Another language's month and day names would read wrong: use digits then.
    var exact = locale === language;
    var elements = root.querySelectorAll("time[data-local-time]");
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var start = new Date(element.getAttribute("datetime"));
      var endValue = element.getAttribute("data-end");
      if (isNaN(start.getTime())) {
        continue;
      }
      var full = new Intl.DateTimeFormat(locale, {
        weekday: exact ? "short" : undefined, year: "numeric", month: exact ? "long" : "numeric",
        day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: zone || undefined
      });
      var timeOnly = new Intl.DateTimeFormat(locale, {
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
