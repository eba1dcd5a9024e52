// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.detail.target);
  });
})();
