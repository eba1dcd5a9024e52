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

  // Content swapped in place of what was just pressed (e.g. a review section and its form)
  // takes the focus at its heading, so keyboard and screen reader users stay where they were.
  document.addEventListener("htmx:load", function (event) {
    var root = event.detail.elt;
    if (!root || root === document.body || !root.querySelector) {
      return;
    }
    var target = root.querySelector("[data-error-summary]") ||
      (root.matches("[data-swap-focus]") ? root : root.querySelector("[data-swap-focus]"));
    if (target) {
      target.focus();
    }
  });
})();
