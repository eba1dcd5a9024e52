// Registers the service worker that keeps public meeting pages readable offline (static/js/sw.js).
(function () {
  "use strict";

  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  var url = script.getAttribute("data-worker");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
      // Without the worker the site works as before, only not offline.
    });
  });
})();
